//! Mining the history of a handbook folder: finding the repository, using the cache, and
//! one walk over the commits not mined yet (see [`crate::walk`]).

use crate::cache;
use crate::error::HistoryError;
use crate::repo::{self, NoHistory, commit_info};
use crate::walk::{self, Scope};
use git2::{Oid, Sort};
use opsbook_stats::{History, Mined, Note};
use std::collections::HashSet;
use std::path::Path;

/// Told how a long walk advances (the binary draws a progress bar with it).
pub trait Progress {
    /// The walk is about to visit `commits` commits.
    fn start(&self, commits: u64);
    /// `commits` more commits were visited.
    fn advance(&self, commits: u64);
    /// The walk is over.
    fn finish(&self);
}

/// How to mine.
#[derive(Default)]
pub struct MineOptions<'a> {
    /// Reuse and update the cache of mined facts in `.git/opsbook-cache/`.
    pub cache: bool,
    /// Told as the walk advances.
    pub progress: Option<&'a dyn Progress>,
    /// Paths (relative to the handbook) read as postmortems besides those in
    /// `postmortems/`, e.g. documents elsewhere that say `kind: postmortem`.
    pub postmortem_paths: HashSet<String>,
}

/// The commit that HEAD of the repository holding `dir` points at (`None` without a
/// repository or commit). Cheap enough to poll: `opsbook serve` does, to mine again when
/// a commit is made while it runs.
pub fn head_commit(dir: &Path) -> Option<String> {
    let repo = git2::Repository::discover(dir).ok()?;
    let head = repo.head().ok()?.target()?;
    Some(head.to_string())
}

/// Mines the history of the handbook folder `dir`.
///
/// Turns off two process-wide libgit2 settings: hash verification of objects read, and
/// libgit2's object cache.
pub fn mine(dir: &Path, options: &MineOptions<'_>) -> Result<Mined, HistoryError> {
    // Process-wide libgit2 settings. Like git itself, trust the object store instead of
    // re-hashing every object read (verification doubled the cost of a walk); and skip
    // libgit2's object cache, which kept ~50 MB per thread of objects read once, while
    // the walk keeps the trees it reads again itself (`rawtree::Trees`).
    git2::opts::strict_hash_verification(false);
    git2::opts::enable_caching(false);
    let located = match repo::locate(dir)? {
        Ok(located) => located,
        Err(no) => {
            let note = match no {
                NoHistory::NoRepository => Note::NoRepository(dir.to_path_buf()),
                NoHistory::Bare => Note::BareRepository(dir.to_path_buf()),
                NoHistory::Unborn(branch) => Note::UnbornBranch(branch),
            };
            return Ok(Mined {
                history: None,
                notes: vec![note],
            });
        }
    };
    let repo = &located.repo;
    let head = repo.head()?.peel_to_commit()?;
    let mut notes = Vec::new();
    let mut state = History {
        prefix: located.prefix.clone(),
        ..History::default()
    };
    let mut hide = None;
    if options.cache {
        if let Some(cached) = cache::load(repo, &located.prefix) {
            let cached_head = cached.head.as_ref().and_then(|c| Oid::from_str(&c.id).ok());
            if cached_head == Some(head.id()) {
                notes.extend(shallow_note(&cached));
                notes.push(Note::Cached { new_commits: 0 });
                return Ok(Mined {
                    history: Some(cached),
                    notes,
                });
            }
            if let Some(old) = cached_head {
                if repo.graph_descendant_of(head.id(), old).unwrap_or(false) {
                    state = cached;
                    hide = Some(old);
                }
            }
        }
    }
    let mut walk = repo.revwalk()?;
    walk.push(head.id())?;
    if let Some(old) = hide {
        walk.hide(old)?;
    }
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
    let oids: Vec<Oid> = walk.collect::<Result<_, _>>()?;
    if let Some(p) = options.progress {
        p.start(oids.len() as u64);
    }
    let scope = Scope {
        prefix: &located.prefix,
        boundaries: repo::shallow_boundaries(repo),
        extra_postmortems: &options.postmortem_paths,
    };
    walk::walk(repo, &scope, &oids, &mut state, options.progress)?;
    if let Some(p) = options.progress {
        p.finish();
    }
    state.head = Some(commit_info(&head));
    if options.cache {
        cache::save(repo, &state);
        notes.push(Note::Cached {
            new_commits: oids.len() as u64,
        });
    }
    notes.extend(shallow_note(&state));
    notes.sort_by_key(|n| !matches!(n, Note::Shallow(_)));
    Ok(Mined {
        history: Some(state),
        notes,
    })
}

fn shallow_note(history: &History) -> Option<Note> {
    (!history.boundaries.is_empty()).then(|| {
        Note::Shallow(
            history
                .boundaries
                .iter()
                .map(|b| b.commit.clone())
                .collect(),
        )
    })
}
