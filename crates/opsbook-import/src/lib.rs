//! `opsbook import`: turns a folder of existing markdown (a Hugo, MkDocs or Jekyll site,
//! or plain markdown read on GitHub) into an opsbook handbook, and keeps every old URL.
//!
//! The import is planned in memory first ([`plan::plan`]): each file's kind, id, title and
//! frontmatter (every key mapped to a field or kept under `extra`), the old address of
//! each page by the old generator's rules ([`site`], [`address`]), the `permalinks:`
//! pattern per kind that reproduces most of them and an alias for each of the rest
//! ([`urls`]), the section template the files follow ([`sections`]), and where the old
//! `runbook_url`s of the Prometheus rule files lead ([`rules`]). Then the files are
//! written, never over an existing one ([`write`]), `opsbook check` runs on the result,
//! and [`report`] says what became of everything.
//!
//! ```no_run
//! let options = opsbook_import::Options { into: "handbook".into(), dry_run: true, now: chrono::Utc::now() };
//! let import = opsbook_import::run("old-site".as_ref(), &options).unwrap();
//! print!("{}", opsbook_import::report::render(&import));
//! ```

pub mod address;
pub mod frontmatter;
pub mod keys;
pub mod kind;
pub mod links;
mod permalinks;
pub mod plan;
pub mod report;
pub mod rules;
pub mod sections;
pub mod site;
pub mod source;
pub mod urls;
pub mod value;
pub mod write;

use chrono::{DateTime, Utc};
use opsbook_core::{CheckOptions, Level, LoadOptions, Rule};
use std::path::{Path, PathBuf};
use write::Outcome;

/// How to import.
#[derive(Debug, Clone)]
pub struct Options {
    /// The handbook folder to write.
    pub into: PathBuf,
    /// Write nothing; report what would be written.
    pub dry_run: bool,
    /// The time `opsbook check` judges staleness by.
    pub now: DateTime<Utc>,
}

/// Why the import could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The folder to import is not a folder.
    #[error("`{0}` is not a folder")]
    NotAFolder(PathBuf),
    /// The handbook would be written over the folder being imported.
    #[error("`{0}` is the folder being imported: choose another with --into")]
    SameFolder(PathBuf),
    /// The imported handbook could not be checked.
    #[error("cannot check the imported handbook: {0}")]
    Check(String),
    /// A temporary folder for the dry run's check could not be made.
    #[error("cannot make a temporary folder for the dry run: {0}")]
    Temp(#[from] std::io::Error),
}

/// `opsbook check`'s findings on the imported handbook, by rule.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Findings {
    /// The files checked.
    pub files: usize,
    /// Each rule that found something, its level and how many findings.
    pub by_rule: Vec<(Rule, Level, usize)>,
}

/// A finished (or, with `dry_run`, rehearsed) import.
#[derive(Debug, Clone)]
pub struct Import {
    /// The plan.
    pub plan: plan::Plan,
    /// Each file written, as `(path in the handbook, outcome)`: documents, copies, then
    /// handbook.yaml.
    pub written: Vec<(String, Outcome)>,
    /// What `opsbook check` still finds in the imported handbook.
    pub findings: Findings,
    /// The handbook folder, as given.
    pub into: PathBuf,
    /// Whether nothing was written.
    pub dry_run: bool,
}

/// Imports `src` as planned by [`plan::plan`], writes it (unless a dry run), and checks it.
pub fn run(src: &Path, options: &Options) -> Result<Import, ImportError> {
    if !src.is_dir() {
        return Err(ImportError::NotAFolder(src.to_path_buf()));
    }
    let src_abs = src
        .canonicalize()
        .map_err(|_| ImportError::NotAFolder(src.to_path_buf()))?;
    let into_abs = absolute(&options.into);
    if into_abs == src_abs {
        return Err(ImportError::SameFolder(options.into.clone()));
    }
    let skip = into_abs.strip_prefix(&src_abs).ok().map(|p| {
        p.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    });
    let plan = plan::plan(src, skip.as_deref());
    let files = planned_files(&plan);
    let outcomes = write::write(&options.into, &files, options.dry_run);
    let written = files
        .iter()
        .map(|(p, _)| p.to_string())
        .zip(outcomes)
        .collect();
    let findings = if options.dry_run {
        let temp = tempfile::tempdir()?;
        write::write(temp.path(), &files, false);
        check(temp.path(), options.now)?
    } else {
        check(&options.into, options.now)?
    };
    Ok(Import {
        plan,
        written,
        findings,
        into: options.into.clone(),
        dry_run: options.dry_run,
    })
}

/// The folder as an absolute path, as far as it exists.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    let joined = std::env::current_dir()
        .map(|d| d.join(path))
        .unwrap_or_else(|_| path.to_path_buf());
    match (joined.parent(), joined.file_name()) {
        (Some(parent), Some(name)) => absolute(parent).join(name),
        _ => joined,
    }
}

/// Every file the plan writes: documents, copies, handbook.yaml.
pub fn planned_files(plan: &plan::Plan) -> Vec<(&str, &[u8])> {
    let mut files: Vec<(&str, &[u8])> = Vec::new();
    files.extend(
        plan.docs
            .iter()
            .map(|d| (d.dest.as_str(), d.text.as_bytes())),
    );
    files.extend(
        plan.copies
            .iter()
            .map(|c| (c.dest.as_str(), c.bytes.as_slice())),
    );
    files.push((
        opsbook_core::config::CONFIG_FILE,
        plan.handbook_yaml.as_bytes(),
    ));
    files
}

/// Runs opsbook-core's checks on the handbook in `dir`.
pub fn check(dir: &Path, now: DateTime<Utc>) -> Result<Findings, ImportError> {
    let (handbook, mut diagnostics) = opsbook_core::load(dir, &LoadOptions::default())
        .map_err(|e| ImportError::Check(e.to_string()))?;
    diagnostics.extend(opsbook_core::check(&handbook, &CheckOptions { now }));
    let diagnostics = opsbook_core::finish(&handbook.config, diagnostics);
    let mut by_rule: Vec<(Rule, Level, usize)> = Vec::new();
    for d in &diagnostics {
        match by_rule
            .iter_mut()
            .find(|(r, l, _)| *r == d.rule && *l == d.level)
        {
            Some(entry) => entry.2 += 1,
            None => by_rule.push((d.rule, d.level, 1)),
        }
    }
    by_rule.sort_by(|a, b| a.0.code().cmp(b.0.code()));
    Ok(Findings {
        files: handbook.files.len(),
        by_rule,
    })
}
