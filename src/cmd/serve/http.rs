//! Answering requests: the URL is decoded and normalised first (a `..` segment, a
//! backslash or a NUL byte, encoded or not, is a 404), then looked up in memory: the
//! `/__opsbook/` endpoints, the theme's assets, the rendered pages, and last the handbook
//! files that documents link to, read only when they resolve inside the handbook folder.

use super::{Snapshot, State, overlay};
use opsbook_core::render::Report;
use opsbook_site::Prepared;
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response};

/// How often an idle event stream gets a comment, so that closed connections are noticed.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// A response body with its status and type, before the overlay is added.
#[derive(Debug)]
pub(crate) struct Page {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
    /// Why the page could not be rendered (shown in the overlay).
    error: Option<String>,
    /// Where a redirect sends the browser (a URL relative to the request's).
    location: Option<String>,
}

impl Page {
    fn ok(content_type: &'static str, body: Vec<u8>) -> Page {
        Page {
            status: 200,
            content_type,
            body,
            error: None,
            location: None,
        }
    }
}

/// Answers one request (event streams continue on a thread of their own).
pub(super) fn handle(state: &State, request: Request) {
    let host = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str().to_string());
    if !state
        .bound
        .get()
        .is_some_and(|bound| host_allowed(host.as_deref(), *bound))
    {
        // DNS rebinding: a page on another site reaching this port names its own host.
        let _ = request.respond(
            Response::from_string(
                "forbidden: the Host header must name this server (localhost or its address)\n",
            )
            .with_status_code(403),
        );
        return;
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        let _ = request.respond(Response::from_string("method not allowed").with_status_code(405));
        return;
    }
    let path = normalise(request.url());
    if path.as_deref() == Some("__opsbook/events") {
        events(state, request);
        return;
    }
    let snapshot = state.snapshot();
    // A panic in a template function must not take a worker thread with it.
    let page = catch_unwind(AssertUnwindSafe(|| match &path {
        Some(path) => lookup(state, &snapshot, path),
        None => not_found(state, &snapshot),
    }))
    .unwrap_or_else(|_| {
        Arc::new(Page {
            status: 500,
            content_type: "text/html; charset=utf-8",
            body: Vec::new(),
            error: Some("rendering this page panicked; see the terminal".into()),
            location: None,
        })
    });
    let body = if page.content_type.starts_with("text/html") {
        overlay::inject(&page.body, &snapshot, page.error.as_deref())
    } else {
        page.body.clone()
    };
    let mut response = Response::from_data(body).with_status_code(page.status);
    for (name, value) in [
        ("Content-Type", page.content_type),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
    ]
    .into_iter()
    .chain(page.location.as_deref().map(|l| ("Location", l)))
    {
        if let Ok(h) = Header::from_bytes(name, value) {
            response.add_header(h);
        }
    }
    let _ = request.respond(response);
}

/// Whether a request's `Host` header names this server: `localhost`, a loopback address
/// or the bound address (any IP literal when bound to all interfaces), with the bound port
/// if a port is given. A name other than `localhost` could be an attacker's domain
/// resolving to 127.0.0.1 (DNS rebinding), so it is refused, and so is a missing header.
pub(crate) fn host_allowed(host: Option<&str>, bound: SocketAddr) -> bool {
    let Some(host) = host.map(str::trim) else {
        return false;
    };
    let (name, port) = match host.rsplit_once(':') {
        // `[::1]:3000`, `127.0.0.1:3000`, `localhost:3000`; a bare IPv6 literal has colons too.
        Some((name, port)) if !name.is_empty() && (name.ends_with(']') || !name.contains(':')) => {
            (name, Some(port))
        }
        _ => (host, None),
    };
    if let Some(port) = port {
        if port.parse::<u16>().ok() != Some(bound.port()) {
            return false;
        }
    }
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let literal = name
        .strip_prefix('[')
        .and_then(|n| n.strip_suffix(']'))
        .unwrap_or(name);
    match literal.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback() || ip == bound.ip() || bound.ip().is_unspecified(),
        Err(_) => false,
    }
}

/// The site path of a request URL, or `None` when it could leave the site: `..` segments
/// (also percent-encoded), backslashes, NUL bytes, absolute-form URLs, invalid UTF-8.
/// Folders get `index.html`.
pub(crate) fn normalise(url: &str) -> Option<String> {
    let raw = url.split(['?', '#']).next().unwrap_or_default();
    if !raw.starts_with('/') {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let mut parts = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            s => parts.push(s),
        }
    }
    let mut path = parts.join("/");
    if path.is_empty() || decoded.ends_with('/') {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Some(path)
}

/// The page at `path` of this version, rendered once.
fn lookup(state: &State, snapshot: &Snapshot, path: &str) -> Arc<Page> {
    match path {
        "__opsbook/live.js" => {
            return Arc::new(Page::ok(
                "text/javascript; charset=utf-8",
                overlay::SCRIPT.as_bytes().to_vec(),
            ));
        }
        "__opsbook/diagnostics.json" => {
            let report = Report::new(&snapshot.handbook, &snapshot.diagnostics, String::new());
            let diagnostics: Vec<serde_json::Value> = report
                .located()
                .iter()
                .map(|l| {
                    serde_json::json!({
                        "level": l.diagnostic.level.name(),
                        "file": l.path,
                        "line": l.start.line,
                        "column": l.start.column,
                        "code": l.diagnostic.rule.code(),
                        "message": l.diagnostic.message,
                    })
                })
                .collect();
            let json = serde_json::json!({
                "version": snapshot.version,
                "template_error": snapshot.theme_error,
                "diagnostics": diagnostics,
            });
            return Arc::new(Page::ok("application/json", json.to_string().into_bytes()));
        }
        _ => {}
    }
    if let Some(name) = path.strip_prefix("assets/") {
        if let Some((_, content)) = snapshot.theme.assets.iter().find(|(n, _)| n == name) {
            return Arc::new(Page::ok(content_type(path), content.clone()));
        }
    }
    let cached = snapshot
        .pages
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(path)
        .cloned();
    if let Some(page) = cached {
        return page;
    }
    let prepared = Prepared::new(&snapshot.handbook, &snapshot.options);
    let page = match prepared.render(&snapshot.theme, path, &state.bodies) {
        Ok(Some(text)) => Page::ok(content_type(path), text.into_bytes()),
        Ok(None) => {
            let folder_index = format!("{path}/index.html");
            if prepared.pages().contains(&folder_index) {
                // Relative links inside a folder's index need the trailing slash.
                let name = path.rsplit('/').next().unwrap_or(path);
                let target = format!("{name}/");
                Page {
                    status: 301,
                    content_type: "text/html; charset=utf-8",
                    body: redirect_body(&target),
                    error: None,
                    location: Some(target),
                }
            } else if prepared.linked_files(&state.bodies).contains(path) {
                match linked_file(&state.root, path) {
                    Some(bytes) => Page::ok(content_type(path), bytes),
                    None => return not_found(state, snapshot),
                }
            } else {
                return not_found(state, snapshot);
            }
        }
        Err(e) => {
            eprintln!("opsbook: {e}");
            Page {
                status: 500,
                content_type: "text/html; charset=utf-8",
                body: format!(
                    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Render error</title></head><body><h1>This page could not be rendered</h1><p>{}</p></body></html>\n",
                    overlay::escape(path)
                )
                .into_bytes(),
                error: Some(format!("{e}")),
                location: None,
            }
        }
    };
    let page = Arc::new(page);
    snapshot
        .pages
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(path.to_string(), Arc::clone(&page));
    page
}

/// What a redirect to `target` shows a client that does not follow it.
fn redirect_body(target: &str) -> Vec<u8> {
    let target = overlay::escape(target);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"0; url={target}\"><title>Moved</title></head><body><p><a href=\"{target}\">{target}</a></p></body></html>\n"
    )
    .into_bytes()
}

/// The site's 404 page with status 404.
fn not_found(state: &State, snapshot: &Snapshot) -> Arc<Page> {
    let page = lookup(state, snapshot, "404.html");
    Arc::new(Page {
        status: 404,
        content_type: page.content_type,
        body: page.body.clone(),
        error: page.error.clone(),
        location: None,
    })
}

/// A handbook file a document links to, if it resolves (symbolic links followed) to a
/// file inside the handbook folder.
fn linked_file(root: &Path, path: &str) -> Option<Vec<u8>> {
    std::fs::read(opsbook_site::paths::inside(root, path)?).ok()
}

fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") => "application/atom+xml; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("txt" | "md" | "yaml" | "yml") => "text/plain; charset=utf-8",
        Some("pdf") => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// Server-sent events: `hello` with the current version, then `reload` after each rebuild.
fn events(state: &State, request: Request) {
    if state.streams.fetch_add(1, Ordering::SeqCst) >= super::MAX_STREAMS {
        state.streams.fetch_sub(1, Ordering::SeqCst);
        let response = Response::from_string("too many open event streams\n")
            .with_status_code(503)
            .with_header(Header::from_bytes("Retry-After", "5").expect("a valid header"));
        let _ = request.respond(response);
        return;
    }
    /// Counts the stream closed however its thread ends.
    struct Open(Arc<AtomicUsize>);
    impl Drop for Open {
        fn drop(&mut self) {
            self.0.fetch_sub(1, Ordering::SeqCst);
        }
    }
    let open = Open(Arc::clone(&state.streams));
    let rx = state.subscribe();
    // Read after subscribing, so no rebuild falls between the two.
    let version = state.snapshot().version;
    let mut writer = request.into_writer();
    let spawned = std::thread::Builder::new()
        .name("opsbook-events".into())
        .spawn(move || {
            let _open = open;
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 1000\nevent: hello\ndata: {{\"version\":{version}}}\n\n"
            );
            let mut send = |text: &str| {
                writer
                    .write_all(text.as_bytes())
                    .and_then(|()| writer.flush())
            };
            if send(&head).is_err() {
                return;
            }
            loop {
                let sent = match rx.recv_timeout(KEEP_ALIVE) {
                    Ok(event) => send(&event),
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => send(": keep-alive\n\n"),
                    Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
                };
                if sent.is_err() {
                    return;
                }
            }
        });
    if let Err(e) = spawned {
        eprintln!("opsbook: cannot start an event stream: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_site() {
        assert_eq!(normalise("/").as_deref(), Some("index.html"));
        assert_eq!(
            normalise("/runbooks/?q=1").as_deref(),
            Some("runbooks/index.html")
        );
        assert_eq!(
            normalise("/runbooks/a%20b.html#x").as_deref(),
            Some("runbooks/a b.html")
        );
        assert_eq!(
            normalise("//./runbooks//a.html").as_deref(),
            Some("runbooks/a.html")
        );
        for bad in [
            "/../etc/passwd",
            "/runbooks/../../x",
            "/%2e%2e/x",
            "/%2E%2E%2Fx",
            "/runbooks%2f..%2f..%2fx",
            "/..%5cx",
            "/a%00b",
            "http://example.com/",
            "*",
            "/%ff",
        ] {
            assert_eq!(normalise(bad), None, "{bad}");
        }
        // Decoded once only: `%252e` is the literal name `%2e`, not a parent.
        assert_eq!(normalise("/%252e%252e/x").as_deref(), Some("%2e%2e/x"));
    }

    #[test]
    fn hosts_naming_this_server() {
        let local: SocketAddr = "127.0.0.1:3000".parse().unwrap();
        let all: SocketAddr = "0.0.0.0:3000".parse().unwrap();
        let lan: SocketAddr = "192.168.1.5:3000".parse().unwrap();
        for host in [
            "localhost",
            "localhost:3000",
            "127.0.0.1:3000",
            "[::1]:3000",
            "[::1]",
            "::1",
        ] {
            assert!(host_allowed(Some(host), local), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:3000",
            "localhost:3001",
            "127.0.0.1:",
            "192.168.1.5:3000",
            "",
        ] {
            assert!(!host_allowed(Some(host), local), "{host}");
        }
        assert!(!host_allowed(None, local));
        assert!(host_allowed(Some("192.168.1.5:3000"), lan));
        assert!(host_allowed(Some("10.0.0.7:3000"), all));
        assert!(!host_allowed(Some("rebind.evil.example:3000"), all));
    }

    #[test]
    fn linked_files_must_resolve_inside_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("hb");
        std::fs::create_dir(&root).unwrap();
        std::fs::write(root.join("a.png"), b"png").unwrap();
        std::fs::write(dir.path().join("secret.txt"), b"secret").unwrap();
        let root = root.canonicalize().unwrap();
        assert_eq!(linked_file(&root, "a.png").as_deref(), Some(&b"png"[..]));
        assert_eq!(linked_file(&root, "../secret.txt"), None);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("out.png"))
                .unwrap();
            assert_eq!(linked_file(&root, "out.png"), None);
        }
    }
}
