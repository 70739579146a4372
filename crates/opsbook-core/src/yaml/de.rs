//! serde deserialization from a [`Node`] tree, with errors that know their span.

use super::{Node, Resolved, Value};
use crate::span::Span;
use serde::de::{self, DeserializeSeed, Unexpected, Visitor};
use std::fmt;

/// Deserializes a typed value from a node.
///
/// ```
/// use opsbook_core::yaml::{from_node, parse};
/// #[derive(Debug, serde::Deserialize)]
/// struct Doc { tier: u8 }
/// let node = parse("tier: nine\n", 0).unwrap().unwrap();
/// let err = from_node::<Doc>(&node).unwrap_err();
/// assert_eq!(err.span.unwrap().start, 6);
/// ```
pub fn from_node<'de, T: de::Deserialize<'de>>(node: &'de Node) -> Result<T, DeError> {
    T::deserialize(NodeDe(node))
}

/// A deserialization error with the span of the innermost node that failed.
#[derive(Debug, Clone, PartialEq)]
pub struct DeError {
    /// The offending node; `None` only before it is known.
    pub span: Option<Span>,
    /// What went wrong.
    pub kind: DeErrorKind,
}

/// What went wrong while deserializing.
#[derive(Debug, Clone, PartialEq)]
pub enum DeErrorKind {
    /// A key the type does not know.
    UnknownField {
        /// The key as written.
        field: String,
        /// The keys the type knows.
        expected: &'static [&'static str],
    },
    /// A value outside an enumeration.
    UnknownVariant {
        /// The value as written.
        variant: String,
        /// The values allowed.
        expected: &'static [&'static str],
    },
    /// A required key is absent.
    MissingField(&'static str),
    /// Any other problem, as a sentence.
    Message(String),
}

impl DeError {
    fn at(mut self, span: Span) -> DeError {
        self.span.get_or_insert(span);
        self
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            DeErrorKind::UnknownField { field, .. } => write!(f, "unknown field `{field}`"),
            DeErrorKind::UnknownVariant { variant, expected } => {
                write!(f, "`{variant}` is not one of {}", one_of(expected))
            }
            DeErrorKind::MissingField(field) => write!(f, "missing required field `{field}`"),
            DeErrorKind::Message(message) => f.write_str(message),
        }
    }
}

/// "`a`, `b` or `c`".
pub(crate) fn one_of(items: &[&str]) -> String {
    match items {
        [] => "nothing".to_string(),
        [one] => format!("`{one}`"),
        [init @ .., last] => {
            let init: Vec<String> = init.iter().map(|i| format!("`{i}`")).collect();
            format!("{} or `{last}`", init.join(", "))
        }
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError {
            span: None,
            kind: DeErrorKind::Message(msg.to_string()),
        }
    }

    fn invalid_type(unexp: Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        DeError::custom(format_args!(
            "expected {}, found {}",
            expected(exp),
            describe(&unexp)
        ))
    }

    fn invalid_value(unexp: Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        DeError::custom(format_args!(
            "expected {}, found {}",
            expected(exp),
            describe(&unexp)
        ))
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        DeError {
            span: None,
            kind: DeErrorKind::UnknownField {
                field: field.to_string(),
                expected,
            },
        }
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        DeError {
            span: None,
            kind: DeErrorKind::UnknownVariant {
                variant: variant.to_string(),
                expected,
            },
        }
    }

    fn missing_field(field: &'static str) -> Self {
        DeError {
            span: None,
            kind: DeErrorKind::MissingField(field),
        }
    }
}

/// serde's names for what it expected, in words a handbook author uses.
fn expected(exp: &dyn de::Expected) -> String {
    let raw = exp.to_string();
    let range = |max: u64| format!("a whole number from 0 to {max}");
    match raw.as_str() {
        "u8" => range(u8::MAX.into()),
        "u16" => range(u16::MAX.into()),
        "u32" => range(u32::MAX.into()),
        "u64" | "usize" => "a whole number".to_string(),
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number".to_string(),
        "f32" | "f64" => "a number".to_string(),
        "a sequence" => "a list".to_string(),
        "a map" => "a mapping".to_string(),
        other if other.starts_with("struct ") => "a mapping".to_string(),
        other if other.starts_with("a borrowed string") => "a string".to_string(),
        _ => raw,
    }
}

fn describe(unexp: &Unexpected<'_>) -> String {
    match unexp {
        Unexpected::Str(s) => format!("`{s}`"),
        Unexpected::Unsigned(n) => format!("the number {n}"),
        Unexpected::Signed(n) => format!("the number {n}"),
        Unexpected::Float(n) => format!("the number {n}"),
        Unexpected::Bool(b) => format!("`{b}`"),
        Unexpected::Unit => "nothing".to_string(),
        Unexpected::Seq => "a list".to_string(),
        Unexpected::Map => "a mapping".to_string(),
        other => other.to_string(),
    }
}

struct NodeDe<'de>(&'de Node);

impl<'de> NodeDe<'de> {
    fn scalar_text(&self) -> Option<&'de str> {
        match &self.0.value {
            Value::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    fn unexpected(&self) -> Unexpected<'de> {
        match self.0.resolve() {
            None if matches!(self.0.value, Value::Seq(_)) => Unexpected::Seq,
            None => Unexpected::Map,
            Some(Resolved::Null) => Unexpected::Unit,
            Some(Resolved::Bool(b)) => Unexpected::Bool(b),
            Some(Resolved::Int(n)) => Unexpected::Signed(n),
            Some(Resolved::Float(f)) => Unexpected::Float(f),
            Some(Resolved::Str(_)) => Unexpected::Str(self.scalar_text().unwrap_or_default()),
        }
    }
}

macro_rules! forward_to_any {
    ($($method:ident)*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            self.deserialize_any(visitor)
        })*
    };
}

impl<'de> de::Deserializer<'de> for NodeDe<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let span = self.0.span;
        let result = match &self.0.value {
            Value::Seq(items) => visitor.visit_seq(SeqAccess(items.iter())),
            Value::Map(entries) => visitor.visit_map(MapAccess {
                entries: entries.iter(),
                value: None,
            }),
            Value::Scalar { text, .. } => match self.0.resolve() {
                Some(Resolved::Null) => visitor.visit_unit(),
                Some(Resolved::Bool(b)) => visitor.visit_bool(b),
                Some(Resolved::Int(n)) => visitor.visit_i64(n),
                Some(Resolved::Float(f)) => visitor.visit_f64(f),
                _ => visitor.visit_borrowed_str(text),
            },
        };
        result.map_err(|e: DeError| e.at(span))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let span = self.0.span;
        match self.0.resolve() {
            Some(Resolved::Null) => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
        .map_err(|e: DeError| e.at(span))
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let span = self.0.span;
        // Any non-null scalar reads as a string: `title: 404` is the title "404".
        match (self.0.resolve(), self.scalar_text()) {
            (Some(Resolved::Null), _) | (None, _) | (_, None) => {
                Err(de::Error::invalid_type(self.unexpected(), &visitor))
            }
            (Some(_), Some(text)) => visitor.visit_borrowed_str(text),
        }
        .map_err(|e: DeError| e.at(span))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let span = self.0.span;
        match self.0.resolve() {
            Some(Resolved::Bool(b)) => visitor.visit_bool(b),
            _ => Err(de::Error::invalid_type(self.unexpected(), &visitor)),
        }
        .map_err(|e: DeError| e.at(span))
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let span = self.0.span;
        match self.0.resolve() {
            Some(Resolved::Null) => visitor.visit_unit(),
            _ => Err(de::Error::invalid_type(self.unexpected(), &visitor)),
        }
        .map_err(|e: DeError| e.at(span))
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let span = self.0.span;
        visitor
            .visit_newtype_struct(self)
            .map_err(|e: DeError| e.at(span))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let span = self.0.span;
        match (self.0.resolve(), self.scalar_text()) {
            (Some(Resolved::Null) | None, _) | (_, None) => {
                Err(de::Error::invalid_type(self.unexpected(), &visitor))
            }
            (Some(_), Some(text)) => {
                let de = de::value::BorrowedStrDeserializer::<DeError>::new(text);
                visitor.visit_enum(de)
            }
        }
        .map_err(|e: DeError| e.at(span))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    forward_to_any! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64 deserialize_char deserialize_bytes deserialize_byte_buf
        deserialize_seq deserialize_map
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_any(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_any(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_any(visitor)
    }
}

struct SeqAccess<'de>(std::slice::Iter<'de, Node>);

impl<'de> de::SeqAccess<'de> for SeqAccess<'de> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        self.0
            .next()
            .map(|node| seed.deserialize(NodeDe(node)))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct MapAccess<'de> {
    entries: std::slice::Iter<'de, (Node, Node)>,
    value: Option<&'de Node>,
}

impl<'de> de::MapAccess<'de> for MapAccess<'de> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        match self.entries.next() {
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(NodeDe(key)).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let value = self
            .value
            .take()
            .ok_or_else(|| <DeError as de::Error>::custom("value requested before its key"))?;
        seed.deserialize(NodeDe(value))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Item {
        title: String,
        #[serde(default)]
        done: bool,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        title: String,
        tier: Option<u8>,
        #[serde(default)]
        items: Vec<Item>,
    }

    fn text_at<'t>(text: &'t str, err: &DeError) -> &'t str {
        &text[err.span.unwrap().range()]
    }

    #[test]
    fn reads_typed_values() {
        let node = parse(
            "title: 404\ntier: 2\nitems:\n  - title: a\n    done: true\n",
            0,
        )
        .unwrap()
        .unwrap();
        let doc: Doc = from_node(&node).unwrap();
        assert_eq!(doc.title, "404");
        assert_eq!(doc.tier, Some(2));
        assert!(doc.items[0].done);
    }

    #[test]
    fn nested_errors_point_at_the_innermost_value() {
        let text = "title: x\nitems:\n  - title: a\n    done: maybe\n";
        let node = parse(text, 0).unwrap().unwrap();
        let err = from_node::<Doc>(&node).unwrap_err();
        assert_eq!(text_at(text, &err), "maybe");
        assert_eq!(err.to_string(), "expected a boolean, found `maybe`");
    }

    #[test]
    fn unknown_fields_point_at_the_key() {
        let text = "title: x\nitems:\n  - titel: a\n";
        let node = parse(text, 0).unwrap().unwrap();
        let err = from_node::<Doc>(&node).unwrap_err();
        assert_eq!(text_at(text, &err), "titel");
        assert!(
            matches!(err.kind, DeErrorKind::UnknownField { ref field, expected }
            if field == "titel" && expected == ["title", "done"])
        );
    }

    #[test]
    fn integer_out_of_range_is_an_error() {
        let text = "title: x\ntier: 300\n";
        let node = parse(text, 0).unwrap().unwrap();
        let err = from_node::<Doc>(&node).unwrap_err();
        assert_eq!(text_at(text, &err), "300");
        assert_eq!(
            err.to_string(),
            "expected a whole number from 0 to 255, found the number 300"
        );
    }

    #[test]
    fn missing_field_points_at_the_mapping() {
        let text = "tier: 1\n";
        let node = parse(text, 0).unwrap().unwrap();
        let err = from_node::<Doc>(&node).unwrap_err();
        assert_eq!(err.kind, DeErrorKind::MissingField("title"));
        assert_eq!(err.span, Some(node.span));
    }
}
