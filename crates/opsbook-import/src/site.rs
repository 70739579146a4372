//! The old site generator's configuration: which generator built the pages, where their
//! markdown lives, where the site was published and how its addresses were formed.

use crate::value::Val;
use std::collections::BTreeMap;
use std::path::Path;

/// The generator that published the imported folder.
#[derive(Debug, Clone, PartialEq)]
pub enum Generator {
    /// Hugo: lowercased folder addresses by default.
    Hugo {
        /// `uglyURLs`: `a/b.html` instead of `a/b/`.
        ugly: bool,
        /// Not `disablePathToLower`: addresses are lowercased.
        lower: bool,
        /// `[permalinks]`: section → pattern such as `/:sections/:filename/`.
        permalinks: BTreeMap<String, String>,
    },
    /// MkDocs: folder addresses with the case kept, unless `use_directory_urls: false`.
    MkDocs {
        /// `use_directory_urls`.
        directory_urls: bool,
        /// The `redirects` plugin's `redirect_maps`: old page → new page (or URL).
        redirects: Vec<(String, String)>,
    },
    /// Jekyll: pages keep `.html` unless the permalink style says otherwise.
    Jekyll {
        /// The site's `permalink` style (`date`, `pretty`, `none`, or a pattern).
        permalink: String,
    },
    /// Markdown read where it lies (GitHub, GitLab): the address of a page is its path.
    Plain,
}

/// What the import knows about the old site.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    /// The generator.
    pub generator: Generator,
    /// The configuration file it was read from (relative to the imported folder).
    pub config_file: Option<String>,
    /// Where the site was published (`baseURL`, `site_url`, `url` + `baseurl`).
    pub base_url: Option<String>,
    /// The site's name (`title`, `site_name`).
    pub title: Option<String>,
    /// The folder holding the pages' markdown, relative to the imported folder ("" for
    /// the folder itself).
    pub content_dir: String,
    /// Files and folders (relative to the imported folder) that belong to the generator,
    /// not to the content: left where they are.
    pub generator_files: Vec<String>,
    /// Problems reading the configuration.
    pub problems: Vec<String>,
}

impl Site {
    /// The generator's name for the report.
    pub fn name(&self) -> &'static str {
        match self.generator {
            Generator::Hugo { .. } => "Hugo",
            Generator::MkDocs { .. } => "MkDocs",
            Generator::Jekyll { .. } => "Jekyll",
            Generator::Plain => "plain markdown",
        }
    }

    /// Reads the generator configuration found in `src`, if any.
    pub fn detect(src: &Path) -> Site {
        const HUGO: [&str; 6] = [
            "hugo.toml",
            "hugo.yaml",
            "hugo.yml",
            "config.toml",
            "config.yaml",
            "config.yml",
        ];
        for name in HUGO {
            if let Some(text) = read(src, name) {
                return hugo(name, &text);
            }
        }
        for name in ["mkdocs.yml", "mkdocs.yaml"] {
            if let Some(text) = read(src, name) {
                return mkdocs(name, &text);
            }
        }
        if let Some(text) = read(src, "_config.yml") {
            return jekyll("_config.yml", &text);
        }
        Site {
            generator: Generator::Plain,
            config_file: None,
            base_url: None,
            title: None,
            content_dir: String::new(),
            generator_files: Vec::new(),
            problems: Vec::new(),
        }
    }
}

fn read(src: &Path, name: &str) -> Option<String> {
    let path = src.join(name);
    if !path.is_file() {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// A configuration as keys and values; a problem when it cannot be read.
fn parse_config(name: &str, text: &str, problems: &mut Vec<String>) -> Vec<(String, Val)> {
    let parsed = if name.ends_with(".toml") {
        text.parse::<toml::Table>()
            .map(|t| Val::from_toml(&toml::Value::Table(t)))
            .map_err(|e| e.message().trim().to_string())
    } else {
        // MkDocs files carry Python tags (`!!python/name:…`); the parser keeps the text.
        opsbook_core::yaml::parse(text, 0)
            .map(|n| n.map_or(Val::Map(Vec::new()), |n| Val::from_node(&n)))
            .map_err(|e| {
                let line = 1 + text[..e.span().start.min(text.len())].matches('\n').count();
                format!("line {line}: {e}")
            })
    };
    match parsed {
        Ok(Val::Map(entries)) => entries,
        Ok(_) => {
            problems.push(format!("{name}: not a mapping of settings; read as empty"));
            Vec::new()
        }
        Err(e) => {
            problems.push(format!(
                "{name} cannot be read ({e}); its settings are left out"
            ));
            Vec::new()
        }
    }
}

fn get<'v>(entries: &'v [(String, Val)], key: &str) -> Option<&'v Val> {
    entries
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

fn text_of(entries: &[(String, Val)], key: &str) -> Option<String> {
    get(entries, key)
        .and_then(Val::as_text)
        .filter(|t| !t.trim().is_empty())
}

fn flag(entries: &[(String, Val)], key: &str, default: bool) -> bool {
    match get(entries, key) {
        Some(Val::Bool(b)) => *b,
        _ => default,
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// Hugo: `baseURL`, `contentDir`, `uglyURLs`, `disablePathToLower`, `[permalinks]`.
pub fn hugo(name: &str, text: &str) -> Site {
    let mut problems = Vec::new();
    let config = parse_config(name, text, &mut problems);
    let mut permalinks = BTreeMap::new();
    if let Some(Val::Map(entries)) = get(&config, "permalinks") {
        for (section, pattern) in entries {
            match pattern {
                // Hugo 0.112+: `[permalinks.page]` holds the patterns of regular pages.
                Val::Map(inner) if section == "page" => {
                    for (s, p) in inner {
                        if let Some(p) = p.as_text() {
                            permalinks.insert(s.clone(), p);
                        }
                    }
                }
                Val::Map(_) => {}
                other => {
                    if let Some(p) = other.as_text() {
                        permalinks.entry(section.clone()).or_insert(p);
                    }
                }
            }
        }
    }
    let content_dir = text_of(&config, "contentDir").unwrap_or_else(|| "content".to_string());
    let mut generator_files = strings(&[
        "archetypes",
        "assets",
        "config",
        "data",
        "i18n",
        "layouts",
        "public",
        "resources",
        "static",
        "themes",
    ]);
    generator_files.push(name.to_string());
    Site {
        generator: Generator::Hugo {
            ugly: flag(&config, "uglyURLs", false),
            lower: !flag(&config, "disablePathToLower", false),
            permalinks,
        },
        config_file: Some(name.to_string()),
        base_url: text_of(&config, "baseURL"),
        title: text_of(&config, "title"),
        content_dir: content_dir.trim_matches('/').to_string(),
        generator_files,
        problems,
    }
}

/// MkDocs: `site_url`, `docs_dir`, `use_directory_urls`, the `redirects` plugin.
pub fn mkdocs(name: &str, text: &str) -> Site {
    let mut problems = Vec::new();
    let config = parse_config(name, text, &mut problems);
    let mut redirects = Vec::new();
    let plugins = match get(&config, "plugins") {
        Some(Val::List(items)) => items.clone(),
        Some(Val::Map(entries)) => vec![Val::Map(entries.clone())],
        _ => Vec::new(),
    };
    for plugin in &plugins {
        let Val::Map(entries) = plugin else { continue };
        let Some(Val::Map(settings)) = get(entries, "redirects") else {
            continue;
        };
        if let Some(Val::Map(maps)) = get(settings, "redirect_maps") {
            for (from, to) in maps {
                if let Some(to) = to.as_text() {
                    redirects.push((from.trim_start_matches('/').to_string(), to));
                }
            }
        }
    }
    let content_dir = text_of(&config, "docs_dir").unwrap_or_else(|| "docs".to_string());
    Site {
        generator: Generator::MkDocs {
            directory_urls: flag(&config, "use_directory_urls", true),
            redirects,
        },
        config_file: Some(name.to_string()),
        base_url: text_of(&config, "site_url"),
        title: text_of(&config, "site_name"),
        content_dir: content_dir.trim_matches('/').to_string(),
        generator_files: vec![
            name.to_string(),
            "site".to_string(),
            "overrides".to_string(),
        ],
        problems,
    }
}

/// Jekyll: `url`, `baseurl`, `permalink`.
pub fn jekyll(name: &str, text: &str) -> Site {
    let mut problems = Vec::new();
    let config = parse_config(name, text, &mut problems);
    let url = text_of(&config, "url");
    let baseurl = text_of(&config, "baseurl").unwrap_or_default();
    let base_url = url.map(|u| {
        let path = baseurl.trim_matches('/');
        let root = u.trim_end_matches('/');
        if path.is_empty() {
            format!("{root}/")
        } else {
            format!("{root}/{path}/")
        }
    });
    let mut generator_files = strings(&[
        "_site",
        "_layouts",
        "_includes",
        "_sass",
        "_data",
        "_plugins",
        "Gemfile",
        "Gemfile.lock",
    ]);
    generator_files.push(name.to_string());
    Site {
        generator: Generator::Jekyll {
            permalink: text_of(&config, "permalink").unwrap_or_else(|| "date".to_string()),
        },
        config_file: Some(name.to_string()),
        base_url,
        title: text_of(&config, "title"),
        content_dir: String::new(),
        generator_files,
        problems,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hugo_toml_settings() {
        let site = hugo(
            "config.toml",
            "baseURL = 'https://runbooks.example.dev/'\nuglyURLs = true\ndisablePathToLower = true\n[permalinks]\nrunbooks = '/:sections/:filename/'\n[permalinks.page]\nposts = '/:year/:slug/'\n",
        );
        assert_eq!(
            site.base_url.as_deref(),
            Some("https://runbooks.example.dev/")
        );
        assert_eq!(site.content_dir, "content");
        let Generator::Hugo {
            ugly,
            lower,
            permalinks,
        } = site.generator
        else {
            panic!()
        };
        assert!(ugly && !lower);
        assert_eq!(permalinks["runbooks"], "/:sections/:filename/");
        assert_eq!(permalinks["posts"], "/:year/:slug/");
    }

    #[test]
    fn mkdocs_redirects_and_python_tags() {
        let site = mkdocs(
            "mkdocs.yml",
            "site_name: Ops\nsite_url: https://ops.example.dev/docs/\nuse_directory_urls: false\nmarkdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\nplugins:\n  - search\n  - redirects:\n      redirect_maps:\n        'old/Disk.md': 'runbooks/node/Disk.md'\n",
        );
        assert!(site.problems.is_empty(), "{:?}", site.problems);
        assert_eq!(
            site.base_url.as_deref(),
            Some("https://ops.example.dev/docs/")
        );
        assert_eq!(
            site.generator,
            Generator::MkDocs {
                directory_urls: false,
                redirects: vec![("old/Disk.md".into(), "runbooks/node/Disk.md".into())]
            }
        );
    }

    #[test]
    fn jekyll_url_and_baseurl() {
        let site = jekyll(
            "_config.yml",
            "url: https://example.github.io\nbaseurl: /ops\npermalink: pretty\n",
        );
        assert_eq!(
            site.base_url.as_deref(),
            Some("https://example.github.io/ops/")
        );
        assert_eq!(
            site.generator,
            Generator::Jekyll {
                permalink: "pretty".into()
            }
        );
    }

    #[test]
    fn a_broken_config_is_a_problem_not_a_failure() {
        let site = hugo("config.toml", "baseURL = \n");
        assert_eq!(site.base_url, None);
        assert_eq!(site.problems.len(), 1, "{:?}", site.problems);
        assert!(site.problems[0].starts_with("config.toml cannot be read"));
    }
}
