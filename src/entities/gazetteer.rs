//! Name lists compiled into the binary: places (GeoNames cities, countries,
//! US states, continents, with alternate names), demonyms, given names and
//! company suffixes. Sources and licences: `gazetteers/LICENSES.md`.

use super::tokenize::tokenize;
use crate::hash::{FastMap, FastSet, PreHashedMap, finish, hash_str, mix};

/// What kind of place a name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PlaceKind {
    /// A country.
    Country,
    /// A US state.
    State,
    /// A continent.
    Continent,
    /// A city of 15,000 people or more.
    City,
}

/// One place a name can refer to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// Its main English name (`Kyiv` for `Kiev`).
    pub canonical: String,
    /// Country, state, continent or city.
    pub kind: PlaceKind,
    /// Population, 0 when unknown.
    pub population: u64,
}

/// The built-in name lists.
#[derive(Debug, Default)]
pub struct Gazetteer {
    places: FastMap<String, Place>,
    demonyms: FastMap<String, String>,
    given_names: FastSet<String>,
    org_suffixes: FastSet<String>,
}

const PLACES: &str = include_str!("gazetteers/places.tsv");
const DEMONYMS: &str = include_str!("gazetteers/demonyms.tsv");
const GIVEN_NAMES: &str = include_str!("gazetteers/given_names.txt");
const ORG_SUFFIXES: &str = include_str!("gazetteers/org_suffixes.txt");

/// Common short forms the lists lack.
const EXTRA_PLACES: &[(&str, &str, PlaceKind)] = &[
    ("U.S.", "United States", PlaceKind::Country),
    ("US", "United States", PlaceKind::Country),
    ("USA", "United States", PlaceKind::Country),
    ("U.S.A.", "United States", PlaceKind::Country),
    ("UK", "United Kingdom", PlaceKind::Country),
    ("U.K.", "United Kingdom", PlaceKind::Country),
    ("Britain", "United Kingdom", PlaceKind::Country),
    ("Great Britain", "United Kingdom", PlaceKind::Country),
    ("England", "England", PlaceKind::Country),
    ("Scotland", "Scotland", PlaceKind::Country),
    ("Wales", "Wales", PlaceKind::Country),
    ("Northern Ireland", "Northern Ireland", PlaceKind::Country),
    ("Europe", "Europe", PlaceKind::Continent),
    ("Washington, D.C.", "Washington", PlaceKind::City),
    ("New York", "New York City", PlaceKind::City),
];

/// A hash of the name lists.
pub fn data_fingerprint() -> u64 {
    use std::hash::Hasher;
    let mut h = crate::hash::FastHasher::default();
    for data in [PLACES, DEMONYMS, GIVEN_NAMES, ORG_SUFFIXES] {
        h.write(data.as_bytes());
    }
    h.finish()
}

impl Gazetteer {
    /// Loads the lists compiled into the binary.
    pub fn builtin() -> Self {
        let mut g = Gazetteer::default();
        g.places.reserve(PLACES.bytes().filter(|&b| b == b'\n').count());
        for line in data_lines(PLACES) {
            let mut cols = line.split('\t');
            let (Some(name), Some(canonical), Some(kind), population) =
                (cols.next(), cols.next(), cols.next(), cols.next())
            else {
                continue;
            };
            let kind = match kind {
                "country" => PlaceKind::Country,
                "state" => PlaceKind::State,
                "continent" => PlaceKind::Continent,
                _ => PlaceKind::City,
            };
            let population = population.and_then(|p| p.parse().ok()).unwrap_or(0);
            g.add_place(name, Place { canonical: canonical.to_string(), kind, population });
        }
        for &(name, canonical, kind) in EXTRA_PLACES {
            g.places.insert(name.to_string(), Place { canonical: canonical.to_string(), kind, population: 0 });
        }
        for line in data_lines(DEMONYMS) {
            if let Some((demonym, country)) = line.split_once('\t') {
                g.demonyms.insert(demonym.to_string(), country.to_string());
            }
        }
        g.given_names = data_lines(GIVEN_NAMES).map(String::from).collect();
        g.org_suffixes = data_lines(ORG_SUFFIXES).map(str::to_lowercase).collect();
        g
    }

    /// Keeps the more important place when a name has several:
    /// country, then state, continent, city; among cities the most populous.
    fn add_place(&mut self, name: &str, place: Place) {
        match self.places.get(name) {
            Some(old)
                if (old.kind, std::cmp::Reverse(old.population))
                    <= (place.kind, std::cmp::Reverse(place.population)) => {}
            _ => {
                self.places.insert(name.to_string(), place);
            }
        }
    }

    /// The place a name refers to, if it is one.
    pub fn place(&self, name: &str) -> Option<&Place> {
        self.places.get(name)
    }

    /// The country of a demonym (`Ukrainian` → `Ukraine`).
    pub fn demonym(&self, word: &str) -> Option<&str> {
        self.demonyms.get(word).map(String::as_str)
    }

    /// Whether a word is a common English given name.
    pub fn is_given_name(&self, word: &str) -> bool {
        self.given_names.contains(word)
    }

    /// Whether a word is a company suffix (`Inc.`, `GmbH`), case-insensitive.
    /// One- and two-letter forms that are also words (`as`, `co`) only count
    /// when written with a capital.
    pub fn is_org_suffix(&self, word: &str) -> bool {
        let lower = word.to_lowercase();
        if lower.len() <= 2 && word == lower {
            return false;
        }
        self.org_suffixes.contains(&lower)
    }
}

fn data_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_and_alternate_names() {
        let g = Gazetteer::builtin();
        assert_eq!(g.place("Kiev").unwrap().canonical, "Kyiv");
        assert_eq!(g.place("Ukraine").unwrap().kind, PlaceKind::Country);
        assert_eq!(g.place("Georgia").unwrap().kind, PlaceKind::Country);
        assert_eq!(g.place("U.S.").unwrap().canonical, "United States");
        assert!(g.place("Iran").unwrap().canonical != g.place("Iraq").unwrap().canonical);
        assert!(g.place("Austria").unwrap().canonical != g.place("Australia").unwrap().canonical);
    }

    #[test]
    fn other_lists() {
        let g = Gazetteer::builtin();
        assert_eq!(g.demonym("Ukrainian"), Some("Ukraine"));
        assert!(g.is_given_name("Roman"));
        assert!(g.is_org_suffix("Inc."));
        assert!(g.is_org_suffix("GmbH"));
        assert!(!g.is_org_suffix("as"));
    }

    #[test]
    fn feature_index_marks_multi_word_names() {
        let index = Gazetteer::builtin().feature_index();
        let words = ["in", "New", "York", "City", "with", "John"];
        let mut marks = Vec::new();
        index.mark(&words, &mut marks);
        assert_ne!(marks[1] & (1 << (2 * list::CITY)), 0, "{marks:?}");
        assert_ne!(marks[3] & (1 << (2 * list::CITY + 1)), 0, "{marks:?}");
        assert_eq!(marks[0], 0);
        assert_ne!(marks[5] & (1 << (2 * list::GIVEN_NAME)), 0);
    }
}

/// Gazetteer evidence the tagger uses as features: for each token, which
/// lists a name covering it comes from, and whether the token begins it.
#[derive(Debug)]
pub struct GazetteerIndex {
    sequences: PreHashedMap<u16>,
    max_len: usize,
}

/// Lists a name can come from, as bit numbers of [`GazetteerIndex::mark`]'s output.
pub mod list {
    /// A country.
    pub const COUNTRY: u16 = 0;
    /// A city.
    pub const CITY: u16 = 1;
    /// A US state.
    pub const STATE: u16 = 2;
    /// A continent.
    pub const CONTINENT: u16 = 3;
    /// A demonym.
    pub const DEMONYM: u16 = 4;
    /// A given name.
    pub const GIVEN_NAME: u16 = 5;
    /// A company suffix.
    pub const ORG_SUFFIX: u16 = 6;
    /// Number of lists.
    pub const COUNT: u16 = 7;
}

const SEQ_SEED: u64 = 0x5e9;

/// Flag of a word sequence in [`GazetteerIndex`] that begins a longer name.
const CONTINUES: u16 = 1 << 15;

fn sequence_hash<'a>(words: impl Iterator<Item = &'a str>) -> u64 {
    words.fold(SEQ_SEED, |h, w| mix(h, finish(hash_str(SEQ_SEED, w))))
}

impl Gazetteer {
    /// Builds the token-sequence index used for tagger features.
    pub fn feature_index(&self) -> GazetteerIndex {
        let mut index = GazetteerIndex { sequences: PreHashedMap::default(), max_len: 1 };
        index.sequences.reserve(self.places.len() + self.demonyms.len() + self.given_names.len());
        let (mut tokens, mut sentences) = (Vec::new(), Vec::new());
        let mut add = |name: &str, bit: u16, index: &mut GazetteerIndex| {
            tokenize(name, &mut tokens, &mut sentences);
            if tokens.is_empty() || tokens.len() > 6 {
                return;
            }
            index.max_len = index.max_len.max(tokens.len());
            let mut h = SEQ_SEED;
            for (i, token) in tokens.iter().enumerate() {
                h = mix(h, finish(hash_str(SEQ_SEED, token.text(name))));
                let flag = if i + 1 == tokens.len() { 1 << bit } else { CONTINUES };
                *index.sequences.entry(h).or_default() |= flag;
            }
            debug_assert_eq!(h, sequence_hash(tokens.iter().map(|t| t.text(name))));
        };
        for (name, place) in &self.places {
            let bit = match place.kind {
                PlaceKind::Country => list::COUNTRY,
                PlaceKind::City => list::CITY,
                PlaceKind::State => list::STATE,
                PlaceKind::Continent => list::CONTINENT,
            };
            add(name, bit, &mut index);
        }
        for name in self.demonyms.keys() {
            add(name, list::DEMONYM, &mut index);
        }
        for name in &self.given_names {
            add(name, list::GIVEN_NAME, &mut index);
        }
        for suffix in &self.org_suffixes {
            // Suffixes are stored lowercase; match their usual capitalised forms.
            let mut cap = suffix.clone();
            if let Some(first) = cap.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            add(&cap, list::ORG_SUFFIX, &mut index);
            add(&suffix.to_uppercase(), list::ORG_SUFFIX, &mut index);
        }
        index
    }
}

impl GazetteerIndex {
    /// For each word, a bit mask: bit `2 * list` when a name from that list
    /// starts at the word, bit `2 * list + 1` when it continues through it.
    /// Only names starting with a capital letter are matched.
    pub fn mark(&self, words: &[&str], out: &mut Vec<u16>) {
        out.clear();
        out.resize(words.len(), 0);
        for start in 0..words.len() {
            if !words[start].chars().next().is_some_and(char::is_uppercase) {
                continue;
            }
            let mut h = SEQ_SEED;
            for len in 1..=self.max_len.min(words.len() - start) {
                h = mix(h, finish(hash_str(SEQ_SEED, words[start + len - 1])));
                let Some(&lists) = self.sequences.get(&h) else {
                    // No name starts with these words: none is longer either.
                    break;
                };
                for bit in 0..list::COUNT {
                    if lists & (1 << bit) != 0 {
                        out[start] |= 1 << (2 * bit);
                        for o in &mut out[start + 1..start + len] {
                            *o |= 1 << (2 * bit + 1);
                        }
                    }
                }
                if lists & CONTINUES == 0 {
                    break;
                }
            }
        }
    }
}
