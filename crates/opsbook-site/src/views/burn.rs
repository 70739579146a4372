//! The burn-rate alerts that `opsbook slo rules` generates for an SLO, as its SLA page
//! shows them: which budget burns how fast before someone is paged or ticketed, and
//! whether the handbook's rule files carry the alert.

use super::Ctx;
use super::alerts::{ALERTS_PAGE, alert_id};
use crate::paths::relative;
use opsbook_core::model::Document;
use opsbook_slo::burn::trim_number;
use opsbook_slo::generate::SloRules;
use serde::Serialize;
use std::collections::HashMap;

/// One generated alert of an SLO.
#[derive(Debug, Serialize)]
pub struct BurnAlertView {
    /// The alert name, e.g. `OrderBookApiAvailabilityBurnFast`.
    pub name: String,
    /// `page` or `ticket`.
    pub urgency: &'static str,
    /// Its conditions (either one fires the alert).
    pub conditions: Vec<BurnConditionView>,
    /// The alert on the alerts page, when the handbook's rule files define it.
    pub deployed: Option<String>,
}

/// One multi-window condition of a generated alert.
#[derive(Debug, Serialize)]
pub struct BurnConditionView {
    /// The long and short windows, `1h` and `5m`.
    pub long: &'static str,
    /// The short window.
    pub short: &'static str,
    /// The burn-rate factor for the SLO's window, `14.4`.
    pub factor: String,
    /// The error ratio above which it holds, in percent, `1.44`.
    pub threshold: String,
    /// The share of the window's error budget that burns within the long window, `2`.
    pub budget: String,
}

impl Ctx<'_> {
    /// The generated alerts of each SLO of the SLA `doc`, by SLO name, for `page`; an SLO
    /// without complete queries has none (nothing is generated for it).
    pub fn burn_alerts(&self, page: &str, doc: &Document) -> HashMap<String, Vec<BurnAlertView>> {
        opsbook_slo::generate::rules_of(self.handbook, doc)
            .into_iter()
            .map(|rules| (rules.slo.clone(), self.burn_views(page, &rules)))
            .collect()
    }

    fn burn_views(&self, page: &str, rules: &SloRules) -> Vec<BurnAlertView> {
        rules
            .alerts
            .iter()
            .map(|alert| BurnAlertView {
                name: alert.name.clone(),
                urgency: alert.urgency.as_str(),
                conditions: alert
                    .conditions
                    .iter()
                    .map(|f| BurnConditionView {
                        long: f.condition.long,
                        short: f.condition.short,
                        factor: trim_number(f.factor),
                        threshold: trim_number(f.threshold * 100.0),
                        budget: f.condition.budget_percent(),
                    })
                    .collect(),
                deployed: self
                    .rel
                    .alerts
                    .as_ref()
                    .is_some_and(|a| !a.defined(&alert.name).is_empty())
                    .then(|| format!("{}#{}", relative(page, ALERTS_PAGE), alert_id(&alert.name))),
            })
            .collect()
    }
}
