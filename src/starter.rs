//! Templates: a new document of each kind (`opsbook new`) and the starter handbook
//! (`opsbook init`).

use opsbook_core::Config;
use opsbook_core::model::Kind;

/// What to write in a section the author has to fill in.
const TODO: &str = "TODO: write this section.";

/// A new document of `kind` called `id`, with placeholders where the author must decide.
/// Once the `TODO` values are replaced it passes `opsbook check`.
pub(crate) fn document(kind: Kind, id: &str, config: &Config, today: &str) -> String {
    let sections = |names: &[String]| -> String {
        names
            .iter()
            .map(|n| format!("## {n}\n\n{TODO}\n"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let severity = config.severities.last().map_or("SEV4", |s| s.id.as_str());
    match kind {
        Kind::Service => format!(
            "---\ntitle: \"{id}\"\nowner: TODO-team-id\ntier: 3\ndepends_on: []\nrunbook: {id}\nescalation: TODO-escalation-id\ndashboards:\n  - title: \"{id} overview\"\n    url: \"https://grafana.example.com/d/{id}\"\n---\n\n## Overview\n\nTODO: what {id} does, who calls it, where it runs.\n"
        ),
        Kind::Team => format!(
            "---\ntitle: \"{id}\"\nlead: TODO.person\nmembers:\n  - name: TODO.person\n    role: team lead\n    contact: TODO@example.com\nchannels: [\"#{id}\"]\n---\n\n## Responsibilities\n\nTODO: what the team owns and how to reach it.\n"
        ),
        Kind::Runbook => format!(
            "---\ntitle: \"{id}\"\nservice: TODO-service-id\nowner: TODO-team-id\nescalation: TODO-escalation-id\nreviewed: {today}\nalerts: []\ntags: []\n---\n\n{}",
            sections(&config.runbook_sections)
        ),
        Kind::Postmortem => format!(
            "---\nid: {id}\ntitle: \"{id}: TODO one-line summary\"\nseverity: {severity}\nstatus: investigating\nreview: draft\nservices: [TODO-service-id]\ndetected: {today}T00:00:00Z\ncommander: TODO.person\nroles:\n  communications: TODO.person\n  scribe: TODO.person\nauthors: [TODO.person]\ntriggers: []\naction_items: []\n---\n\n{}",
            sections(&config.postmortem_sections)
        ),
        Kind::Sla => format!(
            "---\nservice: TODO-service-id\ncustomer: \"TODO: who the agreement is with\"\nwindow: 30d\nslos:\n  - name: availability\n    sli: \"successful requests / total requests\"\n    objective: 99.9\n  - name: latency\n    sli: \"requests served under 300 ms / total requests\"\n    objective: 95\n    threshold: 300ms\nticket_sla:\n  P1: {{response: 30m, resolve: 8h}}\n  P2: {{response: 4h, resolve: 3d}}\n---\n\n## Summary\n\nTODO: how the objectives of {id} are measured and reported.\n"
        ),
        Kind::Escalation => format!(
            "---\ntitle: \"{id}\"\nlevels:\n  - after: 0m\n    notify:\n      - team: TODO-team-id\n        via: pager\n  - after: 15m\n    notify:\n      - person: TODO.person\n        via: phone\nseverity_routes:\n  {}: 1\n---\n\n## Summary\n\nTODO: when this policy applies.\n",
            config.severities.first().map_or("SEV1", |s| s.id.as_str())
        ),
        Kind::Page => format!("---\ntitle: \"{id}\"\ntags: []\n---\n\n# {id}\n\nTODO\n"),
    }
}

/// The files of the starter handbook: `(path, text)`, dated `today` (`YYYY-MM-DD`).
pub(crate) fn handbook(today: &str) -> Vec<(&'static str, String)> {
    let files = [
        ("handbook.yaml", include_str!("starter/handbook.yaml")),
        ("teams/sre.md", include_str!("starter/teams/sre.md")),
        (
            "services/web-api.md",
            include_str!("starter/services/web-api.md"),
        ),
        (
            "runbooks/web-api.md",
            include_str!("starter/runbooks/web-api.md"),
        ),
        (
            "slas/web-api-sla.md",
            include_str!("starter/slas/web-api-sla.md"),
        ),
        (
            "escalation/default.md",
            include_str!("starter/escalation/default.md"),
        ),
        (
            "docs/architecture.md",
            include_str!("starter/docs/architecture.md"),
        ),
    ];
    files
        .into_iter()
        .map(|(path, text)| (path, text.replace("{{today}}", today)))
        .collect()
}
