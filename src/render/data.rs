//! The archive as data, for readers who want to reuse it (`[data] export =
//! true`): `data/articles.jsonl`, one line per article with its entities
//! and their page URLs, and `data/entities.jsonl`, one line per entity with
//! a page. Past `[data] max_file_mb` (50 MB) the articles are split by
//! year (`data/articles-2019.jsonl`, …, `data/articles-undated.jsonl`),
//! and a year still past it by month (`data/articles-2019-03.jsonl`, and
//! `data/articles-2019-00.jsonl` for those dated only to the year), so
//! that no file outgrows what static hosts take.

use chrono::Datelike as _;
use serde::Serialize;

use crate::archive::{Archive, ArticleId};
use crate::config::Config;

/// Which articles a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArticlesPart {
    /// All of them: `data/articles.jsonl`.
    All,
    /// Those of a year: `data/articles-2019.jsonl`.
    Year(i32),
    /// Those of a month: `data/articles-2019-03.jsonl`; month 0 holds
    /// those dated only to the year (`data/articles-2019-00.jsonl`).
    Month(i32, u32),
    /// Those without a date: `data/articles-undated.jsonl`.
    Undated,
}

/// A data file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataFile {
    /// Articles, one JSON object a line.
    Articles(ArticlesPart),
    /// Entities with pages, one JSON object a line.
    Entities,
}

impl DataFile {
    /// Where the file is written.
    pub fn path(self) -> String {
        match self {
            DataFile::Articles(ArticlesPart::All) => "data/articles.jsonl".into(),
            DataFile::Articles(ArticlesPart::Year(y)) => format!("data/articles-{y:04}.jsonl"),
            DataFile::Articles(ArticlesPart::Month(y, m)) => format!("data/articles-{y:04}-{m:02}.jsonl"),
            DataFile::Articles(ArticlesPart::Undated) => "data/articles-undated.jsonl".into(),
            DataFile::Entities => "data/entities.jsonl".into(),
        }
    }

    /// Whether it holds article `id`.
    pub fn holds(self, archive: &Archive, id: ArticleId) -> bool {
        let date = archive.articles[id].date;
        match self {
            DataFile::Articles(ArticlesPart::All) => true,
            DataFile::Articles(ArticlesPart::Year(y)) => date.is_some_and(|d| d.first_day.year() == y),
            DataFile::Articles(ArticlesPart::Month(y, m)) => date.is_some_and(|d| month_of(d) == (y, m)),
            DataFile::Articles(ArticlesPart::Undated) => date.is_none(),
            DataFile::Entities => false,
        }
    }
}

/// A month (year, month; 0 for dated only to the year) and the estimated bytes of its articles.
type MonthSize = ((i32, u32), usize);

/// The year and month a monthly file files a date under (month 0: dated only to the year).
fn month_of(date: crate::content::PubDate) -> (i32, u32) {
    let d = date.first_day;
    if date.precision == crate::content::Precision::Year { (d.year(), 0) } else { (d.year(), d.month()) }
}

/// The data files of an archive: one articles file while it would stay
/// within `[data] max_file_mb`, else one a year (one a month for a year
/// past it) and one for the undated articles; then the entities file.
pub fn data_files(archive: &Archive, config: &Config) -> Vec<DataFile> {
    let limit = config.data.max_file_bytes();
    let sizes: Vec<usize> = (0..archive.articles.len()).map(|id| estimated_bytes(archive, id)).collect();
    let mut files = Vec::new();
    if sizes.iter().sum::<usize>() <= limit {
        files.push(DataFile::Articles(ArticlesPart::All));
    } else {
        // Ids follow dates: each year's articles, and each month's, are one run.
        let mut years: Vec<(i32, Vec<MonthSize>)> = Vec::new();
        for (id, a) in archive.articles.iter().enumerate() {
            let Some(date) = a.date else { continue };
            let month = month_of(date);
            if years.last().is_none_or(|(y, _)| *y != month.0) {
                years.push((month.0, Vec::new()));
            }
            let Some((_, months)) = years.last_mut() else { continue };
            match months.last_mut() {
                Some((m, size)) if *m == month => *size += sizes[id],
                _ => months.push((month, sizes[id])),
            }
        }
        for (year, months) in years {
            if months.iter().map(|m| m.1).sum::<usize>() <= limit {
                files.push(DataFile::Articles(ArticlesPart::Year(year)));
            } else {
                let mut parts: Vec<(i32, u32)> = months.into_iter().map(|m| m.0).collect();
                parts.sort_unstable();
                parts.dedup();
                files.extend(parts.into_iter().map(|(y, m)| DataFile::Articles(ArticlesPart::Month(y, m))));
            }
        }
        if !archive.undated.is_empty() {
            files.push(DataFile::Articles(ArticlesPart::Undated));
        }
    }
    files.push(DataFile::Entities);
    files
}

/// An upper estimate of the size of an article's line, without writing it.
fn estimated_bytes(archive: &Archive, id: ArticleId) -> usize {
    let a = &archive.articles[id];
    let entities: usize = archive.article_entities[id]
        .iter()
        .map(|ae| {
            let e = &archive.entities[ae.entity];
            64 + 2 * e.name.len() + 2 * e.slug.len()
        })
        .sum();
    // Escapes at most double a string; URLs hold the base and the path.
    192 + 2 * a.title.len() + 3 * a.slug.len() + a.authors.iter().map(|s| 2 * s.len() + 4).sum::<usize>() + entities
}

/// One line of an articles file.
#[derive(Serialize)]
struct ArticleLine<'a> {
    id: String,
    url: String,
    date: Option<String>,
    title: &'a str,
    section: Option<&'a str>,
    authors: &'a [String],
    entities: Vec<EntityRef<'a>>,
}

/// An entity as an article line names it.
#[derive(Serialize)]
struct EntityRef<'a> {
    id: String,
    name: &'a str,
    kind: &'static str,
    url: String,
}

/// One line of the entities file.
#[derive(Serialize)]
struct EntityLine<'a> {
    id: String,
    name: &'a str,
    kind: &'static str,
    url: String,
    aliases: &'a [String],
    articles: usize,
    mentions: usize,
    first: Option<String>,
    last: Option<String>,
}

/// The content of a data file.
pub fn data_file(archive: &Archive, config: &Config, file: DataFile) -> Vec<u8> {
    let base = &config.base_url;
    let mut out = Vec::new();
    match file {
        DataFile::Articles(_) => {
            for id in (0..archive.articles.len()).filter(|&id| file.holds(archive, id)) {
                let a = &archive.articles[id];
                let path = archive.article_path(id);
                let entities = archive.article_entities[id]
                    .iter()
                    .filter_map(|ae| {
                        let e = &archive.entities[ae.entity];
                        let page = archive.entity_path(ae.entity)?;
                        Some(EntityRef {
                            id: page.trim_end_matches('/').to_string(),
                            name: &e.name,
                            kind: e.kind.name(),
                            url: format!("{base}{page}"),
                        })
                    })
                    .collect();
                push_line(
                    &mut out,
                    &ArticleLine {
                        id: path.trim_end_matches('/').to_string(),
                        url: format!("{base}{path}"),
                        date: a.date.map(|d| d.iso()),
                        title: &a.title,
                        section: a.section.as_deref(),
                        authors: &a.authors,
                        entities,
                    },
                );
            }
        }
        DataFile::Entities => {
            for (id, e) in archive.entities.iter().enumerate() {
                let Some(page) = archive.entity_path(id) else { continue };
                let dates: Vec<String> =
                    e.articles.iter().filter_map(|&a| archive.articles[a].date.map(|d| d.iso())).collect();
                push_line(
                    &mut out,
                    &EntityLine {
                        id: page.trim_end_matches('/').to_string(),
                        name: &e.name,
                        kind: e.kind.name(),
                        url: format!("{base}{page}"),
                        aliases: &e.aliases,
                        articles: e.articles.len(),
                        mentions: e.mention_count,
                        first: dates.first().cloned(),
                        last: dates.last().cloned(),
                    },
                );
            }
        }
    }
    out
}

/// Appends `value` as one line of compact JSON.
fn push_line<T: Serialize>(out: &mut Vec<u8>, value: &T) {
    // Plain structs of strings and numbers always serialise.
    let _ = serde_json::to_writer(&mut *out, value);
    out.push(b'\n');
}

/// How many lines a data file has.
pub fn line_count(archive: &Archive, file: DataFile) -> usize {
    match file {
        DataFile::Entities => archive.entities.iter().filter(|e| e.has_page).count(),
        DataFile::Articles(_) => (0..archive.articles.len()).filter(|&id| file.holds(archive, id)).count(),
    }
}
