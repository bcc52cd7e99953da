//! Which of the archive's names are one entity: the same name tagged with
//! two kinds (the kind with most of the votes takes the other when it has
//! at least twice its votes), transliteration variants (the same
//! skeleton: `Zelenskiy`, `Zelensky`, `Zelenskyy`) that share context, and
//! one-letter typos of a more common form in the same article (`Kharviv`,
//! `Kharkiv`). Two different places of the gazetteer never merge (`Iran`,
//! `Iraq`), nor do names the site owner keeps apart.

use std::collections::HashMap;

use rayon::prelude::*;

use super::merge::Builder;
use super::{skeleton, within_one_edit};
use crate::entities::Gazetteer;
use crate::entities::overrides::EntityOverrides;
use crate::entity_kind::EntityKind;
use crate::hash::{FastMap, FastSet};

/// Names shorter than this (in letters) never merge as typos of each other.
const TYPO_MIN_LETTERS: usize = 5;

/// Entities in more than this share of the articles (and more than
/// [`COMMON_CONTEXT_ARTICLES`]) are no evidence that two names share
/// context ("United States").
const COMMON_CONTEXT_SHARE: f64 = 0.05;
const COMMON_CONTEXT_ARTICLES: usize = 20;

/// Pairs of names (by index, the smaller first, each pair once) of the same
/// kind that may be one edit apart: deletion neighbourhoods. Each key and
/// each of its one-character deletions is filed by a hash; keys that share
/// one are candidates (a hash collision only adds a pair that
/// [`within_one_edit`] turns down). Keys of fewer than five letters are left out.
pub fn one_edit_candidates<'a>(names: impl Iterator<Item = (EntityKind, &'a str)>) -> Vec<(usize, usize)> {
    let names: Vec<(EntityKind, &str)> = names.collect();
    let mut neighbourhood: Vec<(EntityKind, u64, usize)> = names
        .par_iter()
        .enumerate()
        .filter(|(_, (_, key))| key.chars().filter(|c| c.is_alphabetic()).count() >= TYPO_MIN_LETTERS)
        .flat_map_iter(|(i, &(kind, key))| {
            let chars: Vec<char> = key.chars().collect();
            let hash = |skip: Option<usize>| {
                let kept = chars.iter().enumerate().filter(|&(k, _)| Some(k) != skip);
                kept.fold(0u64, |h, (_, &c)| crate::hash::mix(h, c as u64))
            };
            let variants: Vec<u64> = std::iter::once(None).chain((0..chars.len()).map(Some)).map(hash).collect();
            variants.into_iter().map(move |h| (kind, h, i))
        })
        .collect();
    neighbourhood.par_sort_unstable();
    let mut candidates: Vec<(usize, usize)> = Vec::new();
    for list in neighbourhood.chunk_by(|x, y| (x.0, x.1) == (y.0, y.1)).filter(|l| l.len() > 1) {
        for (x, &(_, _, a)) in list.iter().enumerate() {
            for &(_, _, b) in &list[x + 1..] {
                if a != b {
                    candidates.push((a.min(b), a.max(b)));
                }
            }
        }
    }
    candidates.sort_unstable();
    candidates.dedup();
    candidates
}

/// Union-find over builders: the group (a representative builder) of each.
/// `in_article` lists the builders each article mentions.
pub(super) fn merge_variants<'a>(
    builders: &[Builder<'a>],
    in_article: &[&[u32]],
    gazetteer: &Gazetteer,
    overrides: &EntityOverrides,
) -> Vec<usize> {
    let mut parent: Vec<usize> = (0..builders.len()).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    fn union(parent: &mut [usize], from: usize, into: usize) {
        let (rf, ri) = (find(parent, from), find(parent, into));
        parent[rf] = ri;
    }
    let known_place =
        |b: &Builder<'a>| b.kind == EntityKind::Place && b.canonical.is_some_and(|c| gazetteer.place(c).is_some());
    let name_of = |b: &Builder<'a>| -> &'a str { b.canonical.unwrap_or(b.key) };
    let may_merge = |a: &Builder<'a>, b: &Builder<'a>| {
        let both_places = (known_place(a) && known_place(b))
            || (gazetteer.place(name_of(a)).is_some() && gazetteer.place(name_of(b)).is_some());
        a.kind == b.kind && !both_places && !overrides.never_merge(name_of(a), name_of(b))
    };
    let shares_article = |a: &Builder<'a>, b: &Builder<'a>| {
        let (small, large) = if a.articles.len() <= b.articles.len() { (a, b) } else { (b, a) };
        small.articles.iter().any(|x| large.articles.binary_search(x).is_ok())
    };
    // The same name under two kinds: the kind with at least twice the
    // votes of another takes it (a tagging slip), unless the owner set it.
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, b) in builders.iter().enumerate() {
        by_name.entry(b.key).or_default().push(i);
    }
    for list in by_name.values().filter(|l| l.len() > 1) {
        let mut votes = [0f32; 4];
        for &i in list {
            for (total, v) in votes.iter_mut().zip(builders[i].kind_votes) {
                *total += v;
            }
        }
        let vote = |b: usize| votes[builders[b].kind as usize];
        let main = *list
            .iter()
            .max_by(|&&a, &&b| vote(a).total_cmp(&vote(b)).then(builders[b].kind.cmp(&builders[a].kind)))
            .unwrap_or(&list[0]);
        for &other in list {
            let slip = vote(main) >= 2.0 * vote(other) && !builders[other].owner;
            if other != main && builders[other].kind != builders[main].kind && slip {
                union(&mut parent, other, main);
            }
        }
    }
    // Transliteration variants: the same skeleton, and shared context.
    let articles_in_all = in_article.len().max(1) as f64;
    let common_context = |b: usize| {
        let n = builders[b].articles.len();
        n > COMMON_CONTEXT_ARTICLES && n as f64 > COMMON_CONTEXT_SHARE * articles_in_all
    };
    let shares_context = |a: usize, b: usize| {
        if shares_article(&builders[a], &builders[b]) {
            return true;
        }
        // A rarer entity that both appear with.
        let around = |x: usize| -> FastSet<usize> {
            builders[x]
                .articles
                .iter()
                .take(200)
                .flat_map(|&article| in_article[article as usize].iter().map(|&c| c as usize))
                .filter(|&c| c != a && c != b && !common_context(c))
                .collect()
        };
        let (with_a, with_b) = (around(a), around(b));
        with_a.iter().any(|c| with_b.contains(c))
    };
    let mut by_skeleton: FastMap<(EntityKind, String), usize> = FastMap::default();
    let mut order: Vec<usize> = (0..builders.len()).collect();
    order.sort_by(|&a, &b| {
        builders[b].articles.len().cmp(&builders[a].articles.len()).then(builders[a].key.cmp(builders[b].key))
    });
    for &i in &order {
        let b = &builders[i];
        match by_skeleton.entry((b.kind, skeleton(b.key))) {
            std::collections::hash_map::Entry::Occupied(e) => {
                let j = *e.get();
                if may_merge(&builders[j], b) && shares_context(i, j) {
                    union(&mut parent, i, j);
                }
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(i);
            }
        }
    }
    // One-letter typos of a common form in the same article.
    let candidates = one_edit_candidates(builders.iter().map(|b| (b.kind, b.key)));
    for (a, b) in candidates {
        let (ba, bb) = (&builders[a], &builders[b]);
        let (common, rare) =
            if (ba.articles.len(), ba.canonical.is_some()) >= (bb.articles.len(), bb.canonical.is_some()) {
                (ba, bb)
            } else {
                (bb, ba)
            };
        let rare_is_known = rare.canonical.is_some() || gazetteer.place(rare.key).is_some();
        let more_common = common.articles.len() >= 2 * rare.articles.len() || common.canonical.is_some();
        // Cheap tests first; whether they share an article last.
        if !rare_is_known
            && more_common
            && within_one_edit(ba.key, bb.key)
            && may_merge(ba, bb)
            && shares_article(common, rare)
        {
            union(&mut parent, a, b);
        }
    }
    (0..builders.len()).map(|i| find(&mut parent, i)).collect()
}
