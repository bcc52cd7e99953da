//! Word clusters: words that occur in similar contexts share a cluster id
//! (k-means over GloVe 6B vectors, at 320, 1000 and 3200 clusters, plus the
//! binary path of the 1000-cluster id in a merge tree). Unknown and rare
//! names fall in the clusters of names they resemble in use.

use crate::hash::{PreHashedMap, finish, hash_lower};

const WORDS: &str = include_str!("clusters/words.tsv");
const PATHS: &str = include_str!("clusters/paths.tsv");
/// Seed of the word hash used as the lookup key.
const SEED: u64 = 0xc1u64;

/// A hash of the cluster tables.
pub fn data_fingerprint() -> u64 {
    use std::hash::Hasher;
    let mut h = crate::hash::FastHasher::default();
    h.write(WORDS.as_bytes());
    h.write(PATHS.as_bytes());
    h.finish()
}

/// Cluster ids of one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordClusters {
    /// Id among 320 clusters.
    pub k320: u16,
    /// Id among 1000 clusters.
    pub k1000: u16,
    /// Id among 3200 clusters.
    pub k3200: u16,
}

/// The cluster table compiled into the binary.
#[derive(Debug)]
pub struct Clusters {
    words: PreHashedMap<WordClusters>,
    /// Path bits and length of each k1000 cluster.
    paths: Vec<(u32, u8)>,
}

impl Clusters {
    /// Loads the built-in table.
    pub fn builtin() -> Self {
        let mut words = PreHashedMap::default();
        words.reserve(200_000);
        for line in WORDS.lines().filter(|l| !l.starts_with('#')) {
            let mut cols = line.split('\t');
            let (Some(word), Some(a), Some(b), Some(c)) = (cols.next(), cols.next(), cols.next(), cols.next()) else {
                continue;
            };
            let (Ok(k320), Ok(k1000), Ok(k3200)) = (a.parse(), b.parse(), c.parse()) else { continue };
            words.entry(key(word)).or_insert(WordClusters { k320, k1000, k3200 });
        }
        let mut paths = vec![(0, 0); 1000];
        for line in PATHS.lines().filter(|l| !l.starts_with('#')) {
            if let Some((id, bits)) = line.split_once('\t')
                && let (Ok(id), Ok(value)) = (id.parse::<usize>(), u32::from_str_radix(bits, 2))
                && id < paths.len()
            {
                paths[id] = (value, bits.len() as u8);
            }
        }
        Clusters { words, paths }
    }

    /// Clusters of a word (case-insensitive).
    pub fn get(&self, word: &str) -> Option<WordClusters> {
        self.words.get(&key(word)).copied()
    }

    /// The first `len` bits of a k1000 cluster's path, as a number tagged with `len`.
    pub fn path_prefix(&self, k1000: u16, len: u8) -> u64 {
        let (bits, total) = self.paths.get(k1000 as usize).copied().unwrap_or((0, 0));
        let take = len.min(total);
        let prefix = if take == 0 { 0 } else { bits >> (total - take) };
        ((take as u64) << 32) | prefix as u64
    }
}

fn key(word: &str) -> u64 {
    finish(hash_lower(SEED, word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similar_words_share_clusters() {
        let c = Clusters::builtin();
        let germany = c.get("Germany").unwrap();
        let france = c.get("france").unwrap();
        assert_eq!(germany.k320, france.k320);
        assert_ne!(c.get("john").unwrap().k1000, germany.k1000);
        assert!(c.get("qzxqzxqzx").is_none());
        assert_ne!(c.path_prefix(germany.k1000, 4), c.path_prefix(germany.k1000, 6));
    }
}
