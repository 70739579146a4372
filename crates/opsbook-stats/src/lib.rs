//! opsbook's statistics: incident time-points with their sources (frontmatter, else mined
//! git facts), the statistics engine (MTTD, MTTA, MTTM, MTTR, postmortem lead time and any
//! a handbook defines; MTBF per service, open incident age, action items), error budgets,
//! and the rules that read mined facts. Every figure lists the incidents it left out and
//! why, and says how many of its inputs came from git.
//!
//! The facts are plain data ([`Mined`]): opsbook-history produces them from a repository;
//! this crate links no git, so the site and anything else that wants the figures do not
//! either.
//!
//! ```
//! let (handbook, _) = opsbook_core::load("../../content-example", &Default::default()).unwrap();
//! // Without mined facts every time comes from the frontmatter.
//! let (incidents, _warnings) = opsbook_stats::incidents(&handbook, None);
//! let report = opsbook_stats::compute(&handbook, &incidents, &Default::default());
//! assert_eq!(report.incidents, incidents.len());
//! ```

mod budget;
pub mod checks;
mod csv;
pub mod facts;
mod metrics;
mod report;
mod service;
mod summary;
mod table;
pub mod timeline;
mod updates;

pub use budget::{BudgetIncident, BudgetReport};
pub use checks::{git_checks, history_notes, history_unreadable};
pub use facts::{CommitInfo, DocFacts, History, Mined, Note};
pub use metrics::{Figure, Group, Grouping, LeftOut, Measured, MetricReport, PointRef, formula};
pub use report::{
    HistoryInfo, JSON_VERSION, SourceCounts, StatsOptions, StatsReport, compute, note_text,
};
pub use service::{ActionItemsReport, MtbfReport, OpenIncident, OpenReport, OverdueItem};
pub use summary::{Summary, percentile};
pub use table::duration;
pub use timeline::{Incident, Point, Source, incidents};
pub use updates::{UpdateFigure, UpdateValue, UpdatesReport};
