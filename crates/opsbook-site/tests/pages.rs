//! End to end: build content-example and check each page type's `<main>`, that every
//! internal link resolves (anchors included), and that no external URL appears that the
//! author did not write.

mod common;

use common::Site;
use common::html::{ids, is_external, tags};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

fn example() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| Site::build("content-example"))
}

#[test]
fn home_lists_services_escalation_incidents_and_figures() {
    let main = example().main("index.html");
    for text in [
        "Open incidents",
        "Services",
        "Escalation at a glance",
        "Recent incidents",
        "Median time to resolve",
        "Stale runbooks",
        "href=\"services/login-service.html\"",
        "href=\"runbooks/login-service.html\"",
        "class=\"sev sev",
    ] {
        assert!(main.contains(text), "home lacks {text}");
    }
    // Open incidents, most severe first: the SEV2 (opened 2026-11-16) before the SEV4,
    // though the SEV4 is the more recent (2026-11-23).
    let open = &main
        [main.find("<h2>Open incidents</h2>").unwrap()..main.find("<h2>Services</h2>").unwrap()];
    let (sev2, sev4) = (open.find("PM-2026-0013"), open.find("PM-2026-0014"));
    assert!(sev2.is_some() && sev4.is_some() && sev2 < sev4, "{open}");
}

#[test]
fn service_page_has_runbook_sla_escalation_incidents_and_dependencies() {
    let main = example().main("services/planetarium-web.html");
    for text in [
        "Runbook:",
        "href=\"../runbooks/planetarium-web.html\"",
        "Error budget over the",
        "Budget per window",
        "<h2 class=\"generated\">Escalation</h2>",
        "Level 1",
        "Depends on",
        "Used by",
        "href=\"../postmortems/PM-2026-0006-planetarium-db-booking-data-loss.html\"",
    ] {
        assert!(main.contains(text), "service page lacks {text}");
    }
    let db = example().main("services/planetarium-db.html");
    assert!(
        db.contains("href=\"planetarium-web.html\""),
        "planetarium-db is used by the web app"
    );
}

#[test]
fn runbook_page_has_metadata_freshness_highlighted_code_and_toc() {
    let main = example().main("runbooks/planetarium-db.html");
    for text in [
        "aria-label=\"Runbook details\"",
        "class=\"fresh fresh-",
        "On this page",
        "href=\"#alerts\"",
        "id=\"alerts\"",
        "<pre class=\"code\" data-lang=\"",
        "<span class=\"hl-",
        "Incidents that used this runbook",
    ] {
        assert!(main.contains(text), "runbook page lacks {text}");
    }
}

#[test]
fn postmortem_pages_show_time_points_durations_roles_and_actions() {
    let main = example().main("postmortems/PM-2026-0006-planetarium-db-booking-data-loss.html");
    for text in [
        "<th scope=\"row\">started</th>",
        "<th scope=\"row\">resolved</th>",
        "Since previous",
        "Time to detect (MTTD)",
        "communications",
        "Action items",
        "item item-done",
        "item item-open",
        "class=\"sev sev1\"",
        "2026-05-19 19:42 UTC",
    ] {
        assert!(main.contains(text), "postmortem page lacks {text}");
    }
}

#[test]
fn postmortem_index_is_a_complete_table_without_javascript() {
    let main = example().main("postmortems/index.html");
    let rows = main.matches("<tr class=\"row-sev").count();
    let files = std::fs::read_dir(common::fixture("content-example").join("postmortems"))
        .unwrap()
        .count();
    assert_eq!(rows, files, "one row per postmortem");
    for text in [
        "data-severity=\"SEV1\"",
        "data-status=\"resolved\"",
        "data-duration=\"",
        "<form class=\"filters\" id=\"ob-filters\" hidden>",
    ] {
        assert!(main.contains(text), "index lacks {text}");
    }
}

#[test]
fn index_pages_list_documents_by_title() {
    let main = example().main("runbooks/index.html");
    let titles: Vec<String> = main
        .split("<li><a href=\"")
        .skip(1)
        .map(|item| {
            let text = &item[item.find('>').unwrap() + 1..];
            text[..text.find("</a>").unwrap()].to_lowercase()
        })
        .collect();
    assert!(titles.len() > 3, "{main}");
    assert!(titles.is_sorted(), "{titles:?}");
}

#[test]
fn sla_escalation_team_and_free_pages() {
    let s = example();
    let sla = s.main("slas/planetarium-web-sla.html");
    assert!(sla.contains("Objectives and error budget"));
    // Only the incident that names the SLO is charged; the open SEV4 that names none, and
    // the SEV1 that lost data without an outage, are left out with the reason.
    assert!(sla.contains("<td class=\"num\">43m 12s</td>"), "{sla}");
    assert!(
        sla.contains("2h 28m · budget exhausted (3.4× over)"),
        "{sla}"
    );
    assert!(sla.contains(
        "<li><span class=\"id\">PM-2026-0013</span>: 2h 28m (its `slo_impact` names `availability`)</li>"
    ));
    assert!(sla.contains("PM-2026-0014 (no `slo_impact`: it names no SLO it hurt (list SEV4"));
    let esc = s.main("escalation/sky-oncall.html");
    assert!(esc.contains("<ol class=\"steps\">") && esc.contains("via pager"));
    let team = s.main("teams/sky-sre.html");
    assert!(team.contains("Members") && team.contains("Owns"));
    let page = s.main("docs/hosts.html");
    assert!(page.contains("<article class=\"doc\">"));
}

#[test]
fn statistics_search_feed_and_404() {
    let s = example();
    let stats = s.main("stats.html");
    for text in [
        "MTTD",
        "MTTA",
        "MTTM",
        "MTTR",
        "<svg class=\"chart\"",
        "<caption>MTTR by severity</caption>",
        "<caption>MTTR by quarter</caption>",
        "<h2>Mean time to resolve <span class=\"metric-key\">MTTR</span></h2>",
        // A metric whose key is not an abbreviation is called by its title.
        "<h2>Postmortem lead time</h2>",
        "<p class=\"formula\">Postmortem lead time = published − resolved</p>",
        "p90",
    ] {
        assert!(stats.contains(text), "stats lack {text}");
    }
    assert!(!stats.contains(">postmortem_lead_time"), "raw key shown");
    let index = s.read("search-index.js");
    assert!(index.starts_with("window.OPSBOOK_SEARCH = ["));
    assert!(
        index.contains("PlanetariumDbDiskFullIn6h"),
        "alert names are searchable"
    );
    assert!(
        s.read("search.html")
            .contains("<script src=\"search-index.js\"></script>")
    );
    let feed = s.read("feed.xml");
    assert!(feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
    assert_eq!(
        feed.matches("<entry>").count(),
        std::fs::read_dir(common::fixture("content-example").join("postmortems"))
            .unwrap()
            .count()
    );
    assert!(s.main("404.html").contains("Page not found"));
}

/// The `<article>` of the alert with element id `id` on the alerts page `main`.
fn alert_article<'m>(main: &'m str, id: &str) -> &'m str {
    let at = main
        .find(&format!(" id=\"{id}\">\n<h3>"))
        .unwrap_or_else(|| panic!("the alerts page has no article {id}"));
    let start = main[..at].rfind("<article").expect("an article");
    let end = main[start..].find("</article>").expect("closed") + start;
    &main[start..end]
}

#[test]
fn alerts_page_lists_every_rule_with_its_runbook_severity_and_expression() {
    let s = example();
    let (hb, _) =
        opsbook_core::load(common::fixture("content-example"), &Default::default()).expect("loads");
    assert!(hb.alerts.alerts.len() > 20, "the example has alert rules");
    let main = s.main("alerts.html");
    assert!(main.contains("<h1>Alerts</h1>"));
    // Both rule formats: a plain rule file and PrometheusRule resources.
    assert!(main.contains("Rule file <code>alerts/rules.yaml</code>"));
    assert!(main.contains("PrometheusRule <code>databases/planetarium-db</code>"));
    let links = opsbook_core::alerts::links::AlertLinks::new(&hb);
    for (i, alert) in hb.alerts.alerts.iter().enumerate() {
        let article = alert_article(&main, &alert.name);
        assert!(
            article.contains(&format!(
                "<a class=\"self\" href=\"#{0}\">{0}</a>",
                alert.name
            )),
            "{} has its name",
            alert.name
        );
        // The runbook link resolves to the runbook page and the heading its
        // runbook_url names: runbooks/<id>.html#<alert name in lower case>.
        let runbook = links.runbooks_of(i, &alert.name)[0];
        let href = format!(
            "href=\"runbooks/{}.html#{}\"",
            runbook.id,
            alert.name.to_lowercase()
        );
        assert!(
            article.contains(&href),
            "{}: no {href} in {article}",
            alert.name
        );
        // The severity label and the handbook severity it maps to.
        let label = alert
            .severity()
            .expect("every example alert has a severity");
        let sev = hb.config.alert_severity(label).expect("on the scale");
        assert!(article.contains(&format!("<code>severity=\"{label}\"</code> → {sev}")));
        assert!(article.contains(&format!("\">{sev}</span>")));
        match alert.for_ {
            Some(f) => assert!(article.contains(&format!("<dt>For</dt><dd>{f}"))),
            // The generated burn-rate alerts: their short window does what `for` would.
            None => assert!(article.contains("<dt>For</dt><dd>— (fires at once)")),
        }
        // The expression is highlighted as PromQL at build time.
        assert!(article.contains("<pre class=\"code\" data-lang=\"promql\">"));
        assert!(article.contains("<span class=\"hl-"));
        let summary = alert
            .annotation("summary")
            .expect("a summary")
            .value
            .as_str();
        assert!(
            !summary.contains(['<', '>']) && common::html::unescape(article).contains(summary),
            "{}: summary",
            alert.name
        );
    }
    assert_eq!(
        main.matches("<article class=\"alert-rule").count(),
        hb.alerts.alerts.len()
    );
    assert!(
        !main.contains("state-broken"),
        "every example runbook_url resolves"
    );
    // The alerts page is in the menu of every page.
    assert!(
        s.read("index.html")
            .contains("<a href=\"alerts.html\">Alerts</a>")
    );
    assert!(
        s.read("runbooks/login-service.html")
            .contains("<a href=\"../alerts.html\">Alerts</a>")
    );
}

#[test]
fn runbook_pages_link_their_alerts_to_the_rules() {
    let main = example().main("runbooks/planetarium-db.html");
    for text in [
        "<a href=\"../alerts.html#PlanetariumDbDiskFullIn6h\"><code>PlanetariumDbDiskFullIn6h</code></a> <span class=\"sev sev1\">SEV1</span>",
        "<a href=\"../alerts.html#PlanetariumDbBackupTooOld\"><code>PlanetariumDbBackupTooOld</code></a> <span class=\"sev sev3\">SEV3</span>",
    ] {
        assert!(main.contains(text), "runbook page lacks {text}");
    }
    assert!(!main.contains("no rule defines it"));
}

#[test]
fn alerts_page_shows_broken_external_dynamic_and_missing_runbook_urls() {
    let site = Site::build("edge");
    let main = site.main("alerts.html");
    // A relative runbook_url to the runbook's source, with an anchor.
    let down = alert_article(&main, "ApiDown");
    assert!(down.contains("href=\"runbooks/api.html#apidown\">API runbook › ApiDown</a>"));
    // Annotations are escaped.
    assert!(down.contains("The API is down &lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(down.contains("Fewer than 1 &amp; more than 0 &lt; 1 instances answer"));
    assert!(!main.contains("<script>alert"));
    // A second rule of the same name gets an id of its own.
    let again = alert_article(&main, "ApiDown-2");
    assert!(again.contains("href=\"runbooks/api.html\">API runbook</a>"));
    assert!(again.contains("<span class=\"sev sev3\" title=\"Minor\">SEV3</span>"));
    let gone = alert_article(&main, "ApiRunbookGone");
    assert!(gone.contains("state-broken") && gone.contains("no-such-runbook"));
    let elsewhere = alert_article(&main, "ApiRunbookElsewhere");
    assert!(elsewhere.contains("state-external"));
    assert!(elsewhere.contains("href=\"https://wiki.example.org/api-errors\""));
    assert!(elsewhere.contains("<span class=\"sev sev-unknown\">loud</span>"));
    let dynamic = alert_article(&main, "ApiRunbookByService");
    assert!(dynamic.contains("state-dynamic") && dynamic.contains("the label service"));
    let none = alert_article(&main, "ApiNoRunbookUrl");
    assert!(none.contains("state-missing") && none.contains("— (fires at once)"));
    // The runbook links defined alerts and marks the one no rule defines.
    let runbook = site.main("runbooks/api.html");
    assert!(runbook.contains(
        "<a href=\"../alerts.html#ApiDown\"><code>ApiDown</code></a> <span class=\"sev sev1\">SEV1</span> <span class=\"sev sev3\">SEV3</span>"
    ));
    assert!(
        runbook.contains(
            "<code>ApiNoSuchRule</code> <span class=\"no-rule\">no rule defines it</span>"
        )
    );
}

#[test]
fn a_handbook_without_alert_rules_has_no_alerts_page() {
    let site = Site::build("xss");
    assert!(!site.files().contains(&"alerts.html".to_string()));
    assert!(!site.read("index.html").contains("alerts.html"));
}

/// Every `href`/`src` of every page that stays inside the site resolves to a file of the
/// output, and every `#anchor` to an id of its target.
fn assert_links_resolve(site: &Site) {
    let pages: Vec<String> = site
        .files()
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .collect();
    let mut id_cache: HashMap<String, HashSet<String>> = HashMap::new();
    let mut problems = Vec::new();
    for page in &pages {
        let html = site.read(page);
        for tag in tags(&html) {
            for attr in ["href", "src"] {
                let Some(url) = tag.attr(attr) else { continue };
                if is_external(url) || url.is_empty() {
                    continue;
                }
                let (path, anchor) = match url.split_once('#') {
                    Some((p, a)) => (p, Some(a)),
                    None => (url, None),
                };
                let path = path.split('?').next().unwrap_or_default();
                let target = if path.is_empty() {
                    page.clone()
                } else {
                    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
                    match opsbook_core::markdown::resolve(page, &decoded) {
                        Some(t) => t,
                        None => {
                            problems.push(format!("{page}: {url} leaves the site"));
                            continue;
                        }
                    }
                };
                if !site.out.join(&target).is_file() {
                    problems.push(format!("{page}: {url} -> {target} does not exist"));
                    continue;
                }
                if let Some(anchor) = anchor.filter(|a| !a.is_empty()) {
                    let ids = id_cache
                        .entry(target.clone())
                        .or_insert_with(|| ids(&site.read(&target)).into_iter().collect());
                    if !ids.contains(anchor) {
                        problems.push(format!("{page}: {url}: no id `{anchor}` in {target}"));
                    }
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "broken links:\n{}",
        problems.join("\n")
    );
}

/// Every external URL of the output appears in the handbook's own files.
fn assert_no_foreign_urls(site: &Site, handbook: &std::path::Path) {
    let (hb, _) = opsbook_core::load(handbook, &Default::default()).unwrap();
    let sources: String = hb.files.iter().map(|f| f.text.as_str()).collect();
    // The feed's links are the author's `base_url` joined with the page's path.
    let base = hb.config.base_url.clone().unwrap_or_else(|| "\u{0}".into());
    let mut problems = Vec::new();
    for file in site.files() {
        let text = site.read(&file);
        if file.ends_with(".html") || file.ends_with(".xml") {
            for tag in tags(&text) {
                for attr in ["href", "src", "action", "data", "poster"] {
                    if let Some(url) = tag.attr(attr) {
                        let web = url.starts_with("//")
                            || url.starts_with("http:")
                            || url.starts_with("https:");
                        if web && !sources.contains(url) && !url.starts_with(&base) {
                            problems.push(format!("{file}: {url}"));
                        }
                    }
                }
            }
        } else if (file.ends_with(".css") || (file.ends_with(".js") && file != "search-index.js"))
            && (text.contains("http:")
                || text.contains("https:")
                || text.contains("url(")
                || text.contains("@import"))
        {
            problems.push(format!("{file} references an external resource"));
        }
    }
    assert!(
        problems.is_empty(),
        "URLs the author did not write:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_internal_link_of_the_example_resolves() {
    assert_links_resolve(example());
}

#[test]
fn the_example_references_no_url_the_author_did_not_write() {
    assert_no_foreign_urls(example(), &common::fixture("content-example"));
}

#[test]
fn every_internal_link_of_the_edge_fixture_resolves() {
    let site = Site::build("edge");
    assert_links_resolve(&site);
    assert_no_foreign_urls(&site, &common::fixture("edge"));
}

/// A runbook repository adopted from Hugo: folder addresses in lowercase, aliases, links
/// written by address.
fn pretty() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| Site::build("alerts-pretty"))
}

#[test]
fn pages_land_on_the_permalinks_and_aliases_get_redirect_pages() {
    let files = pretty().files();
    for page in [
        "runbooks/db/postgresdown/index.html",
        "runbooks/db/postgresreplicationlag/index.html",
        "runbooks/kafka/kafkaconsumerlag/index.html",
        "docs/on-call/index.html",
        "incidents/2026-05-02-db-failover.html",
        // aliases
        "runbooks/kafka-lag/index.html",
        "kafka/consumer-lag.html",
        "postmortems/db-failover/index.html",
    ] {
        assert!(
            files.contains(&page.to_string()),
            "{page} missing: {files:?}"
        );
    }
    assert!(
        !files
            .iter()
            .any(|f| f.starts_with("runbooks/db/PostgresDown"))
    );
    assert_eq!(
        pretty().read("runbooks/kafka-lag/index.html"),
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Moved: KafkaConsumerLag</title>\n\
         <meta http-equiv=\"refresh\" content=\"0; url=../kafka/kafkaconsumerlag/index.html\">\n\
         <meta name=\"robots\" content=\"noindex\">\n\
         <link rel=\"canonical\" href=\"https://runbooks.example.dev/runbooks/kafka/kafkaconsumerlag/\">\n\
         </head>\n<body>\n<p>This page has moved to \
         <a href=\"../kafka/kafkaconsumerlag/index.html\">KafkaConsumerLag</a>.</p>\n</body>\n</html>\n"
    );
}

#[test]
fn folder_pages_name_their_canonical_url_and_link_by_relative_index_files() {
    let page = pretty().read("runbooks/db/postgresdown/index.html");
    assert!(page.contains(
        "<link rel=\"canonical\" href=\"https://runbooks.example.dev/runbooks/db/postgresdown/\">"
    ));
    assert!(page.contains("href=\"../../../assets/style.css\""));
    let main = pretty().main("runbooks/db/postgresdown/index.html");
    // Written as `PostgresReplicationLag.md`, `/docs/on-call/` and `/runbooks/kafka-lag/#…`
    // (an alias): each made relative to the page it leads to.
    for link in [
        "href=\"../postgresreplicationlag/index.html\"",
        "href=\"../../../docs/on-call/index.html\"",
        "href=\"../../kafka/kafkaconsumerlag/index.html#mitigation\"",
    ] {
        assert!(main.contains(link), "{link} not in {main}");
    }
    let kafka = pretty().main("runbooks/kafka/kafkaconsumerlag/index.html");
    assert!(
        kafka.contains(
            "<p class=\"aliases\">Old addresses, redirected here: <code>/runbooks/kafka-lag/</code>, <code>/kafka/consumer-lag.html</code></p>"
        ),
        "{kafka}"
    );
    let on_call = pretty().main("docs/on-call/index.html");
    assert!(on_call.contains("href=\"../../runbooks/db/postgresdown/index.html\""));
    assert!(on_call.contains("href=\"../../runbooks/kafka/kafkaconsumerlag/index.html\""));
    let feed = pretty().read("feed.xml");
    assert!(feed.contains(
        "<link rel=\"alternate\" href=\"https://runbooks.example.dev/incidents/2026-05-02-db-failover.html\"/>"
    ));
    let index = pretty().read("search-index.js");
    assert!(index.contains("\"u\":\"runbooks/db/postgresdown/index.html\""));
}

#[test]
fn every_internal_link_of_the_adopted_hugo_fixture_resolves() {
    assert_links_resolve(pretty());
    assert_no_foreign_urls(pretty(), &common::fixture("alerts-pretty"));
}

#[test]
fn sla_pages_show_the_burn_rate_alerts_generated_from_each_slo() {
    let main = example().main("slas/order-book-api-sla.html");
    // The Workbook's policy for a 99.9 % SLO over 30 days, each alert linked to the rule
    // that deploys it on the alerts page.
    for row in [
        "<tr><th scope=\"row\" rowspan=\"2\"><a href=\"../alerts.html#OrderBookApiAvailabilityBurnFast\">OrderBookApiAvailabilityBurnFast</a></th><td rowspan=\"2\">page</td><td>1h and 5m</td><td class=\"num\">14.4×</td><td class=\"num\">1.44 %</td><td class=\"num\">2 %</td></tr>",
        "<tr><td>6h and 30m</td><td class=\"num\">6×</td><td class=\"num\">0.6 %</td><td class=\"num\">5 %</td></tr>",
        "<td rowspan=\"2\">ticket</td><td>1d and 2h</td><td class=\"num\">3×</td><td class=\"num\">0.3 %</td><td class=\"num\">10 %</td></tr>",
        "<tr><td>3d and 6h</td><td class=\"num\">1×</td><td class=\"num\">0.1 %</td><td class=\"num\">10 %</td></tr>",
        // 95 % latency: the same factors, against a 5 % budget.
        "<td rowspan=\"2\">page</td><td>1h and 5m</td><td class=\"num\">14.4×</td><td class=\"num\">72 %</td><td class=\"num\">2 %</td></tr>",
    ] {
        assert!(main.contains(row), "{row} not in {main}");
    }
    assert!(!main.contains("not in the rule files"));
}

#[test]
fn generated_alerts_missing_from_the_rule_files_are_marked() {
    fn copy(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    let handbook = tmp.path().join("handbook");
    copy(&common::fixture("alerts-slo"), &handbook);
    let sla_page = |site: &std::path::Path| {
        std::fs::read_to_string(site.join("slas/web-api-sla.html")).unwrap()
    };
    // With its generated rules in `alert_rules`, every alert links to its rule ...
    common::build_into(&handbook, &tmp.path().join("with"));
    let with = sla_page(&tmp.path().join("with"));
    assert!(with.contains("<section class=\"burn\">"), "{with}");
    assert!(!with.contains("not in the rule files"));
    // ... and without them, each is marked as not deployed.
    let config = std::fs::read_to_string(handbook.join("handbook.yaml")).unwrap();
    let config = config.replace("alert_rules:\n  - \"alerts/*.yaml\"\n", "");
    std::fs::write(handbook.join("handbook.yaml"), config).unwrap();
    common::build_into(&handbook, &tmp.path().join("without"));
    let without = sla_page(&tmp.path().join("without"));
    assert!(
        without.contains("BurnFast <small>(not in the rule files)</small>"),
        "{without}"
    );
    assert!(!without.contains("alerts.html#"));
}
