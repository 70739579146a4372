//! opsbook's live incident record. While an incident is worked, its postmortem file is
//! the record: `opsbook incident declare` writes it from the postmortem template, `log`
//! adds timeline entries (the form of [`opsbook_core::timeline`]), `role` and `status`
//! set the roles and time-points, and `update` builds the stakeholder status update from
//! what was written.
//!
//! Every edit is surgical: the rest of the file stays byte for byte. Every
//! write is atomic and refused when the file changed since it was read
//! ([`Record::save`]); an edit the checks would reject is refused with their message
//! ([`ops::guard`]). `--commit` (the `git` feature) commits each edit.

mod edit;
mod error;
#[cfg(feature = "git")]
pub mod git;
pub mod lookup;
pub mod ops;
mod record;
pub mod update;

pub use error::IncidentError;
pub use record::{Record, create};
