//! MTBF per service, the age of open incidents, and action items by state.

use crate::metrics::{LeftOut, PointRef};
use crate::summary::Summary;
use crate::timeline::{Incident, name, status_name};
use chrono::{DateTime, Utc};
use opsbook_core::model::ItemStatus;
use serde::Serialize;
use std::collections::BTreeMap;

/// Mean time between failures of one service.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MtbfReport {
    /// The service.
    pub service: String,
    /// The gaps between the starts of consecutive incidents, in seconds.
    #[serde(flatten)]
    pub gaps: Summary,
    /// The incidents, in order of their start.
    pub incidents: Vec<String>,
    /// How many of the start times came from git.
    pub from_git: usize,
    /// Incidents of the service left out (no start time).
    pub left_out: Vec<LeftOut>,
}

/// MTBF = mean of the gaps between the starts (started, else detected, else declared) of
/// consecutive incidents of each service.
pub(crate) fn mtbf(incidents: &[&Incident]) -> Vec<MtbfReport> {
    let mut by_service: BTreeMap<&str, Vec<&Incident>> = BTreeMap::new();
    for incident in incidents {
        for service in &incident.services {
            by_service.entry(service).or_default().push(incident);
        }
    }
    by_service
        .into_iter()
        .map(|(service, list)| {
            let mut dated = Vec::new();
            let mut left_out = Vec::new();
            for incident in list {
                match incident.opened() {
                    Some((_, p)) => dated.push((p.at, p.source.is_git(), incident.id.clone())),
                    None => left_out.push(LeftOut::new(
                        incident,
                        "no `started`, `detected` or `declared`",
                    )),
                }
            }
            dated.sort();
            dated.dedup_by(|a, b| a.2 == b.2);
            let gaps: Vec<f64> = dated
                .windows(2)
                .map(|w| (w[1].0.0 - w[0].0.0).num_milliseconds() as f64 / 1000.0)
                .collect();
            MtbfReport {
                service: service.to_string(),
                gaps: Summary::of(&gaps),
                from_git: dated.iter().filter(|d| d.1).count(),
                incidents: dated.into_iter().map(|d| d.2).collect(),
                left_out,
            }
        })
        .collect()
}

/// An incident that is not resolved yet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpenIncident {
    /// Its id.
    pub incident: String,
    /// Its severity.
    pub severity: String,
    /// Its status.
    pub status: &'static str,
    /// When it began, and the source of that time.
    pub opened: PointRef,
    /// Now − opened, in seconds.
    pub age_seconds: f64,
}

/// The incidents still open and how old they are.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct OpenReport {
    /// The ages, in seconds.
    #[serde(flatten)]
    pub ages: Summary,
    /// Each open incident, oldest first.
    pub incidents: Vec<OpenIncident>,
    /// Open incidents without a start time.
    pub left_out: Vec<LeftOut>,
}

pub(crate) fn open(incidents: &[&Incident], now: DateTime<Utc>) -> OpenReport {
    let mut report = OpenReport::default();
    for incident in incidents.iter().filter(|i| i.is_open()) {
        match incident.opened() {
            Some((tp, p)) => report.incidents.push(OpenIncident {
                incident: incident.id.clone(),
                severity: incident.severity.clone(),
                status: status_name(incident.status),
                opened: PointRef {
                    point: name(tp),
                    value: p.clone(),
                },
                age_seconds: (now - p.at.0.to_utc()).num_milliseconds() as f64 / 1000.0,
            }),
            None => report.left_out.push(LeftOut::new(
                incident,
                "no `started`, `detected` or `declared`",
            )),
        }
    }
    report
        .incidents
        .sort_by(|a, b| b.age_seconds.total_cmp(&a.age_seconds));
    let ages: Vec<f64> = report.incidents.iter().map(|i| i.age_seconds).collect();
    report.ages = Summary::of(&ages);
    report
}

/// An open action item past its due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverdueItem {
    /// The incident.
    pub incident: String,
    /// The item.
    pub title: String,
    /// Its owner.
    pub owner: Option<String>,
    /// Its due date.
    pub due: String,
}

/// Action items by state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ActionItemsReport {
    /// All items.
    pub total: usize,
    /// `status: done`.
    pub done: usize,
    /// `status: open` or `in-progress`.
    pub open: usize,
    /// Open items whose `due` date is before today (UTC).
    pub overdue: usize,
    /// `status: cancelled`.
    pub cancelled: usize,
    /// The overdue items, most overdue first.
    pub overdue_items: Vec<OverdueItem>,
}

pub(crate) fn action_items(incidents: &[&Incident], now: DateTime<Utc>) -> ActionItemsReport {
    let today = now.date_naive();
    let mut report = ActionItemsReport::default();
    let mut overdue = Vec::new();
    for incident in incidents {
        for item in &incident.action_items {
            report.total += 1;
            match item.status {
                ItemStatus::Done => report.done += 1,
                ItemStatus::Cancelled => report.cancelled += 1,
                ItemStatus::Open | ItemStatus::InProgress => {
                    report.open += 1;
                    if let Some(due) = item.due.filter(|d| d.0 < today) {
                        report.overdue += 1;
                        overdue.push((due, incident.id.clone(), item));
                    }
                }
            }
        }
    }
    overdue.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    report.overdue_items = overdue
        .into_iter()
        .map(|(due, incident, item)| OverdueItem {
            incident,
            title: item.title.clone(),
            owner: item.owner.clone(),
            due: due.to_string(),
        })
        .collect();
    report
}
