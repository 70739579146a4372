//! The handbook's SLAs as OpenSLO v1 documents.

use super::{ANNOTATION, API_VERSION, dns_name, shorthand, target_of};
use crate::burn::{POLICY, Urgency, trim_number};
use crate::generate::Skipped;
use crate::promql::WINDOW;
use crate::yaml_out::{Yaml, write};
use opsbook_core::Handbook;
use opsbook_core::model::{Document, Kind, Queries, Sla, Slo};
use std::collections::BTreeSet;

/// What [`export`] wrote and left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Export {
    /// The OpenSLO documents, `---` separated.
    pub text: String,
    /// SLOs (and fields) that have no OpenSLO form.
    pub skipped: Vec<Skipped>,
}

/// OpenSLO v1 documents for every SLA of `handbook`, in path order: a `Service` per
/// service, an `SLO` (with its SLI inline) and two `AlertPolicy`s per SLO with queries.
pub fn export(handbook: &Handbook) -> Export {
    let mut slas: Vec<(&Document, &Sla)> = handbook
        .of_kind(Kind::Sla)
        .filter_map(|d| Some((d, d.as_sla()?)))
        .collect();
    slas.sort_by(|a, b| a.0.path.cmp(&b.0.path));
    let mut documents = Vec::new();
    let mut skipped = Vec::new();
    let mut services = BTreeSet::new();
    for (doc, sla) in slas {
        let skip = |skipped: &mut Vec<Skipped>, path: &[&str], message: String| {
            skipped.push(Skipped {
                file: doc.path.clone(),
                span: doc.span_at(path).unwrap_or_default(),
                message,
            });
        };
        let Some(window) = shorthand(sla.window) else {
            skip(
                &mut skipped,
                &["window"],
                format!(
                    "`window: {}` has no OpenSLO form (whole minutes); SLA not exported",
                    sla.window
                ),
            );
            continue;
        };
        if !sla.extra.is_empty() {
            skip(&mut skipped, &["extra"], "`extra` is not exported".into());
        }
        let mut first = true;
        for (i, slo) in sla.slos.iter().enumerate() {
            let Some(queries) = slo.queries() else {
                skip(
                    &mut skipped,
                    &["slos", &i.to_string(), "name"],
                    format!(
                        "SLO `{}` has no `good`/`error` and `total` queries: not exported",
                        slo.name
                    ),
                );
                continue;
            };
            if services.insert(sla.service.clone()) {
                documents.push(service_document(&sla.service));
            }
            let name = dns_name(&format!("{}-{}", sla.service, slo.name));
            documents.push(slo_document(doc, sla, slo, queries, &name, &window, first));
            first = false;
            for urgency in [Urgency::Page, Urgency::Ticket] {
                documents.push(alert_policy(sla, slo, &name, urgency));
            }
        }
    }
    let text = documents
        .iter()
        .map(write)
        .collect::<Vec<_>>()
        .join("---\n");
    Export { text, skipped }
}

fn header(kind: &str, metadata: Vec<(&str, Yaml)>) -> Vec<(&'static str, Yaml)> {
    vec![
        ("apiVersion", Yaml::str(API_VERSION)),
        ("kind", Yaml::str(kind)),
        ("metadata", Yaml::map(metadata)),
    ]
}

fn service_document(service: &str) -> Yaml {
    let mut metadata = vec![("name", Yaml::str(dns_name(service)))];
    if dns_name(service) != service {
        metadata.push(("displayName", Yaml::str(service)));
    }
    let mut doc = header("Service", metadata);
    doc.push((
        "spec",
        Yaml::map([(
            "description",
            Yaml::str(format!("The service `{service}` of the handbook")),
        )]),
    ));
    Yaml::map(doc)
}

fn metric(query: &str, window: &str) -> Yaml {
    Yaml::map([(
        "metricSource",
        Yaml::map([
            ("type", Yaml::str("Prometheus")),
            (
                "spec",
                Yaml::map([("query", Yaml::str(query.replace(WINDOW, window)))]),
            ),
        ]),
    )])
}

fn slo_document(
    doc: &Document,
    sla: &Sla,
    slo: &Slo,
    queries: Queries<'_>,
    name: &str,
    window: &str,
    first: bool,
) -> Yaml {
    let mut annotations = vec![
        (format!("{ANNOTATION}sla"), Yaml::str(&doc.id)),
        (format!("{ANNOTATION}service"), Yaml::str(&sla.service)),
        (format!("{ANNOTATION}slo"), Yaml::str(&slo.name)),
    ];
    if let Some(threshold) = slo.threshold {
        annotations.push((
            format!("{ANNOTATION}threshold"),
            Yaml::str(threshold.to_string()),
        ));
    }
    if queries.by_key().iter().any(|(_, q)| q.contains(WINDOW)) {
        annotations.push((format!("{ANNOTATION}window-placeholder"), Yaml::str("true")));
    }
    if first {
        if let Some(customer) = &sla.customer {
            annotations.push((format!("{ANNOTATION}customer"), Yaml::str(customer)));
        }
        if !sla.sla.is_empty() {
            let json = serde_json::to_string(&sla.sla).unwrap_or_default();
            annotations.push((format!("{ANNOTATION}commitments"), Yaml::str(json)));
        }
        if !sla.ticket_sla.is_empty() {
            let json = serde_json::to_string(&sla.ticket_sla).unwrap_or_default();
            annotations.push((format!("{ANNOTATION}ticket-sla"), Yaml::str(json)));
        }
    }
    let ratio = match queries {
        Queries::Good { good, total } => vec![
            ("counter", Yaml::Plain("true".into())),
            ("good", metric(good, window)),
            ("total", metric(total, window)),
        ],
        Queries::Error { error, total } => vec![
            ("counter", Yaml::Plain("true".into())),
            ("bad", metric(error, window)),
            ("total", metric(total, window)),
        ],
    };
    let mut out = header(
        "SLO",
        vec![
            ("name", Yaml::str(name)),
            ("displayName", Yaml::str(&slo.name)),
            ("annotations", Yaml::Map(annotations)),
        ],
    );
    out.push((
        "spec",
        Yaml::map([
            ("description", Yaml::str(&slo.sli)),
            ("service", Yaml::str(dns_name(&sla.service))),
            (
                "indicator",
                Yaml::map([
                    ("metadata", Yaml::map([("name", Yaml::str(name))])),
                    ("spec", Yaml::map([("ratioMetric", Yaml::map(ratio))])),
                ]),
            ),
            (
                "timeWindow",
                Yaml::Seq(vec![Yaml::map([
                    ("duration", Yaml::str(window)),
                    ("isRolling", Yaml::Plain("true".into())),
                ])]),
            ),
            ("budgetingMethod", Yaml::str("Occurrences")),
            (
                "objectives",
                Yaml::Seq(vec![Yaml::map([
                    ("displayName", Yaml::str(&slo.name)),
                    ("target", Yaml::num(target_of(slo.objective.0))),
                ])]),
            ),
            (
                "alertPolicies",
                Yaml::Seq(
                    [Urgency::Page, Urgency::Ticket]
                        .map(|u| {
                            Yaml::map([(
                                "alertPolicyRef",
                                Yaml::str(format!("{name}-{}", u.as_str())),
                            )])
                        })
                        .to_vec(),
                ),
            ),
        ]),
    ));
    Yaml::map(out)
}

fn alert_policy(sla: &Sla, slo: &Slo, name: &str, urgency: Urgency) -> Yaml {
    let conditions: Vec<Yaml> = POLICY
        .iter()
        .filter(|c| c.urgency == urgency)
        .map(|c| {
            let factor = c.factor(sla.window);
            Yaml::map([
                ("kind", Yaml::str("AlertCondition")),
                (
                    "metadata",
                    Yaml::map([("name", Yaml::str(format!("{name}-burn-{}", c.long)))]),
                ),
                (
                    "spec",
                    Yaml::map([
                        (
                            "description",
                            Yaml::str(format!(
                                "{}x the sustainable burn rate over {} and {}: {} % of the {} budget gone in {}",
                                trim_number(factor),
                                c.long,
                                c.short,
                                c.budget_percent(),
                                sla.window,
                                c.long
                            )),
                        ),
                        ("severity", Yaml::str(urgency.as_str())),
                        (
                            "condition",
                            Yaml::map([
                                ("kind", Yaml::str("burnrate")),
                                ("op", Yaml::str("gte")),
                                ("threshold", Yaml::num(factor)),
                                ("lookbackWindow", Yaml::str(c.long)),
                                ("alertAfter", Yaml::str(c.short)),
                            ]),
                        ),
                    ]),
                ),
            ])
        })
        .collect();
    let mut out = header(
        "AlertPolicy",
        vec![("name", Yaml::str(format!("{name}-{}", urgency.as_str())))],
    );
    out.push((
        "spec",
        Yaml::map([
            (
                "description",
                Yaml::str(format!(
                    "The {} alert of the {} SLO of {}, as `opsbook slo rules` generates it",
                    urgency.as_str(),
                    slo.name,
                    sla.service
                )),
            ),
            ("alertWhenBreaching", Yaml::Plain("true".into())),
            ("alertWhenResolved", Yaml::Plain("false".into())),
            ("alertWhenNoData", Yaml::Plain("false".into())),
            ("conditions", Yaml::Seq(conditions)),
        ]),
    ));
    Yaml::map(out)
}
