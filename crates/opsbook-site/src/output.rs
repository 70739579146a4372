//! Writing the site safely: into a temporary folder next to the destination, swapped in
//! only when complete. A failed build leaves the previous output as it was; opsbook
//! refuses a destination that is or contains the handbook, and only ever replaces a
//! folder that carries its marker file ([`OUTPUT_MARKER`]).

use crate::error::SiteError;
use opsbook_core::load::OUTPUT_MARKER;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

const MARKER_TEXT: &str =
    "This folder was written by `opsbook build`, which replaces it whole on the next build.\n";

/// `path` made absolute and free of `..`, even when it does not exist yet.
fn absolute(path: &Path) -> Result<PathBuf, SiteError> {
    let cwd = std::env::current_dir().map_err(|e| SiteError::io("cannot read", ".", e))?;
    let path = cwd.join(path);
    // Canonicalize the longest existing ancestor, then append the rest.
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(canon) = existing.canonicalize() {
            let mut out = canon;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return Ok(out);
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return Ok(path.clone()),
        }
    }
}

/// Checks that opsbook may write the site to `out` for the handbook in `root`.
pub fn check_destination(root: &Path, out: &Path) -> Result<(), SiteError> {
    let root_abs = absolute(root)?;
    let out_abs = absolute(out)?;
    if root_abs.starts_with(&out_abs) {
        return Err(SiteError::Output(format!(
            "the output folder `{}` is or contains the handbook folder `{}`; choose another one (e.g. `-o site`)",
            out.display(),
            root.display()
        )));
    }
    if out.exists() {
        if !out.is_dir() {
            return Err(SiteError::Output(format!(
                "`{}` exists and is not a folder; opsbook will not replace it",
                out.display()
            )));
        }
        let empty = std::fs::read_dir(out)
            .map_err(|e| SiteError::io("cannot read", out, e))?
            .next()
            .is_none();
        if !empty && !out.join(OUTPUT_MARKER).is_file() {
            return Err(SiteError::Output(format!(
                "`{}` holds files that opsbook did not write (it has no `{OUTPUT_MARKER}` marker); opsbook never deletes them: choose an empty or new folder",
                out.display()
            )));
        }
    }
    Ok(())
}

/// Runs `write` on a fresh temporary folder next to `out`, then puts that folder in the
/// place of `out`. If `write` fails, the temporary folder is removed and `out` is untouched.
pub fn write_atomically<R>(
    root: &Path,
    out: &Path,
    write: impl FnOnce(&Path) -> Result<R, SiteError>,
) -> Result<R, SiteError> {
    check_destination(root, out)?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| SiteError::Output(format!("`{}` names no folder", out.display())))?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| SiteError::io("cannot create", &parent, e))?;
    let pid = std::process::id();
    let tmp = parent.join(format!(".{name}.opsbook-new-{pid}"));
    let old = parent.join(format!(".{name}.opsbook-old-{pid}"));
    for stale in [&tmp, &old] {
        // Left by a crashed run of a process with the same id: ours only if marked.
        if stale.join(OUTPUT_MARKER).is_file() {
            std::fs::remove_dir_all(stale).map_err(|e| SiteError::io("cannot remove", stale, e))?;
        }
    }
    std::fs::create_dir(&tmp).map_err(|e| SiteError::io("cannot create", &tmp, e))?;
    let marker = tmp.join(OUTPUT_MARKER);
    let result = std::fs::write(&marker, MARKER_TEXT)
        .map_err(|e| SiteError::io("cannot write", &marker, e))
        .and_then(|()| write(&tmp));
    let value = match result {
        Ok(v) => v,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(e);
        }
    };
    if out.exists() {
        std::fs::rename(out, &old).map_err(|e| {
            let _ = std::fs::remove_dir_all(&tmp);
            SiteError::io("cannot move the previous output aside", out, e)
        })?;
        if let Err(e) = std::fs::rename(&tmp, out) {
            let _ = std::fs::rename(&old, out);
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(SiteError::io(
                "cannot move the new output into place",
                out,
                e,
            ));
        }
        remove_folder(&old).map_err(|e| SiteError::io("cannot remove", &old, e))?;
    } else {
        std::fs::rename(&tmp, out).map_err(|e| {
            let _ = std::fs::remove_dir_all(&tmp);
            SiteError::io("cannot move the new output into place", out, e)
        })?;
    }
    Ok(value)
}

/// Removes `dir` and everything in it, files in parallel: the previous output of a large
/// handbook holds thousands of pages, and freeing their memory (on a RAM disk) is most of
/// the cost of an unlink, done after the folder is unlocked. Symbolic links are removed,
/// never followed.
fn remove_folder(dir: &Path) -> std::io::Result<()> {
    let mut folders = vec![dir.to_path_buf()];
    let mut files = Vec::new();
    let mut next = 0;
    while let Some(folder) = folders.get(next) {
        for entry in std::fs::read_dir(folder)? {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                folders.push(entry.path());
            } else {
                files.push(entry.path());
            }
        }
        next += 1;
    }
    files.par_iter().try_for_each(std::fs::remove_file)?;
    // Breadth-first order, reversed: every folder goes after the folders inside it.
    folders.iter().rev().try_for_each(std::fs::remove_dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_the_handbook_and_foreign_folders() {
        let dir = tempfile::tempdir().unwrap();
        let hb = dir.path().join("hb");
        std::fs::create_dir_all(hb.join("runbooks")).unwrap();
        assert!(check_destination(&hb, &hb).is_err());
        assert!(check_destination(&hb, dir.path()).is_err());
        assert!(check_destination(&hb.join("runbooks"), &hb).is_err());
        let foreign = dir.path().join("foreign");
        std::fs::create_dir(&foreign).unwrap();
        std::fs::write(foreign.join("keep.txt"), "mine").unwrap();
        assert!(check_destination(&hb, &foreign).is_err());
        assert!(check_destination(&hb, &dir.path().join("new/site")).is_ok());
        assert!(check_destination(&hb, &hb.join("_site")).is_ok());
    }

    #[test]
    fn a_failed_write_keeps_the_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let hb = dir.path().join("hb");
        std::fs::create_dir(&hb).unwrap();
        let out = dir.path().join("site");
        write_atomically(&hb, &out, |d| {
            std::fs::write(d.join("index.html"), "one").map_err(|e| SiteError::io("w", d, e))
        })
        .unwrap();
        let failed: Result<(), _> = write_atomically(&hb, &out, |d| {
            std::fs::write(d.join("index.html"), "two").unwrap();
            Err(SiteError::Template("boom".into()))
        });
        assert!(failed.is_err());
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "one"
        );
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    #[cfg(unix)]
    #[test]
    fn removing_a_folder_removes_symbolic_links_but_not_what_they_point_to() {
        let dir = tempfile::tempdir().unwrap();
        let keep = dir.path().join("keep");
        std::fs::create_dir_all(keep.join("inner")).unwrap();
        std::fs::write(keep.join("inner/precious.txt"), "mine").unwrap();
        let old = dir.path().join("old");
        std::fs::create_dir_all(old.join("a/b")).unwrap();
        for i in 0..50 {
            std::fs::write(old.join(format!("a/b/{i}.html")), "page").unwrap();
        }
        std::fs::write(old.join("index.html"), "home").unwrap();
        std::os::unix::fs::symlink(&keep, old.join("a/folder-link")).unwrap();
        std::os::unix::fs::symlink(keep.join("inner/precious.txt"), old.join("file-link")).unwrap();
        remove_folder(&old).unwrap();
        assert!(!old.exists());
        assert_eq!(
            std::fs::read_to_string(keep.join("inner/precious.txt")).unwrap(),
            "mine"
        );
    }
}
