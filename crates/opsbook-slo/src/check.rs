//! OB411: the queries of each SLO parse as PromQL and range over the window. Run by the
//! binary next to opsbook-core's checks, which cannot parse PromQL (see the crate docs).

use crate::promql;
use opsbook_core::model::{Document, Kind, Sla};
use opsbook_core::{Diagnostic, Handbook, Rule};

/// The OB411 diagnostics of every SLA of `handbook` (unsorted, at default levels: pass
/// them through [`opsbook_core::finish`] with the others).
pub fn check(handbook: &Handbook) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for doc in handbook.of_kind(Kind::Sla) {
        if let Some(sla) = doc.as_sla() {
            check_sla(doc, sla, &mut out);
        }
    }
    out
}

fn check_sla(doc: &Document, sla: &Sla, out: &mut Vec<Diagnostic>) {
    let window = sla.window.to_string();
    // Parsed over the shortest burn-rate window: the syntax is the same over any, and a
    // window of zero (OB410) does not make every query fail too.
    let parse_over = crate::burn::WINDOWS[0];
    for (i, slo) in sla.slos.iter().enumerate() {
        let queries = [
            ("good", &slo.good),
            ("error", &slo.error),
            ("total", &slo.total),
        ];
        for (key, query) in queries {
            let Some(query) = query else {
                continue;
            };
            let span = doc
                .span_at(&["slos", &i.to_string(), key])
                .unwrap_or_default();
            let problem = match promql::templated(query, sla.window) {
                None => Some((
                    format!(
                        "SLO `{}`: `{key}` has no range over the window (`[{}]` or `[{window}]`)",
                        slo.name,
                        promql::WINDOW
                    ),
                    format!(
                        "count the events over the window, e.g. `sum(rate(http_requests_total[{}]))`: burn-rate rules evaluate it over 5m to 3d",
                        promql::WINDOW
                    ),
                )),
                Some(templated) => promql::parse(&promql::over(&templated, parse_over))
                    .err()
                    .map(|e| {
                        (
                            format!("SLO `{}`: `{key}` is not PromQL: {e}", slo.name),
                            "fix the query; try it in Prometheus's expression browser".into(),
                        )
                    }),
            };
            if let Some((message, help)) = problem {
                out.push(
                    Diagnostic::new(Rule::InvalidSloQuery, &doc.path, span, message)
                        .with_help(help),
                );
            }
        }
    }
}
