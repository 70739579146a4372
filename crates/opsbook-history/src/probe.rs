//! Reading just `status` and `review` from a postmortem's text at some revision.

use opsbook_core::frontmatter::split;
use opsbook_core::model::{Review, Status};
use opsbook_core::yaml::{self, Node};

/// The incident and write-up state a revision records (`None` where absent or unreadable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct State {
    pub(crate) status: Option<Status>,
    pub(crate) review: Option<Review>,
}

/// Reads the state from a document's bytes; anything unreadable gives an empty state.
pub(crate) fn state(bytes: &[u8]) -> State {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return State::default();
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Ok(parts) = split(text, 0, "") else {
        return State::default();
    };
    let Ok(Some(root)) = yaml::parse(parts.yaml, parts.yaml_start) else {
        return State::default();
    };
    let word = |key: &str| root.get(key).and_then(Node::as_str).map(str::trim);
    State {
        status: word("status").and_then(|s| match s {
            "investigating" => Some(Status::Investigating),
            "mitigated" => Some(Status::Mitigated),
            "resolved" => Some(Status::Resolved),
            _ => None,
        }),
        review: word("review").and_then(|s| match s {
            "draft" => Some(Review::Draft),
            "in-review" => Some(Review::InReview),
            "published" => Some(Review::Published),
            _ => None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_status_and_review() {
        let s = state(b"---\ntitle: x\nstatus: resolved\nreview: published\n---\nbody\n");
        assert_eq!(s.status, Some(Status::Resolved));
        assert_eq!(s.review, Some(Review::Published));
        assert_eq!(state(b"no frontmatter"), State::default());
        assert_eq!(state(b"---\nstatus: [\n---\n"), State::default());
        assert_eq!(state(&[0xff, 0xfe]), State::default());
    }
}
