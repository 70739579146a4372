//! The checks: each family in its own module, run over a loaded [`Handbook`].

mod alerts;
mod links;
mod references;
mod schema;
mod secrets;
mod sections;
mod time;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::handbook::Handbook;
use crate::model::Document;
use crate::span::Span;
use chrono::{DateTime, Utc};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// What checks need besides the handbook.
#[derive(Debug, Clone, Copy)]
pub struct CheckOptions {
    /// The current time, against which staleness and due dates are judged.
    pub now: DateTime<Utc>,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions { now: Utc::now() }
    }
}

/// Shared state of one check run.
pub(crate) struct Context<'a> {
    pub(crate) handbook: &'a Handbook,
    pub(crate) options: &'a CheckOptions,
    /// Everyone named as a team member or lead.
    pub(crate) persons: HashSet<&'a str>,
    /// The SLO names of each service's SLAs.
    pub(crate) slos: HashMap<&'a str, Vec<&'a str>>,
}

impl Context<'_> {
    /// The span of `path` in `doc`'s frontmatter, else of its key, else the file start.
    pub(crate) fn span(doc: &Document, path: &[&str]) -> Span {
        doc.span_at(path)
            .or_else(|| path.first().and_then(|k| doc.key_span(k)))
            .unwrap_or_default()
    }
}

/// Runs every check over `handbook`. The result is unsorted and ignores rule levels;
/// see [`finish`].
pub fn check(handbook: &Handbook, options: &CheckOptions) -> Vec<Diagnostic> {
    let persons = handbook
        .documents
        .iter()
        .filter_map(Document::as_team)
        .flat_map(|t| {
            t.lead
                .iter()
                .map(String::as_str)
                .chain(t.members.iter().map(|m| m.name.as_str()))
        })
        .collect();
    let mut slos: HashMap<&str, Vec<&str>> = HashMap::new();
    for sla in handbook.documents.iter().filter_map(Document::as_sla) {
        slos.entry(&sla.service)
            .or_default()
            .extend(sla.slos.iter().map(|s| s.name.as_str()));
    }
    let cx = Context {
        handbook,
        options,
        persons,
        slos,
    };
    let mut out: Vec<Diagnostic> = handbook
        .documents
        .par_iter()
        .flat_map_iter(|doc| {
            let mut out = Vec::new();
            schema::check(&cx, doc, &mut out);
            sections::check(&cx, doc, &mut out);
            references::check(&cx, doc, &mut out);
            links::check(&cx, doc, &mut out);
            time::check(&cx, doc, &mut out);
            out
        })
        .collect();
    out.extend(
        handbook
            .files
            .par_iter()
            .flat_map_iter(|file| secrets::check(&file.path, &file.text))
            .collect::<Vec<_>>(),
    );
    references::duplicates(handbook, &mut out);
    alerts::check(&cx, &mut out);
    out
}

/// Applies the handbook's rule levels (dropping rules turned off), sorts by file and
/// position, and removes exact repeats.
pub fn finish(config: &Config, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter_map(|mut d| {
            d.level = config.level(d.rule)?;
            Some(d)
        })
        .collect();
    out.sort_by(|a, b| {
        (&a.file, a.span.start, a.rule, &a.message).cmp(&(
            &b.file,
            b.span.start,
            b.rule,
            &b.message,
        ))
    });
    out.dedup();
    out
}
