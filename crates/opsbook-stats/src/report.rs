//! The report: every figure of a handbook ([`compute`]), what the history could tell
//! ([`HistoryInfo`]), and its table, CSV and JSON forms.

use crate::facts::{Mined, Note};
use crate::timeline::Incident;
use crate::{
    ActionItemsReport, BudgetReport, Grouping, LeftOut, MetricReport, MtbfReport, OpenReport,
    UpdatesReport, budget, csv, metrics, service, table, updates,
};
use chrono::{DateTime, Utc};
use opsbook_core::Handbook;
use opsbook_core::config::Metric;
use rayon::prelude::*;
use serde::Serialize;

/// The period and clock of a report.
#[derive(Debug, Clone, Copy)]
pub struct StatsOptions {
    /// "Now": open incident ages, overdue action items and the error budget window end here.
    pub now: DateTime<Utc>,
    /// Only incidents that began at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Only incidents that began before this time (also the end of error budget windows).
    pub until: Option<DateTime<Utc>>,
}

impl Default for StatsOptions {
    fn default() -> Self {
        StatsOptions {
            now: Utc::now(),
            since: None,
            until: None,
        }
    }
}

/// What the history could tell, for the report's reader.
#[derive(Debug, Clone, Default, Serialize)]
pub struct HistoryInfo {
    /// Whether a git repository with commits was read.
    pub repository: bool,
    /// The head commit mined up to.
    pub head: Option<String>,
    /// Commits walked to build the facts (over every run, with the cache).
    pub commits_walked: u64,
    /// Commits walked in this run.
    pub commits_walked_now: Option<u64>,
    /// Where a shallow clone's history stops (commit ids).
    pub stops_at: Vec<String>,
    /// Warnings and remarks, one sentence each.
    pub notes: Vec<String>,
}

impl HistoryInfo {
    /// Summarizes a mining result.
    pub fn of(mined: &Mined) -> HistoryInfo {
        let mut info = HistoryInfo {
            repository: mined.history.is_some(),
            head: mined
                .history
                .as_ref()
                .and_then(|h| h.head.as_ref())
                .map(|c| c.id.clone()),
            commits_walked: mined.history.as_ref().map_or(0, |h| h.commits_walked),
            ..HistoryInfo::default()
        };
        for note in &mined.notes {
            match note {
                Note::Shallow(commits) => {
                    info.stops_at = commits.iter().map(|c| c.id.clone()).collect();
                }
                Note::Cached { new_commits } => info.commits_walked_now = Some(*new_commits),
                _ => {}
            }
            info.notes.push(note_text(note));
        }
        info
    }
}

/// One sentence for the reader about a mining note.
pub fn note_text(note: &Note) -> String {
    match note {
        Note::NoRepository(dir) => format!(
            "`{}` is not in a git repository: times come from the frontmatter only",
            dir.display()
        ),
        Note::BareRepository(dir) => format!(
            "the repository of `{}` is bare: times come from the frontmatter only",
            dir.display()
        ),
        Note::UnbornBranch(branch) => {
            format!("branch `{branch}` has no commits yet: times come from the frontmatter only")
        }
        Note::Shallow(commits) => {
            let at: Vec<String> = commits
                .iter()
                .map(|c| format!("{} ({})", c.short_id(), c.commit_time))
                .collect();
            format!(
                "shallow clone: history stops at commit {}; files already there are dated by their frontmatter only",
                at.join(", ")
            )
        }
        Note::Cached { new_commits } => {
            format!("history cache used; {new_commits} new commits walked")
        }
    }
}

/// The `version` of [`StatsReport`]'s JSON: it changes only when a field changes meaning
/// or disappears (new fields may appear in any version).
pub const JSON_VERSION: u32 = 1;

/// Every figure of a handbook.
///
/// Serialized as is, this is the JSON of `opsbook stats --format json`, a documented
/// contract like the check JSON (README, "Statistics JSON"): fields keep their names and
/// meaning within a [`JSON_VERSION`]; times are RFC 3339, durations are seconds.
#[derive(Debug, Clone, Serialize)]
pub struct StatsReport {
    /// The format version of this structure: [`JSON_VERSION`].
    pub version: u32,
    /// The clock the report was computed with.
    pub now: DateTime<Utc>,
    /// The period filter, if any.
    pub since: Option<DateTime<Utc>>,
    /// The period filter, if any.
    pub until: Option<DateTime<Utc>>,
    /// Incidents in the period.
    pub incidents: usize,
    /// Incidents left out of the whole report (no start time while a period is set).
    pub unplaced: Vec<LeftOut>,
    /// Time-points of the incidents in the period: how many from frontmatter and from git.
    pub time_points: SourceCounts,
    /// What the history could tell.
    pub history: HistoryInfo,
    /// The duration metrics of handbook.yaml, in its order (alphabetical by name).
    pub metrics: Vec<MetricReport>,
    /// Mean time between failures, per service.
    pub mtbf: Vec<MtbfReport>,
    /// Incidents not yet resolved.
    pub open_incidents: OpenReport,
    /// Action items by state.
    pub action_items: ActionItemsReport,
    /// Error budget of each SLO over its current window.
    pub error_budgets: Vec<BudgetReport>,
    /// Stakeholder updates, from the `[update]` entries of the timelines.
    pub updates: UpdatesReport,
}

/// How many time-points came from where.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SourceCounts {
    /// Written in frontmatter.
    pub frontmatter: usize,
    /// Derived from git.
    pub git: usize,
}

/// Computes every figure for `incidents` (see [`crate::incidents`]).
pub fn compute(handbook: &Handbook, incidents: &[Incident], options: &StatsOptions) -> StatsReport {
    let filtering = options.since.is_some() || options.until.is_some();
    let mut unplaced = Vec::new();
    let mut kept: Vec<&Incident> = Vec::new();
    for incident in incidents {
        match incident.opened() {
            Some((_, p)) => {
                let t = p.at.0.to_utc();
                if options.since.is_some_and(|s| t < s) || options.until.is_some_and(|u| t >= u) {
                    continue;
                }
                kept.push(incident);
            }
            None if filtering => unplaced.push(LeftOut::new(
                incident,
                "no `started`, `detected` or `declared`: cannot tell whether it falls in the period",
            )),
            None => kept.push(incident),
        }
    }
    let mut time_points = SourceCounts::default();
    for p in kept.iter().flat_map(|i| i.points.values()) {
        if p.source.is_git() {
            time_points.git += 1;
        } else {
            time_points.frontmatter += 1;
        }
    }
    let config = &handbook.config;
    let severities: Vec<&str> = config.severity_ids().collect();
    // Each metric, and the error budgets, read the same incidents: compute them side by
    // side (the site builds them before any page can render).
    let metrics: Vec<(&String, &Metric)> = config.stats.metrics.iter().collect();
    let (metrics, error_budgets) = rayon::join(
        || {
            metrics
                .par_iter()
                .map(|(name, metric)| metrics::compute(name, metric, &kept, &severities))
                .collect()
        },
        || budget::compute(handbook, &kept, options),
    );
    StatsReport {
        version: JSON_VERSION,
        now: options.now,
        since: options.since,
        until: options.until,
        incidents: kept.len(),
        unplaced,
        time_points,
        history: HistoryInfo::default(),
        metrics,
        mtbf: service::mtbf(&kept),
        open_incidents: service::open(&kept, options.now),
        action_items: service::action_items(&kept, options.now),
        error_budgets,
        updates: updates::compute(handbook, &kept),
    }
}

impl StatsReport {
    /// The report as a table for people, saying what each figure is computed from.
    pub fn to_table(&self, by: &[Grouping]) -> String {
        table::render(self, by)
    }

    /// One CSV row per duration figure (metrics, MTBF, open incident age).
    pub fn to_csv(&self, by: &[Grouping]) -> String {
        csv::render(self, by)
    }

    /// The report as its stable JSON (see [`StatsReport`] and the README).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }
}
