//! Error budgets: per SLO, budget = (1 − objective) × window; consumed = the impact
//! (mitigated − started) of the service's incidents that name the SLO in `slo_impact`,
//! clipped to the window that ends at `--until` (else now), with overlapping incidents
//! counted once. An incident that names no SLO is charged only when its severity is listed
//! in `stats.charge_without_slo_impact`; one still open is charged up to the window's end
//! and marked so.

use crate::StatsOptions;
use crate::metrics::{LeftOut, PointRef};
use crate::timeline::{Incident, name};
use chrono::{DateTime, Utc};
use opsbook_core::Handbook;
use opsbook_core::config::TimePoint;
use opsbook_core::model::Status;
use serde::Serialize;

/// One incident's share of an error budget.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetIncident {
    /// The incident.
    pub incident: String,
    /// Impact start (`started`, else `detected`, else `declared`).
    pub from: PointRef,
    /// Impact end (`mitigated`, else `resolved`); `None` while the impact goes on (counted
    /// until the window's end).
    pub to: Option<PointRef>,
    /// Seconds of impact inside the window (before removing overlaps with other incidents).
    pub seconds_in_window: f64,
    /// Whether the impact has no end yet (`status: investigating`, no `mitigated` or
    /// `resolved`): it is charged up to the window's end, and grows until it is mitigated.
    pub still_open: bool,
    /// Why it is charged to this SLO, for people.
    pub why: String,
}

/// The error budget of one SLO.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetReport {
    /// The SLA document's id.
    pub sla: String,
    /// The service.
    pub service: String,
    /// The SLO's name.
    pub slo: String,
    /// Its objective in percent.
    pub objective: f64,
    /// The window, e.g. `30d`.
    pub window: String,
    /// Where the window starts.
    pub window_start: DateTime<Utc>,
    /// Where it ends.
    pub window_end: DateTime<Utc>,
    /// (1 − objective) × window, in seconds.
    pub budget_seconds: f64,
    /// Impact inside the window, overlaps counted once, in seconds.
    pub consumed_seconds: f64,
    /// consumed ÷ budget, in percent (may exceed 100).
    pub consumed_percent: f64,
    /// Budget left (negative when exhausted), in seconds.
    pub remaining_seconds: f64,
    /// The incidents that consumed it.
    pub incidents: Vec<BudgetIncident>,
    /// The service's incidents left out, with the reason.
    pub left_out: Vec<LeftOut>,
}

fn secs(d: chrono::TimeDelta) -> f64 {
    d.num_milliseconds() as f64 / 1000.0
}

pub(crate) fn compute(
    handbook: &Handbook,
    incidents: &[&Incident],
    options: &StatsOptions,
) -> Vec<BudgetReport> {
    let end = options.until.map_or(options.now, |u| u.min(options.now));
    let charged_anyway = &handbook.config.stats.charge_without_slo_impact;
    let mut out = Vec::new();
    for doc in &handbook.documents {
        let Some(sla) = doc.as_sla() else { continue };
        let start = end - sla.window.to_chrono();
        for slo in &sla.slos {
            let mut report = BudgetReport {
                sla: doc.id.clone(),
                service: sla.service.clone(),
                slo: slo.name.clone(),
                objective: slo.objective.0,
                window: sla.window.to_string(),
                window_start: start,
                window_end: end,
                budget_seconds: (1.0 - slo.objective.0 / 100.0) * sla.window.as_millis() as f64
                    / 1000.0,
                consumed_seconds: 0.0,
                consumed_percent: 0.0,
                remaining_seconds: 0.0,
                incidents: Vec::new(),
                left_out: Vec::new(),
            };
            let mut intervals = Vec::new();
            for incident in incidents {
                if !incident.services.contains(&sla.service) {
                    continue;
                }
                let why = if incident.slo_impact.contains(&slo.name) {
                    format!("its `slo_impact` names `{}`", slo.name)
                } else if !incident.slo_impact.is_empty() {
                    continue; // it names other SLOs
                } else if charged_anyway.contains(&incident.severity) {
                    format!(
                        "no `slo_impact`; {} incidents are charged to every SLO (`stats.charge_without_slo_impact`)",
                        incident.severity
                    )
                } else {
                    report.left_out.push(LeftOut::new(
                        incident,
                        format!(
                            "no `slo_impact`: it names no SLO it hurt (list {} in `stats.charge_without_slo_impact` to charge such incidents to every SLO)",
                            if incident.severity.is_empty() { "its severity" } else { incident.severity.as_str() }
                        ),
                    ));
                    continue;
                };
                let Some((from_tp, from)) = incident.opened() else {
                    report.left_out.push(LeftOut::new(
                        incident,
                        "no `started`, `detected` or `declared`: the impact cannot be placed",
                    ));
                    continue;
                };
                let to = [TimePoint::Mitigated, TimePoint::Resolved]
                    .into_iter()
                    .find_map(|tp| incident.point(tp).map(|p| (tp, p)));
                let impact_end = match to {
                    Some((_, p)) => p.at.0.to_utc(),
                    None if incident.status == Status::Investigating => end,
                    None => {
                        report.left_out.push(LeftOut::new(
                            incident,
                            format!(
                                "`status: {}`, but no `mitigated` or `resolved` time is known: the impact has no end",
                                crate::timeline::status_name(incident.status)
                            ),
                        ));
                        continue;
                    }
                };
                let (a, b) = (from.at.0.to_utc().max(start), impact_end.min(end));
                if b <= a {
                    continue; // outside the window
                }
                intervals.push((a, b));
                report.incidents.push(BudgetIncident {
                    incident: incident.id.clone(),
                    from: PointRef {
                        point: name(from_tp),
                        value: from.clone(),
                    },
                    to: to.map(|(tp, p)| PointRef {
                        point: name(tp),
                        value: p.clone(),
                    }),
                    seconds_in_window: secs(b - a),
                    still_open: to.is_none(),
                    why,
                });
            }
            report.consumed_seconds = union_seconds(intervals);
            report.remaining_seconds = report.budget_seconds - report.consumed_seconds;
            report.consumed_percent = if report.budget_seconds > 0.0 {
                report.consumed_seconds / report.budget_seconds * 100.0
            } else {
                0.0
            };
            out.push(report);
        }
    }
    out
}

/// The total length of a set of intervals, overlaps counted once.
fn union_seconds(mut intervals: Vec<(DateTime<Utc>, DateTime<Utc>)>) -> f64 {
    intervals.sort();
    let mut total = 0.0;
    let mut current: Option<(DateTime<Utc>, DateTime<Utc>)> = None;
    for (a, b) in intervals {
        current = match current {
            Some((s, e)) if a <= e => Some((s, e.max(b))),
            Some((s, e)) => {
                total += secs(e - s);
                Some((a, b))
            }
            None => Some((a, b)),
        };
    }
    if let Some((s, e)) = current {
        total += secs(e - s);
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn overlaps_count_once() {
        let t = |h| Utc.with_ymd_and_hms(2026, 1, 1, h, 0, 0).unwrap();
        assert_eq!(
            union_seconds(vec![(t(1), t(3)), (t(2), t(4)), (t(6), t(7))]),
            4.0 * 3600.0
        );
        assert_eq!(union_seconds(vec![]), 0.0);
    }
}
