//! CSV: one row per duration figure (metrics overall and by group, MTBF per service, open
//! incident age), durations in seconds.

use crate::StatsReport;
use crate::metrics::{Figure, Grouping};
use crate::summary::Summary;
use std::fmt::Write;

const HEADER: &str = "figure,formula,by,group,count,mean_seconds,median_seconds,p90_seconds,min_seconds,max_seconds,from_git,left_out";

fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn num(v: Option<f64>) -> String {
    v.map_or_else(String::new, |v| format!("{v}"))
}

fn line(out: &mut String, cells: [&str; 4], s: &Summary, from_git: usize, left_out: usize) {
    let head: Vec<String> = cells.iter().map(|c| field(c)).collect();
    let _ = writeln!(
        out,
        "{},{},{},{},{},{},{},{},{}",
        head.join(","),
        s.count,
        num(s.mean),
        num(s.median),
        num(s.p90),
        num(s.min),
        num(s.max),
        from_git,
        left_out
    );
}

fn figure(out: &mut String, cells: [&str; 4], f: &Figure) {
    line(out, cells, &f.summary, f.from_git, f.left_out);
}

pub(super) fn render(report: &StatsReport, by: &[Grouping]) -> String {
    let by: &[Grouping] = if by.is_empty() { &Grouping::ALL } else { by };
    let mut out = String::from(HEADER);
    out.push('\n');
    for m in &report.metrics {
        figure(&mut out, [&m.name, &m.formula, "", "all"], &m.overall);
        for g in by {
            for group in m.groups.get(g).map(Vec::as_slice).unwrap_or_default() {
                figure(
                    &mut out,
                    [&m.name, &m.formula, g.name(), &group.key],
                    &group.figure,
                );
            }
        }
    }
    let mtbf = "gaps between the starts of consecutive incidents of the service";
    for r in &report.mtbf {
        line(
            &mut out,
            ["MTBF", mtbf, "service", &r.service],
            &r.gaps,
            r.from_git,
            r.left_out.len(),
        );
    }
    let o = &report.open_incidents;
    let from_git = o
        .incidents
        .iter()
        .filter(|i| i.opened.value.source.is_git())
        .count();
    line(
        &mut out,
        [
            "open_incident_age",
            "now − start of each incident not resolved",
            "",
            "all",
        ],
        &o.ages,
        from_git,
        o.left_out.len(),
    );
    out
}
