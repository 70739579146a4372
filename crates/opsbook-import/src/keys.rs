//! What each frontmatter key of the old site becomes in opsbook: a field of the
//! document's kind, a review date or interval, an alias, or a value under `extra`.

use crate::value::Val;
use chrono::NaiveDate;
use opsbook_core::model::{Duration, Kind};
use std::collections::BTreeSet;

/// Keys that say when a page was last reviewed, most explicit first.
pub const REVIEWED_KEYS: [&str; 10] = [
    "reviewed",
    "last_reviewed_on",
    "last_reviewed",
    "reviewed_on",
    "last_review",
    "review_date",
    "lastmod",
    "last_modified",
    "updated",
    "date",
];

/// Keys that say how often a page must be reviewed.
pub const REVIEW_EVERY_KEYS: [&str; 6] = [
    "review_every",
    "review_in",
    "review_interval",
    "review_frequency",
    "review_cycle",
    "review_period",
];

/// Keys that set or add to a page's address; the URL step turns them into aliases.
pub const ADDRESS_KEYS: [&str; 4] = ["url", "slug", "permalink", "aliases"];

/// What became of one key.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyNote {
    /// The key as written.
    pub key: String,
    /// The value as written, shortened for the report.
    pub value: String,
    /// What it became, e.g. `reviewed: 2024-03-01` or `extra.weight`.
    pub became: String,
    /// Why it could not be mapped as intended, when so.
    pub problem: Option<String>,
}

/// The frontmatter written for one document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Mapped {
    /// opsbook's keys, in writing order (`extra` last).
    pub fields: Vec<(String, Val)>,
    /// What became of each key of the old frontmatter.
    pub notes: Vec<KeyNote>,
}

/// The fields a kind accepts, read from its JSON Schema (the same types check reads).
pub fn fields_of(kind: Kind) -> BTreeSet<String> {
    let schema = opsbook_core::schema::for_kind(kind);
    schema["properties"]
        .as_object()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

/// A date as opsbook writes it, from the forms such repositories use:
/// `2024-03-01`, `2024-03-01T10:00:00+00:00`, `2024-03-01 10:00`, `2024/03/01`.
pub fn to_date(text: &str) -> Option<String> {
    let t = text.trim();
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(t) {
        return Some(dt.date_naive().to_string());
    }
    let head = t.split(['T', ' ']).next().unwrap_or(t);
    for format in ["%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(head, format) {
            return Some(d.to_string());
        }
    }
    None
}

/// A duration as opsbook writes it, from `6 months`, `90 days`, `2 weeks`, `1 year`,
/// `quarterly`, or opsbook's own `90d`. A month counts 30 days, a year 365.
pub fn to_duration(text: &str) -> Option<String> {
    let t = text.trim().to_lowercase();
    if let Ok(d) = t.parse::<Duration>() {
        return Some(d.to_string());
    }
    let named = match t.as_str() {
        "daily" => Some(1),
        "weekly" => Some(7),
        "monthly" => Some(30),
        "quarterly" => Some(90),
        "yearly" | "annually" => Some(365),
        _ => None,
    };
    if let Some(days) = named {
        return Some(format!("{days}d"));
    }
    let compact = t.replace(' ', "");
    let digits = compact.bytes().take_while(u8::is_ascii_digit).count();
    let number: i64 = compact[..digits].parse().ok()?;
    let days_per = match &compact[digits..] {
        "d" | "day" | "days" => 1,
        "w" | "wk" | "week" | "weeks" => 7,
        "mo" | "mon" | "month" | "months" => 30,
        "y" | "yr" | "year" | "years" => 365,
        _ => return None,
    };
    Some(format!("{}d", number.checked_mul(days_per)?))
}

/// Maps the old frontmatter `keys` of a document of `kind` whose title is `title`
/// (`title:`, else the first `#` heading, else the file name; `title_from` says which).
pub fn map(kind: Kind, keys: &[(String, Val)], title: &str, title_from: &str) -> Mapped {
    let accepted = fields_of(kind);
    let mut fields: Vec<(String, Val)> = Vec::new();
    let mut extra: Vec<(String, Val)> = Vec::new();
    let mut notes = Vec::new();
    let mut note = |key: &str, value: &Val, became: String, problem: Option<String>| {
        notes.push(KeyNote {
            key: key.to_string(),
            value: value.show(),
            became,
            problem,
        })
    };
    let title_val = Val::Str(title.to_string());
    fields.push(("title".to_string(), title_val));
    let reviewed_key = if accepted.contains("reviewed") {
        REVIEWED_KEYS.iter().find(|k| {
            keys.iter()
                .any(|(key, v)| key == *k && v.as_text().is_some())
        })
    } else {
        None
    };
    let every_key = if accepted.contains("review_every") {
        REVIEW_EVERY_KEYS
            .iter()
            .find(|k| keys.iter().any(|(key, _)| key == *k))
    } else {
        None
    };
    for (key, value) in keys {
        let k = key.as_str();
        if k == "title" {
            if title_from != "title" {
                extra.push((key.clone(), value.clone()));
                note(
                    k,
                    value,
                    format!("extra.{k}"),
                    Some(format!("not text; the title comes from {title_from}")),
                );
            } else {
                note(k, value, "title".to_string(), None);
            }
        } else if k == "kind" {
            note(k, value, "the document's folder".to_string(), None);
        } else if ADDRESS_KEYS.contains(&k) {
            // Handled with the URLs: the address it gave becomes an alias.
        } else if Some(&k) == reviewed_key {
            let text = value.as_text().unwrap_or_default();
            match to_date(&text) {
                Some(date) => {
                    note(k, value, format!("reviewed: {date}"), None);
                    fields.push(("reviewed".into(), Val::Str(date)));
                }
                None => {
                    note(
                        k,
                        value,
                        format!("extra.{k}"),
                        Some(format!("`{text}` is not a date")),
                    );
                    extra.push((key.clone(), value.clone()));
                }
            }
        } else if Some(&k) == every_key {
            let text = match value {
                Val::Int(days) => format!("{days} days"),
                other => other.as_text().unwrap_or_default(),
            };
            match to_duration(&text) {
                Some(duration) => {
                    note(k, value, format!("review_every: {duration}"), None);
                    fields.push(("review_every".into(), Val::Str(duration)));
                }
                None => {
                    note(
                        k,
                        value,
                        format!("extra.{k}"),
                        Some(format!("`{text}` is not a duration")),
                    );
                    extra.push((key.clone(), value.clone()));
                }
            }
        } else if REVIEWED_KEYS.contains(&k) && reviewed_key.is_some() {
            let by = reviewed_key.copied().unwrap_or_default();
            note(
                k,
                value,
                format!("extra.{k} (reviewed comes from {by})"),
                None,
            );
            extra.push((key.clone(), value.clone()));
        } else if k == "extra" {
            match value {
                Val::Map(entries) => {
                    note(k, value, "extra".to_string(), None);
                    extra.extend(entries.iter().cloned());
                }
                other => {
                    note(k, other, "extra.extra".to_string(), None);
                    extra.push((key.clone(), value.clone()));
                }
            }
        } else if k == "tags" && accepted.contains("tags") {
            match value.as_texts() {
                Some(tags) => {
                    note(k, value, "tags".to_string(), None);
                    fields.push((
                        "tags".into(),
                        Val::List(tags.into_iter().map(Val::Str).collect()),
                    ));
                }
                None => {
                    note(
                        k,
                        value,
                        "extra.tags".to_string(),
                        Some("not a list of words".to_string()),
                    );
                    extra.push((key.clone(), value.clone()));
                }
            }
        } else if k != "id" && accepted.contains(k) {
            note(k, value, k.to_string(), None);
            fields.push((key.clone(), value.clone()));
        } else if k == "id" {
            // Set by the plan, which also resolves duplicates.
        } else {
            note(k, value, format!("extra.{k}"), None);
            extra.push((key.clone(), value.clone()));
        }
    }
    if !extra.is_empty() {
        fields.push(("extra".into(), Val::Map(extra)));
    }
    Mapped { fields, notes }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_durations_are_normalised() {
        assert_eq!(
            to_date("2024-03-01T10:00:00+00:00").as_deref(),
            Some("2024-03-01")
        );
        assert_eq!(to_date("2024-03-01 10:00").as_deref(), Some("2024-03-01"));
        assert_eq!(to_date("2024/03/01").as_deref(), Some("2024-03-01"));
        assert_eq!(to_date("last spring"), None);
        assert_eq!(to_duration("6 months").as_deref(), Some("180d"));
        assert_eq!(to_duration("90 days").as_deref(), Some("90d"));
        assert_eq!(to_duration("2w").as_deref(), Some("14d"));
        assert_eq!(to_duration("1 year").as_deref(), Some("365d"));
        assert_eq!(to_duration("quarterly").as_deref(), Some("90d"));
        assert_eq!(to_duration("30d").as_deref(), Some("30d"));
        assert_eq!(to_duration("when needed"), None);
    }

    fn keys(pairs: &[(&str, Val)]) -> Vec<(String, Val)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn runbook_keys_map_to_fields_review_dates_and_extra() {
        let mapped = map(
            Kind::Runbook,
            &keys(&[
                ("title", Val::Str("Disk full".into())),
                ("weight", Val::Int(10)),
                ("date", Val::Str("2023-01-05".into())),
                ("lastmod", Val::Str("2024-03-01T10:00:00+00:00".into())),
                ("review_in", Val::Str("6 months".into())),
                ("tags", Val::Str("storage".into())),
                ("draft", Val::Bool(false)),
                ("owner", Val::Str("storage-team".into())),
            ]),
            "Disk full",
            "title",
        );
        let text = crate::value::emit(&mapped.fields);
        assert_eq!(
            text,
            "title: Disk full\nreviewed: 2024-03-01\nreview_every: 180d\ntags:\n  - storage\nowner: storage-team\nextra:\n  weight: 10\n  date: 2023-01-05\n  draft: false\n"
        );
        let became: Vec<_> = mapped
            .notes
            .iter()
            .map(|n| (n.key.as_str(), n.became.as_str()))
            .collect();
        assert_eq!(
            became,
            [
                ("title", "title"),
                ("weight", "extra.weight"),
                ("date", "extra.date (reviewed comes from lastmod)"),
                ("lastmod", "reviewed: 2024-03-01"),
                ("review_in", "review_every: 180d"),
                ("tags", "tags"),
                ("draft", "extra.draft"),
                ("owner", "owner"),
            ]
        );
    }

    #[test]
    fn values_that_cannot_be_normalised_are_kept_and_reported() {
        let mapped = map(
            Kind::Runbook,
            &keys(&[
                ("last_reviewed_on", Val::Str("spring 2024".into())),
                ("review_in", Val::Str("when needed".into())),
            ]),
            "X",
            "the first heading",
        );
        let problems: Vec<_> = mapped
            .notes
            .iter()
            .filter_map(|n| n.problem.clone())
            .collect();
        assert_eq!(
            problems,
            [
                "`spring 2024` is not a date",
                "`when needed` is not a duration"
            ]
        );
        assert_eq!(
            crate::value::emit(&mapped.fields),
            "title: X\nextra:\n  last_reviewed_on: spring 2024\n  review_in: when needed\n"
        );
    }

    #[test]
    fn pages_keep_dates_under_extra() {
        let mapped = map(
            Kind::Page,
            &keys(&[("date", Val::Str("2024-01-01".into()))]),
            "About",
            "title",
        );
        assert_eq!(
            crate::value::emit(&mapped.fields),
            "title: About\nextra:\n  date: 2024-01-01\n"
        );
    }
}
