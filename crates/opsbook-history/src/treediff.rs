//! Comparing two versions of the handbook folder: a merge walk over sorted tree entries
//! that descends only into subfolders whose ids differ (what `git diff-tree -r` does),
//! then pairs deletions with additions as renames.

use git2::{ObjectType, Oid, Repository, Tree, TreeEntry};
use std::cmp::Ordering;
use std::collections::HashMap;

/// One changed markdown file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Change {
    /// A new file.
    Added { path: String, blob: Oid },
    /// A changed file.
    Modified { path: String, blob: Oid },
    /// A removed file.
    Deleted { path: String },
    /// A file moved, possibly with edits.
    Renamed { from: String, to: String, blob: Oid },
}

/// A file-level difference before rename pairing.
struct Raw {
    path: String,
    old: Option<Oid>,
    new: Option<Oid>,
}

fn is_markdown(name: &[u8]) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(b".md") || lower.ends_with(b".markdown")
}

fn is_tree(e: &TreeEntry<'_>) -> bool {
    e.kind() == Some(ObjectType::Tree)
}

/// Regular files only: symbolic links and submodules are not documents.
fn is_file(e: &TreeEntry<'_>) -> bool {
    matches!(e.filemode(), 0o100644 | 0o100755)
}

/// git sorts tree entries as if folder names ended with `/`.
fn order(a: &TreeEntry<'_>, b: &TreeEntry<'_>) -> Ordering {
    let (na, nb) = (a.name_bytes(), b.name_bytes());
    let n = na.len().min(nb.len());
    match na[..n].cmp(&nb[..n]) {
        Ordering::Equal => {
            let next = |name: &[u8], e: &TreeEntry<'_>| {
                name.get(n).copied().or_else(|| is_tree(e).then_some(b'/'))
            };
            next(na, a).cmp(&next(nb, b))
        }
        other => other,
    }
}

fn join(base: &str, name: &[u8]) -> String {
    let name = String::from_utf8_lossy(name);
    if base.is_empty() {
        name.into_owned()
    } else {
        format!("{base}/{name}")
    }
}

/// The trees read for the last two commits. libgit2 caches only small trees (under 4 KiB),
/// but a folder of hundreds of runbooks is a tree of tens of KiB that the next commit
/// reads again as its old side.
#[derive(Default)]
pub(crate) struct Trees<'r> {
    current: HashMap<Oid, Tree<'r>>,
    previous: HashMap<Oid, Tree<'r>>,
}

impl<'r> Trees<'r> {
    /// Starts the next commit: trees not used by this one or the previous one are dropped.
    pub(crate) fn next_commit(&mut self) {
        self.previous = std::mem::take(&mut self.current);
    }

    /// The tree `id`.
    pub(crate) fn get(&mut self, repo: &'r Repository, id: Oid) -> Result<Tree<'r>, git2::Error> {
        if let Some(t) = self.current.get(&id) {
            return Ok(t.clone());
        }
        let tree = match self.previous.remove(&id) {
            Some(t) => t,
            None => repo.find_tree(id)?,
        };
        self.current.insert(id, tree.clone());
        Ok(tree)
    }
}

/// Walks two trees (either may be absent) and collects the markdown files that differ.
fn walk<'r>(
    repo: &'r Repository,
    trees: &mut Trees<'r>,
    old: Option<&Tree<'_>>,
    new: Option<&Tree<'_>>,
    base: &str,
    out: &mut Vec<Raw>,
) -> Result<(), git2::Error> {
    let (n_old, n_new) = (old.map_or(0, Tree::len), new.map_or(0, Tree::len));
    let (mut i, mut j) = (0, 0);
    while i < n_old || j < n_new {
        let a = old.and_then(|t| if i < n_old { t.get(i) } else { None });
        let b = new.and_then(|t| if j < n_new { t.get(j) } else { None });
        let step = match (&a, &b) {
            (Some(a), Some(b)) => order(a, b),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => break,
        };
        match step {
            Ordering::Less => {
                i += 1;
                side(repo, trees, a.as_ref(), None, base, out)?;
            }
            Ordering::Greater => {
                j += 1;
                side(repo, trees, None, b.as_ref(), base, out)?;
            }
            Ordering::Equal => {
                i += 1;
                j += 1;
                if let (Some(a), Some(b)) = (&a, &b) {
                    if a.id() != b.id() || a.filemode() != b.filemode() {
                        side(repo, trees, Some(a), Some(b), base, out)?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// Handles one name present on one or both sides with different content.
fn side<'r>(
    repo: &'r Repository,
    trees: &mut Trees<'r>,
    a: Option<&TreeEntry<'_>>,
    b: Option<&TreeEntry<'_>>,
    base: &str,
    out: &mut Vec<Raw>,
) -> Result<(), git2::Error> {
    let name = a.or(b).map_or(&b""[..], |e| e.name_bytes());
    let tree_a = match a.filter(|e| is_tree(e)) {
        Some(e) => Some(trees.get(repo, e.id())?),
        None => None,
    };
    let tree_b = match b.filter(|e| is_tree(e)) {
        Some(e) => Some(trees.get(repo, e.id())?),
        None => None,
    };
    if tree_a.is_some() || tree_b.is_some() {
        walk(
            repo,
            trees,
            tree_a.as_ref(),
            tree_b.as_ref(),
            &join(base, name),
            out,
        )?;
    }
    let file_a = a.filter(|e| is_file(e) && is_markdown(e.name_bytes()));
    let file_b = b.filter(|e| is_file(e) && is_markdown(e.name_bytes()));
    if file_a.is_some() || file_b.is_some() {
        out.push(Raw {
            path: join(base, name),
            old: file_a.map(TreeEntry::id),
            new: file_b.map(TreeEntry::id),
        });
    }
    Ok(())
}

/// The markdown files that differ between two versions of the handbook folder, with
/// deletions and additions paired into renames (exact content first, then by similarity).
pub(crate) fn diff<'r>(
    repo: &'r Repository,
    trees: &mut Trees<'r>,
    old: Option<&Tree<'_>>,
    new: Option<&Tree<'_>>,
) -> Result<Vec<Change>, git2::Error> {
    let mut raw = Vec::new();
    walk(repo, trees, old, new, "", &mut raw)?;
    let mut changes = Vec::with_capacity(raw.len());
    let mut deleted = Vec::new();
    let mut added = Vec::new();
    for r in raw {
        match (r.old, r.new) {
            (Some(_), Some(blob)) => changes.push(Change::Modified { path: r.path, blob }),
            (None, Some(blob)) => added.push((r.path, blob)),
            (Some(blob), None) => deleted.push((r.path, blob)),
            (None, None) => {}
        }
    }
    if !deleted.is_empty() && !added.is_empty() {
        pair_renames(repo, &mut deleted, &mut added, &mut changes);
    }
    changes.extend(
        deleted
            .into_iter()
            .map(|(path, _)| Change::Deleted { path }),
    );
    changes.extend(
        added
            .into_iter()
            .map(|(path, blob)| Change::Added { path, blob }),
    );
    Ok(changes)
}

/// Above this many candidate pairs, only exact renames are detected (as git does).
const MAX_SIMILARITY_PAIRS: usize = 10_000;

/// Content similarity (in percent) at or above which a deletion and an addition are a
/// rename: git's default.
const RENAME_THRESHOLD: usize = 50;

fn pair_renames(
    repo: &Repository,
    deleted: &mut Vec<(String, Oid)>,
    added: &mut Vec<(String, Oid)>,
    changes: &mut Vec<Change>,
) {
    // Exact renames: same blob.
    let mut by_blob: HashMap<Oid, Vec<usize>> = HashMap::new();
    for (i, (_, blob)) in deleted.iter().enumerate() {
        by_blob.entry(*blob).or_default().push(i);
    }
    let mut used_deleted = vec![false; deleted.len()];
    let mut used_added = vec![false; added.len()];
    for (j, (to, blob)) in added.iter().enumerate() {
        let Some(candidates) = by_blob.get_mut(blob) else {
            continue;
        };
        let Some(i) = candidates.pop() else { continue };
        used_deleted[i] = true;
        used_added[j] = true;
        changes.push(Change::Renamed {
            from: deleted[i].0.clone(),
            to: to.clone(),
            blob: *blob,
        });
    }
    // Renames with edits: best line similarity, greedily.
    let rest_d: Vec<usize> = (0..deleted.len()).filter(|&i| !used_deleted[i]).collect();
    let rest_a: Vec<usize> = (0..added.len()).filter(|&j| !used_added[j]).collect();
    if !rest_d.is_empty()
        && !rest_a.is_empty()
        && rest_d.len() * rest_a.len() <= MAX_SIMILARITY_PAIRS
    {
        let lines = |blob: Oid| -> Vec<u64> {
            let mut v: Vec<u64> = repo
                .find_blob(blob)
                .map(|b| b.content().split(|&c| c == b'\n').map(hash_line).collect())
                .unwrap_or_default();
            v.sort_unstable();
            v
        };
        let old_lines: Vec<Vec<u64>> = rest_d.iter().map(|&i| lines(deleted[i].1)).collect();
        let new_lines: Vec<Vec<u64>> = rest_a.iter().map(|&j| lines(added[j].1)).collect();
        let mut scored = Vec::new();
        for (x, a) in old_lines.iter().enumerate() {
            for (y, b) in new_lines.iter().enumerate() {
                let score = similarity(a, b);
                if score >= RENAME_THRESHOLD {
                    scored.push((score, x, y));
                }
            }
        }
        scored.sort_by(|p, q| q.0.cmp(&p.0).then(p.1.cmp(&q.1)).then(p.2.cmp(&q.2)));
        for (_, x, y) in scored {
            let (i, j) = (rest_d[x], rest_a[y]);
            if used_deleted[i] || used_added[j] {
                continue;
            }
            used_deleted[i] = true;
            used_added[j] = true;
            changes.push(Change::Renamed {
                from: deleted[i].0.clone(),
                to: added[j].0.clone(),
                blob: added[j].1,
            });
        }
    }
    let mut i = 0;
    deleted.retain(|_| {
        i += 1;
        !used_deleted[i - 1]
    });
    let mut j = 0;
    added.retain(|_| {
        j += 1;
        !used_added[j - 1]
    });
}

fn hash_line(line: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    line.hash(&mut h);
    h.finish()
}

/// Shared lines (as a multiset) over the longer file's line count, in percent.
fn similarity(a: &[u64], b: &[u64]) -> usize {
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 100;
    }
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common * 100 / longest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similarity_counts_shared_lines() {
        assert_eq!(similarity(&[1, 2, 3, 4], &[1, 2, 3, 5]), 75);
        assert_eq!(similarity(&[], &[]), 100);
        assert_eq!(similarity(&[1], &[2, 3]), 0);
    }

    #[test]
    fn markdown_names() {
        assert!(is_markdown(b"a.MD"));
        assert!(is_markdown(b"x.markdown"));
        assert!(!is_markdown(b"handbook.yaml"));
    }
}
