//! `opsbook serve` against a hostile page and hostile clients, end to end over TCP: a
//! request naming another host (DNS rebinding) gets 403; nothing carries CORS headers;
//! huge headers, slowloris clients and more event streams than allowed leave the server
//! answering everyone else.
#![cfg(feature = "serve")]

mod serve_support;

use serve_support::{PATIENCE, Server};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// Sends `head` (request line and headers, without the blank line) and returns the
/// status and the response head.
fn raw(server: &Server, head: &str) -> (u16, String) {
    raw_within(server, head, PATIENCE)
}

/// [`raw`], giving up on an answer after `wait` (status 0).
fn raw_within(server: &Server, head: &str, wait: Duration) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream.set_read_timeout(Some(wait)).unwrap();
    stream
        .write_all(format!("{head}\r\nConnection: close\r\n\r\n").as_bytes())
        .unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response).to_string();
    let head = text
        .split("\r\n\r\n")
        .next()
        .unwrap_or_default()
        .to_string();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head)
}

fn get_with_host(server: &Server, path: &str, host: &str) -> (u16, String) {
    raw(server, &format!("GET {path} HTTP/1.1\r\nHost: {host}"))
}

#[test]
fn only_requests_naming_this_server_are_answered() {
    let server = Server::start(&[]);
    let port = server.port;
    for host in [
        format!("localhost:{port}"),
        "localhost".to_string(),
        format!("127.0.0.1:{port}"),
        format!("127.1.2.3:{port}"),
        format!("[::1]:{port}"),
        "LOCALHOST".to_string(),
    ] {
        let (status, head) = get_with_host(&server, "/", &host);
        assert_eq!(status, 200, "{host}: {head}");
    }
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_string(),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        format!("192.168.1.10:{port}"),
        format!("localhost:{}", port.wrapping_add(1)),
        format!("127.0.0.1:{port}x"),
        String::new(),
    ] {
        for path in ["/", "/__opsbook/diagnostics.json", "/__opsbook/events"] {
            let (status, head) = get_with_host(&server, path, &host);
            assert_eq!(status, 403, "{host} {path}: {head}");
        }
    }
    // No Host header at all.
    let (status, _) = raw(&server, "GET / HTTP/1.1");
    assert_eq!(status, 403);
}

#[test]
fn nothing_carries_cors_headers() {
    let server = Server::start(&[]);
    let origin = "Origin: https://evil.example";
    for path in [
        "/",
        "/__opsbook/diagnostics.json",
        "/__opsbook/live.js",
        "/nope",
    ] {
        let (status, head) = raw(
            &server,
            &format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n{origin}"),
        );
        assert!(status == 200 || status == 404, "{path}: {head}");
        assert!(
            !head.to_ascii_lowercase().contains("access-control-"),
            "{path}: {head}"
        );
    }
    // The event stream's head, read up to its first event.
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        stream,
        "GET /__opsbook/events HTTP/1.1\r\nHost: localhost\r\n{origin}\r\n\r\n"
    )
    .unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"event: hello") {
        stream.read_exact(&mut byte).unwrap();
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
    assert!(head.contains("content-type: text/event-stream"), "{head}");
    assert!(!head.contains("access-control-"), "{head}");
}

#[test]
fn hostile_clients_do_not_stop_others_being_answered() {
    let server = Server::start(&[]);
    // Slowloris: connections that send half a request and then nothing.
    let slow: Vec<TcpStream> = (0..50)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
            s.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
                .unwrap();
            s
        })
        .collect();
    // A request with a megabyte of headers. tiny_http has no header-size limit and does
    // not answer it (a known gap, see SECURITY.md); what matters here is that it holds
    // one connection's thread only.
    let huge = format!(
        "GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: {}",
        "a".repeat(1 << 20)
    );
    let (status, _) = raw_within(&server, &huge, Duration::from_secs(3));
    assert!(
        status == 200 || status == 431 || status == 400 || status == 0,
        "{status}"
    );
    // More event streams than allowed: the extra ones get 503, pages still answer.
    let mut streams = Vec::new();
    for _ in 0..64 {
        streams.push(server.events());
    }
    let (status, head) = get_with_host(&server, "/__opsbook/events", "localhost");
    assert_eq!(status, 503, "{head}");
    assert!(head.contains("Retry-After: 5"), "{head}");
    let (status, head, _) = server.get("/");
    assert_eq!(status, 200, "{head}");
    // Closing streams frees their places (noticed when a write fails: after a reload or
    // at the 15 s keep-alive).
    drop(streams);
    server.write(
        "runbooks/data-api.md",
        &server
            .read("runbooks/data-api.md")
            .replace("title:", "title: x"),
    );
    let deadline = std::time::Instant::now() + PATIENCE;
    loop {
        let (status, _) = get_with_host(&server, "/__opsbook/diagnostics.json", "localhost");
        assert_eq!(status, 200);
        if let Ok(mut s) = TcpStream::connect(("127.0.0.1", server.port)) {
            s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            write!(
                s,
                "GET /__opsbook/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
            )
            .unwrap();
            let mut first = [0u8; 12];
            if s.read_exact(&mut first).is_ok() && &first == b"HTTP/1.1 200" {
                break;
            }
        }
        assert!(
            std::time::Instant::now() < deadline,
            "streams were never freed"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    drop(slow);
}
