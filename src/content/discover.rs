//! Finding article files under the content folder.
//!
//! Files ending in `.txt`, `.text`, `.md` or `.markdown` are articles;
//! `.csv`, `.tsv` and `.jsonl` files are collections of articles, one per
//! row, except `metadata.csv`, `metadata.tsv` and `metadata.jsonl`, which
//! describe the article files of their folder (sidecars). Hidden
//! files and editor leftovers (`.swp`, `~`, `#…#`) are ignored without a word;
//! any other file gets a warning. Symbolic links are followed only when they
//! point inside the content folder.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::Diagnostic;
use crate::error::{Error, Result};

/// Extensions read as articles.
pub const ARTICLE_EXTENSIONS: [&str; 4] = ["txt", "text", "md", "markdown"];

/// Extensions read as collections (one article per row).
pub const COLLECTION_EXTENSIONS: [&str; 3] = ["csv", "tsv", "jsonl"];

/// The file stem of sidecar metadata files.
pub const SIDECAR_STEM: &str = "metadata";

/// What a content file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceKind {
    /// One article.
    Article,
    /// Many articles, one per row: CSV, TSV or JSON Lines.
    Collection,
    /// Dates, titles and more for the article files of its folder.
    Sidecar,
}

/// One content file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Where to read it.
    pub path: PathBuf,
    /// How to name it in messages: relative to the site root.
    pub display: PathBuf,
    /// Relative to the content folder: what its folders and name say.
    pub within: PathBuf,
    /// What it holds.
    pub kind: SourceKind,
}

impl Source {
    /// A content file at `path`, for a site at `root` with content in `content_dir`.
    pub fn new(root: &Path, content_dir: &Path, path: &Path) -> Source {
        Source {
            path: path.to_path_buf(),
            display: display_path(root, path),
            within: path.strip_prefix(content_dir).unwrap_or(path).to_path_buf(),
            kind: source_kind(path).unwrap_or(SourceKind::Article),
        }
    }

    /// A file read on its own, outside a site: named as given, its
    /// folders saying nothing (only its name may give a date).
    pub fn lone(path: &Path) -> Source {
        Source {
            path: path.to_path_buf(),
            display: path.to_path_buf(),
            within: path.file_name().map(PathBuf::from).unwrap_or_default(),
            kind: source_kind(path).unwrap_or(SourceKind::Article),
        }
    }
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
        if source_kind(path).is_none() {
            diagnostics.push(Diagnostic::warning(
                &display,
                None,
                "not an article (articles end in .txt, .text, .md or .markdown; collections in .csv, .tsv or .jsonl); ignored",
            ));
            continue;
        }
        sources.push(Source::new(root, content_dir, path));
    }
    Ok((sources, diagnostics))
}

/// Whether a path has an article extension.
pub fn is_article_file(path: &Path) -> bool {
    source_kind(path) == Some(SourceKind::Article)
}

/// What a content file holds, by its name; `None` for files that are not content.
pub fn source_kind(path: &Path) -> Option<SourceKind> {
    let extension = path.extension().and_then(|e| e.to_str())?;
    let is = |list: &[&str]| list.iter().any(|a| a.eq_ignore_ascii_case(extension));
    if is(&ARTICLE_EXTENSIONS) {
        Some(SourceKind::Article)
    } else if is(&COLLECTION_EXTENSIONS) {
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        Some(if stem.eq_ignore_ascii_case(SIDECAR_STEM) { SourceKind::Sidecar } else { SourceKind::Collection })
    } else {
        None
    }
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
        assert_eq!(source_kind(Path::new("a/rows.JSONL")), Some(SourceKind::Collection));
        assert_eq!(source_kind(Path::new("a/metadata.csv")), Some(SourceKind::Sidecar));
        assert_eq!(source_kind(Path::new("a/b.tsv")), Some(SourceKind::Collection));
        assert_eq!(source_kind(Path::new("a/b.json")), None);
    }

    #[test]
    fn editor_files_are_ignored() {
        for name in [".a.md.swp", "a.md~", "#a.md#", ".DS_Store", "4913.tmp"] {
            assert!(is_ignored(std::ffi::OsStr::new(name)), "{name}");
        }
        assert!(!is_ignored(std::ffi::OsStr::new("a.md")));
    }
}
