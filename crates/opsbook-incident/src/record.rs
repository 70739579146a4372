//! One incident record: a postmortem file as read, and writing its next version safely.

use crate::error::IncidentError;
use opsbook_core::model::{Document, Kind, Postmortem};
use opsbook_core::span::LineIndex;
use opsbook_core::timeline::{self, Timeline};
use opsbook_core::yaml::Node;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A postmortem file as read from disk, parsed.
#[derive(Debug, Clone)]
pub struct Record {
    /// The file on disk.
    pub path: PathBuf,
    /// Its path relative to the handbook root, `/`-separated (for messages).
    pub rel: String,
    /// Its text, exactly as read (byte-order mark and line breaks included).
    pub text: String,
    /// The parsed document.
    pub doc: Document,
    /// Its typed frontmatter.
    pub postmortem: Postmortem,
}

impl Record {
    /// Reads and parses `path` (`rel` relative to the handbook root). Broken YAML, a
    /// schema error or a document that is no postmortem is an error naming
    /// `file:line:col`.
    pub fn read(path: &Path, rel: &str) -> Result<Record, IncidentError> {
        let bytes = std::fs::read(path).map_err(|source| IncidentError::Io {
            action: "read",
            path: path.to_path_buf(),
            source,
        })?;
        let text = String::from_utf8(bytes).map_err(|_| IncidentError::Invalid {
            location: format!("{rel}:1:1"),
            message: "the file is not UTF-8 text".to_string(),
        })?;
        Record::parse(path, rel, text)
    }

    /// Parses `text` as the content of `path`.
    pub fn parse(path: &Path, rel: &str, text: String) -> Result<Record, IncidentError> {
        let (doc, postmortem) = parse_postmortem(rel, &text)?;
        Ok(Record {
            path: path.to_path_buf(),
            rel: rel.to_string(),
            text,
            doc,
            postmortem,
        })
    }

    /// The incident's id.
    pub fn id(&self) -> &str {
        &self.doc.id
    }

    /// The frontmatter tree (a postmortem always has one).
    pub fn yaml(&self) -> Option<&Node> {
        self.doc.yaml.as_ref()
    }

    /// The structured timeline (`None` without a `## Timeline` section).
    pub fn timeline(&self) -> Option<Timeline> {
        timeline::parse(&self.text, &self.doc.outline)
    }

    /// Replaces the file with `new_text`: refused when the file changed on disk since it
    /// was read; written to a temporary file in the same folder, then renamed over it, so
    /// that a reader sees either version whole and a crash leaves the old one.
    pub fn save(&self, new_text: &str) -> Result<(), IncidentError> {
        let now_on_disk = std::fs::read(&self.path).map_err(|source| IncidentError::Io {
            action: "read",
            path: self.path.clone(),
            source,
        })?;
        if now_on_disk != self.text.as_bytes() {
            return Err(IncidentError::Changed(self.rel.clone()));
        }
        let permissions = std::fs::metadata(&self.path).ok().map(|m| m.permissions());
        write_atomically(&self.path, new_text, permissions, false)
    }
}

/// Creates `path` with `text` atomically; refuses to replace an existing file.
pub fn create(path: &Path, text: &str) -> Result<(), IncidentError> {
    write_atomically(path, text, None, true)
}

fn write_atomically(
    path: &Path,
    text: &str,
    permissions: Option<std::fs::Permissions>,
    create_new: bool,
) -> Result<(), IncidentError> {
    let io = |action: &'static str| {
        move |source: std::io::Error| IncidentError::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    };
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".opsbook-incident-")
        .suffix(".tmp")
        .tempfile_in(folder)
        .map_err(io("write next to"))?;
    temp.write_all(text.as_bytes()).map_err(io("write"))?;
    temp.as_file().sync_all().map_err(io("write"))?;
    if let Some(p) = permissions {
        temp.as_file().set_permissions(p).map_err(io("write"))?;
    }
    if create_new {
        temp.persist_noclobber(path)
            .map_err(|e| io("create")(e.error))?;
    } else {
        temp.persist(path).map_err(|e| io("replace")(e.error))?;
    }
    Ok(())
}

/// Parses `text` as the postmortem `rel`; any problem is an [`IncidentError::Invalid`].
pub(crate) fn parse_postmortem(
    rel: &str,
    text: &str,
) -> Result<(Document, Postmortem), IncidentError> {
    let (doc, diagnostics) = opsbook_core::document::parse(0, rel, text);
    if let Some(d) = diagnostics.first() {
        return Err(IncidentError::Invalid {
            location: location(rel, text, d.span.start),
            message: format!("{} [{}]", d.message, d.rule),
        });
    }
    let doc = doc.ok_or_else(|| IncidentError::Invalid {
        location: location(rel, text, 0),
        message: "the file is not a document".to_string(),
    })?;
    if doc.kind != Kind::Postmortem {
        return Err(IncidentError::Invalid {
            location: location(rel, text, 0),
            message: format!("the file is a {}, not a postmortem", doc.kind),
        });
    }
    let postmortem = doc
        .as_postmortem()
        .cloned()
        .ok_or_else(|| IncidentError::Invalid {
            location: location(rel, text, 0),
            message: "the postmortem's frontmatter cannot be read".to_string(),
        })?;
    Ok((doc, postmortem))
}

/// `file:line:col` of byte `offset` of `text`.
pub(crate) fn location(rel: &str, text: &str, offset: usize) -> String {
    let lc = LineIndex::new(text).line_col(text, offset);
    format!("{rel}:{}:{}", lc.line, lc.column)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PM: &str = "---\ntitle: Down\nseverity: SEV2\nstatus: investigating\n---\n## Timeline\n";

    #[test]
    fn a_file_changed_since_it_was_read_is_not_written() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join("postmortems")).unwrap();
        let path = tmp.path().join("postmortems/down.md");
        std::fs::write(&path, PM).unwrap();
        let record = Record::read(&path, "postmortems/down.md").unwrap();
        let theirs = PM.replace("SEV2", "SEV1");
        std::fs::write(&path, &theirs).unwrap();
        let error = record.save(&PM.replace("Down", "Up")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "`postmortems/down.md` changed on disk since it was read (another editor or command?); nothing was written: run the command again"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
        // Saved when unchanged, with no temporary file left behind.
        let record = Record::read(&path, "postmortems/down.md").unwrap();
        record.save("new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(
            std::fs::read_dir(tmp.path().join("postmortems"))
                .unwrap()
                .count(),
            1
        );
    }

    #[test]
    fn create_never_replaces_a_file() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("x.md");
        create(&path, "one").unwrap();
        assert!(create(&path, "two").is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "one");
    }
}
