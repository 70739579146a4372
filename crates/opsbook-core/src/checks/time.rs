//! Time: stale runbooks, incident time-points, overdue postmortems and action items
//! (OB301–OB308).

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::model::{Document, Frontmatter, Postmortem, Review, Status, Timestamp};
use crate::rules::Rule;
use chrono::{NaiveDate, TimeDelta};

/// Incidents spanning more than this are suspicious (OB308).
const LONG_INCIDENT_DAYS: i64 = 30;

pub(super) fn check(cx: &Context<'_>, doc: &Document, out: &mut Vec<Diagnostic>) {
    match &doc.frontmatter {
        Some(Frontmatter::Runbook(runbook)) => {
            let Some(reviewed) = runbook.reviewed else {
                return;
            };
            let today = cx.options.now.date_naive();
            let span = Context::span(doc, &["reviewed"]);
            if reviewed.0 > today {
                out.push(
                    Diagnostic::new(
                        Rule::FutureTimestamp,
                        &doc.path,
                        span,
                        format!("`reviewed` ({reviewed}) is in the future"),
                    )
                    .with_help("check the year and month"),
                );
                return;
            }
            let every = runbook
                .review_every
                .unwrap_or(cx.handbook.config.review_every);
            let due = reviewed.0 + every.to_chrono();
            if due < today {
                out.push(
                    Diagnostic::new(
                        Rule::StaleRunbook,
                        &doc.path,
                        span,
                        format!(
                            "the runbook was last reviewed on {reviewed} and is due every {every}: review overdue since {due} ({})",
                            ago(today, due)
                        ),
                    )
                    .with_help("review the runbook with its owner, then set `reviewed:` to the review date"),
                );
            }
        }
        Some(Frontmatter::Postmortem(pm)) => postmortem(cx, doc, pm, out),
        _ => {}
    }
}

fn ago(today: NaiveDate, then: NaiveDate) -> String {
    match (today - then).num_days() {
        1 => "1 day ago".to_string(),
        n => format!("{n} days ago"),
    }
}

fn postmortem(cx: &Context<'_>, doc: &Document, pm: &Postmortem, out: &mut Vec<Diagnostic>) {
    let at = |key: &str| Context::span(doc, &[key]);
    let point = |name: &'static str| pm.time_point(name).map(|t| (name, t));
    let before = out.len();

    // started ≤ detected ≤ mitigated ≤ resolved, comparing each with the previous present one.
    let chain: Vec<(&str, Timestamp)> = ["started", "detected", "mitigated", "resolved"]
        .into_iter()
        .filter_map(point)
        .collect();
    for pair in chain.windows(2) {
        let ((before, t0), (after, t1)) = (pair[0], pair[1]);
        if t1 < t0 {
            out.push(order(doc, after, t1, before, t0, at(after)));
        }
    }
    // acknowledged and declared are not before detected (or started, without detected).
    let anchor = point("detected").or_else(|| point("started"));
    for name in ["acknowledged", "declared"] {
        if let (Some((base, t0)), Some((_, t1))) = (anchor, point(name)) {
            if t1 < t0 {
                out.push(order(doc, name, t1, base, t0, at(name)));
            }
        }
    }

    let now = cx.options.now;
    for name in crate::model::TIME_POINTS {
        if let Some((_, t)) = point(name).filter(|(_, t)| t.0 > now) {
            out.push(
                Diagnostic::new(
                    Rule::FutureTimestamp,
                    &doc.path,
                    at(name),
                    format!("`{name}` ({t}) is in the future"),
                )
                .with_help("check the year, month and time zone"),
            );
        }
    }

    // A time-point out of order or in the future is nearly always the typo that also
    // makes the incident look long: report it once, precisely.
    let typo_found = out.len() > before;

    status(doc, pm, out);

    let all: Vec<(&str, Timestamp)> = crate::model::TIME_POINTS
        .into_iter()
        .filter_map(point)
        .collect();
    if let (false, Some(first), Some(last)) = (
        typo_found,
        all.iter().min_by_key(|p| p.1),
        all.iter().max_by_key(|p| p.1),
    ) {
        let span = last.1.0 - first.1.0;
        if span > TimeDelta::days(LONG_INCIDENT_DAYS) {
            out.push(
                Diagnostic::new(
                    Rule::LongIncident,
                    &doc.path,
                    at(last.0),
                    format!(
                        "the incident spans {} days, from `{}` ({}) to `{}` ({})",
                        span.num_days(),
                        first.0,
                        first.1,
                        last.0,
                        last.1
                    ),
                )
                .with_help("check both values for a mistyped year or month"),
            );
        }
    }

    if let (Status::Resolved, Some(resolved)) = (pm.status, pm.resolved) {
        let due_in = cx.handbook.config.postmortem_due;
        let due = resolved.0 + due_in.to_chrono();
        if pm.review != Review::Published && due < now {
            out.push(
                Diagnostic::new(
                    Rule::OverduePostmortem,
                    &doc.path,
                    doc.span_at(&["review"]).unwrap_or_else(|| at("status")),
                    format!(
                        "the postmortem is still not published {} days after the incident was resolved (due within {due_in})",
                        (now - resolved.0.to_utc()).num_days()
                    ),
                )
                .with_help("finish the write-up, review it with the team and set `review: published`"),
            );
        }
    }

    let today = now.date_naive();
    for (i, item) in pm.action_items.iter().enumerate() {
        if !item.status.is_open() {
            continue;
        }
        let index = i.to_string();
        if item.owner.is_none() {
            out.push(
                Diagnostic::new(
                    Rule::ActionItemWithoutOwner,
                    &doc.path,
                    Context::span(doc, &["action_items", &index]),
                    format!("the open action item \"{}\" has no owner", item.title),
                )
                .with_help("add `owner:` (a person or a team) and a `due:` date"),
            );
        }
        if let Some(due) = item.due.filter(|d| d.0 < today) {
            out.push(
                Diagnostic::new(
                    Rule::OverdueActionItem,
                    &doc.path,
                    Context::span(doc, &["action_items", &index, "due"]),
                    format!(
                        "the action item \"{}\" was due on {due} ({}) and is still {}",
                        item.title,
                        ago(today, due.0),
                        if item.status == crate::model::ItemStatus::Open {
                            "open"
                        } else {
                            "in progress"
                        }
                    ),
                )
                .with_help(
                    "finish it, set a new `due:` date, or set `status: cancelled` with a reason",
                ),
            );
        }
    }
}

fn order(
    doc: &Document,
    name: &str,
    t: Timestamp,
    before: &str,
    t0: Timestamp,
    span: crate::span::Span,
) -> Diagnostic {
    Diagnostic::new(
        Rule::TimestampOrder,
        &doc.path,
        span,
        format!("`{name}` ({t}) is before `{before}` ({t0})"),
    )
    .with_help("time-points go started ≤ detected ≤ mitigated ≤ resolved, with acknowledged and declared not before detected; look for a mistyped year, day or time zone")
}

fn status(doc: &Document, pm: &Postmortem, out: &mut Vec<Diagnostic>) {
    let at = |key: &str| Context::span(doc, &[key]);
    let mut push = |span, message: String, help: &str| {
        out.push(Diagnostic::new(Rule::StatusMismatch, &doc.path, span, message).with_help(help));
    };
    if pm.resolved.is_some() && pm.status != Status::Resolved {
        push(
            at("status"),
            format!(
                "`status` is `{}`, but the incident has a `resolved` time",
                status_name(pm.status)
            ),
            "set `status: resolved`, or remove `resolved:` if the incident is not repaired",
        );
    } else if pm.mitigated.is_some() && pm.status == Status::Investigating {
        push(
            at("status"),
            "`status` is `investigating`, but the incident has a `mitigated` time".to_string(),
            "set `status: mitigated`, or remove `mitigated:`",
        );
    }
    if pm.review != Review::Draft && pm.status != Status::Resolved {
        push(
            at("review"),
            format!(
                "the write-up is `{}` while the incident is still `{}`",
                if pm.review == Review::Published {
                    "published"
                } else {
                    "in-review"
                },
                status_name(pm.status)
            ),
            "keep `review: draft` until the incident is resolved",
        );
    }
}

fn status_name(status: Status) -> &'static str {
    match status {
        Status::Investigating => "investigating",
        Status::Mitigated => "mitigated",
        Status::Resolved => "resolved",
    }
}
