//! `opsbook import`: the report on stdout, the exit status from what was left undone.

use crate::cli::ImportArgs;
use anyhow::Context;
use opsbook_import::write::Outcome;
use std::process::ExitCode;

pub(crate) fn run(args: &ImportArgs, out: super::Output) -> anyhow::Result<ExitCode> {
    let now = args.now.unwrap_or_else(chrono::Utc::now);
    let options = opsbook_import::Options {
        into: args.into.clone(),
        dry_run: args.dry_run,
        now,
    };
    let import = opsbook_import::run(&args.src, &options)
        .with_context(|| format!("cannot import `{}`", args.src.display()))?;
    out.detail(&format!(
        "planned {} documents and {} copies",
        import.plan.docs.len(),
        import.plan.copies.len()
    ));
    super::print(&opsbook_import::report::render(&import))?;
    let undone = !import.plan.problems.is_empty()
        || import
            .written
            .iter()
            .any(|(_, o)| matches!(o, Outcome::Kept | Outcome::Failed(_)));
    Ok(if undone {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
