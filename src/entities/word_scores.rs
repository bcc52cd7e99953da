//! Scores that depend on a single word, computed once per word type.
//!
//! Half of a token's features read only one word: the token itself (its
//! spelling, shape, affixes, clusters) or one neighbour (the word before,
//! after, or two away). Their weights are summed once per distinct word and
//! position and kept, so that tagging a token costs a table lookup, five
//! vector additions and the features that need the sentence. Integer sums
//! make the result exactly what scoring every feature gives.

use super::features::{
    AFTER_END, BEFORE_START, DocumentEvidence, FeatureSource, NEIGHBOURS, WordKeys, bucket, context_templates,
    neighbour_templates, word_keys, word_templates,
};
use super::model::{Model, T};
use crate::hash::FastMap;

/// Most distinct words kept; the cache starts over when it is full.
const CAPACITY: usize = 1 << 17;

/// Features per token that read the sentence around it ([`context_templates`]).
const CONTEXT_FEATURES: usize = 15;

/// One word type's keys and its summed weights: as the token itself, then
/// at each of [`NEIGHBOURS`].
#[derive(Debug, Clone, Copy)]
struct WordEntry {
    keys: WordKeys,
    scores: [[i32; T]; 1 + NEIGHBOURS.len()],
}

/// Per-word scores of one model, filled as words are met.
#[derive(Debug, Default)]
pub struct WordScores {
    index: FastMap<Box<str>, u32>,
    entries: Vec<WordEntry>,
    /// The boundary pseudo-words' neighbour scores, per [`NEIGHBOURS`] slot.
    before_start: [[i32; T]; NEIGHBOURS.len()],
    after_end: [[i32; T]; NEIGHBOURS.len()],
    /// The model the scores were summed for.
    model: Option<u64>,
    /// Entry of each word of the current sentence.
    ids: Vec<u32>,
    keys: Vec<WordKeys>,
    gaz: Vec<u16>,
}

fn add_row(acc: &mut [i32; T], row: Option<&[i16; T]>) {
    if let Some(row) = row {
        for t in 0..T {
            acc[t] += row[t] as i32;
        }
    }
}

fn neighbour_scores(model: &Model, keys: &WordKeys) -> [[i32; T]; NEIGHBOURS.len()] {
    let mut scores = [[0; T]; NEIGHBOURS.len()];
    for (slot, offset) in NEIGHBOURS.into_iter().enumerate() {
        neighbour_templates(offset, keys, &mut |template, value| {
            add_row(&mut scores[slot], model.row(bucket(template, value, model.bits)))
        });
    }
    scores
}

impl WordScores {
    /// Forgets everything when `model` is not the one the scores belong to,
    /// or when the cache is too full for a sentence of `n` words.
    fn prepare(&mut self, model: &Model, n: usize) {
        if self.model != Some(model.fingerprint()) || self.entries.len() + n > CAPACITY {
            self.index.clear();
            self.entries.clear();
            self.before_start = neighbour_scores(model, &BEFORE_START);
            self.after_end = neighbour_scores(model, &AFTER_END);
            self.model = Some(model.fingerprint());
        }
    }

    fn entry(&mut self, model: &Model, source: &FeatureSource<'_>, w: &str) -> u32 {
        if let Some(&id) = self.index.get(w) {
            return id;
        }
        let keys = word_keys(source, w);
        let mut scores = [[0; T]; 1 + NEIGHBOURS.len()];
        word_templates(source, w, &keys, &mut |template, value| {
            add_row(&mut scores[0], model.row(bucket(template, value, model.bits)))
        });
        scores[1..].copy_from_slice(&neighbour_scores(model, &keys));
        let id = self.entries.len() as u32;
        self.entries.push(WordEntry { keys, scores });
        self.index.insert(w.into(), id);
        id
    }

    /// The emission scores (`T` per word) of a sentence: what
    /// [`sentence_features`](super::features::sentence_features) followed by
    /// [`Model::emissions`] gives, at a fraction of the cost. Words marked in
    /// `outside` are not scored: they can only be `O` (a score of 0, every
    /// other tag minus infinity).
    pub fn sentence_emissions(
        &mut self,
        model: &Model,
        source: &FeatureSource<'_>,
        doc: &DocumentEvidence,
        words: &[&str],
        outside: &[bool],
        out: &mut Vec<f32>,
    ) {
        debug_assert_eq!(words.len(), outside.len());
        let n = words.len();
        self.prepare(model, n);
        self.ids.clear();
        self.keys.clear();
        // A scored word reads the entries of the words up to two places away;
        // the others' entries are never read and not looked up.
        let reach = NEIGHBOURS.iter().map(|o| o.unsigned_abs()).max().unwrap_or(0);
        let mut last_scored: Option<usize> = None;
        let mut next_scored = outside.iter().position(|&o| !o);
        for (i, w) in words.iter().enumerate() {
            if next_scored.is_some_and(|j| j < i) {
                next_scored = outside[i..].iter().position(|&o| !o).map(|d| i + d);
            }
            if !outside[i] {
                last_scored = Some(i);
            }
            let read = last_scored.is_some_and(|j| i - j <= reach) || next_scored.is_some_and(|j| j - i <= reach);
            if read {
                let id = self.entry(model, source, w);
                self.ids.push(id);
                self.keys.push(self.entries[id as usize].keys);
            } else {
                self.ids.push(u32::MAX);
                self.keys.push(BEFORE_START);
            }
        }
        source.gazetteer.mark(words, &mut self.gaz);
        out.clear();
        for (i, &unscored) in outside.iter().enumerate() {
            if unscored {
                out.push(0.0);
                out.extend([f32::NEG_INFINITY; T - 1]);
                continue;
            }
            let mut acc = self.entries[self.ids[i] as usize].scores[0];
            for (slot, offset) in NEIGHBOURS.into_iter().enumerate() {
                let j = i as isize + offset;
                let scores = if j < 0 {
                    &self.before_start[slot]
                } else if j as usize >= n {
                    &self.after_end[slot]
                } else {
                    &self.entries[self.ids[j as usize] as usize].scores[1 + slot]
                };
                for t in 0..T {
                    acc[t] += scores[t];
                }
            }
            let mut buckets = [0u32; CONTEXT_FEATURES];
            let mut count = 0;
            context_templates(doc, words, &self.keys, &self.gaz, i, &mut |template, value| {
                buckets[count] = bucket(template, value, model.bits);
                count += 1;
            });
            model.add_rows(&buckets[..count], &mut acc);
            out.extend(acc.iter().map(|&a| a as f32 * model.scale));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::features::{FEATURES_PER_TOKEN, Scratch, sentence_features};
    use crate::entities::tagger::{Resources, builtin_model};

    #[test]
    fn cached_scores_equal_scoring_every_feature() {
        let model = builtin_model().unwrap();
        let resources = Resources::builtin();
        let source = resources.source();
        let sentences: [&[&str]; 4] = [
            &["Volodymyr", "Zelensky", "met", "the", "FSB", "in", "Kyiv", "."],
            &["\u{201c}", "Zelensky", "said", "Kyiv", "would", "hold", "\u{201d}"],
            &["U.S.", "President"],
            &["Ukraine-Belarus"],
        ];
        let mut doc = DocumentEvidence::default();
        for s in sentences {
            doc.add_sentence(s);
        }
        let mut cached = WordScores::default();
        let (mut scratch, mut features, mut expected, mut got) = (Scratch::default(), vec![], vec![], vec![]);
        // Twice: the second pass reads every word from the cache.
        for _ in 0..2 {
            for words in sentences {
                sentence_features(&source, &doc, words, model.bits, &mut scratch, &mut features);
                model.emissions(&features, FEATURES_PER_TOKEN, &mut expected);
                cached.sentence_emissions(&model, &source, &doc, words, &vec![false; words.len()], &mut got);
                assert_eq!(got, expected, "{words:?}");
                assert!(got.iter().any(|&s| s != 0.0));
            }
        }
        assert_eq!(cached.entries.len(), 16, "one entry per distinct word");
    }

    #[test]
    fn unscored_words_change_no_scored_word() {
        let model = builtin_model().unwrap();
        let resources = Resources::builtin();
        let source = resources.source();
        let words = [
            "the", "long", "talks", "in", "a", "quiet", "room", "in", "Kyiv", "ended", "after", "a", "very", "long",
            "night",
        ];
        let mut doc = DocumentEvidence::default();
        doc.add_sentence(&words);
        let (mut all, mut some) = (vec![], vec![]);
        WordScores::default().sentence_emissions(&model, &source, &doc, &words, &[false; 15], &mut all);
        let mut outside = vec![true; words.len()];
        outside[6..11].fill(false);
        WordScores::default().sentence_emissions(&model, &source, &doc, &words, &outside, &mut some);
        for (i, &o) in outside.iter().enumerate() {
            let (a, b) = (&all[i * T..(i + 1) * T], &some[i * T..(i + 1) * T]);
            if o {
                assert!(b[0] == 0.0 && b[1..].iter().all(|&s| s == f32::NEG_INFINITY), "{} is O only", words[i]);
            } else {
                assert_eq!(a, b, "{} scores as when every word is scored", words[i]);
            }
        }
    }
}
