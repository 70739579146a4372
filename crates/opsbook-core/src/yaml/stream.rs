//! Streams of several YAML documents (`---` separated), as in Prometheus rule files and
//! Kubernetes manifests.
//!
//! Uses the same [`Builder`] as [`parse`](super::parse): one builder per document. A
//! problem inside one document (a duplicate key, an alias, too deep a nesting) is
//! reported and that document skipped; the documents after it are still read. A syntax
//! error stops the stream, because the parser cannot find its footing after one.

use super::{Builder, Node, Offsets, ParseError, Resolved};
use yaml_rust2::parser::{Event, Parser};

/// What [`parse_stream`] found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stream {
    /// The documents that were read, in order. Empty documents (`---` followed by
    /// nothing, or only comments) are left out.
    pub documents: Vec<Node>,
    /// The problems, in order. A document with a problem is not in `documents`.
    pub errors: Vec<ParseError>,
}

/// Parses every YAML document of `text` (which starts at byte `base` of its file).
///
/// ```
/// use opsbook_core::yaml::parse_stream;
/// let text = "a: 1\n---\nb: [2, 3]\n---\n# nothing\n";
/// let stream = parse_stream(text, 0);
/// assert!(stream.errors.is_empty());
/// assert_eq!(stream.documents.len(), 2);
/// assert_eq!(stream.documents[1].span.start, 9);
/// ```
pub fn parse_stream(text: &str, base: usize) -> Stream {
    let offsets = Offsets::new(text, base);
    let mut parser = Parser::new_from_str(text);
    let mut stream = Stream::default();
    // The builder of the current document; `None` between documents and after a problem.
    let mut builder: Option<Builder<'_>> = None;
    loop {
        let (event, mark) = match parser.next_token() {
            Ok(next) => next,
            Err(e) => {
                stream.errors.push(ParseError::Syntax {
                    message: super::clean_scan_message(e.info()),
                    span: offsets.point(e.marker()),
                });
                return stream;
            }
        };
        match event {
            Event::StreamEnd => return stream,
            Event::DocumentStart => {
                builder = Some(Builder {
                    text,
                    offsets: &offsets,
                    stack: Vec::new(),
                    root: None,
                    // Document events are handled here, never passed to the builder.
                    documents: 0,
                });
            }
            Event::DocumentEnd => {
                if let Some(root) = builder.take().and_then(|b| b.root) {
                    if root.resolve() != Some(Resolved::Null) {
                        stream.documents.push(root);
                    }
                }
            }
            event => {
                if let Some(b) = builder.as_mut() {
                    if let Err(e) = b.event(event, mark) {
                        stream.errors.push(e);
                        builder = None;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;

    #[test]
    fn documents_keep_file_offsets() {
        let text = "---\nkind: A\n---\nkind: B\n...\n---\nkind: C\n";
        let stream = parse_stream(text, 10);
        assert!(stream.errors.is_empty(), "{:?}", stream.errors);
        let kinds: Vec<_> = stream
            .documents
            .iter()
            .map(|d| {
                let kind = d.get("kind").unwrap();
                (
                    kind.as_str().unwrap(),
                    &text[kind.span.start - 10..kind.span.end - 10],
                )
            })
            .collect();
        assert_eq!(kinds, [("A", "A"), ("B", "B"), ("C", "C")]);
    }

    #[test]
    fn a_single_implicit_document_is_one_document() {
        let stream = parse_stream("groups: []\n", 0);
        assert_eq!(stream.documents.len(), 1);
        assert!(stream.errors.is_empty());
    }

    #[test]
    fn empty_documents_are_left_out() {
        let stream = parse_stream("---\n---\n# comment\n---\na: 1\n---\n", 0);
        assert_eq!(stream.documents.len(), 1);
        assert_eq!(parse_stream("", 0), Stream::default());
    }

    #[test]
    fn a_broken_document_is_skipped_and_the_next_still_read() {
        let text = "a: 1\na: 2\n---\nb: &x 1\nd: *x\n---\nc: 3\n";
        let stream = parse_stream(text, 0);
        assert!(matches!(
            stream.errors[..],
            [ParseError::DuplicateKey { .. }, ParseError::Alias { .. }]
        ));
        assert_eq!(stream.documents.len(), 1);
        assert!(stream.documents[0].get("c").is_some());
        assert_eq!(stream.errors[0].span(), Span::new(5, 6));
    }

    #[test]
    fn a_syntax_error_keeps_the_documents_before_it() {
        let text = "a: 1\n---\nb: [1, 2\n---\nc: 3\n";
        let stream = parse_stream(text, 0);
        assert_eq!(stream.documents.len(), 1);
        assert!(matches!(stream.errors[..], [ParseError::Syntax { .. }]));
    }

    #[test]
    fn multibyte_text_keeps_byte_offsets() {
        let text = "a: \"é☕\"\n---\nb: x\n";
        let stream = parse_stream(text, 0);
        let b = stream.documents[1].get("b").unwrap();
        assert_eq!(&text[b.span.range()], "x");
    }
}
