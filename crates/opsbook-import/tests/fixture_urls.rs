//! For every `runbook_url` of the three fixture repositories (`tests/fixtures/import-*`):
//! the document it reached on the old site is the one whose new permalink (or alias)
//! is that URL, and the URL that was broken before is still the only broken one.

use opsbook_import::plan::{Plan, plan};
use opsbook_import::rules::{key, within};
use std::path::Path;

fn fixture(name: &str) -> Plan {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name);
    plan(&root, None)
}

/// (alert, the document it reached before, the document whose address or alias the URL is now)
fn reached(plan: &Plan) -> Vec<(String, Option<String>, Option<String>)> {
    let check = &plan.url_check;
    check
        .urls
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let before = check.before[i].map(|d| plan.docs[d].from.clone());
            let path =
                key(within(&u.url, check.base.as_deref().unwrap_or_default()).unwrap_or_default());
            let now = plan
                .docs
                .iter()
                .find(|d| {
                    // Plain markdown keeps no site addresses: a URL names the file's path.
                    let own = if d.new.is_empty() { &d.dest } else { &d.new };
                    std::iter::once(own)
                        .chain(d.aliases.iter().map(|(a, _)| a))
                        .any(|a| key(a) == path)
                })
                .map(|d| d.from.clone());
            (u.alert.clone(), before, now)
        })
        .collect()
}

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

#[test]
fn hugo_urls_reach_the_same_documents() {
    let plan = fixture("import-hugo");
    let db = "content/runbooks/database/";
    assert_eq!(
        reached(&plan),
        [
            (
                "PostgresDown".into(),
                s(&format!("{db}PostgresDown.md")),
                s(&format!("{db}PostgresDown.md"))
            ),
            (
                "PostgresReplicationLag".into(),
                s(&format!("{db}PostgresReplicationLag.md")),
                s(&format!("{db}PostgresReplicationLag.md"))
            ),
            (
                "ApiHighErrorRate".into(),
                s("content/runbooks/api/ApiHighErrorRate.md"),
                s("content/runbooks/api/ApiHighErrorRate.md")
            ),
            (
                "ApiLatencyHigh".into(),
                s("content/runbooks/api/ApiLatencyHigh.md"),
                s("content/runbooks/api/ApiLatencyHigh.md")
            ),
            ("ApiSaturated".into(), None, None),
        ]
    );
    assert_eq!(
        (plan.url_check.reached_before(), plan.url_check.kept()),
        (4, 4)
    );
}

#[test]
fn mkdocs_urls_reach_the_same_documents() {
    let plan = fixture("import-mkdocs");
    let full = s("docs/runbooks/node/NodeFilesystemAlmostFull.md");
    assert_eq!(
        reached(&plan),
        [
            (
                "NodeFilesystemAlmostFull".into(),
                full.clone(),
                full.clone()
            ),
            ("NodeDiskFull".into(), full.clone(), full),
            (
                "NodeDown".into(),
                s("docs/runbooks/node/NodeDown.md"),
                s("docs/runbooks/node/NodeDown.md")
            ),
            (
                "KafkaConsumerLag".into(),
                s("docs/runbooks/kafka/KafkaConsumerLag.md"),
                s("docs/runbooks/kafka/KafkaConsumerLag.md")
            ),
            ("KafkaBrokerDown".into(), None, None),
        ]
    );
    assert_eq!(
        (plan.url_check.reached_before(), plan.url_check.kept()),
        (4, 4)
    );
}

#[test]
fn plain_markdown_urls_reach_the_same_files() {
    let plan = fixture("import-plain");
    assert_eq!(
        plan.url_check.base.as_deref(),
        Some("https://github.com/acme/runbooks/blob/main/")
    );
    let k = "runbooks/kubernetes/";
    assert_eq!(
        reached(&plan),
        [
            (
                "KubePodCrashLooping".into(),
                s(&format!("{k}KubePodCrashLooping.md")),
                s(&format!("{k}KubePodCrashLooping.md"))
            ),
            (
                "KubeNodeNotReady".into(),
                s(&format!("{k}KubeNodeNotReady.md")),
                s(&format!("{k}KubeNodeNotReady.md"))
            ),
            ("KubeletDown".into(), None, None),
            (
                "NodeFilesystemSpaceFillingUp".into(),
                s("runbooks/node/NodeFilesystemSpaceFillingUp.md"),
                s("runbooks/node/NodeFilesystemSpaceFillingUp.md")
            ),
        ]
    );
    assert_eq!(
        (plan.url_check.reached_before(), plan.url_check.kept()),
        (3, 3)
    );
}
