//! The theme: templates, CSS and JS. The defaults in this crate's `site-templates/` are
//! embedded at compile time; a handbook's `templates/` folder replaces any of them by file
//! name, and may add its own (user wins, built-ins fill the rest). Templates are compiled
//! once.

use crate::error::{SiteError, chain};
use std::path::Path;
use tera::Tera;

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../site-templates/", $name)) as &[u8])),*]
    };
}

/// The default theme files: `(file name, content)`.
pub const DEFAULT_FILES: &[(&str, &[u8])] = embed![
    "base.html",
    "macros.html",
    "home.html",
    "service.html",
    "runbook.html",
    "postmortem.html",
    "postmortems.html",
    "sla.html",
    "escalation.html",
    "team.html",
    "page.html",
    "list.html",
    "stats.html",
    "alerts.html",
    "search.html",
    "404.html",
    "redirect.html",
    "feed.xml",
    "style.css",
    "site.js",
    "search.js",
];

/// Compiled templates and the static files to copy to `assets/`.
pub struct Theme {
    /// The compiled templates.
    pub tera: Tera,
    /// Static files: `(file name, content)`.
    pub assets: Vec<(String, Vec<u8>)>,
}

impl std::fmt::Debug for Theme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Theme")
            .field(
                "assets",
                &self.assets.iter().map(|a| &a.0).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

fn is_template(name: &str) -> bool {
    name.ends_with(".html") || name.ends_with(".xml")
}

impl Theme {
    /// The built-in theme with the files of `overrides` (a handbook's `templates/`
    /// folder; ignored when it does not exist) in place of the defaults of the same name.
    pub fn load(overrides: Option<&Path>) -> Result<Theme, SiteError> {
        let mut files: Vec<(String, Vec<u8>)> = DEFAULT_FILES
            .iter()
            .map(|(n, c)| (n.to_string(), c.to_vec()))
            .collect();
        if let Some(dir) = overrides.filter(|d| d.is_dir()) {
            for (name, content) in read_dir(dir, dir)? {
                match files.iter_mut().find(|(n, _)| *n == name) {
                    Some(slot) => slot.1 = content,
                    None => files.push((name, content)),
                }
            }
        }
        let mut templates = Vec::new();
        let mut assets = Vec::new();
        for (name, content) in files {
            if is_template(&name) {
                let text = String::from_utf8(content)
                    .map_err(|_| SiteError::Template(format!("`{name}` is not UTF-8 text")))?;
                templates.push((name, text));
            } else {
                assets.push((name, content));
            }
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        // tera's default also escapes `/`, which makes every URL unreadable; this escapes
        // what HTML and XML need (text and quoted attribute values).
        tera.set_escape_fn(escape);
        tera.add_raw_templates(templates)
            .map_err(|e| SiteError::Template(chain(&e)))?;
        Ok(Theme { tera, assets })
    }
}

fn escape(text: &str) -> String {
    crate::markdown::escape(text)
}

/// Every file below `dir`, named by its path relative to `root`.
fn read_dir(root: &Path, dir: &Path) -> Result<Vec<(String, Vec<u8>)>, SiteError> {
    let mut out = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| SiteError::io("cannot read", dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| SiteError::io("cannot read", dir, e))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            out.extend(read_dir(root, &path)?);
        } else {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let content =
                std::fs::read(&path).map_err(|e| SiteError::io("cannot read", &path, e))?;
            out.push((rel.join("/"), content));
        }
    }
    Ok(out)
}

/// Writes the default theme into `dir` for editing; existing files are never overwritten
/// and are returned as skipped.
pub fn write_defaults(dir: &Path) -> Result<(Vec<String>, Vec<String>), SiteError> {
    std::fs::create_dir_all(dir).map_err(|e| SiteError::io("cannot create", dir, e))?;
    let (mut written, mut skipped) = (Vec::new(), Vec::new());
    for (name, content) in DEFAULT_FILES {
        let path = dir.join(name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                std::io::Write::write_all(&mut f, content)
                    .map_err(|e| SiteError::io("cannot write", &path, e))?;
                written.push(name.to_string());
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                skipped.push(name.to_string())
            }
            Err(e) => return Err(SiteError::io("cannot create", &path, e)),
        }
    }
    Ok((written, skipped))
}
