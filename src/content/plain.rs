//! The two plain-text formats.
//!
//! **Header format** (the client's seed article): leading lines ` KEY VALUE`
//! with keys `date`, `title`, `author`, `source`, `url`, `caption`, `slug`,
//! `summary`; the `date` line may carry the photo caption after the date:
//!
//! ```text
//!  date 2022-02-28 President Zelensky in Kyiv. (Press Service/Reuters)
//!
//! First paragraph...
//! ```
//!
//! **Headline format** (common corpus exports): the headline on line 1
//! (or a `Title:` line), then optional `Date:`, `URL:`, `Author:`,
//! `Source:`, `Section:` lines, a blank line and the
//! body. A first paragraph that is only a dateline ("Friday, January 4,
//! 2019") is the date repeated and is dropped.

use std::path::Path;

use super::date::{parse_date, parse_pub_date};
use super::parse::Draft;
use crate::diagnostics::Diagnostic;

/// Keys of the header format.
const HEADER_KEYS: [&str; 10] =
    ["date", "title", "author", "authors", "source", "url", "caption", "slug", "summary", "section"];

/// Whether `text` starts with a header-format line.
pub fn is_header_format(text: &str) -> bool {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let (key, value) = split_key(first.trim_start());
    let indented = first.starts_with([' ', '\t']);
    let known = HEADER_KEYS.contains(&key.to_ascii_lowercase().as_str());
    known && (indented || (key == "date" && value.split_whitespace().next().and_then(parse_date).is_some()))
}

/// Parses the header format.
pub fn parse_header_format(path: &Path, text: &str, diagnostics: &mut Vec<Diagnostic>) -> Draft {
    let mut draft = Draft::default();
    let mut lines = text.lines().enumerate().skip_while(|(_, l)| l.trim().is_empty()).peekable();
    let mut body_start = None;
    while let Some(&(index, line)) = lines.peek() {
        if line.trim().is_empty() {
            break;
        }
        let line_no = index + 1;
        let (key, value) = split_key(line.trim_start());
        match key.to_ascii_lowercase().as_str() {
            "date" => {
                let (date_text, caption) = value.split_once(char::is_whitespace).unwrap_or((value, ""));
                match parse_pub_date(date_text) {
                    Some(date) => draft.date = Some(date),
                    None => diagnostics.push(Diagnostic::warning(
                        path,
                        Some(line_no),
                        format!("invalid date {date_text:?}"),
                    )),
                }
                set_text(&mut draft.caption, caption);
            }
            "title" => set_text(&mut draft.title, value),
            "author" | "authors" => draft.authors.extend(split_authors(value)),
            "url" => set_text(&mut draft.source_url, value),
            "source" if looks_like_url(value) => set_text(&mut draft.source_url, value),
            "source" => set_text(&mut draft.source_name, value),
            "caption" => set_text(&mut draft.caption, value),
            "slug" => set_text(&mut draft.slug, value),
            "summary" => set_text(&mut draft.summary, value),
            "section" => set_text(&mut draft.section, value),
            _ => {
                diagnostics.push(Diagnostic::warning(
                    path,
                    Some(line_no),
                    format!("{key:?} is not a header key ({}); line kept as body text", HEADER_KEYS.join(", ")),
                ));
                body_start = Some(index);
                break;
            }
        }
        lines.next();
    }
    let rest_index = body_start.or_else(|| lines.peek().map(|&(i, _)| i));
    let rest = rest_index.map_or("", |i| nth_line_onwards(text, i));
    draft.paragraphs = paragraphs(rest);
    if draft.title.is_none() && draft.paragraphs.len() > 1 && is_headline_paragraph(rest) {
        draft.title = Some(draft.paragraphs.remove(0));
        draft.title_is_first_line = true;
    }
    draft
}

/// Whether the first paragraph of `body` is a headline: a single short line
/// that does not end like a sentence.
fn is_headline_paragraph(body: &str) -> bool {
    let first = body.trim_start_matches('\n').split("\n\n").next().unwrap_or("").trim();
    !first.contains('\n')
        && first.split_whitespace().count() <= 20
        && !first.ends_with(['.', '!', '?', '"', '”', '’', ':', ',', ';'])
        && parse_date(first).is_none()
}

/// Parses the headline format.
pub fn parse_headline_format(path: &Path, text: &str, diagnostics: &mut Vec<Diagnostic>) -> Draft {
    let mut draft = Draft::default();
    let mut lines = text.lines().enumerate().skip_while(|(_, l)| l.trim().is_empty());
    if let Some((_, headline)) = lines.next() {
        // `Title: …` names the headline; any other first line is one.
        match headline.split_once(':') {
            Some((key, value)) if key.trim().eq_ignore_ascii_case("title") && !value.trim().is_empty() => {
                set_text(&mut draft.title, value);
            }
            _ => {
                set_text(&mut draft.title, headline.trim());
                draft.title_is_first_line = true;
            }
        }
    }
    let mut body_index = None;
    for (index, line) in lines {
        if line.trim().is_empty() {
            body_index = Some(index);
            break;
        }
        let Some((key, value)) = line.split_once(':') else {
            body_index = Some(index);
            break;
        };
        let value = value.trim();
        match key.trim().to_ascii_lowercase().as_str() {
            "date" | "published" => match parse_pub_date(value) {
                Some(date) => draft.date = Some(date),
                None => diagnostics.push(Diagnostic::warning(path, Some(index + 1), format!("invalid date {value:?}"))),
            },
            "url" => set_text(&mut draft.source_url, value),
            "source" if looks_like_url(value) => set_text(&mut draft.source_url, value),
            "source" => set_text(&mut draft.source_name, value),
            "author" | "authors" | "by" => draft.authors.extend(split_authors(value)),
            "caption" => set_text(&mut draft.caption, value),
            "summary" => set_text(&mut draft.summary, value),
            "slug" => set_text(&mut draft.slug, value),
            "section" | "category" => set_text(&mut draft.section, value),
            _ => {
                body_index = Some(index);
                break;
            }
        }
    }
    let rest = body_index.map_or("", |i| nth_line_onwards(text, i));
    draft.paragraphs = paragraphs(rest);
    draft
}

/// Splits body text into paragraphs at blank lines; lines within a paragraph are joined.
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(line);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn split_key(line: &str) -> (&str, &str) {
    match line.split_once(char::is_whitespace) {
        Some((key, value)) => (key.trim_end_matches(':'), value.trim()),
        None => (line.trim_end_matches(':'), ""),
    }
}

pub(super) fn split_authors(value: &str) -> impl Iterator<Item = String> + '_ {
    value.split([',', ';']).flat_map(|a| a.split(" and ")).map(str::trim).filter(|a| !a.is_empty()).map(String::from)
}

fn set_text(slot: &mut Option<String>, value: &str) {
    let value = value.trim();
    if !value.is_empty() {
        *slot = Some(value.to_string());
    }
}

fn looks_like_url(value: &str) -> bool {
    value.starts_with("http://") || value.starts_with("https://")
}

fn nth_line_onwards(text: &str, n: usize) -> &str {
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i == n {
            return &text[offset..];
        }
        offset += line.len();
    }
    ""
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED_START: &str = " date 2022-02-28 Ukrainian President Volodymyr Zelenskiy makes a statement in Kyiv. (Handout via Reuters)\n\nPeace negotiations commenced.\n\nSecond paragraph\nwrapped.\n";

    #[test]
    fn header_format_reads_date_and_caption() {
        assert!(is_header_format(SEED_START));
        let mut d = Vec::new();
        let draft = parse_header_format(Path::new("a.txt"), SEED_START, &mut d);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(draft.date, chrono::NaiveDate::from_ymd_opt(2022, 2, 28).map(super::super::PubDate::day));
        assert_eq!(
            draft.caption.as_deref(),
            Some("Ukrainian President Volodymyr Zelenskiy makes a statement in Kyiv. (Handout via Reuters)")
        );
        assert_eq!(draft.title, None);
        assert_eq!(draft.paragraphs, vec!["Peace negotiations commenced.", "Second paragraph wrapped."]);
    }

    #[test]
    fn header_format_headline_paragraph() {
        let text = "date 2009-04-30\n\nAaron Gallagher cleared after appeal\n\nAaron Gallagher upheld the appeal.\n";
        assert!(is_header_format(text));
        let draft = parse_header_format(Path::new("a.txt"), text, &mut Vec::new());
        assert_eq!(draft.title.as_deref(), Some("Aaron Gallagher cleared after appeal"));
        assert_eq!(draft.paragraphs, vec!["Aaron Gallagher upheld the appeal."]);
    }

    #[test]
    fn header_format_other_keys() {
        let text =
            " date 2019-01-04\n title Hello world\n url https://example.org/a\n author Ann Lee and Bo Chan\n\nBody.";
        let mut d = Vec::new();
        let draft = parse_header_format(Path::new("a.txt"), text, &mut d);
        assert_eq!(draft.title.as_deref(), Some("Hello world"));
        assert_eq!(draft.source_url.as_deref(), Some("https://example.org/a"));
        assert_eq!(draft.authors, vec!["Ann Lee", "Bo Chan"]);
        assert_eq!(draft.caption, None);
    }

    #[test]
    fn headline_format_reads_key_lines() {
        let text = "Big news today\nDate: 2019-01-04\nURL: https://example.org/x\n\nFriday, January 4, 2019\n\nBody text here.";
        assert!(!is_header_format(text));
        let mut d = Vec::new();
        let draft = parse_headline_format(Path::new("a.txt"), text, &mut d);
        assert_eq!(draft.title.as_deref(), Some("Big news today"));
        assert_eq!(draft.date, chrono::NaiveDate::from_ymd_opt(2019, 1, 4).map(super::super::PubDate::day));
        assert_eq!(draft.paragraphs, vec!["Friday, January 4, 2019", "Body text here."]);
    }

    #[test]
    fn headline_format_bad_date_names_the_line() {
        let text = "Title\nDate: someday\n\nBody.";
        let mut d = Vec::new();
        let draft = parse_headline_format(Path::new("a.txt"), text, &mut d);
        assert_eq!(draft.date, None);
        assert_eq!(d[0].line, Some(2));
    }

    #[test]
    fn headline_format_title_line_is_read_as_a_field() {
        let draft =
            parse_headline_format(Path::new("a.txt"), "Title: Big news\nDate: 2019-03\n\nBody.", &mut Vec::new());
        assert_eq!(draft.title.as_deref(), Some("Big news"));
        assert!(!draft.title_is_first_line);
        assert_eq!(draft.date, super::super::PubDate::month(2019, 3));
        let draft = parse_headline_format(Path::new("a.txt"), "Big news: a day\n\nBody.", &mut Vec::new());
        assert_eq!(draft.title.as_deref(), Some("Big news: a day"));
        assert!(draft.title_is_first_line);
    }
}
