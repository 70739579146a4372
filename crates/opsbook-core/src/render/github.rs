//! `--format github`: GitHub Actions workflow commands, shown as annotations on the diff.

use super::Report;
use crate::diagnostic::Level;

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub(super) fn render(report: &Report<'_>) -> String {
    let mut out = String::new();
    for l in report.located() {
        let d = l.diagnostic;
        let command = match d.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        out.push_str(&format!(
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            escape_property(&l.path),
            l.start.line,
            l.start.column,
            l.end.line,
            l.end.column,
            escape_property(&format!("{} {}", d.rule.code(), d.rule.name())),
            escape_data(&message),
        ));
    }
    out
}
