//! Runs `opsbook serve` on a copy of a handbook, on a free port, and talks to it over
//! plain HTTP/1.1 (no client crate: requests go out exactly as written, `..` included).
#![allow(dead_code, unreachable_pub)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

#[path = "../binary/mod.rs"]
mod binary;
pub(crate) use binary::copy_dir;

/// A generous bound on any single wait, so a broken server fails the test instead of
/// hanging it; nothing is timed against it.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// Judges staleness after every date in content-example: no findings.
pub const NOW: &str = "2026-12-01T00:00:00Z";

/// A running `opsbook serve`.
pub struct Server {
    child: Child,
    /// The port it listens on.
    pub port: u16,
    /// The handbook it serves (a copy).
    pub dir: PathBuf,
    _tmp: tempfile::TempDir,
    /// stderr lines after the `serving` line.
    pub stderr: Receiver<String>,
    /// stderr lines before and including the `serving` line.
    pub startup: Vec<String>,
}

impl Server {
    /// Serves a copy of content-example with `args` added.
    pub fn start(args: &[&str]) -> Server {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("handbook");
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("content-example"),
            &dir,
        );
        Server::start_in(tmp, dir, args)
    }

    /// Serves `dir` (inside `tmp`) with `args` added.
    pub fn start_in(tmp: tempfile::TempDir, dir: PathBuf, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_opsbook"))
            .args(["serve", "--port", "0", "--now", NOW])
            .args(args)
            .arg(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, rx) = channel();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut startup = Vec::new();
        let port = loop {
            let line = rx
                .recv_timeout(PATIENCE)
                .unwrap_or_else(|e| panic!("serve did not start ({e}): {startup:?}"));
            startup.push(line.clone());
            if let Some(rest) = line.strip_prefix("serving ") {
                let port = rest
                    .split("http://")
                    .nth(1)
                    .and_then(|a| a.split('/').next())
                    .and_then(|a| a.rsplit(':').next())
                    .and_then(|p| p.parse().ok())
                    .unwrap_or_else(|| panic!("no port in `{line}`"));
                assert!(line.ends_with("/ (Ctrl-C to stop)"), "{line}");
                break port;
            }
        };
        Server {
            child,
            port,
            dir,
            _tmp: tmp,
            stderr: rx,
            startup,
        }
    }

    /// The URL of a site path such as `/index.html`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// A connection on which `GET target` (exactly as given, plus `extra` headers) is sent.
    fn send(&self, target: &str, extra: &str) -> TcpStream {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}\r\n"
        )
        .unwrap();
        stream
    }

    /// Sends `GET target` exactly as given; returns the status, the head and the body.
    pub fn get(&self, target: &str) -> (u16, String, String) {
        let mut stream = self.send(target, "Connection: close\r\n");
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let text = String::from_utf8_lossy(&response).to_string();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no status in {head:?}"));
        (status, head.to_string(), body.to_string())
    }

    /// Opens the event stream and reads its `hello` event.
    pub fn events(&self) -> Events {
        let stream = self.send("/__opsbook/events", "");
        let mut events = Events(BufReader::new(stream));
        let (name, data) = events.next();
        assert_eq!(name, "hello", "{data}");
        events
    }

    /// Writes `text` to the handbook file `path`.
    pub fn write(&self, path: &str, text: &str) {
        let full = self.dir.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }

    /// The text of the handbook file `path`.
    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.dir.join(path)).unwrap()
    }

    /// Stops the server with SIGINT (what Ctrl-C sends) and returns its later stderr.
    pub fn interrupt(mut self) -> (std::process::ExitStatus, Vec<String>) {
        let status = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let status = self.child.wait().unwrap();
        let rest = self.stderr.try_iter().collect();
        (status, rest)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A server-sent event stream.
pub struct Events(BufReader<TcpStream>);

impl Events {
    /// The next event: its name and its data (the head of the response is skipped).
    pub fn next(&mut self) -> (String, String) {
        let (mut name, mut data) = (String::new(), String::new());
        loop {
            let mut line = String::new();
            let n = self.0.read_line(&mut line).expect("event stream read");
            assert!(n > 0, "the event stream closed");
            let line = line.trim_end_matches(['\r', '\n']);
            if let Some(v) = line.strip_prefix("event: ") {
                name = v.to_string();
            } else if let Some(v) = line.strip_prefix("data: ") {
                data = v.to_string();
            } else if line.is_empty() && !name.is_empty() {
                return (name, data);
            }
        }
    }

    /// The next `reload` event's data, parsed.
    pub fn reload(&mut self) -> serde_json::Value {
        loop {
            let (name, data) = self.next();
            if name == "reload" {
                return serde_json::from_str(&data).unwrap();
            }
        }
    }
}
