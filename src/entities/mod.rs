//! Entity extraction: finding names of people, places and organisations in
//! article text. An [`Extractor`] turns text into [`Mention`]s (byte spans
//! with a kind); the archive-wide merging of names happens later, in
//! [`resolve`](crate::resolve).

pub mod clusters;
pub mod conll;
pub mod features;
pub mod gazetteer;
pub mod model;
pub mod overrides;
pub mod tagger;
pub mod tokenize;
pub mod train;
pub mod word_scores;

pub use crate::entity_kind::EntityKind;
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
    // Both lists sorted by start, one sweep drops the found mentions that
    // overlap a declared one.
    declared.sort_by_key(|d| (d.start, d.end));
    let mut next = 0;
    mentions.retain(|m| {
        while next < declared.len() && declared[next].end <= m.start {
            next += 1;
        }
        declared.get(next).is_none_or(|d| d.start >= m.end)
    });
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::parse::parse_alone;

    /// Finds the same mentions in any text: what a test gives it.
    struct Fixed(Vec<(&'static str, usize, EntityKind)>);

    impl Extractor for Fixed {
        fn extract(&self, text: &str) -> Vec<Mention> {
            self.0
                .iter()
                .map(|&(name, nth, kind)| {
                    let start = text.match_indices(name).nth(nth).expect("the name is in the text").0;
                    Mention { confidence: 200, ..Mention::certain(start, start + name.len(), kind) }
                })
                .collect()
        }
    }

    #[test]
    fn declared_names_win_over_the_found_mentions_they_overlap() {
        let source = "+++\ntitle = \"T\"\ndate = 2020-01-01\n[entities]\npeople = [\"Roe Inc\", \"Jane Roe\"]\n+++\n\nJane Roe met Bob Lee. Later Jane Roe Inc left with Lee.\n";
        let (article, _) = parse_alone(std::path::Path::new("a.md"), source.as_bytes());
        let article = article.unwrap();
        let found = Fixed(vec![
            ("Jane", 0, EntityKind::Organisation),
            ("Bob Lee", 0, EntityKind::Person),
            ("Later Jane", 0, EntityKind::Place),
            ("Inc", 0, EntityKind::Organisation),
            ("Lee", 1, EntityKind::Person),
        ]);
        let text = article.entity_text();
        let mentions: Vec<(&str, EntityKind, u8)> =
            extract_article(&article, &found).iter().map(|m| (m.text(&text), m.kind, m.confidence)).collect();
        assert_eq!(
            mentions,
            [
                ("Jane Roe", EntityKind::Person, 255),
                ("Bob Lee", EntityKind::Person, 200),
                ("Jane Roe", EntityKind::Person, 255),
                ("Lee", EntityKind::Person, 200),
            ],
            "declared names replace what they overlap; of two overlapping declared names the first is kept"
        );
    }
}
