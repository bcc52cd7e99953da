//! The statistical tagger: hashed features, a structured averaged
//! perceptron model and Viterbi decoding, with document-level evidence
//! gathered in a first pass over the text.

use std::ops::Range;
use std::sync::Mutex;

use super::clusters::Clusters;
use super::features::{DocumentEvidence, FeatureSource};
use super::gazetteer::{Gazetteer, GazetteerIndex};
use super::model::{
    MarginalScratch, Model, ModelError, T, ViterbiScratch, is_begin, marginals, tag_type, type_kind, viterbi,
};
use super::tokenize::{Token, has_name_letter, tokenize};
use super::word_scores::WordScores;
use super::{Extractor, Mention, quantise_probability};

/// The model shipped with gazette (trained on CoNLL-2003 English; see README).
const BUILTIN_MODEL: &[u8] = include_bytes!("model/ner-en.bin");

/// The model shipped with gazette.
pub fn builtin_model() -> Result<Model, ModelError> {
    Model::from_bytes(BUILTIN_MODEL)
}

/// The version of what turns text into mentions besides the model and its
/// tables (tokenizer, span confidence): raise it when either changes what
/// they give, so that caches of older mentions are not used.
const EXTRACTION_VERSION: u32 = 4;

/// Spans of more words than this are no name but a run of capitalised
/// words the tagger read as one (no name in the training sets is longer
/// than 11 tokens); they are dropped.
pub const MAX_NAME_TOKENS: usize = 12;

/// Identifies the built-in extractor: its model, clusters, name lists,
/// extraction code and gazette's version. Cached mentions are valid only
/// for the same value.
pub fn model_fingerprint() -> u64 {
    use std::hash::Hasher;
    let mut h = crate::hash::FastHasher::default();
    h.write(env!("CARGO_PKG_VERSION").as_bytes());
    h.write_u32(EXTRACTION_VERSION);
    h.write_usize(NAME_REACH);
    h.write(BUILTIN_MODEL);
    h.write_u64(super::clusters::data_fingerprint());
    h.write_u64(super::gazetteer::data_fingerprint());
    h.finish()
}

/// Feature sources shared by training and tagging.
pub struct Resources {
    /// Word clusters.
    pub clusters: Clusters,
    /// Gazetteer lists.
    pub gazetteer: Gazetteer,
    /// Gazetteer token-sequence index.
    pub gazetteer_index: GazetteerIndex,
}

impl Resources {
    /// The built-in clusters and gazetteers.
    pub fn builtin() -> Self {
        let ((gazetteer, gazetteer_index), clusters) = rayon::join(
            || {
                let gazetteer = Gazetteer::builtin();
                let index = gazetteer.feature_index();
                (gazetteer, index)
            },
            Clusters::builtin,
        );
        Resources { clusters, gazetteer, gazetteer_index }
    }

    /// Borrowed view for feature extraction.
    pub fn source(&self) -> FeatureSource<'_> {
        FeatureSource { clusters: &self.clusters, gazetteer: &self.gazetteer_index }
    }
}

/// Reusable buffers for tagging one document after another, with the
/// per-word scores met so far.
#[derive(Debug, Default)]
pub struct TagScratch {
    emissions: Vec<f32>,
    outside: Vec<bool>,
    viterbi: ViterbiScratch,
    marginal: MarginalScratch,
    probabilities: Vec<f32>,
    scores: Vec<SpanScore>,
    words: WordScores,
    doc: DocumentEvidence,
    tokens: Vec<Token>,
    name_words: Vec<bool>,
    sentences: Vec<Range<usize>>,
    tags: Vec<u8>,
}

/// A model plus the resources its features need.
pub struct Tagger {
    model: Model,
    resources: Resources,
    /// Scratch spaces of finished calls, for the next ones: each thread
    /// tagging in parallel takes one, so per-word scores are summed once.
    idle: Mutex<Vec<TagScratch>>,
}

impl Tagger {
    /// The shipped model.
    pub fn builtin() -> Result<Tagger, ModelError> {
        let (model, resources) = rayon::join(builtin_model, Resources::builtin);
        Ok(Tagger::new(model?, resources))
    }

    /// A tagger from a model and resources.
    pub fn new(model: Model, resources: Resources) -> Tagger {
        Tagger { model, resources, idle: Mutex::new(Vec::new()) }
    }

    /// The gazetteer, for resolution.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.resources.gazetteer
    }
}

/// How sure the model is of one entity span it found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpanScore {
    /// The probability that exactly these words are a name of the kind found:
    /// the least probable of the span's tags (and of the next word not
    /// continuing it), from forward-backward.
    pub confidence: f32,
    /// The probability of each type (PER, LOC, ORG, MISC) for a name
    /// starting at the span's first word, summing to 1.
    pub types: [f32; 4],
}

/// Tags a document's sentences with any model (used by training to
/// evaluate). `name_words` tells, word after word through the document,
/// which could be part of a name ([`has_name_letter`]), when already known.
/// With `scores`, it also receives a [`SpanScore`] per entity span of the
/// tags, in order.
pub fn tag_document_with<'w>(
    model: &Model,
    source: &FeatureSource<'_>,
    sentences: impl Iterator<Item = &'w [&'w str]> + Clone,
    name_words: Option<&[bool]>,
    scratch: &mut TagScratch,
    tags: &mut Vec<u8>,
    mut scores: Option<&mut Vec<SpanScore>>,
) {
    tags.clear();
    scratch.doc.clear();
    for words in sentences.clone() {
        scratch.doc.add_sentence(words);
    }
    if let Some(scores) = scores.as_deref_mut() {
        scores.clear();
    }
    let mut path = Vec::new();
    let mut first = 0;
    for words in sentences {
        match name_words {
            Some(names) => mark_far_from_names(&names[first..first + words.len()], &mut scratch.outside),
            None => far_from_names(words, &mut scratch.outside),
        }
        first += words.len();
        scratch.words.sentence_emissions(model, source, &scratch.doc, words, &scratch.outside, &mut scratch.emissions);
        viterbi(&scratch.emissions, &model.transitions, &mut scratch.viterbi, &mut path);
        if let Some(scores) = scores.as_deref_mut() {
            score_spans(model, &path, scratch, scores);
        }
        tags.extend_from_slice(&path);
    }
}

/// The [`SpanScore`]s of a sentence's entity spans (`path`), from the
/// marginals of the runs of words that hold them (a run ends at a word far
/// from any name, which can only be `O`: runs are independent).
fn score_spans(model: &Model, path: &[u8], scratch: &mut TagScratch, scores: &mut Vec<SpanScore>) {
    let outside = &scratch.outside;
    let mut run: Option<(usize, usize)> = None;
    for (a, b, ty) in tag_spans(path) {
        if run.is_none_or(|(_, end)| end <= a) {
            let start = outside[..a].iter().rposition(|&o| o).map_or(0, |i| i + 1);
            let end = outside[b..].iter().position(|&o| o).map_or(path.len(), |i| b + i);
            marginals(
                &scratch.emissions[start * T..end * T],
                &model.transitions,
                model.temperature,
                (start > 0, end < path.len()),
                &mut scratch.marginal,
                &mut scratch.probabilities,
            );
            run = Some((start, end));
        }
        let (start, end) = run.unwrap_or((0, path.len()));
        let p = |i: usize, tag: u8| scratch.probabilities[(i - start) * T + tag as usize];
        let mut confidence = (a..b).map(|i| p(i, path[i])).fold(1f32, f32::min);
        if b < end {
            // The next word does not continue the name.
            confidence = confidence.min(1.0 - p(b, 2 + 2 * ty as u8));
        }
        let mut types = [0f32; 4];
        for (t, slot) in types.iter_mut().enumerate() {
            *slot = p(a, 1 + 2 * t as u8);
        }
        let sum: f32 = types.iter().sum();
        if sum > 0.0 {
            types.iter_mut().for_each(|x| *x /= sum);
        } else {
            types[ty] = 1.0;
        }
        scores.push(SpanScore { confidence, types });
    }
}

/// How far (in words) a word may be from one that could be part of a name
/// and still be tagged; words further away are outside every name.
const NAME_REACH: usize = 2;

/// Marks the words of a sentence that have no possible name word within
/// two words either side. Names in English news are capitalised,
/// so such a word is `O` in any tagging; scoring only the rest halves the
/// tagger's work on running text without changing its results on the
/// CoNLL-2003 dev set (see README).
pub fn far_from_names(words: &[&str], outside: &mut Vec<bool>) {
    let names: Vec<bool> = words.iter().map(|w| has_name_letter(w)).collect();
    mark_far_from_names(&names, outside);
}

/// [`far_from_names`] for words whose possible name words are known
/// (`names`, one per word, as [`has_name_letter`] tells).
pub fn mark_far_from_names(names: &[bool], outside: &mut Vec<bool>) {
    outside.clear();
    outside.resize(names.len(), true);
    for (i, &name) in names.iter().enumerate() {
        if name {
            let end = (i + NAME_REACH + 1).min(names.len());
            outside[i.saturating_sub(NAME_REACH)..end].fill(false);
        }
    }
}

/// Spans of entities in a tag sequence: (first word, end word, type index).
pub fn tag_spans(tags: &[u8]) -> Vec<(usize, usize, usize)> {
    let mut spans = Vec::new();
    let mut open: Option<(usize, usize)> = None;
    for (i, &tag) in tags.iter().enumerate() {
        let ty = tag_type(tag);
        if let Some((start, t)) = open
            && (ty != Some(t) || is_begin(tag))
        {
            spans.push((start, i, t));
            open = None;
        }
        if let Some(t) = ty
            && open.is_none()
        {
            open = Some((i, t));
        }
    }
    if let Some((start, t)) = open {
        spans.push((start, tags.len(), t));
    }
    spans
}

/// A text at least twice this long is tagged in pieces of about this size,
/// in parallel, so that one huge file does not leave the other cores idle.
/// Each piece is a document of its own to the tagger; real articles are
/// far shorter and are tagged whole.
pub const PIECE_BYTES: usize = 256 * 1024;

/// Cuts `text` into consecutive pieces of about `size` bytes: after a line
/// end when there is one in the second half of the piece, else after a
/// sentence end (". "), else at a space, else at a character boundary.
fn pieces(text: &str, size: usize) -> Vec<Range<usize>> {
    let mut pieces = Vec::new();
    let mut start = 0;
    while text.len() - start > size + size / 2 {
        let boundary = |mut at: usize| {
            while !text.is_char_boundary(at) {
                at += 1;
            }
            at
        };
        let (half, target) = (boundary(start + size / 2), boundary(start + size));
        let window = &text[half..target];
        let cut = window
            .rfind('\n')
            .map(|i| i + 1)
            .or_else(|| window.rfind(". ").map(|i| i + 2))
            .or_else(|| window.rfind(' ').map(|i| i + 1))
            .map_or(target, |i| half + i);
        pieces.push(start..cut);
        start = cut;
    }
    pieces.push(start..text.len());
    pieces
}

impl Extractor for Tagger {
    fn extract(&self, text: &str) -> Vec<Mention> {
        if text.len() < 2 * PIECE_BYTES {
            return self.extract_whole(text);
        }
        use rayon::prelude::*;
        pieces(text, PIECE_BYTES)
            .into_par_iter()
            .flat_map_iter(|piece| {
                let offset = piece.start;
                self.extract_whole(&text[piece]).into_iter().map(move |m| Mention {
                    start: m.start + offset,
                    end: m.end + offset,
                    ..m
                })
            })
            .collect()
    }
}

impl Tagger {
    /// The mentions of `text`, tagged as one document.
    fn extract_whole(&self, text: &str) -> Vec<Mention> {
        let mut scratch = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop().unwrap_or_default();
        let (mut tokens, mut names, mut ranges, mut tags, mut scores) = (
            std::mem::take(&mut scratch.tokens),
            std::mem::take(&mut scratch.name_words),
            std::mem::take(&mut scratch.sentences),
            std::mem::take(&mut scratch.tags),
            std::mem::take(&mut scratch.scores),
        );
        tokenize(text, &mut tokens, &mut ranges);
        let words: Vec<&str> = tokens.iter().map(|t| t.text(text)).collect();
        names.clear();
        names.extend(tokens.iter().map(|t| t.may_be_name));
        let sentences = ranges.iter().map(|r| &words[r.clone()]);
        let source = self.resources.source();
        tag_document_with(&self.model, &source, sentences, Some(&names), &mut scratch, &mut tags, Some(&mut scores));
        let mentions = tag_spans(&tags)
            .into_iter()
            .zip(&scores)
            .filter(|((a, b, _), _)| b - a <= MAX_NAME_TOKENS)
            .map(|((a, b, t), score)| Mention {
                start: tokens[a].start as usize,
                end: tokens[b - 1].end as usize,
                kind: type_kind(t),
                confidence: quantise_probability(score.confidence),
                kind_weights: score.types.map(quantise_probability),
            })
            .collect();
        (scratch.tokens, scratch.name_words, scratch.sentences, scratch.tags, scratch.scores) =
            (tokens, names, ranges, tags, scores);
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).push(scratch);
        mentions
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_far_from_any_capital_are_outside_names() {
        let words = ["the", "talks", "in", "Kyiv", "ended", "late", "on", "a", "wet", "night", "for", "al-Assad", "."];
        let mut outside = Vec::new();
        far_from_names(&words, &mut outside);
        let outside_words: Vec<&str> = words.iter().zip(&outside).filter(|(_, o)| **o).map(|(w, _)| *w).collect();
        // Two words either side of `Kyiv` and of `al-Assad` are still tagged.
        assert_eq!(outside_words, ["the", "on", "a", "wet"]);
        far_from_names(&["\u{4e60}\u{8fd1}\u{5e73}", "said"], &mut outside);
        assert_eq!(outside, [false, false], "letters without case may be names");
        far_from_names(&[], &mut outside);
        assert!(outside.is_empty());
    }

    #[test]
    fn a_run_of_capitalised_words_gives_no_name_longer_than_the_limit() {
        let tagger = Tagger::builtin().unwrap();
        // "Firstname Surname" pairs without punctuation, surnames of random letters.
        let first = ["John", "Maria", "Ahmed", "Olena", "Wei", "Fatima", "Pierre", "Anna"];
        let mut seed = 15u64;
        let mut next = |n: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let mut text = String::new();
        for _ in 0..2000 {
            text.push_str(first[next(8) as usize]);
            text.push(' ');
            text.push((b'A' + next(26) as u8) as char);
            for _ in 0..2 + next(8) {
                text.push((b'a' + next(26) as u8) as char);
            }
            text.push(' ');
        }
        let mentions = tagger.extract(&text);
        assert!(!mentions.is_empty(), "the run still holds names");
        for m in &mentions {
            let words = m.text(&text).split_whitespace().count();
            assert!(words <= MAX_NAME_TOKENS, "a {words}-word name: {}", m.text(&text));
        }
    }

    #[test]
    fn long_texts_are_cut_into_pieces_at_line_and_sentence_ends() {
        let text = "Ab cd. ".repeat(100) + &"line\n".repeat(40) + &"é".repeat(300) + &"word ".repeat(90);
        for size in [16, 64, 100, 333, 5000] {
            let pieces = pieces(&text, size);
            assert_eq!(pieces.first().map(|p| p.start), Some(0));
            assert_eq!(pieces.last().map(|p| p.end), Some(text.len()));
            for pair in pieces.windows(2) {
                assert_eq!(pair[0].end, pair[1].start, "consecutive");
            }
            for p in &pieces {
                assert!(text.is_char_boundary(p.start) && text.is_char_boundary(p.end));
                assert!(p.len() <= size + size / 2 + 4, "{} bytes for {size}", p.len());
                let piece = &text[p.clone()];
                let at_end = p.end == text.len();
                let cut_well = piece.ends_with(". ") || piece.ends_with('\n') || piece.ends_with(' ');
                // Else the second half of the piece had nowhere better to cut.
                let second_half: String =
                    piece.char_indices().filter(|(i, _)| *i >= size / 2 + 4).map(|(_, c)| c).collect();
                assert!(at_end || cut_well || !second_half.contains([' ', '\n']), "{piece:?}");
            }
        }
        let lines = pieces(&"x\n".repeat(500), 100);
        assert!(lines.iter().all(|p| p.end == 1000 || p.end % 2 == 0), "cut after line ends");
    }

    #[test]
    fn a_huge_text_tagged_in_pieces_finds_its_names_at_their_places() {
        let tagger = Tagger::builtin().unwrap();
        let paragraph = "President Volodymyr Zelensky met officials in Kyiv on Monday, Ukraine said.\n";
        let text = paragraph.repeat(2 * PIECE_BYTES / paragraph.len() + 10);
        let mentions = tagger.extract(&text);
        let whole = tagger.extract_whole(paragraph);
        assert!(mentions.len() >= whole.len() * (text.len() / paragraph.len()) * 9 / 10, "{} mentions", mentions.len());
        for m in &mentions {
            let name = m.text(&text);
            assert!(["Volodymyr Zelensky", "Kyiv", "Ukraine"].contains(&name), "{name:?} at {}", m.start);
        }
        assert!(mentions.windows(2).all(|w| w[0].end <= w[1].start), "in order, not overlapping");
    }

    #[test]
    fn spans_from_tags() {
        // O B-PER I-PER B-PER I-LOC(invalid, starts new) O B-ORG
        assert_eq!(tag_spans(&[0, 1, 2, 1, 4, 0, 5]), vec![(1, 3, 0), (3, 4, 0), (4, 5, 1), (6, 7, 2)]);
    }

    #[test]
    fn the_shipped_model_reads_and_writes_back_byte_for_byte() {
        let model = builtin_model().unwrap();
        assert!(model.rows_with_weights() > 1000);
        assert!(model.to_bytes() == BUILTIN_MODEL);
    }
}
