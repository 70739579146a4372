//! `opsbook build`: check, then render the site into a temporary folder and swap it in.

use crate::cli::BuildArgs;
use crate::pipeline::{self, Loaded};
use anyhow::Context;
use chrono::Utc;
use opsbook_core::Level;
use opsbook_core::render::{Format, Report};
use opsbook_site::output::write_atomically;
use opsbook_site::{BuildOptions, Theme, build};
use std::process::ExitCode;
use std::time::{Duration, Instant};

pub(crate) fn run(args: &BuildArgs, out: super::Output) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let now = args.now.unwrap_or_else(Utc::now);
    let dest = args.out.clone().unwrap_or_else(|| args.dir.join("_site"));
    // The templates compile while the folder is read: neither needs the other. A broken
    // template is still reported after the findings, as if compiled in turn.
    let (loaded, (theme, compiling)) = std::thread::scope(|scope| {
        let theme = scope.spawn(|| {
            let started = Instant::now();
            let theme = Theme::load(Some(&args.dir.join("templates")));
            (theme, started.elapsed())
        });
        let loaded = pipeline::load(&args.dir, vec![dest.clone()], "build", &args.dir);
        let theme = theme
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (loaded, theme)
    });
    let loaded = loaded?;
    out.detail(&format!(
        "read {} files ({} documents) in {}; compiled the templates in {} meanwhile",
        loaded.handbook.files.len(),
        loaded.handbook.documents.len(),
        super::took(started.elapsed()),
        super::took(compiling)
    ));
    if let Some(warning) = pipeline::no_documents(&loaded, &args.dir) {
        eprintln!("{warning}");
    }
    let Loaded {
        mut handbook,
        mut diagnostics,
    } = loaded;
    // The same history and engine as `opsbook stats`: the statistics page, the postmortem
    // timelines and the freshness badges use git where the frontmatter is silent. Mining
    // reads git, checking reads the documents: side by side.
    let checking = Instant::now();
    let (found, ((mined, notes), mining)) = std::thread::scope(|scope| {
        let mining = scope.spawn(|| {
            let started = Instant::now();
            let mined = pipeline::mine(&handbook, !args.no_cache);
            (mined, started.elapsed())
        });
        let found = pipeline::check(&handbook, now);
        let mined = mining
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (found, mined)
    });
    diagnostics.extend(found);
    let diagnostics = pipeline::finish(&handbook, diagnostics);
    out.detail(&format!(
        "checked in {}; read the git history in {} meanwhile",
        super::took(checking.elapsed()),
        super::took(mining)
    ));
    let errors = diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .count();
    if !args.quiet && !diagnostics.is_empty() {
        let mut report = Report::new(&handbook, &diagnostics, super::check_prefix(&args.dir));
        report.color = out.color;
        eprint!("{}", report.render(Format::Human));
    }
    drop(diagnostics);
    // Spanned YAML trees, sections and links serve the checks only; the site reads the
    // typed frontmatter and the headings. Freeing them keeps a large handbook's build
    // within its memory budget.
    for doc in &mut handbook.documents {
        doc.release_check_data();
    }
    // Nothing is written with broken templates.
    let theme = theme.context("the site templates do not compile")?;
    pipeline::print_notes(&notes);
    let options = BuildOptions {
        now,
        mined,
        errors,
        ..BuildOptions::default()
    };
    let writing = Instant::now();
    let mut rendering = Duration::ZERO;
    let report = write_atomically(&handbook.root, &dest, |dir| {
        let report = build(&handbook, &theme, &options, dir);
        rendering = writing.elapsed();
        report
    })
    .with_context(|| format!("cannot build the site into `{}`", dest.display()))?;
    for (step, took) in &report.timings {
        out.detail(&format!("{step} in {}", super::took(*took)));
    }
    out.detail(&format!(
        "swapped the new site in and removed the previous one in {}",
        super::took(writing.elapsed().saturating_sub(rendering))
    ));
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
            dest.display(),
            started.elapsed().as_secs_f64(),
            dest.join("index.html").display()
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
