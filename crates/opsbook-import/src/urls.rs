//! New addresses: the `permalinks:` pattern per kind that reproduces most of the old
//! addresses, following the handbook.yaml contract (`{id}`, `{path}`, `{slug}`; a
//! pattern ending in `/` is a folder address, any other ends in `.html`).

use crate::address::normalize;
use opsbook_core::permalink::{Permalink, url_of};

pub use opsbook_core::permalink::slug;

/// The address (as a URL, `runbooks/x/` for a folder address) that `pattern` gives a
/// document with `id` and `path`: the same expansion the site uses.
pub fn expand(pattern: &str, id: &str, path: &str) -> String {
    match pattern.parse::<Permalink>() {
        Ok(p) => url_of(&p.expand(id, path)).to_string(),
        // The importer writes only patterns of its own making; keep the text visible.
        Err(_) => pattern.to_string(),
    }
}

/// The address of a document when its kind has no pattern: its path with `.html`.
pub fn default_address(dest: &str) -> String {
    let stem = crate::address::stem(dest);
    format!("{stem}.html")
}

/// Whether two site-relative addresses name the same page, as a static server reads
/// them (`a/b`, `a/b/` and `a/b/index.html` alike; case kept).
pub fn same(a: &str, b: &str) -> bool {
    let key = |s: &str| normalize(s).trim_end_matches('/').to_string();
    key(a) == key(b)
}

/// A document voting for its kind's pattern.
#[derive(Debug, Clone, Copy)]
pub struct Voter<'a> {
    /// Its id.
    pub id: &'a str,
    /// `{path}`: below the kind's folder (pages: below the root), without extension.
    pub path: &'a str,
    /// Its path in the handbook.
    pub dest: &'a str,
    /// Its old address.
    pub old: &'a str,
}

/// The address of a document under `pattern` (`None`: the default).
pub fn address(pattern: Option<&str>, voter: &Voter) -> String {
    match pattern {
        Some(p) => expand(p, voter.id, voter.path),
        None => default_address(voter.dest),
    }
}

/// The pattern that gives most voters their old address, with how many it gives it
/// to; `None` when the default does as well as any pattern. Hugo-like sites
/// (`lowercase`) prefer `{slug}` where `{slug}` and `{path}` do equally well.
pub fn choose(voters: &[Voter], lowercase: bool) -> (Option<String>, usize) {
    let tails: [&str; 6] = if lowercase {
        [
            "{slug}/",
            "{path}/",
            "{slug}.html",
            "{path}.html",
            "{id}/",
            "{id}.html",
        ]
    } else {
        [
            "{path}/",
            "{slug}/",
            "{path}.html",
            "{slug}.html",
            "{id}/",
            "{id}.html",
        ]
    };
    let mut candidates: Vec<Option<String>> = vec![None];
    for voter in voters {
        for tail in tails {
            let rendered = expand(tail, voter.id, voter.path);
            let old = normalize(voter.old);
            let old = if tail.ends_with('/') && !old.ends_with('/') && !old.ends_with(".html") {
                format!("{old}/")
            } else {
                old
            };
            if let Some(prefix) = old.strip_suffix(&rendered) {
                if prefix.is_empty() || prefix.ends_with('/') {
                    let pattern = format!("{prefix}{tail}");
                    if !candidates.contains(&Some(pattern.clone())) {
                        candidates.push(Some(pattern));
                    }
                }
            }
        }
    }
    let score = |pattern: &Option<String>| {
        voters
            .iter()
            .filter(|v| same(&address(pattern.as_deref(), v), v.old))
            .count()
    };
    let mut best = (None, score(&None));
    for candidate in candidates.into_iter().skip(1) {
        let s = score(&candidate);
        if s > best.1 {
            best = (candidate, s);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn voter<'a>(id: &'a str, path: &'a str, dest: &'a str, old: &'a str) -> Voter<'a> {
        Voter {
            id,
            path,
            dest,
            old,
        }
    }

    #[test]
    fn hugo_addresses_give_a_slug_pattern() {
        let voters = [
            voter(
                "PgDown",
                "db/PgDown",
                "runbooks/db/PgDown.md",
                "runbooks/db/pgdown/",
            ),
            voter(
                "ApiSlow",
                "api/ApiSlow",
                "runbooks/api/ApiSlow.md",
                "runbooks/api/apislow/",
            ),
            voter("X", "api/X", "runbooks/api/X.md", "legacy/x/"),
        ];
        assert_eq!(
            choose(&voters, true),
            (Some("runbooks/{slug}/".to_string()), 2)
        );
    }

    #[test]
    fn mkdocs_addresses_keep_case_and_prefix() {
        let voters = [
            voter(
                "PgDown",
                "db/PgDown",
                "runbooks/db/PgDown.md",
                "ops/runbooks/db/PgDown/",
            ),
            voter("Disk", "Disk", "runbooks/Disk.md", "ops/runbooks/Disk/"),
        ];
        assert_eq!(
            choose(&voters, false),
            (Some("ops/runbooks/{path}/".to_string()), 2)
        );
    }

    #[test]
    fn the_default_wins_a_tie() {
        let voters = [voter("a", "a", "runbooks/a.md", "runbooks/a.html")];
        assert_eq!(choose(&voters, false), (None, 1));
        assert!(same("runbooks/a/", "runbooks/a/index.html"));
        assert!(same("runbooks/a", "runbooks/a/"));
        assert!(!same("runbooks/a.html", "runbooks/a/"));
    }
}
