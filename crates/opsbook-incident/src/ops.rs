//! The edits of `opsbook incident`: declare, log, role, status. Each returns the file's
//! next text; nothing is written here (see [`crate::Record::save`]). An edit the checks
//! would reject is refused with the check's own message.

use crate::edit;
use crate::error::IncidentError;
use crate::record::{Record, parse_postmortem};
use chrono::{DateTime, SecondsFormat, Utc};
use opsbook_core::handbook::SourceFile;
use opsbook_core::model::{Status, TIME_POINTS};
use opsbook_core::timeline::{EntryKind, format_entry};
use opsbook_core::{CheckOptions, Config, Diagnostic, Handbook, Rule};

/// The rules whose findings an edit must not add.
const GUARDED: [Rule; 7] = [
    Rule::TimestampOrder,
    Rule::StatusMismatch,
    Rule::FutureTimestamp,
    Rule::TimelineOrder,
    Rule::TimelineOutsideIncident,
    Rule::TimelineContradiction,
    Rule::TimelineEntryForm,
];

/// A new timeline entry.
#[derive(Debug, Clone)]
pub struct NewEntry {
    /// When it happened (written in UTC, to the second).
    pub at: DateTime<Utc>,
    /// What it records.
    pub kind: Option<EntryKind>,
    /// Who did it or wrote it.
    pub author: Option<String>,
    /// What happened (one line; line breaks become spaces).
    pub text: String,
}

impl NewEntry {
    fn line(&self) -> Result<String, IncidentError> {
        let text = self.text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            return Err(IncidentError::BadInput(
                "the entry's text is empty: say what happened".to_string(),
            ));
        }
        if let Some(author) = &self.author {
            if author.trim().is_empty() || author.contains(['(', ')', '[', ']', '\n', '\r']) {
                return Err(IncidentError::BadInput(format!(
                    "`{author}` cannot be an author: a name without brackets or parentheses, e.g. `alice`"
                )));
            }
        }
        Ok(format_entry(
            self.at,
            self.kind,
            self.author.as_deref(),
            &text,
        ))
    }
}

/// An RFC 3339 time to the second, in UTC, as written into the frontmatter.
pub fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Drops sub-seconds: the record keeps times to the second.
pub fn to_second(at: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::Timelike;
    at.with_nanosecond(0).unwrap_or(at)
}

/// Refuses `next` when the checks find in it a time or timeline problem that `record`'s
/// text did not have.
pub fn guard(
    record: &Record,
    next: &str,
    config: &Config,
    now: DateTime<Utc>,
) -> Result<(), IncidentError> {
    let before = findings(&record.rel, &record.text, config, now)?;
    let after = findings(&record.rel, next, config, now)?;
    if let Some(new) = after.iter().find(|d| {
        !before
            .iter()
            .any(|b| b.rule == d.rule && b.message == d.message)
    }) {
        let help = new
            .help
            .as_deref()
            .map(|h| format!(" ({h})"))
            .unwrap_or_default();
        return Err(IncidentError::Refused {
            file: record.rel.clone(),
            message: format!("refused: {} [{}]{help}", new.message, new.rule),
        });
    }
    Ok(())
}

fn findings(
    rel: &str,
    text: &str,
    config: &Config,
    now: DateTime<Utc>,
) -> Result<Vec<Diagnostic>, IncidentError> {
    let (doc, _) = parse_postmortem(rel, text)?;
    let handbook = Handbook::new(
        ".".into(),
        config.clone(),
        vec![SourceFile {
            path: rel.to_string(),
            text: text.to_string(),
        }],
        vec![doc],
        Default::default(),
    );
    let mut found = opsbook_core::check(&handbook, &CheckOptions { now });
    found.retain(|d| GUARDED.contains(&d.rule));
    Ok(found)
}

/// Adds an entry to the timeline. `at_given`: the time came from `--at`; a resolved
/// incident takes entries only with an explicit time (a late note must say when it
/// happened, not when it was typed).
pub fn log(
    record: &Record,
    entry: &NewEntry,
    at_given: bool,
    now: DateTime<Utc>,
) -> Result<String, IncidentError> {
    if record.postmortem.status == Status::Resolved && !at_given {
        let resolved = record
            .postmortem
            .resolved
            .map(|t| format!(" at {t}"))
            .unwrap_or_default();
        return Err(IncidentError::Refused {
            file: record.rel.clone(),
            message: format!(
                "`{}` is resolved{resolved}: log to it only with `--at TIME`, the time the entry happened (within the incident)",
                record.id()
            ),
        });
    }
    if entry.at > now {
        return Err(IncidentError::Refused {
            file: record.rel.clone(),
            message: format!("the entry's time {} is in the future", timestamp(entry.at)),
        });
    }
    edit::add_entry(&record.rel, &record.text, entry.at, &entry.line()?)
}

/// The role names `incident role` accepts besides any other name: `comms` is short for
/// `communications`; `commander` is the top-level `commander:`.
pub fn role_key(name: &str) -> &str {
    match name {
        "comms" | "communication" => "communications",
        "ic" | "incident-commander" => "commander",
        other => other,
    }
}

/// Assigns roles: `(role, person)` pairs.
pub fn roles(record: &Record, assignments: &[(String, String)]) -> Result<String, IncidentError> {
    let mut text = record.text.clone();
    for (role, person) in assignments {
        let role = role_key(role);
        if person.trim().is_empty() || role.is_empty() {
            return Err(IncidentError::BadInput(format!(
                "`{role}={person}`: give a role and a person, e.g. `commander=alice`"
            )));
        }
        text = if role == "commander" {
            let mut after = vec!["status", "services"];
            after.extend(TIME_POINTS);
            edit::set_key(&record.rel, &text, "commander", person, &after)?
        } else {
            edit::set_role(&record.rel, &text, role, person)?
        };
    }
    Ok(text)
}

/// Sets `status` to mitigated or resolved at `at`, with the time-point and its
/// timeline entry.
pub fn status(
    record: &Record,
    to: Status,
    at: DateTime<Utc>,
    by: Option<&str>,
    note: Option<&str>,
) -> Result<String, IncidentError> {
    let (name, verb) = match to {
        Status::Mitigated => ("mitigated", "Mitigated: customer impact has stopped."),
        Status::Resolved => ("resolved", "Resolved."),
        Status::Investigating => {
            return Err(IncidentError::BadInput(
                "an incident goes to `mitigated` or `resolved`; to reopen one, edit `status:` by hand".to_string(),
            ));
        }
    };
    let current = record.postmortem.status;
    if current >= to {
        let when = record
            .postmortem
            .time_point(name)
            .map(|t| format!(" at {t}"))
            .unwrap_or_default();
        let state = if current == Status::Resolved {
            "resolved"
        } else {
            "mitigated"
        };
        return Err(IncidentError::Refused {
            file: record.rel.clone(),
            message: format!(
                "`{}` is already {state}{when}; to correct a time, edit `{name}:` and its timeline entry by hand",
                record.id()
            ),
        });
    }
    let position = TIME_POINTS.iter().position(|p| *p == name).unwrap_or(0);
    let mut after = vec!["status"];
    after.extend(&TIME_POINTS[..position]);
    let text = edit::set_key(&record.rel, &record.text, name, &timestamp(at), &after)?;
    let text = edit::set_key(&record.rel, &text, "status", name, &[])?;
    let entry = NewEntry {
        at,
        kind: Some(EntryKind::Point(name)),
        author: by.map(str::to_string),
        text: note.unwrap_or(verb).to_string(),
    };
    edit::add_entry(&record.rel, &text, at, &entry.line()?)
}

/// What `incident declare` knows about a new incident.
#[derive(Debug, Clone)]
pub struct Declaration {
    /// The id (also the file stem).
    pub id: String,
    /// The title.
    pub title: String,
    /// The severity id.
    pub severity: String,
    /// The affected services.
    pub services: Vec<String>,
    /// When the problem began (default: `declared`).
    pub started: DateTime<Utc>,
    /// When it was noticed (default: `declared`).
    pub detected: DateTime<Utc>,
    /// When it was declared.
    pub declared: DateTime<Utc>,
    /// The incident commander.
    pub commander: Option<String>,
    /// Who declares it (the author of the first entry).
    pub by: Option<String>,
}

/// Fills the postmortem template `template` (the text `opsbook new postmortem` writes)
/// with a declaration: title, severity, services, the three first time-points, the
/// commander, the author (who declares it), and the timeline's first entries.
pub fn declare(rel: &str, template: &str, d: &Declaration) -> Result<String, IncidentError> {
    if d.title.trim().is_empty() {
        return Err(IncidentError::BadInput(
            "the title is empty: say what is broken".to_string(),
        ));
    }
    let mut text = edit::set_key(rel, template, "title", d.title.trim(), &[])?;
    text = edit::set_key(rel, &text, "id", &d.id, &[])?;
    text = edit::set_key(rel, &text, "severity", &d.severity, &[])?;
    if !d.services.is_empty() {
        text = edit::set_flow_list(rel, &text, "services", &d.services)?;
    }
    text = edit::set_key(
        rel,
        &text,
        "started",
        &timestamp(d.started),
        &["services", "runbooks"],
    )?;
    text = edit::set_key(rel, &text, "detected", &timestamp(d.detected), &["started"])?;
    text = edit::set_key(
        rel,
        &text,
        "declared",
        &timestamp(d.declared),
        &["started", "detected"],
    )?;
    if let Some(commander) = &d.commander {
        text = edit::set_key(rel, &text, "commander", commander, &["declared"])?;
    }
    // Whoever declares it starts the record, so starts the write-up.
    if let Some(by) = &d.by {
        text = edit::set_flow_list(rel, &text, "authors", std::slice::from_ref(by))?;
    }
    // The template's placeholder of the Timeline section gives way to the first entries.
    text = clear_timeline_placeholder(rel, &text)?;
    // Of equal times, the last name stands for all: `declared` when all three agree.
    let mut kept: Vec<(&str, DateTime<Utc>)> = Vec::new();
    for (name, at) in [
        ("started", d.started),
        ("detected", d.detected),
        ("declared", d.declared),
    ] {
        kept.retain(|(_, t)| *t != at);
        kept.push((name, at));
    }
    for (name, at) in kept {
        let what = match name {
            "declared" => format!(
                "Declared {}: {}.",
                d.severity,
                d.title.trim().trim_end_matches('.')
            ),
            "detected" => "Detected.".to_string(),
            _ => "Started.".to_string(),
        };
        let entry = NewEntry {
            at,
            kind: Some(EntryKind::Point(name)),
            author: if name == "declared" {
                d.by.clone()
            } else {
                None
            },
            text: what,
        };
        text = edit::add_entry(rel, &text, at, &entry.line()?)?;
    }
    Ok(text)
}

fn clear_timeline_placeholder(rel: &str, text: &str) -> Result<String, IncidentError> {
    let (doc, _) = parse_postmortem(rel, text)?;
    let Some(t) = opsbook_core::timeline::parse(text, &doc.outline) else {
        return Ok(text.to_string());
    };
    let section = &text[t.heading.end..t.end];
    match section.find("TODO:") {
        Some(i) => {
            let start = t.heading.end + i;
            let mut end = text[start..t.end]
                .find('\n')
                .map_or(t.end, |j| start + j + 1);
            // And the blank line after it.
            if text[end..].starts_with("\r\n") {
                end += 2;
            } else if text[end..].starts_with('\n') {
                end += 1;
            }
            let mut out = text.to_string();
            out.replace_range(start..end, "");
            Ok(out)
        }
        None => Ok(text.to_string()),
    }
}

/// A file-name-safe slug of `title`: lowercase ASCII letters and digits joined by `-`,
/// at most six words.
pub fn slug(title: &str) -> String {
    title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(6)
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            slug("Checkout returns 502 for EU customers (all of them)"),
            "checkout-returns-502-for-eu-customers"
        );
        assert_eq!(slug("  Café: down!"), "caf-down");
    }
}
