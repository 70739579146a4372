//! opsbook's core: the document model, the handbook loader, the checks and their
//! diagnostics, and the diagnostic printers. No git, no templates: a CI job that only
//! validates a handbook compiles just this crate and the binary.
//!
//! ```no_run
//! use opsbook_core::{CheckOptions, check, finish, load};
//! let (handbook, mut diagnostics) = load("content-example", &Default::default()).unwrap();
//! diagnostics.extend(check(&handbook, &CheckOptions::default()));
//! let diagnostics = finish(&handbook.config, diagnostics);
//! println!("{} findings", diagnostics.len());
//! ```

pub mod alerts;
pub mod checks;
pub mod config;
pub mod diagnostic;
pub mod document;
pub mod frontmatter;
pub mod handbook;
pub mod load;
pub mod markdown;
pub mod model;
pub mod permalink;
pub mod render;
pub mod rules;
pub mod schema;
pub mod span;
pub mod suggest;
pub mod timeline;
pub mod yaml;

pub use checks::{CheckOptions, check, finish};
pub use config::Config;
pub use diagnostic::{Diagnostic, Level, Summary};
pub use handbook::Handbook;
pub use load::{LoadOptions, load};
pub use rules::Rule;
