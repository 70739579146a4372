//! The steps every command that reads a handbook runs, in this order: **load** (read and
//! parse every file), **check** (the document checks of opsbook-core), **mine** (the git
//! history, with the `git` feature; opsbook-stats turns the facts into time-points and
//! the git-based checks), **finish** (levels from handbook.yaml, sorting). `check`,
//! `build`, `stats` and `serve` are compositions of these functions; each step is written
//! once, here.

#[cfg(feature = "git")]
mod git;

use anyhow::Context;
use chrono::{DateTime, Utc};
use opsbook_core::{CheckOptions, Diagnostic, Handbook, LoadOptions};
use opsbook_stats::Mined;
use std::path::{Path, PathBuf};

/// Whether this build reads git histories (the `git` feature).
pub(crate) const GIT: bool = cfg!(feature = "git");

/// The error of a command that needs git in a build without the `git` feature.
pub(crate) fn require_git(what: &str) -> anyhow::Result<()> {
    if GIT {
        return Ok(());
    }
    anyhow::bail!(
        "this build of opsbook has no git support (it was built without the `git` feature), so {what} cannot read the history; use a build with the default features"
    )
}

/// A loaded handbook and what loading found.
pub(crate) struct Loaded {
    /// The documents, config and rule files.
    pub(crate) handbook: Handbook,
    /// Problems found while reading and parsing.
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// Step 1: reads and parses every file below `dir`, except below `skip` (an output
/// folder). `doing` names the command for the error: "cannot check `DIR`", with `DIR` as
/// `shown`.
pub(crate) fn load(
    dir: &Path,
    skip: Vec<PathBuf>,
    doing: &str,
    shown: &Path,
) -> anyhow::Result<Loaded> {
    let (handbook, diagnostics) = opsbook_core::load(dir, &LoadOptions { skip })
        .with_context(|| format!("cannot {doing} `{}`", shown.display()))?;
    Ok(Loaded {
        handbook,
        diagnostics,
    })
}

/// The warning for a folder that holds no documents: a wrong path in a CI job would
/// otherwise pass silently.
pub(crate) fn no_documents(loaded: &Loaded, dir: &Path) -> Option<String> {
    (loaded.handbook.documents.is_empty() && loaded.diagnostics.is_empty()).then(|| {
        format!(
            "opsbook: warning: `{}` holds no documents (opsbook reads the .md files below it); is this the handbook folder? `opsbook init` writes a starter",
            dir.display()
        )
    })
}

/// Step 2: the checks of every document and across documents, as of `now`: opsbook-core's,
/// and the PromQL checks of the SLOs (OB411) from opsbook-slo, which holds the parser.
pub(crate) fn check(handbook: &Handbook, now: DateTime<Utc>) -> Vec<Diagnostic> {
    let mut out = opsbook_core::check(handbook, &CheckOptions { now });
    out.extend(opsbook_slo::check(handbook));
    out
}

/// Step 3: mines the git history of `handbook` (using the cache in `.git/opsbook-cache`
/// when `cache`), with what the reader must be told about it as OB310 diagnostics, at the
/// handbook's levels. Without the `git` feature there is no history and nothing to tell.
#[cfg(feature = "git")]
pub(crate) fn mine(handbook: &Handbook, cache: bool) -> (Mined, Vec<Diagnostic>) {
    git::mine_handbook(handbook, cache)
}

/// Step 3 without the `git` feature: no history, nothing to tell.
#[cfg(not(feature = "git"))]
pub(crate) fn mine(_handbook: &Handbook, _cache: bool) -> (Mined, Vec<Diagnostic>) {
    (Mined::default(), Vec::new())
}

/// [`mine`], with its notes printed on stderr (`stats`, `serve`: their output has no
/// place for findings).
pub(crate) fn mine_printing(handbook: &Handbook, cache: bool) -> Mined {
    let (mined, notes) = mine(handbook, cache);
    print_notes(&notes);
    mined
}

/// Notes about the history, one line each on stderr.
pub(crate) fn print_notes(notes: &[Diagnostic]) {
    for note in notes {
        eprintln!("{}[{}]: {}", note.level, note.rule.code(), note.message);
    }
}

/// Step 3 for `check --git`: mines the history, then the rules that read it (OB309 with
/// the time-points, OB301 by last commit, OB305 with git's `resolved`), with the notes.
pub(crate) fn git_checks(handbook: &Handbook, now: DateTime<Utc>) -> Vec<Diagnostic> {
    let (mined, notes) = mine(handbook, true);
    let history = mined.history.as_ref();
    let (incidents, mut out) = opsbook_stats::incidents(handbook, history);
    out.extend(notes);
    if let Some(history) = history {
        out.extend(opsbook_stats::git_checks(
            handbook, history, &incidents, now,
        ));
    }
    out
}

/// The commit HEAD of the repository holding `dir` points at (`None` without one, or
/// without the `git` feature): `serve` polls it to mine again after a commit.
#[cfg(all(feature = "serve", feature = "git"))]
pub(crate) fn head_commit(dir: &Path) -> Option<String> {
    git::head_commit(dir)
}

/// No HEAD to poll without the `git` feature.
#[cfg(all(feature = "serve", not(feature = "git")))]
pub(crate) fn head_commit(_dir: &Path) -> Option<String> {
    None
}

/// Step 4: applies the handbook's rule levels (dropping `off` rules) and sorts the
/// findings as every printer shows them.
pub(crate) fn finish(handbook: &Handbook, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    opsbook_core::finish(&handbook.config, diagnostics)
}
