//! Related articles: for each article, the few others that share the most
//! informative entities with it. An entity counts by its rarity (its
//! inverse document frequency), so sharing "Kharkiv" weighs more than
//! sharing "United States"; among equal scores the nearest in date wins.
//!
//! Found through the inverted index the archive already has (each entity's
//! articles, in date order), never by comparing all pairs: an article looks
//! only at the articles of its own entities, and for an entity mentioned
//! everywhere only at the [`WINDOW`] nearest in date either side. The work
//! is O(N · k · W) for N articles of k entities each.

use chrono::Datelike as _;
use rayon::prelude::*;

use super::{Archive, ArticleId};

/// How many related articles each article gets, at most.
pub const RELATED_ARTICLES: usize = 5;

/// How many articles either side (in date order) an article looks at in
/// the list of each of its entities.
const WINDOW: usize = 20;

/// The weight of each entity with a page: ln(1 + N / df). 0 for entities
/// without one (they are not trusted enough to tie articles together) and
/// for those in more than a tenth of the articles (in so many, sharing one
/// says little, and walking their lists would be most of the work).
pub fn entity_weights(archive: &Archive) -> Vec<f32> {
    let n = archive.articles.len();
    archive
        .entities
        .iter()
        .map(|e| {
            let df = e.articles.len();
            if e.has_page && df > 0 && df * 10 <= n.max(20) { (1.0 + n as f32 / df as f32).ln() } else { 0.0 }
        })
        .collect()
}

/// The least score that makes two articles related: what one shared entity
/// weighs when it is in 5 % of the articles (or in 2, in a small archive).
pub fn min_score(articles: usize) -> f32 {
    let df = (articles as f32 / 20.0).max(2.0);
    (1.0 + articles as f32 / df).ln() - 1e-4
}

/// How a candidate ranks: higher score (rounded), then nearer date, then
/// nearer in archive order, then lower id.
type RankKey = (std::cmp::Reverse<i64>, i64, usize, ArticleId);

/// One article's candidates: (other article, score), best first.
pub type Scored = Vec<(ArticleId, f32)>;

/// The related articles of every article, best first, as scored pairs.
pub fn related_articles(archive: &Archive) -> Vec<Scored> {
    let weights = entity_weights(archive);
    let min = min_score(archive.articles.len());

    let days: Vec<Option<i32>> =
        archive.articles.iter().map(|a| a.date.map(|d| d.first_day.num_days_from_ce())).collect();
    let ids: Vec<ArticleId> = (0..archive.articles.len()).collect();
    // One score table per chunk of articles, not per article: zeroing a
    // table of N slots for each of N articles would be quadratic.
    ids.par_chunks(2048)
        .flat_map_iter(|chunk| {
            let (mut scores, mut touched) = (vec![0f32; archive.articles.len()], Vec::new());
            chunk
                .iter()
                .map(|&id| related_to(archive, &weights, &days, min, id, &mut scores, &mut touched))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The related articles of `id`. `scores` is a zeroed table with a slot
/// per article and `touched` an empty list; both are left as found.
fn related_to(
    archive: &Archive,
    weights: &[f32],
    days: &[Option<i32>],
    min: f32,
    id: ArticleId,
    scores: &mut [f32],
    touched: &mut Vec<ArticleId>,
) -> Scored {
    for ae in &archive.article_entities[id] {
        let weight = weights[ae.entity];
        if weight <= 0.0 {
            continue;
        }
        let list = &archive.entities[ae.entity].articles;
        let at = list.binary_search(&id).unwrap_or_else(|i| i);
        let window = &list[at.saturating_sub(WINDOW)..(at + WINDOW + 1).min(list.len())];
        for &other in window {
            if other == id {
                continue;
            }
            if scores[other] == 0.0 {
                touched.push(other);
            }
            scores[other] += weight;
        }
    }
    let here = days[id];
    let distance = |other: ArticleId| match (here, days[other]) {
        (Some(a), Some(b)) => i64::from(a.abs_diff(b)),
        _ => i64::MAX,
    };
    // Scores are sums of the same weights: rounded, equal sets of shared
    // entities tie exactly, whatever the order they were added in. Each
    // key is made once, before the candidates are compared.
    let mut found: Vec<(RankKey, f32)> = touched
        .iter()
        .filter(|&&other| scores[other] >= min)
        .map(|&other| {
            let score = scores[other];
            ((std::cmp::Reverse((score * 1000.0).round() as i64), distance(other), other.abs_diff(id), other), score)
        })
        .collect();
    for &other in touched.iter() {
        scores[other] = 0.0;
    }
    touched.clear();
    if found.len() > RELATED_ARTICLES {
        found.select_nth_unstable_by_key(RELATED_ARTICLES - 1, |f| f.0);
        found.truncate(RELATED_ARTICLES);
    }
    found.sort_unstable_by_key(|f| f.0);
    // A new vector: collecting in place would keep the candidates' whole
    // allocation alive for each article's five.
    let mut best = Vec::with_capacity(found.len());
    best.extend(found.iter().map(|&(key, score)| (key.3, score)));
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rare_entity_in_a_small_archive_is_enough_and_a_common_one_in_a_large_is_not() {
        assert!((1.0 + 10.0f32 / 2.0).ln() >= min_score(10));
        // In 100,000 articles, an entity in 20 % of them is not enough alone.
        assert!((1.0 + 100_000.0f32 / 20_000.0).ln() < min_score(100_000));
        assert!((1.0 + 100_000.0f32 / 1_000.0).ln() >= min_score(100_000));
    }
}
