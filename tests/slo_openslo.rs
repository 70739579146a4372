//! `opsbook slo export` and `opsbook slo import` end to end: the export validates
//! against an OpenSLO v1 schema (`tests/openslo/openslo-v1.schema.json`, written for
//! these tests from the fields the specification documents), export → import gives the
//! same SLA documents, and an import of features opsbook cannot hold reports each one.

mod binary;

use binary::{opsbook, stderr, stdout};
use opsbook_core::model::{Kind, Sla};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

const HANDBOOKS: [&str; 2] = ["content-example", "tests/fixtures/alerts-slo"];

fn export(dir: &str) -> String {
    let out = opsbook(root(), &["slo", "export", dir]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "", "{dir}: every SLO has queries");
    stdout(&out)
}

fn slas(dir: &Path) -> BTreeMap<String, Sla> {
    let (handbook, diagnostics) = opsbook_core::load(dir, &Default::default()).unwrap();
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    handbook
        .of_kind(Kind::Sla)
        .map(|d| (d.id.clone(), d.as_sla().expect("a valid SLA").clone()))
        .collect()
}

#[test]
fn the_export_validates_against_the_openslo_v1_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/openslo/openslo-v1.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for dir in HANDBOOKS {
        let text = export(dir);
        let stream = opsbook_core::yaml::parse_stream(&text, 0);
        assert!(stream.errors.is_empty(), "{dir}: {:?}", stream.errors);
        let mut kinds = BTreeMap::new();
        for node in &stream.documents {
            let value: serde_json::Value = opsbook_core::yaml::from_node(node).unwrap();
            let errors: Vec<String> = validator
                .iter_errors(&value)
                .map(|e| e.to_string())
                .collect();
            assert!(errors.is_empty(), "{dir}: {errors:?} in\n{value:#}");
            *kinds
                .entry(value["kind"].as_str().unwrap().to_string())
                .or_insert(0) += 1;
        }
        let slos = kinds["SLO"];
        assert!(slos >= 4, "{dir}: {kinds:?}");
        assert_eq!(
            kinds["AlertPolicy"],
            2 * slos,
            "{dir}: a page and a ticket policy per SLO"
        );
    }
}

#[test]
fn the_schema_rejects_what_openslo_v1_does_not_allow() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/openslo/openslo-v1.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let text = export("tests/fixtures/alerts-slo");
    let stream = opsbook_core::yaml::parse_stream(&text, 0);
    let slo: serde_json::Value = stream
        .documents
        .iter()
        .map(|n| opsbook_core::yaml::from_node::<serde_json::Value>(n).unwrap())
        .find(|v| v["kind"] == "SLO")
        .unwrap();
    let broken = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut v = slo.clone();
        f(&mut v);
        validator.is_valid(&v)
    };
    assert!(broken(&|_| {}));
    assert!(!broken(
        &|v| v["spec"]["timeWindow"][0]["duration"] = "1h30m".into()
    ));
    assert!(!broken(
        &|v| v["spec"]["objectives"][0]["target"] = 99.9.into()
    ));
    assert!(!broken(&|v| v["metadata"]["name"] = "Order_Book".into()));
    assert!(!broken(&|v| v["spec"]["indicatorRef"] = "x".into()));
}

#[test]
fn export_then_import_gives_the_same_sla_documents() {
    for dir in HANDBOOKS {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("openslo.yaml");
        std::fs::write(&file, export(dir)).unwrap();
        let target = tmp.path().join("handbook");
        let out = opsbook(
            tmp.path(),
            &["slo", "import", "openslo.yaml", "--dir", "handbook"],
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let original = slas(&root().join(dir));
        let imported = slas(&target);
        assert_eq!(
            original.keys().collect::<Vec<_>>(),
            imported.keys().collect::<Vec<_>>(),
            "{dir}"
        );
        for (id, sla) in &original {
            assert_eq!(sla, &imported[id], "{dir}: {id}");
        }
        // The imported handbook generates the same rules, apart from the runbook links
        // and the header: it has no runbooks and its own paths.
        let rules = |dir: &Path| {
            let out = opsbook(dir, &["slo", "rules", "-q"]);
            stdout(&out)
                .lines()
                .filter(|l| !l.starts_with('#') && !l.contains("runbook_url"))
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        assert_eq!(rules(&root().join(dir)), rules(&target), "{dir}");
    }
}

#[test]
fn import_does_not_overwrite_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("o.yaml"),
        export("tests/fixtures/alerts-slo"),
    )
    .unwrap();
    let first = opsbook(tmp.path(), &["slo", "import", "o.yaml", "-q"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    std::fs::write(tmp.path().join("slas/search-sla.md"), "kept").unwrap();
    let again = opsbook(tmp.path(), &["slo", "import", "o.yaml"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again)
            .contains("`./slas/search-sla.md` exists: not overwritten (--force overwrites)"),
        "{}",
        stderr(&again)
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("slas/search-sla.md")).unwrap(),
        "kept"
    );
    let forced = opsbook(tmp.path(), &["slo", "import", "o.yaml", "--force", "-q"]);
    assert_eq!(forced.status.code(), Some(0));
    assert_ne!(
        std::fs::read_to_string(tmp.path().join("slas/search-sla.md")).unwrap(),
        "kept"
    );
}

#[test]
fn import_reports_every_feature_it_cannot_map() {
    let tmp = tempfile::tempdir().unwrap();
    let fixture: PathBuf = root().join("tests/openslo/unsupported.yaml");
    std::fs::copy(&fixture, tmp.path().join("unsupported.yaml")).unwrap();
    let out = opsbook(tmp.path(), &["slo", "import", "unsupported.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let expected = "\
opsbook: unsupported.yaml:4:1: `SLO` `legacy`: `openslo/v1alpha` is not `openslo/v1`; skipped
opsbook: unsupported.yaml:10:1: `DataSource` `thanos` is not imported: queries are read from each metric's `metricSource.spec.query`
opsbook: unsupported.yaml:39:3: SLO `checkout-availability`: `metadata.labels` is not imported: opsbook's SLAs have no such field
opsbook: unsupported.yaml:46:7: SLO `checkout-availability`: a calendar window is read as a rolling window of the same length
opsbook: unsupported.yaml:49:3: SLO `checkout-availability`: `budgetingMethod: Timeslices` is read as `Occurrences` (good events / all events)
opsbook: unsupported.yaml:53:7: SLO `checkout-availability`: `objectives.timeSliceTarget` is not imported: opsbook's SLAs have no such field
opsbook: unsupported.yaml:54:7: SLO `checkout-availability`: `objectives.timeSliceWindow` is not imported: opsbook's SLAs have no such field
opsbook: unsupported.yaml:55:7: SLO `checkout-availability`: only the first objective is imported
opsbook: unsupported.yaml:67:7: SLO `checkout-latency`: only `ratioMetric` indicators are imported (opsbook SLOs are good / total); SLO skipped
opsbook: unsupported.yaml:76:7: SLO `checkout-latency`: `objectives.op` is not imported: opsbook's SLAs have no such field
opsbook: unsupported.yaml:77:7: SLO `checkout-latency`: `objectives.value` is not imported: opsbook's SLAs have no such field
opsbook: unsupported.yaml:90:9: SLO `search-availability`: needs `total` and one of `good`, `bad` as Prometheus queries; SLO skipped
opsbook: unsupported.yaml:92:11: SLO `search-availability`: `ratioMetric.good` is not a Prometheus `metricSource` with `spec.query`
opsbook: unsupported.yaml:96:11: SLO `search-availability`: `ratioMetric.total` is not a Prometheus `metricSource` with `spec.query`
opsbook: unsupported.yaml:100:17: SLO `search-availability`: `duration: 1M` is not a duration opsbook reads (units m, h, d, w); SLO skipped
wrote ./slas/checkout-sla.md (1 SLOs)
";
    assert_eq!(stderr(&out), expected);
    // The SLO read through `indicatorRef`, with the first objective.
    let imported = slas(tmp.path());
    let sla = &imported["checkout-sla"];
    assert_eq!(
        (sla.service.as_str(), sla.window.to_string().as_str()),
        ("checkout", "7d")
    );
    let slo = &sla.slos[0];
    assert_eq!(slo.objective.0, 99.5);
    assert_eq!(
        slo.error.as_deref(),
        Some(r#"sum(rate(checkout_requests_total{code=~"5.."}[30d]))"#)
    );
}
