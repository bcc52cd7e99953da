//! The tagger's model: tag set, weights, transition scores, best-path
//! decoding, and the compact file format it ships in.
//!
//! File layout (little endian): magic `GZNER\x01\0\0`, bucket bits (u32),
//! number of tags (u32), weight scale (f32), transition scores
//! ((tags + 1) × tags f32, the first row from the sentence start), a bitmap
//! of buckets that have weights, then `tags` i16 weights per such bucket.

use crate::content::EntityKind;

/// Tags in IOB2: outside, then begin/inside for each entity type.
pub const TAGS: [&str; 9] = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"];
/// Number of tags.
pub const T: usize = TAGS.len();
/// Entity types, in tag order.
pub const TYPES: [&str; 4] = ["PER", "LOC", "ORG", "MISC"];

const MAGIC: &[u8; 8] = b"GZNER\x01\0\0";

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
        let mut h = super::hash::FastHasher::default();
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
        Model { bits, present, rows, scale, transitions, fingerprint: h.finish() }
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
        Ok(Model::assemble(bits, present, rows, scale, transitions))
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

    #[test]
    fn file_round_trip() {
        let bits = 8;
        let mut w = vec![0f32; (1 << bits) * T];
        w[5] = 1.5;
        w[T * 200 + 3] = -0.25;
        w[T * 255 + 8] = 0.75;
        let m = Model::from_floats(bits, &w, vec![0.5; (T + 1) * T]);
        assert_eq!(m.rows_with_weights(), 3);
        assert!(m.row(1).is_none() && m.row(199).is_none());
        assert_eq!(m.row(200).map(|r| r[3]), Some((-0.25 / m.scale).round() as i16));
        assert_eq!(m.row(255).map(|r| r[8]), Some((0.75 / m.scale).round() as i16));
        let back = Model::from_bytes(&m.to_bytes()).unwrap();
        assert_eq!(back.rows, m.rows);
        assert_eq!(back.present, m.present);
        assert_eq!(back.transitions, m.transitions);
        assert!(Model::from_bytes(b"nonsense").is_err());
        let mut bytes = m.to_bytes();
        bytes.pop();
        assert!(Model::from_bytes(&bytes).is_err());
    }
}
