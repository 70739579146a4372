//! Cutting a markdown file into frontmatter and body: YAML between `---` lines, Hugo's
//! TOML between `+++` lines, or no frontmatter at all.

use crate::value::Val;

/// A markdown file cut at its frontmatter.
#[derive(Debug, Clone, PartialEq)]
pub struct Cut<'a> {
    /// The frontmatter's format, if the file has frontmatter.
    pub format: Option<Format>,
    /// The frontmatter's keys in source order (empty without frontmatter).
    pub keys: Vec<(String, Val)>,
    /// The body, byte for byte as written.
    pub body: &'a str,
}

/// How frontmatter is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `---` fences, YAML.
    Yaml,
    /// `+++` fences, TOML (Hugo).
    Toml,
}

impl Format {
    /// Its name in the report.
    pub fn name(self) -> &'static str {
        match self {
            Format::Yaml => "YAML",
            Format::Toml => "TOML",
        }
    }
}

/// Why frontmatter could not be read; the file is still imported, its frontmatter
/// text kept under `extra`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{format} frontmatter, line {line}: {message}")]
pub struct FrontmatterError {
    /// YAML or TOML.
    pub format: &'static str,
    /// The line in the file.
    pub line: usize,
    /// What is wrong.
    pub message: String,
    /// The frontmatter text as written, so that nothing is lost.
    pub text: String,
}

/// Cuts `text` at its frontmatter.
///
/// ```
/// use opsbook_import::frontmatter::{cut, Format};
/// let cut = cut("+++\ntitle = \"Disk full\"\nweight = 10\n+++\n# Disk full\n").unwrap();
/// assert_eq!(cut.format, Some(Format::Toml));
/// assert_eq!(cut.keys[0].0, "title");
/// assert_eq!(cut.body, "# Disk full\n");
/// ```
pub fn cut(text: &str) -> Result<Cut<'_>, (FrontmatterError, &str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let fence = text[..first_end].trim_end();
    let format = match fence {
        "---" => Format::Yaml,
        "+++" => Format::Toml,
        _ => {
            return Ok(Cut {
                format: None,
                keys: Vec::new(),
                body: text,
            });
        }
    };
    let mut offset = first_end;
    let mut close = None;
    for line in text[first_end..].split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == fence || (format == Format::Yaml && trimmed == "...") {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((inner_end, body_start)) = close else {
        // An opening fence that is never closed: the line is a thematic break, not
        // frontmatter (Hugo and MkDocs read it so too).
        return Ok(Cut {
            format: None,
            keys: Vec::new(),
            body: text,
        });
    };
    let inner = &text[first_end..inner_end];
    let body = &text[body_start..];
    let line_of = |byte: usize| 1 + text[..byte.min(text.len())].matches('\n').count();
    let error = |line, message: String| {
        (
            FrontmatterError {
                format: format.name(),
                line,
                message,
                text: inner.to_string(),
            },
            body,
        )
    };
    let keys = match format {
        Format::Yaml => match opsbook_core::yaml::parse(inner, first_end) {
            Ok(None) => Vec::new(),
            Ok(Some(node)) => match Val::from_node(&node) {
                Val::Map(entries) => entries,
                other => {
                    return Err(error(
                        line_of(node.span.start),
                        format!("expected keys and values, found `{}`", other.show()),
                    ));
                }
            },
            Err(e) => return Err(error(line_of(e.span().start), e.to_string())),
        },
        Format::Toml => match inner.parse::<toml::Table>() {
            Ok(table) => table
                .iter()
                .map(|(k, v)| (k.clone(), Val::from_toml(v)))
                .collect(),
            Err(e) => {
                let line = e.span().map_or(2, |s| line_of(first_end + s.start));
                return Err(error(line, e.message().trim().to_string()));
            }
        },
    };
    Ok(Cut {
        format: Some(format),
        keys,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_toml_and_none() {
        let yaml = cut("---\ntitle: A\ntags: [x]\n---\nbody\n").unwrap();
        assert_eq!(yaml.format, Some(Format::Yaml));
        assert_eq!(yaml.keys.len(), 2);
        assert_eq!(yaml.body, "body\n");
        let none = cut("# Title\n\n---\n\ntext\n").unwrap();
        assert_eq!((none.format, none.body), (None, "# Title\n\n---\n\ntext\n"));
    }

    #[test]
    fn broken_frontmatter_names_the_line_and_keeps_the_text() {
        let (e, body) = cut("---\ntitle: A\ntitle: B\n---\nbody\n").unwrap_err();
        assert_eq!(
            (e.line, e.text.as_str(), body),
            (3, "title: A\ntitle: B\n", "body\n")
        );
        let (e, _) = cut("+++\ntitle = \n+++\n").unwrap_err();
        assert_eq!((e.format, e.line), ("TOML", 2));
    }
}
