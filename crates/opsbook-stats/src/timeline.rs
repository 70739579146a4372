//! An incident's time-points, each with its source: the frontmatter when it states the
//! time, else git (with the commit), else a reason why it is unknown.

use crate::facts::{CommitInfo, DocFacts, History, Reached};
use opsbook_core::config::TimePoint;
use opsbook_core::model::{ActionItem, Document, Review, Status, Timestamp};
use opsbook_core::{Diagnostic, Handbook, Rule};
use serde::Serialize;
use std::collections::BTreeMap;

/// Where a time-point's value came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum Source {
    /// Written in the postmortem's frontmatter.
    Frontmatter,
    /// Derived from git.
    Git {
        /// The full commit id.
        commit: String,
        /// How: e.g. "author time of the commit that added the file".
        how: &'static str,
    },
}

impl Source {
    /// Whether git gave the value.
    pub fn is_git(&self) -> bool {
        matches!(self, Source::Git { .. })
    }
}

/// A known time-point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Point {
    /// When.
    pub at: Timestamp,
    /// Where the value came from.
    #[serde(flatten)]
    pub source: Source,
}

/// One incident (a postmortem with readable frontmatter), ready for the statistics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Incident {
    /// The postmortem's id.
    pub id: String,
    /// Its file, relative to the handbook.
    pub path: String,
    /// Its title.
    pub title: String,
    /// Its severity.
    pub severity: String,
    /// The services affected.
    pub services: Vec<String>,
    /// SLOs whose budget it consumed (empty: all SLOs of its services).
    pub slo_impact: Vec<String>,
    /// Where the incident stands (the file on disk).
    pub status: Status,
    /// Where the write-up stands (the file on disk).
    pub review: Review,
    /// The known time-points.
    pub points: BTreeMap<TimePoint, Point>,
    /// Why each missing time-point is missing.
    pub unknown: BTreeMap<TimePoint, String>,
    /// Corrective actions.
    pub action_items: Vec<ActionItem>,
}

/// The time-points an incident opens with, in order of preference.
pub const OPENED: [TimePoint; 3] = [TimePoint::Started, TimePoint::Detected, TimePoint::Declared];

impl Incident {
    /// A time-point, if known.
    pub fn point(&self, point: TimePoint) -> Option<&Point> {
        self.points.get(&point)
    }

    /// When the incident began: `started`, else `detected`, else `declared`.
    pub fn opened(&self) -> Option<(TimePoint, &Point)> {
        OPENED
            .iter()
            .find_map(|tp| self.point(*tp).map(|p| (*tp, p)))
    }

    /// Whether the incident is still open (not resolved).
    pub fn is_open(&self) -> bool {
        self.status != Status::Resolved
    }
}

/// The name of a time-point as written in frontmatter.
pub fn name(point: TimePoint) -> &'static str {
    match point {
        TimePoint::Started => "started",
        TimePoint::Detected => "detected",
        TimePoint::Declared => "declared",
        TimePoint::Acknowledged => "acknowledged",
        TimePoint::Mitigated => "mitigated",
        TimePoint::Resolved => "resolved",
        TimePoint::Published => "published",
    }
}

/// The name of a status as written in frontmatter.
pub fn status_name(status: Status) -> &'static str {
    match status {
        Status::Investigating => "investigating",
        Status::Mitigated => "mitigated",
        Status::Resolved => "resolved",
    }
}

/// The name of a review state as written in frontmatter.
pub fn review_name(review: Review) -> &'static str {
    match review {
        Review::Draft => "draft",
        Review::InReview => "in-review",
        Review::Published => "published",
    }
}

const FRONTMATTER_POINTS: [TimePoint; 6] = [
    TimePoint::Started,
    TimePoint::Detected,
    TimePoint::Declared,
    TimePoint::Acknowledged,
    TimePoint::Mitigated,
    TimePoint::Resolved,
];

/// The incidents of `handbook` with their time-points, and the warnings (OB309) where
/// the frontmatter contradicts git. Without `history`, times come from the frontmatter only.
pub fn incidents(
    handbook: &Handbook,
    history: Option<&History>,
) -> (Vec<Incident>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    for doc in &handbook.documents {
        let Some(pm) = doc.as_postmortem() else {
            continue;
        };
        let mut incident = Incident {
            id: doc.id.clone(),
            path: doc.path.clone(),
            title: pm.title.clone(),
            severity: pm.severity.clone(),
            services: pm.services.clone(),
            slo_impact: pm.slo_impact.clone(),
            status: pm.status,
            review: pm.review,
            points: BTreeMap::new(),
            unknown: BTreeMap::new(),
            action_items: pm.action_items.clone(),
        };
        for tp in FRONTMATTER_POINTS {
            if let Some(at) = pm.time_point(name(tp)) {
                incident.points.insert(
                    tp,
                    Point {
                        at,
                        source: Source::Frontmatter,
                    },
                );
            }
        }
        let facts = history.and_then(|h| h.doc(&doc.path));
        for tp in [
            TimePoint::Declared,
            TimePoint::Mitigated,
            TimePoint::Resolved,
            TimePoint::Published,
        ] {
            fill(&mut incident, tp, history, facts, doc, &mut warnings);
        }
        for tp in FRONTMATTER_POINTS {
            if !incident.points.contains_key(&tp) && !incident.unknown.contains_key(&tp) {
                let why = match tp {
                    TimePoint::Mitigated if pm.status == Status::Investigating => {
                        "not mitigated yet (status `investigating`)".to_string()
                    }
                    TimePoint::Resolved if pm.status != Status::Resolved => {
                        format!("still open (status `{}`)", status_name(pm.status))
                    }
                    _ => "not in the frontmatter".to_string(),
                };
                incident.unknown.insert(tp, why);
            }
        }
        out.push(incident);
    }
    (out, warnings)
}

/// What a git-derived time-point is, in words, and the fact it comes from.
fn derivation(
    tp: TimePoint,
    facts: &DocFacts,
    history: &History,
) -> (&'static str, Option<Reached>) {
    let pm = facts.postmortem.clone().unwrap_or_default();
    match tp {
        TimePoint::Declared => (
            "author time of the commit that added the file",
            if facts.added_before_history {
                history
                    .boundaries
                    .first()
                    .map(|b| Reached::BeforeHistory(b.commit.clone()))
            } else {
                facts.added.clone().map(Reached::At)
            },
        ),
        TimePoint::Mitigated => (
            "commit time of the first commit whose `status` is mitigated or resolved",
            pm.mitigated,
        ),
        TimePoint::Resolved => (
            "commit time of the first commit whose `status` is resolved",
            pm.resolved,
        ),
        _ => (
            "commit time of the first commit whose `review` is published",
            pm.published,
        ),
    }
}

fn git_time(tp: TimePoint, commit: &CommitInfo) -> Timestamp {
    if tp == TimePoint::Declared {
        commit.author_time
    } else {
        commit.commit_time
    }
}

/// Fills one git-derivable time-point, or records why it is unknown; warns on contradictions.
fn fill(
    incident: &mut Incident,
    tp: TimePoint,
    history: Option<&History>,
    facts: Option<&DocFacts>,
    doc: &Document,
    warnings: &mut Vec<Diagnostic>,
) {
    // Git only speaks for a state the file on disk still has.
    let pending = match tp {
        TimePoint::Mitigated if incident.status == Status::Investigating => {
            Some("not mitigated yet (status `investigating`)".to_string())
        }
        TimePoint::Resolved if incident.status != Status::Resolved => Some(format!(
            "still open (status `{}`)",
            status_name(incident.status)
        )),
        TimePoint::Published if incident.review != Review::Published => Some(format!(
            "the postmortem is not published yet (review `{}`)",
            review_name(incident.review)
        )),
        _ => None,
    };
    let stated = incident.points.get(&tp).map(|p| p.at);
    if let (Some(why), None) = (&pending, stated) {
        incident.unknown.insert(tp, why.clone());
        return;
    }
    let Some(history) = history else {
        if stated.is_none() {
            incident.unknown.insert(
                tp,
                "not in the frontmatter, and no git history to date it".to_string(),
            );
        }
        return;
    };
    let Some(facts) = facts else {
        if stated.is_none() {
            incident.unknown.insert(
                tp,
                "not in the frontmatter, and the file is not committed".to_string(),
            );
        }
        return;
    };
    let (how, reached) = derivation(tp, facts, history);
    match (stated, reached) {
        (None, Some(Reached::At(commit))) => {
            incident.points.insert(
                tp,
                Point {
                    at: git_time(tp, &commit),
                    source: Source::Git {
                        commit: commit.id.clone(),
                        how,
                    },
                },
            );
        }
        (None, Some(Reached::BeforeHistory(boundary))) => {
            incident.unknown.insert(
                tp,
                format!(
                    "not in the frontmatter, and git cannot date it: it was already so in commit {} ({}), where the shallow clone's history stops",
                    boundary.short_id(),
                    boundary.commit_time
                ),
            );
        }
        (None, _) => {
            let state = match tp {
                TimePoint::Declared => "the adding commit is unknown".to_string(),
                TimePoint::Published => {
                    "no commit says `review: published`; the change is not committed".to_string()
                }
                _ => format!(
                    "no commit says `status: {}`; the change is not committed",
                    status_name(incident.status)
                ),
            };
            incident
                .unknown
                .insert(tp, format!("not in the frontmatter, and {state}"));
        }
        (Some(at), Some(Reached::At(commit))) => {
            let git = git_time(tp, &commit);
            if at.0 > git.0 {
                warnings.push(contradiction(doc, tp, at, git, &commit));
            }
        }
        (Some(_), _) => {}
    }
}

fn contradiction(
    doc: &Document,
    tp: TimePoint,
    stated: Timestamp,
    git: Timestamp,
    commit: &CommitInfo,
) -> Diagnostic {
    let key = name(tp);
    let what = match tp {
        TimePoint::Declared => format!(
            "the file was first committed (commit {}, authored {git}) before the incident was declared",
            commit.short_id()
        ),
        TimePoint::Mitigated => format!(
            "the first commit that says the incident is mitigated ({}, committed {git}) is earlier",
            commit.short_id()
        ),
        _ => format!(
            "the first commit that says `status: resolved` ({}, committed {git}) is earlier",
            commit.short_id()
        ),
    };
    let span = doc
        .span_at(&[key])
        .or_else(|| doc.key_span(key))
        .unwrap_or_default();
    Diagnostic::new(
        Rule::GitContradiction,
        &doc.path,
        span,
        format!("`{key}` is {stated}, but {what}"),
    )
    .with_help("a commit cannot record what had not happened yet: check the day, hour and time zone of the frontmatter value (it is the one the figures use)")
}
