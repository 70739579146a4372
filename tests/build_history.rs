//! `opsbook build` with git history: a real repository in a temp folder with controlled
//! author and committer dates (and time zones). The statistics page shows exactly the
//! figures of `opsbook stats --format json`, including the time-points only git gives,
//! with their sources; runbook freshness falls back to the last commit.

// The history crate's repository helpers: one way to make dated commits in tests.
#[path = "../crates/opsbook-history/tests/common/mod.rs"]
mod common;

use common::{git_in as git, postmortem};
use std::path::Path;
mod binary;

use binary::opsbook;

const NOW: &str = "2026-06-01T00:00:00Z";

fn commit(dir: &Path, message: &str, author: &str, committer: &str) -> String {
    git(dir, &["add", "-A"], None);
    git(
        dir,
        &["commit", "-q", "-m", message],
        Some((author, committer)),
    );
    git(dir, &["rev-parse", "HEAD"], None).trim().to_string()
}

fn write(dir: &Path, path: &str, text: &str) {
    let full = dir.join(path);
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    std::fs::write(full, text).unwrap();
}

struct Handbook {
    dir: tempfile::TempDir,
    resolved: String,
    published: String,
    runbook: String,
}

/// PM-1 states only `started` and `detected` and is opened, mitigated, resolved and
/// published in four commits; PM-2 states every time-point but `published`.
fn handbook() -> Handbook {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"], None);
    write(d, "handbook.yaml", "title: Test\n");
    let pm1 = |status, review| {
        postmortem(
            "SEV2",
            "api",
            status,
            review,
            "started: 2026-03-01T07:00:00Z\ndetected: 2026-03-01T07:10:00Z\n",
        )
    };
    write(d, "postmortems/PM-1.md", &pm1("investigating", "draft"));
    commit(
        d,
        "open PM-1",
        "2026-03-01T10:05:00+02:00",
        "2026-03-01T12:00:00+02:00",
    );
    write(d, "postmortems/PM-1.md", &pm1("mitigated", "draft"));
    let t = "2026-03-01T15:30:00-05:00"; // 20:30 UTC
    commit(d, "PM-1 mitigated", t, t);
    write(d, "postmortems/PM-1.md", &pm1("resolved", "draft"));
    // Committed 2026-03-02 03:30 UTC: the commit time counts.
    let resolved = commit(
        d,
        "PM-1 resolved",
        "2026-03-02T01:00:00+09:00",
        "2026-03-02T09:00:00+05:30",
    );
    write(d, "postmortems/PM-1.md", &pm1("resolved", "published"));
    let t = "2026-03-10T12:00:00Z";
    let published = commit(d, "PM-1 published", t, t);
    write(
        d,
        "postmortems/PM-2.md",
        &postmortem(
            "SEV1",
            "api, db",
            "resolved",
            "published",
            "started: 2026-03-31T23:50:00-07:00\ndetected: 2026-04-01T07:20:00Z\nacknowledged: 2026-04-01T07:25:00Z\ndeclared: 2026-04-01T07:30:00Z\nmitigated: 2026-04-01T08:00:00Z\nresolved: 2026-04-01T10:50:00Z\n",
        ),
    );
    let t = "2026-04-15T00:00:00Z";
    commit(d, "PM-2", t, t);
    write(
        d,
        "runbooks/no-review.md",
        "---\ntitle: Never formally reviewed\n---\n## Summary\n\nRestart it.\n",
    );
    write(
        d,
        "runbooks/reviewed.md",
        "---\ntitle: Reviewed\nreviewed: 2026-05-20\n---\n## Summary\n\nRestart it.\n",
    );
    let t = "2026-05-02T08:00:00+02:00";
    let runbook = commit(d, "runbooks", t, t);
    Handbook {
        dir,
        resolved,
        published,
        runbook,
    }
}

/// The exact seconds (`<data value>`) of the headline of the metric `key` on the
/// statistics page: [median, mean, p90], and the count.
fn headline(html: &str, key: &str) -> (Vec<f64>, usize) {
    let start = html
        .find(&format!("data-metric=\"{key}\""))
        .unwrap_or_else(|| panic!("no section for {key}"));
    let section = &html[start..];
    let section = &section[..section.find("</section>").unwrap()];
    let line = &section[section.find("class=\"headline\"").expect("headline")..];
    let line = &line[..line.find("</p>").unwrap()];
    let values = line
        .split("<data value=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].parse().unwrap())
        .collect();
    let count = line.split("<span class=\"count\">").nth(1).unwrap();
    let count = count[..count.find('<').unwrap()].parse().unwrap();
    (values, count)
}

#[test]
fn the_statistics_page_shows_the_figures_of_opsbook_stats_with_git_time_points() {
    let hb = handbook();
    let d = hb.dir.path();
    let out = opsbook(d, &["build", "--now", NOW, "--allow-errors"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(d.join("_site/stats.html")).unwrap();
    let out = opsbook(d, &["stats", "--format", "json", "--now", NOW]);
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();

    // Every metric with a value: the page's count, median, mean and p90 equal the JSON's.
    let metrics = json["metrics"].as_array().unwrap();
    assert!(metrics.len() >= 5);
    for m in metrics {
        let key = m["name"].as_str().unwrap();
        let o = &m["overall"];
        let count = o["count"].as_u64().unwrap() as usize;
        if count == 0 {
            assert!(html.contains(&format!("data-metric=\"{key}\"")));
            continue;
        }
        let want: Vec<f64> = ["median", "mean", "p90"]
            .iter()
            .map(|f| o[f].as_f64().unwrap())
            .collect();
        assert_eq!(headline(&html, key), (want, count), "{key}");
    }

    // Exact figures (see crates/opsbook-history/tests/figures.rs): MTTR is 73 800 s for
    // PM-1 (resolved from git) and 14 400 s for PM-2.
    assert_eq!(
        headline(&html, "MTTR"),
        (vec![44_100.0, 44_100.0, 67_860.0], 2)
    );
    // Postmortem lead time, only git knows `published`: PM-1 2026-03-10T12:00Z −
    // 2026-03-02T03:30Z = 721 800 s; PM-2 2026-04-15T00:00Z − 2026-04-01T10:50Z = 1 170 600 s.
    let lead = metrics
        .iter()
        .find(|m| m["formula"].as_str().unwrap().starts_with("published"))
        .unwrap();
    let lead_key = lead["name"].as_str().unwrap();
    assert_eq!(
        headline(&html, lead_key),
        (vec![946_200.0, 946_200.0, 1_125_720.0], 2)
    );

    // Sources: the git time-points name their commit; what the figures leave out is listed.
    let short = |c: &str| c[..10].to_string();
    assert!(
        html.contains(&format!(">git {}</span>", short(&hb.resolved))),
        "resolved from git"
    );
    assert!(html.contains(&format!(">git {}</span>", short(&hb.published))));
    assert!(html.contains(">frontmatter</span>"));
    assert!(html.contains("History mined up to commit"));
    // MTTA: PM-1 has no `acknowledged`.
    let mtta = &html[html.find("data-metric=\"MTTA\"").unwrap()..];
    let mtta = &mtta[..mtta.find("</section>").unwrap()];
    assert!(mtta.contains("1 incidents left out"), "{mtta}");
    assert!(mtta.contains("<span class=\"id\">PM-1</span>: "), "{mtta}");

    // The postmortem page says where each time-point came from.
    let pm1 = std::fs::read_to_string(d.join("_site/postmortems/PM-1.html")).unwrap();
    assert!(pm1.contains(&format!(">git {}</span>", short(&hb.resolved))));
    assert!(pm1.contains(">frontmatter</span>"));
    assert!(
        pm1.contains("20h 30m") || pm1.contains("20h30m"),
        "MTTR span"
    );

    // Freshness: `reviewed` when present, else the last commit, and the badge says which.
    let rb = std::fs::read_to_string(d.join("_site/runbooks/no-review.html")).unwrap();
    assert!(
        rb.contains(&format!("data-basis=\"{}\"", short(&hb.runbook))),
        "{rb}"
    );
    let label = format!(
        "Last changed 30 days ago (no `reviewed` date: by the last commit, {} on 2026-05-02)",
        short(&hb.runbook)
    );
    assert!(rb.contains(&label), "{rb}");
    let rb = std::fs::read_to_string(d.join("_site/runbooks/reviewed.html")).unwrap();
    assert!(rb.contains("data-basis=\"reviewed\""), "{rb}");
    assert!(rb.contains("Reviewed 12 days ago"), "{rb}");
}

#[test]
fn without_a_repository_build_warns_once_and_uses_the_frontmatter() {
    let hb = handbook();
    let plain = tempfile::tempdir().unwrap();
    for f in [
        "handbook.yaml",
        "postmortems/PM-1.md",
        "postmortems/PM-2.md",
    ] {
        write(
            plain.path(),
            f,
            &std::fs::read_to_string(hb.dir.path().join(f)).unwrap(),
        );
    }
    let out = opsbook(plain.path(), &["build", "--now", NOW, "--allow-errors"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(err.matches("not in a git repository").count(), 1, "{err}");
    let html = std::fs::read_to_string(plain.path().join("_site/stats.html")).unwrap();
    assert!(html.contains("No git history was read"));
    assert!(!html.contains(">git "));
    // MTTR: PM-1 is resolved but its `resolved` time is only in git.
    assert_eq!(
        headline(&html, "MTTR"),
        (vec![14_400.0, 14_400.0, 14_400.0], 1)
    );
}

#[test]
fn check_git_runs_the_history_checks_and_plain_check_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"], None);
    write(d, "handbook.yaml", "title: Test\n");
    write(
        d,
        "runbooks/old.md",
        "---\ntitle: Old\n---\n## Summary\n\nRestart it.\n",
    );
    let pm3 = |status| {
        postmortem(
            "SEV2",
            "api",
            status,
            "draft",
            "started: 2026-03-01T07:00:00Z\n",
        )
    };
    write(d, "postmortems/PM-3.md", &pm3("investigating"));
    let t = "2026-01-02T12:00:00Z";
    let runbook = commit(d, "start", t, t);
    write(d, "postmortems/PM-3.md", &pm3("resolved"));
    // Frontmatter says resolved at 10:00, but the file said so in a commit at 09:00.
    write(
        d,
        "postmortems/PM-4.md",
        &postmortem(
            "SEV2",
            "api",
            "resolved",
            "published",
            "started: 2026-03-05T07:00:00Z\nresolved: 2026-03-05T10:00:00Z\n",
        ),
    );
    let t = "2026-03-05T09:00:00Z";
    let resolved = commit(d, "PM-3 resolved, PM-4", t, t);

    let plain = opsbook(d, &["check", "--now", NOW]);
    let text = String::from_utf8_lossy(&plain.stdout);
    for code in ["OB301", "OB305", "OB309"] {
        assert!(!text.contains(code), "{code} without --git: {text}");
    }
    let out = opsbook(d, &["check", "--git", "--now", NOW]);
    let text = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains(&format!(
            "the runbook has no `reviewed` date and its file was last changed by commit {} on 2026-01-02",
            &runbook[..10]
        )),
        "{text}{err}"
    );
    assert!(text.contains("OB301") && text.contains("OB309"), "{text}");
    assert!(
        text.contains(&format!(
            "the postmortem is still not published 87 days after the incident was resolved (due within 30d; `resolved` from git: the first commit with `status: resolved`, {} at 2026-03-05T09:00:00Z)",
            &resolved[..10]
        )),
        "{text}"
    );
    assert!(text.contains("OB305"), "{text}");

    // --explain says which checks need git.
    let out = opsbook(d, &["check", "--explain", "OB301"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("opsbook check --git"));
}

#[test]
fn error_budgets_and_the_postmortem_index_use_git_times_where_the_frontmatter_is_silent() {
    let hb = handbook();
    let d = hb.dir.path();
    // PM-0 states no time at all: git dates it by the commit that added it (2026-05-05),
    // so it heads the index, which lists the most recent incident first.
    write(
        d,
        "postmortems/PM-0.md",
        &postmortem("SEV3", "web", "investigating", "draft", ""),
    );
    let t = "2026-05-05T00:00:00Z";
    commit(d, "open PM-0", t, t);
    // Left uncommitted: the work tree's content counts.
    write(
        d,
        "slas/api-sla.md",
        "---\nservice: api\nwindow: 120d\nslos:\n  - name: availability\n    sli: ok / total\n    objective: 99.9\n---\n",
    );
    // The incidents name no `slo_impact`: charged to every SLO because handbook.yaml says so.
    write(
        d,
        "handbook.yaml",
        "title: Test\nstats:\n  charge_without_slo_impact: [SEV1, SEV2]\n",
    );
    let out = opsbook(d, &["build", "--now", NOW, "--allow-errors"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let sla = std::fs::read_to_string(d.join("_site/slas/api-sla.html")).unwrap();
    // Budget: 0.1 % of 120 days = 172.8 min (2h 52m 48s). Consumed: PM-1 from `started`
    // 07:00 to `mitigated` 20:30 (git) = 810 min, PM-2 06:50 → 08:00 = 70 min; 880 min
    // (14h 40m) / 172.8 = 509 %, 5.1 times the budget.
    assert!(sla.contains(">2h 52m<"), "{sla}");
    assert!(
        sla.contains("14h 40m · budget exhausted (5.1× over)"),
        "{sla}"
    );
    assert!(sla.contains("times from git for: PM-1</small>"), "{sla}");
    assert!(!sla.contains("left out:"), "{sla}");
    // The index: PM-1 lasted from 07:00 to `resolved` from git (2026-03-02T03:30Z), and
    // says the figure leans on git.
    let index = std::fs::read_to_string(d.join("_site/postmortems/index.html")).unwrap();
    let order: Vec<usize> = ["PM-0", "PM-2", "PM-1"]
        .iter()
        .map(|id| {
            index
                .find(&format!("data-title=\"An incident {id}\""))
                .unwrap()
        })
        .collect();
    assert!(order.is_sorted(), "most recent first: {order:?}");
    assert!(
        index.contains("data-date=\"2026-05-05T00:00:00Z\""),
        "PM-0 began when git says it was declared"
    );
    let row = &index[index
        .find("data-title=\"An incident PM-1\"")
        .expect("PM-1 row")..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("data-duration=\"1230\""), "{row}");
    assert!(row.contains("20h 30m"), "{row}");
    assert!(
        row.contains(&format!(">git {}</span>", &hb.resolved[..10])),
        "{row}"
    );

    // The feed: PM-1 was last updated when a commit published it.
    let feed = std::fs::read_to_string(d.join("_site/feed.xml")).unwrap();
    let entry = &feed[feed
        .find("urn:opsbook:postmortem:PM-1<")
        .expect("PM-1 entry")..];
    let entry = &entry[..entry.find("</entry>").unwrap()];
    assert!(
        entry.contains("<updated>2026-03-10T12:00:00Z</updated>"),
        "{entry}"
    );

    // Without the repository, PM-1 has no end: it is named with the reason, not counted.
    let plain = tempfile::tempdir().unwrap();
    for f in [
        "handbook.yaml",
        "postmortems/PM-1.md",
        "postmortems/PM-2.md",
        "slas/api-sla.md",
    ] {
        write(
            plain.path(),
            f,
            &std::fs::read_to_string(d.join(f)).unwrap(),
        );
    }
    let out = opsbook(plain.path(), &["build", "--now", NOW, "--allow-errors"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let sla = std::fs::read_to_string(plain.path().join("_site/slas/api-sla.html")).unwrap();
    assert!(sla.contains("1h 10m · 41 %"), "{sla}");
    assert!(
        sla.contains(
            "left out: PM-1 (`status: resolved`, but no `mitigated` or `resolved` time is known: the impact has no end)</small>"
        ),
        "{sla}"
    );
}

#[test]
fn check_git_reports_history_notes_as_ob310_in_every_format_at_the_handbooks_level() {
    // Outside a repository: one OB310 in the JSON report, pointing at handbook.yaml.
    let plain = tempfile::tempdir().unwrap();
    write(plain.path(), "handbook.yaml", "title: Test\n");
    write(
        plain.path(),
        "pages/about.md",
        "---\ntitle: About\n---\nHello.\n",
    );
    let out = opsbook(plain.path(), &["check", "--git", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(&str, &str, &str)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap(),
                d["level"].as_str().unwrap(),
                d["file"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(found, [("OB310", "warning", "handbook.yaml")]);
    assert!(
        json["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .ends_with("is not in a git repository: times come from the frontmatter only"),
        "{json}"
    );

    // A team that needs history in CI raises it to an error: the job fails.
    write(
        plain.path(),
        "handbook.yaml",
        "title: Test\nrules:\n  OB310: error\n",
    );
    let out = opsbook(plain.path(), &["check", "--git", "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "OB310");
    assert_eq!(result["level"], "error");

    // A shallow clone (as CI checkouts are by default) says where history stops and how
    // to fetch the rest.
    let hb = handbook();
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", hb.dir.path().display());
    git(
        clone.path(),
        &["clone", "-q", "--depth", "1", &url, "shallow"],
        None,
    );
    let out = opsbook(
        &clone.path().join("shallow"),
        &["check", "--git", "--now", NOW],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("warning[OB310]: "), "{text}");
    assert!(text.contains("shallow"), "{text}");
    assert!(
        text.contains("= help: fetch the whole history: `git fetch --unshallow`; in GitHub Actions `actions/checkout` with `fetch-depth: 0`, in GitLab CI `GIT_DEPTH: 0`"),
        "{text}"
    );
}

#[test]
fn build_keeps_the_history_cache_unless_told_not_to() {
    let hb = handbook();
    let d = hb.dir.path();
    let cache = d.join(".git/opsbook-cache");
    let out = opsbook(d, &["build", "--no-cache", "--now", NOW, "--allow-errors"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(!cache.exists(), "--no-cache writes no cache");
    let out = opsbook(d, &["build", "--now", NOW, "--allow-errors"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        cache.is_dir(),
        "the default keeps the mined facts for the next run"
    );
}
