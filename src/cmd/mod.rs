//! One module per command.

#[cfg(feature = "site")]
mod build;
mod check;
mod import;
pub(crate) mod incident;
mod init;
mod new;
mod schema;
#[cfg(feature = "serve")]
mod serve;
mod slo;
mod stats;

use crate::cli::{Cli, ColorChoice, Command};
pub(crate) use check::prefix as check_prefix;
pub(crate) use slo::SloArgs;
use std::io::IsTerminal;
use std::process::ExitCode;

/// How much, and how, to print: shared by every command.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Output {
    /// ANSI colors on stdout.
    pub(crate) color: bool,
    /// Findings only.
    pub(crate) quiet: bool,
    /// Steps and timings on stderr.
    pub(crate) verbose: bool,
}

impl Output {
    /// A progress or confirmation line on stderr, unless `--quiet`.
    pub(crate) fn note(&self, message: &str) {
        if !self.quiet {
            eprintln!("{message}");
        }
    }

    /// A detail on stderr, only with `--verbose`.
    pub(crate) fn detail(&self, message: &str) {
        if self.verbose {
            eprintln!("opsbook: {message}");
        }
    }
}

/// How long a step took, for `--verbose`: milliseconds, comparable from line to line.
pub(crate) fn took(duration: std::time::Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

pub(crate) fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    };
    let out = Output {
        color,
        quiet: cli.quiet,
        verbose: cli.verbose,
    };
    match cli.command {
        Command::Check(args) => check::run(&args, out),
        Command::Stats(args) => stats::run(&args, out.color),
        Command::Schema { kind } => schema::run(kind.as_deref()),
        Command::New { kind, id, dir } => new::run(&kind, &id, &dir, out),
        Command::Import(args) => import::run(&args, out),
        Command::Init { dir, templates } => init::run(&dir, templates, out),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut buffer = Vec::new();
            clap_complete::generate(shell, &mut command, "opsbook", &mut buffer);
            print(&String::from_utf8_lossy(&buffer))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Man => {
            let command = <Cli as clap::CommandFactory>::command();
            let mut buffer = Vec::new();
            clap_mangen::Man::new(command).render(&mut buffer)?;
            print(&String::from_utf8_lossy(&buffer))?;
            Ok(ExitCode::SUCCESS)
        }
        #[cfg(feature = "site")]
        Command::Build(args) => build::run(&args, out),
        Command::Incident(args) => incident::run(args, out),
        Command::Slo(args) => slo::run(&args, out),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::run(&args, out),
    }
}

/// Writes `text` to standard output; a closed pipe (`opsbook check | head`) is not an error.
pub(crate) fn print(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}
