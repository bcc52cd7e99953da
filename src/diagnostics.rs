//! Problems found in one content file: the file is repaired or skipped, the
//! rest of the build goes on, and the user sees a message naming the file.

use std::fmt;
use std::path::{Path, PathBuf};

/// How a problem was handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum Severity {
    /// The file was used after a repair (a guessed date, a re-decoded text...).
    Warning,
    /// The file could not be used and was skipped.
    Error,
}

/// A problem with one input file, with the line where there is one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    /// How it was handled.
    pub severity: Severity,
    /// The file, relative to the site root where possible.
    pub path: PathBuf,
    /// 1-based line number, when the problem has one.
    pub line: Option<usize>,
    /// What is wrong and what gazette did about it.
    pub message: String,
}

impl Diagnostic {
    /// A problem that was repaired.
    pub fn warning(path: &Path, line: Option<usize>, message: impl Into<String>) -> Self {
        Self { severity: Severity::Warning, path: path.to_path_buf(), line, message: message.into() }
    }

    /// A problem that made gazette skip the file.
    pub fn error(path: &Path, line: Option<usize>, message: impl Into<String>) -> Self {
        Self { severity: Severity::Error, path: path.to_path_buf(), line, message: message.into() }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{label}: {}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Sorts diagnostics by file, line and message so output is the same on every run.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| (&a.path, a.line, &a.message).cmp(&(&b.path, b.line, &b.message)));
}
