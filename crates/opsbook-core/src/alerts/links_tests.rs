use super::*;
use crate::alerts::parse_file;
use crate::config::Config;
use crate::document;
use std::collections::HashSet;

const RUNBOOK: &str = "\
---
title: Login
alerts:
  - LoginErrors
  - LoginGone
---
## Summary

Logins.

## Alerts

Every alert of the login service.

### LoginErrors

Meaning.

### `LoginSlow` (page)

Meaning.

### Overview

Not an alert.

### instance_down

Also an alert.

## Doc

x
";

fn handbook(base_url: Option<&str>, rules: &str) -> Handbook {
    let (doc, diags) = document::parse(0, "runbooks/login.md", RUNBOOK);
    assert!(diags.is_empty(), "{diags:?}");
    let config = Config {
        base_url: base_url.map(str::to_string),
        ..Config::default()
    };
    let mut handbook = Handbook::new(
        "/hb".into(),
        config,
        Vec::new(),
        doc.into_iter().collect(),
        HashSet::new(),
    );
    let mut diags = Vec::new();
    handbook.alerts = parse_file("alerts/rules.yaml", rules, &mut diags);
    assert!(diags.is_empty(), "{diags:?}");
    handbook
}

fn describe(target: &Target<'_>) -> String {
    match target {
        Target::Missing => "missing".into(),
        Target::Runbook {
            runbook, anchor, ..
        } => format!("runbook {} {anchor:?}", runbook.id),
        Target::Broken { problem, .. } => match problem {
            Problem::Template(r) => format!("template: {r}"),
            Problem::NotARunbook { path, near } => format!(
                "not a runbook: {path}{}",
                near.as_deref()
                    .map(|n| format!(" (near {n})"))
                    .unwrap_or_default()
            ),
            Problem::NoSuchRunbook { id } => format!("no runbook {id}"),
            Problem::NoSuchAnchor { anchor, .. } => format!("no anchor {anchor}"),
        },
        Target::External { url } => format!("external {url}"),
        Target::Dynamic { .. } => "dynamic".into(),
    }
}

fn resolved(base_url: Option<&str>, url: &str) -> String {
    let hb = handbook(base_url, "groups: []\n");
    describe(&resolve(&hb, url))
}

const BASE: Option<&str> = Some("https://handbook.example.com/");

#[test]
fn urls_under_base_url() {
    let page = "https://handbook.example.com/runbooks/login.html";
    assert_eq!(resolved(BASE, page), "runbook login None");
    assert_eq!(
        resolved(BASE, &format!("{page}#loginerrors")),
        "runbook login Some(\"loginerrors\")"
    );
    assert_eq!(
        resolved(
            BASE,
            "HTTPS://Handbook.Example.com/runbooks/login.html?x=1#loginslow-page"
        ),
        "runbook login Some(\"loginslow-page\")"
    );
    assert_eq!(resolved(BASE, &format!("{page}#nope")), "no anchor nope");
    assert_eq!(
        resolved(BASE, "https://handbook.example.com/runbooks/logn.html"),
        "no runbook logn"
    );
    assert_eq!(
        resolved(BASE, "https://handbook.example.com/services/login.html"),
        "not a runbook: services/login.html"
    );
    assert_eq!(
        resolved(BASE, "https://handbook.example.com"),
        "not a runbook: "
    );
    // Under base_url only pages count, not sources.
    assert_eq!(
        resolved(BASE, "https://handbook.example.com/runbooks/login.md"),
        "not a runbook: runbooks/login.md"
    );
}

#[test]
fn base_url_without_trailing_slash_and_lookalike_hosts() {
    let base = Some("https://handbook.example.com");
    assert_eq!(
        resolved(base, "https://handbook.example.com/runbooks/login.html"),
        "runbook login None"
    );
    assert_eq!(
        resolved(
            base,
            "https://handbook.example.com.evil.test/runbooks/login.html"
        ),
        "external https://handbook.example.com.evil.test/runbooks/login.html"
    );
}

#[test]
fn relative_urls_and_source_paths() {
    assert_eq!(
        resolved(BASE, "runbooks/login.md#overview"),
        "runbook login Some(\"overview\")"
    );
    assert_eq!(resolved(None, "/runbooks/./login.md"), "runbook login None");
    assert_eq!(resolved(None, "runbooks/login.html"), "runbook login None");
    assert_eq!(
        resolved(None, "runbooks/Login%20x.md"),
        "not a runbook: runbooks/Login x.md"
    );
    assert_eq!(
        resolved(None, "../runbooks/login.md"),
        "not a runbook: ../runbooks/login.md"
    );
}

#[test]
fn external_urls() {
    assert_eq!(
        resolved(BASE, "https://wiki.example.com/Login"),
        "external https://wiki.example.com/Login"
    );
    assert_eq!(
        resolved(None, "//cdn.example.com/x"),
        "external //cdn.example.com/x"
    );
    assert_eq!(
        resolved(None, "https://handbook.example.com/runbooks/login.html"),
        "external https://handbook.example.com/runbooks/login.html"
    );
}

#[test]
fn templated_urls_are_expanded_per_alert() {
    let rules = "\
groups:
  - name: login
    rules:
      - alert: LoginErrors
        expr: x
        annotations:
          runbook_url: 'https://handbook.example.com/runbooks/login.html#{{ $labels.alertname | toLower }}'
      - alert: LoginMissing
        expr: x
        annotations:
          runbook_url: 'https://handbook.example.com/runbooks/login.html#{{ .Labels.alertname | toLower }}'
      - alert: LoginByInstance
        expr: x
        annotations:
          runbook_url: 'https://handbook.example.com/runbooks/{{ $labels.instance }}.html'
      - alert: LoginByService
        expr: x
        labels: {service: login}
        annotations:
          runbook_url: 'https://handbook.example.com/runbooks/{{ $labels.service }}.html'
      - alert: LoginPercent
        expr: x
        annotations:
          runbook_url: 'runbooks/login.md#%s'
      - alert: LoginBare
        expr: x
      - alert: LoginBroken
        expr: x
        annotations:
          runbook_url: 'https://handbook.example.com/runbooks/{{ $labels.service'
";
    let hb = handbook(BASE, rules);
    let links = AlertLinks::new(&hb);
    let got: Vec<_> = links.targets.iter().map(describe).collect();
    assert_eq!(
        got,
        [
            "runbook login Some(\"loginerrors\")",
            "no anchor loginmissing",
            "dynamic",
            "runbook login None",
            "no anchor LoginPercent",
            "missing",
            "template: a `{{` is never closed with `}}`",
        ]
    );
    assert_eq!(links.alerts_of(&hb.documents[0]), [0, 3]);
    assert_eq!(links.defined("LoginErrors"), [0]);
    assert!(links.defined("LoginSlow").is_empty());
    // LoginBare has no URL: its runbook is the one that lists it, if any.
    assert!(links.runbooks_of(5, "LoginBare").is_empty());
    assert_eq!(links.runbooks_of(6, "LoginErrors")[0].id, "login");
}

#[test]
fn runbooks_list_alerts_in_frontmatter_and_headings() {
    let hb = handbook(BASE, "groups: []\n");
    let listed = listed_alerts(&hb.documents[0], |_| false);
    let got: Vec<_> = listed
        .iter()
        .map(|l| (l.name, l.heading, &RUNBOOK[l.span.range()]))
        .collect();
    assert_eq!(
        got,
        [
            ("LoginErrors", false, "LoginErrors"),
            ("LoginGone", false, "LoginGone"),
            ("LoginErrors", true, "### LoginErrors\n"),
            ("LoginSlow", true, "### `LoginSlow` (page)\n"),
            ("instance_down", true, "### instance_down\n"),
        ]
    );
}

#[test]
fn which_headings_name_alerts() {
    let none = |_: &str| false;
    assert_eq!(
        heading_alert("LoginFailuresSpike", none),
        Some("LoginFailuresSpike")
    );
    assert_eq!(
        heading_alert("LoginFailuresSpike — 30 % fail", none),
        Some("LoginFailuresSpike")
    );
    assert_eq!(
        heading_alert("KubePodCrashLooping (warning)", none),
        Some("KubePodCrashLooping")
    );
    assert_eq!(
        heading_alert("node_disk_full", none),
        Some("node_disk_full")
    );
    assert_eq!(heading_alert("Overview", none), None);
    assert_eq!(heading_alert("Disk space", none), None);
    assert_eq!(heading_alert("API", none), None);
    assert_eq!(heading_alert("5xx errors", none), None);
    assert_eq!(
        heading_alert("Watchdog", |n| n == "Watchdog"),
        Some("Watchdog")
    );
}

/// A Hugo-style handbook: runbooks in group folders, folder addresses in lowercase.
fn pretty() -> Handbook {
    let text = "---\ntitle: Postgres down\naliases: [/legacy/pg-down.html]\n---\n## Alerts\n\n### PostgresDown\n\nx\n";
    let (doc, diags) = document::parse(0, "runbooks/db/PostgresDown.md", text);
    assert!(diags.is_empty(), "{diags:?}");
    let mut diags = Vec::new();
    let config = Config::parse(
        "base_url: https://runbooks.example.dev/\npermalinks:\n  runbook: \"runbooks/{slug}/\"\n",
        &mut diags,
    );
    assert!(diags.is_empty(), "{diags:?}");
    let files = vec![crate::handbook::SourceFile {
        path: "runbooks/db/PostgresDown.md".into(),
        text: text.into(),
    }];
    Handbook::new(
        "/hb".into(),
        config,
        files,
        doc.into_iter().collect(),
        HashSet::new(),
    )
}

#[test]
fn urls_follow_the_permalinks_and_reach_aliases() {
    let hb = pretty();
    let at = |url: &str| describe(&resolve(&hb, url));
    let base = "https://runbooks.example.dev/";
    for form in [
        "runbooks/db/postgresdown",
        "runbooks/db/postgresdown/",
        "runbooks/db/postgresdown/index.html",
        "legacy/pg-down.html",
    ] {
        assert_eq!(
            at(&format!("{base}{form}")),
            "runbook PostgresDown None",
            "{form}"
        );
    }
    assert_eq!(
        at(&format!("{base}runbooks/db/postgresdown#postgresdown")),
        "runbook PostgresDown Some(\"postgresdown\")"
    );
    assert_eq!(
        at(&format!("{base}runbooks/db/postgresdown/#nope")),
        "no anchor nope"
    );
    // A static web server is case-sensitive: the lowercase address is the only one.
    assert_eq!(
        at(&format!("{base}runbooks/db/PostgresDown")),
        "not a runbook: runbooks/db/PostgresDown (near runbooks/db/postgresdown/)"
    );
    // Today's address no longer exists once the pattern is set.
    assert_eq!(
        at(&format!("{base}runbooks/PostgresDown.html")),
        "not a runbook: runbooks/PostgresDown.html"
    );
    assert_eq!(
        hb.addresses.of("runbooks/db/PostgresDown.md"),
        Some("runbooks/db/postgresdown/index.html")
    );
}

#[test]
fn a_runbook_with_its_own_id_is_at_its_files_address() {
    let text = "---\nid: signin\ntitle: Sign-in\n---\n";
    let (doc, _) = document::parse(0, "runbooks/login.md", text);
    let hb = Handbook::new(
        "/hb".into(),
        Config::default(),
        Vec::new(),
        doc.into_iter().collect(),
        HashSet::new(),
    );
    assert_eq!(
        describe(&resolve(&hb, "runbooks/signin.html")),
        "not a runbook: runbooks/signin.html (near runbooks/login.html)"
    );
    assert_eq!(
        describe(&resolve(&hb, "runbooks/login.html")),
        "runbook signin None"
    );
}
