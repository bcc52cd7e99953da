//! The entities one article mentions, with the spans of their mentions,
//! kept in two flat tables: a million articles name some thirty million
//! (article, entity) pairs, and one allocation per pair would be most of
//! the archive's memory.

use super::EntityId;

/// A mention's byte span in [`crate::content::Article::entity_text`].
pub type Span = (usize, usize);

/// The entities of one article, in the order of their first mention.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleEntities {
    /// Each entity, and where its spans end in `spans` (they start where
    /// the previous entity's end).
    entities: Box<[(u32, u32)]>,
    /// Each entity's spans, in order, entity after entity.
    spans: Box<[(u32, u32)]>,
}

/// An entity mentioned in one article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArticleEntity<'a> {
    /// Which entity.
    pub entity: EntityId,
    /// Byte spans of its mentions in the article text, in order.
    pub spans: Spans<'a>,
}

/// The spans of one entity's mentions in one article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spans<'a>(&'a [(u32, u32)]);

impl<'a> Spans<'a> {
    /// The spans of a table of spans as stored ([`Spans::pack`]).
    pub(crate) fn of(stored: &'a [(u32, u32)]) -> Self {
        Spans(stored)
    }

    /// A span as stored.
    pub(crate) fn pack((start, end): Span) -> (u32, u32) {
        (stored(start), stored(end))
    }

    /// Number of mentions.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none (a declared name the text never spells).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first mention's span.
    pub fn first(self) -> Option<Span> {
        self.0.first().map(|&(s, e)| (s as usize, e as usize))
    }

    /// Whether `span` is one of them.
    pub fn contains(self, span: Span) -> bool {
        self.iter().any(|s| s == span)
    }

    /// The spans, in order.
    pub fn iter(self) -> impl ExactSizeIterator<Item = Span> + 'a {
        self.0.iter().map(|&(s, e)| (s as usize, e as usize))
    }
}

/// An offset as stored: article texts are far below 4 GiB (files are
/// read whole into memory), so none is ever clipped in practice.
fn stored(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}

impl ArticleEntities {
    /// The table of `list`: each entity with its spans, in the order given.
    pub fn new<'s>(list: impl IntoIterator<Item = (EntityId, &'s [Span])>) -> Self {
        let mut entities = Vec::new();
        let mut spans = Vec::new();
        for (entity, of) in list {
            spans.extend(of.iter().map(|&span| Spans::pack(span)));
            entities.push((stored(entity), stored(spans.len())));
        }
        ArticleEntities { entities: entities.into(), spans: spans.into() }
    }

    /// The table of entities gathered with their spans in any order: each
    /// entity's spans sorted, the entities by their first span (those the
    /// text never spells last, in the order given).
    pub fn ordered(mut list: Vec<(EntityId, Vec<Span>)>) -> Self {
        for (_, spans) in &mut list {
            spans.sort_unstable();
        }
        list.sort_by_key(|(_, spans)| spans.first().copied().unwrap_or((usize::MAX, 0)));
        Self::new(list.iter().map(|(entity, spans)| (*entity, spans.as_slice())))
    }

    /// Number of entities.
    pub fn len(&self) -> usize {
        self.entities.len()
    }

    /// Whether the article mentions none.
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    /// The entities, in the order of their first mention.
    pub fn iter(&self) -> Iter<'_> {
        Iter { table: self, next: 0, start: 0 }
    }
}

/// The entities of an [`ArticleEntities`], in order.
#[derive(Debug, Clone)]
pub struct Iter<'a> {
    table: &'a ArticleEntities,
    next: usize,
    start: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = ArticleEntity<'a>;

    fn next(&mut self) -> Option<ArticleEntity<'a>> {
        let &(entity, end) = self.table.entities.get(self.next)?;
        let spans = Spans(&self.table.spans[self.start..end as usize]);
        self.next += 1;
        self.start = end as usize;
        Some(ArticleEntity { entity: entity as EntityId, spans })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.table.entities.len() - self.next;
        (left, Some(left))
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a ArticleEntities {
    type Item = ArticleEntity<'a>;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_keep_their_own_spans_in_order() {
        let table = ArticleEntities::new([(7, &[(0, 5), (40, 45)][..]), (2, &[][..]), (9, &[(10, 14)][..])]);
        let got: Vec<(EntityId, Vec<Span>)> = table.iter().map(|ae| (ae.entity, ae.spans.iter().collect())).collect();
        assert_eq!(got, vec![(7, vec![(0, 5), (40, 45)]), (2, vec![]), (9, vec![(10, 14)])]);
        let first = table.iter().next().unwrap();
        assert_eq!((first.spans.len(), first.spans.first()), (2, Some((0, 5))));
        assert!(first.spans.contains((40, 45)) && !first.spans.contains((10, 14)));
        assert_eq!((&table).into_iter().count(), 3);
        assert!(ArticleEntities::default().is_empty());
    }
}
