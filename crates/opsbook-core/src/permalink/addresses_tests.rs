use super::*;
use crate::document;

/// A handbook's documents and files from `(path, text)` pairs, in path order.
fn docs(files: &[(&str, &str)]) -> (Vec<Document>, Vec<SourceFile>) {
    let mut documents = Vec::new();
    let mut sources = Vec::new();
    for (i, (path, text)) in files.iter().enumerate() {
        let (doc, diags) = document::parse(i, path, text);
        assert!(diags.is_empty(), "{diags:?}");
        documents.extend(doc);
        sources.push(SourceFile {
            path: path.to_string(),
            text: text.to_string(),
        });
    }
    (documents, sources)
}

fn config(yaml: &str) -> Config {
    let mut diags = Vec::new();
    let config = Config::parse(yaml, &mut diags);
    assert!(diags.is_empty(), "{diags:?}");
    config
}

fn messages(addresses: &Addresses) -> Vec<String> {
    addresses
        .problems()
        .iter()
        .map(|d| format!("{} {} {}", d.rule.code(), d.file, d.message))
        .collect()
}

#[test]
fn default_addresses_are_source_paths_and_generated_pages_are_kept() {
    let (documents, files) = docs(&[
        ("index.md", "---\ntitle: Home\n---\n"),
        ("runbooks/index.md", "---\ntitle: R\n---\n"),
        ("runbooks/login.md", "---\ntitle: Login\n---\n"),
        ("assets/x.md", "---\ntitle: X\n---\n"),
    ]);
    let a = Addresses::new(&Config::default(), &documents, &files);
    let pages: Vec<_> = (0..4).map(|i| a.page(i)).collect();
    assert_eq!(
        pages,
        [
            "index-doc.html",
            "runbooks/index-doc.html",
            "runbooks/login.html",
            "assets-doc/x.html"
        ]
    );
    assert!(a.problems().is_empty());
    assert_eq!(
        a.find("runbooks/login.html"),
        Some((Place::Page(2), "runbooks/login.html"))
    );
    assert_eq!(a.find(""), Some((Place::Generated, "index.html")));
    assert_eq!(
        a.find("runbooks/"),
        Some((Place::Generated, "runbooks/index.html"))
    );
    assert_eq!(a.find("runbooks/login"), None);
}

#[test]
fn folder_addresses_answer_three_forms() {
    let (documents, files) = docs(&[("runbooks/db/Postgres Down.md", "---\ntitle: P\n---\n")]);
    let a = Addresses::new(
        &config("permalinks:\n  runbook: runbooks/{slug}/\n"),
        &documents,
        &files,
    );
    let out = "runbooks/db/postgres-down/index.html";
    assert_eq!(a.page(0), out);
    for form in [
        "runbooks/db/postgres-down",
        "runbooks/db/postgres-down/",
        out,
        "/runbooks/db/postgres-down",
    ] {
        assert_eq!(a.find(form), Some((Place::Page(0), out)), "{form}");
    }
    assert_eq!(
        a.near("runbooks/DB/Postgres-Down"),
        Some("runbooks/db/postgres-down/")
    );
    assert_eq!(a.near("runbooks/db/other"), None);
}

#[test]
fn two_documents_on_one_address_are_an_error_naming_both() {
    let (documents, files) = docs(&[
        ("runbooks/a/Disk.md", "---\ntitle: A\n---\n"),
        ("runbooks/a/disk.md", "---\ntitle: B\n---\n"),
    ]);
    let a = Addresses::new(
        &config("permalinks:\n  runbook: runbooks/{slug}/\n"),
        &documents,
        &files,
    );
    assert_eq!(a.page(0), "runbooks/a/disk/index.html");
    assert_eq!(a.page(1), "runbooks/a/disk-doc/index.html");
    assert_eq!(
        messages(&a),
        [
            "OB207 runbooks/a/disk.md this page and `runbooks/a/Disk.md:1:1` both land on `runbooks/a/disk/`; this one gets `runbooks/a/disk-doc/` instead"
        ]
    );
}

#[test]
fn aliases_get_redirects_unless_taken_or_outside_the_site() {
    let (documents, files) = docs(&[
        (
            "runbooks/a.md",
            "---\ntitle: A\naliases:\n  - /old/a/\n  - https://hb.example.com/old/a2\n  - old/a.html\n  - runbooks/a.html\n  - https://elsewhere.example.com/a/\n  - /../up/\n  - /assets/x/\n  - /\n  - /search.html\n---\n",
        ),
        (
            "runbooks/b.md",
            "---\ntitle: B\naliases: [old/a, runbooks/a.html?x]\n---\n",
        ),
    ]);
    let a = Addresses::new(
        &config("base_url: https://hb.example.com/\n"),
        &documents,
        &files,
    );
    let redirects: Vec<_> = a.redirects().collect();
    assert_eq!(
        redirects,
        [
            ("old/a/index.html", 0),
            ("old/a2/index.html", 0),
            ("old/a.html", 0)
        ]
    );
    assert_eq!(a.find("old/a"), Some((Place::Alias(0), "old/a/index.html")));
    assert_eq!(
        a.aliases_of("runbooks/a.md").collect::<Vec<_>>(),
        ["old/a/", "old/a2/", "old/a.html"]
    );
    assert_eq!(
        messages(&a),
        [
            "OB208 runbooks/a.md alias `https://elsewhere.example.com/a/` is not an address of this site (base_url is `https://hb.example.com/`)",
            "OB208 runbooks/a.md alias `/../up/` has a `..` segment; write the address it stands for",
            "OB208 runbooks/a.md alias `/assets/x/` is inside `assets/`, which holds the theme's files",
            "OB208 runbooks/a.md alias `/` is the site's home page, which the site writes itself",
            "OB207 runbooks/a.md alias `/search.html` is already a page the site generates; no redirect is written for it",
            "OB207 runbooks/b.md alias `old/a` is already an alias of `runbooks/a.md:4:5`; no redirect is written for it",
            "OB208 runbooks/b.md alias `runbooks/a.html?x` has a `?`, `#` or `\\`: a redirect page is a file, one per path",
        ]
    );
}

#[test]
fn pages_use_their_path_below_the_root_and_ids_are_available() {
    let (documents, files) = docs(&[
        ("docs/Architecture.md", "---\ntitle: Arch\n---\n"),
        (
            "postmortems/2026/db.md",
            "---\nid: 2026-03-01-db\ntitle: DB\nseverity: SEV2\nstatus: resolved\n---\n",
        ),
    ]);
    let a = Addresses::new(
        &config("permalinks:\n  page: \"{slug}/\"\n  postmortem: \"incidents/{id}.html\"\n"),
        &documents,
        &files,
    );
    assert_eq!(a.page(0), "docs/architecture/index.html");
    assert_eq!(a.page(1), "incidents/2026-03-01-db.html");
}
