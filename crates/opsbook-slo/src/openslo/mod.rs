//! OpenSLO v1 (<https://openslo.com>): the handbook's SLAs written as OpenSLO documents
//! ([`export`]), and OpenSLO documents read back as SLA documents ([`import`]).
//!
//! The mapping, per SLO of an SLA:
//!
//! | opsbook | OpenSLO v1 |
//! |---|---|
//! | the SLA's `service` | a `Service`, and the SLO's `spec.service` |
//! | `slos[].name` | `SLO` `metadata.displayName` (and the annotation `opsbook/slo`); `metadata.name` is `<service>-<slo>` |
//! | `slos[].sli` | `spec.description` |
//! | `good` / `error` / `total` | `spec.indicator.spec.ratioMetric` (`counter: true`, `good` / `bad` / `total`, each a `Prometheus` `metricSource` with `spec.query`) |
//! | `window` | `spec.timeWindow: [{duration, isRolling: true}]` |
//! | `objective` | `spec.objectives: [{target}]` (a ratio: 99.9 → 0.999), `budgetingMethod: Occurrences` |
//! | the generated page and ticket alerts | two `AlertPolicy` documents of `burnrate` `AlertCondition`s (`lookbackWindow` the long window, `alertAfter` the short one) |
//! | `threshold`, `customer`, `sla`, `ticket_sla`, the SLA id | annotations `opsbook/…` of the SLO (`sla` and `ticket_sla` as JSON) |
//!
//! OpenSLO durations have one unit (`30d`, `90m`), and queries are PromQL over the window
//! (`$window` is written out; the annotation `opsbook/window-placeholder` brings it back).

mod export;
mod import;

pub use export::{Export, export};
pub use import::{Import, ImportedSla, Note, import};

/// The `apiVersion` of every document.
pub const API_VERSION: &str = "openslo/v1";

/// The prefix of opsbook's annotations.
const ANNOTATION: &str = "opsbook/";

/// An RFC 1123 name (`metadata.name`): lowercase letters, digits and `-`, at most 63.
fn dns_name(text: &str) -> String {
    let mut name: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    while name.contains("--") {
        name = name.replace("--", "-");
    }
    let name = name.trim_matches('-');
    let name: String = name.chars().take(63).collect();
    name.trim_end_matches('-').to_string()
}

/// A duration with one unit, as OpenSLO writes them (`30d`, `90m`); `None` under a minute.
fn shorthand(duration: opsbook_core::model::Duration) -> Option<String> {
    let ms = duration.as_millis();
    [("d", 86_400_000), ("h", 3_600_000), ("m", 60_000)]
        .iter()
        .find(|(_, unit)| ms > 0 && ms % unit == 0)
        .map(|(name, unit)| format!("{}{name}", ms / unit))
}

/// An objective in percent as an OpenSLO target ratio, exact to a millionth of a percent.
fn target_of(objective: f64) -> f64 {
    (objective * 1e6).round() / 1e8
}

/// An OpenSLO target ratio as an objective in percent.
fn objective_of(target: f64) -> f64 {
    (target * 1e8).round() / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_durations_and_targets() {
        assert_eq!(dns_name("Order Book_API"), "order-book-api");
        assert_eq!(shorthand("30d".parse().unwrap()).as_deref(), Some("30d"));
        assert_eq!(shorthand("1h30m".parse().unwrap()).as_deref(), Some("90m"));
        assert_eq!(shorthand("90s".parse().unwrap()), None);
        for objective in [99.9, 95.0, 99.99, 99.95, 12.345678] {
            assert_eq!(objective_of(target_of(objective)), objective);
        }
        assert_eq!(target_of(99.9), 0.999);
    }
}
