//! Build-time syntax highlighting of code blocks (syntect, pure-Rust regexes).
//!
//! Output is classed HTML (`<span class="hl-keyword">`), so the stylesheet colours it
//! for both the light and the dark theme. The syntax set is built once, on first use.

use std::sync::OnceLock;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxDefinition, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// The class prefix of highlighted tokens.
const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

const PROMQL: &str = include_str!("../syntaxes/promql.sublime-syntax");

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(|| {
        let mut builder = SyntaxSet::load_defaults_newlines().into_builder();
        // The grammar is embedded and tested; should it ever fail to load, PromQL blocks
        // are simply shown unhighlighted.
        if let Ok(promql) = SyntaxDefinition::load_from_str(PROMQL, true, None) {
            builder.add(promql);
        }
        builder.build()
    })
}

/// The syntax for a fence's language tag, with the aliases runbooks use.
fn syntax_for(lang: &str) -> Option<&'static SyntaxReference> {
    let set = syntaxes();
    let token = match lang.to_ascii_lowercase().as_str() {
        "sh" | "shell" | "console" | "kubectl" | "zsh" | "bash" => "bash".to_string(),
        "yml" => "yaml".to_string(),
        "promql" | "prometheus" | "logql" => "promql".to_string(),
        "postgres" | "postgresql" | "psql" | "mysql" => "sql".to_string(),
        other => other.to_string(),
    };
    set.find_syntax_by_token(&token)
}

/// The inner HTML of a `<code>` element for `code` in language `lang`, or `None` when
/// the language is unknown (the caller then escapes the text as is).
pub fn highlight(lang: &str, code: &str) -> Option<String> {
    if lang.is_empty() {
        return None;
    }
    let syntax = syntax_for(lang)?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes(), STYLE);
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
