//! Sidecar metadata: a `metadata.csv`, `metadata.tsv` or `metadata.jsonl`
//! beside article files, one row per file (`path`, and any of `date`,
//! `title`, `author`, `url`, `section`, `summary`), as archivists export
//! catalogues. A file's own header wins over its sidecar row; the sidecar
//! wins over what the path and the body suggest.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use super::date::{PubDate, parse_pub_date};
use super::discover::{Source, SourceKind};
use super::fields::Field;
use super::plain::split_authors;
use super::rows::read_rows;
use crate::config::CollectionsConfig;
use crate::diagnostics::Diagnostic;

/// What a sidecar row says of one article file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SidecarEntry {
    /// Publication date.
    pub date: Option<PubDate>,
    /// Headline.
    pub title: Option<String>,
    /// Authors.
    pub authors: Vec<String>,
    /// Original URL.
    pub url: Option<String>,
    /// Section.
    pub section: Option<String>,
    /// Summary.
    pub summary: Option<String>,
}

/// Every sidecar of a content folder: entries by article path (relative to the content folder).
#[derive(Debug, Default)]
pub struct Sidecars {
    entries: HashMap<PathBuf, (SidecarEntry, usize)>,
    files: Vec<PathBuf>,
}

impl Sidecars {
    /// Reads the sidecars among `sources`; the rows they cannot use are reported.
    pub fn load(sources: &[Source], config: &CollectionsConfig) -> (Sidecars, Vec<Diagnostic>) {
        let mut sidecars = Sidecars::default();
        let mut diagnostics = Vec::new();
        for (index, source) in sources.iter().filter(|s| s.kind == SourceKind::Sidecar).enumerate() {
            sidecars.files.push(source.display.clone());
            let folder = source.within.parent().unwrap_or(Path::new("")).to_path_buf();
            let mut rows = 0;
            let mut problems = read_rows(&source.path, &source.display, config, u64::MAX, &mut |mut row| {
                rows += 1;
                let at = Some(row.line);
                let Some(path) = row.take(Field::Path) else {
                    diagnostics.push(Diagnostic::warning(
                        &source.display,
                        at,
                        format!("row {}: no path; skipped", row.number),
                    ));
                    return;
                };
                let Some(within) = inside(&folder, &path) else {
                    diagnostics.push(Diagnostic::warning(
                        &source.display,
                        at,
                        format!("row {}: path {path:?} leaves the folder; skipped", row.number),
                    ));
                    return;
                };
                let date = row.take(Field::Date).and_then(|text| {
                    let date = parse_pub_date(&text);
                    if date.is_none() {
                        diagnostics.push(Diagnostic::warning(
                            &source.display,
                            at,
                            format!("row {}: invalid date {text:?}; ignored", row.number),
                        ));
                    }
                    date
                });
                let entry = SidecarEntry {
                    date,
                    title: row.take(Field::Title),
                    authors: row.take(Field::Author).map(|a| split_authors(&a).collect()).unwrap_or_default(),
                    url: row.take(Field::Url),
                    section: row.take(Field::Section),
                    summary: row.take(Field::Summary),
                };
                sidecars.entries.insert(within, (entry, index));
            });
            if rows == 0 && problems.is_empty() {
                problems.push(Diagnostic::warning(&source.display, None, "metadata file has no rows"));
            }
            diagnostics.extend(problems);
        }
        (sidecars, diagnostics)
    }

    /// The entry for the article file at `within` (relative to the content folder).
    pub fn get(&self, within: &Path) -> Option<&SidecarEntry> {
        self.entries.get(within).map(|(entry, _)| entry)
    }

    /// Whether there are no sidecars.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// One warning per sidecar whose rows name files that are not among
    /// `articles`: how many, and the first few.
    pub fn unmatched(&self, articles: &[Source]) -> Vec<Diagnostic> {
        let present: std::collections::HashSet<&Path> = articles.iter().map(|s| s.within.as_path()).collect();
        let mut missing: Vec<Vec<&Path>> = vec![Vec::new(); self.files.len()];
        for (path, (_, file)) in &self.entries {
            if !present.contains(path.as_path()) {
                missing[*file].push(path);
            }
        }
        let mut diagnostics = Vec::new();
        for (file, mut paths) in self.files.iter().zip(missing) {
            if paths.is_empty() {
                continue;
            }
            paths.sort();
            let shown: Vec<String> = paths.iter().take(3).map(|p| p.display().to_string()).collect();
            let more = if paths.len() > 3 { ", …" } else { "" };
            diagnostics.push(Diagnostic::warning(
                file,
                None,
                match paths.len() {
                    1 => format!("1 row names an article file that is not there ({}); ignored", shown.join(", ")),
                    n => {
                        format!("{n} rows name article files that are not there ({}{more}); ignored", shown.join(", "))
                    }
                },
            ));
        }
        diagnostics
    }
}

/// `path` (as a sidecar row writes it, relative to the sidecar's folder)
/// relative to the content folder; `None` if it climbs out of the folder.
fn inside(folder: &Path, path: &str) -> Option<PathBuf> {
    let mut out = folder.to_path_buf();
    for component in Path::new(path.trim()).components() {
        match component {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    (out != folder).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_map_paths_to_fields() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("box1")).unwrap();
        let csv =
            "path,date,title,author\na.txt,2019-03,Catalogued,Ann Lee; Bo Chan\n../x.txt,2019,Out,\nb.txt,someday,,\n";
        std::fs::write(content.join("box1/metadata.csv"), csv).unwrap();
        let source = Source::new(dir.path(), &content, &content.join("box1/metadata.csv"));
        assert_eq!(source.kind, SourceKind::Sidecar);
        let (sidecars, d) = Sidecars::load(&[source], &CollectionsConfig::default());
        let a = sidecars.get(Path::new("box1/a.txt")).unwrap();
        assert_eq!(a.date, PubDate::month(2019, 3));
        assert_eq!(a.title.as_deref(), Some("Catalogued"));
        assert_eq!(a.authors, vec!["Ann Lee", "Bo Chan"]);
        assert!(sidecars.get(Path::new("x.txt")).is_none());
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(d[0].message.contains("leaves the folder"));
        assert!(d[1].message.contains("invalid date"));
        let present = [Source::new(dir.path(), &content, &content.join("box1/a.txt"))];
        let unmatched = sidecars.unmatched(&present);
        assert_eq!(unmatched.len(), 1);
        assert!(unmatched[0].message.starts_with("1 row names an article file"), "{}", unmatched[0].message);
    }
}
