//! The alerts page: every alerting rule of the handbook's rule files, by rule group, with
//! where its `runbook_url` leads; and the alerts a runbook page lists.

use super::{Ctx, Link, external, severity_class};
use crate::paths::relative;
use opsbook_core::alerts::Alert;
use opsbook_core::alerts::links::{AlertLinks, Problem, Target};
use opsbook_core::model::{Document, Runbook};
use serde::Serialize;

/// The output path of the alerts page.
pub const ALERTS_PAGE: &str = "alerts.html";

/// The `id` of an alert name on the alerts page (names are `[a-zA-Z_:][a-zA-Z0-9_:]*`;
/// anything else is made id-safe).
pub fn alert_id(name: &str) -> String {
    let id: String = name
        .chars()
        .map(|c| if c.is_whitespace() { '-' } else { c })
        .collect();
    if id.is_empty() {
        "alert".to_string()
    } else {
        id
    }
}

/// Where an alert's `runbook_url` leads, for people.
#[derive(Debug, Serialize)]
pub struct RunbookRef {
    /// `runbook` (a runbook of the handbook), `broken`, `external`, `dynamic` or
    /// `missing` (no `runbook_url`).
    pub state: &'static str,
    /// The runbook page (and heading), or the external address.
    pub link: Option<Link>,
    /// The heading of the runbook the anchor names.
    pub heading: String,
    /// The `runbook_url` as written.
    pub url: String,
    /// What is wrong or special about it.
    pub note: String,
    /// Runbooks that list the alert, when its `runbook_url` does not lead to one.
    pub listed_by: Vec<Link>,
}

/// A label or an annotation.
#[derive(Debug, Serialize)]
pub struct PairView {
    /// Its name.
    pub name: String,
    /// Its value (escaped by the template).
    pub value: String,
}

/// An alerting rule.
#[derive(Debug, Serialize)]
pub struct AlertRow {
    /// The alert name.
    pub name: String,
    /// The element id: the name, with `-2`, `-3` … for further rules of the same name.
    pub id: String,
    /// The `severity` label, empty when unset.
    pub severity_label: String,
    /// The handbook severity it maps to, empty when none.
    pub severity: String,
    /// `sev1` … `sev4`, or `sev-unknown`.
    pub sev_class: String,
    /// The description of that severity from the handbook's scale.
    pub severity_text: String,
    /// `for`, empty when unset.
    pub for_: String,
    /// `keep_firing_for`, empty when unset.
    pub keep_firing_for: String,
    /// The expression, highlighted as PromQL (HTML).
    pub expr_html: String,
    /// The `summary` annotation.
    pub summary: String,
    /// The `description` annotation.
    pub description: String,
    /// Its other labels.
    pub labels: Vec<PairView>,
    /// Where its runbook is.
    pub runbook: RunbookRef,
}

/// A rule group.
#[derive(Debug, Serialize)]
pub struct GroupView {
    /// Its name.
    pub name: String,
    /// The `id` of its section.
    pub id: String,
    /// The rule file.
    pub file: String,
    /// The `PrometheusRule` resource, `namespace/name`, empty in a plain rule file.
    pub resource: String,
    /// Its evaluation interval, empty when unset.
    pub interval: String,
    /// Its alerting rules.
    pub alerts: Vec<AlertRow>,
}

/// The alerts page.
#[derive(Debug, Serialize)]
pub struct AlertsView {
    /// How many alerting rules there are.
    pub count: usize,
    /// The rule files.
    pub files: Vec<String>,
    /// Groups with at least one alerting rule, in file order.
    pub groups: Vec<GroupView>,
    /// Alerts whose `runbook_url` is broken.
    pub broken: usize,
    /// Alerts without a `runbook_url` that no runbook lists either.
    pub orphans: usize,
}

/// An alert listed on a runbook page.
#[derive(Debug, Serialize)]
pub struct RunbookAlert {
    /// The alert name.
    pub name: String,
    /// Its entry on the alerts page, when a rule defines it.
    pub url: Option<String>,
    /// Whether a rule defines it.
    pub defined: bool,
    /// The handbook severities its rules map to: (severity, css class).
    pub severities: Vec<(String, String)>,
}

impl Ctx<'_> {
    fn severity_of(&self, alert: &Alert) -> (String, String, String, String) {
        let label = alert.severity().unwrap_or_default().to_string();
        let id = self
            .handbook
            .config
            .alert_severity(&label)
            .unwrap_or_default()
            .to_string();
        let class = severity_class(self.handbook, &id);
        let text = self
            .handbook
            .config
            .severities
            .iter()
            .find(|s| s.id == id)
            .and_then(|s| s.label.clone())
            .unwrap_or_default();
        (label, id, class, text)
    }

    fn runbook_ref(
        &self,
        page: &str,
        links: &AlertLinks<'_>,
        index: usize,
        alert: &Alert,
    ) -> RunbookRef {
        let written = alert
            .runbook_url()
            .map(|p| p.value.trim().to_string())
            .unwrap_or_default();
        let listed_by = || -> Vec<Link> {
            links
                .runbooks_of(index, &alert.name)
                .into_iter()
                .map(|d| self.link_doc(page, d))
                .collect()
        };
        let mut r = RunbookRef {
            state: "missing",
            link: None,
            heading: String::new(),
            url: written,
            note: String::new(),
            listed_by: Vec::new(),
        };
        match &links.targets[index] {
            Target::Missing => {
                r.note = "no runbook_url annotation".into();
                r.listed_by = listed_by();
            }
            Target::Runbook {
                runbook, anchor, ..
            } => {
                r.state = "runbook";
                let mut link = self.link_doc(page, runbook);
                if let (Some(url), Some(anchor)) = (link.url.as_mut(), anchor) {
                    url.push('#');
                    url.push_str(anchor);
                    r.heading = runbook
                        .outline
                        .headings
                        .iter()
                        .find(|h| &h.anchor == anchor)
                        .map(|h| h.text.clone())
                        .unwrap_or_default();
                }
                r.link = Some(link);
            }
            Target::Broken { url, problem } => {
                r.state = "broken";
                r.note = match problem {
                    Problem::Template(reason) => {
                        format!("malformed template: {}", reason.replace('`', ""))
                    }
                    Problem::NotARunbook { path, near: None } => {
                        format!("“{path}” is not a runbook page of the handbook")
                    }
                    Problem::NotARunbook {
                        path,
                        near: Some(near),
                    } => {
                        format!(
                            "“{path}” is not a runbook page of the handbook (did you mean “{near}”?)"
                        )
                    }
                    Problem::NoSuchRunbook { id } => format!("there is no runbook “{id}”"),
                    Problem::NoSuchAnchor { runbook, anchor } => {
                        r.link = Some(self.link_doc(page, runbook));
                        format!("the runbook has no heading #{anchor}")
                    }
                };
                if url != &r.url {
                    r.note = format!("{} (expanded: {url})", r.note);
                }
                r.listed_by = listed_by();
            }
            Target::External { url } => {
                r.state = "external";
                r.link = Some(external(url, url));
                r.note = "outside the handbook".into();
                r.listed_by = listed_by();
            }
            Target::Dynamic { reason } => {
                r.state = "dynamic";
                r.note = format!(
                    "known only when the alert fires: it depends on {}",
                    reason.replace('`', "")
                );
                r.listed_by = listed_by();
            }
        }
        r
    }

    /// The alerts page at `page`; `None` when the handbook has no alerting rules.
    pub fn alerts_page(&self, page: &str) -> Option<AlertsView> {
        let links = self.rel.alerts.as_ref()?;
        let all = &self.handbook.alerts;
        let mut seen: std::collections::HashMap<&str, usize> = Default::default();
        let mut groups: Vec<GroupView> = all
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| GroupView {
                name: g.name.clone(),
                id: format!("group-{}", i + 1),
                file: g.file.clone(),
                resource: g
                    .resource
                    .as_ref()
                    .map(|r| {
                        [r.namespace.as_deref(), r.name.as_deref()]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>()
                            .join("/")
                    })
                    .unwrap_or_default(),
                interval: g.interval.map(|d| d.to_string()).unwrap_or_default(),
                alerts: Vec::new(),
            })
            .collect();
        let (mut broken, mut orphans) = (0, 0);
        for (index, alert) in all.alerts.iter().enumerate() {
            let n = seen.entry(alert.name.as_str()).or_default();
            *n += 1;
            let id = match *n {
                1 => alert_id(&alert.name),
                n => format!("{}-{n}", alert_id(&alert.name)),
            };
            let (severity_label, severity, sev_class, severity_text) = self.severity_of(alert);
            let runbook = self.runbook_ref(page, links, index, alert);
            if runbook.state == "broken" {
                broken += 1;
            }
            if runbook.state == "missing" && runbook.listed_by.is_empty() {
                orphans += 1;
            }
            let annotation = |name: &str| {
                alert
                    .annotation(name)
                    .map(|p| p.value.trim().to_string())
                    .unwrap_or_default()
            };
            let row = AlertRow {
                name: alert.name.clone(),
                id,
                severity_label,
                severity,
                sev_class,
                severity_text,
                for_: alert.for_.map(|d| d.to_string()).unwrap_or_default(),
                keep_firing_for: alert
                    .keep_firing_for
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                expr_html: crate::markdown::code_block("promql", alert.expr.trim_end()),
                summary: annotation("summary"),
                description: annotation("description"),
                labels: alert
                    .labels
                    .iter()
                    .filter(|p| p.name != "severity")
                    .map(|p| PairView {
                        name: p.name.clone(),
                        value: p.value.clone(),
                    })
                    .collect(),
                runbook,
            };
            if let Some(g) = groups.get_mut(alert.group) {
                g.alerts.push(row);
            }
        }
        groups.retain(|g| !g.alerts.is_empty());
        Some(AlertsView {
            count: all.alerts.len(),
            files: all.files.clone(),
            groups,
            broken,
            orphans,
        })
    }

    /// The alerts a runbook names (its `alerts:`, then alerts whose `runbook_url` leads
    /// to it), linked to the alerts page from `page`.
    pub fn runbook_alerts(&self, page: &str, doc: &Document, rb: &Runbook) -> Vec<RunbookAlert> {
        let mut names: Vec<&str> = rb.alerts.iter().map(String::as_str).collect();
        if let Some(links) = &self.rel.alerts {
            for &i in links.alerts_of(doc) {
                let name = self.handbook.alerts.alerts[i].name.as_str();
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        names
            .into_iter()
            .map(|name| {
                let defined = self
                    .rel
                    .alerts
                    .as_ref()
                    .map(|l| l.defined(name))
                    .unwrap_or_default();
                let mut severities: Vec<(String, String)> = Vec::new();
                for &i in defined {
                    let (_, id, class, _) = self.severity_of(&self.handbook.alerts.alerts[i]);
                    if !id.is_empty() && !severities.iter().any(|(s, _)| *s == id) {
                        severities.push((id, class));
                    }
                }
                RunbookAlert {
                    name: name.to_string(),
                    url: (!defined.is_empty())
                        .then(|| format!("{}#{}", relative(page, ALERTS_PAGE), alert_id(name))),
                    defined: !defined.is_empty(),
                    severities,
                }
            })
            .collect()
    }
}
