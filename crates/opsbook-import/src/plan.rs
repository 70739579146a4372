//! The import planned in memory: every file to write, every key's fate, the URLs, and
//! handbook.yaml. Nothing here touches the destination.

use crate::address::{self, OldAddress};
use crate::frontmatter::{self, Format};
use crate::keys::{self, KeyNote};
use crate::kind;
use crate::rules::{self, RunbookUrl};
use crate::sections::{self, Template};
use crate::site::{Generator, Site};
use crate::source::{self, Content, SourceFile};

use crate::value::{Val, emit};
use opsbook_core::Config;
use opsbook_core::model::Kind;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// One document to write.
#[derive(Debug, Clone, PartialEq)]
pub struct DocPlan {
    /// Its path in the imported folder.
    pub from: String,
    /// Its path in the handbook.
    pub dest: String,
    /// Its kind.
    pub kind: Kind,
    /// How the kind was told.
    pub because: String,
    /// Its id.
    pub id: String,
    /// Where its title came from (`title`, the first heading, the file name).
    pub title_from: &'static str,
    /// The old frontmatter's format.
    pub format: Option<Format>,
    /// What became of each old key.
    pub notes: Vec<KeyNote>,
    /// Its old address (site-relative), and the others that led to it.
    pub old: OldAddress,
    /// Its address in the handbook (site-relative).
    pub new: String,
    /// Old addresses that now redirect to it (`aliases:`), with where each came from.
    pub aliases: Vec<(String, String)>,
    /// Level-2 section titles.
    pub sections: Vec<String>,
    /// Whether it is its folder's index page.
    pub index: bool,
    /// How many relative links were rewritten to follow the moves.
    pub links_rewritten: usize,
    /// The frontmatter fields (without `id` and `aliases`, which come last).
    pub fields: Vec<(String, Val)>,
    /// The markdown body, as written.
    pub body: String,
    /// The file's text.
    pub text: String,
}

/// A file copied as it is.
#[derive(Debug, Clone, PartialEq)]
pub struct CopyPlan {
    /// Its path in the imported folder.
    pub from: String,
    /// Its path in the handbook.
    pub dest: String,
    /// The bytes.
    pub bytes: Vec<u8>,
    /// What it is, when not an ordinary file (`alert rules`).
    pub note: Option<&'static str>,
}

/// Something that could not be imported as intended.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// The file (in the imported folder).
    pub file: String,
    /// What is wrong and what became of the file.
    pub message: String,
}

/// The permalink chosen for a kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permalink {
    /// The kind.
    pub kind: Kind,
    /// The pattern; `None` when the default reproduces as many addresses.
    pub pattern: Option<String>,
    /// How many of the kind's documents keep their address by it.
    pub kept: usize,
    /// How many documents voted.
    pub of: usize,
}

/// Where the old `runbook_url`s lead after the import.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UrlCheck {
    /// Every `runbook_url`.
    pub urls: Vec<RunbookUrl>,
    /// The base URL they were read against.
    pub base: Option<String>,
    /// For each URL: the document (index into the plan's docs) it reached before.
    pub before: Vec<Option<usize>>,
    /// For each URL: the document it reaches after the import.
    pub after: Vec<Option<usize>>,
}

impl UrlCheck {
    /// How many URLs reached a document before the import.
    pub fn reached_before(&self) -> usize {
        self.before.iter().flatten().count()
    }

    /// How many URLs reach the same document after it as before.
    pub fn kept(&self) -> usize {
        self.before
            .iter()
            .zip(&self.after)
            .filter(|(b, a)| b.is_some() && b == a)
            .count()
    }
}

/// The whole import, planned.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The old site.
    pub site: Site,
    /// Documents, in source order.
    pub docs: Vec<DocPlan>,
    /// Files copied as they are.
    pub copies: Vec<CopyPlan>,
    /// Top-level files and folders left in the imported folder, with their file counts.
    pub left: Vec<(String, usize)>,
    /// Problems, by file.
    pub problems: Vec<Problem>,
    /// The permalink of each kind that has documents.
    pub permalinks: Vec<Permalink>,
    /// The runbook template found, if handbook.yaml sets one.
    pub runbook_sections: Option<Template>,
    /// The postmortem template found, if handbook.yaml sets one.
    pub postmortem_sections: Option<Template>,
    /// The rule files, as the handbook names them.
    pub alert_rules: Vec<String>,
    /// Where the old `runbook_url`s lead.
    pub url_check: UrlCheck,
    /// The text of handbook.yaml.
    pub handbook_yaml: String,
}

/// The top-level file or folder (`layouts/`) that `rel` is or lies in.
fn top_entry(rel: &str) -> String {
    match rel.split_once('/') {
        Some((folder, _)) => format!("{folder}/"),
        None => rel.to_string(),
    }
}

/// Plans the import of `src`; `skip` names a folder below it to leave out (the
/// destination, when it lies inside).
pub fn plan(src: &Path, skip: Option<&str>) -> Plan {
    let site = Site::detect(src);
    let skips: Vec<String> = skip.map(str::to_string).into_iter().collect();
    let files = source::walk(src, &skips);
    let mut problems: Vec<Problem> = site
        .problems
        .iter()
        .map(|m| Problem {
            file: site.config_file.clone().unwrap_or_default(),
            message: m.clone(),
        })
        .collect();
    let content = |rel: &str| -> Option<String> {
        let top = rel.split('/').next().unwrap_or(rel);
        if site.content_dir.is_empty() {
            (!site.generator_files.iter().any(|g| g == top)).then(|| rel.to_string())
        } else {
            rel.strip_prefix(&format!("{}/", site.content_dir))
                .map(str::to_string)
        }
    };
    let mut docs = Vec::new();
    let mut copies = Vec::new();
    let mut left: BTreeMap<String, usize> = BTreeMap::new();
    let mut urls = Vec::new();
    let mut alert_rules = Vec::new();
    for SourceFile { rel, content: body } in files {
        let crel = content(&rel);
        if let Content::Other(bytes) = &body {
            let lower = rel.to_ascii_lowercase();
            let yaml = lower.ends_with(".yml") || lower.ends_with(".yaml");
            let rule_urls = yaml
                .then(|| std::str::from_utf8(bytes).ok())
                .flatten()
                .and_then(|text| rules::rule_file(&rel, text));
            if rule_urls.is_none() && crel.is_none() {
                *left.entry(top_entry(&rel)).or_default() += 1;
                continue;
            }
            let dest = crel.as_deref().map_or(rel.clone(), kind::dest_of_file);
            let note = rule_urls.is_some().then_some("alert rules");
            if let Some(u) = rule_urls {
                urls.extend(u);
                alert_rules.push(dest.clone());
            }
            copies.push(CopyPlan {
                from: rel,
                dest,
                bytes: bytes.clone(),
                note,
            });
            continue;
        }
        let Some(crel) = crel else {
            *left.entry(top_entry(&rel)).or_default() += 1;
            continue;
        };
        match body {
            Content::Markdown(text) => docs.push(read_doc(&site, rel, &crel, &text, &mut problems)),
            Content::NotUtf8 { bytes, line } => {
                let dest = kind::dest_of_file(&crel);
                problems.push(Problem {
                    file: rel.clone(),
                    message: format!(
                        "not UTF-8 text (line {line}): copied as it is to {dest}; convert it (e.g. `iconv -f latin1 -t utf-8`) and import it again"
                    ),
                });
                copies.push(CopyPlan {
                    from: rel,
                    dest,
                    bytes,
                    note: None,
                });
            }
            Content::Binary(bytes) => {
                let dest = kind::dest_of_file(&crel);
                problems.push(Problem {
                    file: rel.clone(),
                    message: format!("binary data, not markdown: copied as it is to {dest}"),
                });
                copies.push(CopyPlan {
                    from: rel,
                    dest,
                    bytes,
                    note: None,
                });
            }
            Content::Unreadable(why) => problems.push(Problem {
                file: rel,
                message: format!("cannot be read ({why}): not imported"),
            }),
            Content::Other(_) => {}
        }
    }
    resolve_ids_and_paths(&mut docs, &mut copies, &mut problems);
    follow_moves(&site, &mut docs);
    let lowercase = matches!(site.generator, Generator::Hugo { lower: true, .. });
    let permalinks = if site.generator == Generator::Plain {
        Vec::new()
    } else {
        crate::permalinks::choose_permalinks(&site, &mut docs, lowercase, &mut problems)
    };
    let config = Config::default();
    let of_kind = |k: Kind| -> Vec<Vec<String>> {
        docs.iter()
            .filter(|d| d.kind == k)
            .map(|d| d.sections.clone())
            .collect()
    };
    let runbook_sections = sections::infer(&of_kind(Kind::Runbook), &config.runbook_sections);
    let postmortem_sections =
        sections::infer(&of_kind(Kind::Postmortem), &config.postmortem_sections);
    let url_check = crate::permalinks::check_urls(&site, &docs, urls);
    list_alerts(&mut docs, &url_check);
    for doc in &mut docs {
        doc.text = document_text(doc);
    }
    let mut plan = Plan {
        site,
        docs,
        copies,
        left: left.into_iter().collect(),
        problems,
        permalinks,
        runbook_sections,
        postmortem_sections,
        alert_rules,
        url_check,
        handbook_yaml: String::new(),
    };
    plan.handbook_yaml = handbook_yaml(&plan);
    plan.problems.sort();
    plan
}

fn read_doc(
    site: &Site,
    rel: String,
    crel: &str,
    text: &str,
    problems: &mut Vec<Problem>,
) -> DocPlan {
    let (format, keys, body) = match frontmatter::cut(text) {
        Ok(cut) => (cut.format, cut.keys, cut.body.to_string()),
        Err((e, body)) => {
            problems.push(Problem {
                file: rel.clone(),
                message: format!("{e}: its frontmatter is kept as text under extra.frontmatter"),
            });
            let keys = vec![("frontmatter".to_string(), Val::Str(e.text.clone()))];
            (None, keys, body.to_string())
        }
    };
    let outline = opsbook_core::markdown::outline(&body, 0);
    let sections: Vec<String> = outline.sections.iter().map(|s| s.title.clone()).collect();
    let index = address::is_index(site, crel);
    let declared = keys
        .iter()
        .find(|(k, _)| k == "kind")
        .and_then(|(_, v)| v.as_text())
        .and_then(|k| Kind::from_name(&k));
    let placement = kind::place(crel, declared, &sections, index);
    let file = crel.rsplit('/').next().unwrap_or(crel);
    let stem = address::stem(file).to_string();
    let (title, title_from) = match keys
        .iter()
        .find(|(k, _)| k == "title")
        .and_then(|(_, v)| v.as_text())
    {
        Some(t) if !t.trim().is_empty() => (t, "title"),
        _ => match outline.headings.iter().find(|h| h.level == 1) {
            Some(h) => (h.text.clone(), "the first heading"),
            None => (stem.clone(), "the file name"),
        },
    };
    let mut old = address::old_address(site, crel, &keys);
    if site.generator == Generator::Plain {
        old.served = rel.clone();
    }
    let declared_id = keys
        .iter()
        .find(|(k, _)| k == "id")
        .and_then(|(_, v)| v.as_text())
        .filter(|t| !t.trim().is_empty());
    let mapped = keys::map(placement.kind, &keys, &title, title_from);
    let id = declared_id.unwrap_or_else(|| {
        address::stem(placement.dest.rsplit('/').next().unwrap_or_default()).to_string()
    });
    DocPlan {
        from: rel,
        dest: placement.dest,
        kind: placement.kind,
        because: placement.because,
        id,
        title_from,
        format,
        notes: mapped.notes,
        old,
        new: String::new(),
        aliases: Vec::new(),
        sections,
        index,
        links_rewritten: 0,
        fields: mapped.fields,
        body,
        text: String::new(),
    }
}

/// Two documents of a kind with one id, or two files on one path: the later ones get
/// a longer id (their folder's name first) or a numbered path, and a report line.
fn resolve_ids_and_paths(
    docs: &mut [DocPlan],
    copies: &mut [CopyPlan],
    problems: &mut Vec<Problem>,
) {
    let mut taken: HashMap<String, String> = HashMap::new();
    let numbered = |dest: &str, taken: &HashMap<String, String>| -> String {
        let (stem, ext) = dest.rsplit_once('.').unwrap_or((dest, ""));
        (2..)
            .map(|n| format!("{stem}-{n}.{ext}"))
            .find(|d| !taken.contains_key(d))
            .unwrap_or_default()
    };
    for doc in docs.iter_mut() {
        if let Some(first) = taken.get(&doc.dest).cloned() {
            let dest = numbered(&doc.dest, &taken);
            problems.push(Problem {
                file: doc.from.clone(),
                message: format!(
                    "lands on {} like {first}: written to {dest} instead",
                    doc.dest
                ),
            });
            doc.dest = dest;
        }
        taken.insert(doc.dest.clone(), doc.from.clone());
    }
    for copy in copies.iter_mut() {
        if let Some(first) = taken.get(&copy.dest).cloned() {
            let dest = numbered(&copy.dest, &taken);
            problems.push(Problem {
                file: copy.from.clone(),
                message: format!(
                    "lands on {} like {first}: copied to {dest} instead",
                    copy.dest
                ),
            });
            copy.dest = dest;
        }
        taken.insert(copy.dest.clone(), copy.from.clone());
    }
    let mut ids: HashMap<(Kind, String), String> = HashMap::new();
    for doc in docs.iter_mut() {
        if let Some(first) = ids.get(&(doc.kind, doc.id.clone())) {
            let folder = doc.dest.rsplit('/').nth(1).unwrap_or("doc").to_lowercase();
            let mut id = format!("{folder}-{}", doc.id);
            let mut n = 2;
            while ids.contains_key(&(doc.kind, id.clone())) {
                id = format!("{folder}-{}-{n}", doc.id);
                n += 1;
            }
            problems.push(Problem {
                file: doc.from.clone(),
                message: format!(
                    "duplicate {} id `{}` (also {first}): given `id: {id}`",
                    doc.kind, doc.id
                ),
            });
            doc.id = id;
        }
        ids.insert((doc.kind, doc.id.clone()), doc.from.clone());
    }
}

/// Rewrites the relative links of every document so that they lead where they led
/// before the documents and files moved.
fn follow_moves(site: &Site, docs: &mut [DocPlan]) {
    let prefix = if site.content_dir.is_empty() {
        String::new()
    } else {
        format!("{}/", site.content_dir)
    };
    let crel = |from: &str| from.strip_prefix(&prefix).unwrap_or(from).to_string();
    let moves: HashMap<String, String> = docs
        .iter()
        .map(|d| (crel(&d.from), d.dest.clone()))
        .collect();
    let moved = |old: &str| match moves.get(old) {
        Some(dest) => dest.clone(),
        None => kind::dest_of_file(old),
    };
    for doc in docs.iter_mut() {
        let (body, n) = crate::links::rewrite(&doc.body, &crel(&doc.from), &doc.dest, &moved);
        doc.body = body;
        doc.links_rewritten = n;
    }
}

/// Each runbook that an alert's `runbook_url` reaches (after the import) lists that
/// alert in `alerts:`, unless it names it already (in `alerts:` or as a heading): the
/// old site linked them by URL alone, and opsbook checks both ways (OB408).
fn list_alerts(docs: &mut [DocPlan], urls: &UrlCheck) {
    for (url, reached) in urls.urls.iter().zip(&urls.after) {
        let Some(doc) = reached.and_then(|i| docs.get_mut(i)) else {
            continue;
        };
        let named = |doc: &DocPlan| {
            doc.body.lines().any(|l| {
                l.starts_with("###")
                    && l.trim_start_matches('#').split_whitespace().next()
                        == Some(url.alert.as_str())
            })
        };
        if doc.kind != Kind::Runbook || named(doc) {
            continue;
        }
        let alert = Val::Str(url.alert.clone());
        match doc.fields.iter_mut().find(|(k, _)| k == "alerts") {
            Some((_, Val::List(list))) if list.contains(&alert) => continue,
            Some((_, Val::List(list))) => list.push(alert),
            Some(_) => continue,
            None => {
                let at = doc
                    .fields
                    .iter()
                    .position(|(k, _)| k == "extra")
                    .unwrap_or(doc.fields.len());
                doc.fields
                    .insert(at, ("alerts".to_string(), Val::List(vec![alert])));
            }
        }
        doc.notes.push(KeyNote {
            key: "alerts".to_string(),
            value: url.alert.clone(),
            became: format!("alerts (its runbook_url in {} leads here)", url.file),
            problem: None,
        });
    }
}

fn document_text(doc: &DocPlan) -> String {
    let stem = address::stem(doc.dest.rsplit('/').next().unwrap_or_default());
    let mut fields = Vec::with_capacity(doc.fields.len() + 2);
    let mut extra = None;
    for (key, value) in &doc.fields {
        if key == "extra" {
            extra = Some((key.clone(), value.clone()));
            continue;
        }
        fields.push((key.clone(), value.clone()));
        if key == "title" && doc.id != stem {
            fields.push(("id".to_string(), Val::Str(doc.id.clone())));
        }
    }
    if !doc.aliases.is_empty() {
        let list = doc
            .aliases
            .iter()
            .map(|(a, _)| Val::Str(format!("/{a}")))
            .collect();
        fields.push(("aliases".to_string(), Val::List(list)));
    }
    fields.extend(extra);
    format!("---\n{}---\n{}", emit(&fields), doc.body)
}

fn handbook_yaml(plan: &Plan) -> String {
    let mut map: Vec<(String, Val)> = Vec::new();
    if let Some(title) = &plan.site.title {
        map.push(("title".into(), Val::Str(title.clone())));
    }
    if plan.site.generator != Generator::Plain {
        if let Some(base) = &plan.site.base_url {
            let base = format!("{}/", base.trim().trim_end_matches('/'));
            map.push(("base_url".into(), Val::Str(base)));
        }
    }
    let patterns: Vec<(String, Val)> = plan
        .permalinks
        .iter()
        .filter_map(|p| Some((p.kind.name().to_string(), Val::Str(p.pattern.clone()?))))
        .collect();
    if !patterns.is_empty() {
        map.push(("permalinks".into(), Val::Map(patterns)));
    }
    let list = |items: &[String]| Val::List(items.iter().cloned().map(Val::Str).collect());
    if let Some(t) = &plan.runbook_sections {
        map.push(("runbook_sections".into(), list(&t.sections)));
    }
    if let Some(t) = &plan.postmortem_sections {
        map.push(("postmortem_sections".into(), list(&t.sections)));
    }
    if !plan.alert_rules.is_empty() {
        map.push(("alert_rules".into(), list(&plan.alert_rules)));
    }
    emit(&map)
}
