//! The cache of mined facts: `.git/opsbook-cache/<handbook folder>.json`, keyed by the
//! head commit it was mined up to. A warm run with no new commits reads it and walks
//! nothing; with new commits it walks only those.

use git2::Repository;
use opsbook_stats::facts::History;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Bumped whenever the meaning of the cached facts changes.
const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct CacheFile {
    version: u32,
    history: History,
}

fn path(repo: &Repository, prefix: &str) -> PathBuf {
    let name: String = if prefix.is_empty() {
        "root".to_string()
    } else {
        prefix
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect()
    };
    repo.path()
        .join("opsbook-cache")
        .join(format!("{name}-{:08x}.json", fnv(prefix)))
}

/// A small stable hash, so that folders whose sanitized names collide get their own files.
fn fnv(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// The cached facts for the handbook at `prefix`, if a readable cache of this version
/// exists.
pub(crate) fn load(repo: &Repository, prefix: &str) -> Option<History> {
    let bytes = std::fs::read(path(repo, prefix)).ok()?;
    let file: CacheFile = serde_json::from_slice(&bytes).ok()?;
    (file.version == VERSION && file.history.prefix == prefix).then_some(file.history)
}

/// Saves the facts; a cache that cannot be written (read-only repository) is skipped.
pub(crate) fn save(repo: &Repository, history: &History) {
    let target = path(repo, &history.prefix);
    let Some(dir) = target.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let file = CacheFile {
        version: VERSION,
        history: history.clone(),
    };
    let Ok(bytes) = serde_json::to_vec(&file) else {
        return;
    };
    let tmp = target.with_extension(format!("tmp{}", std::process::id()));
    if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, &target).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}
