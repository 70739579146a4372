//! Reliability statistics from frontmatter time-points: per metric (MTTD, MTTA, MTTM,
//! MTTR, … as defined in handbook.yaml) the count, mean, median, p90, min and max,
//! overall and by severity, service and quarter, with the incidents left out and why.
//!
//! Self-contained on purpose: the git-history crate computes the same figures with
//! git-derived times, and can replace [`compute`] without touching the pages.

use chrono::{DateTime, Datelike, Utc};
use opsbook_core::config::{Metric, TimePoint};
use opsbook_core::model::Postmortem;
use std::collections::BTreeMap;

/// One incident as statistics see it.
#[derive(Debug, Clone)]
pub struct Incident<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its severity.
    pub severity: &'a str,
    /// The services it affected.
    pub services: &'a [String],
    /// Its frontmatter, for the time-points.
    pub postmortem: &'a Postmortem,
}

/// Count, mean, median, p90, min and max of a set of durations, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Figure {
    /// How many durations.
    pub count: usize,
    /// Their mean.
    pub mean: f64,
    /// The median: the middle value, or the mean of the two middle values.
    pub median: f64,
    /// The 90th percentile, linearly interpolated between the closest ranks.
    pub p90: f64,
    /// The shortest.
    pub min: f64,
    /// The longest.
    pub max: f64,
}

impl Figure {
    /// The figure of `values` (any order); `None` when there are none.
    pub fn of(values: &[f64]) -> Option<Figure> {
        if values.is_empty() {
            return None;
        }
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        let n = v.len();
        let median = if n % 2 == 1 {
            v[n / 2]
        } else {
            (v[n / 2 - 1] + v[n / 2]) / 2.0
        };
        let rank = 0.9 * (n - 1) as f64;
        let (lo, hi) = (rank.floor() as usize, rank.ceil() as usize);
        let p90 = v[lo] + (v[hi] - v[lo]) * (rank - lo as f64);
        Some(Figure {
            count: n,
            mean: v.iter().sum::<f64>() / n as f64,
            median,
            p90,
            min: v[0],
            max: v[n - 1],
        })
    }
}

/// One metric's figures.
#[derive(Debug, Clone)]
pub struct MetricStats {
    /// Its key in handbook.yaml, e.g. `MTTR`.
    pub key: String,
    /// Its readable name.
    pub title: String,
    /// Its formula, e.g. `resolved − (started, else detected, else declared)`.
    pub formula: String,
    /// Over all incidents measured.
    pub overall: Option<Figure>,
    /// By severity, in the order of the handbook's scale.
    pub by_severity: Vec<(String, Figure)>,
    /// By service, by name.
    pub by_service: Vec<(String, Figure)>,
    /// By quarter of the incident's start (`2026-Q2`), in time order.
    pub by_quarter: Vec<(String, Figure)>,
    /// Incidents left out, with the reason.
    pub left_out: Vec<(String, String)>,
}

fn point(pm: &Postmortem, p: TimePoint) -> Option<DateTime<Utc>> {
    let t = match p {
        TimePoint::Started => pm.started,
        TimePoint::Detected => pm.detected,
        TimePoint::Declared => pm.declared,
        TimePoint::Acknowledged => pm.acknowledged,
        TimePoint::Mitigated => pm.mitigated,
        TimePoint::Resolved => pm.resolved,
        TimePoint::Published => None,
    };
    t.map(|t| t.0.with_timezone(&Utc))
}

fn name(p: TimePoint) -> &'static str {
    match p {
        TimePoint::Started => "started",
        TimePoint::Detected => "detected",
        TimePoint::Declared => "declared",
        TimePoint::Acknowledged => "acknowledged",
        TimePoint::Mitigated => "mitigated",
        TimePoint::Resolved => "resolved",
        TimePoint::Published => "published",
    }
}

/// The quarter of an incident: `2026-Q2`, from its first time-point.
pub fn quarter(pm: &Postmortem) -> Option<String> {
    let t = crate::relations::incident_start(pm)?;
    Some(format!("{}-Q{}", t.year(), (t.month() - 1) / 3 + 1))
}

fn formula(m: &Metric) -> String {
    let from: Vec<&str> = m.from.iter().map(|p| name(*p)).collect();
    let from = match from.as_slice() {
        [one] => one.to_string(),
        many => format!("({})", many.join(", else ")),
    };
    format!("{} − {from}", name(m.to))
}

/// Computes every metric of `metrics` over `incidents`. `severities` orders the groups.
pub fn compute(
    incidents: &[Incident<'_>],
    metrics: &BTreeMap<String, Metric>,
    severities: &[&str],
) -> Vec<MetricStats> {
    let order = ["MTTD", "MTTA", "MTTM", "MTTR"];
    let mut keys: Vec<&String> = metrics.keys().collect();
    keys.sort_by_key(|k| (order.iter().position(|o| o == k).unwrap_or(order.len()), *k));
    keys.into_iter()
        .map(|key| one_metric(key, &metrics[key], incidents, severities))
        .collect()
}

fn one_metric(
    key: &str,
    metric: &Metric,
    incidents: &[Incident<'_>],
    severities: &[&str],
) -> MetricStats {
    let mut all = Vec::new();
    let mut sev: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    let mut svc: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    let mut qtr: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut left_out = Vec::new();
    for inc in incidents {
        let from = metric.from.iter().find_map(|p| point(inc.postmortem, *p));
        let to = point(inc.postmortem, metric.to);
        let reason = match (from, to) {
            (_, None) if metric.to == TimePoint::Published => {
                Some("no `published` time (it comes from git history)".to_string())
            }
            (_, None) => Some(format!("no `{}` time", name(metric.to))),
            (None, _) => Some(format!(
                "none of {}",
                metric
                    .from
                    .iter()
                    .map(|p| format!("`{}`", name(*p)))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            (Some(f), Some(t)) if t < f => Some(format!(
                "`{}` is before the start: the time-points are out of order",
                name(metric.to)
            )),
            _ => None,
        };
        if let Some(reason) = reason {
            left_out.push((inc.id.to_string(), reason));
            continue;
        }
        let (Some(f), Some(t)) = (from, to) else {
            continue;
        };
        let secs = (t - f).num_seconds() as f64;
        all.push(secs);
        sev.entry(inc.severity).or_default().push(secs);
        for s in inc.services {
            svc.entry(s).or_default().push(secs);
        }
        if let Some(q) = quarter(inc.postmortem) {
            qtr.entry(q).or_default().push(secs);
        }
    }
    let figures = |m: BTreeMap<&str, Vec<f64>>| -> Vec<(String, Figure)> {
        m.into_iter()
            .filter_map(|(k, v)| Some((k.to_string(), Figure::of(&v)?)))
            .collect()
    };
    let mut by_severity = figures(sev);
    by_severity.sort_by_key(|(s, _)| severities.iter().position(|x| x == s).unwrap_or(usize::MAX));
    MetricStats {
        key: key.to_string(),
        title: metric.title.clone().unwrap_or_else(|| key.to_string()),
        formula: formula(metric),
        overall: Figure::of(&all),
        by_severity,
        by_service: figures(svc),
        by_quarter: qtr
            .into_iter()
            .filter_map(|(k, v)| Some((k, Figure::of(&v)?)))
            .collect(),
        left_out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_p90_follow_the_design() {
        let f = Figure::of(&[4.0, 1.0, 3.0, 2.0]).unwrap();
        assert_eq!(
            (f.count, f.median, f.mean, f.min, f.max),
            (4, 2.5, 2.5, 1.0, 4.0)
        );
        // rank 0.9 × 3 = 2.7: 3 + 0.7 × (4 − 3)
        assert!((f.p90 - 3.7).abs() < 1e-9);
        let one = Figure::of(&[7.0]).unwrap();
        assert_eq!((one.median, one.p90), (7.0, 7.0));
        assert_eq!(Figure::of(&[]), None);
    }
}
