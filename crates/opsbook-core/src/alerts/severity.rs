//! Which `severity` label values an alert may carry, and the severity ids they stand for.

use crate::config::Config;

/// The `severity` label values understood without `alert_severities` in handbook.yaml,
/// and the severity ids they stand for: the conventions of kube-prometheus and of the
/// SRE workbook.
pub const DEFAULT_ALERT_SEVERITIES: [(&str, &str); 5] = [
    ("critical", "SEV1"),
    ("page", "SEV1"),
    ("warning", "SEV3"),
    ("ticket", "SEV3"),
    ("info", "SEV4"),
];

impl Config {
    /// The severity id an alert's `severity` label stands for: the label itself when it is
    /// on the scale, else its entry in `alert_severities`. Without `alert_severities`,
    /// [`DEFAULT_ALERT_SEVERITIES`] apply, each only when its id is on the scale.
    ///
    /// ```
    /// use opsbook_core::Config;
    /// let config = Config::default();
    /// assert_eq!(config.alert_severity("SEV2"), Some("SEV2"));
    /// assert_eq!(config.alert_severity("critical"), Some("SEV1"));
    /// assert_eq!(config.alert_severity("Critical"), None);
    /// ```
    pub fn alert_severity<'c>(&'c self, label: &str) -> Option<&'c str> {
        let on_scale = |id: &str| self.severity_ids().find(|s| *s == id);
        if let Some(id) = on_scale(label) {
            return Some(id);
        }
        match &self.alert_severities {
            Some(map) => on_scale(map.get(label)?),
            None => DEFAULT_ALERT_SEVERITIES
                .iter()
                .find(|(l, _)| *l == label)
                .and_then(|(_, id)| on_scale(id)),
        }
    }

    /// Every `severity` label value that [`Config::alert_severity`] accepts.
    pub fn alert_severity_labels(&self) -> Vec<&str> {
        let mut labels: Vec<&str> = self.severity_ids().collect();
        match &self.alert_severities {
            Some(map) => labels.extend(map.keys().map(String::as_str)),
            None => labels.extend(DEFAULT_ALERT_SEVERITIES.iter().map(|(l, _)| *l)),
        }
        labels.retain(|l| self.alert_severity(l).is_some());
        labels
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alert_severities_replace_the_defaults_and_must_be_on_the_scale() {
        let mut diags = Vec::new();
        let config = Config::parse("alert_severities:\n  high: SEV2\n  low: SEV9\n", &mut diags);
        assert_eq!(config.alert_severity("high"), Some("SEV2"));
        assert_eq!(config.alert_severity("critical"), None);
        assert_eq!(config.alert_severity("low"), None);
        assert_eq!(
            config.alert_severity_labels(),
            ["SEV1", "SEV2", "SEV3", "SEV4", "high"]
        );
        assert_eq!(diags.len(), 1);
        assert_eq!(
            diags[0].message,
            "`alert_severities.low`: `SEV9` is not on the severity scale"
        );
    }

    #[test]
    fn default_alert_severities_need_their_id_on_the_scale() {
        let mut diags = Vec::new();
        let config = Config::parse("severities:\n  - id: SEV1\n  - id: SEV2\n", &mut diags);
        assert_eq!(config.alert_severity("page"), Some("SEV1"));
        assert_eq!(config.alert_severity("warning"), None);
        assert_eq!(
            config.alert_severity_labels(),
            ["SEV1", "SEV2", "critical", "page"]
        );
    }
}
