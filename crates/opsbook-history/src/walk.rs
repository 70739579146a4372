//! One walk over the history of the handbook folder, oldest commit first.
//!
//! Commits whose handbook subtree id equals a parent's are skipped before any diffing;
//! the others are compared with their first parent (merge commits keep only the changes
//! that no other parent already had, so each change is credited to the commit that made
//! it). Postmortem blobs are read once each, by blob id. Examining commits (reading
//! trees, diffing, reading postmortem blobs) runs on every core in chunks of consecutive
//! commits; the facts are then applied in order on one thread.

use crate::mine::Progress;
use crate::probe::{self, State};
use crate::rawtree::{self, Trees};
use crate::repo::commit_info;
use crate::treediff::{self, Change};
use git2::{Odb, Oid, Repository};
use opsbook_core::model::{Review, Status};
use opsbook_stats::facts::{Boundary, CommitInfo, History, Reached, reach};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::mpsc;

/// What every examiner needs to know.
pub(crate) struct Scope<'a> {
    pub(crate) prefix: &'a str,
    pub(crate) boundaries: HashSet<Oid>,
    pub(crate) extra_postmortems: &'a HashSet<String>,
}

impl Scope<'_> {
    fn is_postmortem(&self, path: &str) -> bool {
        path.starts_with("postmortems/") || self.extra_postmortems.contains(path)
    }
}

/// What one commit did to the handbook folder.
#[derive(Default)]
struct Examined {
    /// Whether the handbook folder differs from every parent.
    changing: bool,
    /// The commit, when it is a shallow boundary or changes a document.
    info: Option<CommitInfo>,
    boundary: bool,
    /// The document changes, with the state each postmortem version records.
    changes: Vec<(Change, Option<State>)>,
}

/// The key of the repository's root tree in [`Trees`] (paths there are relative to the
/// handbook folder and never start with `/`).
const ROOT: &str = "/";

/// Bounds the memo of handbook subtree ids (commit → subtree).
const SUBTREE_MEMO: usize = 4096;

struct Examiner<'r, 's> {
    repo: &'r Repository,
    odb: &'r Odb<'r>,
    scope: &'s Scope<'s>,
    subtrees: HashMap<Oid, Option<Oid>>,
    trees: Trees<'r>,
    states: HashMap<Oid, State>,
}

impl<'r, 's> Examiner<'r, 's> {
    fn new(repo: &'r Repository, odb: &'r Odb<'r>, scope: &'s Scope<'s>) -> Self {
        Examiner {
            repo,
            odb,
            scope,
            subtrees: HashMap::new(),
            trees: Trees::default(),
            states: HashMap::new(),
        }
    }

    /// The id of the handbook folder's tree in the commit whose root tree is `root`
    /// (`None` when it is absent), remembered for `commit`.
    fn subtree_of(&mut self, commit: Oid, root: Oid) -> Result<Option<Oid>, git2::Error> {
        let id = if self.scope.prefix.is_empty() {
            Some(root)
        } else {
            let tree = self.trees.get(self.odb, ROOT, root)?;
            rawtree::folder(self.odb, tree.data(), self.scope.prefix)?
        };
        if self.subtrees.len() >= SUBTREE_MEMO {
            self.subtrees.clear();
        }
        self.subtrees.insert(commit, id);
        Ok(id)
    }

    /// The id of the handbook folder's tree in `commit` (`None` when it is absent).
    fn subtree(&mut self, commit: Oid) -> Result<Option<Oid>, git2::Error> {
        if let Some(known) = self.subtrees.get(&commit) {
            return Ok(*known);
        }
        let root = self.repo.find_commit(commit)?.tree_id();
        self.subtree_of(commit, root)
    }

    fn examine(&mut self, oid: Oid) -> Result<Examined, git2::Error> {
        let commit = self.repo.find_commit(oid)?;
        let boundary = self.scope.boundaries.contains(&oid);
        let parents: Vec<Oid> = if boundary {
            Vec::new()
        } else {
            commit.parent_ids().collect()
        };
        let new = match self.subtrees.get(&oid) {
            Some(known) => *known,
            None => self.subtree_of(oid, commit.tree_id())?,
        };
        let mut olds = Vec::with_capacity(parents.len());
        for p in &parents {
            olds.push(self.subtree(*p)?);
        }
        let mut out = Examined {
            boundary,
            info: boundary.then(|| commit_info(&commit)),
            ..Examined::default()
        };
        if olds.contains(&new) || (parents.is_empty() && new.is_none()) {
            return Ok(out); // the handbook folder is the same as in a parent
        }
        out.changing = true;
        let old_tree = match olds.first().copied().flatten() {
            Some(id) => Some(self.trees.get(self.odb, "", id)?),
            None => None,
        };
        let new_tree = match new {
            Some(id) => Some(self.trees.get(self.odb, "", id)?),
            None => None,
        };
        let mut changes = treediff::diff(
            self.repo,
            self.odb,
            &mut self.trees,
            old_tree.as_ref(),
            new_tree.as_ref(),
        )?;
        if olds.len() > 1 {
            let mut others = Vec::new();
            for id in &olds[1..] {
                others.push(id.map(|id| self.repo.find_tree(id)).transpose()?);
            }
            changes.retain(|c| introduced_here(c, &others));
        }
        if changes.is_empty() {
            return Ok(out);
        }
        out.info.get_or_insert_with(|| commit_info(&commit));
        for change in changes {
            let state = match &change {
                Change::Added { path, blob }
                | Change::Modified { path, blob }
                | Change::Renamed { to: path, blob, .. }
                    if self.scope.is_postmortem(path) =>
                {
                    let repo = self.repo;
                    Some(*self.states.entry(*blob).or_insert_with(|| {
                        repo.find_blob(*blob)
                            .map(|b| probe::state(b.content()))
                            .unwrap_or_default()
                    }))
                }
                _ => None,
            };
            out.changes.push((change, state));
        }
        Ok(out)
    }
}

/// Whether a merge commit's change is its own: no other parent already had the result.
fn introduced_here(change: &Change, others: &[Option<git2::Tree<'_>>]) -> bool {
    let blob_in = |tree: &Option<git2::Tree<'_>>, path: &str| {
        tree.as_ref()
            .and_then(|t| t.get_path(Path::new(path)).ok())
            .map(|e| e.id())
    };
    match change {
        Change::Deleted { path } => others.iter().all(|t| blob_in(t, path).is_some()),
        Change::Added { path, blob }
        | Change::Modified { path, blob }
        | Change::Renamed { to: path, blob, .. } => {
            others.iter().all(|t| blob_in(t, path) != Some(*blob))
        }
    }
}

/// Applies one examined commit to the facts.
fn apply(state: &mut History, ex: Examined) {
    state.commits_walked += 1;
    if ex.changing {
        state.commits_changing += 1;
    }
    let Some(info) = ex.info else { return };
    let boundary = ex.boundary;
    if boundary {
        state.boundaries.push(Boundary {
            commit: info.clone(),
        });
    }
    for (change, pm_state) in ex.changes {
        let path = match change {
            Change::Deleted { path } => {
                if let Some(f) = state.docs.get_mut(&path) {
                    f.deleted = true;
                }
                continue;
            }
            Change::Added { path, .. } => {
                let f = state.docs.entry(path.clone()).or_default();
                f.deleted = false;
                if boundary {
                    f.added_before_history = true;
                    f.added = None;
                } else {
                    f.record_add(&info);
                    f.record_change(&info);
                }
                path
            }
            Change::Modified { path, .. } => {
                state
                    .docs
                    .entry(path.clone())
                    .or_default()
                    .record_change(&info);
                path
            }
            Change::Renamed { from, to, .. } => {
                let mut old = state.docs.remove(&from).unwrap_or_default();
                old.renamed_from.push(from);
                let f = state.docs.entry(to.clone()).or_default();
                f.merge(old);
                f.deleted = false;
                f.record_change(&info);
                to
            }
        };
        let (Some(s), Some(f)) = (pm_state, state.docs.get_mut(&path)) else {
            continue;
        };
        let pm = f.postmortem.get_or_insert_with(Default::default);
        pm.revisions += 1;
        let at = || {
            if boundary {
                Reached::BeforeHistory(info.clone())
            } else {
                Reached::At(info.clone())
            }
        };
        if s.status >= Some(Status::Mitigated) {
            reach(&mut pm.mitigated, at());
        }
        if s.status == Some(Status::Resolved) {
            reach(&mut pm.resolved, at());
        }
        if s.review == Some(Review::Published) {
            reach(&mut pm.published, at());
        }
    }
}

/// Consecutive commits examined together by one thread.
const CHUNK: usize = 256;

/// Examines `oids` (oldest first) and applies them to `state`, on every core when the
/// history is long.
pub(crate) fn walk(
    repo: &Repository,
    scope: &Scope<'_>,
    oids: &[Oid],
    state: &mut History,
    progress: Option<&dyn Progress>,
) -> Result<(), git2::Error> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    let chunks: Vec<&[Oid]> = oids.chunks(CHUNK).collect();
    if threads < 2 || chunks.len() < 4 {
        let odb = repo.odb()?;
        let mut examiner = Examiner::new(repo, &odb, scope);
        for chunk in &chunks {
            for oid in *chunk {
                apply(state, examiner.examine(*oid)?);
            }
            if let Some(p) = progress {
                p.advance(chunk.len() as u64);
            }
        }
        return Ok(());
    }
    let git_dir = repo.path();
    std::thread::scope(|s| {
        let mut receivers = Vec::with_capacity(threads);
        for t in 0..threads {
            let (tx, rx) = mpsc::sync_channel::<Result<Vec<Examined>, git2::Error>>(4);
            receivers.push(rx);
            let chunks = &chunks;
            s.spawn(move || {
                let repo = match Repository::open(git_dir) {
                    Ok(repo) => repo,
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        return;
                    }
                };
                let odb = match repo.odb() {
                    Ok(odb) => odb,
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        return;
                    }
                };
                let mut examiner = Examiner::new(&repo, &odb, scope);
                for chunk in chunks.iter().skip(t).step_by(threads) {
                    let result: Result<Vec<_>, _> =
                        chunk.iter().map(|oid| examiner.examine(*oid)).collect();
                    let failed = result.is_err();
                    if tx.send(result).is_err() || failed {
                        return;
                    }
                }
            });
        }
        for (i, chunk) in chunks.iter().enumerate() {
            let examined = receivers[i % threads]
                .recv()
                .map_err(|_| git2::Error::from_str("a history worker stopped"))??;
            for ex in examined {
                apply(state, ex);
            }
            if let Some(p) = progress {
                p.advance(chunk.len() as u64);
            }
        }
        Ok(())
    })
}
