//! Burn-rate recording and alerting rules for the SLOs of a handbook, as data: the rule
//! file writer ([`crate::render`]) and the SLA page read the same [`RuleSet`].

use crate::burn::{Condition, POLICY, Urgency, WINDOWS, trim_number};
use crate::promql;
use opsbook_core::model::{Document, Duration, Kind, Queries, Sla, Slo};
use opsbook_core::permalink::url_of;
use opsbook_core::span::Span;
use opsbook_core::{Config, Handbook};

/// The recording rule name of the error ratio over `range`.
pub fn record_name(range: &str) -> String {
    format!("slo:sli_error:ratio_rate{range}")
}

/// The rules of every SLO of a handbook that has queries.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSet {
    /// The SLA documents the rules come from (paths relative to the handbook root).
    pub sources: Vec<String>,
    /// One group per SLO, by SLA path and SLO order.
    pub groups: Vec<SloRules>,
    /// SLOs left out (and services without a runbook), for the person generating.
    pub skipped: Vec<Skipped>,
}

/// Something [`generate`] left out, and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    /// The SLA document.
    pub file: String,
    /// The SLO's name (or the SLA's `service`).
    pub span: Span,
    /// What was left out and why.
    pub message: String,
}

/// The rules of one SLO: a Prometheus rule group.
#[derive(Debug, Clone, PartialEq)]
pub struct SloRules {
    /// The group name, `slo-<service>-<slo>`.
    pub group: String,
    /// The SLA document.
    pub sla: String,
    /// The service.
    pub service: String,
    /// The SLO name.
    pub slo: String,
    /// The objective, in percent.
    pub objective: f64,
    /// The SLA's window.
    pub window: Duration,
    /// The error ratio over each window of [`WINDOWS`].
    pub records: Vec<Recording>,
    /// The page alert, then the ticket alert.
    pub alerts: Vec<BurnAlert>,
}

/// A recording rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Recording {
    /// The series name.
    pub record: String,
    /// The window, as a PromQL duration.
    pub range: &'static str,
    /// The PromQL expression.
    pub expr: String,
    /// The `service` and `slo` labels.
    pub labels: Vec<(String, String)>,
}

/// An alerting rule of two multi-window conditions.
#[derive(Debug, Clone, PartialEq)]
pub struct BurnAlert {
    /// The alert name: `<Service><Slo>BurnFast` for the page (e.g.
    /// `OrderBookApiAvailabilityBurnFast`), `<Service><Slo>BurnSlow` for the ticket.
    pub name: String,
    /// Page or ticket.
    pub urgency: Urgency,
    /// The conditions, either of which fires it, with their figures.
    pub conditions: Vec<Figures>,
    /// The PromQL expression.
    pub expr: String,
    /// Labels: `severity`, `service`, `slo`.
    pub labels: Vec<(String, String)>,
    /// Annotations: `summary`, `description`, and `runbook_url` when the service has a runbook.
    pub annotations: Vec<(String, String)>,
}

/// A condition of the policy worked out for one SLO.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figures {
    /// The policy's condition.
    pub condition: Condition,
    /// Its burn-rate factor for the SLO's window.
    pub factor: f64,
    /// The error ratio above which it holds.
    pub threshold: f64,
}

/// The rules of the SLOs of one SLA document (those that can have rules; see
/// [`generate`] for what is skipped and why), for a page that shows them: the same rules
/// as [`generate`] writes, without generating every other SLA's.
pub fn rules_of(handbook: &Handbook, doc: &Document) -> Vec<SloRules> {
    let Some(sla) = doc.as_sla() else {
        return Vec::new();
    };
    let severities = Severities::of(&handbook.config);
    let runbook = service_runbook(handbook, &sla.service);
    let runbook_url = runbook.map(|rb| (rb, runbook_url(handbook, rb)));
    let link = runbook_url.as_ref().map(|(rb, url)| (*rb, url.as_str()));
    sla.slos
        .iter()
        .filter_map(|slo| slo_rules(doc, sla, slo, &severities, link).ok())
        .collect()
}

/// The rules for every SLA of `handbook`, in path order. SLOs without complete queries,
/// with an objective of 100, a window of zero or a query without the window are skipped
/// (see [`RuleSet::skipped`]; `check` reports them as OB410/OB411). Whether the queries
/// parse is not checked again: run [`crate::check`] first, as `opsbook slo rules` does.
pub fn generate(handbook: &Handbook) -> RuleSet {
    let mut slas: Vec<(&Document, &Sla)> = handbook
        .of_kind(Kind::Sla)
        .filter_map(|d| Some((d, d.as_sla()?)))
        .collect();
    slas.sort_by(|a, b| a.0.path.cmp(&b.0.path));
    let mut set = RuleSet {
        sources: Vec::new(),
        groups: Vec::new(),
        skipped: Vec::new(),
    };
    let severities = Severities::of(&handbook.config);
    for (doc, sla) in slas {
        let runbook = service_runbook(handbook, &sla.service);
        let runbook_url = runbook.map(|rb| (rb, runbook_url(handbook, rb)));
        let before = set.groups.len();
        for (i, slo) in sla.slos.iter().enumerate() {
            let link = runbook_url.as_ref().map(|(rb, url)| (*rb, url.as_str()));
            match slo_rules(doc, sla, slo, &severities, link) {
                Ok(rules) => set.groups.push(rules),
                Err(reason) => set.skipped.push(Skipped {
                    file: doc.path.clone(),
                    span: doc
                        .span_at(&["slos", &i.to_string(), "name"])
                        .unwrap_or_default(),
                    message: format!("SLO `{}` skipped: {reason}", slo.name),
                }),
            }
        }
        if set.groups.len() > before {
            set.sources.push(doc.path.clone());
            if runbook_url.is_none() {
                set.skipped.push(Skipped {
                    file: doc.path.clone(),
                    span: doc.span_at(&["service"]).unwrap_or_default(),
                    message: format!(
                        "service `{}` has no runbook, so its alerts have no `runbook_url`",
                        sla.service
                    ),
                });
            }
        }
    }
    set
}

/// The runbook whose page the alerts of `service` link to: the service's `runbook:`,
/// else the first runbook (by path) whose `service:` is it.
pub fn service_runbook<'h>(handbook: &'h Handbook, service: &str) -> Option<&'h Document> {
    let named = handbook
        .get(Kind::Service, service)
        .and_then(|d| d.as_service())
        .and_then(|s| s.runbook.as_deref())
        .and_then(|id| handbook.get(Kind::Runbook, id));
    named.or_else(|| {
        handbook
            .of_kind(Kind::Runbook)
            .filter(|d| d.as_runbook().and_then(|r| r.service.as_deref()) == Some(service))
            .min_by(|a, b| a.path.cmp(&b.path))
    })
}

/// The URL of `runbook`'s page: `base_url` followed by the page's address, as the site
/// writes it and the checks resolve it (`permalinks:` of handbook.yaml; a folder address
/// is its folder URL), or the relative address without `base_url`.
pub fn runbook_url(handbook: &Handbook, runbook: &Document) -> String {
    let page = handbook
        .addresses
        .of(&runbook.path)
        .map(url_of)
        .unwrap_or_default();
    match handbook
        .config
        .base_url
        .as_deref()
        .filter(|b| !b.is_empty())
    {
        Some(base) if base.ends_with('/') => format!("{base}{page}"),
        Some(base) => format!("{base}/{page}"),
        None => page.to_string(),
    }
}

/// The `severity` label values for pages and tickets, from the handbook's scale.
struct Severities {
    page: String,
    ticket: String,
}

impl Severities {
    /// Pages get a label that stands for the most severe step of the scale (`page` or
    /// `critical` when they do), tickets one for a lower step (`ticket` or `warning`).
    fn of(config: &Config) -> Severities {
        let labels = config.alert_severity_labels();
        let top = config.severity_ids().next().unwrap_or("SEV1");
        let is_id = |l: &str| config.severity_ids().any(|id| id == l);
        // Prometheus-style labels (`alert_severities` keys) before the scale's own ids.
        let pick = |preferred: [&str; 2], wanted: &dyn Fn(&str) -> bool| {
            preferred
                .iter()
                .copied()
                .filter(|l| labels.contains(l))
                .chain(labels.iter().copied().filter(|l| !is_id(l)))
                .chain(labels.iter().copied().filter(|l| is_id(l)))
                .find(|l| config.alert_severity(l).is_some_and(wanted))
                .map(str::to_string)
        };
        let page = pick(["page", "critical"], &|id| id == top).unwrap_or_else(|| top.into());
        let ticket = pick(["ticket", "warning"], &|id| id != top).unwrap_or_else(|| page.clone());
        Severities { page, ticket }
    }

    fn of_urgency(&self, urgency: Urgency) -> &str {
        match urgency {
            Urgency::Page => &self.page,
            Urgency::Ticket => &self.ticket,
        }
    }
}

fn slo_rules(
    doc: &Document,
    sla: &Sla,
    slo: &Slo,
    severities: &Severities,
    runbook: Option<(&Document, &str)>,
) -> Result<SloRules, String> {
    let queries = slo.queries().ok_or_else(|| {
        if slo.has_queries() {
            "its queries are incomplete (OB410)".to_string()
        } else {
            "no `good`/`error` and `total` queries".to_string()
        }
    })?;
    if slo.objective.0 >= 100.0 || sla.window.as_millis() <= 0 {
        return Err("no error budget: objective of 100 or window of zero (OB410)".into());
    }
    let mut templated = Vec::new();
    for (key, query) in queries.by_key() {
        // Whether the query parses is OB411's to say ([`crate::check`], which `opsbook
        // slo rules` runs first); parsing again here would double the generation's time.
        let t = promql::templated(query, sla.window)
            .ok_or_else(|| format!("`{key}` has no range over the window (OB411)"))?;
        templated.push(t);
    }
    let labels = vec![
        ("service".to_string(), sla.service.clone()),
        ("slo".to_string(), slo.name.clone()),
    ];
    let records = WINDOWS
        .iter()
        .map(|range| Recording {
            record: record_name(range),
            range,
            expr: ratio_expr(&queries, &templated[0], &templated[1], range),
            labels: labels.clone(),
        })
        .collect();
    let selector = format!(
        "{{service={}, slo={}}}",
        promql_string(&sla.service),
        promql_string(&slo.name)
    );
    let name = format!("{}{}Burn", camel(&sla.service), camel(&slo.name));
    let alerts = [Urgency::Page, Urgency::Ticket]
        .into_iter()
        .map(|urgency| {
            let conditions: Vec<Figures> = POLICY
                .iter()
                .filter(|c| c.urgency == urgency)
                .map(|c| Figures {
                    condition: *c,
                    factor: c.factor(sla.window),
                    threshold: c.threshold(sla.window, slo.objective.0),
                })
                .collect();
            let expr = alert_expr(&conditions, &selector);
            let mut labels = vec![(
                "severity".to_string(),
                severities.of_urgency(urgency).to_string(),
            )];
            labels.extend(
                [("service", &sla.service), ("slo", &slo.name)]
                    .map(|(k, v)| (k.to_string(), v.clone())),
            );
            let mut annotations = texts(sla, slo, urgency, &conditions);
            let speed = match urgency {
                Urgency::Page => "Fast",
                Urgency::Ticket => "Slow",
            };
            let name = format!("{name}{speed}");
            if let Some((doc, url)) = runbook {
                // To the heading that explains the alert, when the runbook has one.
                let anchor = doc
                    .outline
                    .headings
                    .iter()
                    .find(|h| h.text == name)
                    .map(|h| format!("#{}", h.anchor))
                    .unwrap_or_default();
                annotations.push(("runbook_url".into(), format!("{url}{anchor}")));
            }
            BurnAlert {
                name,
                urgency,
                conditions,
                expr,
                labels,
                annotations,
            }
        })
        .collect();
    Ok(SloRules {
        group: format!("slo-{}-{}", sla.service, slo.name),
        sla: doc.path.clone(),
        service: sla.service.clone(),
        slo: slo.name.clone(),
        objective: slo.objective.0,
        window: sla.window,
        records,
        alerts,
    })
}

/// The error ratio over `range`: `1 - good / total`, or `error / total`.
fn ratio_expr(queries: &Queries<'_>, first: &str, total: &str, range: &str) -> String {
    let first = promql::over(first, range);
    let total = promql::over(total, range);
    match queries {
        Queries::Good { .. } => format!("1 - (\n  ({first})\n  /\n  ({total})\n)"),
        Queries::Error { .. } => format!("({first})\n/\n({total})"),
    }
}

fn alert_expr(conditions: &[Figures], selector: &str) -> String {
    conditions
        .iter()
        .map(|f| {
            let c = f.condition;
            format!(
                "(\n  {long}{selector} > {t}\n  and\n  {short}{selector} > {t}\n)",
                long = record_name(c.long),
                short = record_name(c.short),
                t = f.threshold
            )
        })
        .collect::<Vec<_>>()
        .join("\nor\n")
}

fn texts(sla: &Sla, slo: &Slo, urgency: Urgency, conditions: &[Figures]) -> Vec<(String, String)> {
    let speed = match urgency {
        Urgency::Page => "fast",
        Urgency::Ticket => "steadily",
    };
    let summary = format!(
        "{}: the error budget of SLO {} burns {speed}",
        sla.service, slo.name
    );
    let clauses: Vec<String> = conditions
        .iter()
        .map(|f| {
            let c = f.condition;
            format!(
                "{}x the sustainable rate over {} and {} ({} % of the budget gone in {})",
                trim_number(f.factor),
                c.long,
                c.short,
                c.budget_percent(),
                c.long
            )
        })
        .collect();
    let description = format!(
        "The {} SLO of {} ({} % over {}) is burning its error budget: {}. Error ratio over the long window: {{{{ $value | humanizePercentage }}}}.",
        slo.name,
        sla.service,
        trim_number(slo.objective.0),
        sla.window,
        clauses.join(", or ")
    );
    vec![
        ("summary".into(), summary),
        ("description".into(), description),
    ]
}

/// `order-book-api` → `OrderBookApi`; a name that would start with a digit gets `Slo`.
fn camel(text: &str) -> String {
    let mut out: String = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut chars = p.chars();
            let first = chars.next().map(|c| c.to_ascii_uppercase());
            first.into_iter().chain(chars).collect::<String>()
        })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert_str(0, "Slo");
    }
    out
}

/// A PromQL string literal.
fn promql_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_of_one_sla_are_those_generate_writes_for_it() {
        let (handbook, _) =
            opsbook_core::load("../../content-example", &Default::default()).unwrap();
        let all = generate(&handbook).groups;
        let mut slas: Vec<&Document> = handbook.of_kind(Kind::Sla).collect();
        slas.sort_by(|a, b| a.path.cmp(&b.path));
        let one_by_one: Vec<SloRules> = slas
            .into_iter()
            .flat_map(|d| rules_of(&handbook, d))
            .collect();
        assert!(!all.is_empty());
        assert_eq!(one_by_one, all);
    }

    #[test]
    fn names_are_camel_case() {
        assert_eq!(camel("order-book-api"), "OrderBookApi");
        assert_eq!(camel("latency_p99"), "LatencyP99");
        assert_eq!(camel("3d-printing"), "Slo3dPrinting");
    }

    #[test]
    fn severities_follow_the_scale() {
        let mut diags = Vec::new();
        let config = Config::default();
        let s = Severities::of(&config);
        assert_eq!((s.page.as_str(), s.ticket.as_str()), ("page", "ticket"));
        let config = Config::parse("alert_severities:\n  high: SEV1\n  low: SEV2\n", &mut diags);
        let s = Severities::of(&config);
        assert_eq!((s.page.as_str(), s.ticket.as_str()), ("high", "low"));
        assert!(diags.is_empty());
    }
}
