//! `--format json`: the stable, documented structure (see README, "JSON output").

use super::Report;
use serde::Serialize;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    summary: Counts,
    diagnostics: Vec<Item<'a>>,
}

#[derive(Serialize)]
struct Counts {
    errors: usize,
    warnings: usize,
    files: usize,
}

#[derive(Serialize)]
struct Item<'a> {
    code: &'static str,
    name: &'static str,
    level: &'static str,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    help: Option<&'a str>,
}

pub(super) fn render(report: &Report<'_>) -> String {
    let located = report.located();
    let summary = report.summary();
    let output = Output {
        version: 1,
        summary: Counts {
            errors: summary.errors,
            warnings: summary.warnings,
            files: report.files.len(),
        },
        diagnostics: located
            .iter()
            .map(|l| Item {
                code: l.diagnostic.rule.code(),
                name: l.diagnostic.rule.name(),
                level: l.diagnostic.level.name(),
                file: &l.path,
                line: l.start.line,
                column: l.start.column,
                end_line: l.end.line,
                end_column: l.end.column,
                message: &l.diagnostic.message,
                help: l.diagnostic.help.as_deref(),
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&output).unwrap_or_default();
    text.push('\n');
    text
}
