//! What `serve` adds to every HTML page before `</body>`: the findings panel, rendered on
//! the server so it shows before any script runs, and the live-reload script. The site's
//! templates stay as `opsbook build` renders them.

use super::Snapshot;
use opsbook_core::render::Report;

/// At most this many findings are listed; the heading still counts them all.
const LISTED: usize = 50;

/// The live-reload script (`/__opsbook/live.js`): listens to `/__opsbook/events` and
/// reloads the page when the server's version is not the one the page was rendered for.
pub(crate) const SCRIPT: &str = r#"(function () {
  "use strict";
  var me = document.getElementById("opsbook-live");
  var version = me ? Number(me.getAttribute("data-version")) : 0;
  var close = document.getElementById("opsbook-overlay-close");
  if (close) {
    close.addEventListener("click", function () {
      var overlay = document.getElementById("opsbook-overlay");
      if (overlay) { overlay.hidden = true; }
    });
  }
  if (!window.EventSource) { return; }
  var source = new EventSource("/__opsbook/events");
  function onEvent(e) {
    var data;
    try { data = JSON.parse(e.data); } catch (err) { return; }
    if (data.version !== version) {
      source.close();
      window.location.reload();
    }
  }
  source.addEventListener("hello", onEvent);
  source.addEventListener("reload", onEvent);
})();
"#;

const STYLE: &str = "<style>\
#opsbook-overlay{position:fixed;right:1rem;bottom:1rem;z-index:2147483647;box-sizing:border-box;\
max-width:min(46rem,calc(100vw - 2rem));max-height:50vh;overflow:auto;margin:0;padding:.75rem 1rem;\
background:#fff;color:#1b1b1b;border:2px solid #b3261e;border-radius:6px;\
box-shadow:0 6px 24px rgba(0,0,0,.3);font:14px/1.45 system-ui,sans-serif;text-align:left}\
#opsbook-overlay.opsbook-warnings{border-color:#8a5a00}\
#opsbook-overlay[hidden]{display:none}\
#opsbook-overlay header{display:flex;gap:1rem;justify-content:space-between;align-items:baseline}\
#opsbook-overlay button{font:inherit;cursor:pointer;border:1px solid #888;border-radius:4px;background:#f4f4f4;color:#1b1b1b;padding:0 .5rem}\
#opsbook-overlay ul{margin:.5rem 0 0;padding:0;list-style:none}\
#opsbook-overlay li{margin:.25rem 0}\
#opsbook-overlay code{font-family:ui-monospace,monospace;font-size:.9em}\
#opsbook-overlay .opsbook-error{color:#b3261e;font-weight:600}\
#opsbook-overlay .opsbook-warning{color:#8a5a00;font-weight:600}\
#opsbook-overlay pre{white-space:pre-wrap;margin:.5rem 0 0}\
</style>";

/// The site's HTML escaper: one for every page and panel.
pub(crate) use opsbook_site::markdown::escape;

/// The panel of findings (empty when there is nothing to show) and the script tag.
pub(crate) fn markup(snapshot: &Snapshot, render_error: Option<&str>) -> String {
    let mut html = String::new();
    let (errors, warnings) = snapshot.counts();
    let failures: Vec<(&str, &str)> = [
        (
            "The templates do not compile",
            snapshot.theme_error.as_deref(),
        ),
        ("This page could not be rendered", render_error),
    ]
    .into_iter()
    .filter_map(|(what, e)| Some((what, e?)))
    .collect();
    let diagnostics = &snapshot.diagnostics;
    if !diagnostics.is_empty() || !failures.is_empty() {
        let class = if errors == 0 && failures.is_empty() {
            "opsbook-warnings"
        } else {
            "opsbook-errors"
        };
        let mut heading = Vec::new();
        if errors > 0 {
            heading.push(format!(
                "{errors} error{}",
                if errors == 1 { "" } else { "s" }
            ));
        }
        if warnings > 0 {
            heading.push(format!(
                "{warnings} warning{}",
                if warnings == 1 { "" } else { "s" }
            ));
        }
        if heading.is_empty() {
            heading.push("site error".to_string());
        }
        html.push_str(STYLE);
        html.push_str(&format!(
            "<aside id=\"opsbook-overlay\" class=\"{class}\" role=\"alert\" aria-label=\"opsbook check findings\"><header><strong>opsbook check: {}</strong><button type=\"button\" id=\"opsbook-overlay-close\" aria-label=\"Dismiss\">Dismiss</button></header>",
            heading.join(", ")
        ));
        for (what, error) in failures {
            html.push_str(&format!(
                "<p class=\"opsbook-error\">{}</p><pre>{}</pre>",
                escape(what),
                escape(error)
            ));
        }
        if !diagnostics.is_empty() {
            html.push_str("<ul>");
            let report = Report::new(&snapshot.handbook, diagnostics, String::new());
            for d in diagnostics.iter().take(LISTED) {
                let at = report.locate(d);
                html.push_str(&format!(
                    "<li><code>{}:{}:{}</code> <span class=\"opsbook-{}\">{}[{}]</span> {}</li>",
                    escape(&at.path),
                    at.start.line,
                    at.start.column,
                    d.level,
                    d.level,
                    d.rule.code(),
                    escape(&d.message)
                ));
            }
            if diagnostics.len() > LISTED {
                html.push_str(&format!(
                    "<li>… and {} more: run <code>opsbook check</code></li>",
                    diagnostics.len() - LISTED
                ));
            }
            html.push_str("</ul>");
        }
        html.push_str("</aside>");
    }
    html.push_str(&format!(
        "<script id=\"opsbook-live\" data-version=\"{}\" src=\"/__opsbook/live.js\"></script>",
        snapshot.version
    ));
    html
}

/// `page` with [`markup`] inserted before its last `</body>` (or at the end).
pub(crate) fn inject(page: &[u8], snapshot: &Snapshot, render_error: Option<&str>) -> Vec<u8> {
    let extra = markup(snapshot, render_error);
    let at = page
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(page.len());
    let mut out = Vec::with_capacity(page.len() + extra.len());
    out.extend_from_slice(&page[..at]);
    out.extend_from_slice(extra.as_bytes());
    out.extend_from_slice(&page[at..]);
    out
}
