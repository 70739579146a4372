//! The search index: a script file (`search-index.js`) that sets a global, so search works
//! from `file://` where fetching JSON is not allowed.

use rayon::prelude::*;
use serde::Serialize;
use std::io::Write;

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
    // The index of a large handbook is megabytes of JSON: serialize it in parallel chunks,
    // escaping as it goes instead of copying the whole text again.
    let chunks: Vec<Vec<u8>> = entries
        .par_chunks(256)
        .map(|chunk| {
            let mut buf = Vec::with_capacity(chunk.len() * 512);
            for entry in chunk {
                let mark = buf.len();
                let mut json = serde_json::Serializer::with_formatter(&mut buf, ScriptSafe);
                // Strings cannot fail to serialize; keep the index valid if one ever does.
                if entry.serialize(&mut json).is_err() {
                    buf.truncate(mark);
                    continue;
                }
                buf.push(b',');
            }
            buf
        })
        .collect();
    let mut out = String::with_capacity(chunks.iter().map(Vec::len).sum::<usize>() + 32);
    out.push_str("window.OPSBOOK_SEARCH = [");
    for chunk in &chunks {
        out.push_str(&String::from_utf8_lossy(chunk));
    }
    if out.ends_with(',') {
        out.pop();
    }
    out.push_str("];\n");
    out
}

/// JSON as serde_json writes it, with `</` written `<\/` inside strings: `</script` cannot
/// end anything in a .js file, but the index stays safe to inline in a page too. (serde_json
/// splits a string into fragments only around characters it escapes, and neither `<` nor
/// `/` is one, so a `</` never straddles two fragments.)
struct ScriptSafe;

impl serde_json::ser::Formatter for ScriptSafe {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut rest = fragment;
        while let Some(at) = rest.find("</") {
            writer.write_all(&rest.as_bytes()[..=at])?;
            writer.write_all(b"\\/")?;
            rest = &rest[at + 2..];
        }
        writer.write_all(rest.as_bytes())
    }
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
        assert!(s.contains(r#""t":"A <\/script> title""#), "{s}");
    }

    #[test]
    fn chunks_join_into_the_same_json() {
        assert_eq!(script(&[]), "window.OPSBOOK_SEARCH = [];\n");
        let entries: Vec<Entry> = (0..700)
            .map(|i| Entry {
                t: format!("runbook {i} \"quoted\" </b> ünïcode"),
                u: format!("runbooks/r{i}.html"),
                k: "runbook",
                h: "a\\b\n<</".repeat(i % 3),
                x: "text </script".to_string(),
            })
            .collect();
        let s = script(&entries);
        let json = s
            .strip_prefix("window.OPSBOOK_SEARCH = ")
            .and_then(|j| j.strip_suffix(";\n"))
            .unwrap();
        assert!(!json.contains("</"));
        let parsed: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(parsed, serde_json::to_value(&entries).unwrap());
    }
}
