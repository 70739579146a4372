//! The files of the folder being imported: walked, read, and told apart (markdown,
//! other files, and the ones that cannot be imported as text).

use std::path::Path;
use walkdir::WalkDir;

/// Files larger than this are not read as markdown (opsbook refuses them, rule OB003).
const MAX_MARKDOWN_SIZE: u64 = opsbook_core::load::MAX_FILE_SIZE;

/// Folders never imported: version control, dependencies, build output.
const NEVER: [&str; 8] = [
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    ".jekyll-cache",
    ".sass-cache",
    "vendor",
    "__pycache__",
];

/// One file below the imported folder.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceFile {
    /// Its path relative to the imported folder, with `/` separators.
    pub rel: String,
    /// What it holds.
    pub content: Content,
}

/// What a file holds, as far as importing it goes.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// A markdown file in UTF-8.
    Markdown(String),
    /// Any other file, copied across as it is.
    Other(Vec<u8>),
    /// A markdown file that is not UTF-8 text; copied across as it is.
    NotUtf8 {
        /// The bytes.
        bytes: Vec<u8>,
        /// The line of the first byte that is not UTF-8.
        line: usize,
    },
    /// A markdown file that holds binary data (NUL bytes); copied across as it is.
    Binary(Vec<u8>),
    /// A file that could not be read.
    Unreadable(String),
}

/// Whether `rel` names a markdown file.
pub fn is_markdown(rel: &str) -> bool {
    let lower = rel.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

/// Walks `root`, leaving out the folders in `skip` (paths relative to `root`) and
/// version-control and dependency folders; files come sorted by path.
pub fn walk(root: &Path, skip: &[String]) -> Vec<SourceFile> {
    let mut files = Vec::new();
    let walker = WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            let rel = relative(root, entry.path());
            let name = entry.file_name().to_string_lossy();
            entry.depth() == 0 || !(NEVER.contains(&name.as_ref()) || skip.contains(&rel))
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let rel = e
                    .path()
                    .map(|p| relative(root, p))
                    .unwrap_or_else(|| ".".to_string());
                let why = e
                    .io_error()
                    .map_or_else(|| e.to_string(), |io| io.to_string());
                files.push(SourceFile {
                    rel,
                    content: Content::Unreadable(why),
                });
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = relative(root, entry.path());
        files.push(SourceFile {
            content: read(entry.path(), &rel),
            rel,
        });
    }
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    files
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn read(path: &Path, rel: &str) -> Content {
    if is_markdown(rel) {
        if let Ok(meta) = std::fs::metadata(path) {
            if meta.len() > MAX_MARKDOWN_SIZE {
                return Content::Unreadable(format!(
                    "it is {} bytes, more than opsbook reads ({MAX_MARKDOWN_SIZE})",
                    meta.len()
                ));
            }
        }
    }
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => return Content::Unreadable(e.to_string()),
    };
    if !is_markdown(rel) {
        return Content::Other(bytes);
    }
    classify(bytes)
}

/// Tells markdown text from binary data and from text in another encoding.
pub fn classify(bytes: Vec<u8>) -> Content {
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return Content::Binary(bytes);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Content::Markdown(text),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
            Content::NotUtf8 { bytes, line }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_told_apart() {
        assert_eq!(
            classify(b"# Title\n".to_vec()),
            Content::Markdown("# Title\n".into())
        );
        assert!(matches!(
            classify(b"\x89PNG\r\n\x1a\n\0\0\0".to_vec()),
            Content::Binary(_)
        ));
        assert!(matches!(
            classify(b"# Caf\n\ncaf\xe9\n".to_vec()),
            Content::NotUtf8 { line: 3, .. }
        ));
    }

    #[test]
    fn the_walk_skips_version_control_and_named_folders() {
        let dir = tempfile::tempdir().unwrap();
        for file in [
            ".git/HEAD",
            "content/a.md",
            "public/a/index.html",
            "img.png",
        ] {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        let files: Vec<_> = walk(dir.path(), &["public".to_string()])
            .into_iter()
            .map(|f| f.rel)
            .collect();
        assert_eq!(files, ["content/a.md", "img.png"]);
    }
}
