//! Likely secrets in any file of the handbook (OB501).

use crate::diagnostic::Diagnostic;
use crate::rules::Rule;
use crate::span::Span;
use regex::Regex;
use std::sync::LazyLock;

struct Pattern {
    what: &'static str,
    regex: Regex,
    /// The capture group holding the secret (0: the whole match).
    group: usize,
    /// Whether the captured value must look like a real password, not a placeholder.
    literal: bool,
}

static PATTERNS: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    let p = |what, re: &str, group, literal| Pattern {
        what,
        regex: Regex::new(re).expect("secret patterns are valid"),
        group,
        literal,
    };
    vec![
        p(
            "a private key",
            r"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----",
            0,
            false,
        ),
        p(
            "an AWS access key id",
            r"(?-u:\b)(?:AKIA|ASIA)[0-9A-Z]{16}(?-u:\b)",
            0,
            false,
        ),
        p(
            "a GitHub token",
            r"(?-u:\b)(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})(?-u:\b)",
            0,
            false,
        ),
        p(
            "a GitLab token",
            r"(?-u:\b)glpat-[A-Za-z0-9_-]{20,}(?-u:\b)",
            0,
            false,
        ),
        p(
            "a Slack token",
            r"(?-u:\b)xox[abposr]-[A-Za-z0-9-]{10,}",
            0,
            false,
        ),
        p(
            "a Google API key",
            r"(?-u:\b)AIza[0-9A-Za-z_-]{35}(?-u:\b)",
            0,
            false,
        ),
        p(
            "a Stripe secret key",
            r"(?-u:\b)[sr]k_live_[0-9A-Za-z]{16,}(?-u:\b)",
            0,
            false,
        ),
        p(
            "a bearer token",
            r"(?i)(?-u:\b)bearer\s+([A-Za-z0-9\-._~+/]{20,}=*)",
            1,
            false,
        ),
        p(
            "a password literal",
            r#"(?i)(?-u:\b)(?:password|passwd|pwd|secret|api[_-]?key|access[_-]?token|auth[_-]?token|client[_-]?secret)["']?\s*[:=]\s*["']?([^\s"'`,;)\]}]{6,})"#,
            1,
            true,
        ),
        p(
            "a password in a connection string",
            r"(?-u:\b)[a-zA-Z][a-zA-Z0-9+.-]*://[^\s:/@]+:([^\s@/]+)@",
            1,
            true,
        ),
    ]
});

/// Whether a captured value is a placeholder rather than a real password.
fn is_placeholder(value: &str) -> bool {
    let first = value.chars().next().unwrap_or('$');
    if matches!(first, '$' | '<' | '{' | '%' | '[' | '(') || value.contains("{{") {
        return true;
    }
    let distinct = {
        let mut chars: Vec<char> = value.chars().collect();
        chars.sort_unstable();
        chars.dedup();
        chars.len()
    };
    if distinct <= 2 {
        return true; // `******`, `xxxxxx`, `......`
    }
    let lower = value.to_ascii_lowercase();
    // Real passwords mix in digits or symbols; prose after "password:" does not.
    let has_digit_or_symbol = value.chars().any(|c| !c.is_ascii_alphabetic());
    !has_digit_or_symbol
        || [
            "redacted",
            "placeholder",
            "example",
            "your-",
            "your_",
            "changeit",
        ]
        .iter()
        .any(|p| lower.contains(p))
}

/// Reports likely secrets in the text of `path`.
pub(super) fn check(path: &str, text: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for pattern in PATTERNS.iter() {
        for captures in pattern.regex.captures_iter(text) {
            let Some(m) = captures.get(pattern.group) else {
                continue;
            };
            if pattern.literal && is_placeholder(m.as_str()) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    Rule::LikelySecret,
                    path,
                    Span::new(m.start(), m.end()),
                    format!("this looks like {}", pattern.what),
                )
                .with_help("remove it, rotate it, and refer to the secret store instead (e.g. `$DB_PASSWORD`)"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<String> {
        check("a.md", text)
            .into_iter()
            .map(|d| format!("{}: {}", &text[d.span.range()], d.message))
            .collect()
    }

    #[test]
    fn finds_secrets() {
        assert_eq!(
            found("key: AKIAIOSFODNN7EXAMPLE\n"),
            ["AKIAIOSFODNN7EXAMPLE: this looks like an AWS access key id"]
        );
        assert_eq!(
            found("password=hunter2\n"),
            ["hunter2: this looks like a password literal"]
        );
        assert_eq!(
            found("psql postgres://app:s3cr3t!@db:5432/app\n"),
            ["s3cr3t!: this looks like a password in a connection string"]
        );
        assert_eq!(found("-----BEGIN RSA PRIVATE KEY-----\n").len(), 1);
        assert_eq!(
            found("curl -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc'\n"),
            ["eyJhbGciOiJIUzI1NiJ9.abc: this looks like a bearer token"]
        );
    }

    #[test]
    fn ignores_placeholders_and_prose() {
        assert!(found("password: $DB_PASSWORD\n").is_empty());
        assert!(found("password=${DB_PASSWORD}\n").is_empty());
        assert!(found("password: <your password>\n").is_empty());
        assert!(found("password: ********\n").is_empty());
        assert!(found("The password: rotated weekly by Vault.\n").is_empty());
        assert!(found("postgres://app:$PGPASSWORD@db/app\n").is_empty());
        assert!(found("Authorization: Bearer $TOKEN\n").is_empty());
    }
}
