//! Build-time syntax highlighting of code blocks (syntect, pure-Rust regexes).
//!
//! Output is classed HTML (`<span class="hl-keyword">`), so the stylesheet colours it
//! for both the light and the dark theme. The syntax sets are loaded once, on first use.

use std::sync::OnceLock;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxDefinition, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// The class prefix of highlighted tokens.
const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// opsbook's own lean grammars, for the languages runbooks are full of.
const GRAMMARS: [&str; 2] = [
    include_str!("../syntaxes/promql.sublime-syntax"),
    include_str!("../syntaxes/shell.sublime-syntax"),
];

/// Syntect's default syntaxes (a fast binary load).
fn defaults() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// A set of opsbook's own grammars (PromQL, and a lean shell grammar whose plain regexes
/// run several times faster than the default Bash grammar's look-arounds). Adding them
/// to the defaults would re-link every syntax (a fifth of a second per build); a set of
/// their own builds in microseconds.
fn own() -> Option<&'static SyntaxSet> {
    static SET: OnceLock<Option<SyntaxSet>> = OnceLock::new();
    SET.get_or_init(|| {
        let mut builder = syntect::parsing::SyntaxSetBuilder::new();
        for grammar in GRAMMARS {
            builder.add(SyntaxDefinition::load_from_str(grammar, true, None).ok()?);
        }
        Some(builder.build())
    })
    .as_ref()
}

/// The syntax for a fence's language tag, with the aliases runbooks use, and its set.
fn syntax_for(lang: &str) -> Option<(&'static SyntaxReference, &'static SyntaxSet)> {
    let token = match lang.to_ascii_lowercase().as_str() {
        "sh" | "shell" | "console" | "kubectl" | "zsh" | "bash" => {
            let set = own()?;
            return Some((set.find_syntax_by_name("Shell (opsbook)")?, set));
        }
        "yml" => "yaml".to_string(),
        "promql" | "prometheus" | "logql" => {
            let set = own()?;
            return Some((set.find_syntax_by_name("PromQL")?, set));
        }
        "postgres" | "postgresql" | "psql" | "mysql" => "sql".to_string(),
        other => other.to_string(),
    };
    let set = defaults();
    Some((set.find_syntax_by_token(&token)?, set))
}

/// The inner HTML of a `<code>` element for `code` in language `lang`, or `None` when
/// the language is unknown (the caller then escapes the text as is).
pub fn highlight(lang: &str, code: &str) -> Option<String> {
    if lang.is_empty() {
        return None;
    }
    let (syntax, set) = syntax_for(lang)?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, STYLE);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runbook_languages_are_highlighted() {
        for (lang, code) in [
            ("bash", "kubectl get pods -n x # list\n"),
            ("kubectl", "kubectl rollout undo deploy/api\n"),
            (
                "promql",
                "sum(rate(http_requests_total{code=~\"5..\"}[5m])) by (job)\n",
            ),
            ("yaml", "groups:\n  - name: x\n"),
            ("sql", "SELECT count(*) FROM bookings WHERE id = 1;\n"),
        ] {
            let html = highlight(lang, code).unwrap_or_default();
            assert!(html.contains("<span class=\"hl-"), "{lang}: {html}");
        }
        assert!(
            highlight("promql", "rate(x[5m])\n")
                .unwrap()
                .contains("hl-support")
        );
        assert_eq!(highlight("no-such-language", "x\n"), None);
    }

    #[test]
    fn code_is_escaped() {
        let html = highlight("bash", "echo '<script>'\n").unwrap();
        assert!(!html.contains("<script>"));
    }
}
