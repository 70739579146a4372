//! `opsbook stats`.

use crate::cli::{ByArg, StatsArgs, StatsFormat};
use anyhow::{Context, bail};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use opsbook_core::model::Kind;
use opsbook_core::render::{Format, Report};
use opsbook_core::{Diagnostic, Handbook, LoadOptions, finish, load};
use opsbook_history::{MineOptions, Progress, mine};
use opsbook_stats::{
    Grouping, HistoryInfo, Mined, StatsOptions, compute, history_notes, history_unreadable,
    incidents,
};
use std::io::IsTerminal;
use std::process::ExitCode;

/// Walks shorter than this finish before a bar is worth drawing.
const BAR_FROM_COMMITS: u64 = 2000;

struct Bar(indicatif::ProgressBar);

impl Progress for Bar {
    fn start(&self, commits: u64) {
        if commits >= BAR_FROM_COMMITS {
            self.0.set_length(commits);
            self.0
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }
    fn advance(&self, commits: u64) {
        self.0.inc(commits);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

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
    let (handbook, load_diagnostics) = load(&args.dir, &LoadOptions::default())
        .with_context(|| format!("cannot read `{}`", args.dir.display()))?;
    let unreadable = load_diagnostics
        .iter()
        .filter(|d| d.level == opsbook_core::Level::Error)
        .count();

    let mined = mine_handbook(&handbook, !args.no_cache);
    let (incidents, warnings) = incidents(&handbook, mined.history.as_ref());
    let warnings = finish(&handbook.config, warnings);
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

/// Mines the git history of `handbook` for `stats`, `build` and `check --git`: a progress
/// bar on a terminal for long walks; without a repository one warning on stderr, and
/// times come from the frontmatter only.
pub(crate) fn mine_handbook(handbook: &Handbook, cache: bool) -> Mined {
    let (mined, notes) = mine_with_notes(handbook, cache);
    for note in notes {
        eprintln!("{}[{}]: {}", note.level, note.rule.code(), note.message);
    }
    mined
}

/// Mines like [`mine_handbook`], and returns what the reader must be told (no repository,
/// a shallow clone, an unreadable repository) as OB310 diagnostics instead of printing
/// them, so that `check --git` reports them in every format and at the handbook's level.
pub(crate) fn mine_with_notes(handbook: &Handbook, cache: bool) -> (Mined, Vec<Diagnostic>) {
    let bar = Bar(indicatif::ProgressBar::hidden());
    bar.0.set_style(
        indicatif::ProgressStyle::with_template(
            "mining history {bar:40} {pos}/{len} commits ({eta} left)",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let options = MineOptions {
        cache,
        progress: std::io::stderr()
            .is_terminal()
            .then_some(&bar as &dyn Progress),
        postmortem_paths: handbook
            .of_kind(Kind::Postmortem)
            .filter(|d| !d.path.starts_with("postmortems/"))
            .map(|d| d.path.clone())
            .collect(),
    };
    let mut notes = Vec::new();
    let mined = match mine(&handbook.root, &options) {
        Ok(mined) => mined,
        Err(e) => {
            notes.push(history_unreadable(&e));
            Mined::default()
        }
    };
    notes.extend(history_notes(&mined));
    let notes = finish(&handbook.config, notes);
    (mined, notes)
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
