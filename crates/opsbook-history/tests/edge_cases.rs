//! Git edge cases: renames, merges, shallow clones, a handbook in a subfolder, no
//! repository, an unborn branch, uncommitted changes, and the cache.

mod common;

use common::{Repo, git_in, postmortem, report};
use opsbook_core::config::TimePoint;
use opsbook_history::{MineOptions, mine};
use opsbook_stats::{Note, Source};

fn mttr_of(report: &opsbook_stats::StatsReport, id: &str) -> f64 {
    let m = report.metrics.iter().find(|m| m.name == "MTTR").unwrap();
    m.values.iter().find(|v| v.incident == id).unwrap().seconds
}

fn started(status: &str, review: &str) -> String {
    postmortem(
        "SEV2",
        "api",
        status,
        review,
        "started: 2026-01-10T10:00:00Z\n",
    )
}

#[test]
fn renamed_files_keep_their_history() {
    let repo = Repo::new("");
    repo.write("postmortems/PM-7.md", &started("investigating", "draft"));
    repo.commit_at("open", "2026-01-10T11:00:00+01:00"); // 10:00Z
    repo.git(&[
        "mv",
        "postmortems/PM-7.md",
        "postmortems/PM-7-api-outage.md",
    ]);
    let mut text = started("mitigated", "draft");
    text.push_str("\nMore detail.\n");
    repo.write("postmortems/PM-7-api-outage.md", &text);
    repo.commit_at("rename and mitigate", "2026-01-10T12:00:00Z");
    // A move into another folder, then resolution.
    std::fs::create_dir_all(repo.handbook.join("postmortems/2026")).unwrap();
    repo.git(&[
        "mv",
        "postmortems/PM-7-api-outage.md",
        "postmortems/2026/PM-7-api-outage.md",
    ]);
    repo.commit_at("move", "2026-01-10T13:00:00Z");
    repo.write(
        "postmortems/2026/PM-7-api-outage.md",
        &(started("resolved", "draft") + "\nMore detail.\n"),
    );
    repo.commit_at("resolve", "2026-01-10T15:30:00Z");

    let (report, mined, _) = report(&repo.handbook, "2026-02-01T00:00:00Z");
    let history = mined.history.unwrap();
    let facts = history.doc("postmortems/2026/PM-7-api-outage.md").unwrap();
    assert_eq!(
        facts.renamed_from,
        ["postmortems/PM-7.md", "postmortems/PM-7-api-outage.md"]
    );
    assert_eq!(facts.changes, 4);
    assert_eq!(
        facts.added.as_ref().unwrap().author_time.to_string(),
        "2026-01-10T11:00:00+01:00"
    );
    assert!(history.doc("postmortems/PM-7.md").is_none());
    // declared comes from the first commit under the first name.
    assert_eq!(mttr_of(&report, "PM-7-api-outage"), 5.5 * 3600.0);
    let mttm = report.metrics.iter().find(|m| m.name == "MTTM").unwrap();
    assert_eq!(mttm.values[0].seconds, 2.0 * 3600.0);
}

#[test]
fn a_merge_credits_the_branch_commit() {
    let repo = Repo::new("");
    repo.write("postmortems/PM-1.md", &started("investigating", "draft"));
    repo.commit_at("open", "2026-01-10T10:30:00Z");
    repo.git(&["checkout", "-q", "-b", "fix"]);
    repo.write("postmortems/PM-1.md", &started("resolved", "draft"));
    repo.write("runbooks/api.md", "---\ntitle: API\n---\n## Summary\n\nx\n");
    let branch = repo.commit_at("resolve on a branch", "2026-01-10T14:00:00-03:00"); // 17:00Z
    repo.git(&["checkout", "-q", "main"]);
    repo.write("docs/notes.md", "---\ntitle: Notes\n---\n# Notes\n");
    repo.commit_at("unrelated", "2026-01-11T09:00:00Z");
    git_in(
        repo.root(),
        &["merge", "-q", "--no-ff", "-m", "merge fix", "fix"],
        Some(("2026-01-12T09:00:00Z", "2026-01-12T09:00:00Z")),
    );
    let (report, mined, _) = report(&repo.handbook, "2026-02-01T00:00:00Z");
    let history = mined.history.unwrap();
    assert_eq!(history.commits_walked, 4);
    let pm = history.doc("postmortems/PM-1.md").unwrap();
    assert_eq!(pm.changes, 2); // the merge itself changed nothing of its own
    let resolved = pm.postmortem.as_ref().unwrap().resolved.as_ref().unwrap();
    assert_eq!(resolved.commit().unwrap().id, branch);
    assert_eq!(
        history
            .doc("runbooks/api.md")
            .unwrap()
            .added
            .as_ref()
            .unwrap()
            .id,
        branch
    );
    assert_eq!(mttr_of(&report, "PM-1"), 7.0 * 3600.0);
}

#[test]
fn a_shallow_clone_says_where_history_stops() {
    let origin = Repo::new("");
    origin.write("postmortems/PM-3.md", &started("investigating", "draft"));
    origin.commit_at("open", "2026-01-10T10:10:00Z");
    origin.write("runbooks/a.md", "---\ntitle: A\n---\n## Summary\n\nx\n");
    origin.commit_at("runbook", "2026-01-10T10:20:00Z");
    origin.write("postmortems/PM-3.md", &started("mitigated", "draft"));
    let boundary = origin.commit_at("mitigate", "2026-01-10T11:00:00Z");
    origin.write("postmortems/PM-3.md", &started("resolved", "draft"));
    origin.commit_at("resolve", "2026-01-10T12:00:00Z");

    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", origin.root().display());
    git_in(
        clone.path(),
        &["clone", "-q", "--depth", "2", &url, "c"],
        None,
    );
    let dir = clone.path().join("c");
    let (report, mined, _) = report(&dir, "2026-02-01T00:00:00Z");
    let stops = mined.notes.iter().find_map(|n| match n {
        Note::Shallow(commits) => Some(commits.clone()),
        _ => None,
    });
    assert_eq!(stops.unwrap()[0].id, boundary);
    let history = mined.history.unwrap();
    assert_eq!(history.commits_walked, 2);
    let pm = history.doc("postmortems/PM-3.md").unwrap();
    assert!(pm.added_before_history && pm.added.is_none());
    // Resolution happened after the boundary: known. Mitigation and opening: before it.
    assert_eq!(mttr_of(&report, "PM-3"), 2.0 * 3600.0);
    let mttm = report.metrics.iter().find(|m| m.name == "MTTM").unwrap();
    assert!(
        mttm.left_out[0]
            .reason
            .contains("shallow clone's history stops"),
        "{:?}",
        mttm.left_out
    );
    assert!(mttm.left_out[0].reason.contains(&boundary[..10]));
}

#[test]
fn a_handbook_in_a_subfolder_of_a_larger_repository() {
    let repo = Repo::new("docs/handbook");
    std::fs::write(repo.root().join("main.c"), "int main() {}\n").unwrap();
    repo.commit_at("code", "2026-01-01T00:00:00Z");
    repo.write("postmortems/PM-4.md", &started("investigating", "draft"));
    std::fs::write(repo.root().join("README.md"), "# Outside the handbook\n").unwrap();
    repo.commit_at("open", "2026-01-10T10:45:00Z");
    std::fs::write(repo.root().join("main.c"), "int main() { return 1; }\n").unwrap();
    repo.commit_at("more code", "2026-01-10T11:00:00Z");
    repo.write("postmortems/PM-4.md", &started("resolved", "draft"));
    repo.commit_at("resolve", "2026-01-10T13:15:00Z");
    let (report, mined, _) = report(&repo.handbook, "2026-02-01T00:00:00Z");
    let history = mined.history.unwrap();
    assert_eq!(history.prefix, "docs/handbook");
    assert_eq!((history.commits_walked, history.commits_changing), (4, 2));
    assert!(
        history.doc("README.md").is_none(),
        "files outside the handbook are not mined"
    );
    assert_eq!(mttr_of(&report, "PM-4"), 3.25 * 3600.0);
}

#[test]
fn no_repository_means_frontmatter_only() {
    let dir = Repo::plain();
    dir.write(
        "postmortems/PM-5.md",
        &postmortem(
            "SEV1",
            "api",
            "resolved",
            "published",
            "started: 2026-01-10T10:00:00Z\nresolved: 2026-01-10T10:00:59Z\n",
        ),
    );
    let (report, mined, _) = report(&dir.handbook, "2026-02-01T00:00:00Z");
    assert!(mined.history.is_none());
    assert!(matches!(mined.notes.as_slice(), [Note::NoRepository(_)]));
    assert_eq!(mttr_of(&report, "PM-5"), 59.0);
    let lead = report
        .metrics
        .iter()
        .find(|m| m.name == "postmortem_lead_time")
        .unwrap();
    assert_eq!(
        lead.left_out[0].reason,
        "no `published`: not in the frontmatter, and no git history to date it"
    );
}

#[test]
fn an_unborn_branch_and_uncommitted_changes() {
    let repo = Repo::new("");
    repo.write("postmortems/PM-6.md", &started("investigating", "draft"));
    let mined = mine(&repo.handbook, &MineOptions::default()).unwrap();
    assert!(matches!(mined.notes.as_slice(), [Note::UnbornBranch(b)] if b == "main"));

    repo.commit_at("open", "2026-01-10T10:20:00Z");
    // Resolved on disk only: the content is the file's, the dates git's.
    repo.write("postmortems/PM-6.md", &started("resolved", "draft"));
    let (report, _, _) = report(&repo.handbook, "2026-02-01T00:00:00Z");
    let mttr = report.metrics.iter().find(|m| m.name == "MTTR").unwrap();
    assert_eq!(
        mttr.left_out[0].reason,
        "no `resolved`: not in the frontmatter, and no commit says `status: resolved`; the change is not committed"
    );
    let mttd_like = report.open_incidents.incidents.len();
    assert_eq!(mttd_like, 0, "the file on disk says resolved");
    let (handbook, _) = opsbook_core::load(&repo.handbook, &Default::default()).unwrap();
    let mined = mine(&repo.handbook, &MineOptions::default()).unwrap();
    let (incidents, _) = opsbook_stats::incidents(&handbook, mined.history.as_ref());
    let declared = incidents[0].point(TimePoint::Declared).unwrap();
    assert!(matches!(&declared.source, Source::Git { .. }));
    assert_eq!(declared.at.to_string(), "2026-01-10T10:20:00Z");
}

#[test]
fn the_cache_walks_only_new_commits_and_gives_the_same_facts() {
    let repo = Repo::new("");
    repo.write("postmortems/PM-8.md", &started("investigating", "draft"));
    repo.commit_at("open", "2026-01-10T10:20:00Z");
    repo.write("postmortems/PM-8.md", &started("mitigated", "draft"));
    repo.commit_at("mitigate", "2026-01-10T11:20:00Z");
    let cached = MineOptions {
        cache: true,
        ..MineOptions::default()
    };
    let first = mine(&repo.handbook, &cached).unwrap();
    assert!(first.notes.contains(&Note::Cached { new_commits: 2 }));
    let warm = mine(&repo.handbook, &cached).unwrap();
    assert!(warm.notes.contains(&Note::Cached { new_commits: 0 }));
    assert_eq!(warm.history, first.history);

    repo.git(&["mv", "postmortems/PM-8.md", "postmortems/PM-8-db.md"]);
    repo.commit_at("rename", "2026-01-10T12:00:00Z");
    repo.write("postmortems/PM-8-db.md", &started("resolved", "draft"));
    repo.commit_at("resolve", "2026-01-10T12:20:00Z");
    let incremental = mine(&repo.handbook, &cached).unwrap();
    assert!(incremental.notes.contains(&Note::Cached { new_commits: 2 }));
    let full = mine(&repo.handbook, &MineOptions::default()).unwrap();
    assert_eq!(incremental.history, full.history);

    // History rewritten under the cache: a full walk, same facts as without cache.
    repo.git(&["reset", "-q", "--hard", "HEAD~1"]);
    let rewound = mine(&repo.handbook, &cached).unwrap();
    assert!(rewound.notes.contains(&Note::Cached { new_commits: 3 }));
    assert_eq!(
        rewound.history,
        mine(&repo.handbook, &MineOptions::default())
            .unwrap()
            .history
    );
}
