//! Running the real `opsbook` binary from end-to-end tests (shared by several test files,
//! not all of which use every helper).
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// Runs `opsbook ARGS` in `dir`, without colour.
pub(crate) fn opsbook(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_opsbook"))
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// What the run printed on standard output.
pub(crate) fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// What the run printed on standard error.
pub(crate) fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Whether this run rewrites the snapshots and the README's rule table instead of
/// comparing: `OPSBOOK_BLESS=1`, the one switch of every snapshot test.
pub(crate) fn blessing() -> bool {
    std::env::var("OPSBOOK_BLESS").is_ok_and(|v| v == "1")
}

/// Copies the folder `from` (a fixture) to `to`, recursively.
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
