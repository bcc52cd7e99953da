//! One file in, one [`Article`] out (or a diagnostic saying why not).
//!
//! The format is recognised from the text: front matter (`+++`), the header
//! format (` date …`), Markdown by extension, or else the headline format.
//! The date is looked for in this order: the article's own header; its
//! folder's metadata sidecar; its path; a dateline opening the body; and
//! failing all, `date_fallback` decides (undated, the file's modification
//! date, or an error). A missing headline comes from the first sentence;
//! the slug is made safe.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;

use super::date::{PubDate, date_from_dateline, date_from_path, parse_date};
use super::decode::{Unreadable, decode};
use super::headline::derive_headline;
use super::sentences::sentence_spans;
use super::sidecar::SidecarEntry;
use super::{Article, Body, DeclaredEntity, Format, Origin, Origins, Source, markdown, plain};
use crate::config::{Config, DateFallback};
use crate::diagnostics::Diagnostic;
use crate::text::slug::{slugify, slugify_or};

/// Longest summary derived from the body, in bytes.
const SUMMARY_MAX: usize = 280;

/// What reading articles needs from site.toml.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// `[markdown] allow_raw_html`.
    pub allow_raw_html: bool,
    /// `max_article_bytes`.
    pub max_bytes: u64,
    /// `date_fallback`.
    pub date_fallback: DateFallback,
    /// `[sections] folders`.
    pub folder_sections: bool,
    /// `[sections] names`.
    pub section_names: BTreeMap<String, String>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            allow_raw_html: false,
            max_bytes: crate::config::DEFAULT_MAX_ARTICLE_BYTES,
            date_fallback: DateFallback::default(),
            folder_sections: true,
            section_names: BTreeMap::new(),
        }
    }
}

impl ReadOptions {
    /// The options a site's settings give.
    pub fn new(config: &Config) -> ReadOptions {
        ReadOptions {
            allow_raw_html: config.markdown.allow_raw_html,
            max_bytes: config.max_article_bytes,
            date_fallback: config.date_fallback,
            folder_sections: config.sections.folders,
            section_names: config.sections.names.clone(),
        }
    }

    /// The display name of a section, from its folder name or field value:
    /// `[sections] names` if it names it, else the folder name with its
    /// first letter capitalised and dashes as spaces, else the value as written.
    pub fn section_name(&self, key: &str, from_folder: bool) -> String {
        if let Some(name) = self.section_names.get(key) {
            return name.clone();
        }
        if !from_folder {
            return key.split_whitespace().collect::<Vec<_>>().join(" ");
        }
        let spaced = key.replace(['-', '_'], " ");
        let mut chars = spaced.chars();
        chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
    }
}

/// What is known of a file besides its text: where it sits, what its
/// folder's sidecar says of it, and (asked only when needed) its
/// modification date.
pub struct FileFacts<'a> {
    /// The path relative to the content folder (for path dates and folder sections).
    pub within: &'a Path,
    /// Its entry in the folder's metadata sidecar, if any.
    pub sidecar: Option<&'a SidecarEntry>,
    /// The file's modification date.
    pub modified: &'a (dyn Fn() -> Option<NaiveDate> + Sync),
}

impl FileFacts<'_> {
    /// Facts for a file known by its text alone: no folders, no sidecar, no modification date.
    pub fn none() -> FileFacts<'static> {
        FileFacts { within: Path::new(""), sidecar: None, modified: &|| None }
    }
}

/// What a format parser found, before repairs.
#[derive(Debug, Default)]
pub struct Draft {
    /// Date, if the file gave a valid one.
    pub date: Option<PubDate>,
    /// Headline, if given.
    pub title: Option<String>,
    /// Whether the headline is the text's first line (not a header field).
    pub title_is_first_line: bool,
    /// Section, if given.
    pub section: Option<String>,
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

/// Reads and parses one source file, with its sidecar entry if it has one;
/// a file larger than `max_bytes` is reported and skipped without being read.
pub fn parse(
    source: &Source,
    options: &ReadOptions,
    sidecar: Option<&SidecarEntry>,
) -> (Option<Article>, Vec<Diagnostic>) {
    let display = &source.display;
    let max_bytes = options.max_bytes;
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
    let modified = || modified_date(&source.path);
    let facts = FileFacts { within: &source.within, sidecar, modified: &modified };
    parse_bytes(display, &bytes, options, &facts)
}

/// The day a file was last modified (UTC), if the system says.
pub fn modified_date(path: &Path) -> Option<NaiveDate> {
    let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok()?;
    Some(chrono::DateTime::<chrono::Utc>::from(modified).date_naive())
}

/// The file's bytes, or `None` when it has more than `max_bytes` (then at
/// most `max_bytes + 1` of them are read, even if it grows meanwhile).
pub fn read_at_most(path: &Path, max_bytes: u64) -> std::io::Result<Option<Vec<u8>>> {
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
pub fn human_bytes(n: u64) -> String {
    match n {
        0..1024 => format!("{n} bytes"),
        1024..1_048_576 => format!("{:.0} KB", n as f64 / 1024.0),
        _ => format!("{:.1} MB", n as f64 / 1_048_576.0),
    }
}

/// Parses file contents; `display` names the file in messages.
pub fn parse_bytes(
    display: &Path,
    bytes: &[u8],
    options: &ReadOptions,
    facts: &FileFacts<'_>,
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
    let (format, draft) = if markdown::has_front_matter(text) {
        (Format::FrontMatter, markdown::parse_front_matter_article(display, text, &mut diagnostics))
    } else if plain::is_header_format(text) {
        (Format::Header, Some(plain::parse_header_format(display, text, &mut diagnostics)))
    } else if is_markdown_file {
        (Format::Markdown, Some(markdown::parse_bare_markdown(text)))
    } else {
        (Format::Headline, Some(plain::parse_headline_format(display, text, &mut diagnostics)))
    };
    let mut article = draft.and_then(|draft| finish(display, format, draft, options, facts, &mut diagnostics));
    if let Some(article) = &mut article {
        article.fingerprint = fingerprint(bytes, options.allow_raw_html);
    }
    (article, diagnostics)
}

/// Parses a file's contents on their own, as `entities extract` and
/// tests read them: default options, no folder, no sidecar; only the
/// file's name may date it.
pub fn parse_alone(display: &Path, bytes: &[u8]) -> (Option<Article>, Vec<Diagnostic>) {
    let within = display.file_name().map(Path::new).unwrap_or(Path::new(""));
    let facts = FileFacts { within, sidecar: None, modified: &|| None };
    parse_bytes(display, bytes, &ReadOptions::default(), &facts)
}

/// Fills what the draft lacks (from the sidecar, the path, the body) and
/// builds the article.
pub fn finish(
    display: &Path,
    format: Format,
    draft: Draft,
    options: &ReadOptions,
    facts: &FileFacts<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Article> {
    let mut draft = draft;
    let sidecar = facts.sidecar;
    let dateline_paragraph = strip_dateline(&mut draft);
    let (body, text) = match draft.markdown {
        Some(md) => {
            let (plain, _) = markdown::walk(&md, options.allow_raw_html);
            (Body::Markdown(md), plain)
        }
        None => (Body::Paragraphs, draft.paragraphs.join("\n\n")),
    };
    if text.trim().is_empty() && draft.title.is_none() && sidecar.is_none_or(|s| s.title.is_none()) {
        diagnostics.push(Diagnostic::error(display, None, "no headline and no body text; skipped"));
        return None;
    }
    let from_path = date_from_path(facts.within);
    let first_paragraph = dateline_paragraph.as_deref().unwrap_or_else(|| text.split("\n\n").next().unwrap_or(""));
    let from_dateline = || date_from_dateline(first_paragraph, from_path.map(PubDate::year_number)).map(|(d, _)| d);
    let (date, date_origin) = if let Some(date) = draft.date {
        (Some(date), Some(Origin::Header))
    } else if let Some(date) = sidecar.and_then(|s| s.date) {
        (Some(date), Some(Origin::Sidecar))
    } else if let Some(path_date) = from_path {
        // A dateline more precise than the path, and within its period, refines it.
        match from_dateline().filter(|d| d.precision > path_date.precision && within_period(*d, path_date)) {
            Some(date) => (Some(date), Some(Origin::Dateline)),
            None => (Some(path_date), Some(Origin::Path)),
        }
    } else if let Some(date) = from_dateline() {
        (Some(date), Some(Origin::Dateline))
    } else {
        match options.date_fallback {
            DateFallback::Undated => (None, None),
            DateFallback::Mtime => match (facts.modified)() {
                Some(day) => (Some(PubDate::day(day)), Some(Origin::Modified)),
                None => {
                    diagnostics.push(Diagnostic::error(
                        display,
                        None,
                        "no date and no modification date (date_fallback = \"mtime\"); skipped",
                    ));
                    return None;
                }
            },
            DateFallback::Error => {
                diagnostics.push(Diagnostic::error(
                    display,
                    None,
                    "no date in its header, sidecar, path or first line (date_fallback = \"error\"); skipped",
                ));
                return None;
            }
        }
    };
    let (title, title_origin) = match (draft.title, sidecar.and_then(|s| s.title.clone())) {
        (Some(title), _) if !draft.title_is_first_line => (collapse_whitespace(&title), Origin::Header),
        (_, Some(title)) => (collapse_whitespace(&title), Origin::Sidecar),
        (Some(title), None) => (collapse_whitespace(&title), Origin::Headline),
        (None, None) => (derive_headline(&text), Origin::FirstSentence),
    };
    let folder = options.folder_sections.then(|| section_folder(facts.within)).flatten();
    let (section, section_origin) = if let Some(s) = draft.section.as_deref().filter(|s| !s.trim().is_empty()) {
        (Some(options.section_name(s.trim(), false)), Some(Origin::Header))
    } else if let Some(s) = sidecar.and_then(|s| s.section.as_deref()) {
        (Some(options.section_name(s, false)), Some(Origin::Sidecar))
    } else if let Some(folder) = folder {
        (Some(options.section_name(folder, true)), Some(Origin::Folder))
    } else {
        (None, None)
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
    let mut authors = draft.authors;
    if authors.is_empty()
        && let Some(s) = sidecar
    {
        authors = s.authors.clone();
    }
    let source_url = draft.source_url.or_else(|| sidecar.and_then(|s| s.url.clone()));
    let summary_text = draft.summary.or_else(|| sidecar.and_then(|s| s.summary.clone()));
    let summary_given = summary_text.as_deref().is_some_and(|s| !s.trim().is_empty());
    let summary = match summary_text {
        Some(s) if summary_given => collapse_whitespace(&s),
        _ => derive_summary(&text),
    };
    let first_day = date.map(|d| d.first_day);
    Some(Article {
        source: display.to_path_buf(),
        date,
        section,
        origins: Origins { format, date: date_origin, title: title_origin, section: section_origin },
        title,
        slug,
        caption: draft.caption,
        authors,
        summary,
        summary_given,
        source_url,
        source_name: draft.source_name,
        body,
        text,
        declared_entities: draft.declared_entities,
        image: draft.image,
        updated: draft.updated.filter(|u| first_day.is_none_or(|d| *u > d)),
        fingerprint: 0,
    })
}

/// Whether `date` falls within the period of `period`.
fn within_period(date: PubDate, period: PubDate) -> bool {
    use chrono::Datelike;
    let (d, p) = (date.first_day, period.first_day);
    match period.precision {
        super::Precision::Year => d.year() == p.year(),
        super::Precision::Month => (d.year(), d.month()) == (p.year(), p.month()),
        super::Precision::Day => d == p,
    }
}

/// The folder that names a file's section: the first folder under the
/// content folder that is not part of a date (`2019/`, `03/`).
pub fn section_folder(within: &Path) -> Option<&str> {
    let parent = within.parent()?;
    parent.components().find_map(|c| match c {
        std::path::Component::Normal(name) => {
            let name = name.to_str()?;
            let is_date_part = name.bytes().all(|b| b.is_ascii_digit()) && matches!(name.len(), 2 | 4);
            (!is_date_part && !name.starts_with('.')).then_some(name)
        }
        _ => None,
    })
}

/// Drops a first paragraph that only repeats a date ("Friday, January 4,
/// 2019"), as many exports have, and returns it: it dates the article when
/// nothing before it does.
fn strip_dateline(draft: &mut Draft) -> Option<String> {
    if draft.paragraphs.first().and_then(|p| parse_date(p)).is_some() {
        return Some(draft.paragraphs.remove(0));
    }
    if let Some(md) = &draft.markdown {
        let trimmed = md.trim_start();
        let (first, rest) = trimmed.split_once("\n\n").unwrap_or((trimmed, ""));
        if parse_date(first).is_some() && !first.contains('\n') {
            let first = first.to_string();
            draft.markdown = Some(rest.to_string());
            return Some(first);
        }
    }
    None
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

    fn jan_2000() -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(2000, 1, 1)
    }

    fn parse_with(
        within: &str,
        text: &str,
        options: &ReadOptions,
        sidecar: Option<&SidecarEntry>,
    ) -> (Option<Article>, Vec<Diagnostic>) {
        let facts = FileFacts { within: Path::new(within), sidecar, modified: &jan_2000 };
        parse_bytes(Path::new(within), text.as_bytes(), options, &facts)
    }

    fn parse_str(name: &str, text: &str) -> (Option<Article>, Vec<Diagnostic>) {
        parse_with(name, text, &ReadOptions::default(), None)
    }

    fn day(y: i32, m: u32, d: u32) -> Option<PubDate> {
        NaiveDate::from_ymd_opt(y, m, d).map(PubDate::day)
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
        assert_eq!(a.origins.format, Format::Header);
        assert_eq!((a.origins.date, a.origins.title), (Some(Origin::Header), Origin::FirstSentence));
    }

    #[test]
    fn date_sources_in_order_header_sidecar_path_dateline() {
        let sidecar = SidecarEntry { date: day(2018, 6, 1), ..SidecarEntry::default() };
        let options = ReadOptions::default();
        let text = |header: &str| format!("{header}Headline\n\nLONDON, May 2 (Reuters) - Shares fell.\n");
        // Header first.
        let (a, _) = parse_with("2017/04/03/x.txt", &text("+++\ndate = 2016-01-01\n+++\n# "), &options, Some(&sidecar));
        let a = a.unwrap();
        assert_eq!((a.date, a.origins.date), (day(2016, 1, 1), Some(Origin::Header)));
        // Then the sidecar.
        let (a, _) = parse_with("2017/04/03/x.txt", &text(""), &options, Some(&sidecar));
        assert_eq!(a.unwrap().date, day(2018, 6, 1));
        // Then the path.
        let (a, _) = parse_with("2017/04/03/x.txt", &text(""), &options, None);
        let a = a.unwrap();
        assert_eq!((a.date, a.origins.date), (day(2017, 4, 3), Some(Origin::Path)));
        // A path year makes a dateline without one a date, more precise than the year.
        let (a, _) = parse_with("2017/x.txt", &text(""), &options, None);
        let a = a.unwrap();
        assert_eq!((a.date, a.origins.date), (day(2017, 5, 2), Some(Origin::Dateline)));
        // A dateline alone, with its year.
        let (a, _) = parse_with("x.txt", "Headline\n\nPARIS, May 2, 2015 (AFP) - Shares fell.", &options, None);
        assert_eq!(a.unwrap().date, day(2015, 5, 2));
        // Nothing: undated, without a word.
        let (a, d) = parse_with("x.txt", &text(""), &options, None);
        let a = a.unwrap();
        assert_eq!((a.date, a.origins.date), (None, None));
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn date_fallback_mtime_or_error() {
        let mtime = ReadOptions { date_fallback: DateFallback::Mtime, ..ReadOptions::default() };
        let (a, _) = parse_with("x.txt", "Title\n\nBody.", &mtime, None);
        let a = a.unwrap();
        assert_eq!((a.date, a.origins.date), (jan_2000().map(PubDate::day), Some(Origin::Modified)));
        let error = ReadOptions { date_fallback: DateFallback::Error, ..ReadOptions::default() };
        let (a, d) = parse_with("x.txt", "Title\n\nBody.", &error, None);
        assert!(a.is_none());
        assert!(d[0].message.contains("no date"), "{d:?}");
        // A bad date line is named, and the article is undated.
        let (a, d) = parse_str("x.txt", "Title\nDate: 2019-02-30\n\nBody.");
        assert_eq!(a.unwrap().date, None);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].line, Some(2));
    }

    #[test]
    fn month_and_year_precision_from_headers_and_paths() {
        let (a, _) = parse_str("x.md", "+++\ntitle = \"T\"\ndate = \"March 2019\"\n+++\nBody");
        assert_eq!(a.unwrap().date, PubDate::month(2019, 3));
        let (a, _) = parse_str("x.txt", " date 2019\n title T\n\nBody.");
        assert_eq!(a.unwrap().date, PubDate::year(2019));
        let (a, _) = parse_str("2019/03/x.txt", "T\n\nBody.");
        assert_eq!(a.unwrap().date, PubDate::month(2019, 3));
    }

    #[test]
    fn sections_from_header_sidecar_or_folder() {
        let options = ReadOptions::default();
        let (a, _) = parse_with("business/2019/x.txt", "T\n\nBody.", &options, None);
        let a = a.unwrap();
        assert_eq!((a.section.as_deref(), a.origins.section), (Some("Business"), Some(Origin::Folder)));
        let (a, _) = parse_with("2019/world-news/x.txt", "T\nSection: Sport\n\nBody.", &options, None);
        assert_eq!(a.unwrap().section.as_deref(), Some("Sport"));
        let sidecar = SidecarEntry { section: Some("Arts".into()), ..SidecarEntry::default() };
        let (a, _) = parse_with("world-news/x.txt", "T\n\nBody.", &options, Some(&sidecar));
        assert_eq!(a.unwrap().section.as_deref(), Some("Arts"));
        let (a, _) = parse_with("world-news/x.txt", "T\n\nBody.", &options, None);
        assert_eq!(a.unwrap().section.as_deref(), Some("World news"));
        let named = ReadOptions {
            section_names: [("world-news".to_string(), "The World".to_string())].into(),
            ..ReadOptions::default()
        };
        let (a, _) = parse_with("world-news/x.txt", "T\n\nBody.", &named, None);
        assert_eq!(a.unwrap().section.as_deref(), Some("The World"));
        let off = ReadOptions { folder_sections: false, ..ReadOptions::default() };
        let (a, _) = parse_with("world-news/x.txt", "T\n\nBody.", &off, None);
        assert_eq!(a.unwrap().section, None);
    }

    #[test]
    fn sidecar_fills_what_the_file_lacks() {
        let sidecar = SidecarEntry {
            title: Some("Catalogue title".into()),
            authors: vec!["A. Writer".into()],
            url: Some("https://example.org/a".into()),
            ..SidecarEntry::default()
        };
        let (a, _) = parse_with("x.txt", "Line one headline\n\nBody.", &ReadOptions::default(), Some(&sidecar));
        let a = a.unwrap();
        assert_eq!((a.title.as_str(), a.origins.title), ("Catalogue title", Origin::Sidecar));
        assert_eq!(a.authors, vec!["A. Writer"]);
        assert_eq!(a.source_url.as_deref(), Some("https://example.org/a"));
        // The file's own header wins.
        let (a, _) =
            parse_with("x.txt", " title Own\n date 2019-01-01\n\nBody.", &ReadOptions::default(), Some(&sidecar));
        assert_eq!(a.unwrap().title, "Own");
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
        assert_eq!(a.date, day(2019, 12, 14));
        assert_eq!(a.origins.date, Some(Origin::Dateline));
    }

    #[test]
    fn summary_is_the_opening_sentences() {
        let (a, _) = parse_str("x.txt", "T\nDate: 2020-01-01\n\nOne. Two.\n\nThree.");
        assert_eq!(a.unwrap().summary, "One. Two.");
    }
}
