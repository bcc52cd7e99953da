//! How search text becomes terms, and which shard holds a term. The browser
//! side (`static/search.js`) does exactly the same, so these rules are part
//! of the index format: change both together and bump [`super::FORMAT`].
//!
//! A term is a maximal run of alphabetic or numeric characters, lowercased,
//! at least two characters and at most [`MAX_TERM_BYTES`] bytes long. On
//! English sites, plurals are folded by Harman's S-stemmer (see [`s_stem`]),
//! so that "elections" finds "election".

/// Longer runs (URLs, hashes) are not worth a term.
pub const MAX_TERM_BYTES: usize = 40;

/// Calls `each` with every term of `text`, in order, plurals folded when
/// `stem` is set. `scratch` is reused for lowercasing so that no term allocates.
pub fn for_each_term(text: &str, scratch: &mut String, stem: bool, mut each: impl FnMut(&str)) {
    for_each_run(text, |word| {
        if word.len() > MAX_TERM_BYTES || word.chars().nth(1).is_none() {
            return;
        }
        let lower = if word.bytes().all(|b| !b.is_ascii_uppercase() && b.is_ascii()) {
            word
        } else if word.is_ascii() {
            scratch.clear();
            scratch.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
            scratch.as_str()
        } else {
            scratch.clear();
            // str::to_lowercase, like JavaScript's toLowerCase, handles final sigma.
            scratch.push_str(&word.to_lowercase());
            scratch.as_str()
        };
        if stem {
            each(&s_stem(lower));
        } else {
            each(lower);
        }
    });
}

/// Calls `each` with every maximal run of alphanumeric characters of
/// `text`: what `text.split(|c: char| !c.is_alphanumeric())` gives without
/// its empty pieces, reading ASCII bytes without decoding them.
fn for_each_run<'t>(text: &'t str, mut each: impl FnMut(&'t str)) {
    let bytes = text.as_bytes();
    let mut start: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let (alphanumeric, width) = if bytes[i].is_ascii() {
            (bytes[i].is_ascii_alphanumeric(), 1)
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            (c.is_alphanumeric(), c.len_utf8())
        };
        match (alphanumeric, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                each(&text[s..i]);
                start = None;
            }
            _ => {}
        }
        i += width;
    }
    if let Some(s) = start {
        each(&text[s..]);
    }
}

/// Harman's S-stemmer, on words of four or more bytes: `-ies` → `-y`
/// (not after `a` or `e`), `-es` → `-e` (not after `a`, `e` or `o`), `-s` →
/// nothing (not after `u` or `s`).
pub fn s_stem(word: &str) -> std::borrow::Cow<'_, str> {
    let b = word.as_bytes();
    if b.len() < 4 || b[b.len() - 1] != b's' {
        return word.into();
    }
    let before = |n: usize| b[b.len() - n];
    // Harman's `-es` → `-e` rule drops the `s` just as the last rule does.
    if word.ends_with("ies") && !matches!(before(4), b'a' | b'e') {
        format!("{}y", &word[..word.len() - 3]).into()
    } else if !matches!(before(2), b'u' | b's') {
        word[..word.len() - 1].into()
    } else {
        word.into()
    }
}

/// The shard of a term: FNV-1a (32 bit) of its UTF-8 bytes, modulo `shards`.
pub fn shard_of(term: &str, shards: u32) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for b in term.bytes() {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash % shards.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_term(text, &mut String::new(), false, |t| out.push(t.to_string()));
        out
    }

    #[test]
    fn plurals_fold_to_their_singular() {
        let stem = |w| s_stem(w).into_owned();
        assert_eq!(stem("elections"), "election");
        assert_eq!(stem("countries"), "country");
        assert_eq!(stem("stories"), "story");
        assert_eq!(stem("horses"), "horse");
        assert_eq!(stem("heroes"), "heroe");
        assert_eq!(stem("census"), "census");
        assert_eq!(stem("address"), "address");
        assert_eq!(stem("gas"), "gas");
        let mut out = Vec::new();
        for_each_term("Talks resume", &mut String::new(), true, |t| out.push(t.to_string()));
        assert_eq!(out, ["talk", "resume"]);
    }

    #[test]
    fn terms_are_lowercased_runs_of_letters_and_digits() {
        assert_eq!(
            terms("Zelensky's talks in Kyiv, 2022-02-28!"),
            ["zelensky", "talks", "in", "kyiv", "2022", "02", "28"]
        );
        assert_eq!(terms("São Paulo ΟΔΟΣ"), ["são", "paulo", "οδος"]);
        assert_eq!(terms("a I x"), Vec::<String>::new(), "one-character words are not terms");
        assert!(terms(&"x".repeat(41)).is_empty());
    }

    #[test]
    fn runs_are_what_splitting_on_other_characters_gives() {
        let texts = [
            "",
            "a",
            " a ",
            "Zelensky's talks, 2022-02-28!",
            "São Paulo ΟΔΟΣ",
            "东京 and Kyiv—x",
            "ab\u{a0}cd\u{301}e",
            "..x..",
        ];
        for text in texts {
            let mut runs = Vec::new();
            for_each_run(text, |r| runs.push(r));
            let split: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
            assert_eq!(runs, split, "{text:?}");
        }
    }

    #[test]
    fn shards_match_the_browser_hash() {
        // FNV-1a test vectors, as computed by static/search.js.
        assert_eq!(shard_of("", u32::MAX), 0x811c_9dc5);
        assert_eq!(shard_of("a", u32::MAX), 0xe40c_292c);
        assert_eq!(shard_of("foobar", u32::MAX), 0xbf9c_f968);
        assert!(shard_of("kyiv", 64) < 64);
    }
}
