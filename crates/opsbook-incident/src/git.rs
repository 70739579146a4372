//! `--commit`: one git commit per edit, of the edited file only, so that the history
//! mirrors the record and its commit times back up the frontmatter.

use crate::error::IncidentError;
use git2::{Repository, Signature, Time};
use std::path::Path;

/// Commits the current content of `file` (and nothing else the index may hold) with
/// `message`. The author is `by` (with `by_email`, else git's `user.email` when `by` is
/// git's `user.name`, else `<by>@opsbook.invalid`) when given, else git's
/// `user.name`/`user.email`; the committer is git's identity (or the author). Like git, `GIT_AUTHOR_DATE` and
/// `GIT_COMMITTER_DATE` (RFC 3339, or `@SECONDS ±HHMM`) set the times. Returns the
/// commit id.
pub fn commit(
    file: &Path,
    rel: &str,
    message: &str,
    by: Option<&str>,
    by_email: Option<&str>,
) -> Result<String, IncidentError> {
    let failed = |source: git2::Error| IncidentError::Commit {
        path: rel.to_string(),
        source,
    };
    let folder = file.parent().unwrap_or(Path::new("."));
    let repo = Repository::discover(folder).map_err(failed)?;
    let workdir = repo
        .workdir()
        .ok_or_else(|| failed(git2::Error::from_str("the repository has no work tree")))?;
    let absolute = file
        .canonicalize()
        .map_err(|e| failed(git2::Error::from_str(&e.to_string())))?;
    let workdir = workdir
        .canonicalize()
        .map_err(|e| failed(git2::Error::from_str(&e.to_string())))?;
    let in_repo = absolute.strip_prefix(&workdir).map_err(|_| {
        failed(git2::Error::from_str(
            "the file is outside the repository's work tree",
        ))
    })?;
    let in_repo = in_repo.to_string_lossy().replace('\\', "/");

    let content =
        std::fs::read(&absolute).map_err(|e| failed(git2::Error::from_str(&e.to_string())))?;
    let blob = repo.blob(&content).map_err(failed)?;
    let parent = match repo.head() {
        Ok(head) => Some(head.peel_to_commit().map_err(failed)?),
        Err(e)
            if e.code() == git2::ErrorCode::UnbornBranch
                || e.code() == git2::ErrorCode::NotFound =>
        {
            None
        }
        Err(e) => return Err(failed(e)),
    };
    let base = match &parent {
        Some(c) => c.tree().map_err(failed)?,
        None => {
            let empty = repo
                .treebuilder(None)
                .map_err(failed)?
                .write()
                .map_err(failed)?;
            repo.find_tree(empty).map_err(failed)?
        }
    };
    let tree_id = git2::build::TreeUpdateBuilder::new()
        .upsert(in_repo.as_str(), blob, git2::FileMode::Blob)
        .create_updated(&repo, &base)
        .map_err(failed)?;
    let tree = repo.find_tree(tree_id).map_err(failed)?;

    let config = repo.config().map_err(failed)?;
    let name = config.get_string("user.name").ok();
    let email = config.get_string("user.email").ok();
    let author_name = by
        .map(str::to_string)
        .or(name.clone())
        .unwrap_or_else(|| "opsbook".to_string());
    // Another person's name with the config's e-mail would be a false identity.
    let author_email = match (by, by_email) {
        (Some(_), Some(e)) => e.to_string(),
        (Some(b), None) if Some(b) != name.as_deref() => format!(
            "{}@opsbook.invalid",
            b.chars()
                .map(|c| if c.is_ascii_alphanumeric() || c == '.' {
                    c
                } else {
                    '-'
                })
                .collect::<String>()
        ),
        _ => email
            .clone()
            .unwrap_or_else(|| "opsbook@opsbook.invalid".to_string()),
    };
    let author = signature(&author_name, &author_email, "GIT_AUTHOR_DATE").map_err(failed)?;
    let committer = match &name {
        Some(n) => signature(
            n,
            email.as_deref().unwrap_or("opsbook@opsbook.invalid"),
            "GIT_COMMITTER_DATE",
        ),
        None => signature(&author_name, &author_email, "GIT_COMMITTER_DATE"),
    }
    .map_err(failed)?;
    let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
    let id = repo
        .commit(Some("HEAD"), &author, &committer, message, &tree, &parents)
        .map_err(failed)?;
    // Stage the committed content, so that the file does not show as changed.
    let mut index = repo.index().map_err(failed)?;
    index.add_path(Path::new(&in_repo)).map_err(failed)?;
    index.write().map_err(failed)?;
    Ok(id.to_string())
}

fn signature(name: &str, email: &str, date_var: &str) -> Result<Signature<'static>, git2::Error> {
    match std::env::var(date_var).ok().and_then(|v| parse_date(&v)) {
        Some(time) => Signature::new(name, email, &time),
        None => Signature::now(name, email),
    }
}

/// `2026-03-01T14:32:00Z`, `2026-03-01T14:32:00+01:00` or `@1772375520 +0100`.
fn parse_date(text: &str) -> Option<Time> {
    let text = text.trim();
    if let Some(raw) = text.strip_prefix('@') {
        let (secs, zone) = raw.split_once(' ').unwrap_or((raw, "+0000"));
        let secs: i64 = secs.parse().ok()?;
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        let digits = zone.trim_start_matches(['+', '-']);
        let hours: i32 = digits.get(..2)?.parse().ok()?;
        let minutes: i32 = digits.get(2..4)?.parse().ok()?;
        return Some(Time::new(secs, sign * (hours * 60 + minutes)));
    }
    let t = chrono::DateTime::parse_from_rfc3339(text).ok()?;
    Some(Time::new(t.timestamp(), t.offset().local_minus_utc() / 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_like_git() {
        let t = parse_date("2026-03-01T14:32:00+01:00").unwrap();
        assert_eq!((t.seconds(), t.offset_minutes()), (1_772_371_920, 60));
        let t = parse_date("@1772371920 -0230").unwrap();
        assert_eq!((t.seconds(), t.offset_minutes()), (1_772_371_920, -150));
        assert!(parse_date("yesterday").is_none());
    }
}
