//! `opsbook incident …`: the postmortem file as the live record of an incident. The
//! record model, the edits and the update text live in `opsbook-incident`; this is the
//! command line around them.

use anyhow::{Context, bail};
use chrono::{DateTime, Utc};
use clap::{Args, Subcommand, ValueEnum};
use opsbook_core::model::{Kind, Status};
use opsbook_core::timeline::EntryKind;
use opsbook_core::{Handbook, LoadOptions};
use opsbook_incident::ops::{self, NewEntry};
use opsbook_incident::{Record, update};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod list;

/// `opsbook incident`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  opsbook incident declare \"Checkout returns 502\" --severity SEV2 --service checkout-api --commander alice\n  opsbook incident log 2026-03-01-checkout-returns-502 \"Rolled back release 4.2\" --kind action --by bob\n  opsbook incident role 2026-03-01-checkout-returns-502 comms=carol scribe=dave\n  opsbook incident update 2026-03-01-checkout-returns-502 --format markdown\n  opsbook incident status 2026-03-01-checkout-returns-502 mitigated\n  opsbook incident list --open\n\nEvery edit changes only what it must (the rest of the file stays byte for byte), is written\natomically, and is refused when the file changed since it was read or the checks would reject\nthe result. Times are RFC 3339 (`--at 2026-03-01T14:32:00Z`); the default is now.\n\nExit status: 0 done, 2 refused or failed (the file is untouched)."
)]
pub(crate) struct IncidentArgs {
    #[command(subcommand)]
    command: IncidentCommand,
}

#[derive(Debug, Args)]
struct Common {
    /// The handbook folder.
    #[arg(long, default_value = ".")]
    dir: PathBuf,
    /// Commit the edited file to git (that file only), author `--by` or git's user.
    #[arg(long)]
    commit: bool,
}

#[derive(Debug, Subcommand)]
enum IncidentCommand {
    /// Open an incident: write its postmortem with status investigating; print its id and path.
    Declare {
        /// What is broken, in one line.
        title: String,
        /// The severity, from the handbook's scale.
        #[arg(long)]
        severity: String,
        /// An affected service (repeat, or separate with commas).
        #[arg(
            long = "service",
            value_name = "ID",
            value_delimiter = ',',
            required = true
        )]
        services: Vec<String>,
        /// The incident commander.
        #[arg(long)]
        commander: Option<String>,
        /// When it was declared (default: now).
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
        /// When the problem began (default: the declaration time).
        #[arg(long, value_name = "TIME")]
        started: Option<String>,
        /// When it was noticed (default: the declaration time).
        #[arg(long, value_name = "TIME")]
        detected: Option<String>,
        /// The id (default: the date and a slug of the title).
        #[arg(long)]
        id: Option<String>,
        /// Who declares it (default: the commander).
        #[arg(long, value_name = "NAME")]
        by: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// Add a timestamped entry to the timeline.
    Log {
        /// The incident id.
        id: String,
        /// What happened.
        text: String,
        /// When it happened (default: now; required once the incident is resolved).
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
        /// Who did or saw it.
        #[arg(long, value_name = "NAME")]
        by: Option<String>,
        /// What the entry records.
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
        #[command(flatten)]
        common: Common,
    },
    /// Assign roles: commander=NAME, comms=NAME, scribe=NAME, or any ROLE=NAME.
    Role {
        /// The incident id.
        id: String,
        /// ROLE=NAME pairs.
        #[arg(required = true, value_name = "ROLE=NAME")]
        assignments: Vec<String>,
        #[command(flatten)]
        common: Common,
    },
    /// Mark the incident mitigated or resolved: the status, the time-point and its entry.
    Status {
        /// The incident id.
        id: String,
        /// The new status.
        #[arg(value_enum)]
        status: StatusArg,
        /// When (default: now).
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
        /// Who reports it.
        #[arg(long, value_name = "NAME")]
        by: Option<String>,
        /// The entry's text (default: "Mitigated: customer impact has stopped." or "Resolved.").
        #[arg(long)]
        note: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// Print the stakeholder status update and record it as an `[update]` entry.
    Update {
        /// The incident id.
        id: String,
        /// Output format.
        #[arg(long, short, value_enum, default_value_t = UpdateFormat::Text)]
        format: UpdateFormat,
        /// When the next update is due, from now.
        #[arg(long, value_name = "DURATION", default_value = "30m")]
        next: String,
        /// Print only; do not record the update in the timeline.
        #[arg(long)]
        preview: bool,
        /// The time of the update (default: now).
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
        /// Who sends it.
        #[arg(long, value_name = "NAME")]
        by: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// List incidents: age, severity, status, roles, last entry.
    List {
        /// Only incidents not yet resolved.
        #[arg(long)]
        open: bool,
        /// Ages as of this RFC 3339 time instead of now.
        #[arg(long, value_name = "TIME")]
        now: Option<String>,
        /// The handbook folder.
        #[arg(long, default_value = ".")]
        dir: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum KindArg {
    Action,
    Finding,
    Decision,
    Update,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum StatusArg {
    Mitigated,
    Resolved,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum UpdateFormat {
    /// Plain text, for chat and e-mail.
    Text,
    /// Markdown.
    Markdown,
    /// JSON (stable fields).
    Json,
}

pub(crate) fn run(args: IncidentArgs, out: super::Output) -> anyhow::Result<ExitCode> {
    let now = ops::to_second(Utc::now());
    match args.command {
        IncidentCommand::Declare {
            title,
            severity,
            services,
            commander,
            at,
            started,
            detected,
            id,
            by,
            common,
        } => {
            let declared = time("--at", at.as_deref(), now)?;
            let d = ops::Declaration {
                id: String::new(),
                title,
                severity,
                services,
                started: time("--started", started.as_deref(), declared)?,
                detected: time("--detected", detected.as_deref(), declared)?,
                declared,
                by: by.or(commander.clone()),
                commander,
            };
            declare(d, id, &common, now)
        }
        IncidentCommand::Log {
            id,
            text,
            at,
            by,
            kind,
            common,
        } => {
            let (handbook, record) = open(&common.dir, &id)?;
            let entry = NewEntry {
                at: time("--at", at.as_deref(), now)?,
                kind: kind.map(|k| EntryKind::LOGGED[k as usize]),
                author: by.clone(),
                text,
            };
            let next = ops::log(&record, &entry, at.is_some(), now)?;
            let summary = next_entry_line(&record, &next);
            finish(
                &handbook,
                &record,
                &next,
                now,
                &common,
                by.as_deref(),
                &summary,
                out,
            )
        }
        IncidentCommand::Role {
            id,
            assignments,
            common,
        } => {
            let (handbook, record) = open(&common.dir, &id)?;
            let pairs = assignments
                .iter()
                .map(|a| match a.split_once('=') {
                    Some((r, p)) => Ok((r.trim().to_string(), p.trim().to_string())),
                    None => bail!("`{a}` is not ROLE=NAME, e.g. `commander=alice` or `comms=bob`"),
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            let next = ops::roles(&record, &pairs)?;
            let summary = format!("roles {}", assignments.join(" "));
            finish(&handbook, &record, &next, now, &common, None, &summary, out)
        }
        IncidentCommand::Status {
            id,
            status,
            at,
            by,
            note,
            common,
        } => {
            let (handbook, record) = open(&common.dir, &id)?;
            let to = match status {
                StatusArg::Mitigated => Status::Mitigated,
                StatusArg::Resolved => Status::Resolved,
            };
            let at = time("--at", at.as_deref(), now)?;
            let next = ops::status(&record, to, at, by.as_deref(), note.as_deref())?;
            let summary = format!("{} at {}", update::status_name(to), ops::timestamp(at));
            finish(
                &handbook,
                &record,
                &next,
                now,
                &common,
                by.as_deref(),
                &summary,
                out,
            )
        }
        IncidentCommand::Update {
            id,
            format,
            next,
            preview,
            at,
            by,
            common,
        } => {
            let (handbook, record) = open(&common.dir, &id)?;
            let as_of = time("--at", at.as_deref(), now)?;
            let next_in: opsbook_core::model::Duration = next
                .parse()
                .map_err(|e: String| anyhow::anyhow!("--next `{next}`: {e}"))?;
            let report =
                update::status_update(&record.doc, &record.text, as_of, next_in.to_chrono())
                    .context("the postmortem's frontmatter cannot be read")?;
            let text = match format {
                UpdateFormat::Text => report.to_text(),
                UpdateFormat::Markdown => report.to_markdown(),
                UpdateFormat::Json => format!("{}\n", serde_json::to_string_pretty(&report)?),
            };
            if !preview {
                let entry = NewEntry {
                    at: as_of,
                    kind: Some(EntryKind::Update),
                    author: by.clone(),
                    text: report.entry_text(),
                };
                let next = ops::log(&record, &entry, true, now)?;
                finish(
                    &handbook,
                    &record,
                    &next,
                    now,
                    &common,
                    by.as_deref(),
                    "status update",
                    out,
                )?;
            }
            super::print(&text)?;
            Ok(ExitCode::SUCCESS)
        }
        IncidentCommand::List { open, now: at, dir } => {
            let now = parse_time("--now", at.as_deref())?.unwrap_or(now);
            list::run(&load(&dir)?, open, now)
        }
    }
}

/// A time option of these commands (`--at`, `--now`, …): the values every `--now` takes.
fn parse_time(option: &str, text: Option<&str>) -> anyhow::Result<Option<DateTime<Utc>>> {
    text.map(|t| crate::time::now(t).map_err(|e| anyhow::anyhow!("{option} `{t}` is {e}")))
        .transpose()
}

fn time(option: &str, text: Option<&str>, default: DateTime<Utc>) -> anyhow::Result<DateTime<Utc>> {
    Ok(parse_time(option, text)?.map_or(default, ops::to_second))
}

fn load(dir: &Path) -> anyhow::Result<Handbook> {
    let (handbook, _) = opsbook_core::load(dir, &LoadOptions::default())
        .with_context(|| format!("cannot read the handbook `{}`", dir.display()))?;
    Ok(handbook)
}

/// The handbook and the record of incident `id`.
fn open(dir: &Path, id: &str) -> anyhow::Result<(Handbook, Record)> {
    let handbook = load(dir)?;
    let doc = opsbook_incident::lookup::find(&handbook, id)?;
    let record = Record::read(&dir.join(&doc.path), &doc.path)?;
    Ok((handbook, record))
}

/// The entry line `next` adds to `record` (for the confirmation and the commit message).
fn next_entry_line(record: &Record, next: &str) -> String {
    let old: std::collections::HashSet<&str> = record.text.lines().collect();
    next.lines()
        .find(|l| !old.contains(l) && l.starts_with("- "))
        .map_or_else(String::new, |l| {
            l.trim_start_matches("- ").trim_end().to_string()
        })
}

/// Guards, saves, commits (with `--commit`) and confirms an edit.
#[allow(clippy::too_many_arguments)]
fn finish(
    handbook: &Handbook,
    record: &Record,
    next: &str,
    now: DateTime<Utc>,
    common: &Common,
    by: Option<&str>,
    summary: &str,
    out: super::Output,
) -> anyhow::Result<ExitCode> {
    commit_possible(common)?;
    ops::guard(record, next, &handbook.config, now)?;
    record.save(next)?;
    let mut line = format!("{}: {summary}", record.rel);
    if common.commit {
        let message = format!("incident {}: {summary}", record.id());
        let commit = commit(
            &record.path,
            &record.rel,
            &message,
            by,
            by.and_then(|b| contact(handbook, b)).as_deref(),
        )?;
        line.push_str(&format!(" (commit {})", &commit[..7.min(commit.len())]));
    }
    out.note(&line);
    Ok(ExitCode::SUCCESS)
}

/// Refuses `--commit`, before anything is written, in a build without git support.
fn commit_possible(common: &Common) -> anyhow::Result<()> {
    if common.commit && !crate::pipeline::GIT {
        anyhow::bail!(
            "this build of opsbook has no git support (it was built without the `git` feature), so `--commit` cannot commit; leave it out, or use a build with the default features"
        );
    }
    Ok(())
}

/// Commits the edited file: one commit per entry, so the history mirrors the record.
#[cfg(feature = "git")]
fn commit(
    path: &std::path::Path,
    rel: &str,
    message: &str,
    by: Option<&str>,
    email: Option<&str>,
) -> anyhow::Result<String> {
    Ok(opsbook_incident::git::commit(
        path, rel, message, by, email,
    )?)
}

#[cfg(not(feature = "git"))]
fn commit(
    _path: &std::path::Path,
    _rel: &str,
    _message: &str,
    _by: Option<&str>,
    _email: Option<&str>,
) -> anyhow::Result<String> {
    unreachable!("commit_possible refuses --commit without git support")
}

/// The e-mail address of team member `name`, from the team documents.
fn contact(handbook: &Handbook, name: &str) -> Option<String> {
    handbook
        .of_kind(Kind::Team)
        .filter_map(|d| d.as_team())
        .flat_map(|t| &t.members)
        .find(|m| m.name == name)
        .and_then(|m| m.contact.clone())
        .filter(|c| c.contains('@') && !c.contains(' '))
}

fn declare(
    mut d: ops::Declaration,
    id: Option<String>,
    common: &Common,
    now: DateTime<Utc>,
) -> anyhow::Result<ExitCode> {
    let handbook = load(&common.dir)?;
    let config = &handbook.config;
    if !config.severities.iter().any(|s| s.id == d.severity) {
        let ids: Vec<&str> = config.severities.iter().map(|s| s.id.as_str()).collect();
        bail!(
            "`{}` is not a severity of this handbook; use one of: {}",
            d.severity,
            ids.join(", ")
        );
    }
    let taken = |id: &str| {
        handbook.of_kind(Kind::Postmortem).any(|doc| doc.id == id)
            || common
                .dir
                .join(Kind::Postmortem.folder())
                .join(format!("{id}.md"))
                .exists()
    };
    let id = match id {
        Some(id) if taken(&id) => bail!("the id `{id}` is taken; choose another with --id"),
        Some(id) => id,
        None => {
            let base = format!("{}-{}", d.declared.format("%Y-%m-%d"), ops::slug(&d.title));
            let base = base.trim_end_matches('-').to_string();
            (1..)
                .map(|n| {
                    if n == 1 {
                        base.clone()
                    } else {
                        format!("{base}-{n}")
                    }
                })
                .find(|id| !taken(id))
                .unwrap_or(base)
        }
    };
    if id.is_empty() || id.contains(['/', '\\']) || id.starts_with('.') {
        bail!("`{id}` cannot be an incident id: use letters, digits, `-`, `_` and `.`");
    }
    d.id = id.clone();
    let rel = format!("{}/{id}.md", Kind::Postmortem.folder());
    let today = d.declared.format("%Y-%m-%d").to_string();
    let template = crate::starter::document(Kind::Postmortem, &id, config, &today);
    let text = ops::declare(&rel, &template, &d)?;
    // The new record must pass the time checks, like every later edit.
    commit_possible(common)?;
    let empty = Record::parse(&common.dir.join(&rel), &rel, template.clone())?;
    ops::guard(&empty, &text, config, now)?;
    let folder = common.dir.join(Kind::Postmortem.folder());
    std::fs::create_dir_all(&folder)
        .with_context(|| format!("cannot create `{}`", folder.display()))?;
    let path = common.dir.join(&rel);
    opsbook_incident::create(&path, &text)?;
    let mut line = format!("declared {id} in {rel}");
    if common.commit {
        let message = format!("incident {id}: declared {}: {}", d.severity, d.title.trim());
        let commit = commit(
            &path,
            &rel,
            &message,
            d.by.as_deref(),
            d.by.as_deref()
                .and_then(|b| contact(&handbook, b))
                .as_deref(),
        )?;
        line.push_str(&format!(" (commit {})", &commit[..7.min(commit.len())]));
    }
    super::print(&format!("{line}\n"))?;
    Ok(ExitCode::SUCCESS)
}
