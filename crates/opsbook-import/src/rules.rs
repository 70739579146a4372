//! Prometheus rule files in the imported folder, and where their `runbook_url`s lead
//! before and after the import.

use crate::address::normalize;
use opsbook_core::alerts::template::expand;
use std::collections::HashMap;

/// An alert's `runbook_url`, expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunbookUrl {
    /// The rule file.
    pub file: String,
    /// The alert.
    pub alert: String,
    /// The URL.
    pub url: String,
}

/// The `runbook_url`s of `text` when it is a Prometheus rule file (plain `groups:` or a
/// `PrometheusRule`) with at least one alert; `None` for any other YAML file.
pub fn rule_file(rel: &str, text: &str) -> Option<Vec<RunbookUrl>> {
    if !text.contains("groups:") {
        return None;
    }
    let mut diagnostics = Vec::new();
    let alerts = opsbook_core::alerts::parse_file(rel, text, &mut diagnostics);
    if alerts.alerts.is_empty() {
        return None;
    }
    let urls = alerts
        .alerts
        .iter()
        .filter_map(|a| {
            let url = a.runbook_url()?;
            let label = |name: &str| a.label(name).map(|p| p.value.as_str());
            let url = expand(url.value.trim(), &a.name, label).ok()?;
            Some(RunbookUrl {
                file: rel.to_string(),
                alert: a.name.clone(),
                url,
            })
        })
        .collect();
    Some(urls)
}

/// The lookup key of an address: `a/b`, `a/b/` and `a/b/index.html` alike.
pub fn key(address: &str) -> String {
    normalize(address).trim_end_matches('/').to_string()
}

/// The site-relative path of `url` under `base`; `None` when it is elsewhere.
pub fn within<'u>(url: &'u str, base: &str) -> Option<&'u str> {
    let base = base.trim().trim_end_matches('/');
    let head = url.get(..base.len())?;
    let rest = &url[base.len()..];
    (head.eq_ignore_ascii_case(base) && (rest.is_empty() || rest.starts_with(['/', '#', '?'])))
        .then_some(rest)
}

/// The document (by index) that `url` reaches through `addresses` (keys made by [`key`]).
pub fn reach(url: &str, base: Option<&str>, addresses: &HashMap<String, usize>) -> Option<usize> {
    let path = match base {
        Some(b) => within(url, b)?,
        None => url,
    };
    addresses.get(&key(path)).copied()
}

/// For markdown read on GitHub or GitLab: the part of the URLs before a file's path
/// (`https://github.com/org/repo/blob/main/`), the one most URLs share.
pub fn infer_base(urls: &[RunbookUrl], paths: &[&str]) -> Option<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for u in urls {
        let bare = u.url.split(['#', '?']).next().unwrap_or_default();
        let Some(path) = paths.iter().find(|p| bare.ends_with(&format!("/{p}"))) else {
            continue;
        };
        let base = bare[..bare.len() - path.len()].to_string();
        match counts.iter_mut().find(|(b, _)| *b == base) {
            Some(entry) => entry.1 += 1,
            None => counts.push((base, 1)),
        }
    }
    counts.into_iter().max_by_key(|(_, n)| *n).map(|(b, _)| b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_files_and_their_urls() {
        let text = "groups:\n  - name: node\n    rules:\n      - alert: NodeDown\n        expr: up == 0\n        annotations:\n          runbook_url: https://x.dev/runbooks/node/{{ $labels.alertname | toLower }}\n";
        let urls = rule_file("rules/node.yml", text).unwrap();
        assert_eq!(urls[0].url, "https://x.dev/runbooks/node/nodedown");
        assert_eq!(rule_file("mkdocs.yml", "site_name: x\n"), None);
    }

    #[test]
    fn urls_reach_addresses_under_the_base() {
        let addresses = HashMap::from([(key("runbooks/node/nodedown/"), 3)]);
        let base = Some("https://x.dev/");
        assert_eq!(
            reach("https://x.dev/runbooks/node/nodedown", base, &addresses),
            Some(3)
        );
        assert_eq!(
            reach("https://X.dev/runbooks/node/nodedown/#a", base, &addresses),
            Some(3)
        );
        assert_eq!(
            reach("https://y.dev/runbooks/node/nodedown", base, &addresses),
            None
        );
        let urls = [RunbookUrl {
            file: String::new(),
            alert: String::new(),
            url: "https://github.com/o/r/blob/main/runbooks/a.md".into(),
        }];
        assert_eq!(
            infer_base(&urls, &["runbooks/a.md"]).as_deref(),
            Some("https://github.com/o/r/blob/main/")
        );
    }
}
