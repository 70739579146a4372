//! A runbook: what to do when a service misbehaves.

use super::{Dashboard, Date, Duration, Extra};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Frontmatter of a `runbook` document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Runbook {
    /// The document kind, when not given by the folder.
    pub kind: Option<String>,
    /// The runbook id (default: the file stem).
    pub id: Option<String>,
    /// Display name.
    pub title: String,
    /// The service it is for.
    pub service: Option<String>,
    /// The team that keeps it up to date.
    pub owner: Option<String>,
    /// The escalation policy to follow.
    pub escalation: Option<String>,
    /// The SLA of the service.
    pub sla: Option<String>,
    /// When it was last reviewed.
    pub reviewed: Option<Date>,
    /// How often it must be reviewed (default: `review_every` of handbook.yaml).
    pub review_every: Option<Duration>,
    /// Names of the alerts it answers.
    #[serde(default)]
    pub alerts: Vec<String>,
    /// Dashboards to open first.
    #[serde(default)]
    pub dashboards: Vec<Dashboard>,
    /// Free tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Old addresses of this page, each redirected to it (e.g. `/runbooks/old-name/`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Free-form data for templates.
    #[serde(default)]
    pub extra: Extra,
}
