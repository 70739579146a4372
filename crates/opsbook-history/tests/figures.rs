//! Exact figures, to the second, for every metric and grouping of a small handbook whose
//! times come partly from frontmatter and partly from git (dates in several time zones).

mod common;

use common::{Repo, assert_six, postmortem, report};
use opsbook_stats::Source;
use opsbook_stats::{Grouping, StatsReport};

const NAN: f64 = f64::NAN;

/// PM-1 is opened, mitigated, resolved and published in four commits and states only
/// `started` and `detected`; PM-2 states every time-point and is committed once.
fn handbook() -> Repo {
    let repo = Repo::new("");
    repo.write("handbook.yaml", "title: Test\n");
    let pm1 = |status, review| {
        postmortem(
            "SEV2",
            "api",
            status,
            review,
            "started: 2026-03-01T07:00:00Z\ndetected: 2026-03-01T07:10:00Z\n",
        )
    };
    repo.write("postmortems/PM-1.md", &pm1("investigating", "draft"));
    // Authored 08:05 UTC (+02:00); committed later by someone else.
    repo.commit(
        "open PM-1",
        "2026-03-01T10:05:00+02:00",
        "2026-03-01T12:00:00+02:00",
    );
    repo.write("postmortems/PM-1.md", &pm1("mitigated", "draft"));
    repo.commit_at("PM-1 mitigated", "2026-03-01T15:30:00-05:00"); // 20:30 UTC
    repo.write("postmortems/PM-1.md", &pm1("resolved", "draft"));
    // Authored 16:00 UTC, committed 2026-03-02 03:30 UTC: the commit time counts.
    repo.commit(
        "PM-1 resolved",
        "2026-03-02T01:00:00+09:00",
        "2026-03-02T09:00:00+05:30",
    );
    repo.write("postmortems/PM-1.md", &pm1("resolved", "published"));
    repo.commit_at("PM-1 published", "2026-03-10T12:00:00Z");
    repo.write(
        "postmortems/PM-2.md",
        &postmortem(
            "SEV1",
            "api, db",
            "resolved",
            "published",
            // Started late on 31 March in UTC−7: April in UTC.
            "started: 2026-03-31T23:50:00-07:00\ndetected: 2026-04-01T07:20:00Z\nacknowledged: 2026-04-01T07:25:00Z\ndeclared: 2026-04-01T07:30:00Z\nmitigated: 2026-04-01T08:00:00Z\nresolved: 2026-04-01T10:50:00Z\n",
        ),
    );
    repo.commit_at("PM-2", "2026-04-15T00:00:00Z");
    repo
}

fn metric<'a>(report: &'a StatsReport, name: &str) -> &'a opsbook_stats::MetricReport {
    report.metrics.iter().find(|m| m.name == name).unwrap()
}

fn group<'a>(
    report: &'a StatsReport,
    name: &str,
    by: Grouping,
    key: &str,
) -> &'a opsbook_stats::Summary {
    &metric(report, name).groups[&by]
        .iter()
        .find(|g| g.key == key)
        .unwrap_or_else(|| panic!("{name} has no group {key}"))
        .figure
        .summary
}

#[test]
fn git_fills_what_the_frontmatter_leaves_out() {
    let repo = handbook();
    let (report, mined, warnings) = report(&repo.handbook, "2026-06-01T00:00:00Z");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(mined.notes.is_empty(), "{:?}", mined.notes);
    let history = mined.history.unwrap();
    let facts = history.doc("postmortems/PM-1.md").unwrap();
    assert_eq!(facts.changes, 4);
    assert_eq!(
        facts.added.as_ref().unwrap().author_time.to_string(),
        "2026-03-01T10:05:00+02:00"
    );
    assert_eq!(facts.last.as_ref().unwrap().author, "Ada Author");

    let mttr = metric(&report, "MTTR");
    let pm1 = mttr.values.iter().find(|v| v.incident == "PM-1").unwrap();
    assert_eq!(pm1.seconds, 73_800.0); // 2026-03-02T03:30Z − 2026-03-01T07:00Z
    assert_eq!(pm1.to.value.at.to_string(), "2026-03-02T09:00:00+05:30");
    assert!(
        matches!(&pm1.to.value.source, Source::Git { how, .. } if how.contains("first commit whose `status` is resolved"))
    );
    assert_eq!(pm1.from.value.source, Source::Frontmatter);
    // PM-1: declared, mitigated, resolved, published; PM-2: published.
    assert_eq!(report.time_points.git, 5);
}

#[test]
fn every_metric_and_grouping_to_the_second() {
    let repo = handbook();
    let (report, _, _) = report(&repo.handbook, "2026-06-01T00:00:00Z");
    // MTTR: PM-1 73 800 s (20h30m), PM-2 14 400 s (06:50Z → 10:50Z).
    assert_six(
        &metric(&report, "MTTR").overall.summary,
        (2, 44_100.0, 44_100.0, 67_860.0, 14_400.0, 73_800.0),
        "MTTR",
    );
    // MTTM: PM-1 mitigated 20:30Z (git) − 07:00Z = 48 600; PM-2 08:00Z − 06:50Z = 4 200.
    assert_six(
        &metric(&report, "MTTM").overall.summary,
        (2, 26_400.0, 26_400.0, 44_160.0, 4_200.0, 48_600.0),
        "MTTM",
    );
    // MTTD: 600 and 1 800.
    assert_six(
        &metric(&report, "MTTD").overall.summary,
        (2, 1_200.0, 1_200.0, 1_680.0, 600.0, 1_800.0),
        "MTTD",
    );
    // MTTA: PM-2 only (300 s); PM-1 has no `acknowledged`.
    let mtta = metric(&report, "MTTA");
    assert_six(
        &mtta.overall.summary,
        (1, 300.0, 300.0, 300.0, 300.0, 300.0),
        "MTTA",
    );
    assert_eq!(mtta.left_out.len(), 1);
    assert_eq!(mtta.left_out[0].incident, "PM-1");
    assert_eq!(
        mtta.left_out[0].reason,
        "no `acknowledged`: not in the frontmatter"
    );
    // Lead time: PM-1 2026-03-10T12:00Z − 2026-03-02T03:30Z = 721 800;
    // PM-2 2026-04-15T00:00Z − 2026-04-01T10:50Z = 1 170 600.
    assert_six(
        &metric(&report, "postmortem_lead_time").overall.summary,
        (2, 946_200.0, 946_200.0, 1_125_720.0, 721_800.0, 1_170_600.0),
        "lead time",
    );

    let one = |v: f64| (1, v, v, v, v, v);
    let none = (0, NAN, NAN, NAN, NAN, NAN);
    // By severity, service, month, quarter, year.
    assert_six(
        group(&report, "MTTR", Grouping::Severity, "SEV1"),
        one(14_400.0),
        "MTTR SEV1",
    );
    assert_six(
        group(&report, "MTTR", Grouping::Severity, "SEV2"),
        one(73_800.0),
        "MTTR SEV2",
    );
    assert_six(
        group(&report, "MTTR", Grouping::Service, "api"),
        (2, 44_100.0, 44_100.0, 67_860.0, 14_400.0, 73_800.0),
        "MTTR api",
    );
    assert_six(
        group(&report, "MTTR", Grouping::Service, "db"),
        one(14_400.0),
        "MTTR db",
    );
    assert_six(
        group(&report, "MTTR", Grouping::Month, "2026-03"),
        one(73_800.0),
        "MTTR 2026-03",
    );
    assert_six(
        group(&report, "MTTR", Grouping::Month, "2026-04"),
        one(14_400.0),
        "MTTR 2026-04",
    );
    assert_six(
        group(&report, "MTTR", Grouping::Quarter, "2026-Q1"),
        one(73_800.0),
        "MTTR Q1",
    );
    assert_six(
        group(&report, "MTTR", Grouping::Quarter, "2026-Q2"),
        one(14_400.0),
        "MTTR Q2",
    );
    assert_six(
        group(&report, "MTTR", Grouping::Year, "2026"),
        (2, 44_100.0, 44_100.0, 67_860.0, 14_400.0, 73_800.0),
        "MTTR 2026",
    );
    assert_six(
        group(&report, "MTTM", Grouping::Severity, "SEV2"),
        one(48_600.0),
        "MTTM SEV2",
    );
    assert_six(
        group(&report, "MTTM", Grouping::Month, "2026-04"),
        one(4_200.0),
        "MTTM 2026-04",
    );
    assert_six(
        group(&report, "MTTD", Grouping::Service, "db"),
        one(1_800.0),
        "MTTD db",
    );
    assert_six(
        group(&report, "MTTA", Grouping::Severity, "SEV2"),
        none,
        "MTTA SEV2",
    );
    assert_eq!(
        metric(&report, "MTTA").groups[&Grouping::Severity][1]
            .figure
            .left_out,
        1
    );
    assert_six(
        group(
            &report,
            "postmortem_lead_time",
            Grouping::Quarter,
            "2026-Q1",
        ),
        one(721_800.0),
        "lead Q1",
    );
    // Severity groups follow the handbook's scale, most severe first.
    let keys: Vec<&str> = metric(&report, "MTTR").groups[&Grouping::Severity]
        .iter()
        .map(|g| g.key.as_str())
        .collect();
    assert_eq!(keys, ["SEV1", "SEV2"]);

    // MTBF of api: starts 2026-03-01T07:00Z and 2026-04-01T06:50Z.
    let api = report.mtbf.iter().find(|m| m.service == "api").unwrap();
    assert_six(&api.gaps, one(2_677_800.0), "MTBF api");
    assert_eq!(
        report
            .mtbf
            .iter()
            .find(|m| m.service == "db")
            .unwrap()
            .gaps
            .count,
        0
    );
    assert!(report.open_incidents.incidents.is_empty());
    // Every value says which of its inputs came from git.
    assert_eq!(metric(&report, "MTTR").overall.from_git, 1);
    assert_eq!(metric(&report, "postmortem_lead_time").overall.from_git, 2);
}

#[test]
fn table_json_and_csv_agree() {
    let repo = handbook();
    let (report, _, _) = report(&repo.handbook, "2026-06-01T00:00:00Z");
    let table = report.to_table(&[Grouping::Severity]);
    assert!(
        table.contains(
            "computed from: resolved − started (else detected, else declared), per incident"
        ),
        "{table}"
    );
    assert!(
        table.contains("  all                    2  12h 15m 00s"),
        "{table}"
    );
    assert!(
        table.contains("  SEV1                   1  4h 00m 00s"),
        "{table}"
    );
    assert!(
        table.contains("PM-1               no `acknowledged`: not in the frontmatter"),
        "{table}"
    );
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(json["metrics"][3]["name"], "MTTR");
    assert_eq!(json["metrics"][3]["overall"]["mean"], 44_100.0);
    assert_eq!(json["metrics"][3]["values"][0]["to"]["from"], "git");
    let csv = report.to_csv(&[Grouping::Month]);
    assert!(csv.contains("\nMTTR,\"resolved − started (else detected, else declared)\",month,2026-03,1,73800,73800,73800,73800,73800,1,0\n"), "{csv}");
}

#[test]
fn a_commit_earlier_than_the_frontmatter_time_is_a_warning() {
    let repo = Repo::new("");
    repo.write(
        "postmortems/PM-9.md",
        &postmortem(
            "SEV3",
            "api",
            "resolved",
            "draft",
            "started: 2026-05-01T08:00:00Z\nresolved: 2026-05-02T10:00:00Z\n",
        ),
    );
    // First committed as resolved at 09:00 the day before the stated resolution.
    repo.commit_at("PM-9", "2026-05-01T09:00:00Z");
    let (report, _, warnings) = report(&repo.handbook, "2026-06-01T00:00:00Z");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let resolved = warnings
        .iter()
        .find(|w| w.message.starts_with("`resolved`"))
        .unwrap();
    assert_eq!(resolved.rule.code(), "OB309");
    assert_eq!(
        resolved.message,
        "`resolved` is 2026-05-02T10:00:00Z, but the first commit that says `status: resolved` ("
            .to_string()
            + &resolved.message[resolved.message.find('(').unwrap() + 1..]
    );
    // The frontmatter value wins.
    assert_eq!(metric(&report, "MTTR").values[0].seconds, 93_600.0);
}
