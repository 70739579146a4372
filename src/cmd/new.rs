//! `opsbook new <kind> <id>`.

use anyhow::{Context, bail};
use opsbook_core::model::Kind;
use std::path::Path;
use std::process::ExitCode;

pub(crate) fn run(
    kind: &str,
    id: &str,
    dir: &Path,
    out: super::Output,
) -> anyhow::Result<ExitCode> {
    let Some(kind) = Kind::from_name(kind) else {
        bail!(
            "`{kind}` is not a document kind; use one of: {}",
            Kind::names().join(", ")
        );
    };
    if id.is_empty() || id.contains(['/', '\\']) || id.starts_with('.') {
        bail!("`{id}` cannot be a document id: use letters, digits, `-`, `_` and `.`");
    }
    let config = load_config(dir)?;
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let folder = dir.join(kind.folder());
    let path = folder.join(format!("{id}.md"));
    if path.exists() {
        bail!("`{}` already exists", path.display());
    }
    std::fs::create_dir_all(&folder)
        .with_context(|| format!("cannot create `{}`", folder.display()))?;
    let text = crate::starter::document(kind, id, &config, &today);
    write_new(&path, &text)?;
    out.note(&format!(
        "created {} — fill in the TODO values, then run `opsbook check`",
        path.display()
    ));
    Ok(ExitCode::SUCCESS)
}

/// The handbook's settings; a broken handbook.yaml is an error here.
fn load_config(dir: &Path) -> anyhow::Result<opsbook_core::Config> {
    let path = dir.join(opsbook_core::config::CONFIG_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Default::default()),
        Err(e) => return Err(e).with_context(|| format!("cannot read `{}`", path.display())),
    };
    let mut diagnostics = Vec::new();
    let config = opsbook_core::Config::parse(&text, &mut diagnostics);
    if let Some(d) = diagnostics.first() {
        bail!(
            "{} has problems ({}: {}); run `opsbook check` first",
            path.display(),
            d.rule,
            d.message
        );
    }
    Ok(config)
}

/// Creates `path` with `text`, never overwriting an existing file.
pub(crate) fn write_new(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("cannot create `{}`", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write `{}`", path.display()))?;
    Ok(())
}
