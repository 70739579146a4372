//! Relative URLs between pages. Where each page goes is [`opsbook_core::permalink`]'s:
//! the checks resolve `runbook_url`s and links with the same addresses.
//!
//! Every URL the site writes is relative, so the output opens from `file://` and from
//! any sub-path of a web server.

pub use opsbook_core::permalink::GENERATED;

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
