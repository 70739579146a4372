//! What the history says about each document: the plain data git mining (opsbook-history)
//! produces and its cache keeps, and the statistics and git-based checks read.

use opsbook_core::model::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// How many of a document's most recent changes are kept (memory grows with documents,
/// not with commits).
pub const RECENT_CHANGES: usize = 10;

/// A commit, as much of it as the statistics need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitInfo {
    /// The full commit id (hex).
    pub id: String,
    /// The author's name.
    pub author: String,
    /// When the change was authored, in the author's time zone.
    pub author_time: Timestamp,
    /// When the change was committed, in the committer's time zone.
    pub commit_time: Timestamp,
}

impl CommitInfo {
    /// The abbreviated id (first 10 hex digits), as printed in reports.
    pub fn short_id(&self) -> &str {
        self.id.get(..10).unwrap_or(&self.id)
    }
}

/// When a postmortem's frontmatter first reached a state (e.g. `status: resolved`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "commit")]
pub enum Reached {
    /// First seen in this commit.
    At(CommitInfo),
    /// Already true in the oldest commit of a shallow clone: the real time is earlier and
    /// unknown.
    BeforeHistory(CommitInfo),
}

impl Reached {
    /// The commit, when the time is known.
    pub fn commit(&self) -> Option<&CommitInfo> {
        match self {
            Reached::At(c) => Some(c),
            Reached::BeforeHistory(_) => None,
        }
    }
}

/// What the history says about one postmortem's frontmatter over time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostmortemFacts {
    /// The first commit whose `status` is `mitigated` or `resolved`.
    pub mitigated: Option<Reached>,
    /// The first commit whose `status` is `resolved`.
    pub resolved: Option<Reached>,
    /// The first commit whose `review` is `published`.
    pub published: Option<Reached>,
    /// Revisions read (each commit that changed the file).
    pub revisions: u32,
}

/// What the history says about one document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocFacts {
    /// The commit that added the file, following renames (`None` when unknown).
    pub added: Option<CommitInfo>,
    /// The file already existed in the oldest commit of a shallow clone: it was added
    /// earlier, at an unknown time; `added` is then `None`.
    pub added_before_history: bool,
    /// The most recent commit that changed it.
    pub last: Option<CommitInfo>,
    /// How many commits changed it (its adding commit included).
    pub changes: u32,
    /// The most recent changes, oldest first (at most [`RECENT_CHANGES`]).
    pub recent: Vec<CommitInfo>,
    /// Earlier paths, oldest first (renames and moves).
    pub renamed_from: Vec<String>,
    /// Whether the file is gone at the head commit.
    pub deleted: bool,
    /// Frontmatter states, for postmortems.
    pub postmortem: Option<PostmortemFacts>,
}

fn earlier(a: &CommitInfo, b: &CommitInfo, by_author: bool) -> bool {
    if by_author {
        a.author_time < b.author_time
    } else {
        a.commit_time < b.commit_time
    }
}

impl DocFacts {
    /// Records that `commit` added the file; the earliest add wins.
    pub fn record_add(&mut self, commit: &CommitInfo) {
        if self.added_before_history {
            return;
        }
        if self.added.as_ref().is_none_or(|a| earlier(commit, a, true)) {
            self.added = Some(commit.clone());
        }
    }

    /// Records that `commit` changed the file.
    pub fn record_change(&mut self, commit: &CommitInfo) {
        self.changes += 1;
        if self
            .last
            .as_ref()
            .is_none_or(|l| !earlier(commit, l, false))
        {
            self.last = Some(commit.clone());
        }
        self.recent.push(commit.clone());
        if self.recent.len() > RECENT_CHANGES {
            self.recent.remove(0);
        }
    }

    /// Folds the facts of `other` (the same document under another path, e.g. on a
    /// branch that renamed it) into these.
    pub fn merge(&mut self, other: DocFacts) {
        self.added_before_history |= other.added_before_history;
        if self.added_before_history {
            self.added = None;
        } else if let Some(a) = other.added {
            self.record_add(&a);
        }
        if let Some(l) = other.last {
            if self.last.as_ref().is_none_or(|s| earlier(s, &l, false)) {
                self.last = Some(l);
            }
        }
        self.changes += other.changes;
        self.recent.extend(other.recent);
        self.recent.sort_by_key(|c| c.commit_time);
        self.recent.dedup_by(|a, b| a.id == b.id);
        let excess = self.recent.len().saturating_sub(RECENT_CHANGES);
        self.recent.drain(..excess);
        let mut renamed = other.renamed_from;
        renamed.append(&mut self.renamed_from);
        self.renamed_from = renamed;
        if let Some(pm) = other.postmortem {
            let mine = self.postmortem.get_or_insert_with(Default::default);
            mine.revisions += pm.revisions;
            for (slot, theirs) in [
                (&mut mine.mitigated, pm.mitigated),
                (&mut mine.resolved, pm.resolved),
                (&mut mine.published, pm.published),
            ] {
                if let Some(theirs) = theirs {
                    reach(slot, theirs);
                }
            }
        }
    }
}

/// Keeps the earliest of two observations; "before history" beats any known time.
pub fn reach(slot: &mut Option<Reached>, new: Reached) {
    let replace = match (slot.as_ref(), &new) {
        (None, _) => true,
        (Some(Reached::BeforeHistory(_)), _) => false,
        (Some(Reached::At(_)), Reached::BeforeHistory(_)) => true,
        (Some(Reached::At(old)), Reached::At(c)) => c.commit_time < old.commit_time,
    };
    if replace {
        *slot = Some(new);
    }
}

/// Where the history of a handbook stops being known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Boundary {
    /// The oldest commit present in a shallow clone.
    pub commit: CommitInfo,
}

/// Everything mined from the history of a handbook folder.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    /// The commit mined up to (the head of the current branch).
    pub head: Option<CommitInfo>,
    /// The handbook folder inside the repository (`""` at the top, `/` separators).
    pub prefix: String,
    /// Facts by path relative to the handbook folder, for every markdown file that ever
    /// existed there (deleted ones included).
    pub docs: BTreeMap<String, DocFacts>,
    /// Where a shallow clone's history stops (empty for a full clone).
    pub boundaries: Vec<Boundary>,
    /// Commits visited, in total over every run that built these facts.
    pub commits_walked: u64,
    /// Of those, commits that changed the handbook folder.
    pub commits_changing: u64,
}

impl History {
    /// The facts of the document at `path` (relative to the handbook root).
    pub fn doc(&self, path: &str) -> Option<&DocFacts> {
        self.docs.get(path)
    }

    /// The last commit that touched `path`: a runbook's freshness when it has no
    /// `reviewed` date.
    pub fn last_change(&self, path: &str) -> Option<&CommitInfo> {
        self.doc(path)?.last.as_ref()
    }
}

/// Something the caller should tell the reader about the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// No git repository contains the handbook: times come from the frontmatter only.
    NoRepository(PathBuf),
    /// The repository is bare: there is no work tree to match documents with.
    BareRepository(PathBuf),
    /// The current branch has no commits yet.
    UnbornBranch(String),
    /// A shallow clone: history stops at these commits.
    Shallow(Vec<CommitInfo>),
    /// The cache was used: this many new commits were walked.
    Cached {
        /// Commits walked in this run.
        new_commits: u64,
    },
}

/// The result of mining: the facts (when there is a history) and what to tell the reader.
#[derive(Debug, Clone, Default)]
pub struct Mined {
    /// The facts, `None` without a repository or without commits.
    pub history: Option<History>,
    /// Notes for the reader.
    pub notes: Vec<Note>,
}
