//! The structured timeline of a postmortem: the entries of its `## Timeline` section.
//!
//! One form, written by `opsbook incident log` and accepted in hand-written postmortems:
//! a level-3 heading with the UTC date, then one list item per entry that starts with
//! its time, optionally its kind in brackets and its author in parentheses:
//!
//! ```markdown
//! ## Timeline
//!
//! ### 2026-03-01
//!
//! - 14:02Z [started] Config push `web-api#1841` rolls out.
//! - 14:32Z [action] (alice) Restarted the primary.
//! - 14:35:10Z [finding] (bob) Replica lag back to zero.
//! - 14:40+01:00 Customers confirm.
//! ```
//!
//! The time is `HH:MM` or `HH:MM:SS` followed by `Z` (UTC) or an offset such as
//! `+01:00`; the date heading gives the day in that zone. Kinds are `action`, `finding`,
//! `decision`, `update`, or a time-point name (`started`, `detected`, `declared`,
//! `acknowledged`, `mitigated`, `resolved`) for the entry that records that moment.
//! Text that starts with `(` or `[` without being an author or a kind is written
//! `\(…` or `\[…`.
//! List items outside a date heading (and tables) are prose, not entries: older
//! hand-written timelines stay valid. A list item under a date heading that does not
//! have this form is reported (OB314) rather than dropped silently.

use crate::markdown::Outline;
use crate::span::Span;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use regex::Regex;
use std::fmt;
use std::sync::LazyLock;

/// The title of the level-2 section that holds the timeline.
pub const SECTION: &str = "Timeline";

/// What an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryKind {
    /// Something someone did.
    Action,
    /// Something someone found out.
    Finding,
    /// A decision taken.
    Decision,
    /// A status update sent to stakeholders.
    Update,
    /// The moment of a frontmatter time-point (`started`, …, `resolved`; see
    /// [`crate::model::TIME_POINTS`]).
    Point(&'static str),
}

impl EntryKind {
    /// The kinds a person logs (the time-point kinds are written with the time-points).
    pub const LOGGED: [EntryKind; 4] = [
        EntryKind::Action,
        EntryKind::Finding,
        EntryKind::Decision,
        EntryKind::Update,
    ];

    /// The name written between the brackets.
    pub fn name(self) -> &'static str {
        match self {
            EntryKind::Action => "action",
            EntryKind::Finding => "finding",
            EntryKind::Decision => "decision",
            EntryKind::Update => "update",
            EntryKind::Point(name) => name,
        }
    }

    /// The kind called `name`: a logged kind or a time-point name.
    pub fn from_name(name: &str) -> Option<EntryKind> {
        EntryKind::LOGGED
            .into_iter()
            .find(|k| k.name() == name)
            .or_else(|| {
                crate::model::TIME_POINTS
                    .into_iter()
                    .find(|p| *p == name)
                    .map(EntryKind::Point)
            })
    }

    /// Every name a kind can have, for messages.
    pub fn names() -> Vec<&'static str> {
        EntryKind::LOGGED
            .iter()
            .map(|k| k.name())
            .chain(crate::model::TIME_POINTS)
            .collect()
    }

    /// The time-point this entry records, if any.
    pub fn time_point(self) -> Option<&'static str> {
        match self {
            EntryKind::Point(name) => Some(name),
            _ => None,
        }
    }
}

impl fmt::Display for EntryKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One entry of the timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// When it happened.
    pub at: DateTime<FixedOffset>,
    /// What it records, when given.
    pub kind: Option<EntryKind>,
    /// Who wrote or did it, when given.
    pub author: Option<String>,
    /// The text (markdown), continuation lines joined by spaces.
    pub text: String,
    /// The whole list item in the file, continuation lines included.
    pub span: Span,
    /// The time as written.
    pub time_span: Span,
}

/// A `### YYYY-MM-DD` heading of the timeline and the entries below it.
#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    /// The date.
    pub date: NaiveDate,
    /// The heading line.
    pub heading: Span,
    /// Indexes into [`Timeline::entries`] of its entries, in file order.
    pub entries: Vec<usize>,
    /// The end of its last non-blank line (before the next heading or the section end).
    pub end: usize,
}

/// A list item under a date heading that is not a well-formed entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    /// What is wrong.
    pub message: String,
    /// How to write it.
    pub help: String,
    /// The offending part of the item.
    pub span: Span,
}

/// The parsed `## Timeline` section of a document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Timeline {
    /// The `## Timeline` heading.
    pub heading: Span,
    /// Where the section ends: the start of the next level-1 or level-2 heading, or the
    /// end of the file.
    pub end: usize,
    /// The date headings, in file order.
    pub days: Vec<Day>,
    /// The entries, in file order.
    pub entries: Vec<Entry>,
    /// List items under a date heading that could not be read.
    pub malformed: Vec<Malformed>,
}

impl Timeline {
    /// The date heading of `date`, if the timeline has one.
    pub fn day(&self, date: NaiveDate) -> Option<&Day> {
        self.days.iter().find(|d| d.date == date)
    }

    /// The last entry in file order.
    pub fn last(&self) -> Option<&Entry> {
        self.entries.last()
    }
}

static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2})?(?:\s|$)")
        .expect("the time pattern is valid")
});

/// Reads the timeline of a document: `text` is the whole file and `outline` its body's
/// outline (spans are bytes of `text`). `None` when there is no `## Timeline` section.
///
/// ```
/// use opsbook_core::{markdown, timeline};
/// let text = "## Timeline\n\n### 2026-03-01\n\n- 14:32Z [action] (alice) Restarted the primary.\n";
/// let t = timeline::parse(text, &markdown::outline(text, 0)).unwrap();
/// let e = &t.entries[0];
/// assert_eq!(e.at.to_rfc3339(), "2026-03-01T14:32:00+00:00");
/// assert_eq!(e.kind, Some(timeline::EntryKind::Action));
/// assert_eq!((e.author.as_deref(), e.text.as_str()), (Some("alice"), "Restarted the primary."));
/// ```
pub fn parse(text: &str, outline: &Outline) -> Option<Timeline> {
    let position = outline
        .headings
        .iter()
        .position(|h| h.level == 2 && h.text.eq_ignore_ascii_case(SECTION))?;
    let heading = &outline.headings[position];
    let below = &outline.headings[position + 1..];
    let end = below
        .iter()
        .find(|h| h.level <= 2)
        .map_or(text.len(), |h| h.span.start);
    let inner: Vec<_> = below.iter().filter(|h| h.span.start < end).collect();
    let mut timeline = Timeline {
        heading: heading.span,
        end,
        ..Timeline::default()
    };
    let mut offset = line_end(text, heading.span.end);
    // The date block the current line belongs to, and the open item.
    let mut day: Option<usize> = None;
    let mut item: Option<(usize, usize)> = None; // (start, end) of the open list item
    let mut fence: Option<&str> = None;
    while offset < end {
        let next = line_end(text, offset).min(end);
        let line = text[offset..next].trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        if let Some(marker) = fence {
            if trimmed.starts_with(marker) {
                fence = None;
            }
            extend(&mut item, &mut timeline, day, offset + line.len());
            offset = next;
            continue;
        }
        if let Some(h) = inner.iter().find(|h| h.span.start == offset) {
            close(text, &mut item, &mut timeline, day);
            day = None;
            if h.level == 3 {
                if let Some(date) = date_of(&h.text) {
                    timeline.days.push(Day {
                        date,
                        heading: h.span,
                        entries: Vec::new(),
                        end: offset + line.len(),
                    });
                    day = Some(timeline.days.len() - 1);
                }
            }
        } else if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            if !line.starts_with([' ', '\t']) {
                close(text, &mut item, &mut timeline, day);
            }
            extend(&mut item, &mut timeline, day, offset + line.len());
        } else if trimmed.is_empty() {
            // A blank line ends nothing by itself: an indented line may continue the item.
        } else if day.is_some() && list_item(line).is_some() {
            close(text, &mut item, &mut timeline, day);
            item = Some((offset, offset + line.len()));
            if let Some(d) = day {
                timeline.days[d].end = offset + line.len();
            }
        } else if line.starts_with([' ', '\t']) && item.is_some() {
            extend(&mut item, &mut timeline, day, offset + line.len());
        } else {
            close(text, &mut item, &mut timeline, day);
            if let Some(d) = day {
                timeline.days[d].end = offset + line.len();
            }
        }
        offset = next;
    }
    close(text, &mut item, &mut timeline, day);
    Some(timeline)
}

/// The offset just past the line break of the line holding `offset`.
fn line_end(text: &str, offset: usize) -> usize {
    text[offset.min(text.len())..]
        .find('\n')
        .map_or(text.len(), |i| offset + i + 1)
}

fn extend(item: &mut Option<(usize, usize)>, t: &mut Timeline, day: Option<usize>, to: usize) {
    if let Some((_, end)) = item.as_mut() {
        *end = to;
        if let Some(d) = day {
            t.days[d].end = to;
        }
    }
}

/// Reads the open list item, if any, into an entry or a malformed item.
fn close(text: &str, item: &mut Option<(usize, usize)>, t: &mut Timeline, day: Option<usize>) {
    let (Some((start, end)), Some(d)) = (item.take(), day) else {
        return;
    };
    let raw = &text[start..end];
    let first = raw.lines().next().unwrap_or_default();
    let Some(content) = list_item(first) else {
        return;
    };
    let content_start = start + (first.len() - content.len());
    let date = t.days[d].date;
    match entry(raw, content, content_start, date, Span::new(start, end)) {
        Ok(entry) => {
            t.days[d].entries.push(t.entries.len());
            t.entries.push(entry);
        }
        Err(malformed) => t.malformed.push(malformed),
    }
}

/// The content of a list item line (`- `, `* ` or `+ `, indented at most three spaces).
fn list_item(line: &str) -> Option<&str> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    ["- ", "* ", "+ "]
        .iter()
        .find_map(|m| rest.strip_prefix(m))
        .map(str::trim_start)
}

/// The date of a heading such as `2026-03-01` or `2026-03-01 (Sunday)`.
fn date_of(heading: &str) -> Option<NaiveDate> {
    let first = heading.split_whitespace().next()?;
    NaiveDate::parse_from_str(first, "%Y-%m-%d").ok()
}

const FORM: &str = "write entries as `- HH:MM[:SS]Z [kind] (author) text`, e.g. `- 14:32Z [action] (alice) Restarted the primary`";

fn entry(
    raw: &str,
    content: &str,
    at: usize,
    date: NaiveDate,
    span: Span,
) -> Result<Entry, Malformed> {
    let bad = |message: String, span: Span| Malformed {
        message,
        help: FORM.to_string(),
        span,
    };
    let first_word = content.split_whitespace().next().unwrap_or_default();
    let word_span = Span::new(at, at + first_word.len());
    let Some(m) = TIME.captures(content) else {
        return Err(bad(
            format!("the timeline entry under `### {date}` does not start with its time"),
            word_span,
        ));
    };
    let num = |i: usize| m.get(i).map_or(Some(0), |g| g.as_str().parse::<u32>().ok());
    let time_len = m.get(4).or(m.get(3)).or(m.get(2)).map_or(0, |g| g.end());
    let time_span = Span::new(at, at + time_len);
    let written = &content[..time_len];
    let Some(time) = num(1)
        .zip(num(2))
        .zip(num(3))
        .and_then(|((h, mi), s)| NaiveTime::from_hms_opt(h, mi, s))
    else {
        return Err(bad(format!("`{written}` is not a time of day"), time_span));
    };
    let Some(zone) = m.get(4) else {
        return Err(Malformed {
            message: format!("the timeline time `{written}` has no time zone"),
            help: format!("add `Z` for UTC (`{written}Z`) or an offset such as `{written}+01:00`"),
            span: time_span,
        });
    };
    let offset = if zone.as_str() == "Z" {
        FixedOffset::east_opt(0)
    } else {
        let z = zone.as_str();
        let sign = if z.starts_with('-') { -1 } else { 1 };
        let h: i32 = z[1..3].parse().unwrap_or(99);
        let mi: i32 = z[4..6].parse().unwrap_or(99);
        (h < 24 && mi < 60)
            .then(|| FixedOffset::east_opt(sign * (h * 3600 + mi * 60)))
            .flatten()
    };
    let Some(when) = offset.and_then(|o| o.from_local_datetime(&date.and_time(time)).single())
    else {
        return Err(bad(format!("`{written}` has an invalid offset"), time_span));
    };
    let mut rest = content[time_len..].trim_start();
    let mut pos = at + (content.len() - rest.len());
    let mut kind = None;
    if let Some(inner) = rest.strip_prefix('[') {
        if let Some(close) = inner.find(']') {
            let name = inner[..close].trim();
            let name_span = Span::new(pos, pos + close + 2);
            // `[text](link)` is a markdown link, not a kind.
            if !inner[close + 1..].starts_with('(') {
                kind = Some(
                    EntryKind::from_name(&name.to_ascii_lowercase()).ok_or_else(|| Malformed {
                        message: format!("`{name}` is not a timeline entry kind"),
                        help: crate::suggest::did_you_mean(name, EntryKind::names())
                            .unwrap_or_else(|| {
                                format!("use one of: {}", EntryKind::names().join(", "))
                            }),
                        span: name_span,
                    })?,
                );
                let after = inner[close + 1..].trim_start();
                pos += rest.len() - after.len();
                rest = after;
            }
        }
    }
    let mut author = None;
    if let Some(inner) = rest.strip_prefix('(') {
        if let Some(close) = inner.find(')') {
            let name = inner[..close].trim();
            if !name.is_empty() {
                author = Some(name.to_string());
            }
            let after = inner[close + 1..].trim_start();
            pos += rest.len() - after.len();
            rest = after;
        }
    }
    // `\(` or `\[` at the start: text that only looks like an author or a kind.
    let rest = rest.trim();
    let rest = match rest.strip_prefix('\\') {
        Some(r) if r.starts_with(['(', '[']) => r,
        _ => rest,
    };
    let mut text = rest.to_string();
    for line in raw.lines().skip(1) {
        let line = line.trim();
        if !line.is_empty() {
            text.push(' ');
            text.push_str(line);
        }
    }
    if text.is_empty() {
        return Err(bad(
            format!("the timeline entry at `{written}` says nothing"),
            Span::new(at, pos.max(at + time_len)),
        ));
    }
    Ok(Entry {
        at: when,
        kind,
        author,
        text,
        span,
        time_span,
    })
}

/// The list item `opsbook incident log` writes for an entry (without a line break),
/// its time in UTC: `- 14:32Z [action] (alice) Restarted the primary`. Seconds are
/// written only when they are not zero.
pub fn format_entry(
    at: DateTime<chrono::Utc>,
    kind: Option<EntryKind>,
    author: Option<&str>,
    text: &str,
) -> String {
    let time = if at.format("%S").to_string() == "00" {
        at.format("%H:%MZ").to_string()
    } else {
        at.format("%H:%M:%SZ").to_string()
    };
    let mut line = format!("- {time}");
    if let Some(kind) = kind {
        line.push_str(&format!(" [{kind}]"));
    }
    if let Some(author) = author {
        line.push_str(&format!(" ({author})"));
    }
    line.push(' ');
    // Text that starts like an author or a kind is escaped, so that it reads back as text.
    if text.starts_with(['(', '[']) {
        line.push('\\');
    }
    line.push_str(text);
    line
}

#[cfg(test)]
#[path = "timeline_tests.rs"]
mod tests;
