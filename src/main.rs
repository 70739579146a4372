//! The `opsbook` command line.

mod cli;
mod cmd;
mod pipeline;
mod starter;
mod time;

// Loading allocates many small strings from several threads at once; mimalloc does
// that markedly faster than the system allocator (see the benchmark in crates/opsbook-bench).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cmd::run(cli) {
        Ok(code) => code,
        Err(error) => {
            let mut message = format!("opsbook: error: {error}");
            for cause in error.chain().skip(1) {
                message.push_str(&format!("\n  caused by: {cause}"));
            }
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}
