//! opsbook's history and statistics: mines the git history of a handbook folder for the
//! times its frontmatter does not state, and computes reliability figures (MTTR and
//! friends) that say where every input came from.
//!
//! ```no_run
//! use opsbook_history::{MineOptions, mine, stats};
//! let (handbook, _) = opsbook_core::load("content-example", &Default::default()).unwrap();
//! let mined = mine(&handbook.root, &MineOptions::default()).unwrap();
//! let (incidents, warnings) = opsbook_history::incidents(&handbook, mined.history.as_ref());
//! let report = stats::compute(&handbook, &incidents, &stats::StatsOptions::default());
//! println!("{} incidents, {} warnings", report.incidents, warnings.len());
//! ```

mod cache;
pub mod error;
pub mod facts;
mod mine;
mod probe;
mod rawtree;
mod repo;
pub mod stats;
pub mod timeline;
mod treediff;
mod walk;

pub use error::HistoryError;
pub use facts::{CommitInfo, DocFacts, History};
pub use mine::{MineOptions, Mined, Note, Progress, head_commit, mine};
pub use timeline::{Incident, Point, Source, incidents};
