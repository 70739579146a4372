//! Which kind each imported document is, and where in the handbook it goes.

use opsbook_core::model::Kind;

/// Folder names that hold documents of a kind, as teams name them.
const FOLDERS: [(Kind, &[&str]); 6] = [
    (
        Kind::Runbook,
        &[
            "runbooks",
            "runbook",
            "playbooks",
            "playbook",
            "sops",
            "sop",
        ],
    ),
    (
        Kind::Postmortem,
        &[
            "postmortems",
            "postmortem",
            "post-mortems",
            "post-mortem",
            "post_mortems",
            "incidents",
            "incident-reports",
            "incident-reviews",
            "retrospectives",
            "pirs",
        ],
    ),
    (Kind::Service, &["services", "service"]),
    (Kind::Team, &["teams", "team"]),
    (Kind::Sla, &["slas", "sla", "slos"]),
    (
        Kind::Escalation,
        &["escalation", "escalations", "escalation-policies"],
    ),
];

/// Level-2 headings of runbooks (those of Prometheus-style runbooks and of opsbook's).
const RUNBOOK_SECTIONS: [&str; 11] = [
    "summary",
    "meaning",
    "diagnosis",
    "mitigation",
    "symptoms",
    "remediation",
    "troubleshooting",
    "alerts",
    "escalation path",
    "incident workflow",
    "service sla",
];

/// Level-2 headings of postmortems.
const POSTMORTEM_SECTIONS: [&str; 9] = [
    "timeline",
    "root cause",
    "root causes",
    "action items",
    "lessons learned",
    "contributing factors",
    "what went well",
    "what went wrong",
    "follow-up actions",
];

/// Where a document goes, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// Its kind.
    pub kind: Kind,
    /// Its path in the handbook.
    pub dest: String,
    /// How the kind was told, for the report (e.g. "folder playbooks/").
    pub because: String,
}

/// The kind a folder path implies, with the folder and what lies below it.
fn folder_kind(dirs: &[&str]) -> Option<(Kind, usize)> {
    dirs.iter().enumerate().find_map(|(i, d)| {
        let lower = d.to_ascii_lowercase();
        FOLDERS
            .iter()
            .find(|(_, names)| names.contains(&lower.as_str()))
            .map(|(kind, _)| (*kind, i))
    })
}

/// The path in the handbook of a file below the content folder that is not a document
/// (an image beside a runbook): it moves with its folder.
pub fn dest_of_file(rel: &str) -> String {
    let parts: Vec<&str> = rel.split('/').collect();
    match folder_kind(&parts[..parts.len() - 1]) {
        Some((kind, i)) => {
            let mut dest = vec![kind.folder()];
            dest.extend(&parts[i + 1..]);
            dest.join("/")
        }
        None => rel.to_string(),
    }
}

/// The kind that headings imply, with the headings that told.
pub fn kind_by_sections(sections: &[String]) -> Option<(Kind, Vec<String>)> {
    let found = |names: &[&str]| -> Vec<String> {
        sections
            .iter()
            .filter(|s| names.contains(&s.trim().to_lowercase().as_str()))
            .cloned()
            .collect()
    };
    let postmortem = found(&POSTMORTEM_SECTIONS);
    if postmortem.len() >= 2 {
        return Some((Kind::Postmortem, postmortem));
    }
    let runbook = found(&RUNBOOK_SECTIONS);
    (runbook.len() >= 2).then_some((Kind::Runbook, runbook))
}

/// Places the document at `rel` (below the content folder): by `kind:` of its
/// frontmatter, else its folder, else its level-2 sections; else it is a page. A
/// folder's index page is always a page (it introduces the folder).
pub fn place(rel: &str, declared: Option<Kind>, sections: &[String], index: bool) -> Placement {
    let parts: Vec<&str> = rel.split('/').collect();
    let dirs = &parts[..parts.len() - 1];
    let by_folder = folder_kind(dirs);
    if index {
        // `runbooks/db/_index.md` → `pages/runbooks-db.md`: a page cannot live in a
        // kind's folder, and every index file is named alike.
        // The site's own index stays at the root, where its relative links lead (as
        // `home.md`: `index.html` is opsbook's home page); a README keeps its name.
        let file = parts[parts.len() - 1];
        let dest = match by_folder {
            Some(_) => format!("pages/{}.md", dirs.join("-").to_lowercase()),
            None if dirs.is_empty() && !file.to_lowercase().starts_with("readme") => {
                "home.md".to_string()
            }
            None => rel.to_string(),
        };
        return Placement {
            kind: Kind::Page,
            dest,
            because: "the index of its folder".to_string(),
        };
    }
    // Jekyll's `_posts/` says how a file is published, not what it is about.
    let under = |kind: Kind, from: usize| {
        let mut dest = vec![kind.folder()];
        dest.extend(parts[from..].iter().filter(|p| **p != "_posts"));
        dest.join("/")
    };
    if let Some(kind) = declared {
        let dest = match by_folder {
            _ if kind == Kind::Page => match by_folder {
                Some(_) => format!("pages/{}", parts.join("-")),
                None => rel.to_string(),
            },
            Some((_, i)) => under(kind, i + 1),
            None => under(kind, 0),
        };
        return Placement {
            kind,
            dest,
            because: format!("kind: {kind}"),
        };
    }
    if let Some((kind, i)) = by_folder {
        return Placement {
            kind,
            dest: under(kind, i + 1),
            because: format!("folder {}/", dirs[..=i].join("/")),
        };
    }
    if let Some((kind, found)) = kind_by_sections(sections) {
        return Placement {
            kind,
            dest: under(kind, 0),
            because: format!("sections {}", found.join(", ")),
        };
    }
    Placement {
        kind: Kind::Page,
        dest: rel.to_string(),
        because: "no runbook or postmortem sections".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn kinds_from_folders_synonyms_and_sections() {
        let p = place("docs/runbooks/db/PgDown.md", None, &[], false);
        assert_eq!(
            (p.kind, p.dest.as_str()),
            (Kind::Runbook, "runbooks/db/PgDown.md")
        );
        assert_eq!(p.because, "folder docs/runbooks/");
        let p = place("Playbooks/Disk.md", None, &[], false);
        assert_eq!(
            (p.kind, p.dest.as_str()),
            (Kind::Runbook, "runbooks/Disk.md")
        );
        let p = place("post-mortems/2024-03-01.md", None, &[], false);
        assert_eq!(
            (p.kind, p.dest.as_str()),
            (Kind::Postmortem, "postmortems/2024-03-01.md")
        );
        let p = place(
            "ops/Disk.md",
            None,
            &s(&["Meaning", "Impact", "Diagnosis", "Mitigation"]),
            false,
        );
        assert_eq!(
            (p.kind, p.dest.as_str()),
            (Kind::Runbook, "runbooks/ops/Disk.md")
        );
        assert_eq!(p.because, "sections Meaning, Diagnosis, Mitigation");
        let p = place(
            "notes/outage.md",
            None,
            &s(&["Summary", "Timeline", "Root cause"]),
            false,
        );
        assert_eq!(p.kind, Kind::Postmortem);
        let p = place("about.md", None, &s(&["Summary", "Impact"]), false);
        assert_eq!((p.kind, p.dest.as_str()), (Kind::Page, "about.md"));
    }

    #[test]
    fn index_pages_become_pages() {
        assert_eq!(
            place("runbooks/db/_index.md", None, &[], true).dest,
            "pages/runbooks-db.md"
        );
        assert_eq!(place("_index.md", None, &[], true).dest, "home.md");
        assert_eq!(place("README.md", None, &[], true).dest, "README.md");
        assert_eq!(
            place("guides/README.md", None, &[], true).dest,
            "guides/README.md"
        );
        assert_eq!(
            dest_of_file("playbooks/db/diagram.png"),
            "runbooks/db/diagram.png"
        );
    }
}
