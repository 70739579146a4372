//! End-to-end snapshots of `opsbook check` on broken handbooks.
//!
//! Every folder of `tests/fixtures/` is a small handbook (the `opsbook init` starter) with
//! one thing broken on purpose, named after the rule it breaks. Each is checked by the
//! real binary in every output format, and stdout and the exit code are compared with
//! `tests/snapshots/<case>/<format>.txt` (first line `exit: N`, then stdout).
//!
//! Two cases cannot be committed as files (a symbolic-link loop, a file over 8 MiB); they
//! are built in a temporary folder at test time and snapshotted the same way.
//!
//! After a deliberate change of the output, re-write the snapshots and review the diff:
//!
//! ```text
//! OPSBOOK_BLESS=1 cargo test --test check_fixtures
//! ```

mod binary;
use binary::copy_dir;

use opsbook_core::Rule;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The time every case is judged at, so that staleness and due dates never drift.
const NOW: &str = "2026-06-01T00:00:00Z";

const FORMATS: [&str; 6] = ["human", "json", "github", "gitlab", "junit", "sarif"];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures_dir() -> PathBuf {
    root().join("tests/fixtures")
}

fn snapshots_dir() -> PathBuf {
    root().join("tests/snapshots")
}

/// Fixture folders with this prefix are whole handbooks with Prometheus rule files that
/// break several OB4xx rules at once; `tests/alert_rules.rs` checks them.
const ALERT_CASES: &str = "alerts-";

/// Fixture folders with this prefix are sites to import (a Hugo, MkDocs or plain markdown
/// repository, not handbooks); `tests/import.rs` imports them.
const IMPORT_CASES: &str = "import-";

/// The committed fixture folders of this test (one rule each), sorted.
fn fixture_cases() -> Vec<String> {
    let mut cases: Vec<String> = fs::read_dir(fixtures_dir())
        .expect("tests/fixtures exists")
        .map(|e| e.expect("readable fixture entry"))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with(ALERT_CASES) && !name.starts_with(IMPORT_CASES))
        .collect();
    cases.sort();
    cases
}

/// The fixture folders of `tests/alert_rules.rs`.
fn alert_cases() -> Vec<String> {
    fs::read_dir(fixtures_dir())
        .expect("tests/fixtures exists")
        .map(|e| {
            e.expect("readable fixture entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.starts_with(ALERT_CASES))
        .collect()
}

/// Cases built at test time: `(name, builder)`. The builder fills an empty folder.
type Builder = fn(&Path);

fn generated_cases() -> Vec<(&'static str, Builder)> {
    let ob003: (&'static str, Builder) = ("ob003-file-too-large", build_ob003);
    #[cfg(unix)]
    let cases = vec![("ob001-unreadable-file", build_ob001 as Builder), ob003];
    #[cfg(not(unix))]
    let cases = vec![ob003];
    cases
}

/// Names of the generated cases on every platform (for the orphan check).
const GENERATED: [&str; 2] = ["ob001-unreadable-file", "ob003-file-too-large"];

/// Writes the starter handbook (with a fixed review date) into `dir`, by copying the
/// committed fixture whose only change is in a file the generated cases do not need.
fn write_starter(dir: &Path) {
    copy_dir(&fixtures_dir().join("ob201-unknown-reference"), dir);
    let runbook = dir.join("runbooks/web-api.md");
    let text = fs::read_to_string(&runbook).unwrap();
    fs::write(
        &runbook,
        text.replacen("service: webapi\n", "service: web-api\n", 1),
    )
    .unwrap();
}

/// A symbolic link that points at one of its own parent folders: walking it never ends.
#[cfg(unix)]
fn build_ob001(dir: &Path) {
    write_starter(dir);
    std::os::unix::fs::symlink("..", dir.join("docs/current")).unwrap();
}

/// An access log pasted into the handbook: 9 MiB, over the 8 MiB limit.
fn build_ob003(dir: &Path) {
    write_starter(dir);
    let mut text = String::from(
        "---\ntitle: \"Access log of the May 12 incident\"\ntags: [incident]\n---\n\n```text\n",
    );
    let line = "10.4.7.19 - - [12/May/2026:14:02:11 +0000] \"GET /api/v1/orders?page=2 HTTP/1.1\" 502 173 \"-\" \"okhttp/4.12.0\"\n";
    while text.len() < 9 * 1024 * 1024 {
        text.push_str(line);
    }
    text.push_str("```\n");
    fs::write(dir.join("docs/access-log-2026-05-12.md"), text).unwrap();
}

/// Runs `opsbook check <case> --format <format>` in `cwd`: `(exit code, stdout, stderr)`.
fn run(cwd: &Path, case: &str, format: &str) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_opsbook"))
        .current_dir(cwd)
        .args([
            "check", case, "--format", format, "--now", NOW, "--color", "never",
        ])
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("the opsbook binary runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Checks one case in every format against its snapshots (or writes them when blessing).
/// Returns a readable report of every mismatch.
fn check_case(cwd: &Path, case: &str) -> Vec<String> {
    let mut failures = Vec::new();
    let dir = snapshots_dir().join(case);
    for format in FORMATS {
        let (code, stdout, stderr) = run(cwd, case, format);
        if stderr.contains("panicked") || code == 2 {
            failures.push(format!(
                "{case} ({format}): opsbook failed (exit {code}):\n{stderr}"
            ));
            continue;
        }
        let actual = format!("exit: {code}\n{stdout}");
        let path = dir.join(format!("{format}.txt"));
        if binary::blessing() {
            fs::create_dir_all(&dir).unwrap();
            fs::write(&path, &actual).unwrap();
            continue;
        }
        match fs::read_to_string(&path) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => failures.push(format!(
                "{case} ({format}) differs from {}:\n{}",
                path.display(),
                line_diff(&expected, &actual)
            )),
            Err(e) => failures.push(format!(
                "{case} ({format}): cannot read {} ({e}); run with OPSBOOK_BLESS=1 to create it",
                path.display()
            )),
        }
    }
    failures
}

fn report(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} snapshot mismatch(es); if the change is intended, re-run with OPSBOOK_BLESS=1 and review the diff\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn fixtures_match_snapshots() {
    let cases = fixture_cases();
    assert!(cases.len() >= 25, "only {} fixtures found", cases.len());
    let failures = cases
        .iter()
        .flat_map(|case| check_case(&fixtures_dir(), case))
        .collect();
    report(failures);
}

#[test]
fn generated_fixtures_match_snapshots() {
    let mut failures = Vec::new();
    for (case, build) in generated_cases() {
        let tmp = tempfile::tempdir().unwrap();
        build(&tmp.path().join(case));
        failures.extend(check_case(tmp.path(), case));
    }
    report(failures);
}

/// The `OBnnn` codes a case is about, from its name (`ob306-ob307-action-items`).
fn codes_in_name(case: &str) -> BTreeSet<String> {
    case.split('-')
        .filter(|part| {
            part.len() == 5
                && part.starts_with("ob")
                && part[2..].bytes().all(|b| b.is_ascii_digit())
        })
        .map(str::to_ascii_uppercase)
        .collect()
}

/// The codes of a snapshot's `json.txt`.
fn codes_in_json_snapshot(case: &str) -> Vec<String> {
    let path = snapshots_dir().join(case).join("json.txt");
    let text =
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let json = text.split_once('\n').map_or("", |(_, rest)| rest);
    let value: serde_json::Value = serde_json::from_str(json)
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
    value["diagnostics"]
        .as_array()
        .expect("a diagnostics array")
        .iter()
        .map(|d| d["code"].as_str().expect("a code").to_string())
        .collect()
}

fn all_cases() -> Vec<String> {
    let mut cases = fixture_cases();
    cases.extend(GENERATED.iter().map(|c| c.to_string()));
    cases
}

#[test]
fn each_case_reports_exactly_the_rules_it_is_named_after() {
    if binary::blessing() {
        return;
    }
    let mut problems = Vec::new();
    for case in all_cases() {
        let named = codes_in_name(&case);
        if named.is_empty() {
            problems.push(format!(
                "{case}: the name starts with no rule code (obNNN-…)"
            ));
            continue;
        }
        let found = codes_in_json_snapshot(&case);
        let found_set: BTreeSet<String> = found.iter().cloned().collect();
        if found_set != named {
            problems.push(format!(
                "{case}: reports {found:?}, but is named after {named:?}"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_rule_occurs_in_some_human_snapshot() {
    if binary::blessing() {
        return;
    }
    let mut seen = String::new();
    for case in all_cases().into_iter().chain(alert_cases()) {
        let path = snapshots_dir().join(&case).join("human.txt");
        seen.push_str(
            &fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display())),
        );
    }
    // Rules that need git are reported by `opsbook stats`, not `check`; their end-to-end
    // tests are in crates/opsbook-history/tests and tests/cli.rs.
    const REPORTED_BY_STATS: [Rule; 2] = [Rule::GitContradiction, Rule::HistoryUnavailable];
    let missing: Vec<&str> = Rule::ALL
        .iter()
        .filter(|rule| !REPORTED_BY_STATS.contains(rule))
        .filter(|rule| {
            !seen.contains(&format!("error[{}]", rule.code()))
                && !seen.contains(&format!("warning[{}]", rule.code()))
        })
        .map(|rule| rule.code())
        .collect();
    assert!(
        missing.is_empty(),
        "no human.txt snapshot shows these rules; add a fixture for each: {missing:?}"
    );
}

#[test]
fn every_snapshot_folder_has_a_case() {
    let imports = fs::read_dir(fixtures_dir())
        .expect("tests/fixtures exists")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(IMPORT_CASES));
    let cases: BTreeSet<String> = all_cases()
        .into_iter()
        .chain(alert_cases())
        .chain(imports)
        .collect();
    let orphans: Vec<String> = fs::read_dir(snapshots_dir())
        .expect("tests/snapshots exists")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !cases.contains(name))
        .collect();
    assert!(
        orphans.is_empty(),
        "snapshot folders without a fixture (delete them): {orphans:?}"
    );
}

/// A line diff of two texts (longest common subsequence), with a few lines of context.
fn line_diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = actual.lines().collect();
    // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    // Each line: (' ', '-' or '+', text, its line number in the expected text).
    let mut lines: Vec<(char, &str, usize)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            lines.push((' ', a[i], i + 1));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            lines.push(('-', a[i], i + 1));
            i += 1;
        } else {
            lines.push(('+', b[j], i + 1));
            j += 1;
        }
    }
    const CONTEXT: usize = 2;
    let changed: Vec<usize> = (0..lines.len()).filter(|&k| lines[k].0 != ' ').collect();
    let mut out = String::from("    (- expected, + actual)\n");
    let mut last_shown: Option<usize> = None;
    for (k, (sign, text, line)) in lines.iter().enumerate() {
        let near = changed
            .iter()
            .any(|&c| k + CONTEXT >= c && k <= c + CONTEXT);
        if !near {
            continue;
        }
        if last_shown.is_none_or(|l| l + 1 != k) {
            out.push_str(&format!("    @@ line {line} of the snapshot @@\n"));
        }
        out.push_str(&format!("    {sign} {text}\n"));
        last_shown = Some(k);
    }
    if expected.ends_with('\n') != actual.ends_with('\n') {
        out.push_str("    (the texts differ in their final line break)\n");
    }
    out
}

#[test]
fn line_diff_shows_changed_lines_with_context() {
    let diff = line_diff("a\nb\nc\nd\ne\nf\ng\n", "a\nb\nc\nD\ne\nf\ng\n");
    assert_eq!(
        diff,
        "    (- expected, + actual)\n    @@ line 2 of the snapshot @@\n      b\n      c\n    - d\n    + D\n      e\n      f\n"
    );
}
