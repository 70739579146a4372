//! Page addresses: where each document's page lands in the site (`permalinks:` of
//! handbook.yaml), the old addresses that redirect to it (`aliases:`), and which
//! document an address reaches.
//!
//! The site writes its pages at these addresses, and the checks resolve `runbook_url`s
//! and root-relative links with them, so an alert rule, a link and the site agree on
//! every address. A team that adopts opsbook keeps the URLs its alert rules, pager
//! messages and old postmortems already carry.

mod addresses;

pub use addresses::{Addresses, Place};

use crate::model::Kind;
use crate::span::Span;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};
use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

/// Pages the site generates itself (besides one page per document): no document or
/// alias may take their addresses.
pub const GENERATED: [&str; 14] = [
    "index.html",
    "alerts.html",
    "404.html",
    "search.html",
    "stats.html",
    "feed.xml",
    "search-index.js",
    "services/index.html",
    "runbooks/index.html",
    "postmortems/index.html",
    "slas/index.html",
    "escalation/index.html",
    "teams/index.html",
    "pages/index.html",
];

/// A permalink pattern: the address of a kind's pages, e.g. `runbooks/{slug}/`.
///
/// Placeholders: `{id}` (the document id), `{path}` (the source path below the kind's
/// folder, without the markdown extension, nested folders kept) and `{slug}` (`{path}`
/// lowercased, whitespace turned into `-`). A pattern ending in `/` is a folder address,
/// written to `…/index.html`; any other ends in `.html`.
///
/// ```
/// use opsbook_core::permalink::Permalink;
/// let p: Permalink = "runbooks/{slug}/".parse().unwrap();
/// assert_eq!(p.expand("x", "db/PostgresDown"), "runbooks/db/postgresdown/index.html");
/// let p: Permalink = "incidents/{id}.html".parse().unwrap();
/// assert_eq!(p.expand("2026-03-01-outage", "2026/outage"), "incidents/2026-03-01-outage.html");
/// assert!("runbooks/{name}/".parse::<Permalink>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permalink {
    pattern: String,
}

const PLACEHOLDERS: [&str; 3] = ["{id}", "{path}", "{slug}"];

impl FromStr for Permalink {
    type Err = String;

    fn from_str(text: &str) -> Result<Permalink, String> {
        let pattern = text.trim().trim_start_matches('/');
        if !(pattern.ends_with('/') || pattern.ends_with(".html")) {
            return Err(format!(
                "`{text}` must end in `/` (a folder address, written as …/index.html) or in `.html`"
            ));
        }
        let mut rest = pattern;
        while let Some(open) = rest.find('{') {
            let close = rest[open..].find('}').map(|c| open + c + 1).ok_or_else(|| {
                format!("`{text}` has a `{{` without its `}}`; placeholders are {{id}}, {{path}} and {{slug}}")
            })?;
            let name = &rest[open..close];
            if !PLACEHOLDERS.contains(&name) {
                return Err(format!(
                    "`{name}` is not a placeholder; use {{id}}, {{path}} or {{slug}}"
                ));
            }
            rest = &rest[close..];
        }
        if !PLACEHOLDERS.iter().any(|p| pattern.contains(p)) {
            return Err(format!(
                "`{text}` names no placeholder, so every page would land on one address; use {{id}}, {{path}} or {{slug}}"
            ));
        }
        if pattern.split('/').any(|part| part == "..") || !balanced(pattern) {
            return Err(format!(
                "`{text}` must stay inside the site: no `..`, `?`, `#` or `\\`"
            ));
        }
        Ok(Permalink {
            pattern: pattern.to_string(),
        })
    }
}

/// Whether every `}` closes a placeholder and no `?`, `#` or `\` is left.
fn balanced(pattern: &str) -> bool {
    let mut stripped = pattern.to_string();
    for p in PLACEHOLDERS {
        stripped = stripped.replace(p, "");
    }
    !stripped.contains(['?', '#', '\\', '}', '{'].as_slice())
}

impl Permalink {
    /// Whether pages get folder addresses (`…/name/`, written as `…/name/index.html`).
    pub fn is_folder(&self) -> bool {
        self.pattern.ends_with('/')
    }

    /// The output file of a page with `id` whose source path below its kind's folder
    /// (without extension) is `path`. In a folder address, a last segment `index` or
    /// `_index` stands for its folder, as Hugo and MkDocs have it.
    pub fn expand(&self, id: &str, path: &str) -> String {
        let path = if self.is_folder() {
            path.strip_suffix("/_index")
                .or_else(|| path.strip_suffix("/index"))
                .unwrap_or(path)
        } else {
            path
        };
        let out = self
            .pattern
            .replace("{id}", id)
            .replace("{path}", path)
            .replace("{slug}", &slug(path));
        let out = out.trim_start_matches('/');
        if out.ends_with('/') {
            format!("{out}index.html")
        } else {
            out.to_string()
        }
    }
}

impl fmt::Display for Permalink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.pattern)
    }
}

impl<'de> Deserialize<'de> for Permalink {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)?
            .parse()
            .map_err(de::Error::custom)
    }
}

impl Serialize for Permalink {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl JsonSchema for Permalink {
    fn schema_name() -> Cow<'static, str> {
        "Permalink".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "(\\{id\\}|\\{path\\}|\\{slug\\}).*(/|\\.html)$",
            "description": "A page address with {id}, {path} or {slug}, ending in `/` (folder address) or `.html`, e.g. `runbooks/{slug}/`.",
        })
    }
}

/// The page address of each kind (`permalinks:` of handbook.yaml); a kind left out keeps
/// the default address, its source path with `.html`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Permalinks {
    /// Service pages.
    pub service: Option<Permalink>,
    /// Team pages.
    pub team: Option<Permalink>,
    /// Runbook pages, e.g. `runbooks/{slug}/`.
    pub runbook: Option<Permalink>,
    /// Postmortem pages.
    pub postmortem: Option<Permalink>,
    /// SLA pages.
    pub sla: Option<Permalink>,
    /// Escalation policy pages.
    pub escalation: Option<Permalink>,
    /// Free pages (`{path}` is below the handbook root).
    pub page: Option<Permalink>,
}

impl Permalinks {
    /// The pattern of `kind`, if the handbook sets one.
    pub fn of(&self, kind: Kind) -> Option<&Permalink> {
        match kind {
            Kind::Service => self.service.as_ref(),
            Kind::Team => self.team.as_ref(),
            Kind::Runbook => self.runbook.as_ref(),
            Kind::Postmortem => self.postmortem.as_ref(),
            Kind::Sla => self.sla.as_ref(),
            Kind::Escalation => self.escalation.as_ref(),
            Kind::Page => self.page.as_ref(),
        }
    }

    /// The output file of a document of `kind` with `id`, read from `source` (relative
    /// to the handbook root).
    ///
    /// ```
    /// use opsbook_core::model::Kind;
    /// use opsbook_core::permalink::Permalinks;
    /// let p = Permalinks { runbook: Some("runbooks/{slug}/".parse().unwrap()), ..Default::default() };
    /// assert_eq!(p.output(Kind::Runbook, "x", "runbooks/db/Postgres Down.md"), "runbooks/db/postgres-down/index.html");
    /// assert_eq!(p.output(Kind::Team, "sre", "teams/sre.md"), "teams/sre.html");
    /// ```
    pub fn output(&self, kind: Kind, id: &str, source: &str) -> String {
        let stem = strip_markdown(source);
        match self.of(kind) {
            None => format!("{stem}.html"),
            Some(pattern) => {
                let below = match kind {
                    Kind::Page => stem,
                    _ => stem
                        .strip_prefix(kind.folder())
                        .and_then(|s| s.strip_prefix('/'))
                        .unwrap_or(stem),
                };
                pattern.expand(id, below)
            }
        }
    }
}

/// `path` without its `.md` or `.markdown` extension.
pub fn strip_markdown(path: &str) -> &str {
    path.strip_suffix(".md")
        .or_else(|| path.strip_suffix(".markdown"))
        .unwrap_or(path)
}

/// A path as Hugo writes it by default: each segment lowercased, each run of whitespace
/// turned into `-`.
///
/// ```
/// assert_eq!(opsbook_core::permalink::slug("DB/Postgres  Down"), "db/postgres-down");
/// ```
pub fn slug(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut space = false;
    for c in path.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() && !out.ends_with('/') && c != '/' {
            out.push('-');
        }
        space = false;
        out.extend(c.to_lowercase());
    }
    out
}

/// The URL of an output file, as a web server serves it: `runbooks/x/index.html` is
/// `runbooks/x/`.
///
/// ```
/// use opsbook_core::permalink::url_of;
/// assert_eq!(url_of("runbooks/x/index.html"), "runbooks/x/");
/// assert_eq!(url_of("index.html"), "");
/// assert_eq!(url_of("runbooks/x.html"), "runbooks/x.html");
/// ```
pub fn url_of(output: &str) -> &str {
    if output == "index.html" {
        ""
    } else {
        output
            .strip_suffix("index.html")
            .filter(|s| s.ends_with('/'))
            .unwrap_or(output)
    }
}

/// The part after the site's root of a link written by address: root-relative
/// (`/runbooks/x/#step`) or a full URL under `base_url`; `None` for any other link.
///
/// ```
/// use opsbook_core::{Config, permalink::site_address};
/// let config = Config { base_url: Some("https://hb.example.com/ops/".into()), ..Config::default() };
/// assert_eq!(site_address(&config, "/runbooks/x/#step"), Some("runbooks/x/#step"));
/// assert_eq!(site_address(&config, "HTTPS://hb.example.com/ops/runbooks/x/"), Some("runbooks/x/"));
/// assert_eq!(site_address(&config, "https://hb.example.com/opsx/y"), None);
/// assert_eq!(site_address(&config, "//cdn.example.com/x"), None);
/// assert_eq!(site_address(&config, "../x.md"), None);
/// ```
pub fn site_address<'u>(config: &crate::Config, link: &'u str) -> Option<&'u str> {
    let link = link.trim();
    if link.starts_with('/') && !link.starts_with("//") {
        return Some(link.trim_start_matches('/'));
    }
    let base = config.base_url.as_deref()?.trim().trim_end_matches('/');
    if base.is_empty() {
        return None;
    }
    let head = link.get(..base.len())?;
    let rest = &link[base.len()..];
    (head.eq_ignore_ascii_case(base) && (rest.is_empty() || rest.starts_with(['/', '#', '?'])))
        .then(|| rest.trim_start_matches('/'))
}

/// An old address of a document (`aliases:`), as written, with where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// The address as written.
    pub written: String,
    /// Where it is written.
    pub span: Span,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_are_checked() {
        let err = |p: &str| p.parse::<Permalink>().unwrap_err();
        assert_eq!(
            err("runbooks/{id}"),
            "`runbooks/{id}` must end in `/` (a folder address, written as …/index.html) or in `.html`"
        );
        assert_eq!(
            err("runbooks/{name}/"),
            "`{name}` is not a placeholder; use {id}, {path} or {slug}"
        );
        assert_eq!(
            err("runbooks/all.html"),
            "`runbooks/all.html` names no placeholder, so every page would land on one address; use {id}, {path} or {slug}"
        );
        assert_eq!(
            err("../{id}/"),
            "`../{id}/` must stay inside the site: no `..`, `?`, `#` or `\\`"
        );
        assert_eq!(
            err("a/{id}?x/"),
            "`a/{id}?x/` must stay inside the site: no `..`, `?`, `#` or `\\`"
        );
        assert!(err("a/{id/").contains("without its"));
        assert!("/runbooks/{path}/".parse::<Permalink>().is_ok());
    }

    #[test]
    fn index_files_stand_for_their_folder_in_folder_addresses() {
        let folder: Permalink = "runbooks/{path}/".parse().unwrap();
        assert_eq!(folder.expand("i", "db/_index"), "runbooks/db/index.html");
        assert_eq!(folder.expand("i", "db/index"), "runbooks/db/index.html");
        let file: Permalink = "runbooks/{path}.html".parse().unwrap();
        assert_eq!(file.expand("i", "db/index"), "runbooks/db/index.html");
        assert_eq!(file.expand("i", "db/Index"), "runbooks/db/Index.html");
    }

    #[test]
    fn slugs_lowercase_and_join_words() {
        assert_eq!(slug("Kafka/Consumer Lag High"), "kafka/consumer-lag-high");
        assert_eq!(slug(" A /b"), "a/b");
        assert_eq!(slug("ÄrgerÜber"), "ärgerüber");
    }
}
