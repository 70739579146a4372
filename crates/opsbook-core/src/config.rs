//! `handbook.yaml`: the handbook's settings. Every field has a default.

use crate::diagnostic::{Diagnostic, Level};
use crate::frontmatter::{parse_yaml, read_typed, required_keys};
use crate::model::Duration;
use crate::permalink::Permalinks;
use crate::rules::Rule;
use crate::suggest::did_you_mean;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The name of the settings file at the handbook root.
pub const CONFIG_FILE: &str = "handbook.yaml";

/// One step of the severity scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Severity {
    /// The id postmortems use, e.g. `SEV1`.
    pub id: String,
    /// A label, e.g. `Critical`.
    pub label: Option<String>,
    /// What qualifies an incident for this severity.
    pub description: Option<String>,
}

/// A rule's level in this handbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RuleLevel {
    /// Report as an error.
    Error,
    /// Report as a warning.
    Warning,
    /// Do not run.
    Off,
}

/// An incident time-point that statistics can measure from or to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum TimePoint {
    /// When the problem began.
    Started,
    /// When it was noticed.
    Detected,
    /// When the incident was opened.
    Declared,
    /// When the page was acknowledged.
    Acknowledged,
    /// When customer impact stopped.
    Mitigated,
    /// When it was repaired.
    Resolved,
    /// When the postmortem was published.
    Published,
}

/// A duration metric: from one time-point (the first present of a list) to another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Metric {
    /// A readable name, e.g. "Mean time to repair".
    pub title: Option<String>,
    /// The start: the first of these time-points the incident has.
    pub from: Vec<TimePoint>,
    /// The end.
    pub to: TimePoint,
}

/// Which figures `stats` and the site compute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatsConfig {
    /// Duration metrics by name (defaults: MTTD, MTTA, MTTM, MTTR, postmortem lead time).
    #[serde(default = "default_metrics")]
    pub metrics: BTreeMap<String, Metric>,
    /// Severities whose incidents are charged to every SLO of their services when they
    /// name no `slo_impact`. The default, none, charges an incident only to the SLOs its
    /// `slo_impact` names: a minor incident that says nothing of SLOs spends no budget.
    #[serde(default)]
    pub charge_without_slo_impact: Vec<String>,
}

impl Default for StatsConfig {
    fn default() -> Self {
        StatsConfig {
            metrics: default_metrics(),
            charge_without_slo_impact: Vec::new(),
        }
    }
}

fn metric(title: &str, from: &[TimePoint], to: TimePoint) -> Metric {
    Metric {
        title: Some(title.to_string()),
        from: from.to_vec(),
        to,
    }
}

fn default_metrics() -> BTreeMap<String, Metric> {
    use TimePoint::*;
    BTreeMap::from([
        (
            "MTTD".into(),
            metric("Mean time to detect", &[Started], Detected),
        ),
        (
            "MTTA".into(),
            metric("Mean time to acknowledge", &[Detected], Acknowledged),
        ),
        (
            "MTTM".into(),
            metric("Mean time to mitigate", &[Started], Mitigated),
        ),
        (
            "MTTR".into(),
            metric(
                "Mean time to resolve",
                &[Started, Detected, Declared],
                Resolved,
            ),
        ),
        (
            "postmortem_lead_time".into(),
            metric("Postmortem lead time", &[Resolved], Published),
        ),
    ])
}

/// The settings of a handbook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The handbook's name.
    #[serde(default = "default_title")]
    pub title: String,
    /// Where the site is published, e.g. `https://handbook.example.com/`.
    pub base_url: Option<String>,
    /// The severity scale, most severe first.
    #[serde(default = "default_severities")]
    pub severities: Vec<Severity>,
    /// How often runbooks are reviewed unless they say otherwise.
    #[serde(default = "default_review_every")]
    pub review_every: Duration,
    /// How long after resolution a postmortem must be published.
    #[serde(default = "default_postmortem_due")]
    pub postmortem_due: Duration,
    /// The level-2 sections every runbook has, in order.
    #[serde(default = "default_runbook_sections")]
    pub runbook_sections: Vec<String>,
    /// The level-2 sections every postmortem has, in order.
    #[serde(default = "default_postmortem_sections")]
    pub postmortem_sections: Vec<String>,
    /// The page address of each kind, e.g. `{runbook: "runbooks/{slug}/"}` (see
    /// [`crate::permalink`]); a kind left out keeps its source path with `.html`.
    #[serde(default)]
    pub permalinks: Permalinks,
    /// Globs of Prometheus rule files, relative to the handbook.
    #[serde(default)]
    pub alert_rules: Vec<String>,
    /// Prometheus `severity` label values and the severity ids they stand for, e.g.
    /// `{critical: SEV1, warning: SEV3}`. Without it, `critical` and `page` stand for SEV1,
    /// `warning` and `ticket` for SEV3 and `info` for SEV4 (each when on the scale); given,
    /// it replaces those defaults.
    pub alert_severities: Option<BTreeMap<String, String>>,
    /// Rule levels by code or name, e.g. `OB301: off`.
    #[serde(default)]
    pub rules: BTreeMap<String, RuleLevel>,
    /// Statistics settings.
    #[serde(default)]
    pub stats: StatsConfig,
    /// Whether raw HTML in markdown is kept as written (default: sanitized).
    #[serde(default)]
    pub raw_html: bool,
    /// Globs of files and folders that are not part of the handbook.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Free-form data for templates.
    #[serde(default)]
    pub extra: crate::model::Extra,
}

fn default_title() -> String {
    "Handbook".to_string()
}

fn default_severities() -> Vec<Severity> {
    [
        ("SEV1", "Critical"),
        ("SEV2", "Major"),
        ("SEV3", "Minor"),
        ("SEV4", "Low"),
    ]
    .into_iter()
    .map(|(id, label)| Severity {
        id: id.to_string(),
        label: Some(label.to_string()),
        description: None,
    })
    .collect()
}

fn default_review_every() -> Duration {
    Duration::from_days(90)
}

fn default_postmortem_due() -> Duration {
    Duration::from_days(30)
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn default_runbook_sections() -> Vec<String> {
    strings(&[
        "Summary",
        "Service SLA",
        "Escalation path",
        "Incident workflow",
        "Monitoring",
        "Alerts",
        "Postmortems",
        "Doc",
    ])
}

fn default_postmortem_sections() -> Vec<String> {
    strings(&[
        "Summary",
        "Impact",
        "Timeline",
        "Root cause",
        "Resolution",
        "Detection",
        "Action items",
        "Lessons learned",
    ])
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: default_title(),
            base_url: None,
            severities: default_severities(),
            review_every: default_review_every(),
            postmortem_due: default_postmortem_due(),
            runbook_sections: default_runbook_sections(),
            postmortem_sections: default_postmortem_sections(),
            permalinks: Permalinks::default(),
            alert_rules: Vec::new(),
            alert_severities: None,
            rules: BTreeMap::new(),
            stats: StatsConfig::default(),
            raw_html: false,
            exclude: Vec::new(),
            extra: Default::default(),
        }
    }
}

impl Config {
    /// Parses `handbook.yaml`. Problems become diagnostics; the defaults fill in for
    /// whatever could not be read.
    ///
    /// ```
    /// use opsbook_core::Config;
    /// let mut diagnostics = Vec::new();
    /// let config = Config::parse("review_every: 30d\n", &mut diagnostics);
    /// assert_eq!(config.review_every.to_string(), "30d");
    /// assert_eq!(config.severities.len(), 4);
    /// assert!(diagnostics.is_empty());
    /// ```
    pub fn parse(text: &str, diagnostics: &mut Vec<Diagnostic>) -> Config {
        let text_start = usize::from(text.starts_with('\u{feff}')) * 3;
        let node = match parse_yaml(&text[text_start..], text_start, CONFIG_FILE) {
            Ok(Some(node)) => node,
            Ok(None) => return Config::default(),
            Err(d) => {
                diagnostics.push(d);
                return Config::default();
            }
        };
        let config: Config = read_typed(
            &node,
            &required_keys::<Config>(),
            "handbook.yaml",
            CONFIG_FILE,
            diagnostics,
        )
        .unwrap_or_default();
        if let Some((_, rules)) = node.entry("rules") {
            for (key, _) in rules.as_map().unwrap_or_default() {
                let name = key.as_str().unwrap_or_default();
                if Rule::find(name).is_none() {
                    let names = Rule::ALL.iter().flat_map(|r| [r.code(), r.name()]);
                    diagnostics.push(
                        Diagnostic::new(
                            Rule::InvalidValue,
                            CONFIG_FILE,
                            key.span,
                            format!("`rules`: `{name}` is not a rule code or name"),
                        )
                        .with_help(
                            did_you_mean(name, names).unwrap_or_else(|| {
                                "run `opsbook check --explain all` for the list of rules"
                                    .to_string()
                            }),
                        ),
                    );
                }
            }
        }
        // Severity ids named by other settings must be on the scale: (setting, YAML path, id).
        let mut named: Vec<(String, Vec<String>, &String)> = Vec::new();
        for (label, id) in config.alert_severities.iter().flatten() {
            let setting = format!("alert_severities.{label}");
            named.push((setting, vec!["alert_severities".into(), label.clone()], id));
        }
        for (i, id) in config.stats.charge_without_slo_impact.iter().enumerate() {
            let path = ["stats", "charge_without_slo_impact", &i.to_string()].map(String::from);
            named.push(("stats.charge_without_slo_impact".into(), path.to_vec(), id));
        }
        for (setting, path, id) in named {
            if config.severity_ids().any(|s| s == id) {
                continue;
            }
            let steps: Vec<&str> = path.iter().map(String::as_str).collect();
            let span = node.at(&steps).map_or(node.span, |n| n.span);
            diagnostics.push(
                Diagnostic::new(
                    Rule::InvalidValue,
                    CONFIG_FILE,
                    span,
                    format!("`{setting}`: `{id}` is not on the severity scale"),
                )
                .with_help_opt(did_you_mean(id, config.severity_ids())),
            );
        }
        if config.severities.is_empty() {
            if let Some(span) = node.get("severities").map(|n| n.span) {
                diagnostics.push(Diagnostic::new(
                    Rule::InvalidValue,
                    CONFIG_FILE,
                    span,
                    "`severities` must list at least one severity",
                ));
            }
        }
        config
    }

    /// The level of `rule` in this handbook; `None` when it is turned off.
    pub fn level(&self, rule: Rule) -> Option<Level> {
        let setting = self
            .rules
            .get(rule.code())
            .or_else(|| self.rules.get(rule.name()));
        match setting {
            None => Some(rule.default_level()),
            Some(RuleLevel::Error) => Some(Level::Error),
            Some(RuleLevel::Warning) => Some(Level::Warning),
            Some(RuleLevel::Off) => None,
        }
    }

    /// The ids of the severity scale, most severe first.
    pub fn severity_ids(&self) -> impl Iterator<Item = &str> {
        self.severities.iter().map(|s| s.id.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_overrides_accept_codes_and_names() {
        let mut diags = Vec::new();
        let config = Config::parse(
            "rules:\n  OB301: off\n  unknown-person: error\n",
            &mut diags,
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(config.level(Rule::StaleRunbook), None);
        assert_eq!(config.level(Rule::UnknownPerson), Some(Level::Error));
        assert_eq!(config.level(Rule::BrokenLink), Some(Level::Error));
    }

    #[test]
    fn severities_charged_without_slo_impact_must_be_on_the_scale() {
        let text = "stats:\n  charge_without_slo_impact: [SEV1, SEV5]\n";
        let mut diags = Vec::new();
        let config = Config::parse(text, &mut diags);
        assert_eq!(config.stats.charge_without_slo_impact, ["SEV1", "SEV5"]);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].rule, Rule::InvalidValue);
        assert_eq!(
            diags[0].message,
            "`stats.charge_without_slo_impact`: `SEV5` is not on the severity scale"
        );
        assert_eq!(&text[diags[0].span.range()], "SEV5");
        assert_eq!(diags[0].help.as_deref(), Some("did you mean `SEV4`?"));
    }

    #[test]
    fn unknown_rules_and_keys_are_reported() {
        let mut diags = Vec::new();
        let config = Config::parse("titel: X\nrules:\n  stale-runbok: off\n", &mut diags);
        let got: Vec<_> = diags
            .iter()
            .map(|d| (d.rule.code(), d.help.clone().unwrap()))
            .collect();
        assert_eq!(
            got,
            [
                ("OB010", "did you mean `title`?".to_string()),
                ("OB012", "did you mean `stale-runbook`?".to_string()),
            ]
        );
        assert_eq!(config.title, "Handbook");
    }
}
