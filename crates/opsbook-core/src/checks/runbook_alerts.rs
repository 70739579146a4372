//! Runbooks that list alerts no rule defines (OB405), run by [`super::alerts`].

use crate::alerts::links::AlertLinks;
use crate::diagnostic::Diagnostic;
use crate::handbook::Handbook;
use crate::rules::Rule;
use crate::span::Span;
use crate::suggest::did_you_mean;
use std::collections::{HashMap, HashSet};

/// OB405: runbooks that list alerts no rule defines.
pub(super) fn check(handbook: &Handbook, links: &AlertLinks<'_>, out: &mut Vec<Diagnostic>) {
    let mut suggestions = Suggestions::new(handbook);
    for (doc, listed) in &links.listed {
        for item in listed {
            if !links.defined(item.name).is_empty() {
                continue;
            }
            // A heading that explains an alert `alerts:` already lists is reported there.
            if item.heading && listed.iter().any(|l| !l.heading && l.name == item.name) {
                continue;
            }
            let message = if item.heading {
                format!(
                    "the heading `{}` names an alert that no alerting rule defines",
                    item.name
                )
            } else {
                format!(
                    "`alerts` lists `{}`, which no alerting rule defines",
                    item.name
                )
            };
            let help = if handbook.alerts.records.iter().any(|r| r.name == item.name) {
                Some(format!("`{}` is a recording rule, not an alert", item.name))
            } else {
                suggestions.get(item.name)
            }
            .unwrap_or_else(|| {
                "no rule file of `alert_rules` defines it: fix the name, or remove it if the alert is gone".to_string()
            });
            // A heading's span runs to the next line: end it with the heading's text.
            let text = handbook.text_of(doc);
            let written = text.get(item.span.range()).unwrap_or_default();
            let span = Span::new(item.span.start, item.span.start + written.trim_end().len());
            out.push(Diagnostic::new(Rule::UnknownAlert, &doc.path, span, message).with_help(help));
        }
    }
}

/// "Did you mean" for alert names that no rule defines, with bounded work: thousands of
/// unknown names against thousands of rules (a glob that misses most rule files) must
/// not make the check slow. Each distinct name is looked up once, among the defined
/// names with the same initial, until [`Suggestions::BUDGET`] comparisons are spent;
/// after that the help is the generic one.
struct Suggestions<'h> {
    by_initial: HashMap<char, Vec<&'h str>>,
    cache: HashMap<&'h str, Option<String>>,
    budget: usize,
}

impl<'h> Suggestions<'h> {
    const BUDGET: usize = 1_000_000;

    fn new(handbook: &'h Handbook) -> Suggestions<'h> {
        let mut seen = HashSet::new();
        let mut by_initial: HashMap<char, Vec<&str>> = HashMap::new();
        for alert in &handbook.alerts.alerts {
            let name = alert.name.as_str();
            if seen.insert(name) {
                by_initial.entry(initial(name)).or_default().push(name);
            }
        }
        Suggestions {
            by_initial,
            cache: HashMap::new(),
            budget: Suggestions::BUDGET,
        }
    }

    fn get(&mut self, name: &'h str) -> Option<String> {
        if let Some(cached) = self.cache.get(name) {
            return cached.clone();
        }
        let candidates = self
            .by_initial
            .get(&initial(name))
            .map_or(&[][..], Vec::as_slice);
        let suggestion = if candidates.len() <= self.budget {
            self.budget -= candidates.len();
            did_you_mean(name, candidates.iter().copied())
        } else {
            None
        };
        self.cache.insert(name, suggestion.clone());
        suggestion
    }
}

fn initial(name: &str) -> char {
    name.chars().next().map_or(' ', |c| c.to_ascii_lowercase())
}
