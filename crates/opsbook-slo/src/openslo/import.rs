//! OpenSLO v1 documents read as SLA documents, with a note for everything that does
//! not map (see the table in [`super`]).

use super::{ANNOTATION, API_VERSION, objective_of};
use crate::promql::WINDOW;
use crate::yaml_out::{Yaml, write};
use opsbook_core::model::{Commitment, Duration, Percent, Sla, Slo, TicketTarget};
use opsbook_core::span::Span;
use opsbook_core::yaml::{Node, parse_stream};
use std::collections::{BTreeMap, HashMap};

/// What [`import`] made of the files.
#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    /// The SLA documents, by id.
    pub slas: Vec<ImportedSla>,
    /// Everything that was not imported, or not as written, in file order.
    pub notes: Vec<Note>,
}

/// One SLA document made from OpenSLO `SLO`s.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedSla {
    /// Its id, also its file stem.
    pub id: String,
    /// Its path in the handbook, `slas/<id>.md`.
    pub path: String,
    /// The frontmatter.
    pub sla: Sla,
    /// The whole document: frontmatter and a short body.
    pub text: String,
}

/// A field of an OpenSLO file that was not imported (or not as written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The file, as given.
    pub file: String,
    /// Where the field is written.
    pub span: Span,
    /// What was left out and why.
    pub message: String,
}

/// Reads OpenSLO v1 documents from `files` (`(name, text)` pairs; several `---`
/// separated documents a file) and makes an SLA document of the SLOs of each SLA (the
/// annotation `opsbook/sla`, else one SLA per service and window).
pub fn import(files: &[(String, String)]) -> Import {
    let mut reader = Reader::default();
    let mut documents = Vec::new();
    for (file, text) in files {
        let stream = parse_stream(text, 0);
        for e in &stream.errors {
            reader.note(file, e.span(), format!("not YAML: {e}"));
        }
        for node in stream.documents {
            if node.get("kind").and_then(Node::as_str) == Some("SLI") {
                if let Some(name) = node.at(&["metadata", "name"]).and_then(Node::as_str) {
                    reader.slis.insert(name.to_string(), node.clone());
                }
            }
            documents.push((file.clone(), node));
        }
    }
    let mut slos = Vec::new();
    for (file, node) in &documents {
        if let Some(slo) = reader.document(file, node) {
            slos.push(slo);
        }
    }
    let mut groups: BTreeMap<String, Vec<ReadSlo>> = BTreeMap::new();
    for slo in slos {
        let id = slo
            .sla
            .clone()
            .unwrap_or_else(|| format!("{}-sla", slo.service));
        let id = match groups.get(&id) {
            Some(g) if g[0].window != slo.window || g[0].service != slo.service => {
                format!("{}-{}-sla", slo.service, slo.window)
            }
            _ => id,
        };
        groups.entry(id).or_default().push(slo);
    }
    let slas = groups
        .into_iter()
        .map(|(id, slos)| imported(id, slos))
        .collect();
    let mut notes = reader.notes;
    let order = |file: &str| files.iter().position(|(f, _)| f == file);
    notes.sort_by_key(|n| (order(&n.file), n.span.start));
    Import { slas, notes }
}

/// An SLO as read, before it is grouped into an SLA.
struct ReadSlo {
    file: String,
    sla: Option<String>,
    service: String,
    window: Duration,
    slo: Slo,
    customer: Option<String>,
    commitments: Vec<Commitment>,
    tickets: BTreeMap<String, TicketTarget>,
}

#[derive(Default)]
struct Reader {
    slis: HashMap<String, Node>,
    notes: Vec<Note>,
}

fn text(node: Option<&Node>) -> Option<&str> {
    node.and_then(Node::as_str)
}

impl Reader {
    fn note(&mut self, file: &str, span: Span, message: String) {
        self.notes.push(Note {
            file: file.to_string(),
            span,
            message,
        });
    }

    /// Notes every key of `node` not in `known`, as `prefix.key`.
    fn rest(&mut self, file: &str, what: &str, node: &Node, prefix: &str, known: &[&str]) {
        for (key, _) in node.as_map().unwrap_or_default() {
            let name = key.as_str().unwrap_or_default();
            if !known.contains(&name) {
                self.note(
                    file,
                    key.span,
                    format!("{what}: `{prefix}{name}` is not imported: opsbook's SLAs have no such field"),
                );
            }
        }
    }

    fn document(&mut self, file: &str, node: &Node) -> Option<ReadSlo> {
        let kind = text(node.get("kind")).unwrap_or_default().to_string();
        let name = text(node.at(&["metadata", "name"]))
            .unwrap_or_default()
            .to_string();
        let span = node.entry("kind").map_or(node.span, |(k, _)| k.span);
        if text(node.get("apiVersion")) != Some(API_VERSION) {
            let found = text(node.get("apiVersion")).unwrap_or("no apiVersion");
            self.note(
                file,
                span,
                format!("`{kind}` `{name}`: `{found}` is not `{API_VERSION}`; skipped"),
            );
            return None;
        }
        let reason = match kind.as_str() {
            "SLO" => return self.slo(file, node, &name),
            "SLI" => return None, // read with the SLOs that refer to it
            "Service" => {
                "a service is a document of its own in the handbook (`opsbook new service`)"
            }
            "AlertPolicy" | "AlertCondition" | "AlertNotificationTarget" => {
                "`opsbook slo rules` generates the burn-rate alerts from the SLO"
            }
            "DataSource" => "queries are read from each metric's `metricSource.spec.query`",
            _ => "not an OpenSLO v1 kind",
        };
        self.note(
            file,
            span,
            format!("`{kind}` `{name}` is not imported: {reason}"),
        );
        None
    }

    fn slo(&mut self, file: &str, node: &Node, name: &str) -> Option<ReadSlo> {
        let what = format!("SLO `{name}`");
        self.rest(
            file,
            &what,
            node,
            "",
            &["apiVersion", "kind", "metadata", "spec"],
        );
        let metadata = node.get("metadata")?;
        self.rest(
            file,
            &what,
            metadata,
            "metadata.",
            &["name", "displayName", "annotations"],
        );
        let mut ours: HashMap<&str, &str> = HashMap::new();
        for (key, value) in metadata
            .get("annotations")
            .and_then(Node::as_map)
            .unwrap_or_default()
        {
            match key.as_str().and_then(|k| k.strip_prefix(ANNOTATION)) {
                Some(k) => {
                    ours.insert(k, value.as_str().unwrap_or_default());
                }
                None => self.note(
                    file,
                    key.span,
                    format!(
                        "{what}: annotation `{}` is not imported",
                        key.as_str().unwrap_or_default()
                    ),
                ),
            }
        }
        let spec = node.get("spec")?;
        self.rest(
            file,
            &what,
            spec,
            "spec.",
            &[
                "description",
                "service",
                "indicator",
                "indicatorRef",
                "timeWindow",
                "budgetingMethod",
                "objectives",
                "alertPolicies",
            ],
        );
        if let Some((key, _)) = spec.entry("alertPolicies") {
            self.note(file, key.span, format!("{what}: `spec.alertPolicies` is not imported: `opsbook slo rules` generates the burn-rate alerts"));
        }
        if let Some((key, value)) = spec.entry("budgetingMethod") {
            if value.as_str() != Some("Occurrences") {
                self.note(file, key.span, format!("{what}: `budgetingMethod: {}` is read as `Occurrences` (good events / all events)", value.as_str().unwrap_or_default()));
            }
        }
        let service = ours
            .get("service")
            .map(|s| s.to_string())
            .or_else(|| text(spec.get("service")).map(str::to_string))?;
        // Every part is read before giving up, so that every problem is reported.
        let window = self.window(file, &what, spec);
        let objective = self.objective(file, &what, spec);
        let indicator = match (spec.get("indicator"), text(spec.get("indicatorRef"))) {
            (Some(inline), _) => Some(inline.clone()),
            (None, Some(r)) => {
                let found = self.slis.get(r).cloned();
                if found.is_none() {
                    let span = spec
                        .entry("indicatorRef")
                        .map_or(spec.span, |(k, _)| k.span);
                    self.note(
                        file,
                        span,
                        format!("{what}: no `SLI` named `{r}` in the files; SLO skipped"),
                    );
                }
                found
            }
            (None, None) => {
                self.note(
                    file,
                    spec.span,
                    format!("{what}: no `indicator`; SLO skipped"),
                );
                None
            }
        };
        let ratio = indicator.and_then(|i| self.ratio(file, &what, &i));
        let ((window, window_text), objective, (good, error, total)) =
            (window?, objective?, ratio?);
        let placeholder = |q: String| {
            if ours.get("window-placeholder") == Some(&"true") {
                q.replace(&format!("[{window_text}]"), &format!("[{WINDOW}]"))
            } else {
                q
            }
        };
        let slo = Slo {
            name: ours
                .get("slo")
                .map(|s| s.to_string())
                .unwrap_or_else(|| name.to_string()),
            sli: text(spec.get("description")).unwrap_or(name).to_string(),
            objective: Percent(objective),
            threshold: ours.get("threshold").and_then(|t| t.parse().ok()),
            good: good.map(placeholder),
            error: error.map(placeholder),
            total: Some(placeholder(total)),
        };
        Some(ReadSlo {
            file: file.to_string(),
            sla: ours.get("sla").map(|s| s.to_string()),
            service,
            window,
            slo,
            customer: ours.get("customer").map(|s| s.to_string()),
            commitments: ours
                .get("commitments")
                .and_then(|j| serde_json::from_str(j).ok())
                .unwrap_or_default(),
            tickets: ours
                .get("ticket-sla")
                .and_then(|j| serde_json::from_str(j).ok())
                .unwrap_or_default(),
        })
    }

    fn window(&mut self, file: &str, what: &str, spec: &Node) -> Option<(Duration, String)> {
        let Some(windows) = spec.get("timeWindow").and_then(Node::as_seq) else {
            self.note(
                file,
                spec.span,
                format!("{what}: no `timeWindow`; SLO skipped"),
            );
            return None;
        };
        for extra in windows.iter().skip(1) {
            self.note(
                file,
                extra.span,
                format!("{what}: only the first `timeWindow` is imported"),
            );
        }
        let first = windows.first()?;
        self.rest(
            file,
            what,
            first,
            "timeWindow.",
            &["duration", "isRolling", "calendar"],
        );
        if first.get("isRolling").and_then(Node::as_str) == Some("false")
            || first.get("calendar").is_some()
        {
            self.note(
                file,
                first.span,
                format!("{what}: a calendar window is read as a rolling window of the same length"),
            );
        }
        let written = text(first.get("duration")).unwrap_or_default();
        match written.parse::<Duration>() {
            Ok(d) if d.as_millis() > 0 => Some((d, written.to_string())),
            _ => {
                let span = first.get("duration").map_or(first.span, |n| n.span);
                self.note(file, span, format!("{what}: `duration: {written}` is not a duration opsbook reads (units m, h, d, w); SLO skipped"));
                None
            }
        }
    }

    fn objective(&mut self, file: &str, what: &str, spec: &Node) -> Option<f64> {
        let objectives = spec
            .get("objectives")
            .and_then(Node::as_seq)
            .unwrap_or_default();
        for extra in objectives.iter().skip(1) {
            self.note(
                file,
                extra.span,
                format!("{what}: only the first objective is imported"),
            );
        }
        let Some(first) = objectives.first() else {
            self.note(
                file,
                spec.span,
                format!("{what}: no `objectives`; SLO skipped"),
            );
            return None;
        };
        self.rest(
            file,
            what,
            first,
            "objectives.",
            &["displayName", "target", "targetPercent"],
        );
        let number = |key: &str| text(first.get(key)).and_then(|t| t.parse::<f64>().ok());
        match (number("target"), number("targetPercent")) {
            (Some(t), _) if t > 0.0 && t < 1.0 => Some(objective_of(t)),
            (None, Some(p)) if p > 0.0 && p < 100.0 => Some(p),
            _ => {
                self.note(
                    file,
                    first.span,
                    format!("{what}: the objective has no `target` between 0 and 1; SLO skipped"),
                );
                None
            }
        }
    }

    /// `(good, bad, total)` queries of an SLI (inline or an `SLI` document).
    fn ratio(
        &mut self,
        file: &str,
        what: &str,
        sli: &Node,
    ) -> Option<(Option<String>, Option<String>, String)> {
        let Some(ratio) = sli.at(&["spec", "ratioMetric"]) else {
            let span = sli.get("spec").map_or(sli.span, |s| s.span);
            self.note(file, span, format!("{what}: only `ratioMetric` indicators are imported (opsbook SLOs are good / total); SLO skipped"));
            return None;
        };
        self.rest(
            file,
            what,
            ratio,
            "ratioMetric.",
            &["counter", "good", "bad", "total"],
        );
        if let Some((key, value)) = ratio.entry("counter") {
            if value.as_str() == Some("false") {
                self.note(file, key.span, format!("{what}: `counter: false` (gauges) is imported as written; the queries should count events over the window"));
            }
        }
        let mut query = |key: &str| -> Option<String> {
            let metric = ratio.get(key)?;
            let source = metric.get("metricSource");
            let kind = text(source.and_then(|s| s.get("type"))).unwrap_or_default();
            let q = text(source.and_then(|s| s.at(&["spec", "query"])));
            match q {
                Some(q) if kind.eq_ignore_ascii_case("prometheus") => Some(q.to_string()),
                _ => {
                    self.note(file, metric.span, format!("{what}: `ratioMetric.{key}` is not a Prometheus `metricSource` with `spec.query`"));
                    None
                }
            }
        };
        let good = query("good");
        let bad = query("bad");
        let total = query("total");
        match (good, bad, total) {
            (good, bad, Some(total)) if good.is_some() != bad.is_some() => Some((good, bad, total)),
            _ => {
                self.note(file, ratio.span, format!("{what}: needs `total` and one of `good`, `bad` as Prometheus queries; SLO skipped"));
                None
            }
        }
    }
}

fn imported(id: String, slos: Vec<ReadSlo>) -> ImportedSla {
    let first = &slos[0];
    let sla = Sla {
        kind: None,
        id: None,
        title: None,
        service: first.service.clone(),
        customer: slos.iter().find_map(|s| s.customer.clone()),
        window: first.window,
        slos: slos.iter().map(|s| s.slo.clone()).collect(),
        sla: slos
            .iter()
            .find(|s| !s.commitments.is_empty())
            .map(|s| s.commitments.clone())
            .unwrap_or_default(),
        ticket_sla: slos
            .iter()
            .find(|s| !s.tickets.is_empty())
            .map(|s| s.tickets.clone())
            .unwrap_or_default(),
        aliases: Vec::new(),
        extra: Default::default(),
    };
    let mut files: Vec<&str> = slos.iter().map(|s| s.file.as_str()).collect();
    files.dedup();
    let text = format!(
        "---\n{}---\n\n## Summary\n\nImported from OpenSLO ({}) by `opsbook slo import`.\n",
        write(&frontmatter(&sla)),
        files.join(", ")
    );
    ImportedSla {
        path: format!("slas/{id}.md"),
        id,
        sla,
        text,
    }
}

/// The frontmatter of an SLA document, keys in the order of the model.
fn frontmatter(sla: &Sla) -> Yaml {
    let plain = |d: Duration| Yaml::Plain(d.to_string());
    let mut out = vec![("service", Yaml::str(&sla.service))];
    if let Some(c) = &sla.customer {
        out.push(("customer", Yaml::str(c)));
    }
    out.push(("window", plain(sla.window)));
    let slos = sla
        .slos
        .iter()
        .map(|slo| {
            let mut m = vec![
                ("name", Yaml::str(&slo.name)),
                ("sli", Yaml::str(&slo.sli)),
                ("objective", Yaml::num(slo.objective.0)),
            ];
            if let Some(t) = slo.threshold {
                m.push(("threshold", plain(t)));
            }
            for (key, q) in [
                ("good", &slo.good),
                ("error", &slo.error),
                ("total", &slo.total),
            ] {
                if let Some(q) = q {
                    m.push((key, Yaml::str(q)));
                }
            }
            Yaml::map(m)
        })
        .collect();
    out.push(("slos", Yaml::Seq(slos)));
    if !sla.sla.is_empty() {
        let items = sla
            .sla
            .iter()
            .map(|c| {
                Yaml::map([
                    ("objective", Yaml::num(c.objective.0)),
                    ("consequence", Yaml::str(&c.consequence)),
                ])
            })
            .collect();
        out.push(("sla", Yaml::Seq(items)));
    }
    if !sla.ticket_sla.is_empty() {
        let items = sla
            .ticket_sla
            .iter()
            .map(|(p, t)| {
                let mut m = Vec::new();
                if let Some(r) = t.response {
                    m.push(("response", plain(r)));
                }
                if let Some(r) = t.resolve {
                    m.push(("resolve", plain(r)));
                }
                (p.clone(), Yaml::map(m))
            })
            .collect();
        out.push(("ticket_sla", Yaml::Map(items)));
    }
    Yaml::map(out)
}
