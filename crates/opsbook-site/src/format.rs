//! How times, durations and numbers are written on the site.

use chrono::{DateTime, Utc};
use opsbook_core::model::Timestamp;

/// A timestamp in UTC, to the minute: `2026-05-19 19:42 UTC`.
pub fn timestamp(t: &Timestamp) -> String {
    utc(&t.0.with_timezone(&Utc))
}

/// A UTC time to the minute.
pub fn utc(t: &DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// A UTC time as RFC 3339, for `<time datetime>` and machine reading.
pub fn iso(t: &Timestamp) -> String {
    t.0.with_timezone(&Utc)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A length of time for people, two units at most: `2d 3h`, `4h 28m`, `6m`, `45s`.
///
/// ```
/// use opsbook_site::format::duration;
/// assert_eq!(duration(2 * 86400 + 3 * 3600 + 59), "2d 3h");
/// assert_eq!(duration(4 * 3600 + 28 * 60), "4h 28m");
/// assert_eq!(duration(360), "6m");
/// assert_eq!(duration(45), "45s");
/// assert_eq!(duration(-90), "-1m 30s");
/// ```
pub fn duration(secs: i64) -> String {
    if secs < 0 {
        return format!("-{}", duration(-secs));
    }
    let (d, h, m, s) = (
        secs / 86_400,
        secs % 86_400 / 3600,
        secs % 3600 / 60,
        secs % 60,
    );
    let parts: Vec<String> = [(d, "d"), (h, "h"), (m, "m"), (s, "s")]
        .iter()
        .skip_while(|(n, _)| *n == 0)
        .take(2)
        .filter(|(n, _)| *n > 0)
        .map(|(n, u)| format!("{n}{u}"))
        .collect();
    if parts.is_empty() {
        "0s".to_string()
    } else {
        parts.join(" ")
    }
}

/// Minutes with at most one decimal: `43.2`, `1440`.
pub fn minutes(m: f64) -> String {
    if (m - m.round()).abs() < 0.05 {
        format!("{:.0}", m)
    } else {
        format!("{:.1}", m)
    }
}

/// A percentage without needless decimals: `99.95`, `99.9`, `100`.
pub fn percent(p: f64) -> String {
    let s = format!("{p:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}
