//! The service page: everything about one service in one place.

use super::incidents::IncidentRow;
use super::kinds::{EscalationView, SlaView};
use super::{Ctx, Link, external};
use opsbook_core::model::{Document, Kind, Service};
use serde::Serialize;

/// A service page.
#[derive(Debug, Serialize)]
pub struct ServiceView {
    /// The owning team.
    pub owner: Link,
    /// Tier 1–4.
    pub tier: Option<u8>,
    /// The port.
    pub port: Option<u16>,
    /// URL paths.
    pub paths: Vec<String>,
    /// Source repository.
    pub repo: Option<Link>,
    /// Dashboards.
    pub dashboards: Vec<Link>,
    /// Its runbooks (the main one first).
    pub runbooks: Vec<Link>,
    /// Its SLAs with their budgets.
    pub slas: Vec<SlaView>,
    /// Its escalation policy.
    pub escalation: Option<EscalationView>,
    /// The policy named but not found.
    pub escalation_missing: Option<String>,
    /// Its incidents, most recent first.
    pub incidents: Vec<IncidentRow>,
    /// Services it depends on.
    pub depends_on: Vec<Link>,
    /// Services that depend on it.
    pub dependents: Vec<Link>,
    /// Free pages about it.
    pub pages: Vec<Link>,
}

impl Ctx<'_> {
    /// The view of a service page.
    pub fn service(&self, page: &str, doc: &Document, s: &Service) -> ServiceView {
        let id = doc.id.as_str();
        let mut runbooks: Vec<Link> = s
            .runbook
            .iter()
            .map(|r| self.link(page, Kind::Runbook, r))
            .collect();
        for d in self.rel.runbooks_of_service.get(id).into_iter().flatten() {
            let l = self.link_doc(page, d);
            if !runbooks.contains(&l) {
                runbooks.push(l);
            }
        }
        let mut sla_docs: Vec<&Document> = s
            .sla
            .iter()
            .filter_map(|i| self.handbook.get(Kind::Sla, i))
            .collect();
        for d in self.rel.slas_of_service.get(id).into_iter().flatten() {
            if !sla_docs.iter().any(|x| std::ptr::eq(*x, *d)) {
                sla_docs.push(d);
            }
        }
        let esc_doc = s
            .escalation
            .as_deref()
            .and_then(|e| self.handbook.get(Kind::Escalation, e));
        ServiceView {
            owner: self.link(page, Kind::Team, &s.owner),
            tier: s.tier.map(|t| t.0),
            port: s.port,
            paths: s.paths.clone(),
            repo: s.repo.as_deref().map(|r| external(r, r)),
            dashboards: s
                .dashboards
                .iter()
                .map(|d| external(&d.title, &d.url))
                .collect(),
            runbooks,
            slas: sla_docs
                .into_iter()
                .filter_map(|d| Some(self.sla(page, d, d.as_sla()?)))
                .collect(),
            escalation: esc_doc.and_then(|d| Some(self.escalation(page, d, d.as_escalation()?))),
            escalation_missing: s.escalation.clone().filter(|_| esc_doc.is_none()),
            incidents: self.incident_rows(
                page,
                self.rel
                    .incidents_of_service
                    .get(id)
                    .into_iter()
                    .flatten()
                    .copied(),
            ),
            depends_on: s
                .depends_on
                .iter()
                .map(|d| self.link(page, Kind::Service, d))
                .collect(),
            dependents: self
                .rel
                .dependents
                .get(id)
                .into_iter()
                .flatten()
                .map(|d| self.link(page, Kind::Service, d))
                .collect(),
            pages: self
                .rel
                .pages_of_service
                .get(id)
                .into_iter()
                .flatten()
                .map(|d| self.link_doc(page, d))
                .collect(),
        }
    }
}
