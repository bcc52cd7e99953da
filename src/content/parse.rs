//! One file in, one [`Article`] out (or a diagnostic saying why not).
//!
//! The format is recognised from the text: front matter (`+++`), the header
//! format (` date …`), Markdown by extension, or else the headline format.
//! Missing pieces are repaired with a warning: a date from the file name or,
//! failing that, the file's modification time; a headline from the first
//! sentence; a safe slug.

use std::path::Path;

use chrono::NaiveDate;

use super::date::{date_from_file_name, parse_date};
use super::decode::{Unreadable, decode};
use super::headline::derive_headline;
use super::sentences::sentence_spans;
use super::{Article, Body, DeclaredEntity, Source, markdown, plain};
use crate::diagnostics::Diagnostic;
use crate::text::slug::{slugify, slugify_or};

/// Longest summary derived from the body, in bytes.
const SUMMARY_MAX: usize = 280;

/// What a format parser found, before repairs.
#[derive(Debug, Default)]
pub struct Draft {
    /// Date, if the file gave a valid one.
    pub date: Option<NaiveDate>,
    /// Headline, if given.
    pub title: Option<String>,
    /// Photo caption.
    pub caption: Option<String>,
    /// Authors.
    pub authors: Vec<String>,
    /// Summary, if given.
    pub summary: Option<String>,
    /// Source URL.
    pub source_url: Option<String>,
    /// Source publication name.
    pub source_name: Option<String>,
    /// Slug, if given.
    pub slug: Option<String>,
    /// Lead image: a web URL or a site-relative path.
    pub image: Option<String>,
    /// Date of the last revision, if given.
    pub updated: Option<NaiveDate>,
    /// Plain-text paragraphs (plain formats).
    pub paragraphs: Vec<String>,
    /// Markdown body (Markdown formats).
    pub markdown: Option<String>,
    /// Entities declared in front matter.
    pub declared_entities: Vec<DeclaredEntity>,
}

/// Reads and parses one source file; a file larger than `max_bytes` is
/// reported and skipped without being read.
pub fn parse(source: &Source, allow_raw_html: bool, max_bytes: u64) -> (Option<Article>, Vec<Diagnostic>) {
    let display = &source.display;
    let bytes = match read_at_most(&source.path, max_bytes) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => {
            let size = std::fs::metadata(&source.path).map_or(max_bytes + 1, |m| m.len());
            let message = format!(
                "{} is larger than max_article_bytes ({}); skipped (raise it in site.toml to read the file)",
                human_bytes(size),
                human_bytes(max_bytes)
            );
            return (None, vec![Diagnostic::error(display, None, message)]);
        }
        Err(e) => return (None, vec![Diagnostic::error(display, None, format!("cannot read: {e}"))]),
    };
    let fallback_date = || {
        std::fs::metadata(&source.path)
            .and_then(|m| m.modified())
            .ok()
            .map(|t| chrono::DateTime::<chrono::Utc>::from(t).date_naive())
    };
    parse_bytes(display, &bytes, allow_raw_html, fallback_date)
}

/// The file's bytes, or `None` when it has more than `max_bytes` (then at
/// most `max_bytes + 1` of them are read, even if it grows meanwhile).
fn read_at_most(path: &Path, max_bytes: u64) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    if size > max_bytes {
        return Ok(None);
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(max_bytes + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= max_bytes).then_some(bytes))
}

/// `8.0 MB`, `512 KB`, `12 bytes`.
fn human_bytes(n: u64) -> String {
    match n {
        0..1024 => format!("{n} bytes"),
        1024..1_048_576 => format!("{:.0} KB", n as f64 / 1024.0),
        _ => format!("{:.1} MB", n as f64 / 1_048_576.0),
    }
}

/// Parses file contents; `display` names the file in messages and gives the
/// file-name date, and `modified` supplies the last-resort date.
pub fn parse_bytes(
    display: &Path,
    bytes: &[u8],
    allow_raw_html: bool,
    modified: impl FnOnce() -> Option<NaiveDate>,
) -> (Option<Article>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let decoded = match decode(bytes) {
        Ok(decoded) => decoded,
        Err(Unreadable::Empty) => return (None, vec![Diagnostic::error(display, None, "empty file; skipped")]),
        Err(Unreadable::Binary) => {
            return (
                None,
                vec![Diagnostic::error(display, None, "binary file (contains NUL bytes), not an article; skipped")],
            );
        }
    };
    if let Some((line, note)) = decoded.note {
        diagnostics.push(Diagnostic::warning(display, Some(line), note));
    }
    let text = decoded.text.as_str();
    let is_markdown_file = display
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
    let draft = if markdown::has_front_matter(text) {
        markdown::parse_front_matter_article(display, text, &mut diagnostics)
    } else if plain::is_header_format(text) {
        Some(plain::parse_header_format(display, text, &mut diagnostics))
    } else if is_markdown_file {
        Some(markdown::parse_bare_markdown(text))
    } else {
        Some(plain::parse_headline_format(display, text, &mut diagnostics))
    };
    let mut article = draft.and_then(|draft| finish(display, draft, allow_raw_html, modified, &mut diagnostics));
    if let Some(article) = &mut article {
        article.fingerprint = fingerprint(bytes, allow_raw_html);
    }
    (article, diagnostics)
}

/// Fills what the draft lacks and builds the article.
fn finish(
    display: &Path,
    draft: Draft,
    allow_raw_html: bool,
    modified: impl FnOnce() -> Option<NaiveDate>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Article> {
    let mut draft = draft;
    strip_dateline(&mut draft);
    let (body, text) = match draft.markdown {
        Some(md) => {
            let (plain, _) = markdown::walk(&md, allow_raw_html);
            (Body::Markdown(md), plain)
        }
        None => {
            let text = draft.paragraphs.join("\n\n");
            (Body::Paragraphs(draft.paragraphs), text)
        }
    };
    if text.trim().is_empty() && draft.title.is_none() {
        diagnostics.push(Diagnostic::error(display, None, "no headline and no body text; skipped"));
        return None;
    }
    let file_name = display.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let date = match draft.date {
        Some(date) => date,
        None => {
            if let Some(date) = date_from_file_name(file_name) {
                diagnostics.push(Diagnostic::warning(
                    display,
                    None,
                    format!("no valid date; using {date} from the file name"),
                ));
                date
            } else if let Some(date) = modified() {
                diagnostics.push(Diagnostic::warning(
                    display,
                    None,
                    format!("no valid date; using {date}, the file's modification date"),
                ));
                date
            } else {
                diagnostics.push(Diagnostic::error(display, None, "no valid date and no modification date; skipped"));
                return None;
            }
        }
    };
    let title = match draft.title {
        Some(title) => collapse_whitespace(&title),
        None => derive_headline(&text),
    };
    let stem = display.file_stem().and_then(|s| s.to_str()).unwrap_or("article");
    let slug = match draft.slug {
        Some(given) => {
            let safe = slugify_or(&given, &title);
            if safe != given {
                diagnostics.push(Diagnostic::warning(
                    display,
                    None,
                    format!("slug {given:?} is not a safe URL segment; using {safe:?}"),
                ));
            }
            safe
        }
        None => {
            let slug = slugify(&title);
            if slug.is_empty() { slugify_or(stem, "article") } else { slug }
        }
    };
    let summary_given = draft.summary.as_deref().is_some_and(|s| !s.trim().is_empty());
    let summary = match draft.summary {
        Some(s) if summary_given => collapse_whitespace(&s),
        _ => derive_summary(&text),
    };
    Some(Article {
        source: display.to_path_buf(),
        date,
        title,
        slug,
        caption: draft.caption,
        authors: draft.authors,
        summary,
        summary_given,
        source_url: draft.source_url,
        source_name: draft.source_name,
        body,
        text,
        declared_entities: draft.declared_entities,
        image: draft.image,
        updated: draft.updated.filter(|u| *u > date),
        fingerprint: 0,
    })
}

/// Drops a first paragraph that only repeats a date ("Friday, January 4,
/// 2019"), as many exports have; it becomes the date when none was given.
fn strip_dateline(draft: &mut Draft) {
    if let Some(date) = draft.paragraphs.first().and_then(|p| parse_date(p)) {
        draft.date.get_or_insert(date);
        draft.paragraphs.remove(0);
    }
    if let Some(md) = &draft.markdown {
        let trimmed = md.trim_start();
        let (first, rest) = trimmed.split_once("\n\n").unwrap_or((trimmed, ""));
        if let Some(date) = parse_date(first).filter(|_| !first.contains('\n')) {
            draft.date.get_or_insert(date);
            draft.markdown = Some(rest.to_string());
        }
    }
}

/// A hash of an article file's bytes and the option that changes how they are read.
pub fn fingerprint(bytes: &[u8], allow_raw_html: bool) -> u64 {
    use std::hash::Hasher;
    let mut h = crate::hash::FastHasher::default();
    h.write(bytes);
    h.write_u64(bytes.len() as u64 ^ u64::from(allow_raw_html) << 63);
    h.finish()
}

/// The opening sentences of the body, up to [`SUMMARY_MAX`] bytes.
fn derive_summary(text: &str) -> String {
    let first_paragraph = text.split("\n\n").next().unwrap_or("");
    let mut summary = String::new();
    for (start, end) in sentence_spans(first_paragraph) {
        let sentence = &first_paragraph[start..end];
        if !summary.is_empty() && summary.len() + sentence.len() > SUMMARY_MAX {
            break;
        }
        if !summary.is_empty() {
            summary.push(' ');
        }
        summary.push_str(sentence);
    }
    if summary.len() > SUMMARY_MAX {
        let mut cut = SUMMARY_MAX;
        while !summary.is_char_boundary(cut) {
            cut -= 1;
        }
        let cut = summary[..cut].rfind(' ').unwrap_or(cut);
        summary.truncate(cut);
        summary.push('…');
    }
    summary
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(name: &str, text: &str) -> (Option<Article>, Vec<Diagnostic>) {
        parse_bytes(Path::new(name), text.as_bytes(), false, || NaiveDate::from_ymd_opt(2000, 1, 1))
    }

    #[test]
    fn seed_format_derives_headline_and_keeps_caption() {
        let (a, d) =
            parse_str("seed.txt", " date 2022-02-28 A caption. (Reuters)\n\nPeace talks began on Monday. More text.\n");
        let a = a.unwrap();
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(a.title, "Peace talks began on Monday");
        assert_eq!(a.slug, "peace-talks-began-on-monday");
        assert_eq!(a.caption.as_deref(), Some("A caption. (Reuters)"));
        assert!(!a.text.contains("caption"));
    }

    #[test]
    fn missing_date_uses_file_name_then_mtime() {
        let (a, d) = parse_str("2019-03-04_x.txt", "Title\n\nBody.");
        assert_eq!(a.unwrap().date, NaiveDate::from_ymd_opt(2019, 3, 4).unwrap());
        assert!(d[0].message.contains("file name"));
        let (a, d) = parse_str("x.txt", "Title\nDate: 2019-02-30\n\nBody.");
        assert_eq!(a.unwrap().date, NaiveDate::from_ymd_opt(2000, 1, 1).unwrap());
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].line, Some(2));
    }

    #[test]
    fn unsafe_slug_is_replaced() {
        let (a, d) = parse_str("x.md", "+++\ntitle = \"T\"\ndate = 2020-01-01\nslug = \"../../etc\"\n+++\nBody");
        assert_eq!(a.unwrap().slug, "etc");
        assert!(d[0].message.contains("not a safe URL segment"));
    }

    #[test]
    fn title_with_no_letters_gets_the_file_stem_slug() {
        let (a, _) = parse_str("my-story.txt", "!!!\nDate: 2020-01-01\n\nBody.");
        assert_eq!(a.unwrap().slug, "my-story");
    }

    #[test]
    fn datelines_are_dropped_from_every_format() {
        let (a, _) = parse_str("x.txt", " date 2019-12-14\n title T\n\nSaturday, December 14, 2019\n\nBody.");
        assert_eq!(a.unwrap().text, "Body.");
        let (a, _) = parse_str("x.md", "+++\ntitle = \"T\"\n+++\n\nSaturday, December 14, 2019\n\nBody.");
        let a = a.unwrap();
        assert_eq!(a.text, "Body.");
        assert_eq!(a.date, NaiveDate::from_ymd_opt(2019, 12, 14).unwrap());
    }

    #[test]
    fn summary_is_the_opening_sentences() {
        let (a, _) = parse_str("x.txt", "T\nDate: 2020-01-01\n\nOne. Two.\n\nThree.");
        assert_eq!(a.unwrap().summary, "One. Two.");
    }
}
