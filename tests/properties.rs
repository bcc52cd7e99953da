//! Properties that hold for any input, checked on random text (proptest,
//! a small number of cases so that `cargo test` stays quick): parsing is
//! total, spans stay inside the text on character boundaries, slugs are
//! safe, escaping leaves no markup, search terms are lowercase words.

use std::path::Path;

use gazette::content::parse::parse_bytes;
use gazette::content::sentences::{SentenceIndex, sentence_spans};
use gazette::entities::tokenize::tokenize;
use gazette::render::body::escape;
use gazette::slug::slugify;
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
        let (article, diagnostics) = parse_bytes(Path::new(&name), &bytes, false, || None);
        if let Some(a) = article {
            prop_assert!(a.slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{}", a.slug);
        } else {
            prop_assert!(!diagnostics.is_empty(), "a file skipped without a word");
        }
    }

    #[test]
    fn parsing_messy_text_is_total_and_slugs_are_safe(text in messy_text()) {
        for name in ["a.txt", "2022-03-01-a.md"] {
            let (article, diagnostics) = parse_bytes(Path::new(name), text.as_bytes(), false, || None);
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
}
