//! The report printed at the end of an import: files, what each key became, what could
//! not be mapped and why, the URLs kept, and the check findings that remain.

use crate::Import;
use crate::plan::{DocPlan, Plan};
use crate::site::Generator;
use crate::write::Outcome;
use opsbook_core::Level;
use std::fmt::Write;

/// The report of `import`, as printed (paths with `/`).
pub fn render(import: &Import) -> String {
    let plan = &import.plan;
    let mut out = String::new();
    let into = import.into.display().to_string().replace('\\', "/");
    let from = match &plan.site.config_file {
        Some(file) => format!("{} site ({file})", plan.site.name()),
        None => "plain markdown (no site generator configuration)".to_string(),
    };
    let content = if plan.site.content_dir.is_empty() {
        String::new()
    } else {
        format!(", pages from {}/", plan.site.content_dir)
    };
    let _ = writeln!(out, "Imported {from}{content} into {into}/");
    if let Some(base) = &plan.site.base_url {
        let _ = writeln!(out, "Old site: {base}");
    }
    let _ = writeln!(out, "\nDocuments ({}):", plan.docs.len());
    for doc in &plan.docs {
        document(&mut out, plan, doc);
    }
    if !plan.copies.is_empty() {
        let _ = writeln!(out, "\nFiles copied as they are ({}):", plan.copies.len());
        for c in &plan.copies {
            let note = c.note.map(|n| format!(" ({n})")).unwrap_or_default();
            let _ = writeln!(out, "  {} → {}{note}", c.from, c.dest);
        }
    }
    if !plan.left.is_empty() {
        let items: Vec<String> = plan
            .left
            .iter()
            .map(|(name, n)| match n {
                1 if name.ends_with('/') => format!("{name} (1 file)"),
                1 => name.clone(),
                n => format!("{name} ({n} files)"),
            })
            .collect();
        let _ = writeln!(
            out,
            "\nLeft in the imported folder (the generator's own files, not content): {}",
            items.join(", ")
        );
    }
    urls(&mut out, plan);
    settings(&mut out, plan);
    let unmapped: Vec<String> = plan
        .docs
        .iter()
        .flat_map(|d| {
            d.notes.iter().filter_map(move |n| {
                let problem = n.problem.as_ref()?;
                Some(format!(
                    "  {}: `{}: {}`: {problem}; kept as {}",
                    d.from, n.key, n.value, n.became
                ))
            })
        })
        .collect();
    if !unmapped.is_empty() {
        let _ = writeln!(out, "\nCould not map ({}):", unmapped.len());
        for line in unmapped {
            let _ = writeln!(out, "{line}");
        }
    }
    if !plan.problems.is_empty() {
        let _ = writeln!(out, "\nProblems ({}):", plan.problems.len());
        for p in &plan.problems {
            let _ = writeln!(out, "  {}: {}", p.file, p.message);
        }
    }
    outcome(&mut out, import, &into);
    findings(&mut out, import);
    out
}

fn document(out: &mut String, plan: &Plan, doc: &DocPlan) {
    let _ = writeln!(out, "  {} → {}", doc.from, doc.dest);
    let format = doc.format.map_or("no frontmatter".to_string(), |f| {
        format!("{} frontmatter", f.name())
    });
    let _ = writeln!(
        out,
        "    {} ({}), id {}, title from {}, {format}",
        doc.kind, doc.because, doc.id, doc.title_from
    );
    for n in &doc.notes {
        let _ = writeln!(out, "    {}: {} → {}", n.key, n.value, n.became);
    }
    if doc.links_rewritten > 0 {
        let n = doc.links_rewritten;
        let links = if n == 1 { "link" } else { "links" };
        let _ = writeln!(out, "    {n} relative {links} rewritten to follow the move");
    }
    if plan.site.generator == Generator::Plain {
        if doc.dest != doc.from {
            let _ = writeln!(out, "    moved: links to {} must follow", doc.from);
        }
        return;
    }
    let kept = crate::urls::same(&doc.new, &doc.old.served);
    let _ = writeln!(
        out,
        "    address {}{}",
        show(&doc.new),
        if kept { " (as before)" } else { "" }
    );
    for (alias, from) in &doc.aliases {
        let _ = writeln!(out, "    alias /{alias} ({from})");
    }
    let aliased = doc
        .aliases
        .iter()
        .any(|(a, _)| crate::urls::same(a, &doc.old.served));
    if !kept && !aliased {
        let _ = writeln!(
            out,
            "    old address {} is a page opsbook makes itself now (the home page or a list)",
            show(&doc.old.served)
        );
    }
}

fn show(address: &str) -> String {
    format!("/{address}")
}

fn urls(out: &mut String, plan: &Plan) {
    let _ = writeln!(out, "\nURLs:");
    if plan.site.generator == Generator::Plain {
        let _ = writeln!(
            out,
            "  the pages were read in the repository: documents keep their paths, so links to the files still work"
        );
    }
    for p in plan.permalinks.iter().filter(|p| p.of > 0) {
        let pattern = match &p.pattern {
            Some(pattern) => format!("\"{pattern}\""),
            None => "the default (path.html)".to_string(),
        };
        let _ = writeln!(
            out,
            "  {}: {pattern} gives {} of {} their old address",
            p.kind, p.kept, p.of
        );
    }
    let aliases: usize = plan.docs.iter().map(|d| d.aliases.len()).sum();
    if aliases > 0 {
        let _ = writeln!(
            out,
            "  aliases: {aliases} old addresses redirect to their documents"
        );
    }
    let check = &plan.url_check;
    if check.urls.is_empty() {
        let _ = writeln!(out, "  runbook_url: no alert rule files found");
        return;
    }
    let files: Vec<&str> = plan.alert_rules.iter().map(String::as_str).collect();
    let before = check.reached_before();
    let kept = check.kept();
    let share = (kept * 100).checked_div(before).unwrap_or(0);
    let _ = writeln!(
        out,
        "  runbook_url: {} in {}; {before} reached a document before the import, {kept} of them reach the same document now ({share}%)",
        check.urls.len(),
        files.join(", ")
    );
    for (i, u) in check.urls.iter().enumerate() {
        match (check.before[i], check.after[i]) {
            (None, _) => {
                let _ = writeln!(
                    out,
                    "    already broken before the import: {} {}",
                    u.alert, u.url
                );
            }
            (Some(b), a) if Some(b) != a => {
                let _ = writeln!(
                    out,
                    "    lost: {} {} (reached {})",
                    u.alert, u.url, plan.docs[b].from
                );
            }
            _ => {}
        }
    }
}

fn settings(out: &mut String, plan: &Plan) {
    let _ = writeln!(out, "\nhandbook.yaml:");
    if plan.handbook_yaml.is_empty() {
        let _ = writeln!(out, "  (empty: opsbook's defaults fit)");
    }
    for (name, template) in [
        ("runbook_sections", &plan.runbook_sections),
        ("postmortem_sections", &plan.postmortem_sections),
    ] {
        let Some(t) = template else { continue };
        if t.sections.is_empty() {
            let _ = writeln!(
                out,
                "  {name}: [] (no section is shared by most documents: none is required; choose a template)"
            );
        } else {
            let _ = writeln!(
                out,
                "  {name}: the sections the files use ({} of {} have them all, in this order)",
                t.followed_by, t.of
            );
        }
    }
    for line in plan.handbook_yaml.lines() {
        let _ = writeln!(out, "  | {line}");
    }
}

fn outcome(out: &mut String, import: &Import, into: &str) {
    let count = |o: &Outcome| import.written.iter().filter(|(_, w)| w == o).count();
    let written = count(&Outcome::Written);
    let unchanged = count(&Outcome::Unchanged);
    let kept: Vec<&str> = import
        .written
        .iter()
        .filter(|(_, w)| *w == Outcome::Kept)
        .map(|(p, _)| p.as_str())
        .collect();
    let _ = writeln!(out);
    if import.dry_run {
        let _ = writeln!(
            out,
            "Dry run: {written} files would be written into {into}/; nothing was written."
        );
    } else if written == 0 && kept.is_empty() {
        let _ = writeln!(
            out,
            "Nothing written: all {unchanged} files are already in {into}/ as this import writes them."
        );
    } else {
        let _ = writeln!(
            out,
            "Wrote {written} files into {into}/ ({unchanged} already there as written)."
        );
    }
    if !kept.is_empty() {
        let _ = writeln!(
            out,
            "Not overwritten ({} files already there with other content): {}",
            kept.len(),
            kept.join(", ")
        );
    }
    for (path, o) in &import.written {
        if let Outcome::Failed(why) = o {
            let _ = writeln!(out, "Could not write {path}: {why}");
        }
    }
}

fn findings(out: &mut String, import: &Import) {
    let f = &import.findings;
    let total: usize = f.by_rule.iter().map(|(_, _, n)| n).sum();
    if total == 0 {
        let _ = writeln!(
            out,
            "\nopsbook check on the imported handbook ({} files): no problems found.",
            f.files
        );
        return;
    }
    let _ = writeln!(
        out,
        "\nopsbook check on the imported handbook ({} files): {total} findings to work through",
        f.files
    );
    for (rule, level, n) in &f.by_rule {
        let level = match level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        let plural = if *n == 1 { "" } else { "s" };
        let _ = writeln!(
            out,
            "  {} {:<24} {n} {level}{plural}: {}",
            rule.code(),
            rule.name(),
            rule.summary()
        );
    }
}
