//! `opsbook slo`: burn-rate alerting rules from the SLAs, OpenSLO export and import.

use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use opsbook_core::model::Kind;
use opsbook_core::render::{Format, Report};
use opsbook_core::span::LineIndex;
use opsbook_core::{Diagnostic, Handbook, Level, LoadOptions, finish, load};
use opsbook_slo::RuleFormat;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `opsbook slo …`.
#[derive(Debug, Args)]
pub(crate) struct SloArgs {
    #[command(subcommand)]
    command: SloCommand,
}

#[derive(Debug, Subcommand)]
enum SloCommand {
    /// Generate multi-window, multi-burn-rate recording and alerting rules from the SLAs.
    #[command(
        after_help = "Examples:\n  opsbook slo rules content-example\n  opsbook slo rules handbook -o handbook/alerts/slo.yaml\n  opsbook slo rules --format prometheusrule -o slo-rules.yaml\n\nEach SLO with `good` (or `error`) and `total` queries gets the error ratio recorded over\n5m, 30m, 1h, 2h, 6h, 1d and 3d, a page alert (14.4x burn over 1h and 5m, 6x over 6h and\n30m) and a ticket alert (3x over 1d and 2h, 1x over 3d and 6h), the factors scaled to\nthe SLA's window.\n\nExit status: 0 written, 1 an SLA has errors (printed, nothing written), 2 could not run."
    )]
    Rules(RulesArgs),
    /// Write the SLAs as OpenSLO v1 documents (Service, SLO with its SLI, AlertPolicy).
    #[command(
        after_help = "Examples:\n  opsbook slo export content-example > openslo.yaml\n  opsbook slo export handbook -o openslo.yaml\n\nSLOs without queries, and fields OpenSLO has no place for, are listed on stderr.\nExit status: 0 written, 2 could not run."
    )]
    Export(ExportArgs),
    /// Write SLA documents from OpenSLO v1 files, listing every field that does not map.
    #[command(
        after_help = "Examples:\n  opsbook slo import openslo.yaml\n  opsbook slo import slos/*.yaml --dir handbook\n\nSLAs are written to DIR/slas/<id>.md; an existing file is left alone unless --force.\nExit status: 0 written, 1 a file exists (nothing overwritten), 2 could not run."
    )]
    Import(ImportArgs),
}

#[derive(Debug, Args)]
struct ExportArgs {
    /// The handbook folder.
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The format (OpenSLO v1 is the only one).
    #[arg(long, short, value_enum, default_value_t = ExportFormat::Openslo)]
    format: ExportFormat,
}

/// Formats of `slo export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ExportFormat {
    /// OpenSLO v1 YAML documents.
    Openslo,
}

#[derive(Debug, Args)]
struct ImportArgs {
    /// OpenSLO v1 YAML files (several documents a file).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// The handbook folder to write `slas/<id>.md` into.
    #[arg(long, default_value = ".")]
    dir: PathBuf,
    /// Overwrite SLA documents that exist.
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Args)]
struct RulesArgs {
    /// The handbook folder.
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Write the rules to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The shape of the rule file.
    #[arg(long, short, value_enum, default_value_t = RulesFormat::Plain)]
    format: RulesFormat,
}

/// Rule file shapes of `slo rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RulesFormat {
    /// A Prometheus rule file (`groups:`).
    Plain,
    /// A Kubernetes PrometheusRule resource (Prometheus Operator).
    Prometheusrule,
}

pub(crate) fn run(args: &SloArgs, out: super::Output) -> anyhow::Result<ExitCode> {
    match &args.command {
        SloCommand::Rules(args) => rules(args, out),
        SloCommand::Export(args) => export(args, out),
        SloCommand::Import(args) => import(args, out),
    }
}

fn rules(args: &RulesArgs, out: super::Output) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let (handbook, diagnostics) = load(&args.dir, &only_slo_documents(&args.dir))
        .with_context(|| format!("cannot read `{}`", args.dir.display()))?;
    if sla_errors(&handbook, diagnostics, &args.dir, out) {
        return Ok(ExitCode::from(1));
    }
    let set = opsbook_slo::generate(&handbook);
    let format = match args.format {
        RulesFormat::Plain => RuleFormat::Plain,
        RulesFormat::Prometheusrule => RuleFormat::PrometheusRule,
    };
    let text = opsbook_slo::render(&set, format);
    for skipped in &set.skipped {
        let at = handbook
            .source(&skipped.file)
            .map_or_else(String::new, |text| {
                let at = LineIndex::new(text).line_col(text, skipped.span.start);
                format!(":{}:{}", at.line, at.column)
            });
        out.note(&format!(
            "opsbook: {}{}{at}: {}",
            super::check_prefix(&args.dir),
            skipped.file,
            skipped.message
        ));
    }
    match &args.output {
        Some(path) => {
            std::fs::write(path, &text)
                .with_context(|| format!("cannot write `{}`", path.display()))?;
            out.note(&format!(
                "wrote {} burn-rate rule groups from {} SLAs to {}",
                set.groups.len(),
                set.sources.len(),
                path.display()
            ));
        }
        None => super::print(&text)?,
    }
    out.detail(&format!("generated in {}", super::took(started.elapsed())));
    Ok(ExitCode::SUCCESS)
}

/// Load options that read only what the rules need: SLAs, services and runbooks (for
/// the runbook URLs) and handbook.yaml. Postmortems and pages are most of a handbook.
fn only_slo_documents(dir: &Path) -> LoadOptions {
    let needed = [Kind::Sla, Kind::Service, Kind::Runbook].map(|k| k.folder());
    let skip = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| !needed.iter().any(|n| e.file_name() == *n))
        .filter_map(|e| e.path().canonicalize().ok())
        .collect();
    LoadOptions { skip }
}

/// Prints the errors of the SLA documents (reading them, OB410, OB411) on stderr;
/// whether there were any.
fn sla_errors(
    handbook: &Handbook,
    mut diagnostics: Vec<Diagnostic>,
    dir: &Path,
    out: super::Output,
) -> bool {
    let sla_folder = format!("{}/", Kind::Sla.folder());
    diagnostics.retain(|d| {
        d.file.starts_with(&sla_folder)
            || handbook
                .by_path(&d.file)
                .is_some_and(|doc| doc.kind == Kind::Sla)
    });
    for doc in handbook.of_kind(Kind::Sla) {
        diagnostics.extend(opsbook_core::checks::check_sla(doc));
    }
    diagnostics.extend(opsbook_slo::check(handbook));
    let diagnostics = finish(&handbook.config, diagnostics);
    if !diagnostics.iter().any(|d| d.level == Level::Error) {
        return false;
    }
    let mut report = Report::new(handbook, &diagnostics, super::check_prefix(dir));
    report.color = false;
    report.summary_line = !out.quiet;
    eprint!("{}", report.render(Format::Human));
    eprintln!("opsbook: no rules written: fix the SLA documents first");
    true
}

fn located(text: Option<&str>, file: &str, span: opsbook_core::span::Span) -> String {
    text.map_or_else(
        || file.to_string(),
        |text| {
            let at = LineIndex::new(text).line_col(text, span.start);
            format!("{file}:{}:{}", at.line, at.column)
        },
    )
}

fn export(args: &ExportArgs, out: super::Output) -> anyhow::Result<ExitCode> {
    let ExportFormat::Openslo = args.format;
    let (handbook, _) = load(&args.dir, &LoadOptions::default())
        .with_context(|| format!("cannot read `{}`", args.dir.display()))?;
    let export = opsbook_slo::openslo::export(&handbook);
    for skipped in &export.skipped {
        let file = format!("{}{}", super::check_prefix(&args.dir), skipped.file);
        let at = located(handbook.source(&skipped.file), &file, skipped.span);
        out.note(&format!("opsbook: {at}: {}", skipped.message));
    }
    match &args.output {
        Some(path) => std::fs::write(path, &export.text)
            .with_context(|| format!("cannot write `{}`", path.display()))?,
        None => super::print(&export.text)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn import(args: &ImportArgs, out: super::Output) -> anyhow::Result<ExitCode> {
    let mut files = Vec::new();
    for path in &args.files {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read `{}`", path.display()))?;
        files.push((path.display().to_string(), text));
    }
    let import = opsbook_slo::openslo::import(&files);
    let texts: std::collections::HashMap<&str, &str> = files
        .iter()
        .map(|(f, t)| (f.as_str(), t.as_str()))
        .collect();
    for note in &import.notes {
        let at = located(
            texts.get(note.file.as_str()).copied(),
            &note.file,
            note.span,
        );
        out.note(&format!("opsbook: {at}: {}", note.message));
    }
    let mut refused = false;
    for sla in &import.slas {
        let path = args.dir.join(&sla.path);
        if path.exists() && !args.force {
            out.note(&format!(
                "opsbook: `{}` exists: not overwritten (--force overwrites)",
                path.display()
            ));
            refused = true;
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create `{}`", parent.display()))?;
        }
        std::fs::write(&path, &sla.text)
            .with_context(|| format!("cannot write `{}`", path.display()))?;
        out.note(&format!(
            "wrote {} ({} SLOs)",
            path.display(),
            sla.sla.slos.len()
        ));
    }
    Ok(if refused {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
