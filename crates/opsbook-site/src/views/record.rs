//! The live incident record on the postmortem page: the structured timeline entries of
//! the `## Timeline` section (see `opsbook_core::timeline`), grouped by day, with their
//! kinds and authors.

use super::{Ctx, Link};
use opsbook_core::model::Document;
use opsbook_core::timeline;
use serde::Serialize;

/// One day of the record.
#[derive(Debug, Serialize)]
pub struct RecordDay {
    /// `YYYY-MM-DD`, as its heading says.
    pub date: String,
    /// Its entries, in the order written.
    pub entries: Vec<RecordEntry>,
}

/// One entry of the record.
#[derive(Debug, Serialize)]
pub struct RecordEntry {
    /// `14:32` or `14:32:07`, in the zone written (UTC unless an offset is given).
    pub time: String,
    /// RFC 3339, for `<time datetime>`.
    pub iso: String,
    /// `action`, `finding`, `decision`, `update` or a time-point name; empty when not given.
    pub kind: String,
    /// Whether the kind is a time-point (`mitigated`, …): these mark the incident's moments.
    pub milestone: bool,
    /// Who did or wrote it, linked to their team.
    pub author: Option<Link>,
    /// The text as written.
    pub text: String,
}

impl Ctx<'_> {
    /// The record of the postmortem `doc`, for the page at `page`; empty when its
    /// Timeline section has no structured entries.
    pub fn incident_record(&self, page: &str, doc: &Document) -> Vec<RecordDay> {
        let text = self.handbook.text_of(doc);
        let Some(t) = timeline::parse(text, &doc.outline) else {
            return Vec::new();
        };
        t.days
            .iter()
            .filter(|d| !d.entries.is_empty())
            .map(|day| RecordDay {
                date: day.date.to_string(),
                entries: day
                    .entries
                    .iter()
                    .map(|&i| {
                        let e = &t.entries[i];
                        let seconds = e.at.format("%S").to_string() != "00";
                        let mut time =
                            e.at.format(if seconds { "%H:%M:%S" } else { "%H:%M" })
                                .to_string();
                        if e.at.offset().local_minus_utc() != 0 {
                            time.push_str(&e.at.format(" %:z").to_string());
                        }
                        RecordEntry {
                            time,
                            iso: e.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                            kind: e.kind.map(|k| k.name().to_string()).unwrap_or_default(),
                            milestone: e.kind.is_some_and(|k| k.time_point().is_some()),
                            author: e.author.as_deref().map(|a| self.person(page, a)),
                            text: e.text.clone(),
                        }
                    })
                    .collect(),
            })
            .collect()
    }
}
