//! Command-line arguments.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Checks SRE documentation kept in git — runbooks, postmortems, SLAs, escalation
/// policies, services, teams — and builds a handbook from it.
#[derive(Debug, Parser)]
#[command(name = "opsbook", version, about, max_term_width = 100)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
    /// When to use colors.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub(crate) color: ColorChoice,
}

/// When to color the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    /// Color when writing to a terminal and NO_COLOR is not set.
    Auto,
    /// Always color.
    Always,
    /// Never color.
    Never,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Check a handbook: frontmatter, template sections, references, links, times, secrets.
    #[command(
        after_help = "Examples:\n  opsbook check content-example\n  opsbook check --format github\n  opsbook check --explain OB201\n\nExit status: 0 no errors, 1 errors found (or warnings with --strict), 2 could not run."
    )]
    Check(CheckArgs),
    /// Print the JSON Schema of a document kind's frontmatter (or of handbook.yaml).
    #[command(
        after_help = "Examples:\n  opsbook schema runbook > runbook.schema.json\n  opsbook schema handbook\n  opsbook schema"
    )]
    Schema {
        /// service, team, runbook, postmortem, sla, escalation, page or handbook; all when omitted.
        kind: Option<String>,
    },
    /// Write a new document from its kind's template.
    #[command(
        after_help = "Examples:\n  opsbook new runbook payments-api\n  opsbook new postmortem PM-2026-0042 --dir handbook"
    )]
    New {
        /// service, team, runbook, postmortem, sla, escalation or page.
        kind: String,
        /// The new document's id (also its file name).
        id: String,
        /// The handbook folder.
        #[arg(long, default_value = ".")]
        dir: PathBuf,
    },
    /// Build the handbook site: static HTML that opens from disk and works offline.
    #[command(
        after_help = "Examples:\n  opsbook build content-example\n  opsbook build handbook -o public\n\nThe site is written to a temporary folder next to OUT and swapped in when complete;\na failed build leaves the previous site untouched.\n\nExit status: 0 built without errors, 1 built but check found errors (0 with\n--allow-errors), 2 could not build."
    )]
    Build(BuildArgs),
    /// Create a starter handbook that passes `opsbook check`.
    Init {
        /// Where to create it.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Write the default site templates, CSS and JS to DIR/templates for editing instead.
        #[arg(long)]
        templates: bool,
    },
}

#[derive(Debug, Args)]
pub(crate) struct BuildArgs {
    /// The handbook folder.
    #[arg(default_value = ".")]
    pub(crate) dir: PathBuf,
    /// The output folder (default: DIR/_site).
    #[arg(long, short)]
    pub(crate) out: Option<PathBuf>,
    /// Exit 0 even when check finds errors in the handbook.
    #[arg(long)]
    pub(crate) allow_errors: bool,
    /// Compute freshness badges and error budgets as of this RFC 3339 time instead of now.
    #[arg(long, value_name = "TIME")]
    pub(crate) now: Option<String>,
    /// Do not print the check findings (the exit status still reflects them).
    #[arg(long, short)]
    pub(crate) quiet: bool,
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// The handbook folder.
    #[arg(default_value = ".")]
    pub(crate) dir: PathBuf,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = FormatArg::Human)]
    pub(crate) format: FormatArg,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub(crate) strict: bool,
    /// Explain a rule (a code such as OB201, a name, or `all`) instead of checking.
    #[arg(long, value_name = "RULE")]
    pub(crate) explain: Option<String>,
    /// Judge staleness and due dates as of this RFC 3339 time instead of now.
    #[arg(long, value_name = "TIME")]
    pub(crate) now: Option<String>,
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FormatArg {
    /// For people: colored, with a source excerpt.
    Human,
    /// Stable JSON (see the README).
    Json,
    /// GitHub Actions annotations.
    Github,
    /// GitLab code-quality report.
    Gitlab,
    /// JUnit XML.
    Junit,
    /// SARIF 2.1.0.
    Sarif,
}
