//! Benchmarks `opsbook serve`'s live reload: the time from saving one runbook to the
//! `reload` event on the server's event stream, and then to the re-rendered page and the
//! search index, against a full `opsbook build` of the same handbook measured in the same
//! run.
//!
//! ```text
//! cargo build --release --bin opsbook
//! cargo run --release -p opsbook-bench --bin serve -- [--corpus /dev/shm/opsbook-bench/corpus-1k] [--saves 20]
//! ```
//!
//! The corpus is copied to `--work` (default `/dev/shm/serve/bench`) before any file in it
//! is edited. The real binary (next to this one, or `--opsbook PATH`) runs as a child
//! process with the native file watcher, so the figures include the file events, the
//! debounce, the reload and check of the handbook, and the HTTP round trips. Figures are
//! medians; on a shared machine compare the ratio, not the absolute times.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Marks a work folder this benchmark made, so it only ever deletes its own copies.
const MARKER: &str = ".opsbook-serve-bench";

struct Args {
    corpus: PathBuf,
    work: PathBuf,
    saves: usize,
    opsbook: PathBuf,
}

fn args() -> Result<Args, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut args = Args {
        corpus: "/dev/shm/opsbook-bench/corpus-1k".into(),
        work: "/dev/shm/serve/bench".into(),
        saves: 20,
        opsbook: exe.with_file_name(format!("opsbook{}", std::env::consts::EXE_SUFFIX)),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--corpus" => args.corpus = value()?.into(),
            "--work" => args.work = value()?.into(),
            "--saves" => args.saves = value()?.parse().map_err(|e| format!("--saves: {e}"))?,
            "--opsbook" => args.opsbook = value()?.into(),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(args)
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.file_type().map_err(|e| e.to_string())?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)
                .map_err(|e| format!("{}: {e}", target.display()))?;
        }
    }
    Ok(())
}

/// Sends a GET request and returns the status code and the body length.
fn get(port: u16, path: &str) -> Result<(u16, usize), String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&response);
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or("no status line")?;
    Ok((status, response.len()))
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn run() -> Result<(), String> {
    let args = args()?;
    if !args.opsbook.is_file() {
        return Err(format!(
            "`{}` does not exist: run `cargo build --release --bin opsbook` first or pass --opsbook",
            args.opsbook.display()
        ));
    }
    if args.work.exists() {
        if !args.work.join(MARKER).is_file() {
            return Err(format!(
                "`{}` exists and was not made by this benchmark; choose another --work",
                args.work.display()
            ));
        }
        std::fs::remove_dir_all(&args.work).map_err(|e| e.to_string())?;
    }
    copy_dir(&args.corpus, &args.work)?;
    std::fs::write(args.work.join(MARKER), "").map_err(|e| e.to_string())?;
    let runbook = std::fs::read_dir(args.work.join("runbooks"))
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .min()
        .ok_or("the corpus has no runbooks")?;
    let original = std::fs::read_to_string(&runbook).map_err(|e| e.to_string())?;
    let page = format!(
        "/runbooks/{}.html",
        runbook.file_stem().unwrap_or_default().to_string_lossy()
    );

    // The baseline: a full build of the same handbook, median of 3 after a warm-up.
    let site = args.work.with_file_name("bench-site");
    let mut builds = Vec::new();
    for i in 0..4 {
        let start = Instant::now();
        let status = Command::new(&args.opsbook)
            .args(["build", "--allow-errors", "-q", "-o"])
            .arg(&site)
            .arg(&args.work)
            .stderr(Stdio::null())
            .status()
            .map_err(|e| e.to_string())?;
        if !status.success() {
            return Err(format!("opsbook build failed: {status}"));
        }
        if i > 0 {
            builds.push(start.elapsed());
        }
    }
    let build = median(&mut builds);

    let mut child = Command::new(&args.opsbook)
        .args(["serve", "--port", "0", "-q"])
        .arg(&args.work)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let stderr = child.stderr.take().ok_or("no stderr")?;
    let server = Server(child);
    let mut lines = BufReader::new(stderr).lines();
    let port: u16 = loop {
        let line = lines
            .next()
            .ok_or("serve exited before it listened")?
            .map_err(|e| e.to_string())?;
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            break rest
                .split('/')
                .next()
                .and_then(|p| p.parse().ok())
                .ok_or(format!("no port in `{line}`"))?;
        }
    };
    // Keep draining stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});

    // Warm: the first page render and every body (for the search index).
    get(port, &page)?;
    get(port, "/search-index.js")?;

    let mut events = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    write!(
        events,
        "GET /__opsbook/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut events = BufReader::new(events);
    let mut line = String::new();
    while !line.starts_with("event: hello") {
        line.clear();
        events.read_line(&mut line).map_err(|e| e.to_string())?;
    }

    let (mut reloads, mut pages, mut indexes) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..args.saves {
        // Let the previous rebuild and its file events settle.
        std::thread::sleep(Duration::from_millis(300));
        let start = Instant::now();
        std::fs::write(&runbook, format!("{original}\nSaved {i} times.\n"))
            .map_err(|e| e.to_string())?;
        loop {
            line.clear();
            if events.read_line(&mut line).map_err(|e| e.to_string())? == 0 {
                return Err("the event stream closed".into());
            }
            if line.starts_with("event: reload") {
                break;
            }
        }
        reloads.push(start.elapsed());
        let (status, _) = get(port, &page)?;
        if status != 200 {
            return Err(format!("{page}: status {status}"));
        }
        pages.push(start.elapsed());
        get(port, "/search-index.js")?;
        indexes.push(start.elapsed());
    }
    drop(server);
    std::fs::write(&runbook, original).map_err(|e| e.to_string())?;

    let reload = median(&mut reloads);
    println!(
        "corpus {} ({} saves of {})",
        args.corpus.display(),
        args.saves,
        runbook.file_name().unwrap_or_default().to_string_lossy()
    );
    println!("full opsbook build (median of 3):      {}", ms(build));
    println!(
        "save → reload event (median):           {}   (min {}, max {})",
        ms(reload),
        ms(reloads[0]),
        ms(reloads[reloads.len() - 1])
    );
    println!(
        "save → page re-rendered (median):       {}",
        ms(median(&mut pages))
    );
    println!(
        "save → search index rebuilt (median):   {}",
        ms(median(&mut indexes))
    );
    println!(
        "reload / full build:                    {:.2}",
        reload.as_secs_f64() / build.as_secs_f64()
    );
    Ok(())
}

fn main() {
    if let Err(e) = run() {
        eprintln!("serve benchmark: {e}");
        std::process::exit(2);
    }
}
