//! A small YAML writer for the documents opsbook-slo writes (OpenSLO, SLA frontmatter):
//! keys in the order given, strings double-quoted with JSON escapes (valid YAML).

use crate::render::{is_identifier, quote};
use std::fmt::Write;

/// A YAML value to write.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Yaml {
    /// A string, always quoted.
    Str(String),
    /// A plain scalar written as is: a number, a boolean, a duration.
    Plain(String),
    /// A mapping, in order.
    Map(Vec<(String, Yaml)>),
    /// A sequence.
    Seq(Vec<Yaml>),
}

impl Yaml {
    /// A string value.
    pub(crate) fn str(text: impl Into<String>) -> Yaml {
        Yaml::Str(text.into())
    }

    /// A number, written as Rust writes an `f64` (shortest form that reads back the same).
    pub(crate) fn num(value: f64) -> Yaml {
        Yaml::Plain(value.to_string())
    }

    /// A mapping from `(key, value)` pairs.
    pub(crate) fn map<K: Into<String>>(pairs: impl IntoIterator<Item = (K, Yaml)>) -> Yaml {
        Yaml::Map(pairs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }
}

/// `value` as a YAML document body (no `---`), ending in a newline.
pub(crate) fn write(value: &Yaml) -> String {
    let mut out = String::new();
    match value {
        Yaml::Map(pairs) => write_map(&mut out, 0, pairs),
        other => {
            let _ = writeln!(out, "{}", inline(other));
        }
    }
    out
}

fn key(text: &str) -> String {
    if is_identifier(text)
        || text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-/.".contains(c))
            && text.starts_with(|c: char| c.is_ascii_alphabetic())
    {
        text.to_string()
    } else {
        quote(text)
    }
}

fn inline(value: &Yaml) -> String {
    match value {
        Yaml::Str(s) => quote(s),
        Yaml::Plain(s) => s.clone(),
        Yaml::Map(p) if p.is_empty() => "{}".into(),
        Yaml::Seq(s) if s.is_empty() => "[]".into(),
        _ => String::new(),
    }
}

fn is_block(value: &Yaml) -> bool {
    matches!(value, Yaml::Map(p) if !p.is_empty()) || matches!(value, Yaml::Seq(s) if !s.is_empty())
}

fn write_map(out: &mut String, indent: usize, pairs: &[(String, Yaml)]) {
    let pad = " ".repeat(indent);
    for (k, v) in pairs {
        if is_block(v) {
            let _ = writeln!(out, "{pad}{}:", key(k));
            write_block(out, indent + 2, v);
        } else {
            let _ = writeln!(out, "{pad}{}: {}", key(k), inline(v));
        }
    }
}

fn write_block(out: &mut String, indent: usize, value: &Yaml) {
    match value {
        Yaml::Map(pairs) => write_map(out, indent, pairs),
        Yaml::Seq(items) => {
            let pad = " ".repeat(indent);
            for item in items {
                if is_block(item) {
                    // `- ` then the item's block, its first line on the dash's line.
                    let mut inner = String::new();
                    write_block(&mut inner, indent + 2, item);
                    let inner = inner.trim_start();
                    let _ = write!(out, "{pad}- {inner}");
                } else {
                    let _ = writeln!(out, "{pad}- {}", inline(item));
                }
            }
        }
        other => {
            let _ = writeln!(out, "{}{}", " ".repeat(indent), inline(other));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_maps_and_lists() {
        let doc = Yaml::map([
            ("kind", Yaml::str("SLO")),
            (
                "spec",
                Yaml::map([
                    ("target", Yaml::num(0.999)),
                    (
                        "timeWindow",
                        Yaml::Seq(vec![Yaml::map([
                            ("duration", Yaml::Plain("30d".into())),
                            ("isRolling", Yaml::Plain("true".into())),
                        ])]),
                    ),
                    ("empty", Yaml::Seq(vec![])),
                ]),
            ),
        ]);
        assert_eq!(
            write(&doc),
            "kind: \"SLO\"\nspec:\n  target: 0.999\n  timeWindow:\n    - duration: 30d\n      isRolling: true\n  empty: []\n"
        );
    }
}
