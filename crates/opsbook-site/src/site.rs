//! The build: one flat list of render steps over a loaded handbook, documents in parallel.

use crate::error::{SiteError, chain};
use crate::markdown::Renderer;
use crate::paths::GENERATED;
use crate::relations::Relations;
use crate::search::{Entry, TEXT_LIMIT};
use crate::theme::Theme;
use crate::views::{Ctx, Lookups};
use chrono::{DateTime, Utc};
use opsbook_core::Handbook;
use opsbook_core::model::{Document, Frontmatter, Kind};
use opsbook_core::permalink::Place;
use opsbook_stats::{History, Incident, Mined};
use opsbook_stats::{HistoryInfo, StatsOptions, StatsReport, compute};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Settings of one build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The time freshness badges and error budgets are computed for.
    pub now: DateTime<Utc>,
    /// The mined git history of the handbook (`opsbook_history::mine`); the default
    /// (no history) means every time comes from the frontmatter.
    pub mined: Mined,
    /// The path the site is served at, when the server is known (`opsbook serve`: `/`).
    /// The 404 page, shown at any URL, links from there; by default from `base_url`'s path.
    pub served_at: Option<String>,
    /// How many errors `check` found in the handbook (`opsbook build --allow-errors`
    /// still writes the site): every page then says so in a banner, so that nobody
    /// mistakes a broken handbook's site for a sound one.
    pub errors: usize,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            now: Utc::now(),
            mined: Mined::default(),
            served_at: None,
            errors: 0,
        }
    }
}

/// What a build wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildReport {
    /// HTML pages, the feed and the search index.
    pub pages: usize,
    /// Files copied: theme assets and files the documents link to.
    pub files: usize,
    /// Linked files not copied because they resolve (through a symbolic link) to a file
    /// outside the handbook folder.
    pub outside: Vec<String>,
    /// How long each step took, in order (`opsbook build --verbose` prints them).
    pub timings: Vec<(&'static str, Duration)>,
}

/// Renders `handbook` with `theme` into the folder `dir` (which must exist).
///
/// Use [`crate::output::write_atomically`] to write into a temporary folder and swap it in.
pub fn build(
    handbook: &Handbook,
    theme: &Theme,
    options: &BuildOptions,
    dir: &Path,
) -> Result<BuildReport, SiteError> {
    let mut timings = Vec::new();
    let mut step = Instant::now();
    let mut lap = |name: &'static str| {
        timings.push((name, step.elapsed()));
        step = Instant::now();
    };
    let prepared = Prepared::new(handbook, options);
    lap("computed paths, relations and statistics");
    let cx = prepared.ctx();
    let renderer = prepared.renderer();
    let mut folders: BTreeSet<String> = ["assets".to_string()].into();
    for out in handbook
        .documents
        .iter()
        .filter_map(|d| handbook.addresses.of(&d.path))
        .chain(handbook.addresses.redirects().map(|(alias, _)| alias))
        .chain(GENERATED)
    {
        if let Some((folder, _)) = out.rsplit_once('/') {
            folders.insert(folder.to_string());
        }
    }
    for folder in &folders {
        let full = dir.join(folder);
        std::fs::create_dir_all(&full).map_err(|e| SiteError::io("cannot create", &full, e))?;
    }
    let writer = Writer { theme, dir };

    // The documents and the generated pages that need no body render side by side.
    let (rendered, generated) = rayon::join(
        || {
            handbook
                .documents
                .par_iter()
                .map(|doc| {
                    let page = cx.paths.of(&doc.path).unwrap_or_default();
                    let body = Body::from(renderer.render(doc, page));
                    writer.write(page, document_html(&cx, theme, doc, &body.html)?.as_bytes())?;
                    Ok((entry(&cx, doc, body.text), body.assets))
                })
                .collect::<Result<Vec<(Entry, Vec<String>)>, SiteError>>()
        },
        || crate::pages::generated(&cx, &writer),
    );
    let rendered = rendered?;
    let mut pages = rendered.len();
    for (alias, i) in handbook.addresses.redirects() {
        let html = redirect_html(&cx, theme, alias, &handbook.documents[i])?;
        writer.write(alias, html.as_bytes())?;
        pages += 1;
    }
    lap("rendered and wrote the pages");
    let (entries, linked): (Vec<Entry>, Vec<Vec<String>>) = rendered.into_iter().unzip();

    let mut files = 0;
    let linked: BTreeSet<String> = linked.into_iter().flatten().collect();
    let mut outside = Vec::new();
    for file in &linked {
        let Some(from) = crate::paths::inside(&handbook.root, file) else {
            outside.push(file.clone());
            continue;
        };
        let to = dir.join(file);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| SiteError::io("cannot create", parent, e))?;
        }
        std::fs::copy(&from, &to).map_err(|e| SiteError::io("cannot copy", &from, e))?;
        files += 1;
    }
    for (name, content) in &theme.assets {
        let to = dir.join("assets").join(name);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| SiteError::io("cannot create", parent, e))?;
        }
        std::fs::write(&to, content).map_err(|e| SiteError::io("cannot write", &to, e))?;
        files += 1;
    }
    lap("copied the assets and linked files");
    pages += generated? + crate::pages::from_entries(&cx, &writer, &entries)?;
    lap("wrote the search index and the feed");
    Ok(BuildReport {
        pages,
        files,
        outside,
        timings,
    })
}

/// A document's rendered markdown body: what a page, the search index and the feed need.
#[derive(Debug, Default, Clone)]
pub struct Body {
    /// The HTML, safe to insert into a page.
    pub html: String,
    /// The start of the body's text, for search and the feed.
    pub text: String,
    /// Handbook files (not documents) the body links to.
    pub assets: Vec<String>,
}

impl From<crate::markdown::Rendered> for Body {
    fn from(r: crate::markdown::Rendered) -> Body {
        Body {
            html: r.html,
            text: r.text,
            assets: r.assets,
        }
    }
}

/// Rendered bodies kept between renders of a changing handbook (`opsbook serve`), keyed
/// by source path and checked against a hash of everything a body depends on: its text,
/// its output path, every output path and handbook file (links), and `raw_html`.
#[derive(Debug, Default)]
pub struct BodyCache {
    bodies: Mutex<HashMap<String, (u64, Arc<Body>)>>,
}

impl BodyCache {
    /// Forgets every body (e.g. when a linked file appeared or went away).
    pub fn clear(&self) {
        self.lock().clear();
    }

    /// How many bodies are kept.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no body is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (u64, Arc<Body>)>> {
        // A panic while holding the lock cannot leave a half-written entry: keep going.
        self.bodies.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// What every page of a handbook needs besides its own document, computed once: output
/// paths, reverse references, incidents and statistics. [`build`] renders every page from
/// it; `opsbook serve` keeps one per loaded handbook and renders pages on request.
#[derive(Debug)]
pub struct Prepared<'a> {
    handbook: &'a Handbook,
    now: DateTime<Utc>,
    served_at: Option<&'a str>,
    errors: usize,
    history: Option<&'a History>,
    rel: Relations<'a>,
    incidents: Vec<Incident>,
    stats: StatsReport,
    /// Indexes every page looks things up in.
    lookups: Lookups<'a>,
    /// Output path → index in `handbook.documents`.
    by_page: HashMap<String, usize>,
    /// A hash of what every body depends on besides its own text.
    links: u64,
}

impl<'a> Prepared<'a> {
    /// Computes paths, relations, incidents and statistics of `handbook`.
    pub fn new(handbook: &'a Handbook, options: &'a BuildOptions) -> Prepared<'a> {
        let history = options.mined.history.as_ref();
        // Paths on one side, the incident engine on the other: no page renders before
        // both are done, so they run side by side.
        let ((_, by_page, links), (incidents, rel, stats, lookups)) = rayon::join(
            || {
                let paths = &handbook.addresses;
                let by_page: HashMap<String, usize> = handbook
                    .documents
                    .iter()
                    .enumerate()
                    .filter_map(|(i, d)| Some((paths.of(&d.path)?.to_string(), i)))
                    .collect();
                // Order-independent: `handbook.paths` is a hash set.
                let mut links = hash_of(&handbook.config.raw_html);
                for (page, &i) in &by_page {
                    links = links.wrapping_add(hash_of(&(page, &handbook.documents[i].path)));
                }
                for path in &handbook.paths {
                    links = links.wrapping_add(hash_of(path).rotate_left(17));
                }
                for (alias, i) in paths.redirects() {
                    links = links.wrapping_add(hash_of(&(alias, i)).rotate_left(31));
                }
                (paths, by_page, links)
            },
            || {
                // The same engine as `opsbook stats`: frontmatter wins, git fills, figures
                // with sources. Its OB309 warnings are `check --git`'s and `stats`'s to print.
                let (incidents, _) = opsbook_stats::incidents(handbook, history);
                // Incident lists are ordered by when each began, as the engine knows it.
                let opened: HashMap<&str, DateTime<Utc>> = incidents
                    .iter()
                    .filter_map(|i| Some((i.path.as_str(), i.opened()?.1.at.0.to_utc())))
                    .collect();
                let (rel, mut stats) = rayon::join(
                    || {
                        Relations::ordered_by(handbook, |doc, pm| {
                            opened
                                .get(doc.path.as_str())
                                .copied()
                                .or_else(|| crate::relations::incident_start(pm))
                        })
                    },
                    || {
                        compute(
                            handbook,
                            &incidents,
                            &StatsOptions {
                                now: options.now,
                                since: None,
                                until: None,
                            },
                        )
                    },
                );
                stats.history = HistoryInfo::of(&options.mined);
                let lookups = Lookups::new(handbook, &stats);
                (incidents, rel, stats, lookups)
            },
        );
        Prepared {
            handbook,
            now: options.now,
            served_at: options.served_at.as_deref(),
            errors: options.errors,
            history,
            rel,
            incidents,
            stats,
            lookups,
            by_page,
            links,
        }
    }

    /// The view context of every page.
    fn ctx(&self) -> Ctx<'_> {
        Ctx {
            handbook: self.handbook,
            paths: &self.handbook.addresses,
            rel: &self.rel,
            now: self.now,
            served_at: self.served_at,
            errors: self.errors,
            incidents: self
                .incidents
                .iter()
                .map(|i| (i.path.as_str(), i))
                .collect(),
            stats: &self.stats,
            history: self.history,
            lookups: &self.lookups,
        }
    }

    fn renderer(&self) -> Renderer<'_> {
        Renderer {
            handbook: self.handbook,
            paths: &self.handbook.addresses,
            raw_html: self.handbook.config.raw_html,
            text_limit: TEXT_LIMIT,
        }
    }

    /// Every output path of the site (documents, generated pages, the feed and the search
    /// index; not the theme's assets or linked files), sorted.
    pub fn pages(&self) -> Vec<String> {
        let mut all: Vec<String> = self.by_page.keys().cloned().collect();
        all.extend(
            self.handbook
                .addresses
                .redirects()
                .map(|(alias, _)| alias.to_string()),
        );
        all.extend(
            GENERATED
                .iter()
                .filter(|p| **p != crate::views::alerts::ALERTS_PAGE || self.rel.alerts.is_some())
                .map(|p| p.to_string()),
        );
        all.sort();
        all
    }

    /// The output page of the document read from `source`.
    pub fn page_of(&self, source: &str) -> Option<&str> {
        self.handbook.addresses.of(source)
    }

    /// Renders the output path `page`; `None` when the site has no such page. Bodies come
    /// from `cache` when their inputs did not change.
    pub fn render(
        &self,
        theme: &Theme,
        page: &str,
        cache: &BodyCache,
    ) -> Result<Option<String>, SiteError> {
        let cx = self.ctx();
        if let Some(&i) = self.by_page.get(page) {
            let doc = &self.handbook.documents[i];
            let body = self.body(doc, cache);
            return document_html(&cx, theme, doc, &body.html).map(Some);
        }
        if let Some((Place::Alias(i), out)) = self.handbook.addresses.find(page) {
            if out == page {
                let doc = &self.handbook.documents[i];
                return redirect_html(&cx, theme, page, doc).map(Some);
            }
        }
        match page {
            "search-index.js" => Ok(Some(crate::search::script(&self.entries(&cx, cache)))),
            "feed.xml" => crate::pages::feed(&cx, theme, &self.entries(&cx, cache)).map(Some),
            _ => crate::pages::render(&cx, theme, page),
        }
    }

    /// Handbook files the documents link to (served and copied as they are).
    pub fn linked_files(&self, cache: &BodyCache) -> BTreeSet<String> {
        self.handbook
            .documents
            .par_iter()
            .map(|doc| self.body(doc, cache).assets.clone())
            .collect::<Vec<_>>()
            .into_iter()
            .flatten()
            .collect()
    }

    /// Renders the bodies `cache` lacks (in parallel), so later requests find them.
    pub fn warm(&self, cache: &BodyCache) {
        self.handbook.documents.par_iter().for_each(|doc| {
            self.body(doc, cache);
        });
    }

    fn entries(&self, cx: &Ctx<'_>, cache: &BodyCache) -> Vec<Entry> {
        self.handbook
            .documents
            .par_iter()
            .map(|doc| entry(cx, doc, self.body(doc, cache).text.clone()))
            .collect()
    }

    /// The body of `doc`, from `cache` when its inputs are unchanged.
    fn body(&self, doc: &Document, cache: &BodyCache) -> Arc<Body> {
        let page = self.handbook.addresses.of(&doc.path).unwrap_or_default();
        let key = hash_of(&(self.handbook.text_of(doc), page, self.links));
        if let Some((k, body)) = cache.lock().get(&doc.path) {
            if *k == key {
                return Arc::clone(body);
            }
        }
        let body = Arc::new(Body::from(self.renderer().render(doc, page)));
        cache
            .lock()
            .insert(doc.path.clone(), (key, Arc::clone(&body)));
        body
    }
}

fn hash_of(value: &impl Hash) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// Renders `template` with `context` for the output path `page`.
pub(crate) fn render_template(
    theme: &Theme,
    template: &str,
    page: &str,
    context: &tera::Context,
) -> Result<String, SiteError> {
    theme
        .tera
        .render(template, context)
        .map_err(|e| SiteError::Render {
            page: page.to_string(),
            template: template.to_string(),
            message: chain(&e),
        })
}

/// Writes pages into the output folder.
pub(crate) struct Writer<'a> {
    pub(crate) theme: &'a Theme,
    pub(crate) dir: &'a Path,
}

impl Writer<'_> {
    /// Writes `content` to the output path `page`.
    pub(crate) fn write(&self, page: &str, content: &[u8]) -> Result<(), SiteError> {
        let path = self.dir.join(page);
        std::fs::write(&path, content).map_err(|e| SiteError::io("cannot write", &path, e))
    }
}

/// The search words of a document besides its body: headings, alert names, tags,
/// services, ids, members.
fn keywords(doc: &Document) -> Vec<String> {
    let mut h: Vec<String> = doc
        .outline
        .headings
        .iter()
        .map(|h| h.text.clone())
        .collect();
    match &doc.frontmatter {
        Some(Frontmatter::Runbook(rb)) => {
            h.extend(rb.alerts.iter().cloned());
            h.extend(rb.tags.iter().cloned());
            h.extend(rb.service.iter().cloned());
        }
        Some(Frontmatter::Postmortem(pm)) => {
            h.push(doc.id.clone());
            h.push(pm.severity.clone());
            h.extend(pm.services.iter().cloned());
        }
        Some(Frontmatter::Service(_)) => h.push(doc.id.clone()),
        Some(Frontmatter::Sla(s)) => h.push(s.service.clone()),
        Some(Frontmatter::Team(t)) => h.extend(t.members.iter().map(|m| m.name.clone())),
        Some(Frontmatter::Escalation(_) | Frontmatter::Page(_)) | None => {}
    }
    h
}

/// The search entry of `doc` with the start of its body text.
fn entry(cx: &Ctx<'_>, doc: &Document, text: String) -> Entry {
    Entry {
        t: doc.title().to_string(),
        u: cx.paths.of(&doc.path).unwrap_or_default().to_string(),
        k: doc.kind.name(),
        h: keywords(doc).join(" · "),
        x: text,
    }
}

/// The redirect page at `alias` (an old address of `doc`): a meta refresh, `rel=canonical`
/// and a plain link, so it works without JavaScript and from disk.
fn redirect_html(
    cx: &Ctx<'_>,
    theme: &Theme,
    alias: &str,
    doc: &Document,
) -> Result<String, SiteError> {
    let target = cx.paths.of(&doc.path).unwrap_or_default();
    let mut c = tera::Context::new();
    c.insert("title", doc.title());
    c.insert(
        "url",
        &crate::markdown::encode(&crate::paths::relative(alias, target)),
    );
    c.insert("canonical", &cx.canonical(target));
    render_template(theme, "redirect.html", alias, &c)
}

/// Renders one document's page around its rendered body `html`.
fn document_html(
    cx: &Ctx<'_>,
    theme: &Theme,
    doc: &Document,
    html: &str,
) -> Result<String, SiteError> {
    let page = cx.paths.of(&doc.path).unwrap_or_default();
    let section = match doc.kind {
        Kind::Page => "pages",
        k => k.folder(),
    };
    let base = cx.base(page, doc.title(), section);
    let view = cx.doc(page, doc, html.to_string());
    let mut c = tera::Context::new();
    c.insert("base", &base);
    c.insert("doc", &view);
    let template = match &doc.frontmatter {
        Some(Frontmatter::Runbook(rb)) => {
            c.insert("page", &cx.runbook(page, doc, rb));
            "runbook.html"
        }
        Some(Frontmatter::Postmortem(pm)) => {
            c.insert("page", &cx.postmortem(page, doc, pm));
            "postmortem.html"
        }
        Some(Frontmatter::Service(s)) => {
            c.insert("page", &cx.service(page, doc, s));
            "service.html"
        }
        Some(Frontmatter::Sla(s)) => {
            c.insert("page", &cx.sla(page, doc, s));
            "sla.html"
        }
        Some(Frontmatter::Escalation(e)) => {
            c.insert("page", &cx.escalation(page, doc, e));
            "escalation.html"
        }
        Some(Frontmatter::Team(t)) => {
            c.insert("page", &cx.team(page, doc, t));
            "team.html"
        }
        Some(Frontmatter::Page(_)) | None => "page.html",
    };
    render_template(theme, template, page, &c)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `opsbook serve` renders pages one by one: each must equal what `build` writes.
    #[test]
    fn every_page_renders_alone_as_the_build_writes_it() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content-example");
        let (handbook, _) = opsbook_core::load(&root, &Default::default()).unwrap();
        let theme = Theme::load(None).unwrap();
        let options = BuildOptions {
            now: "2026-12-01T00:00:00Z".parse().unwrap(),
            ..BuildOptions::default()
        };
        let out = tempfile::tempdir().unwrap();
        build(&handbook, &theme, &options, out.path()).unwrap();
        let prepared = Prepared::new(&handbook, &options);
        let cache = BodyCache::default();
        let pages = prepared.pages();
        // The example keeps one old address (an alias), which gets a redirect page.
        let redirects = handbook.addresses.redirects().count();
        assert_eq!(redirects, 1);
        assert_eq!(
            pages.len(),
            handbook.documents.len() + GENERATED.len() + redirects
        );
        for page in &pages {
            let alone = prepared.render(&theme, page, &cache).unwrap().unwrap();
            let built = std::fs::read_to_string(out.path().join(page)).unwrap();
            assert!(alone == built, "{page} differs");
        }
        assert_eq!(cache.len(), handbook.documents.len());
        assert!(
            prepared
                .render(&theme, "nope.html", &cache)
                .unwrap()
                .is_none()
        );
        assert_eq!(
            prepared.page_of("runbooks/data-api.md"),
            Some("runbooks/data-api.html")
        );
        let first: Vec<Arc<Body>> = handbook
            .documents
            .iter()
            .map(|d| prepared.body(d, &cache))
            .collect();
        // A second handbook with one edited document reuses every other body.
        let mut edited = handbook.clone();
        let i = edited
            .documents
            .iter()
            .position(|d| d.path == "runbooks/data-api.md")
            .unwrap();
        let file = edited.documents[i].file;
        let text = format!("{}\nAn added line.\n", edited.files[file].text);
        let (doc, _) = opsbook_core::document::parse(file, "runbooks/data-api.md", &text);
        edited.documents[i] = doc.unwrap();
        edited.files[file].text = text;
        let prepared = Prepared::new(&edited, &options);
        for (doc, old) in edited.documents.iter().zip(&first) {
            let reused = Arc::ptr_eq(old, &prepared.body(doc, &cache));
            assert_eq!(reused, doc.path != "runbooks/data-api.md", "{}", doc.path);
        }
        let page = prepared
            .render(&theme, "runbooks/data-api.html", &cache)
            .unwrap()
            .unwrap();
        assert!(page.contains("An added line."));
    }
}
