//! Duration metrics: for each incident, the time from one time-point to another; then
//! summaries overall and per severity, service, month, quarter and year.

use crate::summary::Summary;
use crate::timeline::{Incident, Point, Source, name};
use chrono::Datelike;
use opsbook_core::config::{Metric, TimePoint};
use serde::Serialize;
use std::collections::BTreeMap;

/// A way of grouping incidents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Grouping {
    /// By `severity`.
    Severity,
    /// By each of `services` (an incident counts for every service it names).
    Service,
    /// By the month the incident began (UTC), e.g. `2026-03`.
    Month,
    /// By quarter, e.g. `2026-Q1`.
    Quarter,
    /// By year.
    Year,
}

impl Grouping {
    /// Every grouping.
    pub const ALL: [Grouping; 5] = [
        Grouping::Severity,
        Grouping::Service,
        Grouping::Month,
        Grouping::Quarter,
        Grouping::Year,
    ];

    /// Its name.
    pub fn name(self) -> &'static str {
        match self {
            Grouping::Severity => "severity",
            Grouping::Service => "service",
            Grouping::Month => "month",
            Grouping::Quarter => "quarter",
            Grouping::Year => "year",
        }
    }

    /// The groups an incident belongs to.
    pub fn keys(self, incident: &Incident) -> Vec<String> {
        let opened = incident.opened().map(|(_, p)| p.at.0.to_utc());
        let period = |f: &dyn Fn(chrono::DateTime<chrono::Utc>) -> String| {
            vec![opened.map_or_else(|| "(no start time)".to_string(), f)]
        };
        match self {
            Grouping::Severity => vec![incident.severity.clone()],
            Grouping::Service if incident.services.is_empty() => vec!["(no service)".to_string()],
            Grouping::Service => {
                let mut s = incident.services.clone();
                s.sort();
                s.dedup();
                s
            }
            Grouping::Month => period(&|t| format!("{:04}-{:02}", t.year(), t.month())),
            Grouping::Quarter => period(&|t| format!("{:04}-Q{}", t.year(), t.month0() / 3 + 1)),
            Grouping::Year => period(&|t| format!("{:04}", t.year())),
        }
    }
}

/// A time-point used by a figure, with its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PointRef {
    /// Which time-point.
    pub point: &'static str,
    /// Its value and source.
    #[serde(flatten)]
    pub value: Point,
}

/// One incident's value for a metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measured {
    /// The incident.
    pub incident: String,
    /// The duration in seconds.
    pub seconds: f64,
    /// The start.
    pub from: PointRef,
    /// The end.
    pub to: PointRef,
}

/// An incident left out of a figure, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeftOut {
    /// The incident's id.
    pub incident: String,
    /// Its file.
    pub path: String,
    /// Why it was left out.
    pub reason: String,
}

impl LeftOut {
    pub(crate) fn new(incident: &Incident, reason: impl Into<String>) -> LeftOut {
        LeftOut {
            incident: incident.id.clone(),
            path: incident.path.clone(),
            reason: reason.into(),
        }
    }
}

/// A summary and what it is computed from.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figure {
    /// Count, mean, median, p90, min, max in seconds.
    #[serde(flatten)]
    pub summary: Summary,
    /// The incidents counted.
    pub incidents: Vec<String>,
    /// How many of the counted values use at least one git-derived time-point.
    pub from_git: usize,
    /// How many incidents of this group were left out (listed in the metric's `left_out`).
    pub left_out: usize,
}

/// One group's figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// The group, e.g. `SEV1`, `payments-api`, `2026-03`.
    pub key: String,
    /// Its figure.
    #[serde(flatten)]
    pub figure: Figure,
}

/// One duration metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricReport {
    /// Its name in handbook.yaml, e.g. `MTTR`.
    pub name: String,
    /// Its title, e.g. "Mean time to resolve".
    pub title: String,
    /// How each value is computed, e.g. "resolved − started (else detected, else declared)".
    pub formula: String,
    /// All incidents.
    pub overall: Figure,
    /// Per grouping, the groups in order.
    pub groups: BTreeMap<Grouping, Vec<Group>>,
    /// Every value counted, with its inputs.
    pub values: Vec<Measured>,
    /// Every incident left out, with the reason.
    pub left_out: Vec<LeftOut>,
}

/// "resolved − started (else detected, else declared)".
pub fn formula(metric: &Metric) -> String {
    let mut from = metric.from.iter().map(|tp| name(*tp));
    let first = from.next().unwrap_or("?");
    let rest: Vec<&str> = from.collect();
    let fallback = if rest.is_empty() {
        String::new()
    } else {
        format!(" (else {})", rest.join(", else "))
    };
    format!("{} − {first}{fallback}", name(metric.to))
}

fn list(points: &[TimePoint]) -> String {
    let names: Vec<String> = points.iter().map(|tp| format!("`{}`", name(*tp))).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// One incident's value, or why there is none.
fn measure(metric: &Metric, incident: &Incident) -> Result<Measured, String> {
    let start = metric
        .from
        .iter()
        .find_map(|tp| incident.point(*tp).map(|p| (*tp, p)));
    let end = incident.point(metric.to);
    let (Some((from, start)), Some(end)) = (start, end) else {
        let mut why = Vec::new();
        if start.is_none() {
            let reasons: Vec<String> = metric
                .from
                .iter()
                .filter_map(|tp| incident.unknown.get(tp).map(|r| (tp, r)))
                .map(|(tp, r)| {
                    if metric.from.len() == 1 {
                        r.clone()
                    } else {
                        format!("`{}` {r}", name(*tp))
                    }
                })
                .collect();
            why.push(format!("no {}: {}", list(&metric.from), reasons.join("; ")));
        }
        if end.is_none() {
            let reason = incident
                .unknown
                .get(&metric.to)
                .cloned()
                .unwrap_or_else(|| format!("no `{}`", name(metric.to)));
            why.push(format!("no `{}`: {reason}", name(metric.to)));
        }
        return Err(why.join("; "));
    };
    let millis = (end.at.0 - start.at.0).num_milliseconds();
    if millis < 0 {
        return Err(format!(
            "`{}` ({}) is before `{}` ({}): the time-points are out of order",
            name(metric.to),
            end.at,
            name(from),
            start.at
        ));
    }
    Ok(Measured {
        incident: incident.id.clone(),
        seconds: millis as f64 / 1000.0,
        from: PointRef {
            point: name(from),
            value: start.clone(),
        },
        to: PointRef {
            point: name(metric.to),
            value: end.clone(),
        },
    })
}

fn uses_git(m: &Measured) -> bool {
    matches!(m.from.value.source, Source::Git { .. }) || m.to.value.source.is_git()
}

fn figure<'a>(values: impl Iterator<Item = &'a Measured>, left_out: usize) -> Figure {
    let values: Vec<&Measured> = values.collect();
    let seconds: Vec<f64> = values.iter().map(|m| m.seconds).collect();
    Figure {
        summary: Summary::of(&seconds),
        incidents: values.iter().map(|m| m.incident.clone()).collect(),
        from_git: values.iter().filter(|m| uses_git(m)).count(),
        left_out,
    }
}

/// Computes one metric over `incidents`.
pub(crate) fn compute(
    name: &str,
    metric: &Metric,
    incidents: &[&Incident],
    severities: &[&str],
) -> MetricReport {
    let mut values = Vec::new();
    let mut left_out = Vec::new();
    // Per incident: Ok(index into values) or Err(()) when left out.
    let mut outcome = Vec::with_capacity(incidents.len());
    for incident in incidents {
        match measure(metric, incident) {
            Ok(m) => {
                outcome.push(Some(values.len()));
                values.push(m);
            }
            Err(reason) => {
                outcome.push(None);
                left_out.push(LeftOut::new(incident, reason));
            }
        }
    }
    let mut groups = BTreeMap::new();
    for grouping in Grouping::ALL {
        let mut members: BTreeMap<String, (Vec<usize>, usize)> = BTreeMap::new();
        for (incident, outcome) in incidents.iter().zip(&outcome) {
            for key in grouping.keys(incident) {
                let entry = members.entry(key).or_default();
                match outcome {
                    Some(i) => entry.0.push(*i),
                    None => entry.1 += 1,
                }
            }
        }
        let mut list: Vec<Group> = members
            .into_iter()
            .map(|(key, (idx, out))| Group {
                key,
                figure: figure(idx.iter().map(|&i| &values[i]), out),
            })
            .collect();
        if grouping == Grouping::Severity {
            let rank = |k: &str| {
                severities
                    .iter()
                    .position(|s| *s == k)
                    .unwrap_or(usize::MAX)
            };
            list.sort_by(|a, b| rank(&a.key).cmp(&rank(&b.key)).then(a.key.cmp(&b.key)));
        }
        groups.insert(grouping, list);
    }
    MetricReport {
        name: name.to_string(),
        title: metric.title.clone().unwrap_or_else(|| name.to_string()),
        formula: formula(metric),
        overall: figure(values.iter(), left_out.len()),
        groups,
        values,
        left_out,
    }
}
