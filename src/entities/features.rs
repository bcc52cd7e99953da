//! Tagger features: for each token, a fixed number of hashed feature ids
//! (word, shape, affixes, context words, clusters, gazetteer matches and
//! document-level evidence). Buffers are reused: nothing is allocated per
//! token.

use std::collections::HashSet;

use super::clusters::Clusters;
use super::gazetteer::GazetteerIndex;
use super::hash::{PreHashed, finish, hash_lower, hash_str, mix};

/// Number of features per token.
pub const FEATURES_PER_TOKEN: usize = 41;

const S_LOWER: u64 = 11;
const S_EXACT: u64 = 12;
const S_PREFIX: u64 = 13;
const S_SUFFIX: u64 = 14;
const NONE: u64 = 0xdead;

/// Everything features are computed from besides the words.
pub struct FeatureSource<'a> {
    /// Word clusters.
    pub clusters: &'a Clusters,
    /// Gazetteer matches.
    pub gazetteer: &'a GazetteerIndex,
}

/// Document-level evidence: which words the document also writes in lower
/// case, and which it capitalises in the middle of a sentence.
#[derive(Debug, Default)]
pub struct DocumentEvidence {
    lowercase: HashSet<u64, std::hash::BuildHasherDefault<PreHashed>>,
    capitalised_inside: HashSet<u64, std::hash::BuildHasherDefault<PreHashed>>,
}

impl DocumentEvidence {
    /// Forgets the previous document.
    pub fn clear(&mut self) {
        self.lowercase.clear();
        self.capitalised_inside.clear();
    }

    /// Records one sentence of the document.
    pub fn add_sentence(&mut self, words: &[&str]) {
        for (i, w) in words.iter().enumerate() {
            let Some(first) = w.chars().next() else { continue };
            let key = finish(hash_lower(S_LOWER, w));
            if first.is_lowercase() {
                self.lowercase.insert(key);
            } else if first.is_uppercase() && i > 0 && !is_opening_punct(words[i - 1]) {
                self.capitalised_inside.insert(key);
            }
        }
    }
}

fn is_opening_punct(w: &str) -> bool {
    matches!(w, "\"" | "“" | "'" | "‘" | "(" | "[" | ":" | "-" | "—")
}

/// Per-sentence scratch space, reused across sentences.
#[derive(Debug, Default)]
pub struct Scratch {
    lower: Vec<u64>,
    exact: Vec<u64>,
    shape: Vec<u64>,
    short: Vec<u64>,
    k1000: Vec<u64>,
    clusters: Vec<Option<super::clusters::WordClusters>>,
    gaz: Vec<u16>,
}

/// Computes the features of every word of a sentence: `out` receives
/// `words.len() * FEATURES_PER_TOKEN` bucket ids (`bits` wide).
pub fn sentence_features(
    source: &FeatureSource<'_>,
    doc: &DocumentEvidence,
    words: &[&str],
    bits: u32,
    scratch: &mut Scratch,
    out: &mut Vec<u32>,
) {
    let n = words.len();
    let s = scratch;
    s.lower.clear();
    s.exact.clear();
    s.shape.clear();
    s.short.clear();
    s.k1000.clear();
    s.clusters.clear();
    for w in words {
        s.lower.push(finish(hash_lower(S_LOWER, w)));
        s.exact.push(finish(hash_str(S_EXACT, w)));
        let (long, short) = shapes(w);
        s.shape.push(long);
        s.short.push(short);
        let clusters = source.clusters.get(w);
        s.k1000.push(clusters.map_or(NONE, |c| c.k1000 as u64));
        s.clusters.push(clusters);
    }
    source.gazetteer.mark(words, &mut s.gaz);
    out.clear();
    out.reserve(n * FEATURES_PER_TOKEN);
    let at = |v: &Vec<u64>, i: isize| -> u64 {
        if i < 0 {
            0xb05
        } else if i as usize >= n {
            0xe05
        } else {
            v[i as usize]
        }
    };
    let shift = 64 - bits;
    for i in 0..n {
        let w = words[i];
        let ii = i as isize;
        let mut template = 0u64;
        let mut push = |value: u64| {
            template += 1;
            out.push((finish(mix(value, template)) >> shift) as u32);
        };
        let first_upper = w.chars().next().is_some_and(char::is_uppercase);
        let initial = i == 0 || (i == 1 && is_opening_punct(words[0]));
        push(1); // bias
        push(s.lower[i]);
        push(s.exact[i]);
        push(s.shape[i]);
        push(s.short[i]);
        for k in 1..=4 {
            push(affix(w, k, true));
        }
        for k in 1..=4 {
            push(affix(w, k, false));
        }
        push(at(&s.lower, ii - 1));
        push(at(&s.lower, ii + 1));
        push(at(&s.lower, ii - 2));
        push(at(&s.lower, ii + 2));
        push(mix(at(&s.short, ii - 1), s.short[i]));
        push(mix(s.short[i], at(&s.short, ii + 1)));
        push(mix(at(&s.lower, ii - 1), s.lower[i]));
        push(mix(s.lower[i], at(&s.lower, ii + 1)));
        push(mix(at(&s.lower, ii - 1), s.short[i]));
        push(mix(s.short[i], at(&s.lower, ii + 1)));
        let clusters = s.clusters[i];
        push(clusters.map_or(NONE, |c| c.k320 as u64));
        push(s.k1000[i]);
        push(clusters.map_or(NONE, |c| c.k3200 as u64));
        for len in [4, 6, 10] {
            push(clusters.map_or(NONE, |c| source.clusters.path_prefix(c.k1000, len)));
        }
        push(at(&s.k1000, ii - 1));
        push(at(&s.k1000, ii + 1));
        push(mix(s.k1000[i], s.short[i]));
        push(s.gaz[i] as u64);
        push(if i > 0 { s.gaz[i - 1] as u64 } else { 0xb05 });
        push(if i + 1 < n { s.gaz[i + 1] as u64 } else { 0xe05 });
        push(mix(s.gaz[i] as u64, s.short[i]));
        // `s.lower[i]` is the same key `DocumentEvidence` stores.
        let doc_lower = first_upper && doc.lowercase.contains(&s.lower[i]);
        let doc_cap = doc.capitalised_inside.contains(&s.lower[i]);
        let flags = (initial as u64) | (first_upper as u64) << 1 | (doc_lower as u64) << 2 | (doc_cap as u64) << 3;
        push(flags);
        push(mix(flags, s.short[i]));
        push(mix(flags, s.k1000[i]));
        push(mix(initial as u64, s.lower[i]));
        push(mix((n as u64).min(4), s.short[i]));
    }
    debug_assert_eq!(out.len(), n * FEATURES_PER_TOKEN);
}

/// Hash of the first (`prefix`) or last `k` characters of a word, lowercased.
fn affix(w: &str, k: usize, prefix: bool) -> u64 {
    let seed = if prefix { S_PREFIX } else { S_SUFFIX } + k as u64;
    if w.is_ascii() {
        // One byte per character: no need to walk the characters.
        let n = k.min(w.len());
        let part = if prefix { &w[..n] } else { &w[w.len() - n..] };
        return finish(hash_lower(seed, part));
    }
    let count = w.chars().count();
    let part = if count <= k {
        w
    } else if prefix {
        let end = w.char_indices().nth(k).map_or(w.len(), |(i, _)| i);
        &w[..end]
    } else {
        let start = w.char_indices().nth(count - k).map_or(0, |(i, _)| i);
        &w[start..]
    };
    finish(hash_lower(seed, part))
}

/// Word shape (`Xxxx`, `X.X.`, `dddd`), long (first 8 classes) and short
/// (runs collapsed).
fn shapes(w: &str) -> (u64, u64) {
    let mut long = 0x5a;
    let mut short = 0x5b;
    let mut last = '\0';
    for (i, c) in w.chars().enumerate() {
        let class = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else {
            c
        };
        if i < 8 {
            long = mix(long, class as u64);
        }
        if class != last {
            short = mix(short, class as u64);
            last = class;
        }
    }
    (finish(long), finish(short))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_group_similar_words() {
        assert_eq!(shapes("Kyiv").1, shapes("Moscow").1);
        assert_ne!(shapes("Kyiv").0, shapes("Moscow").0);
        assert_eq!(shapes("NATO").1, shapes("FSB").1);
        assert_ne!(shapes("NATO").1, shapes("Nato").1);
    }

    #[test]
    fn affixes() {
        assert_eq!(affix("Zelensky", 3, false), affix("Medinsky", 3, false));
        assert_eq!(affix("ab", 4, true), affix("AB", 4, true));
    }
}
