//! `opsbook serve` in headless Chromium (through chromedriver; skipped when missing, as
//! the site's browser tests): an open page reloads by itself after a file edit, shows the
//! findings overlay after a broken edit, and the overlay can be dismissed.
#![cfg(feature = "serve")]

mod serve_support;
#[path = "../crates/opsbook-site/tests/common/webdriver.rs"]
#[allow(dead_code, unreachable_pub)]
mod webdriver;

use serde_json::json;
use serve_support::{PATIENCE, Server};
use std::time::Instant;
use webdriver::{Driver, available};

/// Runs `script` until it returns `true`.
fn wait_for(driver: &Driver, what: &str, script: &str) {
    let start = Instant::now();
    while driver.run(script, json!([])) != json!(true) {
        assert!(start.elapsed() < PATIENCE, "the page never showed {what}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn an_open_page_reloads_itself_after_an_edit() {
    if !available() {
        return;
    }
    let server = Server::start(&[]);
    let driver = Driver::start();
    driver.goto(&server.url("/runbooks/data-api.html"));
    assert_eq!(
        driver.run(
            "return document.querySelector('h1').textContent;",
            json!([])
        ),
        json!("Sky data API runbook")
    );
    // The live script connected: a reload event can only reach an open stream.
    wait_for(
        &driver,
        "a connected event stream",
        "return performance.getEntriesByType('resource').some(e => e.name.endsWith('/__opsbook/live.js'));",
    );
    // A marker that only survives if the page is not reloaded.
    driver.run("window.opsbookTestMarker = 1; return true;", json!([]));
    std::thread::sleep(std::time::Duration::from_millis(300));

    let original = server.read("runbooks/data-api.md");
    server.write(
        "runbooks/data-api.md",
        &format!("{original}\nA paragraph the browser must show by itself.\n"),
    );
    wait_for(
        &driver,
        "the new paragraph",
        "return window.opsbookTestMarker === undefined && document.body.innerText.includes('A paragraph the browser must show by itself.');",
    );
    assert!(
        driver
            .run(
                "return document.getElementById('opsbook-overlay') === null;",
                json!([])
            )
            .as_bool()
            .unwrap_or(false)
    );

    // A broken edit: the reloaded page shows the finding; Dismiss hides the panel.
    server.write(
        "runbooks/data-api.md",
        &original.replace("service: data-api", "service: no-such-service"),
    );
    wait_for(
        &driver,
        "the overlay",
        "const o = document.getElementById('opsbook-overlay'); return o !== null && o.innerText.includes('OB201') && o.getBoundingClientRect().height > 0;",
    );
    driver.click("#opsbook-overlay-close");
    wait_for(
        &driver,
        "the dismissed overlay",
        "return document.getElementById('opsbook-overlay').hidden === true;",
    );

    // Fixed: the overlay is gone after the next reload.
    server.write("runbooks/data-api.md", &original);
    wait_for(
        &driver,
        "the page without overlay",
        "return document.getElementById('opsbook-overlay') === null && !document.body.innerText.includes('A paragraph the browser');",
    );
}
