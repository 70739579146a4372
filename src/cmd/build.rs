//! `opsbook build`: check, then render the site into a temporary folder and swap it in.

use crate::cli::BuildArgs;
use anyhow::Context;
use chrono::Utc;
use opsbook_core::render::{Format, Report};
use opsbook_core::{CheckOptions, Level, LoadOptions, check, finish, load};
use opsbook_site::output::write_atomically;
use opsbook_site::{BuildOptions, Theme, build};
use std::process::ExitCode;
use std::time::Instant;

pub(crate) fn run(args: &BuildArgs, color: bool) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let now = super::parse_now(args.now.as_deref())?.unwrap_or_else(Utc::now);
    let out = args.out.clone().unwrap_or_else(|| args.dir.join("_site"));
    let (mut handbook, mut diagnostics) = load(
        &args.dir,
        &LoadOptions {
            skip: vec![out.clone()],
        },
    )
    .with_context(|| format!("cannot build `{}`", args.dir.display()))?;
    if let Some(warning) = super::no_documents(&handbook, &diagnostics, &args.dir) {
        eprintln!("{warning}");
    }
    diagnostics.extend(check(&handbook, &CheckOptions { now }));
    let diagnostics = finish(&handbook.config, diagnostics);
    let errors = diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .count();
    if !args.quiet && !diagnostics.is_empty() {
        let mut report = Report::new(&handbook, &diagnostics, super::check_prefix(&args.dir));
        report.color = color;
        eprint!("{}", report.render(Format::Human));
    }
    drop(diagnostics);
    // Spanned YAML trees, sections and links serve the checks only; the site reads the
    // typed frontmatter and the headings. Freeing them keeps a large handbook's build
    // within its memory budget.
    for doc in &mut handbook.documents {
        doc.release_check_data();
    }
    // Templates are compiled before anything is written: a broken template fails here.
    let theme = Theme::load(Some(&handbook.root.join("templates")))
        .context("the site templates do not compile")?;
    // The same history and engine as `opsbook stats`: the statistics page, the postmortem
    // timelines and the freshness badges use git where the frontmatter is silent.
    let options = BuildOptions {
        now,
        mined: super::stats::mine_handbook(&handbook, !args.no_cache),
    };
    let report = write_atomically(&handbook.root, &out, |dir| {
        build(&handbook, &theme, &options, dir)
    })
    .with_context(|| format!("cannot build the site into `{}`", out.display()))?;
    for file in &report.outside {
        eprintln!(
            "warning: `{}` was not copied into the site: it is a symbolic link to a file outside the handbook",
            args.dir.join(file).display()
        );
    }
    if !args.quiet {
        eprintln!(
            "built {} pages and {} files into {} in {:.2}s; open {}",
            report.pages,
            report.files,
            out.display(),
            started.elapsed().as_secs_f64(),
            out.join("index.html").display()
        );
    }
    if errors > 0 && !args.allow_errors {
        eprintln!(
            "opsbook: check found {errors} error{} (the site was built; pass --allow-errors to exit 0)",
            if errors == 1 { "" } else { "s" }
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
