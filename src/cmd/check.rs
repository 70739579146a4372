//! `opsbook check`.

use crate::cli::CheckArgs;
use crate::pipeline::{self, Loaded};
use anyhow::bail;
use chrono::Utc;
use opsbook_core::render::Report;
use opsbook_core::{Level, Rule};
use std::path::Path;
use std::process::ExitCode;

pub(crate) fn run(args: &CheckArgs, out: super::Output) -> anyhow::Result<ExitCode> {
    if let Some(rule) = &args.explain {
        super::print(&explain(rule)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let now = args.now.unwrap_or_else(Utc::now);
    if args.git {
        pipeline::require_git("`check --git`")?;
    }
    let started = std::time::Instant::now();
    let loaded = pipeline::load(&args.dir, Vec::new(), "check", &args.dir)?;
    out.detail(&format!(
        "read {} files ({} documents) in {}",
        loaded.handbook.files.len(),
        loaded.handbook.documents.len(),
        super::took(started.elapsed())
    ));
    if let Some(warning) = pipeline::no_documents(&loaded, &args.dir) {
        out.note(&warning);
    }
    let Loaded {
        handbook,
        mut diagnostics,
    } = loaded;
    let checking = std::time::Instant::now();
    diagnostics.extend(pipeline::check(&handbook, now));
    if args.git {
        let mining = std::time::Instant::now();
        diagnostics.extend(pipeline::git_checks(&handbook, now));
        out.detail(&format!(
            "read the git history in {}",
            super::took(mining.elapsed())
        ));
    }
    let diagnostics = pipeline::finish(&handbook, diagnostics);
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
