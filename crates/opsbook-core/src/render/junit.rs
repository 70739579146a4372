//! `--format junit`: JUnit XML — one test case per file, a failure per finding.

use super::Report;
use std::collections::BTreeMap;

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot hold at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

pub(super) fn render(report: &Report<'_>) -> String {
    let located = report.located();
    let mut by_file: BTreeMap<String, Vec<&super::Located<'_>>> = report
        .files
        .iter()
        .map(|f| (format!("{}{f}", report.prefix), Vec::new()))
        .collect();
    for l in &located {
        by_file.entry(l.path.clone()).or_default().push(l);
    }
    let failures = located.len();
    let tests = by_file.values().map(|v| v.len().max(1)).sum::<usize>();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"opsbook\" tests=\"{tests}\" failures=\"{failures}\">\n  <testsuite name=\"opsbook check\" tests=\"{tests}\" failures=\"{failures}\">\n"
    ));
    for (file, findings) in &by_file {
        if findings.is_empty() {
            out.push_str(&format!(
                "    <testcase name=\"{}\" classname=\"opsbook.check\"/>\n",
                escape(file)
            ));
        }
        for l in findings {
            let d = l.diagnostic;
            let mut body = format!(
                "{}:{}:{}: {}",
                l.path, l.start.line, l.start.column, d.message
            );
            if let Some(help) = &d.help {
                body.push_str(&format!("\nhelp: {help}"));
            }
            out.push_str(&format!(
                "    <testcase name=\"{} {}:{}:{}\" classname=\"opsbook.check\">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>\n",
                d.rule.code(),
                escape(file),
                l.start.line,
                l.start.column,
                d.level,
                escape(&d.message),
                escape(&body),
            ));
        }
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}
