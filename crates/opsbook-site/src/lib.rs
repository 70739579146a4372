//! opsbook's handbook site: renders a loaded [`opsbook_core::Handbook`] to static HTML that
//! works offline and straight from disk (`file://`): relative links, no CDN, the search
//! index as a script, charts as inline SVG.
//!
//! ```no_run
//! use opsbook_site::{BuildOptions, Theme, build, output::write_atomically};
//! let (handbook, _) = opsbook_core::load("content-example", &Default::default()).unwrap();
//! let theme = Theme::load(Some(&handbook.root.join("templates"))).unwrap();
//! let out = std::path::Path::new("site");
//! write_atomically(&handbook.root, out, |dir| {
//!     build(&handbook, &theme, &BuildOptions::default(), dir)
//! })
//! .unwrap();
//! ```
//!
//! Templates receive view structs ([`views`]) with display-ready strings and
//! page-relative URLs. Frontmatter values are escaped by tera; markdown with raw HTML is
//! sanitised with ammonia unless `raw_html: true`; `javascript:` links are removed.

pub mod charts;
pub mod error;
pub mod format;
pub mod highlight;
pub mod markdown;
pub mod output;
mod pages;
pub mod paths;
pub mod relations;
pub mod search;
mod site;
pub mod theme;
pub mod views;

pub use error::SiteError;
pub use site::{Body, BodyCache, BuildOptions, BuildReport, Prepared, build};
pub use theme::Theme;
