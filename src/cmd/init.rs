//! `opsbook init [DIR]`.

use anyhow::{Context, bail};
use std::path::Path;
use std::process::ExitCode;

pub(crate) fn run(dir: &Path, templates: bool, out: super::Output) -> anyhow::Result<ExitCode> {
    if templates {
        return write_templates(dir);
    }
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

/// `opsbook init --templates`: the default site theme, written out for editing.
#[cfg(feature = "site")]
fn write_templates(dir: &Path) -> anyhow::Result<ExitCode> {
    let target = dir.join("templates");
    let (written, skipped) = opsbook_site::theme::write_defaults(&target)
        .with_context(|| format!("cannot write the templates to `{}`", target.display()))?;
    eprintln!(
        "wrote {} theme files to {}{}; edit them, delete the ones you keep as they are",
        written.len(),
        target.display(),
        if skipped.is_empty() {
            String::new()
        } else {
            format!(" (kept your {}: {})", skipped.len(), skipped.join(", "))
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// `opsbook init --templates` in a build without the site.
#[cfg(not(feature = "site"))]
fn write_templates(_dir: &Path) -> anyhow::Result<ExitCode> {
    bail!(
        "this build of opsbook has no site (it was built without the `site` feature), so it has no templates to write; use a build with the default features"
    )
}
