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
        assert_eq!(finish(hash_str(0, "gazette")), finish(hash_str(0, "gazette")));
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
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.0 = mix(self.0, u64::from_le_bytes(chunk.try_into().unwrap_or_default()));
        }
        let tail = chunks.remainder();
        if !tail.is_empty() {
            // Up to seven bytes in one word, their count in the top byte
            // (which the bytes never reach), so that "a" and "a\0" differ.
            let word = tail.iter().enumerate().fold(0u64, |w, (i, &b)| w | (b as u64) << (8 * i));
            self.0 = mix(self.0, word | (tail.len() as u64) << 56);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = mix(self.0, n);
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = mix(self.0, n as u64);
    }
}

/// A `HashMap` with [`FastHasher`].
pub type FastMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<FastHasher>>;

/// A hash set with [`FastHasher`].
pub type FastSet<K> = std::collections::HashSet<K, std::hash::BuildHasherDefault<FastHasher>>;
