//! Alerts and runbooks, both ways: where each alert's `runbook_url` leads, and which
//! alerts each runbook lists (in `alerts:` or as `###` headings of its Alerts section).
//!
//! The checks (OB4xx) and pages that list alerts read the same [`AlertLinks`].

use super::Alert;
use super::template::{ExpandError, expand};
use crate::handbook::Handbook;
use crate::model::{Document, Kind};
use crate::permalink::{Place, url_of};
use crate::span::Span;
use crate::yaml::Node;
use percent_encoding::percent_decode_str;
use rayon::prelude::*;
use std::collections::HashMap;

/// Where an alert's `runbook_url` leads.
#[derive(Debug, Clone)]
pub enum Target<'h> {
    /// The alert has no `runbook_url` annotation.
    Missing,
    /// A runbook page of this handbook, and the heading the anchor names (if any).
    Runbook {
        /// The runbook.
        runbook: &'h Document,
        /// The `#anchor`, which is a heading of the runbook.
        anchor: Option<String>,
        /// The URL, expanded.
        url: String,
    },
    /// A place in the handbook where there is no such runbook or heading.
    Broken {
        /// The URL, expanded as far as it could be.
        url: String,
        /// What is wrong.
        problem: Problem<'h>,
    },
    /// An address outside the handbook.
    External {
        /// The URL, expanded.
        url: String,
    },
    /// The URL depends on values known only when the alert fires.
    Dynamic {
        /// What it depends on, as a phrase.
        reason: String,
    },
}

/// Why a `runbook_url` into the handbook leads nowhere.
#[derive(Debug, Clone)]
pub enum Problem<'h> {
    /// The template is malformed.
    Template(String),
    /// The path is not a runbook page (its address, an alias, or for a relative URL its
    /// `.md` source).
    NotARunbook {
        /// The path within the handbook.
        path: String,
        /// A runbook page whose address differs only in letter case (as a URL).
        near: Option<String>,
    },
    /// The path has the form of a runbook page, but there is no runbook with this id.
    NoSuchRunbook {
        /// The id.
        id: String,
    },
    /// The runbook has no heading with the anchor.
    NoSuchAnchor {
        /// The runbook.
        runbook: &'h Document,
        /// The anchor, without `#`.
        anchor: String,
    },
}

/// An alert named by a runbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Listed<'d> {
    /// The alert name.
    pub name: &'d str,
    /// Where it is named.
    pub span: Span,
    /// Whether it is named by a heading (else by `alerts:` in the frontmatter).
    pub heading: bool,
}

/// Alerts and runbooks related both ways.
#[derive(Debug, Clone)]
pub struct AlertLinks<'h> {
    /// Where each alert's `runbook_url` leads, in the order of `handbook.alerts.alerts`.
    pub targets: Vec<Target<'h>>,
    /// Each runbook that names alerts, with the alerts it names, in path order.
    pub listed: Vec<(&'h Document, Vec<Listed<'h>>)>,
    /// Alert name → indexes of the rules that define it.
    by_name: HashMap<&'h str, Vec<usize>>,
    /// Runbook path → index in `listed`.
    listing: HashMap<&'h str, usize>,
    /// Runbook path → indexes of the alerts whose `runbook_url` leads to it.
    by_target: HashMap<&'h str, Vec<usize>>,
}

impl<'h> AlertLinks<'h> {
    /// Resolves every alert's `runbook_url` and collects what every runbook lists.
    pub fn new(handbook: &'h Handbook) -> AlertLinks<'h> {
        let alerts = &handbook.alerts.alerts;
        let mut by_name: HashMap<&str, Vec<usize>> = HashMap::with_capacity(alerts.len());
        for (i, alert) in alerts.iter().enumerate() {
            by_name.entry(&alert.name).or_default().push(i);
        }
        let targets: Vec<Target<'h>> = alerts.par_iter().map(|a| target(handbook, a)).collect();
        let listed: Vec<_> = handbook
            .of_kind(Kind::Runbook)
            .map(|doc| (doc, listed_alerts(doc, |name| by_name.contains_key(name))))
            .filter(|(_, listed)| !listed.is_empty())
            .collect();
        let listing = listed
            .iter()
            .enumerate()
            .map(|(i, (doc, _))| (doc.path.as_str(), i))
            .collect();
        let mut by_target: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, t) in targets.iter().enumerate() {
            if let Target::Runbook { runbook, .. } = t {
                by_target.entry(runbook.path.as_str()).or_default().push(i);
            }
        }
        AlertLinks {
            targets,
            listed,
            by_name,
            listing,
            by_target,
        }
    }

    /// Whether `runbook` names the alert `name` (in `alerts:` or a heading).
    pub fn lists(&self, runbook: &Document, name: &str) -> bool {
        self.listing
            .get(runbook.path.as_str())
            .is_some_and(|&i| self.listed[i].1.iter().any(|l| l.name == name))
    }

    /// The indexes (in `handbook.alerts.alerts`) of the rules that define `name`.
    pub fn defined(&self, name: &str) -> &[usize] {
        self.by_name.get(name).map_or(&[], Vec::as_slice)
    }

    /// The runbooks of alert `index`: the one its `runbook_url` leads to, else those
    /// that list it.
    pub fn runbooks_of(&self, index: usize, name: &str) -> Vec<&'h Document> {
        if let Some(Target::Runbook { runbook, .. }) = self.targets.get(index) {
            return vec![runbook];
        }
        self.listed
            .iter()
            .filter(|(_, listed)| listed.iter().any(|l| l.name == name))
            .map(|(doc, _)| *doc)
            .collect()
    }

    /// The alerts (indexes in `handbook.alerts.alerts`) whose `runbook_url` leads to
    /// `runbook`.
    pub fn alerts_of(&self, runbook: &Document) -> &[usize] {
        self.by_target
            .get(runbook.path.as_str())
            .map_or(&[], Vec::as_slice)
    }
}

/// Where `alert`'s `runbook_url` leads.
pub fn target<'h>(handbook: &'h Handbook, alert: &Alert) -> Target<'h> {
    let Some(url) = alert.runbook_url() else {
        return Target::Missing;
    };
    let label = |name: &str| alert.label(name).map(|p| p.value.as_str());
    match expand(url.value.trim(), &alert.name, label) {
        Ok(url) => resolve(handbook, &url),
        Err(ExpandError::Dynamic(reason)) => Target::Dynamic { reason },
        Err(ExpandError::Invalid(reason)) => Target::Broken {
            url: url.value.trim().to_string(),
            problem: Problem::Template(reason),
        },
    }
}

/// Where an (expanded) URL leads: a runbook page of the handbook under `base_url` (at its
/// address, see [`crate::permalink`], or at one of its aliases); or, for a relative URL,
/// that page or a runbook's source path (`runbooks/login.md#anchor`), relative to the
/// handbook root.
pub fn resolve<'h>(handbook: &'h Handbook, url: &str) -> Target<'h> {
    let base = handbook
        .config
        .base_url
        .as_deref()
        .map(|b| b.trim().trim_end_matches('/'))
        .filter(|b| !b.is_empty());
    let (within, relative) = match base.and_then(|b| strip_prefix_ignore_case(url, b)) {
        Some(rest) if rest.is_empty() || rest.starts_with(['/', '#', '?']) => (rest, false),
        _ if has_scheme(url) || url.starts_with("//") => {
            return Target::External {
                url: url.to_string(),
            };
        }
        _ => (url, true),
    };
    let (path, anchor) = within.split_once('#').unwrap_or((within, ""));
    let path = path.split('?').next().unwrap_or_default();
    let path = percent_decode_str(path).decode_utf8_lossy();
    let anchor = percent_decode_str(anchor).decode_utf8_lossy();
    let path = normalize(&path);
    let broken = |problem| Target::Broken {
        url: url.to_string(),
        problem,
    };
    // The `.md` source form is accepted only for relative URLs: the site serves pages.
    let source = handbook
        .by_path(&path)
        .filter(|d| relative && d.kind == Kind::Runbook);
    let reached = handbook
        .addresses
        .find(&path)
        .and_then(|(place, _)| match place {
            Place::Page(i) | Place::Alias(i) => Some(&handbook.documents[i]),
            Place::Generated => None,
        });
    let runbook = match (source, reached) {
        (Some(doc), _) => doc,
        (None, Some(doc)) if doc.kind == Kind::Runbook => doc,
        (None, Some(_)) => {
            return broken(Problem::NotARunbook { path, near: None });
        }
        (None, None) => {
            // `runbooks/<id>.html` is the default address: name the missing runbook.
            let id = path
                .strip_prefix("runbooks/")
                .and_then(|p| p.strip_suffix(".html"))
                .filter(|id| !id.contains('/') && handbook.config.permalinks.runbook.is_none());
            let near = handbook.addresses.near(&path).map(str::to_string);
            if let Some(id) = id {
                // A runbook whose `id:` differs from its file name is at its file's address.
                let Some(doc) = handbook.get(Kind::Runbook, id) else {
                    return broken(Problem::NoSuchRunbook { id: id.to_string() });
                };
                let near = handbook
                    .addresses
                    .of(&doc.path)
                    .map(|p| url_of(p).to_string());
                return broken(Problem::NotARunbook { path, near });
            }
            return broken(Problem::NotARunbook { path, near });
        }
    };
    if anchor.is_empty() {
        return Target::Runbook {
            runbook,
            anchor: None,
            url: url.to_string(),
        };
    }
    if !runbook.outline.has_anchor(&anchor) {
        return broken(Problem::NoSuchAnchor {
            runbook,
            anchor: anchor.into_owned(),
        });
    }
    Target::Runbook {
        runbook,
        anchor: Some(anchor.into_owned()),
        url: url.to_string(),
    }
}

fn strip_prefix_ignore_case<'u>(url: &'u str, prefix: &str) -> Option<&'u str> {
    let head = url.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &url[prefix.len()..])
}

fn has_scheme(url: &str) -> bool {
    url.split_once(':').is_some_and(|(scheme, _)| {
        let mut chars = scheme.chars();
        chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// `/a/./b/../c` → `a/c`; a path that climbs above the root keeps its `..`.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// The alerts a runbook names: its frontmatter `alerts:`, then the `###` headings of
/// its Alerts section that name an alert (see [`heading_alert`]; `defined` says which
/// names rules define).
pub fn listed_alerts<'d>(doc: &'d Document, defined: impl Fn(&str) -> bool) -> Vec<Listed<'d>> {
    let mut listed = Vec::new();
    // Read from the YAML tree, so that a schema error elsewhere does not hide the list.
    let items = doc
        .yaml
        .as_ref()
        .and_then(|y| y.get("alerts"))
        .and_then(Node::as_seq);
    for item in items.unwrap_or_default() {
        if let Some(name) = item.as_str().filter(|n| !n.trim().is_empty()) {
            listed.push(Listed {
                name,
                span: item.span,
                heading: false,
            });
        }
    }
    let headings = &doc.outline.headings;
    let Some(start) = headings
        .iter()
        .position(|h| h.level == 2 && h.text.eq_ignore_ascii_case("alerts"))
    else {
        return listed;
    };
    for heading in headings[start + 1..].iter().take_while(|h| h.level > 2) {
        if heading.level != 3 {
            continue;
        }
        if let Some(name) = heading_alert(&heading.text, &defined) {
            listed.push(Listed {
                name,
                span: heading.span,
                heading: true,
            });
        }
    }
    listed
}

/// The alert a heading names: its first word, when that is the name of a defined alert
/// or is written like one (CamelCase such as `LoginFailuresSpike`, or with underscores
/// such as `instance_down`). `### Overview` names no alert.
pub fn heading_alert(text: &str, defined: impl Fn(&str) -> bool) -> Option<&str> {
    let text = text.trim();
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    let word = &text[..end];
    let first = word.chars().next()?;
    if !(first.is_ascii_alphabetic() || first == '_') {
        return None;
    }
    let camel = word.chars().skip(1).any(|c| c.is_ascii_uppercase())
        && word.chars().any(|c| c.is_ascii_lowercase());
    let snake = word.contains('_') && word.chars().any(|c| c.is_ascii_alphabetic());
    (defined(word) || camel || snake).then_some(word)
}

#[cfg(test)]
#[path = "links_tests.rs"]
mod tests;
