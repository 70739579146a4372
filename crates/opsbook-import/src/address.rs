//! The address each page had on the old site, by the old generator's rules.
//!
//! Addresses are site-relative (below `base_url`), without a leading `/`: `a/b/` for a
//! folder address, `a/b.html` for a file, `` for the site's root.

use crate::site::{Generator, Site};
use crate::value::Val;

/// Where a page was served, and which other addresses led to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OldAddress {
    /// The address the page was served at.
    pub served: String,
    /// The frontmatter key that set `served` (Hugo `url`/`slug`, Jekyll `permalink`),
    /// when the path alone did not.
    pub set_by: Option<&'static str>,
    /// Other addresses that led to the page (Hugo `aliases`), with the key that said so.
    pub redirects: Vec<(String, &'static str)>,
}

/// Whether `rel` (below the content folder) is the index of its folder for this
/// generator: Hugo's `_index.md`, MkDocs' `index.md`/`README.md`, Jekyll's `index.md`,
/// GitHub's `README.md`.
pub fn is_index(site: &Site, rel: &str) -> bool {
    let file = rel.rsplit('/').next().unwrap_or(rel);
    let stem = stem(file).to_ascii_lowercase();
    match site.generator {
        Generator::Hugo { .. } => stem == "_index",
        Generator::MkDocs { .. } => stem == "index" || stem == "readme",
        Generator::Jekyll { .. } => stem == "index",
        Generator::Plain => stem == "readme" || stem == "index",
    }
}

/// The file name without `.md` / `.markdown`.
pub fn stem(file: &str) -> &str {
    let lower = file.to_ascii_lowercase();
    if lower.ends_with(".markdown") {
        &file[..file.len() - 9]
    } else if lower.ends_with(".md") {
        &file[..file.len() - 3]
    } else {
        file
    }
}

fn text(keys: &[(String, Val)], key: &str) -> Option<String> {
    keys.iter()
        .find(|(k, _)| k == key)
        .and_then(|(_, v)| v.as_text())
        .filter(|t| !t.trim().is_empty())
}

/// Site-relative form of an address written in frontmatter: no leading `/`, no
/// `index.html`.
pub fn normalize(address: &str) -> String {
    let trimmed = address.trim();
    let path = trimmed.split(['#', '?']).next().unwrap_or_default();
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let folder = path.ends_with('/') || parts.last() == Some(&"index.html");
    if parts.last() == Some(&"index.html") {
        parts.pop();
    }
    let mut out = parts.join("/");
    if folder && !out.is_empty() {
        out.push('/');
    }
    out
}

/// Hugo's `urlize` of a path as far as addresses go: whitespace runs become `-`, and
/// everything is lowercased unless `disablePathToLower`.
fn hugo_path(path: &str, lower: bool) -> String {
    let joined = path.split_whitespace().collect::<Vec<_>>().join("-");
    if lower { joined.to_lowercase() } else { joined }
}

/// Where the page at `rel` (below the content folder, with its extension) was served.
pub fn old_address(site: &Site, rel: &str, keys: &[(String, Val)]) -> OldAddress {
    let (dirs, file) = match rel.rsplit_once('/') {
        Some((d, f)) => (d, f),
        None => ("", rel),
    };
    let name = stem(file);
    let index = is_index(site, rel);
    let mut redirects = Vec::new();
    let (served, set_by) = match &site.generator {
        Generator::Hugo {
            ugly,
            lower,
            permalinks,
        } => {
            for alias in keys
                .iter()
                .filter(|(k, _)| k == "aliases")
                .flat_map(|(_, v)| v.as_texts().unwrap_or_default())
            {
                let parent = dirs.to_string();
                let address = if alias.starts_with('/') || parent.is_empty() {
                    normalize(&alias)
                } else {
                    normalize(&format!("{}/{alias}", hugo_path(&parent, *lower)))
                };
                redirects.push((address, "aliases"));
            }
            hugo_served(dirs, name, index, keys, *ugly, *lower, permalinks)
        }
        Generator::MkDocs { directory_urls, .. } => (mkdocs_address(rel, *directory_urls), None),
        Generator::Jekyll { permalink } => {
            if let Some(p) = text(keys, "permalink") {
                (normalize(&p), Some("permalink"))
            } else {
                (jekyll_address(dirs, name, index, keys, permalink), None)
            }
        }
        Generator::Plain => (rel.to_string(), None),
    };
    OldAddress {
        served,
        set_by,
        redirects,
    }
}

fn hugo_served(
    dirs: &str,
    name: &str,
    index: bool,
    keys: &[(String, Val)],
    ugly: bool,
    lower: bool,
    permalinks: &std::collections::BTreeMap<String, String>,
) -> (String, Option<&'static str>) {
    if let Some(url) = text(keys, "url") {
        return (normalize(&url), Some("url"));
    }
    let finish = |path: String| {
        let path = hugo_path(path.trim_matches('/'), lower);
        match (path.is_empty(), ugly && !index) {
            (true, _) => String::new(),
            (false, true) => format!("{path}.html"),
            (false, false) => format!("{path}/"),
        }
    };
    if index {
        return (finish(dirs.to_string()), None);
    }
    // A leaf bundle (`a/b/index.md`) is the page `a/b`.
    let (dirs, name) = if name.eq_ignore_ascii_case("index") && !dirs.is_empty() {
        dirs.rsplit_once('/').unwrap_or(("", dirs))
    } else {
        (dirs, name)
    };
    let slug = text(keys, "slug");
    let section = dirs.split('/').next().unwrap_or_default();
    if let Some(pattern) = permalinks.get(section).filter(|_| !section.is_empty()) {
        let title = text(keys, "title").unwrap_or_else(|| name.to_string());
        let date = text(keys, "date").unwrap_or_default();
        let part = |i: usize| date.get(i..).and_then(|d| d.split(['-', 'T']).next());
        let title_slug = hugo_path(&title, true);
        let expanded = pattern
            .replace(":sections", dirs)
            .replace(":section", section)
            .replace(":filename", name)
            .replace(":contentbasename", name)
            .replace(":slug", slug.as_deref().unwrap_or(&title_slug))
            .replace(":title", &title_slug)
            .replace(":year", part(0).unwrap_or_default())
            .replace(":month", part(5).unwrap_or_default())
            .replace(":day", part(8).unwrap_or_default());
        let set_by = slug.is_some() && pattern.contains(":slug");
        return (finish(expanded), set_by.then_some("slug"));
    }
    match slug {
        Some(slug) => {
            let path = if dirs.is_empty() {
                slug
            } else {
                format!("{dirs}/{slug}")
            };
            (finish(path), Some("slug"))
        }
        None if dirs.is_empty() => (finish(name.to_string()), None),
        None => (finish(format!("{dirs}/{name}")), None),
    }
}

/// MkDocs: `a/B.md` → `a/B/` (or `a/B.html` without directory URLs); index pages are
/// their folder.
pub fn mkdocs_address(rel: &str, directory_urls: bool) -> String {
    let (dirs, file) = rel.rsplit_once('/').unwrap_or(("", rel));
    let name = stem(file);
    let lower = name.to_ascii_lowercase();
    let folder = |d: &str| {
        if d.is_empty() {
            String::new()
        } else {
            format!("{d}/")
        }
    };
    if lower == "index" || lower == "readme" {
        return if directory_urls {
            folder(dirs)
        } else {
            format!("{}index.html", folder(dirs))
        };
    }
    let path = format!("{}{name}", folder(dirs));
    if directory_urls {
        format!("{path}/")
    } else {
        format!("{path}.html")
    }
}

fn jekyll_address(
    dirs: &str,
    name: &str,
    index: bool,
    keys: &[(String, Val)],
    style: &str,
) -> String {
    let folder = |d: &str| {
        if d.is_empty() {
            String::new()
        } else {
            format!("{d}/")
        }
    };
    let in_posts = dirs == "_posts" || dirs.ends_with("/_posts");
    if in_posts {
        let date: Vec<&str> = name.splitn(4, '-').collect();
        if let [year, month, day, title] = date[..] {
            let mut categories: Vec<String> = dirs
                .trim_end_matches("_posts")
                .split('/')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            for key in ["categories", "category"] {
                if let Some(v) = keys.iter().find(|(k, _)| k == key).map(|(_, v)| v) {
                    match v {
                        Val::Str(s) => categories.extend(s.split_whitespace().map(str::to_string)),
                        other => categories.extend(other.as_texts().unwrap_or_default()),
                    }
                }
            }
            let categories = categories.join("/").to_lowercase();
            let pattern = match style {
                "date" => "/:categories/:year/:month/:day/:title:output_ext",
                "pretty" => "/:categories/:year/:month/:day/:title/",
                "ordinal" => "/:categories/:year/:y_day/:title:output_ext",
                "none" => "/:categories/:title:output_ext",
                custom => custom,
            };
            return normalize(
                &pattern
                    .replace(":categories", &categories)
                    .replace(":year", year)
                    .replace(":month", month)
                    .replace(":day", day)
                    .replace(":title", title)
                    .replace(":slug", title)
                    .replace(":output_ext", ".html"),
            );
        }
    }
    if index {
        return folder(dirs);
    }
    let pretty = style == "pretty" || style.ends_with('/');
    if pretty {
        format!("{}{name}/", folder(dirs))
    } else {
        format!("{}{name}.html", folder(dirs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(text: &str) -> Site {
        crate::site::hugo("config.toml", text)
    }

    fn keys(pairs: &[(&str, Val)]) -> Vec<(String, Val)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn hugo_lowercases_and_uses_folder_addresses() {
        let hugo = site("");
        let at = |rel| old_address(&hugo, rel, &[]).served;
        assert_eq!(
            at("runbooks/db/PostgresDown.md"),
            "runbooks/db/postgresdown/"
        );
        assert_eq!(at("runbooks/_index.md"), "runbooks/");
        assert_eq!(at("_index.md"), "");
        assert_eq!(
            at("runbooks/db/Disk Full/index.md"),
            "runbooks/db/disk-full/"
        );
        let ugly = site("uglyURLs = true\ndisablePathToLower = true\n");
        assert_eq!(
            old_address(&ugly, "runbooks/db/PostgresDown.md", &[]).served,
            "runbooks/db/PostgresDown.html"
        );
    }

    #[test]
    fn hugo_url_slug_aliases_and_permalinks() {
        let hugo = site("[permalinks]\npostmortems = '/incidents/:year/:slug/'\n");
        let a = old_address(
            &hugo,
            "runbooks/db/PgDown.md",
            &keys(&[
                ("slug", Val::Str("pg-down".into())),
                (
                    "aliases",
                    Val::List(vec![Val::Str("/old/pg/".into()), Val::Str("pg".into())]),
                ),
            ]),
        );
        assert_eq!(
            (a.served.as_str(), a.set_by),
            ("runbooks/db/pg-down/", Some("slug"))
        );
        assert_eq!(
            a.redirects,
            [
                ("old/pg/".to_string(), "aliases"),
                ("runbooks/db/pg".to_string(), "aliases")
            ]
        );
        let u = old_address(
            &hugo,
            "a.md",
            &keys(&[("url", Val::Str("/legacy/a.html".into()))]),
        );
        assert_eq!(
            (u.served.as_str(), u.set_by),
            ("legacy/a.html", Some("url"))
        );
        let p = old_address(
            &hugo,
            "postmortems/db-outage.md",
            &keys(&[
                ("title", Val::Str("DB outage".into())),
                ("date", Val::Str("2024-03-01".into())),
            ]),
        );
        assert_eq!(p.served, "incidents/2024/db-outage/");
    }

    #[test]
    fn mkdocs_keeps_case() {
        assert_eq!(
            mkdocs_address("runbooks/node/DiskFull.md", true),
            "runbooks/node/DiskFull/"
        );
        assert_eq!(mkdocs_address("runbooks/index.md", true), "runbooks/");
        assert_eq!(
            mkdocs_address("runbooks/node/DiskFull.md", false),
            "runbooks/node/DiskFull.html"
        );
        assert_eq!(mkdocs_address("README.md", false), "index.html");
    }

    #[test]
    fn jekyll_pages_and_posts() {
        let plain = crate::site::jekyll("_config.yml", "");
        let pretty = crate::site::jekyll("_config.yml", "permalink: pretty\n");
        let at = |s: &Site, rel| old_address(s, rel, &[]).served;
        assert_eq!(at(&plain, "runbooks/disk.md"), "runbooks/disk.html");
        assert_eq!(at(&pretty, "runbooks/disk.md"), "runbooks/disk/");
        assert_eq!(
            at(&plain, "_posts/2024-03-01-db-outage.md"),
            "2024/03/01/db-outage.html"
        );
        let own = old_address(
            &plain,
            "a.md",
            &keys(&[("permalink", Val::Str("/ops/a/".into()))]),
        );
        assert_eq!(
            (own.served.as_str(), own.set_by),
            ("ops/a/", Some("permalink"))
        );
    }

    #[test]
    fn normalize_addresses() {
        assert_eq!(normalize("/runbooks/x/index.html"), "runbooks/x/");
        assert_eq!(normalize("runbooks//x.html#a"), "runbooks/x.html");
        assert_eq!(normalize("/"), "");
    }
}
