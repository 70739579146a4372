//! Prometheus alerting rules, read from the files named by `alert_rules` in handbook.yaml.
//!
//! Rule files are plain Prometheus rule files (`groups:`) or Kubernetes `PrometheusRule`
//! resources (`spec.groups`), several YAML documents to a file. They are read next to the
//! handbook ([`read`]): each becomes a [`SourceFile`](crate::handbook::SourceFile), so
//! that diagnostics show excerpts, and their rules an [`Alerts`] on the
//! [`Handbook`](crate::Handbook). [`links`] relates alerts and runbooks both ways, for
//! the checks (OB4xx) and for pages that list alerts.
//!
//! ```
//! use opsbook_core::alerts::parse_file;
//! let text = "groups:\n  - name: api\n    rules:\n      - alert: ApiDown\n        expr: up == 0\n        for: 5m\n        labels: {severity: critical}\n";
//! let mut diagnostics = Vec::new();
//! let alerts = parse_file("alerts/api.yaml", text, &mut diagnostics);
//! assert!(diagnostics.is_empty());
//! let alert = &alerts.alerts[0];
//! assert_eq!((alert.name.as_str(), alert.severity()), ("ApiDown", Some("critical")));
//! assert_eq!(alerts.group_of(alert).name, "api");
//! assert_eq!(alert.for_.unwrap().to_string(), "5m");
//! ```

pub mod links;
mod load;
mod parse;
mod reader;
mod severity;
pub mod template;

pub use load::read;
pub use parse::parse_file;
pub use severity::DEFAULT_ALERT_SEVERITIES;

use crate::model::Duration;
use crate::span::Span;

/// Every rule read from the handbook's rule files.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Alerts {
    /// The rule files that were read (paths relative to the handbook root), in order.
    pub files: Vec<String>,
    /// The rule groups, in file order.
    pub groups: Vec<Group>,
    /// The alerting rules, in file order.
    pub alerts: Vec<Alert>,
    /// The recording rules, in file order.
    pub records: Vec<Record>,
}

/// A rule group.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Its `name`.
    pub name: String,
    /// The rule file, relative to the handbook root.
    pub file: String,
    /// Where the name is written.
    pub span: Span,
    /// The `PrometheusRule` resource it belongs to; `None` in a plain rule file.
    pub resource: Option<Resource>,
    /// How often its rules are evaluated, when it says.
    pub interval: Option<Duration>,
}

/// The identity of a Kubernetes `PrometheusRule` resource.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resource {
    /// `metadata.name`.
    pub name: Option<String>,
    /// `metadata.namespace`.
    pub namespace: Option<String>,
}

/// A label or an annotation, with where its value is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    /// The label or annotation name.
    pub name: String,
    /// Its value as written (templates are not expanded).
    pub value: String,
    /// Where the value is written (for a label inherited from the group, the group's).
    pub span: Span,
}

/// An alerting rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    /// The alert name (`alert:`), which is also its `alertname` label.
    pub name: String,
    /// The rule file, relative to the handbook root.
    pub file: String,
    /// Where the name is written.
    pub span: Span,
    /// Index of its group in [`Alerts::groups`].
    pub group: usize,
    /// The PromQL expression as written.
    pub expr: String,
    /// How long the condition must hold before the alert fires (`for`).
    pub for_: Option<Duration>,
    /// How long the alert keeps firing after the condition clears (`keep_firing_for`).
    pub keep_firing_for: Option<Duration>,
    /// Its labels in source order: the group's `labels`, then the rule's (a rule label
    /// replaces a group label of the same name).
    pub labels: Vec<Pair>,
    /// Its annotations in source order.
    pub annotations: Vec<Pair>,
}

impl Alert {
    /// The label `name`.
    pub fn label(&self, name: &str) -> Option<&Pair> {
        self.labels.iter().find(|p| p.name == name)
    }

    /// The annotation `name`.
    pub fn annotation(&self, name: &str) -> Option<&Pair> {
        self.annotations.iter().find(|p| p.name == name)
    }

    /// The `severity` label's value.
    pub fn severity(&self) -> Option<&str> {
        self.label("severity").map(|p| p.value.as_str())
    }

    /// The `runbook_url` annotation, when it is present and not blank.
    pub fn runbook_url(&self) -> Option<&Pair> {
        self.annotation("runbook_url")
            .filter(|p| !p.value.trim().is_empty())
    }
}

/// A recording rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The name of the series it records (`record:`).
    pub name: String,
    /// The rule file, relative to the handbook root.
    pub file: String,
    /// Where the name is written.
    pub span: Span,
    /// Index of its group in [`Alerts::groups`].
    pub group: usize,
    /// The PromQL expression as written.
    pub expr: String,
}

impl Alerts {
    /// The group of `alert`.
    pub fn group_of(&self, alert: &Alert) -> &Group {
        &self.groups[alert.group]
    }

    /// The alerting rules named `name` (a name may have several rules, e.g. one per
    /// severity threshold).
    pub fn named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Alert> + 'a {
        self.alerts.iter().filter(move |a| a.name == name)
    }

    /// Appends `other`, renumbering its group indexes.
    pub fn extend(&mut self, other: Alerts) {
        let offset = self.groups.len();
        self.files.extend(other.files);
        self.groups.extend(other.groups);
        self.alerts.extend(other.alerts.into_iter().map(|mut a| {
            a.group += offset;
            a
        }));
        self.records.extend(other.records.into_iter().map(|mut r| {
            r.group += offset;
            r
        }));
    }
}
