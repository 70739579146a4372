//! The one place that parses PromQL (with the promql-parser crate), and the window
//! placeholder of SLI queries.
//!
//! An SLI query counts events over the SLO's window: `sum(rate(x[$window]))`. The range
//! may also be written as the SLA's window itself (`[30d]` for `window: 30d`). Burn-rate
//! rules evaluate the query over shorter windows by replacing the placeholder.
//!
//! ```
//! use opsbook_slo::promql::{over, templated};
//! let window = "30d".parse().unwrap();
//! let query = templated("sum(rate(http_requests_total[30d]))", window).unwrap();
//! assert_eq!(query, "sum(rate(http_requests_total[$window]))");
//! assert_eq!(over(&query, "5m"), "sum(rate(http_requests_total[5m]))");
//! assert!(opsbook_slo::promql::parse(&over(&query, "5m")).is_ok());
//! ```

use opsbook_core::model::Duration;

/// The placeholder for the range of an SLI query.
pub const WINDOW: &str = "$window";

/// The query, trimmed, with the ranges written as the SLA's `window` replaced by
/// [`WINDOW`]; `None` when it mentions the window in neither form.
pub fn templated(query: &str, window: Duration) -> Option<String> {
    let query = query.trim();
    if query.contains(WINDOW) {
        return Some(query.to_string());
    }
    let literal = format!("[{window}]");
    query
        .contains(&literal)
        .then(|| query.replace(&literal, &format!("[{WINDOW}]")))
}

/// A templated query evaluated over `range` (a PromQL duration such as `5m`).
pub fn over(templated: &str, range: &str) -> String {
    templated.replace(WINDOW, range)
}

/// Parses `query` as PromQL; the error is the parser's message.
pub fn parse(query: &str) -> Result<(), String> {
    promql_parser::parser::parse(query)
        .map(|_| ())
        .map_err(|e| {
            let e = e.trim();
            // The parser's message for a syntax error it cannot place.
            if e == "invalid promql query" {
                "it is not valid PromQL syntax (the parser does not say where it stopped)".into()
            } else {
                e.to_string()
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_is_found_in_either_form() {
        let window: Duration = "28d".parse().unwrap();
        assert_eq!(
            templated(" rate(x[$window]) ", window).as_deref(),
            Some("rate(x[$window])")
        );
        assert_eq!(
            templated("rate(x[28d]) / rate(y[28d])", window).as_deref(),
            Some("rate(x[$window]) / rate(y[$window])")
        );
        assert_eq!(templated("rate(x[30d])", window), None);
    }

    #[test]
    fn parse_accepts_promql_and_rejects_the_rest() {
        assert!(parse(r#"sum(rate(http_requests_total{code!~"5.."}[5m]))"#).is_ok());
        assert!(parse("sum(rate(x[5m])").is_err());
        assert!(parse("rate(x[5m]) +").is_err());
    }
}
