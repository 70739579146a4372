//! Property tests: the summaries match a straightforward reference, and an incident with
//! missing time-points changes only the exclusion lists.

use chrono::{DateTime, TimeDelta, Utc};
use opsbook_core::Handbook;
use opsbook_core::config::TimePoint;
use opsbook_core::model::{Review, Status, Timestamp};
use opsbook_stats::{Incident, Point, Source};
use opsbook_stats::{StatsOptions, Summary, compute};
use proptest::prelude::*;
use std::collections::BTreeMap;

/// The textbook definitions, written as plainly as possible.
fn reference(values: &[f64]) -> (f64, f64, f64) {
    let mut v = values.to_vec();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = v.len();
    let median = if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    };
    let rank = 0.9 * (n as f64 - 1.0);
    let below = rank.floor() as usize;
    let p90 = if below + 1 < n {
        v[below] + (rank - below as f64) * (v[below + 1] - v[below])
    } else {
        v[below]
    };
    let mean = v.iter().sum::<f64>() / n as f64;
    (mean, median, p90)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * (1.0 + a.abs().max(b.abs()))
}

proptest! {
    #[test]
    fn summaries_match_the_reference(values in prop::collection::vec(0.0f64..1e7, 1..60)) {
        let s = Summary::of(&values);
        let (mean, median, p90) = reference(&values);
        prop_assert_eq!(s.count, values.len());
        prop_assert!(close(s.mean.unwrap(), mean));
        prop_assert!(close(s.median.unwrap(), median), "median {:?} vs {}", s.median, median);
        prop_assert!(close(s.p90.unwrap(), p90), "p90 {:?} vs {}", s.p90, p90);
        prop_assert!(s.min.unwrap() <= s.median.unwrap() && s.median.unwrap() <= s.p90.unwrap());
        prop_assert!(s.p90.unwrap() <= s.max.unwrap());
    }

    #[test]
    fn an_incident_without_time_points_changes_only_exclusions(
        incidents in prop::collection::vec(incident_strategy(), 0..25),
        missing in prop::sample::subsequence(vec![TimePoint::Detected, TimePoint::Acknowledged, TimePoint::Mitigated, TimePoint::Resolved], 0..=4),
    ) {
        let handbook = Handbook::default();
        let options = StatsOptions { now: now(), since: None, until: None };
        let before = compute(&handbook, &incidents, &options);
        let mut more = incidents.clone();
        // No start at all (nothing to measure from), and some of the others missing too.
        let mut extra = incident("PM-EXTRA", &[], Status::Investigating);
        for tp in [TimePoint::Detected, TimePoint::Acknowledged, TimePoint::Mitigated, TimePoint::Resolved] {
            if !missing.contains(&tp) {
                extra.points.insert(tp, point(1_000));
            }
        }
        extra.points.retain(|tp, _| ![TimePoint::Started, TimePoint::Detected, TimePoint::Declared].contains(tp));
        extra.status = Status::Resolved;
        more.push(extra);
        let after = compute(&handbook, &more, &options);
        for (b, a) in before.metrics.iter().zip(&after.metrics) {
            prop_assert_eq!(&b.overall.summary, &a.overall.summary);
            prop_assert_eq!(&b.overall.incidents, &a.overall.incidents);
            prop_assert_eq!(&b.values, &a.values);
            prop_assert_eq!(a.left_out.len(), b.left_out.len() + 1);
            prop_assert_eq!(&a.left_out[..b.left_out.len()], &b.left_out[..]);
            prop_assert_eq!(a.overall.left_out, b.overall.left_out + 1);
            for (grouping, groups) in &b.groups {
                for g in groups {
                    let same = a.groups[grouping].iter().find(|x| x.key == g.key).unwrap();
                    prop_assert_eq!(&same.figure.summary, &g.figure.summary);
                }
            }
        }
        for m in &after.mtbf {
            match before.mtbf.iter().find(|b| b.service == m.service) {
                Some(b) => prop_assert_eq!(&b.gaps, &m.gaps),
                // A service seen only through the new incident: a row of exclusions only.
                None => prop_assert_eq!(m.gaps.count, 0),
            }
        }
        prop_assert_eq!(&before.open_incidents.ages, &after.open_incidents.ages);
    }
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-06-01T00:00:00Z")
        .unwrap()
        .to_utc()
}

fn point(minutes_after_epoch: i64) -> Point {
    let base = DateTime::parse_from_rfc3339("2026-01-01T00:00:00+02:00").unwrap();
    Point {
        at: Timestamp(base + TimeDelta::minutes(minutes_after_epoch)),
        source: Source::Frontmatter,
    }
}

fn incident(id: &str, points: &[(TimePoint, i64)], status: Status) -> Incident {
    Incident {
        id: id.to_string(),
        path: format!("postmortems/{id}.md"),
        title: id.to_string(),
        severity: "SEV2".to_string(),
        services: vec!["api".to_string()],
        slo_impact: Vec::new(),
        status,
        review: Review::Draft,
        points: points
            .iter()
            .map(|(tp, m)| (*tp, point(*m)))
            .collect::<BTreeMap<_, _>>(),
        unknown: BTreeMap::new(),
        action_items: Vec::new(),
    }
}

prop_compose! {
    fn incident_strategy()(
        id in 0u32..1_000_000,
        start in 0i64..200_000,
        steps in prop::collection::vec(prop::option::of(0i64..5_000), 6),
        resolved in any::<bool>(),
    ) -> Incident {
        let order = [TimePoint::Started, TimePoint::Detected, TimePoint::Acknowledged, TimePoint::Declared, TimePoint::Mitigated, TimePoint::Resolved];
        let mut t = start;
        let mut points = Vec::new();
        for (tp, step) in order.iter().zip(&steps) {
            if let Some(step) = step {
                t += step;
                points.push((*tp, t));
            }
        }
        incident(&format!("PM-{id}"), &points, if resolved { Status::Resolved } else { Status::Mitigated })
    }
}
