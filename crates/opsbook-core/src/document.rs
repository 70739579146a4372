//! Reading one document from its text: fences, YAML, kind, id, typed frontmatter, outline.

use crate::diagnostic::Diagnostic;
use crate::frontmatter::{parse_yaml, read_typed, required_keys, split};
use crate::markdown;
use crate::model::{
    Document, Escalation, FileId, Frontmatter, Kind, Page, Postmortem, Runbook, Service, Sla, Team,
};
use crate::permalink::Alias;
use crate::rules::Rule;
use crate::span::Span;
use crate::suggest::did_you_mean;
use crate::yaml::Node;
use std::sync::OnceLock;

/// Parses the text of the file `path` (relative to the handbook root).
///
/// Returns the document when its kind could be told, and the problems found on the way.
///
/// ```
/// use opsbook_core::document::parse;
/// use opsbook_core::model::Kind;
/// let text = "---\ntitle: Restart the API\nservice: api\n---\n## Summary\n\nRestart it.\n";
/// let (doc, diagnostics) = parse(0, "runbooks/restart-api.md", text);
/// let doc = doc.unwrap();
/// assert_eq!((doc.kind, doc.id.as_str()), (Kind::Runbook, "restart-api"));
/// assert_eq!(doc.as_runbook().unwrap().service.as_deref(), Some("api"));
/// assert!(diagnostics.is_empty());
/// ```
pub fn parse(file: FileId, path: &str, text: &str) -> (Option<Document>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let parts = match split(&text[base..], base, path) {
        Ok(parts) => parts,
        Err(d) => return (None, vec![d]),
    };
    let yaml = match parse_yaml(parts.yaml, parts.yaml_start, path) {
        Ok(yaml) => yaml,
        Err(d) => {
            diagnostics.push(d);
            // Keep the body: its links and sections can still be checked.
            None
        }
    };
    let yaml_failed = !diagnostics.is_empty();
    let folder_kind = path
        .split_once('/')
        .and_then(|(folder, _)| Kind::from_folder(folder));
    let kind = match kind_of(yaml.as_ref(), folder_kind, path, &mut diagnostics) {
        Some(kind) => kind,
        None => return (None, diagnostics),
    };
    let stem = path
        .rsplit('/')
        .next()
        .unwrap_or(path)
        .trim_end_matches(".md")
        .trim_end_matches(".markdown");
    let id_node = yaml.as_ref().and_then(|y| y.get("id"));
    let id = id_node
        .and_then(Node::as_str)
        .filter(|s| !s.trim().is_empty())
        .unwrap_or(stem)
        .to_string();
    let id_span = id_node.map_or(Span::new(0, 0), |n| n.span);

    let frontmatter = if yaml_failed {
        None
    } else {
        let empty = Node {
            span: Span::new(parts.yaml_start, parts.yaml_start),
            value: crate::yaml::Value::Map(Vec::new()),
        };
        let root = yaml.as_ref().unwrap_or(&empty);
        read_kind(kind, root, path, &mut diagnostics)
    };
    let outline = markdown::outline(parts.body, parts.body_start);
    let title = yaml
        .as_ref()
        .and_then(|y| y.get("title"))
        .and_then(Node::as_str)
        .filter(|t| !t.trim().is_empty())
        .map(str::to_string);
    let aliases = yaml
        .as_ref()
        .and_then(|y| y.get("aliases"))
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(|n| {
            Some(Alias {
                written: n.as_str().filter(|a| !a.trim().is_empty())?.to_string(),
                span: n.span,
            })
        })
        .collect();
    let doc = Document {
        file,
        path: path.to_string(),
        kind,
        id,
        id_span,
        title,
        yaml,
        frontmatter,
        outline,
        aliases,
    };
    (Some(doc), diagnostics)
}

fn kind_of(
    yaml: Option<&Node>,
    folder_kind: Option<Kind>,
    path: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Kind> {
    let Some(node) = yaml.and_then(|y| y.get("kind")) else {
        return Some(folder_kind.unwrap_or(Kind::Page));
    };
    let name = node.as_str().unwrap_or_default();
    let Some(kind) = Kind::from_name(name) else {
        diagnostics.push(
            Diagnostic::new(
                Rule::UnknownKind,
                path,
                node.span,
                format!("`{name}` is not a document kind"),
            )
            .with_help(
                did_you_mean(name, Kind::names())
                    .unwrap_or_else(|| format!("use one of: {}", Kind::names().join(", "))),
            ),
        );
        return None;
    };
    if let Some(folder) = folder_kind.filter(|f| *f != kind) {
        diagnostics.push(
            Diagnostic::new(
                Rule::KindMismatch,
                path,
                node.span,
                format!(
                    "`kind: {kind}` disagrees with the folder `{}/`, which holds {folder} documents",
                    folder.folder()
                ),
            )
            .with_help(if kind == Kind::Page {
                format!(
                    "move the file out of `{}/`: pages can live in any other folder",
                    folder.folder()
                )
            } else {
                format!("move the file to `{}/`, or remove `kind:`", kind.folder())
            }),
        );
    }
    Some(kind)
}

/// The required keys of each kind, computed once from the JSON Schema of its type.
fn required(kind: Kind) -> &'static [String] {
    static REQUIRED: OnceLock<Vec<Vec<String>>> = OnceLock::new();
    let all = REQUIRED.get_or_init(|| {
        Kind::ALL
            .iter()
            .map(|k| match k {
                Kind::Service => required_keys::<Service>(),
                Kind::Team => required_keys::<Team>(),
                Kind::Runbook => required_keys::<Runbook>(),
                Kind::Postmortem => required_keys::<Postmortem>(),
                Kind::Sla => required_keys::<Sla>(),
                Kind::Escalation => required_keys::<Escalation>(),
                Kind::Page => required_keys::<Page>(),
            })
            .collect()
    });
    &all[Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0)]
}

fn read_kind(
    kind: Kind,
    root: &Node,
    path: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Frontmatter> {
    let what = format!("a {kind}");
    let req = required(kind);
    Some(match kind {
        Kind::Service => Frontmatter::Service(read_typed(root, req, &what, path, diagnostics)?),
        Kind::Team => Frontmatter::Team(read_typed(root, req, &what, path, diagnostics)?),
        Kind::Runbook => Frontmatter::Runbook(read_typed(root, req, &what, path, diagnostics)?),
        Kind::Postmortem => {
            Frontmatter::Postmortem(Box::new(read_typed(root, req, &what, path, diagnostics)?))
        }
        Kind::Sla => Frontmatter::Sla(read_typed(root, req, "an sla", path, diagnostics)?),
        Kind::Escalation => Frontmatter::Escalation(read_typed(
            root,
            req,
            "an escalation policy",
            path,
            diagnostics,
        )?),
        Kind::Page => Frontmatter::Page(read_typed(root, req, &what, path, diagnostics)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_comes_from_the_folder_or_kind_key() {
        let (doc, d) = parse(0, "docs/arch.md", "---\ntitle: Architecture\n---\n# Map\n");
        assert_eq!(doc.unwrap().kind, Kind::Page);
        assert!(d.is_empty());
        let (doc, d) = parse(0, "misc/x.md", "---\nkind: team\ntitle: SRE\n---\n");
        assert_eq!(doc.unwrap().kind, Kind::Team);
        assert!(d.is_empty());
    }

    #[test]
    fn kind_mismatch_and_unknown_kind() {
        let (doc, d) = parse(0, "runbooks/x.md", "---\nkind: team\ntitle: SRE\n---\n");
        assert_eq!(doc.unwrap().kind, Kind::Team);
        assert_eq!(d[0].rule, Rule::KindMismatch);
        let (doc, d) = parse(0, "x.md", "---\nkind: runbok\ntitle: SRE\n---\n");
        assert!(doc.is_none());
        assert_eq!(d[0].help.as_deref(), Some("did you mean `runbook`?"));
    }

    #[test]
    fn a_bom_is_tolerated_and_spans_stay_in_file_bytes() {
        let text = "\u{feff}---\ntitle: x\nservice: 12\n---\n";
        let (doc, d) = parse(0, "runbooks/x.md", text);
        assert!(d.is_empty());
        let span = doc.unwrap().span_at(&["service"]).unwrap();
        assert_eq!(&text[span.range()], "12");
    }

    #[test]
    fn empty_frontmatter_reports_missing_fields() {
        let (doc, d) = parse(0, "runbooks/x.md", "---\n---\n## Summary\n");
        assert!(doc.unwrap().frontmatter.is_none());
        assert_eq!(
            d[0].message,
            "a runbook is missing the required field `title`"
        );
    }
}
