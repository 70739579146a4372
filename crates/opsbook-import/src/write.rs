//! Writing the planned files: never over an existing file.

use std::io::Write;
use std::path::Path;

/// What became of one planned file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Written (or, in a dry run, would be).
    Written,
    /// Already there with the same bytes.
    Unchanged,
    /// Already there with other bytes: kept, not overwritten.
    Kept,
    /// Could not be written.
    Failed(String),
}

/// Writes each `(path, bytes)` below `into` unless a file is there already; a dry run
/// only says what would happen.
pub fn write(into: &Path, files: &[(&str, &[u8])], dry_run: bool) -> Vec<Outcome> {
    files
        .iter()
        .map(|(rel, bytes)| {
            let path = into.join(rel);
            match std::fs::read(&path) {
                Ok(existing) if existing == *bytes => return Outcome::Unchanged,
                Ok(_) => return Outcome::Kept,
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    // Something is there that cannot be read (a folder, no permission):
                    // leave it alone.
                    return if path.exists() {
                        Outcome::Kept
                    } else {
                        Outcome::Failed(e.to_string())
                    };
                }
                Err(_) => {}
            }
            if dry_run {
                return Outcome::Written;
            }
            match create(&path, bytes) {
                Ok(()) => Outcome::Written,
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Outcome::Kept,
                Err(e) => Outcome::Failed(e.to_string()),
            }
        })
        .collect()
}

fn create(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    // `create_new`: a file that appeared since it was looked at is still not replaced.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn existing_files_are_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("same.md"), "a").unwrap();
        std::fs::write(dir.path().join("other.md"), "mine").unwrap();
        let files: [(&str, &[u8]); 3] = [
            ("same.md", b"a"),
            ("other.md", b"theirs"),
            ("new/x.md", b"x"),
        ];
        let dry = write(dir.path(), &files, true);
        assert_eq!(dry, [Outcome::Unchanged, Outcome::Kept, Outcome::Written]);
        assert!(!dir.path().join("new").exists(), "a dry run writes nothing");
        assert_eq!(write(dir.path(), &files, false), dry);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("other.md")).unwrap(),
            "mine"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("new/x.md")).unwrap(),
            "x"
        );
        assert_eq!(write(dir.path(), &files, false)[2], Outcome::Unchanged);
    }
}
