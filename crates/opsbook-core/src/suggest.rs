//! "Did you mean …?" suggestions.

/// The candidate closest to `word`, if one is close enough to be a likely typo.
///
/// ```
/// use opsbook_core::suggest::closest;
/// assert_eq!(closest("reviwed", ["reviewed", "review_every", "title"]), Some("reviewed"));
/// assert_eq!(closest("zzz", ["reviewed", "title"]), None);
/// ```
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.82)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// `did you mean `x`?` when a candidate is close enough.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(word, candidates).map(|c| format!("did you mean `{c}`?"))
}
