//! References between documents, persons, SLOs and duplicate ids (OB201, OB202, OB205, OB206).

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::handbook::Handbook;
use crate::model::{Document, Frontmatter, Kind};
use crate::rules::Rule;
use crate::suggest::did_you_mean;
use crate::yaml::Node;
use std::collections::HashMap;

struct Refs<'a, 'c> {
    cx: &'c Context<'a>,
    doc: &'c Document,
    out: &'c mut Vec<Diagnostic>,
}

impl Refs<'_, '_> {
    fn doc(&mut self, kind: Kind, id: &str, path: &[&str]) {
        if self.cx.handbook.get(kind, id).is_some()
            || super::failed_to_load(self.cx.handbook, kind, id)
        {
            return;
        }
        let help = if id.starts_with("TODO") {
            let mut ids: Vec<&str> = self.cx.handbook.ids(kind).take(6).collect();
            if ids.len() == 6 {
                ids[5] = "…";
            }
            if ids.is_empty() {
                format!("replace the placeholder; create the {kind} with `opsbook new {kind} ID`")
            } else {
                format!(
                    "replace the placeholder with a {kind} id: {}",
                    ids.join(", ")
                )
            }
        } else {
            did_you_mean(id, self.cx.handbook.ids(kind)).unwrap_or_else(|| {
                format!("no {kind} has this id; create it with `opsbook new {kind} {id}`")
            })
        };
        self.out.push(
            Diagnostic::new(
                Rule::UnknownReference,
                &self.doc.path,
                Context::span(self.doc, path),
                format!("unknown {kind} `{id}`"),
            )
            .with_help(help),
        );
    }

    fn docs(&mut self, kind: Kind, ids: &[String], key: &str) {
        for (i, id) in ids.iter().enumerate() {
            self.doc(kind, id, &[key, &i.to_string()]);
        }
    }

    fn person(&mut self, name: &str, path: &[&str], team_allowed: bool) {
        if !self.cx.persons_complete
            || self.cx.persons.contains(name)
            || (team_allowed && self.cx.handbook.get(Kind::Team, name).is_some())
        {
            return;
        }
        let candidates = self.cx.persons.iter().copied();
        let help = did_you_mean(name, candidates)
            .unwrap_or_else(|| "add the person to the `members` of their team".to_string());
        self.out.push(
            Diagnostic::new(
                Rule::UnknownPerson,
                &self.doc.path,
                Context::span(self.doc, path),
                format!("`{name}` is not a member of any team"),
            )
            .with_help(help),
        );
    }
}

pub(super) fn check(cx: &Context<'_>, doc: &Document, out: &mut Vec<Diagnostic>) {
    let Some(frontmatter) = &doc.frontmatter else {
        return;
    };
    let mut r = Refs { cx, doc, out };
    match frontmatter {
        Frontmatter::Service(s) => {
            r.doc(Kind::Team, &s.owner, &["owner"]);
            r.docs(Kind::Service, &s.depends_on, "depends_on");
            if let Some(id) = &s.runbook {
                r.doc(Kind::Runbook, id, &["runbook"]);
            }
            if let Some(id) = &s.sla {
                r.doc(Kind::Sla, id, &["sla"]);
            }
            if let Some(id) = &s.escalation {
                r.doc(Kind::Escalation, id, &["escalation"]);
            }
        }
        // A team's lead and members define who the persons are.
        Frontmatter::Team(_) => {}
        Frontmatter::Runbook(rb) => {
            if let Some(id) = &rb.service {
                r.doc(Kind::Service, id, &["service"]);
            }
            if let Some(id) = &rb.owner {
                r.doc(Kind::Team, id, &["owner"]);
            }
            if let Some(id) = &rb.escalation {
                r.doc(Kind::Escalation, id, &["escalation"]);
            }
            if let Some(id) = &rb.sla {
                r.doc(Kind::Sla, id, &["sla"]);
            }
        }
        Frontmatter::Postmortem(pm) => {
            r.docs(Kind::Service, &pm.services, "services");
            r.docs(Kind::Runbook, &pm.runbooks, "runbooks");
            if let Some(c) = &pm.commander {
                r.person(c, &["commander"], false);
            }
            for (role, person) in &pm.roles {
                r.person(person, &["roles", role], false);
            }
            for (i, author) in pm.authors.iter().enumerate() {
                r.person(author, &["authors", &i.to_string()], false);
            }
            for (i, item) in pm.action_items.iter().enumerate() {
                if let Some(owner) = &item.owner {
                    r.person(owner, &["action_items", &i.to_string(), "owner"], true);
                }
            }
            slo_impact(cx, doc, &pm.services, &pm.slo_impact, r.out);
        }
        Frontmatter::Sla(sla) => r.doc(Kind::Service, &sla.service, &["service"]),
        Frontmatter::Escalation(policy) => {
            for (i, level) in policy.levels.iter().enumerate() {
                for (j, notify) in level.notify.iter().enumerate() {
                    let (i, j) = (i.to_string(), j.to_string());
                    if let Some(team) = &notify.team {
                        r.doc(Kind::Team, team, &["levels", &i, "notify", &j, "team"]);
                    }
                    if let Some(person) = &notify.person {
                        r.person(person, &["levels", &i, "notify", &j, "person"], false);
                    }
                }
            }
        }
        Frontmatter::Page(page) => {
            if let Some(id) = &page.service {
                r.doc(Kind::Service, id, &["service"]);
            }
        }
    }
}

/// Each `slo_impact` name must be an SLO of an SLA of one of the incident's services.
fn slo_impact(
    cx: &Context<'_>,
    doc: &Document,
    services: &[String],
    names: &[String],
    out: &mut Vec<Diagnostic>,
) {
    if names.is_empty() || !cx.slos_complete {
        return;
    }
    let known: Vec<&str> = services
        .iter()
        .filter_map(|s| cx.slos.get(s.as_str()))
        .flatten()
        .copied()
        .collect();
    for (i, name) in names.iter().enumerate() {
        if known.contains(&name.as_str()) {
            continue;
        }
        let help = did_you_mean(name, known.iter().copied()).unwrap_or_else(|| {
            if known.is_empty() {
                "none of the incident's `services` has an SLA with SLOs".to_string()
            } else {
                format!(
                    "the SLOs of the incident's services are: {}",
                    known.join(", ")
                )
            }
        });
        out.push(
            Diagnostic::new(
                Rule::UnknownSlo,
                &doc.path,
                Context::span(doc, &["slo_impact", &i.to_string()]),
                format!("`{name}` is not an SLO of the incident's services"),
            )
            .with_help(help),
        );
    }
}

/// Reports every document whose kind and id another document already has.
///
/// Of each group, the document whose id comes from its file name (or else the first in
/// path order) keeps the id; the others are reported at their `id:` value.
pub(super) fn duplicates(handbook: &Handbook, out: &mut Vec<Diagnostic>) {
    let mut groups: HashMap<(Kind, &str), Vec<&Document>> = HashMap::new();
    for doc in &handbook.documents {
        groups.entry((doc.kind, &doc.id)).or_default().push(doc);
    }
    let explicit = |doc: &Document| {
        doc.yaml
            .as_ref()
            .and_then(|y| y.get("id"))
            .and_then(Node::as_str)
            == Some(doc.id.as_str())
    };
    for docs in groups.values().filter(|docs| docs.len() > 1) {
        let keeper = docs.iter().position(|d| !explicit(d)).unwrap_or_default();
        let original = docs[keeper];
        for (i, doc) in docs.iter().enumerate() {
            if i == keeper {
                continue;
            }
            let (from, help) = if explicit(doc) {
                ("", "change this `id:`, or remove it to use the file name")
            } else {
                (
                    " (from its file name)",
                    "rename the file, or give it another `id:`",
                )
            };
            out.push(
                Diagnostic::new(
                    Rule::DuplicateId,
                    &doc.path,
                    doc.id_span,
                    format!(
                        "duplicate {} id `{}`{from}: {} has it too",
                        doc.kind, doc.id, original.path
                    ),
                )
                .with_help(help),
            );
        }
    }
}
