//! Error budgets charge only what an incident says it hurt: an incident without
//! `slo_impact` is left out (unless `stats.charge_without_slo_impact` lists its
//! severity), an open one is charged up to now and marked, and the SLA page lists every
//! charge with its duration and reason. End to end, with the real binary.

mod binary;

use binary::{copy_dir, opsbook, stderr, stdout};
use std::fs;
use std::path::Path;

const NOW: &str = "2026-03-10T18:00:00Z";

fn postmortem(dir: &Path, file: &str, head: &str) {
    let text = format!(
        "---\n{head}services: [web-api]\nrunbooks: [web-api]\ncommander: alex.morgan\nauthors: [sam.rivera]\ntriggers: [business-impact]\n---\n\n## Summary\n\nText.\n\n## Impact\n\nText.\n\n## Timeline\n\nText.\n\n## Root cause\n\nText.\n\n## Resolution\n\nText.\n\n## Action items\n\nText.\n\n## Lessons learned\n\nText.\n"
    );
    fs::write(dir.join("postmortems").join(file), text).unwrap();
}

/// The fixture of OB413 (an open SEV1 without `slo_impact`, started 14:02), plus an open
/// SEV3 that hurts latency since 15:00 and a resolved SEV2 that hurt availability for 48
/// minutes.
fn handbook() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ob413-open-incident-without-slo-impact");
    copy_dir(&fixture, dir.path());
    postmortem(
        dir.path(),
        "2026-03-10-web-api-slow.md",
        "id: PM-2026-0008\ntitle: \"Slow API\"\nseverity: SEV3\nstatus: investigating\nreview: draft\nstarted: 2026-03-10T15:00:00Z\ndetected: 2026-03-10T15:05:00Z\nslo_impact: [latency]\n",
    );
    postmortem(
        dir.path(),
        "2026-03-10-web-api-errors.md",
        "id: PM-2026-0009\ntitle: \"API errors\"\nseverity: SEV2\nstatus: resolved\nreview: draft\nstarted: 2026-03-10T14:30:00Z\ndetected: 2026-03-10T14:31:00Z\nmitigated: 2026-03-10T15:18:00Z\nresolved: 2026-03-10T15:30:00Z\nslo_impact: [availability]\n",
    );
    dir
}

fn sla_page(dir: &Path) -> String {
    let out = opsbook(
        dir,
        &["build", ".", "-o", "site", "--now", NOW, "--allow-errors"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    fs::read_to_string(dir.join("site/slas/web-api-sla.html")).unwrap()
}

#[test]
fn an_incident_without_slo_impact_is_not_charged_and_an_open_one_is_charged_to_now() {
    let dir = handbook();
    let page = sla_page(dir.path());
    // Availability: 0.1 % of 30 days is 43m 12s; only PM-2026-0009's 48 minutes count.
    assert!(page.contains("<td class=\"num\">43m 12s</td>"), "{page}");
    assert!(
        page.contains("48m · budget exhausted (1.1× over)"),
        "{page}"
    );
    assert!(page.contains(
        "<li><span class=\"id\">PM-2026-0009</span>: 48m (its `slo_impact` names `availability`)</li>"
    ));
    // Latency: 5 % of 30 days is 1d 12h; PM-2026-0008 is open, charged from 15:00 to now.
    assert!(page.contains("<td class=\"num\">1d 12h</td>"));
    assert!(page.contains("3h · 8 %"), "{page}");
    assert!(page.contains(
        "<li><span class=\"id\">PM-2026-0008</span>: 3h <strong class=\"still-open\">still open</strong>, charged up to now (its `slo_impact` names `latency`)</li>"
    ));
    // The SEV1 names no SLO: left out of both, with the reason and the setting to change it.
    assert_eq!(
        page.matches("PM-2026-0007 (no `slo_impact`: it names no SLO it hurt (list SEV1 in `stats.charge_without_slo_impact` to charge such incidents to every SLO))").count(),
        2
    );
    // The same figures in `opsbook stats`'s JSON.
    let out = opsbook(
        dir.path(),
        &["stats", ".", "--format", "json", "--now", NOW],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let budgets = json["error_budgets"].as_array().unwrap();
    let consumed: Vec<(&str, f64, bool)> = budgets
        .iter()
        .flat_map(|b| b["incidents"].as_array().unwrap())
        .map(|i| {
            (
                i["incident"].as_str().unwrap(),
                i["seconds_in_window"].as_f64().unwrap(),
                i["still_open"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        consumed,
        [
            ("PM-2026-0009", 2880.0, false),
            ("PM-2026-0008", 10800.0, true)
        ]
    );
}

#[test]
fn handbook_yaml_can_charge_a_severity_to_every_slo_when_it_names_none() {
    let dir = handbook();
    let config = dir.path().join("handbook.yaml");
    let mut text = fs::read_to_string(&config).unwrap();
    text.push_str("stats:\n  charge_without_slo_impact: [SEV1]\n");
    fs::write(&config, text).unwrap();
    let page = sla_page(dir.path());
    // PM-2026-0007 from 14:02 to now (3h 58m) covers PM-2026-0009's 48 minutes: 238 min,
    // 551 % of 43.2 min. On latency it adds to PM-2026-0008's 3 hours (overlap counted
    // once): 14:02 to 18:00, 3h 58m of 36 h, 11 %.
    assert!(
        page.contains("3h 58m · budget exhausted (5.5× over)"),
        "{page}"
    );
    assert!(page.contains("3h 58m · 11 %"), "{page}");
    assert_eq!(
        page.matches("<li><span class=\"id\">PM-2026-0007</span>: 3h 58m <strong class=\"still-open\">still open</strong>, charged up to now (no `slo_impact`; SEV1 incidents are charged to every SLO (`stats.charge_without_slo_impact`))</li>").count(),
        2
    );
}
