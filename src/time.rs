//! The time values of the command line, parsed by clap with one parser each: `--now` of
//! every command, and `stats --since`/`--until`. Each takes a date (`YYYY-MM-DD`, UTC) or an
//! RFC 3339 time (`2026-03-01T12:00:00Z`, any offset).

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

/// What every time option says when its value is neither.
const EXPECTED: &str = "not a date (YYYY-MM-DD) or an RFC 3339 time such as 2026-03-01T12:00:00Z";

/// `--now`: an RFC 3339 time, or a date meaning its start (midnight UTC).
pub(crate) fn now(text: &str) -> Result<DateTime<Utc>, String> {
    instant(text, false)
}

/// `--since`: like [`now`].
pub(crate) fn since(text: &str) -> Result<DateTime<Utc>, String> {
    instant(text, false)
}

/// `--until`: an RFC 3339 time, or a date meaning its end (the next midnight UTC).
pub(crate) fn until(text: &str) -> Result<DateTime<Utc>, String> {
    instant(text, true)
}

fn instant(text: &str, end_of_day: bool) -> Result<DateTime<Utc>, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| EXPECTED.to_string())?;
    let start = date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    Ok(if end_of_day {
        start + TimeDelta::days(1)
    } else {
        start
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times() {
        assert_eq!(
            now("2026-03-01").unwrap().to_rfc3339(),
            "2026-03-01T00:00:00+00:00"
        );
        assert_eq!(
            until("2026-03-01").unwrap().to_rfc3339(),
            "2026-03-02T00:00:00+00:00"
        );
        assert_eq!(
            now("2026-03-01T12:00:00+02:00").unwrap().to_rfc3339(),
            "2026-03-01T10:00:00+00:00"
        );
        assert_eq!(
            until("2026-03-01T12:00:00Z").unwrap(),
            now("2026-03-01T12:00:00Z").unwrap()
        );
        assert_eq!(now("yesterday").unwrap_err(), EXPECTED);
        assert!(now("2026-02-30").is_err());
    }
}
