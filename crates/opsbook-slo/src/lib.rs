//! opsbook's SLO tooling: the SLIs of the SLA documents checked as PromQL (OB411),
//! multi-window, multi-burn-rate alerting rules generated from them, and OpenSLO v1
//! export and import ([`openslo`]).
//!
//! PromQL is parsed with the promql-parser crate, only in [`promql`]. It lives here and
//! not in opsbook-core because its grammar toolchain (grmtools: cfgrammar, lrpar, lrlex
//! and a build-time parser generator) would double what a CI job that only validates
//! compiles; the binary runs [`check`] next to opsbook-core's checks. The checks that
//! need no parser (OB410, OB412) are in opsbook-core.
//!
//! ```no_run
//! let (handbook, _) = opsbook_core::load("content-example", &Default::default()).unwrap();
//! let rules = opsbook_slo::generate(&handbook);
//! print!("{}", opsbook_slo::render(&rules, opsbook_slo::RuleFormat::Plain));
//! ```

pub mod burn;
mod check;
pub mod generate;
pub mod openslo;
pub mod promql;
mod render;
mod yaml_out;

pub use check::check;
pub use generate::{RuleSet, generate};
pub use render::{RuleFormat, render};
