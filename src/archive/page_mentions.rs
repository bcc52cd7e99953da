//! The entities with pages that each article mentions, in one flat table.
//! Entity pages read it article by article (related entities, snippets,
//! timelines): a few contiguous entries per article instead of each
//! article's own list of every entity, with the snippet sentence found once.

use rayon::prelude::*;

use super::{Archive, ArticleId, EntityId};
use crate::content::sentences::SentenceIndex;

/// An entity with a page, as one article mentions it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageMention {
    /// The entity.
    pub entity: EntityId,
    /// How many times the article mentions it.
    pub count: u32,
    /// Byte range, in the article text, of the sentence holding its first
    /// mention (empty when the mention is in no sentence).
    pub sentence: (u32, u32),
}

/// Per article, its [`PageMention`]s in order of first mention.
#[derive(Debug, Default)]
pub struct PageMentions {
    /// Where each article's entries start, plus the end.
    starts: Vec<usize>,
    /// The entity of each entry, apart so that counting related entities
    /// reads nothing else.
    entities: Vec<u32>,
    /// The rest of each entry: mentions, then the sentence.
    details: Vec<(u32, (u32, u32))>,
    /// Per article, the positions of its entries ordered by entity, so that
    /// [`PageMentions::find`] is a binary search even in an article that
    /// names thousands of entities.
    by_entity: Vec<u32>,
}

/// A count per entity, all zeros between uses: the working table of
/// [`PageMentions::related`], reused by the pages that list related
/// entities one after another instead of allocating (and having the system
/// zero) a table of every entity each time.
#[derive(Debug, Default)]
pub struct RelatedCounts(Vec<u32>);

impl PageMentions {
    /// The table for the articles `needed` says (all when `None`); the
    /// others get no entries. Articles are read in parallel.
    pub fn new(archive: &Archive, needed: Option<&[bool]>) -> Self {
        let lists: Vec<Vec<PageMention>> = (0..archive.articles.len())
            .into_par_iter()
            .map(|id| match needed {
                Some(needed) if !needed[id] => Vec::new(),
                _ => article_mentions(archive, id),
            })
            .collect();
        let total = lists.iter().map(Vec::len).sum();
        let mut table = PageMentions {
            starts: Vec::with_capacity(lists.len() + 1),
            entities: Vec::with_capacity(total),
            details: Vec::with_capacity(total),
            by_entity: Vec::with_capacity(total),
        };
        for list in lists {
            table.starts.push(table.entities.len());
            let start = table.by_entity.len();
            for (i, m) in list.iter().enumerate() {
                // Entity ids are below the number of entities, which memory keeps far below 2^32.
                table.entities.push(m.entity as u32);
                table.details.push((m.count, m.sentence));
                table.by_entity.push(i as u32);
            }
            table.by_entity[start..].sort_unstable_by_key(|&i| list[i as usize].entity);
        }
        table.starts.push(table.entities.len());
        table
    }

    /// The entities with pages an article mentions, in order of first mention.
    pub fn entities_of(&self, article: ArticleId) -> &[u32] {
        &self.entities[self.starts[article]..self.starts[article + 1]]
    }

    /// The entries of an article, in order of first mention.
    pub fn of(&self, article: ArticleId) -> impl Iterator<Item = PageMention> + '_ {
        let range = self.starts[article]..self.starts[article + 1];
        self.entities[range.clone()].iter().zip(&self.details[range]).map(|(&entity, &(count, sentence))| PageMention {
            entity: entity as EntityId,
            count,
            sentence,
        })
    }

    /// How an article mentions an entity, if it does and the entity has a page.
    pub fn find(&self, article: ArticleId, entity: EntityId) -> Option<PageMention> {
        let start = self.starts[article];
        let entities = self.entities_of(article);
        let order = &self.by_entity[start..self.starts[article + 1]];
        let found = order.binary_search_by_key(&entity, |&i| entities[i as usize] as EntityId).ok()?;
        let (count, sentence) = self.details[start + order[found] as usize];
        Some(PageMention { entity, count, sentence })
    }

    /// The sentence of an article that holds its first mention of `entity`.
    pub fn snippet<'a>(&self, archive: &'a Archive, article: ArticleId, entity: EntityId) -> &'a str {
        let text = &archive.articles[article].text;
        self.find(article, entity).map_or("", |m| &text[m.sentence.0 as usize..m.sentence.1 as usize])
    }

    /// Entities with pages most often mentioned in the same articles as
    /// `id`, with the number of articles they share, most first (then by
    /// id), `limit` at most; counted in `counts`, left all zeros.
    pub fn related(
        &self,
        archive: &Archive,
        id: EntityId,
        limit: usize,
        counts: &mut RelatedCounts,
    ) -> Vec<(EntityId, usize)> {
        let table = &mut counts.0;
        if table.len() < archive.entities.len() {
            table.resize(archive.entities.len(), 0);
        }
        let mut seen = Vec::new();
        for &article in &archive.entities[id].articles {
            for &entity in self.entities_of(article) {
                let count = &mut table[entity as usize];
                if *count == 0 {
                    seen.push(entity as usize);
                }
                *count += 1;
            }
        }
        let mut list: Vec<(EntityId, usize)> =
            seen.into_iter().map(|e| (e, std::mem::take(&mut table[e]) as usize)).filter(|&(e, _)| e != id).collect();
        let order = |&(ea, na): &(EntityId, usize), &(eb, nb): &(EntityId, usize)| nb.cmp(&na).then(ea.cmp(&eb));
        if list.len() > limit && limit > 0 {
            list.select_nth_unstable_by(limit - 1, order);
        }
        list.truncate(limit);
        list.sort_by(order);
        list
    }
}

/// The entries of one article; its text is split into sentences only when
/// an entity with a page is mentioned.
fn article_mentions(archive: &Archive, id: ArticleId) -> Vec<PageMention> {
    let text = &archive.articles[id].text;
    let mut sentences: Option<SentenceIndex> = None;
    let mut out = Vec::new();
    for ae in archive.article_entities[id].iter().filter(|ae| archive.entities[ae.entity].has_page) {
        let sentence = ae
            .spans
            .first()
            .and_then(|(at, _)| sentences.get_or_insert_with(|| SentenceIndex::new(text)).snippet_at(text, at))
            .unwrap_or((0, 0));
        out.push(PageMention { entity: ae.entity, count: ae.spans.len() as u32, sentence });
    }
    out
}
