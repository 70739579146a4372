//! Reading spanned YAML nodes as what a rule file expects, reporting every mismatch as
//! an OB401 diagnostic.

use super::{Alerts, Pair};
use crate::diagnostic::Diagnostic;
use crate::model::Duration;
use crate::rules::Rule;
use crate::span::Span;
use crate::suggest::did_you_mean;
use crate::yaml::{Node, ParseError, Resolved};

/// The state of reading one rule file.
pub(super) struct Reader<'a> {
    pub(super) file: &'a str,
    pub(super) out: &'a mut Vec<Diagnostic>,
    pub(super) alerts: Alerts,
}

impl Reader<'_> {
    pub(super) fn error(&mut self, span: Span, message: String, help: Option<String>) {
        self.out.push(
            Diagnostic::new(Rule::InvalidRuleFile, self.file, span, message).with_help_opt(help),
        );
    }

    pub(super) fn yaml_error(&mut self, error: &ParseError) {
        let (message, help) = match error {
            ParseError::Syntax { message, .. } => (
                format!("invalid YAML: {message}"),
                Some("look for a tab, an unclosed quote or bracket, or a `: ` inside an unquoted value just before this point".to_string()),
            ),
            ParseError::DuplicateKey { .. } => (
                error.to_string(),
                Some("remove one of the two; Prometheus refuses duplicate keys".to_string()),
            ),
            ParseError::Alias { .. } => (
                format!("{error}; this document is not read"),
                Some("write the value out instead of referring to an anchor".to_string()),
            ),
            ParseError::MultipleDocuments { .. } | ParseError::TooDeep { .. } => {
                (error.to_string(), None)
            }
        };
        self.error(error.span(), message, help);
    }

    /// The entries of a mapping, reporting keys not in `allowed` (unless it is empty).
    pub(super) fn map<'n>(
        &mut self,
        node: &'n Node,
        what: &str,
        allowed: &[&str],
    ) -> Option<&'n [(Node, Node)]> {
        let Some(entries) = node.as_map() else {
            if node.resolve() != Some(Resolved::Null) {
                let message = format!("{what} must be a mapping, not {}", node.type_name());
                self.error(node.span, message, None);
            }
            return None;
        };
        for (key, _) in entries.iter().filter(|_| !allowed.is_empty()) {
            let name = key.as_str().unwrap_or_default();
            if !allowed.contains(&name) {
                let help = did_you_mean(name, allowed.iter().copied())
                    .unwrap_or_else(|| format!("allowed fields: {}", allowed.join(", ")));
                self.error(
                    key.span,
                    format!("unknown field `{name}` in {what}"),
                    Some(help),
                );
            }
        }
        Some(entries)
    }

    /// A scalar's text; `None` (reported) for a collection or, unless `null_ok`, a null.
    pub(super) fn text(&mut self, node: &Node, what: &str, null_ok: bool) -> Option<String> {
        match node.resolve() {
            Some(Resolved::Null) if null_ok => Some(String::new()),
            Some(Resolved::Null) | None => {
                let message = format!("{what} must be a string, not {}", node.type_name());
                self.error(node.span, message, None);
                None
            }
            Some(_) => node.as_str().map(str::to_string),
        }
    }

    pub(super) fn duration(&mut self, node: &Node, what: &str) -> Option<Duration> {
        let text = self.text(node, what, false)?;
        let duration = prometheus_duration(&text);
        if duration.is_none() {
            self.error(
                node.span,
                format!("{what}: `{text}` is not a Prometheus duration"),
                Some("write a number and a unit, largest unit first: `30s`, `5m`, `1h30m` (units: y, w, d, h, m, s, ms)".to_string()),
            );
        }
        duration
    }

    pub(super) fn pairs(&mut self, node: &Node, what: &str) -> Vec<Pair> {
        let Some(entries) = self.map(node, what, &[]) else {
            return Vec::new();
        };
        let mut pairs = Vec::with_capacity(entries.len());
        for (key, value) in entries {
            let name = key.as_str().unwrap_or_default().to_string();
            let value_what = format!("{what} `{name}`");
            if let Some(text) = self.text(value, &value_what, true) {
                let span = if value.as_str().is_some_and(str::is_empty) {
                    key.span
                } else {
                    value.span
                };
                pairs.push(Pair {
                    name,
                    value: text,
                    span,
                });
            }
        }
        pairs
    }
}

/// An empty span at the start of a mapping's first key (the parser marks a block
/// mapping at its first `:`).
pub(super) fn start_of(node: &Node) -> Span {
    let start = node
        .as_map()
        .and_then(|entries| entries.first())
        .map_or(node.span.start, |(key, _)| {
            key.span.start.min(node.span.start)
        });
    Span::new(start, start)
}

/// A Prometheus duration: `0`, or numbers with units from largest to smallest
/// (`1y2w3d4h5m6s7ms`).
pub(super) fn prometheus_duration(text: &str) -> Option<Duration> {
    const UNITS: [(&str, i64); 7] = [
        ("y", 365 * 86_400_000),
        ("w", 7 * 86_400_000),
        ("d", 86_400_000),
        ("h", 3_600_000),
        ("ms", 1),
        ("m", 60_000),
        ("s", 1_000),
    ];
    const ORDER: [&str; 7] = ["y", "w", "d", "h", "m", "s", "ms"];
    if text == "0" {
        return Some(Duration::from_millis(0));
    }
    let mut rest = text;
    let mut millis: i64 = 0;
    let mut last = None;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let number: i64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let (unit, factor) = UNITS.iter().find(|(u, _)| rest.starts_with(u))?;
        let rank = ORDER.iter().position(|u| u == unit)?;
        if last.is_some_and(|l| l >= rank) {
            return None;
        }
        last = Some(rank);
        millis = millis.checked_add(number.checked_mul(*factor)?)?;
        rest = &rest[unit.len()..];
    }
    last.map(|_| Duration::from_millis(millis))
}
