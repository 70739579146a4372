//! What every document page shares: title, kind, body, table of contents, source path.

use super::{Ctx, Link};
use opsbook_core::model::{Document, Frontmatter, Kind};
use serde::Serialize;

/// A heading in the table of contents.
#[derive(Debug, Serialize)]
pub struct TocEntry {
    /// 2 or 3.
    pub level: u8,
    /// Its text.
    pub text: String,
    /// Its anchor.
    pub anchor: String,
}

/// The parts of a document page that do not depend on its kind.
#[derive(Debug, Serialize)]
pub struct DocView {
    /// Its title.
    pub title: String,
    /// Its id.
    pub id: String,
    /// Its kind: `runbook`, …
    pub kind: &'static str,
    /// Its source file, relative to the handbook.
    pub source: String,
    /// The rendered body (sanitised HTML).
    pub body: String,
    /// Level-2 and level-3 headings.
    pub toc: Vec<TocEntry>,
    /// Whether its frontmatter could not be read (the page shows the body only).
    pub broken: bool,
    /// Tags (pages and runbooks).
    pub tags: Vec<String>,
    /// The service a free page is about.
    pub service: Option<Link>,
    /// Its old addresses (`aliases:`) that redirect to it, as site paths (`old/name/`).
    pub aliases: Vec<String>,
}

impl Ctx<'_> {
    /// The shared view of `doc` on `page`, with its rendered `body`.
    pub fn doc(&self, page: &str, doc: &Document, body: String) -> DocView {
        let toc = doc
            .outline
            .headings
            .iter()
            .filter(|h| h.level == 2 || h.level == 3)
            .map(|h| TocEntry {
                level: h.level,
                text: h.text.clone(),
                anchor: h.anchor.clone(),
            })
            .collect();
        let (tags, service) = match &doc.frontmatter {
            Some(Frontmatter::Page(p)) => (
                p.tags.clone(),
                p.service
                    .as_deref()
                    .map(|s| self.link(page, Kind::Service, s)),
            ),
            _ => (Vec::new(), None),
        };
        DocView {
            title: doc.title().to_string(),
            id: doc.id.clone(),
            kind: doc.kind.name(),
            source: doc.path.clone(),
            body,
            toc,
            broken: doc.frontmatter.is_none(),
            tags,
            service,
            aliases: self
                .paths
                .aliases_of(&doc.path)
                .map(str::to_string)
                .collect(),
        }
    }
}
