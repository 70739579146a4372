//! End-to-end tests of `init`, `new`, `check --explain` and the exit codes.

use std::path::Path;
mod binary;

use binary::{opsbook, stderr, stdout};
use std::process::Command;

#[test]
fn init_writes_a_handbook_that_passes_check() {
    let tmp = tempfile::tempdir().unwrap();
    let out = opsbook(tmp.path(), &["init", "hb"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = opsbook(tmp.path(), &["check", "hb"]);
    assert_eq!(stdout(&out), "No problems found in 7 files.\n");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn init_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("handbook.yaml"), "title: Mine\n").unwrap();
    let out = opsbook(tmp.path(), &["init"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("already holds handbook.yaml"),
        "{}",
        stderr(&out)
    );
    let kept = std::fs::read_to_string(tmp.path().join("handbook.yaml")).unwrap();
    assert_eq!(kept, "title: Mine\n");
    assert!(!tmp.path().join("teams").exists(), "nothing was written");
}

/// A new document only fails on its placeholders; filled in, it passes.
#[test]
fn new_documents_pass_once_their_placeholders_are_filled() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(opsbook(tmp.path(), &["init"]).status.success());
    for (kind, id) in [
        ("service", "billing-api"),
        ("team", "payments"),
        ("runbook", "billing-api"),
        ("postmortem", "PM-2026-0001"),
        ("sla", "billing-api-sla"),
        ("escalation", "payments-oncall"),
        ("page", "glossary"),
    ] {
        let out = opsbook(tmp.path(), &["new", kind, id]);
        assert!(out.status.success(), "{kind}: {}", stderr(&out));
    }
    let out = opsbook(tmp.path(), &["new", "runbook", "billing-api"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "an existing file is never overwritten"
    );

    let out = opsbook(tmp.path(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    for d in json["diagnostics"].as_array().unwrap() {
        let message = d["message"].as_str().unwrap();
        assert!(
            message.contains("TODO"),
            "only placeholders are reported: {d}"
        );
    }

    // Fill in the placeholders the way an author would.
    for entry in walk(tmp.path()) {
        let text = std::fs::read_to_string(&entry).unwrap();
        let filled = text
            .replace("TODO-service-id", "billing-api")
            .replace("TODO-team-id", "payments")
            .replace("TODO-escalation-id", "payments-oncall")
            .replace("TODO.person", "alex.morgan")
            .replace("TODO@example.com", "alex.morgan@example.com");
        std::fs::write(&entry, filled).unwrap();
    }
    let out = opsbook(tmp.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
    out
}

#[test]
fn explain_prints_the_rule_table_entry() {
    let out = opsbook(Path::new("."), &["check", "--explain", "OB302"]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(
        text.starts_with(
            "OB302 timestamp-order (error by default)\nIncident time-points are out of order.\n\n"
        ),
        "{text}"
    );
    let out = opsbook(Path::new("."), &["check", "--explain", "timestamp-ordr"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "opsbook: error: no rule is called `timestamp-ordr`; did you mean `timestamp-order`? (`--explain all` lists every rule)\n"
    );
    let out = opsbook(Path::new("."), &["check", "--explain", "all"]);
    assert_eq!(
        stdout(&out).matches(" by default)\n").count(),
        opsbook_core::Rule::ALL.len()
    );
}

#[test]
fn a_missing_folder_cannot_be_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let out = opsbook(tmp.path(), &["check", "nowhere"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "opsbook: error: cannot check `nowhere`\n  caused by: `nowhere` is not a folder\n"
    );
    assert_eq!(stdout(&out), "");
}

#[test]
fn strict_fails_on_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(opsbook(tmp.path(), &["init"]).status.success());
    // A runbook reviewed long ago is a warning, not an error.
    let path = tmp.path().join("runbooks/web-api.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let old = text
        .lines()
        .map(|l| {
            if l.starts_with("reviewed:") {
                "reviewed: 2020-01-01"
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&path, old).unwrap();
    let now = ["--now", "2026-06-01T00:00:00Z"];
    let out = opsbook(tmp.path(), &[&["check"][..], &now].concat());
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("warning[OB301]"));
    let out = opsbook(tmp.path(), &[&["check", "--strict"][..], &now].concat());
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn the_example_handbook_is_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = opsbook(
        root,
        &["check", "content-example", "--now", "2026-11-24T12:00:00Z"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out).starts_with("No problems found in "),
        "{}",
        stdout(&out)
    );
}

#[test]
fn quiet_prints_findings_only() {
    let tmp = tempfile::tempdir().unwrap();
    let out = opsbook(tmp.path(), &["init", "-q"]);
    assert_eq!(stderr(&out), "");
    let out = opsbook(tmp.path(), &["check", "-q"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "");
    let out = opsbook(tmp.path(), &["new", "page", "faq", "--quiet"]);
    assert_eq!(stderr(&out), "");
}

#[test]
fn verbose_reports_steps_on_stderr() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(opsbook(tmp.path(), &["init"]).status.success());
    let out = opsbook(tmp.path(), &["check", "-v"]);
    assert_eq!(stdout(&out), "No problems found in 7 files.\n");
    assert!(
        stderr(&out).starts_with("opsbook: read 7 files (6 documents) in "),
        "{}",
        stderr(&out)
    );
}

#[test]
fn completions_and_man_page() {
    let out = opsbook(Path::new("."), &["completions", "bash"]);
    assert!(out.status.success());
    assert!(
        stdout(&out).contains("opsbook__subcmd__check"),
        "a bash completion function per command"
    );
    let out = opsbook(Path::new("."), &["completions", "zsh"]);
    assert!(stdout(&out).starts_with("#compdef opsbook"));
    let out = opsbook(Path::new("."), &["man"]);
    assert!(stdout(&out).contains(".TH opsbook 1"));
    assert!(
        stdout(&out).contains("opsbook\\-check(1)"),
        "subcommands are listed"
    );
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::io::Read;
    use std::process::Stdio;
    // Far more output than a pipe buffers (64 KiB), so writing hits the closed pipe.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("runbooks")).unwrap();
    for i in 0..600 {
        let text = format!("---\nservice: nowhere-{i}\n---\n");
        std::fs::write(tmp.path().join(format!("runbooks/r{i}.md")), text).unwrap();
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_opsbook"))
        .args(["check", "--color", "never"])
        .current_dir(tmp.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read a little, then close the pipe, as `| head` would.
    let mut first = [0u8; 100];
    let mut stdout = child.stdout.take().unwrap();
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "findings, and no broken-pipe failure"
    );
    assert_eq!(stderr(&out), "");
}

#[test]
fn stats_without_a_repository_warns_once_and_prints_every_format() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(opsbook(tmp.path(), &["init", "hb"]).status.success());
    std::fs::create_dir_all(tmp.path().join("hb/postmortems")).unwrap();
    std::fs::write(
        tmp.path().join("hb/postmortems/PM-1.md"),
        "---\ntitle: Outage\nseverity: SEV2\nstatus: resolved\nservices: [web-api]\nstarted: 2026-01-01T10:00:00Z\nresolved: 2026-01-01T11:30:00+01:00\n---\n## Summary\n\nx\n",
    )
    .unwrap();
    let now = "--now=2026-02-01T00:00:00Z";
    let out = opsbook(tmp.path(), &["stats", "hb", now, "--by", "severity"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out).matches("warning[OB310]").count(),
        1,
        "{}",
        stderr(&out)
    );
    let table = stdout(&out);
    assert!(
        table.contains("computed from: resolved − started (else detected, else declared)"),
        "{table}"
    );
    assert!(
        table.contains("  SEV2                   1  30m 00s"),
        "{table}"
    );
    let out = opsbook(tmp.path(), &["stats", "hb", now, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["history"]["repository"], false);
    let out = opsbook(
        tmp.path(),
        &["stats", "hb", now, "--format", "csv", "--by", "year"],
    );
    assert!(
        stdout(&out).contains(",year,2026,1,1800,"),
        "{}",
        stdout(&out)
    );
    let out = opsbook(tmp.path(), &["stats", "hb", "--since", "yesterday"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn an_empty_folder_is_clean_but_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("handbok")).unwrap();
    let out = opsbook(tmp.path(), &["check", "handbok"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "No problems found in 0 files.\n");
    assert_eq!(
        stderr(&out),
        "opsbook: warning: `handbok` holds no documents (opsbook reads the .md files below it); is this the handbook folder? `opsbook init` writes a starter\n"
    );
    let out = opsbook(tmp.path(), &["check", "handbok", "--quiet"]);
    assert_eq!(stderr(&out), "", "--quiet silences the warning");
}

#[test]
fn every_now_takes_a_date_or_an_rfc_3339_time() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for command in [
        &["check", "content-example"][..],
        &["stats", "content-example", "--format", "json", "--no-cache"],
    ] {
        let run = |now: &str| {
            let mut args = command.to_vec();
            args.extend(["--now", now]);
            opsbook(root, &args)
        };
        let date = run("2026-03-01");
        let time = run("2026-03-01T00:00:00Z");
        assert_eq!(
            date.status.code(),
            time.status.code(),
            "{command:?}: {}",
            stderr(&date)
        );
        assert!(
            stdout(&date) == stdout(&time),
            "{command:?}: the date is its midnight"
        );
        let bad = run("yesterday");
        assert_eq!(bad.status.code(), Some(2), "{command:?}");
        assert!(
            stderr(&bad).contains("not a date (YYYY-MM-DD) or an RFC 3339 time"),
            "{command:?}: {}",
            stderr(&bad)
        );
    }
}

#[test]
fn stats_json_is_the_documented_versioned_structure() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = opsbook(
        root,
        &[
            "stats",
            "content-example",
            "--format",
            "json",
            "--now",
            "2026-06-01",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["now"], "2026-06-01T00:00:00Z");
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    // The README's table, "Statistics JSON", in its order.
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let table = &readme[readme.find("### Statistics JSON").unwrap()..];
    let mut documented = Vec::new();
    for line in table.lines().skip_while(|l| !l.starts_with("| `")) {
        let Some(names) = line.strip_prefix("| ").and_then(|l| l.split(" | ").next()) else {
            break;
        };
        documented.extend(names.split(", ").map(|n| n.trim_matches('`')));
    }
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    documented.sort_unstable();
    assert_eq!(
        sorted, documented,
        "every top-level field is in the README's table"
    );
}
