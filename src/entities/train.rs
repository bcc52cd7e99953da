//! Training the tagger: a structured averaged perceptron over the hashed
//! features, decoded with Viterbi, with the epoch that scores best on the
//! development sets kept. Deterministic: the same data gives the same model.
//!
//! Corpora that do not annotate MISC (web text, tweets) train with partial
//! labels: their `O` tokens may be MISC, and the target of each update is
//! the best tagging the current weights give among those the annotation
//! allows (a latent structured perceptron).

use super::conll::{Corpus, Document, Evaluation, Sentence};
use super::features::{DocumentEvidence, FEATURES_PER_TOKEN, Scratch, bucket, sentence_features};
use super::model::{Model, T, ViterbiScratch, viterbi};
use super::tagger::{Resources, TagScratch, tag_document_with, tag_spans};

/// Settings of a training run.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Passes over the training data.
    pub epochs: usize,
    /// log2 of the number of feature buckets.
    pub bits: u32,
    /// Seed of the sentence shuffle.
    pub seed: u64,
    /// Share of training tokens whose spelling features are hidden, so that
    /// the model also learns names from their shape, clusters and context
    /// (names in new text are mostly names it never saw).
    pub word_dropout: f64,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions { epochs: 12, bits: 20, seed: 2003, word_dropout: 0.0 }
    }
}

/// What one epoch did.
#[derive(Debug, Clone)]
pub struct EpochReport {
    /// 1-based epoch number.
    pub epoch: usize,
    /// Training tokens tagged wrongly during the epoch.
    pub train_errors: usize,
    /// Scores of the averaged model on each development set, over the types it annotates.
    pub dev: Vec<Evaluation>,
    /// What epochs are chosen by: the mean of the development sets' F1.
    pub score: f64,
}

/// Features of the training set, computed once.
struct Prepared {
    features: Vec<u32>,
    gold: Vec<u8>,
    /// Token range of each sentence, and whether its `O` tokens may be MISC.
    sentences: Vec<(usize, usize, bool)>,
}

fn prepare(corpora: &[Corpus], resources: &Resources, options: &TrainOptions) -> Prepared {
    let bits = options.bits;
    let mut rng = options.seed.max(1) ^ 0x9e37_79b9_7f4a_7c15;
    let source = resources.source();
    let mut prepared = Prepared { features: Vec::new(), gold: Vec::new(), sentences: Vec::new() };
    let mut evidence = DocumentEvidence::default();
    let mut scratch = Scratch::default();
    let mut buffer = Vec::new();
    for (doc, partial) in corpora.iter().flat_map(|c| c.documents.iter().map(|d| (d, !c.labels_misc))) {
        let words: Vec<Vec<&str>> = doc.iter().map(|s| s.words.iter().map(String::as_str).collect()).collect();
        evidence.clear();
        for w in &words {
            evidence.add_sentence(w);
        }
        for (sentence, w) in doc.iter().zip(&words) {
            sentence_features(&source, &evidence, w, bits, &mut scratch, &mut buffer);
            if options.word_dropout > 0.0 {
                for token in buffer.chunks_exact_mut(FEATURES_PER_TOKEN) {
                    if unit_random(&mut rng) < options.word_dropout {
                        hide_spelling(token, bits);
                    }
                }
            }
            let start = prepared.gold.len();
            prepared.features.extend_from_slice(&buffer);
            prepared.gold.extend_from_slice(&sentence.tags);
            prepared.sentences.push((start, prepared.gold.len(), partial));
        }
    }
    prepared
}

/// Scores a model on documents.
pub fn evaluate(model: &Model, resources: &Resources, docs: &[Document], types: &[usize]) -> Evaluation {
    evaluate_with(model, resources, docs, types, |_, _| {})
}

/// [`evaluate`], showing `visit` each sentence with the tags predicted for it.
pub fn evaluate_with(
    model: &Model,
    resources: &Resources,
    docs: &[Document],
    types: &[usize],
    mut visit: impl FnMut(&Sentence, &[u8]),
) -> Evaluation {
    let source = resources.source();
    let mut evaluation = Evaluation::default();
    let mut scratch = TagScratch::default();
    let mut tags = Vec::new();
    for doc in docs {
        let words: Vec<Vec<&str>> = doc.iter().map(|s| s.words.iter().map(String::as_str).collect()).collect();
        tag_document_with(model, &source, words.iter().map(Vec::as_slice), None, &mut scratch, &mut tags, None);
        let mut at = 0;
        for sentence in doc {
            let n = sentence.tags.len();
            evaluation.add(&sentence.tags, &tags[at..at + n], types);
            visit(sentence, &tags[at..at + n]);
            at += n;
        }
    }
    evaluation
}

/// Each span the model finds in the corpora (of the types each annotates),
/// with its confidence and whether it is right (bounds and type).
pub fn span_outcomes(model: &Model, resources: &Resources, corpora: &[Corpus]) -> Vec<(f32, bool)> {
    let source = resources.source();
    let mut scratch = TagScratch::default();
    let (mut tags, mut scores, mut outcomes) = (Vec::new(), Vec::new(), Vec::new());
    for corpus in corpora {
        let types = corpus.labelled_types();
        for doc in &corpus.documents {
            let words: Vec<Vec<&str>> = doc.iter().map(|s| s.words.iter().map(String::as_str).collect()).collect();
            let sentences = words.iter().map(Vec::as_slice);
            tag_document_with(model, &source, sentences, None, &mut scratch, &mut tags, Some(&mut scores));
            let gold: Vec<u8> = doc.iter().flat_map(|s| s.tags.iter().copied()).collect();
            let gold_spans = tag_spans(&gold);
            for (span, score) in tag_spans(&tags).into_iter().zip(&scores) {
                if types.contains(&span.2) {
                    outcomes.push((score.confidence, gold_spans.contains(&span)));
                }
            }
        }
    }
    outcomes
}

/// The temperature under which the model's span confidences best predict
/// which spans are right on the development corpora (least log loss, over
/// a grid), so that a confidence of 0.8 means right four times in five.
pub fn fit_temperature(model: &Model, resources: &Resources, dev: &[Corpus]) -> f32 {
    let mut candidate = model.clone();
    let mut best = (f64::INFINITY, 1.0f32);
    for step in 0..=40 {
        // 1/32 to 32, evenly on a log scale.
        let temperature = 2f32.powf(-5.0 + step as f32 / 4.0);
        candidate.temperature = temperature;
        let loss: f64 = span_outcomes(&candidate, resources, dev)
            .iter()
            .map(|&(p, right)| {
                let p = f64::from(p).clamp(1e-6, 1.0 - 1e-6);
                -(if right { p.ln() } else { (1.0 - p).ln() })
            })
            .sum();
        if loss < best.0 {
            best = (loss, temperature);
        }
    }
    best.1
}

/// Scores a model on each development corpus over the types it annotates,
/// and the mean of their F1.
pub fn evaluate_all(model: &Model, resources: &Resources, dev: &[Corpus]) -> (Vec<Evaluation>, f64) {
    let evaluations: Vec<Evaluation> =
        dev.iter().map(|c| evaluate(model, resources, &c.documents, &c.labelled_types())).collect();
    let mean = evaluations.iter().map(|e| e.overall().scores().2).sum::<f64>() / evaluations.len().max(1) as f64;
    (evaluations, mean)
}

/// The best tagging of a sentence that its annotation allows: the gold
/// tags, except that where the corpus does not annotate MISC an `O` token
/// may be `B-MISC` or `I-MISC`, whichever the current scores prefer.
fn latent_gold(
    emissions: &[f32],
    gold: &[u8],
    transitions: &[f32],
    scratch: &mut ViterbiScratch,
    masked: &mut Vec<f32>,
    out: &mut Vec<u8>,
) {
    const MISC: [usize; 2] = [7, 8];
    masked.clear();
    masked.extend_from_slice(emissions);
    for (i, &g) in gold.iter().enumerate() {
        for t in 0..T {
            if t != g as usize && !(g == 0 && MISC.contains(&t)) {
                masked[i * T + t] = f32::NEG_INFINITY;
            }
        }
    }
    viterbi(masked, transitions, scratch, out);
}

/// Trains a model; `on_epoch` sees each epoch's report as it finishes.
/// Returns the model of the best epoch on `dev` and every epoch's report.
pub fn train(
    train_corpora: &[Corpus],
    dev: &[Corpus],
    resources: &Resources,
    options: &TrainOptions,
    mut on_epoch: impl FnMut(&EpochReport),
) -> (Model, Vec<EpochReport>) {
    let bits = options.bits;
    let data = prepare(train_corpora, resources, options);
    let size = (1usize << bits) * T;
    let mut weights = vec![0f32; size];
    let mut weighted_sum = vec![0f64; size];
    let mut trans = vec![0f32; (T + 1) * T];
    let mut trans_sum = vec![0f64; (T + 1) * T];
    let mut step = 1f64;
    let mut order: Vec<usize> = (0..data.sentences.len()).collect();
    let mut rng = options.seed.max(1);
    let mut emissions = Vec::new();
    let mut scratch = ViterbiScratch::default();
    let mut predicted = Vec::new();
    let (mut latent, mut masked) = (Vec::new(), Vec::new());
    let mut reports = Vec::new();
    let mut best: Option<(f64, Model)> = None;
    for epoch in 1..=options.epochs {
        shuffle(&mut order, &mut rng);
        let mut errors = 0;
        for &s in &order {
            let (start, end, partial) = data.sentences[s];
            let feats = &data.features[start * FEATURES_PER_TOKEN..end * FEATURES_PER_TOKEN];
            let mut gold = &data.gold[start..end];
            emissions.clear();
            for token in feats.chunks_exact(FEATURES_PER_TOKEN) {
                let mut acc = [0f32; T];
                for &f in token {
                    let row = &weights[f as usize * T..f as usize * T + T];
                    for t in 0..T {
                        acc[t] += row[t];
                    }
                }
                emissions.extend_from_slice(&acc);
            }
            viterbi(&emissions, &trans, &mut scratch, &mut predicted);
            if partial {
                latent_gold(&emissions, gold, &trans, &mut scratch, &mut masked, &mut latent);
                gold = &latent;
            }
            if predicted != gold {
                for i in 0..gold.len() {
                    let (g, p) = (gold[i] as usize, predicted[i] as usize);
                    if g != p {
                        errors += 1;
                        for &f in &feats[i * FEATURES_PER_TOKEN..(i + 1) * FEATURES_PER_TOKEN] {
                            let base = f as usize * T;
                            update(&mut weights, &mut weighted_sum, base + g, 1.0, step);
                            update(&mut weights, &mut weighted_sum, base + p, -1.0, step);
                        }
                    }
                    let gp = if i == 0 { 0 } else { 1 + gold[i - 1] as usize };
                    let pp = if i == 0 { 0 } else { 1 + predicted[i - 1] as usize };
                    if (gp, g) != (pp, p) {
                        update(&mut trans, &mut trans_sum, gp * T + g, 1.0, step);
                        update(&mut trans, &mut trans_sum, pp * T + p, -1.0, step);
                    }
                }
            }
            step += 1.0;
        }
        let model = averaged(bits, &weights, &weighted_sum, &trans, &trans_sum, step);
        let (dev, score) = evaluate_all(&model, resources, dev);
        let report = EpochReport { epoch, train_errors: errors, dev, score };
        on_epoch(&report);
        reports.push(report);
        if best.as_ref().is_none_or(|(b, _)| score > *b) {
            best = Some((score, model));
        }
    }
    let mut model =
        best.map(|(_, m)| m).unwrap_or_else(|| averaged(bits, &weights, &weighted_sum, &trans, &trans_sum, step));
    model.temperature = fit_temperature(&model, resources, dev);
    (model, reports)
}

#[inline]
fn update(w: &mut [f32], sum: &mut [f64], i: usize, delta: f32, step: f64) {
    w[i] += delta;
    sum[i] += step * delta as f64;
}

/// The averaged perceptron: each weight's mean over all steps.
fn averaged(bits: u32, w: &[f32], sum: &[f64], t: &[f32], tsum: &[f64], step: f64) -> Model {
    let avg =
        |w: &[f32], s: &[f64]| -> Vec<f32> { w.iter().zip(s).map(|(&w, &s)| (w as f64 - s / step) as f32).collect() };
    Model::from_floats(bits, &avg(w, sum), avg(t, tsum))
}

/// Replaces a token's features of its exact and lowercased spelling by
/// those of an unknown word.
fn hide_spelling(token: &mut [u32], bits: u32) {
    for template in SPELLING_TEMPLATES {
        token[template as usize - 1] = bucket(template, UNKNOWN_WORD, bits);
    }
}

/// Templates of [`word_templates`](super::features::word_templates) that read the word's spelling.
const SPELLING_TEMPLATES: [u64; 2] = [2, 3];
const UNKNOWN_WORD: u64 = 0x0dd;

/// xorshift64: the next number of a deterministic sequence.
fn next_random(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// A deterministic number in `[0, 1)`.
fn unit_random(state: &mut u64) -> f64 {
    (next_random(state) >> 11) as f64 / (1u64 << 53) as f64
}

/// Fisher–Yates with xorshift: deterministic for a seed.
fn shuffle(items: &mut [usize], state: &mut u64) {
    for i in (1..items.len()).rev() {
        let j = (next_random(state) % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}
