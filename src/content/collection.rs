//! Collections: a CSV, TSV or JSON Lines file under content/ holding many
//! articles, one per row. Rows are read as a stream ([`rows`](super::rows))
//! and finished in parallel a batch at a time, so a file of any size costs
//! the memory of its articles, not of its bytes. Each article is named
//! `file.csv:row 17` in messages and keeps a slug made from its headline
//! (or its `id` column), so that it keeps its address when rows move.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::date::parse_pub_date;
use super::discover::Source;
use super::fields::Field;
use super::parse::{Draft, FileFacts, ReadOptions, finish, modified_date};
use super::plain::{paragraphs, split_authors};
use super::rows::{Row, RowFormat, read_rows_from};
use super::{Article, Format};
use crate::config::CollectionsConfig;
use crate::diagnostics::Diagnostic;
use crate::text::slug::slugify_or;

/// Rows finished together: enough to keep every core busy, few enough to
/// hold little besides the articles.
const BATCH: usize = 4096;

/// How a row of a collection is named in messages and kept apart from the others.
pub fn row_source(display: &Path, row: usize) -> PathBuf {
    PathBuf::from(format!("{}:row {row}", display.display()))
}

/// Reads every article of a collection file, with the problems of its rows.
pub fn read_collection(
    source: &Source,
    options: &ReadOptions,
    columns: &CollectionsConfig,
) -> (Vec<Article>, Vec<Diagnostic>) {
    let modified = || modified_date(&source.path);
    let facts = FileFacts { within: &source.within, sidecar: None, modified: &modified };
    let Some(format) = RowFormat::of(&source.path) else {
        return (Vec::new(), vec![Diagnostic::error(&source.display, None, "not a CSV, TSV or JSON Lines file")]);
    };
    let file = match std::fs::File::open(&source.path) {
        Ok(file) => file,
        Err(e) => return (Vec::new(), vec![Diagnostic::error(&source.display, None, format!("cannot read: {e}"))]),
    };
    read_collection_from(file, format, &source.display, &facts, options, columns)
}

/// Reads every article of a collection in `format` from any reader;
/// `display` names it in messages, `facts` says where it sits.
pub fn read_collection_from(
    reader: impl std::io::Read,
    format: RowFormat,
    display: &Path,
    facts: &FileFacts<'_>,
    options: &ReadOptions,
    columns: &CollectionsConfig,
) -> (Vec<Article>, Vec<Diagnostic>) {
    let mut articles = Vec::new();
    let mut diagnostics = Vec::new();
    let mut batch = Vec::with_capacity(BATCH);
    let finish_batch = |batch: &mut Vec<Row>, articles: &mut Vec<Article>, diagnostics: &mut Vec<Diagnostic>| {
        let done: Vec<(Option<Article>, Vec<Diagnostic>)> =
            batch.par_drain(..).map(|row| row_article(display, row, options, facts)).collect();
        for (article, problems) in done {
            articles.extend(article);
            diagnostics.extend(problems);
        }
    };
    let problems = read_rows_from(reader, format, display, columns, options.max_bytes, &mut |row| {
        batch.push(row);
        if batch.len() == BATCH {
            finish_batch(&mut batch, &mut articles, &mut diagnostics);
        }
    });
    finish_batch(&mut batch, &mut articles, &mut diagnostics);
    diagnostics.extend(problems);
    if articles.is_empty() && diagnostics.is_empty() {
        diagnostics.push(Diagnostic::warning(display, None, "collection has no rows"));
    }
    (articles, diagnostics)
}

/// One row as an article, repaired as an article file would be.
fn row_article(
    display: &Path,
    mut row: Row,
    options: &ReadOptions,
    facts: &FileFacts<'_>,
) -> (Option<Article>, Vec<Diagnostic>) {
    let name = row_source(display, row.number);
    let mut diagnostics = Vec::new();
    let fingerprint = row.fingerprint() ^ u64::from(options.allow_raw_html);
    let mut draft = Draft::default();
    if let Some(text) = row.take(Field::Date) {
        draft.date = parse_pub_date(&text);
        if draft.date.is_none() {
            diagnostics.push(Diagnostic::warning(&name, None, format!("invalid date {text:?}")));
        }
    }
    draft.title = row.take(Field::Title);
    if draft.title.is_none()
        && let Some(id) = row.get(Field::Id)
    {
        draft.slug = Some(slugify_or(id, &format!("row-{}", row.number)));
    }
    let text = row.take(Field::Text).unwrap_or_default();
    // Paragraphs are blank-line separated, or (in many exports) one per line.
    draft.paragraphs = if text.contains("\n\n") {
        paragraphs(&text)
    } else {
        text.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect()
    };
    draft.source_url = row.take(Field::Url);
    draft.authors = row.take(Field::Author).map(|a| split_authors(&a).collect()).unwrap_or_default();
    draft.section = row.take(Field::Section);
    draft.summary = row.take(Field::Summary);
    let mut article = finish(&name, Format::CollectionRow, draft, options, facts, &mut diagnostics);
    if let Some(article) = &mut article {
        article.fingerprint = fingerprint;
    }
    (article, diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::PubDate;

    #[test]
    fn rows_become_articles_named_by_row() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("business")).unwrap();
        let path = content.join("business/export.csv");
        let csv = "id,title,date,text,section\n\
                   a1,Rates rise,2019-03-05,\"Rates rose.\nShares fell.\",\n\
                   a2,,2019-03,Untitled body here.,Markets\n\
                   a3,Bad date,someday,Body.,\n";
        std::fs::write(&path, csv).unwrap();
        let source = Source::new(dir.path(), &content, &path);
        let (articles, d) = read_collection(&source, &ReadOptions::default(), &CollectionsConfig::default());
        assert_eq!(articles.len(), 3);
        let a = &articles[0];
        assert_eq!(a.source, Path::new("content/business/export.csv:row 1"));
        assert_eq!((a.title.as_str(), a.slug.as_str()), ("Rates rise", "rates-rise"));
        assert_eq!(a.text, "Rates rose.\n\nShares fell.");
        assert_eq!(a.section.as_deref(), Some("Business"));
        assert_eq!(articles[1].date, PubDate::month(2019, 3));
        assert_eq!(articles[1].slug, "a2");
        assert_eq!(articles[1].section.as_deref(), Some("Markets"));
        assert_eq!(articles[2].date, None);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].path, Path::new("content/business/export.csv:row 3"));
        // The same row gives the same fingerprint; a changed one another.
        let (again, _) = read_collection(&source, &ReadOptions::default(), &CollectionsConfig::default());
        assert_eq!(again[0].fingerprint, articles[0].fingerprint);
        assert_ne!(articles[0].fingerprint, articles[1].fingerprint);
    }
}
