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
    /// The PromQL query counting good events over `[$window]` (or over the SLA's
    /// window written out, e.g. `[30d]`); with `total`.
    pub good: Option<String>,
    /// The PromQL query counting bad events, instead of `good`; with `total`.
    pub error: Option<String>,
    /// The PromQL query counting all events.
    pub total: Option<String>,
}

/// An SLO's indicator as PromQL queries: the ratio of good (or bad) events to all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queries<'a> {
    /// The indicator is `good / total`.
    Good {
        /// Counts good events.
        good: &'a str,
        /// Counts all events.
        total: &'a str,
    },
    /// The indicator is `1 - error / total`.
    Error {
        /// Counts bad events.
        error: &'a str,
        /// Counts all events.
        total: &'a str,
    },
}

impl Queries<'_> {
    /// The queries by frontmatter key, in the order they are written in the ratio.
    pub fn by_key(&self) -> [(&'static str, &str); 2] {
        match *self {
            Queries::Good { good, total } => [("good", good), ("total", total)],
            Queries::Error { error, total } => [("error", error), ("total", total)],
        }
    }
}

impl Slo {
    /// Whether the SLO states its indicator as queries (any of `good`, `error`, `total`).
    pub fn has_queries(&self) -> bool {
        self.good.is_some() || self.error.is_some() || self.total.is_some()
    }

    /// The queries, when they are complete: `total` and exactly one of `good`, `error`.
    pub fn queries(&self) -> Option<Queries<'_>> {
        match (&self.good, &self.error, &self.total) {
            (Some(good), None, Some(total)) => Some(Queries::Good { good, total }),
            (None, Some(error), Some(total)) => Some(Queries::Error { error, total }),
            _ => None,
        }
    }
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
    /// Display name (default: "<service title> SLA", or "<service id> SLA" when the
    /// service has no document).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
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
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Free-form data for templates.
    #[serde(default)]
    pub extra: Extra,
}
