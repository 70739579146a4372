//! `opsbook stats`.

use crate::cli::{ByArg, StatsArgs, StatsFormat};
use crate::pipeline::{self, Loaded};
use chrono::Utc;
use opsbook_core::render::{Format, Report};
use opsbook_stats::{Grouping, HistoryInfo, StatsOptions, compute, incidents};
use std::io::IsTerminal;
use std::process::ExitCode;

pub(crate) fn run(args: &StatsArgs, color: bool) -> anyhow::Result<ExitCode> {
    let (now, since, until) = (args.now.unwrap_or_else(Utc::now), args.since, args.until);
    pipeline::require_git("`stats`")?;
    let Loaded {
        handbook,
        diagnostics: load_diagnostics,
    } = pipeline::load(&args.dir, Vec::new(), "read", &args.dir)?;
    let unreadable = load_diagnostics
        .iter()
        .filter(|d| d.level == opsbook_core::Level::Error)
        .count();

    let mined = pipeline::mine_printing(&handbook, !args.no_cache);
    let (incidents, warnings) = incidents(&handbook, mined.history.as_ref());
    let warnings = pipeline::finish(&handbook, warnings);
    if !warnings.is_empty() {
        let mut report = Report::new(&handbook, &warnings, super::check_prefix(&args.dir));
        report.color = color && std::io::stderr().is_terminal();
        eprint!("{}", report.render(Format::Human));
    }
    if unreadable > 0 {
        eprintln!(
            "warning: {unreadable} problems stop documents from being read; the figures leave them out (run `opsbook check`)"
        );
    }
    let mut report = compute(&handbook, &incidents, &StatsOptions { now, since, until });
    report.history = HistoryInfo::of(&mined);
    let by: Vec<Grouping> = args.by.iter().map(|b| grouping(*b)).collect();
    let text = match args.format {
        StatsFormat::Table => report.to_table(&by),
        StatsFormat::Json => report.to_json(),
        StatsFormat::Csv => report.to_csv(&by),
    };
    super::print(&text)?;
    Ok(ExitCode::SUCCESS)
}

fn grouping(arg: ByArg) -> Grouping {
    match arg {
        ByArg::Severity => Grouping::Severity,
        ByArg::Service => Grouping::Service,
        ByArg::Month => Grouping::Month,
        ByArg::Quarter => Grouping::Quarter,
        ByArg::Year => Grouping::Year,
    }
}
