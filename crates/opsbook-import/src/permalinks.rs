//! The new address of every document: the `permalinks:` pattern per kind, the aliases
//! that keep the other old addresses, addresses two documents would share, and where the
//! old `runbook_url`s lead before and after.

use crate::address;
use crate::plan::{DocPlan, Permalink, Problem, UrlCheck};
use crate::rules::{self, RunbookUrl};
use crate::site::{Generator, Site};
use crate::urls::{self, Voter};
use opsbook_core::model::Kind;
use std::collections::HashMap;

/// Addresses opsbook's site writes itself: an alias there would collide.
pub(crate) fn reserved(address: &str) -> bool {
    let key = rules::key(address);
    key.is_empty()
        || ["stats.html", "search.html", "404.html", "alerts.html"].contains(&key.as_str())
        || Kind::ALL.iter().any(|k| k.folder() == key)
}

/// `{path}` of a document: below its kind's folder (pages: below the root), no extension.
pub(crate) fn path_in_kind(doc: &DocPlan) -> String {
    let below = match doc.kind {
        Kind::Page => doc.dest.as_str(),
        k => doc
            .dest
            .strip_prefix(&format!("{}/", k.folder()))
            .unwrap_or(&doc.dest),
    };
    address::stem(below).to_string()
}

pub(crate) fn choose_permalinks(
    site: &Site,
    docs: &mut [DocPlan],
    lowercase: bool,
    problems: &mut Vec<Problem>,
) -> Vec<Permalink> {
    let mut chosen = Vec::new();
    for kind in Kind::ALL {
        let paths: Vec<String> = docs.iter().map(path_in_kind).collect();
        let voters: Vec<Voter> = docs
            .iter()
            .zip(&paths)
            .filter(|(d, _)| d.kind == kind && !d.index && d.old.set_by.is_none())
            .map(|(d, p)| Voter {
                id: &d.id,
                path: p,
                dest: &d.dest,
                old: &d.old.served,
            })
            .collect();
        if !docs.iter().any(|d| d.kind == kind) {
            continue;
        }
        let (pattern, kept) = urls::choose(&voters, lowercase);
        chosen.push(Permalink {
            kind,
            pattern,
            kept,
            of: voters.len(),
        });
    }
    let redirects = match &site.generator {
        Generator::MkDocs {
            redirects,
            directory_urls,
        } => redirects
            .iter()
            .map(|(from, to)| {
                (
                    address::mkdocs_address(from, *directory_urls),
                    from.clone(),
                    to.clone(),
                )
            })
            .collect(),
        _ => Vec::new(),
    };
    let crel_of = |doc: &DocPlan| {
        doc.from
            .strip_prefix(&format!("{}/", site.content_dir))
            .unwrap_or(&doc.from)
            .to_string()
    };
    for (address, from, to) in &redirects {
        if !docs.iter().any(|d| crel_of(d) == *to) {
            problems.push(Problem {
                file: site.config_file.clone().unwrap_or_default(),
                message: format!("redirect_maps: `{from}` → `{to}` leads to no imported page: not kept (/{address})"),
            });
        }
    }
    for doc in docs.iter_mut() {
        let pattern = chosen
            .iter()
            .find(|p| p.kind == doc.kind)
            .and_then(|p| p.pattern.clone());
        let path = path_in_kind(doc);
        doc.new = urls::address(
            pattern.as_deref(),
            &Voter {
                id: &doc.id,
                path: &path,
                dest: &doc.dest,
                old: "",
            },
        );
        let mut wanted: Vec<(String, String)> = Vec::new();
        let served_from = match doc.old.set_by {
            Some(key) => format!("its old address, set by `{key}`"),
            None => "its old address".to_string(),
        };
        wanted.push((doc.old.served.clone(), served_from));
        for (a, key) in &doc.old.redirects {
            wanted.push((a.clone(), format!("`{key}`")));
        }
        let crel = crel_of(doc);
        for (a, from, to) in &redirects {
            if *to == crel {
                wanted.push((a.clone(), format!("redirect_maps `{from}`")));
            }
        }
        for (address, from) in wanted {
            if urls::same(&address, &doc.new)
                || doc.aliases.iter().any(|(a, _)| urls::same(a, &address))
            {
                continue;
            }
            if reserved(&address) {
                continue;
            }
            doc.aliases.push((address, from));
        }
    }
    report_collisions(docs, problems);
    chosen
}

/// Two documents, or a document and an alias, on one address (opsbook check reports
/// it as OB207 too): said here with both files, before anything is written.
pub(crate) fn report_collisions(docs: &[DocPlan], problems: &mut Vec<Problem>) {
    let mut at: HashMap<String, &str> = HashMap::new();
    for doc in docs {
        let own = std::iter::once(doc.new.as_str());
        for address in own.chain(doc.aliases.iter().map(|(a, _)| a.as_str())) {
            match at.get(&rules::key(address)) {
                Some(first) if *first != doc.from => problems.push(Problem {
                    file: doc.from.clone(),
                    message: format!(
                        "/{address} is also the address of {first}: one of them must move (set `id:` or edit `aliases:`)"
                    ),
                }),
                _ => {
                    at.insert(rules::key(address), &doc.from);
                }
            }
        }
    }
}

pub(crate) fn check_urls(site: &Site, docs: &[DocPlan], urls: Vec<RunbookUrl>) -> UrlCheck {
    let mut before: HashMap<String, usize> = HashMap::new();
    let mut after: HashMap<String, usize> = HashMap::new();
    for (i, doc) in docs.iter().enumerate() {
        before.insert(rules::key(&doc.old.served), i);
        for (a, _) in &doc.old.redirects {
            before.insert(rules::key(a), i);
        }
        if site.generator == Generator::Plain {
            after.insert(rules::key(&doc.dest), i);
        } else {
            after.insert(rules::key(&doc.new), i);
            for (a, _) in &doc.aliases {
                after.insert(rules::key(a), i);
            }
        }
    }
    if let Generator::MkDocs {
        redirects,
        directory_urls,
    } = &site.generator
    {
        for (from, to) in redirects {
            let target = docs
                .iter()
                .position(|d| d.from == format!("{}/{to}", site.content_dir));
            if let Some(i) = target {
                before.insert(
                    rules::key(&address::mkdocs_address(from, *directory_urls)),
                    i,
                );
            }
        }
    }
    let base = match site.generator {
        Generator::Plain => {
            let paths: Vec<&str> = docs.iter().map(|d| d.from.as_str()).collect();
            rules::infer_base(&urls, &paths)
        }
        _ => site.base_url.clone(),
    };
    let reach = |map: &HashMap<String, usize>| -> Vec<Option<usize>> {
        urls.iter()
            .map(|u| rules::reach(&u.url, base.as_deref(), map))
            .collect()
    };
    UrlCheck {
        before: reach(&before),
        after: reach(&after),
        urls,
        base,
    }
}
