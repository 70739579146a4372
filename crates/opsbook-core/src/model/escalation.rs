//! An escalation policy: who is paged, how, and after how long.

use super::{Duration, Extra};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How someone is notified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Via {
    /// A paging system.
    Pager,
    /// A phone call.
    Phone,
    /// An e-mail.
    Email,
    /// A chat message.
    Chat,
}

/// One recipient of a level: exactly one of `team`, `person`, `role`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Notify {
    /// A team id.
    pub team: Option<String>,
    /// A person id.
    pub person: Option<String>,
    /// A role, e.g. `incident-commander`.
    pub role: Option<String>,
    /// How.
    pub via: Via,
}

/// One step of the policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// Time since the page after which this level is notified.
    pub after: Duration,
    /// Who is notified.
    pub notify: Vec<Notify>,
}

/// Frontmatter of an `escalation` document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Escalation {
    /// The document kind, when not given by the folder.
    pub kind: Option<String>,
    /// The policy id (default: the file stem).
    pub id: Option<String>,
    /// Display name.
    pub title: String,
    /// The levels, in order.
    pub levels: Vec<Level>,
    /// Per severity, the 1-based level paged first.
    #[serde(default)]
    pub severity_routes: BTreeMap<String, u32>,
    /// Old addresses of this page, each redirected to it (e.g. `/runbooks/old-name/`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Free-form data for templates.
    #[serde(default)]
    pub extra: Extra,
}
