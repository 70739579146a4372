//! A team: the people who own services and answer pages.

use super::Extra;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A member of a team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// The person's id, e.g. `alice.nguyen`.
    pub name: String,
    /// Their role, e.g. `SRE` or `team lead`.
    pub role: Option<String>,
    /// How to reach them.
    pub contact: Option<String>,
}

/// Frontmatter of a `team` document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Team {
    /// The document kind, when not given by the folder.
    pub kind: Option<String>,
    /// The team id (default: the file stem).
    pub id: Option<String>,
    /// Display name.
    pub title: String,
    /// The team leader (a person id).
    pub lead: Option<String>,
    /// The members.
    #[serde(default)]
    pub members: Vec<Member>,
    /// Chat channels.
    #[serde(default)]
    pub channels: Vec<String>,
    /// Old addresses of this page, each redirected to it (e.g. `/runbooks/old-name/`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Free-form data for templates.
    #[serde(default)]
    pub extra: Extra,
}
