//! One article's mentions grouped into its entities, before merging across
//! the archive: each mention's name is cleaned first ([`names`]); then a
//! surname or first name alone joins the full name used in the same
//! article, an acronym the organisation it abbreviates, a place its
//! gazetteer name, and a name the owner's canonical form. Each entity keeps
//! the evidence for it: the tagger's best confidence, its votes for each
//! kind, and whether it was ever seen as a whole name rather than a piece
//! of a longer one.

use std::hash::BuildHasher;

use super::names::{self, ArticleNames, Candidate};
use crate::archive::Spans;
use crate::content::Article;
use crate::entities::gazetteer::PlaceKind;
use crate::entities::overrides::EntityOverrides;
use crate::entities::{Gazetteer, Mention};
use crate::entity_kind::EntityKind;
use crate::hash::FastMap;
use crate::text::normalize_into;

/// The entities of one article before merging across the archive: what
/// [`local_entities`] finds, kept by `serve` between edits.
///
/// Stored flat, names end to end in one string and spans entity after
/// entity, so that an article's entities take three allocations, not three
/// each: an archive has hundreds of thousands of them.
#[derive(Debug, Clone, Default)]
pub struct LocalEntities {
    /// Each entity's key, its canonical name (may be empty), then its full
    /// form, entity after entity.
    names: String,
    entities: Vec<Stored>,
    /// Each entity's spans, entity after entity (as [`Spans`] stores them).
    spans: Vec<(u32, u32)>,
}

/// Where one entity's parts end in [`LocalEntities`] (they start where
/// the previous entity's end), and its evidence.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Stored {
    kind: EntityKind,
    owner: bool,
    whole: bool,
    confidence: u8,
    kind_votes: [f32; 4],
    key_end: u32,
    canonical_end: u32,
    full_end: u32,
    spans_end: u32,
}

/// An entity as seen in one article, before merging across the archive.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalEntity<'a> {
    /// Person, place, organisation.
    pub kind: EntityKind,
    /// Merge key of the canonical name, else of the full form ([`crate::text::normalize`]).
    pub key: &'a str,
    /// The full form used in this article: the longest way it names the
    /// entity ("Volodymyr Zelensky" for a later "Zelensky"), as written.
    pub full: &'a str,
    /// The owner's or the gazetteer's canonical name, when it has one.
    pub canonical: Option<&'a str>,
    /// Whether `canonical` comes from the owner's entities file.
    pub owner: bool,
    /// Whether some mention is a whole name, not a piece of a longer one.
    pub whole: bool,
    /// The tagger's best confidence in a whole mention, 0 to 255 (255 for
    /// names the author or owner declared).
    pub confidence: u8,
    /// The mentions' votes for each kind (person, place, organisation,
    /// misc): the sum of their kind probabilities.
    pub kind_votes: [f32; 4],
    /// Spans of the mentions (the forms as written), in [`Article::entity_text`],
    /// in the order of the text; empty for a declared name the text never spells.
    pub spans: Spans<'a>,
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
            let canonical = &self.names[s.key_end as usize..s.canonical_end as usize];
            LocalEntity {
                kind: s.kind,
                key: &self.names[names..s.key_end as usize],
                full: &self.names[s.canonical_end as usize..s.full_end as usize],
                canonical: (!canonical.is_empty()).then_some(canonical),
                owner: s.owner,
                whole: s.whole,
                confidence: s.confidence,
                kind_votes: s.kind_votes,
                spans: Spans::of(&self.spans[spans..s.spans_end as usize]),
            }
        })
    }
}

/// Whether a found name can be an entity at all: two letters or more, and a capital.
fn plausible_name(name: &str) -> bool {
    name.chars().filter(|c| c.is_alphabetic()).count() >= 2 && name.chars().any(char::is_uppercase)
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
    let joined = names::join_split_names(text, mentions, gazetteer);
    let known = ArticleNames::new(text, &joined);
    let mut candidates: Vec<Candidate> = Vec::with_capacity(joined.len());
    let mut words = Vec::new();
    for m in &joined {
        names::clean(text, m, &known, gazetteer, &mut words, &mut candidates);
    }
    // A name cleaning made longer may now cover its neighbour: the longer stays.
    candidates.sort_by_key(|c| (c.mention.start, std::cmp::Reverse(c.mention.end)));
    candidates.dedup_by(|later, kept| later.mention.start < kept.mention.end);
    let cleaned: Vec<Mention> = candidates.iter().map(|c| c.mention).collect();
    let mentions = cleaned.as_slice();
    let full_people = FullPeople::new(mentions.iter().filter(|m| m.kind == EntityKind::Person).map(|m| m.text(text)));
    // Organisations of several words by their initials ("FSS"), the first one named.
    let mut full_orgs: FastMap<String, &str> = FastMap::default();
    for m in mentions.iter().filter(|m| m.kind == EntityKind::Organisation && m.text(text).contains(' ')) {
        full_orgs.entry(initials(m.text(text)).collect()).or_insert(m.text(text));
    }
    // "Federal Security Service (FSB)": an acronym in brackets after a name.
    let mut expansions: FastMap<&str, &str> = FastMap::default();
    for pair in mentions.windows(2) {
        let (name, acronym) = (&pair[0], &pair[1]);
        if name.kind == EntityKind::Organisation
            && text.get(name.end..acronym.start).is_some_and(|gap| gap.trim() == "(")
        {
            expansions.insert(acronym.text(text), name.text(text));
        }
    }
    // One name, one kind within an article: the kind its mentions' votes favour.
    let mut votes: FastMap<&str, [f32; 4]> = FastMap::with_capacity_and_hasher(mentions.len(), Default::default());
    for m in mentions {
        let v = votes.entry(m.text(text)).or_default();
        if m.kind == EntityKind::Misc {
            v[3] += 1.0;
        } else {
            for (slot, w) in v.iter_mut().zip(m.kind_weights) {
                *slot += f32::from(w) / 255.0;
            }
        }
    }
    let voted_kind = |m: &Mention| -> EntityKind {
        let v = votes[m.text(text)];
        // Ties go to places, then organisations, then people.
        let best = (0..4).max_by(|&a, &b| v[a].total_cmp(&v[b]).then([1, 3, 2, 0][a].cmp(&[1, 3, 2, 0][b])));
        [EntityKind::Person, EntityKind::Place, EntityKind::Organisation, EntityKind::Misc]
            [best.unwrap_or(m.kind as usize)]
    };
    let mut found = Grouping::with_capacity(mentions.len());
    for c in &candidates {
        let m = &c.mention;
        let surface = m.text(text);
        let seen = Seen::of(c);
        if !plausible_name(surface) || overrides.is_ignored(surface) {
            continue;
        }
        if let Some(owned) = overrides.canonical(surface) {
            let kind = owned.kind.unwrap_or(m.kind);
            if kind != EntityKind::Misc {
                found.add(kind, &owned.name, Some((&owned.name, true)), Seen { whole: true, confidence: 255, ..seen });
            }
            continue;
        }
        let single = !surface.contains(' ');
        let mut kind = voted_kind(m);
        // "Moscow said": a known place tagged as an organisation is the place.
        if kind == EntityKind::Organisation && single && gazetteer.place(surface).is_some() {
            kind = EntityKind::Place;
        }
        // The longer name of a person here that this one ends (else
        // begins): "Zelensky", "Rivera Schatz", "De Blasio"; "Leon" for
        // Leon van Biljon.
        let full_name = || full_people.longer(surface);
        // A country's or state's name stays a place even when a person here bears it.
        let big_place = || gazetteer.place(surface).is_some_and(|p| p.kind != PlaceKind::City);
        let (kind, full) = match kind {
            EntityKind::Misc => continue,
            // A lone word that is the surname (or first name) of a person here is that person.
            _ if single && !big_place() && full_name().is_some() => {
                (EntityKind::Person, full_name().unwrap_or(surface))
            }
            EntityKind::Person => (EntityKind::Person, full_name().unwrap_or(surface)),
            EntityKind::Organisation if single => {
                let full = expansions.get(surface).copied().or_else(|| full_orgs.get(surface).copied());
                (EntityKind::Organisation, full.unwrap_or(surface))
            }
            kind => (kind, surface),
        };
        if let Some(owned) = overrides.canonical(full) {
            let kind = owned.kind.unwrap_or(kind);
            found.add(kind, full, Some((&owned.name, true)), Seen { whole: true, confidence: 255, ..seen });
            continue;
        }
        match gazetteer.place(full).filter(|_| kind == EntityKind::Place) {
            Some(place) => found.add(kind, full, Some((&place.canonical, false)), seen),
            None => found.add(kind, full, None, seen),
        }
    }
    // Declared names the text never spells out still belong to the article.
    for declared in &article.declared_entities {
        if declared.kind != EntityKind::Misc && !found.contains(declared.kind, &declared.name) {
            let mut votes = [0.0; 4];
            votes[declared.kind as usize] = 1.0;
            let seen = Seen { span: None, whole: true, confidence: 255, kind_votes: votes };
            found.add(declared.kind, &declared.name, None, seen);
        }
    }
    found.finish()
}

/// What one mention adds to its entity: its span and evidence.
#[derive(Debug, Clone, Copy)]
struct Seen {
    span: Option<(usize, usize)>,
    whole: bool,
    confidence: u8,
    kind_votes: [f32; 4],
}

impl Seen {
    fn of(c: &Candidate) -> Seen {
        let m = &c.mention;
        let mut kind_votes = m.kind_weights.map(|w| f32::from(w) / 255.0);
        if m.kind == EntityKind::Misc {
            kind_votes = [0.0, 0.0, 0.0, 1.0];
        }
        Seen {
            span: Some((m.start, m.end)),
            whole: !c.fragment,
            confidence: if c.fragment { 0 } else { m.confidence },
            kind_votes,
        }
    }
}

/// The full names of people in one article, found by the words they end
/// with, begin with or hold, so that a short name finds its longer one in
/// one lookup however many names the article has.
struct FullPeople<'t> {
    /// Each proper word suffix ("Trump" of "Donald Trump") to the first name ending so.
    ending: FastMap<&'t str, &'t str>,
    /// Each proper word prefix ("Leon" of "Leon van Biljon") to the first name beginning so.
    beginning: FastMap<&'t str, &'t str>,
    /// Each word but the first ("Rosselló" of "Ricardo Rosselló Nevares").
    holding: FastMap<&'t str, &'t str>,
}

impl<'t> FullPeople<'t> {
    /// Indexes the names of people (names of one word are no full names).
    fn new(names: impl Iterator<Item = &'t str>) -> Self {
        let mut people =
            FullPeople { ending: FastMap::default(), beginning: FastMap::default(), holding: FastMap::default() };
        for full in names {
            for (at, _) in full.match_indices(' ') {
                people.ending.entry(&full[at + 1..]).or_insert(full);
                people.beginning.entry(&full[..at]).or_insert(full);
                let word = full[at + 1..].split(' ').next().unwrap_or("");
                people.holding.entry(word).or_insert(full);
            }
        }
        people
    }

    /// The longer name of a person here that `name` ends ("Zelensky",
    /// "Rivera Schatz"), else that it is a later word of, when one word
    /// ("Rosselló"), else that it begins ("Leon").
    fn longer(&self, name: &str) -> Option<&'t str> {
        self.ending
            .get(name)
            .or_else(|| if name.contains(' ') { None } else { self.holding.get(name) })
            .or_else(|| self.beginning.get(name))
            .copied()
    }
}

/// `Federal Security Service` → `FSS`; small words are skipped.
fn initials(name: &str) -> impl Iterator<Item = char> + '_ {
    name.split(' ').filter(|w| !matches!(*w, "of" | "the" | "and" | "for" | "de")).filter_map(|w| w.chars().next())
}

/// [`LocalEntities`] being gathered: an entity is found by its full form,
/// else by its key (of its canonical name when it has one); the first form
/// added names it.
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

    /// Adds a mention of `full` (and its `canonical` name, with whether the
    /// owner gave it).
    fn add(&mut self, kind: EntityKind, full: &'a str, canonical: Option<(&'a str, bool)>, seen: Seen) {
        let id = match self.by_full.get(&(kind, full)) {
            Some(&id) => id,
            None => {
                let from = self.names.len();
                normalize_into(canonical.map_or(full, |c| c.0), &mut self.names);
                let id = match self.find_key(kind, from) {
                    Some(id) => {
                        self.names.truncate(from);
                        id
                    }
                    None => {
                        let hash = self.by_key.hasher().hash_one(&self.names[from..]);
                        let key_end = self.names.len() as u32;
                        self.names.push_str(canonical.map_or("", |c| c.0));
                        let canonical_end = self.names.len() as u32;
                        self.names.push_str(full);
                        let id = self.entities.len() as u32;
                        self.entities.push(Stored {
                            kind,
                            owner: canonical.is_some_and(|c| c.1),
                            whole: false,
                            confidence: 0,
                            kind_votes: [0.0; 4],
                            key_end,
                            canonical_end,
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
        let stored = &mut self.entities[id as usize];
        stored.whole |= seen.whole;
        stored.confidence = stored.confidence.max(seen.confidence);
        for (total, vote) in stored.kind_votes.iter_mut().zip(seen.kind_votes) {
            *total += vote;
        }
        if let Some(span) = seen.span {
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
            spans[ends[id as usize] as usize] = Spans::pack(span);
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
    fn any_mentions_at_word_boundaries_give_valid_spans_without_panicking() {
        let gazetteer = Gazetteer::builtin();
        let text = "The Pacific Gas and Electric Company (PG&E) of San Francisco and Senator Kamala Harris Image: \
                    Gage Skidmore. Ukraine-Belarus talks, Trump vs Biden, the Hungarian Defence Forces of the \
                    Republic of Ireland, Leon van Biljon and the University of the South Pacific's Mr. Ng.";
        let (base, _) = crate::resolve::tests::article_of(1, text);
        let bounds: Vec<usize> = std::iter::once(0)
            .chain(text.char_indices().filter(|&(_, c)| c == ' ').flat_map(|(i, _)| [i, i + 1]))
            .chain(std::iter::once(text.len()))
            .collect();
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let kinds = [EntityKind::Person, EntityKind::Place, EntityKind::Organisation, EntityKind::Misc];
        for _ in 0..2000 {
            let mut cuts: Vec<usize> = (0..next(12)).map(|_| bounds[next(bounds.len())]).collect();
            cuts.sort_unstable();
            cuts.dedup();
            let mentions: Vec<Mention> = cuts
                .chunks_exact(2)
                .filter(|p| p[0] < p[1])
                .map(|p| Mention {
                    kind: kinds[next(4)],
                    confidence: next(256) as u8,
                    ..Mention::certain(p[0], p[1], kinds[next(4)])
                })
                .collect();
            let local = local_entities(&base, &mentions, &gazetteer, &EntityOverrides::default());
            for e in local.iter() {
                for (start, end) in e.spans.iter() {
                    assert!(start < end && text.get(start..end).is_some(), "{start}..{end} of {mentions:?}");
                }
            }
        }
    }

    #[test]
    fn entities_are_found_by_full_form_then_by_key_and_keep_their_spans_in_order() {
        let seen = |span: Option<(usize, usize)>, confidence: u8| Seen {
            span,
            whole: confidence > 0,
            confidence,
            kind_votes: [0.5, 0.5, 0.0, 0.0],
        };
        let mut g = Grouping::with_capacity(4);
        g.add(EntityKind::Person, "Anton Herashchenko", None, seen(Some((0, 18)), 0));
        g.add(EntityKind::Place, "Kiev", Some(("Kyiv", false)), seen(Some((20, 24)), 200));
        g.add(EntityKind::Person, "anton  herashchenko", None, seen(Some((30, 49)), 100));
        g.add(EntityKind::Place, "Kyiv", None, seen(Some((50, 54)), 90));
        g.add(EntityKind::Organisation, "Kyiv", None, seen(Some((60, 64)), 80));
        g.add(EntityKind::Person, "Anton Herashchenko", None, seen(Some((70, 88)), 0));
        assert!(g.contains(EntityKind::Place, "KYIV"));
        assert!(!g.contains(EntityKind::Person, "Kyiv"));
        g.add(EntityKind::Person, "Oleksiy Danilov", None, seen(None, 255));
        let local = g.finish();
        let got: Vec<LocalEntity> = local.iter().collect();
        assert_eq!(local.len(), 4);
        assert_eq!(
            got[0],
            LocalEntity {
                kind: EntityKind::Person,
                key: "anton herashchenko",
                full: "Anton Herashchenko",
                canonical: None,
                owner: false,
                whole: true,
                confidence: 100,
                kind_votes: [1.5, 1.5, 0.0, 0.0],
                spans: Spans::of(&[(0, 18), (30, 49), (70, 88)]),
            }
        );
        assert_eq!(
            (got[1].full, got[1].canonical, got[1].confidence, got[1].spans),
            ("Kiev", Some("Kyiv"), 200, Spans::of(&[(20, 24), (50, 54)]))
        );
        assert_eq!((got[2].kind, got[2].spans), (EntityKind::Organisation, Spans::of(&[(60, 64)])));
        assert_eq!((got[3].key, got[3].spans), ("oleksiy danilov", Spans::of(&[])));
    }
}
