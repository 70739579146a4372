//! Finding the rule files that `alert_rules` names, and reading them in parallel.

use super::{Alerts, parse_file};
use crate::config::{CONFIG_FILE, Config};
use crate::diagnostic::Diagnostic;
use crate::handbook::SourceFile;
use crate::load::{MAX_FILE_SIZE, OUTPUT_MARKER, not_utf8, relative};
use crate::rules::Rule;
use crate::span::Span;
use globset::{GlobBuilder, GlobMatcher};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// Reads the rule files named by `config.alert_rules` (globs relative to `root`; `..`
/// may lead out of the handbook folder, e.g. to a `prometheus/` folder beside it).
///
/// Returns the files read (for excerpts), their rules, and the problems found:
/// a glob that is invalid or matches no file (OB012 on handbook.yaml), a file that
/// cannot be read (OB001–OB003), a rule file that is malformed (OB401).
pub fn read(root: &Path, config: &Config) -> (Vec<SourceFile>, Alerts, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut found: BTreeMap<String, PathBuf> = BTreeMap::new();
    for (i, pattern) in config.alert_rules.iter().enumerate() {
        let span = config_span(root, i);
        let invalid =
            |message: String| Diagnostic::new(Rule::InvalidValue, CONFIG_FILE, span, message);
        if Path::new(pattern).is_absolute() {
            diagnostics.push(
                invalid(format!("`alert_rules`: `{pattern}` is not relative to the handbook folder"))
                    .with_help("write it relative to the folder of handbook.yaml, e.g. `../prometheus/rules/*.yaml`"),
            );
            continue;
        }
        let matcher = match GlobBuilder::new(pattern).literal_separator(true).build() {
            Ok(glob) => glob.compile_matcher(),
            Err(e) => {
                diagnostics.push(invalid(format!(
                    "`alert_rules`: `{pattern}` is not a valid glob: {}",
                    e.kind()
                )));
                continue;
            }
        };
        if matching_files(root, pattern, &matcher, &mut found) == 0 {
            diagnostics.push(
                invalid(format!("`alert_rules`: `{pattern}` matches no file"))
                    .with_help("globs are relative to the folder of handbook.yaml; `*` stays within a folder, `**` crosses folders"),
            );
        }
    }
    let read: Vec<_> = found
        .into_par_iter()
        .map(|(rel, full)| read_one(rel, &full))
        .collect();
    let mut files = Vec::with_capacity(read.len());
    let mut alerts = Alerts::default();
    for (source, file_alerts, diags) in read {
        files.push(source);
        alerts.extend(file_alerts);
        diagnostics.extend(diags);
    }
    (files, alerts, diagnostics)
}

/// The span of `alert_rules[index]` in handbook.yaml (parsed again: it is small, and
/// only read when there is something to report).
fn config_span(root: &Path, index: usize) -> Span {
    let text = std::fs::read_to_string(root.join(CONFIG_FILE)).unwrap_or_default();
    crate::yaml::parse(&text, 0)
        .ok()
        .flatten()
        .and_then(|node| {
            node.at(&["alert_rules", &index.to_string()])
                .map(|n| n.span)
        })
        .unwrap_or_default()
}

/// Adds the files below the glob's literal folder that match it; returns how many.
fn matching_files(
    root: &Path,
    pattern: &str,
    matcher: &GlobMatcher,
    found: &mut BTreeMap<String, PathBuf>,
) -> usize {
    // Walk only the folder the glob's literal part names: `../prom/**/*.yml` walks `../prom`.
    let parts: Vec<&str> = pattern.split('/').collect();
    let literal = parts
        .iter()
        .take_while(|part| !part.contains(['*', '?', '[', '{', '\\']))
        .count();
    if literal == parts.len() {
        let full = root.join(pattern);
        let is_file = full.is_file() && pattern != CONFIG_FILE;
        if is_file {
            found.entry(pattern.to_string()).or_insert(full);
        }
        return usize::from(is_file);
    }
    let base = parts[..literal].join("/");
    let start = root.join(&base);
    let mut count = 0;
    let walker = WalkDir::new(&start)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !(e.file_name().to_string_lossy().starts_with('.')
                    || e.file_type().is_dir() && e.path().join(OUTPUT_MARKER).exists())
        });
    for entry in walker.filter_map(Result::ok) {
        if !entry.file_type().is_file() {
            continue;
        }
        let below = relative(&start, entry.path());
        let rel = match (base.as_str(), below.as_str()) {
            ("", below) => below.to_string(),
            (base, "") => base.to_string(),
            (base, below) => format!("{base}/{below}"),
        };
        if rel != CONFIG_FILE && matcher.is_match(&rel) {
            count += 1;
            found.entry(rel).or_insert_with(|| entry.into_path());
        }
    }
    count
}

fn read_one(rel: String, full: &Path) -> (SourceFile, Alerts, Vec<Diagnostic>) {
    let fail = |rel: String, d: Diagnostic, text: String| {
        (SourceFile { path: rel, text }, Alerts::default(), vec![d])
    };
    let mut bytes = Vec::new();
    let read =
        std::fs::File::open(full).and_then(|f| f.take(MAX_FILE_SIZE + 1).read_to_end(&mut bytes));
    if let Err(e) = read {
        let d = Diagnostic::new(
            Rule::UnreadableFile,
            &rel,
            Span::default(),
            format!("cannot read: {e}"),
        );
        return fail(rel, d, String::new());
    }
    if bytes.len() as u64 > MAX_FILE_SIZE {
        let d = Diagnostic::new(
            Rule::FileTooLarge,
            &rel,
            Span::default(),
            format!(
                "rule files over {} MiB are not read",
                MAX_FILE_SIZE / 1048576
            ),
        )
        .with_help("split the rules into several files");
        return fail(rel, d, String::new());
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let d = not_utf8(&rel, e.as_bytes());
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            return fail(rel, d, text);
        }
    };
    let mut diagnostics = Vec::new();
    let alerts = parse_file(&rel, &text, &mut diagnostics);
    (SourceFile { path: rel, text }, alerts, diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn handbook(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, text).unwrap();
        }
        dir
    }

    const RULES: &str =
        "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n";

    #[test]
    fn globs_match_within_and_beside_the_handbook() {
        let dir = handbook(&[
            ("hb/alerts/a.yaml", RULES),
            ("hb/alerts/nested/b.yaml", RULES),
            ("hb/alerts/.hidden.yaml", RULES),
            ("prom/rules/c.yml", RULES),
        ]);
        let root = dir.path().join("hb");
        let config = Config {
            alert_rules: vec!["alerts/*.yaml".into(), "../prom/**/*.yml".into()],
            ..Config::default()
        };
        let (files, alerts, diags) = read(&root, &config);
        assert!(diags.is_empty(), "{diags:?}");
        let paths: Vec<_> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["../prom/rules/c.yml", "alerts/a.yaml"]);
        assert_eq!(alerts.alerts.len(), 2);
        assert_eq!(alerts.alerts[1].file, "alerts/a.yaml");
    }

    #[test]
    fn a_glob_matching_nothing_or_invalid_is_reported_on_handbook_yaml() {
        let yaml = "alert_rules:\n  - \"alertz/*.yaml\"\n  - \"a/[\"\n  - \"alerts/rules.yaml\"\n";
        let dir = handbook(&[("handbook.yaml", yaml), ("alerts/rules.yaml", RULES)]);
        let config = Config {
            alert_rules: vec![
                "alertz/*.yaml".into(),
                "a/[".into(),
                "alerts/rules.yaml".into(),
            ],
            ..Config::default()
        };
        let (files, _, diags) = read(dir.path(), &config);
        assert_eq!(files.len(), 1);
        let got: Vec<_> = diags
            .iter()
            .map(|d| (d.file.as_str(), &yaml[d.span.range()]))
            .collect();
        assert_eq!(
            got,
            [
                ("handbook.yaml", "\"alertz/*.yaml\""),
                ("handbook.yaml", "\"a/[\"")
            ]
        );
        assert!(diags[0].message.ends_with("matches no file"));
    }

    #[test]
    fn unreadable_rule_files_are_diagnostics() {
        let dir = handbook(&[("alerts/bad.yaml", "")]);
        std::fs::write(dir.path().join("alerts/bad.yaml"), b"groups: \xff\n").unwrap();
        let config = Config {
            alert_rules: vec!["alerts/*.yaml".into()],
            ..Config::default()
        };
        let (files, alerts, diags) = read(dir.path(), &config);
        assert_eq!(files.len(), 1);
        assert!(alerts.alerts.is_empty());
        assert_eq!(diags[0].rule, Rule::NotUtf8);
    }
}
