//! The statistics page: figures from [`crate::stats`], as tables and inline SVG charts.

use super::{Ctx, severity_class};
use crate::charts::{Bar, bars, columns};
use crate::format::duration;
use crate::stats::{Figure, Incident, MetricStats, compute, quarter};
use serde::Serialize;

/// A figure for people.
#[derive(Debug, Serialize)]
pub struct FigureRow {
    /// The group: a severity, a service, a quarter, or `all`.
    pub group: String,
    /// How many incidents were measured.
    pub count: usize,
    /// Mean.
    pub mean: String,
    /// Median.
    pub median: String,
    /// 90th percentile.
    pub p90: String,
    /// Shortest.
    pub min: String,
    /// Longest.
    pub max: String,
}

fn row(group: &str, f: &Figure) -> FigureRow {
    let d = |s: f64| duration(s.round() as i64);
    FigureRow {
        group: group.to_string(),
        count: f.count,
        mean: d(f.mean),
        median: d(f.median),
        p90: d(f.p90),
        min: d(f.min),
        max: d(f.max),
    }
}

/// One metric.
#[derive(Debug, Serialize)]
pub struct MetricView {
    /// `MTTR`.
    pub key: String,
    /// `Mean time to resolve`.
    pub title: String,
    /// `resolved − started`.
    pub formula: String,
    /// Over all incidents.
    pub overall: Option<FigureRow>,
    /// By severity.
    pub by_severity: Vec<FigureRow>,
    /// By service.
    pub by_service: Vec<FigureRow>,
    /// By quarter.
    pub by_quarter: Vec<FigureRow>,
    /// Median and p90 by severity, as inline SVG.
    pub chart: String,
    /// Incidents left out: (id, reason).
    pub left_out: Vec<(String, String)>,
}

/// The statistics page.
#[derive(Debug, Serialize)]
pub struct StatsView {
    /// Incidents considered.
    pub incidents: usize,
    /// Incidents per quarter, as inline SVG.
    pub quarters_chart: String,
    /// Incidents per quarter: (quarter, count).
    pub quarters: Vec<(String, usize)>,
    /// Each metric.
    pub metrics: Vec<MetricView>,
}

impl Ctx<'_> {
    /// The figures, computed once per build.
    pub fn metrics(&self) -> Vec<MetricStats> {
        let incidents: Vec<Incident<'_>> = self
            .rel
            .incidents
            .iter()
            .map(|(d, pm)| Incident {
                id: &d.id,
                severity: &pm.severity,
                services: &pm.services,
                postmortem: pm,
            })
            .collect();
        let severities: Vec<&str> = self.handbook.config.severity_ids().collect();
        compute(&incidents, &self.handbook.config.stats.metrics, &severities)
    }

    /// The statistics page view.
    pub fn stats(&self, metrics: &[MetricStats]) -> StatsView {
        let mut quarters: std::collections::BTreeMap<String, usize> = Default::default();
        for (_, pm) in &self.rel.incidents {
            if let Some(q) = quarter(pm) {
                *quarters.entry(q).or_default() += 1;
            }
        }
        let quarters: Vec<(String, usize)> = quarters.into_iter().collect();
        let metrics = metrics
            .iter()
            .map(|m| {
                let chart_bars: Vec<Bar> = m
                    .by_severity
                    .iter()
                    .map(|(s, f)| Bar {
                        label: s.clone(),
                        value: f.median,
                        tick: Some(f.p90),
                        text: format!(
                            "{} · p90 {}",
                            duration(f.median as i64),
                            duration(f.p90 as i64)
                        ),
                        class: severity_class(self.handbook, s),
                    })
                    .collect();
                MetricView {
                    key: m.key.clone(),
                    title: m.title.clone(),
                    formula: m.formula.clone(),
                    overall: m.overall.as_ref().map(|f| row("all incidents", f)),
                    by_severity: m.by_severity.iter().map(|(g, f)| row(g, f)).collect(),
                    by_service: m.by_service.iter().map(|(g, f)| row(g, f)).collect(),
                    by_quarter: m.by_quarter.iter().map(|(g, f)| row(g, f)).collect(),
                    chart: if chart_bars.is_empty() {
                        String::new()
                    } else {
                        bars(
                            &format!("{} ({}): median and p90 by severity", m.title, m.key),
                            &chart_bars,
                        )
                    },
                    left_out: m.left_out.clone(),
                }
            })
            .collect();
        StatsView {
            incidents: self.rel.incidents.len(),
            quarters_chart: columns("Incidents per quarter", &quarters),
            quarters,
            metrics,
        }
    }
}
