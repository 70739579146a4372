//! The one place where YAML is parsed.
//!
//! Frontmatter and `handbook.yaml` are parsed (and Prometheus rule files, several
//! documents to a file, by [`parse_stream`]) into a [`Node`] tree in which every value
//! carries its byte [`Span`] in the source file, so that every diagnostic can point at the
//! offending key or value. Typed structs are then deserialized from that tree with serde
//! (see [`from_node`]); errors carry the span of the innermost node that failed.
//!
//! We use `yaml-rust2`'s event parser rather than `serde_yaml` because the latter is
//! unmaintained and exposes no positions for values. The YAML 1.2 core schema applies
//! (`yes`/`no`/`on` are strings). Aliases are rejected: frontmatter has no use for them,
//! and refusing them rules out "billion laughs" expansion bombs.

mod de;
mod stream;

pub use de::{DeError, DeErrorKind, from_node};
pub use stream::{Stream, parse_stream};

use crate::span::Span;
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// A YAML value with the span it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Where the value stands in the file (byte offsets).
    pub span: Span,
    /// The value.
    pub value: Value,
}

/// A YAML value. Scalars keep their text; their type is resolved when read.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A scalar as written, and whether it was quoted (quoted scalars are always strings).
    Scalar {
        /// The scalar's text after unescaping.
        text: String,
        /// `true` for plain (unquoted, non-block) scalars.
        plain: bool,
    },
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping in source order; keys are nodes so that they keep their spans.
    Map(Vec<(Node, Node)>),
}

/// What a scalar resolves to under the YAML 1.2 core schema.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Resolved<'a> {
    /// `null`, `~` or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A floating point number.
    Float(f64),
    /// Anything else.
    Str(&'a str),
}

impl Node {
    /// The scalar text of this node, if it is a scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// The entries of this node, if it is a mapping.
    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The items of this node, if it is a sequence.
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The entry of a mapping whose key is `key`: `(key node, value node)`.
    pub fn entry(&self, key: &str) -> Option<(&Node, &Node)> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(k, v)| (k, v))
    }

    /// The value of a mapping's `key`.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// Follows a path of mapping keys and sequence indexes, e.g. `["action_items", "2", "owner"]`.
    pub fn at<'n>(&'n self, path: &[&str]) -> Option<&'n Node> {
        let mut node = self;
        for step in path {
            node = match &node.value {
                Value::Map(_) => node.get(step)?,
                Value::Seq(items) => items.get(step.parse::<usize>().ok()?)?,
                Value::Scalar { .. } => return None,
            };
        }
        Some(node)
    }

    /// Resolves a scalar's type (YAML 1.2 core schema); `None` for collections.
    pub fn resolve(&self) -> Option<Resolved<'_>> {
        match &self.value {
            Value::Scalar { text, plain: false } => Some(Resolved::Str(text)),
            Value::Scalar { text, plain: true } => Some(resolve_plain(text)),
            _ => None,
        }
    }

    /// A short name of the node's type, for messages ("a string", "a list", ...).
    pub fn type_name(&self) -> &'static str {
        match self.resolve() {
            None if matches!(self.value, Value::Seq(_)) => "a list",
            None => "a mapping",
            Some(Resolved::Null) => "nothing (null)",
            Some(Resolved::Bool(_)) => "a boolean",
            Some(Resolved::Int(_)) => "an integer",
            Some(Resolved::Float(_)) => "a number",
            Some(Resolved::Str(_)) => "a string",
        }
    }
}

fn resolve_plain(text: &str) -> Resolved<'_> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Resolved::Null,
        "true" | "True" | "TRUE" => return Resolved::Bool(true),
        "false" | "False" | "FALSE" => return Resolved::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Resolved::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Resolved::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Resolved::Float(f64::NAN),
        _ => {}
    }
    let first = text.as_bytes()[0];
    if !(first.is_ascii_digit() || first == b'-' || first == b'+' || first == b'.') {
        return Resolved::Str(text);
    }
    if let Some(hex) = text.strip_prefix("0x") {
        if let Ok(n) = i64::from_str_radix(hex, 16) {
            return Resolved::Int(n);
        }
    } else if let Some(oct) = text.strip_prefix("0o") {
        if let Ok(n) = i64::from_str_radix(oct, 8) {
            return Resolved::Int(n);
        }
    } else if let Ok(n) = text.parse::<i64>() {
        return Resolved::Int(n);
    } else if is_core_float(text) {
        if let Ok(f) = text.parse::<f64>() {
            return Resolved::Float(f);
        }
    }
    Resolved::Str(text)
}

/// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
fn is_core_float(text: &str) -> bool {
    let s = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match frac {
        Some(f) => digits(int) && digits(f) && !(int.is_empty() && f.is_empty()),
        None => !int.is_empty() && digits(int),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

/// Why a YAML text could not be turned into a [`Node`] tree.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParseError {
    /// The text is not valid YAML.
    #[error("{message}")]
    Syntax {
        /// The parser's message, without its position.
        message: String,
        /// Where the parser stopped.
        span: Span,
    },
    /// A key appears twice in one mapping.
    #[error("duplicate key `{key}`")]
    DuplicateKey {
        /// The key.
        key: String,
        /// The second occurrence.
        span: Span,
        /// The first occurrence.
        first: Span,
    },
    /// An alias (`*name`) was used.
    #[error("YAML aliases (`*name`) are not supported")]
    Alias {
        /// The alias.
        span: Span,
    },
    /// The text holds more than one YAML document.
    #[error("more than one YAML document")]
    MultipleDocuments {
        /// The start of the second document.
        span: Span,
    },
    /// Nesting deeper than [`MAX_DEPTH`].
    #[error("YAML nested deeper than {MAX_DEPTH} levels")]
    TooDeep {
        /// The collection that went too deep.
        span: Span,
    },
}

impl ParseError {
    /// Where the error is.
    pub fn span(&self) -> Span {
        match self {
            ParseError::Syntax { span, .. }
            | ParseError::DuplicateKey { span, .. }
            | ParseError::Alias { span }
            | ParseError::MultipleDocuments { span }
            | ParseError::TooDeep { span } => *span,
        }
    }
}

/// How deep collections may nest; deeper input is refused rather than risking the stack.
pub const MAX_DEPTH: usize = 64;

/// Parses `text` (which starts at byte `base` of its file) into a tree.
/// An empty text gives `Ok(None)`.
///
/// ```
/// use opsbook_core::yaml::parse;
/// let node = parse("title: Hello\ntier: 2\n", 4).unwrap().unwrap();
/// assert_eq!(node.get("title").unwrap().as_str(), Some("Hello"));
/// assert_eq!(node.get("tier").unwrap().span.start, 4 + 19);
/// ```
pub fn parse(text: &str, base: usize) -> Result<Option<Node>, ParseError> {
    let offsets = Offsets::new(text, base);
    let mut parser = Parser::new_from_str(text);
    let mut builder = Builder {
        text,
        offsets: &offsets,
        stack: Vec::new(),
        root: None,
        documents: 0,
    };
    loop {
        let (event, mark) = parser.next_token().map_err(|e| ParseError::Syntax {
            message: clean_scan_message(e.info()),
            span: offsets.point(e.marker()),
        })?;
        if event == Event::StreamEnd {
            break;
        }
        builder.event(event, mark)?;
    }
    Ok(builder.root)
}

fn clean_scan_message(info: &str) -> String {
    // yaml-rust2 phrases its messages for parser authors; keep them, minus trailing periods.
    info.trim_end_matches('.').to_string()
}

/// Converts the parser's character indexes into byte offsets of the file.
struct Offsets {
    base: usize,
    /// Byte offset of each character; empty when the text is ASCII (index == offset).
    chars: Vec<usize>,
    len: usize,
}

impl Offsets {
    fn new(text: &str, base: usize) -> Offsets {
        let chars = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices().map(|(i, _)| i).collect()
        };
        Offsets {
            base,
            chars,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        let local = if self.chars.is_empty() {
            char_index.min(self.len)
        } else {
            self.chars.get(char_index).copied().unwrap_or(self.len)
        };
        self.base + local
    }

    fn point(&self, mark: &Marker) -> Span {
        let at = self.byte(mark.index());
        Span::new(at, at)
    }
}

enum Frame {
    Seq(Span, Vec<Node>),
    Map(Span, Vec<(Node, Node)>, Option<Node>),
}

struct Builder<'a> {
    text: &'a str,
    offsets: &'a Offsets,
    stack: Vec<Frame>,
    root: Option<Node>,
    documents: usize,
}

impl Builder<'_> {
    fn event(&mut self, event: Event, mark: Marker) -> Result<(), ParseError> {
        let start = self.offsets.byte(mark.index());
        match event {
            Event::DocumentStart => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(ParseError::MultipleDocuments {
                        span: Span::new(start, start + 3),
                    });
                }
            }
            Event::Alias(_) => {
                return Err(ParseError::Alias {
                    span: Span::new(start, self.token_end(start)),
                });
            }
            Event::Scalar(mut text, style, _, _) => {
                let end = self.scalar_end(start, style, &text);
                // Trees are kept for the whole run (spans for diagnostics): drop the
                // scanner's spare capacity, a quarter of a loaded handbook's YAML memory.
                text.shrink_to_fit();
                let plain = style == TScalarStyle::Plain;
                self.push(Node {
                    span: Span::new(start, end),
                    value: Value::Scalar { text, plain },
                })?;
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if self.stack.len() >= MAX_DEPTH {
                    return Err(ParseError::TooDeep {
                        span: Span::new(start, start + 1),
                    });
                }
                let span = Span::new(start, start);
                self.stack.push(match event {
                    Event::SequenceStart(..) => Frame::Seq(span, Vec::new()),
                    _ => Frame::Map(span, Vec::new(), None),
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let node = match self.stack.pop() {
                    Some(Frame::Seq(span, mut items)) => {
                        items.shrink_to_fit();
                        let end = items.last().map_or(span.end, |n| n.span.end);
                        Node {
                            span: Span::new(span.start, end),
                            value: Value::Seq(items),
                        }
                    }
                    Some(Frame::Map(span, mut entries, _)) => {
                        entries.shrink_to_fit();
                        let end = entries.last().map_or(span.end, |(_, v)| v.span.end);
                        // The parser marks a block mapping at its first `:`; start at the key.
                        let start = entries
                            .first()
                            .map_or(span.start, |(k, _)| k.span.start.min(span.start));
                        Node {
                            span: Span::new(start, end),
                            value: Value::Map(entries),
                        }
                    }
                    None => return Ok(()),
                };
                self.push(node)?;
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
        }
        Ok(())
    }

    fn push(&mut self, node: Node) -> Result<(), ParseError> {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq(_, items)) => items.push(node),
            Some(Frame::Map(_, entries, pending)) => match pending.take() {
                None => {
                    if let Some(key) = node.as_str() {
                        if let Some((first, _)) =
                            entries.iter().find(|(k, _)| k.as_str() == Some(key))
                        {
                            return Err(ParseError::DuplicateKey {
                                key: key.to_string(),
                                span: node.span,
                                first: first.span,
                            });
                        }
                    }
                    *pending = Some(node);
                }
                Some(key) => entries.push((key, node)),
            },
        }
        Ok(())
    }

    fn local(&self, at: usize) -> usize {
        at - self.offsets.base
    }

    /// The end of a scalar in the source: the parser only reports where it starts.
    fn scalar_end(&self, start: usize, style: TScalarStyle, value: &str) -> usize {
        let rest = &self.text[self.local(start).min(self.text.len())..];
        let len = match style {
            TScalarStyle::Plain => {
                if rest.starts_with(value) {
                    value.len()
                } else {
                    // A multi-line plain scalar: underline its first line.
                    rest.find(['\n', '#']).unwrap_or(rest.len())
                }
            }
            TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted => {
                let quote = if style == TScalarStyle::SingleQuoted {
                    '\''
                } else {
                    '"'
                };
                quoted_len(rest, quote)
            }
            // Block scalars: underline the indicator line.
            TScalarStyle::Literal | TScalarStyle::Folded => rest.find('\n').unwrap_or(rest.len()),
        };
        start + len
    }

    fn token_end(&self, start: usize) -> usize {
        let rest = &self.text[self.local(start).min(self.text.len())..];
        start
            + rest
                .find(|c: char| c.is_whitespace() || c == ',' || c == ']' || c == '}')
                .unwrap_or(rest.len())
    }
}

/// Length of a quoted scalar including its quotes, or of its first line when unterminated.
fn quoted_len(rest: &str, quote: char) -> usize {
    let mut chars = rest.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        if c == '\\' && quote == '"' {
            chars.next();
        } else if c == quote {
            if quote == '\'' && rest[i + 1..].starts_with('\'') {
                chars.next();
                continue;
            }
            return i + 1;
        }
    }
    rest.find('\n').unwrap_or(rest.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Node {
        parse(text, 0).unwrap().unwrap()
    }

    #[test]
    fn spans_point_at_values() {
        let text = "title: \"Hello\"\nitems:\n  - one\n  - 'two'\n";
        let node = parse_ok(text);
        let title = node.get("title").unwrap();
        assert_eq!(&text[title.span.range()], "\"Hello\"");
        let two = node.at(&["items", "1"]).unwrap();
        assert_eq!(&text[two.span.range()], "'two'");
        let (key, _) = node.entry("items").unwrap();
        assert_eq!(&text[key.span.range()], "items");
    }

    #[test]
    fn spans_are_bytes_after_multibyte_text() {
        let text = "title: \"Café ☕\"\nowner: sre\n";
        let node = parse_ok(text);
        assert_eq!(&text[node.get("owner").unwrap().span.range()], "sre");
    }

    #[test]
    fn core_schema_resolution() {
        let node = parse_ok("a: yes\nb: 12\nc: 1.5\nd: ~\ne: '12'\nf: true\ng: 0x1F\nh: 1e3\n");
        assert_eq!(node.get("a").unwrap().resolve(), Some(Resolved::Str("yes")));
        assert_eq!(node.get("b").unwrap().resolve(), Some(Resolved::Int(12)));
        assert_eq!(node.get("c").unwrap().resolve(), Some(Resolved::Float(1.5)));
        assert_eq!(node.get("d").unwrap().resolve(), Some(Resolved::Null));
        assert_eq!(node.get("e").unwrap().resolve(), Some(Resolved::Str("12")));
        assert_eq!(node.get("f").unwrap().resolve(), Some(Resolved::Bool(true)));
        assert_eq!(node.get("g").unwrap().resolve(), Some(Resolved::Int(31)));
        assert_eq!(
            node.get("h").unwrap().resolve(),
            Some(Resolved::Float(1000.0))
        );
    }

    #[test]
    fn duplicate_keys_are_refused() {
        let err = parse("a: 1\nb: 2\na: 3\n", 0).unwrap_err();
        assert_eq!(
            err,
            ParseError::DuplicateKey {
                key: "a".into(),
                span: Span::new(10, 11),
                first: Span::new(0, 1)
            }
        );
    }

    #[test]
    fn aliases_are_refused() {
        let err = parse("a: &x [1, 2]\nb: *x\n", 0).unwrap_err();
        assert!(matches!(err, ParseError::Alias { span } if span == Span::new(16, 18)));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(matches!(parse(&text, 0), Err(ParseError::TooDeep { .. })));
    }

    #[test]
    fn syntax_errors_have_a_position() {
        let err = parse("a: [1, 2\nb: 3\n", 10).unwrap_err();
        assert!(matches!(err, ParseError::Syntax { .. }));
        assert!(err.span().start >= 10);
    }

    #[test]
    fn empty_text_is_none() {
        assert_eq!(parse("", 0).unwrap(), None);
        assert_eq!(parse("# only a comment\n", 0).unwrap(), None);
    }
}
