//! Markdown bodies to HTML, once per document: links rewritten to output pages, heading
//! anchors taken from the document's outline (the ones `check` verified), code blocks
//! highlighted, raw HTML sanitised unless the handbook allows it. The plain text and the
//! linked files are collected in the same pass.

use crate::highlight::highlight;
use crate::paths::relative;
use opsbook_core::Handbook;
use opsbook_core::markdown::{options, resolve, slug};
use opsbook_core::model::{Document, Kind};
use opsbook_core::permalink::{Addresses, Place, site_address};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Parser, Tag, TagEnd};
use std::sync::OnceLock;

/// What rendering a body produced.
#[derive(Debug, Default)]
pub struct Rendered {
    /// The HTML, safe to insert into a page.
    pub html: String,
    /// The body's text without markup, cut at `text_limit` characters (for search).
    pub text: String,
    /// Handbook files (not documents) the body links to, to be copied to the output.
    pub assets: Vec<String>,
}

/// What rendering needs besides the document.
#[derive(Debug, Clone, Copy)]
pub struct Renderer<'a> {
    /// The handbook, for resolving links.
    pub handbook: &'a Handbook,
    /// Output paths of documents.
    pub paths: &'a Addresses,
    /// Keep raw HTML as written (`raw_html: true` in handbook.yaml).
    pub raw_html: bool,
    /// How many characters of plain text to keep.
    pub text_limit: usize,
}

/// Whether a URL uses a scheme that can run code in a browser.
///
/// ```
/// assert!(opsbook_site::markdown::is_unsafe_url(" JavaScript:alert(1)"));
/// assert!(opsbook_site::markdown::is_unsafe_url("java\tscript:alert(1)"));
/// assert!(!opsbook_site::markdown::is_unsafe_url("https://example.com"));
/// ```
pub fn is_unsafe_url(url: &str) -> bool {
    // Every link goes through here: compare in place instead of collecting a string.
    ["javascript:", "vbscript:", "data:"].iter().any(|scheme| {
        let mut cleaned = url
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
            .take(12);
        scheme
            .chars()
            .all(|s| cleaned.next().is_some_and(|c| c.to_ascii_lowercase() == s))
    })
}

/// Whether `url` has a scheme or is protocol-relative (points outside the handbook).
pub fn is_external(url: &str) -> bool {
    url.starts_with("//")
        || url.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        })
}

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_generic_attributes(["id", "class"])
            .add_tags(["input"])
            .add_tag_attributes("input", ["type", "checked", "disabled"]);
        b
    })
}

/// Attributes whose value a browser follows or loads as a URL.
const URL_ATTRIBUTES: [&str; 8] = [
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
];

/// `raw_html: true` keeps the authors' HTML as written, except URLs that would run code
/// (`javascript:` and friends), which never survive: each becomes `#unsafe-link-removed`,
/// as in markdown links. Markup the rewriter cannot read unambiguously is sanitised
/// instead, the safe side.
fn without_unsafe_urls(html: &str) -> String {
    let handler = lol_html::element!("*", |el| {
        for name in URL_ATTRIBUTES {
            if el.get_attribute(name).is_some_and(|v| is_unsafe_url(&v)) {
                el.set_attribute(name, "#unsafe-link-removed")?;
            }
        }
        Ok(())
    });
    let settings = lol_html::RewriteStrSettings {
        element_content_handlers: vec![handler],
        strict: true,
        ..lol_html::RewriteStrSettings::new()
    };
    lol_html::rewrite_str(html, settings).unwrap_or_else(|_| sanitizer().clean(html).to_string())
}

impl Renderer<'_> {
    /// Renders the body of `doc`, which is written to the output path `page`.
    pub fn render(&self, doc: &Document, page: &str) -> Rendered {
        let text = self.handbook.text_of(doc);
        let body = text.get(doc.outline.body_start..).unwrap_or_default();
        let mut out = Rendered::default();
        let mut raw = false;
        let mut heading = 0;
        let mut code: Option<(String, String)> = None;
        let mut text_len = 0;
        let events = Parser::new_ext(body, options()).filter_map(|event| match event {
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => {
                let anchor = doc.outline.headings.get(heading).map(|h| h.anchor.clone());
                heading += 1;
                let id = anchor.unwrap_or_else(|| slug(&format!("section-{heading}")));
                Some(Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(id)),
                    classes,
                    attrs,
                }))
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Some(Event::Start(Tag::Link {
                link_type,
                dest_url: self.link(doc, page, &dest_url, &mut out.assets).into(),
                title,
                id,
            })),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Some(Event::Start(Tag::Image {
                link_type,
                dest_url: self.link(doc, page, &dest_url, &mut out.assets).into(),
                title,
                id,
            })),
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
                None
            }
            Event::Text(t) if code.is_some() => {
                if let Some((_, buf)) = code.as_mut() {
                    buf.push_str(&t);
                }
                push_text(&mut out.text, &mut text_len, self.text_limit, &t);
                None
            }
            Event::End(TagEnd::CodeBlock) => {
                let (lang, buf) = code.take().unwrap_or_default();
                Some(Event::Html(code_block(&lang, &buf).into()))
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                raw = true;
                Some(event)
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                push_text(&mut out.text, &mut text_len, self.text_limit, t);
                Some(event)
            }
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => {
                push_text(&mut out.text, &mut text_len, self.text_limit, " ");
                Some(event)
            }
            other => Some(other),
        });
        let mut html = String::with_capacity(body.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, events);
        out.html = match (raw, self.raw_html) {
            (false, _) => html,
            (true, false) => sanitizer().clean(&html).to_string(),
            (true, true) => without_unsafe_urls(&html),
        };
        out
    }

    /// The URL a link of `doc` gets on the output page `page`.
    fn link(&self, doc: &Document, page: &str, dest: &str, assets: &mut Vec<String>) -> String {
        let dest = dest.trim();
        if is_unsafe_url(dest) {
            return "#unsafe-link-removed".to_string();
        }
        // A link by the page's address (`/runbooks/db/x/`, or a full URL under
        // `base_url`), as content written for another site generator has them: made
        // relative, so that it works from disk and at any sub-path.
        if let Some(site_path) = site_address(&self.handbook.config, dest) {
            let (path, anchor) = site_path.split_once('#').unwrap_or((site_path, ""));
            let path = path.split('?').next().unwrap_or(path);
            let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
            if let Some((place, out)) = self.paths.find(&decoded) {
                let target = match place {
                    Place::Alias(i) => self.paths.page(i),
                    Place::Page(_) | Place::Generated => out,
                };
                let url = encode(&relative(page, target));
                return if anchor.is_empty() {
                    url
                } else {
                    format!("{url}#{anchor}")
                };
            }
        }
        if dest.is_empty() || dest.starts_with('#') || is_external(dest) {
            return dest.to_string();
        }
        let (path, anchor) = match dest.split_once('#') {
            Some((p, a)) => (p, Some(a)),
            None => (dest, None),
        };
        let path = path.split('?').next().unwrap_or(path);
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        let Some(target) = resolve(&doc.path, &decoded) else {
            return dest.to_string();
        };
        let target = target.trim_end_matches('/').to_string();
        let with_anchor = |url: String| match anchor {
            Some(a) => format!("{url}#{a}"),
            None => url,
        };
        if let Some(out) = self.paths.of(&target) {
            return with_anchor(encode(&relative(page, out)));
        }
        if let Some(kind) = Kind::ALL.iter().find(|k| k.folder() == target) {
            return with_anchor(relative(page, &format!("{}/index.html", kind.folder())));
        }
        if target.is_empty() {
            return with_anchor(relative(page, "index.html"));
        }
        if self.handbook.paths.contains(&target) && self.handbook.root.join(&target).is_file() {
            let url = encode(&relative(page, &target));
            assets.push(target);
            return with_anchor(url);
        }
        dest.to_string()
    }
}

fn push_text(text: &mut String, len: &mut usize, limit: usize, piece: &str) {
    if *len >= limit {
        return;
    }
    for c in piece.chars() {
        if *len >= limit {
            break;
        }
        let c = if c.is_whitespace() { ' ' } else { c };
        if c == ' ' && (text.is_empty() || text.ends_with(' ')) {
            continue;
        }
        text.push(c);
        *len += 1;
    }
}

/// A code block: highlighted when its language is known, escaped otherwise.
pub(crate) fn code_block(lang: &str, code: &str) -> String {
    let lang_attr = escape(lang);
    let inner = highlight(lang, code).unwrap_or_else(|| escape(code));
    if lang.is_empty() {
        format!("<pre class=\"code\"><code>{inner}</code></pre>\n")
    } else {
        format!(
            "<pre class=\"code\" data-lang=\"{lang_attr}\"><code class=\"language-{lang_attr}\">{inner}</code></pre>\n"
        )
    }
}

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    // Templates escape every value, most of which need nothing: copy runs of plain
    // bytes at once (the five characters are ASCII, so byte indexes are char boundaries).
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut plain = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[plain..i]);
        out.push_str(entity);
        plain = i + 1;
    }
    out.push_str(&text[plain..]);
    out
}

/// Percent-encodes the characters of a path that may not stand in a URL as they are.
pub(crate) fn encode(path: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'<')
        .add(b'>')
        .add(b'?')
        .add(b'`')
        .add(b'{')
        .add(b'}')
        .add(b'%');
    percent_encoding::utf8_percent_encode(path, SET).to_string()
}
