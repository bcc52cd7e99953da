//! Merging each article's entities across the archive: one builder per
//! kind and merge key (a lone surname first replaced by the full name it
//! means, see [`super::surnames`]), variants of one name joined
//! ([`super::variants`]), then one [`Entity`] per group with its canonical
//! name, its kind by the mentions' votes, and its page decision
//! ([`super::evidence`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::evidence::{self, Evidence, PageRules};
use super::surnames::FullNames;
use super::{LocalEntities, ResolveOptions, variants};
use crate::archive::{ArticleEntities, ArticleId, Entity, EntityId, Span};
use crate::content::Article;
use crate::entities::Gazetteer;
use crate::entities::overrides::EntityOverrides;
use crate::entity_kind::EntityKind;
use crate::hash::FastMap;
use crate::text::slug::slugify_or;

/// One (kind, key) across the archive, before merging variants.
pub(super) struct Builder<'a> {
    pub kind: EntityKind,
    pub key: &'a str,
    /// Full forms and how often each was used.
    pub forms: Vec<(&'a str, usize)>,
    /// Written forms and how often.
    pub surfaces: Vec<(&'a str, usize)>,
    /// The gazetteer's or the owner's canonical name, if any.
    pub canonical: Option<&'a str>,
    /// Whether the owner's entities file names it.
    pub owner: bool,
    /// Articles that mention it, in archive order (an article may repeat);
    /// 32 bits each, like [`ArticleEntities`], as there are tens of millions.
    pub articles: Vec<u32>,
    /// The tagger's best confidence in a whole mention, per entry of `articles`.
    pub confidences: Vec<u8>,
    pub mentions: usize,
    /// The mentions' votes for each kind.
    pub kind_votes: [f32; 4],
}

/// Adds `n` to the count of `key` in a short list of counts.
fn bump<'a>(counts: &mut Vec<(&'a str, usize)>, key: &'a str, n: usize) {
    let full = counts.len() >= MAX_FORMS;
    match counts.iter_mut().find(|(k, _)| *k == key) {
        Some((_, count)) => *count += n,
        None if !full => counts.push((key, n)),
        // Past that many spellings the text is no prose (a list of names
        // run together): the rare ones are not kept, so that each mention
        // costs a bounded scan.
        None => {}
    }
}

/// The most spellings counted for one entity.
const MAX_FORMS: usize = 64;

impl<'a> Builder<'a> {
    fn absorb(&mut self, other: Builder<'a>) {
        for (f, n) in other.forms {
            bump(&mut self.forms, f, n);
        }
        for (f, n) in other.surfaces {
            bump(&mut self.surfaces, f, n);
        }
        self.canonical = self.canonical.or(other.canonical);
        self.owner |= other.owner;
        self.articles.extend_from_slice(&other.articles);
        self.confidences.extend_from_slice(&other.confidences);
        self.mentions += other.mentions;
        for (total, vote) in self.kind_votes.iter_mut().zip(other.kind_votes) {
            *total += vote;
        }
    }
}

/// Merges local entities across the archive into numbered entities,
/// freeing each article's local entities once its table is made.
pub(super) fn merge_entities(
    articles: &[Arc<Article>],
    local: Vec<Arc<LocalEntities>>,
    gazetteer: &Gazetteer,
    options: &ResolveOptions,
) -> (Vec<Entity>, Vec<ArticleEntities>) {
    let full_names = FullNames::new(articles, &local);
    // Aggregate per name in parallel chunks of articles, then join the chunks in order.
    let chunk = local.len().div_ceil(rayon::current_num_threads().max(1) * 4).max(256);
    let partials: Vec<(Vec<Builder>, Vec<usize>)> = local
        .par_chunks(chunk)
        .enumerate()
        .map(|(c, part)| collect_builders(articles, part, c * chunk, &full_names, &options.overrides))
        .collect();
    let most = partials.iter().map(|(part, _)| part.len()).sum();
    let mut builders: Vec<Builder> = Vec::with_capacity(most);
    let mut by_key: FastMap<(EntityKind, &str), usize> = FastMap::with_capacity_and_hasher(most, Default::default());
    // The builder of each local entity, article by article.
    let mut builder_of: Vec<u32> = Vec::with_capacity(local.iter().map(|l| l.len()).sum());
    for (part, part_of) in partials {
        let mut global_of = Vec::with_capacity(part.len());
        for b in part {
            let g = match by_key.get(&(b.kind, b.key)) {
                Some(&g) => {
                    builders[g].absorb(b);
                    g
                }
                None => {
                    by_key.insert((b.kind, b.key), builders.len());
                    builders.push(b);
                    builders.len() - 1
                }
            };
            global_of.push(g);
        }
        builder_of.extend(part_of.into_iter().map(|b| global_of[b] as u32));
    }
    let mut offsets = Vec::with_capacity(local.len() + 1);
    offsets.push(0);
    for list in &local {
        offsets.push(offsets[offsets.len() - 1] + list.len());
    }
    let in_article: Vec<&[u32]> = offsets.windows(2).map(|w| &builder_of[w[0]..w[1]]).collect();
    let groups = variants::merge_variants(&builders, &in_article, gazetteer, &options.overrides);

    // One entity per group.
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (b, &root) in groups.iter().enumerate() {
        members.entry(root).or_default().push(b);
    }
    let rules = PageRules { min_articles: options.min_articles, min_confidence: options.min_confidence };
    let mut entities: Vec<(String, Entity, Vec<usize>)> =
        members.into_values().map(|list| entity_of_group(&builders, list, &full_names, gazetteer, &rules)).collect();
    entities.sort_by(|(ka, a, _), (kb, b, _)| (a.kind, &a.name, ka).cmp(&(b.kind, &b.name, kb)));
    assign_slugs(&mut entities);
    let mut entity_of_builder = vec![0usize; builders.len()];
    for (id, (_, _, list)) in entities.iter_mut().enumerate() {
        for &b in list.iter() {
            entity_of_builder[b] = id;
        }
        *list = Vec::new();
    }
    // What the merge needed goes before each article's table is made (the
    // peak of a large build's memory).
    drop((builders, by_key, groups, full_names));
    let article_entities = local
        .into_par_iter()
        .zip(in_article)
        .map(|(list, of)| {
            let mut out: Vec<(EntityId, Vec<Span>)> = Vec::with_capacity(list.len());
            for (e, &b) in list.iter().zip(of.iter()) {
                let id = entity_of_builder[b as usize];
                match out.iter_mut().find(|x| x.0 == id) {
                    Some((_, spans)) => spans.extend(e.spans.iter()),
                    None => out.push((id, e.spans.iter().collect())),
                }
            }
            ArticleEntities::ordered(out)
        })
        .collect();
    (entities.into_iter().map(|(_, e, _)| e).collect(), article_entities)
}

/// The entity of a group of builders: its key (for sorting), the entity and the members.
fn entity_of_group(
    builders: &[Builder],
    list: Vec<usize>,
    full_names: &FullNames<'_>,
    gazetteer: &Gazetteer,
    rules: &PageRules,
) -> (String, Entity, Vec<usize>) {
    let mut forms: FastMap<&str, usize> = FastMap::default();
    let mut surfaces: FastMap<&str, usize> = FastMap::default();
    let mut seen: Vec<(ArticleId, u8)> = Vec::new();
    let mut mentions = 0;
    let mut kind_votes = [0f32; 4];
    let mut owner: Option<&Builder> = None;
    let mut canonical: Option<&str> = None;
    for &b in &list {
        let b = &builders[b];
        for (f, n) in &b.forms {
            *forms.entry(f).or_default() += n;
        }
        for (s, n) in &b.surfaces {
            *surfaces.entry(s).or_default() += n;
        }
        seen.extend(b.articles.iter().map(|&a| a as ArticleId).zip(b.confidences.iter().copied()));
        mentions += b.mentions;
        for (total, vote) in kind_votes.iter_mut().zip(b.kind_votes) {
            *total += vote;
        }
        if b.owner && owner.is_none() {
            owner = Some(b);
        }
        canonical = canonical.or(b.canonical);
    }
    // One entry per article, with its best confidence.
    seen.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    seen.dedup_by_key(|s| s.0);
    let articles: Vec<ArticleId> = seen.iter().map(|s| s.0).collect();
    let kind = match owner {
        Some(b) => b.kind,
        None => {
            let best = (0..3).max_by(|&a, &b| kind_votes[a].total_cmp(&kind_votes[b]).then(b.cmp(&a)));
            let voted = [EntityKind::Person, EntityKind::Place, EntityKind::Organisation][best.unwrap_or(0)];
            // Votes only among the kinds the members were grouped under.
            if list.iter().any(|&b| builders[b].kind == voted) { voted } else { builders[list[0]].kind }
        }
    };
    // The owner's name; else the most complete form the articles use (a
    // gazetteer place by the spellings written, not the gazetteer's).
    let name = match owner.and_then(|b| b.canonical) {
        Some(name) => name.to_string(),
        None if canonical.is_some() => {
            // The spellings the gazetteer knows for the place, when the articles use any (not a typo).
            let place = canonical.and_then(|c| gazetteer.place(c)).map(|p| p.canonical.as_str());
            let mut known: FastMap<&str, usize> = surfaces.clone();
            known.retain(|s, _| place.is_some() && gazetteer.place(s).map(|p| p.canonical.as_str()) == place);
            canonical_form(if known.is_empty() { &surfaces } else { &known }, canonical)
        }
        None => canonical_form(&forms, None),
    };
    let mut aliases: Vec<(&str, usize)> =
        surfaces.iter().chain(forms.iter()).map(|(s, n)| (*s, *n)).filter(|(s, _)| *s != name).collect();
    aliases.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut unique = std::collections::HashSet::new();
    let aliases: Vec<String> =
        aliases.into_iter().filter(|(s, _)| unique.insert(*s)).map(|(s, _)| s.to_string()).collect();
    let evidence = Evidence {
        miss: seen.iter().map(|&(_, c)| 1.0 - f64::from(c) / 255.0).product(),
        whole_articles: seen.iter().filter(|s| s.1 > 0).count(),
        articles: articles.len(),
        kind_votes,
        owner: owner.is_some(),
        gazetteer_place: canonical.is_some_and(|c| gazetteer.place(c).is_some()),
        part_of_a_full_name: kind == EntityKind::Person && full_names.is_part_of_a_full_name(builders[list[0]].key),
        abbreviated: aliases.iter().any(|a| a.len() >= 2 && a.chars().all(|c| c.is_ascii_uppercase())),
    };
    let confidence = evidence::confidence(&name, kind, &evidence, gazetteer);
    let no_page = evidence::decide(&name, kind, &evidence, confidence, rules, gazetteer).err();
    let key = builders[list[0]].key.to_string();
    let entity = Entity {
        kind,
        slug: String::new(),
        name,
        aliases,
        articles,
        mention_count: mentions,
        has_page: no_page.is_none(),
        confidence,
        kind_votes,
        no_page,
        description: None,
    };
    (key, entity, list)
}

/// Builders of a run of articles (`first` is the id of the first), with the
/// builder of each of their local entities.
fn collect_builders<'a>(
    articles: &'a [Arc<Article>],
    local: &'a [Arc<LocalEntities>],
    first: ArticleId,
    full_names: &FullNames<'a>,
    overrides: &EntityOverrides,
) -> (Vec<Builder<'a>>, Vec<usize>) {
    let mut builders: Vec<Builder> = Vec::new();
    let mut by_key: FastMap<(EntityKind, &str), usize> = FastMap::default();
    let mut builder_of = Vec::with_capacity(local.iter().map(|l| l.len()).sum());
    let mut resolved = FastMap::default();
    for (i, entities) in local.iter().enumerate() {
        let article = first + i;
        for e in entities.iter() {
            // A lone surname or first name: the full name it means in this period, if any.
            let (key, full) = match e.kind {
                EntityKind::Person if e.canonical.is_none() => full_names
                    .resolve_cached(e.key, articles[article].day_key(), &mut resolved)
                    .filter(|&(_, full)| !overrides.never_merge(full, e.full))
                    .unwrap_or((e.key, e.full)),
                _ => (e.key, e.full),
            };
            let b = *by_key.entry((e.kind, key)).or_insert_with(|| {
                builders.push(Builder {
                    kind: e.kind,
                    key,
                    forms: Vec::new(),
                    surfaces: Vec::new(),
                    canonical: None,
                    owner: false,
                    articles: Vec::new(),
                    confidences: Vec::new(),
                    mentions: 0,
                    kind_votes: [0.0; 4],
                });
                builders.len() - 1
            });
            builder_of.push(b);
            let b = &mut builders[b];
            bump(&mut b.forms, full, e.spans.len().max(1));
            for (start, end) in e.spans.iter() {
                bump(&mut b.surfaces, articles[article].entity_slice(start, end), 1);
            }
            // The first canonical name wins, however the articles are split into chunks.
            if b.canonical.is_none() {
                b.canonical = e.canonical;
            }
            b.owner |= e.owner;
            b.articles.push(article as u32);
            b.confidences.push(if e.whole { e.confidence } else { 0 });
            b.mentions += e.spans.len();
            for (total, vote) in b.kind_votes.iter_mut().zip(e.kind_votes) {
                *total += vote;
            }
        }
    }
    (builders, builder_of)
}

/// The most complete common form: among forms used at least a quarter as
/// often as the most used one, the one with most words; then the most
/// used; then `preferred` (the gazetteer's name), when it is one of them.
fn canonical_form(forms: &FastMap<&str, usize>, preferred: Option<&str>) -> String {
    let max = forms.values().copied().max().unwrap_or(0);
    forms
        .iter()
        .filter(|(_, n)| **n * 4 >= max)
        .max_by(|(a, na), (b, nb)| {
            let words = |s: &str| s.split(' ').count();
            let is_preferred = |s: &str| preferred == Some(s);
            words(a)
                .cmp(&words(b))
                .then(na.cmp(nb))
                .then(is_preferred(a).cmp(&is_preferred(b)))
                .then(a.len().cmp(&b.len()))
                .then(b.cmp(a))
        })
        .map_or_else(String::new, |(f, _)| f.to_string())
}

/// Unique slugs within each kind; the entity with most articles keeps the
/// plain slug (among those with pages first, so that a page never loses its
/// slug to a name without one).
fn assign_slugs(entities: &mut [(String, Entity, Vec<usize>)]) {
    let mut order: Vec<usize> = (0..entities.len()).collect();
    order.sort_by(|&a, &b| {
        let (ea, eb) = (&entities[a].1, &entities[b].1);
        (ea.kind, !ea.has_page, std::cmp::Reverse(ea.articles.len()), &ea.name).cmp(&(
            eb.kind,
            !eb.has_page,
            std::cmp::Reverse(eb.articles.len()),
            &eb.name,
        ))
    });
    let mut taken: std::collections::HashSet<(EntityKind, String)> = std::collections::HashSet::new();
    for i in order {
        let e = &entities[i].1;
        let base = slugify_or(&e.name, "entity");
        let mut slug = base.clone();
        let mut n = 2;
        // "page" and "by-count" are taken by the list pages themselves.
        while slug == "page" || slug == "by-count" || taken.contains(&(e.kind, slug.clone())) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        taken.insert((e.kind, slug.clone()));
        entities[i].1.slug = slug;
    }
}
