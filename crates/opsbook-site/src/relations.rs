//! How documents refer to each other, indexed once per build for every page to use.

use opsbook_core::Handbook;
use opsbook_core::alerts::links::AlertLinks;
use opsbook_core::model::{Document, Kind, Postmortem};
use std::collections::HashMap;

/// Reverse references and the incident list, built once.
#[derive(Debug, Default)]
pub struct Relations<'a> {
    /// Runbooks by the service they are for.
    pub runbooks_of_service: HashMap<&'a str, Vec<&'a Document>>,
    /// Postmortems by affected service, most recent first.
    pub incidents_of_service: HashMap<&'a str, Vec<&'a Document>>,
    /// Postmortems by runbook used, most recent first.
    pub incidents_of_runbook: HashMap<&'a str, Vec<&'a Document>>,
    /// Services by the services that depend on them.
    pub dependents: HashMap<&'a str, Vec<&'a str>>,
    /// SLAs by service.
    pub slas_of_service: HashMap<&'a str, Vec<&'a Document>>,
    /// Services by escalation policy.
    pub services_of_escalation: HashMap<&'a str, Vec<&'a Document>>,
    /// Services by owning team.
    pub services_of_team: HashMap<&'a str, Vec<&'a Document>>,
    /// Runbooks by owning team.
    pub runbooks_of_team: HashMap<&'a str, Vec<&'a Document>>,
    /// Pages by the service they are about.
    pub pages_of_service: HashMap<&'a str, Vec<&'a Document>>,
    /// Every postmortem with typed frontmatter, most recent first.
    pub incidents: Vec<(&'a Document, &'a Postmortem)>,
    /// Alerting rules and runbooks related both ways; `None` when the handbook has no
    /// alerting rules (then the site has no alerts page).
    pub alerts: Option<AlertLinks<'a>>,
}

/// When an incident began, for ordering: the first time-point it has.
pub fn incident_start(pm: &Postmortem) -> Option<chrono::DateTime<chrono::Utc>> {
    [
        pm.started,
        pm.detected,
        pm.declared,
        pm.acknowledged,
        pm.mitigated,
        pm.resolved,
    ]
    .into_iter()
    .flatten()
    .next()
    .map(|t| t.0.with_timezone(&chrono::Utc))
}

impl<'a> Relations<'a> {
    /// Indexes `handbook`; incidents are ordered by their frontmatter times.
    pub fn new(handbook: &'a Handbook) -> Relations<'a> {
        Relations::ordered_by(handbook, |_, pm| incident_start(pm))
    }

    /// Indexes `handbook`; incidents are ordered by `start` (most recent first, then by
    /// id), e.g. the time the statistics engine knows, git filling the frontmatter's gaps.
    pub fn ordered_by(
        handbook: &'a Handbook,
        start: impl Fn(&Document, &Postmortem) -> Option<chrono::DateTime<chrono::Utc>>,
    ) -> Relations<'a> {
        let mut r = Relations::default();
        for doc in &handbook.documents {
            match doc.kind {
                Kind::Runbook => {
                    if let Some(rb) = doc.as_runbook() {
                        if let Some(s) = &rb.service {
                            r.runbooks_of_service.entry(s).or_default().push(doc);
                        }
                        if let Some(t) = &rb.owner {
                            r.runbooks_of_team.entry(t).or_default().push(doc);
                        }
                    }
                }
                Kind::Postmortem => {
                    if let Some(pm) = doc.as_postmortem() {
                        r.incidents.push((doc, pm));
                    }
                }
                Kind::Service => {
                    if let Some(s) = doc.as_service() {
                        for dep in &s.depends_on {
                            r.dependents.entry(dep).or_default().push(&doc.id);
                        }
                        if let Some(e) = &s.escalation {
                            r.services_of_escalation.entry(e).or_default().push(doc);
                        }
                        r.services_of_team.entry(&s.owner).or_default().push(doc);
                    }
                }
                Kind::Sla => {
                    if let Some(s) = doc.as_sla() {
                        r.slas_of_service.entry(&s.service).or_default().push(doc);
                    }
                }
                Kind::Page => {
                    if let Some(opsbook_core::model::Frontmatter::Page(p)) = &doc.frontmatter {
                        if let Some(s) = &p.service {
                            r.pages_of_service.entry(s).or_default().push(doc);
                        }
                    }
                }
                Kind::Team | Kind::Escalation => {}
            }
        }
        r.incidents.sort_by_cached_key(|(doc, pm)| {
            (
                std::cmp::Reverse(start(doc, pm)),
                std::cmp::Reverse(doc.id.as_str()),
            )
        });
        for (doc, pm) in &r.incidents {
            for s in &pm.services {
                r.incidents_of_service.entry(s).or_default().push(doc);
            }
            for rb in &pm.runbooks {
                r.incidents_of_runbook.entry(rb).or_default().push(doc);
            }
        }
        if !handbook.alerts.alerts.is_empty() {
            r.alerts = Some(AlertLinks::new(handbook));
        }
        r
    }
}
