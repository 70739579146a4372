//! Splitting a document into frontmatter and body, and reading typed frontmatter strictly.

use crate::diagnostic::Diagnostic;
use crate::rules::Rule;
use crate::span::Span;
use crate::suggest::did_you_mean;
use crate::yaml::{self, DeErrorKind, Node, ParseError, Value};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;

/// A document cut at its frontmatter fences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences.
    pub yaml: &'a str,
    /// Where the YAML starts in the file.
    pub yaml_start: usize,
    /// The markdown after the closing fence.
    pub body: &'a str,
    /// Where the body starts in the file.
    pub body_start: usize,
}

/// Cuts `text` (without its byte-order mark, which starts at `base`) at its fences.
pub fn split<'a>(text: &'a str, base: usize, file: &str) -> Result<Split<'a>, Diagnostic> {
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let first_line = &text[..first_line_end];
    if first_line.trim_end() != "---" {
        let span = Span::new(base, base + first_line.trim_end().len());
        let later = text.lines().skip(1).position(|l| l.trim_end() == "---");
        let help = match later {
            Some(_) if !first_line.trim().is_empty() || text.starts_with(['\n', '\r']) => {
                "the frontmatter must start on the very first line: move the `---` block to the top of the file"
            }
            _ => {
                "start the file with a frontmatter block: a `---` line, YAML keys such as `title: …`, and a closing `---` line"
            }
        };
        return Err(Diagnostic::new(
            Rule::MissingFrontmatter,
            file,
            span,
            "the document does not start with a `---` frontmatter block",
        )
        .with_help(help));
    }
    let mut offset = first_line_end;
    for line in text[first_line_end..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Ok(Split {
                yaml: &text[first_line_end..offset],
                yaml_start: base + first_line_end,
                body: &text[offset + line.len()..],
                body_start: base + offset + line.len(),
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::new(
        Rule::UnterminatedFrontmatter,
        file,
        Span::new(base, base + 3),
        "the frontmatter block opened here is never closed",
    )
    .with_help("add a line `---` after the last frontmatter key"))
}

/// Parses YAML into a tree, turning parser errors into diagnostics.
pub fn parse_yaml(text: &str, base: usize, file: &str) -> Result<Option<Node>, Diagnostic> {
    yaml::parse(text, base).map_err(|e| {
        let (rule, help) = match &e {
            ParseError::Syntax { message, .. } => (Rule::YamlSyntax, syntax_help(message)),
            ParseError::DuplicateKey { .. } => (
                Rule::DuplicateKey,
                Some("remove one of the two; YAML keeps only one of them".to_string()),
            ),
            ParseError::Alias { .. } => (
                Rule::YamlAlias,
                Some("write the value out instead of referring to an anchor".to_string()),
            ),
            ParseError::MultipleDocuments { .. } => (
                Rule::YamlSyntax,
                Some(
                    "frontmatter is one YAML document: remove the `...` or `---` line inside it"
                        .to_string(),
                ),
            ),
            ParseError::TooDeep { .. } => (Rule::YamlSyntax, None),
        };
        let message = match &e {
            ParseError::Syntax { message, .. } => format!("invalid YAML: {message}"),
            other => other.to_string(),
        };
        Diagnostic::new(rule, file, better_span(text, base, &e), message).with_help_opt(help)
    })
}

/// Moves a few parser positions to where a person looks: the tab itself, or the line
/// that ended the document.
fn better_span(text: &str, base: usize, error: &ParseError) -> Span {
    let span = error.span();
    let local = span.start.saturating_sub(base).min(text.len());
    let line_start = text[..local].rfind('\n').map_or(0, |i| i + 1);
    match error {
        ParseError::Syntax { message, .. } if message.contains("tab") => {
            let line_end = text[line_start..]
                .find('\n')
                .map_or(text.len(), |i| line_start + i);
            match text[line_start..line_end].find('\t') {
                Some(i) => Span::new(base + line_start + i, base + line_start + i + 1),
                None => span,
            }
        }
        ParseError::MultipleDocuments { .. } => {
            let mut offset = 0;
            for line in text[..line_start].split_inclusive('\n') {
                let trimmed = line.trim_end();
                if trimmed == "..." || trimmed == "---" {
                    return Span::new(base + offset, base + offset + 3);
                }
                offset += line.len();
            }
            span
        }
        _ => span,
    }
}

fn syntax_help(message: &str) -> Option<String> {
    if message.contains("tab") {
        Some("indent YAML with spaces; tabs are not allowed for indentation".to_string())
    } else if message.contains("mapping values are not allowed") {
        Some("quote the value: it contains `: `, which YAML reads as a new key".to_string())
    } else if message.contains("did not find expected")
        || message.contains("unclosed")
        || message.contains("quoted scalar")
    {
        Some("look for an unclosed quote, bracket or brace just before this point".to_string())
    } else {
        None
    }
}

/// The keys the JSON Schema of `T` marks as required.
pub fn required_keys<T: JsonSchema>() -> Vec<String> {
    let schema = schemars::schema_for!(T);
    schema
        .get("required")
        .and_then(|r| r.as_array())
        .map(|r| {
            r.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Reads `T` from a frontmatter mapping, reporting every problem, not just the first.
///
/// Missing required keys (`required`) are all reported first; then each failing top-level
/// key is reported and left out until the rest reads. Returns `None` when the value
/// cannot be built (a required key is missing or invalid).
pub fn read_typed<T: DeserializeOwned>(
    root: &Node,
    required: &[String],
    what: &str,
    file: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<T> {
    let Some(entries) = root.as_map() else {
        diagnostics.push(
            Diagnostic::new(
                Rule::InvalidValue,
                file,
                root.span,
                format!(
                    "the frontmatter must be a mapping of keys to values, not {}",
                    root.type_name()
                ),
            )
            .with_help("write one `key: value` per line"),
        );
        return None;
    };
    let mut missing = false;
    for key in required {
        if root.get(key).is_none() {
            missing = true;
            diagnostics.push(
                Diagnostic::new(
                    Rule::MissingField,
                    file,
                    Span::new(root.span.start, root.span.start),
                    format!("{what} is missing the required field `{key}`"),
                )
                .with_help(format!("add `{key}: …` to the frontmatter")),
            );
        }
    }
    let mut kept: Option<Vec<(Node, Node)>> = None;
    for _ in 0..=entries.len() {
        let attempt;
        let node = match &kept {
            None => root,
            Some(entries) => {
                attempt = Node {
                    span: root.span,
                    value: Value::Map(entries.clone()),
                };
                &attempt
            }
        };
        let error = match yaml::from_node::<T>(node) {
            Ok(value) if !missing => return Some(value),
            Ok(_) => return None,
            Err(error) => error,
        };
        if let DeErrorKind::MissingField(_) = error.kind {
            // Already reported above, or the key was left out because it is invalid.
            return None;
        }
        let span = error.span.unwrap_or(root.span);
        diagnostics.push(describe(root, &error, span, what, file));
        let entries = kept.get_or_insert_with(|| entries.to_vec());
        let before = entries.len();
        entries.retain(|(k, v)| !k.span.contains(span) && !v.span.contains(span));
        if entries.len() == before {
            return None;
        }
    }
    None
}

fn describe(root: &Node, error: &yaml::DeError, span: Span, what: &str, file: &str) -> Diagnostic {
    match &error.kind {
        DeErrorKind::UnknownField { field, expected } => {
            let place = match path_to(root, span).rsplit_once('.') {
                Some((parent, _)) => format!(" in `{parent}`"),
                None => format!(" for {what}"),
            };
            let help = did_you_mean(field, expected.iter().copied()).unwrap_or_else(|| {
                format!(
                    "allowed fields: {}; put free-form data under `extra:`",
                    expected.join(", ")
                )
            });
            Diagnostic::new(
                Rule::UnknownField,
                file,
                span,
                format!("unknown field `{field}`{place}"),
            )
            .with_help(help)
        }
        DeErrorKind::UnknownVariant { variant, expected } => Diagnostic::new(
            Rule::InvalidValue,
            file,
            span,
            format!("`{}`: {error}", path_to(root, span)),
        )
        .with_help_opt(did_you_mean(variant, expected.iter().copied())),
        DeErrorKind::MissingField(field) => Diagnostic::new(
            Rule::MissingField,
            file,
            span,
            format!(
                "`{}` is missing the required field `{field}`",
                path_to(root, span)
            ),
        )
        .with_help(format!("add `{field}: …`")),
        DeErrorKind::Message(message) => Diagnostic::new(
            Rule::InvalidValue,
            file,
            span,
            format!("`{}`: {message}", path_to(root, span)),
        ),
    }
}

/// The path of the deepest node holding `span`, e.g. `action_items[2].due`.
pub fn path_to(root: &Node, span: Span) -> String {
    let mut path = String::new();
    let mut node = root;
    'descend: loop {
        match &node.value {
            Value::Map(entries) => {
                for (k, v) in entries {
                    if k.span.contains(span) || v.span.contains(span) {
                        if !path.is_empty() {
                            path.push('.');
                        }
                        path.push_str(k.as_str().unwrap_or("?"));
                        if k.span.contains(span) {
                            break 'descend;
                        }
                        node = v;
                        continue 'descend;
                    }
                }
                break;
            }
            Value::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    if item.span.contains(span) {
                        path.push_str(&format!("[{i}]"));
                        node = item;
                        continue 'descend;
                    }
                }
                break;
            }
            Value::Scalar { .. } => break,
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_finds_the_fences() {
        let text = "---\ntitle: x\n---\n# Body\n";
        let s = split(text, 0, "a.md").unwrap();
        assert_eq!(s.yaml, "title: x\n");
        assert_eq!(s.yaml_start, 4);
        assert_eq!(s.body, "# Body\n");
        assert_eq!(&text[s.body_start..], "# Body\n");
    }

    #[test]
    fn split_handles_crlf_and_a_closing_fence_at_eof() {
        let s = split("---\r\ntitle: x\r\n---", 0, "a.md").unwrap();
        assert_eq!(s.yaml, "title: x\r\n");
        assert_eq!(s.body, "");
    }

    #[test]
    fn split_reports_missing_and_unterminated_frontmatter() {
        let d = split("# Title\n", 0, "a.md").unwrap_err();
        assert_eq!(d.rule, Rule::MissingFrontmatter);
        let d = split("\n---\ntitle: x\n---\n", 0, "a.md").unwrap_err();
        assert_eq!(d.rule, Rule::MissingFrontmatter);
        assert!(d.help.unwrap().contains("very first line"));
        let d = split("---\ntitle: x\n", 0, "a.md").unwrap_err();
        assert_eq!(d.rule, Rule::UnterminatedFrontmatter);
        assert_eq!(d.span, Span::new(0, 3));
    }

    #[derive(Debug, serde::Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        title: String,
        done: Option<bool>,
    }

    #[derive(Debug, serde::Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        title: String,
        tier: Option<u8>,
        items: Option<Vec<Item>>,
    }

    #[test]
    fn read_typed_reports_every_problem() {
        let text = "titel: x\ntier: high\nitems:\n  - title: a\n    done: maybe\n";
        let node = yaml::parse(text, 0).unwrap().unwrap();
        let mut diags = Vec::new();
        let doc: Option<Doc> =
            read_typed(&node, &required_keys::<Doc>(), "a doc", "a.md", &mut diags);
        assert!(doc.is_none());
        let got: Vec<_> = diags
            .iter()
            .map(|d| (d.rule.code(), d.message.as_str(), &text[d.span.range()]))
            .collect();
        assert_eq!(
            got,
            [
                ("OB011", "a doc is missing the required field `title`", ""),
                ("OB010", "unknown field `titel` for a doc", "titel"),
                (
                    "OB012",
                    "`tier`: expected a whole number from 0 to 255, found `high`",
                    "high"
                ),
                (
                    "OB012",
                    "`items[0].done`: expected a boolean, found `maybe`",
                    "maybe"
                ),
            ]
        );
        assert_eq!(diags[1].help.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn read_typed_keeps_going_after_an_optional_field_fails() {
        let node = yaml::parse("title: x\ntier: -1\n", 0).unwrap().unwrap();
        let mut diags = Vec::new();
        let doc: Option<Doc> =
            read_typed(&node, &required_keys::<Doc>(), "a doc", "a.md", &mut diags);
        assert_eq!(doc.unwrap().tier, None);
        assert_eq!(diags.len(), 1);
    }
}
