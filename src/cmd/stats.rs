//! `opsbook stats`.

use crate::cli::{ByArg, StatsArgs, StatsFormat};
use crate::pipeline::{self, Loaded};
use anyhow::{Context, bail};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use opsbook_core::render::{Format, Report};
use opsbook_stats::{Grouping, HistoryInfo, StatsOptions, compute, incidents};
use std::io::IsTerminal;
use std::process::ExitCode;

pub(crate) fn run(args: &StatsArgs, color: bool) -> anyhow::Result<ExitCode> {
    let now = match &args.now {
        Some(text) => time(text, false).with_context(|| format!("--now `{text}`"))?,
        None => Utc::now(),
    };
    let since = args
        .since
        .as_deref()
        .map(|t| time(t, false).with_context(|| format!("--since `{t}`")))
        .transpose()?;
    let until = args
        .until
        .as_deref()
        .map(|t| time(t, true).with_context(|| format!("--until `{t}`")))
        .transpose()?;
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

/// An RFC 3339 time, or a date (UTC): its start, or with `end_of_day` the next midnight.
fn time(text: &str, end_of_day: bool) -> anyhow::Result<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") else {
        bail!("not a date (YYYY-MM-DD) or an RFC 3339 time such as 2026-03-01T12:00:00Z");
    };
    let start = date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    Ok(if end_of_day {
        start + TimeDelta::days(1)
    } else {
        start
    })
}
