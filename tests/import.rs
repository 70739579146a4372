//! `opsbook import` end to end: the real binary on the fixture repositories
//! `tests/fixtures/import-*` (a Hugo site, an MkDocs site, plain GitHub markdown) and on
//! broken input made in temp folders. The Hugo report is compared with
//! `tests/snapshots/import-hugo/report.txt`; `OPSBOOK_BLESS=1 cargo test --test import`
//! rewrites it (review the diff).

mod binary;

use binary::{opsbook, stdout};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const NOW: &str = "2024-06-01T00:00:00Z";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Imports `src` into `tmp/out`; returns the report.
fn import(tmp: &Path, src: &Path, extra: &[&str]) -> (Option<i32>, String) {
    let src = src.to_str().unwrap();
    let mut args = vec!["import", src, "--into", "out", "--now", NOW];
    args.extend(extra);
    let out = opsbook(tmp, &args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (out.status.code(), stdout(&out))
}

/// Every file below `dir` with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir(dir)
}

fn walkdir(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn hugo_site_keeps_its_urls_with_a_slug_permalink_and_aliases() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, report) = import(tmp.path(), &fixture("import-hugo"), &[]);
    assert_eq!(code, Some(0), "{report}");
    let out = tmp.path().join("out");
    assert_eq!(
        read(&out.join("handbook.yaml")),
        "title: Acme runbooks\nbase_url: \"https://runbooks.example.dev/\"\npermalinks:\n  runbook: \"runbooks/{slug}/\"\n  postmortem: \"postmortems/{slug}/\"\nrunbook_sections:\n  - Meaning\n  - Impact\n  - Diagnosis\n  - Mitigation\npostmortem_sections:\n  - Summary\n  - Timeline\n  - Root cause\n  - Action items\nalert_rules:\n  - rules/alerts.yml\n"
    );
    // TOML frontmatter, keys in their order; the body byte for byte.
    let pg = read(&out.join("runbooks/database/PostgresDown.md"));
    let source = read(&fixture(
        "import-hugo/content/runbooks/database/PostgresDown.md",
    ));
    assert_eq!(
        pg.split_once("\n---\n").unwrap().0,
        "---\ntitle: PostgresDown\nreviewed: 2024-01-15\nalerts:\n  - PostgresDown\nextra:\n  weight: 10\n  date: 2023-05-02\n  draft: false"
    );
    assert!(source.ends_with(pg.split_once("\n---\n").unwrap().1));
    // Hugo `aliases:` and `slug:` become aliases.
    assert!(
        read(&out.join("runbooks/api/ApiHighErrorRate.md"))
            .contains("aliases:\n  - /runbooks/apihigherrorrate/\n  - /alerts/api-errors/\n")
    );
    assert!(
        read(&out.join("runbooks/api/ApiLatencyHigh.md"))
            .contains("review_every: 180d\nalerts:\n  - ApiLatencyHigh\naliases:\n  - /runbooks/api/api-latency/\n")
    );
    // The image beside the runbook is copied unchanged; the rule file too.
    assert_eq!(
        std::fs::read(out.join("runbooks/api/request-path.png")).unwrap(),
        std::fs::read(fixture("import-hugo/content/runbooks/api/request-path.png")).unwrap()
    );
    assert!(report.contains(
        "  runbook_url: 5 in rules/alerts.yml; 4 reached a document before the import, 4 of them reach the same document now (100%)\n    already broken before the import: ApiSaturated https://runbooks.example.dev/runbooks/api/apisaturated/\n"
    ), "{report}");
}

#[test]
fn hugo_report_matches_its_snapshot() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, report) = import(tmp.path(), &fixture("import-hugo"), &[]);
    let actual = format!("exit: {}\n{report}", code.unwrap_or(-1));
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/import-hugo/report.txt");
    if std::env::var_os("OPSBOOK_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{} ({e}); run OPSBOOK_BLESS=1 cargo test --test import",
            path.display()
        )
    });
    assert_eq!(
        actual, expected,
        "run OPSBOOK_BLESS=1 cargo test --test import and review the diff"
    );
}

#[test]
fn mkdocs_site_keeps_case_review_keys_and_its_redirect_map() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, report) = import(tmp.path(), &fixture("import-mkdocs"), &[]);
    assert_eq!(code, Some(0), "{report}");
    let out = tmp.path().join("out");
    assert_eq!(
        read(&out.join("handbook.yaml")),
        "title: Platform operations\nbase_url: \"https://ops.example.dev/\"\npermalinks:\n  runbook: \"runbooks/{path}/\"\n  postmortem: \"postmortems/{path}/\"\nrunbook_sections:\n  - Summary\n  - Symptoms\n  - Diagnosis\n  - Resolution\npostmortem_sections:\n  - Summary\n  - Timeline\n  - Root cause\n  - Action items\nalert_rules:\n  - prometheus/rules.yaml\n"
    );
    assert_eq!(
        read(&out.join("runbooks/node/NodeFilesystemAlmostFull.md"))
            .split_once("\n---\n")
            .unwrap()
            .0,
        "---\ntitle: NodeFilesystemAlmostFull\nowner: platform\nreviewed: 2024-03-01\nreview_every: 180d\nalerts:\n  - NodeFilesystemAlmostFull\n  - NodeDiskFull\naliases:\n  - /runbooks/DiskFull/\nextra:\n  severity: warning"
    );
    assert!(report.contains(
        "Could not map (1):\n  docs/runbooks/kafka/KafkaConsumerLag.md: `last_reviewed_on: sometime in 2023`: `sometime in 2023` is not a date; kept as extra.last_reviewed_on\n"
    ), "{report}");
    assert!(
        report.contains(
            "4 reached a document before the import, 4 of them reach the same document now (100%)"
        ),
        "{report}"
    );
}

#[test]
fn plain_markdown_without_frontmatter_keeps_its_paths() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, report) = import(tmp.path(), &fixture("import-plain"), &[]);
    assert_eq!(code, Some(0), "{report}");
    let out = tmp.path().join("out");
    assert_eq!(
        read(&out.join("handbook.yaml")),
        "runbook_sections:\n  - Meaning\n  - Impact\n  - Diagnosis\n  - Mitigation\nalert_rules:\n  - alerts/kubernetes.rules.yml\n"
    );
    let source = read(&fixture(
        "import-plain/runbooks/kubernetes/KubePodCrashLooping.md",
    ));
    assert_eq!(
        read(&out.join("runbooks/kubernetes/KubePodCrashLooping.md")),
        format!("---\ntitle: KubePodCrashLooping\nalerts:\n  - KubePodCrashLooping\n---\n{source}")
    );
    // The folder's README is a page, out of runbooks/.
    assert!(out.join("pages/runbooks.md").is_file());
    assert!(
        report.contains(
            "3 reached a document before the import, 3 of them reach the same document now (100%)"
        ),
        "{report}"
    );
    // Its links follow the move.
    assert_eq!(
        read(&out.join("pages/runbooks.md")),
        "---\ntitle: Runbook index\n---\n# Runbook index\n\n- [kubernetes](../runbooks/kubernetes/)\n- [node](../runbooks/node/)\n"
    );
    // The check is a to-do list: no missing sections, no links broken by the import;
    // only the GitHub runbook_urls, outside the handbook, remain.
    assert!(report.ends_with(
        "opsbook check on the imported handbook (7 files): 4 findings to work through\n  OB404 external-runbook-url     4 warnings: A `runbook_url` points outside the handbook.\n"
    ), "{report}");
}

#[test]
fn a_second_run_changes_nothing_and_a_dry_run_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, dry) = import(tmp.path(), &fixture("import-hugo"), &["--dry-run"]);
    assert!(!tmp.path().join("out").exists(), "a dry run writes nothing");
    let (_, first) = import(tmp.path(), &fixture("import-hugo"), &[]);
    let strip = |r: &str| {
        r.lines()
            .filter(|l| !l.starts_with("Dry run") && !l.starts_with("Wrote"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        strip(&dry),
        strip(&first),
        "the dry run prints the same report"
    );
    assert!(
        dry.contains("Dry run: 10 files would be written into out/; nothing was written."),
        "{dry}"
    );
    let before = tree(&tmp.path().join("out"));
    let (code, second) = import(tmp.path(), &fixture("import-hugo"), &[]);
    assert_eq!(code, Some(0));
    assert!(
        second.contains(
            "Nothing written: all 10 files are already in out/ as this import writes them."
        ),
        "{second}"
    );
    assert_eq!(tree(&tmp.path().join("out")), before, "byte for byte");
}

#[test]
fn existing_files_with_other_content_are_kept() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("out")).unwrap();
    std::fs::write(tmp.path().join("out/handbook.yaml"), "title: Ours\n").unwrap();
    let (code, report) = import(tmp.path(), &fixture("import-plain"), &[]);
    assert_eq!(code, Some(1));
    assert_eq!(read(&tmp.path().join("out/handbook.yaml")), "title: Ours\n");
    assert!(
        report
            .contains("Not overwritten (1 files already there with other content): handbook.yaml"),
        "{report}"
    );
}

#[test]
fn bad_input_is_reported_by_file_and_nothing_is_lost() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    let write = |rel: &str, bytes: &[u8]| {
        let path = src.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    };
    let runbook = b"# Disk\n\n## Meaning\n\nFull.\n\n## Mitigation\n\nClean.\n";
    write("runbooks/db/DiskFull.md", runbook);
    write("runbooks/api/DiskFull.md", runbook);
    write("runbooks/Binary.md", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    write(
        "runbooks/Latin.md",
        b"# Caf\xe9\n\n## Meaning\n\nd\xe9j\xe0 vu\n",
    );
    write("runbooks/Locked.md", runbook);
    write(
        "runbooks/Broken.md",
        b"---\ntitle: [unclosed\n---\n# Broken\n",
    );
    let locked = src.join("runbooks/Locked.md");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads files whatever their mode: then there is nothing unreadable to report.
    let unreadable = std::fs::read(&locked).is_err();

    let (code, report) = import(tmp.path(), &src, &[]);
    assert_eq!(code, Some(1), "{report}");
    let problems = report
        .split("\nProblems (")
        .nth(1)
        .unwrap()
        .split("\n\n")
        .next()
        .unwrap();
    let mut expected = vec![
        "runbooks/Binary.md: binary data, not markdown: copied as it is to runbooks/Binary.md".to_string(),
        "runbooks/Broken.md: YAML frontmatter, line 3: while parsing a flow sequence, expected ',' or ']': its frontmatter is kept as text under extra.frontmatter".to_string(),
        "runbooks/Latin.md: not UTF-8 text (line 1): copied as it is to runbooks/Latin.md; convert it (e.g. `iconv -f latin1 -t utf-8`) and import it again".to_string(),
    ];
    if unreadable {
        expected.push(
            "runbooks/Locked.md: cannot be read (Permission denied (os error 13)): not imported"
                .to_string(),
        );
    }
    expected.push("runbooks/db/DiskFull.md: duplicate runbook id `DiskFull` (also runbooks/api/DiskFull.md): given `id: db-DiskFull`".to_string());
    let lines: Vec<String> = problems
        .lines()
        .skip(1)
        .map(|l| l.trim_start().to_string())
        .collect();
    assert_eq!(lines, expected, "{report}");
    let out = tmp.path().join("out");
    assert_eq!(
        std::fs::read(out.join("runbooks/Binary.md")).unwrap(),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"
    );
    assert_eq!(
        std::fs::read(out.join("runbooks/Latin.md")).unwrap(),
        b"# Caf\xe9\n\n## Meaning\n\nd\xe9j\xe0 vu\n"
    );
    assert!(
        read(&out.join("runbooks/db/DiskFull.md"))
            .starts_with("---\ntitle: Disk\nid: db-DiskFull\n---\n")
    );
    assert!(read(&out.join("runbooks/api/DiskFull.md")).starts_with("---\ntitle: Disk\n---\n"));
    assert!(
        read(&out.join("runbooks/Broken.md"))
            .contains("extra:\n  frontmatter: |\n    title: [unclosed\n"),
        "the broken frontmatter is kept as text"
    );
    let before = tree(&out);
    let (_, second) = import(tmp.path(), &src, &[]);
    assert!(second.contains("Nothing written"), "{second}");
    assert_eq!(tree(&out), before, "the second run changes nothing");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).unwrap();
}

#[test]
fn refuses_a_missing_folder_and_importing_into_itself() {
    let tmp = tempfile::tempdir().unwrap();
    let out = opsbook(tmp.path(), &["import", "nowhere", "--into", "out"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        binary::stderr(&out),
        "opsbook: error: cannot import `nowhere`\n  caused by: `nowhere` is not a folder\n"
    );
    std::fs::create_dir(tmp.path().join("site")).unwrap();
    let out = opsbook(tmp.path(), &["import", "site", "--into", "site"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        binary::stderr(&out)
            .ends_with("`site` is the folder being imported: choose another with --into\n"),
        "{}",
        binary::stderr(&out)
    );
    assert!(!tmp.path().join("out").exists());
}

/// The alerts whose `runbook_url` `opsbook check` reports as OB403 in the handbook at `dir`.
fn broken_runbook_urls(cwd: &Path, dir: &str) -> Vec<String> {
    let out = opsbook(cwd, &["check", dir, "--format", "json", "--now", NOW]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let mut alerts: Vec<String> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "OB403")
        .map(|d| {
            let message = d["message"].as_str().unwrap();
            message.split('`').nth(3).unwrap_or(message).to_string()
        })
        .collect();
    alerts.sort();
    alerts
}

#[test]
fn after_the_import_check_reports_only_the_runbook_urls_that_were_already_broken() {
    // Each fixture's rule file has one URL that reached no page on the old site either.
    for (name, broken) in [
        ("import-hugo", "ApiSaturated"),
        ("import-mkdocs", "KafkaBrokerDown"),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let (code, report) = import(tmp.path(), &fixture(name), &[]);
        assert_eq!(code, Some(0), "{report}");
        assert_eq!(broken_runbook_urls(tmp.path(), "out"), [broken], "{name}");
        // Each runbook an alert's URL reaches lists the alert: no OB408 to sort out.
        let out = opsbook(
            tmp.path(),
            &["check", "out", "--format", "json", "--now", NOW],
        );
        assert!(
            !stdout(&out).contains("\"OB408\""),
            "{name}: {}",
            stdout(&out)
        );
    }
}
