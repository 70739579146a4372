//! Diagnostics: what checks find, as data. Printers live in [`crate::render`].

use crate::rules::Rule;
use crate::span::Span;
use serde::Serialize;
use std::fmt;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Fails `opsbook check`.
    Error,
    /// Reported; fails only with `--strict`.
    Warning,
}

impl Level {
    /// `error` or `warning`.
    pub fn name(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One finding: a rule, a level, a place, a message and a hint.
///
/// ```
/// use opsbook_core::{Diagnostic, Rule, span::Span};
/// let d = Diagnostic::new(Rule::UnknownReference, "runbooks/x.md", Span::new(10, 15), "unknown service `logn`")
///     .with_help("did you mean `login`?");
/// assert_eq!(d.rule.code(), "OB201");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule that found it.
    pub rule: Rule,
    /// Its level (the rule's default, or the handbook's override).
    pub level: Level,
    /// The file, relative to the handbook root, with `/` separators.
    pub file: String,
    /// Where in the file.
    pub span: Span,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic at the rule's default level.
    pub fn new(
        rule: Rule,
        file: impl Into<String>,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            rule,
            level: rule.default_level(),
            file: file.into(),
            span,
            message: message.into(),
            help: None,
        }
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a help line when there is one.
    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }
}

/// A count of findings by level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Errors.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
}

impl Summary {
    /// Counts `diagnostics`.
    pub fn of(diagnostics: &[Diagnostic]) -> Summary {
        let errors = diagnostics
            .iter()
            .filter(|d| d.level == Level::Error)
            .count();
        Summary {
            errors,
            warnings: diagnostics.len() - errors,
        }
    }
}
