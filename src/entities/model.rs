//! The tagger's model: tag set, weights, transition scores, best-path
//! decoding, and the compact file format it ships in.
//!
//! File layout (little endian): magic `GZNER\x02\0\0`, bucket bits (u32),
//! number of tags (u32), weight scale (f32), temperature (f32, see
//! [`Model::temperature`]), transition scores
//! ((tags + 1) × tags f32, the first row from the sentence start), a bitmap
//! of buckets that have weights, then `tags` i16 weights per such bucket.

use crate::entity_kind::EntityKind;

/// Tags in IOB2: outside, then begin/inside for each entity type.
pub const TAGS: [&str; 9] = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"];
/// Number of tags.
pub const T: usize = TAGS.len();
/// Entity types, in tag order.
pub const TYPES: [&str; 4] = ["PER", "LOC", "ORG", "MISC"];

const MAGIC: &[u8; 8] = b"GZNER\x02\0\0";

/// Index of a tag name, reading IOB1/IOB2 alike (`I-` and `B-` both give a type).
pub fn tag_index(tag: &str) -> Option<u8> {
    TAGS.iter().position(|t| *t == tag).map(|i| i as u8)
}

/// The entity type of a tag (0..4), or `None` for O.
pub fn tag_type(tag: u8) -> Option<usize> {
    (tag != 0).then(|| (tag as usize - 1) / 2)
}

/// Whether a tag begins an entity.
pub fn is_begin(tag: u8) -> bool {
    tag != 0 && tag % 2 == 1
}

/// The entity kind of a type index.
pub fn type_kind(t: usize) -> EntityKind {
    match t {
        0 => EntityKind::Person,
        1 => EntityKind::Place,
        2 => EntityKind::Organisation,
        _ => EntityKind::Misc,
    }
}

/// Whether `to` may follow `from` (`None` = sentence start): `I-X` only after `B-X` or `I-X`.
pub fn allowed(from: Option<u8>, to: u8) -> bool {
    if to == 0 || is_begin(to) {
        return true;
    }
    match from {
        Some(f) => f != 0 && tag_type(f) == tag_type(to),
        None => false,
    }
}

/// A trained model, ready to score.
///
/// Most hashed feature buckets never received a weight, so only the rows
/// that did are kept, found through a bitmap with a running count of set
/// bits (a rank index). The compact table is about a tenth of the dense one
/// and stays in the core's cache while tagging; scores are identical.
#[derive(Debug, Clone)]
pub struct Model {
    /// log2 of the number of feature buckets.
    pub bits: u32,
    /// Per 64 buckets: which have a row, and how many rows come before them.
    present: Vec<(u64, u32)>,
    /// `T` quantised weights per bucket that has any.
    rows: Vec<[i16; T]>,
    /// Multiplier from quantised weights to scores.
    pub scale: f32,
    /// Multiplier from scores to log-probabilities when the scores are read
    /// as a linear-chain model ([`marginals`]): fitted on development data
    /// after training so that confidences are calibrated.
    pub temperature: f32,
    /// Transition scores: row 0 from the start, row `1 + t` from tag `t`.
    pub transitions: Vec<f32>,
    /// Hash of the weights, telling models apart (for caches of scores).
    fingerprint: u64,
}

/// Why a model file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// Not a model file or a different version.
    #[error("not a gazette tagger model (bad magic or version)")]
    Magic,
    /// The file ends early or has inconsistent sizes.
    #[error("model file is truncated or corrupt")]
    Truncated,
}

impl Model {
    /// Builds a model from float weights (`T` per bucket), quantising them to i16.
    pub fn from_floats(bits: u32, weights: &[f32], transitions: Vec<f32>) -> Model {
        let max = weights.iter().fold(0f32, |m, w| m.max(w.abs())).max(1e-9);
        let scale = max / i16::MAX as f32;
        let quantised = weights.chunks_exact(T).map(|row| {
            let mut q = [0i16; T];
            for (q, w) in q.iter_mut().zip(row) {
                *q = (w / scale).round() as i16;
            }
            q
        });
        Model::from_rows(bits, quantised, scale, transitions)
    }

    /// Builds the compact table from every bucket's row, in bucket order.
    fn from_rows(bits: u32, dense: impl Iterator<Item = [i16; T]>, scale: f32, transitions: Vec<f32>) -> Model {
        let mut present = vec![(0u64, 0u32); (1usize << bits).div_ceil(64)];
        let mut rows = Vec::new();
        for (bucket, row) in dense.enumerate() {
            if row.iter().any(|&w| w != 0) {
                present[bucket / 64].0 |= 1 << (bucket % 64);
                rows.push(row);
            }
        }
        let mut before = 0u32;
        for (word, rank) in &mut present {
            *rank = before;
            before += word.count_ones();
        }
        Model::assemble(bits, present, rows, scale, transitions)
    }

    fn assemble(bits: u32, present: Vec<(u64, u32)>, rows: Vec<[i16; T]>, scale: f32, transitions: Vec<f32>) -> Model {
        use std::hash::Hasher;
        let mut h = crate::hash::FastHasher::default();
        h.write_u32(bits);
        h.write_u32(scale.to_bits());
        for (word, _) in &present {
            h.write_u64(*word);
        }
        for row in &rows {
            h.write_u64(row.iter().fold(0u64, |a, &w| a.rotate_left(7) ^ w as u16 as u64));
        }
        for t in &transitions {
            h.write_u32(t.to_bits());
        }
        Model { bits, present, rows, scale, temperature: 1.0, transitions, fingerprint: h.finish() }
    }

    /// A hash of the weights: equal for equal models.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// The weights of a feature bucket, if it has any.
    #[inline]
    pub fn row(&self, bucket: u32) -> Option<&[i16; T]> {
        let (word, rank) = self.present[(bucket >> 6) as usize];
        let bit = bucket & 63;
        if word >> bit & 1 == 0 {
            return None;
        }
        let below = word & ((1u64 << bit) - 1);
        Some(&self.rows[(rank + below.count_ones()) as usize])
    }

    /// Adds the weights of every bucket in `buckets` to `acc`, reading the
    /// table in two passes (every bucket's index word, then every row) so
    /// that the memory reads of one pass do not wait for each other.
    #[inline]
    pub fn add_rows(&self, buckets: &[u32], acc: &mut [i32; T]) {
        const MAX: usize = 32;
        debug_assert!(buckets.len() <= MAX);
        let mut words = [(0u64, 0u32); MAX];
        for (slot, &bucket) in words.iter_mut().zip(buckets) {
            *slot = self.present[(bucket >> 6) as usize];
        }
        for (&(word, rank), &bucket) in words.iter().zip(buckets) {
            let bit = bucket & 63;
            if word >> bit & 1 == 1 {
                let below = word & ((1u64 << bit) - 1);
                let row = &self.rows[(rank + below.count_ones()) as usize];
                for t in 0..T {
                    acc[t] += row[t] as i32;
                }
            }
        }
    }

    /// Number of buckets that have weights.
    pub fn rows_with_weights(&self) -> usize {
        self.rows.len()
    }

    /// Adds the weights of `features` into `scores` (`T` per token).
    #[inline]
    pub fn emissions(&self, features: &[u32], per_token: usize, scores: &mut Vec<f32>) {
        scores.clear();
        for token in features.chunks_exact(per_token) {
            let mut acc = [0i32; T];
            for row in token.iter().filter_map(|&f| self.row(f)) {
                for t in 0..T {
                    acc[t] += row[t] as i32;
                }
            }
            scores.extend(acc.iter().map(|&a| a as f32 * self.scale));
        }
    }

    /// Serialises the model.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.bits.to_le_bytes());
        out.extend_from_slice(&(T as u32).to_le_bytes());
        out.extend_from_slice(&self.scale.to_le_bytes());
        out.extend_from_slice(&self.temperature.to_le_bytes());
        for t in &self.transitions {
            out.extend_from_slice(&t.to_le_bytes());
        }
        let buckets = 1usize << self.bits;
        let bitmap: Vec<u8> = self.present.iter().flat_map(|(word, _)| word.to_le_bytes()).collect();
        out.extend_from_slice(&bitmap[..buckets.div_ceil(8)]);
        for row in &self.rows {
            for w in row {
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        out
    }

    /// Reads a model written by [`Model::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(8)? != MAGIC {
            return Err(ModelError::Magic);
        }
        let bits = r.u32()?;
        if r.u32()? as usize != T || !(8..=26).contains(&bits) {
            return Err(ModelError::Magic);
        }
        let scale = r.f32()?;
        let temperature = r.f32()?;
        if !(temperature.is_finite() && temperature > 0.0) {
            return Err(ModelError::Truncated);
        }
        let transitions = (0..(T + 1) * T).map(|_| r.f32()).collect::<Result<Vec<_>, _>>()?;
        let buckets = 1usize << bits;
        let bitmap = r.take(buckets.div_ceil(8))?;
        let mut present = vec![(0u64, 0u32); buckets.div_ceil(64)];
        for (i, byte) in bitmap.iter().enumerate() {
            present[i / 8].0 |= (*byte as u64) << (8 * (i % 8));
        }
        let mut before = 0u32;
        for (word, rank) in &mut present {
            *rank = before;
            before += word.count_ones();
        }
        let mut rows = Vec::with_capacity(before as usize);
        for _ in 0..before {
            let mut row = [0i16; T];
            for w in &mut row {
                *w = i16::from_le_bytes(r.take(2)?.try_into().map_err(|_| ModelError::Truncated)?);
            }
            rows.push(row);
        }
        if r.at != bytes.len() {
            return Err(ModelError::Truncated);
        }
        Ok(Model { temperature, ..Model::assemble(bits, present, rows, scale, transitions) })
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let slice = self.bytes.get(self.at..self.at + n).ok_or(ModelError::Truncated)?;
        self.at += n;
        Ok(slice)
    }
    fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().map_err(|_| ModelError::Truncated)?))
    }
    fn f32(&mut self) -> Result<f32, ModelError> {
        Ok(f32::from_le_bytes(self.take(4)?.try_into().map_err(|_| ModelError::Truncated)?))
    }
}

/// Scratch space of [`viterbi`].
#[derive(Debug, Default)]
pub struct ViterbiScratch {
    score: Vec<f32>,
    back: Vec<u8>,
}

/// The best tag sequence given per-token emission scores (`T` per token) and
/// transition scores, obeying IOB2 (`I-X` only after `B-X`/`I-X`).
pub fn viterbi(emissions: &[f32], transitions: &[f32], scratch: &mut ViterbiScratch, out: &mut Vec<u8>) {
    let n = emissions.len() / T;
    out.clear();
    if n == 0 {
        return;
    }
    scratch.score.clear();
    scratch.score.resize(n * T, f32::NEG_INFINITY);
    scratch.back.clear();
    scratch.back.resize(n * T, 0);
    // Transitions with the forbidden ones at -inf, by target tag then
    // previous tag (`into[t][0]` is from the start): no test in the inner loop.
    let mut into = [[f32::NEG_INFINITY; T + 1]; T];
    for (t, row) in into.iter_mut().enumerate() {
        for (from, cell) in row.iter_mut().enumerate() {
            let previous = from.checked_sub(1).map(|p| p as u8);
            if allowed(previous, t as u8) {
                *cell = transitions[from * T + t];
            }
        }
    }
    for t in 0..T {
        scratch.score[t] = emissions[t] + into[t][0];
    }
    for i in 1..n {
        let (done, rest) = scratch.score.split_at_mut(i * T);
        let previous = &done[(i - 1) * T..];
        let score = &mut rest[..T];
        let back = &mut scratch.back[i * T..(i + 1) * T];
        // After a word that can only be `O` (far from any name), every path
        // comes from `O`: one sum per tag instead of one per tag pair.
        let only_outside = previous[1..].iter().all(|&s| s == f32::NEG_INFINITY);
        for t in 0..T {
            let emission = emissions[i * T + t];
            if emission == f32::NEG_INFINITY {
                // A tag the word cannot have: no path goes through it.
                score[t] = f32::NEG_INFINITY;
                continue;
            }
            let from = &into[t][1..];
            let (mut best, mut arg) = (previous[0] + from[0], 0u8);
            if !only_outside {
                for p in 1..T {
                    let s = previous[p] + from[p];
                    if s > best {
                        best = s;
                        arg = p as u8;
                    }
                }
            }
            score[t] = best + emission;
            back[t] = arg;
        }
    }
    let last = &scratch.score[(n - 1) * T..n * T];
    let mut tag = (0..T).fold(0, |b, t| if last[t] > last[b] { t } else { b }) as u8;
    out.resize(n, 0);
    for i in (0..n).rev() {
        out[i] = tag;
        tag = scratch.back[i * T + tag as usize];
    }
}

/// Scratch space of [`marginals`].
#[derive(Debug, Default)]
pub struct MarginalScratch {
    emit: Vec<f32>,
    forward: Vec<f32>,
    backward: Vec<f32>,
}

/// Per-token tag probabilities (`T` per token, each token's summing to 1)
/// of a run of tokens, reading the scores as a linear-chain model:
/// `P(tags) ∝ exp(temperature × (emissions + transitions))`, computed by
/// forward-backward with each step normalised (linear in the tokens, no
/// overflow). `after_outside` says the token before the run could only be
/// `O` (the run follows words far from any name), otherwise the run opens
/// the sentence; `before_outside` says the same of the token after it,
/// otherwise the run ends the sentence. Tags with an emission of minus
/// infinity get 0.
pub fn marginals(
    emissions: &[f32],
    transitions: &[f32],
    temperature: f32,
    (after_outside, before_outside): (bool, bool),
    scratch: &mut MarginalScratch,
    out: &mut Vec<f32>,
) {
    let n = emissions.len() / T;
    out.clear();
    if n == 0 {
        return;
    }
    // exp(τ·transition), zero where IOB2 forbids it; row 0 is the run's start.
    let start_row = if after_outside { 1 } else { 0 };
    let mut step = [[0f32; T]; T];
    let mut start = [0f32; T];
    for t in 0..T {
        if allowed(if after_outside { Some(0) } else { None }, t as u8) {
            start[t] = (temperature * transitions[start_row * T + t]).exp();
        }
        for (p, row) in step.iter_mut().enumerate() {
            if allowed(Some(p as u8), t as u8) {
                row[t] = (temperature * transitions[(1 + p) * T + t]).exp();
            }
        }
    }
    let s = scratch;
    s.emit.clear();
    for token in emissions.chunks_exact(T) {
        let max = token.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        s.emit
            .extend(token.iter().map(|&e| if e == f32::NEG_INFINITY { 0.0 } else { (temperature * (e - max)).exp() }));
    }
    let normalise = |v: &mut [f32]| {
        let sum: f32 = v.iter().sum();
        if sum > 0.0 {
            v.iter_mut().for_each(|x| *x /= sum);
        }
    };
    s.forward.clear();
    s.forward.resize(n * T, 0.0);
    for ((f, &a), &e) in s.forward.iter_mut().zip(&start).zip(&s.emit) {
        *f = a * e;
    }
    normalise(&mut s.forward[..T]);
    for i in 1..n {
        let (done, rest) = s.forward.split_at_mut(i * T);
        let previous = &done[(i - 1) * T..];
        let current = &mut rest[..T];
        for (&a, row) in previous.iter().zip(&step) {
            if a > 0.0 {
                for (c, &m) in current.iter_mut().zip(row) {
                    *c += a * m;
                }
            }
        }
        for (c, &e) in current.iter_mut().zip(&s.emit[i * T..(i + 1) * T]) {
            *c *= e;
        }
        normalise(current);
    }
    s.backward.clear();
    s.backward.resize(n * T, 0.0);
    // Into the `O` that follows, or the sentence's end.
    for (b, row) in s.backward[(n - 1) * T..].iter_mut().zip(&step) {
        *b = if before_outside { row[0] } else { 1.0 };
    }
    normalise(&mut s.backward[(n - 1) * T..]);
    for i in (0..n - 1).rev() {
        let (current, later) = s.backward.split_at_mut((i + 1) * T);
        let next = &later[..T];
        let current = &mut current[i * T..];
        let mut weighted = [0f32; T];
        for ((w, &e), &b) in weighted.iter_mut().zip(&s.emit[(i + 1) * T..(i + 2) * T]).zip(next) {
            *w = e * b;
        }
        for (cell, row) in current.iter_mut().zip(&step) {
            *cell = row.iter().zip(&weighted).map(|(m, w)| m * w).sum();
        }
        normalise(current);
    }
    out.reserve(n * T);
    for i in 0..n {
        let at = out.len();
        out.extend((0..T).map(|t| s.forward[i * T + t] * s.backward[i * T + t]));
        normalise(&mut out[at..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iob2_constraints() {
        assert!(allowed(None, 1));
        assert!(!allowed(None, 2));
        assert!(allowed(Some(1), 2));
        assert!(!allowed(Some(3), 2));
        assert!(!allowed(Some(0), 4));
    }

    #[test]
    fn viterbi_respects_constraints() {
        // Token 0 prefers I-PER (not allowed at the start), so B-PER wins; token 1 I-PER.
        let mut e = vec![0f32; 2 * T];
        e[2] = 5.0;
        e[1] = 1.0;
        e[T + 2] = 3.0;
        let trans = vec![0f32; (T + 1) * T];
        let mut out = Vec::new();
        viterbi(&e, &trans, &mut ViterbiScratch::default(), &mut out);
        assert_eq!(out, vec![1, 2]);
    }

    /// Marginals by summing over every tagging of a short run.
    fn brute_force_marginals(emissions: &[f32], transitions: &[f32], temperature: f32) -> Vec<f32> {
        let n = emissions.len() / T;
        let mut total = vec![0f64; n * T];
        let mut z = 0f64;
        for code in 0..T.pow(n as u32) {
            let tags: Vec<u8> = (0..n).map(|i| (code / T.pow(i as u32) % T) as u8).collect();
            let mut score = 0f32;
            let mut possible = true;
            for i in 0..n {
                let from = if i == 0 { None } else { Some(tags[i - 1]) };
                possible &= allowed(from, tags[i]) && emissions[i * T + tags[i] as usize] > f32::NEG_INFINITY;
                let row = from.map_or(0, |f| 1 + f as usize);
                score += transitions[row * T + tags[i] as usize] + emissions[i * T + tags[i] as usize];
            }
            if possible {
                let w = (f64::from(temperature) * f64::from(score)).exp();
                z += w;
                for (i, &t) in tags.iter().enumerate() {
                    total[i * T + t as usize] += w;
                }
            }
        }
        total.iter().map(|&x| (x / z) as f32).collect()
    }

    #[test]
    fn marginals_are_what_summing_over_every_tagging_gives() {
        let mut seed = 7u64;
        let mut random = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % 1000) as f32 / 250.0 - 2.0
        };
        let transitions: Vec<f32> = (0..(T + 1) * T).map(|_| random()).collect();
        let mut emissions: Vec<f32> = (0..3 * T).map(|_| random()).collect();
        // The middle word can only be O or B-LOC.
        for t in [1, 2, 4, 5, 6, 7, 8] {
            emissions[T + t] = f32::NEG_INFINITY;
        }
        let mut got = Vec::new();
        for temperature in [0.5, 1.0, 2.0] {
            marginals(&emissions, &transitions, temperature, (false, false), &mut MarginalScratch::default(), &mut got);
            let expected = brute_force_marginals(&emissions, &transitions, temperature);
            for (g, e) in got.iter().zip(&expected) {
                assert!((g - e).abs() < 1e-4, "{got:?}\n{expected:?}");
            }
            for token in got.chunks_exact(T) {
                assert!((token.iter().sum::<f32>() - 1.0).abs() < 1e-4);
            }
            assert_eq!(got[T + 2], 0.0, "a forbidden tag has no probability");
        }
        // A run between words that can only be O starts from O's
        // transitions and ends in them.
        marginals(&emissions[..2 * T], &transitions, 1.0, (true, true), &mut MarginalScratch::default(), &mut got);
        let mut outside = [0f32; T];
        outside[1..].fill(f32::NEG_INFINITY);
        let around: Vec<f32> = [&outside[..], &emissions[..2 * T], &outside[..]].concat();
        let expected = brute_force_marginals(&around, &transitions, 1.0);
        for (g, e) in got.iter().zip(&expected[T..3 * T]) {
            assert!((g - e).abs() < 1e-4, "{got:?}\n{:?}", &expected[T..3 * T]);
        }
    }

    #[test]
    fn marginals_stay_finite_over_a_very_long_run() {
        let transitions = vec![3.0f32; (T + 1) * T];
        let emissions: Vec<f32> = (0..200_000 * T).map(|i| (i % 17) as f32 * 5.0).collect();
        let mut got = Vec::new();
        marginals(&emissions, &transitions, 1.0, (false, false), &mut MarginalScratch::default(), &mut got);
        assert_eq!(got.len(), emissions.len());
        assert!(got.iter().all(|p| p.is_finite() && (0.0..=1.0001).contains(p)));
    }

    #[test]
    fn file_round_trip() {
        let bits = 8;
        let mut w = vec![0f32; (1 << bits) * T];
        w[5] = 1.5;
        w[T * 200 + 3] = -0.25;
        w[T * 255 + 8] = 0.75;
        let mut m = Model::from_floats(bits, &w, vec![0.5; (T + 1) * T]);
        m.temperature = 0.25;
        assert_eq!(m.rows_with_weights(), 3);
        assert!(m.row(1).is_none() && m.row(199).is_none());
        assert_eq!(m.row(200).map(|r| r[3]), Some((-0.25 / m.scale).round() as i16));
        assert_eq!(m.row(255).map(|r| r[8]), Some((0.75 / m.scale).round() as i16));
        let back = Model::from_bytes(&m.to_bytes()).unwrap();
        assert_eq!(back.rows, m.rows);
        assert_eq!(back.present, m.present);
        assert_eq!(back.transitions, m.transitions);
        assert_eq!(back.temperature, 0.25);
        assert!(Model::from_bytes(b"nonsense").is_err());
        let mut bytes = m.to_bytes();
        bytes.pop();
        assert!(Model::from_bytes(&bytes).is_err());
    }
}
