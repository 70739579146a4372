//! Why a site could not be built.

use std::path::PathBuf;

/// An error of the site build. The previous output is left as it was.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    /// A template does not compile (tera's whole cause chain is in the message).
    #[error("template error: {0}")]
    Template(String),
    /// A page could not be rendered.
    #[error("cannot render {page} with template `{template}`: {message}")]
    Render {
        /// The output page.
        page: String,
        /// The template.
        template: String,
        /// tera's cause chain.
        message: String,
    },
    /// Reading or writing a file failed.
    #[error("{action} `{path}`: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The output folder is not one opsbook may write.
    #[error("{0}")]
    Output(String),
}

impl SiteError {
    /// An I/O error with its path.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        SiteError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

/// tera's error and every cause below it, joined: tera keeps the real reason a level down.
pub fn chain(error: &tera::Error) -> String {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}
