//! One article's mentions grouped into its entities, before merging across
//! the archive: a surname or first name alone joins the full name used in
//! the same article, an acronym the organisation it abbreviates, a place
//! its gazetteer name, and a name the owner's canonical form.

use std::hash::BuildHasher;

use super::normalize_into;
use crate::content::{Article, EntityKind};
use crate::entities::hash::FastMap;
use crate::entities::overrides::EntityOverrides;
use crate::entities::{Gazetteer, Mention};

/// The entities of one article before merging across the archive: what
/// [`local_entities`] finds, kept by `serve` between edits.
///
/// Stored flat, names end to end in one string and spans entity after
/// entity, so that an article's entities take three allocations, not three
/// each: an archive has hundreds of thousands of them.
#[derive(Debug, Clone, Default)]
pub struct LocalEntities {
    /// Each entity's key, then its full form, entity after entity.
    names: String,
    entities: Vec<Stored>,
    /// Each entity's spans, entity after entity.
    spans: Vec<(usize, usize)>,
}

/// Where one entity's parts end in [`LocalEntities`]; they start where
/// the previous entity's end.
#[derive(Debug, Clone, Copy)]
struct Stored {
    kind: EntityKind,
    authoritative: bool,
    key_end: u32,
    full_end: u32,
    spans_end: u32,
}

/// An entity as seen in one article, before merging across the archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalEntity<'a> {
    /// Person, place, organisation.
    pub kind: EntityKind,
    /// Merge key of the full form ([`super::normalize`]).
    pub key: &'a str,
    /// The full form used in this article (the owner's or gazetteer's canonical name if any).
    pub full: &'a str,
    /// Whether `full` is a canonical name from the owner or the gazetteer.
    pub authoritative: bool,
    /// Spans of the mentions (the forms as written), in [`Article::entity_text`],
    /// in the order of the text; empty for a declared name the text never spells.
    pub spans: &'a [(usize, usize)],
}

impl LocalEntities {
    /// Number of entities.
    pub fn len(&self) -> usize {
        self.entities.len()
    }

    /// Whether the article has no entities.
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    /// The entities, in the order of their first mention (declared names last).
    pub fn iter(&self) -> impl ExactSizeIterator<Item = LocalEntity<'_>> + Clone {
        let mut start = (0usize, 0usize);
        self.entities.iter().map(move |s| {
            let (names, spans) = start;
            start = (s.full_end as usize, s.spans_end as usize);
            LocalEntity {
                kind: s.kind,
                key: &self.names[names..s.key_end as usize],
                full: &self.names[s.key_end as usize..s.full_end as usize],
                authoritative: s.authoritative,
                spans: &self.spans[spans..s.spans_end as usize],
            }
        })
    }
}

/// Whether a found name can be an entity at all: two letters or more, and a capital.
fn plausible_name(name: &str) -> bool {
    name.chars().filter(|c| c.is_alphabetic()).count() >= 2 && name.chars().any(char::is_uppercase)
}

/// A mention without the symbols a name never opens with (a map legend's
/// "██ Syrian Arab Republic"), or `None` when nothing of a name is left.
fn without_leading_symbols(m: &Mention, text: &str) -> Option<Mention> {
    let found = text.get(m.start..m.end)?;
    let skip = found.find(|c: char| c.is_alphanumeric())?;
    Some(Mention { start: m.start + skip, ..*m })
}

/// Groups one article's mentions into entities.
pub fn local_entities(
    article: &Article,
    mentions: &[Mention],
    gazetteer: &Gazetteer,
    overrides: &EntityOverrides,
) -> LocalEntities {
    let text = article.entity_text();
    let text = text.as_ref();
    let trimmed: Vec<Mention> = mentions.iter().filter_map(|m| without_leading_symbols(m, text)).collect();
    let mentions = trimmed.as_slice();
    // Full names of people, with their last and first words.
    let full_people: Vec<(&str, &str, &str)> = mentions
        .iter()
        .filter(|m| m.kind == EntityKind::Person)
        .filter_map(|m| {
            let full = m.text(text);
            let (first, _) = full.split_once(' ')?;
            let last = full.rsplit(' ').next().unwrap_or(full);
            Some((full, last, first))
        })
        .collect();
    let full_orgs: Vec<&str> = mentions
        .iter()
        .filter(|m| m.kind == EntityKind::Organisation && m.text(text).contains(' '))
        .map(|m| m.text(text))
        .collect();
    // "Federal Security Service (FSB)": an acronym in brackets after a name.
    let mut expansions: FastMap<&str, &str> = FastMap::default();
    for pair in mentions.windows(2) {
        let (name, acronym) = (&pair[0], &pair[1]);
        if name.kind == EntityKind::Organisation && text[name.end..acronym.start].trim() == "(" {
            expansions.insert(acronym.text(text), name.text(text));
        }
    }
    // One name, one kind within an article: the kind most of its mentions got.
    let mut votes: FastMap<&str, [usize; 4]> = FastMap::with_capacity_and_hasher(mentions.len(), Default::default());
    for m in mentions {
        votes.entry(m.text(text)).or_default()[m.kind as usize] += 1;
    }
    let voted_kind = |m: &Mention| -> EntityKind {
        let v = votes[m.text(text)];
        // Ties go to places, then organisations, then people.
        let best = (0..4).max_by_key(|&k| (v[k], [1, 3, 2, 0][k])).unwrap_or(m.kind as usize);
        [EntityKind::Person, EntityKind::Place, EntityKind::Organisation, EntityKind::Misc][best]
    };
    let mut found = Grouping::with_capacity(mentions.len());
    for m in mentions {
        let surface = m.text(text);
        let span = Some((m.start, m.end));
        if !plausible_name(surface) || overrides.is_ignored(surface) {
            continue;
        }
        if let Some(c) = overrides.canonical(surface) {
            let kind = c.kind.unwrap_or(m.kind);
            if kind != EntityKind::Misc {
                found.add(kind, &c.name, true, span);
            }
            continue;
        }
        let single = !surface.contains(' ');
        let mut kind = voted_kind(m);
        // "Moscow said": a known place tagged as an organisation is the place.
        if kind == EntityKind::Organisation && single && gazetteer.place(surface).is_some() {
            kind = EntityKind::Place;
        }
        // The full name whose last (else first) word a lone word is.
        let full_name = || {
            let by_last = full_people.iter().find(|p| p.1 == surface);
            by_last.or_else(|| full_people.iter().find(|p| p.2 == surface)).map(|p| p.0)
        };
        let (kind, full) = match kind {
            EntityKind::Misc => continue,
            // A lone word that is the surname of a person here is that person.
            _ if single && full_people.iter().any(|p| p.1 == surface) => {
                (EntityKind::Person, full_name().unwrap_or(surface))
            }
            EntityKind::Person if single => (EntityKind::Person, full_name().unwrap_or(surface)),
            EntityKind::Organisation if single => {
                let full = expansions
                    .get(surface)
                    .copied()
                    .or_else(|| full_orgs.iter().copied().find(|f| initials(f).eq(surface.chars())));
                (EntityKind::Organisation, full.unwrap_or(surface))
            }
            kind => (kind, surface),
        };
        if let Some(c) = overrides.canonical(full) {
            found.add(c.kind.unwrap_or(kind), &c.name, true, span);
            continue;
        }
        match gazetteer.place(full).filter(|_| kind == EntityKind::Place) {
            Some(place) => found.add(kind, &place.canonical, true, span),
            None => found.add(kind, full, false, span),
        }
    }
    // Declared names the text never spells out still belong to the article.
    for declared in &article.declared_entities {
        if declared.kind != EntityKind::Misc && !found.contains(declared.kind, &declared.name) {
            found.add(declared.kind, &declared.name, false, None);
        }
    }
    found.finish()
}

/// `Federal Security Service` → `FSS`; small words are skipped.
fn initials(name: &str) -> impl Iterator<Item = char> + '_ {
    name.split(' ').filter(|w| !matches!(*w, "of" | "the" | "and" | "for" | "de")).filter_map(|w| w.chars().next())
}

/// [`LocalEntities`] being gathered: an entity is found by its full form,
/// else by its key; the first form added names it.
struct Grouping<'a> {
    names: String,
    entities: Vec<Stored>,
    by_full: FastMap<(EntityKind, &'a str), u32>,
    /// By kind and hash of the key (a collision is checked, see [`Grouping::find_key`]).
    by_key: FastMap<(EntityKind, u64), u32>,
    /// Each span with the entity it belongs to, in the order added.
    spans: Vec<(u32, (usize, usize))>,
}

impl<'a> Grouping<'a> {
    fn with_capacity(mentions: usize) -> Self {
        Grouping {
            names: String::with_capacity(mentions * 24),
            entities: Vec::with_capacity(mentions),
            by_full: FastMap::with_capacity_and_hasher(mentions, Default::default()),
            by_key: FastMap::with_capacity_and_hasher(mentions, Default::default()),
            spans: Vec::with_capacity(mentions),
        }
    }

    fn key(&self, entity: usize) -> &str {
        let start = if entity == 0 { 0 } else { self.entities[entity - 1].full_end as usize };
        &self.names[start..self.entities[entity].key_end as usize]
    }

    /// The entity of this kind whose key is `names[from..]`.
    fn find_key(&self, kind: EntityKind, from: usize) -> Option<u32> {
        let key = &self.names[from..];
        let hash = self.by_key.hasher().hash_one(key);
        match self.by_key.get(&(kind, hash)) {
            Some(&id) if self.key(id as usize) == key => Some(id),
            // Another key with the same hash: look through them all.
            Some(_) => (0..self.entities.len())
                .find(|&i| self.entities[i].kind == kind && self.key(i) == key)
                .map(|i| i as u32),
            None => None,
        }
    }

    fn add(&mut self, kind: EntityKind, full: &'a str, authoritative: bool, span: Option<(usize, usize)>) {
        let id = match self.by_full.get(&(kind, full)) {
            Some(&id) => id,
            None => {
                let from = self.names.len();
                normalize_into(full, &mut self.names);
                let id = match self.find_key(kind, from) {
                    Some(id) => {
                        self.names.truncate(from);
                        id
                    }
                    None => {
                        let hash = self.by_key.hasher().hash_one(&self.names[from..]);
                        let key_end = self.names.len() as u32;
                        self.names.push_str(full);
                        let id = self.entities.len() as u32;
                        self.entities.push(Stored {
                            kind,
                            authoritative,
                            key_end,
                            full_end: self.names.len() as u32,
                            spans_end: 0,
                        });
                        self.by_key.entry((kind, hash)).or_insert(id);
                        id
                    }
                };
                self.by_full.insert((kind, full), id);
                id
            }
        };
        if let Some(span) = span {
            self.spans.push((id, span));
        }
    }

    fn contains(&mut self, kind: EntityKind, name: &str) -> bool {
        let from = self.names.len();
        normalize_into(name, &mut self.names);
        let found = self.find_key(kind, from).is_some();
        self.names.truncate(from);
        found
    }

    /// The entities, each one's spans together in the order added.
    fn finish(mut self) -> LocalEntities {
        let mut ends = vec![0u32; self.entities.len()];
        for &(id, _) in &self.spans {
            ends[id as usize] += 1;
        }
        let mut total = 0;
        for (end, stored) in ends.iter_mut().zip(&mut self.entities) {
            total += *end;
            *end = total;
            stored.spans_end = total;
        }
        // Filled back to front, so that each entity's spans stay in order.
        let mut spans = vec![(0, 0); self.spans.len()];
        for &(id, span) in self.spans.iter().rev() {
            ends[id as usize] -= 1;
            spans[ends[id as usize] as usize] = span;
        }
        // Kept for the whole build (and by `serve` between edits): no spare room.
        self.names.shrink_to_fit();
        self.entities.shrink_to_fit();
        LocalEntities { names: self.names, entities: self.entities, spans }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_are_found_by_full_form_then_by_key_and_keep_their_spans_in_order() {
        let mut g = Grouping::with_capacity(4);
        g.add(EntityKind::Person, "Anton Herashchenko", false, Some((0, 18)));
        g.add(EntityKind::Place, "Kyiv", true, Some((20, 24)));
        g.add(EntityKind::Person, "anton  herashchenko", false, Some((30, 49)));
        g.add(EntityKind::Place, "Kyiv", false, Some((50, 54)));
        g.add(EntityKind::Organisation, "Kyiv", false, Some((60, 64)));
        g.add(EntityKind::Person, "Anton Herashchenko", false, Some((70, 88)));
        assert!(g.contains(EntityKind::Place, "KYIV"));
        assert!(!g.contains(EntityKind::Person, "Kyiv"));
        g.add(EntityKind::Person, "Oleksiy Danilov", false, None);
        let local = g.finish();
        let got: Vec<LocalEntity> = local.iter().collect();
        assert_eq!(local.len(), 4);
        assert_eq!(
            got[0],
            LocalEntity {
                kind: EntityKind::Person,
                key: "anton herashchenko",
                full: "Anton Herashchenko",
                authoritative: false,
                spans: &[(0, 18), (30, 49), (70, 88)],
            }
        );
        assert_eq!((got[1].full, got[1].authoritative, got[1].spans), ("Kyiv", true, &[(20, 24), (50, 54)][..]));
        assert_eq!((got[2].kind, got[2].spans), (EntityKind::Organisation, &[(60, 64)][..]));
        assert_eq!((got[3].key, got[3].spans), ("oleksiy danilov", &[][..]));
    }
}
