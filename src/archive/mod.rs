//! The archive: every article in date order, every entity with the articles
//! that mention it, and the indexes pages are made from. Built once by
//! [`resolve`](crate::resolve::resolve); knows nothing of templates.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};

use crate::content::{Article, Precision, PubDate};
use crate::entity_kind::EntityKind;

mod article_entities;
mod page_mentions;
pub mod related;
pub mod threads;

pub use article_entities::{ArticleEntities, ArticleEntity, Span, Spans};
pub use page_mentions::{PageMention, PageMentions, RelatedCounts};
pub use threads::{Thread, ThreadId};

/// Why an entity has no page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoPage {
    /// Its kind has no pages (nationalities, events, works).
    Kind,
    /// Fewer articles mention it than `[entities] min_articles`.
    FewArticles,
    /// It was only ever seen as part of a longer name.
    Fragment,
    /// A surname or first name alone that no one full name in the archive
    /// explains.
    ShortName,
    /// A generic name ("Interior Ministry", "Air Force") that few articles
    /// use: which ministry, whose air force?
    Generic,
    /// The evidence stays below `[entities] min_confidence`.
    LowConfidence,
}

impl NoPage {
    /// What the reason means, for people.
    pub fn explain(self) -> &'static str {
        match self {
            NoPage::Kind => "names of this kind get no page",
            NoPage::FewArticles => "fewer articles mention it than [entities] min_articles",
            NoPage::Fragment => "only seen as part of a longer name",
            NoPage::ShortName => "a surname or first name alone, and no one person of the archive has it",
            NoPage::Generic => "a generic name (which ministry, whose air force?) in fewer than 3 articles",
            NoPage::LowConfidence => "the evidence is below [entities] min_confidence",
        }
    }
}

/// Index of an article in [`Archive::articles`].
pub type ArticleId = usize;
/// Index of an entity in [`Archive::entities`].
pub type EntityId = usize;

/// A person, place or organisation, merged across the archive.
#[derive(Debug, Clone)]
pub struct Entity {
    /// Its kind.
    pub kind: EntityKind,
    /// The canonical name.
    pub name: String,
    /// URL segment, unique within its kind.
    pub slug: String,
    /// Other spellings seen, most frequent first.
    pub aliases: Vec<String>,
    /// Articles that mention it, oldest first.
    pub articles: Vec<ArticleId>,
    /// Mentions in all articles.
    pub mention_count: usize,
    /// Whether it gets a page (its kind has pages and the evidence carries it).
    pub has_page: bool,
    /// The estimated probability that a page for it is right.
    pub confidence: f32,
    /// Its mentions' votes for each kind (person, place, organisation,
    /// misc): the sum of the tagger's probabilities.
    pub kind_votes: [f32; 4],
    /// Why it has no page, when it has none.
    pub no_page: Option<NoPage>,
    /// A line about it from the entities file, shown on its page.
    pub description: Option<String>,
}

/// Index of a section in [`Archive::sections`].
pub type SectionId = usize;

/// A section of the archive (a folder or a `section` field): its articles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Its display name.
    pub name: String,
    /// URL segment, unique among sections.
    pub slug: String,
    /// Its articles, in archive order.
    pub articles: Vec<ArticleId>,
}

/// Everything the renderer needs.
#[derive(Debug, Default)]
pub struct Archive {
    /// Articles sorted by date (undated first), then title, then source path.
    pub articles: Vec<Arc<Article>>,
    /// Entities of each article, in order of first mention.
    pub article_entities: Vec<ArticleEntities>,
    /// All entities, sorted by kind then name.
    pub entities: Vec<Entity>,
    /// Articles dated to the day, by day, in archive order.
    pub days: BTreeMap<NaiveDate, Vec<ArticleId>>,
    /// Articles dated only to the month, by month.
    pub month_only: BTreeMap<(i32, u32), Vec<ArticleId>>,
    /// Articles dated only to the year, by year.
    pub year_only: BTreeMap<i32, Vec<ArticleId>>,
    /// Articles without a date, in archive order (sorted by title).
    pub undated: Vec<ArticleId>,
    /// Sections, sorted by name.
    pub sections: Vec<Section>,
    /// The section of each article.
    pub article_sections: Vec<Option<SectionId>>,
    /// Each article's related articles, best first (see [`related`]).
    pub related: Vec<Vec<ArticleId>>,
    /// Story threads, in order of their first article (see [`threads`]).
    pub threads: Vec<Thread>,
    /// The thread of each article, if it is in one.
    pub article_threads: Vec<Option<ThreadId>>,
}

impl Archive {
    /// Site-relative path of an article page: `2022/02/28/slug/` (or
    /// `2022/02/slug/`, `2022/slug/` for dates known to the month or
    /// year; `undated/slug/` without a date).
    pub fn article_path(&self, id: ArticleId) -> String {
        let a = &self.articles[id];
        format!("{}{}/", article_folder(a.date), a.slug)
    }

    /// Site-relative path of a section's page: `sections/business/`.
    pub fn section_path(&self, id: SectionId) -> String {
        section_path(&self.sections[id].slug)
    }

    /// Site-relative path of an entity page: `people/slug/`, if it has one.
    pub fn entity_path(&self, id: EntityId) -> Option<String> {
        let e = &self.entities[id];
        if !e.has_page {
            return None;
        }
        e.kind.section().map(|s| format!("{s}/{}/", e.slug))
    }

    /// Each year of an entity's dated articles, oldest first, with the
    /// range of its article list ([`Entity::articles`], oldest first) that
    /// year takes: ids follow dates (undated first), so a year's articles
    /// are one run, found by binary search (O(years · log n)).
    pub fn entity_years(&self, id: EntityId) -> Vec<(i32, std::ops::Range<usize>)> {
        use chrono::Datelike;
        let list = &self.entities[id].articles;
        let year = |aid: ArticleId| self.articles[aid].date.map(|d| d.first_day.year());
        let mut years = Vec::new();
        let mut start = list.partition_point(|&aid| year(aid).is_none());
        while let Some(&first) = list.get(start) {
            let Some(y) = year(first) else { break };
            let end = start + list[start..].partition_point(|&aid| year(aid) == Some(y));
            years.push((y, start..end));
            start = end;
        }
        years
    }

    /// The months with articles (dated to the day or to the month), in
    /// calendar order, each with its days that have articles.
    pub fn months(&self) -> BTreeMap<(i32, u32), Vec<NaiveDate>> {
        let mut months: BTreeMap<(i32, u32), Vec<NaiveDate>> =
            self.month_only.keys().map(|&m| (m, Vec::new())).collect();
        for &day in self.days.keys() {
            months.entry((day.year(), day.month())).or_default().push(day);
        }
        months
    }

    /// The years with articles, in order.
    pub fn years(&self) -> Vec<i32> {
        let mut years: Vec<i32> = self
            .days
            .keys()
            .map(|d| d.year())
            .chain(self.month_only.keys().map(|&(y, _)| y))
            .chain(self.year_only.keys().copied())
            .collect();
        years.sort_unstable();
        years.dedup();
        years
    }

    /// The articles of a month: those dated only to the month, then those of its days.
    pub fn month_articles(&self, year: i32, month: u32) -> Vec<ArticleId> {
        let mut ids: Vec<ArticleId> = self.month_only.get(&(year, month)).cloned().unwrap_or_default();
        ids.extend(self.days.range(days_of(year, month)).flat_map(|(_, ids)| ids.iter().copied()));
        ids
    }

    /// Number of articles of a month, whether dated to the day or the month.
    pub fn month_count(&self, year: i32, month: u32) -> usize {
        self.month_only.get(&(year, month)).map_or(0, Vec::len)
            + self.days.range(days_of(year, month)).map(|(_, ids)| ids.len()).sum::<usize>()
    }

    /// The section of an article, if it has one.
    pub fn section_of(&self, id: ArticleId) -> Option<SectionId> {
        self.article_sections.get(id).copied().flatten()
    }

    /// The days with articles by day of the year (month, day), each with
    /// its dates in every year, oldest first: what "on this day" pages list.
    pub fn days_of_year(&self) -> BTreeMap<(u32, u32), Vec<NaiveDate>> {
        let mut days: BTreeMap<(u32, u32), Vec<NaiveDate>> = BTreeMap::new();
        for &day in self.days.keys() {
            days.entry((day.month(), day.day())).or_default().push(day);
        }
        days
    }

    /// Finds each article's related articles and the story threads, from
    /// the articles' entities (run once the entities are merged).
    pub fn link_articles(&mut self) {
        let scored = related::related_articles(self);
        let weights = related::entity_weights(self);
        let (threads, article_threads) = threads::find_threads(self, &scored, &weights);
        self.related = scored.into_iter().map(|list| list.into_iter().map(|(id, _)| id).collect()).collect();
        self.threads = threads;
        self.article_threads = article_threads;
    }

    /// Site-relative path of a thread's page: `threads/peace-talks/`.
    pub fn thread_path(&self, id: ThreadId) -> String {
        format!("{THREADS_PATH}{}/", self.threads[id].slug)
    }

    /// The thread of an article, if it is in one.
    pub fn thread_of(&self, id: ArticleId) -> Option<ThreadId> {
        self.article_threads.get(id).copied().flatten()
    }

    /// Number of articles on each day.
    pub fn day_count(&self, day: NaiveDate) -> usize {
        self.days.get(&day).map_or(0, Vec::len)
    }
}

/// The days of a month, as a range.
fn days_of(year: i32, month: u32) -> std::ops::Range<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MIN);
    let next = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    first..NaiveDate::from_ymd_opt(next.0, next.1, 1).unwrap_or(NaiveDate::MAX)
}

/// The folder of an article's page: its date's page, or `undated/`.
pub fn article_folder(date: Option<PubDate>) -> String {
    match date {
        Some(date) => date_path(date),
        None => UNDATED_PATH.to_string(),
    }
}

/// The page of a date, as precise as it is known: a day, a month or a year.
pub fn date_path(date: PubDate) -> String {
    let d = date.first_day;
    match date.precision {
        Precision::Day => day_path(d),
        Precision::Month => month_path(d.year(), d.month()),
        Precision::Year => year_path(d.year()),
    }
}

/// The list of undated articles.
pub const UNDATED_PATH: &str = "undated/";

/// The list of story threads.
pub const THREADS_PATH: &str = "threads/";

/// The calendar of every day of the year, linking to the "on this day" pages.
pub const ON_THIS_DAY_PATH: &str = "on-this-day/";

/// `on-this-day/03-05/`: the articles of 5 March in every year.
pub fn on_this_day_path(month: u32, day: u32) -> String {
    format!("{ON_THIS_DAY_PATH}{month:02}-{day:02}/")
}

/// `sections/business/`
pub fn section_path(slug: &str) -> String {
    format!("sections/{slug}/")
}

/// `2022/02/28/`
pub fn day_path(date: NaiveDate) -> String {
    format!("{:04}/{:02}/{:02}/", date.year(), date.month(), date.day())
}

/// `2022/02/`
pub fn month_path(year: i32, month: u32) -> String {
    format!("{year:04}/{month:02}/")
}

/// `2022/`
pub fn year_path(year: i32) -> String {
    format!("{year:04}/")
}
