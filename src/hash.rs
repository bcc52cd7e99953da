//! Fast, stable hashing of words and feature keys (the same on every
//! machine, so a trained model means the same everywhere).

const K: u64 = 0x517c_c1b7_2722_0a95;

/// Folds one value into a running hash.
#[inline]
pub fn mix(h: u64, v: u64) -> u64 {
    (h.rotate_left(5) ^ v).wrapping_mul(K)
}

/// Final avalanche, so that low and high bits both depend on every input bit.
#[inline]
pub fn finish(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// Hash of a string's bytes.
#[inline]
pub fn hash_str(seed: u64, s: &str) -> u64 {
    hash_bytes(seed, s.bytes())
}

/// Hash of a string lowercased, without allocating; curly apostrophes count as straight ones.
#[inline]
pub fn hash_lower(seed: u64, s: &str) -> u64 {
    if s.is_ascii() {
        return hash_bytes(seed, s.bytes().map(|b| b.to_ascii_lowercase()));
    }
    let mut h = seed;
    let mut buf = [0u8; 4];
    for c in s.chars() {
        let c = if c == '’' { '\'' } else { c };
        for l in c.to_lowercase() {
            for &b in l.encode_utf8(&mut buf).as_bytes() {
                h = mix(h, b as u64);
            }
        }
    }
    h
}

#[inline]
fn hash_bytes(seed: u64, bytes: impl Iterator<Item = u8>) -> u64 {
    bytes.fold(seed, |h, b| mix(h, b as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eight_bytes_are_lowercased_like_one_at_a_time() {
        for b in 0u8..0x80 {
            for at in 0..8 {
                let mut bytes = *b"xY z0Q@[";
                bytes[at] = b;
                let word = u64::from_le_bytes(bytes);
                assert_eq!(ascii_lowercase_word(word), u64::from_le_bytes(bytes.map(|c| c.to_ascii_lowercase())));
            }
        }
    }

    #[test]
    fn lower_keys_ignore_case_and_apostrophe_style() {
        assert_eq!(lower_key("Kyiv"), lower_key("KYIV"));
        assert_eq!(lower_key("Zürich"), lower_key("ZÜRICH"));
        assert_eq!(lower_key("Ministry’s"), lower_key("MINISTRY'S"));
        // A word whose lowercase is ASCII only after folding (the Kelvin sign) meets its ASCII form.
        assert_eq!(lower_key("\u{212a}iev"), lower_key("kiev"));
        assert_ne!(lower_key("Kyiv"), lower_key("Kiev"));
        assert_ne!(lower_key("a"), lower_key("a\0"));
        assert_ne!(lower_key("Internationalisation"), lower_key("Internationalization"));
    }

    #[test]
    fn lower_hash_ignores_case_and_apostrophe_style() {
        assert_eq!(hash_lower(1, "Kyiv"), hash_lower(1, "KYIV"));
        assert_eq!(hash_lower(1, "Zürich"), hash_lower(1, "ZÜRICH"));
        assert_eq!(hash_lower(1, "’s"), hash_lower(1, "'S"));
        assert_ne!(hash_lower(1, "Kyiv"), hash_lower(2, "Kyiv"));
        assert_ne!(hash_lower(1, "ab"), hash_lower(1, "ba"));
    }

    #[test]
    fn fast_hashes_tell_tails_apart() {
        use std::hash::{BuildHasher, BuildHasherDefault};
        let hash = |s: &str| BuildHasherDefault::<FastHasher>::default().hash_one(s);
        let words = ["", "a", "a\0", "\0a", "ab", "ba", "abcdefg", "abcdefgh", "abcdefgh\0", "abcdefghi"];
        for (i, a) in words.iter().enumerate() {
            for b in &words[i + 1..] {
                assert_ne!(hash(a), hash(b), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn stable_values() {
        // The model file depends on these staying the same.
        assert_eq!(finish(hash_str(0, "gazette")), 5284824350466733727);
        assert_eq!(finish(hash_str(7, "Kyiv")), 17132660922251563694);
        assert_eq!(mix(0, 1), K);
    }
}

/// A hasher for keys that are already good hashes: passes them through.
#[derive(Debug, Default, Clone, Copy)]
pub struct PreHashed(u64);

impl std::hash::Hasher for PreHashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = mix(self.0, b as u64);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Map from pre-hashed keys.
pub type PreHashedMap<V> = std::collections::HashMap<u64, V, std::hash::BuildHasherDefault<PreHashed>>;

/// A fast, non-cryptographic hasher for in-memory maps keyed by short strings
/// and numbers (the archive is the site owner's own data, not an attacker's).
#[derive(Debug, Default, Clone, Copy)]
pub struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    fn finish(&self) -> u64 {
        finish(self.0)
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = mix_words(self.0, bytes, |word| word);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = mix(self.0, n);
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = mix(self.0, n as u64);
    }
}

/// Mixes `bytes` into `h` eight at a time (little endian), each word
/// passed through `map` first.
#[inline]
fn mix_words(mut h: u64, bytes: &[u8], map: impl Fn(u64) -> u64) -> u64 {
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        h = mix(h, map(u64::from_le_bytes(chunk.try_into().unwrap_or_default())));
    }
    let tail = chunks.remainder();
    if !tail.is_empty() {
        // Up to seven bytes in one word, their count in the top byte
        // (which the bytes never reach), so that "a" and "a\0" differ.
        let word = tail.iter().enumerate().fold(0u64, |w, (i, &b)| w | (b as u64) << (8 * i));
        h = mix(h, map(word) | (tail.len() as u64) << 56);
    }
    h
}

/// Eight ASCII bytes with `A`–`Z` made lowercase (bytes must be below 0x80).
#[inline]
fn ascii_lowercase_word(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // A byte's high bit: set when it is at least `A`, then when above `Z`
    // (no byte below 0x80 carries into the next).
    let from_a = word + ONES * (0x80 - b'A' as u64);
    let after_z = word + ONES * (0x80 - b'Z' as u64 - 1);
    let capitals = from_a & !after_z & (ONES * 0x80);
    word | (capitals >> 2)
}

/// A key of a word lowercased (curly apostrophes as straight ones), taken
/// eight bytes at a step: for telling within a document whether two words
/// differ only in case. Model features use [`hash_lower`], whose values
/// the trained model fixes.
pub fn lower_key(word: &str) -> u64 {
    const SEED: u64 = 15;
    let h = if word.is_ascii() {
        mix_words(SEED, word.as_bytes(), ascii_lowercase_word)
    } else {
        let lowered: String =
            word.chars().map(|c| if c == '’' { '\'' } else { c }).flat_map(char::to_lowercase).collect();
        mix_words(SEED, lowered.as_bytes(), |w| w)
    };
    finish(h)
}

/// A `HashMap` with [`FastHasher`].
pub type FastMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<FastHasher>>;

/// A hash set with [`FastHasher`].
pub type FastSet<K> = std::collections::HashSet<K, std::hash::BuildHasherDefault<FastHasher>>;
