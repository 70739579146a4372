//! Command-line arguments.

use chrono::{DateTime, Utc};
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use opsbook_core::render::Format;
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
    /// Print less: findings only, no summaries or progress.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub(crate) quiet: bool,
    /// Print more: what was read and how long each step took (on stderr).
    #[arg(long, short, global = true)]
    pub(crate) verbose: bool,
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
    /// Reliability statistics (MTTR and friends) from postmortems and their git history.
    #[command(
        after_help = "Examples:\n  opsbook stats content-example\n  opsbook stats --by severity --since 2026-01-01\n  opsbook stats --format json > stats.json\n\nTimes missing from the frontmatter come from git: `declared` from the commit that added the file,\n`mitigated`, `resolved` and `published` from the first commit that says so.\nExit status: 0 figures printed, 2 could not run."
    )]
    Stats(StatsArgs),
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
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  opsbook completions bash > ~/.local/share/bash-completion/completions/opsbook\n  opsbook completions zsh > ~/.zfunc/_opsbook"
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    #[command(after_help = "Example:\n  opsbook man > /usr/local/share/man/man1/opsbook.1")]
    Man,
    /// Build the handbook site: static HTML that opens from disk and works offline.
    #[cfg(feature = "site")]
    #[command(
        after_help = "Examples:\n  opsbook build content-example\n  opsbook build handbook -o public\n\nThe site is written to a temporary folder next to OUT and swapped in when complete;\na failed build leaves the previous site untouched.\n\nExit status: 0 built without errors, 1 built but check found errors (0 with\n--allow-errors), 2 could not build."
    )]
    Build(BuildArgs),
    /// Serve the handbook site locally and reload open pages when a file changes.
    #[cfg(feature = "serve")]
    #[command(
        after_help = "Examples:\n  opsbook serve content-example\n  opsbook serve handbook --port 0\n  opsbook serve --bind 0.0.0.0:8080\n\nPages are rendered in memory on request; nothing is written to disk. Check findings\nappear as an overlay in every page until they are fixed. Ctrl-C stops the server.\n\nExit status: 0 stopped by Ctrl-C, 2 could not start."
    )]
    Serve(ServeArgs),
    /// Run an incident: its postmortem file is the live record (declare, log, role, status, update, list).
    Incident(crate::cmd::incident::IncidentArgs),
    /// Turn a Hugo, MkDocs or Jekyll site (or plain markdown) into a handbook, keeping every URL.
    #[command(
        after_help = "Examples:\n  opsbook import old-runbooks --into handbook --dry-run\n  opsbook import old-runbooks --into handbook\n\nExisting files are never overwritten: a second run changes nothing.\nExit status: 0 imported, 1 some files could not be imported or were already there\nwith other content, 2 could not run."
    )]
    Import(ImportArgs),
    /// SLO tooling: burn-rate alerting rules from the SLAs.
    Slo(crate::cmd::SloArgs),
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
pub(crate) struct ImportArgs {
    /// The folder to import: a Hugo, MkDocs or Jekyll site, or a folder of markdown.
    pub(crate) src: PathBuf,
    /// The handbook folder to write.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub(crate) into: PathBuf,
    /// Write nothing; print the same report.
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Judge staleness in the final check as of this date or RFC 3339 time, not now.
    #[arg(long, value_name = "TIME", value_parser = crate::time::now)]
    pub(crate) now: Option<DateTime<Utc>>,
}

#[cfg(feature = "site")]
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
    /// Compute freshness badges and error budgets as of this date or RFC 3339 time, not now.
    #[arg(long, value_name = "TIME", value_parser = crate::time::now)]
    pub(crate) now: Option<DateTime<Utc>>,
    /// Do not read or write the history cache (.git/opsbook-cache).
    #[arg(long)]
    pub(crate) no_cache: bool,
    /// Print neither the check findings (the exit status still reflects them) nor the confirmation line.
    #[arg(long, short)]
    pub(crate) quiet: bool,
}

#[cfg(feature = "serve")]
#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// The handbook folder.
    #[arg(default_value = ".")]
    pub(crate) dir: PathBuf,
    /// The address to listen on. Anything but a loopback address exposes the handbook
    /// to the network.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub(crate) bind: String,
    /// The port (0: any free port; the address is printed).
    #[arg(long, short, default_value_t = 3000)]
    pub(crate) port: u16,
    /// Poll the folder for changes instead of using the system's file events (for network
    /// and container file systems, where events do not arrive).
    #[arg(long)]
    pub(crate) poll: bool,
    /// Compute freshness badges and error budgets as of this date or RFC 3339 time, not now.
    #[arg(long, value_name = "TIME", value_parser = crate::time::now)]
    pub(crate) now: Option<DateTime<Utc>>,
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// The handbook folder.
    #[arg(default_value = ".")]
    pub(crate) dir: PathBuf,
    /// Output format: human, json (stable, see the README), github (Actions annotations),
    /// gitlab (code quality), junit or sarif.
    #[arg(long, short, default_value = "human",
          value_parser = PossibleValuesParser::new(Format::NAMES).map(|s| s.parse::<Format>().unwrap_or(Format::Human)))]
    pub(crate) format: Format,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub(crate) strict: bool,
    /// Explain a rule (a code such as OB201, a name, or `all`) instead of checking.
    #[arg(long, value_name = "RULE")]
    pub(crate) explain: Option<String>,
    /// Judge staleness and due dates as of this date or RFC 3339 time instead of now.
    #[arg(long, value_name = "TIME", value_parser = crate::time::now)]
    pub(crate) now: Option<DateTime<Utc>>,
    /// Also run the checks that read the git history: OB309 (frontmatter contradicts
    /// git), OB301 by the last commit for runbooks without `reviewed`, OB305 with the
    /// git-derived `resolved` time.
    #[arg(long)]
    pub(crate) git: bool,
}

#[derive(Debug, Args)]
pub(crate) struct StatsArgs {
    /// The handbook folder.
    #[arg(default_value = ".")]
    pub(crate) dir: PathBuf,
    /// Also show the figures per group (table); only these groups (csv). Repeat or
    /// separate with commas.
    #[arg(long, value_enum, value_delimiter = ',')]
    pub(crate) by: Vec<ByArg>,
    /// Only incidents that began on or after this date (YYYY-MM-DD, UTC) or RFC 3339 time.
    #[arg(long, value_name = "DATE", value_parser = crate::time::since)]
    pub(crate) since: Option<DateTime<Utc>>,
    /// Only incidents that began before the end of this date (YYYY-MM-DD, UTC) or before
    /// this RFC 3339 time; error budget windows end here.
    #[arg(long, value_name = "DATE", value_parser = crate::time::until)]
    pub(crate) until: Option<DateTime<Utc>>,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = StatsFormat::Table)]
    pub(crate) format: StatsFormat,
    /// Compute ages, overdue items and budget windows as of this date or RFC 3339 time.
    #[arg(long, value_name = "TIME", value_parser = crate::time::now)]
    pub(crate) now: Option<DateTime<Utc>>,
    /// Do not read or write the history cache (.git/opsbook-cache).
    #[arg(long)]
    pub(crate) no_cache: bool,
}

/// Groupings of `stats --by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ByArg {
    /// By severity.
    Severity,
    /// By service.
    Service,
    /// By month (UTC).
    Month,
    /// By quarter (UTC).
    Quarter,
    /// By year (UTC).
    Year,
}

/// Output formats of `stats`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum StatsFormat {
    /// For people: each figure with its formula, count and exclusions.
    Table,
    /// Everything, with the source of every input (see the README).
    Json,
    /// One row per duration figure.
    Csv,
}
