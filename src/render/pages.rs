//! Which pages a site has, and rendering each one from its context.
//!
//! Every page is a [`PageJob`]; jobs are listed from the archive, then
//! rendered in parallel. The output is a list of [`Page`]s: a path in the
//! output folder and the bytes to write there.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use std::sync::{Mutex, OnceLock};

use tera::{Context, Tera, Value};

use super::body::{SpanLink, render_body, render_site_markdown};
use super::calendar::month_calendar;
use super::context::*;
use super::feeds::{FeedScope, feed_articles, feed_entry, feed_path, feed_scopes, feed_title, feed_view};
use super::metadata::{describe_article, describe_entity, describe_site, is_web_url};
use super::native::{self, NativePages};
use super::sitemap::{SITEMAP_LIMIT, SitemapEntry, robots_txt, sitemap_file, sitemap_parts, sitemap_path};
use super::templates::template_error;
use super::timeline::timeline_svg;
use crate::archive::{Archive, ArticleId, EntityId, PageMentions, RelatedCounts, day_path, month_path, year_path};
use crate::config::Config;
use crate::content::EntityKind;
use crate::error::Result;
use crate::search::{self, SearchIndex};

/// A rendered file: where it goes in the output folder and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Path relative to the output folder, `/`-separated (`2022/02/28/slug/index.html`).
    pub path: String,
    /// File contents.
    pub content: Vec<u8>,
}

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
    /// All years and months.
    Archive,
    /// The list of entities of a kind in an order, one page of it (1-based).
    EntityList(EntityKind, ListOrder, usize),
    /// An entity page, one page of it (1-based).
    Entity(EntityId, usize),
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
}

/// A file of the search index (see [`crate::search`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SearchFile {
    /// `search/index.json`.
    Manifest,
    /// `search/t/N.bin`, a term shard.
    Terms(u32),
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

/// Everything rendering needs, shared by all jobs.
pub struct RenderInput<'a> {
    /// The resolved archive.
    pub archive: &'a Archive,
    /// Site settings.
    pub config: &'a Config,
    /// Loaded templates.
    pub tera: &'a Tera,
    /// The site's templates folder, for error messages.
    pub templates_dir: &'a std::path::Path,
    /// The search index, when built beforehand; else built when a term
    /// shard is among the jobs.
    pub search: Option<&'a SearchIndex>,
    /// Pages written without Tera because their templates are the built-in ones.
    pub native: NativePages,
}

/// Renders the given pages, in parallel.
pub fn render_jobs(input: &RenderInput<'_>, jobs: &[PageJob]) -> Result<Vec<Page>> {
    let shared = Shared::new(input, jobs);
    jobs.par_iter().map(|job| render_job(input, &shared, *job)).collect()
}

/// Renders the given pages in parallel, handing each to `sink` as soon as it
/// is rendered (so that they need not all be held in memory at once).
pub fn render_each(input: &RenderInput<'_>, jobs: &[PageJob], sink: impl Fn(Page) -> Result<()> + Sync) -> Result<()> {
    let shared = Shared::new(input, jobs);
    // A sitemap lists every page: started last, it would run alone at the end.
    let (sitemaps, others): (Vec<PageJob>, Vec<PageJob>) =
        jobs.iter().partition(|job| matches!(job, PageJob::Sitemap(_)));
    sitemaps.par_iter().chain(others.par_iter()).try_for_each(|job| sink(render_job(input, &shared, *job)?))
}

/// Where a page is written in the output folder, without rendering it.
pub fn job_output_path(archive: &Archive, job: PageJob) -> String {
    let dir = match job {
        PageJob::Home(n) => paginated_path("", n),
        PageJob::Article(id) => archive.article_path(id),
        PageJob::Day(d, n) => paginated_path(&day_path(d), n),
        PageJob::Month(y, m, n) => paginated_path(&month_path(y, m), n),
        PageJob::Year(y) => year_path(y),
        PageJob::Archive => "archive/".into(),
        PageJob::EntityList(kind, order, n) => paginated_path(&order.base_path(kind), n),
        PageJob::Entity(id, n) => paginated_path(&archive.entity_path(id).unwrap_or_default(), n),
        PageJob::NotFound => return "404.html".into(),
        PageJob::Feed(scope) => return feed_path(archive, scope).unwrap_or_default(),
        PageJob::Sitemap(n) => return sitemap_path(n),
        PageJob::Robots => return "robots.txt".into(),
        PageJob::Search => "search/".into(),
        PageJob::SearchData(SearchFile::Manifest) => return "search/index.json".into(),
        PageJob::SearchData(SearchFile::Terms(n)) => return format!("search/t/{n}.bin"),
        PageJob::SearchData(SearchFile::Docs(n)) => return format!("search/d/{n}.json"),
    };
    format!("{dir}index.html")
}

/// The template a page is rendered with.
pub fn job_template(job: PageJob) -> &'static str {
    match job {
        PageJob::Home(_) => "home.html",
        PageJob::Article(_) => "article.html",
        PageJob::Day(..) => "day.html",
        PageJob::Month(..) => "month.html",
        PageJob::Year(_) => "year.html",
        PageJob::Archive => "archive.html",
        PageJob::EntityList(..) => "entity_list.html",
        PageJob::Entity(..) => "entity.html",
        PageJob::NotFound => "404.html",
        PageJob::Search => "search.html",
        PageJob::Feed(_) => "atom.xml",
        // Written by code, not by a template.
        PageJob::Sitemap(_) | PageJob::Robots | PageJob::SearchData(_) => "",
    }
}

/// Whether a job is an HTML page (listed in the sitemap).
pub fn is_html_page(job: PageJob) -> bool {
    !matches!(
        job,
        PageJob::NotFound | PageJob::Feed(_) | PageJob::Sitemap(_) | PageJob::Robots | PageJob::SearchData(_)
    )
}

/// What many pages need, computed once per render.
struct Shared {
    /// The `site` variable.
    site: SiteContext,
    /// A context holding `site`, converted once and cloned (cheaply) for each page.
    base: Context,
    /// Days with articles, by month.
    months: BTreeMap<(i32, u32), Vec<NaiveDate>>,
    /// Entities with pages, by kind, sorted by name.
    by_name: HashMap<EntityKind, Vec<EntityLink>>,
    /// Entities with pages, by kind, most articles first.
    by_count: HashMap<EntityKind, Vec<EntityLink>>,
    /// Each article's summary as a template value, made the first time a page needs it.
    summaries: Vec<OnceLock<Value>>,
    /// Each article's feed entry as a template value, made the first time a feed needs it.
    feed_entries: Vec<OnceLock<Value>>,
    /// Each article's feed entry as XML (when feeds are written natively).
    feed_entries_xml: Vec<OnceLock<String>>,
    /// Each article's list item head (for the lists of pages written natively).
    list_item_heads: Vec<OnceLock<String>>,
    /// The entities with pages of the articles that entity pages among the jobs list.
    mentions: PageMentions,
    /// Count tables of [`PageMentions::related`] not in use, for the next entity page.
    related_counts: Mutex<Vec<RelatedCounts>>,
    /// Every HTML page, for the sitemap, listed the first time it is needed.
    sitemap: OnceLock<Vec<SitemapEntry>>,
    /// The search index, built (in parallel, before rendering) when a term
    /// shard is to be rendered and the input has none.
    search: Option<SearchIndex>,
}

impl Shared {
    fn new(input: &RenderInput<'_>, jobs: &[PageJob]) -> Self {
        let (archive, config) = (input.archive, input.config);
        let mut by_name: HashMap<EntityKind, Vec<EntityLink>> = HashMap::new();
        let mut by_count = HashMap::new();
        for kind in EntityKind::WITH_PAGES {
            let mut all: Vec<EntityLink> = archive
                .entities
                .iter()
                .enumerate()
                .filter(|(_, e)| e.kind == kind)
                .filter_map(|(id, e)| entity_link(archive, id, e.articles.len()))
                .collect();
            // By letter first, so that each letter's names are together even when a
            // name opens with a symbol the letter skips.
            all.sort_by_cached_key(|e| (initial(&e.name), crate::resolve::normalize(&e.name), e.name.clone()));
            let mut most = all.clone();
            most.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
            let mut last = None;
            for e in &mut all {
                let letter = initial(&e.name);
                if last != Some(letter) {
                    e.anchor = format!("letter-{}", letter.to_ascii_lowercase());
                    last = Some(letter);
                }
            }
            by_name.insert(kind, all);
            by_count.insert(kind, most);
        }
        let site = site_context(config);
        let mut base = Context::new();
        base.insert("site", &site);
        let summaries = (0..archive.articles.len()).map(|_| OnceLock::new()).collect();
        // Entity pages read the mentions of every article of their entity.
        let (mut listed, mut seen) = (vec![false; archive.articles.len()], vec![false; archive.entities.len()]);
        for job in jobs {
            if let PageJob::Entity(id, _) = *job
                && !std::mem::replace(&mut seen[id], true)
            {
                for &article in &archive.entities[id].articles {
                    listed[article] = true;
                }
            }
        }
        let mentions = PageMentions::new(archive, Some(&listed));
        let list_item_heads = (0..archive.articles.len()).map(|_| OnceLock::new()).collect();
        let feed_entries = (0..archive.articles.len()).map(|_| OnceLock::new()).collect();
        let feed_entries_xml = (0..archive.articles.len()).map(|_| OnceLock::new()).collect();
        let needs_index =
            input.search.is_none() && jobs.iter().any(|j| matches!(j, PageJob::SearchData(SearchFile::Terms(_))));
        let search = needs_index.then(|| SearchIndex::build(archive, search::stems(config)));
        Shared {
            site,
            base,
            months: archive.months(),
            by_name,
            by_count,
            summaries,
            feed_entries,
            feed_entries_xml,
            list_item_heads,
            mentions,
            related_counts: Mutex::new(Vec::new()),
            sitemap: OnceLock::new(),
            search,
        }
    }

    /// The summary of an article, converted once and shared by every list that shows it.
    fn summary(&self, archive: &Archive, id: ArticleId) -> Value {
        self.summaries[id].get_or_init(|| Value::from_serializable(&summary(archive, id))).clone()
    }

    /// The feed entry of an article, converted once and shared by every feed that holds it.
    fn feed_entry(&self, input: &RenderInput<'_>, id: ArticleId) -> Value {
        self.feed_entries[id]
            .get_or_init(|| Value::from_serializable(&feed_entry(input.archive, input.config, id)))
            .clone()
    }

    /// The feed entry of an article as XML, written once for every feed that holds it.
    fn feed_entry_xml(&self, input: &RenderInput<'_>, id: ArticleId) -> &str {
        self.feed_entries_xml[id].get_or_init(|| native::feed_entry(&feed_entry(input.archive, input.config, id)))
    }

    /// The list item head of an article, written once for every entity page that lists it.
    fn list_item_head(&self, archive: &Archive, id: ArticleId) -> &str {
        self.list_item_heads[id].get_or_init(|| {
            let a = &archive.articles[id];
            native::list_item_head(&a.title, &a.slug, a.date)
        })
    }

    /// The list items (snippets left empty) of several articles, for pages written natively.
    fn list_items<'a>(&'a self, archive: &'a Archive, ids: &[ArticleId]) -> Vec<native::ListItem<'a>> {
        let item = |id: ArticleId| native::ListItem {
            head: self.list_item_head(archive, id),
            summary: &archive.articles[id].summary,
            snippet: "",
        };
        ids.iter().map(|&id| item(id)).collect()
    }

    /// Summaries of several articles, as one template value.
    fn summaries(&self, archive: &Archive, ids: impl Iterator<Item = ArticleId>) -> Value {
        Value::from(ids.map(|id| self.summary(archive, id)).collect::<Vec<Value>>())
    }

    /// A summary with one field replaced (the snippet of an entity page).
    fn summary_with(&self, archive: &Archive, id: ArticleId, key: &'static str, value: String) -> Value {
        let base = self.summary(archive, id);
        let mut map: tera::Map = base.as_map().cloned().unwrap_or_default();
        map.insert(key.into(), Value::from(value));
        Value::from(map)
    }

    /// The entities most often mentioned with `id` ([`RELATED_LIMIT`] at most).
    fn related(&self, archive: &Archive, id: EntityId) -> Vec<(EntityId, usize)> {
        let pool = || self.related_counts.lock().unwrap_or_else(|e| e.into_inner());
        let mut counts = pool().pop().unwrap_or_default();
        let related = self.mentions.related(archive, id, RELATED_LIMIT, &mut counts);
        pool().push(counts);
        related
    }

    fn month_count(&self, archive: &Archive, year: i32, month: u32) -> usize {
        self.months.get(&(year, month)).map_or(0, |days| days.iter().map(|d| archive.day_count(*d)).sum())
    }
}

/// How many pages either side of the current one a pager lists.
const PAGER_REACH: usize = 3;

/// How many related entities the first page of an entity shows.
const RELATED_LIMIT: usize = 12;

/// How many entities the "most mentioned" list of an A–Z page shows.
const TOP_ENTITIES: usize = 20;

/// The letter a name is filed under on A–Z pages (`#` for digits and others).
fn initial(name: &str) -> char {
    crate::resolve::normalize(name)
        .chars()
        .find(|c| c.is_alphanumeric())
        .map_or('#', |c| if c.is_ascii_alphabetic() { c.to_ascii_uppercase() } else { '#' })
}

/// Lists every page of the site.
pub fn list_jobs(archive: &Archive, config: &Config) -> Vec<PageJob> {
    let mut jobs = Vec::with_capacity(archive.articles.len() + archive.entities.len() + archive.days.len() + 16);
    let home_pages = page_count(archive.articles.len(), config.pagination.home);
    jobs.extend((1..=home_pages).map(PageJob::Home));
    jobs.extend((0..archive.articles.len()).map(PageJob::Article));
    let per = config.pagination.period;
    for (&day, ids) in &archive.days {
        jobs.extend((1..=page_count(ids.len(), per)).map(|n| PageJob::Day(day, n)));
    }
    let months = archive.months();
    for (&(y, m), days) in &months {
        let count: usize = days.iter().map(|d| archive.day_count(*d)).sum();
        jobs.extend((1..=page_count(count, per)).map(|n| PageJob::Month(y, m, n)));
    }
    let mut years: Vec<i32> = months.keys().map(|&(y, _)| y).collect();
    years.dedup();
    jobs.extend(years.into_iter().map(PageJob::Year));
    jobs.push(PageJob::Archive);
    for kind in EntityKind::WITH_PAGES {
        let count = archive.entities.iter().filter(|e| e.kind == kind && e.has_page).count();
        for order in [ListOrder::Name, ListOrder::Count] {
            jobs.extend(
                (1..=page_count(count, config.pagination.entity_list)).map(|p| PageJob::EntityList(kind, order, p)),
            );
        }
    }
    for (id, e) in archive.entities.iter().enumerate().filter(|(_, e)| e.has_page) {
        jobs.extend((1..=page_count(e.articles.len(), config.pagination.entity)).map(|p| PageJob::Entity(id, p)));
    }
    jobs.push(PageJob::NotFound);
    if config.search.enabled {
        jobs.push(PageJob::Search);
        jobs.push(PageJob::SearchData(SearchFile::Manifest));
        jobs.extend(
            (0..search::index::shard_count(archive.articles.len())).map(|n| PageJob::SearchData(SearchFile::Terms(n))),
        );
        jobs.extend(
            (0..search::index::chunk_count(archive.articles.len())).map(|n| PageJob::SearchData(SearchFile::Docs(n))),
        );
    }
    let html_pages = jobs.iter().filter(|j| is_html_page(**j)).count();
    jobs.extend(feed_scopes(archive, config).into_iter().map(PageJob::Feed));
    jobs.extend((0..=sitemap_parts(html_pages, SITEMAP_LIMIT)).map(PageJob::Sitemap));
    jobs.push(PageJob::Robots);
    jobs
}

/// The sitemap entry of an HTML page: its path and the date of the newest
/// article it shows.
fn sitemap_entry(archive: &Archive, config: &Config, job: PageJob) -> SitemapEntry {
    let newest = archive.articles.last().map(|a| a.date);
    let lastmod = match job {
        PageJob::Home(n) => {
            archive.articles.len().checked_sub(1 + (n - 1) * config.pagination.home).map(|id| archive.articles[id].date)
        }
        PageJob::Article(id) => Some(archive.articles[id].date),
        PageJob::Day(d, _) => Some(d),
        PageJob::Month(y, m, _) => archive.days.keys().rev().find(|d| d.year() == y && d.month() == m).copied(),
        PageJob::Year(y) => archive.days.keys().rev().find(|d| d.year() == y).copied(),
        PageJob::Entity(id, n) => {
            let list = &archive.entities[id].articles;
            list.len().checked_sub(1 + (n - 1) * config.pagination.entity).map(|i| archive.articles[list[i]].date)
        }
        _ => newest,
    };
    let path = job_output_path(archive, job);
    SitemapEntry { path: path.strip_suffix("index.html").unwrap_or(&path).to_string(), lastmod }
}

/// Number of pages for `items` items, at least 1.
fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page.max(1)).max(1)
}

fn site_context(config: &Config) -> SiteContext {
    SiteContext {
        title: config.title.clone(),
        description: config.description.clone(),
        base_url: config.base_url.clone(),
        language: config.language.clone(),
        footer_html: render_site_markdown(&config.footer, config.markdown.allow_raw_html),
        search: config.search.enabled,
        sections: EntityKind::WITH_PAGES
            .iter()
            .filter_map(|k| k.section().map(|s| Link { label: k.plural_label().to_string(), path: format!("{s}/") }))
            .collect(),
    }
}

/// Relative way back to the site root from a page at `path` (`a/b/` → `../../`).
/// `./` on the home page, so that a link home is never an empty `href`.
pub fn root_prefix(path: &str) -> String {
    match path.split('/').filter(|s| !s.is_empty()).count() {
        0 => "./".to_string(),
        depth => "../".repeat(depth),
    }
}

/// Path of page `n` of a paginated list whose first page is at `base`.
pub fn paginated_path(base: &str, n: usize) -> String {
    if n <= 1 { base.to_string() } else { format!("{base}page/{n}/") }
}

fn pagination(base: &str, current: usize, total: usize) -> Pagination {
    Pagination {
        current,
        total,
        prev: (current > 1).then(|| paginated_path(base, current - 1)),
        next: (current < total).then(|| paginated_path(base, current + 1)),
        // A pager shows the first and last page and a few around the current one;
        // listing every page would make the whole list quadratic in its length.
        pages: (1..=total)
            .filter(|&n| n == 1 || n == total || n.abs_diff(current) <= PAGER_REACH)
            .map(|n| PageNumber { number: n, path: paginated_path(base, n), current: n == current })
            .collect(),
    }
}

fn slice_page<T: Clone>(items: &[T], page: usize, per_page: usize) -> Vec<T> {
    items.iter().skip((page - 1) * per_page).take(per_page).cloned().collect()
}

/// `Monday 28 February 2022`
pub fn date_display(date: NaiveDate) -> String {
    const WEEKDAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let weekday = WEEKDAYS[date.weekday().num_days_from_monday() as usize];
    format!("{weekday} {} {} {:04}", date.day(), MONTHS[date.month0() as usize], date.year())
}

fn month_label(year: i32, month: u32) -> String {
    NaiveDate::from_ymd_opt(year, month, 1)
        .map_or_else(|| format!("{year}-{month:02}"), |d| d.format("%B %Y").to_string())
}

fn day_link(date: NaiveDate) -> Link {
    Link { label: date.format("%-d %B %Y").to_string(), path: day_path(date) }
}

fn month_link(year: i32, month: u32) -> Link {
    Link { label: month_label(year, month), path: month_path(year, month) }
}

fn year_link(year: i32) -> Link {
    Link { label: year.to_string(), path: year_path(year) }
}

fn home_link() -> Link {
    Link { label: "Home".into(), path: String::new() }
}

fn summary(archive: &Archive, id: ArticleId) -> ArticleSummary {
    let a = &archive.articles[id];
    ArticleSummary {
        title: a.title.clone(),
        path: archive.article_path(id),
        date: a.date.to_string(),
        date_display: date_display(a.date),
        summary: a.summary.clone(),
        snippet: String::new(),
    }
}

fn entity_link(archive: &Archive, id: EntityId, count: usize) -> Option<EntityLink> {
    archive.entity_path(id).map(|path| EntityLink {
        name: archive.entities[id].name.clone(),
        path,
        count,
        anchor: String::new(),
    })
}

/// The mentions-over-time chart of an entity.
fn entity_timeline(archive: &Archive, mentions: &PageMentions, id: EntityId) -> String {
    let e = &archive.entities[id];
    let points: Vec<(NaiveDate, usize)> = e
        .articles
        .iter()
        .map(|&aid| (archive.articles[aid].date, mentions.find(aid, id).map_or(1, |m| m.count.max(1) as usize)))
        .collect();
    timeline_svg(&e.name, &points)
}

/// Renders one job to a page.
fn render_job(input: &RenderInput<'_>, shared: &Shared, job: PageJob) -> Result<Page> {
    let archive = input.archive;
    let config = input.config;
    let path = job_output_path(archive, job);
    match job {
        PageJob::Sitemap(n) => {
            let entries = shared.sitemap.get_or_init(|| {
                list_jobs(archive, config)
                    .into_iter()
                    .filter(|j| is_html_page(*j))
                    .map(|j| sitemap_entry(archive, config, j))
                    .collect()
            });
            Ok(Page { path, content: sitemap_file(&config.base_url, entries, n, SITEMAP_LIMIT).into_bytes() })
        }
        PageJob::Robots => Ok(Page { path, content: robots_txt(&config.base_url).into_bytes() }),
        PageJob::SearchData(file) => {
            let content = match file {
                SearchFile::Manifest => search::index::manifest_file(archive, search::stems(config)),
                SearchFile::Docs(n) => search::index::chunk_file(archive, n),
                SearchFile::Terms(n) => match input.search.or(shared.search.as_ref()) {
                    Some(index) => index.shard_file(n),
                    None => return Err(internal_error(path, "search index not built")),
                },
            };
            Ok(Page { path, content })
        }
        PageJob::Feed(scope) => {
            let ids = feed_articles(archive, scope, config.feeds.limit);
            let view = feed_view(archive, config, scope, &ids);
            if input.native.feeds {
                let entries = ids.iter().map(|&id| shared.feed_entry_xml(input, id));
                return Ok(Page { path, content: native::feed(&shared.site, &view, entries).into_bytes() });
            }
            let mut ctx = shared.base.clone();
            ctx.insert("feed", &view);
            ctx.insert_value(
                "entries",
                Value::from(ids.iter().map(|&id| shared.feed_entry(input, id)).collect::<Vec<_>>()),
            );
            let xml = input.tera.render("atom.xml", &ctx).map_err(|e| template_error(input.templates_dir, &e))?;
            Ok(Page { path, content: xml.into_bytes() })
        }
        _ => render_html_page(input, shared, job, path),
    }
}

/// Renders a page from its HTML template.
fn render_html_page(input: &RenderInput<'_>, shared: &Shared, job: PageJob, path: String) -> Result<Page> {
    let archive = input.archive;
    let config = input.config;
    // The shared base (`site`) joins at the end, so that pages written natively never copy it.
    let mut ctx = Context::new();
    let (template, meta): (&str, PageMeta) = match job {
        PageJob::Feed(_) | PageJob::Sitemap(_) | PageJob::Robots | PageJob::SearchData(_) => {
            return Err(internal_error(path, "not an HTML page"));
        }
        PageJob::Search => {
            let description =
                format!("Search {} articles by word, person, place, organisation and year", archive.articles.len());
            let m = meta(config, "search", "Search".into(), description, "search/".into(), vec![home_link()]);
            ("search.html", m)
        }
        PageJob::Home(n) => {
            let per = config.pagination.home;
            let ids: Vec<ArticleId> = (0..archive.articles.len()).rev().skip((n - 1) * per).take(per).collect();
            let total = page_count(archive.articles.len(), per);
            let site_path = paginated_path("", n);
            let pages = pagination("", n, total);
            let title = if n == 1 { config.title.clone() } else { format!("Latest articles, page {n}") };
            let crumbs = if n == 1 { vec![] } else { vec![home_link()] };
            let mut m = meta(config, "home", title, config.description.clone(), site_path, crumbs);
            if n == 1 {
                describe_site(&mut m, config);
            }
            if input.native.home {
                let items = shared.list_items(archive, &ids);
                return Ok(Page { path, content: native::home_page(&shared.site, &m, &items, &pages).into_bytes() });
            }
            ctx.insert_value("articles", shared.summaries(archive, ids.iter().copied()));
            ctx.insert("pagination", &pages);
            ("home.html", m)
        }
        PageJob::Article(id) => {
            let view = article_view(input, id);
            let page_path = archive.article_path(id);
            let crumbs = vec![home_link(), year_link(view_year(archive, id)), view.month.clone(), view.day.clone()];
            let mut m =
                meta(config, "article", view.title.clone(), archive.articles[id].summary.clone(), page_path, crumbs);
            describe_article(&mut m, archive, config, id, &view.entities);
            if input.native.articles {
                return Ok(Page { path, content: native::article_page(&shared.site, &m, &view).into_bytes() });
            }
            ctx.insert("article", &view);
            ("article.html", m)
        }
        PageJob::Day(date, n) => {
            let ids = &archive.days[&date];
            let per = config.pagination.period;
            let prev = archive.days.range(..date).next_back().map(|(&d, _)| day_link(d));
            let next = archive
                .days
                .range(date.succ_opt().unwrap_or(date)..)
                .next()
                .filter(|(d, _)| **d > date)
                .map(|(&d, _)| day_link(d));
            let period = PeriodLink { label: date_display(date), path: day_path(date), count: ids.len() };
            let listed: Vec<ArticleId> = ids.iter().skip((n - 1) * per).take(per).copied().collect();
            let pages = pagination(&day_path(date), n, page_count(ids.len(), per));
            let crumbs = vec![home_link(), year_link(date.year()), month_link(date.year(), date.month())];
            let description = format!("{} article{} published on {}", ids.len(), plural(ids.len()), period.label);
            let title = if n == 1 { period.label.clone() } else { format!("{}, page {n}", period.label) };
            let m = meta(config, "day", title, description, paginated_path(&day_path(date), n), crumbs);
            if input.native.days {
                let items = shared.list_items(archive, &listed);
                let html = native::day_page(&shared.site, &m, &period, &items, &pages, (prev.as_ref(), next.as_ref()));
                return Ok(Page { path, content: html.into_bytes() });
            }
            ctx.insert("period", &period);
            ctx.insert_value("articles", shared.summaries(archive, listed.into_iter()));
            ctx.insert("pagination", &pages);
            ctx.insert("prev", &prev);
            ctx.insert("next", &next);
            ("day.html", m)
        }
        PageJob::Month(year, month, n) => {
            let per = config.pagination.period;
            let months = &shared.months;
            let days = &months[&(year, month)];
            let ids: Vec<ArticleId> = days.iter().flat_map(|d| archive.days[d].iter().copied()).collect();
            let prev = months.range(..(year, month)).next_back().map(|(&(y, m), _)| month_link(y, m));
            let next = months.range((year, month + 1)..).next().map(|(&(y, m), _)| month_link(y, m));
            let day_periods: Vec<PeriodLink> = days
                .iter()
                .map(|&d| PeriodLink { label: date_display(d), path: day_path(d), count: archive.day_count(d) })
                .collect();
            let label = month_label(year, month);
            let period = PeriodLink { label: label.clone(), path: month_path(year, month), count: ids.len() };
            let calendar = month_calendar(archive, year, month);
            let listed: Vec<ArticleId> = ids.iter().skip((n - 1) * per).take(per).copied().collect();
            let pages = pagination(&month_path(year, month), n, page_count(ids.len(), per));
            let description = format!("{} article{} published in {label}", ids.len(), plural(ids.len()));
            let title = if n == 1 { label } else { format!("{label}, page {n}") };
            let page_path = paginated_path(&month_path(year, month), n);
            let m = meta(config, "month", title, description, page_path, vec![home_link(), year_link(year)]);
            if input.native.months {
                let view = native::MonthView { period: &period, calendar: &calendar, days: &day_periods };
                let items = shared.list_items(archive, &listed);
                let html = native::month_page(&shared.site, &m, &view, &items, &pages, (prev.as_ref(), next.as_ref()));
                return Ok(Page { path, content: html.into_bytes() });
            }
            ctx.insert("period", &period);
            ctx.insert("calendar", &calendar);
            ctx.insert("days", &day_periods);
            ctx.insert_value("articles", shared.summaries(archive, listed.into_iter()));
            ctx.insert("pagination", &pages);
            ctx.insert("prev", &prev);
            ctx.insert("next", &next);
            ("month.html", m)
        }
        PageJob::Year(year) => {
            let months = &shared.months;
            let list: Vec<PeriodLink> = months
                .range((year, 1)..=(year, 12))
                .map(|(&(y, m), _)| PeriodLink {
                    label: month_label(y, m),
                    path: month_path(y, m),
                    count: shared.month_count(archive, y, m),
                })
                .collect();
            let count = list.iter().map(|p| p.count).sum::<usize>();
            let prev = months.keys().rev().find(|(y, _)| *y < year).map(|&(y, _)| year_link(y));
            let next = months.keys().find(|(y, _)| *y > year).map(|&(y, _)| year_link(y));
            ctx.insert("period", &PeriodLink { label: year.to_string(), path: year_path(year), count });
            ctx.insert("months", &list);
            ctx.insert("prev", &prev);
            ctx.insert("next", &next);
            let description = format!("{count} article{} published in {year}", plural(count));
            ("year.html", meta(config, "year", year.to_string(), description, year_path(year), vec![home_link()]))
        }
        PageJob::Archive => {
            let mut years: Vec<ArchiveYear> = Vec::new();
            for &(y, m) in shared.months.keys() {
                let count = shared.month_count(archive, y, m);
                if years.last().is_none_or(|ay| ay.year.label != y.to_string()) {
                    years.push(ArchiveYear {
                        year: PeriodLink { label: y.to_string(), path: year_path(y), count: 0 },
                        months: Vec::new(),
                    });
                }
                let Some(ay) = years.last_mut() else { continue };
                ay.year.count += count;
                ay.months.push(PeriodLink { label: month_label(y, m), path: month_path(y, m), count });
            }
            years.reverse();
            ctx.insert("years", &years);
            let description = format!("All {} articles by year and month", archive.articles.len());
            (
                "archive.html",
                meta(config, "archive", "Archive".into(), description, "archive/".into(), vec![home_link()]),
            )
        }
        PageJob::EntityList(kind, order, n) => {
            let base = order.base_path(kind);
            let all = match order {
                ListOrder::Name => &shared.by_name[&kind],
                ListOrder::Count => &shared.by_count[&kind],
            };
            let per = config.pagination.entity_list;
            let total = page_count(all.len(), per);
            let label = kind.plural_label().to_string();
            let letters: Vec<Link> = if order == ListOrder::Name {
                all.iter()
                    .enumerate()
                    .filter(|(_, e)| !e.anchor.is_empty())
                    .map(|(i, e)| Link {
                        label: initial(&e.name).to_string(),
                        path: format!("{}#{}", paginated_path(&base, i / per + 1), e.anchor),
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let top: Vec<EntityLink> = if order == ListOrder::Name && n == 1 {
                shared.by_count[&kind].iter().take(TOP_ENTITIES).cloned().collect()
            } else {
                Vec::new()
            };
            let name_list = ListOrder::Name.base_path(kind);
            let count_list = ListOrder::Count.base_path(kind);
            ctx.insert("section", &Link { label: label.clone(), path: name_list.clone() });
            ctx.insert("kind", kind.name());
            ctx.insert("order", if order == ListOrder::Name { "name" } else { "count" });
            ctx.insert(
                "orders",
                &[
                    Link { label: "A–Z".into(), path: name_list },
                    Link { label: "Most mentioned".into(), path: count_list },
                ],
            );
            ctx.insert("letters", &letters);
            ctx.insert("entities", &slice_page(all, n, per));
            ctx.insert("top", &top);
            ctx.insert("pagination", &pagination(&base, n, total));
            let ordered =
                if order == ListOrder::Name { label.clone() } else { format!("{label} by number of articles") };
            let title = if n == 1 { ordered } else { format!("{ordered}, page {n}") };
            let description = format!("{} {} mentioned in the archive", all.len(), label.to_lowercase());
            let crumbs = if order == ListOrder::Name {
                vec![home_link()]
            } else {
                vec![home_link(), Link { label: label.clone(), path: ListOrder::Name.base_path(kind) }]
            };
            let mut m = meta(config, "entity_list", title, description, paginated_path(&base, n), crumbs);
            add_feed(&mut m, archive, config, FeedScope::Kind(kind));
            ("entity_list.html", m)
        }
        PageJob::Entity(id, n) => {
            let e = &archive.entities[id];
            let base = archive.entity_path(id).unwrap_or_default();
            let section_path = format!("{}/", e.kind.section().unwrap_or("other"));
            let per = config.pagination.entity;
            let ids: Vec<ArticleId> = e.articles.iter().rev().skip((n - 1) * per).take(per).copied().collect();
            let snippets: Vec<&str> = ids.iter().map(|&aid| shared.mentions.snippet(archive, aid, id)).collect();
            let first_date = archive.articles[e.articles[0]].date;
            let last_date = archive.articles[e.articles[e.articles.len() - 1]].date;
            let view = EntityView {
                name: e.name.clone(),
                kind: e.kind.name(),
                section: Link { label: e.kind.plural_label().into(), path: section_path.clone() },
                aliases: e.aliases.clone(),
                article_count: e.articles.len(),
                mention_count: e.mention_count,
                first: day_link(first_date),
                last: day_link(last_date),
                related: if n == 1 {
                    shared
                        .related(archive, id)
                        .into_iter()
                        .filter_map(|(rid, c)| entity_link(archive, rid, c))
                        .collect()
                } else {
                    Vec::new()
                },
                timeline_html: if n > 1 { String::new() } else { entity_timeline(archive, &shared.mentions, id) },
            };
            let pages = pagination(&base, n, page_count(e.articles.len(), per));
            let crumbs = vec![home_link(), Link { label: e.kind.plural_label().into(), path: section_path }];
            let title = if n == 1 { e.name.clone() } else { format!("{}, page {n}", e.name) };
            let description = format!("{} article{} mentioning {}", e.articles.len(), plural(e.articles.len()), e.name);
            let mut m = meta(config, "entity", title, description, paginated_path(&base, n), crumbs);
            describe_entity(&mut m, archive, config, id);
            if config.feeds.entities {
                add_feed(&mut m, archive, config, FeedScope::Entity(id));
            }
            if input.native.entities {
                let mut items = shared.list_items(archive, &ids);
                for (item, snippet) in items.iter_mut().zip(&snippets) {
                    item.snippet = snippet;
                }
                let html = native::entity_page(&shared.site, &m, &view, &items, &pages);
                return Ok(Page { path, content: html.into_bytes() });
            }
            let articles: Vec<Value> = ids
                .iter()
                .zip(snippets)
                .map(|(&aid, s)| shared.summary_with(archive, aid, "snippet", s.to_string()))
                .collect();
            ctx.insert("entity", &view);
            ctx.insert_value("articles", Value::from(articles));
            ctx.insert("pagination", &pages);
            ("entity.html", m)
        }
        PageJob::NotFound => {
            let mut m = meta(config, "404", "Page not found".into(), String::new(), "404.html".into(), vec![]);
            m.root = config.base_path().to_string();
            ("404.html", m)
        }
    };
    ctx.insert("page", &meta);
    ctx.extend(shared.base.clone());
    let html = input.tera.render(template, &ctx).map_err(|e| template_error(input.templates_dir, &e))?;
    debug_assert_eq!(template, job_template(job));
    debug_assert!(path.starts_with(meta.path.trim_end_matches("404.html")));
    Ok(Page { path, content: html.into_bytes() })
}

/// An error that is a bug in gazette, not in the site.
fn internal_error(path: String, message: &str) -> crate::error::Error {
    crate::error::Error::Template { name: path, message: format!("internal error: {message}") }
}

fn meta(
    config: &Config,
    kind: &'static str,
    title: String,
    description: String,
    path: String,
    breadcrumbs: Vec<Link>,
) -> PageMeta {
    let feeds = if config.feeds.limit > 0 {
        vec![Link { label: config.title.clone(), path: "atom.xml".into() }]
    } else {
        Vec::new()
    };
    PageMeta {
        kind,
        canonical_url: format!("{}{}", config.base_url, path),
        root: root_prefix(&path),
        title,
        description,
        path,
        breadcrumbs,
        feeds,
        og_type: "website",
        image_url: String::new(),
        published_time: String::new(),
        modified_time: String::new(),
        tags: Vec::new(),
        json_ld_html: String::new(),
    }
}

/// Links a page to the feed that follows it.
fn add_feed(meta: &mut PageMeta, archive: &Archive, config: &Config, scope: FeedScope) {
    if let (true, Some(path)) = (config.feeds.limit > 0, feed_path(archive, scope)) {
        meta.feeds.push(Link { label: feed_title(archive, config, scope), path });
    }
}

/// `s` unless `n` is one: Tera's `pluralize`.
pub(super) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn view_year(archive: &Archive, id: ArticleId) -> i32 {
    archive.articles[id].date.year()
}

/// The context of an article page.
fn article_view(input: &RenderInput<'_>, id: ArticleId) -> ArticleView {
    let archive = input.archive;
    let a = &archive.articles[id];
    let root = root_prefix(&archive.article_path(id));
    let mut entities = ArticleEntities::default();
    // Where each first mention links to: which list of `entities` (people,
    // places, organisations) and the place in it.
    let mut first_mentions: Vec<((usize, usize), usize, usize)> = Vec::new();
    for ae in &archive.article_entities[id] {
        let Some(link) = entity_link(archive, ae.entity, ae.spans.len()) else { continue };
        let (which, list) = match archive.entities[ae.entity].kind {
            EntityKind::Person => (0, &mut entities.people),
            EntityKind::Place => (1, &mut entities.places),
            EntityKind::Organisation => (2, &mut entities.organisations),
            EntityKind::Misc => continue,
        };
        if let Some(&span) = ae.spans.first() {
            first_mentions.push((span, which, list.len()));
        }
        list.push(link);
    }
    let lists = [&entities.people, &entities.places, &entities.organisations];
    let mut links: Vec<SpanLink> = first_mentions
        .into_iter()
        .map(|((start, end), which, at)| SpanLink { start, end, root: &root, path: &lists[which][at].path })
        .collect();
    links.sort_by_key(|l| l.start);
    let neighbour =
        |other: ArticleId| Link { label: archive.articles[other].title.clone(), path: archive.article_path(other) };
    ArticleView {
        title: a.title.clone(),
        date: a.date.to_string(),
        date_display: date_display(a.date),
        caption: a.caption.clone().unwrap_or_default(),
        authors: a.authors.clone(),
        summary: if a.summary_given { a.summary.clone() } else { String::new() },
        source_url: a.source_url.clone().filter(|u| is_web_url(u)).unwrap_or_default(),
        source_name: a.source_name.clone().unwrap_or_default(),
        body_html: render_body(&a.body, &links, input.config.markdown.allow_raw_html),
        entities,
        day: day_link(a.date),
        month: month_link(a.date.year(), a.date.month()),
        year: year_link(a.date.year()),
        prev: id.checked_sub(1).map(neighbour),
        next: (id + 1 < archive.articles.len()).then(|| neighbour(id + 1)),
        word_count: a.word_count(),
        image: a
            .image
            .as_deref()
            .map(|image| if is_web_url(image) { image.to_string() } else { format!("{root}{image}") })
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_like_chrono_formats_them() {
        let mut date = NaiveDate::from_ymd_opt(1999, 12, 25).unwrap();
        for _ in 0..800 {
            assert_eq!(date_display(date), date.format("%A %-d %B %Y").to_string());
            date = date + chrono::Days::new(3);
        }
        assert_eq!(date_display(NaiveDate::from_ymd_opt(2022, 2, 28).unwrap()), "Monday 28 February 2022");
    }

    #[test]
    fn roots_and_pagination_paths() {
        assert_eq!(root_prefix(""), "./");
        assert_eq!(root_prefix("2022/02/28/slug/"), "../../../../");
        assert_eq!(paginated_path("people/", 1), "people/");
        assert_eq!(paginated_path("people/", 3), "people/page/3/");
        let p = pagination("", 2, 3);
        assert_eq!(p.prev.as_deref(), Some(""));
        assert_eq!(p.next.as_deref(), Some("page/3/"));
    }

    #[test]
    fn pagers_list_a_window_not_every_page() {
        let numbers: Vec<usize> = pagination("", 10, 20).pages.iter().map(|p| p.number).collect();
        assert_eq!(numbers, vec![1, 7, 8, 9, 10, 11, 12, 13, 20]);
        let numbers: Vec<usize> = pagination("", 1, 3).pages.iter().map(|p| p.number).collect();
        assert_eq!(numbers, vec![1, 2, 3]);
    }
}
