//! The build: one flat list of render steps over a loaded handbook, documents in parallel.

use crate::error::{SiteError, chain};
use crate::markdown::Renderer;
use crate::paths::{GENERATED, OutputPaths};
use crate::relations::Relations;
use crate::search::{Entry, TEXT_LIMIT};
use crate::theme::Theme;
use crate::views::Ctx;
use chrono::{DateTime, Utc};
use opsbook_core::Handbook;
use opsbook_core::model::{Document, Frontmatter, Kind};
use opsbook_history::Mined;
use opsbook_history::stats::{HistoryInfo, StatsOptions, compute};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::Path;

/// Settings of one build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The time freshness badges and error budgets are computed for.
    pub now: DateTime<Utc>,
    /// The mined git history of the handbook ([`opsbook_history::mine`]); the default
    /// (no history) means every time comes from the frontmatter.
    pub mined: Mined,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            now: Utc::now(),
            mined: Mined::default(),
        }
    }
}

/// What a build wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuildReport {
    /// HTML pages, the feed and the search index.
    pub pages: usize,
    /// Files copied: theme assets and files the documents link to.
    pub files: usize,
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
    let paths = OutputPaths::new(handbook);
    let rel = Relations::new(handbook);
    // The same engine as `opsbook stats`: frontmatter wins, git fills, figures with sources.
    // Its OB309 warnings are `opsbook check --git`'s and `opsbook stats`'s to print.
    let history = options.mined.history.as_ref();
    let (incidents, _) = opsbook_history::incidents(handbook, history);
    let mut stats = compute(
        handbook,
        &incidents,
        &StatsOptions {
            now: options.now,
            since: None,
            until: None,
        },
    );
    stats.history = HistoryInfo::of(&options.mined);
    let cx = Ctx {
        handbook,
        paths: &paths,
        rel: &rel,
        now: options.now,
        incidents: incidents.iter().map(|i| (i.path.as_str(), i)).collect(),
        stats: &stats,
        history,
        lookups: crate::views::Lookups::new(handbook, &stats),
    };
    let renderer = Renderer {
        handbook,
        paths: &paths,
        raw_html: handbook.config.raw_html,
        text_limit: TEXT_LIMIT,
    };
    let mut folders: BTreeSet<String> = ["assets".to_string()].into();
    for out in handbook
        .documents
        .iter()
        .filter_map(|d| paths.of(&d.path))
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
                .map(|doc| document_page(&cx, &renderer, &writer, doc))
                .collect::<Result<Vec<(Entry, Vec<String>)>, _>>()
        },
        || crate::pages::generated(&cx, &writer),
    );
    let rendered = rendered?;
    let mut pages = rendered.len();
    let (entries, linked): (Vec<Entry>, Vec<Vec<String>>) = rendered.into_iter().unzip();

    let mut files = 0;
    let linked: BTreeSet<String> = linked.into_iter().flatten().collect();
    for file in &linked {
        let (from, to) = (handbook.root.join(file), dir.join(file));
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
    pages += generated? + crate::pages::from_entries(&cx, &writer, &entries)?;
    Ok(BuildReport { pages, files })
}

/// Renders templates and writes pages.
pub(crate) struct Writer<'a> {
    pub(crate) theme: &'a Theme,
    pub(crate) dir: &'a Path,
}

impl Writer<'_> {
    /// Renders `template` with `context` and writes the result to the output path `page`.
    pub(crate) fn page(
        &self,
        template: &str,
        page: &str,
        context: &tera::Context,
    ) -> Result<(), SiteError> {
        let html = self
            .theme
            .tera
            .render(template, context)
            .map_err(|e| SiteError::Render {
                page: page.to_string(),
                template: template.to_string(),
                message: chain(&e),
            })?;
        self.write(page, html.as_bytes())
    }

    /// Writes `content` to the output path `page`.
    pub(crate) fn write(&self, page: &str, content: &[u8]) -> Result<(), SiteError> {
        let path = self.dir.join(page);
        std::fs::write(&path, content).map_err(|e| SiteError::io("cannot write", &path, e))
    }
}

/// Renders one document's page; returns its search entry and the files it links to.
fn document_page(
    cx: &Ctx<'_>,
    renderer: &Renderer<'_>,
    writer: &Writer<'_>,
    doc: &Document,
) -> Result<(Entry, Vec<String>), SiteError> {
    let page = cx.paths.of(&doc.path).unwrap_or_default();
    let rendered = renderer.render(doc, page);
    let section = match doc.kind {
        Kind::Page => "pages",
        k => k.folder(),
    };
    let base = cx.base(page, doc.title(), section);
    let mut h: Vec<String> = doc
        .outline
        .headings
        .iter()
        .map(|h| h.text.clone())
        .collect();
    let view = cx.doc(page, doc, rendered.html);
    let mut c = tera::Context::new();
    c.insert("base", &base);
    c.insert("doc", &view);
    let template = match &doc.frontmatter {
        Some(Frontmatter::Runbook(rb)) => {
            h.extend(rb.alerts.iter().cloned());
            h.extend(rb.tags.iter().cloned());
            h.extend(rb.service.iter().cloned());
            c.insert("page", &cx.runbook(page, doc, rb));
            "runbook.html"
        }
        Some(Frontmatter::Postmortem(pm)) => {
            h.push(doc.id.clone());
            h.push(pm.severity.clone());
            h.extend(pm.services.iter().cloned());
            c.insert("page", &cx.postmortem(page, doc, pm));
            "postmortem.html"
        }
        Some(Frontmatter::Service(s)) => {
            h.push(doc.id.clone());
            c.insert("page", &cx.service(page, doc, s));
            "service.html"
        }
        Some(Frontmatter::Sla(s)) => {
            h.push(s.service.clone());
            c.insert("page", &cx.sla(page, doc, s));
            "sla.html"
        }
        Some(Frontmatter::Escalation(e)) => {
            c.insert("page", &cx.escalation(page, doc, e));
            "escalation.html"
        }
        Some(Frontmatter::Team(t)) => {
            h.extend(t.members.iter().map(|m| m.name.clone()));
            c.insert("page", &cx.team(page, doc, t));
            "team.html"
        }
        Some(Frontmatter::Page(_)) | None => "page.html",
    };
    writer.page(template, page, &c)?;
    let entry = Entry {
        t: doc.title().to_string(),
        u: page.to_string(),
        k: doc.kind.name(),
        h: h.join(" · "),
        x: rendered.text,
    };
    Ok((entry, rendered.assets))
}
