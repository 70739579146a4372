//! `opsbook serve` end to end: the real binary on a free port, over HTTP. Pages come from
//! memory; editing a file sends a `reload` event and the next request has the new
//! content; check findings and template errors appear in an overlay in every page and go
//! away when fixed; a commit brings git's times without a restart; nothing outside the
//! site can be requested; Ctrl-C stops it cleanly.
#![cfg(feature = "serve")]

mod serve_support;

#[path = "../crates/opsbook-site/tests/common/html.rs"]
#[allow(dead_code, unreachable_pub)]
mod html;

// The history crate's repository helpers: one way to make dated commits in tests.
#[path = "../crates/opsbook-history/tests/common/mod.rs"]
mod common;

use common::{git_in as git, postmortem};
use serve_support::Server;

const RUNBOOK: &str = "runbooks/data-api.md";
const PAGE: &str = "/runbooks/data-api.html";

#[test]
fn edits_reload_pages_and_findings_show_in_an_overlay_until_fixed() {
    let server = Server::start(&[]);
    let (status, head, home) = server.get("/");
    assert_eq!(status, 200, "{head}");
    assert!(
        head.contains("Content-Type: text/html; charset=utf-8"),
        "{head}"
    );
    assert!(home.contains("<title>"), "{home}");
    // The live-reload script, and no overlay while check finds nothing.
    assert!(
        home.contains(r#"<script id="opsbook-live" data-version="1" src="/__opsbook/live.js"></script></body>"#),
        "{home}"
    );
    assert!(!home.contains("opsbook-overlay"));
    let (status, _, script) = server.get("/__opsbook/live.js");
    assert_eq!(status, 200);
    assert!(script.contains("new EventSource(\"/__opsbook/events\")"));
    for (path, wanted) in [
        ("/runbooks/", "Runbooks"),
        ("/search-index.js", "window.OPSBOOK_SEARCH = ["),
        ("/feed.xml", "<feed"),
        ("/assets/style.css", "{"),
    ] {
        let (status, _, body) = server.get(path);
        assert_eq!(status, 200, "{path}");
        assert!(body.contains(wanted), "{path}: {body}");
    }
    let (_, _, page) = server.get(PAGE);
    assert!(page.contains("Sky data API runbook"));
    assert!(!page.contains("Freshly written paragraph"));

    // Edit: one reload event naming the file, then the page has the new text, and the
    // search index has it too (its body came from the cache for every other document).
    let mut events = server.events();
    let original = server.read(RUNBOOK);
    // At the start of the body, so that it is within the search index's excerpt.
    let fence = original.find("\n---\n").unwrap() + 5;
    server.write(
        RUNBOOK,
        &format!(
            "{}\nFreshly written paragraph about zebras.\n{}",
            &original[..fence],
            &original[fence..]
        ),
    );
    let event = events.reload();
    assert_eq!(event["version"], 2, "{event}");
    assert_eq!(event["changed"], serde_json::json!([RUNBOOK]), "{event}");
    let (_, _, d) = server.get("/__opsbook/diagnostics.json");
    assert_eq!(event["errors"], 0, "{event} {d}");
    let (status, _, page) = server.get(PAGE);
    assert_eq!(status, 200);
    assert!(
        page.contains("Freshly written paragraph about zebras."),
        "{page}"
    );
    assert!(page.contains(r#"data-version="2""#));
    let (_, _, index) = server.get("/search-index.js");
    assert!(index.contains("zebras"));

    // Break it: an unknown service is an OB201 error, shown in every page.
    let broken = original.replace("service: data-api", "service: no-such-service");
    assert_ne!(broken, original);
    server.write(RUNBOOK, &broken);
    let event = events.reload();
    assert_eq!(event["version"], 3, "{event}");
    assert_eq!(event["errors"], 1, "{event}");
    for path in [PAGE, "/", "/stats.html"] {
        let (status, _, page) = server.get(path);
        assert_eq!(status, 200);
        assert!(
            page.contains(r#"<aside id="opsbook-overlay" class="opsbook-errors""#),
            "{path}: {page}"
        );
        assert!(page.contains("opsbook check: 1 error"), "{page}");
        assert!(
            page.contains(r#"<li><code>runbooks/data-api.md:3:10</code> <span class="opsbook-error">error[OB201]</span> unknown service `no-such-service`</li>"#),
            "{page}"
        );
    }
    let (_, head, json) = server.get("/__opsbook/diagnostics.json");
    assert!(head.contains("application/json"));
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        json["diagnostics"],
        serde_json::json!([{
            "level": "error", "file": RUNBOOK, "line": 3, "column": 10, "code": "OB201",
            "message": "unknown service `no-such-service`"
        }])
    );

    // Fix it: the overlay is gone.
    server.write(RUNBOOK, &original);
    let event = events.reload();
    assert_eq!(event["version"], 4, "{event}");
    let (_, _, d) = server.get("/__opsbook/diagnostics.json");
    assert_eq!(event["errors"], 0, "{event} {d}");
    let (_, _, page) = server.get(PAGE);
    assert!(!page.contains("opsbook-overlay"), "{page}");
    assert!(!page.contains("zebras"));
    let (_, _, json) = server.get("/__opsbook/diagnostics.json");
    assert!(json.contains(r#""diagnostics":[]"#), "{json}");

    // Ctrl-C: a clean stop.
    let (status, rest) = server.interrupt();
    assert!(status.success(), "{status:?}");
    assert_eq!(rest.last().map(String::as_str), Some("stopped"), "{rest:?}");
}

#[test]
fn a_template_error_never_stops_the_server() {
    let server = Server::start(&[]);
    let mut events = server.events();
    server.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %",
    );
    let event = events.reload();
    let error = event["template_error"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(error.contains("page.html"), "{event}");
    // The last good templates still render every page; the overlay says what is wrong.
    let (status, _, home) = server.get("/");
    assert_eq!(status, 200);
    assert!(home.contains("The templates do not compile"), "{home}");
    assert!(home.contains("Failed to parse"), "{home}");
    let (status, _, page) = server.get(PAGE);
    assert_eq!(status, 200);
    assert!(page.contains("Sky data API runbook"));

    // A template that compiles but fails while rendering: that page is a 500 with the
    // error in the overlay; the server goes on.
    std::fs::remove_file(server.dir.join("templates/page.html")).unwrap();
    let event = events.reload();
    assert!(event["template_error"].is_null(), "{event}");
    server.write(
        "templates/runbook.html",
        "{% extends \"base.html\" %}{% block main %}{{ page.no_such_field.deeper }}{% endblock main %}",
    );
    events.reload();
    let (status, _, page) = server.get(PAGE);
    assert_eq!(status, 500, "{page}");
    assert!(page.contains("This page could not be rendered"), "{page}");
    assert!(page.contains("runbook.html"), "{page}");
    let (status, _, _) = server.get("/");
    assert_eq!(status, 200);

    std::fs::remove_dir_all(server.dir.join("templates")).unwrap();
    let event = events.reload();
    assert!(event["template_error"].is_null(), "{event}");
    let (status, _, page) = server.get(PAGE);
    assert_eq!(status, 200);
    assert!(!page.contains("opsbook-overlay"), "{page}");
}

#[test]
fn requests_outside_the_site_get_404() {
    let server = Server::start(&[]);
    // A file inside the handbook that a runbook links to is served; a link that is a
    // symbolic link pointing out of the handbook is not.
    std::fs::write(server.dir.join("runbooks/diagram.png"), b"not really a PNG").unwrap();
    let secret = server.dir.parent().unwrap().join("secret.txt");
    std::fs::write(&secret, "top secret").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&secret, server.dir.join("runbooks/leak.png")).unwrap();
    let mut events = server.events();
    let original = server.read(RUNBOOK);
    server.write(
        RUNBOOK,
        &format!("{original}\n![diagram](diagram.png) and ![leak](leak.png)\n"),
    );
    events.reload();
    let (status, head, body) = server.get("/runbooks/diagram.png");
    assert_eq!(status, 200, "{head}");
    assert!(head.contains("Content-Type: image/png"), "{head}");
    assert_eq!(body, "not really a PNG");
    // A folder without its slash is redirected, so that its index's relative links work.
    let (status, head, body) = server.get("/runbooks");
    assert_eq!(status, 301, "{head}");
    assert!(head.contains("\r\nLocation: runbooks/\r\n"), "{head}");
    assert!(
        body.contains("<a href=\"runbooks/\">runbooks/</a>"),
        "{body}"
    );
    let (status, head, _) = server.get("/runbooks/");
    assert_eq!(status, 200, "{head}");

    for target in [
        "/runbooks/leak.png",
        "/../secret.txt",
        "/runbooks/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/runbooks%2f..%2f..%2fsecret.txt",
        "/runbooks/%2e%2e/%2e%2e/secret.txt",
        "/..%5csecret.txt",
        "/%252e%252e/secret.txt",
        "/runbooks/data-api.md",
        "/handbook.yaml",
        "//etc/passwd",
        "/etc/passwd",
        &format!("/{}", secret.display()),
        "/%00",
        "http://127.0.0.1/../secret.txt",
        "/no-such-page.html",
    ] {
        let (status, _, body) = server.get(target);
        assert_eq!(status, 404, "{target}");
        assert!(!body.contains("top secret"), "{target}");
        // The site's own 404 page, with the live script.
        assert!(body.contains("opsbook-live"), "{target}: {body}");
    }
    let (status, _, _) = server.get("/runbooks/./data-api.html");
    assert_eq!(status, 200);
    // Deep in the site, the 404 page links from this server's root, not from the path
    // of the handbook's `base_url` (which `build` uses) nor relative to the URL asked for.
    let mut events = server.events();
    let config = server.read("handbook.yaml");
    let moved = config.replace(
        "base_url: \"https://handbook.example.com/\"",
        "base_url: \"https://example.com/handbook/\"",
    );
    assert_ne!(config, moved);
    server.write("handbook.yaml", &moved);
    events.reload();
    let (status, _, body) = server.get("/runbooks/no/such/page.html");
    assert_eq!(status, 404);
    assert!(
        body.contains("<a class=\"brand\" href=\"/index.html\">"),
        "{body}"
    );
    assert!(
        body.contains("<li><a href=\"/runbooks/index.html\">Runbooks</a></li>"),
        "{body}"
    );
}

/// A commit made while serving brings git's times to the pages without a restart, also
/// when the repository sits above the handbook folder (outside what is watched).
#[test]
fn a_commit_made_while_serving_brings_gits_times_to_the_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let dir = repo.join("handbook");
    std::fs::create_dir_all(dir.join("postmortems")).unwrap();
    git(&repo, &["init", "-q", "-b", "main"], None);
    std::fs::write(dir.join("handbook.yaml"), "title: Test\n").unwrap();
    let pm1 = |status| {
        postmortem(
            "SEV2",
            "api",
            status,
            "draft",
            "started: 2026-03-01T07:00:00Z\ndetected: 2026-03-01T07:10:00Z\n",
        )
    };
    let commit = |message: &str, at: &str| {
        git(&repo, &["add", "-A"], None);
        git(&repo, &["commit", "-q", "-m", message], Some((at, at)));
        git(&repo, &["rev-parse", "HEAD"], None).trim().to_string()
    };
    std::fs::write(dir.join("postmortems/PM-1.md"), pm1("investigating")).unwrap();
    commit("open PM-1", "2026-03-01T08:00:00Z");
    let server = Server::start_in(tmp, dir.clone(), &[]);
    let mut events = server.events();
    let (status, _, page) = server.get("/postmortems/PM-1.html");
    assert_eq!(status, 200);
    assert!(!page.contains("<th scope=\"row\">resolved</th>"), "{page}");

    // The frontmatter gives no `resolved` time: only the commit that resolves it does.
    std::fs::write(dir.join("postmortems/PM-1.md"), pm1("resolved")).unwrap();
    let resolved = commit("PM-1 resolved", "2026-03-01T09:30:00Z");
    // The edit reloads the page at once; the commit, within a second, once more.
    while events.reload()["history"] != true {}
    let (_, _, page) = server.get("/postmortems/PM-1.html");
    let row = format!(
        "<tr><th scope=\"row\">resolved</th><td><time datetime=\"2026-03-01T09:30:00Z\">2026-03-01 09:30 UTC</time></td><td class=\"num\">+0s</td><td class=\"num\">2h 30m</td><td><span class=\"origin origin-git\" title=\"commit time of the first commit whose `status` is resolved ({resolved})\">git {}</span></td></tr>",
        &resolved[..10]
    );
    assert!(page.contains(&row), "{page}");
}

#[test]
fn polling_works_and_other_addresses_are_warned_about() {
    let server = Server::start(&["--poll", "--bind", "0.0.0.0"]);
    let startup = server.startup.join("\n");
    assert!(
        startup.contains("warning: listening on 0.0.0.0, which other machines can reach"),
        "{startup}"
    );
    assert!(startup.contains(" at http://0.0.0.0:"), "{startup}");
    let mut events = server.events();
    let original = server.read(RUNBOOK);
    // notify's poller compares modification times in whole seconds: the edit must not
    // fall in the second the file was copied in.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    server.write(RUNBOOK, &format!("{original}\nPolled paragraph.\n"));
    let event = events.reload();
    assert_eq!(event["changed"], serde_json::json!([RUNBOOK]), "{event}");
    let (_, _, page) = server.get(PAGE);
    assert!(page.contains("Polled paragraph."));

    let local = Server::start(&[]);
    assert!(!local.startup.join("\n").contains("warning: listening"));
}

#[test]
fn the_cli_refuses_bad_arguments() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_opsbook"))
        .args(["serve", "--bind", "not-an-address", "content-example"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--bind `not-an-address` is not an IP address"),
        "{stderr}"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_opsbook"))
        .args(["serve", "no/such/folder"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// Serves a copy of the adopted Hugo fixture (folder addresses, aliases).
fn serve_pretty() -> Server {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("handbook");
    serve_support::copy_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/alerts-pretty"),
        &dir,
    );
    Server::start_in(tmp, dir, &[])
}

#[test]
fn folder_addresses_and_aliases_are_served() {
    let server = serve_pretty();
    let (status, head, body) = server.get("/runbooks/db/postgresdown/");
    assert_eq!(status, 200, "{head}");
    assert!(body.contains("<title>PostgresDown · Runbooks (adopted from Hugo)</title>"));
    // Its relative links work from the folder URL as from the index file.
    assert!(body.contains("href=\"../../kafka/kafkaconsumerlag/index.html#mitigation\""));
    let (status, head, _) = server.get("/runbooks/db/postgresdown/index.html");
    assert_eq!(status, 200, "{head}");
    let (status, head, _) = server.get("/runbooks/db/postgresdown");
    assert_eq!(status, 301, "{head}");
    assert!(head.contains("\r\nLocation: postgresdown/\r\n"), "{head}");
    // An old address answers with its redirect page.
    let (status, head, body) = server.get("/runbooks/kafka-lag/");
    assert_eq!(status, 200, "{head}");
    assert!(
        body.contains(
            "<meta http-equiv=\"refresh\" content=\"0; url=../kafka/kafkaconsumerlag/index.html\">"
        ),
        "{body}"
    );
    let (status, _, _) = server.get("/kafka/consumer-lag.html");
    assert_eq!(status, 200);
    // The address today's layout would have used is not there.
    let (status, _, _) = server.get("/runbooks/db/PostgresDown.html");
    assert_eq!(status, 404);
}

/// `link` (relative, as written in a page) joined to the page's URL path `from`, as a
/// browser joins it: from the folder of `from`, `..` climbing.
fn join(from: &str, link: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in link.split('/') {
        match part {
            "." => {}
            ".." => {
                if parts.len() > 1 {
                    parts.pop();
                }
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

#[test]
fn every_link_of_an_adopted_hugo_site_resolves_over_http() {
    let server = serve_pretty();
    // Crawl from the home page and from the folder URLs the alert rules carry, as a
    // reader arriving from a page would.
    let mut queue: Vec<String> = vec![
        "/".into(),
        "/runbooks/db/postgresdown/".into(),
        "/runbooks/kafka-lag/".into(),
    ];
    let mut seen = std::collections::HashSet::new();
    let mut ids: std::collections::HashMap<String, Vec<String>> = Default::default();
    let mut anchors = Vec::new();
    let mut problems = Vec::new();
    while let Some(url) = queue.pop() {
        if !seen.insert(url.clone()) {
            continue;
        }
        let (status, head, body) = server.get(&url);
        if status == 301 {
            let location = head
                .lines()
                .find_map(|l| l.strip_prefix("Location: "))
                .unwrap_or_default();
            queue.push(join(&url, location));
            continue;
        }
        if status != 200 {
            problems.push(format!("{url}: {status}"));
            continue;
        }
        if !head.contains("text/html") {
            continue;
        }
        ids.insert(url.clone(), html::ids(&body));
        for tag in html::tags(&body) {
            for attr in ["href", "src"] {
                let Some(link) = tag.attr(attr) else { continue };
                if link.is_empty() || html::is_external(link) || link.starts_with("/__opsbook") {
                    continue;
                }
                let (path, anchor) = link.split_once('#').unwrap_or((link, ""));
                let target = if path.is_empty() {
                    url.clone()
                } else {
                    join(&url, path.split('?').next().unwrap_or(path))
                };
                if !anchor.is_empty() {
                    anchors.push((url.clone(), target.clone(), anchor.to_string()));
                }
                queue.push(target);
            }
        }
    }
    for (from, target, anchor) in anchors {
        // A folder URL and its index file are one page.
        let page = ids
            .get(&target)
            .or_else(|| ids.get(&format!("{}/", target.trim_end_matches("/index.html"))));
        if !page.is_some_and(|ids| ids.contains(&anchor)) {
            problems.push(format!("{from}: no #{anchor} in {target}"));
        }
    }
    assert!(
        problems.is_empty(),
        "broken over HTTP:\n{}",
        problems.join("\n")
    );
    for page in [
        "/runbooks/db/postgresreplicationlag/index.html",
        "/docs/on-call/index.html",
        "/incidents/2026-05-02-db-failover.html",
        "/alerts.html",
    ] {
        assert!(seen.contains(page), "{page} was never reached: {seen:?}");
    }
}
