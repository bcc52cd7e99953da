//! Content: finding article files ([`discover`](mod@discover)) and reading them into
//! [`Article`]s ([`parse`](mod@parse)). Three formats are recognised by their first lines:
//! Markdown with TOML front matter ([`markdown`]), plain text with a header of
//! ` date …` lines, and plain text with the headline on line 1 ([`plain`]).
//! Collections hold many articles, one per row of a CSV, TSV or JSON Lines
//! file ([`collection`]); sidecars describe the files of their folder
//! ([`sidecar`]); both read rows with [`rows`] and map columns with [`fields`].

pub mod collection;
pub mod date;
pub mod decode;
pub mod discover;
pub mod fields;
pub mod headline;
pub mod markdown;
pub mod offsets;
pub mod parse;
pub mod plain;
pub mod rows;
pub mod sentences;
pub mod sidecar;

use std::path::PathBuf;

pub use date::{Precision, PubDate};
pub use discover::{Source, SourceKind, discover};
pub use parse::{ReadOptions, parse};

use crate::entity_kind::EntityKind;

/// An entity named by the author in front matter, not found by extraction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredEntity {
    /// The name as written.
    pub name: String,
    /// Its kind.
    pub kind: EntityKind,
}

/// The article body, in the form it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// Plain-text paragraphs: the article's `text`, a blank line between
    /// each two (kept once, in `text`).
    Paragraphs,
    /// Markdown source.
    Markdown(String),
}

/// How an article was written down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Markdown with TOML front matter.
    FrontMatter,
    /// Plain text with ` date …` header lines (the seed format).
    Header,
    /// Plain text with the headline on line 1.
    Headline,
    /// Markdown without front matter.
    Markdown,
    /// A row of a CSV, TSV or JSON Lines collection.
    CollectionRow,
}

/// Where a field of an article came from, as `gazette inspect` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// The article's own front matter, header lines or columns.
    Header,
    /// The folder's `metadata.csv` or `metadata.jsonl`.
    Sidecar,
    /// The file's path (`2019/03/05/…`, `2019-03-05-….txt`).
    Path,
    /// The first line of the body (`LONDON, March 3 (Reuters) -`).
    Dateline,
    /// The file's modification time (`date_fallback = "mtime"`).
    Modified,
    /// The first line of a headline-first file.
    Headline,
    /// Derived from the body's first sentence.
    FirstSentence,
    /// The folder the file is in.
    Folder,
}

/// Where an article's format, date, title and section came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origins {
    /// The format the text was read as.
    pub format: Format,
    /// Where the date came from (`None`: undated).
    pub date: Option<Origin>,
    /// Where the headline came from.
    pub title: Origin,
    /// Where the section came from (`None`: no section).
    pub section: Option<Origin>,
}

/// One article, parsed from one file or one row of a collection.
#[derive(Debug, Clone)]
pub struct Article {
    /// The file it came from, relative to the site root (for a row of a
    /// collection, `file.csv:row 17`).
    pub source: PathBuf,
    /// Publication date, as precisely as known; `None` when undated.
    pub date: Option<PubDate>,
    /// The section's display name, if it is in one.
    pub section: Option<String>,
    /// Where its format, date, title and section came from.
    pub origins: Origins,
    /// Headline (given or derived from the first sentence).
    pub title: String,
    /// URL slug, unique within its day after resolution.
    pub slug: String,
    /// Photo caption with credit.
    pub caption: Option<String>,
    /// Authors.
    pub authors: Vec<String>,
    /// Summary (given, or the opening sentences).
    pub summary: String,
    /// Whether the summary was written by the author (else derived from the body).
    pub summary_given: bool,
    /// Where the article was first published.
    pub source_url: Option<String>,
    /// Name of the publication it came from, when given without a URL.
    pub source_name: Option<String>,
    /// The body as written.
    pub body: Body,
    /// The body as plain text: paragraphs joined by blank lines. Entity
    /// mention spans are byte offsets into this text.
    pub text: String,
    /// Entities declared in front matter.
    pub declared_entities: Vec<DeclaredEntity>,
    /// Lead image: a web URL or a site-relative path (checked when parsed).
    pub image: Option<String>,
    /// Date of the last revision, when later than `date`.
    pub updated: Option<chrono::NaiveDate>,
    /// A hash of the file's bytes: equal bytes, equal article.
    pub fingerprint: u64,
}

impl Article {
    /// The day the article is ordered and compared by: its date's first
    /// day; every undated article shares the earliest day there is, so
    /// they sort before all dated ones and form one period of their own.
    pub fn day_key(&self) -> chrono::NaiveDate {
        self.date.map_or(chrono::NaiveDate::MIN, |d| d.first_day)
    }

    /// The text entities are found in: the body, then (after a blank line)
    /// the photo caption. Mention spans are offsets into this text; spans
    /// past the body are in the caption.
    pub fn entity_text(&self) -> std::borrow::Cow<'_, str> {
        match &self.caption {
            Some(caption) => format!("{}\n\n{caption}", self.text).into(),
            None => self.text.as_str().into(),
        }
    }

    /// A slice of [`Article::entity_text`] without building it: body or caption.
    pub fn entity_slice(&self, start: usize, end: usize) -> &str {
        let body = self.text.len();
        match &self.caption {
            Some(caption) if start >= body + 2 => caption.get(start - body - 2..end - body - 2).unwrap_or(""),
            _ => self.text.get(start..end).unwrap_or(""),
        }
    }

    /// Number of words in the body.
    pub fn word_count(&self) -> usize {
        count_words(&self.text)
    }
}

/// Number of words in `text`, as `text.split_whitespace().count()` gives:
/// eight ASCII bytes at a time, decoding only other characters.
pub fn count_words(text: &str) -> usize {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let bytes = text.as_bytes();
    // Whether the byte before `i` ended a word (or there is none).
    let (mut words, mut after_space, mut i) = (0, true, 0);
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 8) {
            let x = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
            if x & HIGH == 0 {
                // ASCII only, so no byte carries into the next: the high bit
                // of each byte says whether it is a space (0x20) or one of
                // 0x09..=0x0d, the ASCII characters `char::is_whitespace` accepts.
                let blank = !((x ^ (LOW * 0x20)) + LOW * 0x7f) & HIGH;
                let control = (x + LOW * (0x80 - 0x09)) & !(x + LOW * (0x80 - 0x0e)) & HIGH;
                let space = blank | control;
                let before = (space << 8) | u64::from(after_space) << 7;
                words += (!space & HIGH & before).count_ones() as usize;
                after_space = space >> 63 == 1;
                i += 8;
                continue;
            }
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        let space = c.is_whitespace();
        words += usize::from(!space && after_space);
        after_space = space;
        i += c.len_utf8();
    }
    words
}

#[cfg(test)]
mod tests {
    use super::count_words;

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        let texts = [
            "",
            " ",
            "one",
            "  two words  ",
            "tab\tand\nnew\r\nline\x0bvertical\x0cfeed",
            "no\u{a0}break and\u{2003}em\u{3000}space\u{85}next",
            "Zürich, Kyiv — «quoted» 東京 ok",
            "\u{200b}zero-width is not space",
            "end with space\u{2029}",
            "eight by eight: ascii words\tacross\x0bchunks\r\nof\x0ceight  bytes and é in between, x y z",
            "\x08\x0e\x1f\x21 control bytes that are not spaces\x7f",
        ];
        for text in texts {
            // At every offset, so that each character falls in every place of an eight-byte word.
            for (at, _) in text.char_indices() {
                let text = &text[at..];
                assert_eq!(count_words(text), text.split_whitespace().count(), "{text:?}");
            }
        }
        let every_ascii: String = (0u8..128).map(char::from).collect();
        for (at, _) in every_ascii.char_indices() {
            assert_eq!(count_words(&every_ascii[at..]), every_ascii[at..].split_whitespace().count());
        }
    }
}
