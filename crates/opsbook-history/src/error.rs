//! Why mining could not run.

use std::path::PathBuf;

/// A failure to read a repository (not the absence of one, which is a [`opsbook_stats::Note`]).
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// The repository exists but cannot be opened.
    #[error("cannot open the git repository of `{0}`")]
    Open(PathBuf, #[source] git2::Error),
    /// A path could not be resolved.
    #[error("cannot read `{0}`")]
    Io(PathBuf, #[source] std::io::Error),
    /// The handbook folder is not inside the repository's work tree.
    #[error("`{0}` is not inside the work tree of its git repository")]
    OutsideWorkTree(PathBuf),
    /// Reading the history failed (a corrupt or incomplete repository).
    #[error("cannot read the git history")]
    Git(#[from] git2::Error),
}
