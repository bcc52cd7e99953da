//! The job graph: every page (job) a site has, where each is written, the
//! template it is rendered with, how many pages each paginated list takes,
//! and which jobs show a given article or entity. The build renders
//! [`list_jobs`]; `serve` renders [`jobs_showing`] after an edit; both ask
//! this module, so that a page kind added here is built, served and
//! updated alike.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

use super::data::{DataFile, data_files};
use super::feeds::{FeedScope, feed_path, feed_scopes};
use super::links::paginated_path;
use super::sitemap::{SITEMAP_LIMIT, sitemap_parts, sitemap_path};
use crate::archive::{
    Archive, ArticleId, EntityId, ON_THIS_DAY_PATH, SectionId, THREADS_PATH, ThreadId, UNDATED_PATH, day_path,
    month_path, on_this_day_path, year_path,
};
use crate::config::Config;
use crate::content::{Precision, PubDate};
use crate::entity_kind::EntityKind;
use crate::search;
use crate::search::index::Shard;

/// One page to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageJob {
    /// The home page, or one of its older pages (1-based).
    Home(usize),
    /// An article page.
    Article(ArticleId),
    /// A day with articles, one page of it (1-based).
    Day(NaiveDate, usize),
    /// A month with articles, one page of it (1-based).
    Month(i32, u32, usize),
    /// A year with articles.
    Year(i32),
    /// A list of articles that is neither a date nor an entity, one page of it (1-based).
    Listing(Listing, usize),
    /// All years and months.
    Archive,
    /// The articles of one day of the year (month, day) in every year.
    OnThisDay(u32, u32),
    /// The calendar of every day of the year, each linking to its [`PageJob::OnThisDay`].
    DaysOfYear,
    /// A story thread's page.
    Thread(ThreadId),
    /// The list of story threads, newest first, one page of it (1-based).
    Threads(usize),
    /// The list of entities of a kind in an order, one page of it (1-based).
    EntityList(EntityKind, ListOrder, usize),
    /// An entity page, one page of it (1-based).
    Entity(EntityId, usize),
    /// The articles of one year (or the undated ones) that mention an
    /// entity, one page of it (1-based); see [`entity_year_pages`].
    EntityYear(EntityId, EntityPart, usize),
    /// The page served for unknown paths.
    NotFound,
    /// An Atom feed.
    Feed(FeedScope),
    /// `sitemap.xml` (0) or one part of a split sitemap (1-based).
    Sitemap(usize),
    /// `robots.txt`.
    Robots,
    /// The search page.
    Search,
    /// A file of the search index.
    SearchData(SearchFile),
    /// A file of the archive as data (`[data] export`).
    Data(DataFile),
    /// The page that lists the data files.
    DataIndex,
}

/// A list of articles by something other than date or entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Listing {
    /// A section's articles, newest first: `sections/business/`.
    Section(SectionId),
    /// The articles without a date, by title: `undated/`.
    Undated,
}

impl Listing {
    /// First page of the list.
    pub fn base_path(self, archive: &Archive) -> String {
        match self {
            Listing::Section(id) => archive.section_path(id),
            Listing::Undated => UNDATED_PATH.to_string(),
        }
    }

    /// Number of articles in the list.
    pub fn len(self, archive: &Archive) -> usize {
        match self {
            Listing::Section(id) => archive.sections.get(id).map_or(0, |s| s.articles.len()),
            Listing::Undated => archive.undated.len(),
        }
    }
}

/// A file of the search index (see [`crate::search`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SearchFile {
    /// `search/index.json`.
    Manifest,
    /// `search/t/N.bin`, a term shard, or `search/e/N.bin`, an entity shard.
    Shard(Shard),
    /// `search/d/N.json`, a chunk of result entries.
    Docs(u32),
}

/// The order of an entity list page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListOrder {
    /// A–Z, at `people/`.
    Name,
    /// Most articles first, at `people/by-count/`.
    Count,
}

impl ListOrder {
    /// First page of the list of `kind` in this order.
    pub fn base_path(self, kind: EntityKind) -> String {
        let section = kind.section().unwrap_or("other");
        match self {
            ListOrder::Name => format!("{section}/"),
            ListOrder::Count => format!("{section}/by-count/"),
        }
    }
}

/// One job of every kind: what [`page_templates`] reads the templates from.
const ONE_OF_EACH: [PageJob; 21] = [
    PageJob::Home(1),
    PageJob::Article(0),
    PageJob::Day(NaiveDate::MIN, 1),
    PageJob::Month(0, 1, 1),
    PageJob::Year(0),
    PageJob::Listing(Listing::Undated, 1),
    PageJob::Archive,
    PageJob::OnThisDay(1, 1),
    PageJob::DaysOfYear,
    PageJob::Thread(0),
    PageJob::Threads(1),
    PageJob::EntityList(EntityKind::Person, ListOrder::Name, 1),
    PageJob::Entity(0, 1),
    PageJob::EntityYear(0, EntityPart::Undated, 1),
    PageJob::NotFound,
    PageJob::Feed(FeedScope::Site),
    PageJob::Sitemap(0),
    PageJob::Robots,
    PageJob::Search,
    PageJob::SearchData(SearchFile::Manifest),
    PageJob::DataIndex,
];

impl PageJob {
    /// Where the page is written in the output folder, without rendering it.
    pub fn output_path(self, archive: &Archive) -> String {
        let dir = match self {
            PageJob::Home(n) => paginated_path("", n),
            PageJob::Article(id) => archive.article_path(id),
            PageJob::Day(d, n) => paginated_path(&day_path(d), n),
            PageJob::Month(y, m, n) => paginated_path(&month_path(y, m), n),
            PageJob::Year(y) => year_path(y),
            PageJob::Listing(list, n) => paginated_path(&list.base_path(archive), n),
            PageJob::Archive => "archive/".into(),
            PageJob::OnThisDay(m, d) => on_this_day_path(m, d),
            PageJob::DaysOfYear => ON_THIS_DAY_PATH.into(),
            PageJob::Thread(id) => archive.thread_path(id),
            PageJob::Threads(n) => paginated_path(THREADS_PATH, n),
            PageJob::EntityList(kind, order, n) => paginated_path(&order.base_path(kind), n),
            PageJob::Entity(id, n) => paginated_path(&archive.entity_path(id).unwrap_or_default(), n),
            PageJob::EntityYear(id, part, n) => paginated_path(&entity_year_path(archive, id, part), n),
            PageJob::NotFound => return "404.html".into(),
            PageJob::Feed(scope) => return feed_path(archive, scope).unwrap_or_default(),
            PageJob::Sitemap(n) => return sitemap_path(n),
            PageJob::Robots => return "robots.txt".into(),
            PageJob::Search => "search/".into(),
            PageJob::SearchData(SearchFile::Manifest) => return "search/index.json".into(),
            PageJob::SearchData(SearchFile::Shard(Shard::Terms(n))) => return format!("search/t/{n}.bin"),
            PageJob::SearchData(SearchFile::Shard(Shard::Entities(n))) => return format!("search/e/{n}.bin"),
            PageJob::SearchData(SearchFile::Docs(n)) => return format!("search/d/{n}.json"),
            PageJob::Data(file) => return file.path(),
            PageJob::DataIndex => "data/".into(),
        };
        format!("{dir}index.html")
    }

    /// The template the page is rendered with; empty for files written by code.
    pub fn template(self) -> &'static str {
        match self {
            PageJob::Home(_) => "home.html",
            PageJob::Article(_) => "article.html",
            PageJob::Day(..) => "day.html",
            PageJob::Month(..) => "month.html",
            PageJob::Year(_) => "year.html",
            PageJob::Listing(..) => "listing.html",
            PageJob::Archive => "archive.html",
            PageJob::OnThisDay(..) => "on_this_day.html",
            PageJob::DaysOfYear => "days_of_year.html",
            PageJob::Thread(_) => "thread.html",
            PageJob::Threads(_) => "threads.html",
            PageJob::EntityList(..) => "entity_list.html",
            PageJob::Entity(..) => "entity.html",
            PageJob::EntityYear(..) => "entity_year.html",
            PageJob::NotFound => "404.html",
            PageJob::Search => "search.html",
            PageJob::DataIndex => "data.html",
            PageJob::Feed(_) => "atom.xml",
            PageJob::Sitemap(_) | PageJob::Robots | PageJob::SearchData(_) | PageJob::Data(_) => "",
        }
    }

    /// Whether the job is an HTML page (listed in the sitemap).
    pub fn is_html_page(self) -> bool {
        !matches!(
            self,
            PageJob::NotFound
                | PageJob::Feed(_)
                | PageJob::Sitemap(_)
                | PageJob::Robots
                | PageJob::SearchData(_)
                | PageJob::Data(_)
        )
    }
}

/// The templates that pages are rendered with, one per kind of page that
/// has one: any other template (`base.html`, a partial) may be used by all.
pub fn page_templates() -> impl Iterator<Item = &'static str> {
    ONE_OF_EACH.into_iter().map(PageJob::template).filter(|t| !t.is_empty())
}

/// Number of pages for `items` items, `per_page` to a page: at least 1.
pub fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page.max(1)).max(1)
}

/// How many pages the home page's list takes: at most `[pagination] home_pages`.
pub fn home_pages(archive: &Archive, config: &Config) -> usize {
    let pages = page_count(archive.articles.len(), config.pagination.home);
    match config.pagination.home_pages {
        0 => pages,
        cap => pages.min(cap),
    }
}

/// How many pages a day's list takes.
pub fn day_pages(archive: &Archive, date: NaiveDate, config: &Config) -> usize {
    page_count(archive.day_count(date), config.pagination.period)
}

/// How many pages a month's list takes, for a month of `articles` articles.
pub fn month_pages(articles: usize, config: &Config) -> usize {
    page_count(articles, config.pagination.period)
}

/// How many pages an entity's list of articles takes.
/// One page when the entity has year pages: they hold its older articles.
pub fn entity_pages(archive: &Archive, id: EntityId, config: &Config) -> usize {
    if has_year_pages(archive, id, config) {
        return 1;
    }
    page_count(archive.entities[id].articles.len(), config.pagination.entity)
}

/// Whether an entity's articles are paged by year: when they take more than
/// one page and fall in more than one year.
fn has_year_pages(archive: &Archive, id: EntityId, config: &Config) -> bool {
    let e = &archive.entities[id];
    let year = |aid: &ArticleId| archive.articles[*aid].date.map(|d| d.first_day.year());
    e.has_page
        && page_count(e.articles.len(), config.pagination.entity) > 1
        // Ids follow dates, undated first.
        && e.articles.iter().find_map(year).is_some_and(|first| e.articles.last().and_then(year) != Some(first))
}

/// A part of a long entity list with pages of its own: the articles of a
/// run of years, or the undated ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityPart {
    /// The articles of the years from the first to the last (inclusive):
    /// `people/slug/2022/`, `people/slug/2005-2009/`.
    Years(i32, i32),
    /// The articles without a date: `people/slug/undated/`.
    Undated,
}

impl EntityPart {
    /// `2022`, `2005–2009`, or `Undated`.
    pub fn label(self) -> String {
        match self {
            EntityPart::Years(a, b) if a == b => a.to_string(),
            EntityPart::Years(a, b) => format!("{a}\u{2013}{b}"),
            EntityPart::Undated => super::links::UNDATED_LABEL.to_string(),
        }
    }

    /// Whether the part holds the articles of `year`.
    pub fn holds(self, year: i32) -> bool {
        matches!(self, EntityPart::Years(a, b) if (a..=b).contains(&year))
    }
}

/// The first page of a part of an entity's articles: `people/slug/2022/`,
/// `people/slug/2005-2009/`, `people/slug/undated/`.
pub fn entity_year_path(archive: &Archive, id: EntityId, part: EntityPart) -> String {
    let base = archive.entity_path(id).unwrap_or_default();
    match part {
        EntityPart::Years(a, b) if a == b => format!("{base}{a}/"),
        EntityPart::Years(a, b) => format!("{base}{a}-{b}/"),
        EntityPart::Undated => format!("{base}undated/"),
    }
}

/// A part of an entity's articles with pages of its own: the part, the
/// range of the entity's article list (oldest first) it takes, and how
/// many pages it has.
pub type EntityYearPart = (EntityPart, std::ops::Range<usize>, usize);

/// The parts of an entity that have their own pages, in date order (its
/// undated articles, if any, last): each part, the range of the entity's
/// article list (oldest first) it takes and how many pages it has. Only
/// an entity whose articles take more than one page and fall in more than
/// one year has them, and then its own page shows its newest articles and
/// leads to its years for the rest (instead of `page/2/`, …): each article
/// is listed once more, not twice.
///
/// Years are gathered into parts of at most `[pagination] entity_year`
/// articles, oldest first: a year of few mentions shares a page with its
/// neighbours (`2005-2009/`) instead of taking a page of its own, and a
/// year of more than that is a part alone, with pages. Gathering from the
/// oldest keeps the older parts as they are when new articles arrive.
pub fn entity_year_pages(archive: &Archive, id: EntityId, config: &Config) -> Vec<EntityYearPart> {
    if !has_year_pages(archive, id, config) {
        return Vec::new();
    }
    let per = config.pagination.entity_year.max(1);
    let years = archive.entity_years(id);
    let undated = years.first().map_or(0, |(_, range)| range.start);
    let mut parts: Vec<EntityYearPart> = Vec::new();
    for (year, range) in years {
        match parts.last_mut() {
            Some((EntityPart::Years(_, last), run, _)) if run.end == range.start && run.len() + range.len() <= per => {
                *last = year;
                run.end = range.end;
            }
            _ => parts.push((EntityPart::Years(year, year), range, 0)),
        }
    }
    for (_, range, pages) in &mut parts {
        *pages = page_count(range.len(), per);
    }
    if undated > 0 {
        parts.push((EntityPart::Undated, 0..undated, page_count(undated, per)));
    }
    parts
}

/// Every page of every year page of an entity.
fn entity_year_jobs(archive: &Archive, id: EntityId, config: &Config) -> impl Iterator<Item = PageJob> {
    entity_year_pages(archive, id, config)
        .into_iter()
        .flat_map(move |(part, _, pages)| (1..=pages).map(move |n| PageJob::EntityYear(id, part, n)))
}

/// How many pages a list of `entities` entities takes.
pub fn entity_list_pages(entities: usize, config: &Config) -> usize {
    page_count(entities, config.pagination.entity_list)
}

/// Entities of `kind` that have pages.
fn entities_with_pages(archive: &Archive, kind: EntityKind) -> usize {
    archive.entities.iter().filter(|e| e.kind == kind && e.has_page).count()
}

/// How many pages a list of articles takes.
pub fn listing_pages(archive: &Archive, list: Listing, config: &Config) -> usize {
    page_count(list.len(archive), config.pagination.period)
}

/// Every page of a list of articles (none when it has no articles).
fn listing_jobs(archive: &Archive, list: Listing, config: &Config) -> Vec<PageJob> {
    if list.len(archive) == 0 {
        return Vec::new();
    }
    (1..=listing_pages(archive, list, config)).map(|n| PageJob::Listing(list, n)).collect()
}

/// Lists every page of the site.
pub fn list_jobs(archive: &Archive, config: &Config) -> Vec<PageJob> {
    let mut jobs = Vec::with_capacity(archive.articles.len() + archive.entities.len() + archive.days.len() + 16);
    jobs.extend((1..=home_pages(archive, config)).map(PageJob::Home));
    jobs.extend((0..archive.articles.len()).map(PageJob::Article));
    for &day in archive.days.keys() {
        jobs.extend((1..=day_pages(archive, day, config)).map(|n| PageJob::Day(day, n)));
    }
    for &(y, m) in archive.months().keys() {
        jobs.extend((1..=month_pages(archive.month_count(y, m), config)).map(|n| PageJob::Month(y, m, n)));
    }
    jobs.extend(archive.years().into_iter().map(PageJob::Year));
    jobs.extend(listing_jobs(archive, Listing::Undated, config));
    for id in 0..archive.sections.len() {
        jobs.extend(listing_jobs(archive, Listing::Section(id), config));
    }
    jobs.push(PageJob::Archive);
    jobs.extend(on_this_day_jobs(archive));
    jobs.extend(thread_jobs(archive, config));
    for kind in EntityKind::WITH_PAGES {
        jobs.extend(entity_list_jobs(archive, kind, config));
    }
    for (id, _) in archive.entities.iter().enumerate().filter(|(_, e)| e.has_page) {
        jobs.extend((1..=entity_pages(archive, id, config)).map(|p| PageJob::Entity(id, p)));
        jobs.extend(entity_year_jobs(archive, id, config));
    }
    jobs.push(PageJob::NotFound);
    if config.search.enabled {
        jobs.push(PageJob::Search);
        jobs.extend(search_data_jobs(archive, config));
    }
    if config.data.export {
        jobs.push(PageJob::DataIndex);
        jobs.extend(data_files(archive, config).into_iter().map(PageJob::Data));
    }
    let html_pages = jobs.iter().filter(|j| j.is_html_page()).count();
    jobs.extend(feed_scopes(archive, config).into_iter().map(PageJob::Feed));
    jobs.extend((0..=sitemap_parts(html_pages, SITEMAP_LIMIT)).map(PageJob::Sitemap));
    jobs.push(PageJob::Robots);
    jobs
}

/// How many pages the list of threads takes.
pub fn thread_list_pages(archive: &Archive, config: &Config) -> usize {
    page_count(archive.threads.len(), config.pagination.period)
}

/// Every thread's page and the pages of their list (none without threads).
fn thread_jobs(archive: &Archive, config: &Config) -> Vec<PageJob> {
    if archive.threads.is_empty() {
        return Vec::new();
    }
    let mut jobs: Vec<PageJob> = (0..archive.threads.len()).map(PageJob::Thread).collect();
    jobs.extend((1..=thread_list_pages(archive, config)).map(PageJob::Threads));
    jobs
}

/// The "on this day" pages and their calendar (none without articles dated to the day).
fn on_this_day_jobs(archive: &Archive) -> Vec<PageJob> {
    let mut jobs: Vec<PageJob> = archive.days_of_year().into_keys().map(|(m, d)| PageJob::OnThisDay(m, d)).collect();
    if !jobs.is_empty() {
        jobs.push(PageJob::DaysOfYear);
    }
    jobs
}

/// Every page of both lists (A–Z and by count) of the entities of `kind`.
fn entity_list_jobs(archive: &Archive, kind: EntityKind, config: &Config) -> Vec<PageJob> {
    let pages = entity_list_pages(entities_with_pages(archive, kind), config);
    [ListOrder::Name, ListOrder::Count]
        .into_iter()
        .flat_map(|order| (1..=pages).map(move |p| PageJob::EntityList(kind, order, p)))
        .collect()
}

/// Every file of the search index.
fn search_data_jobs(archive: &Archive, config: &Config) -> impl Iterator<Item = PageJob> {
    let articles = archive.articles.len();
    let shards = (0..search::index::shard_count(articles))
        .map(Shard::Terms)
        .chain((0..search::index::entity_shard_count(articles)).map(Shard::Entities))
        .map(SearchFile::Shard);
    std::iter::once(SearchFile::Manifest)
        .chain(shards)
        .chain((0..search::index::chunk_count(articles, config.search.articles_per_file)).map(SearchFile::Docs))
        .map(PageJob::SearchData)
}

/// Every page of a month's list.
fn month_jobs(archive: &Archive, months: &MonthDays, year: i32, month: u32, config: &Config) -> Vec<PageJob> {
    if !months.contains_key(&(year, month)) {
        return Vec::new();
    }
    (1..=month_pages(archive.month_count(year, month), config)).map(|n| PageJob::Month(year, month, n)).collect()
}

/// Every page of a day's list (none when the day has no articles).
fn day_jobs(archive: &Archive, date: NaiveDate, config: &Config) -> Vec<PageJob> {
    if !archive.days.contains_key(&date) {
        return Vec::new();
    }
    (1..=day_pages(archive, date, config)).map(|n| PageJob::Day(date, n)).collect()
}

/// Days with articles, by month.
type MonthDays = std::collections::BTreeMap<(i32, u32), Vec<NaiveDate>>;

/// Where an article sits in an entity's newest-first list, and the list's length.
type ListPosition = (usize, usize);

/// The pages that show any of the `touched` articles (source paths, as in
/// [`Article::source`](crate::content::Article)) before or after a change
/// that turned the archive `old` into `new`: what `serve` renders again
/// after an edit. Pages that no longer exist are not among them.
pub fn jobs_showing(old: &Archive, new: &Archive, touched: &[PathBuf], config: &Config) -> Vec<PageJob> {
    let new_ids: HashMap<&Path, ArticleId> =
        new.articles.iter().enumerate().map(|(i, a)| (a.source.as_path(), i)).collect();
    let old_ids: HashMap<&Path, ArticleId> =
        old.articles.iter().enumerate().map(|(i, a)| (a.source.as_path(), i)).collect();
    let mut jobs: Vec<PageJob> = vec![PageJob::Archive];
    let mut dates = Vec::new();
    let mut sections: HashSet<&str> = HashSet::new();
    // Entities of the touched articles: (kind, name) -> position of the
    // article in the entity's newest-first list and its length, before and after.
    let mut entity_positions: HashMap<(EntityKind, String), [Option<ListPosition>; 2]> = HashMap::new();
    let position = |archive: &Archive, entity: usize, article: ArticleId| {
        let list = &archive.entities[entity].articles;
        list.binary_search(&article).ok().map(|i| (list.len() - 1 - i, list.len()))
    };
    let mut order_changed = old.articles.len() != new.articles.len();
    for source in touched {
        let old_id = old_ids.get(source.as_path()).copied();
        let new_id = new_ids.get(source.as_path()).copied();
        if old_id != new_id {
            order_changed = true;
        }
        // A page that moves (its date changed) is a page gone and one new: the sitemap lists both.
        if old_id.map(|id| old.article_path(id)) != new_id.map(|id| new.article_path(id)) {
            order_changed = true;
        }
        if let Some(id) = old_id {
            dates.push(old.articles[id].date);
            sections.extend(old.articles[id].section.as_deref());
            for ae in &old.article_entities[id] {
                let e = &old.entities[ae.entity];
                entity_positions.entry((e.kind, e.name.clone())).or_default()[0] = position(old, ae.entity, id);
            }
            // The old neighbours now point elsewhere.
            for n in [id.checked_sub(1), Some(id + 1)].into_iter().flatten() {
                if let Some(a) = old.articles.get(n)
                    && let Some(&nid) = new_ids.get(a.source.as_path())
                {
                    jobs.push(PageJob::Article(nid));
                }
            }
        }
        if let Some(id) = new_id {
            let a = &new.articles[id];
            dates.push(a.date);
            sections.extend(a.section.as_deref());
            jobs.push(PageJob::Article(id));
            for n in [id.checked_sub(1), Some(id + 1)].into_iter().flatten().filter(|&n| n < new.articles.len()) {
                jobs.push(PageJob::Article(n));
            }
            for ae in &new.article_entities[id] {
                let e = &new.entities[ae.entity];
                entity_positions.entry((e.kind, e.name.clone())).or_default()[1] = position(new, ae.entity, id);
            }
            let per = config.pagination.home.max(1);
            jobs.push(PageJob::Home((new.articles.len() - 1 - id) / per + 1));
        }
    }
    if order_changed {
        jobs.extend((1..=home_pages(new, config)).map(PageJob::Home));
        // The search page gives the number of articles.
        if config.search.enabled {
            jobs.push(PageJob::Search);
        }
    }
    jobs.extend(period_jobs(new, &dates, config));
    jobs.extend(on_this_day_showing(new, &dates, order_changed, config));
    let section_ids: Vec<usize> =
        new.sections.iter().enumerate().filter(|(_, s)| sections.contains(s.name.as_str())).map(|(id, _)| id).collect();
    if old.sections.len() != new.sections.len() {
        order_changed = true;
    }
    for &id in &section_ids {
        jobs.extend(listing_jobs(new, Listing::Section(id), config));
    }
    let (by_name, old_by_name) = (pages_by_name(new), pages_by_name(old));
    let per = config.pagination.entity.max(1);
    let mut kinds = HashSet::new();
    for ((kind, name), [before, after]) in &entity_positions {
        let Some(&id) = by_name.get(&(*kind, name.as_str())) else {
            // No page now: if it had one, its list and the sitemap lose it.
            if old_by_name.contains_key(&(*kind, name.as_str())) {
                kinds.insert(*kind);
            }
            continue;
        };
        let pages = entity_pages(new, id, config);
        let old_pages = old_by_name.get(&(*kind, name.as_str())).map(|&old_id| entity_pages(old, old_id, config));
        let first_page = match (before, after) {
            // Same place in the same list: only the page that shows it.
            (Some((b, lb)), Some((a, la))) if b == a && lb == la => {
                // (An entity paged by year has one page: the year's page shows the article.)
                if a / per < pages {
                    jobs.push(PageJob::Entity(id, a / per + 1));
                }
                // And the page of its year that shows it; all of them when it changed years.
                let oldest_first = la - 1 - a;
                let year_at = |archive: &Archive, id: EntityId| {
                    entity_year_pages(archive, id, config).into_iter().find(|(_, r, _)| r.contains(&oldest_first))
                };
                let was = old_by_name.get(&(*kind, name.as_str())).and_then(|&old_id| year_at(old, old_id));
                match (was, year_at(new, id)) {
                    (Some(was), Some((year, range, _))) if was.0 == year => {
                        let per_year = config.pagination.entity_year.max(1);
                        jobs.push(PageJob::EntityYear(id, year, (range.end - 1 - oldest_first) / per_year + 1));
                    }
                    (None, None) => {}
                    // It changed years: their pages, and the sitemap, as some may have come or gone.
                    _ => {
                        jobs.extend(entity_year_jobs(new, id, config));
                        kinds.insert(*kind);
                    }
                }
                continue;
            }
            // The number of pages changed: every pager says so.
            _ if old_pages.is_some_and(|n| n != pages) => 1,
            (Some((b, _)), Some((a, _))) => b.min(a) / per + 1,
            (Some((b, _)), None) => b / per + 1,
            (None, Some((a, _))) => a / per + 1,
            (None, None) => 1,
        };
        // The list grew, shrank or moved: every page from there on shifts; the
        // first page also shows the counts.
        kinds.insert(*kind);
        jobs.push(PageJob::Entity(id, 1));
        jobs.extend((first_page..=pages).map(|p| PageJob::Entity(id, p)));
        // Its year pages: their lists, timelines and neighbours may all have moved.
        jobs.extend(entity_year_jobs(new, id, config));
    }
    // Feeds: the site's and each type's may show the article; its entities' do.
    let feeds: HashSet<FeedScope> = feed_scopes(new, config).into_iter().collect();
    let mut wanted = vec![FeedScope::Site];
    wanted.extend(EntityKind::WITH_PAGES.into_iter().map(FeedScope::Kind));
    wanted.extend(section_ids.iter().map(|&id| FeedScope::Section(id)));
    wanted.extend(jobs.iter().filter_map(|j| match j {
        PageJob::Entity(id, _) | PageJob::EntityYear(id, ..) => Some(FeedScope::Entity(*id)),
        _ => None,
    }));
    jobs.extend(wanted.into_iter().filter(|f| feeds.contains(f)).map(PageJob::Feed));
    let threads_changed = linked_jobs(old, new, &old_ids, touched, config, &mut jobs);
    // The sitemap changes when pages come or go.
    if order_changed || !kinds.is_empty() || threads_changed {
        jobs.extend(list_jobs(new, config).into_iter().filter(|j| matches!(j, PageJob::Sitemap(_))));
    }
    let entities_changed = !kinds.is_empty();
    for kind in kinds.into_iter().filter(|k| k.section().is_some()) {
        jobs.extend(entity_list_jobs(new, kind, config));
    }
    if config.data.export {
        // The page gives each file's line count; the entities file every
        // entity's counts; an articles file the touched articles it holds.
        jobs.push(PageJob::DataIndex);
        for file in data_files(new, config) {
            let holds_touched = touched.iter().any(|source| {
                old_ids.get(source.as_path()).is_some_and(|&id| file.holds(old, id))
                    || new_ids.get(source.as_path()).is_some_and(|&id| file.holds(new, id))
            });
            if file == DataFile::Entities || holds_touched || order_changed {
                jobs.push(PageJob::Data(file));
            }
        }
    }
    if config.search.enabled {
        let everything = order_changed || entities_changed;
        jobs.extend(search_jobs(old, new, &old_ids, &new_ids, touched, everything, config));
    }
    let mut seen = HashSet::new();
    jobs.retain(|j| seen.insert(*j));
    jobs
}

/// What an article page shows of the articles linked to it: its related
/// articles and its place in its thread (the thread's title, page and
/// length, and the articles either side), by source path.
fn links_shown(archive: &Archive, id: ArticleId) -> (Vec<&Path>, Option<ThreadShown<'_>>) {
    let source = |a: ArticleId| archive.articles[a].source.as_path();
    let related = archive.related.get(id).map_or_else(Vec::new, |r| r.iter().map(|&a| source(a)).collect());
    let thread = archive.thread_of(id).map(|t| {
        let th = &archive.threads[t];
        let at = th.articles.iter().position(|&a| a == id).unwrap_or(0);
        let prev = at.checked_sub(1).map(|i| source(th.articles[i]));
        let next = th.articles.get(at + 1).map(|&a| source(a));
        (th.title.as_str(), th.slug.as_str(), th.articles.len(), [prev, next])
    });
    (related, thread)
}

/// An article's place in its thread as its page shows it: the thread's
/// title, slug and length, and the articles before and after it.
type ThreadShown<'a> = (&'a str, &'a str, usize, [Option<&'a Path>; 2]);

/// What a thread's page shows, by source path: its slug, title, articles and entities.
fn thread_shown(archive: &Archive, id: ThreadId) -> (&str, &str, Vec<&Path>, Vec<&str>) {
    let t = &archive.threads[id];
    let articles = t.articles.iter().map(|&a| archive.articles[a].source.as_path()).collect();
    let entities = t.entities.iter().map(|&e| archive.entities[e].name.as_str()).collect();
    (t.slug.as_str(), t.title.as_str(), articles, entities)
}

/// The article and thread pages whose links to other articles an edit
/// changed: articles whose related articles or thread place changed, or
/// that link to a touched article (its title or date may have changed);
/// threads that changed or hold a touched article, and the list of
/// threads when any did. Returns whether threads came, went or changed.
fn linked_jobs(
    old: &Archive,
    new: &Archive,
    old_ids: &HashMap<&Path, ArticleId>,
    touched: &[PathBuf],
    config: &Config,
    jobs: &mut Vec<PageJob>,
) -> bool {
    let touched: HashSet<&Path> = touched.iter().map(PathBuf::as_path).collect();
    // An edit patched in place leaves every article's links as they were.
    let same = std::ptr::eq(old, new);
    for (id, article) in new.articles.iter().enumerate() {
        let shown = links_shown(new, id);
        let changed = match old_ids.get(article.source.as_path()) {
            _ if same => false,
            Some(&old_id) => links_shown(old, old_id) != shown,
            None => true,
        };
        let links_touched =
            shown.0.iter().chain(shown.1.iter().flat_map(|t| t.3.iter().flatten())).any(|p| touched.contains(p));
        if changed || links_touched {
            jobs.push(PageJob::Article(id));
        }
    }
    let old_threads: HashMap<&str, ThreadId> =
        old.threads.iter().enumerate().map(|(i, t)| (t.slug.as_str(), i)).collect();
    let mut any_changed = old.threads.len() != new.threads.len();
    for id in 0..new.threads.len() {
        let shown = thread_shown(new, id);
        let changed = old_threads.get(shown.0).is_none_or(|&o| thread_shown(old, o) != shown);
        any_changed |= changed;
        if changed || shown.2.iter().any(|p| touched.contains(p)) {
            jobs.push(PageJob::Thread(id));
        }
    }
    if any_changed
        || new.threads.iter().any(|t| t.articles.iter().any(|&a| touched.contains(new.articles[a].source.as_path())))
    {
        jobs.extend((1..=thread_list_pages(new, config)).filter(|_| !new.threads.is_empty()).map(PageJob::Threads));
    }
    any_changed
}

/// The entities of an archive that have pages, by kind and name.
fn pages_by_name(archive: &Archive) -> HashMap<(EntityKind, &str), EntityId> {
    archive
        .entities
        .iter()
        .enumerate()
        .filter(|(_, e)| e.has_page)
        .map(|(id, e)| ((e.kind, e.name.as_str()), id))
        .collect()
}

/// The day, month and year pages that show articles of `dates`, or link to
/// those dates' pages: the day, month and year themselves and their
/// neighbours, whose previous and next links change when a day, month or
/// year gains its first article or loses its last; for no date, the
/// undated list.
fn period_jobs(archive: &Archive, dates: &[Option<PubDate>], config: &Config) -> Vec<PageJob> {
    let months = archive.months();
    let years = archive.years();
    let mut jobs = Vec::new();
    for &date in dates {
        let Some(date) = date else {
            jobs.extend(listing_jobs(archive, Listing::Undated, config));
            continue;
        };
        let day = date.first_day;
        let (year, month) = (day.year(), day.month());
        if date.precision == Precision::Day {
            jobs.extend(day_jobs(archive, day, config));
            let neighbour_days =
                [archive.days.range(..day).next_back(), archive.days.range(day.succ_opt().unwrap_or(day)..).next()];
            for (&d, _) in neighbour_days.into_iter().flatten() {
                jobs.extend(day_jobs(archive, d, config));
            }
        }
        if date.precision >= Precision::Month {
            jobs.extend(month_jobs(archive, &months, year, month, config));
            let neighbour_months =
                [months.range(..(year, month)).next_back(), months.range((year, month + 1)..).next()];
            for (&(y, m), _) in neighbour_months.into_iter().flatten() {
                jobs.extend(month_jobs(archive, &months, y, m, config));
            }
        }
        let at = years.partition_point(|&y| y < year);
        let shown = years.get(at).filter(|&&y| y == year);
        let next = years.get(if shown.is_some() { at + 1 } else { at });
        let before = at.checked_sub(1).and_then(|i| years.get(i));
        jobs.extend([before, shown, next].into_iter().flatten().map(|&y| PageJob::Year(y)));
    }
    jobs
}

/// The "on this day" pages that show articles of `dates`; when articles
/// came, went or moved (`moved`), also the calendar of days and the other
/// years' pages of those days, whose link to "other years" may come or go.
fn on_this_day_showing(archive: &Archive, dates: &[Option<PubDate>], moved: bool, config: &Config) -> Vec<PageJob> {
    let days_of_year = archive.days_of_year();
    let mut jobs = Vec::new();
    for date in dates.iter().flatten().filter(|d| d.precision == Precision::Day) {
        let key = (date.first_day.month(), date.first_day.day());
        if moved {
            // Their previous and next days of the year change when this one comes or goes.
            let around = [days_of_year.range(..key).next_back(), days_of_year.range((key.0, key.1 + 1)..).next()];
            jobs.extend(around.into_iter().flatten().map(|(&(m, d), _)| PageJob::OnThisDay(m, d)));
        }
        let Some(days) = days_of_year.get(&key) else { continue };
        jobs.push(PageJob::OnThisDay(key.0, key.1));
        if moved {
            for &day in days {
                jobs.extend(day_jobs(archive, day, config));
            }
        }
    }
    if moved && !days_of_year.is_empty() {
        jobs.push(PageJob::DaysOfYear);
    }
    jobs
}

/// The search index files an edit changes. When articles moved (ids shift),
/// entities came or went or the average length moved a step, that is all
/// of them; otherwise the chunks that list the edited articles and the
/// shards of their old and new words and entities.
fn search_jobs(
    old: &Archive,
    new: &Archive,
    old_ids: &HashMap<&Path, ArticleId>,
    new_ids: &HashMap<&Path, ArticleId>,
    touched: &[PathBuf],
    everything: bool,
    config: &Config,
) -> Vec<PageJob> {
    use crate::search::index::{article_shards, entity_shard_count, quantized_average, shard_count};
    let stem = search::stems(config);
    let counts = |archive: &Archive| (shard_count(archive.articles.len()), entity_shard_count(archive.articles.len()));
    // Every word's impacts follow the average length.
    if everything || counts(new) != counts(old) || quantized_average(new) != quantized_average(old) {
        return search_data_jobs(new, config).collect();
    }
    let job = |shard| PageJob::SearchData(SearchFile::Shard(shard));
    let mut jobs = vec![PageJob::SearchData(SearchFile::Manifest)];
    for source in touched {
        if let Some(&id) = old_ids.get(source.as_path()) {
            jobs.extend(article_shards(old, id, stem).into_iter().map(job));
        }
        if let Some(&id) = new_ids.get(source.as_path()) {
            jobs.extend(article_shards(new, id, stem).into_iter().map(job));
            jobs.push(PageJob::SearchData(SearchFile::Docs((id / config.search.articles_per_file.max(1)) as u32)));
        }
    }
    jobs
}

/// What the search index held of an article before a text edit patched
/// it in place (see [`patched_search_jobs`]).
#[derive(Debug, Clone)]
pub struct SearchBefore {
    /// The shards of its words and entities.
    shards: Vec<Shard>,
    /// The average length the index normalised by.
    average: f32,
}

impl SearchBefore {
    /// The search state of article `id` of `archive`, before an edit.
    pub fn of(archive: &Archive, id: ArticleId, config: &Config) -> SearchBefore {
        use crate::search::index::{article_shards, quantized_average};
        SearchBefore { shards: article_shards(archive, id, search::stems(config)), average: quantized_average(archive) }
    }
}

/// The search files that a text edit patched in place changes beyond those
/// [`jobs_showing`] gives (the shards of the article's new words): the
/// shards of its old words, or every file when the edit moved the average
/// length a step.
pub fn patched_search_jobs(archive: &Archive, before: SearchBefore, config: &Config) -> Vec<PageJob> {
    if !config.search.enabled {
        return Vec::new();
    }
    if crate::search::index::quantized_average(archive) != before.average {
        return search_data_jobs(archive, config).collect();
    }
    before.shards.into_iter().map(|shard| PageJob::SearchData(SearchFile::Shard(shard))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_page_names_its_template_once() {
        let templates: Vec<&str> = page_templates().collect();
        let unique: HashSet<&str> = templates.iter().copied().collect();
        assert_eq!(templates.len(), unique.len());
        for name in ["home.html", "article.html", "search.html", "atom.xml", "404.html", "entity_list.html"] {
            assert!(unique.contains(name), "{name}");
        }
        assert!(!unique.contains("base.html"));
        // Every built-in template is either a page's or shared by pages.
        for (name, _) in super::super::templates::BUILTIN_TEMPLATES {
            assert!(unique.contains(name) || *name == "base.html" || name.starts_with("partials/"), "{name}");
        }
    }

    #[test]
    fn page_counts_are_at_least_one() {
        assert_eq!(page_count(0, 20), 1);
        assert_eq!(page_count(20, 20), 1);
        assert_eq!(page_count(21, 20), 2);
        assert_eq!(page_count(5, 0), 5);
    }
}
