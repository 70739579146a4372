//! Safe output: escaped frontmatter, sanitised HTML, no `javascript:` links, theme
//! overrides, template errors that leave the previous output byte for byte.

mod common;

use common::Site;
use common::html::tags;
use opsbook_site::output::write_atomically;
use opsbook_site::{BuildOptions, Theme, build};

/// Fails on any element, attribute or URL that could run code, other than the site's own
/// scripts.
fn assert_inert(site: &Site) {
    let mut problems = Vec::new();
    for file in site.files().into_iter().filter(|f| f.ends_with(".html")) {
        for tag in tags(&site.read(&file)) {
            if [
                "iframe", "object", "embed", "base", "meta", "form", "style", "math",
            ]
            .contains(&tag.name.as_str())
                && !(tag.name == "meta" && tag.attr("http-equiv").is_none())
                && !(tag.name == "form"
                    && tag
                        .attr("action")
                        .is_some_and(|a| a.ends_with("search.html")))
                && !(tag.name == "form" && tag.attr("id") == Some("ob-filters"))
            {
                problems.push(format!("{file}: <{}>", tag.name));
            }
            if tag.name == "script" {
                let src = tag.attr("src").unwrap_or_default();
                if !(src.ends_with("assets/site.js")
                    || src.ends_with("assets/search.js")
                    || src == "search-index.js")
                {
                    problems.push(format!("{file}: <script src={src:?}>"));
                }
            }
            for (name, value) in &tag.attrs {
                if name.starts_with("on") {
                    problems.push(format!("{file}: <{} {name}>", tag.name));
                }
                if name == "style" && value.contains("url(") {
                    problems.push(format!("{file}: style with url()"));
                }
                if opsbook_site::markdown::is_unsafe_url(value) {
                    problems.push(format!("{file}: <{} {name}={value:?}>", tag.name));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "unsafe output:\n{}",
        problems.join("\n")
    );
}

#[test]
fn hostile_frontmatter_and_html_come_out_inert() {
    let site = Site::build("xss");
    assert_inert(&site);
    // The text is still there, escaped, for people to see.
    let runbook = site.read("runbooks/web.html");
    assert!(runbook.contains("&lt;script&gt;window.xss=1&lt;/script&gt;"));
    assert!(runbook.contains("#unsafe-link-removed"));
    let search = site.read("search-index.js");
    assert!(
        !search.contains("</script"),
        "the index cannot close a script element"
    );
}

#[test]
fn raw_html_is_kept_only_when_the_handbook_allows_it() {
    let dir = tempfile::tempdir().unwrap();
    let hb = dir.path().join("hb");
    std::fs::create_dir_all(hb.join("docs")).unwrap();
    let page = "---\ntitle: Raw\n---\n\n<div class=\"matrix\"><b>kept</b></div>\n<script>var x = 1;</script>\n<p><a href=\" JavaScript:alert(2)\">raw js</a> <a href=\"https://grafana.example.com/d/1\">dashboard</a> <iframe src=\"vbscript:msgbox\"></iframe> <form action=\"data:text/html,x\"><button formaction=\"javascript:alert(3)\">go</button></form></p>\n\n[js](javascript:alert(1))\n";
    std::fs::write(hb.join("docs/raw.md"), page).unwrap();
    let out = dir.path().join("a");
    common::build_into(&hb, &out);
    let sanitised = std::fs::read_to_string(out.join("docs/raw.html")).unwrap();
    assert!(sanitised.contains("<div class=\"matrix\"><b>kept</b></div>"));
    assert!(!sanitised.contains("var x = 1"));
    std::fs::write(hb.join("handbook.yaml"), "raw_html: true\n").unwrap();
    let out = dir.path().join("b");
    common::build_into(&hb, &out);
    let raw = std::fs::read_to_string(out.join("docs/raw.html")).unwrap();
    assert!(
        raw.contains("<script>var x = 1;</script>"),
        "raw_html: true keeps HTML as written"
    );
    assert!(
        !raw.to_ascii_lowercase().contains("javascript:"),
        "markdown links and raw HTML attributes are filtered even then: {raw}"
    );
    for kept in [
        "<a href=\"#unsafe-link-removed\">raw js</a>",
        "<a href=\"https://grafana.example.com/d/1\">dashboard</a>",
        "<iframe src=\"#unsafe-link-removed\"></iframe>",
        "<form action=\"#unsafe-link-removed\"><button formaction=\"#unsafe-link-removed\">go</button></form>",
    ] {
        assert!(raw.contains(kept), "{kept} in {raw}");
    }
}

#[test]
fn handbook_templates_override_built_ins_by_name() {
    let site = Site::build("edge");
    assert!(site.main("404.html").contains("Custom not found"));
    // The rest of the theme is the built-in one.
    assert!(site.read("index.html").contains("assets/style.css"));
    // A document called index.md does not replace the home page.
    assert!(site.main("index.html").contains("Escalation at a glance"));
    assert!(site.main("index-doc.html").contains("raw table kept"));
    assert!(
        site.main("docs/broken.html")
            .contains("frontmatter has errors")
    );
    assert!(site.files().contains(&"docs/my diagram.svg".to_string()));
}

#[test]
fn a_template_error_is_reported_with_its_cause() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("home.html"),
        "{% extends \"base.html\" %}{% block main %}{% if %}{% endblock main %}",
    )
    .unwrap();
    let err = Theme::load(Some(dir.path())).unwrap_err().to_string();
    assert!(err.contains("home.html") && err.contains("1:"), "{err}");
}

#[test]
fn a_failed_build_keeps_the_previous_output_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let handbook = common::fixture("edge");
    common::build_into(&handbook, &out);
    let before = snapshot(&out);
    // A template that compiles but fails while rendering one page.
    let templates = tempfile::tempdir().unwrap();
    std::fs::write(
        templates.path().join("runbook.html"),
        "{% extends \"base.html\" %}{% block main %}{{ page.no_such_field.deeper }}{% endblock main %}",
    )
    .unwrap();
    let theme = Theme::load(Some(templates.path())).unwrap();
    let (hb, _) = opsbook_core::load(&handbook, &Default::default()).unwrap();
    let result = write_atomically(&hb.root, &out, |d| {
        build(
            &hb,
            &theme,
            &BuildOptions {
                now: common::now(),
                ..Default::default()
            },
            d,
        )
    });
    let err = result.unwrap_err().to_string();
    assert!(
        err.contains("runbook.html") && err.contains("no_such_field"),
        "{err}"
    );
    assert_eq!(snapshot(&out), before, "the previous site is untouched");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers,
        vec![std::ffi::OsString::from("site")],
        "no temporary folder is left"
    );
}

fn snapshot(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push((
                    p.strip_prefix(dir).unwrap().display().to_string(),
                    std::fs::read(&p).unwrap(),
                ));
            }
        }
    }
    files.sort();
    files
}
