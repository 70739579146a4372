//! Value types of the frontmatter: durations, dates, timestamps, percentages.
//!
//! Each parses from the text a person writes and says precisely what is wrong otherwise.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};
use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

/// Values written as a string in YAML: read with `FromStr`, written with `Display`, and
/// described in JSON Schema as a string with the given extra keywords.
macro_rules! string_value {
    ($type:ident, $name:literal, { $($schema:tt)* }) => {
        impl<'de> Deserialize<'de> for $type {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                text.parse().map_err(de::Error::custom)
            }
        }

        impl Serialize for $type {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl JsonSchema for $type {
            fn schema_name() -> Cow<'static, str> {
                $name.into()
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!({ "type": "string", $($schema)* })
            }
        }
    };
}

/// A length of time written as `30d`, `15m`, `300ms` or `1h30m` (units ms, s, m, h, d, w).
///
/// ```
/// use opsbook_core::model::Duration;
/// let d: Duration = "1h30m".parse().unwrap();
/// assert_eq!(d.as_secs(), 5400);
/// assert_eq!(d.to_string(), "1h30m");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Duration {
    millis: i64,
}

const UNITS: [(&str, i64); 6] = [
    ("w", 7 * 86_400_000),
    ("d", 86_400_000),
    ("h", 3_600_000),
    ("m", 60_000),
    ("s", 1_000),
    ("ms", 1),
];

impl Duration {
    /// A duration of `millis` milliseconds.
    pub const fn from_millis(millis: i64) -> Duration {
        Duration { millis }
    }

    /// A duration of `days` days.
    pub const fn from_days(days: i64) -> Duration {
        Duration {
            millis: days * 86_400_000,
        }
    }

    /// Whole milliseconds.
    pub fn as_millis(self) -> i64 {
        self.millis
    }

    /// Whole seconds.
    pub fn as_secs(self) -> i64 {
        self.millis / 1000
    }

    /// As a chrono delta, for date arithmetic.
    pub fn to_chrono(self) -> chrono::TimeDelta {
        chrono::TimeDelta::milliseconds(self.millis)
    }
}

impl FromStr for Duration {
    type Err = String;

    fn from_str(text: &str) -> Result<Duration, String> {
        let bad = || {
            format!(
                "`{text}` is not a duration; write a number and a unit, e.g. `30d`, `15m`, `300ms`, `1h30m` (units: w, d, h, m, s, ms)"
            )
        };
        let mut rest = text.trim();
        if rest.is_empty() {
            return Err(bad());
        }
        let mut millis: i64 = 0;
        while !rest.is_empty() {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return Err(bad());
            }
            let number: i64 = rest[..digits].parse().map_err(|_| bad())?;
            rest = &rest[digits..];
            let unit_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
            let unit = &rest[..unit_len];
            let factor = UNITS
                .iter()
                .find(|(u, _)| *u == unit)
                .map(|(_, f)| *f)
                .ok_or_else(bad)?;
            millis = number
                .checked_mul(factor)
                .and_then(|m| millis.checked_add(m))
                .ok_or_else(|| format!("`{text}` is too long a duration"))?;
            rest = &rest[unit_len..];
        }
        Ok(Duration { millis })
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.millis == 0 {
            return f.write_str("0s");
        }
        let mut rest = self.millis;
        if rest < 0 {
            f.write_str("-")?;
            rest = -rest;
        }
        // Weeks are written as days: `14d` reads better than `2w` in a table of SLAs.
        for (unit, factor) in UNITS.iter().skip(1) {
            if rest >= *factor {
                write!(f, "{}{unit}", rest / factor)?;
                rest %= factor;
            }
        }
        Ok(())
    }
}

string_value!(Duration, "Duration", { "pattern": "^([0-9]+(ms|s|m|h|d|w))+$", "description": "A duration such as `30d`, `15m`, `300ms` or `1h30m`.", });

/// A calendar date written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

impl FromStr for Date {
    type Err = String;

    fn from_str(text: &str) -> Result<Date, String> {
        parse_date(text).map(Date)
    }
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let parts: Vec<&str> = text.split('-').collect();
    let numbers: Option<Vec<u32>> = match parts.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
            parts.iter().map(|p| p.parse().ok()).collect()
        }
        _ => None,
    };
    let Some([year, month, day]) = numbers.as_deref().map(|n| [n[0], n[1], n[2]]) else {
        return Err(format!("`{text}` is not a date; write it as YYYY-MM-DD"));
    };
    if !(1..=12).contains(&month) {
        return Err(format!("`{text}` is not a date: there is no month {month}"));
    }
    NaiveDate::from_ymd_opt(year as i32, month, day).ok_or_else(|| {
        let days = days_in_month(year as i32, month);
        let name = MONTHS[month as usize - 1];
        format!("`{text}` is not a date: {name} {year} has {days} days")
    })
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn days_in_month(year: i32, month: u32) -> u32 {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    next.and_then(|n| n.pred_opt()).map_or(31, |d| d.day())
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

string_value!(Date, "Date", { "format": "date", "description": "A date written YYYY-MM-DD.", });

/// An RFC 3339 timestamp with a time zone, e.g. `2026-03-01T10:15:00Z`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub DateTime<FixedOffset>);

impl FromStr for Timestamp {
    type Err = String;

    fn from_str(text: &str) -> Result<Timestamp, String> {
        if let Ok(t) = DateTime::parse_from_rfc3339(text) {
            return Ok(Timestamp(t));
        }
        let date_part = text.get(..10).unwrap_or(text);
        if let Err(e) = parse_date(date_part) {
            if text.len() > 10 && date_part.len() == 10 {
                return Err(e.replace(&format!("`{date_part}`"), &format!("`{text}`")));
            }
        }
        let naive_formats = [
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%d %H:%M:%S%.f",
            "%Y-%m-%dT%H:%M",
        ];
        if naive_formats
            .iter()
            .any(|f| chrono::NaiveDateTime::parse_from_str(text, f).is_ok())
        {
            return Err(format!(
                "timestamp `{text}` has no time zone; add `Z` for UTC or an offset such as `+02:00`"
            ));
        }
        if parse_date(text).is_ok() {
            return Err(format!(
                "`{text}` is a date, not a timestamp; write e.g. `{text}T14:30:00Z`"
            ));
        }
        Err(format!(
            "`{text}` is not an RFC 3339 timestamp; write e.g. `2026-03-01T14:30:00Z`"
        ))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
    }
}

string_value!(Timestamp, "Timestamp", { "format": "date-time", "description": "An RFC 3339 timestamp with a time zone, e.g. 2026-03-01T14:30:00Z.", });

/// A service tier: 1 (most critical) to 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Tier(pub u8);

impl<'de> Deserialize<'de> for Tier {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TierVisitor;
        impl de::Visitor<'_> for TierVisitor {
            type Value = Tier;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a tier from 1 (most critical) to 4")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Tier, E> {
                match u8::try_from(v) {
                    Ok(t @ 1..=4) => Ok(Tier(t)),
                    _ => Err(E::invalid_value(de::Unexpected::Signed(v), &self)),
                }
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Tier, E> {
                self.visit_i64(i64::try_from(v).unwrap_or(i64::MAX))
            }
        }
        deserializer.deserialize_u8(TierVisitor)
    }
}

impl JsonSchema for Tier {
    fn schema_name() -> Cow<'static, str> {
        "Tier".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "integer",
            "minimum": 1,
            "maximum": 4,
            "description": "Criticality, 1 (most critical) to 4.",
        })
    }
}

/// A percentage above 0 and at most 100, e.g. `99.9`.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
#[serde(transparent)]
pub struct Percent(pub f64);

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = f64::deserialize(deserializer)?;
        if value > 0.0 && value <= 100.0 {
            Ok(Percent(value))
        } else {
            Err(de::Error::custom(format!(
                "{value} is not a percentage; write a number above 0 and at most 100, e.g. 99.9"
            )))
        }
    }
}

impl JsonSchema for Percent {
    fn schema_name() -> Cow<'static, str> {
        "Percent".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "number",
            "exclusiveMinimum": 0,
            "maximum": 100,
            "description": "A percentage, e.g. 99.9.",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!("300ms".parse::<Duration>().unwrap().as_millis(), 300);
        assert_eq!("2w".parse::<Duration>().unwrap(), Duration::from_days(14));
        assert_eq!(Duration::from_days(14).to_string(), "14d");
        assert_eq!("90d".parse::<Duration>().unwrap().to_string(), "90d");
        assert!("30".parse::<Duration>().is_err());
        assert!("30 days".parse::<Duration>().is_err());
        assert!("m".parse::<Duration>().is_err());
        assert!("99999999999999w".parse::<Duration>().is_err());
    }

    #[test]
    fn dates_say_what_is_wrong() {
        assert_eq!(
            "2026-02-30".parse::<Date>().unwrap_err(),
            "`2026-02-30` is not a date: February 2026 has 28 days"
        );
        assert_eq!(
            "2026-13-01".parse::<Date>().unwrap_err(),
            "`2026-13-01` is not a date: there is no month 13"
        );
        assert_eq!(
            "1/2/2026".parse::<Date>().unwrap_err(),
            "`1/2/2026` is not a date; write it as YYYY-MM-DD"
        );
        assert!("2028-02-29".parse::<Date>().is_ok());
    }

    #[test]
    fn timestamps_need_a_zone() {
        assert!("2026-03-01T10:00:00Z".parse::<Timestamp>().is_ok());
        assert!("2026-03-01T10:00:00+05:30".parse::<Timestamp>().is_ok());
        assert_eq!(
            "2026-03-01T10:00:00".parse::<Timestamp>().unwrap_err(),
            "timestamp `2026-03-01T10:00:00` has no time zone; add `Z` for UTC or an offset such as `+02:00`"
        );
        assert_eq!(
            "2026-02-30T10:00:00Z".parse::<Timestamp>().unwrap_err(),
            "`2026-02-30T10:00:00Z` is not a date: February 2026 has 28 days"
        );
        assert_eq!(
            "2026-03-01".parse::<Timestamp>().unwrap_err(),
            "`2026-03-01` is a date, not a timestamp; write e.g. `2026-03-01T14:30:00Z`"
        );
    }
}
