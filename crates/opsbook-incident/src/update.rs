//! What the record says, for people: the stakeholder status update of `incident update`
//! and the one-line summary of `incident list`.

use chrono::{DateTime, Duration, FixedOffset, SecondsFormat, Utc};
use opsbook_core::model::{Document, Postmortem, Status};
use opsbook_core::timeline::{self, EntryKind};
use serde::Serialize;

/// A timeline entry, display-ready.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntryView {
    /// RFC 3339, UTC.
    pub at: String,
    /// The kind's name, when given.
    pub kind: Option<String>,
    /// The author, when given.
    pub author: Option<String>,
    /// The text.
    pub text: String,
}

/// A stakeholder status update, built from the record. Its JSON form is stable.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusUpdate {
    /// The incident id.
    pub id: String,
    /// The title.
    pub title: String,
    /// The severity id.
    pub severity: String,
    /// `investigating`, `mitigated` or `resolved`.
    pub status: String,
    /// Affected services.
    pub services: Vec<String>,
    /// When the impact began (`started`, else `detected`, else `declared`), RFC 3339.
    pub impact_since: Option<String>,
    /// When the status was reached (`mitigated` or `resolved`), RFC 3339.
    pub status_since: Option<String>,
    /// The time of this update, RFC 3339.
    pub as_of: String,
    /// The previous update's time, when there was one.
    pub previous_update: Option<String>,
    /// What happened since the previous update (or since the start), update entries left out.
    pub since_previous: Vec<EntryView>,
    /// When the next update is due; none once the incident is resolved.
    pub next_update: Option<String>,
    /// `(role, person)`: the commander first; unassigned roles are left out.
    pub roles: Vec<(String, String)>,
}

/// The people of an incident: `commander`, then `roles` in their order; placeholders
/// (`TODO…`) are not people.
pub fn roles_of(pm: &Postmortem) -> Vec<(String, String)> {
    let assigned = |p: &String| !p.trim().is_empty() && !p.starts_with("TODO");
    let mut out: Vec<(String, String)> = pm
        .commander
        .iter()
        .filter(|p| assigned(p))
        .map(|p| ("commander".to_string(), p.clone()))
        .collect();
    let order = ["communications", "scribe"];
    let mut rest: Vec<_> = pm.roles.iter().filter(|(_, p)| assigned(p)).collect();
    rest.sort_by_key(|(r, _)| order.iter().position(|o| o == r).unwrap_or(order.len()));
    out.extend(rest.into_iter().map(|(r, p)| (r.clone(), p.clone())));
    out
}

fn rfc3339(t: DateTime<FixedOffset>) -> String {
    t.to_utc().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The status name.
pub fn status_name(status: Status) -> &'static str {
    match status {
        Status::Investigating => "investigating",
        Status::Mitigated => "mitigated",
        Status::Resolved => "resolved",
    }
}

fn entry_view(e: &timeline::Entry) -> EntryView {
    EntryView {
        at: rfc3339(e.at),
        kind: e.kind.map(|k| k.name().to_string()),
        author: e.author.clone(),
        text: e.text.clone(),
    }
}

/// The update as of `now`, the next one due `next` later.
pub fn status_update(
    doc: &Document,
    text: &str,
    now: DateTime<Utc>,
    next: Duration,
) -> Option<StatusUpdate> {
    let pm = doc.as_postmortem()?;
    let timeline = timeline::parse(text, &doc.outline).unwrap_or_default();
    let previous = timeline
        .entries
        .iter()
        .filter(|e| e.kind == Some(EntryKind::Update) && e.at.to_utc() <= now)
        .max_by_key(|e| e.at);
    let since_previous = timeline
        .entries
        .iter()
        .filter(|e| e.kind != Some(EntryKind::Update))
        .filter(|e| previous.is_none_or(|p| e.at > p.at) && e.at.to_utc() <= now)
        .map(entry_view)
        .collect();
    // The status as of `now`: an update written for an earlier time (`--at`) tells what
    // was known then, not what the file says today.
    let reached = |t: Option<opsbook_core::model::Timestamp>| t.filter(|t| t.0.to_utc() <= now);
    let (status, status_since) = match (reached(pm.resolved), reached(pm.mitigated)) {
        (Some(t), _) => (Status::Resolved, Some(t)),
        (None, Some(t)) => (Status::Mitigated, Some(t)),
        _ if pm.resolved.is_none() && pm.status == Status::Resolved => (Status::Resolved, None),
        _ if pm.mitigated.is_none() && pm.status == Status::Mitigated => (Status::Mitigated, None),
        _ => (Status::Investigating, pm.declared),
    };
    Some(StatusUpdate {
        id: doc.id.clone(),
        title: pm.title.clone(),
        severity: pm.severity.clone(),
        status: status_name(status).to_string(),
        services: pm.services.clone(),
        impact_since: pm
            .started
            .or(pm.detected)
            .or(pm.declared)
            .map(|t| rfc3339(t.0)),
        status_since: status_since.map(|t| rfc3339(t.0)),
        as_of: now.to_rfc3339_opts(SecondsFormat::Secs, true),
        previous_update: previous.map(|e| rfc3339(e.at)),
        since_previous,
        next_update: (status != Status::Resolved)
            .then(|| (now + next).to_rfc3339_opts(SecondsFormat::Secs, true)),
        roles: roles_of(pm),
    })
}

/// `14:32 UTC` on the day of `as_of`, else `2026-03-01 14:32 UTC`.
fn clock(t: &str, as_of: &str) -> String {
    let Ok(t) = DateTime::parse_from_rfc3339(t) else {
        return t.to_string();
    };
    let same_day =
        DateTime::parse_from_rfc3339(as_of).is_ok_and(|a| a.date_naive() == t.date_naive());
    if same_day {
        t.format("%H:%M UTC").to_string()
    } else {
        t.format("%Y-%m-%d %H:%M UTC").to_string()
    }
}

/// `1 h 05 min`, `38 min`, `2 d 3 h`.
pub fn duration(d: Duration) -> String {
    let minutes = d.num_minutes().max(0);
    match minutes {
        m if m < 60 => format!("{m} min"),
        m if m < 24 * 60 => format!("{} h {:02} min", m / 60, m % 60),
        m => format!("{} d {} h", m / (24 * 60), (m / 60) % 24),
    }
}

fn role_label(role: &str) -> String {
    match role {
        "commander" => "Incident commander".to_string(),
        "communications" => "Communications".to_string(),
        other => {
            let mut c = other.chars();
            c.next()
                .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
        }
    }
}

impl StatusUpdate {
    fn status_line(&self) -> String {
        let mut line = self.status.to_uppercase();
        if let Some(since) = &self.status_since {
            line.push_str(&format!(" since {}", clock(since, &self.as_of)));
        }
        if let (Some(start), Ok(now)) = (
            &self.impact_since,
            DateTime::parse_from_rfc3339(&self.as_of),
        ) {
            if let Ok(s) = DateTime::parse_from_rfc3339(start) {
                line.push_str(&format!(
                    " (impact began {}, {} ago)",
                    clock(start, &self.as_of),
                    duration(now - s)
                ));
            }
        }
        line
    }

    fn entry_line(&self, e: &EntryView) -> String {
        let mut line = format!("{}  {}", clock(&e.at, &self.as_of), e.text);
        if let Some(a) = &e.author {
            line.push_str(&format!(" ({a})"));
        }
        line
    }

    fn since_heading(&self) -> String {
        match &self.previous_update {
            Some(p) => format!("Since the last update at {}:", clock(p, &self.as_of)),
            None => "So far:".to_string(),
        }
    }

    fn next_line(&self) -> String {
        match &self.next_update {
            Some(n) => format!("Next update: by {}", clock(n, &self.as_of)),
            None => "This is the final update.".to_string(),
        }
    }

    fn roles_line(&self) -> String {
        if self.roles.is_empty() {
            return "Roles: not assigned yet".to_string();
        }
        self.roles
            .iter()
            .map(|(r, p)| format!("{}: {p}", role_label(r)))
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// Plain text: pastes cleanly into chat and e-mail (no markup).
    pub fn to_text(&self) -> String {
        let mut out = format!("[{}] {} ({})\n", self.severity, self.title, self.id);
        out.push_str(&format!("Status: {}\n", self.status_line()));
        if !self.services.is_empty() {
            out.push_str(&format!("Affected: {}\n", self.services.join(", ")));
        }
        out.push_str(&self.since_heading());
        out.push('\n');
        if self.since_previous.is_empty() {
            out.push_str("  - nothing new\n");
        }
        for e in &self.since_previous {
            out.push_str(&format!("  - {}\n", self.entry_line(e)));
        }
        out.push_str(&self.next_line());
        out.push('\n');
        out.push_str(&self.roles_line());
        out.push('\n');
        out
    }

    /// Markdown: for chat tools and issue trackers that render it.
    pub fn to_markdown(&self) -> String {
        let mut out = format!("**[{}] {}** (`{}`)\n\n", self.severity, self.title, self.id);
        out.push_str(&format!("**Status:** {}  \n", self.status_line()));
        if !self.services.is_empty() {
            let services: Vec<String> = self.services.iter().map(|s| format!("`{s}`")).collect();
            out.push_str(&format!("**Affected:** {}\n", services.join(", ")));
        }
        out.push_str(&format!("\n**{}**\n\n", self.since_heading()));
        if self.since_previous.is_empty() {
            out.push_str("- nothing new\n");
        }
        for e in &self.since_previous {
            out.push_str(&format!("- {}\n", self.entry_line(e)));
        }
        out.push_str(&format!(
            "\n**{}**  \n{}\n",
            self.next_line(),
            self.roles_line()
        ));
        out
    }

    /// The line recorded in the timeline as the `[update]` entry.
    pub fn entry_text(&self) -> String {
        let next = match &self.next_update {
            Some(n) => format!("; next update by {}", clock(n, &self.as_of)),
            None => "; final update".to_string(),
        };
        format!("Status update sent: {}{next}.", self.status)
    }
}

/// One incident, for `incident list`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// The id.
    pub id: String,
    /// The file, relative to the handbook.
    pub path: String,
    /// The title.
    pub title: String,
    /// The severity id.
    pub severity: String,
    /// The status name.
    pub status: String,
    /// How long since the impact began (`started`, else `detected`, else `declared`).
    pub age: Option<String>,
    /// `(role, person)`, the commander first.
    pub roles: Vec<(String, String)>,
    /// The last entry of the timeline.
    pub last_entry: Option<EntryView>,
}

/// The summary of a postmortem document as of `now`.
pub fn summary(doc: &Document, text: &str, now: DateTime<Utc>) -> Option<Summary> {
    let pm = doc.as_postmortem()?;
    let timeline = timeline::parse(text, &doc.outline).unwrap_or_default();
    let start = pm.started.or(pm.detected).or(pm.declared);
    let end = pm.resolved.map_or(now, |t| t.0.to_utc());
    Some(Summary {
        id: doc.id.clone(),
        path: doc.path.clone(),
        title: pm.title.clone(),
        severity: pm.severity.clone(),
        status: status_name(pm.status).to_string(),
        age: start.map(|s| duration(end - s.0.to_utc())),
        roles: roles_of(pm),
        last_entry: timeline.entries.iter().max_by_key(|e| e.at).map(entry_view),
    })
}
