//! The document model: the seven kinds of document and their typed frontmatter.

mod escalation;
mod page;
mod postmortem;
mod runbook;
mod service;
mod sla;
mod team;
mod values;

pub use escalation::{Escalation, Level, Notify, Via};
pub use page::Page;
pub use postmortem::{ActionItem, ItemStatus, Postmortem, Review, Status, TIME_POINTS, Trigger};
pub use runbook::Runbook;
pub use service::{Dashboard, Service};
pub use sla::{Commitment, Queries, Sla, Slo, TicketTarget};
pub use team::{Member, Team};
pub use values::{Date, Duration, Percent, Tier, Timestamp};

use crate::markdown::Outline;
use crate::span::Span;
use crate::yaml::Node;
use serde::Serialize;
use std::fmt;

/// Free-form frontmatter data under `extra:`, passed to templates untouched.
pub type Extra = serde_json::Map<String, serde_json::Value>;

/// The kind of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Something that runs.
    Service,
    /// People.
    Team,
    /// What to do when a service misbehaves.
    Runbook,
    /// What happened in an incident.
    Postmortem,
    /// Objectives agreed with a customer.
    Sla,
    /// Who is paged, and when.
    Escalation,
    /// Anything else.
    Page,
}

impl Kind {
    /// Every kind, in the order the handbook presents them.
    pub const ALL: [Kind; 7] = [
        Kind::Service,
        Kind::Team,
        Kind::Runbook,
        Kind::Postmortem,
        Kind::Sla,
        Kind::Escalation,
        Kind::Page,
    ];

    /// The name used in `kind:` and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Service => "service",
            Kind::Team => "team",
            Kind::Runbook => "runbook",
            Kind::Postmortem => "postmortem",
            Kind::Sla => "sla",
            Kind::Escalation => "escalation",
            Kind::Page => "page",
        }
    }

    /// The folder documents of this kind live in by default.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Service => "services",
            Kind::Team => "teams",
            Kind::Runbook => "runbooks",
            Kind::Postmortem => "postmortems",
            Kind::Sla => "slas",
            Kind::Escalation => "escalation",
            Kind::Page => "pages",
        }
    }

    /// The kind named `name`.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The kind implied by a top-level folder name, if any (`page` is never implied).
    pub fn from_folder(folder: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| *k != Kind::Page && k.folder() == folder)
    }

    /// The names of all kinds.
    pub fn names() -> Vec<&'static str> {
        Kind::ALL.iter().map(|k| k.name()).collect()
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Typed frontmatter, one variant per kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Frontmatter {
    /// A service.
    Service(Service),
    /// A team.
    Team(Team),
    /// A runbook.
    Runbook(Runbook),
    /// A postmortem.
    Postmortem(Box<Postmortem>),
    /// An SLA.
    Sla(Sla),
    /// An escalation policy.
    Escalation(Escalation),
    /// A page.
    Page(Page),
}

/// Index of a file in [`crate::Handbook::files`].
pub type FileId = usize;

/// One markdown document of the handbook.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file it was read from.
    pub file: FileId,
    /// Its path relative to the handbook root, with `/` separators.
    pub path: String,
    /// Its kind.
    pub kind: Kind,
    /// Its id: `id:` or the file stem.
    pub id: String,
    /// Where the id is written (the `id:` value, else the start of the file).
    pub id_span: Span,
    /// `title:` of the frontmatter when it is text, read even when other keys have
    /// schema errors (so the page still has its title); for an SLA without one,
    /// "<service title> SLA", set by [`crate::Handbook::new`].
    pub title: Option<String>,
    /// The frontmatter as a spanned tree (`None` when it is empty or did not parse, or
    /// after [`Document::release_check_data`]).
    pub yaml: Option<Node>,
    /// The typed frontmatter (`None` when it has schema errors).
    pub frontmatter: Option<Frontmatter>,
    /// Headings, sections and links of the markdown body.
    pub outline: Outline,
    /// Old addresses of its page (`aliases:`), read even when other keys have schema
    /// errors, so that the old URLs keep working.
    pub aliases: Vec<crate::permalink::Alias>,
}

impl Document {
    /// The document's title: `title:` (or an SLA's default, see the `title` field),
    /// else its first heading, else its id.
    pub fn title(&self) -> &str {
        self.title
            .as_deref()
            .or_else(|| self.outline.headings.first().map(|h| h.text.as_str()))
            .unwrap_or(&self.id)
    }

    /// Frees what only the checks need — the spanned frontmatter tree (`span_at` and
    /// `key_span` then return `None`) and the outline's sections and links — once every
    /// diagnostic is made: a site build of a large handbook needs only the typed
    /// frontmatter and the headings.
    pub fn release_check_data(&mut self) {
        self.yaml = None;
        self.outline.sections = Vec::new();
        self.outline.links = Vec::new();
    }

    /// The span of the value at `path` in the frontmatter, e.g. `["services", "1"]`.
    pub fn span_at(&self, path: &[&str]) -> Option<Span> {
        self.yaml.as_ref()?.at(path).map(|n| n.span)
    }

    /// The span of the key `key` of the frontmatter.
    pub fn key_span(&self, key: &str) -> Option<Span> {
        self.yaml.as_ref()?.entry(key).map(|(k, _)| k.span)
    }

    /// The typed frontmatter if this is a runbook.
    pub fn as_runbook(&self) -> Option<&Runbook> {
        match &self.frontmatter {
            Some(Frontmatter::Runbook(r)) => Some(r),
            _ => None,
        }
    }

    /// The typed frontmatter if this is a postmortem.
    pub fn as_postmortem(&self) -> Option<&Postmortem> {
        match &self.frontmatter {
            Some(Frontmatter::Postmortem(p)) => Some(p),
            _ => None,
        }
    }

    /// The typed frontmatter if this is a service.
    pub fn as_service(&self) -> Option<&Service> {
        match &self.frontmatter {
            Some(Frontmatter::Service(s)) => Some(s),
            _ => None,
        }
    }

    /// The typed frontmatter if this is a team.
    pub fn as_team(&self) -> Option<&Team> {
        match &self.frontmatter {
            Some(Frontmatter::Team(t)) => Some(t),
            _ => None,
        }
    }

    /// The typed frontmatter if this is an SLA.
    pub fn as_sla(&self) -> Option<&Sla> {
        match &self.frontmatter {
            Some(Frontmatter::Sla(s)) => Some(s),
            _ => None,
        }
    }

    /// The typed frontmatter if this is an escalation policy.
    pub fn as_escalation(&self) -> Option<&Escalation> {
        match &self.frontmatter {
            Some(Frontmatter::Escalation(e)) => Some(e),
            _ => None,
        }
    }
}
