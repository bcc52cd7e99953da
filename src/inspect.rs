//! `gazette inspect FILE`: how gazette reads one content file, the way a
//! build would: its format, headline, date (and its precision), section
//! and the other fields, each with where it came from, and the problems
//! found. For a collection, one entry per row. `--json` gives the same
//! for scripts.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::archive::article_folder;
use crate::config::{CONFIG_FILE, Config};
use crate::content::collection::read_collection;
use crate::content::sidecar::Sidecars;
use crate::content::{self, Article, Format, Origin, Precision, ReadOptions, Source, SourceKind};
use crate::diagnostics::Diagnostic;

/// One article as `inspect` reports it.
#[derive(Debug, Serialize)]
pub struct Inspected {
    /// The file (or `file.csv:row N`).
    pub source: PathBuf,
    /// How the text was read.
    pub format: Format,
    /// The headline and where it came from.
    pub title: Sourced,
    /// The date (`2019-03-05`, `2019-03`, `2019`), if any, and where it came from.
    pub date: Option<Sourced>,
    /// `day`, `month` or `year`; absent when undated.
    pub precision: Option<Precision>,
    /// The section, if any, and where it came from.
    pub section: Option<Sourced>,
    /// The page's path in the site (before any slug clash with another article is settled).
    pub path: String,
    /// Authors.
    pub authors: Vec<String>,
    /// The original URL.
    pub source_url: Option<String>,
    /// The summary, and whether the file gave it.
    pub summary: String,
    /// Number of words in the body.
    pub words: usize,
}

/// A value and where it came from.
#[derive(Debug, Serialize)]
pub struct Sourced {
    /// The value.
    pub value: String,
    /// Where it came from.
    pub from: Origin,
}

/// What inspecting a file found.
#[derive(Debug, Serialize)]
pub struct Report {
    /// The articles read (one for an article file, one per row of a collection).
    pub articles: Vec<Inspected>,
    /// The problems found, as a build reports them.
    pub problems: Vec<Diagnostic>,
}

/// Reads `file` as the site at `root` would (its site.toml, if any, and
/// the sidecar of the file's folder).
pub fn inspect(root: &Path, file: &Path) -> Result<Report, String> {
    let config = if root.join(CONFIG_FILE).is_file() {
        Config::load(root).map_err(|e| e.to_string())?
    } else {
        toml::from_str::<Config>("title = \"\"").map_err(|e| e.to_string())?
    };
    let options = ReadOptions::new(&config);
    let content_dir = root.join(&config.content_dir);
    let absolute = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    if !file.is_file() {
        return Err(format!("{}: no such file", file.display()));
    }
    let (root, content_dir) = (absolute(root), absolute(&content_dir));
    let inside = absolute(file).starts_with(&content_dir);
    // Named as a build names it when it is the site's; as given when not.
    let source_of = |p: &Path| if inside { Source::new(&root, &content_dir, &absolute(p)) } else { Source::lone(p) };
    let source = source_of(file);
    let (articles, problems) = match source.kind {
        SourceKind::Collection => read_collection(&source, &options, &config.collections),
        SourceKind::Sidecar => {
            return Err(format!("{}: a metadata file, not an article; inspect the files it describes", file.display()));
        }
        SourceKind::Article => {
            let top = inside.then_some(content_dir.as_path());
            let sidecars: Vec<Source> = sidecar_files(&absolute(file), top).iter().map(|p| source_of(p)).collect();
            let (sidecars, mut problems) = Sidecars::load(&sidecars, &config.collections);
            let (article, more) = content::parse(&source, &options, sidecars.get(&source.within));
            problems.extend(more);
            (article.into_iter().collect(), problems)
        }
    };
    Ok(Report { articles: articles.iter().map(inspected).collect(), problems })
}

/// The sidecars that may describe a file: `metadata.csv`, `.tsv` or
/// `.jsonl` in its folder and each folder above it, up to `top` (the
/// content folder; only its own folder when the file is not in it).
fn sidecar_files(file: &Path, top: Option<&Path>) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut folder = file.parent();
    while let Some(dir) = folder {
        let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
        for ext in ["csv", "tsv", "jsonl"] {
            let path = dir.join(format!("{}.{ext}", content::discover::SIDECAR_STEM));
            if path.is_file() {
                found.push(path);
            }
        }
        match top {
            Some(top) if dir.starts_with(top) && dir != top => folder = dir.parent(),
            _ => break,
        }
    }
    found
}

fn inspected(a: &Article) -> Inspected {
    Inspected {
        source: a.source.clone(),
        format: a.origins.format,
        title: Sourced { value: a.title.clone(), from: a.origins.title },
        date: a.date.zip(a.origins.date).map(|(d, from)| Sourced { value: d.iso(), from }),
        precision: a.date.map(|d| d.precision),
        section: a.section.clone().zip(a.origins.section).map(|(value, from)| Sourced { value, from }),
        path: format!("{}{}/", article_folder(a.date), a.slug),
        authors: a.authors.clone(),
        source_url: a.source_url.clone(),
        summary: a.summary.clone(),
        words: a.word_count(),
    }
}

/// The report as people read it.
pub fn to_text(report: &Report) -> String {
    use std::fmt::Write as _;
    let mut o = String::new();
    for a in &report.articles {
        let _ = writeln!(o, "{}", a.source.display());
        let _ = writeln!(o, "  format   {}", describe_format(a.format));
        let _ = writeln!(o, "  title    {}   (from {})", a.title.value, describe_origin(a.title.from));
        match (&a.date, a.precision) {
            (Some(date), Some(precision)) => {
                let precision = match precision {
                    Precision::Day => "day",
                    Precision::Month => "month",
                    Precision::Year => "year",
                };
                let _ = writeln!(o, "  date     {} ({precision})   (from {})", date.value, describe_origin(date.from));
            }
            _ => {
                let _ = writeln!(o, "  date     none: listed under undated/ (date_fallback decides)");
            }
        }
        if let Some(section) = &a.section {
            let _ = writeln!(o, "  section  {}   (from {})", section.value, describe_origin(section.from));
        }
        let _ = writeln!(o, "  page     {}", a.path);
        if !a.authors.is_empty() {
            let _ = writeln!(o, "  authors  {}", a.authors.join(", "));
        }
        if let Some(url) = &a.source_url {
            let _ = writeln!(o, "  url      {url}");
        }
        let _ = writeln!(o, "  words    {}", a.words);
        let _ = writeln!(o, "  summary  {}", a.summary);
    }
    if report.articles.is_empty() {
        let _ = writeln!(o, "no article could be read");
    }
    for d in &report.problems {
        let _ = writeln!(o, "{d}");
    }
    o
}

fn describe_format(format: Format) -> &'static str {
    match format {
        Format::FrontMatter => "Markdown with TOML front matter",
        Format::Header => "plain text with header lines (` date …`)",
        Format::Headline => "plain text, headline on line 1",
        Format::Markdown => "Markdown without front matter",
        Format::CollectionRow => "a row of a collection",
    }
}

fn describe_origin(origin: Origin) -> &'static str {
    match origin {
        Origin::Header => "its own header or columns",
        Origin::Sidecar => "the folder's metadata file",
        Origin::Path => "its path",
        Origin::Dateline => "the dateline opening the body",
        Origin::Modified => "the file's modification time",
        Origin::Headline => "its first line",
        Origin::FirstSentence => "the first sentence",
        Origin::Folder => "its folder",
    }
}
