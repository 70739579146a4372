//! Incident views: a row of an incident table, the postmortem page, the postmortem index.

use super::stats::{SourceView, source};
use super::{Ctx, Link, external, severity_class};
use crate::format;
use opsbook_core::config::TimePoint;
use opsbook_core::model::{Document, ItemStatus, Kind, Postmortem, Status, TIME_POINTS};
use opsbook_stats::Incident;
use opsbook_stats::timeline::{self, Point};
use serde::Serialize;

/// One incident in a table.
#[derive(Debug, Serialize)]
pub struct IncidentRow {
    /// Its id.
    pub id: String,
    /// Its title, linked.
    pub link: Link,
    /// Its severity, e.g. `SEV1`.
    pub severity: String,
    /// `sev1` … `sev4`.
    pub sev_class: String,
    /// `investigating`, `mitigated` or `resolved`.
    pub status: &'static str,
    /// `draft`, `in-review` or `published`.
    pub review: &'static str,
    /// When it began, for people.
    pub started: String,
    /// When it began, RFC 3339 (sort key).
    pub started_iso: String,
    /// How long it lasted (start to resolved, else mitigated), for people.
    pub duration: String,
    /// The same in minutes (sort key; -1 when unknown).
    pub duration_minutes: i64,
    /// Where the start and end of the duration came from, when git gave either:
    /// `git 1a2b3c4d5e` (shown beside the figure so nobody mistakes it for a written time).
    pub duration_source: Option<SourceView>,
    /// Affected services, linked.
    pub services: Vec<Link>,
    /// Affected service ids, space-separated (filter key).
    pub service_ids: String,
}

fn status_name(s: Status) -> &'static str {
    match s {
        Status::Investigating => "investigating",
        Status::Mitigated => "mitigated",
        Status::Resolved => "resolved",
    }
}

/// How long an incident lasted, in seconds: from when it began (`started`, else
/// `detected`, else `declared`) to `resolved`, else `mitigated`; with the source of the
/// end that git gave, if any. Times come from the same engine as `opsbook stats`: the
/// frontmatter wins, git fills what it leaves out.
pub fn incident_duration(incident: &Incident) -> Option<(i64, Option<&Point>)> {
    let (_, from) = incident.opened()?;
    let to = [TimePoint::Resolved, TimePoint::Mitigated]
        .into_iter()
        .find_map(|tp| incident.point(tp))?;
    let git = [from, to].into_iter().find(|p| p.source.is_git());
    Some(((to.at.0 - from.at.0).num_seconds(), git))
}

impl Ctx<'_> {
    /// The row of `doc` in a table on `page`.
    pub fn incident_row(&self, page: &str, doc: &Document, pm: &Postmortem) -> IncidentRow {
        let incident = self.incidents.get(doc.path.as_str()).copied();
        let start = self.incident_opened(doc, pm);
        let span = incident.and_then(incident_duration);
        let secs = span.map(|(s, _)| s);
        IncidentRow {
            id: doc.id.clone(),
            link: self.link_doc(page, doc),
            severity: pm.severity.clone(),
            sev_class: severity_class(self.handbook, &pm.severity),
            status: status_name(pm.status),
            review: match pm.review {
                opsbook_core::model::Review::Draft => "draft",
                opsbook_core::model::Review::InReview => "in-review",
                opsbook_core::model::Review::Published => "published",
            },
            started: start.map(|t| format::utc(&t)).unwrap_or_default(),
            started_iso: start
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .unwrap_or_default(),
            duration: secs.map(format::duration).unwrap_or_else(|| "—".into()),
            duration_minutes: secs.map_or(-1, |s| s / 60),
            duration_source: span.and_then(|(_, git)| git.map(source)),
            services: pm
                .services
                .iter()
                .map(|s| self.link(page, Kind::Service, s))
                .collect(),
            service_ids: pm.services.join(" "),
        }
    }

    /// Rows of several postmortems.
    pub fn incident_rows<'d>(
        &self,
        page: &str,
        docs: impl IntoIterator<Item = &'d Document>,
    ) -> Vec<IncidentRow> {
        docs.into_iter()
            .filter_map(|d| Some(self.incident_row(page, d, d.as_postmortem()?)))
            .collect()
    }
}

/// A time-point of the incident timeline.
#[derive(Debug, Serialize)]
pub struct TimeRow {
    /// `started`, `detected`, …
    pub name: &'static str,
    /// For people.
    pub time: String,
    /// RFC 3339.
    pub iso: String,
    /// Since the previous time-point.
    pub since_previous: String,
    /// Since the first time-point.
    pub since_start: String,
    /// Where the value came from: the frontmatter, or git with the commit.
    pub source: Option<SourceView>,
}

/// A named duration: `Time to detect: 12m`.
#[derive(Debug, Serialize)]
pub struct Span {
    /// What is measured.
    pub label: String,
    /// How long.
    pub value: String,
    /// The formula.
    pub formula: String,
}

/// An action item.
#[derive(Debug, Serialize)]
pub struct ActionView {
    /// What is to be done.
    pub title: String,
    /// Who does it.
    pub owner: Option<Link>,
    /// By when.
    pub due: String,
    /// `open`, `in-progress`, `done`, `cancelled`.
    pub status: &'static str,
    /// Whether it is open and past due.
    pub overdue: bool,
    /// The ticket.
    pub link: Option<Link>,
}

/// The postmortem page.
#[derive(Debug, Serialize)]
pub struct PostmortemView {
    /// Its row (severity, status, services, …).
    pub row: IncidentRow,
    /// The severity's label from the handbook's scale.
    pub severity_label: String,
    /// Time-points in time order, with the durations between them.
    pub timeline: Vec<TimeRow>,
    /// The handbook's duration metrics for this incident.
    pub spans: Vec<Span>,
    /// The incident commander.
    pub commander: Option<Link>,
    /// Other roles.
    pub roles: Vec<(String, Link)>,
    /// Who wrote it.
    pub authors: Vec<Link>,
    /// Why a postmortem was written.
    pub triggers: Vec<String>,
    /// Runbooks used.
    pub runbooks: Vec<Link>,
    /// SLOs whose budget it consumed.
    pub slo_impact: Vec<String>,
    /// Corrective actions.
    pub actions: Vec<ActionView>,
    /// Open action items.
    pub open_actions: usize,
    /// The live record: the structured entries of the Timeline section, by day.
    pub record: Vec<super::record::RecordDay>,
}

impl Ctx<'_> {
    /// The view of the postmortem page at `page`.
    pub fn postmortem(&self, page: &str, doc: &Document, pm: &Postmortem) -> PostmortemView {
        // Time-points with their sources (frontmatter wins, git fills), as `opsbook stats`.
        let incident = self.incidents.get(doc.path.as_str());
        let mut points: Vec<(
            &'static str,
            opsbook_core::model::Timestamp,
            Option<SourceView>,
        )> = match incident {
            Some(i) => i
                .points
                .iter()
                .map(|(tp, p)| (timeline::name(*tp), p.at, Some(source(p))))
                .collect(),
            None => TIME_POINTS
                .iter()
                .filter_map(|n| Some((*n, pm.time_point(n)?, None)))
                .collect(),
        };
        points.sort_by_key(|(_, t, _)| *t);
        let first = points.first().map(|(_, t, _)| t.0);
        let mut prev = first;
        let timeline = points
            .into_iter()
            .map(|(name, t, source)| {
                let since = |a: Option<chrono::DateTime<chrono::FixedOffset>>| {
                    a.map(|a| format::duration((t.0 - a).num_seconds()))
                        .unwrap_or_default()
                };
                let row = TimeRow {
                    name,
                    time: format::timestamp(&t),
                    iso: format::iso(&t),
                    since_previous: since(prev),
                    since_start: since(first),
                    source,
                };
                prev = Some(t.0);
                row
            })
            .collect();
        let spans = self
            .stats
            .metrics
            .iter()
            .enumerate()
            .filter_map(|(i, m)| {
                let v = m.values.get(self.lookups.measured(i, &doc.id)?)?;
                Some(Span {
                    value: format::duration(v.seconds.round() as i64),
                    label: format!("{} ({})", m.title.replace("Mean time", "Time"), m.name),
                    formula: m.formula.clone(),
                })
            })
            .collect();
        let today = self.now.date_naive();
        let actions: Vec<ActionView> = pm
            .action_items
            .iter()
            .map(|a| ActionView {
                title: a.title.clone(),
                owner: a.owner.as_deref().map(|o| self.person(page, o)),
                due: a.due.map(|d| d.to_string()).unwrap_or_default(),
                status: match a.status {
                    ItemStatus::Open => "open",
                    ItemStatus::InProgress => "in-progress",
                    ItemStatus::Done => "done",
                    ItemStatus::Cancelled => "cancelled",
                },
                overdue: a.status.is_open() && a.due.is_some_and(|d| d.0 < today),
                link: a.link.as_deref().map(|l| external(l, l)),
            })
            .collect();
        PostmortemView {
            row: self.incident_row(page, doc, pm),
            severity_label: self
                .handbook
                .config
                .severities
                .iter()
                .find(|s| s.id == pm.severity)
                .and_then(|s| s.label.clone())
                .unwrap_or_default(),
            timeline,
            spans,
            commander: pm.commander.as_deref().map(|c| self.person(page, c)),
            roles: pm
                .roles
                .iter()
                // `roles: {commander: …}` repeats `commander:`; show it once.
                .filter(|(r, p)| !(r.as_str() == "commander" && pm.commander.as_ref() == Some(*p)))
                .map(|(r, p)| (r.replace(['-', '_'], " "), self.person(page, p)))
                .collect(),
            authors: pm.authors.iter().map(|a| self.person(page, a)).collect(),
            triggers: pm
                .triggers
                .iter()
                .map(|t| {
                    serde_json::to_value(t)
                        .ok()
                        .and_then(|v| v.as_str().map(|s| s.replace('-', " ")))
                        .unwrap_or_default()
                })
                .collect(),
            runbooks: pm
                .runbooks
                .iter()
                .map(|r| self.link(page, Kind::Runbook, r))
                .collect(),
            slo_impact: pm.slo_impact.clone(),
            record: self.incident_record(page, doc),
            open_actions: actions
                .iter()
                .filter(|a| a.status == "open" || a.status == "in-progress")
                .count(),
            actions,
        }
    }
}

/// The postmortem index: every incident, and the values its filters offer.
#[derive(Debug, Serialize)]
pub struct IndexView {
    /// Every incident, most recent first.
    pub rows: Vec<IncidentRow>,
    /// The severities to filter by.
    pub severities: Vec<String>,
    /// The services to filter by.
    pub services: Vec<String>,
    /// The statuses to filter by.
    pub statuses: [&'static str; 3],
}

impl Ctx<'_> {
    /// The postmortem index at `page`.
    pub fn postmortem_index(&self, page: &str) -> IndexView {
        let rows: Vec<IncidentRow> = self
            .rel
            .incidents
            .iter()
            .map(|(d, pm)| self.incident_row(page, d, pm))
            .collect();
        let mut services: Vec<String> = self
            .rel
            .incidents
            .iter()
            .flat_map(|(_, pm)| pm.services.iter().cloned())
            .collect();
        services.sort();
        services.dedup();
        IndexView {
            rows,
            severities: self
                .handbook
                .config
                .severity_ids()
                .map(String::from)
                .collect(),
            services,
            statuses: ["investigating", "mitigated", "resolved"],
        }
    }
}
