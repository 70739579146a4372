//! Reading one rule file: YAML documents → groups → alerting and recording rules.
//!
//! Every problem is an OB401 diagnostic with a span; reading goes on with the next rule,
//! group or document, so one mistake does not hide the rest of the file.

use super::reader::{Reader, start_of};
use super::{Alert, Alerts, Group, Pair, Record, Resource};
use crate::diagnostic::Diagnostic;
use crate::suggest::closest;
use crate::yaml::{self, Node, Resolved};

/// The fields of a rule group: Prometheus's, and those Thanos and Mimir add.
const GROUP_KEYS: &[&str] = &[
    "name",
    "interval",
    "query_offset",
    "limit",
    "labels",
    "rules",
    "partial_response_strategy",
    "source_tenants",
];
/// The fields of a rule.
const RULE_KEYS: &[&str] = &[
    "alert",
    "record",
    "expr",
    "for",
    "keep_firing_for",
    "labels",
    "annotations",
];

/// Reads the rule file `path` (relative to the handbook root) from its `text`.
/// Problems are pushed to `diagnostics`; what could be read is returned.
pub fn parse_file(path: &str, text: &str, diagnostics: &mut Vec<Diagnostic>) -> Alerts {
    let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let stream = yaml::parse_stream(&text[base..], base);
    let mut r = Reader {
        file: path,
        out: diagnostics,
        alerts: Alerts {
            files: vec![path.to_string()],
            ..Alerts::default()
        },
    };
    for error in &stream.errors {
        r.yaml_error(error);
    }
    for document in &stream.documents {
        r.document(document);
    }
    r.alerts
}

impl Reader<'_> {
    fn document(&mut self, root: &Node) {
        let Some(entries) = root.as_map() else {
            let message = format!(
                "a rule file holds a mapping with `groups:` (or a Kubernetes PrometheusRule), not {}",
                root.type_name()
            );
            return self.error(root.span, message, None);
        };
        if let Some(kind) = root.get("kind") {
            if kind.as_str() == Some("PrometheusRule") {
                self.prometheus_rule(root, kind);
            }
            // Other Kubernetes resources (ConfigMaps, Deployments, ...) hold no rules.
            return;
        }
        self.map(root, "a rule file", &["groups"]);
        match root.get("groups") {
            Some(groups) => self.groups(groups, None),
            None if !entries.is_empty() => self.error(
                start_of(root),
                "this document has no `groups:`".to_string(),
                Some("a Prometheus rule file is `groups: [{name, rules: [...]}]`; a Kubernetes resource needs `kind: PrometheusRule`".to_string()),
            ),
            None => {}
        }
    }

    fn prometheus_rule(&mut self, root: &Node, kind: &Node) {
        let metadata = root.get("metadata");
        let string_at = |key: &str| metadata?.get(key)?.as_str().map(str::to_string);
        let resource = Resource {
            name: string_at("name"),
            namespace: string_at("namespace"),
        };
        let Some(spec) = root.get("spec") else {
            let keys = root.as_map().unwrap_or_default().iter();
            let typo = closest("spec", keys.filter_map(|(k, _)| k.as_str()));
            return self.error(
                kind.span,
                "this PrometheusRule has no `spec`".to_string(),
                Some(match typo {
                    Some(key) => format!(
                        "`{key}` should be `spec`: rules go under `spec: {{groups: [...]}}`"
                    ),
                    None => "rules go under `spec: {groups: [...]}`".to_string(),
                }),
            );
        };
        if self
            .map(spec, "the PrometheusRule `spec`", &["groups"])
            .is_some()
        {
            if let Some(groups) = spec.get("groups") {
                self.groups(groups, Some(resource));
            }
        }
    }

    fn groups(&mut self, node: &Node, resource: Option<Resource>) {
        let Some(groups) = node.as_seq() else {
            if node.resolve() != Some(Resolved::Null) {
                let message = format!("`groups` must be a list, not {}", node.type_name());
                self.error(node.span, message, None);
            }
            return;
        };
        let mut names: Vec<&str> = Vec::new();
        for group in groups {
            let Some(name_node) = group.get("name") else {
                self.map(group, "a rule group", GROUP_KEYS);
                if group.as_map().is_some() {
                    let at = start_of(group);
                    self.error(at, "this rule group has no `name`".to_string(), None);
                }
                continue;
            };
            if let Some(name) = name_node.as_str() {
                if names.contains(&name) {
                    self.error(
                        name_node.span,
                        format!("the group name `{name}` is used twice in this file"),
                        Some(
                            "Prometheus refuses repeated group names in one file: rename one"
                                .to_string(),
                        ),
                    );
                }
                names.push(name);
            }
            self.group(group, name_node, resource.clone());
        }
    }

    fn group(&mut self, node: &Node, name_node: &Node, resource: Option<Resource>) {
        self.map(node, "a rule group", GROUP_KEYS);
        let Some(name) = self.text(name_node, "the group `name`", false) else {
            return;
        };
        let what = |key: &str| format!("`{key}` of group `{name}`");
        let interval = node
            .get("interval")
            .and_then(|n| self.duration(n, &what("interval")));
        if let Some(offset) = node.get("query_offset") {
            self.duration(offset, &what("query_offset"));
        }
        if let Some(limit) = node.get("limit") {
            if !matches!(limit.resolve(), Some(Resolved::Int(n)) if n >= 0) {
                let message = format!("{} must be a whole number", what("limit"));
                self.error(limit.span, message, None);
            }
        }
        let labels = match node.get("labels") {
            Some(labels) => self.pairs(labels, &what("labels")),
            None => Vec::new(),
        };
        let index = self.alerts.groups.len();
        self.alerts.groups.push(Group {
            name: name.clone(),
            file: self.file.to_string(),
            span: name_node.span,
            resource,
            interval,
        });
        let Some(rules) = node.get("rules") else {
            return;
        };
        match rules.as_seq() {
            Some(rules) => {
                for rule in rules {
                    self.rule(rule, index, &labels);
                }
            }
            None if rules.resolve() == Some(Resolved::Null) => {}
            None => {
                let message = format!(
                    "{} must be a list, not {}",
                    what("rules"),
                    rules.type_name()
                );
                self.error(rules.span, message, None);
            }
        }
    }

    fn rule(&mut self, node: &Node, group: usize, group_labels: &[Pair]) {
        if self.map(node, "a rule", RULE_KEYS).is_none() {
            return;
        }
        let start = start_of(node);
        let (name_node, is_alert) = match (node.get("alert"), node.get("record")) {
            (Some(alert), None) => (alert, true),
            (None, Some(record)) => (record, false),
            (Some(_), Some(record)) => {
                return self.error(
                    node.entry("record").map_or(record.span, |(k, _)| k.span),
                    "a rule has both `alert` and `record`".to_string(),
                    Some("split it into an alerting rule and a recording rule".to_string()),
                );
            }
            (None, None) => {
                return self.error(
                    start,
                    "this rule has neither `alert` nor `record`".to_string(),
                    Some(
                        "name it: `alert: SomethingWrong` or `record: job:metric:rate5m`"
                            .to_string(),
                    ),
                );
            }
        };
        let key = if is_alert { "alert" } else { "record" };
        let name = self
            .text(name_node, &format!("`{key}`"), false)
            .unwrap_or_default();
        if name.trim().is_empty() {
            let message = format!("the `{key}` name is empty");
            return self.error(name_node.span, message, None);
        }
        let what = |field: &str| format!("`{field}` of `{name}`");
        let expr = match node.get("expr") {
            Some(expr) => self.text(expr, &what("expr"), true).unwrap_or_default(),
            None => String::new(),
        };
        if expr.trim().is_empty() {
            let span = node.get("expr").map_or(name_node.span, |e| e.span);
            let message = format!("`{name}` has no `expr`");
            self.error(
                span,
                message,
                Some("give the rule its PromQL expression".to_string()),
            );
        }
        if !is_alert {
            for field in ["for", "keep_firing_for", "annotations"] {
                if let Some((k, _)) = node.entry(field) {
                    let message = format!("the recording rule `{name}` cannot have `{field}`");
                    self.error(
                        k.span,
                        message,
                        Some(
                            "only alerting rules have it: remove it, or make the rule an `alert`"
                                .to_string(),
                        ),
                    );
                }
            }
            self.alerts.records.push(Record {
                name,
                file: self.file.to_string(),
                span: name_node.span,
                group,
                expr,
            });
            return;
        }
        let for_ = node.get("for").and_then(|n| self.duration(n, &what("for")));
        let keep_firing_for = node
            .get("keep_firing_for")
            .and_then(|n| self.duration(n, &what("keep_firing_for")));
        let mut labels = group_labels.to_vec();
        if let Some(own) = node.get("labels") {
            for pair in self.pairs(own, &what("labels")) {
                labels.retain(|p| p.name != pair.name);
                labels.push(pair);
            }
        }
        let annotations = match node.get("annotations") {
            Some(a) => self.pairs(a, &what("annotations")),
            None => Vec::new(),
        };
        self.alerts.alerts.push(Alert {
            name,
            file: self.file.to_string(),
            span: name_node.span,
            group,
            expr,
            for_,
            keep_firing_for,
            labels,
            annotations,
        });
    }
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
