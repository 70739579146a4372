//! Error budgets: how much unreliability an SLO allows per window, and how much of it the
//! service's incidents consumed in the window that ends now.
//!
//! Budget = (1 − objective) × window. Consumed = the impact minutes (mitigated − started)
//! of the service's incidents, clipped to the window. An incident counts against an SLO
//! when it names the SLO in `slo_impact`, or names no SLO at all.

use chrono::{DateTime, Utc};
use opsbook_core::model::{Postmortem, Slo};

/// The budget of one SLO.
#[derive(Debug, Clone, PartialEq)]
pub struct Budget {
    /// Allowed minutes of failure per window.
    pub budget_minutes: f64,
    /// Minutes consumed by incidents inside the window.
    pub consumed_minutes: f64,
    /// Incidents that count against this SLO but have no impact window (no `started` or
    /// no `mitigated`), by id.
    pub unmeasured: Vec<String>,
}

impl Budget {
    /// Consumed as a share of the budget, in percent (may exceed 100).
    pub fn consumed_percent(&self) -> f64 {
        if self.budget_minutes <= 0.0 {
            0.0
        } else {
            self.consumed_minutes / self.budget_minutes * 100.0
        }
    }
}

/// The budget of `slo` over a window of `window_secs` ending at `now`, given the
/// incidents of its service (`(id, postmortem)`).
pub fn budget<'a>(
    slo: &Slo,
    window_secs: i64,
    now: DateTime<Utc>,
    incidents: impl IntoIterator<Item = (&'a str, &'a Postmortem)>,
) -> Budget {
    let window_minutes = window_secs as f64 / 60.0;
    let budget_minutes = (1.0 - slo.objective.0 / 100.0) * window_minutes;
    let start = now - chrono::TimeDelta::seconds(window_secs);
    let mut consumed = 0.0;
    let mut unmeasured = Vec::new();
    for (id, pm) in incidents {
        if !(pm.slo_impact.is_empty() || pm.slo_impact.iter().any(|s| s == &slo.name)) {
            continue;
        }
        let (Some(from), Some(to)) = (pm.started, pm.mitigated) else {
            unmeasured.push(id.to_string());
            continue;
        };
        let from = from.0.with_timezone(&Utc).max(start);
        let to = to.0.with_timezone(&Utc).min(now);
        if to > from {
            consumed += (to - from).num_seconds() as f64 / 60.0;
        }
    }
    Budget {
        budget_minutes,
        consumed_minutes: consumed,
        unmeasured,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use opsbook_core::model::Percent;

    fn slo(objective: f64) -> Slo {
        Slo {
            name: "availability".into(),
            sli: "ok/total".into(),
            objective: Percent(objective),
            threshold: None,
            good: None,
            total: None,
        }
    }

    fn pm(started: &str, mitigated: &str) -> Postmortem {
        let text = format!(
            "title: x\nseverity: SEV1\nstatus: resolved\nstarted: {started}\nmitigated: {mitigated}\n"
        );
        let node = opsbook_core::yaml::parse(&text, 0).unwrap().unwrap();
        let mut d = Vec::new();
        opsbook_core::frontmatter::read_typed(&node, &[], "x", "x", &mut d).unwrap()
    }

    #[test]
    fn budget_is_clipped_to_the_window() {
        let now: DateTime<Utc> = "2026-03-31T00:00:00Z".parse().unwrap();
        let inside = pm("2026-03-10T10:00:00Z", "2026-03-10T10:30:00Z");
        let straddling = pm("2026-02-28T23:00:00Z", "2026-03-01T01:00:00Z");
        let before = pm("2026-01-01T00:00:00Z", "2026-01-01T05:00:00Z");
        let b = budget(
            &slo(99.9),
            30 * 86_400,
            now,
            [("a", &inside), ("b", &straddling), ("c", &before)],
        );
        assert!((b.budget_minutes - 43.2).abs() < 1e-9);
        // 30 minutes inside, plus the hour of the straddling one after 2026-03-01T00:00.
        assert!((b.consumed_minutes - 90.0).abs() < 1e-9, "{b:?}");
        assert!(b.unmeasured.is_empty());
    }
}
