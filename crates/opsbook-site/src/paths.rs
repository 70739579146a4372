//! Where each page goes in the output, and relative URLs between pages.
//!
//! Every URL the site writes is relative, so the output opens from `file://` and from
//! any sub-path of a web server.

use opsbook_core::Handbook;
use std::collections::{HashMap, HashSet};

/// Pages the site generates itself (besides one page per document).
pub const GENERATED: [&str; 14] = [
    "index.html",
    "alerts.html",
    "404.html",
    "search.html",
    "stats.html",
    "feed.xml",
    "search-index.js",
    "services/index.html",
    "runbooks/index.html",
    "postmortems/index.html",
    "slas/index.html",
    "escalation/index.html",
    "teams/index.html",
    "pages/index.html",
];

/// The output path of every document, keyed by its source path.
#[derive(Debug, Default)]
pub struct OutputPaths {
    by_source: HashMap<String, String>,
}

impl OutputPaths {
    /// Maps each document to its source path with `.md` replaced by `.html`; a document
    /// that would overwrite a generated page (or another document) gets a `-doc` suffix.
    pub fn new(handbook: &Handbook) -> OutputPaths {
        let mut taken: HashSet<String> = GENERATED.iter().map(|s| s.to_string()).collect();
        taken.extend(["assets", "feed.xml"].iter().map(|s| (*s).to_string()));
        let mut by_source = HashMap::with_capacity(handbook.documents.len());
        for doc in &handbook.documents {
            let stem = strip_markdown(&doc.path);
            let mut out = format!("{stem}.html");
            let mut n = 0;
            while taken.contains(&out) || out.starts_with("assets/") {
                n += 1;
                out = if n == 1 {
                    format!("{stem}-doc.html")
                } else {
                    format!("{stem}-doc{n}.html")
                };
            }
            taken.insert(out.clone());
            by_source.insert(doc.path.clone(), out);
        }
        OutputPaths { by_source }
    }

    /// The output path of the document read from `source`.
    pub fn of(&self, source: &str) -> Option<&str> {
        self.by_source.get(source).map(String::as_str)
    }
}

fn strip_markdown(path: &str) -> &str {
    path.strip_suffix(".md")
        .or_else(|| path.strip_suffix(".markdown"))
        .unwrap_or(path)
}

/// The prefix that leads from the folder of `page` (an output path) back to the site root:
/// `""` for `index.html`, `"../"` for `runbooks/x.html`.
pub fn root_of(page: &str) -> String {
    "../".repeat(page.matches('/').count())
}

/// The relative URL from the page at `from` to the output file `to` (both root-relative).
///
/// ```
/// use opsbook_site::paths::relative;
/// assert_eq!(relative("runbooks/a.html", "services/b.html"), "../services/b.html");
/// assert_eq!(relative("runbooks/a.html", "runbooks/b.html"), "b.html");
/// assert_eq!(relative("index.html", "runbooks/b.html"), "runbooks/b.html");
/// ```
pub fn relative(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len() - 1];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(&to_parts[..to_parts.len() - 1])
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = "../".repeat(from_dirs.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    out
}

/// The file `path` of the handbook in `root` as it is on disk (symbolic links followed),
/// if it is a file inside the handbook folder: a link pointing out of the handbook (say to
/// `~/.ssh`) is never copied into a site or served.
pub fn inside(root: &std::path::Path, path: &str) -> Option<std::path::PathBuf> {
    let root = root.canonicalize().ok()?;
    let full = root.join(path).canonicalize().ok()?;
    (full.starts_with(&root) && full.is_file()).then_some(full)
}

#[cfg(test)]
mod tests {
    use super::*;
    use opsbook_core::markdown::resolve;

    #[test]
    fn roots_and_resolution() {
        assert_eq!(root_of("index.html"), "");
        assert_eq!(root_of("a/b/c.html"), "../../");
        assert_eq!(
            resolve("runbooks/x.md", "../services/y.md").as_deref(),
            Some("services/y.md")
        );
        assert_eq!(resolve("x.md", "../y.md"), None);
        assert_eq!(relative("a/b/c.html", "a/d.html"), "../d.html");
    }
}
