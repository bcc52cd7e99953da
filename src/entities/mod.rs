//! Entity extraction: finding names of people, places and organisations in
//! article text. An [`Extractor`] turns text into [`Mention`]s (byte spans
//! with a kind); the archive-wide merging of names happens later, in
//! [`resolve`](crate::resolve).

pub mod clusters;
pub mod conll;
pub mod features;
pub mod gazetteer;
pub mod hash;
pub mod model;
pub mod overrides;
pub mod tagger;
pub mod tokenize;
pub mod train;
pub mod word_scores;

pub use crate::content::EntityKind;
pub use gazetteer::Gazetteer;
pub use tagger::Tagger;

use crate::content::Article;

/// One mention of a name in an article's plain text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    /// Byte offset of the first character in [`Article::entity_text`].
    pub start: usize,
    /// Byte offset just past the last character.
    pub end: usize,
    /// What the name refers to.
    pub kind: EntityKind,
    /// How likely the tagger finds it that exactly this span is a name of
    /// this kind, from 0 (0 %) to 255 (100 %).
    pub confidence: u8,
    /// How likely each kind is for the name of this span, in the order of
    /// [`EntityKind`] (person, place, organisation, misc), 0 to 255 each.
    pub kind_weights: [u8; 4],
}

impl Mention {
    /// A mention the tagger did not have to guess (declared by the author,
    /// or given in tests): full confidence in its span and kind.
    pub fn certain(start: usize, end: usize, kind: EntityKind) -> Mention {
        let mut kind_weights = [0; 4];
        kind_weights[kind as usize] = 255;
        Mention { start, end, kind, confidence: 255, kind_weights }
    }

    /// The mentioned text.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }

    /// [`Mention::confidence`] as a probability.
    pub fn probability(&self) -> f32 {
        f32::from(self.confidence) / 255.0
    }
}

/// A probability as the 0–255 of [`Mention::confidence`].
pub fn quantise_probability(p: f32) -> u8 {
    (p.clamp(0.0, 1.0) * 255.0).round() as u8
}

/// Finds entity mentions in plain text. Implementations are pure and
/// thread-safe: extraction runs on many articles in parallel.
pub trait Extractor: Sync {
    /// Mentions in `text`, sorted by start, not overlapping.
    fn extract(&self, text: &str) -> Vec<Mention>;
}

/// Extracts the mentions of one article: what the extractor finds, plus every
/// occurrence of the names declared in front matter (which win over
/// overlapping found mentions).
pub fn extract_article(article: &Article, extractor: &dyn Extractor) -> Vec<Mention> {
    let text = article.entity_text();
    let mut mentions = extractor.extract(&text);
    if article.declared_entities.is_empty() {
        return mentions;
    }
    let mut declared = Vec::new();
    for entity in &article.declared_entities {
        for (start, _) in text.match_indices(entity.name.as_str()) {
            let end = start + entity.name.len();
            if is_word_boundary(&text, start, end) {
                declared.push(Mention::certain(start, end, entity.kind));
            }
        }
    }
    mentions.retain(|m| !declared.iter().any(|d| d.start < m.end && m.start < d.end));
    mentions.extend(declared);
    mentions.sort_by_key(|m| (m.start, m.end));
    mentions.dedup_by(|b, a| b.start < a.end);
    mentions
}

/// Extracts the mentions of every article, in parallel, in article order.
pub fn extract_all(articles: &[Article], extractor: &dyn Extractor) -> Vec<Vec<Mention>> {
    use rayon::prelude::*;
    articles.par_iter().map(|a| extract_article(a, extractor)).collect()
}

/// Whether `text[start..end]` is not part of a longer word.
pub fn is_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}
