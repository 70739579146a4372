//! `opsbook-bench history`: times history mining against one `git log --name-status`
//! pass over the same repository, measured in the same run, and a warm run with the
//! cache and no new commits.
//!
//! ```text
//! cargo run --release -p opsbook-bench -- history [--sizes 20k,100k] [--runs 5] [--work /dev/shm]
//! taskset -c 0 valgrind --tool=callgrind target/release/opsbook-bench history --once --sizes 20k
//! ```
//!
//! Histories come from `bench/gen_corpus.py --git` (100k commits take ~2.5 min to make)
//! and are kept in the work folder as `git20k` and `git100k`.

use opsbook_history::{MineOptions, mine};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn generator_args(size: &str) -> Result<&'static [&'static str], String> {
    Ok(match size {
        "20k" => &[
            "--runbooks",
            "680",
            "--postmortems",
            "400",
            "--slas",
            "60",
            "--seed",
            "1",
            "--git",
            "--commits",
            "20000",
        ],
        "100k" => &[
            "--runbooks",
            "3400",
            "--postmortems",
            "2000",
            "--slas",
            "300",
            "--seed",
            "1",
            "--git",
            "--commits",
            "100000",
        ],
        other => return Err(format!("unknown history size `{other}` (use 20k or 100k)")),
    })
}

fn repository(work: &Path, size: &str) -> Result<PathBuf, String> {
    let dir = work.join(format!("git{size}"));
    if dir.join(".git").exists() {
        return Ok(dir);
    }
    opsbook_bench::generate(&dir, generator_args(size)?, size)?;
    Ok(dir)
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn git_log(dir: &Path) -> Result<Duration, String> {
    let start = Instant::now();
    let status = Command::new("git")
        .args(["log", "--name-status"])
        .current_dir(dir)
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !status.success() {
        return Err("git log failed".to_string());
    }
    Ok(start.elapsed())
}

fn mine_once(dir: &Path, cache: bool) -> Result<(Duration, usize), String> {
    let start = Instant::now();
    let mined = mine(
        dir,
        &MineOptions {
            cache,
            ..MineOptions::default()
        },
    )
    .map_err(|e| e.to_string())?;
    let docs = mined.history.map_or(0, |h| h.docs.len());
    Ok((start.elapsed(), docs))
}

/// Runs the history benchmark with the arguments after `history`.
pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let mut sizes = vec!["20k".to_string(), "100k".to_string()];
    let mut runs = 5;
    let mut work = PathBuf::from("/dev/shm");
    let mut once = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = || it.next().cloned().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--sizes" => sizes = value()?.split(',').map(str::to_string).collect(),
            "--runs" => runs = value()?.parse().map_err(|e| format!("--runs: {e}"))?,
            "--work" => work = PathBuf::from(value()?),
            "--once" => once = true,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if once {
        // One cold mining of the first size and nothing else, for
        // `taskset -c 0 valgrind --tool=callgrind` (one core: one examining thread).
        let dir = repository(&work, &sizes[0])?;
        let (t, docs) = mine_once(&dir, false)?;
        println!(
            "{}: {docs} docs in {:.1} ms",
            sizes[0],
            t.as_secs_f64() * 1000.0
        );
        return Ok(());
    }
    println!(
        "{:<8} {:>14} {:>14} {:>10} {:>12} {:>6}",
        "history", "git log -name", "mine (cold)", "vs git", "warm (cache)", "docs"
    );
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    for size in &sizes {
        let dir = repository(&work, size)?;
        let _ = std::fs::remove_dir_all(dir.join(".git/opsbook-cache"));
        git_log(&dir)?; // warm the page cache
        // Alternate the two so that both see the same load on a shared machine.
        let (mut logs, mut colds) = (Vec::new(), Vec::new());
        let mut docs = 0;
        for _ in 0..runs {
            logs.push(git_log(&dir)?);
            let (t, n) = mine_once(&dir, false)?;
            colds.push(t);
            docs = n;
        }
        mine_once(&dir, true)?; // fills the cache
        let mut warms = Vec::new();
        for _ in 0..runs {
            warms.push(mine_once(&dir, true)?.0);
        }
        let (log, cold, warm) = (median(logs), median(colds), median(warms));
        println!(
            "{:<8} {:>14} {:>14} {:>9.2}x {:>12} {:>6}",
            size,
            ms(log),
            ms(cold),
            cold.as_secs_f64() / log.as_secs_f64(),
            ms(warm),
            docs
        );
    }
    Ok(())
}
