//! Properties that hold for any input, checked on random text (proptest,
//! a small number of cases so that `cargo test` stays quick): parsing is
//! total, spans stay inside the text on character boundaries, slugs are
//! safe, escaping leaves no markup, search terms are lowercase words,
//! dates read back what they wrote, headlines are one short line.

use std::path::Path;

use gazette::content::date::{date_from_file_name, parse_date};
use gazette::content::headline::derive_headline;
use gazette::content::parse::parse_alone;
use gazette::content::sentences::{SentenceIndex, sentence_spans};
use gazette::entities::tokenize::tokenize;
use gazette::render::body::escape;
use gazette::search::tokens::{MAX_TERM_BYTES, for_each_term};
use gazette::text::slug::slugify;
use proptest::prelude::*;

/// Text that looks like articles gone wrong: headers, front matter, dates,
/// names, punctuation runs, odd spaces and characters of other scripts.
fn messy_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Title: ".to_string()),
        Just("Date: 2022-02-30\n".to_string()),
        Just("+++\ntitle = \"x\"\n".to_string()),
        Just("---\n".to_string()),
        Just("\n\n".to_string()),
        Just("Volodymyr Zelensky".to_string()),
        Just("Nukuʻalofa".to_string()),
        Just("U.S. ".to_string()),
        Just("\u{ad}\u{200b}\u{feff}".to_string()),
        Just("<script>alert(1)</script>".to_string()),
        Just("&amp; \"'".to_string()),
        Just("> > > ".to_string()),
        Just("- - - ".to_string()),
        Just("(((([[[[".to_string()),
        Just("...!!!???".to_string()),
        "[A-Za-z]{1,12}",
        "[a-z ,.]{0,20}",
        "\\PC{0,8}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

/// Reads HTML character references back, in one pass.
fn unescape(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let (text, len) = [("&amp;", '&'), ("&lt;", '<'), ("&gt;", '>'), ("&quot;", '"'), ("&#39;", '\'')]
            .iter()
            .find(|(entity, _)| rest.starts_with(entity))
            .map_or(('&', 1), |(entity, c)| (*c, entity.len()));
        out.push(text);
        rest = &rest[len..];
    }
    out.push_str(rest);
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn parsing_any_bytes_is_total(bytes in prop::collection::vec(any::<u8>(), 0..600), name in "[a-z0-9_-]{1,12}\\.(txt|md)") {
        let (article, diagnostics) = parse_alone(Path::new(&name), &bytes);
        if let Some(a) = article {
            prop_assert!(a.slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{}", a.slug);
        } else {
            prop_assert!(!diagnostics.is_empty(), "a file skipped without a word");
        }
    }

    #[test]
    fn parsing_messy_text_is_total_and_slugs_are_safe(text in messy_text()) {
        for name in ["a.txt", "2022-03-01-a.md"] {
            let (article, diagnostics) = parse_alone(Path::new(name), text.as_bytes());
            match article {
                Some(a) => {
                    prop_assert!(!a.slug.is_empty());
                    prop_assert!(a.slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{}", a.slug);
                }
                None => prop_assert!(!diagnostics.is_empty()),
            }
        }
    }

    #[test]
    fn tokens_and_sentences_lie_inside_the_text_on_character_boundaries(text in messy_text()) {
        let (mut tokens, mut sentences) = (Vec::new(), Vec::new());
        tokenize(&text, &mut tokens, &mut sentences);
        let mut last_end = 0;
        for t in &tokens {
            let (s, e) = (t.start as usize, t.end as usize);
            prop_assert!(s < e && e <= text.len() && s >= last_end);
            prop_assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
            last_end = e;
        }
        for r in &sentences {
            prop_assert!(r.start <= r.end && r.end <= tokens.len());
        }
        for (s, e) in sentence_spans(&text) {
            prop_assert!(s <= e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e));
        }
        let index = SentenceIndex::new(&text);
        for at in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
            if let Some((s, e)) = index.snippet_at(&text, at) {
                let (s, e) = (s as usize, e as usize);
                prop_assert!(s <= e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e));
            }
        }
    }

    #[test]
    fn slugs_are_lowercase_ascii_words_and_hyphens(text in "\\PC{0,60}") {
        let slug = slugify(&text);
        prop_assert!(slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{slug}");
        prop_assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"), "{slug}");
    }

    #[test]
    fn escaped_text_has_no_markup_and_reads_back(text in messy_text()) {
        let escaped = escape(&text);
        prop_assert!(!escaped.contains('<') && !escaped.contains('>') && !escaped.contains('"'));
        prop_assert_eq!(unescape(&escaped), text);
    }

    #[test]
    fn search_terms_are_the_lowercased_alphanumeric_runs(text in messy_text()) {
        let mut scratch = String::new();
        let mut terms = Vec::new();
        for_each_term(&text, &mut scratch, false, |t| terms.push(t.to_string()));
        // The rule, written the slow and obvious way.
        let expected: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 2 && w.len() <= MAX_TERM_BYTES)
            .map(str::to_lowercase)
            .collect();
        prop_assert_eq!(&terms, &expected);
        let mut stemmed = Vec::new();
        for_each_term(&text, &mut scratch, true, |t| stemmed.push(t.to_string()));
        prop_assert_eq!(stemmed.len(), terms.len());
        for (stem, term) in stemmed.iter().zip(&terms) {
            prop_assert!(stem.len() <= term.len() && !stem.is_empty(), "{} from {}", stem, term);
        }
    }

    #[test]
    fn dates_read_back_in_every_written_form(days in 0i64..3_000_000, weekday in any::<bool>()) {
        let date = chrono::NaiveDate::from_ymd_opt(1, 1, 1).unwrap() + chrono::Days::new(days as u64);
        let mut forms = vec![
            date.format("%Y-%m-%d").to_string(),
            date.format("%Y/%m/%d").to_string(),
            date.format("%Y-%m-%dT10:00:00Z").to_string(),
            date.format("%B %d, %Y").to_string(),
            date.format("%d %B %Y").to_string(),
        ];
        if weekday {
            forms.push(date.format("%A, %B %d, %Y").to_string());
        }
        for form in &forms {
            prop_assert_eq!(parse_date(form), Some(date), "{}", form);
        }
        let name = format!("{}_title.txt", date.format("%Y-%m-%d"));
        prop_assert_eq!(date_from_file_name(&name), Some(date));
    }

    #[test]
    fn reading_a_date_from_any_text_is_total(text in "\\PC{0,40}", name in "\\PC{0,30}") {
        let _ = parse_date(&text);
        let _ = date_from_file_name(&name);
    }

    #[test]
    fn a_headline_is_one_short_line_of_the_text(text in messy_text()) {
        let headline = derive_headline(&text);
        prop_assert!(!headline.contains('\n'), "{:?}", headline);
        prop_assert!(headline.chars().count() <= 200, "{:?}", headline);
        // Every word after the first (which may have been capitalised) comes from the text.
        for word in headline.split_whitespace().skip(1) {
            let core = word.trim_matches(|c: char| !c.is_alphanumeric());
            prop_assert!(text.contains(core), "{} not in the text", word);
        }
    }

    #[test]
    fn header_and_front_matter_fields_read_back(
        title in "[A-Za-z][A-Za-z0-9 ,'&<>\"-]{0,40}[A-Za-z0-9]",
        days in 0i64..20_000,
        body in "[A-Za-z .,\n]{1,200}",
    ) {
        let date = chrono::NaiveDate::from_ymd_opt(1990, 1, 1).unwrap() + chrono::Days::new(days as u64);
        let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
        let header = format!(" date {date}\n title {title}\n\n{body}\n");
        let headline = format!("{title}\nDate: {date}\n\n{body}\n");
        let toml_title = title.replace('\\', "\\\\").replace('"', "\\\"");
        let front = format!("+++\ntitle = \"{toml_title}\"\ndate = {date}\n+++\n\n{body}\n");
        for (name, text) in [("a.txt", &header), ("b.txt", &headline), ("c.md", &front)] {
            let (article, diagnostics) = parse_alone(Path::new(name), text.as_bytes());
            let article = article.unwrap_or_else(|| panic!("{name} skipped: {diagnostics:?}\n{text}"));
            prop_assert_eq!(&article.title, &title, "{}", name);
            prop_assert_eq!(article.date, Some(gazette::content::PubDate::day(date)), "{}", name);
        }
    }
}
