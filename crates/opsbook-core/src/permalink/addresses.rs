//! The address map of a handbook: every document's page, every alias, every generated
//! page; collisions and bad aliases as diagnostics (OB207, OB208).

use super::{Alias, GENERATED, url_of};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::handbook::SourceFile;
use crate::model::Document;
use crate::rules::Rule;
use crate::span::{LineIndex, Span};
use std::collections::HashMap;

/// What an address of the site reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The page of the document with this index in [`crate::Handbook::documents`].
    Page(usize),
    /// A redirect (an alias of the document with this index) to its page.
    Alias(usize),
    /// A page the site generates itself (home, lists, search, …).
    Generated,
}

/// Every address of the site and what it reaches, computed once per loaded handbook.
#[derive(Debug, Clone, Default)]
pub struct Addresses {
    /// The output file of each document, by index in the handbook's documents.
    pages: Vec<String>,
    by_source: HashMap<String, usize>,
    by_output: HashMap<String, Place>,
    /// Redirect pages: output file and the document they lead to, in document order.
    redirects: Vec<(String, usize)>,
    /// Every page and alias URL in lower case, without its trailing `/` (and also as its
    /// output file), → the document and the alias (index in `redirects`), first wins.
    by_lower: HashMap<String, (usize, Option<usize>)>,
    problems: Vec<Diagnostic>,
}

impl Addresses {
    /// The addresses of `documents` (in path order) under `config`'s permalinks; the first
    /// document to claim an address keeps it, a later one gets a `-doc` suffix (and an
    /// OB207 error when the first is a document too).
    pub fn new(config: &Config, documents: &[Document], files: &[SourceFile]) -> Addresses {
        let mut by_output: HashMap<String, Place> = GENERATED
            .iter()
            .map(|g| (g.to_string(), Place::Generated))
            .collect();
        let mut problems = Vec::new();
        let mut pages = Vec::with_capacity(documents.len());
        let mut by_source = HashMap::with_capacity(documents.len());
        for (i, doc) in documents.iter().enumerate() {
            let wanted = config.permalinks.output(doc.kind, &doc.id, &doc.path);
            let wanted = match wanted.strip_prefix("assets/") {
                // `assets/` holds the theme's files.
                Some(rest) => format!("assets-doc/{rest}"),
                None => wanted,
            };
            let first = match by_output.get(&wanted) {
                Some(Place::Page(first)) => Some(*first),
                _ => None,
            };
            // A folder address stays one (`x-doc/`), but a list page the site generates
            // (`runbooks/index.html`) is not the folder of the document that wants it.
            let folder = config
                .permalinks
                .of(doc.kind)
                .is_some_and(|p| p.is_folder())
                && !GENERATED.contains(&wanted.as_str());
            let mut out = wanted.clone();
            let mut n = 0;
            while by_output.contains_key(&out) {
                n += 1;
                out = suffixed(&wanted, n, folder);
            }
            if let Some(first) = first {
                problems.push(collision(doc, &documents[first], files, &wanted, &out));
            }
            by_output.insert(out.clone(), Place::Page(i));
            by_source.insert(doc.path.clone(), i);
            pages.push(out);
        }
        let base = config.base_url.as_deref();
        let mut redirects = Vec::new();
        for (i, doc) in documents.iter().enumerate() {
            for alias in &doc.aliases {
                let out = match alias_output(&alias.written, base) {
                    Ok(out) => out,
                    Err(problem) => {
                        problems.push(
                            Diagnostic::new(Rule::InvalidAlias, &doc.path, alias.span, problem)
                                .with_help(
                                    "write the old address from the site's root, e.g. `/runbooks/old-name/`, or a full URL under base_url",
                                ),
                        );
                        continue;
                    }
                };
                match by_output.get(&out) {
                    None => {
                        by_output.insert(out.clone(), Place::Alias(i));
                        redirects.push((out, i));
                    }
                    // An alias naming the page's own address changes nothing.
                    Some(Place::Page(j)) if *j == i => {}
                    Some(&place) => problems.push(alias_collision(
                        doc, alias, place, documents, files, &out, base,
                    )),
                }
            }
        }
        let mut by_lower = HashMap::with_capacity(2 * (pages.len() + redirects.len()));
        let outputs = pages.iter().enumerate().map(|(i, out)| (out, i, None));
        let aliases = redirects
            .iter()
            .enumerate()
            .map(|(n, (out, i))| (out, *i, Some(n)));
        for (out, doc, alias) in outputs.chain(aliases) {
            let url = url_of(out).trim_end_matches('/').to_lowercase();
            by_lower.entry(url).or_insert((doc, alias));
            by_lower.entry(out.to_lowercase()).or_insert((doc, alias));
        }
        Addresses {
            pages,
            by_source,
            by_output,
            redirects,
            by_lower,
            problems,
        }
    }

    /// The output file of the document read from `source`.
    pub fn of(&self, source: &str) -> Option<&str> {
        self.by_source.get(source).map(|&i| self.pages[i].as_str())
    }

    /// The output file of the document with index `doc`.
    pub fn page(&self, doc: usize) -> &str {
        &self.pages[doc]
    }

    /// What the site path `path` (relative to the site root, decoded, without `?` or
    /// `#`) reaches, and the output file that answers it: `runbooks/x`, `runbooks/x/` and
    /// `runbooks/x/index.html` all reach the page written to `runbooks/x/index.html`.
    /// Matching is exact, as a static web server's is.
    pub fn find(&self, path: &str) -> Option<(Place, &str)> {
        let path = path.trim_start_matches('/');
        let folder = format!("{}index.html", path);
        let inside = format!("{path}/index.html");
        let candidates: &[&str] = if path.is_empty() || path.ends_with('/') {
            &[&folder]
        } else {
            &[path, &inside]
        };
        candidates.iter().find_map(|c| {
            self.by_output
                .get_key_value(*c)
                .map(|(k, p)| (*p, k.as_str()))
        })
    }

    /// An address that `path` matches but for letter case, as a URL (`runbooks/x/`):
    /// a hint for a `runbook_url` that a case-sensitive web server would not answer.
    pub fn near(&self, path: &str) -> Option<&str> {
        let path = path.trim_start_matches('/').trim_end_matches('/');
        let path = path.strip_suffix("/index.html").unwrap_or(path);
        self.by_lower
            .get(&path.to_lowercase())
            .map(|&(doc, alias)| match alias {
                None => url_of(&self.pages[doc]),
                Some(i) => url_of(&self.redirects[i].0),
            })
    }

    /// The redirect pages: output file, and the index of the document they lead to.
    pub fn redirects(&self) -> impl Iterator<Item = (&str, usize)> {
        self.redirects.iter().map(|(out, i)| (out.as_str(), *i))
    }

    /// The aliases of the document read from `source` that got a redirect page, as URLs.
    pub fn aliases_of(&self, source: &str) -> impl Iterator<Item = &str> {
        let doc = self.by_source.get(source).copied();
        self.redirects
            .iter()
            .filter(move |(_, i)| Some(*i) == doc)
            .map(|(out, _)| url_of(out))
    }

    /// Collisions and bad aliases (OB207, OB208), for the checks to report.
    pub fn problems(&self) -> &[Diagnostic] {
        &self.problems
    }
}

/// `wanted` with a `-doc` suffix (`-docN` from the second on) before its extension, or
/// before `/index.html` for a folder address.
fn suffixed(wanted: &str, n: usize, folder: bool) -> String {
    let tag = if n == 1 {
        "-doc".to_string()
    } else {
        format!("-doc{n}")
    };
    match wanted.strip_suffix("/index.html").filter(|_| folder) {
        Some(folder) => format!("{folder}{tag}/index.html"),
        None => {
            let stem = wanted.strip_suffix(".html").unwrap_or(wanted);
            format!("{stem}{tag}.html")
        }
    }
}

/// The output file of an alias: a site path (`/runbooks/old/`, `runbooks/old.html`) or a
/// URL under `base_url`; a folder address (ending in `/` or with no extension) is written
/// as its `index.html`.
fn alias_output(written: &str, base_url: Option<&str>) -> Result<String, String> {
    let text = written.trim();
    let base = base_url
        .map(|b| b.trim().trim_end_matches('/'))
        .filter(|b| !b.is_empty());
    let within = match base.and_then(|b| {
        text.get(..b.len())
            .filter(|head| head.eq_ignore_ascii_case(b))
            .map(|_| &text[b.len()..])
    }) {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => rest,
        _ if text.contains("://") || text.starts_with("//") => {
            let site = base.map_or_else(
                || "this handbook sets no base_url".to_string(),
                |b| format!("base_url is `{b}/`"),
            );
            return Err(format!(
                "alias `{written}` is not an address of this site ({site})"
            ));
        }
        _ => text,
    };
    if within.contains(['?', '#', '\\']) {
        return Err(format!(
            "alias `{written}` has a `?`, `#` or `\\`: a redirect page is a file, one per path"
        ));
    }
    let decoded = percent_encoding::percent_decode_str(within).decode_utf8_lossy();
    let mut parts: Vec<&str> = Vec::new();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                return Err(format!(
                    "alias `{written}` has a `..` segment; write the address it stands for"
                ));
            }
            other => parts.push(other),
        }
    }
    let path = parts.join("/");
    if path.is_empty() {
        return Err(format!(
            "alias `{written}` is the site's home page, which the site writes itself"
        ));
    }
    if path == "assets" || path.starts_with("assets/") {
        return Err(format!(
            "alias `{written}` is inside `assets/`, which holds the theme's files"
        ));
    }
    let last = parts.last().copied().unwrap_or_default();
    if decoded.ends_with('/') || !last.contains('.') {
        Ok(format!("{path}/index.html"))
    } else {
        Ok(path)
    }
}

/// `file:line:col` of `span` in the file of `doc`.
fn place(doc: &Document, span: Span, files: &[SourceFile]) -> String {
    let Some(file) = files.get(doc.file) else {
        return doc.path.clone();
    };
    let at = LineIndex::new(&file.text).line_col(&file.text, span.start);
    format!("{}:{}:{}", doc.path, at.line, at.column)
}

fn collision(
    doc: &Document,
    first: &Document,
    files: &[SourceFile],
    wanted: &str,
    out: &str,
) -> Diagnostic {
    Diagnostic::new(
        Rule::UrlCollision,
        &doc.path,
        doc.id_span,
        format!(
            "this page and `{}` both land on `{}`; this one gets `{}` instead",
            place(first, first.id_span, files),
            url_of(wanted),
            url_of(out),
        ),
    )
    .with_help(
        "give one of them another `id:` or file name, or change its kind's `permalinks:` in handbook.yaml",
    )
}

fn alias_collision(
    doc: &Document,
    alias: &Alias,
    place_taken: Place,
    documents: &[Document],
    files: &[SourceFile],
    out: &str,
    base: Option<&str>,
) -> Diagnostic {
    let holder = match place_taken {
        Place::Page(j) => format!(
            "the page of `{}`",
            place(&documents[j], documents[j].id_span, files)
        ),
        Place::Alias(j) => {
            let other = documents[j]
                .aliases
                .iter()
                .find(|a| alias_output(&a.written, base).ok().as_deref() == Some(out))
                .map_or(documents[j].id_span, |a| a.span);
            format!("an alias of `{}`", place(&documents[j], other, files))
        }
        Place::Generated => "a page the site generates".to_string(),
    };
    Diagnostic::new(
        Rule::UrlCollision,
        &doc.path,
        alias.span,
        format!(
            "alias `{}` is already {holder}; no redirect is written for it",
            alias.written
        ),
    )
    .with_help("remove the alias, or the other page's claim to the address")
}

#[cfg(test)]
#[path = "addresses_tests.rs"]
mod tests;
