//! Why an incident command did nothing. Every error leaves the file as it was.

use std::path::PathBuf;

/// A refused or failed edit of an incident record; the file on disk is untouched.
#[derive(Debug, thiserror::Error)]
pub enum IncidentError {
    /// The file could not be read or written.
    #[error("cannot {action} `{path}`")]
    Io {
        /// What was being done: "read", "write", …
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a postmortem opsbook can edit: broken YAML, a schema error, no
    /// frontmatter. `location` is `file:line:col`.
    #[error(
        "{location}: {message}; fix the file (`opsbook check` shows every problem), nothing was written"
    )]
    Invalid {
        /// `file:line:col` of the problem.
        location: String,
        /// What is wrong.
        message: String,
    },
    /// The file changed on disk between reading and writing it.
    #[error(
        "`{0}` changed on disk since it was read (another editor or command?); nothing was written: run the command again"
    )]
    Changed(String),
    /// No postmortem has this id.
    #[error("no incident has the id `{id}`{hint}")]
    UnknownId {
        /// The id asked for.
        id: String,
        /// ` (did you mean …?)`, or a list of the open incidents, or nothing.
        hint: String,
    },
    /// Two or more files share the id.
    #[error("the id `{id}` is shared by {}: give each its own `id:` first", .paths.join(" and "))]
    SharedId {
        /// The id.
        id: String,
        /// The files that share it.
        paths: Vec<String>,
    },
    /// The edit is refused: the checks would reject the result, or the request makes no
    /// sense for the incident's state.
    #[error("{file}: {message}; nothing was written")]
    Refused {
        /// The file (relative to the handbook).
        file: String,
        /// Why, and what to do instead.
        message: String,
    },
    /// A value given on the command line cannot be used.
    #[error("{0}")]
    BadInput(String),
    /// `--commit` failed after the file was written.
    #[cfg(feature = "git")]
    #[error("`{path}` was written, but the commit failed")]
    Commit {
        /// The file.
        path: String,
        /// The cause.
        #[source]
        source: git2::Error,
    },
}
