//! How search text becomes terms, and which shard holds a term. The browser
//! side (`static/search.js`) does exactly the same, so these rules are part
//! of the index format: change both together and bump [`super::FORMAT`].
//!
//! A term is a maximal run of alphabetic or numeric characters, lowercased,
//! at least two characters and at most [`MAX_TERM_BYTES`] bytes long.

/// Longer runs (URLs, hashes) are not worth a term.
pub const MAX_TERM_BYTES: usize = 40;

/// Calls `each` with every term of `text`, in order. `scratch` is reused for
/// lowercasing so that no term allocates.
pub fn for_each_term(text: &str, scratch: &mut String, mut each: impl FnMut(&str)) {
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if word.len() > MAX_TERM_BYTES || word.chars().nth(1).is_none() {
            continue;
        }
        if word.bytes().all(|b| !b.is_ascii_uppercase() && b.is_ascii()) {
            each(word);
        } else {
            scratch.clear();
            // str::to_lowercase, like JavaScript's toLowerCase, handles final sigma.
            scratch.push_str(&word.to_lowercase());
            each(scratch);
        }
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
        for_each_term(text, &mut String::new(), |t| out.push(t.to_string()));
        out
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
    fn shards_match_the_browser_hash() {
        // FNV-1a test vectors, as computed by static/search.js.
        assert_eq!(shard_of("", u32::MAX), 0x811c_9dc5);
        assert_eq!(shard_of("a", u32::MAX), 0xe40c_292c);
        assert_eq!(shard_of("foobar", u32::MAX), 0xbf9c_f968);
        assert!(shard_of("kyiv", 64) < 64);
    }
}
