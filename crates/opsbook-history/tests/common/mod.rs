//! Real git repositories in temporary folders, with controlled dates and time zones.

#![allow(dead_code, unreachable_pub)]

use opsbook_history::{MineOptions, mine};
use opsbook_stats::{Mined, incidents};
use opsbook_stats::{StatsOptions, StatsReport, compute};
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Repo {
    pub dir: tempfile::TempDir,
    /// The handbook folder inside the repository.
    pub handbook: PathBuf,
}

impl Repo {
    /// `git init` with the handbook at `sub` ("" for the top).
    pub fn new(sub: &str) -> Repo {
        let dir = tempfile::tempdir().unwrap();
        let handbook = if sub.is_empty() {
            dir.path().to_path_buf()
        } else {
            dir.path().join(sub)
        };
        std::fs::create_dir_all(&handbook).unwrap();
        let repo = Repo { dir, handbook };
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    /// A folder that is not a repository at all.
    pub fn plain() -> Repo {
        let dir = tempfile::tempdir().unwrap();
        let handbook = dir.path().to_path_buf();
        Repo { dir, handbook }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn git(&self, args: &[&str]) -> String {
        git_in(self.root(), args, None)
    }

    /// Writes a file relative to the handbook.
    pub fn write(&self, path: &str, text: &str) {
        let full = self.handbook.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }

    /// Commits everything with the given author and committer dates (RFC 3339 / git
    /// format with zone); returns the commit id.
    pub fn commit(&self, message: &str, author_date: &str, committer_date: &str) -> String {
        self.git(&["add", "-A"]);
        git_in(
            self.root(),
            &["commit", "-q", "--allow-empty", "-m", message],
            Some((author_date, committer_date)),
        );
        self.git(&["rev-parse", "HEAD"]).trim().to_string()
    }

    /// Commits with the same author and committer date.
    pub fn commit_at(&self, message: &str, date: &str) -> String {
        self.commit(message, date, date)
    }
}

pub fn git_in(dir: &Path, args: &[&str], dates: Option<(&str, &str)>) -> String {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Ada Author")
        .env("GIT_AUTHOR_EMAIL", "ada@example.com")
        .env("GIT_COMMITTER_NAME", "Cy Committer")
        .env("GIT_COMMITTER_EMAIL", "cy@example.com")
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "protocol.file.allow=always",
        ])
        .args(args);
    if let Some((author, committer)) = dates {
        cmd.env("GIT_AUTHOR_DATE", author)
            .env("GIT_COMMITTER_DATE", committer);
    }
    let out = cmd.output().expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A postmortem's text: `fields` are extra frontmatter lines.
pub fn postmortem(
    severity: &str,
    services: &str,
    status: &str,
    review: &str,
    fields: &str,
) -> String {
    format!(
        "---\ntitle: An incident\nseverity: {severity}\nstatus: {status}\nreview: {review}\nservices: [{services}]\n{fields}---\n## Summary\n\nSomething broke.\n"
    )
}

/// Loads and mines `dir` (no cache), and computes the report as of `now`.
pub fn report(dir: &Path, now: &str) -> (StatsReport, Mined, Vec<opsbook_core::Diagnostic>) {
    let (handbook, _) = opsbook_core::load(dir, &Default::default()).unwrap();
    let mined = mine(dir, &MineOptions::default()).unwrap();
    let (incidents, warnings) = incidents(&handbook, mined.history.as_ref());
    let options = StatsOptions {
        now: chrono::DateTime::parse_from_rfc3339(now).unwrap().to_utc(),
        since: None,
        until: None,
    };
    let report = compute(&handbook, &incidents, &options);
    (report, mined, warnings)
}

/// (count, mean, median, p90, min, max) in seconds.
pub type Six = (usize, f64, f64, f64, f64, f64);

pub fn six(s: &opsbook_stats::Summary) -> Six {
    (
        s.count,
        s.mean.unwrap_or(f64::NAN),
        s.median.unwrap_or(f64::NAN),
        s.p90.unwrap_or(f64::NAN),
        s.min.unwrap_or(f64::NAN),
        s.max.unwrap_or(f64::NAN),
    )
}

pub fn assert_six(got: &opsbook_stats::Summary, want: Six, what: &str) {
    let g = six(got);
    let close = |a: f64, b: f64| (a.is_nan() && b.is_nan()) || (a - b).abs() < 1e-6;
    assert!(
        g.0 == want.0
            && close(g.1, want.1)
            && close(g.2, want.2)
            && close(g.3, want.3)
            && close(g.4, want.4)
            && close(g.5, want.5),
        "{what}: got {g:?}, want {want:?}"
    );
}
