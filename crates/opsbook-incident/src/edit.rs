//! Surgical edits: one YAML scalar replaced by its span, one line inserted, one timeline
//! entry added. Everything else of the file stays byte for byte: comments, key order,
//! quoting, line breaks (a CRLF file gets CRLF lines), the byte-order mark, the body.
//! The frontmatter is never serialised again.

use crate::error::IncidentError;
use crate::record::{location, parse_postmortem};
use chrono::{DateTime, Utc};
use opsbook_core::timeline;
use opsbook_core::yaml::{Node, Resolved, Value};

/// The line break the file uses (that of its first line).
pub(crate) fn newline(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// The offset just past the line break of the line holding `offset`.
fn next_line(text: &str, offset: usize) -> usize {
    text[offset..]
        .find('\n')
        .map_or(text.len(), |i| offset + i + 1)
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

fn splice(text: &str, range: std::ops::Range<usize>, with: &str) -> String {
    let mut out = String::with_capacity(text.len() + with.len());
    out.push_str(&text[..range.start]);
    out.push_str(with);
    out.push_str(&text[range.end..]);
    out
}

/// `value` as a YAML scalar: plain when that reads back as the same string, else
/// double-quoted.
pub(crate) fn scalar(value: &str) -> String {
    let plain_chars = value
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '.' | '_' | '-' | '@' | ':' | '+' | '/'));
    let plain = !value.is_empty()
        && plain_chars
        && value.starts_with(|c: char| c.is_alphanumeric())
        && !value.ends_with([' ', ':'])
        && !value.contains(": ")
        && matches!(
            opsbook_core::yaml::parse(&format!("k: {value}"), 0)
                .ok()
                .flatten()
                .as_ref()
                .and_then(|n| n.get("k"))
                .and_then(Node::resolve),
            Some(Resolved::Str(s)) if s == value
        );
    if plain {
        value.to_string()
    } else {
        double_quoted(value)
    }
}

fn double_quoted(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `value` written in the style of the scalar it replaces (`original` as in the file).
fn in_style_of(original: &str, value: &str) -> String {
    if original.starts_with('"') {
        double_quoted(value)
    } else if original.starts_with('\'') {
        format!("'{}'", value.replace('\'', "''"))
    } else {
        scalar(value)
    }
}

/// The frontmatter tree of `text`, re-parsed (every step edits the latest text).
fn root(rel: &str, text: &str) -> Result<Node, IncidentError> {
    let (doc, _) = parse_postmortem(rel, text)?;
    doc.yaml.ok_or_else(|| IncidentError::Invalid {
        location: location(rel, text, 0),
        message: "the frontmatter is empty".to_string(),
    })
}

fn block_map<'n>(
    rel: &str,
    text: &str,
    node: &'n Node,
) -> Result<&'n [(Node, Node)], IncidentError> {
    match (&node.value, text[node.span.range()].starts_with('{')) {
        (Value::Map(entries), false) => Ok(entries),
        _ => Err(IncidentError::Refused {
            file: rel.to_string(),
            message: format!(
                "the mapping at {} is not written one key per line; opsbook edits only block mappings",
                location(rel, text, node.span.start)
            ),
        }),
    }
}

/// Sets the top-level key `key` to `value`. When the key is missing, it is inserted on
/// its own line after the last present key of `after` (in that order of preference:
/// the last one found wins), else after the last key.
pub(crate) fn set_key(
    rel: &str,
    text: &str,
    key: &str,
    value: &str,
    after: &[&str],
) -> Result<String, IncidentError> {
    let root = root(rel, text)?;
    let entries = block_map(rel, text, &root)?;
    if let Some((k, v)) = entries.iter().find(|(k, _)| k.as_str() == Some(key)) {
        return replace_value(rel, text, k, v, value);
    }
    let anchor = after
        .iter()
        .filter_map(|a| entries.iter().find(|(k, _)| k.as_str() == Some(*a)))
        .next_back()
        .or(entries.last());
    let nl = newline(text);
    let (at, indent) = match anchor {
        Some((k, v)) => (
            next_line(text, v.span.end.max(k.span.end)),
            k.span.start - line_start(text, k.span.start),
        ),
        None => (root.span.start, 0),
    };
    let line = format!("{}{key}: {}{nl}", " ".repeat(indent), scalar(value));
    Ok(splice(text, at..at, &line))
}

/// Replaces the scalar `v` (the value of key `k`) with `value`, in its quoting style.
fn replace_value(
    rel: &str,
    text: &str,
    k: &Node,
    v: &Node,
    value: &str,
) -> Result<String, IncidentError> {
    let written = &text[v.span.range()];
    match &v.value {
        Value::Scalar {
            text: t,
            plain: true,
        } if t.is_empty() => {
            // `key:` with nothing after it: write the value after the colon.
            let colon = text[k.span.end..]
                .find(':')
                .map_or(k.span.end, |i| k.span.end + i + 1);
            Ok(splice(text, colon..colon, &format!(" {}", scalar(value))))
        }
        Value::Scalar { .. } if !written.starts_with(['|', '>']) => {
            Ok(splice(text, v.span.range(), &in_style_of(written, value)))
        }
        _ => Err(IncidentError::Refused {
            file: rel.to_string(),
            message: format!(
                "`{}` at {} is {}; opsbook replaces only one-line values",
                k.as_str().unwrap_or_default(),
                location(rel, text, v.span.start),
                v.type_name()
            ),
        }),
    }
}

/// Sets `roles.<role>` to `name`, creating `roles:` (after `commander`, else after the
/// time-points) when missing.
pub(crate) fn set_role(
    rel: &str,
    text: &str,
    role: &str,
    name: &str,
) -> Result<String, IncidentError> {
    let root = root(rel, text)?;
    let entries = block_map(rel, text, &root)?;
    let nl = newline(text);
    let Some((k, roles)) = entries.iter().find(|(k, _)| k.as_str() == Some("roles")) else {
        let mut after: Vec<&str> = opsbook_core::model::TIME_POINTS.to_vec();
        after.push("commander");
        let anchor = after
            .iter()
            .filter_map(|a| entries.iter().find(|(k, _)| k.as_str() == Some(*a)))
            .next_back()
            .or(entries.last());
        let at = anchor.map_or(root.span.start, |(k, v)| {
            next_line(text, v.span.end.max(k.span.end))
        });
        let block = format!("roles:{nl}  {role}: {}{nl}", scalar(name));
        return Ok(splice(text, at..at, &block));
    };
    let written = &text[roles.span.range()];
    match &roles.value {
        Value::Map(items) if !written.starts_with('{') => {
            if let Some((rk, rv)) = items.iter().find(|(rk, _)| rk.as_str() == Some(role)) {
                return replace_value(rel, text, rk, rv, name);
            }
            let (last_k, last_v) = items.last().expect("a block mapping has an entry");
            let first = &items[0].0;
            let indent = first.span.start - line_start(text, first.span.start);
            let at = next_line(text, last_v.span.end.max(last_k.span.end));
            let line = format!("{}{role}: {}{nl}", " ".repeat(indent), scalar(name));
            Ok(splice(text, at..at, &line))
        }
        Value::Map(items) => {
            if let Some((rk, rv)) = items.iter().find(|(rk, _)| rk.as_str() == Some(role)) {
                return replace_value(rel, text, rk, rv, name);
            }
            let pair = format!("{role}: {}", scalar(name));
            match items.last() {
                Some((_, v)) => Ok(splice(text, v.span.end..v.span.end, &format!(", {pair}"))),
                None => {
                    let brace = roles.span.start + 1;
                    Ok(splice(text, brace..brace, &pair))
                }
            }
        }
        Value::Scalar {
            text: t,
            plain: true,
        } if t.is_empty() || t == "~" || t == "null" => {
            let colon = text[k.span.end..]
                .find(':')
                .map_or(k.span.end, |i| k.span.end + i + 1);
            let end = if t.is_empty() { colon } else { roles.span.end };
            Ok(splice(
                text,
                colon..end,
                &format!(" {{{role}: {}}}", scalar(name)),
            ))
        }
        _ => Err(IncidentError::Refused {
            file: rel.to_string(),
            message: format!(
                "`roles` at {} is {}, not a mapping of role to person",
                location(rel, text, roles.span.start),
                roles.type_name()
            ),
        }),
    }
}

/// Replaces the items of the top-level flow sequence `key` (`[a, b]`) with `items`.
pub(crate) fn set_flow_list(
    rel: &str,
    text: &str,
    key: &str,
    items: &[String],
) -> Result<String, IncidentError> {
    let root = root(rel, text)?;
    let refused = || IncidentError::Refused {
        file: rel.to_string(),
        message: format!("`{key}` is not a one-line list `[…]`"),
    };
    let seq = root.get(key).ok_or_else(refused)?;
    let list = items
        .iter()
        .map(|s| scalar(s))
        .collect::<Vec<_>>()
        .join(", ");
    match seq.as_seq() {
        Some(old) if text[seq.span.range()].starts_with('[') => match (old.first(), old.last()) {
            (Some(first), Some(last)) => Ok(splice(text, first.span.start..last.span.end, &list)),
            _ => Ok(splice(text, seq.span.start + 1..seq.span.start + 1, &list)),
        },
        _ => Err(refused()),
    }
}

/// Adds the timeline entry `line` (a list item, no line break) for the time `at`: under
/// the date heading of its UTC day (created in date order when missing), after the last
/// entry not later than it, so that the timeline stays in order.
pub(crate) fn add_entry(
    rel: &str,
    text: &str,
    at: DateTime<Utc>,
    line: &str,
) -> Result<String, IncidentError> {
    let (doc, _) = parse_postmortem(rel, text)?;
    let nl = newline(text);
    let Some(timeline) = timeline::parse(text, &doc.outline) else {
        return Err(IncidentError::Refused {
            file: rel.to_string(),
            message: format!(
                "the postmortem has no `## {}` section to log to; add one",
                timeline::SECTION
            ),
        });
    };
    let date = at.date_naive();
    if let Some(day) = timeline.day(date) {
        let entries: Vec<_> = day.entries.iter().map(|&i| &timeline.entries[i]).collect();
        if let Some(previous) = entries.iter().rev().find(|e| e.at <= at) {
            return Ok(insert_line_after(text, previous.span.end, line, nl));
        }
        if let Some(first) = entries.first() {
            let at = line_start(text, first.span.start);
            return Ok(splice(text, at..at, &format!("{line}{nl}")));
        }
        return Ok(insert_line_after(text, day.end, &format!("{nl}{line}"), nl));
    }
    let block = format!("### {date}{nl}{nl}{line}{nl}");
    if let Some(later) = timeline.days.iter().find(|d| d.date > date) {
        let at = later.heading.start;
        return Ok(splice(text, at..at, &format!("{block}{nl}")));
    }
    // After the section's last non-blank line, a blank line before the block.
    let content = text[..timeline.end].trim_end_matches([' ', '\t', '\r', '\n']);
    let heading_end = text[..timeline.heading.end]
        .trim_end_matches(['\r', '\n'])
        .len();
    let end = content.len().max(heading_end);
    let end = text[..end].trim_end_matches('\r').len();
    let tail_has_break = text[end..timeline.end].contains('\n');
    let mut insert = format!("{nl}{nl}### {date}{nl}{nl}{line}");
    if !tail_has_break {
        insert.push_str(nl);
        if timeline.end < text.len() {
            insert.push_str(nl);
        }
    }
    Ok(splice(text, end..end, &insert))
}

/// Inserts `line` as a new line after the line holding `offset`.
fn insert_line_after(text: &str, offset: usize, line: &str, nl: &str) -> String {
    let at = next_line(text, offset);
    if at == text.len() && !text.ends_with('\n') {
        splice(text, at..at, &format!("{nl}{line}"))
    } else {
        splice(text, at..at, &format!("{line}{nl}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PM: &str = "---\n# the incident\ntitle: 'It''s down'   # short\nseverity: \"SEV2\"\nstatus: investigating\nservices: [api]\nstarted: 2026-03-01T14:00:00Z\nroles:\n    scribe: bob\n---\n## Timeline\n\n### 2026-03-01\n\n- 14:05Z [action] (a) one\n- 14:30Z [action] (a) three\n\n## Root cause\n\nx\n";

    #[test]
    fn set_key_keeps_quoting_and_comments() {
        let out = set_key("postmortems/p.md", PM, "severity", "SEV1", &[]).unwrap();
        assert_eq!(out, PM.replace("\"SEV2\"", "\"SEV1\""));
        let out = set_key("postmortems/p.md", PM, "title", "It's up", &[]).unwrap();
        assert!(out.contains("title: 'It''s up'   # short\n"), "{out}");
    }

    #[test]
    fn missing_keys_go_after_their_neighbour() {
        let out = set_key(
            "postmortems/p.md",
            PM,
            "mitigated",
            "2026-03-01T14:40:00Z",
            &["started", "detected"],
        )
        .unwrap();
        assert_eq!(
            out,
            PM.replace(
                "14:00:00Z\n",
                "14:00:00Z\nmitigated: 2026-03-01T14:40:00Z\n"
            )
        );
    }

    #[test]
    fn roles_are_added_with_the_mapping_indentation() {
        let out = set_role("postmortems/p.md", PM, "communications", "Carol Ng").unwrap();
        assert!(
            out.contains("roles:\n    scribe: bob\n    communications: Carol Ng\n---"),
            "{out}"
        );
        let out = set_role("postmortems/p.md", PM, "scribe", "dave").unwrap();
        assert!(out.contains("    scribe: dave\n"));
        let flow = PM.replace("roles:\n    scribe: bob\n", "roles: {scribe: bob}\n");
        let out = set_role("postmortems/p.md", &flow, "communications", "carol").unwrap();
        assert!(
            out.contains("roles: {scribe: bob, communications: carol}\n"),
            "{out}"
        );
        let none = PM.replace("roles:\n    scribe: bob\n", "");
        let out = set_role("postmortems/p.md", &none, "scribe", "bob").unwrap();
        assert!(
            out.contains("started: 2026-03-01T14:00:00Z\nroles:\n  scribe: bob\n---"),
            "{out}"
        );
    }

    #[test]
    fn entries_are_inserted_in_order() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let out = add_entry(
            "postmortems/p.md",
            PM,
            at("2026-03-01T14:10:00Z"),
            "- 14:10Z two",
        )
        .unwrap();
        assert!(
            out.contains("- 14:05Z [action] (a) one\n- 14:10Z two\n- 14:30Z"),
            "{out}"
        );
        let out = add_entry(
            "postmortems/p.md",
            PM,
            at("2026-03-01T14:31:00Z"),
            "- 14:31Z four",
        )
        .unwrap();
        assert!(
            out.contains("(a) three\n- 14:31Z four\n\n## Root cause"),
            "{out}"
        );
        let out = add_entry(
            "postmortems/p.md",
            PM,
            at("2026-03-02T00:10:00Z"),
            "- 00:10Z next day",
        )
        .unwrap();
        assert!(
            out.contains("(a) three\n\n### 2026-03-02\n\n- 00:10Z next day\n\n## Root cause"),
            "{out}"
        );
        let out = add_entry(
            "postmortems/p.md",
            PM,
            at("2026-02-28T23:50:00Z"),
            "- 23:50Z before",
        )
        .unwrap();
        assert!(
            out.contains("## Timeline\n\n### 2026-02-28\n\n- 23:50Z before\n\n### 2026-03-01\n"),
            "{out}"
        );
    }

    #[test]
    fn crlf_files_get_crlf_lines() {
        let crlf = PM.replace('\n', "\r\n");
        let at = "2026-03-01T14:31:00Z".parse().unwrap();
        let out = add_entry("postmortems/p.md", &crlf, at, "- 14:31Z four").unwrap();
        assert_eq!(
            out,
            crlf.replace("(a) three\r\n", "(a) three\r\n- 14:31Z four\r\n")
        );
        let out = set_key(
            "postmortems/p.md",
            &crlf,
            "resolved",
            "2026-03-01T15:00:00Z",
            &["started"],
        )
        .unwrap();
        assert!(out.contains("14:00:00Z\r\nresolved: 2026-03-01T15:00:00Z\r\n"));
    }

    #[test]
    fn scalars_are_quoted_only_when_needed() {
        assert_eq!(scalar("alice"), "alice");
        assert_eq!(scalar("Alex Morgan"), "Alex Morgan");
        assert_eq!(scalar("2026-03-01T14:00:00Z"), "2026-03-01T14:00:00Z");
        assert_eq!(scalar("yes"), "yes");
        assert_eq!(scalar("true"), "\"true\"");
        assert_eq!(scalar("12"), "\"12\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar("#x"), "\"#x\"");
        assert_eq!(scalar("say \"hi\""), "\"say \\\"hi\\\"\"");
    }
}
