//! The pages the site generates itself: home, lists, the postmortem index, statistics,
//! alerts, search, 404 and the Atom feed.

use crate::error::SiteError;
use crate::format;
use crate::search::{Entry, script};
use crate::site::Writer;
use crate::views::Ctx;
use opsbook_core::model::Kind;
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
        || feed(cx, writer, entries),
    );
    a?;
    b?;
    Ok(2)
}

/// Renders the generated pages that need no document body (run alongside the documents);
/// returns how many were written.
pub(crate) fn generated(cx: &Ctx<'_>, writer: &Writer<'_>) -> Result<usize, SiteError> {
    let steps: Vec<Box<dyn Fn() -> Result<(), SiteError> + Sync + '_>> = vec![
        Box::new(|| {
            let page = "index.html";
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
            let mut c = Context::new();
            c.insert(
                "base",
                &cx.base(page, cx.handbook.config.title.clone(), "home"),
            );
            c.insert("page", &cx.home(page, stale, mttr));
            writer.page("home.html", page, &c)
        }),
        Box::new(|| {
            let page = "postmortems/index.html";
            let mut c = Context::new();
            c.insert("base", &cx.base(page, "Postmortems", "postmortems"));
            c.insert("page", &cx.postmortem_index(page));
            writer.page("postmortems.html", page, &c)
        }),
        Box::new(|| {
            let page = "stats.html";
            let mut c = Context::new();
            c.insert("base", &cx.base(page, "Statistics", "stats"));
            c.insert("page", &cx.stats());
            writer.page("stats.html", page, &c)
        }),
        Box::new(|| {
            let page = crate::views::alerts::ALERTS_PAGE;
            let Some(view) = cx.alerts_page(page) else {
                return Ok(());
            };
            let mut c = Context::new();
            c.insert("base", &cx.base(page, "Alerts", "alerts"));
            c.insert("page", &view);
            writer.page("alerts.html", page, &c)
        }),
        Box::new(|| {
            let mut c = Context::new();
            c.insert("base", &cx.base("search.html", "Search", "search"));
            writer.page("search.html", "search.html", &c)
        }),
        Box::new(|| {
            let mut c = Context::new();
            c.insert("base", &cx.base("404.html", "Page not found", ""));
            writer.page("404.html", "404.html", &c)
        }),
    ];
    let lists = [
        (Kind::Service, "Services", "services"),
        (Kind::Runbook, "Runbooks", "runbooks"),
        (Kind::Sla, "Service-level agreements", "slas"),
        (Kind::Escalation, "Escalation policies", "escalation"),
        (Kind::Team, "Teams", "teams"),
        (Kind::Page, "Pages", "pages"),
    ];
    let count = steps.len() + lists.len() - usize::from(cx.rel.alerts.is_none());
    steps
        .par_iter()
        .map(|step| step())
        .collect::<Result<(), _>>()?;
    lists
        .par_iter()
        .map(|(kind, heading, section)| {
            let page = format!("{}/index.html", kind.folder());
            let mut c = Context::new();
            c.insert("base", &cx.base(&page, *heading, section));
            c.insert("page", &cx.list(&page, *kind, heading));
            writer.page("list.html", &page, &c)
        })
        .collect::<Result<(), _>>()?;
    Ok(count)
}

fn feed(cx: &Ctx<'_>, writer: &Writer<'_>, entries: &[Entry]) -> Result<(), SiteError> {
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
            let updated = [
                pm.resolved,
                pm.mitigated,
                pm.declared,
                pm.detected,
                pm.started,
            ]
            .into_iter()
            .flatten()
            .next()
            .map(|t| format::iso(&t))
            .unwrap_or_else(|| cx.now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
            FeedEntry {
                id: match &base_url {
                    Some(b) => format!("{b}{path}"),
                    None => format!("urn:opsbook:postmortem:{}", doc.id.replace(' ', "-")),
                },
                title: format!("[{}] {}", pm.severity, doc.title()),
                url: format!("{}{path}", base_url.as_deref().unwrap_or("")),
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
    writer.page("feed.xml", "feed.xml", &c)
}
