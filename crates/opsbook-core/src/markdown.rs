//! Markdown: the parser options (set once, here) and the outline of a body.
//!
//! The outline — headings with their anchors, level-2 sections, links — is collected in
//! one pass so that checks (and later the site) never parse a body twice.

use crate::span::Span;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::HashMap;

/// The markdown extensions opsbook enables everywhere.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A heading of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// Its text, without markup.
    pub text: String,
    /// Its anchor: an explicit `{#id}`, else the GitHub-style slug, de-duplicated.
    pub anchor: String,
    /// The whole heading line in the file.
    pub span: Span,
}

/// A level-2 section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The heading's text.
    pub title: String,
    /// The heading in the file.
    pub span: Span,
    /// Whether nothing stands between this heading and the next level-1 or level-2 heading.
    pub empty: bool,
}

/// A link or image of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The destination as written.
    pub dest: String,
    /// The whole link in the file.
    pub span: Span,
    /// Whether it is an image.
    pub image: bool,
}

impl Link {
    /// The destination's own span when it is written literally in `text` (the file),
    /// else the whole link. Computed on demand: only reported links need it.
    pub fn dest_span(&self, text: &str) -> Span {
        match text
            .get(self.span.range())
            .and_then(|s| s.rfind(self.dest.as_str()))
        {
            Some(i) if !self.dest.is_empty() => {
                let start = self.span.start + i;
                Span::new(start, start + self.dest.len())
            }
            _ => self.span,
        }
    }
}

/// What checks need to know about a body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    /// Every heading, in order.
    pub headings: Vec<Heading>,
    /// The level-2 sections, in order.
    pub sections: Vec<Section>,
    /// Every link and image, in order.
    pub links: Vec<Link>,
    /// Where the body starts in the file.
    pub body_start: usize,
}

impl Outline {
    /// Whether `anchor` names a heading of this body.
    pub fn has_anchor(&self, anchor: &str) -> bool {
        self.headings.iter().any(|h| h.anchor == anchor)
    }
}

/// The GitHub-style slug of a heading: lowercase, only letters, digits, `-`, `_` and
/// spaces kept, spaces turned into `-`.
///
/// ```
/// assert_eq!(opsbook_core::markdown::slug("Incident workflow"), "incident-workflow");
/// assert_eq!(opsbook_core::markdown::slug("`LoginFailures` (5xx)!"), "loginfailures-5xx");
/// ```
pub fn slug(text: &str) -> String {
    text.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_' || *c == ' ')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// Collects the outline of `body`, which starts at byte `base` of its file.
pub fn outline(body: &str, base: usize) -> Outline {
    let mut out = Outline {
        body_start: base,
        ..Outline::default()
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut heading: Option<(u8, Option<String>, Span, String)> = None;
    let mut link_stack: Vec<(String, Span, bool)> = Vec::new();
    // Whether content now belongs to the last level-2 section (a level-1 heading ends it).
    let mut in_section = false;
    let at = |r: std::ops::Range<usize>| Span::new(base + r.start, base + r.end);

    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        if heading.is_none() && in_section {
            if let Some(section) = out.sections.last_mut().filter(|s| s.empty) {
                section.empty = is_blank(&event);
            }
        }
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                let level = heading_level(level);
                heading = Some((level, id.map(|s| s.to_string()), at(range), String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, id, span, text)) = heading.take() {
                    let text = text.trim().to_string();
                    let anchor = match id {
                        Some(id) => id,
                        None => unique(&mut seen, slug(&text)),
                    };
                    if level == 2 {
                        out.sections.push(Section {
                            title: text.clone(),
                            span,
                            empty: true,
                        });
                        in_section = true;
                    } else if level == 1 {
                        in_section = false;
                    }
                    out.headings.push(Heading {
                        level,
                        text,
                        anchor,
                        span,
                    });
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, _, _, buf)) = heading.as_mut() {
                    buf.push_str(&text);
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                link_stack.push((dest_url.to_string(), at(range), false));
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                link_stack.push((dest_url.to_string(), at(range), true));
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if let Some((dest, span, image)) = link_stack.pop() {
                    out.links.push(Link { dest, span, image });
                }
            }
            _ => {}
        }
    }
    // Outlines live as long as the handbook: no spare capacity.
    out.headings.shrink_to_fit();
    out.sections.shrink_to_fit();
    out.links.shrink_to_fit();
    out
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn is_blank(event: &Event<'_>) -> bool {
    match event {
        Event::Text(t) => t.trim().is_empty(),
        Event::SoftBreak | Event::HardBreak => true,
        Event::End(TagEnd::Heading(_)) | Event::Start(Tag::Heading { .. }) => true,
        _ => false,
    }
}

fn unique(seen: &mut HashMap<String, usize>, slug: String) -> String {
    let count = seen.entry(slug.clone()).or_insert(0);
    let anchor = if *count == 0 {
        slug
    } else {
        format!("{slug}-{count}")
    };
    *count += 1;
    anchor
}

/// Resolves `link` against the folder of `from` (both relative to the root); a leading
/// `/` means the handbook root. `None` when the result leaves the handbook. Checks and
/// the site resolve links the same way.
///
/// ```
/// use opsbook_core::markdown::resolve;
/// assert_eq!(resolve("runbooks/a.md", "../services/b.md").as_deref(), Some("services/b.md"));
/// assert_eq!(resolve("a.md", "../x.md"), None);
/// ```
pub fn resolve(from: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = if link.starts_with('/') {
        Vec::new()
    } else {
        from.split('/').collect()
    };
    if !link.starts_with('/') {
        parts.pop();
    }
    for part in link.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_and_emptiness() {
        let body = "## Summary\n\nText.\n\n## Empty\n\n## With sub\n\n### Detail\n\nx\n";
        let o = outline(body, 0);
        let titles: Vec<_> = o
            .sections
            .iter()
            .map(|s| (s.title.as_str(), s.empty))
            .collect();
        assert_eq!(
            titles,
            [("Summary", false), ("Empty", true), ("With sub", false)]
        );
    }

    #[test]
    fn anchors_are_unique_and_explicit_ids_win() {
        let body = "# A\n## Notes\n## Notes\n## Other {#custom}\n";
        let o = outline(body, 0);
        let anchors: Vec<_> = o.headings.iter().map(|h| h.anchor.as_str()).collect();
        assert_eq!(anchors, ["a", "notes", "notes-1", "custom"]);
    }

    #[test]
    fn links_point_at_their_destination() {
        let body = "See [the runbook](../runbooks/x.md#alerts) and ![img](a.png).\n";
        let o = outline(body, 100);
        assert_eq!(o.links.len(), 2);
        let l = &o.links[0];
        assert_eq!(l.dest, "../runbooks/x.md#alerts");
        let file = format!("{}{body}", " ".repeat(100));
        assert_eq!(&file[l.dest_span(&file).range()], l.dest);
        assert!(o.links[1].image);
    }

    #[test]
    fn code_in_headings_counts_as_text() {
        let o = outline("### `LoginFailuresHigh`\n", 0);
        assert_eq!(o.headings[0].anchor, "loginfailureshigh");
    }
}
