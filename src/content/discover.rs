//! Finding article files under the content folder.
//!
//! Files ending in `.txt`, `.text`, `.md` or `.markdown` are articles. Hidden
//! files and editor leftovers (`.swp`, `~`, `#…#`) are ignored without a word;
//! any other file gets a warning. Symbolic links are followed only when they
//! point inside the content folder.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::Diagnostic;
use crate::error::{Error, Result};

/// Extensions read as articles.
pub const ARTICLE_EXTENSIONS: [&str; 4] = ["txt", "text", "md", "markdown"];

/// One article file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Where to read it.
    pub path: PathBuf,
    /// How to name it in messages: relative to the site root.
    pub display: PathBuf,
}

/// Lists the article files under `content_dir`, sorted by path, with a
/// diagnostic for each file that is skipped. `root` is used to shorten paths
/// in messages.
pub fn discover(root: &Path, content_dir: &Path) -> Result<(Vec<Source>, Vec<Diagnostic>)> {
    let content_real =
        content_dir.canonicalize().map_err(|e| Error::io("cannot open content folder", content_dir, e))?;
    let mut sources = Vec::new();
    let mut diagnostics = Vec::new();
    let walker = WalkDir::new(content_dir).follow_links(false).sort_by_file_name().into_iter();
    for entry in walker.filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name())) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().unwrap_or(content_dir).to_path_buf();
                diagnostics.push(Diagnostic::error(&display_path(root, &path), None, format!("cannot read: {e}")));
                continue;
            }
        };
        let path = entry.path();
        let display = display_path(root, path);
        let file_type = entry.file_type();
        if file_type.is_dir() {
            continue;
        }
        if is_ignored(entry.file_name()) {
            continue;
        }
        if file_type.is_symlink() {
            match path.canonicalize() {
                Ok(target) if !target.starts_with(&content_real) => {
                    diagnostics.push(Diagnostic::error(
                        &display,
                        None,
                        format!(
                            "symbolic link points outside the content folder (to {}); not followed",
                            target.display()
                        ),
                    ));
                    continue;
                }
                Ok(target) if target.is_dir() => {
                    diagnostics.push(Diagnostic::warning(
                        &display,
                        None,
                        "symbolic link to a folder inside content/; not followed (its files are read where they are)",
                    ));
                    continue;
                }
                Ok(_) => {}
                Err(e) => {
                    diagnostics.push(Diagnostic::error(&display, None, format!("broken symbolic link: {e}")));
                    continue;
                }
            }
        }
        if !is_article_file(path) {
            diagnostics.push(Diagnostic::warning(
                &display,
                None,
                "not an article (articles end in .txt, .text, .md or .markdown); ignored",
            ));
            continue;
        }
        sources.push(Source { path: path.to_path_buf(), display });
    }
    Ok((sources, diagnostics))
}

/// Whether a path has an article extension.
pub fn is_article_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ARTICLE_EXTENSIONS.iter().any(|a| a.eq_ignore_ascii_case(e)))
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

/// Editor swap and backup files, which are never articles.
pub fn is_ignored(name: &std::ffi::OsStr) -> bool {
    let Some(name) = name.to_str() else { return false };
    name.starts_with('.')
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
}

fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions() {
        assert!(is_article_file(Path::new("a/b.txt")));
        assert!(is_article_file(Path::new("a/b.MD")));
        assert!(!is_article_file(Path::new("a/b.jpg")));
        assert!(!is_article_file(Path::new("a/README")));
    }

    #[test]
    fn editor_files_are_ignored() {
        for name in [".a.md.swp", "a.md~", "#a.md#", ".DS_Store", "4913.tmp"] {
            assert!(is_ignored(std::ffi::OsStr::new(name)), "{name}");
        }
        assert!(!is_ignored(std::ffi::OsStr::new("a.md")));
    }
}
