//! The home page and the per-kind lists.

use super::incidents::IncidentRow;
use super::kinds::Freshness;
use super::{Ctx, Link};
use opsbook_core::model::{Document, Kind, Status};
use serde::Serialize;

/// A service on the home page.
#[derive(Debug, Serialize)]
pub struct ServiceRow {
    /// The service.
    pub link: Link,
    /// Tier 1–4.
    pub tier: Option<u8>,
    /// The owning team.
    pub owner: Option<Link>,
    /// Its main runbook.
    pub runbook: Option<Link>,
    /// Its escalation policy.
    pub escalation: Option<Link>,
    /// Who is paged first (level 1 of its policy).
    pub first: Vec<Link>,
    /// Open incidents.
    pub open: usize,
}

/// A headline figure.
#[derive(Debug, Serialize)]
pub struct Figure {
    /// What it counts.
    pub label: String,
    /// The value.
    pub value: String,
    /// `bad` when it needs attention.
    pub state: &'static str,
}

/// The home page.
#[derive(Debug, Serialize)]
pub struct HomeView {
    /// Headline figures.
    pub figures: Vec<Figure>,
    /// Incidents not yet resolved.
    pub open: Vec<IncidentRow>,
    /// The most recent incidents.
    pub recent: Vec<IncidentRow>,
    /// Every service, most critical first.
    pub services: Vec<ServiceRow>,
    /// Every escalation policy with who is paged first.
    pub escalations: Vec<(Link, Vec<Link>)>,
}

impl Ctx<'_> {
    fn first_level(&self, page: &str, policy: &Document) -> Vec<Link> {
        let Some(e) = policy.as_escalation() else {
            return Vec::new();
        };
        let view = self.escalation(page, policy, e);
        view.steps
            .into_iter()
            .next()
            .map(|s| {
                s.notify
                    .into_iter()
                    .map(|r| Link {
                        title: format!("{} ({})", r.who.title, r.via),
                        url: r.who.url,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The home page view.
    pub fn home(&self, page: &str, stale_runbooks: usize, mttr: Option<String>) -> HomeView {
        // Most severe first (the scale's order, unknown severities last), then the one open
        // longest: what the on-call reader must look at first.
        let mut open: Vec<(&Document, &opsbook_core::model::Postmortem)> = self
            .rel
            .incidents
            .iter()
            .filter(|(_, pm)| pm.status != Status::Resolved)
            .map(|(d, pm)| (*d, *pm))
            .collect();
        let scale = &self.handbook.config.severities;
        open.sort_by_key(|(d, pm)| {
            let rank = scale
                .iter()
                .position(|s| s.id == pm.severity)
                .unwrap_or(scale.len());
            (rank, self.incident_opened(d, pm).unwrap_or(self.now))
        });
        let open: Vec<&Document> = open.into_iter().map(|(d, _)| d).collect();
        let year_ago = self.now - chrono::TimeDelta::days(365);
        let last_year = self
            .rel
            .incidents
            .iter()
            .filter(|(d, pm)| self.incident_opened(d, pm).is_some_and(|t| t >= year_ago))
            .count();
        let open_actions: usize = self
            .rel
            .incidents
            .iter()
            .flat_map(|(_, pm)| &pm.action_items)
            .filter(|a| a.status.is_open())
            .count();
        let figures = vec![
            Figure {
                label: "Open incidents".into(),
                value: open.len().to_string(),
                state: if open.is_empty() { "ok" } else { "bad" },
            },
            Figure {
                label: "Incidents in the last 12 months".into(),
                value: last_year.to_string(),
                state: "",
            },
            Figure {
                label: "Median time to resolve".into(),
                value: mttr.unwrap_or_else(|| "—".into()),
                state: "",
            },
            Figure {
                label: "Stale runbooks".into(),
                value: stale_runbooks.to_string(),
                state: if stale_runbooks == 0 { "ok" } else { "bad" },
            },
            Figure {
                label: "Open action items".into(),
                value: open_actions.to_string(),
                state: "",
            },
        ];
        let mut services: Vec<ServiceRow> = self
            .handbook
            .of_kind(Kind::Service)
            .map(|d| {
                let s = d.as_service();
                let policy = s
                    .and_then(|s| s.escalation.as_deref())
                    .and_then(|e| self.handbook.get(Kind::Escalation, e));
                ServiceRow {
                    link: self.link_doc(page, d),
                    tier: s.and_then(|s| s.tier).map(|t| t.0),
                    owner: s.map(|s| self.link(page, Kind::Team, &s.owner)),
                    runbook: s
                        .and_then(|s| s.runbook.as_deref())
                        .map(|r| self.link(page, Kind::Runbook, r))
                        .or_else(|| {
                            self.rel
                                .runbooks_of_service
                                .get(d.id.as_str())
                                .and_then(|v| v.first())
                                .map(|r| self.link_doc(page, r))
                        }),
                    escalation: policy.map(|p| self.link_doc(page, p)),
                    first: policy
                        .map(|p| self.first_level(page, p))
                        .unwrap_or_default(),
                    open: open
                        .iter()
                        .filter(|o| {
                            o.as_postmortem()
                                .is_some_and(|pm| pm.services.contains(&d.id))
                        })
                        .count(),
                }
            })
            .collect();
        services.sort_by_key(|s| (s.tier.unwrap_or(9), s.link.title.to_lowercase()));
        HomeView {
            figures,
            open: self.incident_rows(page, open.iter().copied()),
            recent: self.incident_rows(page, self.rel.incidents.iter().take(8).map(|(d, _)| *d)),
            services,
            escalations: self
                .handbook
                .of_kind(Kind::Escalation)
                .map(|d| (self.link_doc(page, d), self.first_level(page, d)))
                .collect(),
        }
    }
}

/// An entry of a per-kind list.
#[derive(Debug, Serialize)]
pub struct ListItem {
    /// The document.
    pub link: Link,
    /// One line about it.
    pub detail: String,
    /// A badge (runbook freshness).
    pub badge: Option<Freshness>,
}

/// A per-kind list page.
#[derive(Debug, Serialize)]
pub struct ListView {
    /// The heading.
    pub heading: String,
    /// The entries.
    pub items: Vec<ListItem>,
}

impl Ctx<'_> {
    /// The list of every document of `kind`.
    pub fn list(&self, page: &str, kind: Kind, heading: &str) -> ListView {
        let mut items: Vec<ListItem> = self
            .handbook
            .of_kind(kind)
            .map(|d| {
                let (detail, badge) = match kind {
                    Kind::Runbook => match d.as_runbook() {
                        Some(rb) => (
                            rb.service
                                .clone()
                                .map(|s| format!("service {s}"))
                                .unwrap_or_default(),
                            Some(self.freshness(d, rb)),
                        ),
                        None => (String::new(), None),
                    },
                    Kind::Service => (
                        d.as_service()
                            .map(|s| {
                                let tier =
                                    s.tier.map(|t| format!("tier {t}, ")).unwrap_or_default();
                                format!("{tier}owned by {}", s.owner)
                            })
                            .unwrap_or_default(),
                        None,
                    ),
                    Kind::Sla => (
                        d.as_sla()
                            .map(|s| format!("{}, {} window", s.service, s.window))
                            .unwrap_or_default(),
                        None,
                    ),
                    Kind::Team => (
                        d.as_team()
                            .map(|t| format!("{} members", t.members.len()))
                            .unwrap_or_default(),
                        None,
                    ),
                    Kind::Escalation => (
                        d.as_escalation()
                            .map(|e| format!("{} levels", e.levels.len()))
                            .unwrap_or_default(),
                        None,
                    ),
                    _ => (d.path.clone(), None),
                };
                ListItem {
                    link: self.link_doc(page, d),
                    detail,
                    badge,
                }
            })
            .collect();
        // By title, as a reader scans for a name (file paths, the order they were read
        // in, mean nothing to them); the sort is stable, so equal titles keep path order.
        items.sort_by_cached_key(|i| i.link.title.to_lowercase());
        ListView {
            heading: heading.to_string(),
            items,
        }
    }
}
