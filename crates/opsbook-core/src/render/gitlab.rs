//! `--format gitlab`: a GitLab code-quality report (a JSON array of issues).

use super::Report;
use crate::diagnostic::Level;
use serde_json::json;

/// A stable fingerprint (FNV-1a, 64 bits): GitLab compares reports across pipelines by it.
fn fingerprint(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain([0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

pub(super) fn render(report: &Report<'_>) -> String {
    let issues: Vec<_> = report
        .located()
        .iter()
        .map(|l| {
            let d = l.diagnostic;
            let line = l.start.line.to_string();
            json!({
                "description": format!("{}: {}", d.rule.code(), d.message),
                "check_name": d.rule.code(),
                "fingerprint": fingerprint(&[d.rule.code(), &l.path, &line, &d.message]),
                "severity": match d.level { Level::Error => "major", Level::Warning => "minor" },
                "location": { "path": l.path, "lines": { "begin": l.start.line, "end": l.end.line } },
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&issues).unwrap_or_default();
    text.push('\n');
    text
}
