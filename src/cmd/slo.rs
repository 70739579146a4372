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
    }
}

fn rules(args: &RulesArgs, out: super::Output) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let (handbook, diagnostics) = load(&args.dir, &LoadOptions::default())
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
        let at = handbook.source(&skipped.file).map_or_else(String::new, |text| {
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
            || handbook.by_path(&d.file).is_some_and(|doc| doc.kind == Kind::Sla)
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
