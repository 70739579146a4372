//! `opsbook schema` describes exactly what the checks accept: it validates every
//! frontmatter of content-example and rejects broken ones.

use opsbook_core::model::Kind;
use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;

fn schema_from_binary(kind: &str) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_opsbook"))
        .args(["schema", kind])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn validator(kind: &str) -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema_from_binary(kind))
        .unwrap()
}

fn frontmatter_as_json(text: &str) -> Value {
    let parts = opsbook_core::frontmatter::split(text, 0, "x.md").unwrap();
    let node = opsbook_core::yaml::parse(parts.yaml, 0).unwrap().unwrap();
    opsbook_core::yaml::from_node(&node).unwrap()
}

#[test]
fn every_example_frontmatter_validates_against_its_schema() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("content-example");
    let (handbook, _) = opsbook_core::load(&root, &Default::default()).unwrap();
    assert!(
        handbook.documents.len() > 30,
        "content-example looks incomplete"
    );
    let validators: Vec<_> = Kind::ALL
        .iter()
        .map(|k| (*k, validator(k.name())))
        .collect();
    let mut seen = std::collections::HashSet::new();
    for doc in &handbook.documents {
        let instance = frontmatter_as_json(handbook.text_of(doc));
        let (_, v) = validators.iter().find(|(k, _)| *k == doc.kind).unwrap();
        let errors: Vec<String> = v.iter_errors(&instance).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", doc.path);
        seen.insert(doc.kind);
    }
    assert_eq!(
        seen.len(),
        Kind::ALL.len(),
        "content-example has every kind"
    );
    let config = std::fs::read_to_string(root.join("handbook.yaml")).unwrap();
    let node = opsbook_core::yaml::parse(&config, 0).unwrap().unwrap();
    let config: Value = opsbook_core::yaml::from_node(&node).unwrap();
    assert!(validator("handbook").is_valid(&config));
}

#[test]
fn the_schema_rejects_broken_frontmatter() {
    let runbook = validator("runbook");
    assert!(runbook.is_valid(&json!({"title": "Restart", "reviewed": "2026-02-28"})));
    assert!(
        !runbook.is_valid(&json!({"reviewed": "2026-02-28"})),
        "title is required"
    );
    assert!(
        !runbook.is_valid(&json!({"title": "x", "reviwed": "2026-02-28"})),
        "unknown key"
    );
    assert!(
        !runbook.is_valid(&json!({"title": "x", "reviewed": "2026-02-30"})),
        "no such date"
    );
    assert!(
        !runbook.is_valid(&json!({"title": "x", "review_every": "90 days"})),
        "duration"
    );

    let postmortem = validator("postmortem");
    let ok = json!({"title": "x", "severity": "SEV2", "status": "resolved",
                    "resolved": "2026-03-01T10:00:00Z"});
    assert!(postmortem.is_valid(&ok));
    let mut bad = ok.clone();
    bad["status"] = json!("fixed");
    assert!(!postmortem.is_valid(&bad), "status is an enumeration");
    let mut bad = ok.clone();
    bad["resolved"] = json!("yesterday");
    assert!(!postmortem.is_valid(&bad), "timestamps are RFC 3339");

    let service = validator("service");
    assert!(
        !service.is_valid(&json!({"title": "x", "owner": "t", "tier": 7})),
        "tier 1-4"
    );
    let sla = validator("sla");
    assert!(
        !sla.is_valid(&json!({"service": "x", "window": "30d",
        "slos": [{"name": "a", "sli": "b", "objective": 120}]})),
        "percent <= 100"
    );
}

#[test]
fn unknown_kind_is_an_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_opsbook"))
        .args(["schema", "runbok"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "opsbook: error: `runbok` is not a document kind; use one of: service, team, runbook, postmortem, sla, escalation, page, handbook\n"
    );
}

#[test]
fn the_sla_schema_takes_an_optional_title() {
    let sla = validator("sla");
    assert!(sla.is_valid(&json!({"title": "Gold tier", "service": "x", "window": "30d"})));
    assert!(sla.is_valid(&json!({"service": "x", "window": "30d"})));
    assert!(!sla.is_valid(&json!({"title": 12, "service": "x", "window": "30d"})));
}
