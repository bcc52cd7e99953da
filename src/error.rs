//! Site-wide errors: these fail the build (exit code 1), unlike the
//! per-file [`Diagnostic`](crate::Diagnostic)s that skip or repair one article.

use std::path::PathBuf;

/// Why a build (or `init`) failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read or written.
    #[error("{action} {}: {source}", path.display())]
    Io {
        /// What gazette was doing ("cannot read", "cannot create" ...).
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// site.toml is missing or invalid.
    #[error("{}: {message}", path.display())]
    Config {
        /// The configuration file.
        path: PathBuf,
        /// What is wrong, with the line where there is one.
        message: String,
    },
    /// A template does not parse or does not render.
    #[error("template {name}: {message}")]
    Template {
        /// Template name (`article.html`) or file.
        name: String,
        /// Tera's explanation.
        message: String,
    },
    /// The output folder is one gazette must not replace.
    #[error("refusing to write to {}: {reason}", path.display())]
    UnsafeOutput {
        /// The requested output folder.
        path: PathBuf,
        /// Why it is refused.
        reason: String,
    },
    /// The built-in entity model cannot be read.
    #[error("entity model: {0}")]
    Model(String),
    /// `--strict` was given and content problems were found.
    #[error("{} problem(s) found in content and --strict is set; output left untouched", diagnostics.len())]
    Strict {
        /// The problems.
        diagnostics: Vec<crate::diagnostics::Diagnostic>,
    },
}

impl Error {
    /// Wraps an I/O error with what was being done and to which path.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { action, path: path.into(), source }
    }
}

/// Result type of site-wide operations.
pub type Result<T, E = Error> = std::result::Result<T, E>;
