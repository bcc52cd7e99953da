//! Resolution: the only stage that sees the whole archive. It sorts the
//! articles, makes slugs unique within a day, merges the names found in each
//! article into entities, and indexes dates and co-occurrence.
//!
//! Within an article, a surname alone joins the full name used in the same
//! article, and an acronym joins the organisation it abbreviates. Across the
//! archive, names of the same kind merge when they are the same once case and
//! accents are ignored, and places merge through the gazetteer's alternate
//! names (Kiev → Kyiv).

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use crate::archive::{Archive, ArticleEntity, ArticleId, Entity};
use crate::content::{Article, EntityKind};
use crate::diagnostics::Diagnostic;
use crate::entities::{Gazetteer, Mention};
use crate::slug::slugify_or;

/// How many related entities each entity keeps.
const RELATED_LIMIT: usize = 12;

/// Settings of resolution.
#[derive(Debug, Clone)]
pub struct ResolveOptions {
    /// Minimum number of articles for an entity to get a page.
    pub min_articles: usize,
}

/// Builds the archive from parsed articles and their mentions (same order).
pub fn resolve(
    articles: Vec<Article>,
    mentions: Vec<Vec<Mention>>,
    gazetteer: &Gazetteer,
    options: &ResolveOptions,
) -> (Archive, Vec<Diagnostic>) {
    let mut pairs: Vec<(Article, Vec<Mention>)> = articles.into_iter().zip(mentions).collect();
    pairs.sort_by(|(a, _), (b, _)| (a.date, &a.title, &a.source).cmp(&(b.date, &b.title, &b.source)));
    let (mut articles, mentions): (Vec<Article>, Vec<Vec<Mention>>) = pairs.into_iter().unzip();
    let diagnostics = make_slugs_unique(&mut articles);

    let local: Vec<Vec<LocalEntity>> =
        articles.par_iter().zip(mentions.par_iter()).map(|(a, m)| local_entities(&a.text, m, gazetteer)).collect();

    let (entities, article_entities) = merge_entities(&local, options);
    let mut days: BTreeMap<_, Vec<ArticleId>> = BTreeMap::new();
    for (id, article) in articles.iter().enumerate() {
        days.entry(article.date).or_default().push(id);
    }
    let mut archive = Archive { articles, article_entities, entities, days };
    compute_related(&mut archive);
    (archive, diagnostics)
}

/// Gives the second and later articles with the same date and slug a
/// numbered slug (`-2`, `-3`), with a warning naming both files.
fn make_slugs_unique(articles: &mut [Article]) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut taken: HashMap<(chrono::NaiveDate, String), usize> = HashMap::new();
    for i in 0..articles.len() {
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
            articles[i].slug = new_slug.clone();
            taken.insert((key.0, new_slug), i);
        } else {
            taken.insert(key, i);
        }
    }
    diagnostics
}

/// An entity as seen in one article, before merging across the archive.
#[derive(Debug)]
struct LocalEntity {
    kind: EntityKind,
    /// Key that merges across the archive.
    key: String,
    /// Canonical name from a gazetteer, if any.
    canonical: Option<String>,
    /// Surface forms and spans.
    spans: Vec<(usize, usize)>,
    surfaces: Vec<String>,
}

/// Groups one article's mentions into entities.
fn local_entities(text: &str, mentions: &[Mention], gazetteer: &Gazetteer) -> Vec<LocalEntity> {
    // Full names of the article, for surnames and acronyms.
    let full_people: Vec<&str> = mentions
        .iter()
        .filter(|m| m.kind == EntityKind::Person && m.text(text).contains(' '))
        .map(|m| m.text(text))
        .collect();
    let full_orgs: Vec<&str> = mentions
        .iter()
        .filter(|m| m.kind == EntityKind::Organisation && m.text(text).contains(' '))
        .map(|m| m.text(text))
        .collect();
    let mut by_key: Vec<LocalEntity> = Vec::new();
    let mut index: HashMap<(EntityKind, String), usize> = HashMap::new();
    // "Federal Security Service (FSB)": an acronym in brackets after a name.
    let mut expansions: HashMap<&str, &str> = HashMap::new();
    for pair in mentions.windows(2) {
        let (name, acronym) = (&pair[0], &pair[1]);
        if name.kind == EntityKind::Organisation && text[name.end..acronym.start].trim() == "(" {
            expansions.insert(acronym.text(text), name.text(text));
        }
    }
    for m in mentions {
        if m.kind == EntityKind::Misc {
            continue;
        }
        let surface = m.text(text);
        let (kind, full) = match m.kind {
            EntityKind::Person if !surface.contains(' ') => {
                let full = full_people
                    .iter()
                    .copied()
                    .find(|f| f.rsplit(' ').next() == Some(surface) || f.split(' ').next() == Some(surface));
                (EntityKind::Person, full.unwrap_or(surface))
            }
            EntityKind::Organisation if !surface.contains(' ') => {
                let full = expansions
                    .get(surface)
                    .copied()
                    .or_else(|| full_orgs.iter().copied().find(|f| initials(f) == surface));
                (EntityKind::Organisation, full.unwrap_or(surface))
            }
            // A lone word tagged as a place or organisation that is the surname of a person here.
            kind if !surface.contains(' ') && full_people.iter().any(|f| f.rsplit(' ').next() == Some(surface)) => {
                let _ = kind;
                let full =
                    full_people.iter().copied().find(|f| f.rsplit(' ').next() == Some(surface)).unwrap_or(surface);
                (EntityKind::Person, full)
            }
            kind => (kind, surface),
        };
        let canonical =
            (kind == EntityKind::Place).then(|| gazetteer.place(full).map(|p| p.canonical.clone())).flatten();
        let key = normalize(canonical.as_deref().unwrap_or(full));
        let slot = *index.entry((kind, key.clone())).or_insert_with(|| {
            by_key.push(LocalEntity { kind, key, canonical, spans: Vec::new(), surfaces: Vec::new() });
            by_key.len() - 1
        });
        by_key[slot].spans.push((m.start, m.end));
        by_key[slot].surfaces.push(full.to_string());
    }
    by_key
}

/// `Federal Security Service` → `FSS`; small words are skipped.
fn initials(name: &str) -> String {
    name.split(' ')
        .filter(|w| !matches!(*w, "of" | "the" | "and" | "for" | "de"))
        .filter_map(|w| w.chars().next())
        .collect()
}

/// The merge key of a name: accents folded, lowercase, single spaces, no leading "the".
pub fn normalize(name: &str) -> String {
    let folded = deunicode::deunicode(name).to_lowercase();
    let words: Vec<&str> = folded.split(|c: char| c.is_whitespace() || c == '.').filter(|w| !w.is_empty()).collect();
    let words = match words.first() {
        Some(&"the") if words.len() > 1 => &words[1..],
        _ => &words[..],
    };
    words.join(" ")
}

/// Merges local entities across the archive into numbered entities.
fn merge_entities(local: &[Vec<LocalEntity>], options: &ResolveOptions) -> (Vec<Entity>, Vec<Vec<ArticleEntity>>) {
    struct Builder {
        kind: EntityKind,
        canonical: Option<String>,
        surfaces: HashMap<String, usize>,
        articles: Vec<ArticleId>,
        mentions: usize,
    }
    let mut builders: HashMap<(EntityKind, &str), Builder> = HashMap::new();
    for (article, entities) in local.iter().enumerate() {
        for e in entities {
            let b = builders.entry((e.kind, e.key.as_str())).or_insert_with(|| Builder {
                kind: e.kind,
                canonical: e.canonical.clone(),
                surfaces: HashMap::new(),
                articles: Vec::new(),
                mentions: 0,
            });
            for s in &e.surfaces {
                *b.surfaces.entry(s.clone()).or_default() += 1;
            }
            b.articles.push(article);
            b.mentions += e.spans.len();
        }
    }
    let mut entities: Vec<(String, Entity)> = builders
        .into_iter()
        .map(|((_, key), b)| {
            let mut surfaces: Vec<(String, usize)> = b.surfaces.into_iter().collect();
            // Most frequent first; ties to the longer, then alphabetical.
            surfaces.sort_by(|(a, an), (b, bn)| bn.cmp(an).then(b.len().cmp(&a.len())).then(a.cmp(b)));
            let name = b.canonical.unwrap_or_else(|| surfaces[0].0.clone());
            let aliases = surfaces.into_iter().map(|(s, _)| s).filter(|s| *s != name).collect();
            let has_page = b.kind.section().is_some() && b.articles.len() >= options.min_articles.max(1);
            let entity = Entity {
                kind: b.kind,
                slug: String::new(),
                name,
                aliases,
                articles: b.articles,
                mention_count: b.mentions,
                has_page,
                related: Vec::new(),
            };
            (key.to_string(), entity)
        })
        .collect();
    entities.sort_by(|(ka, a), (kb, b)| (a.kind, &a.name, ka).cmp(&(b.kind, &b.name, kb)));
    assign_slugs(&mut entities);
    let id_of: HashMap<(EntityKind, &str), usize> =
        entities.iter().enumerate().map(|(id, (key, e))| ((e.kind, key.as_str()), id)).collect();
    let article_entities = local
        .iter()
        .map(|list| {
            list.iter()
                .map(|e| ArticleEntity { entity: id_of[&(e.kind, e.key.as_str())], spans: e.spans.clone() })
                .collect()
        })
        .collect();
    (entities.into_iter().map(|(_, e)| e).collect(), article_entities)
}

/// Unique slugs within each kind; the entity with most articles keeps the plain slug.
fn assign_slugs(entities: &mut [(String, Entity)]) {
    let mut order: Vec<usize> = (0..entities.len()).collect();
    order.sort_by(|&a, &b| {
        let (ea, eb) = (&entities[a].1, &entities[b].1);
        (ea.kind, std::cmp::Reverse(ea.articles.len()), &ea.name).cmp(&(
            eb.kind,
            std::cmp::Reverse(eb.articles.len()),
            &eb.name,
        ))
    });
    let mut taken: HashMap<(EntityKind, String), ()> = HashMap::new();
    for i in order {
        let e = &entities[i].1;
        let base = slugify_or(&e.name, "entity");
        let mut slug = base.clone();
        let mut n = 2;
        // "page" is reserved for pagination under the list page.
        while slug == "page" || taken.contains_key(&(e.kind, slug.clone())) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        taken.insert((e.kind, slug.clone()), ());
        entities[i].1.slug = slug;
    }
}

/// Counts, for each entity with a page, the entities it shares articles with.
fn compute_related(archive: &mut Archive) {
    let mut pairs: HashMap<(usize, usize), usize> = HashMap::new();
    for list in &archive.article_entities {
        let ids: Vec<usize> = list.iter().map(|e| e.entity).filter(|&id| archive.entities[id].has_page).collect();
        for (i, &a) in ids.iter().enumerate() {
            for &b in &ids[i + 1..] {
                *pairs.entry((a.min(b), a.max(b))).or_default() += 1;
            }
        }
    }
    let mut related: Vec<Vec<(usize, usize)>> = vec![Vec::new(); archive.entities.len()];
    for ((a, b), n) in pairs {
        related[a].push((b, n));
        related[b].push((a, n));
    }
    for (id, mut list) in related.into_iter().enumerate() {
        list.sort_by(|&(ea, na), &(eb, nb)| nb.cmp(&na).then(ea.cmp(&eb)));
        list.truncate(RELATED_LIMIT);
        archive.entities[id].related = list;
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

    #[test]
    fn surname_joins_full_name_in_the_article() {
        let text = "President Volodymyr Zelensky spoke. Zelensky said no.";
        let g = Gazetteer::builtin();
        let mentions = vec![
            Mention { start: 10, end: 28, kind: EntityKind::Person },
            Mention { start: 36, end: 44, kind: EntityKind::Person },
        ];
        let local = local_entities(text, &mentions, &g);
        assert_eq!(local.len(), 1);
        assert_eq!(local[0].spans.len(), 2);
    }

    #[test]
    fn acronym_joins_expansion() {
        let text = "The Federal Security Service (FSB) said.";
        let g = Gazetteer::builtin();
        let mentions = vec![
            Mention { start: 4, end: 28, kind: EntityKind::Organisation },
            Mention { start: 30, end: 33, kind: EntityKind::Organisation },
        ];
        assert_eq!(local_entities(text, &mentions, &g).len(), 1);
    }
}
