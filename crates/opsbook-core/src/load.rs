//! Loading a handbook folder: walk, read and parse every document, in parallel.

use crate::config::{CONFIG_FILE, Config};
use crate::diagnostic::Diagnostic;
use crate::document;
use crate::handbook::{Handbook, SourceFile};
use crate::rules::Rule;
use crate::span::Span;
use globset::{Glob, GlobSet, GlobSetBuilder};
use rayon::prelude::*;
use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// Documents larger than this are refused (see rule OB003).
pub const MAX_FILE_SIZE: u64 = 8 * 1024 * 1024;

/// A file that marks a folder as opsbook's build output, which loading skips.
pub const OUTPUT_MARKER: &str = ".opsbook-output";

/// Folders never read as part of a handbook: site templates and common tool folders.
const SKIPPED_FOLDERS: [&str; 3] = ["templates", "node_modules", "target"];

/// Why a handbook could not be loaded at all.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The folder does not exist or is not a folder.
    #[error("`{0}` is not a folder")]
    NotAFolder(PathBuf),
}

/// What to leave out while loading.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Folders to skip, e.g. the build output.
    pub skip: Vec<PathBuf>,
}

/// Loads the handbook in `root`. Problems with single files are diagnostics, never errors.
///
/// ```no_run
/// let (handbook, diagnostics) = opsbook_core::load("content-example", &Default::default()).unwrap();
/// println!("{} documents, {} problems", handbook.documents.len(), diagnostics.len());
/// ```
pub fn load(
    root: impl AsRef<Path>,
    options: &LoadOptions,
) -> Result<(Handbook, Vec<Diagnostic>), LoadError> {
    let root = root.as_ref();
    if !root.is_dir() {
        return Err(LoadError::NotAFolder(root.to_path_buf()));
    }
    let mut diagnostics = Vec::new();
    let mut files = Vec::new();
    let config = match std::fs::read(root.join(CONFIG_FILE)) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let config = if std::str::from_utf8(&bytes).is_ok() {
                Config::parse(&text, &mut diagnostics)
            } else {
                diagnostics.push(not_utf8(CONFIG_FILE, &bytes));
                Config::default()
            };
            files.push(SourceFile {
                path: CONFIG_FILE.to_string(),
                text,
            });
            config
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Config::default(),
        Err(e) => {
            diagnostics.push(Diagnostic::new(
                Rule::UnreadableFile,
                CONFIG_FILE,
                Span::default(),
                format!("cannot read {CONFIG_FILE}: {e}"),
            ));
            Config::default()
        }
    };
    let exclude = exclude_set(&config, &mut diagnostics);
    let (candidates, paths) = walk(root, options, &exclude, &mut diagnostics);

    let first_id = files.len();
    // Rule files are read while the documents are: a large one is parsed by one thread,
    // and would otherwise add its whole parse time to the load.
    let (read, rules) = rayon::join(
        || {
            candidates
                .par_iter()
                .enumerate()
                .map(|(i, (rel, full))| read_one(first_id + i, rel, full))
                .collect::<Vec<_>>()
        },
        || (!config.alert_rules.is_empty()).then(|| crate::alerts::read(root, &config)),
    );
    let mut documents = Vec::with_capacity(read.len());
    for (source, doc, diags) in read {
        files.push(source);
        documents.extend(doc);
        diagnostics.extend(diags);
    }
    let mut alerts = crate::alerts::Alerts::default();
    if let Some((rule_files, read, diags)) = rules {
        files.extend(rule_files);
        alerts = read;
        diagnostics.extend(diags);
    }
    let mut handbook = Handbook::new(root.to_path_buf(), config, files, documents, paths);
    handbook.alerts = alerts;
    Ok((handbook, diagnostics))
}

fn exclude_set(config: &Config, diagnostics: &mut Vec<Diagnostic>) -> GlobSet {
    let mut builder = GlobSetBuilder::new();
    for pattern in &config.exclude {
        match Glob::new(pattern) {
            Ok(glob) => {
                builder.add(glob);
            }
            Err(e) => diagnostics.push(Diagnostic::new(
                Rule::InvalidValue,
                CONFIG_FILE,
                Span::default(),
                format!("`exclude`: `{pattern}` is not a valid glob: {}", e.kind()),
            )),
        }
    }
    builder.build().unwrap_or_else(|_| GlobSet::empty())
}

type Candidates = Vec<(String, PathBuf)>;

/// Lists the markdown files to read and every path below the root.
fn walk(
    root: &Path,
    options: &LoadOptions,
    exclude: &GlobSet,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Candidates, HashSet<String>) {
    let skip: Vec<PathBuf> = options
        .skip
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    let mut candidates = Vec::new();
    let mut paths = HashSet::new();
    let walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            let name = e.file_name().to_string_lossy();
            let is_dir = e.file_type().is_dir();
            if name.starts_with('.')
                || (is_dir && e.depth() == 1 && SKIPPED_FOLDERS.contains(&name.as_ref()))
            {
                return false;
            }
            if is_dir
                && (e.path().join(OUTPUT_MARKER).exists()
                    || e.path().canonicalize().is_ok_and(|c| skip.contains(&c)))
            {
                return false;
            }
            !exclude.is_match(relative(root, e.path()))
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let rel = e.path().map(|p| relative(root, p)).unwrap_or_default();
                let message = if e.loop_ancestor().is_some() {
                    "symbolic link loop: this link points at one of its own parent folders"
                        .to_string()
                } else if e
                    .path()
                    .is_some_and(|p| p.symlink_metadata().is_ok() && !p.exists())
                {
                    let target = e
                        .path()
                        .and_then(|p| std::fs::read_link(p).ok())
                        .map(|t| format!(" (it points at `{}`)", t.display()))
                        .unwrap_or_default();
                    format!("broken symbolic link: its target does not exist{target}")
                } else {
                    match e.io_error() {
                        Some(io) => format!("cannot read: {io}"),
                        None => format!("cannot read: {e}"),
                    }
                };
                diagnostics.push(
                    Diagnostic::new(Rule::UnreadableFile, rel, Span::default(), message).with_help(
                        "fix or remove the entry, or list it under `exclude:` in handbook.yaml",
                    ),
                );
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let rel = relative(root, entry.path());
        if entry.file_type().is_file() && is_markdown(&rel) {
            candidates.push((rel.clone(), entry.path().to_path_buf()));
        }
        paths.insert(rel);
    }
    (candidates, paths)
}

fn is_markdown(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

/// `path` relative to `root`, with `/` separators.
pub(crate) fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<_> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    parts.join("/")
}

pub(crate) fn not_utf8(path: &str, bytes: &[u8]) -> Diagnostic {
    let at = std::str::from_utf8(bytes)
        .err()
        .map_or(0, |e| e.valid_up_to());
    Diagnostic::new(
        Rule::NotUtf8,
        path,
        Span::new(at, at + 1),
        format!(
            "the file is not valid UTF-8 (invalid byte 0x{:02X})",
            bytes.get(at).copied().unwrap_or(0)
        ),
    )
    .with_help(
        "save the file as UTF-8; if it is not text, move it out of the handbook or exclude it",
    )
}

fn read_one(
    file: usize,
    rel: &str,
    full: &Path,
) -> (SourceFile, Option<crate::model::Document>, Vec<Diagnostic>) {
    let empty = |diags| {
        (
            SourceFile {
                path: rel.to_string(),
                text: String::new(),
            },
            None,
            diags,
        )
    };
    // Read at most one byte past the limit: no separate stat, and a huge file is not slurped.
    let mut bytes = Vec::new();
    let read = std::fs::File::open(full).and_then(|f| {
        let size = f.metadata().map_or(0, |m| m.len()).min(MAX_FILE_SIZE + 1);
        bytes.reserve_exact(size as usize + 1);
        f.take(MAX_FILE_SIZE + 1).read_to_end(&mut bytes)
    });
    if let Err(e) = read {
        return empty(vec![Diagnostic::new(
            Rule::UnreadableFile,
            rel,
            Span::default(),
            format!("cannot read: {e}"),
        )]);
    }
    if bytes.len() as u64 > MAX_FILE_SIZE {
        let size = std::fs::metadata(full).map_or(bytes.len() as u64, |m| m.len());
        return empty(vec![
            Diagnostic::new(
                Rule::FileTooLarge,
                rel,
                Span::default(),
                format!(
                    "the file is {:.1} MiB; documents over {} MiB are not read",
                    size as f64 / 1048576.0,
                    MAX_FILE_SIZE / 1048576
                ),
            )
            .with_help("move large data out of the handbook and link to it"),
        ]);
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let d = not_utf8(rel, e.as_bytes());
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            return (
                SourceFile {
                    path: rel.to_string(),
                    text,
                },
                None,
                vec![d],
            );
        }
    };
    if let Some(at) = text.find('\0') {
        let d = Diagnostic::new(
            Rule::NotUtf8,
            rel,
            Span::new(at, at + 1),
            "the file contains NUL bytes: it is binary, not text",
        )
        .with_help("move binary files out of the handbook or exclude them");
        return (
            SourceFile {
                path: rel.to_string(),
                text: text.replace('\0', "\u{fffd}"),
            },
            None,
            vec![d],
        );
    }
    let (doc, diags) = document::parse(file, rel, &text);
    (
        SourceFile {
            path: rel.to_string(),
            text,
        },
        doc,
        diags,
    )
}
