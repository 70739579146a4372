//! A catalogue of malformed inputs, each written into a fresh temporary handbook and
//! checked by the real binary with `--format json`.
//!
//! For each: the exit code (1 for findings, 2 when opsbook cannot run, 0 when the input is
//! fine), no panic, and the exact diagnostics — code, file, line and column — with their
//! message where the wording matters.

use serde_json::Value;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The time every check is judged at.
const NOW: &str = "2026-06-01T00:00:00Z";

/// Long enough for a debug build on a slow CI machine; a hang fails instead of blocking.
const TIMEOUT: Duration = Duration::from_secs(300);

const TEAM: &str = "---
title: \"Site Reliability Engineering\"
lead: alex.morgan
members:
  - name: alex.morgan
    role: team lead
  - name: sam.rivera
    role: SRE
---

## On-call

One primary and one secondary on-call engineer.
";

const SERVICE: &str = "---
title: \"Web API\"
owner: sre
tier: 2
---

## Overview

The public HTTP API.
";

/// The frontmatter of a valid runbook, without its fences; tests edit it.
const RUNBOOK_FRONTMATTER: &str = "title: \"Web API\"
service: web-api
owner: sre
reviewed: 2026-05-04
alerts: [WebApiHighErrorRate]
";

const RUNBOOK_BODY: &str = "
## Summary

What to do when the Web API returns errors.

## Service SLA

99.9 % of requests succeed over 30 days.

## Escalation path

Page the SRE on-call.

## Incident workflow

1. Acknowledge the page.
2. Roll back the last deploy: `kubectl -n web rollout undo deploy/web-api`.

## Monitoring

The Web API overview dashboard.

## Alerts

### WebApiHighErrorRate

More than 1 % of requests fail; customers see errors; follow the [workflow](#incident-workflow).

## Postmortems

None yet.

## Doc

The repository's README.
";

/// The frontmatter of a valid, resolved and published postmortem, without its fences.
const POSTMORTEM_FRONTMATTER: &str = "id: PM-2026-0007
title: \"Web API returned 5xx after a bad config push\"
severity: SEV2
status: resolved
review: published
services: [web-api]
started: 2026-05-12T14:02:00Z
detected: 2026-05-12T14:09:00Z
mitigated: 2026-05-12T14:41:00Z
resolved: 2026-05-12T16:05:00Z
commander: alex.morgan
authors: [sam.rivera]
";

const POSTMORTEM_BODY: &str = "
## Summary

A config push broke the upstream list.

## Impact

38 % of requests failed for 39 minutes.

## Timeline

- 14:02 push
- 14:41 rollback

## Root cause

A stale upstream.

## Resolution

Rolled back.

## Detection

The error-rate alert.

## Action items

None left open.

## Lessons learned

Review config like code.
";

fn runbook(frontmatter: &str) -> String {
    format!("---\n{frontmatter}---\n{RUNBOOK_BODY}")
}

fn postmortem(frontmatter: &str) -> String {
    format!("---\n{frontmatter}---\n{POSTMORTEM_BODY}")
}

/// A temporary handbook folder.
struct Handbook {
    dir: tempfile::TempDir,
}

/// What one `opsbook check` run gave.
struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

/// One diagnostic of the JSON output: code, file, line, column.
type Found = (String, String, u64, u64);

impl Handbook {
    /// An empty handbook.
    fn empty() -> Handbook {
        Handbook {
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    /// A handbook with a valid team and service, for documents that refer to them.
    fn with_service() -> Handbook {
        let hb = Handbook::empty();
        hb.file("teams/sre.md", TEAM);
        hb.file("services/web-api.md", SERVICE);
        hb
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `bytes` at `rel`, creating folders.
    fn file(&self, rel: &str, bytes: impl AsRef<[u8]>) -> &Handbook {
        let path = self.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
        self
    }

    /// Runs `opsbook check . --format json` inside the handbook.
    fn check(&self) -> Outcome {
        run_opsbook(
            self.path(),
            &["check", ".", "--format", "json", "--now", NOW],
        )
    }
}

/// Runs the binary in `cwd`, failing the test if it runs longer than [`TIMEOUT`].
fn run_opsbook(cwd: &Path, args: &[&str]) -> Outcome {
    // Output goes to files, so that a large output never blocks the child on a full pipe
    // while we wait with a timeout.
    let out = tempfile::tempdir().unwrap();
    let stdout_path = out.path().join("stdout");
    let stderr_path = out.path().join("stderr");
    let mut child = Command::new(env!("CARGO_BIN_EXE_opsbook"))
        .current_dir(cwd)
        .args(args)
        .stdin(Stdio::null())
        .stdout(fs::File::create(&stdout_path).unwrap())
        .stderr(fs::File::create(&stderr_path).unwrap())
        .spawn()
        .expect("the opsbook binary runs");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("opsbook {args:?} did not finish within {TIMEOUT:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let outcome = Outcome {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&fs::read(&stdout_path).unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&fs::read(&stderr_path).unwrap()).into_owned(),
    };
    assert!(
        !outcome.stderr.contains("panicked"),
        "opsbook panicked:\n{}",
        outcome.stderr
    );
    outcome
}

impl Outcome {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    fn diagnostics(&self) -> Vec<Value> {
        self.json()["diagnostics"]
            .as_array()
            .expect("a diagnostics array")
            .clone()
    }

    fn found(&self) -> Vec<Found> {
        self.diagnostics()
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap().to_string(),
                    d["file"].as_str().unwrap().to_string(),
                    d["line"].as_u64().unwrap(),
                    d["column"].as_u64().unwrap(),
                )
            })
            .collect()
    }

    /// Asserts the exit code and exactly these diagnostics, in order.
    fn expect(&self, exit: i32, expected: &[(&str, &str, u64, u64)]) -> &Outcome {
        let expected: Vec<Found> = expected
            .iter()
            .map(|(c, f, l, col)| (c.to_string(), f.to_string(), *l, *col))
            .collect();
        assert_eq!(
            self.found(),
            expected,
            "unexpected diagnostics; full output:\n{}",
            self.stdout
        );
        assert_eq!(
            self.code, exit,
            "exit code; stdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Asserts a clean run: exit 0, no diagnostics.
    fn expect_clean(&self) -> &Outcome {
        self.expect(0, &[])
    }

    /// The message of the only (or first) diagnostic.
    fn message(&self) -> String {
        self.diagnostics()[0]["message"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// The help of the first diagnostic.
    fn help(&self) -> String {
        self.diagnostics()[0]["help"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn message_is(&self, expected: &str) -> &Outcome {
        assert_eq!(self.message(), expected);
        self
    }

    fn message_contains(&self, part: &str) -> &Outcome {
        let message = self.message();
        assert!(message.contains(part), "message {message:?} lacks {part:?}");
        self
    }

    fn help_contains(&self, part: &str) -> &Outcome {
        let help = self.help();
        assert!(help.contains(part), "help {help:?} lacks {part:?}");
        self
    }

    /// The end column of the first diagnostic.
    fn end_column(&self) -> u64 {
        self.diagnostics()[0]["end_column"].as_u64().unwrap()
    }
}

// ---------------------------------------------------------------------------------------
// Encodings and raw bytes

#[test]
fn empty_file() {
    let hb = Handbook::empty();
    hb.file("docs/notes.md", "");
    hb.check()
        .expect(1, &[("OB004", "docs/notes.md", 1, 1)])
        .message_is("the document does not start with a `---` frontmatter block");
}

#[test]
fn only_a_byte_order_mark() {
    let hb = Handbook::empty();
    hb.file("docs/notes.md", "\u{feff}");
    // Column 1: editors do not count the mark as a character.
    hb.check().expect(1, &[("OB004", "docs/notes.md", 1, 1)]);
}

#[test]
fn byte_order_mark_and_valid_document_pass() {
    let hb = Handbook::with_service();
    hb.file(
        "runbooks/web-api.md",
        format!("\u{feff}{}", runbook(RUNBOOK_FRONTMATTER)),
    );
    hb.file(
        "docs/notes.md",
        "\u{feff}---\ntitle: Notes\n---\n\n# Notes\n",
    );
    hb.check().expect_clean();
}

#[test]
fn byte_order_mark_does_not_shift_positions() {
    let hb = Handbook::empty();
    hb.file(
        "docs/notes.md",
        "\u{feff}---\ntitle: Notes\ntitel: Notes\n---\n",
    );
    hb.check()
        .expect(1, &[("OB010", "docs/notes.md", 3, 1)])
        .message_is("unknown field `titel` for a page");
    // On the first line, the span of the opening fence is columns 1 to 4 (exclusive).
    let hb = Handbook::empty();
    hb.file("docs/notes.md", "\u{feff}---\ntitle: Notes\n");
    let outcome = hb.check();
    outcome.expect(1, &[("OB005", "docs/notes.md", 1, 1)]);
    assert_eq!(outcome.end_column(), 4);
}

#[test]
fn crlf_line_endings_pass() {
    let hb = Handbook::with_service();
    hb.file("runbooks/web-api.md", runbook(RUNBOOK_FRONTMATTER));
    hb.file(
        "postmortems/2026-05-12-web-api-5xx.md",
        postmortem(POSTMORTEM_FRONTMATTER),
    );
    hb.file(
        "docs/notes.md",
        "---\ntitle: Notes\n---\n\n# Notes\n\nSee [the runbook](../runbooks/web-api.md#alerts).\n",
    );
    // Everything, the team and service included, rewritten with CRLF.
    for rel in [
        "teams/sre.md",
        "services/web-api.md",
        "runbooks/web-api.md",
        "postmortems/2026-05-12-web-api-5xx.md",
        "docs/notes.md",
    ] {
        let path = hb.path().join(rel);
        let text = fs::read_to_string(&path).unwrap().replace('\n', "\r\n");
        fs::write(&path, text).unwrap();
    }
    hb.check().expect_clean();
}

#[test]
fn crlf_positions_exclude_the_carriage_return() {
    let hb = Handbook::empty();
    hb.file("docs/notes.md", "---\r\ntitle: Notes\r\nteir: 1\r\n---\r\n");
    let outcome = hb.check();
    outcome.expect(1, &[("OB010", "docs/notes.md", 3, 1)]);
    assert_eq!(outcome.end_column(), 5, "the span is `teir`, not `teir\\r`");
}

#[test]
fn binary_file_named_md() {
    let hb = Handbook::empty();
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0";
    hb.file("docs/diagram.md", png);
    hb.check()
        .expect(1, &[("OB002", "docs/diagram.md", 1, 1)])
        .message_is("the file is not valid UTF-8 (invalid byte 0x89)");
}

#[test]
fn latin1_bytes() {
    let hb = Handbook::empty();
    hb.file(
        "docs/paris.md",
        b"---\ntitle: Datacenter Paris\n---\n\nSalle \xe9quipements, rack A3.\n",
    );
    hb.check()
        .expect(1, &[("OB002", "docs/paris.md", 5, 7)])
        .message_contains("0xE9");
}

#[test]
fn utf16_text() {
    let hb = Handbook::empty();
    let mut bytes = vec![0xff, 0xfe];
    for unit in "---\ntitle: x\n---\n".encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    hb.file("docs/notes.md", bytes);
    hb.check()
        .expect(1, &[("OB002", "docs/notes.md", 1, 1)])
        .message_contains("0xFF");
}

#[test]
fn nul_bytes() {
    let hb = Handbook::empty();
    hb.file("docs/notes.md", "---\ntitle: Notes\n---\nabc\0def\n");
    hb.check()
        .expect(1, &[("OB002", "docs/notes.md", 4, 4)])
        .message_is("the file contains NUL bytes: it is binary, not text");
}

// ---------------------------------------------------------------------------------------
// Size

#[test]
fn ten_megabyte_single_line() {
    let hb = Handbook::empty();
    let mut text = String::from("---\ntitle: Dump\n---\n");
    text.push_str(&"a".repeat(10 * 1024 * 1024));
    hb.file("docs/dump.md", text);
    hb.check()
        .expect(1, &[("OB003", "docs/dump.md", 1, 1)])
        .message_is("the file is 10.0 MiB; documents over 8 MiB are not read");
}

#[test]
fn five_megabyte_body_line_does_not_hang() {
    let hb = Handbook::empty();
    let mut text = String::from("---\ntitle: Metrics dump\n---\n\n# Top\n\n");
    // One line of inline markup of every sort the checks look at: emphasis, code, HTML,
    // brackets, links to an anchor that exists, words that precede secrets.
    while text.len() < 5 * 1024 * 1024 {
        text.push_str("GET /api 200 *fast* `trace` <b>x</b> [a] [top](#top) password: ");
    }
    text.push('\n');
    hb.file("docs/dump.md", text);
    hb.check().expect_clean();
}

// ---------------------------------------------------------------------------------------
// Fences

#[test]
fn unclosed_frontmatter() {
    let hb = Handbook::empty();
    hb.file(
        "docs/architecture.md",
        "---\ntitle: Architecture\ntags: [architecture]\n\n# Architecture\n\nThe API calls the database.\n",
    );
    let outcome = hb.check();
    outcome
        .expect(1, &[("OB005", "docs/architecture.md", 1, 1)])
        .message_is("the frontmatter block opened here is never closed");
    assert_eq!(outcome.end_column(), 4);
}

#[test]
fn only_dashes() {
    for text in ["---", "---\n", "---\r\n"] {
        let hb = Handbook::empty();
        hb.file("docs/notes.md", text);
        hb.check().expect(1, &[("OB005", "docs/notes.md", 1, 1)]);
    }
}

#[test]
fn frontmatter_not_at_the_top() {
    for text in [
        "\n---\ntitle: Notes\n---\n",
        "# Notes\n---\ntitle: Notes\n---\n",
    ] {
        let hb = Handbook::empty();
        hb.file("docs/notes.md", text);
        hb.check()
            .expect(1, &[("OB004", "docs/notes.md", 1, 1)])
            .help_contains("very first line");
    }
}

#[test]
fn empty_frontmatter_lacks_required_fields() {
    let hb = Handbook::with_service();
    hb.file("runbooks/web-api.md", format!("---\n---\n{RUNBOOK_BODY}"));
    hb.check()
        .expect(1, &[("OB011", "runbooks/web-api.md", 2, 1)])
        .message_is("a runbook is missing the required field `title`");
}

// ---------------------------------------------------------------------------------------
// YAML syntax

#[test]
/// The caret points at the tab itself, not the character after it.
fn tabs_used_for_indentation() {
    let hb = Handbook::empty();
    hb.file(
        "teams/dba.md",
        "---\ntitle: Databases\nmembers:\n\t- name: jo.kim\n---\n",
    );
    hb.check()
        .expect(1, &[("OB006", "teams/dba.md", 4, 1)])
        .message_contains("tabs")
        .help_contains("indent YAML with spaces");
}

#[test]
fn duplicate_keys() {
    let hb = Handbook::with_service();
    let frontmatter = format!("{RUNBOOK_FRONTMATTER}owner: platform\n");
    hb.file("runbooks/web-api.md", runbook(&frontmatter));
    // The second `owner` is on line 7 (after the fence and five keys).
    hb.check()
        .expect(1, &[("OB007", "runbooks/web-api.md", 7, 1)])
        .message_is("duplicate key `owner`");
}

#[test]
fn alias_bomb_billion_laughs() {
    let mut text = String::from(
        "---\ntitle: Laughs\nextra:\n  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names: Vec<char> = ('a'..='i').collect();
    for pair in names.windows(2) {
        let (prev, name) = (pair[0], pair[1]);
        let refs = vec![format!("*{prev}"); 9].join(",");
        text.push_str(&format!("  {name}: &{name} [{refs}]\n"));
    }
    text.push_str("---\n");
    let hb = Handbook::empty();
    hb.file("docs/laughs.md", text);
    // The first alias: line 5, `  b: &b [*a,…` column 10.
    hb.check()
        .expect(1, &[("OB008", "docs/laughs.md", 5, 10)])
        .message_is("YAML aliases (`*name`) are not supported");
}

#[test]
fn deeply_nested_yaml() {
    let hb = Handbook::empty();
    let text = format!(
        "---\ntitle: Deep\nextra:\n  deep: {}{}\n---\n",
        "[".repeat(200),
        "]".repeat(200)
    );
    hb.file("docs/deep.md", text);
    // The root mapping, `extra` and 62 lists make 64 levels; the 63rd `[` is refused.
    hb.check()
        .expect(1, &[("OB006", "docs/deep.md", 4, 71)])
        .message_is("YAML nested deeper than 64 levels");
}

#[test]
fn deeply_nested_block_sequences() {
    let hb = Handbook::empty();
    let text = format!(
        "---\ntitle: Deep\nextra:\n  deep:\n    {}x\n---\n",
        "- ".repeat(200)
    );
    hb.file("docs/deep.md", text);
    // 4 spaces of indentation, then `- ` per level: the 63rd dash is at column 5 + 2 × 62.
    hb.check()
        .expect(1, &[("OB006", "docs/deep.md", 5, 129)])
        .message_is("YAML nested deeper than 64 levels");
}

#[test]
fn unclosed_quote() {
    let hb = Handbook::empty();
    hb.file("docs/notes.md", "---\ntitle: \"Web API\ntags: [api]\n---\n");
    hb.check()
        .expect(1, &[("OB006", "docs/notes.md", 2, 8)])
        .message_contains("quoted scalar");
}

#[test]
fn colon_in_an_unquoted_value() {
    let hb = Handbook::empty();
    hb.file("docs/notes.md", "---\ntitle: Fix: restart the API\n---\n");
    // The parser stops at the second `: `.
    hb.check()
        .expect(1, &[("OB006", "docs/notes.md", 2, 11)])
        .message_is("invalid YAML: mapping values are not allowed in this context")
        .help_contains("quote the value");
}

#[test]
fn frontmatter_that_is_a_list() {
    let hb = Handbook::empty();
    hb.file("docs/notes.md", "---\n- title: Notes\n- tags: [a]\n---\n");
    hb.check()
        .expect(1, &[("OB012", "docs/notes.md", 2, 1)])
        .message_is("the frontmatter must be a mapping of keys to values, not a list");
}

#[test]
fn frontmatter_that_is_a_scalar() {
    let hb = Handbook::empty();
    hb.file("docs/notes.md", "---\njust some text\n---\n");
    hb.check()
        .expect(1, &[("OB012", "docs/notes.md", 2, 1)])
        .message_is("the frontmatter must be a mapping of keys to values, not a string");
}

// ---------------------------------------------------------------------------------------
// Types and values

#[test]
fn tier_is_a_word() {
    let hb = Handbook::with_service();
    hb.file(
        "services/web-api.md",
        SERVICE.replace("tier: 2", "tier: high"),
    );
    hb.check()
        .expect(1, &[("OB012", "services/web-api.md", 4, 7)])
        .message_contains("`tier`")
        .message_contains("`high`");
}

#[test]
fn alerts_yes_is_not_a_list() {
    let hb = Handbook::with_service();
    let frontmatter = RUNBOOK_FRONTMATTER.replace("alerts: [WebApiHighErrorRate]", "alerts: yes");
    hb.file("runbooks/web-api.md", runbook(&frontmatter));
    // YAML 1.2: `yes` is a string, not a boolean.
    hb.check()
        .expect(1, &[("OB012", "runbooks/web-api.md", 6, 9)])
        .message_is("`alerts`: expected a list, found `yes`");
}

#[test]
fn list_where_a_mapping_is_expected() {
    let hb = Handbook::with_service();
    hb.file(
        "escalation/default.md",
        "---\ntitle: Default\nlevels:\n  - after: 0m\n    notify:\n      - team: sre\n        via: pager\nseverity_routes: [SEV1, SEV2]\n---\n",
    );
    hb.check()
        .expect(1, &[("OB012", "escalation/default.md", 8, 18)])
        .message_is("`severity_routes`: expected a mapping, found a list");
}

#[test]
fn mapping_where_a_list_is_expected() {
    let hb = Handbook::empty();
    hb.file(
        "teams/dba.md",
        "---\ntitle: Databases\nmembers: {name: jo.kim, role: DBA}\n---\n",
    );
    hb.check()
        .expect(1, &[("OB012", "teams/dba.md", 3, 10)])
        .message_is("`members`: expected a list, found a mapping");
}

#[test]
fn date_that_does_not_exist() {
    let hb = Handbook::with_service();
    let frontmatter = RUNBOOK_FRONTMATTER.replace("2026-05-04", "2026-02-30");
    hb.file("runbooks/web-api.md", runbook(&frontmatter));
    hb.check()
        .expect(1, &[("OB012", "runbooks/web-api.md", 5, 11)])
        .message_is("`reviewed`: `2026-02-30` is not a date: February 2026 has 28 days");
}

#[test]
fn timestamps_without_a_zone() {
    let hb = Handbook::with_service();
    let frontmatter = POSTMORTEM_FRONTMATTER
        .replace(
            "started: 2026-05-12T14:02:00Z",
            "started: 2026-05-12T14:02:00",
        )
        .replace(
            "detected: 2026-05-12T14:09:00Z",
            "detected: 2026-05-12 14:09",
        );
    hb.file("postmortems/pm-7.md", postmortem(&frontmatter));
    let outcome = hb.check();
    outcome
        .expect(
            1,
            &[
                ("OB012", "postmortems/pm-7.md", 8, 10),
                ("OB012", "postmortems/pm-7.md", 9, 11),
            ],
        )
        .message_is("`started`: timestamp `2026-05-12T14:02:00` has no time zone; add `Z` for UTC or an offset such as `+02:00`");
    assert_eq!(
        outcome.diagnostics()[1]["message"],
        "`detected`: `2026-05-12 14:09` is not an RFC 3339 timestamp; write e.g. `2026-03-01T14:30:00Z`"
    );
}

// ---------------------------------------------------------------------------------------
// Kinds

#[test]
fn unknown_kind() {
    let hb = Handbook::empty();
    hb.file(
        "docs/failover.md",
        "---\nkind: playbook\ntitle: Failover\n---\n",
    );
    hb.check()
        .expect(1, &[("OB013", "docs/failover.md", 2, 7)])
        .message_is("`playbook` is not a document kind");
    let hb = Handbook::empty();
    hb.file(
        "docs/failover.md",
        "---\nkind: runbok\ntitle: Failover\n---\n",
    );
    hb.check()
        .expect(1, &[("OB013", "docs/failover.md", 2, 7)])
        .help_contains("did you mean `runbook`?");
}

#[test]
fn kind_and_folder_disagree() {
    let hb = Handbook::empty();
    hb.file("teams/sre.md", TEAM);
    hb.file(
        "runbooks/owners.md",
        "---\nkind: team\ntitle: Runbook owners\n---\n",
    );
    hb.check()
        .expect(1, &[("OB014", "runbooks/owners.md", 2, 7)])
        .message_is(
            "`kind: team` disagrees with the folder `runbooks/`, which holds runbook documents",
        );
}

// ---------------------------------------------------------------------------------------
// handbook.yaml

#[test]
fn handbook_yaml_with_unknown_keys() {
    let hb = Handbook::empty();
    hb.file(
        "handbook.yaml",
        "titel: \"Our handbook\"\nreview_every: 90d\nseverity:\n  - id: SEV1\n",
    );
    hb.file("docs/notes.md", "---\ntitle: Notes\n---\n");
    let outcome = hb.check();
    outcome
        .expect(
            1,
            &[
                ("OB010", "handbook.yaml", 1, 1),
                ("OB010", "handbook.yaml", 3, 1),
            ],
        )
        .message_is("unknown field `titel` for handbook.yaml")
        .help_contains("did you mean `title`?");
    assert_eq!(
        outcome.diagnostics()[1]["help"],
        "did you mean `severities`?"
    );
}

#[test]
fn handbook_yaml_that_is_not_yaml() {
    let hb = Handbook::empty();
    hb.file(
        "handbook.yaml",
        "title: \"Our handbook\nreview_every: 90d\n",
    );
    // The documents are still checked, with the default settings.
    hb.file("docs/notes.md", "---\ntitle: Notes\nbogus: 1\n---\n");
    hb.check().expect(
        1,
        &[
            ("OB010", "docs/notes.md", 3, 1),
            ("OB006", "handbook.yaml", 1, 8),
        ],
    );
}

#[test]
fn handbook_yaml_in_latin1() {
    let hb = Handbook::empty();
    hb.file("handbook.yaml", b"title: \"Caf\xe9 handbook\"\n");
    hb.check()
        .expect(1, &[("OB002", "handbook.yaml", 1, 12)])
        .message_contains("0xE9");
}

// ---------------------------------------------------------------------------------------
// The file system

#[cfg(unix)]
#[test]
fn symlink_loop() {
    let hb = Handbook::empty();
    hb.file("docs/notes.md", "---\ntitle: Notes\n---\n");
    std::os::unix::fs::symlink("..", hb.path().join("docs/current")).unwrap();
    hb.check()
        .expect(1, &[("OB001", "docs/current", 1, 1)])
        .message_contains("symbolic link loop");
}

#[cfg(unix)]
#[test]
fn dangling_symlink() {
    let hb = Handbook::empty();
    std::fs::create_dir_all(hb.path().join("docs")).unwrap();
    std::os::unix::fs::symlink("../archive/gone.md", hb.path().join("docs/gone.md")).unwrap();
    hb.check()
        .expect(1, &[("OB001", "docs/gone.md", 1, 1)])
        .message_contains(
            "broken symbolic link: its target does not exist (it points at `../archive/gone.md`)",
        );
}

#[cfg(unix)]
#[test]
fn unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let hb = Handbook::empty();
    hb.file("docs/secret.md", "---\ntitle: Secret\n---\n");
    let path = hb.path().join("docs/secret.md");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
    let outcome = hb.check();
    // Root (and some CI sandboxes) can read anything: then there is nothing to report.
    let readable = fs::read(&path).is_ok();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    if readable {
        outcome.expect_clean();
        return;
    }
    outcome
        .expect(1, &[("OB001", "docs/secret.md", 1, 1)])
        .message_contains("Permission denied");
}

#[test]
fn missing_folder_cannot_run() {
    let hb = Handbook::empty();
    let outcome = run_opsbook(
        hb.path(),
        &["check", "no-such-folder", "--format", "json", "--now", NOW],
    );
    assert_eq!(outcome.code, 2, "stderr: {}", outcome.stderr);
    assert_eq!(
        outcome.stdout, "",
        "nothing on stdout when opsbook cannot run"
    );
    assert!(
        outcome.stderr.contains("no-such-folder") && outcome.stderr.contains("is not a folder"),
        "stderr: {}",
        outcome.stderr
    );
}

// ---------------------------------------------------------------------------------------
// One broken file, one finding: no cascade into the documents that refer to it

#[test]
fn a_runbook_that_cannot_be_read_is_not_also_an_unknown_reference() {
    let hb = Handbook::with_service();
    hb.file(
        "services/web-api.md",
        SERVICE.replace("tier: 2\n", "tier: 2\nrunbook: web-api\n"),
    );
    // The closing fence is missing: the runbook is no document, but the service's
    // `runbook: web-api` names its file, so only the runbook itself is reported.
    hb.file(
        "runbooks/web-api.md",
        runbook(RUNBOOK_FRONTMATTER).replacen("\n---\n", "\n", 1),
    );
    hb.check()
        .expect(1, &[("OB005", "runbooks/web-api.md", 1, 1)]);
}

#[test]
fn a_team_that_cannot_be_parsed_does_not_make_its_members_unknown() {
    let hb = Handbook::with_service();
    hb.file(
        "teams/sre.md",
        TEAM.replace(
            "lead: alex.morgan\n",
            "lead: alex.morgan\nlead: sam.rivera\n",
        ),
    );
    hb.file(
        "escalation/default.md",
        "---\ntitle: Default\nlevels:\n  - after: 0m\n    notify:\n      - person: alex.morgan\n        via: phone\n---\n",
    );
    hb.check().expect(1, &[("OB007", "teams/sre.md", 4, 1)]);
}

#[test]
fn a_team_with_schema_errors_still_names_its_members() {
    let hb = Handbook::with_service();
    // `rol:` is a typo inside `members`; the members still count as persons.
    hb.file(
        "teams/sre.md",
        TEAM.replace("    role: SRE\n", "    rol: SRE\n"),
    );
    hb.file(
        "escalation/default.md",
        "---\ntitle: Default\nlevels:\n  - after: 0m\n    notify:\n      - person: sam.rivera\n        via: phone\n      - person: jo.kim\n        via: phone\n---\n",
    );
    let outcome = hb.check();
    outcome.expect(
        1,
        &[
            ("OB205", "escalation/default.md", 8, 17),
            ("OB010", "teams/sre.md", 8, 5),
        ],
    );
    assert_eq!(
        outcome.diagnostics()[0]["message"],
        "`jo.kim` is not a member of any team"
    );
}

#[test]
fn a_runbook_without_a_body_misses_its_sections_in_one_finding() {
    let hb = Handbook::with_service();
    hb.file(
        "runbooks/web-api.md",
        format!("---\n{RUNBOOK_FRONTMATTER}---\n\n# Web API\n"),
    );
    hb.check()
        .expect(1, &[("OB101", "runbooks/web-api.md", 8, 1)])
        .message_is("the runbook is missing the sections `Summary`, `Service SLA`, `Escalation path`, `Incident workflow`, `Monitoring`, `Alerts`, `Postmortems` and `Doc`")
        .help_contains("in this order");
}

/// `...` inside the frontmatter ends the YAML document early; the caret points at it.
#[test]
fn document_end_marker_inside_frontmatter() {
    let hb = Handbook::empty();
    hb.file(
        "docs/notes.md",
        "---\ntitle: Notes\n...\ntags: [a]\n---\n# Notes\n",
    );
    hb.check()
        .expect(1, &[("OB006", "docs/notes.md", 3, 1)])
        .message_is("more than one YAML document")
        .help_contains("remove the `...` or `---` line");
}
