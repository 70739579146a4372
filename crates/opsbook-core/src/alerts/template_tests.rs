use super::*;

const BASE: &str = "https://handbook.example.com/runbooks/";

fn labels(name: &str) -> Option<&'static str> {
    match name {
        "service" => Some("login-service"),
        "severity" => Some("critical"),
        "team" => Some("Identity SRE"),
        "templated" => Some("{{ $labels.instance }}"),
        _ => None,
    }
}

fn ok(template: &str) -> String {
    expand(template, "LoginFailuresSpike", labels).unwrap()
}

fn err(template: &str) -> ExpandError {
    expand(template, "LoginFailuresSpike", labels).unwrap_err()
}

#[test]
fn literal_urls_are_unchanged() {
    let url = format!("{BASE}login-service.html#loginfailuresspike");
    assert_eq!(ok(&url), url);
    assert_eq!(
        ok("https://x.example.com/a%20b"),
        "https://x.example.com/a%20b"
    );
}

#[test]
fn alertname_in_both_spellings() {
    assert_eq!(
        ok(&format!(
            "{BASE}login-service.html#{{{{ $labels.alertname }}}}"
        )),
        format!("{BASE}login-service.html#LoginFailuresSpike")
    );
    assert_eq!(
        ok(&format!("{BASE}{{{{.Labels.alertname}}}}")),
        format!("{BASE}LoginFailuresSpike")
    );
    assert_eq!(
        ok(r#"{{ index $labels "alertname" }}"#),
        "LoginFailuresSpike"
    );
    assert_eq!(ok("{{ index .Labels `service` }}"), "login-service");
}

#[test]
fn static_labels_of_the_rule() {
    assert_eq!(
        ok(&format!(
            "{BASE}{{{{ $labels.service }}}}.html#{{{{ $labels.alertname | toLower }}}}"
        )),
        format!("{BASE}login-service.html#loginfailuresspike")
    );
}

#[test]
fn pipelines_of_functions() {
    assert_eq!(
        ok("{{ $labels.alertname | toUpper }}"),
        "LOGINFAILURESSPIKE"
    );
    assert_eq!(
        ok("{{ $labels.alertname|toLower|title }}"),
        "Loginfailuresspike"
    );
    assert_eq!(ok("{{ $labels.team | urlquery }}"), "Identity+SRE");
    assert_eq!(ok(r#"{{ "a|b" | toUpper }}"#), "A|B");
}

#[test]
fn percent_s_is_the_alert_name() {
    assert_eq!(
        ok("https://runbooks.example.com/%s"),
        "https://runbooks.example.com/LoginFailuresSpike"
    );
    assert_eq!(ok("/x/%s#%s"), "/x/LoginFailuresSpike#LoginFailuresSpike");
}

#[test]
fn trim_markers_and_comments() {
    assert_eq!(ok("a/ {{- $labels.service -}} /b"), "a/login-service/b");
    assert_eq!(ok("a{{/* note */}}b"), "ab");
    // A `-` that is part of a value is not a trim marker.
    assert_eq!(err("{{-1}}"), ExpandError::Dynamic("`-1`".into()));
}

#[test]
fn runtime_values_are_dynamic() {
    assert_eq!(
        err("{{ $labels.instance }}"),
        ExpandError::Dynamic(
            "the label `instance`, which the rule does not set (it comes from the series)".into()
        )
    );
    assert!(matches!(err("{{ $value }}"), ExpandError::Dynamic(_)));
    assert!(matches!(
        err("{{ $externalLabels.cluster }}"),
        ExpandError::Dynamic(_)
    ));
    assert!(matches!(
        err("{{ $labels.templated }}"),
        ExpandError::Dynamic(_)
    ));
    assert_eq!(
        err(r#"{{ $labels.alertname | reReplaceAll "a" "b" }}"#),
        ExpandError::Dynamic(
            r#"the template function `reReplaceAll "a" "b"`, which opsbook does not evaluate"#
                .into()
        )
    );
}

#[test]
fn malformed_templates_are_invalid() {
    assert!(matches!(
        err("https://x/{{ $labels.alertname"),
        ExpandError::Invalid(_)
    ));
    assert!(matches!(err("https://x/{{ }}"), ExpandError::Invalid(_)));
}

#[test]
fn multibyte_text_around_actions() {
    assert_eq!(ok("é/{{ $labels.service }}/☕"), "é/login-service/☕");
}

#[test]
fn parts_prometheus_leaves_unfilled() {
    let rule_label = |name: &str| name == "service" || name == "severity";
    let found = |url: &str, expr: &str| unfilled(url, expr, rule_label);
    assert_eq!(found("https://x/%s", "up == 0"), [Unfilled::PercentS]);
    assert_eq!(
        found("https://x/{{ .Labels.alertname }}#%s", "up == 0"),
        [Unfilled::Label("alertname".into()), Unfilled::PercentS]
    );
    // A label of the series (not set by the rule) is filled in.
    assert!(found("https://x/{{ $labels.instance }}", "up == 0").is_empty());
    // A rule label that the expression keeps is on the series too.
    assert!(
        found(
            "https://x/{{ $labels.service }}",
            "sum by (service) (up) == 0"
        )
        .is_empty()
    );
    assert_eq!(
        found(
            "https://x/{{- $labels.service -}}",
            "sum by (services) (up) == 0"
        ),
        [Unfilled::Label("service".into())]
    );
    assert!(found("https://x/literal#anchor", "up == 0").is_empty());
    assert!(found("https://x/{{ $labels.alertname", "up == 0").is_empty());
}
