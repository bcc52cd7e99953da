//! Markdown articles with TOML front matter between `+++` lines, and the
//! walk over Markdown events that both extraction and rendering use, so that
//! entity spans found in the plain text line up with the rendered text.

use std::path::Path;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, TextMergeStream};
use serde::Deserialize;

use super::DeclaredEntity;
use super::date::{parse_date, parse_pub_date};
use super::parse::Draft;
use crate::diagnostics::Diagnostic;
use crate::entity_kind::EntityKind;

/// Front matter keys we read.
#[derive(Debug, Default, Deserialize)]
struct FrontMatter {
    title: Option<String>,
    date: Option<toml::Value>,
    #[serde(default)]
    authors: Vec<String>,
    author: Option<String>,
    summary: Option<String>,
    source_url: Option<String>,
    source: Option<String>,
    caption: Option<String>,
    slug: Option<String>,
    section: Option<String>,
    image: Option<String>,
    updated: Option<toml::Value>,
    #[serde(default)]
    entities: FrontMatterEntities,
}

/// `[entities]` in front matter: names the author declares.
#[derive(Debug, Default, Deserialize)]
struct FrontMatterEntities {
    #[serde(default)]
    people: Vec<String>,
    #[serde(default)]
    places: Vec<String>,
    #[serde(default)]
    organisations: Vec<String>,
    #[serde(default)]
    other: Vec<String>,
}

const KNOWN_KEYS: [&str; 14] = [
    "title",
    "section",
    "date",
    "updated",
    "authors",
    "author",
    "summary",
    "source_url",
    "source",
    "caption",
    "image",
    "slug",
    "entities",
    "draft",
];

/// Whether the text opens a front matter block.
pub fn has_front_matter(text: &str) -> bool {
    text.lines().next().is_some_and(|l| l.trim_end() == "+++")
}

/// Parses a Markdown article with front matter. Returns `None` (with an
/// error diagnostic) when the front matter is unclosed or invalid.
pub fn parse_front_matter_article(path: &Path, text: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<Draft> {
    let after_open = text.split_once('\n').map_or("", |(_, rest)| rest);
    let Some((toml_text, body)) = split_closing(after_open) else {
        diagnostics.push(Diagnostic::error(
            path,
            Some(1),
            "front matter opened with +++ is never closed; file skipped",
        ));
        return None;
    };
    let front: FrontMatter = match toml::from_str(toml_text) {
        Ok(front) => front,
        Err(e) => {
            let line = e.span().map_or(1, |s| toml_text[..s.start.min(toml_text.len())].matches('\n').count() + 2);
            diagnostics.push(Diagnostic::error(
                path,
                Some(line),
                format!("invalid front matter: {}; file skipped", e.message()),
            ));
            return None;
        }
    };
    if let Ok(table) = toml::from_str::<toml::Table>(toml_text) {
        for key in table.keys().filter(|k| !KNOWN_KEYS.contains(&k.as_str())) {
            diagnostics.push(Diagnostic::warning(
                path,
                None,
                format!("unknown front matter key {key:?} ignored (known: {})", KNOWN_KEYS.join(", ")),
            ));
        }
    }
    let mut draft = Draft { markdown: Some(body.to_string()), ..Draft::default() };
    draft.date = front.date.as_ref().and_then(toml_pub_date);
    if front.date.is_some() && draft.date.is_none() {
        diagnostics.push(Diagnostic::warning(path, None, "front matter date is not a valid date"));
    }
    draft.updated = front.updated.as_ref().and_then(toml_date);
    if front.updated.is_some() && draft.updated.is_none() {
        diagnostics.push(Diagnostic::warning(path, None, "front matter updated is not a valid date; ignored"));
    }
    draft.image = front.image.filter(|i| !i.trim().is_empty()).and_then(|image| match checked_image(&image) {
        Some(checked) => Some(checked),
        None => {
            diagnostics.push(Diagnostic::warning(
                path,
                None,
                format!("image {image:?} is neither an http(s) URL nor a path inside the site; ignored"),
            ));
            None
        }
    });
    draft.title = front.title.filter(|t| !t.trim().is_empty());
    draft.authors = front.authors;
    draft.authors.extend(front.author);
    draft.summary = front.summary;
    draft.source_url = front.source_url;
    draft.source_name = front.source;
    draft.caption = front.caption;
    draft.slug = front.slug;
    draft.section = front.section;
    let e = front.entities;
    for (names, kind) in [
        (e.people, EntityKind::Person),
        (e.places, EntityKind::Place),
        (e.organisations, EntityKind::Organisation),
        (e.other, EntityKind::Misc),
    ] {
        draft
            .declared_entities
            .extend(names.into_iter().filter(|n| !n.trim().is_empty()).map(|name| DeclaredEntity { name, kind }));
    }
    Some(draft)
}

/// A front matter publication date: a TOML date or datetime, or a date
/// in text, to the day, month (`"2019-03"`) or year (`"2019"`, `2019`).
fn toml_pub_date(value: &toml::Value) -> Option<super::PubDate> {
    match value {
        toml::Value::String(s) => parse_pub_date(s),
        toml::Value::Integer(year) => i32::try_from(*year).ok().and_then(super::PubDate::year),
        _ => toml_date(value).map(super::PubDate::day),
    }
}

/// A front matter date: a TOML date or datetime, or a date in text.
fn toml_date(value: &toml::Value) -> Option<chrono::NaiveDate> {
    match value {
        toml::Value::Datetime(dt) => {
            dt.date.and_then(|d| chrono::NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into()))
        }
        toml::Value::String(s) => parse_date(s),
        _ => None,
    }
}

/// An image reference that is safe to link: an http(s) URL, or a path
/// inside the site (no scheme, no `..`), returned without a leading slash.
fn checked_image(image: &str) -> Option<String> {
    let image = image.trim();
    let lower = image.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return (!image.contains(char::is_whitespace)).then(|| image.to_string());
    }
    let path = image.trim_start_matches('/');
    let safe = !path.is_empty()
        && !path.contains(':')
        && !path.contains('\\')
        && !path.starts_with('/')
        && !path.split('/').any(|segment| segment == ".." || segment == ".")
        && !path.chars().any(|c| c.is_control() || c.is_whitespace() || matches!(c, '"' | '<' | '>' | '?' | '#'));
    safe.then(|| path.to_string())
}

/// Markdown without front matter: a leading `# Heading` is the title.
pub fn parse_bare_markdown(text: &str) -> Draft {
    let trimmed = text.trim_start();
    if let Some(rest) = trimmed.strip_prefix("# ") {
        let (title, body) = rest.split_once('\n').unwrap_or((rest, ""));
        return Draft {
            title: Some(title.trim().to_string()),
            title_is_first_line: true,
            markdown: Some(body.to_string()),
            ..Draft::default()
        };
    }
    Draft { markdown: Some(text.to_string()), ..Draft::default() }
}

fn split_closing(text: &str) -> Option<(&str, &str)> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Some((&text[..offset], &text[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

/// Parser options used everywhere Markdown is read.
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH
}

/// Markdown as events, each text event tagged with its byte offset in the
/// plain text, plus that plain text (blocks separated by blank lines).
///
/// Raw HTML becomes text (and so is escaped when rendered) unless
/// `allow_raw_html` is set.
pub fn walk(source: &str, allow_raw_html: bool) -> (String, Vec<(Event<'_>, Option<usize>)>) {
    let mut plain = String::with_capacity(source.len());
    let mut events = Vec::new();
    for event in TextMergeStream::new(Parser::new_ext(source, options())) {
        let event = match event {
            Event::Html(html) | Event::InlineHtml(html) if !allow_raw_html => Event::Text(html),
            other => other,
        };
        match &event {
            Event::Text(text) | Event::Code(text) => {
                let offset = plain.len();
                plain.push_str(text);
                events.push((event, Some(offset)));
                continue;
            }
            Event::SoftBreak | Event::HardBreak => plain.push(' '),
            Event::End(end) if is_block_end(end) => end_block(&mut plain),
            Event::Start(Tag::Item) => end_block(&mut plain),
            _ => {}
        }
        events.push((event, None));
    }
    let trimmed = plain.trim_end().len();
    plain.truncate(trimmed);
    (plain, events)
}

fn is_block_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::BlockQuote(_)
            | TagEnd::CodeBlock
            | TagEnd::Item
            | TagEnd::TableCell
            | TagEnd::FootnoteDefinition
            | TagEnd::HtmlBlock
    )
}

fn end_block(plain: &mut String) {
    if !plain.is_empty() && !plain.ends_with("\n\n") {
        plain.push_str(if plain.ends_with('\n') { "\n" } else { "\n\n" });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_fields() {
        let text = "+++\ntitle = \"T\"\ndate = 2022-02-28\nauthors = [\"A\"]\nsource_url = \"https://x.org\"\n[entities]\npeople = [\"Jane Roe\"]\n+++\n\nBody *here*.\n";
        let mut d = Vec::new();
        let draft = parse_front_matter_article(Path::new("a.md"), text, &mut d).unwrap();
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(draft.title.as_deref(), Some("T"));
        assert_eq!(draft.date, chrono::NaiveDate::from_ymd_opt(2022, 2, 28).map(super::super::PubDate::day));
        assert_eq!(draft.declared_entities, vec![DeclaredEntity { name: "Jane Roe".into(), kind: EntityKind::Person }]);
        assert_eq!(draft.markdown.as_deref(), Some("\nBody *here*.\n"));
    }

    #[test]
    fn image_and_updated_are_read_and_unsafe_images_dropped_with_a_warning() {
        let text = "+++\ntitle = \"T\"\ndate = 2022-02-28\nupdated = \"2022-03-02\"\nimage = \"/photos/kyiv.jpg\"\n+++\nBody\n";
        let mut d = Vec::new();
        let draft = parse_front_matter_article(Path::new("a.md"), text, &mut d).unwrap();
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(draft.image.as_deref(), Some("photos/kyiv.jpg"));
        assert_eq!(draft.updated, chrono::NaiveDate::from_ymd_opt(2022, 3, 2));
        let hostile = "+++\ntitle = \"T\"\nimage = \"javascript:alert(1)\"\n+++\nBody\n";
        let draft = parse_front_matter_article(Path::new("b.md"), hostile, &mut d).unwrap();
        assert_eq!(draft.image, None);
        assert!(d[0].message.contains("javascript:alert(1)"), "{d:?}");
    }

    #[test]
    fn only_web_urls_and_paths_inside_the_site_are_images() {
        assert_eq!(checked_image("https://img.example/a.jpg").as_deref(), Some("https://img.example/a.jpg"));
        assert_eq!(checked_image("img/a.jpg").as_deref(), Some("img/a.jpg"));
        for bad in ["../../etc/passwd", "img/../../x", "data:image/png;base64,AA", "a b.jpg", "x\"onerror=\"y", ""] {
            assert_eq!(checked_image(bad), None, "{bad}");
        }
    }

    #[test]
    fn unclosed_front_matter_is_an_error_on_line_1() {
        let mut d = Vec::new();
        assert!(parse_front_matter_article(Path::new("a.md"), "+++\ntitle = \"T\"\n\nBody", &mut d).is_none());
        assert_eq!(d[0].line, Some(1));
        assert!(d[0].message.contains("never closed"));
    }

    #[test]
    fn bad_front_matter_names_the_line() {
        let mut d = Vec::new();
        assert!(
            parse_front_matter_article(Path::new("a.md"), "+++\ntitle = \"T\"\ndate = = 3\n+++\nBody", &mut d)
                .is_none()
        );
        assert_eq!(d[0].line, Some(3), "{d:?}");
    }

    #[test]
    fn walk_offsets_match_plain_text() {
        let (plain, events) = walk("# Head\n\nSome *bold* text and [Kyiv](x).\n\n- one\n- two\n", false);
        assert_eq!(plain, "Head\n\nSome bold text and Kyiv.\n\none\n\ntwo");
        for (event, offset) in events {
            if let (Event::Text(t), Some(o)) = (event, offset) {
                assert_eq!(&plain[o..o + t.len()], t.as_ref());
            }
        }
    }

    #[test]
    fn raw_html_becomes_text_unless_allowed() {
        let (plain, _) = walk("Hi <script>alert(1)</script>", false);
        assert!(plain.contains("<script>"));
        let (_, events) = walk("<div>x</div>\n", true);
        assert!(events.iter().any(|(e, _)| matches!(e, Event::Html(_))));
    }
}
