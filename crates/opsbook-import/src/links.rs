//! Relative links of documents that moved (a folder's index into `pages/`, a runbook
//! found by its sections into `runbooks/`, `playbooks/` into `runbooks/`): rewritten so
//! that they still lead where they led. Nothing else of the body changes.

/// Rewrites the relative links of `body`, a document that was at `from` and is now at
/// `to` (paths below the content folder and the handbook root); `moved` gives the new
/// path of an old one. Returns the body and how many links changed.
///
/// ```
/// let moved = |old: &str| old.replacen("playbooks/", "runbooks/", 1);
/// let (body, n) = opsbook_import::links::rewrite("[db](playbooks/db/) and [x](https://x.dev/)\n", "README.md", "pages/home.md", &moved);
/// assert_eq!((body.as_str(), n), ("[db](../runbooks/db/) and [x](https://x.dev/)\n", 1));
/// ```
pub fn rewrite(
    body: &str,
    from: &str,
    to: &str,
    moved: &dyn Fn(&str) -> String,
) -> (String, usize) {
    let outline = opsbook_core::markdown::outline(body, 0);
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for link in &outline.links {
        let dest = link.dest.as_str();
        if dest.is_empty() || dest.starts_with(['#', '/']) || has_scheme(dest) {
            continue;
        }
        let cut = dest.find(['#', '?']).unwrap_or(dest.len());
        let (path, rest) = dest.split_at(cut);
        if path.is_empty() {
            continue;
        }
        let Some(old_target) = join(parent(from), path) else {
            continue;
        };
        let new_target = moved(&old_target);
        let mut relative = relative_path(parent(to), &new_target);
        if path.ends_with('/') && !relative.ends_with('/') {
            relative.push('/');
        }
        let new_dest = format!("{relative}{rest}");
        if new_dest != dest {
            let span = link.dest_span(body);
            if body.get(span.range()) == Some(dest) {
                edits.push((span.range(), new_dest));
            }
        }
    }
    let count = edits.len();
    let mut out = body.to_string();
    for (range, text) in edits.into_iter().rev() {
        out.replace_range(range, &text);
    }
    (out, count)
}

fn has_scheme(dest: &str) -> bool {
    dest.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// `dir` + `path`, `..` resolved; `None` when it climbs above the root.
fn join(dir: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let mut out = parts.join("/");
    if path.ends_with('/') {
        out.push('/');
    }
    Some(out)
}

/// The path from folder `dir` to `target`.
fn relative_path(dir: &str, target: &str) -> String {
    let from: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    let to: Vec<&str> = target.split('/').collect();
    let common = from
        .iter()
        .zip(&to)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to.len().saturating_sub(1));
    let mut parts: Vec<&str> = vec![".."; from.len() - common];
    parts.extend(&to[common..]);
    let joined = parts.join("/");
    if joined.is_empty() {
        ".".to_string()
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_follow_both_moves() {
        let moved = |old: &str| match old {
            "runbooks/README.md" => "pages/runbooks.md".to_string(),
            "ops/Disk.md" => "runbooks/ops/Disk.md".to_string(),
            other => other.to_string(),
        };
        let body =
            "[k](kubernetes/) [d](../ops/Disk.md#mitigation) [img](diagram.png) [top](#top)\n";
        let (out, n) = rewrite(body, "runbooks/README.md", "pages/runbooks.md", &moved);
        assert_eq!(
            out,
            "[k](../runbooks/kubernetes/) [d](../runbooks/ops/Disk.md#mitigation) [img](../runbooks/diagram.png) [top](#top)\n"
        );
        assert_eq!(n, 3);
        let unmoved = "[k](kubernetes/)\n";
        assert_eq!(
            rewrite(unmoved, "runbooks/a.md", "runbooks/a.md", &moved),
            (unmoved.to_string(), 0)
        );
    }
}
