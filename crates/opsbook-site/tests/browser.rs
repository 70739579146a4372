//! In a real browser: headless Chromium through chromedriver, pages opened from `file://`.
//! Search finds results, the postmortem index filters, no page logs a console error, and
//! nothing of the XSS fixture runs. Screenshots go to `target/site-screenshots/`.

mod common;

use common::Site;
use common::webdriver::{Driver, available};
use serde_json::json;
use std::path::{Path, PathBuf};

fn url(site: &Site, page: &str) -> String {
    format!("file://{}", site.out.join(page).display())
}

fn screenshots() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/site-screenshots")
}

fn errors(driver: &Driver) -> Vec<String> {
    driver
        .console()
        .into_iter()
        .filter(|(level, _)| level == "SEVERE" || level == "ERROR")
        .map(|(_, m)| m)
        .collect()
}

#[test]
fn the_example_site_works_in_a_browser() {
    if !available() {
        return;
    }
    let site = Site::build("content-example");
    let driver = Driver::start();
    let pages = [
        ("index.html", "home"),
        ("runbooks/planetarium-db.html", "runbook"),
        ("postmortems/index.html", "postmortems"),
        ("stats.html", "stats"),
        ("services/planetarium-web.html", "service"),
        (
            "postmortems/PM-2026-0006-planetarium-db-booking-data-loss.html",
            "postmortem",
        ),
        ("escalation/sky-oncall.html", "escalation"),
        ("alerts.html", "alerts"),
        ("search.html", "search"),
    ];
    for (page, name) in pages {
        driver.goto(&url(&site, page));
        let errs = errors(&driver);
        assert!(errs.is_empty(), "{page} logs errors: {errs:?}");
        driver.screenshot(&screenshots().join(format!("{name}.png")));
    }

    // Search: type an alert name, see the runbook among the results.
    driver.goto(&url(&site, "search.html"));
    driver.type_into("#ob-q", "DiskFull");
    let results = driver.run(
        "return Array.from(document.querySelectorAll('#ob-results a')).map(a => a.getAttribute('href'));",
        json!([]),
    );
    let hrefs: Vec<&str> = results
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert!(
        hrefs.contains(&"runbooks/planetarium-db.html"),
        "search results: {hrefs:?}"
    );
    driver.screenshot(&screenshots().join("search-results.png"));
    // The search box of the menu leads to the same results.
    driver.goto(&format!(
        "{}?q=certificate",
        url(&site, "index.html").replace("index.html", "search.html")
    ));
    let count = driver.run(
        "return document.querySelectorAll('#ob-results li').length;",
        json!([]),
    );
    assert!(count.as_u64().unwrap_or(0) > 0, "?q= searches on load");

    // The postmortem index: the filters appear with JavaScript and narrow the table.
    driver.goto(&url(&site, "postmortems/index.html"));
    let visible = |d: &Driver| {
        d.run("return Array.from(document.querySelectorAll('#ob-pm-table tbody tr')).filter(r => !r.hidden).length;", json!([]))
            .as_u64()
            .unwrap_or(0)
    };
    let all = visible(&driver);
    assert!(all > 3);
    assert_eq!(
        driver.run(
            "return document.getElementById('ob-filters').hidden;",
            json!([])
        ),
        json!(false)
    );
    driver.run(
        "const s = document.querySelector('#ob-filters select[name=severity]'); s.value = 'SEV1'; s.dispatchEvent(new Event('change', {bubbles: true}));",
        json!([]),
    );
    let sev1 = visible(&driver);
    let expected = driver.run(
        "return document.querySelectorAll('#ob-pm-table tbody tr[data-severity=SEV1]').length;",
        json!([]),
    );
    assert_eq!(json!(sev1), expected);
    assert!(sev1 > 0 && sev1 < all, "{sev1} of {all}");
    driver.type_into("#ob-filters input[name=text]", "booking");
    assert!(visible(&driver) >= 1 && visible(&driver) <= sev1);
    // Sorting by duration: the first click puts the longest first, the second reverses.
    driver.run(
        "document.querySelector('#ob-filters input[name=text]').value=''; const s=document.querySelector('#ob-filters select[name=severity]'); s.value=''; s.dispatchEvent(new Event('change', {bubbles: true}));",
        json!([]),
    );
    let durations = |d: &Driver| -> Vec<i64> {
        d.run(
            "return Array.from(document.querySelectorAll('#ob-pm-table tbody tr')).map(r => Number(r.dataset.duration));",
            json!([]),
        )
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_i64())
        .collect()
    };
    driver.click("th[data-key=duration] button");
    let d = durations(&driver);
    assert!(d.windows(2).all(|w| w[0] >= w[1]), "longest first: {d:?}");
    driver.click("th[data-key=duration] button");
    let d = durations(&driver);
    assert!(d.windows(2).all(|w| w[0] <= w[1]), "shortest first: {d:?}");
    let errs = errors(&driver);
    assert!(errs.is_empty(), "the index logs errors: {errs:?}");
}

#[test]
fn nothing_of_the_xss_fixture_runs() {
    if !available() {
        return;
    }
    let site = Site::build("xss");
    let driver = Driver::start();
    let pages: Vec<String> = site
        .files()
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .collect();
    assert!(pages.len() > 10);
    for page in &pages {
        driver.goto(&url(&site, page));
        // Click every link on the page that stays on it, in case one runs code.
        driver.run(
            "document.querySelectorAll('a[href^=\"#\"]').forEach(a => a.click());",
            json!([]),
        );
        assert_eq!(driver.dialog(), None, "{page} opened a dialog");
        let flag = driver.run(
            "return window.xss === undefined ? null : window.xss;",
            json!([]),
        );
        assert_eq!(flag, json!(null), "{page} ran injected code");
    }
    driver.goto(&format!("{}?q=script", url(&site, "search.html")));
    let flag = driver.run(
        "return window.xss === undefined ? null : window.xss;",
        json!([]),
    );
    assert_eq!(flag, json!(null), "search results ran injected code");
    assert!(
        driver
            .run(
                "return document.querySelectorAll('#ob-results li').length;",
                json!([])
            )
            .as_u64()
            .unwrap_or(0)
            > 0
    );
}

#[test]
fn old_addresses_redirect_to_their_pages_from_disk() {
    if !available() {
        return;
    }
    let site = Site::build("alerts-pretty");
    let driver = Driver::start();
    for (alias, page) in [
        (
            "runbooks/kafka-lag/index.html",
            "runbooks/kafka/kafkaconsumerlag/index.html",
        ),
        (
            "kafka/consumer-lag.html",
            "runbooks/kafka/kafkaconsumerlag/index.html",
        ),
        (
            "postmortems/db-failover/index.html",
            "incidents/2026-05-02-db-failover.html",
        ),
    ] {
        driver.goto(&url(&site, alias));
        // The meta refresh takes the reader on by itself, without JavaScript of ours.
        let mut landed = String::new();
        for _ in 0..50 {
            landed = driver
                .run("return location.href;", json!([]))
                .as_str()
                .unwrap_or_default()
                .to_string();
            if landed == url(&site, page) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        assert_eq!(landed, url(&site, page), "{alias} did not redirect");
        let h1 = driver.run(
            "return document.querySelector('main h1').textContent;",
            json!([]),
        );
        assert!(h1.as_str().is_some_and(|t| !t.is_empty()), "{page}: {h1}");
    }
    // A folder address opened from disk names its index file: relative links still work.
    driver.goto(&url(&site, "runbooks/db/postgresdown/index.html"));
    driver.click("a[href='../../kafka/kafkaconsumerlag/index.html#mitigation']");
    let at = driver.run("return location.href;", json!([]));
    assert_eq!(
        at,
        json!(format!(
            "{}#mitigation",
            url(&site, "runbooks/kafka/kafkaconsumerlag/index.html")
        ))
    );
    driver.screenshot(&screenshots().join("pretty-runbook.png"));
    let errs = errors(&driver);
    assert!(errs.is_empty(), "the adopted site logs errors: {errs:?}");
}
