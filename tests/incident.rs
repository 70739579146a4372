//! `opsbook incident` end to end: a whole incident on a real git repository with
//! controlled times, byte-for-byte preservation of a hand-written postmortem, and every
//! refusal (exact message, exit 2, file untouched).

mod binary;

use binary::{stderr, stdout};
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

const ID: &str = "2026-03-01-checkout-returns-502";
const FILE: &str = "postmortems/2026-03-01-checkout-returns-502.md";

/// Runs `opsbook ARGS` in `dir` with git's identity and commit dates fixed to `at`.
fn opsbook_at(dir: &Path, at: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_opsbook"))
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .env("GIT_AUTHOR_DATE", at)
        .env("GIT_COMMITTER_DATE", at)
        .output()
        .unwrap()
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_DATE", "2026-02-20T09:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-02-20T09:00:00Z")
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
    stdout(&out)
}

/// The starter handbook in a fresh git repository, reviewed on a fixed date.
fn starter_repo(dir: &Path) {
    let out = binary::opsbook(dir, &["init", "."]);
    assert!(out.status.success(), "{}", stderr(&out));
    let runbook = dir.join("runbooks/web-api.md");
    let text = fs::read_to_string(&runbook).unwrap();
    let reviewed = text
        .lines()
        .find(|l| l.starts_with("reviewed: "))
        .unwrap()
        .to_string();
    fs::write(&runbook, text.replace(&reviewed, "reviewed: 2026-02-20")).unwrap();
    git(dir, &["init", "-q", "-b", "main"]);
    git(dir, &["config", "user.name", "Sam Rivera"]);
    git(dir, &["config", "user.email", "sam.rivera@example.com"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "starter handbook"]);
}

fn ok(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(out));
    stdout(out)
}

#[test]
fn a_whole_incident_on_a_git_repository() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    starter_repo(dir);
    let run = |at: &str, args: &[&str]| opsbook_at(dir, at, args);

    let out = run(
        "2026-03-01T14:05:00Z",
        &[
            "incident",
            "declare",
            "Checkout returns 502",
            "--severity",
            "SEV2",
            "--service",
            "web-api",
            "--commander",
            "alex.morgan",
            "--started",
            "2026-03-01T14:02:00Z",
            "--at",
            "2026-03-01T14:05:00Z",
            "--commit",
        ],
    );
    let printed = ok(&out);
    assert!(
        printed.starts_with(&format!("declared {ID} in {FILE} (commit ")),
        "{printed}"
    );
    let out = run(
        "2026-03-01T14:06:00Z",
        &[
            "incident",
            "role",
            ID,
            "comms=sam.rivera",
            "scribe=sam.rivera",
            "--commit",
        ],
    );
    ok(&out);
    assert!(stderr(&out).starts_with(&format!(
        "{FILE}: roles comms=sam.rivera scribe=sam.rivera (commit "
    )));

    let entries = [
        (
            "2026-03-01T14:07:00Z",
            "finding",
            "sam.rivera",
            "38 % of checkout calls fail with 502",
        ),
        (
            "2026-03-01T14:09:30Z",
            "finding",
            "alex.morgan",
            "All 502s come from upstream eu-2",
        ),
        (
            "2026-03-01T14:12:00Z",
            "decision",
            "alex.morgan",
            "Roll back config web-api#1841",
        ),
        (
            "2026-03-01T14:15:00Z",
            "action",
            "sam.rivera",
            "Rolled back config web-api#1841",
        ),
        (
            "2026-03-01T14:20:00Z",
            "finding",
            "sam.rivera",
            "Error rate back under 0.1 %",
        ),
        (
            "2026-03-01T14:22:00Z",
            "action",
            "alex.morgan",
            "Removed eu-2 from the upstream list",
        ),
    ];
    for (at, kind, by, text) in entries {
        let out = run(
            at,
            &[
                "incident", "log", ID, text, "--at", at, "--by", by, "--kind", kind, "--commit",
            ],
        );
        ok(&out);
    }
    let out = run(
        "2026-03-01T14:25:00Z",
        &[
            "incident",
            "update",
            ID,
            "--at",
            "2026-03-01T14:25:00Z",
            "--by",
            "sam.rivera",
            "--commit",
        ],
    );
    assert_eq!(
        ok(&out),
        "[SEV2] Checkout returns 502 (2026-03-01-checkout-returns-502)\n\
         Status: INVESTIGATING since 14:05 UTC (impact began 14:02 UTC, 23 min ago)\n\
         Affected: web-api\n\
         So far:\n\
         \x20 - 14:02 UTC  Started.\n\
         \x20 - 14:05 UTC  Declared SEV2: Checkout returns 502. (alex.morgan)\n\
         \x20 - 14:07 UTC  38 % of checkout calls fail with 502 (sam.rivera)\n\
         \x20 - 14:09 UTC  All 502s come from upstream eu-2 (alex.morgan)\n\
         \x20 - 14:12 UTC  Roll back config web-api#1841 (alex.morgan)\n\
         \x20 - 14:15 UTC  Rolled back config web-api#1841 (sam.rivera)\n\
         \x20 - 14:20 UTC  Error rate back under 0.1 % (sam.rivera)\n\
         \x20 - 14:22 UTC  Removed eu-2 from the upstream list (alex.morgan)\n\
         Next update: by 14:55 UTC\n\
         Incident commander: alex.morgan · Communications: sam.rivera · Scribe: sam.rivera\n"
    );
    let out = run(
        "2026-03-01T14:41:00Z",
        &[
            "incident",
            "status",
            ID,
            "mitigated",
            "--at",
            "2026-03-01T14:41:00Z",
            "--by",
            "alex.morgan",
            "--commit",
        ],
    );
    ok(&out);
    // The next update lists only what happened since the last one.
    let out = run(
        "2026-03-01T14:50:00Z",
        &[
            "incident",
            "update",
            ID,
            "--at",
            "2026-03-01T14:50:00Z",
            "--preview",
            "--format",
            "json",
        ],
    );
    let update: serde_json::Value = serde_json::from_str(&ok(&out)).unwrap();
    assert_eq!(update["status"], "mitigated");
    assert_eq!(update["previous_update"], "2026-03-01T14:25:00Z");
    assert_eq!(update["since_previous"][0]["kind"], "mitigated");
    assert_eq!(update["since_previous"].as_array().unwrap().len(), 1);
    assert_eq!(update["next_update"], "2026-03-01T15:20:00Z");
    let out = run(
        "2026-03-01T14:50:00Z",
        &[
            "incident",
            "update",
            ID,
            "--at",
            "2026-03-01T14:50:00Z",
            "--preview",
            "--format",
            "markdown",
            "--next",
            "1h",
        ],
    );
    assert_eq!(
        ok(&out),
        "**[SEV2] Checkout returns 502** (`2026-03-01-checkout-returns-502`)\n\n\
         **Status:** MITIGATED since 14:41 UTC (impact began 14:02 UTC, 48 min ago)  \n\
         **Affected:** `web-api`\n\n\
         **Since the last update at 14:25 UTC:**\n\n\
         - 14:41 UTC  Mitigated: customer impact has stopped. (alex.morgan)\n\n\
         **Next update: by 15:50 UTC**  \n\
         Incident commander: alex.morgan · Communications: sam.rivera · Scribe: sam.rivera\n"
    );
    let out = run(
        "2026-03-01T16:05:00Z",
        &[
            "incident",
            "status",
            ID,
            "resolved",
            "--at",
            "2026-03-01T16:05:00Z",
            "--by",
            "sam.rivera",
            "--commit",
        ],
    );
    ok(&out);

    // One commit per edit, dated when it was made, nothing left uncommitted.
    let log = git(dir, &["log", "--format=%an|%aI|%s"]);
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 12, "{log}");
    assert_eq!(
        lines[0],
        "sam.rivera|2026-03-01T16:05:00Z|incident 2026-03-01-checkout-returns-502: resolved at 2026-03-01T16:05:00Z"
    );
    assert_eq!(
        lines[10],
        "alex.morgan|2026-03-01T14:05:00Z|incident 2026-03-01-checkout-returns-502: declared SEV2: Checkout returns 502"
    );
    assert_eq!(git(dir, &["status", "--porcelain"]), "");

    let text = fs::read_to_string(dir.join(FILE)).unwrap();
    let timeline = &text[text.find("## Timeline").unwrap()..text.find("## Root cause").unwrap()];
    assert_eq!(
        timeline,
        "## Timeline\n\n### 2026-03-01\n\n\
         - 14:02Z [started] Started.\n\
         - 14:05Z [declared] (alex.morgan) Declared SEV2: Checkout returns 502.\n\
         - 14:07Z [finding] (sam.rivera) 38 % of checkout calls fail with 502\n\
         - 14:09:30Z [finding] (alex.morgan) All 502s come from upstream eu-2\n\
         - 14:12Z [decision] (alex.morgan) Roll back config web-api#1841\n\
         - 14:15Z [action] (sam.rivera) Rolled back config web-api#1841\n\
         - 14:20Z [finding] (sam.rivera) Error rate back under 0.1 %\n\
         - 14:22Z [action] (alex.morgan) Removed eu-2 from the upstream list\n\
         - 14:25Z [update] (sam.rivera) Status update sent: investigating; next update by 14:55 UTC.\n\
         - 14:41Z [mitigated] (alex.morgan) Mitigated: customer impact has stopped.\n\
         - 16:05Z [resolved] (sam.rivera) Resolved.\n\n"
    );
    let frontmatter = &text[..text[4..].find("---").unwrap() + 7];
    assert_eq!(
        frontmatter,
        "---\nid: 2026-03-01-checkout-returns-502\ntitle: \"Checkout returns 502\"\nseverity: SEV2\nstatus: resolved\nreview: draft\nservices: [web-api]\nstarted: 2026-03-01T14:02:00Z\ndetected: 2026-03-01T14:05:00Z\ndeclared: 2026-03-01T14:05:00Z\nmitigated: 2026-03-01T14:41:00Z\nresolved: 2026-03-01T16:05:00Z\ncommander: alex.morgan\nroles:\n  communications: sam.rivera\n  scribe: sam.rivera\nauthors: [alex.morgan]\ntriggers: []\naction_items: []\n---"
    );

    let out = binary::opsbook(
        dir,
        &["check", ".", "--git", "--now", "2026-03-02T00:00:00Z"],
    );
    assert_eq!(
        stdout(&out),
        "No problems found in 8 files.\n",
        "{}",
        stderr(&out)
    );
    assert_eq!(out.status.code(), Some(0));

    let out = binary::opsbook(
        dir,
        &[
            "stats",
            ".",
            "--format",
            "json",
            "--now",
            "2026-03-02T00:00:00Z",
        ],
    );
    let stats: serde_json::Value = serde_json::from_str(&ok(&out)).unwrap();
    let mean = |name: &str| {
        stats["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == name)
            .unwrap()["overall"]["mean"]
            .as_f64()
    };
    // 14:05 − 14:02, 14:41 − 14:02, 16:05 − 14:02, to the second.
    assert_eq!(mean("MTTD"), Some(180.0));
    assert_eq!(mean("MTTM"), Some(2340.0));
    assert_eq!(mean("MTTR"), Some(7380.0));
    assert_eq!(stats["time_points"]["frontmatter"], 5);
    // The one update at 14:25, 20 minutes after the declaration at 14:05.
    let updates = &stats["updates"];
    assert_eq!(updates["time_to_first_update"]["mean"], 1200.0);
    assert_eq!(updates["time_to_first_update"]["values"][0]["updates"], 1);
    assert_eq!(updates["update_cadence"]["count"], 0);
    assert_eq!(
        updates["update_cadence"]["left_out"][0]["reason"],
        "1 `[update]` entries in its timeline; a cadence needs two"
    );

    let out = binary::opsbook(
        dir,
        &[
            "build",
            ".",
            "-o",
            "site",
            "--now",
            "2026-03-02T00:00:00Z",
            "-q",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = fs::read_to_string(dir.join(format!("site/postmortems/{ID}.html"))).unwrap();
    let record = &page[page
        .find("<section class=\"incident-record\">")
        .expect("the record")..];
    let record = &record[..record.find("</section>").unwrap()];
    assert!(
        record.contains(
            "<h3 class=\"record-day\"><time datetime=\"2026-03-01\">2026-03-01</time></h3>"
        ),
        "{record}"
    );
    assert!(record.contains(
        "<li class=\"entry entry-finding\"><time datetime=\"2026-03-01T14:09:30Z\">14:09:30</time> <span class=\"entry-kind\">finding</span> <span class=\"entry-author\"><a href=\"../teams/sre.html\">alex.morgan</a></span> <span class=\"entry-text\">All 502s come from upstream eu-2</span></li>"
    ), "{record}");
    assert!(record.contains(
        "<li class=\"entry entry-mitigated milestone\"><time datetime=\"2026-03-01T14:41:00Z\">14:41</time> <span class=\"entry-kind\">mitigated</span>"
    ), "{record}");
    assert_eq!(record.matches("<li class=\"entry").count(), 11);
    assert!(
        page.contains(
            "<dt>communications</dt><dd><a href=\"../teams/sre.html\">sam.rivera</a></dd>"
        ),
        "roles"
    );

    let out = binary::opsbook(dir, &["incident", "list", "--now", "2026-03-02T00:00:00Z"]);
    assert_eq!(
        ok(&out),
        "ID                               SEVERITY  STATUS    AGE         ROLES                                                              LAST ENTRY\n\
         2026-03-01-checkout-returns-502  SEV2      resolved  2 h 03 min  commander=alex.morgan communications=sam.rivera scribe=sam.rivera  16:05Z Resolved.\n"
    );
    let out = binary::opsbook(dir, &["incident", "list", "--open"]);
    assert_eq!(ok(&out), "No open incidents.\n");
}

/// A postmortem written by hand: byte-order mark, CRLF, comments, odd quoting, keys in
/// an unusual order, a prose timeline before the structured one.
const HAND_WRITTEN: &str = "\u{feff}---\r\n# Written during the call; times from the chat log.\r\nid: PM-7   # the tracker's number\r\ntitle:   'Login: it''s slow'\r\nstatus: \"investigating\"\r\nseverity: SEV3\r\nservices:\r\n  - web-api   # the only one\r\nstarted: 2026-03-01T09:00:00+01:00\r\nroles: {scribe: sam.rivera}\r\ncommander: alex.morgan\r\n---\r\n\r\n## Summary\r\n\r\nLogins   take 9 s.\r\n\r\n## Timeline\r\n\r\n| Time | Event |\r\n|---|---|\r\n| 08:55 | deploy |\r\n\r\n### 2026-03-01\r\n\r\n- 08:10Z [finding] (sam.rivera) p99 at 9 s\r\n\r\n## Root cause\r\n\r\nTBD\r\n";

#[test]
fn a_hand_written_postmortem_keeps_every_other_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::create_dir(dir.join("postmortems")).unwrap();
    let path = dir.join("postmortems/login.md");
    fs::write(&path, HAND_WRITTEN).unwrap();

    let out = binary::opsbook(
        dir,
        &[
            "incident",
            "log",
            "PM-7",
            "Raised the pool size",
            "--kind",
            "action",
            "--by",
            "alex.morgan",
            "--at",
            "2026-03-01T08:20:00Z",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "postmortems/login.md: 08:20Z [action] (alex.morgan) Raised the pool size\n"
    );
    let expected = HAND_WRITTEN.replace(
        "p99 at 9 s\r\n",
        "p99 at 9 s\r\n- 08:20Z [action] (alex.morgan) Raised the pool size\r\n",
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), expected);

    let out = binary::opsbook(
        dir,
        &[
            "incident",
            "status",
            "PM-7",
            "mitigated",
            "--at",
            "2026-03-01T08:30:00Z",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = binary::opsbook(dir, &["incident", "role", "PM-7", "comms=carol"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let expected = expected
        .replace("status: \"investigating\"", "status: \"mitigated\"")
        .replace(
            "+01:00\r\n",
            "+01:00\r\nmitigated: 2026-03-01T08:30:00Z\r\n",
        )
        .replace("{scribe: sam.rivera}", "{scribe: sam.rivera, communications: carol}")
        .replace(
            "Raised the pool size\r\n",
            "Raised the pool size\r\n- 08:30Z [mitigated] Mitigated: customer impact has stopped.\r\n",
        );
    assert_eq!(fs::read_to_string(&path).unwrap(), expected);
    assert!(expected.starts_with('\u{feff}'));
    assert!(
        !expected.replace("\r\n", "").contains('\n'),
        "only CRLF line breaks"
    );
}

/// Runs a command that must be refused: exit 2, exactly `message` on stderr, and
/// every file of the folder unchanged.
fn refused(dir: &Path, args: &[&str], message: &str) {
    let before = snapshot(dir);
    let out = binary::opsbook(dir, args);
    assert_eq!(
        stderr(&out),
        format!("opsbook: error: {message}\n"),
        "{args:?}"
    );
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    assert_eq!(stdout(&out), "");
    assert_eq!(snapshot(dir), before, "{args:?} changed a file");
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = walk(dir);
    files.sort();
    files
}

fn walk(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push((path.display().to_string(), fs::read(&path).unwrap()));
        }
    }
    out
}

#[test]
fn bad_input_is_refused_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::create_dir(dir.join("postmortems")).unwrap();
    fs::write(dir.join("postmortems/login.md"), HAND_WRITTEN).unwrap();
    let resolved = "---\nid: PM-8\ntitle: Done\nseverity: SEV3\nstatus: resolved\nstarted: 2026-03-01T09:00:00Z\nresolved: 2026-03-01T10:00:00Z\n---\n## Timeline\n";
    fs::write(dir.join("postmortems/done.md"), resolved).unwrap();

    refused(
        dir,
        &["incident", "log", "PM-9", "x"],
        "no incident has the id `PM-9` (did you mean `PM-7`?)",
    );
    refused(
        dir,
        &["incident", "log", "PM-8", "forgot to say"],
        "postmortems/done.md: `PM-8` is resolved at 2026-03-01T10:00:00Z: log to it only with `--at TIME`, the time the entry happened (within the incident); nothing was written",
    );
    refused(
        dir,
        &[
            "incident",
            "log",
            "PM-7",
            "too early",
            "--at",
            "2026-03-01T07:59:00Z",
        ],
        "postmortems/login.md: refused: the timeline entry at 2026-03-01T07:59:00Z is before `started` (2026-03-01T09:00:00+01:00) [OB312] (fix the entry's time or date heading, or `started:`; events outside the incident belong in prose, not in timeline entries); nothing was written",
    );
    refused(
        dir,
        &["incident", "status", "PM-8", "mitigated"],
        "postmortems/done.md: `PM-8` is already resolved; to correct a time, edit `mitigated:` and its timeline entry by hand; nothing was written",
    );
    refused(
        dir,
        &["incident", "log", "PM-7", "x", "--at", "yesterday"],
        "--at `yesterday` is not a date (YYYY-MM-DD) or an RFC 3339 time such as 2026-03-01T12:00:00Z",
    );

    fs::write(
        dir.join("postmortems/broken.md"),
        "---\nid: PM-10\ntitle: \"unclosed\nseverity: SEV3\n---\n## Timeline\n",
    )
    .unwrap();
    refused(
        dir,
        &["incident", "log", "broken", "x"],
        "postmortems/broken.md:3:8: invalid YAML: invalid indentation in quoted scalar [OB006]; fix the file (`opsbook check` shows every problem), nothing was written",
    );
    fs::write(
        dir.join("postmortems/twin.md"),
        resolved.replace("PM-8", "PM-7"),
    )
    .unwrap();
    refused(
        dir,
        &["incident", "log", "PM-7", "x"],
        "the id `PM-7` is shared by `postmortems/login.md` and `postmortems/twin.md`: give each its own `id:` first",
    );
}
