//! Finding the repository that holds a handbook folder, and reading its commits.

use crate::error::HistoryError;
use chrono::{DateTime, FixedOffset};
use git2::{ErrorCode, Oid, Repository};
use opsbook_core::model::Timestamp;
use opsbook_stats::facts::CommitInfo;
use std::collections::HashSet;
use std::path::{Component, Path};

/// The repository of a handbook and where the handbook sits inside it.
pub(crate) struct Located {
    pub(crate) repo: Repository,
    /// The handbook folder relative to the work tree, `/`-separated, `""` at the top.
    pub(crate) prefix: String,
}

/// Why a handbook has no history to mine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NoHistory {
    /// No repository contains the folder.
    NoRepository,
    /// The repository has no work tree (bare).
    Bare,
    /// The current branch has no commit yet.
    Unborn(String),
}

/// Opens the repository that contains `dir`.
pub(crate) fn locate(dir: &Path) -> Result<Result<Located, NoHistory>, HistoryError> {
    let repo = match Repository::discover(dir) {
        Ok(repo) => repo,
        Err(e) if e.code() == ErrorCode::NotFound => return Ok(Err(NoHistory::NoRepository)),
        Err(e) => return Err(HistoryError::Open(dir.to_path_buf(), e)),
    };
    let Some(workdir) = repo.workdir() else {
        return Ok(Err(NoHistory::Bare));
    };
    let canonical = |p: &Path| {
        p.canonicalize()
            .map_err(|e| HistoryError::Io(p.to_path_buf(), e))
    };
    let (dir_c, work_c) = (canonical(dir)?, canonical(workdir)?);
    let rel = dir_c
        .strip_prefix(&work_c)
        .map_err(|_| HistoryError::OutsideWorkTree(dir.to_path_buf()))?;
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    let prefix = parts.join("/");
    if let Err(e) = repo.head() {
        if e.code() == ErrorCode::UnbornBranch || e.code() == ErrorCode::NotFound {
            let branch = unborn_branch(&repo);
            return Ok(Err(NoHistory::Unborn(branch)));
        }
        return Err(HistoryError::Git(e));
    }
    Ok(Ok(Located { repo, prefix }))
}

fn unborn_branch(repo: &Repository) -> String {
    repo.find_reference("HEAD")
        .ok()
        .and_then(|r| r.symbolic_target().map(str::to_string))
        .map(|t| t.trim_start_matches("refs/heads/").to_string())
        .unwrap_or_else(|| "HEAD".to_string())
}

/// The commits where a shallow clone's history stops (empty for a full clone).
pub(crate) fn shallow_boundaries(repo: &Repository) -> HashSet<Oid> {
    if !repo.is_shallow() {
        return HashSet::new();
    }
    let text = std::fs::read_to_string(repo.path().join("shallow")).unwrap_or_default();
    text.lines()
        .filter_map(|l| Oid::from_str(l.trim()).ok())
        .collect()
}

/// A git time as a timestamp in its own time zone.
pub(crate) fn timestamp(time: git2::Time) -> Timestamp {
    let offset = FixedOffset::east_opt(time.offset_minutes() * 60)
        .unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset is valid"));
    let utc = DateTime::from_timestamp(time.seconds(), 0).unwrap_or_default();
    Timestamp(utc.with_timezone(&offset))
}

/// The facts of a commit the statistics keep.
pub(crate) fn commit_info(commit: &git2::Commit<'_>) -> CommitInfo {
    let author = commit.author();
    CommitInfo {
        id: commit.id().to_string(),
        author: String::from_utf8_lossy(author.name_bytes()).into_owned(),
        author_time: timestamp(author.when()),
        commit_time: timestamp(commit.committer().when()),
    }
}
