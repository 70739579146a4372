//! The human format: the message, the place, the source line with a caret, the help.
//!
//! ```text
//! error[OB201]: unknown service `logn`
//!   --> runbooks/login.md:3:10
//!    |
//!  3 | service: logn
//!    |          ^^^^
//!    = help: did you mean `login`?
//! ```

use super::{Report, plural};
use crate::diagnostic::Level;
use anstyle::{AnsiColor, Style};

struct Styles {
    error: Style,
    warning: Style,
    gutter: Style,
    bold: Style,
}

impl Styles {
    fn new(color: bool) -> Styles {
        if !color {
            let plain = Style::new();
            return Styles {
                error: plain,
                warning: plain,
                gutter: plain,
                bold: plain,
            };
        }
        Styles {
            error: AnsiColor::Red.on_default().bold(),
            warning: AnsiColor::Yellow.on_default().bold(),
            gutter: AnsiColor::Blue.on_default().bold(),
            bold: Style::new().bold(),
        }
    }
}

fn paint(style: Style, text: &str) -> String {
    format!("{}{text}{}", style.render(), style.render_reset())
}

pub(super) fn render(report: &Report<'_>) -> String {
    let styles = Styles::new(report.color);
    let mut out = String::new();
    for l in report.located() {
        let d = l.diagnostic;
        let level_style = match d.level {
            Level::Error => styles.error,
            Level::Warning => styles.warning,
        };
        out.push_str(&paint(
            level_style,
            &format!("{}[{}]", d.level, d.rule.code()),
        ));
        out.push_str(&paint(styles.bold, &format!(": {}", d.message)));
        out.push('\n');
        let number = l.start.line.to_string();
        let pad = " ".repeat(number.len());
        out.push_str(&format!(
            "{pad}{} {}:{}:{}\n",
            paint(styles.gutter, "-->"),
            l.path,
            l.start.line,
            l.start.column
        ));
        if let Some(text) = report.text(&d.file).filter(|t| !t.is_empty()) {
            let index = crate::span::LineIndex::new(text);
            let line = index.line_range(text, l.start.line - 1);
            let mut source = &text[line.clone()];
            if l.start.line == 1 {
                // Columns do not count a byte-order mark (see `Report::located`).
                source = source.strip_prefix(super::BOM).unwrap_or(source);
            }
            let source = source.replace('\t', " ");
            // Long lines (minified data, a 10 MB line) are cut around the caret.
            let (shown, skip) = excerpt(&source, l.start.column - 1);
            let width = if l.end.line == l.start.line {
                l.end.column.saturating_sub(l.start.column).max(1)
            } else {
                source
                    .chars()
                    .count()
                    .saturating_sub(l.start.column - 1)
                    .max(1)
            };
            let width = width.min(
                shown
                    .chars()
                    .count()
                    .saturating_sub(l.start.column - 1 - skip)
                    .max(1),
            );
            out.push_str(&format!("{pad} {}\n", paint(styles.gutter, "|")));
            out.push_str(&format!(
                "{} {shown}\n",
                paint(styles.gutter, &format!("{number} |"))
            ));
            out.push_str(&format!(
                "{pad} {} {}{}\n",
                paint(styles.gutter, "|"),
                " ".repeat(l.start.column - 1 - skip),
                paint(level_style, &"^".repeat(width))
            ));
        }
        if let Some(help) = &d.help {
            out.push_str(&format!(
                "{pad} {} {help}\n",
                paint(styles.gutter, "= help:")
            ));
        }
        out.push('\n');
    }
    if !report.summary_line {
        return out;
    }
    let summary = report.summary();
    let files = plural(report.files.len(), "file");
    if report.diagnostics.is_empty() {
        out.push_str(&format!("No problems found in {files}.\n"));
    } else {
        out.push_str(&paint(
            styles.bold,
            &format!(
                "Found {} and {} in {files}.",
                plural(summary.errors, "error"),
                plural(summary.warnings, "warning")
            ),
        ));
        out.push('\n');
    }
    out
}

/// At most 120 characters of `line` around `column` (0-based), and how many were skipped.
fn excerpt(line: &str, column: usize) -> (String, usize) {
    const MAX: usize = 120;
    let count = line.chars().count();
    if count <= MAX {
        return (line.to_string(), 0);
    }
    let skip = column.saturating_sub(MAX / 2).min(count - MAX);
    (line.chars().skip(skip).take(MAX).collect(), skip)
}
