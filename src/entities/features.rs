//! Tagger features: for each token, a fixed number of hashed feature ids
//! (word, shape, affixes, context words, clusters, gazetteer matches and
//! document-level evidence). Buffers are reused: nothing is allocated per
//! token.

use std::collections::HashSet;

use super::clusters::Clusters;
use super::gazetteer::GazetteerIndex;
use crate::hash::{PreHashed, finish, hash_lower, hash_str, lower_key, mix};

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
            // Words that open with neither case (numbers, punctuation) are not hashed.
            if first.is_lowercase() {
                self.lowercase.insert(lower_key(w));
            } else if first.is_uppercase() && i > 0 && !is_opening_punct(words[i - 1]) {
                self.capitalised_inside.insert(lower_key(w));
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
    /// Keys of each word of the sentence.
    pub keys: Vec<WordKeys>,
    /// Gazetteer marks of each word.
    pub gaz: Vec<u16>,
}

/// Keys of one word that several feature templates share.
#[derive(Debug, Clone, Copy)]
pub struct WordKeys {
    /// The word lowercased.
    pub lower: u64,
    /// Its short shape (runs collapsed).
    pub short: u64,
    /// Its k1000 cluster, or a constant when it has none.
    pub k1000: u64,
    /// Its [`lower_key`], what [`DocumentEvidence`] stores.
    pub doc: u64,
}

/// Keys of the pseudo-word before the first word of a sentence.
pub const BEFORE_START: WordKeys = WordKeys { lower: 0xb05, short: 0xb05, k1000: 0xb05, doc: 0xb05 };
/// Keys of the pseudo-word after the last word of a sentence.
pub const AFTER_END: WordKeys = WordKeys { lower: 0xe05, short: 0xe05, k1000: 0xe05, doc: 0xe05 };

/// The keys of a word.
pub fn word_keys(source: &FeatureSource<'_>, w: &str) -> WordKeys {
    WordKeys {
        lower: finish(hash_lower(S_LOWER, w)),
        short: shapes(w).1,
        k1000: source.clusters.get(w).map_or(NONE, |c| c.k1000 as u64),
        doc: lower_key(w),
    }
}

/// The bucket (`bits` wide) of a feature: a template number and its value.
#[inline]
pub fn bucket(template: u64, value: u64, bits: u32) -> u32 {
    (finish(mix(value, template)) >> (64 - bits)) as u32
}

/// Feature templates that read only the word itself (whatever its sentence).
pub fn word_templates(source: &FeatureSource<'_>, w: &str, keys: &WordKeys, emit: &mut impl FnMut(u64, u64)) {
    let (long, short) = shapes(w);
    emit(1, 1); // bias
    emit(2, keys.lower);
    emit(3, finish(hash_str(S_EXACT, w)));
    emit(4, long);
    emit(5, short);
    for k in 1..=4 {
        emit(5 + k as u64, affix(w, k, true));
    }
    for k in 1..=4 {
        emit(9 + k as u64, affix(w, k, false));
    }
    let clusters = source.clusters.get(w);
    emit(24, clusters.map_or(NONE, |c| c.k320 as u64));
    emit(25, keys.k1000);
    emit(26, clusters.map_or(NONE, |c| c.k3200 as u64));
    for (j, len) in [4, 6, 10].into_iter().enumerate() {
        emit(27 + j as u64, clusters.map_or(NONE, |c| source.clusters.path_prefix(c.k1000, len)));
    }
    emit(32, mix(keys.k1000, keys.short));
}

/// Relative positions of the neighbours that [`neighbour_templates`] read.
pub const NEIGHBOURS: [isize; 4] = [-1, 1, -2, 2];

/// Feature templates that read only the word at `offset` (one of
/// [`NEIGHBOURS`]) from the token being scored.
pub fn neighbour_templates(offset: isize, keys: &WordKeys, emit: &mut impl FnMut(u64, u64)) {
    match offset {
        -1 => {
            emit(14, keys.lower);
            emit(30, keys.k1000);
        }
        1 => {
            emit(15, keys.lower);
            emit(31, keys.k1000);
        }
        -2 => emit(16, keys.lower),
        2 => emit(17, keys.lower),
        _ => {}
    }
}

/// Feature templates that read the token together with its sentence or
/// document: word pairs, gazetteer matches, position and document evidence.
pub fn context_templates(
    doc: &DocumentEvidence,
    words: &[&str],
    keys: &[WordKeys],
    gaz: &[u16],
    i: usize,
    emit: &mut impl FnMut(u64, u64),
) {
    let n = words.len();
    let prev = if i > 0 { keys[i - 1] } else { BEFORE_START };
    let next = if i + 1 < n { keys[i + 1] } else { AFTER_END };
    let k = &keys[i];
    emit(18, mix(prev.short, k.short));
    emit(19, mix(k.short, next.short));
    emit(20, mix(prev.lower, k.lower));
    emit(21, mix(k.lower, next.lower));
    emit(22, mix(prev.lower, k.short));
    emit(23, mix(k.short, next.lower));
    emit(33, gaz[i] as u64);
    emit(34, if i > 0 { gaz[i - 1] as u64 } else { 0xb05 });
    emit(35, if i + 1 < n { gaz[i + 1] as u64 } else { 0xe05 });
    emit(36, mix(gaz[i] as u64, k.short));
    let first_upper = words[i].chars().next().is_some_and(char::is_uppercase);
    let initial = i == 0 || (i == 1 && is_opening_punct(words[0]));
    let doc_lower = first_upper && doc.lowercase.contains(&k.doc);
    let doc_cap = doc.capitalised_inside.contains(&k.doc);
    let flags = (initial as u64) | (first_upper as u64) << 1 | (doc_lower as u64) << 2 | (doc_cap as u64) << 3;
    emit(37, flags);
    emit(38, mix(flags, k.short));
    emit(39, mix(flags, k.k1000));
    emit(40, mix(initial as u64, k.lower));
    emit(41, mix((n as u64).min(4), k.short));
}

/// The keys of the word at `i + offset`, or a boundary pseudo-word.
pub fn keys_at(keys: &[WordKeys], i: usize, offset: isize) -> WordKeys {
    let j = i as isize + offset;
    if j < 0 {
        BEFORE_START
    } else if j as usize >= keys.len() {
        AFTER_END
    } else {
        keys[j as usize]
    }
}

/// Computes the features of every word of a sentence: `out` receives
/// `words.len() * FEATURES_PER_TOKEN` bucket ids (`bits` wide), each token's
/// in template order.
pub fn sentence_features(
    source: &FeatureSource<'_>,
    doc: &DocumentEvidence,
    words: &[&str],
    bits: u32,
    scratch: &mut Scratch,
    out: &mut Vec<u32>,
) {
    let s = scratch;
    s.keys.clear();
    s.keys.extend(words.iter().map(|w| word_keys(source, w)));
    source.gazetteer.mark(words, &mut s.gaz);
    out.clear();
    let mut token = [0u32; FEATURES_PER_TOKEN];
    for (i, w) in words.iter().enumerate() {
        let mut emit = |template: u64, value: u64| token[template as usize - 1] = bucket(template, value, bits);
        word_templates(source, w, &s.keys[i], &mut emit);
        for offset in NEIGHBOURS {
            neighbour_templates(offset, &keys_at(&s.keys, i, offset), &mut emit);
        }
        context_templates(doc, words, &s.keys, &s.gaz, i, &mut emit);
        out.extend_from_slice(&token);
    }
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
        } else if matches!(c, '’' | 'ʻ' | 'ʼ' | '‘' | '`' | '´') {
            // Apostrophes of every script have one shape: "Nukuʻalofa"
            // looks like "Nuku'alofa".
            '\''
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
    fn apostrophes_of_every_script_have_one_shape() {
        assert_eq!(shapes("Nukuʻalofa"), shapes("Nuku'alofa"));
        assert_eq!(shapes("O’Brien"), shapes("O'Brien"));
        assert_ne!(shapes("Nuku-alofa"), shapes("Nuku'alofa"));
    }

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
