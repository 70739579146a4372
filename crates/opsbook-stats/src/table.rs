//! The table for people: every figure with the formula it is computed from, its count,
//! how many inputs came from git, and the incidents left out with the reason.

use crate::StatsReport;
use crate::metrics::{Figure, Grouping, LeftOut};
use crate::summary::Summary;
use std::fmt::Write;

/// A duration in seconds, rounded to the second: `2d 3h 04m 05s`, `4m 05s`, `12s`.
pub fn duration(seconds: f64) -> String {
    let total = seconds.round() as i64;
    let (sign, total) = if total < 0 {
        ("-", -total)
    } else {
        ("", total)
    };
    let (d, h, m, s) = (
        total / 86_400,
        total / 3600 % 24,
        total / 60 % 60,
        total % 60,
    );
    let text = if d > 0 {
        format!("{d}d {h}h {m:02}m {s:02}s")
    } else if h > 0 {
        format!("{h}h {m:02}m {s:02}s")
    } else if m > 0 {
        format!("{m}m {s:02}s")
    } else {
        format!("{s}s")
    };
    format!("{sign}{text}")
}

fn opt(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), duration)
}

const HEADER: &str =
    "count  mean               median             p90                min                max";

fn summary_cells(s: &Summary) -> String {
    format!(
        "{:>5}  {:<17}  {:<17}  {:<17}  {:<17}  {:<17}",
        s.count,
        opt(s.mean),
        opt(s.median),
        opt(s.p90),
        opt(s.min),
        opt(s.max)
    )
}

fn row(out: &mut String, key: &str, f: &Figure) {
    let _ = writeln!(
        out,
        "  {:<18} {}  {:>4}  {:>8}",
        key,
        summary_cells(&f.summary),
        f.from_git,
        f.left_out
    );
}

fn left_out(out: &mut String, what: &str, list: &[LeftOut]) {
    if list.is_empty() {
        return;
    }
    let _ = writeln!(out, "  left out of {what} ({}):", list.len());
    for l in list {
        let _ = writeln!(out, "    {:<18} {}", l.incident, l.reason);
    }
}

pub(super) fn render(report: &StatsReport, by: &[Grouping]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Reliability statistics: {} incidents",
        report.incidents
    );
    let period = match (report.since, report.until) {
        (None, None) => "all incidents".to_string(),
        (s, u) => format!(
            "incidents that began from {} until {} (exclusive)",
            s.map_or("the first".to_string(), |t| t.to_rfc3339()),
            u.map_or("now".to_string(), |t| t.to_rfc3339())
        ),
    };
    let _ = writeln!(
        out,
        "  period: {period}; an incident begins at `started`, else `detected`, else `declared`; months, quarters and years in UTC"
    );
    let _ = writeln!(
        out,
        "  time-points: {} from frontmatter, {} from git (declared = author time of the commit that added the file; mitigated, resolved, published = commit time of the first commit that says so)",
        report.time_points.frontmatter, report.time_points.git
    );
    let h = &report.history;
    if let Some(head) = &h.head {
        let _ = writeln!(
            out,
            "  history: {} commits mined up to {}{}",
            h.commits_walked,
            head.get(..10).unwrap_or(head),
            h.commits_walked_now
                .map(|n| format!(" ({n} walked in this run)"))
                .unwrap_or_default()
        );
    }
    for note in h.notes.iter().filter(|n| !n.starts_with("history cache")) {
        let _ = writeln!(out, "  note: {note}");
    }
    left_out(&mut out, "the whole report", &report.unplaced);
    let _ = writeln!(
        out,
        "  columns: durations rounded to the second; git = values using a git-derived time-point; left out = incidents without a value (listed below each metric)"
    );

    for m in &report.metrics {
        let _ = writeln!(out, "\n{} · {}", m.name, m.title);
        let _ = writeln!(out, "  computed from: {}, per incident", m.formula);
        let _ = writeln!(out, "  {:<18} {HEADER}   git  left out", "group");
        row(&mut out, "all", &m.overall);
        for g in by {
            let _ = writeln!(out, "  by {}", g.name());
            for group in m.groups.get(g).map(Vec::as_slice).unwrap_or_default() {
                row(&mut out, &group.key, &group.figure);
            }
        }
        left_out(&mut out, &m.name, &m.left_out);
    }

    let u = &report.updates;
    for f in [&u.time_to_first_update, &u.update_cadence] {
        let _ = writeln!(out, "\n{} · {}", f.name, f.title);
        let _ = writeln!(out, "  computed from: {}", f.formula);
        let _ = writeln!(out, "  {:<18} {HEADER}  left out", "group");
        let _ = writeln!(
            out,
            "  {:<18} {}  {:>8}",
            "all",
            summary_cells(&f.summary),
            f.left_out.len()
        );
    }

    let _ = writeln!(out, "\nMTBF · Mean time between failures, per service");
    let _ = writeln!(
        out,
        "  computed from: the gaps between the starts (started, else detected, else declared) of consecutive incidents of the service; n incidents give n − 1 gaps"
    );
    let _ = writeln!(out, "  {:<18} {HEADER}   git  incidents", "service");
    for r in &report.mtbf {
        let _ = writeln!(
            out,
            "  {:<18} {}  {:>4}  {:>9}",
            r.service,
            summary_cells(&r.gaps),
            r.from_git,
            r.incidents.len()
        );
    }
    for r in &report.mtbf {
        left_out(&mut out, &format!("MTBF of {}", r.service), &r.left_out);
    }

    let o = &report.open_incidents;
    let _ = writeln!(
        out,
        "\nOpen incidents · {} not resolved; age = now ({}) − start",
        o.incidents.len() + o.left_out.len(),
        report.now.to_rfc3339()
    );
    if !o.incidents.is_empty() {
        let _ = writeln!(out, "  {:<18} {HEADER}", "");
        let _ = writeln!(out, "  {:<18} {}", "age", summary_cells(&o.ages));
    }
    for i in &o.incidents {
        let _ = writeln!(
            out,
            "    {:<18} {:<6} {:<14} {} {} ({}), age {}",
            i.incident,
            i.severity,
            i.status,
            i.opened.point,
            i.opened.value.at,
            source(&i.opened.value.source),
            duration(i.age_seconds)
        );
    }
    left_out(&mut out, "open incident age", &o.left_out);

    let a = &report.action_items;
    let _ = writeln!(
        out,
        "\nAction items · {} in total: {} done, {} open ({} overdue: due before {}), {} cancelled",
        a.total,
        a.done,
        a.open,
        a.overdue,
        report.now.date_naive(),
        a.cancelled
    );
    for item in &a.overdue_items {
        let _ = writeln!(
            out,
            "    {:<18} due {}  {} ({})",
            item.incident,
            item.due,
            item.title,
            item.owner.as_deref().unwrap_or("no owner")
        );
    }

    let _ = writeln!(
        out,
        "\nError budgets · budget = (1 − objective) × window; consumed = impact of the service's incidents (from started, else detected, else declared, to mitigated, else resolved, else the window's end while investigating), clipped to the window, overlaps counted once"
    );
    if report.error_budgets.is_empty() {
        let _ = writeln!(out, "  no SLA defines an SLO");
    } else {
        let _ = writeln!(
            out,
            "  {:<22} {:<16} {:>9}  {:<7} {:<17}  {:<17}  {:>9}  {:<17}  incidents",
            "sla", "slo", "objective", "window", "budget", "consumed", "consumed%", "remaining"
        );
    }
    for b in &report.error_budgets {
        let _ = writeln!(
            out,
            "  {:<22} {:<16} {:>8}%  {:<7} {:<17}  {:<17}  {:>8.1}%  {:<17}  {}",
            b.sla,
            b.slo,
            b.objective,
            b.window,
            duration(b.budget_seconds),
            duration(b.consumed_seconds),
            b.consumed_percent,
            duration(b.remaining_seconds),
            b.incidents.len()
        );
    }
    if let Some(b) = report.error_budgets.first() {
        let _ = writeln!(
            out,
            "  windows end at {} (--until, else now)",
            b.window_end.to_rfc3339()
        );
    }
    for b in &report.error_budgets {
        left_out(&mut out, &format!("{} {}", b.sla, b.slo), &b.left_out);
    }
    out
}

fn source(s: &crate::timeline::Source) -> String {
    match s {
        crate::timeline::Source::Frontmatter => "frontmatter".to_string(),
        crate::timeline::Source::Git { commit, .. } => {
            format!("git {}", commit.get(..10).unwrap_or(commit))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_well() {
        assert_eq!(duration(0.0), "0s");
        assert_eq!(duration(65.4), "1m 05s");
        assert_eq!(duration(3600.0 * 26.0 + 61.0), "1d 2h 01m 01s");
        assert_eq!(duration(-90.0), "-1m 30s");
    }
}
