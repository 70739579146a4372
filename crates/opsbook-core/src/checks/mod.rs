//! The checks: each family in its own module, run over a loaded [`Handbook`].

mod alerts;
mod codeowners;
mod links;
mod references;
mod runbook_alerts;
mod schema;
mod secrets;
mod sections;
mod slo;
mod time;
mod timeline;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::handbook::Handbook;
use crate::model::{Document, Kind};
use crate::span::Span;
use crate::yaml::Node;
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
    /// Whether `persons` is complete: `false` when a team document could not be read,
    /// in which case unknown persons are not reported (its own error says why).
    pub(crate) persons_complete: bool,
    /// The SLO names of each service's SLAs.
    pub(crate) slos: HashMap<&'a str, Vec<&'a str>>,
    /// Whether `slos` is complete: `false` when an SLA document could not be read.
    pub(crate) slos_complete: bool,
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
pub fn check<'a>(handbook: &'a Handbook, options: &CheckOptions) -> Vec<Diagnostic> {
    // Persons and SLOs are read from the YAML tree rather than the typed frontmatter, so
    // that a team or SLA with a schema error elsewhere (reported on its own) still counts.
    let names = |node: Option<&'a Node>, key: &'a str| {
        node.and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(move |item| item.get(key).and_then(Node::as_str))
    };
    let mut persons = HashSet::new();
    let mut persons_complete = all_loaded(handbook, Kind::Team);
    for doc in handbook.of_kind(Kind::Team) {
        let Some(yaml) = &doc.yaml else {
            persons_complete = false;
            continue;
        };
        persons.extend(yaml.get("lead").and_then(Node::as_str));
        persons.extend(names(yaml.get("members"), "name"));
    }
    let mut slos: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut slos_complete = all_loaded(handbook, Kind::Sla);
    for doc in handbook.of_kind(Kind::Sla) {
        match doc
            .yaml
            .as_ref()
            .and_then(|y| Some((y, y.get("service")?.as_str()?)))
        {
            Some((yaml, service)) => slos
                .entry(service)
                .or_default()
                .extend(names(yaml.get("slos"), "name")),
            None => slos_complete = false,
        }
    }
    let cx = Context {
        handbook,
        options,
        persons,
        persons_complete,
        slos,
        slos_complete,
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
            timeline::check(&cx, doc, &mut out);
            slo::check(doc, &mut out);
            slo::open_without_impact(&cx, doc, &mut out);
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
    // Address collisions and bad aliases are found once, when the handbook is assembled.
    out.extend_from_slice(handbook.addresses.problems());
    alerts::check(&cx, &mut out);
    codeowners::check(&cx, &mut out);
    if !handbook.config.alert_rules.is_empty() {
        slo::alerted(&cx, &mut out);
    }
    out
}

/// The checks of one SLA document on its own (OB410), for commands that read only the
/// SLAs (`opsbook slo rules`); [`check`] runs them too.
pub fn check_sla(doc: &Document) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    slo::check(doc, &mut out);
    out
}

/// Whether every markdown file in the folder of `kind` became a document (files that
/// could not be read or split have their own diagnostic and are no document).
fn all_loaded(handbook: &Handbook, kind: Kind) -> bool {
    let prefix = format!("{}/", kind.folder());
    handbook
        .files
        .iter()
        .filter(|f| f.path.starts_with(&prefix))
        .all(|f| handbook.by_path(&f.path).is_some())
}

/// Whether a file that would hold the `kind` document `id` exists but could not be read
/// as a document: references to it are not reported, its own diagnostic says why.
pub(crate) fn failed_to_load(handbook: &Handbook, kind: Kind, id: &str) -> bool {
    ["md", "markdown"].iter().any(|ext| {
        let path = format!("{}/{id}.{ext}", kind.folder());
        handbook.source(&path).is_some() && handbook.by_path(&path).is_none()
    })
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
