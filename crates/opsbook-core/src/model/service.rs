//! A service: something that runs, has an owner, and can break.

use super::{Extra, Tier};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A link to a dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dashboard {
    /// What the dashboard shows.
    pub title: String,
    /// Where it is.
    pub url: String,
}

/// Frontmatter of a `service` document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// The document kind, when not given by the folder.
    pub kind: Option<String>,
    /// The service id (default: the file stem).
    pub id: Option<String>,
    /// Display name.
    pub title: String,
    /// The owning team's id.
    pub owner: String,
    /// Criticality, 1 (most critical) to 4.
    pub tier: Option<Tier>,
    /// Services this one calls.
    #[serde(default)]
    pub depends_on: Vec<String>,
    /// The port it listens on.
    pub port: Option<u16>,
    /// URL paths it serves.
    #[serde(default)]
    pub paths: Vec<String>,
    /// The id of its main runbook.
    pub runbook: Option<String>,
    /// The id of its SLA.
    pub sla: Option<String>,
    /// The id of its escalation policy.
    pub escalation: Option<String>,
    /// Dashboards to open first.
    #[serde(default)]
    pub dashboards: Vec<Dashboard>,
    /// Its source repository.
    pub repo: Option<String>,
    /// Old addresses of this page, each redirected to it (e.g. `/runbooks/old-name/`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Free-form data for templates.
    #[serde(default)]
    pub extra: Extra,
}
