//! Alerts and runbooks checked against each other (OB402–OB408). They run only when
//! handbook.yaml has `alert_rules`; malformed rule files (OB401) are found while loading.

use super::Context;
use super::runbook_alerts;
use crate::alerts::Alert;
use crate::alerts::links::{AlertLinks, Problem, Target};
use crate::alerts::template::{Unfilled, unfilled};
use crate::diagnostic::Diagnostic;
use crate::handbook::Handbook;
use crate::model::{Document, Kind};
use crate::rules::Rule;
use crate::span::Span;
use crate::suggest::did_you_mean;
use crate::yaml::Node;
use rayon::prelude::*;

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let handbook = cx.handbook;
    if handbook.config.alert_rules.is_empty() {
        return;
    }
    let links = AlertLinks::new(handbook);
    let per_alert: Vec<Diagnostic> = handbook
        .alerts
        .alerts
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, alert)| {
            let mut out = Vec::new();
            let a = AlertCheck {
                handbook,
                links: &links,
                index: i,
                alert,
            };
            a.runbook_url(&mut out);
            a.severity(&mut out);
            out
        })
        .collect();
    out.extend(per_alert);
    runbook_alerts::check(handbook, &links, out);
}

struct AlertCheck<'a, 'h> {
    handbook: &'h Handbook,
    links: &'a AlertLinks<'h>,
    index: usize,
    alert: &'h Alert,
}

impl AlertCheck<'_, '_> {
    fn diagnostic(&self, rule: Rule, span: Span, message: String) -> Diagnostic {
        Diagnostic::new(rule, &self.alert.file, span, message)
    }

    /// The URL of the page (and heading) of the runbook that lists this alert, if any.
    fn suggested_url(&self) -> Option<String> {
        let (doc, listed) = self
            .links
            .listed
            .iter()
            .find(|(_, l)| l.iter().any(|l| l.name == self.alert.name))?;
        let base = self.handbook.config.base_url.as_deref().unwrap_or_default();
        let base = if base.is_empty() || base.ends_with('/') {
            base.to_string()
        } else {
            format!("{base}/")
        };
        let anchor = listed
            .iter()
            .filter(|l| l.heading && l.name == self.alert.name)
            .find_map(|l| doc.outline.headings.iter().find(|h| h.span == l.span))
            .map(|h| format!("#{}", h.anchor))
            .unwrap_or_default();
        let page = self.handbook.addresses.of(&doc.path)?;
        Some(format!("{base}{}{anchor}", crate::permalink::url_of(page)))
    }

    fn runbook_url(&self, out: &mut Vec<Diagnostic>) {
        let name = &self.alert.name;
        let Some(annotation) = self.alert.runbook_url() else {
            let help = match self.suggested_url() {
                Some(url) => format!("add `runbook_url: \"{url}\"` under `annotations`"),
                None => "add a `runbook_url` annotation that points at the runbook page explaining this alert".to_string(),
            };
            let message = format!("alert `{name}` has no `runbook_url` annotation");
            out.push(
                self.diagnostic(Rule::AlertWithoutRunbook, self.alert.span, message)
                    .with_help(help),
            );
            return;
        };
        let span = annotation.span;
        let raw = annotation.value.trim();
        let shown = |url: &str| {
            if url == raw {
                format!("the `runbook_url` of `{name}`")
            } else {
                format!("the `runbook_url` of `{name}` (`{url}`)")
            }
        };
        self.unfilled(raw, span, out);
        match &self.links.targets[self.index] {
            Target::Missing | Target::Dynamic { .. } => {}
            Target::Runbook { runbook, .. } => self.mentioned(runbook, span, out),
            Target::External { url } => {
                let help = match (&self.handbook.config.base_url, self.suggested_url()) {
                    (_, Some(suggested)) => {
                        format!("the handbook's runbook for it is `{suggested}`")
                    }
                    (Some(base), None) => {
                        format!("the handbook is published at `{base}`; link to the runbook there")
                    }
                    (None, None) => {
                        "set `base_url` in handbook.yaml if this is the handbook's address"
                            .to_string()
                    }
                };
                let message = format!("{} points outside the handbook", shown(url));
                out.push(
                    self.diagnostic(Rule::ExternalRunbookUrl, span, message)
                        .with_help(help),
                );
            }
            Target::Broken { url, problem } => {
                let (message, help) = self.broken(&shown(url), problem);
                let help = help.or_else(|| {
                    self.suggested_url()
                        .map(|u| format!("the runbook that lists it is `{u}`"))
                });
                out.push(
                    self.diagnostic(Rule::BrokenRunbookUrl, span, message)
                        .with_help_opt(help),
                );
            }
        }
    }

    /// OB409: parts of a templated URL that Prometheus leaves empty or sends as written.
    fn unfilled(&self, raw: &str, span: Span, out: &mut Vec<Diagnostic>) {
        if !raw.contains("{{") && !raw.contains("%s") {
            return;
        }
        let is_rule_label = |name: &str| self.alert.label(name).is_some();
        let parts = unfilled(raw, &self.alert.expr, is_rule_label);
        if parts.is_empty() {
            return;
        }
        let name = &self.alert.name;
        let labels: Vec<String> = parts
            .iter()
            .filter_map(|p| match p {
                Unfilled::Label(label) => Some(format!("`{label}`")),
                Unfilled::PercentS => None,
            })
            .collect();
        let mut reasons = Vec::new();
        if !labels.is_empty() {
            reasons.push(format!(
                "leaves {} empty (annotations see only the labels of the series the expression returns)",
                labels.join(" and ")
            ));
        }
        if parts.contains(&Unfilled::PercentS) {
            reasons.push("sends `%s` as written".to_string());
        }
        let message = format!(
            "in the `runbook_url` of `{name}`, Prometheus {}",
            reasons.join(", and ")
        );
        let rule_label = parts.iter().find_map(|p| match p {
            Unfilled::Label(label) if label != "alertname" => Some(label),
            _ => None,
        });
        let help = match (&self.links.targets[self.index], rule_label) {
            (Target::Runbook { url, .. }, _) => format!("write the URL out: `{url}`"),
            (_, Some(label)) => format!(
                "write the URL out, or keep `{label}` in the expression's result, e.g. `sum by ({label}) (…)`"
            ),
            (_, None) => "write the alert name into the URL".to_string(),
        };
        out.push(
            self.diagnostic(Rule::UnfilledRunbookUrl, span, message)
                .with_help(help),
        );
    }

    fn broken(&self, what: &str, problem: &Problem<'_>) -> (String, Option<String>) {
        let handbook = self.handbook;
        match problem {
            Problem::Template(reason) => {
                (format!("{what} is not a valid template: {reason}"), None)
            }
            Problem::NotARunbook { path, .. } if path.is_empty() => (
                format!("{what} points at the handbook's home page, not at a runbook"),
                None,
            ),
            Problem::NotARunbook { path, near } => (
                format!("{what} points at `{path}`, which is not a runbook page"),
                Some(match near {
                    Some(near) => format!(
                        "did you mean `{near}`? Addresses are case-sensitive, as web servers' are"
                    ),
                    None => runbook_addresses(handbook),
                }),
            ),
            Problem::NoSuchRunbook { id } => (
                format!("{what} names the runbook `{id}`, which does not exist"),
                did_you_mean(id, handbook.ids(Kind::Runbook)),
            ),
            Problem::NoSuchAnchor { runbook, anchor } => {
                let anchors = runbook.outline.headings.iter().map(|h| h.anchor.as_str());
                (
                    format!(
                        "{what} points at `#{anchor}`, which is no heading of `{}`",
                        runbook.path
                    ),
                    did_you_mean(anchor, anchors),
                )
            }
        }
    }

    /// OB408: the runbook the URL leads to lists the alert.
    fn mentioned(&self, runbook: &Document, span: Span, out: &mut Vec<Diagnostic>) {
        let name = &self.alert.name;
        let listed = self.links.lists(runbook, name);
        if !listed {
            let message = format!(
                "the runbook `{}` does not mention `{name}`: it is not in its `alerts:` and no heading of its Alerts section names it",
                runbook.id
            );
            out.push(
                self.diagnostic(Rule::UnlistedAlert, span, message)
                    .with_help(format!(
                        "add `{name}` to `alerts:` in {} and describe it under `### {name}`",
                        runbook.path
                    )),
            );
        }
    }

    /// OB406 and, for the most severe step of the scale, OB407.
    fn severity(&self, out: &mut Vec<Diagnostic>) {
        let config = &self.handbook.config;
        let name = &self.alert.name;
        let accepted = || config.alert_severity_labels();
        let Some(label) = self.alert.label("severity") else {
            let message = format!("alert `{name}` has no `severity` label");
            out.push(
                self.diagnostic(Rule::UnknownAlertSeverity, self.alert.span, message)
                    .with_help(format!(
                        "add `severity: …` under `labels`: one of {}",
                        accepted().join(", ")
                    )),
            );
            return;
        };
        if label.value.contains("{{") {
            return;
        }
        let Some(id) = config.alert_severity(&label.value) else {
            let message = format!(
                "the `severity` of `{name}` is `{}`, which is not on the handbook's scale",
                label.value
            );
            let help = did_you_mean(&label.value, accepted()).unwrap_or_else(|| {
                format!(
                    "use one of {}, or map `{}` to a severity under `alert_severities` in handbook.yaml",
                    accepted().join(", "),
                    label.value
                )
            });
            out.push(
                self.diagnostic(Rule::UnknownAlertSeverity, label.span, message)
                    .with_help(help),
            );
            return;
        };
        if config.severity_ids().next() != Some(id) {
            return;
        }
        for runbook in self.links.runbooks_of(self.index, name) {
            let text = |doc: &Document, key: &str| {
                doc.yaml
                    .as_ref()
                    .and_then(|y| y.get(key))
                    .and_then(Node::as_str)
                    .map(str::to_string)
            };
            if text(runbook, "escalation").is_some() {
                continue;
            }
            let service_id = text(runbook, "service");
            let service = service_id
                .as_deref()
                .and_then(|s| self.handbook.get(Kind::Service, s));
            if service.is_some_and(|s| text(s, "escalation").is_some()) {
                continue;
            }
            let (message, help) = match (&service_id, service) {
                (Some(id), Some(service)) => (
                    format!(
                        "critical alert `{name}` leads to the runbook `{}`, but neither it nor its service `{id}` names an escalation policy",
                        runbook.id
                    ),
                    format!("add `escalation: <policy id>` to {}", service.path),
                ),
                // An unknown service is reported by OB201 on the runbook.
                (Some(_), None) => continue,
                (None, _) => (
                    format!(
                        "critical alert `{name}` leads to the runbook `{}`, which names neither a service nor an escalation policy",
                        runbook.id
                    ),
                    format!(
                        "add `service:` (with an `escalation:`) or `escalation:` to {}",
                        runbook.path
                    ),
                ),
            };
            out.push(
                self.diagnostic(Rule::CriticalAlertWithoutEscalation, label.span, message)
                    .with_help(help),
            );
            return;
        }
    }
}

/// Where runbook pages are, for a help line: the handbook's permalink pattern.
fn runbook_addresses(handbook: &Handbook) -> String {
    match &handbook.config.permalinks.runbook {
        Some(pattern) => format!(
            "runbook pages are `{pattern}` (permalinks in handbook.yaml) under the handbook's `base_url`, or one of their aliases"
        ),
        None => "runbook pages are `runbooks/<file>.html` under the handbook's `base_url`, or one of their aliases".to_string(),
    }
}
