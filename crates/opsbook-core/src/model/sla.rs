//! A service-level agreement: objectives, their window, and what a breach costs.

use super::{Duration, Extra, Percent};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A service-level objective.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Slo {
    /// Its name, e.g. `availability`; postmortems name it in `slo_impact`.
    pub name: String,
    /// The indicator, in words (e.g. "successful requests / total requests").
    pub sli: String,
    /// The target, in percent.
    pub objective: Percent,
    /// A latency threshold, e.g. `300ms`.
    pub threshold: Option<Duration>,
    /// The query counting good events.
    pub good: Option<String>,
    /// The query counting all events.
    pub total: Option<String>,
}

/// A contractual commitment and what breaking it costs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Commitment {
    /// The objective, in percent.
    pub objective: Percent,
    /// What happens below it.
    pub consequence: String,
}

/// Response and resolution times for a ticket priority.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketTarget {
    /// Time to first response.
    pub response: Option<Duration>,
    /// Time to resolution.
    pub resolve: Option<Duration>,
}

/// Frontmatter of an `sla` document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sla {
    /// The document kind, when not given by the folder.
    pub kind: Option<String>,
    /// The SLA id (default: the file stem).
    pub id: Option<String>,
    /// The service it covers.
    pub service: String,
    /// Who it is agreed with.
    pub customer: Option<String>,
    /// The window objectives are measured over, e.g. `30d`.
    pub window: Duration,
    /// The objectives.
    #[serde(default)]
    pub slos: Vec<Slo>,
    /// Contractual commitments.
    #[serde(default)]
    pub sla: Vec<Commitment>,
    /// Ticket targets per priority (`P1`, `P2`, …).
    #[serde(default)]
    pub ticket_sla: BTreeMap<String, TicketTarget>,
    /// Old addresses of this page, each redirected to it (e.g. `/runbooks/old-name/`).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Free-form data for templates.
    #[serde(default)]
    pub extra: Extra,
}
