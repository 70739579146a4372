//! `opsbook incident list`: one line per incident.

use chrono::{DateTime, Utc};
use opsbook_core::Handbook;
use opsbook_core::model::Kind;
use opsbook_incident::update;
use std::process::ExitCode;

/// Prints the incidents of `handbook` (only those not resolved with `open_only`).
pub(super) fn run(
    handbook: &Handbook,
    open_only: bool,
    now: DateTime<Utc>,
) -> anyhow::Result<ExitCode> {
    let mut rows: Vec<update::Summary> = handbook
        .of_kind(Kind::Postmortem)
        .filter_map(|doc| update::summary(doc, handbook.text_of(doc), now))
        .filter(|s| !open_only || s.status != "resolved")
        .collect();
    rows.sort_by(|a, b| a.id.cmp(&b.id));
    if rows.is_empty() {
        crate::cmd::print(if open_only {
            "No open incidents.\n"
        } else {
            "No incidents.\n"
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    let table: Vec<[String; 6]> = rows
        .iter()
        .map(|s| {
            let roles = s
                .roles
                .iter()
                .map(|(r, p)| format!("{r}={p}"))
                .collect::<Vec<_>>()
                .join(" ");
            let last = s.last_entry.as_ref().map_or_else(String::new, |e| {
                let at = e.at.get(11..16).unwrap_or(&e.at);
                let text: String = e.text.chars().take(50).collect();
                let more = if e.text.chars().count() > 50 {
                    "…"
                } else {
                    ""
                };
                format!("{at}Z {text}{more}")
            });
            [
                s.id.clone(),
                s.severity.clone(),
                s.status.clone(),
                s.age.clone().unwrap_or_else(|| "?".to_string()),
                if roles.is_empty() {
                    "-".to_string()
                } else {
                    roles
                },
                last,
            ]
        })
        .collect();
    let header = ["ID", "SEVERITY", "STATUS", "AGE", "ROLES", "LAST ENTRY"];
    let widths: Vec<usize> = (0..6)
        .map(|i| {
            table
                .iter()
                .map(|r| r[i].chars().count())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut text = String::new();
    for row in std::iter::once(header.map(str::to_string)).chain(table) {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c:<w$}", w = widths[i]))
            .collect();
        text.push_str(cells.join("  ").trim_end());
        text.push('\n');
    }
    crate::cmd::print(&text)?;
    Ok(ExitCode::SUCCESS)
}
