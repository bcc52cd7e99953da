//! Training the tagger: a structured averaged perceptron over the hashed
//! features, decoded with Viterbi, with the epoch that scores best on the
//! development set kept. Deterministic: the same data gives the same model.

use super::conll::{Document, Evaluation};
use super::features::{DocumentEvidence, FEATURES_PER_TOKEN, Scratch, sentence_features};
use super::model::{Model, T, ViterbiScratch, viterbi};
use super::tagger::{Resources, TagScratch, tag_document_with};

/// Settings of a training run.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Passes over the training data.
    pub epochs: usize,
    /// log2 of the number of feature buckets.
    pub bits: u32,
    /// Seed of the sentence shuffle.
    pub seed: u64,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions { epochs: 12, bits: 20, seed: 2003 }
    }
}

/// What one epoch did.
#[derive(Debug, Clone)]
pub struct EpochReport {
    /// 1-based epoch number.
    pub epoch: usize,
    /// Training tokens tagged wrongly during the epoch.
    pub train_errors: usize,
    /// Scores of the averaged model on the development set.
    pub dev: Evaluation,
}

/// Features of the training set, computed once.
struct Prepared {
    features: Vec<u32>,
    gold: Vec<u8>,
    /// Token range of each sentence.
    sentences: Vec<(usize, usize)>,
}

fn prepare(docs: &[Document], resources: &Resources, bits: u32) -> Prepared {
    let source = resources.source();
    let mut prepared = Prepared { features: Vec::new(), gold: Vec::new(), sentences: Vec::new() };
    let mut evidence = DocumentEvidence::default();
    let mut scratch = Scratch::default();
    let mut buffer = Vec::new();
    for doc in docs {
        let words: Vec<Vec<&str>> = doc.iter().map(|s| s.words.iter().map(String::as_str).collect()).collect();
        evidence.clear();
        for w in &words {
            evidence.add_sentence(w);
        }
        for (sentence, w) in doc.iter().zip(&words) {
            sentence_features(&source, &evidence, w, bits, &mut scratch, &mut buffer);
            let start = prepared.gold.len();
            prepared.features.extend_from_slice(&buffer);
            prepared.gold.extend_from_slice(&sentence.tags);
            prepared.sentences.push((start, prepared.gold.len()));
        }
    }
    prepared
}

/// Scores a model on documents.
pub fn evaluate(model: &Model, resources: &Resources, docs: &[Document], types: &[usize]) -> Evaluation {
    let source = resources.source();
    let mut evaluation = Evaluation::default();
    let mut scratch = TagScratch::default();
    let mut tags = Vec::new();
    for doc in docs {
        let words: Vec<Vec<&str>> = doc.iter().map(|s| s.words.iter().map(String::as_str).collect()).collect();
        tag_document_with(model, &source, words.iter().map(Vec::as_slice), None, &mut scratch, &mut tags);
        let mut at = 0;
        for sentence in doc {
            let n = sentence.tags.len();
            evaluation.add(&sentence.tags, &tags[at..at + n], types);
            at += n;
        }
    }
    evaluation
}

/// Trains a model; `on_epoch` sees each epoch's report as it finishes.
/// Returns the model of the best epoch on `dev` and every epoch's report.
pub fn train(
    train_docs: &[Document],
    dev_docs: &[Document],
    resources: &Resources,
    options: &TrainOptions,
    mut on_epoch: impl FnMut(&EpochReport),
) -> (Model, Vec<EpochReport>) {
    let bits = options.bits;
    let data = prepare(train_docs, resources, bits);
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
    let mut reports = Vec::new();
    let mut best: Option<(f64, Model)> = None;
    let all_types = [0, 1, 2, 3];
    for epoch in 1..=options.epochs {
        shuffle(&mut order, &mut rng);
        let mut errors = 0;
        for &s in &order {
            let (start, end) = data.sentences[s];
            let feats = &data.features[start * FEATURES_PER_TOKEN..end * FEATURES_PER_TOKEN];
            let gold = &data.gold[start..end];
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
        let dev = evaluate(&model, resources, dev_docs, &all_types);
        let f1 = dev.overall().scores().2;
        let report = EpochReport { epoch, train_errors: errors, dev };
        on_epoch(&report);
        reports.push(report);
        if best.as_ref().is_none_or(|(b, _)| f1 > *b) {
            best = Some((f1, model));
        }
    }
    let model =
        best.map(|(_, m)| m).unwrap_or_else(|| averaged(bits, &weights, &weighted_sum, &trans, &trans_sum, step));
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

/// Fisher–Yates with xorshift: deterministic for a seed.
fn shuffle(items: &mut [usize], state: &mut u64) {
    for i in (1..items.len()).rev() {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        let j = (*state % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}
