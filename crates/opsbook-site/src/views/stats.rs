//! The statistics page: the statistics crate's figures ([`opsbook_stats::compute`],
//! the same as `opsbook stats`), as tables and inline SVG charts, each saying what it is
//! computed from and which incidents it leaves out.

use super::{Ctx, severity_class};
use crate::charts::{Bar, bars, columns};
use crate::format::duration;
use opsbook_stats::{Figure, Group, Grouping, MetricReport, PointRef};
use opsbook_stats::{Point, Source};
use serde::Serialize;

/// A duration for people, with its exact value in seconds for machines (`<data value>`).
#[derive(Debug, Serialize)]
pub struct Secs {
    /// Rounded for people: `1h 30m`.
    pub text: String,
    /// Exact, in seconds, as JSON writes it: `5400.0`.
    pub value: String,
}

fn secs(s: Option<f64>) -> Secs {
    match s {
        Some(s) => Secs {
            text: duration(s.round() as i64),
            value: serde_json::to_string(&s).unwrap_or_default(),
        },
        None => Secs {
            text: "—".into(),
            value: String::new(),
        },
    }
}

/// A figure for people.
#[derive(Debug, Serialize)]
pub struct FigureRow {
    /// The group: a severity, a service, a quarter, or `all incidents`.
    pub group: String,
    /// How many incidents were measured.
    pub count: usize,
    /// Mean.
    pub mean: Secs,
    /// Median.
    pub median: Secs,
    /// 90th percentile.
    pub p90: Secs,
    /// Shortest.
    pub min: Secs,
    /// Longest.
    pub max: Secs,
    /// How many of the values use a git-derived time-point.
    pub from_git: usize,
    /// How many incidents of the group were left out.
    pub left_out: usize,
}

fn row(group: &str, f: &Figure) -> FigureRow {
    let s = &f.summary;
    FigureRow {
        group: group.to_string(),
        count: s.count,
        mean: secs(s.mean),
        median: secs(s.median),
        p90: secs(s.p90),
        min: secs(s.min),
        max: secs(s.max),
        from_git: f.from_git,
        left_out: f.left_out,
    }
}

/// Where a time-point came from, for people.
#[derive(Debug, Serialize)]
pub struct SourceView {
    /// `frontmatter` or `git`.
    pub kind: &'static str,
    /// `frontmatter` or `git 1a2b3c4`.
    pub label: String,
    /// How git gave it, e.g. "commit time of the first commit with status resolved".
    pub how: String,
}

/// The source of a time-point.
pub fn source(point: &Point) -> SourceView {
    match &point.source {
        Source::Frontmatter => SourceView {
            kind: "frontmatter",
            label: "frontmatter".into(),
            how: "written in the frontmatter".into(),
        },
        Source::Git { commit, how } => SourceView {
            kind: "git",
            label: format!("git {}", commit.get(..10).unwrap_or(commit)),
            how: format!("{how} ({commit})"),
        },
    }
}

/// The rows of a metric's values table (`<tr>` elements, every value escaped): one per
/// incident with its duration and the time-points it is computed from, with their sources.
///
/// Rendered here rather than in the template: a large handbook has tens of thousands of
/// such rows, and as template data each would be a nest of maps (about a fifth of a
/// 10k-document build's peak memory); as markup they cost their bytes.
fn value_rows(values: &[opsbook_stats::Measured]) -> String {
    use crate::markdown::escape;
    use std::fmt::Write;
    let mut out = String::with_capacity(values.len() * 400);
    let end = |out: &mut String, p: &PointRef| {
        let at = crate::format::iso(&p.value.at);
        let s = source(&p.value);
        let _ = write!(
            out,
            "<td>{} <time datetime=\"{at}\">{at}</time> <span class=\"origin origin-{}\" title=\"{}\">{}</span></td>",
            p.point,
            s.kind,
            escape(&s.how),
            escape(&s.label),
        );
    };
    for v in values {
        let d = secs(Some(v.seconds));
        let _ = write!(
            out,
            "<tr><th scope=\"row\"><span class=\"id\">{}</span></th><td class=\"num\"><data value=\"{}\">{}</data></td>",
            escape(&v.incident),
            d.value,
            escape(&d.text),
        );
        end(&mut out, &v.from);
        end(&mut out, &v.to);
        out.push_str("</tr>\n");
    }
    out
}

/// What a metric is called in captions: its key when the key is an abbreviation, else
/// its title.
///
/// ```
/// use opsbook_site::views::stats::metric_label;
/// assert_eq!(metric_label("MTTR", "Mean time to resolve"), "MTTR");
/// assert_eq!(metric_label("postmortem_lead_time", "Postmortem lead time"), "Postmortem lead time");
/// ```
pub fn metric_label(key: &str, title: &str) -> String {
    let abbreviation = !key.is_empty()
        && key.len() <= 8
        && key
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if abbreviation || title.is_empty() {
        key.to_string()
    } else {
        title.to_string()
    }
}

/// One metric.
#[derive(Debug, Serialize)]
pub struct MetricView {
    /// `MTTR`.
    pub key: String,
    /// `Mean time to resolve`.
    pub title: String,
    /// What captions and column headings call it: the key when it is an abbreviation
    /// (`MTTR`), else the title (`Postmortem lead time`, never `postmortem_lead_time`).
    pub label: String,
    /// `resolved − started (else detected, else declared)`.
    pub formula: String,
    /// Over all incidents (absent when no incident has the time-points).
    pub overall: Option<FigureRow>,
    /// By severity.
    pub by_severity: Vec<FigureRow>,
    /// By service.
    pub by_service: Vec<FigureRow>,
    /// By quarter.
    pub by_quarter: Vec<FigureRow>,
    /// Median and p90 by severity, as inline SVG.
    pub chart: String,
    /// How many values were counted.
    pub value_count: usize,
    /// Every value counted, with its time-points and their sources: the `<tr>` rows of
    /// the values table, escaped.
    pub value_rows: String,
    /// Incidents left out: (id, reason).
    pub left_out: Vec<(String, String)>,
}

/// What the git history could tell.
#[derive(Debug, Serialize)]
pub struct HistoryView {
    /// Whether a repository with commits was read.
    pub repository: bool,
    /// The head commit mined up to (short id).
    pub head: String,
    /// Commits walked.
    pub commits: u64,
    /// Remarks: no repository, shallow clone, …
    pub notes: Vec<String>,
}

/// The statistics page.
#[derive(Debug, Serialize)]
pub struct StatsView {
    /// Incidents considered.
    pub incidents: usize,
    /// Time-points written in frontmatter.
    pub from_frontmatter: usize,
    /// Time-points derived from git.
    pub from_git: usize,
    /// The history the figures used.
    pub history: HistoryView,
    /// Incidents per quarter, as inline SVG.
    pub quarters_chart: String,
    /// Incidents per quarter: (quarter, count).
    pub quarters: Vec<(String, usize)>,
    /// Each metric.
    pub metrics: Vec<MetricView>,
}

fn groups(m: &MetricReport, g: Grouping) -> &[Group] {
    m.groups.get(&g).map_or(&[], Vec::as_slice)
}

impl Ctx<'_> {
    /// The statistics page view.
    pub fn stats(&self) -> StatsView {
        let report = self.stats;
        let mut quarters: std::collections::BTreeMap<String, usize> = Default::default();
        for incident in self.incidents.values() {
            if incident.opened().is_some() {
                for q in Grouping::Quarter.keys(incident) {
                    *quarters.entry(q).or_default() += 1;
                }
            }
        }
        let quarters: Vec<(String, usize)> = quarters.into_iter().collect();
        let metrics = report
            .metrics
            .iter()
            .map(|m| {
                let by = |g| {
                    groups(m, g)
                        .iter()
                        .map(|gr| row(&gr.key, &gr.figure))
                        .collect::<Vec<_>>()
                };
                let chart_bars: Vec<Bar> = groups(m, Grouping::Severity)
                    .iter()
                    .filter_map(|g| {
                        let s = &g.figure.summary;
                        let (median, p90) = (s.median?, s.p90?);
                        Some(Bar {
                            label: g.key.clone(),
                            value: median,
                            tick: Some(p90),
                            text: format!(
                                "{} · p90 {}",
                                duration(median.round() as i64),
                                duration(p90.round() as i64)
                            ),
                            class: severity_class(self.handbook, &g.key),
                        })
                    })
                    .collect();
                MetricView {
                    key: m.name.clone(),
                    title: m.title.clone(),
                    label: metric_label(&m.name, &m.title),
                    formula: m.formula.clone(),
                    overall: (m.overall.summary.count > 0)
                        .then(|| row("all incidents", &m.overall)),
                    by_severity: by(Grouping::Severity),
                    by_service: by(Grouping::Service),
                    by_quarter: by(Grouping::Quarter),
                    chart: if chart_bars.is_empty() {
                        String::new()
                    } else {
                        bars(
                            &if metric_label(&m.name, &m.title) == m.title {
                                format!("{}: median and p90 by severity", m.title)
                            } else {
                                format!("{} ({}): median and p90 by severity", m.title, m.name)
                            },
                            &chart_bars,
                        )
                    },
                    value_count: m.values.len(),
                    value_rows: value_rows(&m.values),
                    left_out: m
                        .left_out
                        .iter()
                        .map(|l| (l.incident.clone(), l.reason.clone()))
                        .collect(),
                }
            })
            .collect();
        let h = &report.history;
        StatsView {
            incidents: report.incidents,
            from_frontmatter: report.time_points.frontmatter,
            from_git: report.time_points.git,
            history: HistoryView {
                repository: h.repository,
                head: h
                    .head
                    .as_deref()
                    .map(|c| c.get(..10).unwrap_or(c).to_string())
                    .unwrap_or_default(),
                commits: h.commits_walked,
                notes: h
                    .notes
                    .iter()
                    .filter(|n| !n.starts_with("history cache"))
                    .cloned()
                    .collect(),
            },
            quarters_chart: columns("Incidents per quarter", &quarters),
            quarters,
            metrics,
        }
    }
}
