//! The loaded handbook: settings, source files and documents, indexed by kind and id.

use crate::alerts::Alerts;
use crate::config::Config;
use crate::model::{Document, Kind};
use crate::permalink::Addresses;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

/// A file's text, kept so that diagnostics can show where they point.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path relative to the handbook root, with `/` separators.
    pub path: String,
    /// The text (invalid UTF-8 replaced, for display only).
    pub text: String,
}

/// Everything read from a handbook folder.
#[derive(Debug, Clone, Default)]
pub struct Handbook {
    /// The handbook folder.
    pub root: PathBuf,
    /// `handbook.yaml`, or the defaults.
    pub config: Config,
    /// Every file read: `handbook.yaml`, the documents, then the rule files.
    pub files: Vec<SourceFile>,
    /// The documents, in path order.
    pub documents: Vec<Document>,
    /// Every file and folder below the root (relative paths), for checking links.
    pub paths: HashSet<String>,
    /// The Prometheus rules of the files `alert_rules` names (empty without it).
    pub alerts: Alerts,
    /// The address of every page and alias of the site (`permalinks:`, `aliases:`).
    pub addresses: Addresses,
    index: HashMap<(Kind, String), usize>,
    by_path: HashMap<String, usize>,
    sources: HashMap<String, usize>,
}

impl Handbook {
    /// Assembles a handbook and indexes its documents (the first of duplicate ids wins).
    pub fn new(
        root: PathBuf,
        config: Config,
        files: Vec<SourceFile>,
        documents: Vec<Document>,
        paths: HashSet<String>,
    ) -> Handbook {
        let mut documents = documents;
        default_sla_titles(&mut documents);
        let mut index = HashMap::with_capacity(documents.len());
        for (i, doc) in documents.iter().enumerate() {
            index.entry((doc.kind, doc.id.clone())).or_insert(i);
        }
        let by_path = documents
            .iter()
            .enumerate()
            .map(|(i, d)| (d.path.clone(), i))
            .collect();
        let sources = files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.path.clone(), i))
            .collect();
        let addresses = Addresses::new(&config, &documents, &files);
        Handbook {
            root,
            config,
            files,
            documents,
            paths,
            alerts: Alerts::default(),
            addresses,
            index,
            by_path,
            sources,
        }
    }

    /// The document of `kind` with `id`.
    pub fn get(&self, kind: Kind, id: &str) -> Option<&Document> {
        self.index
            .get(&(kind, id.to_string()))
            .map(|&i| &self.documents[i])
    }

    /// The documents of one kind, in path order.
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Document> {
        self.documents.iter().filter(move |d| d.kind == kind)
    }

    /// The ids of one kind.
    pub fn ids(&self, kind: Kind) -> impl Iterator<Item = &str> {
        self.of_kind(kind).map(|d| d.id.as_str())
    }

    /// The document at `path` (relative, `/`-separated).
    pub fn by_path(&self, path: &str) -> Option<&Document> {
        self.by_path.get(path).map(|&i| &self.documents[i])
    }

    /// The text of the file at `path`, if it was read.
    pub fn source(&self, path: &str) -> Option<&str> {
        self.sources.get(path).map(|&i| self.files[i].text.as_str())
    }

    /// The text of a document's file.
    pub fn text_of(&self, doc: &Document) -> &str {
        &self.files[doc.file].text
    }
}

/// Gives every SLA without `title:` the title "<service title> SLA" (the service's id
/// when it has no document): its first heading is usually a generic "Summary".
fn default_sla_titles(documents: &mut [Document]) {
    let services: HashMap<&str, &str> = documents
        .iter()
        .filter(|d| d.kind == Kind::Service)
        .map(|d| (d.id.as_str(), d.title()))
        .rev() // the first of duplicate ids wins, as in the index
        .collect();
    let titles: Vec<(usize, String)> = documents
        .iter()
        .enumerate()
        .filter(|(_, d)| d.kind == Kind::Sla && d.title.is_none())
        .filter_map(|(i, d)| {
            let service = sla_service(d)?;
            let name = services.get(service).copied().unwrap_or(service);
            Some((i, format!("{name} SLA")))
        })
        .collect();
    for (i, title) in titles {
        documents[i].title = Some(title);
    }
}

/// The service an SLA covers: its typed `service:`, else the raw value (so an SLA with
/// schema errors elsewhere still gets its title).
fn sla_service(doc: &Document) -> Option<&str> {
    doc.as_sla()
        .map(|s| s.service.as_str())
        .or_else(|| doc.yaml.as_ref()?.get("service")?.as_str())
        .filter(|s| !s.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn handbook(files: &[(&str, &str)]) -> Handbook {
        let documents = files
            .iter()
            .enumerate()
            .map(|(i, (path, text))| crate::document::parse(i, path, text).0.unwrap())
            .collect();
        Handbook::new(
            PathBuf::from("."),
            Config::default(),
            Vec::new(),
            documents,
            HashSet::new(),
        )
    }

    fn title<'a>(hb: &'a Handbook, id: &str) -> &'a str {
        hb.get(Kind::Sla, id).unwrap().title()
    }

    #[test]
    fn an_sla_without_title_is_named_after_its_service() {
        let hb = handbook(&[
            (
                "services/api.md",
                "---\ntitle: Public API\nowner: sre\n---\n",
            ),
            (
                "slas/api.md",
                "---\nservice: api\nwindow: 30d\n---\n## Summary\n",
            ),
            (
                "slas/db.md",
                "---\nservice: db\nwindow: 30d\n---\n## Summary\n",
            ),
            (
                "slas/named.md",
                "---\ntitle: Gold tier\nservice: api\nwindow: 30d\n---\n## Summary\n",
            ),
            // A schema error elsewhere does not lose the default.
            (
                "slas/broken.md",
                "---\nservice: api\nwindow: often\n---\n## Summary\n",
            ),
            ("slas/none.md", "---\nwindow: 30d\n---\n## Summary\n"),
        ]);
        assert_eq!(title(&hb, "api"), "Public API SLA");
        assert_eq!(title(&hb, "db"), "db SLA");
        assert_eq!(title(&hb, "named"), "Gold tier");
        assert_eq!(title(&hb, "broken"), "Public API SLA");
        assert_eq!(title(&hb, "none"), "Summary");
    }
}
