//! `opsbook check`.

use crate::cli::CheckArgs;
use anyhow::{Context, bail};
use chrono::{DateTime, Utc};
use opsbook_core::config::TimePoint;
use opsbook_core::model::{Kind, Review, Status};
use opsbook_core::render::Report;
use opsbook_core::{CheckOptions, Diagnostic, Handbook, Level, LoadOptions, Rule, finish, load};
use opsbook_history::Source;
use std::path::Path;
use std::process::ExitCode;

pub(crate) fn run(args: &CheckArgs, out: super::Output) -> anyhow::Result<ExitCode> {
    if let Some(rule) = &args.explain {
        super::print(&explain(rule)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let now = super::parse_now(args.now.as_deref())?.unwrap_or_else(Utc::now);
    let started = std::time::Instant::now();
    let (handbook, mut diagnostics) = load(&args.dir, &LoadOptions::default())
        .with_context(|| format!("cannot check `{}`", args.dir.display()))?;
    out.detail(&format!(
        "read {} files ({} documents) in {}",
        handbook.files.len(),
        handbook.documents.len(),
        super::took(started.elapsed())
    ));
    if let Some(warning) = super::no_documents(&handbook, &diagnostics, &args.dir) {
        out.note(&warning);
    }
    let checking = std::time::Instant::now();
    diagnostics.extend(super::check_all(&handbook, &CheckOptions { now }));
    if args.git {
        let mining = std::time::Instant::now();
        diagnostics.extend(git_checks(&handbook, now));
        out.detail(&format!(
            "read the git history in {}",
            super::took(mining.elapsed())
        ));
    }
    let diagnostics = finish(&handbook.config, diagnostics);
    out.detail(&format!("checked in {}", super::took(checking.elapsed())));
    let mut report = Report::new(&handbook, &diagnostics, prefix(&args.dir));
    report.color = out.color;
    report.summary_line = !out.quiet;
    super::print(&report.render(args.format))?;
    let failing = diagnostics
        .iter()
        .any(|d| d.level == Level::Error || args.strict);
    Ok(if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The checks that need the git history (`--git`; opsbook-core stays free of git):
/// OB309 where the frontmatter contradicts git, OB301 for runbooks without `reviewed`
/// judged by the last commit that touched the file, OB305 for postmortems whose
/// `resolved` time only git gives.
fn git_checks(handbook: &Handbook, now: DateTime<Utc>) -> Vec<Diagnostic> {
    let (mined, notes) = super::stats::mine_with_notes(handbook, true);
    let history = mined.history.as_ref();
    let (incidents, mut out) = opsbook_history::incidents(handbook, history);
    out.extend(notes);
    let Some(history) = history else {
        return out;
    };
    let today = now.date_naive();
    for doc in handbook.of_kind(Kind::Runbook) {
        let Some(rb) = doc.as_runbook() else {
            continue;
        };
        if rb.reviewed.is_some() {
            continue;
        }
        let Some(last) = history.last_change(&doc.path) else {
            continue;
        };
        let every = rb.review_every.unwrap_or(handbook.config.review_every);
        let changed = last.commit_time.0.date_naive();
        let due = changed + every.to_chrono();
        if due < today {
            out.push(
                Diagnostic::new(
                    Rule::StaleRunbook,
                    &doc.path,
                    doc.key_span("title").unwrap_or_default(),
                    format!(
                        "the runbook has no `reviewed` date and its file was last changed by commit {} on {changed}; due every {every}: review overdue since {due} ({} days ago)",
                        last.short_id(),
                        (today - due).num_days()
                    ),
                )
                .with_help("review the runbook with its owner, then set `reviewed:` to the review date"),
            );
        }
    }
    let due_in = handbook.config.postmortem_due;
    for incident in &incidents {
        let Some(resolved) = incident.point(TimePoint::Resolved) else {
            continue;
        };
        let Source::Git { commit, .. } = &resolved.source else {
            continue; // the frontmatter time: `check` judges it already
        };
        if incident.status != Status::Resolved || incident.review == Review::Published {
            continue;
        }
        let due = resolved.at.0.to_utc() + due_in.to_chrono();
        if due >= now {
            continue;
        }
        let doc = handbook.documents.iter().find(|d| d.path == incident.path);
        let span = doc
            .and_then(|d| d.span_at(&["review"]).or_else(|| d.key_span("status")))
            .unwrap_or_default();
        out.push(
            Diagnostic::new(
                Rule::OverduePostmortem,
                &incident.path,
                span,
                format!(
                    "the postmortem is still not published {} days after the incident was resolved (due within {due_in}; `resolved` from git: the first commit with `status: resolved`, {} at {})",
                    (now - resolved.at.0.to_utc()).num_days(),
                    commit.get(..10).unwrap_or(commit),
                    resolved.at
                ),
            )
            .with_help("finish the write-up, review it with the team and set `review: published`"),
        );
    }
    out
}

/// How the handbook folder is printed before each file: as the user wrote it.
pub(crate) fn prefix(dir: &Path) -> String {
    let text = dir.to_string_lossy().replace('\\', "/");
    let text = text.trim_end_matches('/');
    if text.is_empty() || text == "." {
        String::new()
    } else {
        format!("{text}/")
    }
}

fn explain(rule: &str) -> anyhow::Result<String> {
    let rules: Vec<Rule> = if rule == "all" {
        Rule::ALL.to_vec()
    } else {
        match Rule::find(rule) {
            Some(r) => vec![r],
            None => {
                let names = Rule::ALL.iter().flat_map(|r| [r.code(), r.name()]);
                let hint = opsbook_core::suggest::did_you_mean(rule, names)
                    .map(|h| format!("; {h}"))
                    .unwrap_or_default();
                bail!("no rule is called `{rule}`{hint} (`--explain all` lists every rule)");
            }
        }
    };
    Ok(rules
        .iter()
        .map(|r| {
            format!(
                "{} {} ({} by default)\n{}\n\n{}\n",
                r.code(),
                r.name(),
                r.default_level(),
                r.summary(),
                textwrap(r.explanation(), 88)
            )
        })
        .collect::<Vec<_>>()
        .join("\n"))
}

fn textwrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split_whitespace() {
        if line > 0 && line + 1 + word.chars().count() > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += word.chars().count();
    }
    out
}
