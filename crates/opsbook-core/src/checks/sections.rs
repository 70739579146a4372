//! Template sections of runbooks and postmortems (OB101–OB103).

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::model::{Document, Kind};
use crate::rules::Rule;
use crate::span::Span;

pub(super) fn check(cx: &Context<'_>, doc: &Document, out: &mut Vec<Diagnostic>) {
    let config = &cx.handbook.config;
    let required = match doc.kind {
        Kind::Runbook => &config.runbook_sections,
        Kind::Postmortem => &config.postmortem_sections,
        _ => return,
    };
    let same = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
    let sections = &doc.outline.sections;
    // Position in the document of each required section, if present.
    let found: Vec<Option<usize>> = required
        .iter()
        .map(|name| sections.iter().position(|s| same(&s.title, name)))
        .collect();
    let mut last_found: Option<(usize, &str)> = None;
    for (i, name) in required.iter().enumerate() {
        let Some(at) = found[i] else {
            let previous = required[..i]
                .iter()
                .zip(&found)
                .rev()
                .find_map(|(n, f)| f.map(|at| (n, at)));
            let (span, help) = match previous {
                Some((prev, at)) => (
                    sections[at].span,
                    format!("add a `## {name}` section after `## {prev}`"),
                ),
                None => (
                    Span::new(doc.outline.body_start, doc.outline.body_start),
                    format!("add a `## {name}` section near the top of the document"),
                ),
            };
            out.push(
                Diagnostic::new(
                    Rule::MissingSection,
                    &doc.path,
                    span,
                    format!("{} is missing the section `{name}`", article(doc.kind)),
                )
                .with_help(help),
            );
            continue;
        };
        let section = &sections[at];
        match last_found {
            Some((prev_at, prev_name)) if at < prev_at => {
                out.push(
                    Diagnostic::new(
                        Rule::SectionOrder,
                        &doc.path,
                        section.span,
                        format!("section `{name}` comes before `{prev_name}`, but the template puts it after"),
                    )
                    .with_help(format!(
                        "the {} template order is: {}",
                        doc.kind,
                        required.join(", ")
                    )),
                );
            }
            _ => last_found = Some((at, name)),
        }
        if section.empty {
            out.push(
                Diagnostic::new(
                    Rule::EmptySection,
                    &doc.path,
                    section.span,
                    format!("section `{name}` is empty"),
                )
                .with_help("write its content, or say why there is none"),
            );
        }
    }
}

fn article(kind: Kind) -> &'static str {
    match kind {
        Kind::Runbook => "the runbook",
        _ => "the postmortem",
    }
}
