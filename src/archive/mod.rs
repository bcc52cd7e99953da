//! The archive: every article in date order, every entity with the articles
//! that mention it, and the indexes pages are made from. Built once by
//! [`resolve`](crate::resolve::resolve); knows nothing of templates.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};

use crate::content::Article;
use crate::entity_kind::EntityKind;

mod page_mentions;

pub use page_mentions::{PageMention, PageMentions, RelatedCounts};

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

/// An entity mentioned in one article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleEntity {
    /// Which entity.
    pub entity: EntityId,
    /// Byte spans of its mentions in the article text, in order.
    pub spans: Vec<(usize, usize)>,
}

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
}

/// Everything the renderer needs.
#[derive(Debug, Default)]
pub struct Archive {
    /// Articles sorted by date, then title, then source path.
    pub articles: Vec<Arc<Article>>,
    /// Entities of each article, in order of first mention.
    pub article_entities: Vec<Vec<ArticleEntity>>,
    /// All entities, sorted by kind then name.
    pub entities: Vec<Entity>,
    /// Articles of each day, in archive order.
    pub days: BTreeMap<NaiveDate, Vec<ArticleId>>,
}

impl Archive {
    /// Site-relative path of an article page: `2022/02/28/slug/`.
    pub fn article_path(&self, id: ArticleId) -> String {
        let a = &self.articles[id];
        format!("{}{}/", day_path(a.date), a.slug)
    }

    /// Site-relative path of an entity page: `people/slug/`, if it has one.
    pub fn entity_path(&self, id: EntityId) -> Option<String> {
        let e = &self.entities[id];
        if !e.has_page {
            return None;
        }
        e.kind.section().map(|s| format!("{s}/{}/", e.slug))
    }

    /// Articles per month, in calendar order.
    pub fn months(&self) -> BTreeMap<(i32, u32), Vec<NaiveDate>> {
        let mut months: BTreeMap<(i32, u32), Vec<NaiveDate>> = BTreeMap::new();
        for &day in self.days.keys() {
            months.entry((day.year(), day.month())).or_default().push(day);
        }
        months
    }

    /// Number of articles on each day.
    pub fn day_count(&self, day: NaiveDate) -> usize {
        self.days.get(&day).map_or(0, Vec::len)
    }
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
