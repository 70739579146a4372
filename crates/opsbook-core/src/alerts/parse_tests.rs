use super::*;
use crate::alerts::reader::prometheus_duration;
use crate::model::Duration;
use crate::rules::Rule;

fn parse(text: &str) -> (Alerts, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let alerts = parse_file("alerts/rules.yaml", text, &mut diagnostics);
    (alerts, diagnostics)
}

/// (code, message, the text the span covers) of each diagnostic.
fn found(text: &str) -> Vec<(&'static str, String, String)> {
    let (_, diagnostics) = parse(text);
    diagnostics
        .iter()
        .map(|d| {
            (
                d.rule.code(),
                d.message.clone(),
                text[d.span.range()].to_string(),
            )
        })
        .collect()
}

const PLAIN: &str = "\
groups:
  - name: api
    interval: 30s
    labels:
      team: sre
    rules:
      - record: job:http_errors:rate5m
        expr: sum by (job) (rate(http_requests_total{code=~\"5..\"}[5m]))
      - alert: ApiErrors
        expr: |
          job:http_errors:rate5m > 1
        for: 5m
        keep_firing_for: 10m
        labels:
          severity: critical
          team: api
        annotations:
          summary: \"Errors on {{ $labels.job }}\"
          runbook_url: https://h.example.com/runbooks/api.html#apierrors
";

#[test]
fn a_plain_rule_file() {
    let (alerts, diagnostics) = parse(PLAIN);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(alerts.files, ["alerts/rules.yaml"]);
    let group = &alerts.groups[0];
    assert_eq!((group.name.as_str(), group.resource.clone()), ("api", None));
    assert_eq!(group.interval.unwrap().as_secs(), 30);
    assert_eq!(alerts.records[0].name, "job:http_errors:rate5m");
    let alert = &alerts.alerts[0];
    assert_eq!(alert.name, "ApiErrors");
    assert_eq!(&PLAIN[alert.span.range()], "ApiErrors");
    assert_eq!(alert.expr, "job:http_errors:rate5m > 1\n");
    assert_eq!(alert.for_.unwrap().to_string(), "5m");
    assert_eq!(alert.keep_firing_for.unwrap().to_string(), "10m");
    assert_eq!(alert.severity(), Some("critical"));
    // The rule's label replaces the group's.
    let labels: Vec<_> = alert
        .labels
        .iter()
        .map(|p| (p.name.as_str(), p.value.as_str()))
        .collect();
    assert_eq!(labels, [("severity", "critical"), ("team", "api")]);
    let url = alert.runbook_url().unwrap();
    assert_eq!(
        &PLAIN[url.span.range()],
        "https://h.example.com/runbooks/api.html#apierrors"
    );
}

#[test]
fn group_labels_are_inherited_with_their_span() {
    let text = "groups:\n  - name: g\n    labels: {severity: warning}\n    rules:\n      - alert: A\n        expr: up == 0\n";
    let (alerts, diagnostics) = parse(text);
    assert!(diagnostics.is_empty());
    let severity = alerts.alerts[0].label("severity").unwrap();
    assert_eq!(&text[severity.span.range()], "warning");
}

#[test]
fn prometheus_rule_resources_several_to_a_file() {
    let text = "\
# Kustomize output: other resources are skipped.
apiVersion: v1
kind: ConfigMap
metadata: {name: unrelated}
data: {groups: nothing}
---
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: login
  namespace: identity
spec:
  groups:
    - name: login
      rules:
        - alert: LoginDown
          expr: up{job=\"login\"} == 0
---
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: data
spec:
  groups:
    - name: login
      rules:
        - alert: DataDown
          expr: up{job=\"data\"} == 0
";
    let (alerts, diagnostics) = parse(text);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let names: Vec<_> = alerts.alerts.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["LoginDown", "DataDown"]);
    let resource = alerts.groups[0].resource.clone().unwrap();
    assert_eq!(resource.name.as_deref(), Some("login"));
    assert_eq!(resource.namespace.as_deref(), Some("identity"));
    assert_eq!(
        alerts
            .group_of(&alerts.alerts[1])
            .resource
            .clone()
            .unwrap()
            .namespace,
        None
    );
}

#[test]
fn structural_mistakes_are_located() {
    let text = "\
groups:
  - name: g
    intervall: 1m
    rules:
      - alert: A
        expr: up == 0
        for: 5 minutes
        anotations: {}
      - expr: up
      - alert: B
        record: b
        expr: x
      - alert: C
      - record: r
        expr: x
        for: 1m
  - name: g
    rules: {}
";
    let got = found(text);
    let summary: Vec<_> = got
        .iter()
        .map(|(c, m, at)| format!("{c} {m} @{at}"))
        .collect();
    assert_eq!(
        summary,
        [
            "OB401 unknown field `intervall` in a rule group @intervall",
            "OB401 unknown field `anotations` in a rule @anotations",
            "OB401 `for` of `A`: `5 minutes` is not a Prometheus duration @5 minutes",
            "OB401 this rule has neither `alert` nor `record` @",
            "OB401 a rule has both `alert` and `record` @record",
            "OB401 `C` has no `expr` @C",
            "OB401 the recording rule `r` cannot have `for` @for",
            "OB401 the group name `g` is used twice in this file @g",
            // An empty collection has an empty span, at its start: the caret is on `{`.
            "OB401 `rules` of group `g` must be a list, not a mapping @",
        ]
    );
    assert!(got.iter().all(|(code, _, _)| *code == "OB401"));
}

#[test]
fn unknown_fields_get_suggestions() {
    let (_, diagnostics) = parse(
        "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: x\n        label: {}\n",
    );
    assert_eq!(
        diagnostics[0].help.as_deref(),
        Some("did you mean `labels`?")
    );
}

#[test]
fn documents_without_rules() {
    assert_eq!(
        found("- a\n- b\n"),
        [(
            "OB401",
            "a rule file holds a mapping with `groups:` (or a Kubernetes PrometheusRule), not a list".into(),
            "- a\n- b".into()
        )]
    );
    assert_eq!(found("group: []\n")[1].1, "this document has no `groups:`");
    assert_eq!(
        found("kind: PrometheusRule\n")[0].1,
        "this PrometheusRule has no `spec`"
    );
    assert!(found("groups:\n").is_empty());
    assert!(found("# nothing yet\n").is_empty());
}

#[test]
fn yaml_problems_are_ob401_and_later_documents_still_read() {
    let text = "groups:\n  - name: a\n    name: b\n---\ngroups:\n  - name: c\n    rules:\n      - alert: C\n        expr: x\n";
    let (alerts, diagnostics) = parse(text);
    assert_eq!(diagnostics[0].rule, Rule::InvalidRuleFile);
    assert_eq!(diagnostics[0].message, "duplicate key `name`");
    assert_eq!(alerts.alerts[0].name, "C");
    let got = found("groups: [\n");
    assert!(got[0].1.starts_with("invalid YAML: "), "{got:?}");
}

#[test]
fn a_bom_is_skipped_and_spans_stay_in_file_bytes() {
    let text = "\u{feff}groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: x\n";
    let (alerts, diagnostics) = parse(text);
    assert!(diagnostics.is_empty());
    assert_eq!(&text[alerts.alerts[0].span.range()], "A");
}

#[test]
fn prometheus_durations() {
    let ms = |t: &str| prometheus_duration(t).map(Duration::as_millis);
    assert_eq!(ms("0"), Some(0));
    assert_eq!(ms("90s"), Some(90_000));
    assert_eq!(ms("1h30m"), Some(5_400_000));
    assert_eq!(ms("1y"), Some(365 * 86_400_000));
    assert_eq!(ms("500ms"), Some(500));
    assert_eq!(ms("1m500ms"), Some(60_500));
    assert_eq!(ms("30m1h"), None, "units must go from largest to smallest");
    assert_eq!(ms("5"), None);
    assert_eq!(ms(""), None);
    assert_eq!(ms("1.5h"), None);
    assert_eq!(ms("-1m"), None);
}
