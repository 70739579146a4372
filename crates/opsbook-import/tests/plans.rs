//! Plans of small sites made in temp folders: a Jekyll site (`url` + `baseurl`, the
//! `pretty` style, a page's own `permalink:`, a post that is a postmortem by its sections),
//! and a Hugo alias that lands on another page.

use opsbook_core::model::Kind;
use opsbook_import::plan::plan;

#[test]
fn jekyll_pages_posts_and_permalinks() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "_config.yml",
        "title: Ops\nurl: https://example.github.io\nbaseurl: /ops\npermalink: pretty\n",
    );
    write("_layouts/default.html", "<html>{{ content }}</html>\n");
    write("runbooks/cpu.md", "---\nlayout: default\n---\n# CPU high\n");
    write(
        "runbooks/disk.md",
        "---\ntitle: Disk full\npermalink: /legacy/disk-full/\n---\n# Disk\n",
    );
    write(
        "_posts/2024-03-01-db-outage.md",
        "---\ntitle: DB outage\ncategories: incidents\n---\n## Timeline\n\nx\n\n## Root cause\n\ny\n",
    );
    let plan = plan(dir.path(), None);
    assert_eq!(
        plan.site.base_url.as_deref(),
        Some("https://example.github.io/ops/")
    );
    let runbooks = plan
        .permalinks
        .iter()
        .find(|p| p.kind == Kind::Runbook)
        .unwrap();
    assert_eq!(
        (runbooks.pattern.as_deref(), runbooks.kept, runbooks.of),
        (Some("runbooks/{path}/"), 1, 1)
    );
    let disk = plan
        .docs
        .iter()
        .find(|d| d.from == "runbooks/disk.md")
        .unwrap();
    assert_eq!(
        (disk.new.as_str(), disk.aliases[0].0.as_str()),
        ("runbooks/disk/", "legacy/disk-full/")
    );
    let post = plan
        .docs
        .iter()
        .find(|d| d.kind == Kind::Postmortem)
        .unwrap();
    assert_eq!(post.dest, "postmortems/2024-03-01-db-outage.md");
    assert_eq!(post.old.served, "incidents/2024/03/01/db-outage/");
    assert_eq!(post.aliases[0].0, "incidents/2024/03/01/db-outage/");
    assert!(
        post.text.contains(
            "aliases:\n  - /incidents/2024/03/01/db-outage/\nextra:\n  categories: incidents\n"
        ),
        "{}",
        post.text
    );
    assert_eq!(
        plan.left,
        [("_config.yml".to_string(), 1), ("_layouts/".to_string(), 1)]
    );
}

#[test]
fn an_alias_on_another_page_is_reported_with_both_files() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("config.toml", "baseURL = 'https://x.dev/'\n");
    write("content/runbooks/a.md", "---\ntitle: A\n---\n");
    write(
        "content/runbooks/b.md",
        "---\ntitle: B\naliases: [/runbooks/a/]\n---\n",
    );
    let plan = plan(dir.path(), None);
    let messages: Vec<_> = plan
        .problems
        .iter()
        .map(|p| format!("{}: {}", p.file, p.message))
        .collect();
    assert_eq!(
        messages,
        [
            "content/runbooks/b.md: /runbooks/a/ is also the address of content/runbooks/a.md: one of them must move (set `id:` or edit `aliases:`)"
        ]
    );
}
