//! End-to-end tests of `opsbook build` and `opsbook init --templates`: where the site goes,
//! what opsbook refuses to touch, exit codes, and a failed build that keeps the old site.

use std::path::{Path, PathBuf};
mod binary;

use binary::{opsbook, stderr, stdout};

/// A clean starter handbook in a temp folder.
fn starter() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = opsbook(tmp.path(), &["init", "hb"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let hb = tmp.path().join("hb");
    (tmp, hb)
}

fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                files.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn build_writes_the_site_into_dir_site_by_default() {
    let (_tmp, hb) = starter();
    let out = opsbook(&hb, &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(hb.join("_site/index.html").is_file());
    assert!(hb.join("_site/.opsbook-output").is_file());
    assert!(stderr(&out).contains("open _site/index.html") || stderr(&out).contains("_site"));
    // A second build replaces the first, and check does not read the output as documents.
    // `-q` leaves out the confirmation line (only warnings remain: here, no repository).
    let out = opsbook(&hb, &["build", "-q"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "warning[OB310]: `.` is not in a git repository: times come from the frontmatter only\n"
    );
    let check = opsbook(&hb, &["check"]);
    assert_eq!(check.status.code(), Some(0));
}

/// `text` with every run of digits (and a decimal point inside one) written `#`.
fn without_numbers(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() || (c == '.' && out.ends_with('#')) {
            if !out.ends_with('#') {
                out.push('#');
            }
        } else {
            if out.ends_with("#.") {
                out.pop();
            }
            out.push(c);
        }
    }
    out
}

#[test]
fn verbose_build_says_how_long_each_step_took_and_removes_the_previous_site() {
    let (_tmp, hb) = starter();
    let first = opsbook(&hb, &["build", "-q"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let before = tree(&hb.join("_site"));
    let out = opsbook(&hb, &["build", "-q", "-v"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        without_numbers(&stderr(&out)),
        "opsbook: read # files (# documents) in # ms; compiled the templates in # ms meanwhile
opsbook: checked in # ms; read the git history in # ms meanwhile
warning[OB#]: `.` is not in a git repository: times come from the frontmatter only
opsbook: computed paths, relations and statistics in # ms
opsbook: rendered and wrote the pages in # ms
opsbook: copied the assets and linked files in # ms
opsbook: wrote the search index and the feed in # ms
opsbook: swapped the new site in and removed the previous one in # ms
"
    );
    // The same pages again, and nothing left beside the site.
    let after = tree(&hb.join("_site"));
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&before), names(&after));
    let beside: Vec<String> = std::fs::read_dir(&hb)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("opsbook-"))
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
}

#[test]
fn build_refuses_the_handbook_itself_and_folders_it_did_not_write() {
    let (tmp, hb) = starter();
    for target in [hb.to_str().unwrap(), tmp.path().to_str().unwrap()] {
        let out = opsbook(tmp.path(), &["build", "hb", "-o", target]);
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr(&out).contains("contains the handbook"),
            "{}",
            stderr(&out)
        );
    }
    let mine = tmp.path().join("mine");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("notes.txt"), "precious").unwrap();
    let out = opsbook(tmp.path(), &["build", "hb", "-o", "mine"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("did not write"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(mine.join("notes.txt")).unwrap(),
        "precious"
    );
}

#[test]
fn a_failed_build_keeps_the_previous_site_byte_for_byte() {
    let (tmp, hb) = starter();
    let out = opsbook(tmp.path(), &["build", "hb", "-o", "site"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let site = tmp.path().join("site");
    let before = tree(&site);
    // A template error injected into the handbook's own templates.
    std::fs::create_dir(hb.join("templates")).unwrap();
    std::fs::write(
        hb.join("templates/runbook.html"),
        "{% extends \"base.html\" %}{% block main %}{{ page.missing.field }}{% endblock main %}",
    )
    .unwrap();
    let out = opsbook(tmp.path(), &["build", "hb", "-o", "site"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("runbook.html"), "{}", stderr(&out));
    assert_eq!(tree(&site), before);
    let names: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.contains("opsbook-new")),
        "{names:?}"
    );
    // A syntax error is reported before anything is written.
    std::fs::write(hb.join("templates/runbook.html"), "{% if %}").unwrap();
    let out = opsbook(tmp.path(), &["build", "hb", "-o", "site"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("do not compile"), "{}", stderr(&out));
    assert_eq!(tree(&site), before);
}

#[test]
fn errors_in_the_handbook_exit_1_unless_allowed_and_the_site_is_still_built() {
    let (tmp, hb) = starter();
    std::fs::write(
        hb.join("runbooks/broken.md"),
        "---\ntitle: Broken\nservice: no-such-service\n---\n\n## Summary\n\nx\n",
    )
    .unwrap();
    let out = opsbook(tmp.path(), &["build", "hb", "-o", "a"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("OB201"), "{}", stderr(&out));
    assert!(tmp.path().join("a/runbooks/broken.html").is_file());
    let out = opsbook(
        tmp.path(),
        &["build", "hb", "-o", "b", "--allow-errors", "-q"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("OB201"));
    // Every page of a site built with errors says so (the runbook's unknown service and
    // its missing sections: the two errors `check` reports); a sound handbook's does not.
    let check = opsbook(tmp.path(), &["check", "hb"]);
    assert!(
        stdout(&check).contains("Found 2 errors"),
        "{}",
        stdout(&check)
    );
    let banner = "<p class=\"build-errors\" role=\"alert\">This site was built from a handbook with 2 errors: some pages may be wrong or incomplete. Run <code>opsbook check</code> to see them.</p>";
    for page in ["index.html", "runbooks/broken.html", "stats.html"] {
        let html = std::fs::read_to_string(tmp.path().join("b").join(page)).unwrap();
        assert!(html.contains(banner), "{page}: {html}");
    }
    std::fs::remove_file(hb.join("runbooks/broken.md")).unwrap();
    let out = opsbook(tmp.path(), &["build", "hb", "-o", "c", "-q"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let html = std::fs::read_to_string(tmp.path().join("c/index.html")).unwrap();
    assert!(!html.contains("build-errors"), "{html}");
}

#[test]
fn init_templates_writes_the_default_theme_which_then_overrides() {
    let (tmp, hb) = starter();
    let out = opsbook(tmp.path(), &["init", "hb", "--templates"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(hb.join("templates/base.html").is_file());
    assert!(hb.join("templates/style.css").is_file());
    std::fs::write(hb.join("templates/style.css"), "/* ours */\n").unwrap();
    let again = opsbook(tmp.path(), &["init", "hb", "--templates"]);
    assert!(stderr(&again).contains("kept your"), "{}", stderr(&again));
    let out = opsbook(tmp.path(), &["build", "hb", "-o", "site"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("site/assets/style.css")).unwrap(),
        "/* ours */\n"
    );
}

#[cfg(unix)]
#[test]
fn linked_files_are_copied_but_never_through_a_symbolic_link_out_of_the_handbook() {
    let (tmp, hb) = starter();
    let secret = tmp.path().join("id_rsa");
    std::fs::write(&secret, "PRIVATE KEY").unwrap();
    std::fs::create_dir_all(hb.join("pages")).unwrap();
    std::fs::write(hb.join("pages/topology.txt"), "lb -> web -> db").unwrap();
    std::os::unix::fs::symlink(&secret, hb.join("pages/key.txt")).unwrap();
    std::fs::write(
        hb.join("pages/hosts.md"),
        "---\ntitle: Hosts\n---\nSee [the topology](topology.txt) and [the key](key.txt).\n",
    )
    .unwrap();
    let out = opsbook(tmp.path(), &["build", "hb", "-o", "site"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let site = tmp.path().join("site");
    assert_eq!(
        std::fs::read_to_string(site.join("pages/topology.txt")).unwrap(),
        "lb -> web -> db"
    );
    assert!(!site.join("pages/key.txt").exists());
    assert!(
        err.contains("warning: `hb/pages/key.txt` was not copied into the site: it is a symbolic link to a file outside the handbook"),
        "{err}"
    );
    assert!(!err.contains("topology.txt"), "{err}");
}

#[test]
fn the_404_page_links_from_the_sites_path_when_base_url_is_set() {
    let (tmp, hb) = starter();
    let config = std::fs::read_to_string(hb.join("handbook.yaml")).unwrap();
    let without: String = config
        .lines()
        .filter(|l| !l.starts_with("base_url:"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(without, config, "the starter sets base_url");
    std::fs::write(hb.join("handbook.yaml"), &without).unwrap();
    let out = opsbook(tmp.path(), &["build", "hb", "-o", "relative"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = std::fs::read_to_string(tmp.path().join("relative/404.html")).unwrap();
    assert!(page.contains("href=\"assets/style.css\""), "{page}");
    assert!(page.contains("<a href=\"index.html\">Home</a>"), "{page}");

    // A server shows the 404 page at any depth (/handbook/runbooks/gone/x.html): its links
    // must not be relative to that.
    std::fs::write(
        hb.join("handbook.yaml"),
        format!("{without}base_url: https://ops.example.com/handbook\n"),
    )
    .unwrap();
    let out = opsbook(tmp.path(), &["build", "hb", "-o", "served"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = std::fs::read_to_string(tmp.path().join("served/404.html")).unwrap();
    assert!(
        page.contains("href=\"/handbook/assets/style.css\""),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"/handbook/index.html\">Home</a>"),
        "{page}"
    );
    assert!(page.contains("src=\"/handbook/assets/site.js\""), "{page}");
    // Other pages stay relative (they also open from disk).
    let home = std::fs::read_to_string(tmp.path().join("served/index.html")).unwrap();
    assert!(home.contains("href=\"assets/style.css\""));
}

#[test]
fn build_of_a_folder_without_documents_warns_like_check() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("handbok")).unwrap();
    let out = opsbook(tmp.path(), &["build", "handbok", "-o", "site"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with("opsbook: warning: `handbok` holds no documents (opsbook reads the .md files below it); is this the handbook folder? `opsbook init` writes a starter\n"),
        "{}",
        stderr(&out)
    );
}

/// The text between the first `<tag>` and the next `</tag>`.
fn element<'a>(html: &'a str, tag: &str) -> &'a str {
    let start = html.find(&format!("<{tag}")).unwrap();
    let start = start + html[start..].find('>').unwrap() + 1;
    let end = start + html[start..].find(&format!("</{tag}>")).unwrap();
    html[start..end].trim()
}

#[test]
fn an_sla_without_title_is_titled_after_its_service_on_its_page() {
    let tmp = tempfile::tempdir().unwrap();
    let hb = tmp.path();
    let write = |path: &str, text: &str| {
        let path = hb.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("teams/sre.md", "---\ntitle: SRE\n---\n# SRE\n");
    write(
        "services/api.md",
        "---\ntitle: Public API\nowner: sre\n---\n# API\n",
    );
    let sla = "---\nservice: api\nwindow: 30d\n---\n## Summary\n\nNinety-nine.\n";
    write("slas/api-sla.md", sla);
    write("slas/db-sla.md", &sla.replace("api", "db"));
    write(
        "slas/gold.md",
        &sla.replace("service: api", "title: Gold tier\nservice: api"),
    );
    // `db` has no service document: an error, but the page is still built.
    let out = opsbook(hb, &["build", "-q", "--allow-errors"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = |name: &str| std::fs::read_to_string(hb.join("_site/slas").join(name)).unwrap();
    let api = page("api-sla.html");
    assert_eq!(element(&api, "h1"), "Public API SLA");
    assert!(
        element(&api, "title").starts_with("Public API SLA"),
        "{api}"
    );
    assert_eq!(element(&page("db-sla.html"), "h1"), "db SLA");
    assert_eq!(element(&page("gold.html"), "h1"), "Gold tier");
}
