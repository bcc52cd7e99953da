//! Resolution: the only stage that sees the whole archive. It sorts the
//! articles, makes slugs unique within a day, merges the names found in each
//! article into entities, and indexes dates and co-occurrence.
//!
//! Within an article, a surname or first name alone joins the full name used
//! in the same article, and an acronym joins the organisation it abbreviates
//! (`Federal Security Service (FSB)`). Across the archive, names of the same
//! type merge when they are the same ignoring case and accents, when they are
//! transliteration variants (`Zelenskiy`, `Zelensky`, `Zelenskyy`), when the
//! gazetteer knows them as one place (`Kiev`, `Kyiv`), and when a rare form is
//! one letter away from a common one it appears with (`Kharviv`, `Kharkiv`).
//! Two different places of the gazetteer never merge (`Iran`, `Iraq`), nor
//! do names the site owner keeps apart. The site owner's entities file
//! overrides everything.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;

use crate::archive::{Archive, ArticleEntity, ArticleId, Entity};
use crate::content::{Article, EntityKind};
use crate::diagnostics::Diagnostic;
use crate::entities::hash::FastMap;
use crate::entities::overrides::EntityOverrides;
use crate::entities::{Gazetteer, Mention};
use crate::slug::slugify_or;

mod local;
pub use local::{LocalEntities, LocalEntity, local_entities};

/// Names shorter than this (in letters) never merge as typos of each other.
const TYPO_MIN_LETTERS: usize = 5;

/// Settings of resolution.
#[derive(Debug, Clone, Default)]
pub struct ResolveOptions {
    /// Minimum number of articles for an entity to get a page.
    pub min_articles: usize,
    /// The site owner's entities file.
    pub overrides: EntityOverrides,
}

/// Builds the archive from parsed articles and their mentions (same order).
pub fn resolve(
    articles: Vec<Article>,
    mentions: Vec<Vec<Mention>>,
    gazetteer: &Gazetteer,
    options: &ResolveOptions,
) -> (Archive, Vec<Diagnostic>) {
    resolve_alongside(articles, mentions, gazetteer, options, |_, _| {})
}

/// [`resolve`], running `alongside` on the articles and their mentions
/// (the build writes its cache) while each article's names are grouped.
pub fn resolve_alongside(
    articles: Vec<Article>,
    mentions: Vec<Vec<Mention>>,
    gazetteer: &Gazetteer,
    options: &ResolveOptions,
    alongside: impl FnOnce(&[Article], &[Vec<Mention>]) + Send,
) -> (Archive, Vec<Diagnostic>) {
    let ((), local) = rayon::join(
        || alongside(&articles, &mentions),
        || {
            articles
                .par_iter()
                .zip(&mentions)
                .map(|(a, m)| Arc::new(local_entities(a, m, gazetteer, &options.overrides)))
                .collect::<Vec<_>>()
        },
    );
    // The mentions live on in `local`; their first form is not needed for merging.
    drop(mentions);
    resolve_local(articles.into_iter().map(Arc::new).zip(local).collect(), gazetteer, options)
}

/// Builds the archive from articles whose entities were already grouped
/// with [`local_entities`] (as `serve` keeps them between edits).
pub fn resolve_local(
    mut pairs: Vec<(Arc<Article>, Arc<LocalEntities>)>,
    gazetteer: &Gazetteer,
    options: &ResolveOptions,
) -> (Archive, Vec<Diagnostic>) {
    pairs.par_sort_by(|(a, _), (b, _)| (a.date, &a.title, &a.source).cmp(&(b.date, &b.title, &b.source)));
    let (mut articles, local): (Vec<Arc<Article>>, Vec<Arc<LocalEntities>>) = pairs.into_iter().unzip();
    let diagnostics = make_slugs_unique(&mut articles);
    let (entities, article_entities) = merge_entities(&articles, &local, gazetteer, options);
    // Hundreds of thousands of small allocations: freed in parallel.
    local.into_par_iter().for_each(drop);
    let mut days: BTreeMap<_, Vec<ArticleId>> = BTreeMap::new();
    for (id, article) in articles.iter().enumerate() {
        days.entry(article.date).or_default().push(id);
    }
    (Archive { articles, article_entities, entities, days }, diagnostics)
}

/// Updates `archive` in place after an edit of article `id` that changes
/// neither its place in the archive (date, title, slug) nor the names it
/// mentions, only the text around them: the common case while writing.
/// Returns `false`, leaving the archive untouched, when the edit needs a
/// full [`resolve_local`].
pub fn patch_article(
    archive: &mut Archive,
    id: ArticleId,
    old_local: &LocalEntities,
    article: Arc<Article>,
    local: &LocalEntities,
) -> bool {
    let old = &archive.articles[id];
    if old.date != article.date
        || old.title != article.title
        || old.slug != article.slug
        || old.source != article.source
    {
        return false;
    }
    if old_local.len() != local.len() {
        return false;
    }
    // Each local entity of the old version, mapped to its archive entity by its first mention.
    let mut targets = Vec::with_capacity(local.len());
    for (a, b) in old_local.iter().zip(local.iter()) {
        let same = a.kind == b.kind
            && a.key == b.key
            && a.full == b.full
            && a.authoritative == b.authoritative
            && a.spans.len() == b.spans.len()
            && !a.spans.is_empty()
            && a.spans
                .iter()
                .zip(b.spans)
                .all(|(&(s1, e1), &(s2, e2))| old.entity_slice(s1, e1) == article.entity_slice(s2, e2));
        if !same {
            return false;
        }
        match archive.article_entities[id].iter().position(|ae| ae.spans.contains(&a.spans[0])) {
            Some(j) => targets.push(j),
            None => return false,
        }
    }
    let mut list: Vec<ArticleEntity> =
        archive.article_entities[id].iter().map(|ae| ArticleEntity { entity: ae.entity, spans: Vec::new() }).collect();
    for (entity, &j) in local.iter().zip(&targets) {
        list[j].spans.extend_from_slice(entity.spans);
    }
    for ae in &mut list {
        ae.spans.sort_unstable();
    }
    list.sort_by_key(|x| x.spans.first().copied().unwrap_or((usize::MAX, 0)));
    archive.article_entities[id] = list;
    archive.articles[id] = article;
    true
}

/// Gives the second and later articles with the same date and slug a
/// numbered slug (`-2`, `-3`), with a warning naming both files.
fn make_slugs_unique(articles: &mut [Arc<Article>]) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut taken: HashMap<(chrono::NaiveDate, String), usize> = HashMap::with_capacity(articles.len());
    for i in 0..articles.len() {
        if articles[i].slug == "page" {
            // `page/2/` under a day is that day's second page.
            diagnostics.push(Diagnostic::warning(
                &articles[i].source,
                None,
                "slug \"page\" is taken by the pages of a day; using \"page-article\"",
            ));
            Arc::make_mut(&mut articles[i]).slug = "page-article".into();
        }
        let key = (articles[i].date, articles[i].slug.clone());
        if let Some(&first) = taken.get(&key) {
            let mut n = 2;
            let new_slug = loop {
                let candidate = format!("{}-{n}", key.1);
                if !taken.contains_key(&(key.0, candidate.clone())) {
                    break candidate;
                }
                n += 1;
            };
            diagnostics.push(Diagnostic::warning(
                &articles[i].source,
                None,
                format!(
                    "same date and slug as {} ({}/{}); using slug {new_slug:?}",
                    articles[first].source.display(),
                    key.0,
                    key.1
                ),
            ));
            Arc::make_mut(&mut articles[i]).slug = new_slug.clone();
            taken.insert((key.0, new_slug), i);
        } else {
            taken.insert(key, i);
        }
    }
    diagnostics
}

/// The merge key of a name: accents folded, lowercase, single spaces, no leading "the".
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    normalize_into(name, &mut out);
    out
}

/// Appends the merge key of a name ([`normalize`]) to `out`.
pub fn normalize_into(name: &str, out: &mut String) {
    let folded;
    let ascii = if name.is_ascii() {
        name
    } else {
        folded = deunicode::deunicode(name);
        folded.as_str()
    };
    let start = out.len();
    let mut gap = false;
    for c in ascii.chars() {
        if c.is_whitespace() || c == '.' || c == '\'' {
            gap = out.len() > start;
            continue;
        }
        if gap {
            out.push(' ');
            gap = false;
        }
        out.push(c.to_ascii_lowercase());
    }
    if out[start..].starts_with("the ") {
        out.drain(start..start + 4);
    }
}

/// The transliteration skeleton of a merge key: `-iy`, `-yy`, `-ij`, `-ii`
/// endings read as `-y`, and doubled letters as one (`zelenskyy` → `zelensky`).
pub fn skeleton(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for word in key.split(' ') {
        if !out.is_empty() {
            out.push(' ');
        }
        let mut w = word.to_string();
        for ending in ["iy", "yy", "ij", "ii", "yi"] {
            if w.len() > 3 && w.ends_with(ending) {
                w.truncate(w.len() - 2);
                w.push('y');
                break;
            }
        }
        let mut last = '\0';
        for c in w.chars() {
            if c != last {
                out.push(c);
            }
            last = c;
        }
    }
    out
}

/// Whether two strings are at most one edit apart (insert, delete, substitute or swap).
pub fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() { (&a, &b) } else { (&b, &a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short.iter().zip(long.iter()).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        let rest_equal = |from: usize| short[from..] == long[from..];
        prefix == short.len()
            || rest_equal(prefix + 1)
            || (prefix + 1 < short.len()
                && short[prefix] == long[prefix + 1]
                && short[prefix + 1] == long[prefix]
                && rest_equal(prefix + 2))
    } else {
        short[prefix..] == long[prefix + 1..]
    }
}

/// One (kind, key) across the archive, before merging variants.
struct Builder<'a> {
    kind: EntityKind,
    key: &'a str,
    /// Full forms and how often each was used.
    forms: Vec<(&'a str, usize)>,
    /// Written forms and how often.
    surfaces: Vec<(&'a str, usize)>,
    authoritative: Option<&'a str>,
    articles: Vec<ArticleId>,
    mentions: usize,
}

/// Adds `n` to the count of `key` in a short list of counts.
fn bump<'a>(counts: &mut Vec<(&'a str, usize)>, key: &'a str, n: usize) {
    match counts.iter_mut().find(|(k, _)| *k == key) {
        Some((_, count)) => *count += n,
        None => counts.push((key, n)),
    }
}

/// Merges local entities across the archive into numbered entities.
fn merge_entities(
    articles: &[Arc<Article>],
    local: &[Arc<LocalEntities>],
    gazetteer: &Gazetteer,
    options: &ResolveOptions,
) -> (Vec<Entity>, Vec<Vec<ArticleEntity>>) {
    // Aggregate per name in parallel chunks of articles, then join the chunks in order.
    let chunk = local.len().div_ceil(rayon::current_num_threads().max(1) * 4).max(256);
    let partials: Vec<(Vec<Builder>, Vec<usize>)> =
        local.par_chunks(chunk).enumerate().map(|(c, part)| collect_builders(articles, part, c * chunk)).collect();
    let most = partials.iter().map(|(part, _)| part.len()).sum();
    let mut builders: Vec<Builder> = Vec::with_capacity(most);
    let mut by_key: FastMap<(EntityKind, &str), usize> = FastMap::with_capacity_and_hasher(most, Default::default());
    // The builder of each local entity, article by article.
    let mut builder_of: Vec<usize> = Vec::with_capacity(local.iter().map(|l| l.len()).sum());
    for (part, part_of) in partials {
        let mut global_of = Vec::with_capacity(part.len());
        for b in part {
            let g = match by_key.get(&(b.kind, b.key)) {
                Some(&g) => {
                    let into = &mut builders[g];
                    for (f, n) in b.forms {
                        bump(&mut into.forms, f, n);
                    }
                    for (f, n) in b.surfaces {
                        bump(&mut into.surfaces, f, n);
                    }
                    into.authoritative = into.authoritative.or(b.authoritative);
                    into.articles.extend_from_slice(&b.articles);
                    into.mentions += b.mentions;
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
        builder_of.extend(part_of.into_iter().map(|b| global_of[b]));
    }
    let groups = merge_variants(&builders, gazetteer, &options.overrides);

    // One entity per group.
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (b, &root) in groups.iter().enumerate() {
        members.entry(root).or_default().push(b);
    }
    let mut entities: Vec<(String, Entity, Vec<usize>)> = members
        .into_values()
        .map(|list| {
            let kind = majority_kind(&builders, &list);
            let mut forms: FastMap<&str, usize> = FastMap::default();
            let mut surfaces: FastMap<&str, usize> = FastMap::default();
            let mut articles = Vec::new();
            let mut mentions = 0;
            let mut authoritative: Option<&str> = None;
            for &b in &list {
                let b = &builders[b];
                for (f, n) in &b.forms {
                    *forms.entry(f).or_default() += n;
                }
                for (s, n) in &b.surfaces {
                    *surfaces.entry(s).or_default() += n;
                }
                articles.extend_from_slice(&b.articles);
                mentions += b.mentions;
                if authoritative.is_none() {
                    authoritative = b.authoritative;
                }
            }
            articles.sort_unstable();
            articles.dedup();
            let name = authoritative.map_or_else(|| canonical_form(&forms), str::to_string);
            let mut aliases: Vec<(&str, usize)> =
                surfaces.iter().chain(forms.iter()).map(|(s, n)| (*s, *n)).filter(|(s, _)| *s != name).collect();
            aliases.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            let mut seen = std::collections::HashSet::new();
            let aliases: Vec<String> =
                aliases.into_iter().filter(|(s, _)| seen.insert(*s)).map(|(s, _)| s.to_string()).collect();
            let has_page = kind.section().is_some() && articles.len() >= options.min_articles.max(1);
            let key = builders[list[0]].key.to_string();
            let entity =
                Entity { kind, slug: String::new(), name, aliases, articles, mention_count: mentions, has_page };
            (key, entity, list)
        })
        .collect();
    entities.sort_by(|(ka, a, _), (kb, b, _)| (a.kind, &a.name, ka).cmp(&(b.kind, &b.name, kb)));
    assign_slugs(&mut entities);
    let mut entity_of_builder = vec![0usize; builders.len()];
    for (id, (_, _, list)) in entities.iter().enumerate() {
        for &b in list {
            entity_of_builder[b] = id;
        }
    }
    let mut offsets = Vec::with_capacity(local.len() + 1);
    offsets.push(0);
    for list in local {
        offsets.push(offsets[offsets.len() - 1] + list.len());
    }
    let article_entities = local
        .par_iter()
        .enumerate()
        .map(|(a, list)| {
            let mut out: Vec<ArticleEntity> = Vec::with_capacity(list.len());
            for (e, &b) in list.iter().zip(&builder_of[offsets[a]..offsets[a + 1]]) {
                let id = entity_of_builder[b];
                match out.iter_mut().find(|x| x.entity == id) {
                    Some(x) => {
                        x.spans.extend_from_slice(e.spans);
                        x.spans.sort_unstable();
                    }
                    None => out.push(ArticleEntity { entity: id, spans: e.spans.to_vec() }),
                }
            }
            out.sort_by_key(|x| x.spans.first().copied().unwrap_or((usize::MAX, 0)));
            out
        })
        .collect();
    (entities.into_iter().map(|(_, e, _)| e).collect(), article_entities)
}

/// Builders of a run of articles (`first` is the id of the first), with the
/// builder of each of their local entities.
fn collect_builders<'a>(
    articles: &'a [Arc<Article>],
    local: &'a [Arc<LocalEntities>],
    first: ArticleId,
) -> (Vec<Builder<'a>>, Vec<usize>) {
    let mut builders: Vec<Builder> = Vec::new();
    let mut by_key: FastMap<(EntityKind, &str), usize> = FastMap::default();
    let mut builder_of = Vec::with_capacity(local.iter().map(|l| l.len()).sum());
    for (i, entities) in local.iter().enumerate() {
        let article = first + i;
        for e in entities.iter() {
            let b = *by_key.entry((e.kind, e.key)).or_insert_with(|| {
                builders.push(Builder {
                    kind: e.kind,
                    key: e.key,
                    forms: Vec::new(),
                    surfaces: Vec::new(),
                    authoritative: None,
                    articles: Vec::new(),
                    mentions: 0,
                });
                builders.len() - 1
            });
            builder_of.push(b);
            let b = &mut builders[b];
            bump(&mut b.forms, e.full, e.spans.len().max(1));
            for &(start, end) in e.spans {
                bump(&mut b.surfaces, articles[article].entity_slice(start, end), 1);
            }
            // The first authoritative form wins, however the articles are split into chunks.
            if e.authoritative && b.authoritative.is_none() {
                b.authoritative = Some(e.full);
            }
            b.articles.push(article);
            b.mentions += e.spans.len();
        }
    }
    (builders, builder_of)
}

/// The kind most mentions of a group's members had.
fn majority_kind(builders: &[Builder], members: &[usize]) -> EntityKind {
    let mut votes: Vec<(EntityKind, usize)> = Vec::new();
    for &m in members {
        let b = &builders[m];
        match votes.iter_mut().find(|(k, _)| *k == b.kind) {
            Some((_, n)) => *n += b.mentions.max(1),
            None => votes.push((b.kind, b.mentions.max(1))),
        }
    }
    votes.iter().max_by_key(|(k, n)| (*n, std::cmp::Reverse(*k))).map_or(EntityKind::Misc, |(k, _)| *k)
}

/// The most complete common form: among forms used at least a quarter as
/// often as the most used one, the one with most words; then the most used.
fn canonical_form(forms: &FastMap<&str, usize>) -> String {
    let max = forms.values().copied().max().unwrap_or(0);
    forms
        .iter()
        .filter(|(_, n)| **n * 4 >= max)
        .max_by(|(a, na), (b, nb)| {
            let words = |s: &str| s.split(' ').count();
            words(a).cmp(&words(b)).then(na.cmp(nb)).then(a.len().cmp(&b.len())).then(b.cmp(a))
        })
        .map_or_else(String::new, |(f, _)| f.to_string())
}

/// Union-find over builders: which ones are variants of the same name.
fn merge_variants<'a>(builders: &[Builder<'a>], gazetteer: &Gazetteer, overrides: &EntityOverrides) -> Vec<usize> {
    let mut parent: Vec<usize> = (0..builders.len()).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    let known_place = |b: &Builder<'a>| b.kind == EntityKind::Place && b.authoritative.is_some();
    let name_of = |b: &Builder<'a>| -> &'a str { b.authoritative.unwrap_or(b.key) };
    let may_merge = |a: &Builder<'a>, b: &Builder<'a>| {
        let both_places = (known_place(a) && known_place(b))
            || (gazetteer.place(name_of(a)).is_some() && gazetteer.place(name_of(b)).is_some());
        a.kind == b.kind && !both_places && !overrides.never_merge(name_of(a), name_of(b))
    };
    // The same name under two kinds: the rarer kind is a tagging slip when
    // the common kind has at least twice the mentions.
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, b) in builders.iter().enumerate() {
        if b.kind != EntityKind::Misc {
            by_name.entry(b.key).or_default().push(i);
        }
    }
    for list in by_name.values().filter(|l| l.len() > 1) {
        let main = *list
            .iter()
            .max_by_key(|&&i| (builders[i].mentions, std::cmp::Reverse(builders[i].kind)))
            .unwrap_or(&list[0]);
        for &other in list {
            if other != main && builders[main].mentions >= 2 * builders[other].mentions {
                let (ro, rm) = (find(&mut parent, other), find(&mut parent, main));
                parent[ro] = rm;
            }
        }
    }
    // Transliteration variants: the same skeleton.
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
                if may_merge(&builders[j], b) {
                    let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
                    parent[ri] = rj;
                }
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(i);
            }
        }
    }
    // One-letter typos of a common form in the same article: deletion
    // neighbourhoods. Each key and each of its one-character deletions is
    // filed by a hash; keys that share one are candidates (a hash collision
    // only adds a candidate that `within_one_edit` turns down).
    let mut neighbourhood: Vec<(EntityKind, u64, usize)> = builders
        .par_iter()
        .enumerate()
        .filter(|(_, b)| {
            b.kind != EntityKind::Misc && b.key.chars().filter(|c| c.is_alphabetic()).count() >= TYPO_MIN_LETTERS
        })
        .flat_map_iter(|(i, b)| {
            let chars: Vec<char> = b.key.chars().collect();
            let hash = |skip: Option<usize>| {
                let kept = chars.iter().enumerate().filter(|&(k, _)| Some(k) != skip);
                kept.fold(0u64, |h, (_, &c)| crate::entities::hash::mix(h, c as u64))
            };
            let variants: Vec<u64> = std::iter::once(None).chain((0..chars.len()).map(Some)).map(hash).collect();
            variants.into_iter().map(move |h| (b.kind, h, i))
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
    for (a, b) in candidates {
        let (ba, bb) = (&builders[a], &builders[b]);
        let (common, rare) =
            if (ba.articles.len(), ba.authoritative.is_some()) >= (bb.articles.len(), bb.authoritative.is_some()) {
                (ba, bb)
            } else {
                (bb, ba)
            };
        let rare_is_known = rare.authoritative.is_some() || gazetteer.place(rare.key).is_some();
        let more_common = common.articles.len() >= 2 * rare.articles.len() || common.authoritative.is_some();
        // Cheap tests first; whether they share an article last.
        let shares_article = || rare.articles.iter().any(|x| common.articles.binary_search(x).is_ok());
        if !rare_is_known && more_common && within_one_edit(ba.key, bb.key) && may_merge(ba, bb) && shares_article() {
            let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
            parent[ra] = rb;
        }
    }
    (0..builders.len()).map(|i| find(&mut parent, i)).collect()
}

/// Unique slugs within each kind; the entity with most articles keeps the plain slug.
fn assign_slugs(entities: &mut [(String, Entity, Vec<usize>)]) {
    let mut order: Vec<usize> = (0..entities.len()).collect();
    order.sort_by(|&a, &b| {
        let (ea, eb) = (&entities[a].1, &entities[b].1);
        (ea.kind, std::cmp::Reverse(ea.articles.len()), &ea.name).cmp(&(
            eb.kind,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_folds_case_accents_and_the() {
        assert_eq!(normalize("The  Hague"), "hague");
        assert_eq!(normalize("Zürich"), "zurich");
        assert_eq!(normalize("U.S."), "u s");
    }

    use crate::content::Body;
    use chrono::NaiveDate;

    /// An article whose text is `text`, with a mention for every `[Name|K]`
    /// marker (K = P, L, O, M), markers removed from the text.
    fn article(day: u32, marked: &str) -> (Article, Vec<Mention>) {
        let mut text = String::new();
        let mut mentions = Vec::new();
        let mut rest = marked;
        while let Some(open) = rest.find('[') {
            text.push_str(&rest[..open]);
            let close = rest[open..].find(']').unwrap() + open;
            let (name, kind) = rest[open + 1..close].split_once('|').unwrap();
            let kind = match kind {
                "P" => EntityKind::Person,
                "L" => EntityKind::Place,
                "O" => EntityKind::Organisation,
                _ => EntityKind::Misc,
            };
            mentions.push(Mention::certain(text.len(), text.len() + name.len(), kind));
            text.push_str(name);
            rest = &rest[close + 1..];
        }
        text.push_str(rest);
        let a = Article {
            source: format!("content/{day}.txt").into(),
            // 1 March 2022 onwards: `day` 1 to 31 are the days of March.
            date: NaiveDate::from_ymd_opt(2022, 3, 1).unwrap() + chrono::Days::new(u64::from(day) - 1),
            title: format!("Article {day}"),
            slug: format!("article-{day}"),
            caption: None,
            authors: vec![],
            summary: String::new(),
            summary_given: false,
            source_url: None,
            source_name: None,
            body: Body::Paragraphs(vec![text.clone()]),
            text,
            declared_entities: vec![],
            image: None,
            updated: None,
            fingerprint: 0,
        };
        (a, mentions)
    }

    fn resolve_marked(texts: &[&str], overrides: EntityOverrides) -> Archive {
        let (articles, mentions): (Vec<_>, Vec<_>) =
            texts.iter().enumerate().map(|(i, t)| article(i as u32 + 1, t)).unzip();
        let options = ResolveOptions { min_articles: 1, overrides };
        resolve(articles, mentions, &Gazetteer::builtin(), &options).0
    }

    fn names(archive: &Archive, kind: EntityKind) -> Vec<String> {
        archive.entities.iter().filter(|e| e.kind == kind).map(|e| e.name.clone()).collect()
    }

    #[test]
    fn spelling_variants_become_one_person() {
        let archive = resolve_marked(
            &[
                "President [Volodymyr Zelensky|P] spoke. [Zelensky|P] said no.",
                "[Volodymyr Zelenskiy|P] met [Zelenskiy|P] supporters.",
                "[Volodymyr Zelenskyy|P] travelled.",
                "[Volodymyr Zelensky|P] again.",
            ],
            EntityOverrides::default(),
        );
        assert_eq!(names(&archive, EntityKind::Person), vec!["Volodymyr Zelensky"]);
        let e = &archive.entities[0];
        assert_eq!(e.articles.len(), 4);
        assert!(
            e.aliases.contains(&"Zelenskiy".to_string()) && e.aliases.contains(&"Volodymyr Zelenskyy".to_string()),
            "{:?}",
            e.aliases
        );
        assert_eq!(e.mention_count, 6);
    }

    #[test]
    fn surnames_and_acronyms_join_within_an_article() {
        let archive = resolve_marked(
            &[
                "[Anton Herashchenko|P] wrote. [Herashchenko|P] added. The [Federal Security Service|O] ([FSB|O]) said [FSB|O] agents...",
            ],
            EntityOverrides::default(),
        );
        assert_eq!(names(&archive, EntityKind::Person), vec!["Anton Herashchenko"]);
        assert_eq!(names(&archive, EntityKind::Organisation), vec!["Federal Security Service"]);
        assert_eq!(archive.article_entities[0].iter().map(|e| e.spans.len()).sum::<usize>(), 5);
    }

    #[test]
    fn related_entities_are_counted_and_the_shared_table_is_left_clean() {
        let mut counts = crate::archive::RelatedCounts::default();
        for n in [3usize, 600] {
            let texts: Vec<String> = (0..n)
                .map(|i| {
                    if i % 3 == 0 {
                        "[Anna Kowalska|P] met [Bob Brown|P] in [Kyiv|L].".to_string()
                    } else {
                        "[Anna Kowalska|P] met [Bob Brown|P].".to_string()
                    }
                })
                .collect();
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let archive = resolve_marked(&refs, EntityOverrides::default());
            let id = |name: &str| archive.entities.iter().position(|e| e.name == name).unwrap();
            let mentions = crate::archive::PageMentions::new(&archive, None);
            let related = mentions.related(&archive, id("Anna Kowalska"), 5, &mut Default::default());
            assert_eq!(related, [(id("Bob Brown"), n), (id("Kyiv"), n.div_ceil(3))], "{n} articles");
            // The same counts with a table used for other entities before.
            let in_kyiv = n.div_ceil(3);
            assert_eq!(
                mentions.related(&archive, id("Kyiv"), 5, &mut counts),
                [(id("Anna Kowalska"), in_kyiv), (id("Bob Brown"), in_kyiv)]
            );
            assert_eq!(mentions.related(&archive, id("Anna Kowalska"), 5, &mut counts), related);
            assert_eq!(mentions.related(&archive, id("Anna Kowalska"), 1, &mut counts), [(id("Bob Brown"), n)]);
        }
    }

    #[test]
    fn page_mentions_hold_the_sentence_of_the_first_mention() {
        let archive = resolve_marked(
            &[
                "Rain fell. [Anna Kowalska|P] met [Bob Brown|P] in [Kyiv|L]. [Kowalska|P] left.",
                "Talks began in [Kyiv|L]. Nothing else.",
            ],
            EntityOverrides::default(),
        );
        let id = |name: &str| archive.entities.iter().position(|e| e.name == name).unwrap();
        let mentions = crate::archive::PageMentions::new(&archive, None);
        let article = |needle: &str| archive.articles.iter().position(|a| a.text.contains(needle)).unwrap();
        let (first, second) = (article("Rain"), article("Talks"));
        assert_eq!(mentions.snippet(&archive, first, id("Anna Kowalska")), "Anna Kowalska met Bob Brown in Kyiv.");
        assert_eq!(mentions.find(first, id("Anna Kowalska")).map(|m| m.count), Some(2));
        assert_eq!(mentions.snippet(&archive, second, id("Kyiv")), "Talks began in Kyiv.");
        assert_eq!(mentions.snippet(&archive, second, id("Bob Brown")), "", "not mentioned there");
        assert_eq!(
            mentions.of(first).map(|m| m.entity).collect::<Vec<_>>(),
            [id("Anna Kowalska"), id("Bob Brown"), id("Kyiv")]
        );
        // Articles not asked for get no entries.
        let mut needed = vec![false; archive.articles.len()];
        needed[second] = true;
        let some = crate::archive::PageMentions::new(&archive, Some(&needed));
        assert_eq!(some.of(first).count(), 0);
        assert!(some.of(second).eq(mentions.of(second)));
    }

    #[test]
    fn names_never_open_with_a_symbol() {
        let archive = resolve_marked(
            &[
                "Legend: [██ Alliance Party of Ulster|O] held.",
                "Votes for the [Alliance Party of Ulster|O].",
                "[██|L] only.",
            ],
            EntityOverrides::default(),
        );
        assert_eq!(names(&archive, EntityKind::Organisation), ["Alliance Party of Ulster"]);
        assert!(names(&archive, EntityKind::Place).is_empty(), "a mention of symbols alone is dropped");
        let party = archive.entities.iter().find(|e| e.kind == EntityKind::Organisation).unwrap();
        assert_eq!(party.articles.len(), 2);
    }

    #[test]
    fn gazetteer_alternate_names_merge() {
        let archive = resolve_marked(&["Talks in [Kiev|L].", "Shelling in [Kyiv|L]."], EntityOverrides::default());
        assert_eq!(names(&archive, EntityKind::Place), vec!["Kyiv"]);
        assert_eq!(archive.entities[0].aliases, vec!["Kiev"]);
    }

    #[test]
    fn a_typo_next_to_the_common_form_merges() {
        let archive = resolve_marked(
            &["Strikes hit [Kharviv|L] as [Kharkiv|L] burned.", "[Kharkiv|L] again.", "[Kharkiv|L] once more."],
            EntityOverrides::default(),
        );
        assert_eq!(names(&archive, EntityKind::Place), vec!["Kharkiv"]);
    }

    #[test]
    fn similar_countries_never_merge() {
        for (a, b) in [("Iran", "Iraq"), ("Austria", "Australia"), ("Niger", "Nigeria"), ("Slovakia", "Slovenia")] {
            let archive = resolve_marked(
                &[&format!("[{a}|L] and [{b}|L] met."), &format!("[{a}|L] again."), &format!("[{a}|L] once more.")],
                EntityOverrides::default(),
            );
            assert_eq!(names(&archive, EntityKind::Place).len(), 2, "{a}/{b} merged");
        }
    }

    #[test]
    fn one_name_one_kind() {
        let archive = resolve_marked(
            &["[Kyiv|O] said. [Kyiv|L] is calm.", "[Moscow|O] answered.", "People in [Moscow|L]."],
            EntityOverrides::default(),
        );
        assert_eq!(names(&archive, EntityKind::Place), vec!["Kyiv", "Moscow"]);
        assert!(names(&archive, EntityKind::Organisation).is_empty());
    }

    #[test]
    fn owner_overrides_win() {
        let overrides = EntityOverrides::parse(
            "ignore = [\"Reuters\"]\nnever_merge = [[\"Jon Smith\", \"John Smith\"]]\n[[entity]]\nname = \"Kyiv City\"\ntype = \"place\"\naliases = [\"Kyiv\", \"Kiev\"]\n",
        )
        .unwrap();
        let archive = resolve_marked(
            &[
                "[Reuters|O] reports from [Kiev|L] and [Kyiv|O]. [John Smith|P] met [Jon Smith|P].",
                "[John Smith|P] spoke.",
                "[John Smith|P] again.",
            ],
            overrides,
        );
        assert_eq!(names(&archive, EntityKind::Place), vec!["Kyiv City"]);
        assert!(names(&archive, EntityKind::Organisation).is_empty());
        assert_eq!(names(&archive, EntityKind::Person).len(), 2);
    }

    #[test]
    fn resolution_is_deterministic() {
        let texts = ["[Ann Lee|P] in [Paris|L].", "[Ann Lee|P] and [Bo Chan|P].", "[Lee|P] in [Rome|L]."];
        let a = resolve_marked(&texts, EntityOverrides::default());
        let b = resolve_marked(&texts, EntityOverrides::default());
        let view = |x: &Archive| {
            x.entities.iter().map(|e| (e.name.clone(), e.slug.clone(), e.articles.clone())).collect::<Vec<_>>()
        };
        assert_eq!(view(&a), view(&b));
    }

    #[test]
    fn skeletons_join_transliterations() {
        assert_eq!(skeleton("zelenskiy"), skeleton("zelensky"));
        assert_eq!(skeleton("zelenskyy"), skeleton("zelensky"));
        assert_eq!(skeleton("volodymyr zelenskyy"), skeleton("volodymyr zelensky"));
        assert_ne!(skeleton("iran"), skeleton("iraq"));
    }

    #[test]
    fn one_edit() {
        assert!(within_one_edit("kharviv", "kharkiv"));
        assert!(within_one_edit("iran", "iraq"));
        assert!(within_one_edit("abcd", "abdc"));
        assert!(within_one_edit("kyiv", "kyivv"));
        assert!(!within_one_edit("austria", "australia"));
        assert!(!within_one_edit("niger", "nigeria"));
        assert!(!within_one_edit("slovakia", "slovenia"));
    }
}
