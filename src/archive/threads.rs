//! Story threads: articles tied together by shared rare entities within a
//! few weeks of each other ("Peace talks in Belarus, 12 articles, 28 Feb
//! to 30 Mar 2022").
//!
//! Two dated articles are linked when one is among the other's related
//! articles ([`super::related`]), they are at most [`THREAD_DAYS`] apart,
//! and the rare entities they share (each rare enough alone to make
//! articles related) weigh at least one and a half times what makes
//! articles related: two rare entities, or one very rare. Common entities
//! ("United States") never tie a story together, and places weigh half:
//! two articles that mention Syria and Greece are not yet a story.
//!
//! A thread is a connected group of at least [`MIN_THREAD`] linked
//! articles with a core: one rare entity that two thirds of them mention
//! (a place only if it is very rare). A group too large to be one story
//! (more than [`MAX_THREAD`]) or without a core is split again with a
//! stricter link, and dropped if it stays so. Everything is ordered by
//! article id, so the threads of an archive are always the same.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::Datelike as _;

use super::related::{Scored, min_score};
use super::{Archive, ArticleId, EntityId};
use crate::entity_kind::EntityKind;
use crate::text::slug::slugify_or;

/// The most days between two linked articles.
pub const THREAD_DAYS: u32 = 21;
/// The fewest articles a thread has.
pub const MIN_THREAD: usize = 3;
/// The most articles a thread has.
pub const MAX_THREAD: usize = 40;
/// How many times a group too large is split with a stricter link.
const SPLITS: usize = 4;

/// Index of a thread in [`Archive::threads`].
pub type ThreadId = usize;

/// A story followed over several articles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thread {
    /// The headline of its most connected article.
    pub title: String,
    /// URL segment, unique among threads.
    pub slug: String,
    /// Its articles, in date order.
    pub articles: Vec<ArticleId>,
    /// The entities (with pages) that most of its articles share, most shared first.
    pub entities: Vec<EntityId>,
}

/// The threads of an archive, in order of their first article, and the
/// thread of each article.
pub fn find_threads(archive: &Archive, related: &[Scored], weights: &[f32]) -> (Vec<Thread>, Vec<Option<ThreadId>>) {
    let day = |a: ArticleId| archive.articles[a].date.map(|d| d.first_day.num_days_from_ce());
    let rare = min_score(archive.articles.len());
    let base = 1.5 * rare;
    // Each article's rare entities, sorted, to weigh what two articles share.
    let rare_entities: Vec<Vec<EntityId>> = archive
        .article_entities
        .iter()
        .map(|list| {
            let mut ids: Vec<EntityId> = list.iter().map(|ae| ae.entity).filter(|&e| weights[e] >= rare).collect();
            ids.sort_unstable();
            ids
        })
        .collect();
    // A country or city shared says less about a story than a person or an
    // organisation: places weigh half.
    let is_place = |e: EntityId| archive.entities[e].kind == EntityKind::Place;
    let link_weight = |e: EntityId| if is_place(e) { weights[e] / 2.0 } else { weights[e] };
    let shared_weight = |a: ArticleId, b: ArticleId| -> f32 {
        let (x, y) = (&rare_entities[a], &rare_entities[b]);
        x.iter().filter(|e| y.binary_search(e).is_ok()).map(|&e| link_weight(e)).sum()
    };
    let mut edges: Vec<(ArticleId, ArticleId, f32)> = Vec::new();
    for (a, list) in related.iter().enumerate() {
        let Some(da) = day(a) else { continue };
        for &(b, _) in list {
            if let Some(db) = day(b)
                && da.abs_diff(db) <= THREAD_DAYS
            {
                let weight = shared_weight(a, b);
                if weight >= base {
                    edges.push((a.min(b), a.max(b), weight));
                }
            }
        }
    }
    edges.sort_by_key(|e| (e.0, e.1));
    edges.dedup_by(|x, y| (x.0, x.1) == (y.0, y.1));
    // A story has a core: one rare entity that most of its articles mention.
    let cohesive = |group: &[ArticleId]| {
        let mut counts: HashMap<EntityId, usize> = HashMap::new();
        for &a in group {
            for &e in &rare_entities[a] {
                *counts.entry(e).or_default() += 1;
            }
        }
        counts.iter().any(|(&e, &n)| n * 3 >= group.len() * 2 && link_weight(e) >= rare)
    };
    let mut groups = Vec::new();
    split(&edges, base, 0, &cohesive, &mut groups);
    groups.sort();
    // Each group's own edges, in one pass: never all edges for each group.
    let group_of: HashMap<ArticleId, usize> =
        groups.iter().enumerate().flat_map(|(g, members)| members.iter().map(move |&a| (a, g))).collect();
    let mut edges_of: Vec<Vec<(ArticleId, ArticleId, f32)>> = vec![Vec::new(); groups.len()];
    for &edge in &edges {
        if let (Some(&g), Some(&h)) = (group_of.get(&edge.0), group_of.get(&edge.1))
            && g == h
        {
            edges_of[g].push(edge);
        }
    }
    let mut threads: Vec<Thread> =
        groups.into_iter().zip(&edges_of).map(|(g, inside)| describe(archive, inside, weights, g)).collect();
    let mut taken: HashSet<String> = HashSet::new();
    for t in &mut threads {
        let mut slug = t.slug.clone();
        let mut n = 2;
        while !taken.insert(slug.clone()) {
            slug = format!("{}-{n}", t.slug);
            n += 1;
        }
        t.slug = slug;
    }
    let mut of_article = vec![None; archive.articles.len()];
    for (id, t) in threads.iter().enumerate() {
        for &a in &t.articles {
            of_article[a] = Some(id);
        }
    }
    (threads, of_article)
}

/// The connected groups of `edges` whose links weigh at least `min`, each
/// in date order; groups too large are split at a higher `min`.
fn split(
    edges: &[(ArticleId, ArticleId, f32)],
    min: f32,
    round: usize,
    cohesive: &dyn Fn(&[ArticleId]) -> bool,
    out: &mut Vec<Vec<ArticleId>>,
) {
    let strong: Vec<&(ArticleId, ArticleId, f32)> = edges.iter().filter(|e| e.2 >= min).collect();
    let mut parent: HashMap<ArticleId, ArticleId> = HashMap::new();
    fn find(parent: &mut HashMap<ArticleId, ArticleId>, x: ArticleId) -> ArticleId {
        let mut root = x;
        while let Some(&p) = parent.get(&root).filter(|&&p| p != root) {
            root = p;
        }
        let mut at = x;
        while at != root {
            let next = parent[&at];
            parent.insert(at, root);
            at = next;
        }
        root
    }
    for &&(a, b, _) in &strong {
        parent.entry(a).or_insert(a);
        parent.entry(b).or_insert(b);
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra != rb {
            // The smaller id is the root: the same groups whatever the order.
            parent.insert(ra.max(rb), ra.min(rb));
        }
    }
    let mut groups: BTreeMap<ArticleId, Vec<ArticleId>> = BTreeMap::new();
    let mut members: Vec<ArticleId> = parent.keys().copied().collect();
    members.sort_unstable();
    for a in members {
        let root = find(&mut parent, a);
        groups.entry(root).or_default().push(a);
    }
    // The strong edges of each group (both ends share its root), in one pass.
    let mut edges_of: HashMap<ArticleId, Vec<(ArticleId, ArticleId, f32)>> = HashMap::new();
    for &&edge in &strong {
        edges_of.entry(find(&mut parent, edge.0)).or_default().push(edge);
    }
    for (root, group) in groups {
        if group.len() < MIN_THREAD {
            continue;
        }
        if group.len() <= MAX_THREAD && cohesive(&group) {
            out.push(group);
        } else if round < SPLITS {
            let within = edges_of.remove(&root).unwrap_or_default();
            split(&within, min * 1.5, round + 1, cohesive, out);
        }
    }
}

/// A thread of a group: its title from its most connected article (by
/// the group's own `edges`), and the entities most of its articles share.
fn describe(
    archive: &Archive,
    edges: &[(ArticleId, ArticleId, f32)],
    weights: &[f32],
    articles: Vec<ArticleId>,
) -> Thread {
    let mut strength: BTreeMap<ArticleId, f32> = BTreeMap::new();
    for &(a, b, s) in edges {
        *strength.entry(a).or_default() += s;
        *strength.entry(b).or_default() += s;
    }
    let centre = articles
        .iter()
        .copied()
        .max_by(|&a, &b| {
            let (sa, sb) = (strength.get(&a).copied().unwrap_or(0.0), strength.get(&b).copied().unwrap_or(0.0));
            sa.total_cmp(&sb).then(b.cmp(&a))
        })
        .unwrap_or(articles[0]);
    let mut shared: BTreeMap<EntityId, usize> = BTreeMap::new();
    for &a in &articles {
        for ae in &archive.article_entities[a] {
            if weights[ae.entity] > 0.0 {
                *shared.entry(ae.entity).or_default() += 1;
            }
        }
    }
    let mut entities: Vec<(EntityId, usize)> = shared.into_iter().filter(|&(_, n)| n * 2 >= articles.len()).collect();
    entities.sort_by(|a, b| {
        let score = |(e, n): (EntityId, usize)| n as f32 * weights[e];
        score(*b).total_cmp(&score(*a)).then(a.0.cmp(&b.0))
    });
    let title = archive.articles[centre].title.clone();
    let mut slug = slugify_or(&title, "story");
    if slug == "page" {
        slug.push_str("-story");
    }
    Thread { title, slug, articles, entities: entities.into_iter().take(3).map(|(e, _)| e).collect() }
}
