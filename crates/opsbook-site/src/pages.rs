//! The pages the site generates itself: home, lists, the postmortem index, statistics,
//! alerts, search, 404 and the Atom feed.

use crate::error::SiteError;
use crate::format;
use crate::search::{Entry, script};
use crate::site::{Writer, render_template};
use crate::theme::Theme;
use crate::views::Ctx;
use opsbook_core::model::Kind;
use opsbook_core::permalink::url_of;
use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

/// A postmortem in the Atom feed.
#[derive(Debug, Serialize)]
struct FeedEntry {
    id: String,
    title: String,
    url: String,
    updated: String,
    severity: String,
    summary: String,
}

/// Renders the search index and the feed, which need the text of every document.
pub(crate) fn from_entries(
    cx: &Ctx<'_>,
    writer: &Writer<'_>,
    entries: &[Entry],
) -> Result<usize, SiteError> {
    let (a, b) = rayon::join(
        || writer.write("search-index.js", script(entries).as_bytes()),
        || {
            let xml = feed(cx, writer.theme, entries)?;
            writer.write("feed.xml", xml.as_bytes())
        },
    );
    a?;
    b?;
    Ok(2)
}

/// The generated pages that need no document body.
const PLAIN: [&str; 12] = [
    "index.html",
    "postmortems/index.html",
    "stats.html",
    crate::views::alerts::ALERTS_PAGE,
    "search.html",
    "404.html",
    "services/index.html",
    "runbooks/index.html",
    "slas/index.html",
    "escalation/index.html",
    "teams/index.html",
    "pages/index.html",
];

/// Renders the generated pages that need no document body (run alongside the documents);
/// returns how many were written.
pub(crate) fn generated(cx: &Ctx<'_>, writer: &Writer<'_>) -> Result<usize, SiteError> {
    PLAIN
        .par_iter()
        .map(|page| match render(cx, writer.theme, page)? {
            Some(html) => writer.write(page, html.as_bytes()).map(|()| 1),
            None => Ok(0),
        })
        .sum::<Result<usize, SiteError>>()
}

/// Renders the generated page `page` that needs no document body; `None` when the site
/// has no such page (not a generated page, or the alerts page without alerting rules).
pub(crate) fn render(cx: &Ctx<'_>, theme: &Theme, page: &str) -> Result<Option<String>, SiteError> {
    let mut c = Context::new();
    let template = match page {
        "index.html" => {
            let stale = cx
                .handbook
                .of_kind(Kind::Runbook)
                .filter_map(|d| Some((d, d.as_runbook()?)))
                .filter(|(d, rb)| cx.freshness(d, rb).class == "stale")
                .count();
            let mttr = cx
                .stats
                .metrics
                .iter()
                .find(|m| m.name == "MTTR")
                .and_then(|m| m.overall.summary.median)
                .map(|s| format::duration(s.round() as i64));
            c.insert(
                "base",
                &cx.base(page, cx.handbook.config.title.clone(), "home"),
            );
            c.insert("page", &cx.home(page, stale, mttr));
            "home.html"
        }
        "postmortems/index.html" => {
            c.insert("base", &cx.base(page, "Postmortems", "postmortems"));
            c.insert("page", &cx.postmortem_index(page));
            "postmortems.html"
        }
        "stats.html" => {
            c.insert("base", &cx.base(page, "Statistics", "stats"));
            c.insert("page", &cx.stats());
            "stats.html"
        }
        crate::views::alerts::ALERTS_PAGE => {
            let Some(view) = cx.alerts_page(page) else {
                return Ok(None);
            };
            c.insert("base", &cx.base(page, "Alerts", "alerts"));
            c.insert("page", &view);
            "alerts.html"
        }
        "search.html" => {
            c.insert("base", &cx.base(page, "Search", "search"));
            "search.html"
        }
        "404.html" => {
            c.insert("base", &cx.base_not_found("Page not found"));
            "404.html"
        }
        _ => {
            let lists = [
                (Kind::Service, "Services", "services"),
                (Kind::Runbook, "Runbooks", "runbooks"),
                (Kind::Sla, "Service-level agreements", "slas"),
                (Kind::Escalation, "Escalation policies", "escalation"),
                (Kind::Team, "Teams", "teams"),
                (Kind::Page, "Pages", "pages"),
            ];
            let Some((kind, heading, section)) = lists
                .into_iter()
                .find(|(kind, _, _)| page.strip_suffix("/index.html") == Some(kind.folder()))
            else {
                return Ok(None);
            };
            c.insert("base", &cx.base(page, heading, section));
            c.insert("page", &cx.list(page, kind, heading));
            "list.html"
        }
    };
    render_template(theme, template, page, &c).map(Some)
}

/// Renders the Atom feed of the latest postmortems.
pub(crate) fn feed(cx: &Ctx<'_>, theme: &Theme, entries: &[Entry]) -> Result<String, SiteError> {
    let base_url = cx
        .handbook
        .config
        .base_url
        .as_deref()
        .and_then(crate::views::safe_url)
        .map(|b| format!("{}/", b.trim_end_matches('/')));
    let summaries: std::collections::HashMap<&str, &str> = entries
        .iter()
        .map(|e| (e.u.as_str(), e.x.as_str()))
        .collect();
    let items: Vec<FeedEntry> = cx
        .rel
        .incidents
        .iter()
        .take(50)
        .map(|(doc, pm)| {
            let path = cx.paths.of(&doc.path).unwrap_or_default();
            // The latest time-point known (git fills what the frontmatter leaves out, so a
            // postmortem published by a commit is updated then).
            let latest = match cx.incidents.get(doc.path.as_str()) {
                Some(i) => i.points.values().map(|p| p.at).max(),
                None => [
                    pm.resolved,
                    pm.mitigated,
                    pm.declared,
                    pm.detected,
                    pm.started,
                ]
                .into_iter()
                .flatten()
                .max(),
            };
            let updated = latest
                .map(|t| format::iso(&t))
                .unwrap_or_else(|| cx.now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
            FeedEntry {
                // Under base_url, a folder address is the folder's URL, as a server has it.
                id: match &base_url {
                    Some(b) => format!("{b}{}", url_of(path)),
                    None => format!("urn:opsbook:postmortem:{}", doc.id.replace(' ', "-")),
                },
                title: format!("[{}] {}", pm.severity, doc.title()),
                url: match &base_url {
                    Some(b) => format!("{b}{}", url_of(path)),
                    None => path.to_string(),
                },
                updated,
                severity: pm.severity.clone(),
                summary: summaries.get(path).copied().unwrap_or_default().to_string(),
            }
        })
        .collect();
    let updated = items
        .iter()
        .map(|i| i.updated.clone())
        .max()
        .unwrap_or_else(|| cx.now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    let mut c = Context::new();
    c.insert("site_title", &cx.handbook.config.title);
    c.insert("base_url", &base_url);
    c.insert("updated", &updated);
    c.insert("entries", &items);
    render_template(theme, "feed.xml", "feed.xml", &c)
}
