//! Benchmarks `opsbook check` on generated handbooks against a floor measured in the same
//! run: walking, reading, splitting and YAML-parsing the same files.
//!
//! ```text
//! cargo run --release -p opsbook-bench -- [--sizes 1k,10k] [--runs 7] [--work /dev/shm/opsbook-bench]
//! cargo run --release -p opsbook-bench -- --alerts 5000 --sizes 1k
//! cargo run --release -p opsbook-bench -- history [--sizes 20k,100k] [--runs 5] [--work /dev/shm]
//! cargo run --release -p opsbook-bench -- history --once --sizes 20k   # one cold mining, for callgrind
//! ```
//!
//! `--alerts N` times `check` with and without a generated rule file of N alerts instead
//! (see `alerts.rs`); `--slo` times `opsbook slo rules` against `check` (see `slo.rs`):
//!
//! ```text
//! cargo run --release -p opsbook-bench -- --slo --sizes 10k --work /dev/shm/opsbook-bench
//! ```
//!
//! Corpora come from `bench/gen_corpus.py` (the project's copy of the shared generator) and
//! are cached in the work folder; put it on a RAM disk. Figures are medians of `--runs`
//! runs after one warm-up run; compare ratios, not absolute times, on a shared machine.

// Loading allocates many small strings from several threads at once; mimalloc does
// that markedly faster than the system allocator (see the benchmark in crates/opsbook-bench).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod alerts;
mod history;
mod slo;

use opsbook_bench::{corpus, markdown_files};

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

struct Args {
    /// Run one phase once and exit (for `valgrind --tool=callgrind`, which counts
    /// instructions and is immune to a noisy machine).
    once: Option<String>,
    /// Time a rule file of this many alerts instead (`--alerts N`).
    alerts: Option<usize>,
    /// Time `opsbook slo rules` against `check` instead (`--slo`).
    slo: bool,
    sizes: Vec<String>,
    runs: usize,
    work: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        once: None,
        alerts: None,
        slo: false,
        sizes: vec!["1k".into(), "10k".into()],
        runs: 7,
        work: PathBuf::from("/dev/shm/opsbook-bench"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--sizes" => args.sizes = value()?.split(',').map(str::to_string).collect(),
            "--runs" => args.runs = value()?.parse().map_err(|e| format!("--runs: {e}"))?,
            "--work" => args.work = PathBuf::from(value()?),
            "--once" => args.once = Some(value()?),
            "--slo" => args.slo = true,
            "--alerts" => {
                args.alerts = Some(value()?.parse().map_err(|e| format!("--alerts: {e}"))?);
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(args)
}

pub(crate) fn median(runs: usize, mut f: impl FnMut() -> usize) -> (Duration, usize) {
    let mut times = Vec::with_capacity(runs);
    let mut count = f(); // warm-up: page cache, allocator
    for _ in 0..runs {
        let start = Instant::now();
        count = std::hint::black_box(f());
        times.push(start.elapsed());
    }
    times.sort();
    (times[times.len() / 2], count)
}

/// The floor over every document, one thread; returns how many documents it read.
fn floor(root: &Path) -> usize {
    let files = markdown_files(root);
    for path in &files {
        std::hint::black_box(floor_one(path));
    }
    files.len()
}

/// The floor: read, split at the fences and parse the YAML of every document.
fn floor_one(path: &Path) -> usize {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    match opsbook_core::frontmatter::split(&text, 0, "") {
        Ok(parts) => opsbook_core::yaml::parse(parts.yaml, parts.yaml_start)
            .ok()
            .flatten()
            .map_or(0, |n| n.as_map().map_or(0, <[_]>::len)),
        Err(_) => 0,
    }
}

/// What `opsbook check` does, minus printing.
fn check_once(dir: &Path) -> usize {
    let (handbook, mut diagnostics) =
        opsbook_core::load(dir, &Default::default()).expect("corpus loads");
    diagnostics.extend(opsbook_core::check(&handbook, &Default::default()));
    opsbook_core::finish(&handbook.config, diagnostics).len()
}

fn main() {
    let all: Vec<String> = std::env::args().skip(1).collect();
    if all.first().map(String::as_str) == Some("history") {
        if let Err(e) = history::run(&all[1..]) {
            eprintln!("opsbook-bench: {e}");
            std::process::exit(2);
        }
        return;
    }
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("opsbook-bench: {e}");
            std::process::exit(2);
        }
    };
    if let Some(phase) = &args.once {
        let dir = corpus(&args.work, &args.sizes[0]).unwrap_or_else(|e| {
            eprintln!("opsbook-bench: {e}");
            std::process::exit(2);
        });
        let n = match phase.as_str() {
            "floor" => floor(&dir),
            _ => check_once(&dir),
        };
        println!("{phase}: {n}");
        return;
    }
    if args.slo {
        for size in &args.sizes {
            let result = corpus(&args.work, size)
                .and_then(|base| slo::run(&args.work, size, &base, args.runs));
            if let Err(e) = result {
                eprintln!("opsbook-bench: {e}");
                std::process::exit(2);
            }
        }
        return;
    }
    if let Some(count) = args.alerts {
        for size in &args.sizes {
            let result = corpus(&args.work, size).and_then(|base| {
                alerts::run(&args.work, size, &base, count, args.runs, check_once)
            });
            if let Err(e) = result {
                eprintln!("opsbook-bench: {e}");
                std::process::exit(2);
            }
        }
        return;
    }
    println!(
        "{:<6} {:>6} {:>14} {:>14} {:>12} {:>10} {:>10}",
        "corpus", "docs", "floor 1 thread", "floor rayon", "check", "vs floor1", "vs rayon"
    );
    for size in &args.sizes {
        let dir = match corpus(&args.work, size) {
            Ok(dir) => dir,
            Err(e) => {
                eprintln!("opsbook-bench: {e}");
                std::process::exit(2);
            }
        };
        let (floor_seq, docs) = median(args.runs, || floor(&dir));
        let (floor_par, _) = median(args.runs, || {
            use rayon::prelude::*;
            let files = markdown_files(&dir);
            files.par_iter().map(|p| floor_one(p)).count()
        });
        let (load, _) = median(args.runs, || {
            let (handbook, _) =
                opsbook_core::load(&dir, &Default::default()).expect("corpus loads");
            handbook.documents.len()
        });
        eprintln!(
            "  ({size}: load alone {:.1} ms)",
            load.as_secs_f64() * 1000.0
        );
        let (check, findings) = median(args.runs, || check_once(&dir));
        let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
        println!(
            "{:<6} {:>6} {:>14} {:>14} {:>12} {:>9.2}x {:>9.2}x",
            size,
            docs,
            ms(floor_seq),
            ms(floor_par),
            ms(check),
            check.as_secs_f64() / floor_seq.as_secs_f64(),
            check.as_secs_f64() / floor_par.as_secs_f64(),
        );
        eprintln!("  ({size}: {findings} findings)");
    }
}
