//! A surname or first name alone, in an article that never gives the full
//! name, across the archive: "Trump" joins "Donald Trump" when one person
//! of that surname clearly dominates the archive's mentions in that period,
//! while Melania, Ivanka and Mary Trump keep their own pages. A plural
//! ("the Bidens") reads as the surname. A short name that no one person
//! dominates stays apart (and gets no page: see [`super::evidence`]).

use chrono::NaiveDate;

use super::{LocalEntities, ends_with_words, starts_with_words};
use crate::content::Article;
use crate::entity_kind::EntityKind;
use crate::hash::FastMap;

/// How far around an article's date the full names are counted.
const PERIOD_DAYS: i64 = 366;

/// The share of the full names' mentions in the period that one of them
/// needs to take a short name.
const DOMINANCE: f64 = 0.75;

/// The most people sharing a surname or first name among whom one is
/// looked for (past that, none dominates in prose).
const MAX_SHARING: usize = 2000;

/// One full name's use across the archive.
#[derive(Debug)]
struct Usage<'a> {
    key: &'a str,
    full: &'a str,
    /// Dates of its articles (sorted), with the mentions in each.
    dates: Vec<(NaiveDate, u32)>,
}

impl Usage<'_> {
    fn mentions_between(&self, from: NaiveDate, to: NaiveDate) -> u64 {
        let start = self.dates.partition_point(|(d, _)| *d < from);
        let end = self.dates.partition_point(|(d, _)| *d <= to);
        self.dates[start..end].iter().map(|&(_, n)| u64::from(n)).sum()
    }
}

/// The archive's full names of people (two words or more), by their last
/// and by their first word.
#[derive(Debug, Default)]
pub struct FullNames<'a> {
    usages: Vec<Usage<'a>>,
    by_last: FastMap<&'a str, Vec<usize>>,
    by_first: FastMap<&'a str, Vec<usize>>,
}

impl<'a> FullNames<'a> {
    /// Gathers the full names of people of every article.
    pub fn new(articles: &[std::sync::Arc<Article>], local: &'a [std::sync::Arc<LocalEntities>]) -> Self {
        let mut names = FullNames::default();
        let mut by_key: FastMap<&'a str, usize> = FastMap::default();
        for (article, entities) in articles.iter().zip(local) {
            for e in entities.iter() {
                if e.kind != EntityKind::Person || !e.key.contains(' ') || e.spans.is_empty() {
                    continue;
                }
                let id = *by_key.entry(e.key).or_insert_with(|| {
                    names.usages.push(Usage { key: e.key, full: e.full, dates: Vec::new() });
                    names.usages.len() - 1
                });
                names.usages[id].dates.push((article.day_key(), e.spans.len() as u32));
            }
        }
        for (id, usage) in names.usages.iter_mut().enumerate() {
            usage.dates.sort_unstable();
            let mut words = usage.key.split(' ');
            if let Some(first) = words.next() {
                names.by_first.entry(first).or_default().push(id);
            }
            // Every word but the first: "Rosselló" is Ricardo Rosselló Nevares.
            for word in usage.key.split(' ').skip(1) {
                names.by_last.entry(word).or_default().push(id);
            }
        }
        names
    }

    /// The full name (its key and form) a short name means in an article
    /// of `date`: the one person whose name ends (else begins) with it and
    /// who takes most of the mentions of all such people in the period.
    /// `key` is a merge key: a surname ("trump", "de blasio"), a plural
    /// ("trumps") or a first name ("melania").
    pub fn resolve(&self, key: &str, date: NaiveDate) -> Option<(&'a str, &'a str)> {
        let last = key.rsplit(' ').next().unwrap_or(key);
        let first = key.split(' ').next().unwrap_or(key);
        let surname =
            |k: &str| ends_with_words(k, key) || (!key.contains(' ') && k.split(' ').skip(1).any(|w| w == key));
        if let Some(found) = self.by_last.get(last).and_then(|ids| self.dominant(ids, date, surname)) {
            return Some(found);
        }
        if !key.contains(' ')
            && let Some(stem) = key.strip_suffix('s').filter(|stem| stem.len() >= 3)
            && let Some(found) =
                self.by_last.get(stem).and_then(|ids| self.dominant(ids, date, |k| ends_with_words(k, stem)))
        {
            return Some(found);
        }
        self.by_first.get(first).and_then(|ids| self.dominant(ids, date, |k| starts_with_words(k, key)))
    }

    /// [`FullNames::resolve`] remembered for the same key and day, which
    /// the articles of one day share.
    pub fn resolve_cached(
        &self,
        key: &'a str,
        date: NaiveDate,
        cache: &mut FastMap<(&'a str, NaiveDate), Option<(&'a str, &'a str)>>,
    ) -> Option<(&'a str, &'a str)> {
        *cache.entry((key, date)).or_insert_with(|| self.resolve(key, date))
    }

    /// Whether a word is the last or first word of a full name of the archive.
    pub fn is_part_of_a_full_name(&self, word: &str) -> bool {
        self.by_last.contains_key(word) || self.by_first.contains_key(word)
    }

    fn dominant(&self, ids: &[usize], date: NaiveDate, fits: impl Fn(&str) -> bool) -> Option<(&'a str, &'a str)> {
        // So many people share the word that the text is no prose (names
        // run together): no one is looked for, so that each name costs a
        // bounded scan.
        if ids.len() > MAX_SHARING {
            return None;
        }
        // Undated articles all share the earliest day: the window stops at the calendar's ends.
        let period = chrono::Days::new(PERIOD_DAYS as u64);
        let from = date.checked_sub_days(period).unwrap_or(NaiveDate::MIN);
        let to = date.checked_add_days(period).unwrap_or(NaiveDate::MAX);
        let counts: Vec<(u64, usize)> = ids
            .iter()
            .filter(|&&id| fits(self.usages[id].key))
            .map(|&id| (self.usages[id].mentions_between(from, to), id))
            .collect();
        let total: u64 = counts.iter().map(|c| c.0).sum();
        let &(best, id) = counts.iter().max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))?;
        (best > 0 && best as f64 >= DOMINANCE * total as f64).then(|| (self.usages[id].key, self.usages[id].full))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::tests::{archive_of, marked_day};

    fn resolve_in(texts: &[(u32, &str)], word: &str, day: u32) -> Option<String> {
        let (articles, local) = archive_of(texts);
        let names = FullNames::new(&articles, &local);
        names.resolve(word, marked_day(day)).map(|(_, full)| full.to_string())
    }

    #[test]
    fn a_surname_alone_joins_the_person_who_dominates_it() {
        let texts = [
            (1, "[Donald Trump|P] spoke. [Donald Trump|P] left."),
            (2, "[Donald Trump|P] and [Melania Trump|P] arrived."),
            (3, "[Donald Trump|P] again."),
        ];
        assert_eq!(resolve_in(&texts, "trump", 4).as_deref(), Some("Donald Trump"));
        assert_eq!(resolve_in(&texts, "trumps", 4).as_deref(), Some("Donald Trump"), "a plural");
        assert_eq!(resolve_in(&texts, "melania", 4).as_deref(), Some("Melania Trump"), "a first name");
        assert_eq!(resolve_in(&texts, "pence", 4), None);
        let texts = [(1, "[Bill de Blasio|P] spoke."), (2, "[Thomas Rivera Schatz|P] spoke.")];
        assert_eq!(resolve_in(&texts, "de blasio", 3).as_deref(), Some("Bill de Blasio"), "a surname of two words");
        assert_eq!(resolve_in(&texts, "rivera schatz", 3).as_deref(), Some("Thomas Rivera Schatz"));
        assert_eq!(resolve_in(&texts, "blasio", 3).as_deref(), Some("Bill de Blasio"));
        let texts = [(1, "[Ricardo Rosselló Nevares|P] resigned.")];
        assert_eq!(resolve_in(&texts, "rossello", 2).as_deref(), Some("Ricardo Rosselló Nevares"), "a first surname");
    }

    #[test]
    fn no_one_dominates_two_people_of_the_same_surname() {
        let texts = [(1, "[Anna Smith|P] and [John Smith|P] met."), (2, "[John Smith|P] and [Anna Smith|P] left.")];
        assert_eq!(resolve_in(&texts, "smith", 3), None);
    }

    #[test]
    fn only_the_period_around_the_article_counts() {
        // Day 400 is over a year after day 1.
        let texts = [(1, "[Joe Biden|P] spoke."), (400, "[Hunter Biden|P] spoke. [Hunter Biden|P] left.")];
        assert_eq!(resolve_in(&texts, "biden", 2).as_deref(), Some("Joe Biden"));
        assert_eq!(resolve_in(&texts, "biden", 401).as_deref(), Some("Hunter Biden"));
    }
}
