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

/// What a problem is about, for code that must tell problems apart
/// without reading their words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DiagnosticKind {
    /// Something in the file itself, found when it is read on its own.
    #[default]
    InFile,
    /// The file's date and slug (its page's path) clash with another
    /// file's, or with the paths of the site's own pages: found only when
    /// the archive is put together, and gone when the other file goes.
    SlugClash,
    /// How many articles of the whole site have no date: one warning for
    /// all of them, redone whenever any article is read again.
    Undated,
}

/// A problem with one input file, with the line where there is one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    /// How it was handled.
    pub severity: Severity,
    /// What it is about.
    #[serde(default)]
    pub kind: DiagnosticKind,
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
        Self {
            severity: Severity::Warning,
            kind: DiagnosticKind::InFile,
            path: path.to_path_buf(),
            line,
            message: message.into(),
        }
    }

    /// A problem that made gazette skip the file.
    pub fn error(path: &Path, line: Option<usize>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            kind: DiagnosticKind::InFile,
            path: path.to_path_buf(),
            line,
            message: message.into(),
        }
    }

    /// The same problem, of another kind.
    pub fn with_kind(self, kind: DiagnosticKind) -> Self {
        Self { kind, ..self }
    }
}

impl Severity {
    /// How messages name it: `warning` or `error`.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.severity.label(), self.path.display())?;
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

/// How many files of one problem are named before the rest are counted.
pub const NAMED_PER_PROBLEM: usize = 3;

/// Diagnostics grouped for a person to read: problems of the same kind
/// (the same message but for numbers, dates and quoted text) are listed up
/// to `named` files each, then counted, so that 2,225 undated files print
/// four lines, not 2,225. `lines` keeps the order of first appearance.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// The lines to print.
    pub lines: Vec<String>,
    /// Diagnostics left out of `lines` (counted in them).
    pub hidden: usize,
}

/// Groups `diagnostics` (see [`Summary`]); `named` is the number of files
/// named per problem.
pub fn summarise(diagnostics: &[Diagnostic], named: usize) -> Summary {
    let mut groups: Vec<(String, Vec<&Diagnostic>)> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for d in diagnostics {
        let key = problem_kind(d);
        let at = *index.entry(key.clone()).or_insert_with(|| {
            groups.push((key, Vec::new()));
            groups.len() - 1
        });
        groups[at].1.push(d);
    }
    let mut summary = Summary::default();
    for (_, members) in groups {
        summary.lines.extend(members.iter().take(named).map(|d| d.to_string()));
        let more = members.len().saturating_sub(named);
        if more > 0 {
            let s = if more == 1 { "" } else { "s" };
            let label = members[0].severity.label();
            summary.lines.push(format!("{label}: … and {more} more file{s} with the same problem"));
            summary.hidden += more;
        }
    }
    summary
}

/// A problem's kind: its severity and message with numbers and quoted
/// text blanked ("invalid date \"2021-02-30\"" and "invalid date
/// \"2019-13-01\"" are one kind).
fn problem_kind(d: &Diagnostic) -> String {
    let mut key = String::with_capacity(d.message.len() + 1);
    key.push(if d.severity == Severity::Error { 'E' } else { 'W' });
    let mut quoted = false;
    let mut last_digit = false;
    for c in d.message.chars() {
        if c == '"' {
            quoted = !quoted;
            key.push('"');
            last_digit = false;
        } else if quoted {
        } else if c.is_ascii_digit() || (last_digit && c == '.') {
            if !last_digit {
                key.push('#');
            }
            last_digit = true;
        } else {
            key.push(c);
            last_digit = false;
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_of_one_kind_are_named_a_few_times_then_counted() {
        let mut all: Vec<Diagnostic> = (0..2225)
            .map(|i| {
                Diagnostic::warning(
                    Path::new(&format!("content/{i}.txt")),
                    None,
                    "no valid date; using 2026-12-02, the file's modification date",
                )
            })
            .collect();
        all.push(Diagnostic::error(Path::new("content/x.txt"), Some(2), "invalid date \"2021-02-30\""));
        all.push(Diagnostic::error(Path::new("content/y.txt"), Some(4), "invalid date \"1999-13-01\""));
        let summary = summarise(&all, 3);
        assert_eq!(summary.hidden, 2222);
        assert_eq!(summary.lines.len(), 6, "{:#?}", summary.lines);
        assert_eq!(
            summary.lines[0],
            "warning: content/0.txt: no valid date; using 2026-12-02, the file's modification date"
        );
        assert_eq!(summary.lines[3], "warning: … and 2222 more files with the same problem");
        assert_eq!(summary.lines[4], "error: content/x.txt:2: invalid date \"2021-02-30\"");
        let all_named = summarise(&all, usize::MAX);
        assert_eq!((all_named.lines.len(), all_named.hidden), (2227, 0));
    }

    #[test]
    fn different_problems_stay_apart() {
        let a = Diagnostic::warning(Path::new("a.txt"), None, "empty file; skipped");
        let b = Diagnostic::error(Path::new("b.txt"), None, "empty file; skipped");
        let c =
            Diagnostic::error(Path::new("c.txt"), None, "binary file (contains NUL bytes), not an article; skipped");
        assert_eq!(summarise(&[a, b, c], 1).lines.len(), 3);
    }
}
