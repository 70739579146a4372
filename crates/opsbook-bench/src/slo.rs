//! `--slo`: the cost of `opsbook slo rules` against `check` of the same handbook.
//!
//! A copy of the generated corpus gets `good` and `total` queries on every SLO of every
//! SLA (the generator writes none), so that every SLO gets its burn-rate rules. Timed:
//! `check` (load + checks + finish, as the `check` bench), the generation alone on the
//! loaded handbook (generate + write the rule file's text), and the whole command
//! (load + the SLA checks + generation).

use std::path::{Path, PathBuf};
use std::time::Duration;

/// Writes (once) the corpus `<base>-slo` and returns its folder.
fn corpus_with_queries(work: &Path, base: &Path) -> Result<PathBuf, String> {
    let name = format!(
        "{}-slo",
        base.file_name().unwrap_or_default().to_string_lossy()
    );
    let dir = work.join(name);
    let marker = dir.join(".queries-added");
    if marker.exists() {
        return Ok(dir);
    }
    crate::alerts::copy_tree(base, &dir)?;
    let slas = dir.join("slas");
    for entry in std::fs::read_dir(&slas).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
        let service = text
            .lines()
            .find_map(|l| l.strip_prefix("service: "))
            .unwrap_or("svc")
            .trim_matches('"')
            .to_string();
        let mut out = String::with_capacity(text.len() + 512);
        for line in text.lines() {
            out.push_str(line);
            out.push('\n');
            // An SLO's objective (a commitment's is `  - objective:`).
            if line.starts_with("    objective: ") {
                out.push_str(&format!(
                    "    good: 'sum(rate(http_requests_total{{job=\"{service}\", code!~\"5..\"}}[$window]))'\n    total: 'sum(rate(http_requests_total{{job=\"{service}\"}}[$window]))'\n"
                ));
            }
        }
        std::fs::write(&path, out).map_err(|e| e.to_string())?;
    }
    std::fs::write(&marker, "").map_err(|e| e.to_string())?;
    Ok(dir)
}

/// What `opsbook check` does, minus printing, with the SLO query checks.
fn check_once(dir: &Path) -> usize {
    let (handbook, mut diagnostics) =
        opsbook_core::load(dir, &Default::default()).expect("corpus loads");
    diagnostics.extend(opsbook_core::check(&handbook, &Default::default()));
    diagnostics.extend(opsbook_slo::check(&handbook));
    opsbook_core::finish(&handbook.config, diagnostics).len()
}

/// Runs the comparison for one corpus size and prints one line.
pub(crate) fn run(work: &Path, size: &str, base: &Path, runs: usize) -> Result<(), String> {
    let dir = corpus_with_queries(work, base)?;
    let (handbook, _) = opsbook_core::load(&dir, &Default::default()).map_err(|e| e.to_string())?;
    let (check, findings) = crate::median(runs, || check_once(&dir));
    let (generation, groups) = crate::median(runs, || {
        let set = opsbook_slo::generate(&handbook);
        let text = opsbook_slo::render(&set, opsbook_slo::RuleFormat::Plain);
        std::hint::black_box(text.len());
        set.groups.len()
    });
    // The command reads only slas/, services/ and runbooks/ (see `src/cmd/slo.rs`).
    let skip = ["postmortems", "teams", "escalation", "docs"]
        .iter()
        .filter_map(|f| dir.join(f).canonicalize().ok())
        .collect();
    let options = opsbook_core::LoadOptions { skip };
    let (command, _) = crate::median(runs, || {
        let (handbook, _) = opsbook_core::load(&dir, &options).expect("corpus loads");
        let mut found = Vec::new();
        for doc in handbook.of_kind(opsbook_core::model::Kind::Sla) {
            found.extend(opsbook_core::checks::check_sla(doc));
        }
        found.extend(opsbook_slo::check(&handbook));
        let set = opsbook_slo::generate(&handbook);
        opsbook_slo::render(&set, opsbook_slo::RuleFormat::Plain).len() + found.len()
    });
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    let slas = handbook.of_kind(opsbook_core::model::Kind::Sla).count();
    println!(
        "{size}: {slas} SLAs, {groups} SLO rule groups; check {} ({findings} findings); generation {} = {:.1} % of check; `slo rules` (load + SLA checks + generation) {} = {:.1} % of check",
        ms(check),
        ms(generation),
        100.0 * generation.as_secs_f64() / check.as_secs_f64(),
        ms(command),
        100.0 * command.as_secs_f64() / check.as_secs_f64(),
    );
    Ok(())
}
