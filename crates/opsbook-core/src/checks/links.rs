//! Links in bodies and URLs in frontmatter: broken files, broken anchors, unsafe schemes
//! (OB203, OB204, OB502).

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::markdown::resolve;
use crate::model::{Document, Frontmatter};
use crate::permalink::Place;
use crate::rules::Rule;
use crate::span::Span;
use crate::suggest::did_you_mean;

const UNSAFE_SCHEMES: [&str; 3] = ["javascript", "vbscript", "data"];

/// The scheme of a URL (`https`, `mailto`, …), if it has one.
fn scheme(url: &str) -> Option<&str> {
    let (scheme, _) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(scheme)
}

fn is_unsafe(url: &str) -> bool {
    if !url.contains(':') {
        return false; // most links are relative paths: no scheme at all
    }
    // Browsers ignore whitespace and control characters inside a scheme.
    let cleaned: String = url
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
        .collect();
    scheme(&cleaned).is_some_and(|s| UNSAFE_SCHEMES.iter().any(|u| s.eq_ignore_ascii_case(u)))
}

fn unsafe_link(doc: &Document, span: Span) -> Diagnostic {
    Diagnostic::new(
        Rule::UnsafeLink,
        &doc.path,
        span,
        "this link uses a scheme that can run code (`javascript:`, `vbscript:` or `data:`)",
    )
    .with_help("link to a page or an https:// address instead")
}

pub(super) fn check(cx: &Context<'_>, doc: &Document, out: &mut Vec<Diagnostic>) {
    let text = cx.handbook.text_of(doc);
    for link in &doc.outline.links {
        let dest = link.dest.trim();
        if is_unsafe(dest) {
            out.push(unsafe_link(doc, link.dest_span(text)));
            continue;
        }
        if dest.is_empty() || scheme(dest).is_some() || dest.starts_with("//") {
            continue;
        }
        let (path, anchor) = match dest.split_once('#') {
            Some((path, anchor)) => (path, Some(anchor)),
            None => (dest, None),
        };
        let path = path.split('?').next().unwrap_or(path);
        // A root-relative link may name a page by its address (`/runbooks/db/x/`), as
        // content written for another site generator does.
        let by_address = dest
            .starts_with('/')
            .then(|| percent_encoding::percent_decode_str(path).decode_utf8_lossy())
            .and_then(|p| cx.handbook.addresses.find(&p).map(|(place, _)| place));
        if let Some(place) = by_address {
            if let (Place::Page(i) | Place::Alias(i), Some(anchor)) =
                (place, anchor.filter(|a| !a.is_empty()))
            {
                let target_doc = &cx.handbook.documents[i];
                missing_anchor(doc, target_doc, anchor, link.dest_span(text), out);
            }
            continue;
        }
        let target = if path.is_empty() {
            Some(doc.path.clone())
        } else {
            resolve(
                &doc.path,
                &percent_encoding::percent_decode_str(path).decode_utf8_lossy(),
            )
        };
        let Some(target) = target else {
            out.push(
                Diagnostic::new(
                    Rule::BrokenLink,
                    &doc.path,
                    link.dest_span(text),
                    format!("`{path}` points outside the handbook folder"),
                )
                .with_help("link to a document of the handbook, or use a full https:// address"),
            );
            continue;
        };
        if !target.is_empty() && !cx.handbook.paths.contains(&target) {
            let help = did_you_mean(&target, cx.handbook.paths.iter().map(String::as_str))
                .map(|h| format!("{h} (from the handbook root)"))
                .unwrap_or_else(|| {
                    "check the path; it is relative to this document's folder".to_string()
                });
            out.push(
                Diagnostic::new(
                    Rule::BrokenLink,
                    &doc.path,
                    link.dest_span(text),
                    format!("`{path}` does not exist (resolved to `{target}`)"),
                )
                .with_help(help),
            );
            continue;
        }
        let Some(anchor) = anchor.filter(|a| !a.is_empty()) else {
            continue;
        };
        let Some(target_doc) = cx.handbook.by_path(&target) else {
            continue;
        };
        missing_anchor(doc, target_doc, anchor, link.dest_span(text), out);
    }
    for (url, path) in frontmatter_urls(doc) {
        if is_unsafe(url) {
            let path: Vec<&str> = path.iter().map(String::as_str).collect();
            out.push(unsafe_link(doc, Context::span(doc, &path)));
        }
    }
}

/// OB204 when `target` (which `doc` links to) has no heading with `anchor` (as written,
/// percent-encoded or not).
fn missing_anchor(
    doc: &Document,
    target: &Document,
    anchor: &str,
    span: Span,
    out: &mut Vec<Diagnostic>,
) {
    let anchor = percent_encoding::percent_decode_str(anchor).decode_utf8_lossy();
    if target.outline.has_anchor(&anchor) {
        return;
    }
    let anchors = target.outline.headings.iter().map(|h| h.anchor.as_str());
    let help = did_you_mean(&anchor, anchors).unwrap_or_else(|| {
        "anchors are heading slugs: `## Incident workflow` is `#incident-workflow`".to_string()
    });
    let place = if target.path == doc.path {
        "this document".to_string()
    } else {
        format!("`{}`", target.path)
    };
    out.push(
        Diagnostic::new(
            Rule::BrokenAnchor,
            &doc.path,
            span,
            format!("no heading of {place} has the anchor `#{anchor}`"),
        )
        .with_help(help),
    );
}

/// Every URL-valued field of the frontmatter, with its path.
fn frontmatter_urls(doc: &Document) -> Vec<(&str, Vec<String>)> {
    let mut urls = Vec::new();
    let dashboards = match &doc.frontmatter {
        Some(Frontmatter::Service(s)) => {
            if let Some(repo) = &s.repo {
                urls.push((repo.as_str(), vec!["repo".to_string()]));
            }
            &s.dashboards[..]
        }
        Some(Frontmatter::Runbook(r)) => &r.dashboards[..],
        Some(Frontmatter::Postmortem(pm)) => {
            for (i, item) in pm.action_items.iter().enumerate() {
                if let Some(link) = &item.link {
                    urls.push((
                        link.as_str(),
                        vec!["action_items".into(), i.to_string(), "link".into()],
                    ));
                }
            }
            &[]
        }
        _ => &[],
    };
    for (i, d) in dashboards.iter().enumerate() {
        urls.push((
            d.url.as_str(),
            vec!["dashboards".into(), i.to_string(), "url".into()],
        ));
    }
    urls
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_relative_paths() {
        assert_eq!(
            resolve("runbooks/a.md", "../services/b.md").as_deref(),
            Some("services/b.md")
        );
        assert_eq!(
            resolve("runbooks/a.md", "c.md").as_deref(),
            Some("runbooks/c.md")
        );
        assert_eq!(
            resolve("runbooks/a.md", "/docs/x.md").as_deref(),
            Some("docs/x.md")
        );
        assert_eq!(resolve("a.md", "../x.md"), None);
        assert_eq!(
            resolve("runbooks/a.md", "./img/./p.png").as_deref(),
            Some("runbooks/img/p.png")
        );
    }

    #[test]
    fn unsafe_schemes_are_recognised_through_obfuscation() {
        assert!(is_unsafe("javascript:alert(1)"));
        assert!(is_unsafe(" JaVaScRiPt:alert(1)"));
        assert!(is_unsafe("java\tscript:alert(1)"));
        assert!(is_unsafe("data:text/html;base64,xx"));
        assert!(!is_unsafe("https://example.com/javascript:"));
        assert!(!is_unsafe("../runbooks/x.md"));
        assert!(!is_unsafe("mailto:sre@example.com"));
    }
}
