//! The structured timeline of a postmortem against itself and its time-points
//! (OB311–OB314). The entry form is described in [`crate::timeline`].

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::model::{Document, Postmortem};
use crate::rules::Rule;
use crate::timeline::{self, Entry};
use chrono::{DateTime, FixedOffset, SecondsFormat};

pub(super) fn check(cx: &Context<'_>, doc: &Document, out: &mut Vec<Diagnostic>) {
    let Some(pm) = doc.as_postmortem() else {
        return;
    };
    let text = cx.handbook.text_of(doc);
    if let Some(timeline) = timeline::parse(text, &doc.outline) {
        check_timeline(doc, pm, &timeline, out);
    }
}

/// Every timeline finding of one postmortem.
fn check_timeline(
    doc: &Document,
    pm: &Postmortem,
    timeline: &timeline::Timeline,
    out: &mut Vec<Diagnostic>,
) {
    for m in &timeline.malformed {
        out.push(
            Diagnostic::new(
                Rule::TimelineEntryForm,
                &doc.path,
                m.span,
                m.message.clone(),
            )
            .with_help(m.help.clone()),
        );
    }
    let mut latest: Option<&Entry> = None;
    for entry in &timeline.entries {
        match latest {
            Some(before) if entry.at < before.at => out.push(
                Diagnostic::new(
                    Rule::TimelineOrder,
                    &doc.path,
                    entry.time_span,
                    format!(
                        "the timeline entry at {} is listed after one at {}",
                        time(entry.at),
                        time(before.at)
                    ),
                )
                .with_help("move the entry up to its place, or fix its time or date heading"),
            ),
            _ => latest = Some(entry),
        }
    }
    let start = pm
        .started
        .map(|t| ("started", t))
        .or(pm.detected.map(|t| ("detected", t)));
    for entry in &timeline.entries {
        let outside = match (start, pm.resolved) {
            (Some((name, t)), _) if entry.at < t.0 => Some(("before", name, t)),
            (_, Some(t)) if entry.at > t.0 => Some(("after", "resolved", t)),
            _ => None,
        };
        if let Some((side, name, t)) = outside {
            out.push(
                Diagnostic::new(
                    Rule::TimelineOutsideIncident,
                    &doc.path,
                    entry.time_span,
                    format!(
                        "the timeline entry at {} is {side} `{name}` ({t})",
                        time(entry.at)
                    ),
                )
                .with_help(format!(
                    "fix the entry's time or date heading, or `{name}:`; events outside the incident belong in prose, not in timeline entries"
                )),
            );
        }
    }
    for entry in &timeline.entries {
        let Some(point) = entry.kind.and_then(|k| k.time_point()) else {
            continue;
        };
        let diagnostic = match pm.time_point(point) {
            Some(t) if t.0 == entry.at => continue,
            Some(t) => Diagnostic::new(
                Rule::TimelineContradiction,
                &doc.path,
                entry.time_span,
                format!(
                    "the timeline records `{point}` at {}, the frontmatter at {t}",
                    time(entry.at)
                ),
            )
            .with_help(format!("make the entry's time and `{point}:` agree")),
            None => Diagnostic::new(
                Rule::TimelineContradiction,
                &doc.path,
                entry.time_span,
                format!(
                    "the timeline records `{point}` at {}, but the frontmatter has no `{point}`",
                    time(entry.at)
                ),
            )
            .with_help(format!(
                "add `{point}: {}` to the frontmatter",
                time(entry.at)
            )),
        };
        out.push(diagnostic);
    }
}

fn time(t: DateTime<FixedOffset>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}
