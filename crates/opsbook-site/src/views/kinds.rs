//! Views of runbooks, SLAs, escalation policies, teams and services.

use super::incidents::IncidentRow;
use super::{Ctx, Link, external};
use crate::format;
use opsbook_core::model::{Document, Escalation, Kind, Runbook, Sla, Team, Via};
use serde::Serialize;

/// How fresh a runbook is.
#[derive(Debug, Serialize)]
pub struct Freshness {
    /// `fresh`, `due-soon`, `stale` or `unknown`.
    pub class: &'static str,
    /// `Reviewed 12 days ago`, …
    pub label: String,
    /// The due date, when known.
    pub due: String,
    /// What it is computed from: `reviewed`, or the short id of the last commit that
    /// touched the file when the runbook has no `reviewed` date; empty when unknown.
    pub basis: String,
}

fn unknown() -> Freshness {
    Freshness {
        class: "unknown",
        label: "Never reviewed".into(),
        due: String::new(),
        basis: String::new(),
    }
}

/// The runbook page.
#[derive(Debug, Serialize)]
pub struct RunbookView {
    /// The service it is for.
    pub service: Option<Link>,
    /// The owning team.
    pub owner: Option<Link>,
    /// The escalation policy.
    pub escalation: Option<Link>,
    /// The SLA.
    pub sla: Option<Link>,
    /// When it was last reviewed.
    pub reviewed: String,
    /// How often it must be reviewed.
    pub review_every: String,
    /// The freshness badge.
    pub freshness: Freshness,
    /// Alerts it answers, linked to the rules that fire them.
    pub alerts: Vec<super::alerts::RunbookAlert>,
    /// Whether the handbook has alerting rules (so that an alert no rule defines can be
    /// told apart).
    pub alert_rules: bool,
    /// Dashboards.
    pub dashboards: Vec<Link>,
    /// Tags.
    pub tags: Vec<String>,
    /// Incidents that used it.
    pub incidents: Vec<IncidentRow>,
}

impl Ctx<'_> {
    /// The freshness of a runbook: from `reviewed` when present, else from the last
    /// commit that touched its file (the badge says which).
    pub fn freshness(&self, doc: &Document, rb: &Runbook) -> Freshness {
        let every = rb.review_every.unwrap_or(self.handbook.config.review_every);
        let (date, basis, since) = match (rb.reviewed, self.history) {
            (Some(reviewed), _) => (reviewed.0, "reviewed".to_string(), "Reviewed"),
            (None, Some(h)) => match h.last_change(&doc.path) {
                Some(c) => (
                    c.commit_time.0.date_naive(),
                    c.short_id().to_string(),
                    "Last changed",
                ),
                None => return unknown(),
            },
            (None, None) => return unknown(),
        };
        let today = self.now.date_naive();
        let age = (today - date).num_days();
        let due = date + every.to_chrono();
        let left = (due - today).num_days();
        let (class, label) = if left < 0 {
            ("stale", format!("Stale: review overdue by {} days", -left))
        } else if left * 10 < every.as_secs() / 86_400 {
            ("due-soon", format!("Review due in {left} days"))
        } else {
            ("fresh", format!("{since} {age} days ago"))
        };
        Freshness {
            class,
            label: if since == "Reviewed" {
                label
            } else {
                format!("{label} (no `reviewed` date: by the last commit, {basis} on {date})")
            },
            due: due.format("%Y-%m-%d").to_string(),
            basis,
        }
    }

    /// The view of a runbook page.
    pub fn runbook(&self, page: &str, doc: &Document, rb: &Runbook) -> RunbookView {
        let opt = |kind, id: &Option<String>| id.as_deref().map(|i| self.link(page, kind, i));
        RunbookView {
            service: opt(Kind::Service, &rb.service),
            owner: opt(Kind::Team, &rb.owner),
            escalation: opt(Kind::Escalation, &rb.escalation),
            sla: opt(Kind::Sla, &rb.sla),
            reviewed: rb.reviewed.map(|d| d.to_string()).unwrap_or_default(),
            review_every: rb
                .review_every
                .unwrap_or(self.handbook.config.review_every)
                .to_string(),
            freshness: self.freshness(doc, rb),
            alerts: self.runbook_alerts(page, doc, rb),
            alert_rules: self.rel.alerts.is_some(),
            dashboards: rb
                .dashboards
                .iter()
                .map(|d| external(&d.title, &d.url))
                .collect(),
            tags: rb.tags.clone(),
            incidents: self.incident_rows(
                page,
                self.rel
                    .incidents_of_runbook
                    .get(doc.id.as_str())
                    .into_iter()
                    .flatten()
                    .copied(),
            ),
        }
    }
}

/// One SLO with its error budget.
#[derive(Debug, Serialize)]
pub struct SloView {
    /// Its name.
    pub name: String,
    /// The indicator.
    pub sli: String,
    /// The objective, `99.9`.
    pub objective: String,
    /// The latency threshold.
    pub threshold: String,
    /// The budget per window, for people: `43m 12s`.
    pub budget: String,
    /// Consumed in the window ending now, for people: `3h 48m`.
    pub consumed: String,
    /// Consumed, in percent of the budget (`42 %`), or how far over an exhausted budget
    /// is (`budget exhausted (3.1× over)`): a five-digit percentage reads as noise.
    pub consumed_percent: String,
    /// Every incident counted, with what it consumed and why it counts.
    pub counted: Vec<ChargeView>,
    /// The width of the consumption bar, 0–100.
    pub bar: u32,
    /// `ok`, `warn` (over 50 %) or `over` (over 100 %).
    pub state: &'static str,
    /// Incidents counted with a start or end time that git gave (the frontmatter is silent).
    pub from_git: Vec<String>,
    /// Incidents of the service left out of the figure, each with the reason.
    pub unmeasured: Vec<String>,
    /// The burn-rate alerts `opsbook slo rules` generates for it (none without queries).
    pub burn: Vec<super::burn::BurnAlertView>,
}

/// One incident's charge to an error budget.
#[derive(Debug, Serialize)]
pub struct ChargeView {
    /// The incident's id.
    pub incident: String,
    /// Its impact inside the window, for people: `3h 48m`.
    pub consumed: String,
    /// Why it is charged to this SLO.
    pub why: String,
    /// Whether the impact has not ended: charged up to now, and growing.
    pub still_open: bool,
}

/// The share of an error budget consumed: `42 %`, or `budget exhausted (3.1× over)`.
///
/// ```
/// use opsbook_site::views::kinds::consumed_share;
/// assert_eq!(consumed_share(42.4), "42 %");
/// assert_eq!(consumed_share(100.0), "100 %");
/// assert_eq!(consumed_share(31212.0), "budget exhausted (312× over)");
/// assert_eq!(consumed_share(154.0), "budget exhausted (1.5× over)");
/// ```
pub fn consumed_share(percent: f64) -> String {
    if percent <= 100.0 {
        return format!("{percent:.0} %");
    }
    let times = percent / 100.0;
    let times = if times < 10.0 {
        format!("{times:.1}")
    } else {
        format!("{times:.0}")
    };
    format!("budget exhausted ({times}× over)")
}

/// An SLA page (and the SLA part of a service page).
#[derive(Debug, Serialize)]
pub struct SlaView {
    /// Link to the SLA page.
    pub link: Link,
    /// The service.
    pub service: Link,
    /// The customer.
    pub customer: String,
    /// The window, `30d`.
    pub window: String,
    /// Window start and end, for people.
    pub window_range: String,
    /// Objectives and budgets.
    pub slos: Vec<SloView>,
    /// Commitments: (objective, consequence).
    pub commitments: Vec<(String, String)>,
    /// Ticket targets: (priority, response, resolve).
    pub tickets: Vec<(String, String, String)>,
}

impl Ctx<'_> {
    /// The view of an SLA, seen from `page`.
    pub fn sla(&self, page: &str, doc: &Document, sla: &Sla) -> SlaView {
        let mut burn = self.burn_alerts(page, doc);
        // The same budgets as `opsbook stats`: overlaps counted once, git fills times the
        // frontmatter leaves out, every incident left out is named with its reason.
        let slos = sla
            .slos
            .iter()
            .map(|slo| {
                let report = self
                    .stats
                    .error_budgets
                    .iter()
                    .find(|b| b.sla == doc.id && b.slo == slo.name);
                let pct = report.map_or(0.0, |b| b.consumed_percent);
                SloView {
                    name: slo.name.clone(),
                    sli: slo.sli.clone(),
                    objective: format::percent(slo.objective.0),
                    threshold: slo.threshold.map(|t| t.to_string()).unwrap_or_default(),
                    budget: format::duration(
                        ((1.0 - slo.objective.0 / 100.0) * sla.window.as_secs() as f64).round()
                            as i64,
                    ),
                    consumed: format::duration(
                        report.map_or(0.0, |b| b.consumed_seconds).round() as i64
                    ),
                    consumed_percent: consumed_share(pct),
                    counted: report
                        .into_iter()
                        .flat_map(|b| &b.incidents)
                        .map(|i| ChargeView {
                            incident: i.incident.clone(),
                            consumed: format::duration(i.seconds_in_window.round() as i64),
                            why: i.why.clone(),
                            still_open: i.still_open,
                        })
                        .collect(),
                    bar: pct.clamp(0.0, 100.0) as u32,
                    state: if pct > 100.0 {
                        "over"
                    } else if pct > 50.0 {
                        "warn"
                    } else {
                        "ok"
                    },
                    from_git: report
                        .into_iter()
                        .flat_map(|b| &b.incidents)
                        .filter(|i| {
                            i.from.value.source.is_git()
                                || i.to.as_ref().is_some_and(|t| t.value.source.is_git())
                        })
                        .map(|i| i.incident.clone())
                        .collect(),
                    unmeasured: report
                        .into_iter()
                        .flat_map(|b| &b.left_out)
                        .map(|l| format!("{} ({})", l.incident, l.reason))
                        .collect(),
                    burn: burn.remove(&slo.name).unwrap_or_default(),
                }
            })
            .collect();
        let start = self.now - chrono::TimeDelta::seconds(sla.window.as_secs());
        SlaView {
            link: self.link_doc(page, doc),
            service: self.link(page, Kind::Service, &sla.service),
            customer: sla.customer.clone().unwrap_or_default(),
            window: sla.window.to_string(),
            window_range: format!("{} → {}", format::utc(&start), format::utc(&self.now)),
            slos,
            commitments: sla
                .sla
                .iter()
                .map(|c| (format::percent(c.objective.0), c.consequence.clone()))
                .collect(),
            tickets: sla
                .ticket_sla
                .iter()
                .map(|(p, t)| {
                    let f = |d: Option<opsbook_core::model::Duration>| {
                        d.map(|d| d.to_string()).unwrap_or_default()
                    };
                    (p.clone(), f(t.response), f(t.resolve))
                })
                .collect(),
        }
    }
}

/// Someone notified at a level.
#[derive(Debug, Serialize)]
pub struct Recipient {
    /// `team`, `person` or `role`.
    pub kind: &'static str,
    /// Who.
    pub who: Link,
    /// `pager`, `phone`, `email`, `chat`.
    pub via: &'static str,
}

/// One step of an escalation policy.
#[derive(Debug, Serialize)]
pub struct Step {
    /// 1-based.
    pub number: usize,
    /// `after 15m`.
    pub after: String,
    /// Who is notified.
    pub notify: Vec<Recipient>,
    /// Severities paged first at this level.
    pub routes: Vec<String>,
}

/// An escalation policy.
#[derive(Debug, Serialize)]
pub struct EscalationView {
    /// Link to its page.
    pub link: Link,
    /// The steps.
    pub steps: Vec<Step>,
    /// Services that use it.
    pub services: Vec<Link>,
}

impl Ctx<'_> {
    /// The view of an escalation policy, seen from `page`.
    pub fn escalation(&self, page: &str, doc: &Document, e: &Escalation) -> EscalationView {
        let steps = e
            .levels
            .iter()
            .enumerate()
            .map(|(i, level)| Step {
                number: i + 1,
                after: level.after.to_string(),
                notify: level
                    .notify
                    .iter()
                    .map(|n| {
                        let (kind, who) = if let Some(t) = &n.team {
                            ("team", self.link(page, Kind::Team, t))
                        } else if let Some(p) = &n.person {
                            ("person", self.person(page, p))
                        } else {
                            let r = n.role.clone().unwrap_or_default();
                            (
                                "role",
                                Link {
                                    title: r,
                                    url: None,
                                },
                            )
                        };
                        let via = match n.via {
                            Via::Pager => "pager",
                            Via::Phone => "phone",
                            Via::Email => "email",
                            Via::Chat => "chat",
                        };
                        Recipient { kind, who, via }
                    })
                    .collect(),
                routes: e
                    .severity_routes
                    .iter()
                    .filter(|(_, l)| **l as usize == i + 1)
                    .map(|(s, _)| s.clone())
                    .collect(),
            })
            .collect();
        EscalationView {
            link: self.link_doc(page, doc),
            steps,
            services: self
                .rel
                .services_of_escalation
                .get(doc.id.as_str())
                .into_iter()
                .flatten()
                .map(|d| self.link_doc(page, d))
                .collect(),
        }
    }
}

/// A team page.
#[derive(Debug, Serialize)]
pub struct TeamView {
    /// The lead.
    pub lead: Option<String>,
    /// Members: name, role, contact, contact URL.
    pub members: Vec<(String, String, String, Option<String>)>,
    /// Chat channels.
    pub channels: Vec<String>,
    /// Services it owns.
    pub services: Vec<Link>,
    /// Runbooks it keeps.
    pub runbooks: Vec<Link>,
}

impl Ctx<'_> {
    /// The view of a team page.
    pub fn team(&self, page: &str, doc: &Document, t: &Team) -> TeamView {
        let links = |m: &std::collections::HashMap<&str, Vec<&Document>>| {
            m.get(doc.id.as_str())
                .into_iter()
                .flatten()
                .map(|d| self.link_doc(page, d))
                .collect()
        };
        TeamView {
            lead: t.lead.clone(),
            members: t
                .members
                .iter()
                .map(|m| {
                    let contact = m.contact.clone().unwrap_or_default();
                    let url = if contact.contains('@') && !contact.contains(':') {
                        Some(format!("mailto:{contact}"))
                    } else if contact.starts_with("https://") || contact.starts_with("tel:") {
                        Some(contact.clone())
                    } else {
                        None
                    };
                    (
                        m.name.clone(),
                        m.role.clone().unwrap_or_default(),
                        contact,
                        url,
                    )
                })
                .collect(),
            channels: t.channels.clone(),
            services: links(&self.rel.services_of_team),
            runbooks: links(&self.rel.runbooks_of_team),
        }
    }
}
