//! Helpers of the site tests: build a fixture, read pages, scan tags and links.
#![allow(dead_code, unreachable_pub)]

pub mod html;
pub mod webdriver;

use chrono::{DateTime, Utc};
use opsbook_site::output::write_atomically;
use opsbook_site::{BuildOptions, Theme, build};
use std::path::{Path, PathBuf};

/// A fixture handbook under `tests/fixtures/`, or the repository's `content-example`.
pub fn fixture(name: &str) -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    if name == "content-example" {
        manifest.join("../../content-example")
    } else if name.starts_with("alerts-") {
        // The binary's fixtures with alert rules (`tests/alert_rules.rs`).
        manifest.join("../../tests/fixtures").join(name)
    } else {
        manifest.join("tests/fixtures").join(name)
    }
}

/// The time the fixtures are judged at.
pub fn now() -> DateTime<Utc> {
    "2026-11-24T12:00:00Z".parse().expect("a valid time")
}

/// Builds `handbook` into `out` with the library, as `opsbook build` does.
pub fn build_into(handbook: &Path, out: &Path) {
    let (hb, _) = opsbook_core::load(handbook, &Default::default()).expect("loads");
    let theme = Theme::load(Some(&hb.root.join("templates"))).expect("theme compiles");
    write_atomically(&hb.root, out, |dir| {
        build(
            &hb,
            &theme,
            &BuildOptions {
                now: now(),
                ..Default::default()
            },
            dir,
        )
    })
    .expect("builds");
}

/// A built site in a temporary folder.
pub struct Site {
    pub dir: tempfile::TempDir,
    pub out: PathBuf,
}

impl Site {
    /// Builds the fixture `name`.
    pub fn build(name: &str) -> Site {
        let dir = tempfile::tempdir().expect("a temp dir");
        let out = dir.path().join("site");
        build_into(&fixture(name), &out);
        Site { dir, out }
    }

    /// The text of an output file.
    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.out.join(path))
            .unwrap_or_else(|e| panic!("{path} was not written: {e}"))
    }

    /// The `<main>` element of a page.
    pub fn main(&self, path: &str) -> String {
        html::main_of(&self.read(path)).to_string()
    }

    /// Every output file, relative, with `/`.
    pub fn files(&self) -> Vec<String> {
        let mut out = Vec::new();
        walk(&self.out, &self.out, &mut out);
        out.sort();
        out
    }
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("readable") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            walk(root, &path, out);
        } else {
            let rel = path.strip_prefix(root).expect("below root");
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}
