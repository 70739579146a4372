//! A free page: architecture maps, host lists, procedures.

use super::Extra;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Frontmatter of a `page` document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Page {
    /// The document kind, when not given by the folder.
    pub kind: Option<String>,
    /// The page id (default: the file stem).
    pub id: Option<String>,
    /// Display name (default: the first heading, else the file stem).
    pub title: Option<String>,
    /// The service it is about.
    pub service: Option<String>,
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
