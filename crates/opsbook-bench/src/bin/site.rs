//! Benchmarks `opsbook build` (load, check, render, write, swap) on generated handbooks
//! against a floor measured in the same run: a bare single-threaded read + YAML parse +
//! markdown render + write of the same files.
//!
//! ```text
//! cargo build --release -p opsbook && cargo run --release -p opsbook-bench --bin site -- [--sizes 1k,10k] [--runs 5] [--work /dev/shm/opsbook-bench] [--memory] [--opsbook PATH]
//! ```
//!
//! The same run also times the real `opsbook build` binary (next to this one: build it with
//! `cargo build --release -p opsbook`, or pass `--opsbook PATH`), which adds what the command
//! line does around the library: templates compiled while the folder is read, check-only
//! data freed before rendering, findings printed (`-q` here).
//!
//! `--memory` instead runs one build per size and prints, for each stage (load, check,
//! build), the resident memory after it, the peak within it and its time.
//!
//! Corpora come from `bench/gen_corpus.py` and are cached in the work folder (put it on a
//! RAM disk); the output goes there too. Figures are medians of `--runs` runs after one
//! warm-up run; on a shared machine compare the ratios, not the absolute times. Peak
//! memory is measured separately, with `/usr/bin/time -v opsbook build …`.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use opsbook_bench::{corpus, markdown_files};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn median(runs: usize, mut f: impl FnMut() -> Result<usize, String>) -> Result<Duration, String> {
    f()?;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        std::hint::black_box(f()?);
        times.push(start.elapsed());
    }
    times.sort();
    Ok(times[times.len() / 2])
}

/// The floor: for every document, read, split, parse the YAML, render the markdown with
/// pulldown-cmark's HTML writer and write the result — one thread, nothing else.
fn floor(root: &Path, out: &Path) -> Result<usize, String> {
    let _ = std::fs::remove_dir_all(out);
    std::fs::create_dir_all(out).map_err(|e| e.to_string())?;
    let mut n = 0;
    for (i, path) in markdown_files(root).iter().enumerate() {
        let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
        let Ok(parts) = opsbook_core::frontmatter::split(&text, 0, "") else {
            continue;
        };
        let yaml = opsbook_core::yaml::parse(parts.yaml, parts.yaml_start)
            .ok()
            .flatten();
        let mut html = String::with_capacity(parts.body.len() * 3 / 2);
        let parser = pulldown_cmark::Parser::new_ext(parts.body, opsbook_core::markdown::options());
        pulldown_cmark::html::push_html(&mut html, parser);
        std::fs::write(out.join(format!("{i}.html")), html).map_err(|e| e.to_string())?;
        n += usize::from(yaml.is_some());
    }
    Ok(n)
}

/// What `opsbook build` does: load, check, compile the theme, render in parallel into a
/// temporary folder and swap it in.
fn build(root: &Path, out: &Path) -> Result<usize, String> {
    let (handbook, mut diagnostics) =
        opsbook_core::load(root, &Default::default()).map_err(|e| e.to_string())?;
    diagnostics.extend(opsbook_core::check(&handbook, &Default::default()));
    let diagnostics = opsbook_core::finish(&handbook.config, diagnostics);
    let theme =
        opsbook_site::Theme::load(Some(&root.join("templates"))).map_err(|e| e.to_string())?;
    let options = opsbook_site::BuildOptions::default();
    let report = opsbook_site::output::write_atomically(root, out, |dir| {
        opsbook_site::build(&handbook, &theme, &options, dir)
    })
    .map_err(|e| e.to_string())?;
    Ok(report.pages + diagnostics.len())
}

/// `opsbook build` as a user runs it.
fn binary(opsbook: &Path, root: &Path, out: &Path) -> Result<usize, String> {
    let status = std::process::Command::new(opsbook)
        .arg("build")
        .arg(root)
        .arg("-o")
        .arg(out)
        .args(["--allow-errors", "-q"])
        .stderr(std::process::Stdio::null())
        .status()
        .map_err(|e| format!("{}: {e}", opsbook.display()))?;
    if !status.success() {
        return Err(format!("`{} build` failed: {status}", opsbook.display()));
    }
    Ok(1)
}

/// `(resident, peak)` of this process in MB, from /proc (Linux only; zeros elsewhere).
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .unwrap_or(0)
            / 1024
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Resets the peak (`VmHWM`) to the current resident size, so each stage's peak is its own.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// One build of `root`, printing the memory after each stage.
fn memory_stages(size: &str, root: &Path, out: &Path) -> Result<(), String> {
    let mut started = Instant::now();
    let mut stage = |name: &str| {
        let (rss, peak) = memory();
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        println!("{size:<6} {name:<8} {rss:>8} MB {peak:>8} MB {ms:>8.0} ms");
        reset_peak();
        started = Instant::now();
    };
    reset_peak();
    let (handbook, mut diagnostics) =
        opsbook_core::load(root, &Default::default()).map_err(|e| e.to_string())?;
    stage("load");
    diagnostics.extend(opsbook_core::check(&handbook, &Default::default()));
    let diagnostics = opsbook_core::finish(&handbook.config, diagnostics);
    stage("check");
    let theme =
        opsbook_site::Theme::load(Some(&root.join("templates"))).map_err(|e| e.to_string())?;
    let options = opsbook_site::BuildOptions::default();
    opsbook_site::output::write_atomically(root, out, |dir| {
        opsbook_site::build(&handbook, &theme, &options, dir)
    })
    .map_err(|e| e.to_string())?;
    stage("build");
    std::hint::black_box(diagnostics);
    Ok(())
}

fn run() -> Result<(), String> {
    let mut sizes = vec!["1k".to_string(), "10k".to_string()];
    let mut runs = 5;
    let mut work = PathBuf::from("/dev/shm/opsbook-bench");
    let mut memory_only = false;
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut opsbook = exe.with_file_name(format!("opsbook{}", std::env::consts::EXE_SUFFIX));
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--sizes" => sizes = value()?.split(',').map(str::to_string).collect(),
            "--runs" => runs = value()?.parse().map_err(|e| format!("--runs: {e}"))?,
            "--work" => work = PathBuf::from(value()?),
            "--memory" => memory_only = true,
            "--opsbook" => opsbook = PathBuf::from(value()?),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if memory_only {
        println!(
            "{:<6} {:<8} {:>11} {:>11} {:>11}",
            "corpus", "stage", "resident", "peak", "time"
        );
        for size in &sizes {
            let dir = corpus(&work, size)?;
            memory_stages(size, &dir, &work.join(format!("site-{size}")))?;
        }
        return Ok(());
    }
    let opsbook = opsbook.is_file().then_some(opsbook);
    if opsbook.is_none() {
        eprintln!("site bench: no opsbook binary next to this one: timing the library only");
    }
    println!(
        "{:<6} {:>6} {:>16} {:>15} {:>7} {:>15} {:>7}",
        "corpus", "docs", "floor (1 thread)", "build (library)", "ratio", "opsbook build", "ratio"
    );
    for size in &sizes {
        let dir = corpus(&work, size)?;
        let docs = markdown_files(&dir).len();
        let floor_out = work.join(format!("floor-{size}"));
        let site_out = work.join(format!("site-{size}"));
        let floor_time = median(runs, || floor(&dir, &floor_out))?;
        let build_time = median(runs, || build(&dir, &site_out))?;
        let binary_time = match &opsbook {
            Some(exe) => Some(median(runs, || binary(exe, &dir, &site_out))?),
            None => None,
        };
        let ms = |d: Duration| format!("{:.0} ms", d.as_secs_f64() * 1000.0);
        let ratio = |d: Duration| format!("{:.2}x", d.as_secs_f64() / floor_time.as_secs_f64());
        println!(
            "{:<6} {:>6} {:>16} {:>15} {:>7} {:>15} {:>7}",
            size,
            docs,
            ms(floor_time),
            ms(build_time),
            ratio(build_time),
            binary_time.map(ms).unwrap_or_else(|| "-".into()),
            binary_time.map(ratio).unwrap_or_else(|| "-".into()),
        );
    }
    Ok(())
}

fn main() {
    if let Err(e) = run() {
        eprintln!("site bench: {e}");
        std::process::exit(2);
    }
}
