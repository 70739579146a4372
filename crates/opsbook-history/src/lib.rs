//! opsbook's git mining: reads the history of a handbook folder for the times its
//! frontmatter does not state, and produces them as plain facts ([`opsbook_stats::Mined`]).
//! What the facts mean (time-points, statistics, the checks that read them) lives in
//! opsbook-stats, which links no git.
//!
//! ```no_run
//! use opsbook_history::{MineOptions, mine};
//! let (handbook, _) = opsbook_core::load("content-example", &Default::default()).unwrap();
//! let mined = mine(&handbook.root, &MineOptions::default()).unwrap();
//! let (incidents, warnings) = opsbook_stats::incidents(&handbook, mined.history.as_ref());
//! let report = opsbook_stats::compute(&handbook, &incidents, &Default::default());
//! println!("{} incidents, {} warnings", report.incidents, warnings.len());
//! ```

mod cache;
pub mod error;
mod mine;
mod probe;
mod rawtree;
mod repo;
mod treediff;
mod walk;

pub use error::HistoryError;
pub use mine::{MineOptions, Progress, head_commit, mine};
