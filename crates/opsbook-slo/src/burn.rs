//! The multi-window, multi-burn-rate policy of the Google SRE Workbook (chapter 5,
//! "Alerting on SLOs"), with its burn-rate factors scaled to the SLO's own window.
//!
//! The Workbook states the policy for a 30-day window: page when 2 % of the error budget
//! burns within 1 hour (14.4× the sustainable rate) or 5 % within 6 hours (6×); open a
//! ticket when 10 % burns within 1 day (3×) or within 3 days (1×). Each condition also
//! asks a short window (1/12 of the long one) to agree, so that an alert stops soon after
//! the burn does. What stays fixed is the share of the budget; the factor is
//! `share × SLO window / long window`, so a 28-day SLO pages at 13.44×.
//!
//! ```
//! use opsbook_slo::burn::{POLICY, Urgency};
//! let window = "30d".parse().unwrap();
//! let fast = &POLICY[0];
//! assert_eq!((fast.urgency, fast.long, fast.short), (Urgency::Page, "1h", "5m"));
//! assert_eq!(fast.factor(window), 14.4);
//! assert_eq!(fast.threshold(window, 99.9), 0.0144);
//! ```

use opsbook_core::model::Duration;

/// Who hears of a burning budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Urgency {
    /// Someone is paged now.
    Page,
    /// A ticket is opened for working hours.
    Ticket,
}

impl Urgency {
    /// `page` or `ticket`.
    pub fn as_str(self) -> &'static str {
        match self {
            Urgency::Page => "page",
            Urgency::Ticket => "ticket",
        }
    }
}

/// One condition of the policy: the error ratio over both windows is above
/// `factor × (1 − objective)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Condition {
    /// Who hears of it.
    pub urgency: Urgency,
    /// The share of the error budget that burns within `long`, in basis points (1/100 %).
    pub budget_bp: u32,
    /// The long window, as a PromQL duration.
    pub long: &'static str,
    /// The short window, as a PromQL duration.
    pub short: &'static str,
}

/// The Workbook's policy, most urgent first.
pub const POLICY: [Condition; 4] = [
    Condition {
        urgency: Urgency::Page,
        budget_bp: 200,
        long: "1h",
        short: "5m",
    },
    Condition {
        urgency: Urgency::Page,
        budget_bp: 500,
        long: "6h",
        short: "30m",
    },
    Condition {
        urgency: Urgency::Ticket,
        budget_bp: 1000,
        long: "1d",
        short: "2h",
    },
    Condition {
        urgency: Urgency::Ticket,
        budget_bp: 1000,
        long: "3d",
        short: "6h",
    },
];

/// Every window the policy evaluates the error ratio over, shortest first.
pub const WINDOWS: [&str; 7] = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"];

/// Objectives are read to a millionth of a percent, so that the arithmetic below is exact.
const OBJECTIVE_SCALE: f64 = 1e6;

impl Condition {
    /// The long window as a duration.
    pub fn long_window(&self) -> Duration {
        self.long.parse().unwrap_or_default()
    }

    /// The burn-rate factor for an SLO measured over `window`.
    pub fn factor(&self, window: Duration) -> f64 {
        // One division of exact integers: 14.4, not 14.400000000000002.
        let num = i128::from(self.budget_bp) * i128::from(window.as_millis());
        let den = 10_000 * i128::from(self.long_window().as_millis());
        num as f64 / den as f64
    }

    /// The error ratio above which the condition holds, for an SLO of `objective` percent
    /// over `window`: `factor × (1 − objective / 100)`.
    pub fn threshold(&self, window: Duration, objective: f64) -> f64 {
        let scale = 100.0 * OBJECTIVE_SCALE;
        let budget = (scale - (objective * OBJECTIVE_SCALE).round()) as i128;
        let num = i128::from(self.budget_bp) * i128::from(window.as_millis()) * budget;
        let den = 10_000 * i128::from(self.long_window().as_millis()) * scale as i128;
        num as f64 / den as f64
    }

    /// The share of the budget, as a percentage for people (`2 %`).
    pub fn budget_percent(&self) -> String {
        trim_number(f64::from(self.budget_bp) / 100.0)
    }
}

/// A number for people: at most four decimals, no trailing zeros (`14.4`, `0.9333`).
pub fn trim_number(value: f64) -> String {
    let text = format!("{value:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Duration {
        text.parse().unwrap()
    }

    #[test]
    fn factors_of_a_30_day_window_are_the_workbooks() {
        let factors: Vec<f64> = POLICY.iter().map(|c| c.factor(d("30d"))).collect();
        assert_eq!(factors, [14.4, 6.0, 3.0, 1.0]);
    }

    #[test]
    fn factors_scale_with_the_window() {
        let factors: Vec<String> = POLICY
            .iter()
            .map(|c| trim_number(c.factor(d("28d"))))
            .collect();
        assert_eq!(factors, ["13.44", "5.6", "2.8", "0.9333"]);
    }

    #[test]
    fn thresholds_are_exact() {
        let page = &POLICY[0];
        assert_eq!(page.threshold(d("30d"), 99.9), 0.0144);
        assert_eq!(page.threshold(d("30d"), 95.0), 0.72);
        assert_eq!(page.threshold(d("30d"), 99.99), 0.00144);
        assert_eq!(page.threshold(d("28d"), 99.9), 0.01344);
        assert_eq!(POLICY[1].threshold(d("30d"), 99.9), 0.006);
        assert_eq!(POLICY[3].threshold(d("30d"), 95.0), 0.05);
    }
}
