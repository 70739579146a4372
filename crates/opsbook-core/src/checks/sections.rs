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
    let mut i = 0;
    while i < required.len() {
        let Some(at) = found[i] else {
            // A run of consecutive missing sections is one finding: they go in one place.
            let run = found[i..].iter().take_while(|f| f.is_none()).count();
            missing(doc, sections, required, &found, i..i + run, out);
            i += run;
            continue;
        };
        let name = &required[i];
        i += 1;
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

/// Reports the missing required sections `run` (consecutive in the template).
fn missing(
    doc: &Document,
    sections: &[crate::markdown::Section],
    required: &[String],
    found: &[Option<usize>],
    run: std::ops::Range<usize>,
    out: &mut Vec<Diagnostic>,
) {
    let names = &required[run.clone()];
    let previous = required[..run.start]
        .iter()
        .zip(found)
        .rev()
        .find_map(|(n, f)| f.map(|at| (n, at)));
    let (span, place) = match previous {
        Some((prev, at)) => (sections[at].span, format!("after `## {prev}`")),
        None => (
            Span::new(doc.outline.body_start, doc.outline.body_start),
            "near the top of the document".to_string(),
        ),
    };
    let (message, help) = match names {
        [name] => (
            format!("{} is missing the section `{name}`", article(doc.kind)),
            format!("add a `## {name}` section {place}"),
        ),
        _ => {
            let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            let (init, last) = quoted.split_at(quoted.len() - 1);
            (
                format!(
                    "{} is missing the sections {} and {}",
                    article(doc.kind),
                    init.join(", "),
                    last[0]
                ),
                format!("add these sections {place}, in this order"),
            )
        }
    };
    out.push(Diagnostic::new(Rule::MissingSection, &doc.path, span, message).with_help(help));
}

fn article(kind: Kind) -> &'static str {
    match kind {
        Kind::Runbook => "the runbook",
        _ => "the postmortem",
    }
}
