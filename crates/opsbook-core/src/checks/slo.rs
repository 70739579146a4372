//! SLOs checked on their own (OB410) and against the rule files (OB412), and open major
//! incidents that name no SLO (OB413). Whether their queries parse as PromQL (OB411) is
//! checked by opsbook-slo, which holds the parser.

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::model::{Document, Kind, Sla, Slo, Status};
use crate::rules::Rule;

/// OB413: an open incident of the two highest severities without `slo_impact`, which
/// the error budgets then do not charge.
pub(super) fn open_without_impact(cx: &Context, doc: &Document, out: &mut Vec<Diagnostic>) {
    let Some(pm) = doc.as_postmortem() else {
        return;
    };
    let major = cx.handbook.config.severities.iter().take(2);
    if pm.status == Status::Resolved
        || !pm.slo_impact.is_empty()
        || !major.clone().any(|s| s.id == pm.severity)
    {
        return;
    }
    let status = match pm.status {
        Status::Investigating => "investigating",
        _ => "mitigated",
    };
    out.push(
        Diagnostic::new(
            Rule::OpenIncidentWithoutSloImpact,
            &doc.path,
            Context::span(doc, &["severity"]),
            format!(
                "open {} incident (`status: {status}`) names no `slo_impact`: the error budgets do not charge it",
                pm.severity
            ),
        )
        .with_help("name the SLOs it hurts, e.g. `slo_impact: [availability]`"),
    );
}

/// OB410: an objective of 100, a window of zero, a zero threshold, incomplete queries.
pub(super) fn check(doc: &Document, out: &mut Vec<Diagnostic>) {
    let Some(sla) = doc.as_sla() else {
        return;
    };
    let mut report = |path: &[&str], message: String, help: &str| {
        out.push(
            Diagnostic::new(
                Rule::InconsistentSlo,
                &doc.path,
                Context::span(doc, path),
                message,
            )
            .with_help(help),
        );
    };
    if sla.window.as_millis() <= 0 {
        report(
            &["window"],
            "`window` is zero: objectives are measured over it".to_string(),
            "write the window the objectives are measured over, e.g. `window: 30d`",
        );
    }
    for (i, slo) in sla.slos.iter().enumerate() {
        let index = i.to_string();
        let index = index.as_str();
        let at = |key: &'static str| ["slos", index, key];
        if slo.objective.0 >= 100.0 {
            report(
                &at("objective"),
                format!(
                    "SLO `{}`: `objective: {}` leaves no error budget",
                    slo.name, slo.objective.0
                ),
                "an SLO needs room for failure: write the objective below 100, e.g. `99.9`",
            );
        }
        if slo.threshold.is_some_and(|t| t.as_millis() <= 0) {
            report(
                &at("threshold"),
                format!(
                    "SLO `{}`: `threshold` is zero; no request is faster than that",
                    slo.name
                ),
                "write the latency a good request stays under, e.g. `threshold: 300ms`",
            );
        }
        if let Some((key, message)) = incomplete_queries(slo) {
            report(
                &at(key),
                format!("SLO `{}`: {message}", slo.name),
                "state the indicator as `good` and `total` (or `error` and `total`) queries",
            );
        }
    }
}

/// What is wrong with the queries of `slo`, and the key to point at.
fn incomplete_queries(slo: &Slo) -> Option<(&'static str, String)> {
    match (&slo.good, &slo.error, &slo.total) {
        (None, None, None) | (Some(_), None, Some(_)) | (None, Some(_), Some(_)) => None,
        (Some(_), Some(_), _) => Some((
            "error",
            "has both `good` and `error`: the indicator is good / total or 1 − error / total, not both"
                .into(),
        )),
        (Some(_), None, None) => Some(("good", "has `good` but no `total` query".into())),
        (None, Some(_), None) => Some(("error", "has `error` but no `total` query".into())),
        (None, None, Some(_)) => Some((
            "total",
            "has `total` but neither `good` nor `error` query".into(),
        )),
    }
}

/// OB412: every SLO with queries has an alerting rule labelled with its service and name.
pub(super) fn alerted(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let handbook = cx.handbook;
    let alerted = |sla: &Sla, slo: &Slo| {
        handbook.alerts.alerts.iter().any(|a| {
            a.label("slo").is_some_and(|l| l.value == slo.name)
                && a.label("service").is_some_and(|l| l.value == sla.service)
        })
    };
    for doc in handbook.of_kind(Kind::Sla) {
        let Some(sla) = doc.as_sla() else {
            continue;
        };
        for (i, slo) in sla.slos.iter().enumerate() {
            if slo.queries().is_none() || alerted(sla, slo) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    Rule::SloWithoutBurnRateAlerts,
                    &doc.path,
                    Context::span(doc, &["slos", &i.to_string(), "name"]),
                    format!(
                        "SLO `{}` of `{}` has queries but no alerting rule of `alert_rules` has the labels `service: {}` and `slo: {}`",
                        slo.name, sla.service, sla.service, slo.name
                    ),
                )
                .with_help(
                    "generate its burn-rate alerts with `opsbook slo rules -o FILE` into a file that `alert_rules` reads",
                ),
            );
        }
    }
}
