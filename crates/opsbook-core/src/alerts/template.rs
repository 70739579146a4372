//! Expanding a templated `runbook_url` for one alert, as its author means it.
//!
//! Understood: `%s` (the alert name, the convention of monitoring mixins), and Go template
//! actions over what a rule knows statically: `{{ $labels.NAME }}`, `{{ .Labels.NAME }}`,
//! `{{ index $labels "NAME" }}`, string literals, the functions `toLower`, `toUpper`,
//! `title` and `urlquery` in pipelines, `{{- -}}` trim markers and `{{/* comments */}}`.
//! `alertname` is the alert's name; other labels are those the rule (or its group) sets.
//! Anything else — `$value`, `$externalLabels`, a label that only the series has — is
//! known only when the alert fires: such a URL is [`ExpandError::Dynamic`].
//!
//! Prometheus itself (and Thanos, Mimir and vmalert alike) expands annotations with the
//! labels of the series the expression returns only: `alertname` and the rule's own
//! `labels` come out empty, and `%s` is sent as written. [`unfilled`] finds those parts,
//! so that a check can say that the link a page carries differs from the one meant.
//!
//! ```
//! use opsbook_core::alerts::template::expand;
//! let labels = |name: &str| (name == "team").then_some("sre");
//! let url = "https://h.example.com/runbooks/{{ $labels.team }}.html#{{ $labels.alertname | toLower }}";
//! assert_eq!(
//!     expand(url, "DiskFull", labels).unwrap(),
//!     "https://h.example.com/runbooks/sre.html#diskfull"
//! );
//! assert_eq!(expand("https://h.example.com/r/%s", "DiskFull", labels).unwrap(), "https://h.example.com/r/DiskFull");
//! ```

use std::fmt;

/// Why a URL template could not be expanded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExpandError {
    /// The URL depends on a value known only when the alert fires.
    #[error("it depends on {0}, known only when the alert fires")]
    Dynamic(String),
    /// The template is malformed.
    #[error("{0}")]
    Invalid(String),
}

/// Expands `template` for the alert `alertname`, whose static labels `label` looks up.
pub fn expand<'l>(
    template: &str,
    alertname: &str,
    label: impl Fn(&str) -> Option<&'l str>,
) -> Result<String, ExpandError> {
    let mut out = String::with_capacity(template.len() + alertname.len());
    let mut rest = template;
    let mut trim_next = false;
    while let Some(open) = rest.find("{{") {
        push_text(&mut out, &rest[..open], trim_next, alertname);
        let after = &rest[open + 2..];
        let close = after
            .find("}}")
            .ok_or_else(|| ExpandError::Invalid("a `{{` is never closed with `}}`".into()))?;
        let mut action = &after[..close];
        if let Some(inner) = action
            .strip_prefix('-')
            .filter(|a| a.starts_with(char::is_whitespace))
        {
            out.truncate(out.trim_end().len());
            action = inner;
        }
        trim_next = false;
        if let Some(inner) = action
            .strip_suffix('-')
            .filter(|a| a.ends_with(char::is_whitespace))
        {
            trim_next = true;
            action = inner;
        }
        out.push_str(&evaluate(action.trim(), alertname, &label)?);
        rest = &after[close + 2..];
    }
    push_text(&mut out, rest, trim_next, alertname);
    Ok(out)
}

/// Appends literal text, with `%s` replaced by the alert name.
fn push_text(out: &mut String, text: &str, trim_start: bool, alertname: &str) {
    let text = if trim_start { text.trim_start() } else { text };
    let mut pieces = text.split("%s");
    out.push_str(pieces.next().unwrap_or_default());
    for piece in pieces {
        out.push_str(alertname);
        out.push_str(piece);
    }
}

/// Evaluates one action: a pipeline of a value and functions.
fn evaluate<'l>(
    action: &str,
    alertname: &str,
    label: &impl Fn(&str) -> Option<&'l str>,
) -> Result<String, ExpandError> {
    if action.starts_with("/*") && action.ends_with("*/") {
        return Ok(String::new());
    }
    let mut stages = split_pipeline(action).into_iter();
    let first = stages.next().unwrap_or_default();
    let mut value = operand(first, alertname, label)?;
    for function in stages {
        value = match function {
            "toLower" => value.to_lowercase(),
            "toUpper" => value.to_uppercase(),
            "title" => title(&value),
            "urlquery" => query_escape(&value),
            other => {
                return Err(ExpandError::Dynamic(format!(
                    "the template function `{other}`, which opsbook does not evaluate"
                )));
            }
        };
    }
    Ok(value)
}

/// The first command of a pipeline.
fn operand<'l>(
    command: &str,
    alertname: &str,
    label: &impl Fn(&str) -> Option<&'l str>,
) -> Result<String, ExpandError> {
    if command.is_empty() {
        return Err(ExpandError::Invalid("an empty `{{ }}` action".into()));
    }
    if let Some(literal) = string_literal(command) {
        return Ok(literal);
    }
    let Some(name) = label_name(command) else {
        return Err(ExpandError::Dynamic(format!("`{command}`")));
    };
    let name = name.as_str();
    if name == "alertname" {
        return Ok(alertname.to_string());
    }
    match label(name) {
        Some(value) if value.contains("{{") => Err(ExpandError::Dynamic(format!(
            "the label `{name}`, which is itself a template"
        ))),
        Some(value) => Ok(value.to_string()),
        None => Err(ExpandError::Dynamic(format!(
            "the label `{name}`, which the rule does not set (it comes from the series)"
        ))),
    }
}

/// The label an operand reads: `$labels.NAME`, `.Labels.NAME`, `index $labels "NAME"`.
fn label_name(command: &str) -> Option<String> {
    if let Some(name) = command
        .strip_prefix("$labels.")
        .or_else(|| command.strip_prefix(".Labels."))
    {
        return Some(name.to_string());
    }
    let args = command.strip_prefix("index ")?.trim_start();
    let key = args
        .strip_prefix("$labels")
        .or_else(|| args.strip_prefix(".Labels"))?;
    if !key.starts_with(char::is_whitespace) {
        return None;
    }
    string_literal(key.trim())
}

/// `"text"` or `` `text` `` as the string it denotes (simple escapes only).
fn string_literal(text: &str) -> Option<String> {
    if let Some(raw) = text.strip_prefix('`').and_then(|t| t.strip_suffix('`')) {
        return Some(raw.to_string());
    }
    let inner = text.strip_prefix('"')?.strip_suffix('"')?;
    Some(inner.replace("\\\"", "\"").replace("\\\\", "\\"))
}

/// Splits a pipeline at `|` outside string literals.
fn split_pipeline(action: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut quote = None;
    let mut start = 0;
    for (i, c) in action.char_indices() {
        match (quote, c) {
            (None, '"' | '`') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '|') => {
                parts.push(action[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(action[start..].trim());
    parts
}

/// Go's `strings.Title`: the first letter of every word in upper case.
fn title(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at_word_start = true;
    for c in text.chars() {
        if at_word_start {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        at_word_start = !c.is_alphanumeric() && c != '_' && c != '\'';
    }
    out
}

/// Go's `url.QueryEscape`.
fn query_escape(text: &str) -> String {
    struct Escaped<'a>(&'a str);
    impl fmt::Display for Escaped<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            for b in self.0.bytes() {
                match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                        write!(f, "{}", b as char)?;
                    }
                    b' ' => f.write_str("+")?,
                    _ => write!(f, "%{b:02X}")?,
                }
            }
            Ok(())
        }
    }
    Escaped(text).to_string()
}

/// A part of a `runbook_url` template that Prometheus does not fill in when it fires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unfilled {
    /// `%s`, which Prometheus sends as written (monitoring-mixin generators replace it
    /// when they write the rule file).
    PercentS,
    /// A label that the series of the alert's expression do not carry: `alertname`, or
    /// a label the rule sets under `labels`.
    Label(String),
}

/// The parts of `template` that Prometheus leaves unfilled for an alerting rule with the
/// expression `expr`, whose own labels `is_rule_label` knows. A rule label that `expr`
/// mentions (`sum by (service) (…)`) is assumed to be on the series too.
///
/// ```
/// use opsbook_core::alerts::template::{Unfilled, unfilled};
/// let url = "https://h.example.com/runbooks/{{ $labels.service }}.html#{{ $labels.alertname | toLower }}";
/// let rule_label = |name: &str| name == "service";
/// assert_eq!(
///     unfilled(url, "up == 0", rule_label),
///     [Unfilled::Label("service".into()), Unfilled::Label("alertname".into())]
/// );
/// assert_eq!(unfilled(url, "sum by (service) (up) == 0", rule_label), [Unfilled::Label("alertname".into())]);
/// ```
pub fn unfilled(template: &str, expr: &str, is_rule_label: impl Fn(&str) -> bool) -> Vec<Unfilled> {
    let mut found = Vec::new();
    let mut push = |item: Unfilled| {
        if !found.contains(&item) {
            found.push(item);
        }
    };
    let mut rest = template;
    loop {
        let open = rest.find("{{").unwrap_or(rest.len());
        if rest[..open].contains("%s") {
            push(Unfilled::PercentS);
        }
        let Some(close) = rest.get(open + 2..).and_then(|after| after.find("}}")) else {
            break;
        };
        let action =
            rest[open + 2..open + 2 + close].trim_matches(|c: char| c == '-' || c.is_whitespace());
        let first = split_pipeline(action)
            .into_iter()
            .next()
            .unwrap_or_default();
        if let Some(name) = label_name(first) {
            if (name == "alertname" || is_rule_label(&name)) && !mentions(expr, &name) {
                push(Unfilled::Label(name));
            }
        }
        rest = &rest[open + 2 + close + 2..];
    }
    found
}

/// Whether `expr` has `name` as a whole word.
fn mentions(expr: &str, name: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == ':';
    expr.match_indices(name)
        .any(|(at, _)| !expr[..at].ends_with(word) && !expr[at + name.len()..].starts_with(word))
}

#[cfg(test)]
#[path = "template_tests.rs"]
mod tests;
