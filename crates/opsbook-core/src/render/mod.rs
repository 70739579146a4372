//! Printers of diagnostics, one per output format, each in its own module.

mod github;
mod gitlab;
mod human;
mod json;
mod junit;
mod sarif;

use crate::diagnostic::{Diagnostic, Summary};
use crate::handbook::Handbook;
use crate::span::{LineCol, LineIndex};
use std::collections::HashMap;
use std::str::FromStr;

/// An output format of `opsbook check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For people: colored, with a source excerpt.
    Human,
    /// A documented, stable JSON structure.
    Json,
    /// GitHub Actions workflow annotations.
    Github,
    /// GitLab code-quality report.
    Gitlab,
    /// JUnit XML.
    Junit,
    /// SARIF 2.1.0.
    Sarif,
}

impl Format {
    /// Every format's name.
    pub const NAMES: [&'static str; 6] = ["human", "json", "github", "gitlab", "junit", "sarif"];
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Format, String> {
        Ok(match s {
            "human" => Format::Human,
            "json" => Format::Json,
            "github" => Format::Github,
            "gitlab" => Format::Gitlab,
            "junit" => Format::Junit,
            "sarif" => Format::Sarif,
            other => return Err(format!("unknown format `{other}`")),
        })
    }
}

/// A diagnostic with its line and column resolved: what printers read, computed as they
/// print (it borrows the [`Diagnostic`], never copies its text).
#[derive(Debug, Clone)]
pub struct Located<'a> {
    /// The diagnostic.
    pub diagnostic: &'a Diagnostic,
    /// The file as printed (with the report's prefix).
    pub path: String,
    /// Where it starts.
    pub start: LineCol,
    /// Where it ends.
    pub end: LineCol,
}

/// Everything a printer needs.
pub struct Report<'a> {
    /// The findings, sorted.
    pub diagnostics: &'a [Diagnostic],
    /// The files that were checked, relative to the handbook root.
    pub files: Vec<&'a str>,
    /// Printed before every file path, e.g. `content-example/`.
    pub prefix: String,
    /// Whether to use ANSI colors (human format only).
    pub color: bool,
    /// Whether to end with a summary line (human format only).
    pub summary_line: bool,
    texts: HashMap<&'a str, &'a str>,
}

impl<'a> Report<'a> {
    /// A report over `handbook`'s files.
    pub fn new(
        handbook: &'a Handbook,
        diagnostics: &'a [Diagnostic],
        prefix: String,
    ) -> Report<'a> {
        Report {
            diagnostics,
            files: handbook.files.iter().map(|f| f.path.as_str()).collect(),
            prefix,
            color: false,
            summary_line: true,
            texts: handbook
                .files
                .iter()
                .map(|f| (f.path.as_str(), f.text.as_str()))
                .collect(),
        }
    }

    /// The text of a file.
    pub fn text(&self, path: &str) -> Option<&'a str> {
        self.texts.get(path).copied()
    }

    /// The counts of errors and warnings.
    pub fn summary(&self) -> Summary {
        Summary::of(self.diagnostics)
    }

    /// The diagnostics with lines and columns.
    pub fn located(&self) -> Vec<Located<'a>> {
        let mut indexes: HashMap<&str, LineIndex> = HashMap::new();
        self.diagnostics
            .iter()
            .map(|d| {
                let (start, end) = match self.text(&d.file) {
                    Some(text) => {
                        let index = indexes
                            .entry(&d.file)
                            .or_insert_with(|| LineIndex::new(text));
                        (
                            line_col(index, text, d.span.start),
                            line_col(index, text, d.span.end),
                        )
                    }
                    None => {
                        let one = LineCol { line: 1, column: 1 };
                        (one, one)
                    }
                };
                Located {
                    diagnostic: d,
                    path: format!("{}{}", self.prefix, d.file),
                    start,
                    end,
                }
            })
            .collect()
    }

    /// One diagnostic with its line and column, for a printer that shows only some of them
    /// (`serve`'s overlay lists the first few).
    pub fn locate(&self, diagnostic: &'a Diagnostic) -> Located<'a> {
        let (start, end) = match self.text(&diagnostic.file) {
            Some(text) => {
                let index = LineIndex::new(text);
                (
                    line_col(&index, text, diagnostic.span.start),
                    line_col(&index, text, diagnostic.span.end),
                )
            }
            None => {
                let one = LineCol { line: 1, column: 1 };
                (one, one)
            }
        };
        Located {
            diagnostic,
            path: format!("{}{}", self.prefix, diagnostic.file),
            start,
            end,
        }
    }

    /// Renders the report in `format`.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Human => human::render(self),
            Format::Json => json::render(self),
            Format::Github => github::render(self),
            Format::Gitlab => gitlab::render(self),
            Format::Junit => junit::render(self),
            Format::Sarif => sarif::render(self),
        }
    }
}

/// Line and column of `offset`, not counting a byte-order mark as a column: editors do
/// not show it, and their column 1 is the first character after it.
fn line_col(index: &LineIndex, text: &str, offset: usize) -> LineCol {
    let mut at = index.line_col(text, offset);
    if at.line == 1 && at.column > 1 && text.starts_with(BOM) {
        at.column -= 1;
    }
    at
}

/// The byte-order mark, which a file may start with.
pub(crate) const BOM: char = '\u{feff}';

/// "1 error", "2 warnings".
pub(crate) fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handbook::SourceFile;
    use crate::rules::Rule;
    use crate::span::Span;

    #[test]
    fn locating_one_diagnostic_equals_locating_them_all() {
        let text = "\u{feff}---\ntitle: x\nservice: logn\n---\n";
        let mut handbook = Handbook::default();
        handbook.files.push(SourceFile {
            path: "runbooks/a.md".into(),
            text: text.into(),
        });
        let at = text.find("logn").unwrap();
        let diagnostics = vec![
            Diagnostic::new(
                Rule::UnknownReference,
                "runbooks/a.md",
                Span::new(at, at + 4),
                "m",
            ),
            Diagnostic::new(
                Rule::UnknownReference,
                "runbooks/a.md",
                Span::new(3, 6),
                "first line",
            ),
            Diagnostic::new(
                Rule::UnknownReference,
                "gone.md",
                Span::new(5, 9),
                "no text",
            ),
        ];
        let report = Report::new(&handbook, &diagnostics, "hb/".into());
        let all = report.located();
        for (d, l) in diagnostics.iter().zip(&all) {
            let one = report.locate(d);
            assert_eq!(
                (one.path.as_str(), one.start, one.end),
                (l.path.as_str(), l.start, l.end)
            );
        }
        assert_eq!(
            all[0].start,
            LineCol {
                line: 3,
                column: 10
            }
        );
        assert_eq!(
            all[1].start,
            LineCol { line: 1, column: 1 },
            "the BOM is no column"
        );
        assert_eq!(all[2].path, "hb/gone.md");
    }
}
