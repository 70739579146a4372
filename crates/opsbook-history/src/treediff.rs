//! Comparing two versions of the handbook folder: a merge walk over sorted tree entries
//! that descends only into subfolders whose ids differ (what `git diff-tree -r` does),
//! then pairs deletions with additions as renames.

use crate::rawtree::{self, Entry, RawTree, Trees};
use git2::{Odb, Oid, Repository};
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
    let ends = |suffix: &[u8]| {
        name.len() >= suffix.len() && name[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
    };
    ends(b".md") || ends(b".markdown")
}

/// git sorts tree entries as if folder names ended with `/`.
fn order(a: &Entry<'_>, b: &Entry<'_>) -> Ordering {
    let (na, nb) = (a.name, b.name);
    let n = na.len().min(nb.len());
    match na[..n].cmp(&nb[..n]) {
        Ordering::Equal => {
            let next = |name: &[u8], e: &Entry<'_>| {
                name.get(n).copied().or_else(|| e.is_tree().then_some(b'/'))
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

/// Walks two trees (either may be absent) and collects the markdown files that differ.
///
/// Runs of entries whose bytes are the same on both sides (most of a folder, at most
/// commits) are skipped with one comparison of bytes and a search in the old side's
/// entry starts, without reading their names: entries delimit themselves, so the same
/// bytes from an entry start are the same entries. The new side's entry starts are
/// recorded on the way for the next commit, whose old side it is.
fn walk<'r>(
    odb: &'r Odb<'_>,
    trees: &mut Trees<'r>,
    old: Option<&RawTree<'r>>,
    new: Option<&RawTree<'r>>,
    base: &str,
    out: &mut Vec<Raw>,
) -> Result<(), git2::Error> {
    let old_data = old.map_or(&[][..], |t| t.data());
    let new_data = new.map_or(&[][..], |t| t.data());
    let old_starts = match old {
        Some(t) => t.starts()?,
        None => &[0][..],
    };
    let n_old = old_starts.len() - 1;
    let mut new_starts = match new {
        Some(t) if !t.has_starts() => Some(Vec::with_capacity(old_starts.len() + 4)),
        _ => None,
    };
    // Entry `i` of the old side, and the byte where the next new entry starts.
    let (mut i, mut at) = (0, 0);
    loop {
        if i < n_old && at < new_data.len() {
            let from = old_starts[i];
            let same = rawtree::common_prefix(&old_data[from..], &new_data[at..]);
            let skip = old_starts[i + 1..].partition_point(|&s| s <= from + same);
            if skip > 0 {
                if let Some(starts) = &mut new_starts {
                    starts.extend(old_starts[i..i + skip].iter().map(|&s| s - from + at));
                }
                at += old_starts[i + skip] - from;
                i += skip;
            }
        }
        let a = if i < n_old {
            rawtree::next_entry(old_data, &mut old_starts[i].clone())?
        } else {
            None
        };
        let mut next_at = at;
        let b = rawtree::next_entry(new_data, &mut next_at)?;
        let step = match (&a, &b) {
            (Some(a), Some(b)) => order(a, b),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => break,
        };
        if step != Ordering::Less {
            if let Some(starts) = &mut new_starts {
                starts.push(at);
            }
            at = next_at;
        }
        match step {
            Ordering::Less => {
                i += 1;
                side(odb, trees, a.as_ref(), None, base, out)?;
            }
            Ordering::Greater => {
                side(odb, trees, None, b.as_ref(), base, out)?;
            }
            Ordering::Equal => {
                i += 1;
                if let (Some(x), Some(y)) = (&a, &b) {
                    if !x.same_id(y) || x.filemode() != y.filemode() {
                        side(odb, trees, Some(x), Some(y), base, out)?;
                    }
                }
            }
        }
    }
    if let (Some(t), Some(mut starts)) = (new, new_starts) {
        starts.push(new_data.len());
        t.record_starts(starts);
    }
    Ok(())
}

/// Handles one name present on one or both sides with different content.
fn side<'r>(
    odb: &'r Odb<'_>,
    trees: &mut Trees<'r>,
    a: Option<&Entry<'_>>,
    b: Option<&Entry<'_>>,
    base: &str,
    out: &mut Vec<Raw>,
) -> Result<(), git2::Error> {
    let name = a.or(b).map_or(&b""[..], |e| e.name);
    let path = join(base, name);
    let tree_a = match a.filter(|e| e.is_tree()) {
        Some(e) => Some(trees.get(odb, &path, e.oid()?)?),
        None => None,
    };
    let tree_b = match b.filter(|e| e.is_tree()) {
        Some(e) => Some(trees.get(odb, &path, e.oid()?)?),
        None => None,
    };
    if tree_a.is_some() || tree_b.is_some() {
        walk(odb, trees, tree_a.as_ref(), tree_b.as_ref(), &path, out)?;
    }
    let file_a = a.filter(|e| e.is_file() && is_markdown(e.name));
    let file_b = b.filter(|e| e.is_file() && is_markdown(e.name));
    if file_a.is_some() || file_b.is_some() {
        out.push(Raw {
            path,
            old: file_a.map(Entry::oid).transpose()?,
            new: file_b.map(Entry::oid).transpose()?,
        });
    }
    Ok(())
}

/// The markdown files that differ between two versions of the handbook folder, with
/// deletions and additions paired into renames (exact content first, then by similarity).
pub(crate) fn diff<'r>(
    repo: &Repository,
    odb: &'r Odb<'_>,
    trees: &mut Trees<'r>,
    old: Option<&RawTree<'r>>,
    new: Option<&RawTree<'r>>,
) -> Result<Vec<Change>, git2::Error> {
    let mut raw = Vec::new();
    walk(odb, trees, old, new, "", &mut raw)?;
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
        assert!(!is_markdown(b"md"));
    }

    use git2::{FileMode, ObjectType, TreeWalkMode, TreeWalkResult};
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    /// A generated tree entry.
    #[derive(Debug, Clone)]
    enum Node {
        File { content: u8, exec: bool },
        Link(u8),
        Submodule(u8),
        Dir(BTreeMap<String, Node>),
    }

    /// Names chosen to sort differently as files and as folders (`a` < `a-b.md` <
    /// `a.md` < `a/` < `a0`), in several cases, with and without a markdown suffix.
    const NAMES: &[&str] = &[
        "a",
        "a-b.md",
        "a.md",
        "a0",
        "b.MD",
        "c.markdown",
        "d",
        "d.md",
        "e.txt",
        "f.md",
        "g.md",
        "h.md",
    ];

    fn node(depth: u32) -> BoxedStrategy<Node> {
        let leaf = prop_oneof![
            6 => (0u8..3, any::<bool>()).prop_map(|(content, exec)| Node::File { content, exec }),
            1 => (0u8..2).prop_map(Node::Link),
            1 => (0u8..2).prop_map(Node::Submodule),
        ];
        if depth == 0 {
            return leaf.boxed();
        }
        prop_oneof![3 => leaf, 1 => folder(depth - 1).prop_map(Node::Dir)].boxed()
    }

    fn folder(depth: u32) -> BoxedStrategy<BTreeMap<String, Node>> {
        prop::collection::vec(prop::option::weighted(0.7, node(depth)), NAMES.len())
            .prop_map(|nodes| {
                NAMES
                    .iter()
                    .zip(nodes)
                    .filter_map(|(name, n)| Some((name.to_string(), n?)))
                    .collect()
            })
            .boxed()
    }

    fn build(repo: &Repository, entries: &BTreeMap<String, Node>) -> Oid {
        let mut b = repo.treebuilder(None).unwrap();
        for (name, n) in entries {
            let (id, mode) = match n {
                Node::File { content, exec } => {
                    let text = format!("---\nversion: {content}\n---\n");
                    let mode = if *exec {
                        FileMode::BlobExecutable
                    } else {
                        FileMode::Blob
                    };
                    (repo.blob(text.as_bytes()).unwrap(), mode)
                }
                Node::Link(to) => (
                    repo.blob(format!("target{to}").as_bytes()).unwrap(),
                    FileMode::Link,
                ),
                Node::Submodule(c) => (Oid::from_bytes(&[*c + 1; 20]).unwrap(), FileMode::Commit),
                Node::Dir(inner) => (build(repo, inner), FileMode::Tree),
            };
            b.insert(name, id, mode.into()).unwrap();
        }
        b.write().unwrap()
    }

    /// The markdown regular files of a tree, by path, as libgit2 lists them.
    fn files(repo: &Repository, id: Oid) -> BTreeMap<String, (Oid, i32)> {
        let mut out = BTreeMap::new();
        repo.find_tree(id)
            .unwrap()
            .walk(TreeWalkMode::PreOrder, |dir, e| {
                let name = e.name().unwrap();
                let regular = matches!(e.filemode(), 0o100644 | 0o100755);
                if e.kind() == Some(ObjectType::Blob) && regular && is_markdown(name.as_bytes()) {
                    out.insert(format!("{dir}{name}"), (e.id(), e.filemode()));
                }
                TreeWalkResult::Ok
            })
            .unwrap();
        out
    }

    /// The reference: every path whose file differs between the two flat listings.
    fn expected(repo: &Repository, old: Oid, new: Oid) -> Vec<(String, Option<Oid>, Option<Oid>)> {
        let (a, b) = (files(repo, old), files(repo, new));
        let mut paths: Vec<&String> = a.keys().chain(b.keys()).collect();
        paths.sort();
        paths.dedup();
        paths
            .into_iter()
            .filter(|p| a.get(*p) != b.get(*p))
            .map(|p| (p.clone(), a.get(p).map(|x| x.0), b.get(p).map(|x| x.0)))
            .collect()
    }

    fn raw_diff<'r>(
        odb: &'r Odb<'_>,
        trees: &mut Trees<'r>,
        old: Oid,
        new: Oid,
    ) -> Vec<(String, Option<Oid>, Option<Oid>)> {
        let (o, n) = (
            trees.get(odb, "", old).unwrap(),
            trees.get(odb, "", new).unwrap(),
        );
        let mut raw = Vec::new();
        walk(odb, trees, Some(&o), Some(&n), "", &mut raw).unwrap();
        let mut out: Vec<_> = raw.into_iter().map(|r| (r.path, r.old, r.new)).collect();
        out.sort();
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// A sequence of versions compared as the walk does (each new side is the next
        /// old side, with the entry starts recorded on the way) gives exactly the files
        /// that differ in libgit2's own listing of both trees.
        #[test]
        fn raw_diff_matches_libgit2(versions in prop::collection::vec(folder(2), 2..5)) {
            let dir = tempfile::tempdir().unwrap();
            let repo = Repository::init(dir.path()).unwrap();
            let ids: Vec<Oid> = versions.iter().map(|v| build(&repo, v)).collect();
            let odb = repo.odb().unwrap();
            let mut trees = Trees::default();
            for pair in ids.windows(2) {
                let got = raw_diff(&odb, &mut trees, pair[0], pair[1]);
                prop_assert_eq!(got, expected(&repo, pair[0], pair[1]));
            }
            // Starts recorded while comparing equal those of a fresh reading.
            for id in &ids {
                let kept = trees.get(&odb, "", *id).unwrap();
                let fresh = rawtree::read(&odb, *id).unwrap();
                if kept.has_starts() {
                    prop_assert_eq!(kept.starts().unwrap(), fresh.starts().unwrap());
                }
            }
        }
    }

    /// Old modes such as `100664` (written by early versions of git) count as `100644`,
    /// as libgit2 reports them: no change when only that differs.
    #[test]
    fn old_file_modes_are_normalized() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let blob = repo.blob(b"---\nstatus: resolved\n---\n").unwrap();
        let odb = repo.odb().unwrap();
        let tree = |mode: &str| {
            let mut bytes = format!("{mode} a.md\0").into_bytes();
            bytes.extend(blob.as_bytes());
            odb.write(ObjectType::Tree, &bytes).unwrap()
        };
        let (old, new, exec) = (tree("100664"), tree("100644"), tree("100755"));
        let mut trees = Trees::default();
        assert_eq!(raw_diff(&odb, &mut trees, old, new), vec![]);
        assert_eq!(
            raw_diff(&odb, &mut trees, new, exec),
            vec![("a.md".to_string(), Some(blob), Some(blob))]
        );
    }
}
