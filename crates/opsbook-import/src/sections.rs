//! The section template the imported documents follow, so that `runbook_sections` (and
//! `postmortem_sections`) name the sections the files use instead of opsbook's defaults.

/// What the documents of one kind share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    /// The level-2 sections used by more than half of the documents, in their usual
    /// order; empty when no section is.
    pub sections: Vec<String>,
    /// How many documents have every one of them, in that order.
    pub followed_by: usize,
    /// How many documents there are.
    pub of: usize,
}

/// The template of documents whose level-2 section titles are `docs`; `None` when
/// there are no documents, or when every one of them already has every section of
/// `defaults` (opsbook's template then fits as it is).
pub fn infer(docs: &[Vec<String>], defaults: &[String]) -> Option<Template> {
    if docs.is_empty() {
        return None;
    }
    let same = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
    let has_all = |titles: &[String], wanted: &[String]| {
        let mut at = 0;
        for w in wanted {
            match titles[at..].iter().position(|t| same(t, w)) {
                Some(i) => at += i + 1,
                None => return false,
            }
        }
        true
    };
    if docs.iter().all(|d| has_all(d, defaults)) {
        return None;
    }
    // Each title as first written, with how many documents use it and its mean position.
    let mut seen: Vec<(String, usize, f64)> = Vec::new();
    for titles in docs {
        for (i, title) in titles.iter().enumerate() {
            if titles[..i].iter().any(|t| same(t, title)) {
                continue;
            }
            let position = i as f64 / titles.len().max(1) as f64;
            match seen.iter_mut().find(|(t, _, _)| same(t, title)) {
                Some(entry) => {
                    entry.1 += 1;
                    entry.2 += position;
                }
                None => seen.push((title.trim().to_string(), 1, position)),
            }
        }
    }
    let mut shared: Vec<(String, usize, f64)> = seen
        .into_iter()
        .filter(|(_, count, _)| count * 2 > docs.len())
        .collect();
    shared.sort_by(|a, b| (a.2 / a.1 as f64).total_cmp(&(b.2 / b.1 as f64)));
    let sections: Vec<String> = shared.into_iter().map(|(t, _, _)| t).collect();
    let followed_by = docs.iter().filter(|d| has_all(d, &sections)).count();
    Some(Template {
        sections,
        followed_by,
        of: docs.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_shared_sections_in_their_order() {
        let docs = [
            s(&["Meaning", "Impact", "Diagnosis", "Mitigation"]),
            s(&["Meaning", "Impact", "Diagnosis", "Mitigation", "Links"]),
            s(&["Meaning", "Diagnosis", "Mitigation"]),
        ];
        let t = infer(&docs, &s(&["Summary"])).unwrap();
        assert_eq!(
            t.sections,
            s(&["Meaning", "Impact", "Diagnosis", "Mitigation"])
        );
        assert_eq!((t.followed_by, t.of), (2, 3));
    }

    #[test]
    fn nothing_shared_gives_no_sections_and_opsbook_templates_stay() {
        let docs = [s(&["Steps"]), s(&["How to"])];
        assert_eq!(
            infer(&docs, &s(&["Summary"])).unwrap().sections,
            Vec::<String>::new()
        );
        let fits = [s(&["Summary", "Alerts", "Extra"])];
        assert_eq!(infer(&fits, &s(&["Summary", "Alerts"])), None);
    }
}
