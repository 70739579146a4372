//! The rules that read mined facts (opsbook-core's checks read only the documents):
//! OB301 for runbooks without `reviewed`, judged by the last commit that touched the file;
//! OB305 for postmortems whose `resolved` time only git gives; OB310 for what the reader
//! must be told about the history itself. OB309 (the frontmatter contradicts git) comes
//! with the time-points, from [`crate::incidents`].

use crate::facts::{History, Mined, Note};
use crate::report::note_text;
use crate::timeline::{Incident, Source};
use chrono::{DateTime, Utc};
use opsbook_core::config::{CONFIG_FILE, TimePoint};
use opsbook_core::model::{Kind, Review, Status};
use opsbook_core::span::Span;
use opsbook_core::{Diagnostic, Handbook, Rule};

/// OB301 and OB305 judged by git, for `check --git`.
pub fn git_checks(
    handbook: &Handbook,
    history: &History,
    incidents: &[Incident],
    now: DateTime<Utc>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let today = now.date_naive();
    for doc in handbook.of_kind(Kind::Runbook) {
        let Some(rb) = doc.as_runbook() else {
            continue;
        };
        if rb.reviewed.is_some() {
            continue;
        }
        let Some(last) = history.last_change(&doc.path) else {
            continue;
        };
        let every = rb.review_every.unwrap_or(handbook.config.review_every);
        let changed = last.commit_time.0.date_naive();
        let due = changed + every.to_chrono();
        if due < today {
            out.push(
                Diagnostic::new(
                    Rule::StaleRunbook,
                    &doc.path,
                    doc.key_span("title").unwrap_or_default(),
                    format!(
                        "the runbook has no `reviewed` date and its file was last changed by commit {} on {changed}; due every {every}: review overdue since {due} ({} days ago)",
                        last.short_id(),
                        (today - due).num_days()
                    ),
                )
                .with_help("review the runbook with its owner, then set `reviewed:` to the review date"),
            );
        }
    }
    let due_in = handbook.config.postmortem_due;
    for incident in incidents {
        let Some(resolved) = incident.point(TimePoint::Resolved) else {
            continue;
        };
        let Source::Git { commit, .. } = &resolved.source else {
            continue; // the frontmatter time: `check` judges it already
        };
        if incident.status != Status::Resolved || incident.review == Review::Published {
            continue;
        }
        let due = resolved.at.0.to_utc() + due_in.to_chrono();
        if due >= now {
            continue;
        }
        let doc = handbook.documents.iter().find(|d| d.path == incident.path);
        let span = doc
            .and_then(|d| d.span_at(&["review"]).or_else(|| d.key_span("status")))
            .unwrap_or_default();
        out.push(
            Diagnostic::new(
                Rule::OverduePostmortem,
                &incident.path,
                span,
                format!(
                    "the postmortem is still not published {} days after the incident was resolved (due within {due_in}; `resolved` from git: the first commit with `status: resolved`, {} at {})",
                    (now - resolved.at.0.to_utc()).num_days(),
                    commit.get(..10).unwrap_or(commit),
                    resolved.at
                ),
            )
            .with_help("finish the write-up, review it with the team and set `review: published`"),
        );
    }
    out
}

/// OB310 for each note of `mined` the reader must be told about (no repository, a
/// shallow clone, …; not the use of the cache). Notes are about the whole handbook: they
/// point at its configuration file.
pub fn history_notes(mined: &Mined) -> Vec<Diagnostic> {
    mined
        .notes
        .iter()
        .filter(|n| !matches!(n, Note::Cached { .. }))
        .map(|n| match n {
            Note::Shallow(_) => note(note_text(n)).with_help(
                "fetch the whole history: `git fetch --unshallow`; in GitHub Actions `actions/checkout` with `fetch-depth: 0`, in GitLab CI `GIT_DEPTH: 0`",
            ),
            _ => note(note_text(n)),
        })
        .collect()
}

/// OB310 for a repository that could not be read: `error` and its causes, one sentence.
pub fn history_unreadable(error: &dyn std::error::Error) -> Diagnostic {
    let mut message = format!("{error}");
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    note(format!("{message}; times come from the frontmatter only"))
}

fn note(message: String) -> Diagnostic {
    Diagnostic::new(
        Rule::HistoryUnavailable,
        CONFIG_FILE,
        Span::default(),
        message,
    )
}
