//! `opsbook init [DIR]`.

use anyhow::{Context, bail};
use std::path::Path;
use std::process::ExitCode;

pub(crate) fn run(dir: &Path, out: super::Output) -> anyhow::Result<ExitCode> {
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let files = crate::starter::handbook(&today);
    // Refuse before writing anything, so that a partial starter never mixes with a handbook.
    let existing: Vec<String> = files
        .iter()
        .filter(|(path, _)| dir.join(path).exists())
        .map(|(path, _)| path.to_string())
        .collect();
    if !existing.is_empty() {
        bail!(
            "`{}` already holds {}; opsbook init never overwrites files",
            dir.display(),
            existing.join(", ")
        );
    }
    for (path, text) in &files {
        let full = dir.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create `{}`", parent.display()))?;
        }
        super::new::write_new(&full, text)?;
    }
    out.note(&format!(
        "created a starter handbook in {} ({} files); next: `opsbook check {}`",
        dir.display(),
        files.len(),
        dir.display()
    ));
    Ok(ExitCode::SUCCESS)
}
