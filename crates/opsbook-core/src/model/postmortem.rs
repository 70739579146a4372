//! A postmortem: what happened in an incident, and what we do about it.

use super::{Date, Extra, Timestamp};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where the incident itself stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Still broken; people are working on it.
    Investigating,
    /// Customer impact has stopped; the repair is not finished.
    Mitigated,
    /// Repaired.
    Resolved,
}

/// Where the write-up stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Review {
    /// Being written.
    #[default]
    Draft,
    /// Being reviewed by the team.
    InReview,
    /// Reviewed and published.
    Published,
}

/// Why a postmortem was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Trigger {
    /// Data was lost.
    DataLoss,
    /// The on-call engineer had to intervene.
    OnCallIntervention,
    /// Customers or revenue were affected.
    BusinessImpact,
    /// Monitoring failed to detect the problem.
    MonitoringFailure,
    /// It happened before.
    Recurring,
}

/// Where an action item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ItemStatus {
    /// Not started.
    #[default]
    Open,
    /// Being worked on.
    InProgress,
    /// Finished.
    Done,
    /// Dropped on purpose.
    Cancelled,
}

impl ItemStatus {
    /// Whether work is still expected.
    pub fn is_open(self) -> bool {
        matches!(self, ItemStatus::Open | ItemStatus::InProgress)
    }
}

/// A corrective action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionItem {
    /// What is to be done.
    pub title: String,
    /// Who does it (a person or a team).
    pub owner: Option<String>,
    /// By when.
    pub due: Option<Date>,
    /// Where it stands.
    #[serde(default)]
    pub status: ItemStatus,
    /// The ticket.
    pub link: Option<String>,
}

/// The time-points of an incident, in the order names of DESIGN.md.
pub const TIME_POINTS: [&str; 6] = [
    "started",
    "detected",
    "declared",
    "acknowledged",
    "mitigated",
    "resolved",
];

/// Frontmatter of a `postmortem` document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Postmortem {
    /// The document kind, when not given by the folder.
    pub kind: Option<String>,
    /// The incident id (default: the file stem).
    pub id: Option<String>,
    /// Display name.
    pub title: String,
    /// Severity, from the handbook's scale (default SEV1–SEV4).
    pub severity: String,
    /// Where the incident stands.
    pub status: Status,
    /// Where the write-up stands.
    #[serde(default)]
    pub review: Review,
    /// Services affected.
    #[serde(default)]
    pub services: Vec<String>,
    /// Runbooks used.
    #[serde(default)]
    pub runbooks: Vec<String>,
    /// When the problem began.
    pub started: Option<Timestamp>,
    /// When it was noticed.
    pub detected: Option<Timestamp>,
    /// When the incident was opened (may follow the repair when declared retroactively).
    pub declared: Option<Timestamp>,
    /// When someone acknowledged the page.
    pub acknowledged: Option<Timestamp>,
    /// When customer impact stopped.
    pub mitigated: Option<Timestamp>,
    /// When it was repaired.
    pub resolved: Option<Timestamp>,
    /// The incident commander.
    pub commander: Option<String>,
    /// Other roles: `communications`, `scribe`, …
    #[serde(default)]
    pub roles: BTreeMap<String, String>,
    /// Who wrote the postmortem.
    #[serde(default)]
    pub authors: Vec<String>,
    /// Why a postmortem was written.
    #[serde(default)]
    pub triggers: Vec<Trigger>,
    /// SLOs whose budget the incident consumed.
    #[serde(default)]
    pub slo_impact: Vec<String>,
    /// Corrective actions.
    #[serde(default)]
    pub action_items: Vec<ActionItem>,
    /// Old addresses of this page, each redirected to it (e.g. `/runbooks/old-name/`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Free-form data for templates.
    #[serde(default)]
    pub extra: Extra,
}

impl Postmortem {
    /// A time-point by name (see [`TIME_POINTS`]).
    pub fn time_point(&self, name: &str) -> Option<Timestamp> {
        match name {
            "started" => self.started,
            "detected" => self.detected,
            "declared" => self.declared,
            "acknowledged" => self.acknowledged,
            "mitigated" => self.mitigated,
            "resolved" => self.resolved,
            _ => None,
        }
    }
}
