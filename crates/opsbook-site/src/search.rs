//! The search index: a script file (`search-index.js`) that sets a global, so search works
//! from `file://` where fetching JSON is not allowed.

use serde::Serialize;

/// How many characters of each body go into the index.
pub const TEXT_LIMIT: usize = 600;

/// One searchable page.
#[derive(Debug, Serialize)]
pub struct Entry {
    /// Title.
    pub t: String,
    /// URL, relative to the site root.
    pub u: String,
    /// Kind: `runbook`, `postmortem`, …
    pub k: &'static str,
    /// Headings, alert names, tags, services: what on-call engineers type.
    pub h: String,
    /// The start of the body text.
    pub x: String,
}

/// The script that defines `window.OPSBOOK_SEARCH`.
pub fn script(entries: &[Entry]) -> String {
    let json = serde_json::to_string(entries).unwrap_or_else(|_| "[]".to_string());
    // `</script` cannot end anything in a .js file, but keep the file safe to inline too.
    let json = json.replace("</", "<\\/");
    format!("window.OPSBOOK_SEARCH = {json};\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_is_a_script() {
        let s = script(&[Entry {
            t: "A </script> title".into(),
            u: "runbooks/a.html".into(),
            k: "runbook",
            h: String::new(),
            x: String::new(),
        }]);
        assert!(s.starts_with("window.OPSBOOK_SEARCH = [{"));
        assert!(!s.contains("</script>"));
    }
}
