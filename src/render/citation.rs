//! How to cite an article: a line to read, and BibTeX (biblatex `@online`)
//! and CSL-JSON to copy into a reference manager. Built from the article's
//! permanent URL on this site, its date, authors and the publication (the
//! site's title).

use chrono::Datelike as _;
use serde::Serialize;
use serde_json::json;

use super::links::date_strings;
use crate::archive::{Archive, ArticleId};
use crate::config::Config;
use crate::content::Precision;

/// An article's citation in three forms; plain text (templates escape it).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Citation {
    /// `Jane Doe, "Headline", Publication, 28 February 2022, https://…`
    pub text: String,
    /// A biblatex `@online` entry.
    pub bibtex: String,
    /// A CSL-JSON item (`article-newspaper`), pretty-printed.
    pub csl_json: String,
}

/// The citation of an article.
pub fn cite(archive: &Archive, config: &Config, id: ArticleId) -> Citation {
    let a = &archive.articles[id];
    let url = format!("{}{}", config.base_url, archive.article_path(id));
    let (iso, _) = date_strings(a.date);
    let readable = a.date.map(|d| match d.precision {
        Precision::Day => super::links::day_label(d.first_day),
        _ => d.display(),
    });
    let authors = a.authors.join(" and ");
    let mut text = String::new();
    if !authors.is_empty() {
        text.push_str(&authors);
        text.push_str(", ");
    }
    text.push_str(&format!("\u{201c}{}\u{201d}, {}", a.title, config.title));
    if let Some(date) = &readable {
        text.push_str(", ");
        text.push_str(date);
    }
    text.push_str(", ");
    text.push_str(&url);
    let key = bibtex_key(&archive.article_path(id));
    let mut bibtex = format!("@online{{{key},\n  title = {{{}}},\n", bibtex_escape(&a.title));
    if !authors.is_empty() {
        bibtex.push_str(&format!("  author = {{{}}},\n", bibtex_escape(&authors)));
    }
    if !iso.is_empty() {
        bibtex.push_str(&format!("  date = {{{iso}}},\n"));
    }
    bibtex.push_str(&format!("  organization = {{{}}},\n  url = {{{url}}},\n}}", bibtex_escape(&config.title)));
    let mut item = json!({
        "id": key,
        "type": "article-newspaper",
        "title": a.title,
        "container-title": config.title,
        "URL": url,
    });
    if !a.authors.is_empty() {
        item["author"] = a.authors.iter().map(|name| json!({ "literal": name })).collect();
    }
    if let Some(d) = a.date {
        let day = d.first_day;
        let parts: Vec<i64> = match d.precision {
            Precision::Day => vec![day.year().into(), day.month().into(), day.day().into()],
            Precision::Month => vec![day.year().into(), day.month().into()],
            Precision::Year => vec![day.year().into()],
        };
        item["issued"] = json!({ "date-parts": [parts] });
    }
    let csl_json = one_field_a_line(&item);
    Citation { text, bibtex, csl_json }
}

/// A JSON object with one field to a line, each value compact.
fn one_field_a_line(item: &serde_json::Value) -> String {
    let Some(fields) = item.as_object() else { return item.to_string() };
    let lines: Vec<String> =
        fields.iter().map(|(k, v)| format!("  {}: {v}", serde_json::Value::from(k.as_str()))).collect();
    format!("{{\n{}\n}}", lines.join(",\n"))
}

/// A citation key from the page path: `2022-02-28-peace-talks`.
fn bibtex_key(path: &str) -> String {
    let key: String = path.trim_end_matches('/').replace('/', "-");
    key.chars().take(64).collect()
}

/// Text safe inside a braced BibTeX field: specials escaped, braces and
/// backslashes (which would end or command the field) replaced.
fn bibtex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '{' => out.push('('),
            '}' => out.push(')'),
            '\\' => out.push('/'),
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bibtex_fields_cannot_be_closed_or_commanded_from_the_text() {
        assert_eq!(
            bibtex_escape("A} \\input{x} & 50% #1_b ~^"),
            "A) /input(x) \\& 50\\% \\#1\\_b \\textasciitilde{}\\textasciicircum{}"
        );
        assert_eq!(bibtex_key("2022/02/28/peace-talks/"), "2022-02-28-peace-talks");
    }
}
