//! Stakeholder updates, from the `[update]` entries of each postmortem's structured
//! timeline (`opsbook_core::timeline`; `opsbook incident update` writes them): time to
//! first update and update cadence. Frontmatter and git do not record updates, so these
//! figures exist only where the record has them.

use crate::metrics::LeftOut;
use crate::summary::Summary;
use crate::timeline::Incident;
use chrono::{DateTime, FixedOffset};
use opsbook_core::Handbook;
use opsbook_core::config::TimePoint;
use opsbook_core::timeline::{self, EntryKind};
use serde::Serialize;

/// One incident's value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UpdateValue {
    /// The incident's id.
    pub incident: String,
    /// Seconds.
    pub seconds: f64,
    /// How many updates the record has.
    pub updates: usize,
}

/// One update figure over the incidents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UpdateFigure {
    /// Its name in JSON and tables.
    pub name: &'static str,
    /// For people.
    pub title: &'static str,
    /// What it is computed from.
    pub formula: &'static str,
    /// Count, mean, median, p90, min, max in seconds.
    #[serde(flatten)]
    pub summary: Summary,
    /// Each incident's value.
    pub values: Vec<UpdateValue>,
    /// The incidents without a value, and why.
    pub left_out: Vec<LeftOut>,
}

/// Both update figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UpdatesReport {
    /// First `[update]` entry − `declared` (else the start).
    pub time_to_first_update: UpdateFigure,
    /// Per incident, the mean gap between consecutive `[update]` entries.
    pub update_cadence: UpdateFigure,
}

fn figure(name: &'static str, title: &'static str, formula: &'static str) -> UpdateFigure {
    UpdateFigure {
        name,
        title,
        formula,
        summary: Summary::default(),
        values: Vec::new(),
        left_out: Vec::new(),
    }
}

/// The update times of an incident's record, in time order.
fn updates(handbook: &Handbook, incident: &Incident) -> Vec<DateTime<FixedOffset>> {
    let Some(doc) = handbook.by_path(&incident.path) else {
        return Vec::new();
    };
    let mut times: Vec<_> = timeline::parse(handbook.text_of(doc), &doc.outline)
        .map(|t| {
            t.entries
                .into_iter()
                .filter(|e| e.kind == Some(EntryKind::Update))
                .map(|e| e.at)
                .collect()
        })
        .unwrap_or_default();
    times.sort();
    times
}

pub(super) fn compute(handbook: &Handbook, incidents: &[&Incident]) -> UpdatesReport {
    let mut first = figure(
        "time_to_first_update",
        "Time to first update",
        "the first [update] entry of the timeline − declared (else started, else detected)",
    );
    let mut cadence = figure(
        "update_cadence",
        "Update cadence",
        "(last [update] entry − first) / (updates − 1), per incident with two updates or more",
    );
    for incident in incidents {
        let times = updates(handbook, incident);
        let from = incident
            .point(TimePoint::Declared)
            .or_else(|| incident.opened().map(|(_, p)| p));
        match (times.first(), from) {
            (None, _) => first.left_out.push(LeftOut::new(
                incident,
                "no `[update]` entry in its timeline",
            )),
            (Some(_), None) => first.left_out.push(LeftOut::new(
                incident,
                "no `declared`, `started` or `detected` to count from",
            )),
            (Some(t), Some(p)) => first.values.push(UpdateValue {
                incident: incident.id.clone(),
                seconds: (*t - p.at.0).num_seconds() as f64,
                updates: times.len(),
            }),
        }
        match (times.first(), times.last()) {
            (Some(a), Some(b)) if times.len() >= 2 => cadence.values.push(UpdateValue {
                incident: incident.id.clone(),
                seconds: (*b - *a).num_seconds() as f64 / (times.len() - 1) as f64,
                updates: times.len(),
            }),
            _ => cadence.left_out.push(LeftOut::new(
                incident,
                format!(
                    "{} `[update]` entries in its timeline; a cadence needs two",
                    times.len()
                ),
            )),
        }
    }
    for f in [&mut first, &mut cadence] {
        let seconds: Vec<f64> = f.values.iter().map(|v| v.seconds).collect();
        f.summary = Summary::of(&seconds);
    }
    UpdatesReport {
        time_to_first_update: first,
        update_cadence: cadence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use opsbook_core::LoadOptions;

    #[test]
    fn first_update_and_cadence_come_from_the_update_entries() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("postmortems");
        std::fs::create_dir(&dir).unwrap();
        let pm = |updates: &str| {
            format!(
                "---\ntitle: x\nseverity: SEV2\nstatus: investigating\nstarted: 2026-03-01T13:50:00Z\ndeclared: 2026-03-01T14:00:00Z\n---\n## Timeline\n\n### 2026-03-01\n\n- 14:01Z [action] not an update\n{updates}"
            )
        };
        std::fs::write(
            dir.join("a.md"),
            pm("- 14:10Z [update] one\n- 14:40Z [update] two\n- 15:30:30Z [update] three\n"),
        )
        .unwrap();
        std::fs::write(dir.join("b.md"), pm("")).unwrap();
        let (handbook, _) = opsbook_core::load(tmp.path(), &LoadOptions::default()).unwrap();
        let (incidents, _) = crate::timeline::incidents(&handbook, None);
        let kept: Vec<&Incident> = incidents.iter().collect();
        let report = compute(&handbook, &kept);
        let first = &report.time_to_first_update;
        assert_eq!(first.summary.mean, Some(600.0));
        assert_eq!(first.left_out[0].incident, "b");
        assert_eq!(
            first.left_out[0].reason,
            "no `[update]` entry in its timeline"
        );
        // (15:30:30 − 14:10) / 2 gaps.
        assert_eq!(report.update_cadence.summary.mean, Some(2415.0));
        assert_eq!(report.update_cadence.values[0].updates, 3);
    }
}
