//! What templates receive: view structs made for them, holding display-ready strings and
//! page-relative URLs, never the domain types.

pub mod alerts;
pub mod burn;
pub mod docs;
pub mod home;
pub mod incidents;
pub mod kinds;
pub mod record;
pub mod service;
pub mod stats;

use crate::paths::{relative, root_of};
use crate::relations::Relations;
use chrono::{DateTime, Utc};
use opsbook_core::Handbook;
use opsbook_core::model::{Document, Kind};
use opsbook_core::permalink::Addresses;
use opsbook_stats::StatsReport;
use opsbook_stats::{History, Incident};
use serde::Serialize;
use std::collections::HashMap;

/// Everything page views are made from.
#[derive(Debug)]
pub struct Ctx<'a> {
    /// The handbook.
    pub handbook: &'a Handbook,
    /// Output paths of documents.
    pub paths: &'a Addresses,
    /// Reverse references.
    pub rel: &'a Relations<'a>,
    /// The time figures and badges are computed for.
    pub now: DateTime<Utc>,
    /// The path the site is served at, when known ([`crate::BuildOptions::served_at`]).
    pub served_at: Option<&'a str>,
    /// How many errors `check` found ([`crate::BuildOptions::errors`]).
    pub errors: usize,
    /// Each postmortem's time-points with their sources, by path.
    pub incidents: HashMap<&'a str, &'a Incident>,
    /// The statistics, from the statistics crate's engine (as `opsbook stats`).
    pub stats: &'a StatsReport,
    /// The mined git history, when there is one.
    pub history: Option<&'a History>,
    /// Indexes of `handbook` and `stats` for the lookups every page makes.
    pub lookups: &'a Lookups<'a>,
}

/// Lookups built once per build, so that each page finds in constant time what a scan of
/// all documents or values would find (scans made the pages quadratic in the handbook).
#[derive(Debug, Default)]
pub struct Lookups<'a> {
    /// Per metric index: incident id → index into that metric's `values` (the first
    /// value of the id).
    measured: Vec<HashMap<String, usize>>,
    /// A person's name → the first team (in document order) that has them as lead or
    /// member.
    teams: HashMap<&'a str, &'a Document>,
}

impl<'a> Lookups<'a> {
    /// The lookups of `handbook` and its statistics.
    pub fn new(handbook: &'a Handbook, stats: &StatsReport) -> Lookups<'a> {
        let measured = stats
            .metrics
            .iter()
            .map(|metric| {
                let mut by_id = HashMap::new();
                for (i, v) in metric.values.iter().enumerate() {
                    by_id.entry(v.incident.clone()).or_insert(i);
                }
                by_id
            })
            .collect();
        let mut teams = HashMap::new();
        for doc in handbook.of_kind(Kind::Team) {
            if let Some(t) = doc.as_team() {
                for name in t.lead.iter().chain(t.members.iter().map(|m| &m.name)) {
                    teams.entry(name.as_str()).or_insert(doc);
                }
            }
        }
        Lookups { measured, teams }
    }

    /// Index into `stats.metrics[metric].values` of the incident `id`'s value.
    pub fn measured(&self, metric: usize, id: &str) -> Option<usize> {
        self.measured.get(metric)?.get(id).copied()
    }
}

/// A link: a title, and a URL relative to the page, absent when the target is unknown.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Link {
    /// What to show.
    pub title: String,
    /// Where it goes, relative to the current page.
    pub url: Option<String>,
}

/// The frame of every page.
#[derive(Debug, Serialize)]
pub struct Base<'a> {
    /// The handbook's title.
    pub site_title: &'a str,
    /// This page's title.
    pub title: String,
    /// From this page to the site root: `""` or `"../"`.
    pub root: String,
    /// The nav section to highlight: `home`, `services`, `runbooks`, `alerts`, …
    pub section: &'static str,
    /// When the site was built.
    pub built: String,
    /// The menu.
    pub nav: Vec<NavItem>,
    /// The page's full URL under `base_url` (its folder for a folder address), when the
    /// handbook sets one.
    pub canonical: Option<String>,
    /// How many errors `check` found in the handbook the site was built from.
    pub errors: usize,
}

/// An entry of the menu.
#[derive(Debug, Serialize)]
pub struct NavItem {
    /// Its label.
    pub label: &'static str,
    /// Its URL, relative to the page.
    pub url: String,
    /// Whether the page belongs to this section.
    pub current: bool,
}

const NAV: [(&str, &str, &str); 9] = [
    ("services", "Services", "services/index.html"),
    ("runbooks", "Runbooks", "runbooks/index.html"),
    ("alerts", "Alerts", alerts::ALERTS_PAGE),
    ("postmortems", "Postmortems", "postmortems/index.html"),
    ("slas", "SLAs", "slas/index.html"),
    ("escalation", "Escalation", "escalation/index.html"),
    ("teams", "Teams", "teams/index.html"),
    ("pages", "Pages", "pages/index.html"),
    ("stats", "Statistics", "stats.html"),
];

impl<'a> Ctx<'a> {
    /// The frame of the page at `path`.
    pub fn base(&self, path: &str, title: impl Into<String>, section: &'static str) -> Base<'a> {
        Base {
            canonical: self.canonical(path),
            ..self.base_at(root_of(path), title, section)
        }
    }

    /// The full URL of the output file `path` under `base_url`, as a web server serves it
    /// (`runbooks/x/index.html` is `…/runbooks/x/`); `None` without a `base_url`.
    pub fn canonical(&self, path: &str) -> Option<String> {
        let base = self
            .handbook
            .config
            .base_url
            .as_deref()
            .and_then(safe_url)?;
        let base = base.trim_end_matches('/');
        (!base.is_empty()).then(|| format!("{base}/{}", opsbook_core::permalink::url_of(path)))
    }

    /// The frame of the 404 page. A server shows it at whatever URL was asked for, where
    /// relative links would miss: they start at the path the site is served at when that
    /// is known (`opsbook serve`), else at `base_url`'s path (`/handbook/…`); without
    /// either, they are relative, right at the site's root.
    pub fn base_not_found(&self, title: impl Into<String>) -> Base<'a> {
        if let Some(path) = self.served_at {
            return self.base_at(format!("{}/", path.trim_end_matches('/')), title, "");
        }
        let root = self
            .handbook
            .config
            .base_url
            .as_deref()
            .and_then(safe_url)
            .map(|url| {
                let path = match url.split_once("://") {
                    Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
                    None => url.as_str(),
                };
                let path = path.split(['?', '#']).next().unwrap_or("/");
                format!("{}/", path.trim_end_matches('/'))
            })
            .unwrap_or_default();
        self.base_at(root, title, "")
    }

    fn base_at(&self, root: String, title: impl Into<String>, section: &'static str) -> Base<'a> {
        Base {
            site_title: &self.handbook.config.title,
            title: title.into(),
            nav: NAV
                .iter()
                // The alerts page exists only when the handbook has alerting rules.
                .filter(|(id, _, _)| *id != "alerts" || self.rel.alerts.is_some())
                .map(|(id, label, url)| NavItem {
                    label,
                    url: format!("{root}{url}"),
                    current: *id == section,
                })
                .collect(),
            root,
            section,
            built: crate::format::utc(&self.now),
            canonical: None,
            errors: self.errors,
        }
    }

    /// A link from `page` to the document of `kind` with `id`; plain text when it does not exist.
    pub fn link(&self, page: &str, kind: Kind, id: &str) -> Link {
        match self.handbook.get(kind, id) {
            Some(doc) => self.link_doc(page, doc),
            None => Link {
                title: id.to_string(),
                url: None,
            },
        }
    }

    /// A link from `page` to `doc`.
    pub fn link_doc(&self, page: &str, doc: &Document) -> Link {
        Link {
            title: doc.title().to_string(),
            url: self.paths.of(&doc.path).map(|out| relative(page, out)),
        }
    }

    /// When the incident of `doc` began: `started`, else `detected`, else `declared`, as the
    /// statistics engine knows it (frontmatter first, then git); the first frontmatter
    /// time-point when the engine has no incident for it.
    pub fn incident_opened(
        &self,
        doc: &Document,
        pm: &opsbook_core::model::Postmortem,
    ) -> Option<DateTime<Utc>> {
        match self.incidents.get(doc.path.as_str()) {
            Some(i) => i.opened().map(|(_, p)| p.at.0.to_utc()),
            None => crate::relations::incident_start(pm),
        }
    }

    /// A link to a person: their team's page when they are a member of one.
    pub fn person(&self, page: &str, name: &str) -> Link {
        let team = self.lookups.teams.get(name);
        Link {
            title: name.to_string(),
            url: team.and_then(|d| self.paths.of(&d.path).map(|out| relative(page, out))),
        }
    }
}

/// An author-written URL for an `href`, or `None` when its scheme could run code.
pub fn safe_url(url: &str) -> Option<String> {
    (!crate::markdown::is_unsafe_url(url)).then(|| url.trim().to_string())
}

/// An external link written in frontmatter (dashboards, tickets, repositories).
pub fn external(title: &str, url: &str) -> Link {
    Link {
        title: title.to_string(),
        url: safe_url(url),
    }
}

/// The CSS class of a severity: `sev1` for the most severe step of the scale, and so on.
pub fn severity_class(handbook: &Handbook, severity: &str) -> String {
    match handbook.config.severity_ids().position(|s| s == severity) {
        Some(i) => format!("sev{}", (i + 1).min(4)),
        None => "sev-unknown".to_string(),
    }
}
