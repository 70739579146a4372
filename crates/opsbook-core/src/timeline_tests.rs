//! Tests of the timeline parser and writer.

use super::*;
use crate::markdown::outline;

fn parse_body(text: &str) -> Timeline {
    parse(text, &outline(text, 0)).expect("a timeline section")
}

#[test]
fn entries_under_date_headings() {
    let text = "## Summary\n\nx\n\n## Timeline\n\n- 09:00 prose before any date\n\n### 2026-03-01\n\n- 23:58Z [finding] (bob) Lag\n  still growing.\n- 23:59:30+01:00 Customers confirm.\n\n### 2026-03-02 (Monday)\n\n* 00:10Z [Decision] Fail over.\n\n## Root cause\n\n- 10:00Z not an entry\n";
    let t = parse_body(text);
    assert_eq!(t.entries.len(), 3);
    let e = &t.entries[0];
    assert_eq!(e.at.to_rfc3339(), "2026-03-01T23:58:00+00:00");
    assert_eq!(
        (e.kind, e.author.as_deref()),
        (Some(EntryKind::Finding), Some("bob"))
    );
    assert_eq!(e.text, "Lag still growing.");
    assert_eq!(
        &text[e.span.range()],
        "- 23:58Z [finding] (bob) Lag\n  still growing."
    );
    assert_eq!(&text[e.time_span.range()], "23:58Z");
    assert_eq!(t.entries[1].at.to_rfc3339(), "2026-03-01T23:59:30+01:00");
    assert_eq!(t.entries[1].kind, None);
    assert_eq!(t.entries[2].kind, Some(EntryKind::Decision));
    assert_eq!(t.days.len(), 2);
    assert_eq!(t.days[0].entries, [0, 1]);
    assert_eq!(
        &text[t.days[0].heading.start..t.days[0].end],
        "### 2026-03-01\n\n- 23:58Z [finding] (bob) Lag\n  still growing.\n- 23:59:30+01:00 Customers confirm."
    );
    assert!(t.malformed.is_empty());
    assert_eq!(&text[t.end..t.end + 13], "## Root cause");
}

#[test]
fn time_point_kinds_and_links() {
    let t = parse_body(
        "## Timeline\n\n### 2026-03-01\n\n- 14:02Z [mitigated] Rolled back.\n- 14:05Z [the PR](https://x) merged\n",
    );
    assert_eq!(t.entries[0].kind, Some(EntryKind::Point("mitigated")));
    assert_eq!(t.entries[0].kind.unwrap().time_point(), Some("mitigated"));
    assert_eq!(t.entries[1].kind, None);
    assert_eq!(t.entries[1].text, "[the PR](https://x) merged");
}

#[test]
fn malformed_items_are_reported() {
    let text = "## Timeline\n\n### 2026-03-01\n\n- 14:02 no zone\n- later that day\n- 25:00Z bad\n- 14:10Z [acton] typo\n- 14:11Z\n```\n- 14:12 in a code block\n```\n";
    let t = parse_body(text);
    let messages: Vec<_> = t.malformed.iter().map(|m| m.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "the timeline time `14:02` has no time zone",
            "the timeline entry under `### 2026-03-01` does not start with its time",
            "`25:00Z` is not a time of day",
            "`acton` is not a timeline entry kind",
            "the timeline entry at `14:11Z` says nothing",
        ]
    );
    assert_eq!(&text[t.malformed[0].span.range()], "14:02");
    assert_eq!(t.malformed[3].help, "did you mean `action`?");
}

#[test]
fn no_section_is_none_and_crlf_is_read() {
    assert!(parse("## Summary\n", &outline("## Summary\n", 0)).is_none());
    let text = "## Timeline\r\n\r\n### 2026-03-01\r\n\r\n- 14:02Z [action] (a) x\r\n";
    let t = parse_body(text);
    assert_eq!(t.entries[0].text, "x");
    assert_eq!(&text[t.entries[0].span.range()], "- 14:02Z [action] (a) x");
}

#[test]
fn format_entry_writes_the_documented_form() {
    let at = "2026-03-01T14:32:00Z".parse().unwrap();
    assert_eq!(
        format_entry(at, Some(EntryKind::Action), Some("alice"), "Restarted"),
        "- 14:32Z [action] (alice) Restarted"
    );
    let at = "2026-03-01T14:32:07Z".parse().unwrap();
    assert_eq!(format_entry(at, None, None, "x"), "- 14:32:07Z x");
    let line = format_entry(at, None, None, "(approx.) [sic] lag");
    assert_eq!(line, "- 14:32:07Z \\(approx.) [sic] lag");
    let text = format!("## Timeline\n\n### 2026-03-01\n\n{line}\n");
    let t = parse(&text, &outline(&text, 0)).unwrap();
    assert_eq!(
        (t.entries[0].author.as_deref(), t.entries[0].text.as_str()),
        (None, "(approx.) [sic] lag")
    );
}
