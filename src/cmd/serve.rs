//! `opsbook serve`: the site from memory on a local port, rebuilt when a file changes, with
//! open pages reloaded over server-sent events and check findings shown in each page.
//!
//! Nothing is written to disk. The handbook is loaded and checked again after every
//! (debounced) change, which costs tens of milliseconds at 1k documents; pages are then
//! rendered only when requested, from [`opsbook_site::Prepared`], and each document's
//! markdown body is kept in a [`opsbook_site::BodyCache`] keyed by its inputs, so a save
//! re-renders one body, not a thousand (the search index and the feed need them all).

mod http;
mod overlay;

use super::Output;
use crate::cli::ServeArgs;
use crate::pipeline::{self, Loaded};
use anyhow::Context;
use chrono::{DateTime, Utc};
use opsbook_core::{Diagnostic, Handbook, LoadOptions, Summary};
use opsbook_site::{BodyCache, BuildOptions, Theme};
use opsbook_stats::Mined;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicUsize;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::{Duration, Instant};

/// How long the folder must be quiet before a rebuild: editors write a file in several
/// steps (temporary file, rename, metadata) within a few milliseconds.
const DEBOUNCE: Duration = Duration::from_millis(20);

/// The longest a stream of changes delays a rebuild.
const MAX_WAIT: Duration = Duration::from_millis(500);

/// How often the polling watcher looks at the folder.
const POLL_INTERVAL: Duration = Duration::from_millis(200);

/// How often the repository's HEAD is looked at, to notice commits made while serving.
const HISTORY_POLL: Duration = Duration::from_secs(1);

/// HTTP worker threads (event streams get a thread each on top).
const WORKERS: usize = 4;

/// The most event streams open at once: each holds a thread, and a page holds one; more
/// get 503 (a hostile client opening thousands must not exhaust threads).
pub(crate) const MAX_STREAMS: usize = 64;

/// One loaded state of the handbook: what every request of one version is served from.
pub(crate) struct Snapshot {
    /// Increases with every rebuild; pages carry it so a stale page reloads itself.
    pub(crate) version: u64,
    pub(crate) handbook: Arc<Handbook>,
    /// What loading found (before the checks), for patching one file's share.
    loaded: Arc<Vec<Diagnostic>>,
    pub(crate) options: Arc<BuildOptions>,
    pub(crate) theme: Arc<Theme>,
    /// Check findings, finished (levels, sorting) as `check` prints them; the overlay and
    /// `/__opsbook/diagnostics.json` render them on request.
    pub(crate) diagnostics: Arc<Vec<Diagnostic>>,
    /// Why the templates do not compile (the previous theme is still used).
    pub(crate) theme_error: Option<String>,
    /// Pages rendered for this version, by output path (before the overlay is added).
    pub(crate) pages: Mutex<HashMap<String, Arc<http::Page>>>,
}

impl Snapshot {
    /// How many findings are errors, and how many warnings.
    pub(crate) fn counts(&self) -> (usize, usize) {
        let summary = Summary::of(&self.diagnostics);
        (summary.errors, summary.warnings)
    }
}

/// Everything the server threads share.
pub(crate) struct State {
    /// The handbook folder, canonical.
    pub(crate) root: PathBuf,
    current: RwLock<Arc<Snapshot>>,
    /// Rendered markdown bodies, kept across versions.
    pub(crate) bodies: BodyCache,
    /// Open event streams.
    clients: Mutex<Vec<Sender<String>>>,
    /// The address the server listens on (set once bound): requests must name it, or a
    /// loopback host, in their `Host` header.
    pub(crate) bound: OnceLock<SocketAddr>,
    /// How many event streams are open (each holds a thread), at most [`MAX_STREAMS`].
    pub(crate) streams: Arc<AtomicUsize>,
}

impl State {
    /// The current version.
    pub(crate) fn snapshot(&self) -> Arc<Snapshot> {
        Arc::clone(&self.current.read().unwrap_or_else(|e| e.into_inner()))
    }

    fn replace(&self, next: Snapshot) {
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(next);
    }

    /// Registers an event stream.
    pub(crate) fn subscribe(&self) -> Receiver<String> {
        let (tx, rx) = channel();
        self.clients
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(tx);
        rx
    }

    /// Sends `event` to every open stream, forgetting the closed ones.
    fn broadcast(&self, event: &str) {
        self.clients
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|tx| tx.send(event.to_string()).is_ok());
    }
}

/// The settings shared by every rebuild.
struct Settings {
    now: Option<DateTime<Utc>>,
    /// Mined again when a commit is made while serving.
    mined: RwLock<Mined>,
    skip: Vec<PathBuf>,
}

impl Settings {
    fn options(&self) -> BuildOptions {
        BuildOptions {
            now: self.now.unwrap_or_else(Utc::now),
            mined: self.mined.read().unwrap_or_else(|e| e.into_inner()).clone(),
            // Whatever `base_url` says, this server shows the site at its root.
            served_at: Some("/".into()),
            // The overlay shows the findings themselves.
            errors: 0,
        }
    }
}

/// What the rebuild thread is told about.
enum Change {
    /// Paths the file watcher saw change.
    Files(Vec<PathBuf>),
    /// HEAD points at another commit: git's times may have changed.
    History,
}

pub(crate) fn run(args: &ServeArgs, out: Output) -> anyhow::Result<ExitCode> {
    let now = args.now;
    let addr = bind_address(&args.bind, args.port)?;
    let root = args
        .dir
        .canonicalize()
        .with_context(|| format!("cannot serve `{}`", args.dir.display()))?;
    let skip = vec![root.join("_site")];
    let started = Instant::now();
    let Loaded {
        handbook,
        diagnostics,
    } = pipeline::load(&root, skip.clone(), "serve", &args.dir)?;
    // Saving a file makes no commit: git is mined again only when HEAD moves.
    let head = pipeline::head_commit(&root);
    let settings = Settings {
        now,
        mined: RwLock::new(pipeline::mine_printing(&handbook, true)),
        skip,
    };
    let templates = root.join("templates");
    let (theme, theme_error) = match Theme::load(Some(&templates)) {
        Ok(theme) => (theme, None),
        // The defaults keep the server useful until the templates are fixed.
        Err(e) => (
            Theme::load(None).context("the built-in templates do not compile")?,
            Some(format!("{e}")),
        ),
    };
    let options = Arc::new(settings.options());
    let checked = check_all(&handbook, diagnostics.clone(), &options);
    let state = Arc::new(State {
        root: root.clone(),
        current: RwLock::new(Arc::new(Snapshot {
            version: 1,
            handbook: Arc::new(handbook),
            loaded: Arc::new(diagnostics),
            options,
            theme: Arc::new(theme),
            diagnostics: Arc::new(checked),
            theme_error,
            pages: Mutex::default(),
        })),
        bodies: BodyCache::default(),
        clients: Mutex::default(),
        bound: OnceLock::new(),
        streams: Arc::default(),
    });
    out.detail(&format!(
        "loaded and checked in {} ms",
        started.elapsed().as_millis()
    ));
    report(&state.snapshot(), out);

    let server = Arc::new(
        tiny_http::Server::http(addr)
            .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?,
    );
    let local = server
        .server_addr()
        .to_ip()
        .context("the server has no IP address")?;
    let _ = state.bound.set(local);
    if !local.ip().is_loopback() {
        eprintln!(
            "warning: listening on {}, which other machines can reach: anyone on the network can read the handbook and its check findings; use --bind 127.0.0.1 to keep it local",
            local.ip()
        );
    }

    let (events_tx, events_rx) = channel::<Change>();
    watch_history(&root, head, events_tx.clone())?;
    let _watcher = watch(&root, args.poll, events_tx, out)?;
    {
        let state = Arc::clone(&state);
        std::thread::Builder::new()
            .name("opsbook-rebuild".into())
            .spawn(move || rebuild_loop(&state, &settings, &events_rx, out))
            .context("cannot start the rebuild thread")?;
    }
    let workers: Vec<_> = (0..WORKERS)
        .map(|i| {
            let (server, state) = (Arc::clone(&server), Arc::clone(&state));
            std::thread::Builder::new()
                .name(format!("opsbook-http-{i}"))
                .spawn(move || {
                    for request in server.incoming_requests() {
                        http::handle(&state, request);
                    }
                })
        })
        .collect::<Result<_, _>>()
        .context("cannot start the server threads")?;

    let (stop_tx, stop_rx) = channel();
    ctrlc::set_handler(move || {
        let _ = stop_tx.send(());
    })
    .context("cannot handle Ctrl-C")?;
    let host = match local.ip() {
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    eprintln!(
        "serving {} at http://{host}:{}/ (Ctrl-C to stop)",
        args.dir.display(),
        local.port()
    );
    let _ = stop_rx.recv();
    // Each unblock ends one worker's wait for a request; event streams end with the process.
    for _ in &workers {
        server.unblock();
    }
    for worker in workers {
        let _ = worker.join();
    }
    out.note("stopped");
    Ok(ExitCode::SUCCESS)
}

/// The socket address of `--bind` (an IP address, `localhost`, or an address with a port,
/// which wins over `--port`).
fn bind_address(bind: &str, port: u16) -> anyhow::Result<SocketAddr> {
    if let Ok(addr) = bind.parse::<SocketAddr>() {
        return Ok(addr);
    }
    let ip = match bind {
        "localhost" => IpAddr::from([127, 0, 0, 1]),
        _ => bind
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse()
            .with_context(|| {
                format!("--bind `{bind}` is not an IP address such as 127.0.0.1 or ::1")
            })?,
    };
    Ok(SocketAddr::new(ip, port))
}

/// Starts the native watcher, or the polling one with `--poll` or when the native one
/// cannot start (e.g. inotify limits); changed paths arrive on `tx` as they happen.
fn watch(
    root: &Path,
    poll: bool,
    tx: Sender<Change>,
    out: Output,
) -> anyhow::Result<Box<dyn notify::Watcher>> {
    use notify::{Event, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};
    fn start<W: Watcher + 'static>(
        root: &Path,
        config: notify::Config,
        tx: Sender<Change>,
    ) -> notify::Result<Box<dyn Watcher>> {
        let mut watcher = W::new(
            move |event: notify::Result<Event>| match event {
                // Reading files (our own loads included) is no change.
                Ok(event) if !matches!(event.kind, EventKind::Access(_)) => {
                    let _ = tx.send(Change::Files(event.paths));
                }
                Ok(_) => {}
                Err(e) => eprintln!("opsbook: watching files: {e}"),
            },
            config,
        )?;
        watcher.watch(root, RecursiveMode::Recursive)?;
        Ok(Box::new(watcher))
    }
    if !poll {
        match start::<RecommendedWatcher>(root, notify::Config::default(), tx.clone()) {
            Ok(watcher) => return Ok(watcher),
            Err(e) => eprintln!(
                "warning: file events are not available ({e}); polling the folder every {} ms instead",
                POLL_INTERVAL.as_millis()
            ),
        }
    }
    let config = notify::Config::default().with_poll_interval(POLL_INTERVAL);
    let watcher = start::<PollWatcher>(root, config, tx).context("cannot watch the folder")?;
    out.detail("polling for changes");
    Ok(watcher)
}

/// Looks at the commit HEAD points at every [`HISTORY_POLL`] and says when it changes (a
/// commit, a checkout, a pull; a repository made while serving): the repository may sit
/// above the handbook folder, outside what the file watcher sees.
fn watch_history(root: &Path, mut head: Option<String>, tx: Sender<Change>) -> anyhow::Result<()> {
    let root = root.to_path_buf();
    std::thread::Builder::new()
        .name("opsbook-history".into())
        .spawn(move || {
            loop {
                std::thread::sleep(HISTORY_POLL);
                let now = pipeline::head_commit(&root);
                if now != head {
                    head = now;
                    if tx.send(Change::History).is_err() {
                        return;
                    }
                }
            }
        })
        .context("cannot start the history thread")?;
    Ok(())
}

/// Whether a change to `path` (relative to the root) can change the site.
fn relevant(path: &Path) -> bool {
    let hidden = path.components().any(|c| {
        let name = c.as_os_str().to_string_lossy();
        name.starts_with('.') || name == "_site" || name == "target"
    });
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    // Editor backups and vim's write test file.
    !hidden && !name.ends_with('~') && name != "4913"
}

/// Waits for changes and rebuilds; never returns while the server runs.
fn rebuild_loop(state: &State, settings: &Settings, events: &Receiver<Change>, out: Output) {
    while let Ok(first) = events.recv() {
        let saved = Instant::now();
        let mut changed = Vec::new();
        let mut history = false;
        let mut take = |change| match change {
            Change::Files(paths) => changed.extend(paths),
            Change::History => history = true,
        };
        take(first);
        // Debounce: wait until the folder has been quiet for DEBOUNCE (at most MAX_WAIT).
        while saved.elapsed() < MAX_WAIT {
            match events.recv_timeout(DEBOUNCE) {
                Ok(more) => take(more),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        let mut changed: Vec<PathBuf> = changed
            .into_iter()
            .filter_map(|p| p.strip_prefix(&state.root).ok().map(Path::to_path_buf))
            .filter(|p| relevant(p))
            .collect();
        changed.sort();
        changed.dedup();
        if changed.is_empty() && !history {
            continue;
        }
        rebuild(state, settings, &changed, history, out);
        out.detail(&format!("rebuilt in {} ms", saved.elapsed().as_millis()));
    }
}

/// Reloads what `changed` affects (and mines git again when `history` moved), then tells
/// every open page to reload.
fn rebuild(state: &State, settings: &Settings, changed: &[PathBuf], history: bool, out: Output) {
    let old = state.snapshot();
    let templates = changed.iter().any(|p| p.starts_with("templates"));
    let documents = changed.iter().any(|p| !p.starts_with("templates"));
    let (theme, theme_error) = if templates {
        match Theme::load(Some(&state.root.join("templates"))) {
            Ok(theme) => (Arc::new(theme), None),
            // A broken template never stops the server: keep the last good theme.
            Err(e) => (Arc::clone(&old.theme), Some(format!("{e}"))),
        }
    } else {
        (Arc::clone(&old.theme), old.theme_error.clone())
    };
    let (handbook, loaded) = if documents {
        let started = Instant::now();
        // Edits of existing documents are patched into the loaded handbook; anything else
        // (new, removed or renamed files, handbook.yaml, rule files) loads it again.
        let reloaded = match patch(&state.root, &old.handbook, &old.loaded, changed) {
            Some(patched) => Ok(patched),
            None => {
                out.detail(&format!("loading the folder again for {changed:?}"));
                opsbook_core::load(
                    &state.root,
                    &LoadOptions {
                        skip: settings.skip.clone(),
                    },
                )
            }
        };
        match reloaded {
            Ok((handbook, loaded)) => {
                out.detail(&format!("read in {} ms", started.elapsed().as_millis()));
                (Arc::new(handbook), Arc::new(loaded))
            }
            Err(e) => {
                eprintln!("opsbook: cannot reload the handbook: {e}");
                return;
            }
        }
    } else {
        (Arc::clone(&old.handbook), Arc::clone(&old.loaded))
    };
    if history {
        let started = Instant::now();
        // The cache makes this the new commits' work only.
        let (mined, notes) = pipeline::mine(&handbook, true);
        for note in notes {
            out.detail(&format!("[{}] {}", note.rule.code(), note.message));
        }
        *settings.mined.write().unwrap_or_else(|e| e.into_inner()) = mined;
        out.detail(&format!(
            "read the git history again in {} ms",
            started.elapsed().as_millis()
        ));
    }
    let (options, diagnostics) = if documents || history {
        let started = Instant::now();
        let options = settings.options();
        let diagnostics = check_all(&handbook, loaded.as_ref().clone(), &options);
        out.detail(&format!("checked in {} ms", started.elapsed().as_millis()));
        (Arc::new(options), Arc::new(diagnostics))
    } else {
        (Arc::clone(&old.options), Arc::clone(&old.diagnostics))
    };
    let next = Snapshot {
        version: old.version + 1,
        handbook,
        loaded,
        options,
        theme,
        diagnostics,
        theme_error,
        pages: Mutex::default(),
    };
    let changed: Vec<String> = changed
        .iter()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    let event = serde_json::json!({
        "version": next.version,
        "changed": changed,
        "history": history,
        "errors": next.counts().0,
        "warnings": next.counts().1,
        "template_error": next.theme_error,
    });
    report(&next, out);
    state.replace(next);
    state.broadcast(&format!("event: reload\ndata: {event}\n\n"));
}

/// `old` with the documents at `changed` (relative paths) read again, and the load
/// diagnostics of those files replaced; `None` when that is not the same as loading the
/// whole folder again: a path that is not an already loaded document, a file that is
/// gone, too large, not UTF-8 or binary, or no longer a document.
fn patch(
    root: &Path,
    old: &Handbook,
    loaded: &[Diagnostic],
    changed: &[PathBuf],
) -> Option<(Handbook, Vec<Diagnostic>)> {
    let mut handbook = old.clone();
    let mut loaded = loaded.to_vec();
    for path in changed {
        let rel = path.to_str()?.replace('\\', "/");
        let lower = rel.to_ascii_lowercase();
        if !(lower.ends_with(".md") || lower.ends_with(".markdown")) {
            return None;
        }
        let i = handbook.documents.iter().position(|d| d.path == rel)?;
        let file = handbook.documents[i].file;
        if handbook.files.get(file)?.path != rel {
            return None;
        }
        let bytes = std::fs::read(root.join(path)).ok()?;
        if bytes.len() as u64 > opsbook_core::load::MAX_FILE_SIZE {
            return None;
        }
        let text = String::from_utf8(bytes).ok()?;
        if text.contains('\0') {
            return None;
        }
        let (doc, diagnostics) = opsbook_core::document::parse(file, &rel, &text);
        handbook.documents[i] = doc?;
        handbook.files[file].text = text;
        loaded.retain(|d| d.file != rel);
        loaded.extend(diagnostics);
    }
    let Handbook {
        root,
        config,
        files,
        documents,
        paths,
        alerts,
        ..
    } = handbook;
    let mut handbook = Handbook::new(root, config, files, documents, paths);
    handbook.alerts = alerts;
    Some((handbook, loaded))
}

/// The load diagnostics with the checks' findings, finished as `check` prints them.
fn check_all(
    handbook: &Handbook,
    mut diagnostics: Vec<Diagnostic>,
    options: &BuildOptions,
) -> Vec<Diagnostic> {
    diagnostics.extend(pipeline::check(handbook, options.now));
    pipeline::finish(handbook, diagnostics)
}

/// One line about the state of the handbook on stderr.
fn report(snapshot: &Snapshot, out: Output) {
    let (errors, warnings) = snapshot.counts();
    out.note(&format!(
        "version {}: {} documents, {errors} error{}, {warnings} warning{}{}",
        snapshot.version,
        snapshot.handbook.documents.len(),
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
        match &snapshot.theme_error {
            Some(e) => format!("; the templates do not compile: {e}"),
            None => String::new(),
        }
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use opsbook_core::load;

    #[test]
    fn bind_addresses() {
        assert_eq!(
            bind_address("127.0.0.1", 3000).unwrap().to_string(),
            "127.0.0.1:3000"
        );
        assert_eq!(
            bind_address("localhost", 0).unwrap().to_string(),
            "127.0.0.1:0"
        );
        assert_eq!(bind_address("::1", 80).unwrap().to_string(), "[::1]:80");
        assert_eq!(
            bind_address("0.0.0.0:8080", 3000).unwrap().to_string(),
            "0.0.0.0:8080"
        );
        assert!(bind_address("example.com", 3000).is_err());
    }

    #[test]
    fn a_patched_handbook_equals_a_reloaded_one() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("hb");
        std::fs::create_dir_all(root.join("runbooks")).unwrap();
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("content-example");
        for entry in walk(&example) {
            let to = root.join(entry.strip_prefix(&example).unwrap());
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(&entry, to).unwrap();
        }
        let (old, loaded) = load(&root, &LoadOptions::default()).unwrap();
        let rel = Path::new("runbooks/data-api.md");
        let text = std::fs::read_to_string(root.join(rel)).unwrap();
        let options = BuildOptions::default();
        for edit in [
            text.replace("service: data-api", "service: no-such-service"),
            text.replace("title:", "titel:"),
            format!("{text}\n## More\n\nText.\n"),
        ] {
            std::fs::write(root.join(rel), &edit).unwrap();
            let (patched, patched_loaded) =
                patch(&root, &old, &loaded, &[rel.to_path_buf()]).unwrap();
            let (fresh, fresh_loaded) = load(&root, &LoadOptions::default()).unwrap();
            let a = check_all(&patched, patched_loaded, &options);
            let b = check_all(&fresh, fresh_loaded, &options);
            assert_eq!(format!("{a:?}"), format!("{b:?}"));
            assert!(!a.is_empty() || edit.contains("## More"));
            assert_eq!(
                patched.text_of(patched.by_path("runbooks/data-api.md").unwrap()),
                edit
            );
        }
        // Not an edit of a loaded document: load again.
        std::fs::write(root.join("runbooks/new.md"), "# New\n").unwrap();
        assert!(patch(&root, &old, &loaded, &[PathBuf::from("runbooks/new.md")]).is_none());
        assert!(patch(&root, &old, &loaded, &[PathBuf::from("handbook.yaml")]).is_none());
        std::fs::remove_file(root.join(rel)).unwrap();
        assert!(patch(&root, &old, &loaded, &[rel.to_path_buf()]).is_none());
    }

    fn walk(dir: &Path) -> Vec<PathBuf> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files.extend(walk(&path));
            } else {
                files.push(path);
            }
        }
        files
    }

    #[test]
    fn relevant_changes() {
        assert!(relevant(Path::new("runbooks/a.md")));
        assert!(relevant(Path::new("templates/base.html")));
        assert!(!relevant(Path::new(".git/index")));
        assert!(!relevant(Path::new("runbooks/.a.md.swp")));
        assert!(!relevant(Path::new("runbooks/a.md~")));
        assert!(!relevant(Path::new("_site/index.html")));
    }
}
