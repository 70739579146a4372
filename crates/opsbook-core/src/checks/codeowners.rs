//! OB209: a runbook's path in the repository's CODEOWNERS is owned by its own team.
//!
//! The CODEOWNERS file is looked for where GitHub and GitLab read it (`CODEOWNERS`,
//! `.github/CODEOWNERS`, `.gitlab/CODEOWNERS`, `docs/CODEOWNERS`) under the handbook's
//! root, whose paths it is taken to be relative to. The last matching line wins, as in git.

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::model::{Document, Kind};
use crate::rules::Rule;
use crate::yaml::Node;
use globset::{GlobBuilder, GlobMatcher};
use std::path::Path;

const LOCATIONS: [&str; 4] = [
    "CODEOWNERS",
    ".github/CODEOWNERS",
    ".gitlab/CODEOWNERS",
    "docs/CODEOWNERS",
];

/// One line of a CODEOWNERS file: the paths it matches and who owns them.
struct Entry {
    matchers: Vec<GlobMatcher>,
    owners: Vec<String>,
}

/// The entries of the first CODEOWNERS file found under `root`, with its relative path.
fn read(root: &Path) -> Option<(String, Vec<Entry>)> {
    let (name, text) = LOCATIONS
        .iter()
        .find_map(|name| Some((*name, std::fs::read_to_string(root.join(name)).ok()?)))?;
    Some((name.to_owned(), parse(&text)))
}

fn parse(text: &str) -> Vec<Entry> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('['))
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let pattern = words.next()?;
            let owners = words.map(str::to_owned).collect();
            Some(Entry {
                matchers: globs(pattern),
                owners,
            })
        })
        .collect()
}

/// The globs a CODEOWNERS pattern stands for (gitignore semantics: a pattern without an
/// inner `/` matches at any depth, and a pattern that names a folder covers what it holds).
fn globs(pattern: &str) -> Vec<GlobMatcher> {
    let dir_only = pattern.ends_with('/');
    let trimmed = pattern.trim_end_matches('/');
    let anchored = trimmed.starts_with('/') || trimmed.contains('/');
    let base = trimmed.trim_start_matches('/');
    let base = if anchored || base.starts_with("**") {
        base.to_owned()
    } else {
        format!("**/{base}")
    };
    let mut forms = vec![format!("{base}/**")];
    if !dir_only {
        forms.push(base);
    }
    forms
        .iter()
        .filter_map(|g| {
            GlobBuilder::new(g)
                .literal_separator(true)
                .build()
                .ok()
                .map(|g| g.compile_matcher())
        })
        .collect()
}

/// The owners CODEOWNERS gives `path`: those of the last matching line.
fn owners_of<'e>(entries: &'e [Entry], path: &str) -> Option<&'e [String]> {
    entries
        .iter()
        .rev()
        .find(|e| e.matchers.iter().any(|m| m.is_match(path)))
        .map(|e| e.owners.as_slice())
}

/// Whether the CODEOWNERS owner `token` stands for `team` or one of its members:
/// `@org/team-id`, `@team-id`, a member's name or contact.
fn is_team_owner(token: &str, team: &str, members: &[&str]) -> bool {
    let handle = token.trim_start_matches('@');
    handle == team
        || handle.rsplit('/').next() == Some(team)
        || members.iter().any(|m| m.trim_start_matches('@') == handle)
}

/// The team that owns `runbook`: its own `owner`, else its service's.
fn owning_team<'a>(cx: &Context<'a>, runbook: &'a Document) -> Option<&'a str> {
    let yaml = runbook.yaml.as_ref()?;
    if let Some(owner) = yaml.get("owner").and_then(Node::as_str) {
        return Some(owner);
    }
    let service = yaml.get("service").and_then(Node::as_str)?;
    cx.handbook
        .get(Kind::Service, service)?
        .yaml
        .as_ref()?
        .get("owner")
        .and_then(Node::as_str)
}

/// Names and contacts of the members and lead of `team`.
fn members<'a>(cx: &Context<'a>, team: &str) -> Vec<&'a str> {
    let Some(yaml) = cx
        .handbook
        .get(Kind::Team, team)
        .and_then(|d| d.yaml.as_ref())
    else {
        return Vec::new();
    };
    let mut out: Vec<&str> = yaml
        .get("lead")
        .and_then(Node::as_str)
        .into_iter()
        .collect();
    for member in yaml
        .get("members")
        .and_then(Node::as_seq)
        .unwrap_or_default()
    {
        out.extend(member.get("name").and_then(Node::as_str));
        out.extend(member.get("contact").and_then(Node::as_str));
    }
    out
}

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some((file, entries)) = read(&cx.handbook.root) else {
        return;
    };
    for runbook in cx.handbook.of_kind(Kind::Runbook) {
        let owners = owners_of(&entries, &runbook.path).unwrap_or_default();
        if owners.is_empty() {
            out.push(
                Diagnostic::new(
                    Rule::Codeowners,
                    &runbook.path,
                    Default::default(),
                    format!("no line of {file} gives this runbook an owner"),
                )
                .with_help(format!(
                    "add a line such as `/{} @ORG/TEAM` to {file}",
                    runbook.path
                )),
            );
            continue;
        }
        let Some(team) = owning_team(cx, runbook) else {
            continue;
        };
        let members = members(cx, team);
        if !owners.iter().any(|o| is_team_owner(o, team, &members)) {
            out.push(
                Diagnostic::new(
                    Rule::Codeowners,
                    &runbook.path,
                    Context::span(runbook, &["owner"]),
                    format!(
                        "{file} gives this runbook to {}, not to its team `{team}` or its members",
                        owners.join(" ")
                    ),
                )
                .with_help(format!(
                    "make `{team}` (e.g. `@ORG/{team}`) an owner of `/{}` in {file}, or fix the runbook's owner",
                    runbook.path
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_matching_line_wins_and_patterns_follow_gitignore() {
        let entries = parse(
            "# comment\n* @org/everyone\n/runbooks/ @org/sre\nrunbooks/db-*.md @org/dba\nlogin.md @alice\n",
        );
        assert_eq!(
            owners_of(&entries, "runbooks/web.md").unwrap(),
            ["@org/sre"]
        );
        assert_eq!(
            owners_of(&entries, "runbooks/db-main.md").unwrap(),
            ["@org/dba"]
        );
        assert_eq!(
            owners_of(&entries, "runbooks/sub/login.md").unwrap(),
            ["@alice"]
        );
        assert_eq!(owners_of(&entries, "docs/x.md").unwrap(), ["@org/everyone"]);
        assert!(owners_of(&parse("/docs/ @a\n"), "runbooks/x.md").is_none());
    }

    #[test]
    fn team_owner_is_the_team_handle_or_a_member() {
        assert!(is_team_owner("@org/sre", "sre", &[]));
        assert!(is_team_owner("@sre", "sre", &[]));
        assert!(is_team_owner("@alice", "sre", &["alice"]));
        assert!(!is_team_owner("@org/dba", "sre", &["alice"]));
    }
}
