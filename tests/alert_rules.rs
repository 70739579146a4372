//! Prometheus rule files checked against the handbook (OB4xx), end to end: the real
//! binary on the fixture handbooks `tests/fixtures/alerts-*`, in every output format,
//! compared with `tests/snapshots/alerts-*/<format>.txt` (first line `exit: N`, then
//! stdout, as in `tests/check_fixtures.rs`). `OPSBOOK_BLESS=1 cargo test --test
//! alert_rules` rewrites the snapshots (review the diff before committing it).

mod binary;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const CASES: [&str; 5] = [
    "alerts-plain",
    "alerts-operator",
    "alerts-broken",
    "alerts-pretty",
    "alerts-slo",
];
const FORMATS: [&str; 6] = ["human", "json", "github", "gitlab", "junit", "sarif"];
const NOW: &str = "2026-06-01T00:00:00Z";

fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

fn check(cwd: &Path, dir: &str, format: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_opsbook"))
        .current_dir(cwd)
        .args([
            "check", dir, "--format", format, "--now", NOW, "--color", "never",
        ])
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

/// The first differing line, with two lines of context, for a readable failure.
fn first_difference(expected: &str, actual: &str) -> String {
    let (e, a): (Vec<_>, Vec<_>) = (expected.lines().collect(), actual.lines().collect());
    let at = e
        .iter()
        .zip(&a)
        .position(|(x, y)| x != y)
        .unwrap_or(e.len().min(a.len()));
    let from = at.saturating_sub(2);
    let show = |lines: &[&str]| {
        lines
            .iter()
            .enumerate()
            .skip(from)
            .take(5)
            .map(|(i, l)| format!("{:>5} | {l}", i + 1))
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!(
        "first difference at line {}\n--- expected\n{}\n+++ actual\n{}",
        at + 1,
        show(&e),
        show(&a)
    )
}

#[test]
fn fixtures_match_their_snapshots_in_every_format() {
    let bless = binary::blessing();
    let fixtures = tests_dir().join("fixtures");
    let mut failures = Vec::new();
    for case in CASES {
        for format in FORMATS {
            let out = check(&fixtures, case, format);
            let stdout = String::from_utf8(out.stdout).unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                !stderr.contains("panicked"),
                "{case} --format {format}: {stderr}"
            );
            let actual = format!("exit: {}\n{stdout}", out.status.code().unwrap_or(-1));
            let path = tests_dir().join(format!("snapshots/{case}/{format}.txt"));
            if bless {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, &actual).unwrap();
                continue;
            }
            match std::fs::read_to_string(&path) {
                Ok(expected) if expected == actual => {}
                Ok(expected) => failures.push(format!(
                    "{case} --format {format} differs from {}:\n{}",
                    path.display(),
                    first_difference(&expected, &actual)
                )),
                Err(_) => failures.push(format!("{} is missing", path.display())),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n\nrun `OPSBOOK_BLESS=1 cargo test --test alert_rules` and review the diff",
        failures.join("\n\n")
    );
}

/// Every snapshot of an alerts case is one the test above writes: none is left behind
/// by a renamed case or format.
#[test]
fn no_unreferenced_snapshots() {
    let snapshots = tests_dir().join("snapshots");
    let Ok(entries) = std::fs::read_dir(&snapshots) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with("alerts-") {
            continue;
        }
        assert!(
            CASES.contains(&name.as_str()),
            "snapshots/{name} belongs to no case"
        );
        for file in std::fs::read_dir(entry.path()).unwrap().flatten() {
            let file = file.file_name().to_string_lossy().into_owned();
            assert!(
                FORMATS.iter().any(|f| file == format!("{f}.txt")),
                "snapshots/{name}/{file} belongs to no format"
            );
        }
    }
}

/// Copies a fixture into a temporary folder, so that a test can change it.
fn copy_fixture(case: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let from = tests_dir().join("fixtures").join(case);
    for entry in walk(&from) {
        let rel = entry.strip_prefix(&from).unwrap();
        let to = tmp.path().join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&entry, &to).unwrap();
    }
    tmp
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

fn codes(out: &Output) -> Vec<String> {
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn without_alert_rules_no_alert_check_runs() {
    let tmp = copy_fixture("alerts-plain");
    let config = tmp.path().join("handbook.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with("alert_rules") && !l.starts_with("  - \"alerts/"))
        .collect();
    std::fs::write(&config, kept.join("\n")).unwrap();
    let out = check(tmp.path(), ".", "json");
    assert_eq!(
        codes(&out),
        Vec::<String>::new(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn rule_levels_apply_to_alert_rules() {
    let tmp = copy_fixture("alerts-plain");
    let config = tmp.path().join("handbook.yaml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("rules:\n  external-runbook-url: off\n  OB405: warning\n");
    std::fs::write(&config, text).unwrap();
    let out = check(tmp.path(), ".", "json");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert!(diagnostics.iter().all(|d| d["code"] != "OB404"));
    let ob405: Vec<_> = diagnostics
        .iter()
        .filter(|d| d["code"] == "OB405")
        .collect();
    assert_eq!(ob405.len(), 2);
    assert!(ob405.iter().all(|d| d["level"] == "warning"));
}

/// Rule files beside the handbook (`../prometheus/…`) are read, and their paths are
/// printed as reached from the handbook folder.
#[test]
fn rule_files_outside_the_handbook_folder() {
    let tmp = copy_fixture("alerts-plain");
    let hb = tmp.path();
    let outside = hb.join("../prometheus-rules-for-test");
    std::fs::create_dir_all(&outside).unwrap();
    let outside = outside.canonicalize().unwrap();
    std::fs::write(
        outside.join("extra.yml"),
        "groups:\n  - name: extra\n    rules:\n      - alert: ExtraAlert\n        expr: up == 0\n        labels: {severity: warning}\n",
    )
    .unwrap();
    let config = hb.join("handbook.yaml");
    let text = std::fs::read_to_string(&config).unwrap().replace(
        "alert_rules:\n",
        "alert_rules:\n  - \"../prometheus-rules-for-test/*.yml\"\n",
    );
    std::fs::write(&config, text).unwrap();
    let out = check(hb, ".", "json");
    std::fs::remove_dir_all(&outside).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let extra: Vec<_> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"] == "../prometheus-rules-for-test/extra.yml")
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(extra, ["OB402"]);
}
