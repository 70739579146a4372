//! Mining the git history of a handbook (the `git` feature): a progress bar on a
//! terminal for long walks, and what the reader must be told as OB310 diagnostics.

use opsbook_core::Diagnostic;
use opsbook_core::Handbook;
use opsbook_core::finish;
use opsbook_core::model::Kind;
use opsbook_history::{MineOptions, Progress, mine};
use opsbook_stats::{Mined, history_notes, history_unreadable};
use std::io::IsTerminal;

/// Walks shorter than this finish before a bar is worth drawing.
const BAR_FROM_COMMITS: u64 = 2000;

struct Bar(indicatif::ProgressBar);

impl Progress for Bar {
    fn start(&self, commits: u64) {
        if commits >= BAR_FROM_COMMITS {
            self.0.set_length(commits);
            self.0
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }
    fn advance(&self, commits: u64) {
        self.0.inc(commits);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

/// Mines the git history of `handbook`, and returns what the reader must be told (no
/// repository, a shallow clone, an unreadable repository) as OB310 diagnostics, at the
/// handbook's levels.
pub(super) fn mine_handbook(handbook: &Handbook, cache: bool) -> (Mined, Vec<Diagnostic>) {
    let bar = Bar(indicatif::ProgressBar::hidden());
    bar.0.set_style(
        indicatif::ProgressStyle::with_template(
            "mining history {bar:40} {pos}/{len} commits ({eta} left)",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let options = MineOptions {
        cache,
        progress: std::io::stderr()
            .is_terminal()
            .then_some(&bar as &dyn Progress),
        postmortem_paths: handbook
            .of_kind(Kind::Postmortem)
            .filter(|d| !d.path.starts_with("postmortems/"))
            .map(|d| d.path.clone())
            .collect(),
    };
    let mut notes = Vec::new();
    let mined = match mine(&handbook.root, &options) {
        Ok(mined) => mined,
        Err(e) => {
            notes.push(history_unreadable(&e));
            Mined::default()
        }
    };
    notes.extend(history_notes(&mined));
    let notes = finish(&handbook.config, notes);
    (mined, notes)
}

/// The commit HEAD points at, for `serve` to notice commits.
#[cfg(feature = "serve")]
pub(super) fn head_commit(dir: &std::path::Path) -> Option<String> {
    opsbook_history::head_commit(dir)
}
