//! One module per command.

mod build;
mod check;
mod init;
mod new;
mod schema;

use crate::cli::{Cli, ColorChoice, Command};
use std::io::IsTerminal;
use std::process::ExitCode;

pub(crate) fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    };
    match cli.command {
        Command::Check(args) => check::run(&args, color),
        Command::Schema { kind } => schema::run(kind.as_deref()),
        Command::New { kind, id, dir } => new::run(&kind, &id, &dir),
        Command::Build(args) => build::run(&args, color),
        Command::Init { dir, templates } => init::run(&dir, templates),
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

/// How the handbook folder is printed before each file name in findings.
pub(crate) fn check_prefix(dir: &std::path::Path) -> String {
    check::prefix(dir)
}
