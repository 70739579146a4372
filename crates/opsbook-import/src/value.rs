//! Frontmatter values in one shape, whether read from YAML or from Hugo's TOML, and
//! written back as YAML through yaml-rust2's emitter (which quotes what needs quoting).

use opsbook_core::yaml::{Node, Resolved, Value};
use yaml_rust2::{Yaml, YamlEmitter};

/// A frontmatter value.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// Nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A number with a fraction.
    Float(f64),
    /// Text (TOML dates and times are read as their text).
    Str(String),
    /// A list.
    List(Vec<Val>),
    /// A mapping, in source order.
    Map(Vec<(String, Val)>),
}

impl Val {
    /// Reads a spanned YAML node (YAML 1.2 core schema).
    pub fn from_node(node: &Node) -> Val {
        match &node.value {
            Value::Seq(items) => Val::List(items.iter().map(Val::from_node).collect()),
            Value::Map(entries) => Val::Map(
                entries
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.as_str().unwrap_or_default().to_string(),
                            Val::from_node(v),
                        )
                    })
                    .collect(),
            ),
            Value::Scalar { .. } => match node.resolve() {
                Some(Resolved::Null) | None => Val::Null,
                Some(Resolved::Bool(b)) => Val::Bool(b),
                Some(Resolved::Int(i)) => Val::Int(i),
                Some(Resolved::Float(f)) => Val::Float(f),
                Some(Resolved::Str(s)) => Val::Str(s.to_string()),
            },
        }
    }

    /// Reads a TOML value; dates and times keep the text TOML writes for them.
    pub fn from_toml(value: &toml::Value) -> Val {
        match value {
            toml::Value::String(s) => Val::Str(s.clone()),
            toml::Value::Integer(i) => Val::Int(*i),
            toml::Value::Float(f) => Val::Float(*f),
            toml::Value::Boolean(b) => Val::Bool(*b),
            toml::Value::Datetime(d) => Val::Str(d.to_string()),
            toml::Value::Array(items) => Val::List(items.iter().map(Val::from_toml).collect()),
            toml::Value::Table(table) => Val::Map(
                table
                    .iter()
                    .map(|(k, v)| (k.clone(), Val::from_toml(v)))
                    .collect(),
            ),
        }
    }

    /// The value as one line of text, when it is a scalar other than null.
    pub fn as_text(&self) -> Option<String> {
        match self {
            Val::Str(s) => Some(s.clone()),
            Val::Int(i) => Some(i.to_string()),
            Val::Float(f) => Some(f.to_string()),
            Val::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// The value as a list of texts: a list of scalars, or one scalar.
    pub fn as_texts(&self) -> Option<Vec<String>> {
        match self {
            Val::List(items) => items.iter().map(Val::as_text).collect(),
            other => other.as_text().map(|t| vec![t]),
        }
    }

    /// The value as a YAML tree for the emitter.
    pub fn to_yaml(&self) -> Yaml {
        match self {
            Val::Null => Yaml::Null,
            Val::Bool(b) => Yaml::Boolean(*b),
            Val::Int(i) => Yaml::Integer(*i),
            Val::Float(f) if f.is_nan() => Yaml::Real(".nan".into()),
            Val::Float(f) if f.is_infinite() => {
                Yaml::Real(if *f > 0.0 { ".inf" } else { "-.inf" }.into())
            }
            Val::Float(f) => Yaml::Real(format!("{f:?}")),
            Val::Str(s) => Yaml::String(s.clone()),
            Val::List(items) => Yaml::Array(items.iter().map(Val::to_yaml).collect()),
            Val::Map(entries) => Yaml::Hash(
                entries
                    .iter()
                    .map(|(k, v)| (Yaml::String(k.clone()), v.to_yaml()))
                    .collect(),
            ),
        }
    }

    /// The value as a report shows it: YAML flow style on one line, shortened.
    pub fn show(&self) -> String {
        let text = match self {
            Val::List(items) => format!(
                "[{}]",
                items.iter().map(Val::show).collect::<Vec<_>>().join(", ")
            ),
            Val::Map(entries) => format!(
                "{{{}}}",
                entries
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", v.show()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Val::Null => "null".to_string(),
            scalar => scalar.as_text().unwrap_or_default(),
        };
        shorten(&text, 60)
    }
}

fn shorten(text: &str, max: usize) -> String {
    let one_line = text.replace(['\n', '\r'], " ");
    if one_line.chars().count() <= max {
        return one_line;
    }
    let cut: String = one_line.chars().take(max - 1).collect();
    format!("{cut}…")
}

/// Writes a mapping as a YAML block, without the `---` document marker.
///
/// ```
/// use opsbook_import::value::{Val, emit};
/// let map = vec![
///     ("title".to_string(), Val::Str("Disk full: what now?".into())),
///     ("reviewed".to_string(), Val::Str("2024-03-01".into())),
///     ("tags".to_string(), Val::List(vec![Val::Str("db".into())])),
/// ];
/// assert_eq!(emit(&map), "title: \"Disk full: what now?\"\nreviewed: 2024-03-01\ntags:\n  - db\n");
/// ```
pub fn emit(map: &[(String, Val)]) -> String {
    if map.is_empty() {
        return String::new();
    }
    let yaml = Val::Map(map.to_vec()).to_yaml();
    let mut out = String::new();
    let mut emitter = YamlEmitter::new(&mut out);
    emitter.multiline_strings(true);
    // Writing into a String cannot fail; a failure would be a bug in the emitter.
    if emitter.dump(&yaml).is_err() {
        return String::new();
    }
    let body = out.strip_prefix("---\n").unwrap_or(&out);
    format!("{body}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emitted_yaml_reads_back_to_the_same_values() {
        let map = vec![
            ("a".to_string(), Val::Str("yes".into())),
            ("b".to_string(), Val::Str("12".into())),
            ("c".to_string(), Val::Float(1.0)),
            ("d".to_string(), Val::Str("line one\nline two\n".into())),
            ("e".to_string(), Val::Str("# not a comment".into())),
            (
                "f".to_string(),
                Val::Map(vec![
                    ("weight".into(), Val::Int(10)),
                    ("draft".into(), Val::Bool(false)),
                ]),
            ),
            ("g".to_string(), Val::List(vec![])),
        ];
        let text = emit(&map);
        let node = opsbook_core::yaml::parse(&text, 0).unwrap().unwrap();
        assert_eq!(Val::from_node(&node), Val::Map(map), "{text}");
    }

    #[test]
    fn toml_dates_become_their_text() {
        let table: toml::Table = "lastmod = 2024-03-01T10:00:00+00:00\nweight = 3\n"
            .parse()
            .unwrap();
        assert_eq!(
            Val::from_toml(&table["lastmod"]),
            Val::Str("2024-03-01T10:00:00+00:00".into())
        );
        assert_eq!(Val::from_toml(&table["weight"]), Val::Int(3));
    }
}
