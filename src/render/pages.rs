//! Rendering pages: the jobs of the [job graph](super::jobs) in, files
//! (path and bytes) out, in parallel. Each HTML page's content comes from
//! [`views`](super::views); this module writes it, natively when the site
//! keeps the built-in templates of that page (see [`native`]), else
//! through the page's Tera template.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, OnceLock};

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use tera::{Context, Value};

use super::body::render_site_markdown;
use super::context::*;
use super::feeds::{feed_articles, feed_entry, feed_view};
use super::jobs::{self, EntityPart, EntityYearPart, Listing, PageJob, SearchFile, list_jobs};
use super::native::{self, NativePages};
use super::sitemap::{SITEMAP_LIMIT, SitemapEntry, robots_txt, sitemap_file};
use super::templates::Theme;
use super::views::{self, HtmlPage, PageView, entity_link, initial, summary};
use crate::archive::{Archive, ArticleId, EntityId, PageMentions, RelatedCounts};
use crate::config::Config;
use crate::entity_kind::EntityKind;
use crate::error::Result;
use crate::search::{self, SearchIndex};
use crate::text::normalize;

/// A rendered file: where it goes in the output folder and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Path relative to the output folder, `/`-separated (`2022/02/28/slug/index.html`).
    pub path: String,
    /// File contents.
    pub content: Vec<u8>,
}

/// Everything rendering needs, shared by all jobs.
pub struct RenderInput<'a> {
    /// The resolved archive.
    pub archive: &'a Archive,
    /// Site settings.
    pub config: &'a Config,
    /// The theme.
    pub theme: &'a Theme,
    /// The search index, when built beforehand; else built when a term
    /// shard is among the jobs.
    pub search: Option<&'a SearchIndex>,
    /// Pages written without Tera: the theme's choice, unless a caller
    /// (a test, the fuzz harness) asks for Tera everywhere.
    pub native: NativePages,
}

impl<'a> RenderInput<'a> {
    /// The input for rendering `archive` with `theme`, natively where the theme allows.
    pub fn new(archive: &'a Archive, config: &'a Config, theme: &'a Theme, search: Option<&'a SearchIndex>) -> Self {
        RenderInput { archive, config, theme, search, native: theme.native }
    }
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

/// What many pages need, computed once per render.
pub(super) struct Shared {
    /// The `site` variable.
    site: SiteContext,
    /// A context holding `site`, converted once and cloned (cheaply) for each page.
    base: Context,
    /// Months with articles, each with its days that have articles.
    pub(super) months: BTreeMap<(i32, u32), Vec<NaiveDate>>,
    /// Years with articles.
    pub(super) years: Vec<i32>,
    /// Days with articles by day of the year, each with its dates.
    pub(super) days_of_year: BTreeMap<(u32, u32), Vec<NaiveDate>>,
    /// Entities with pages, by kind, sorted by name.
    pub(super) by_name: HashMap<EntityKind, Vec<EntityLink>>,
    /// Entities with pages, by kind, most articles first.
    pub(super) by_count: HashMap<EntityKind, Vec<EntityLink>>,
    /// Each article's feed entry as a template value, made the first time a feed needs it.
    feed_entries: Vec<OnceLock<Value>>,
    /// Each article's feed entry as XML (when feeds are written natively).
    feed_entries_xml: Vec<OnceLock<String>>,
    /// Each article's list item head (for the lists of pages written natively).
    list_item_heads: Vec<OnceLock<(String, usize)>>,
    /// Each entity's parts with pages of their own (see
    /// [`jobs::entity_year_pages`]), found the first time one of its pages needs them.
    entity_parts: Vec<OnceLock<Vec<EntityYearPart>>>,
    /// The entities with pages of the articles that entity pages among the jobs list.
    pub(super) mentions: PageMentions,
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
            all.sort_by_cached_key(|e| (initial(&e.name), normalize(&e.name), e.name.clone()));
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
        // Entity pages read the mentions of every article of their entity.
        let (mut listed, mut seen) = (vec![false; archive.articles.len()], vec![false; archive.entities.len()]);
        for job in jobs {
            if let PageJob::Entity(id, _) | PageJob::EntityYear(id, ..) = *job
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
            input.search.is_none() && jobs.iter().any(|j| matches!(j, PageJob::SearchData(SearchFile::Shard(_))));
        let search = needs_index.then(|| SearchIndex::build(archive, search::stems(config)));
        Shared {
            site,
            base,
            months: archive.months(),
            years: archive.years(),
            days_of_year: archive.days_of_year(),
            by_name,
            by_count,
            feed_entries,
            feed_entries_xml,
            list_item_heads,
            entity_parts: (0..archive.entities.len()).map(|_| OnceLock::new()).collect(),
            mentions,
            related_counts: Mutex::new(Vec::new()),
            sitemap: OnceLock::new(),
            search,
        }
    }

    /// The summary of an article as a template value. Made anew for each
    /// list that shows it: kept for every article, the values would take
    /// more memory than the archive's entities (a kilobyte an article).
    fn summary(&self, archive: &Archive, id: ArticleId) -> Value {
        Value::from_serializable(&summary(archive, id))
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

    /// The list item head of an article, written once for every entity
    /// page that lists it: its link and its date, either side of where the
    /// headline's heading closes.
    fn list_item_head(&self, archive: &Archive, id: ArticleId) -> (&str, &str) {
        let (head, link_end) = self.list_item_heads[id].get_or_init(|| {
            let a = &archive.articles[id];
            native::list_item_head(&a.title, &archive.article_path(id), a.date)
        });
        head.split_at(*link_end)
    }

    /// An entity's parts with pages of their own, found once for all its pages.
    pub(super) fn entity_parts(&self, input: &RenderInput<'_>, id: EntityId) -> &[EntityYearPart] {
        self.entity_parts[id].get_or_init(|| jobs::entity_year_pages(input.archive, id, input.config))
    }

    /// The list items (snippets left empty) of several articles, for pages written natively.
    fn list_items<'a>(&'a self, archive: &'a Archive, ids: &[ArticleId]) -> Vec<native::ListItem<'a>> {
        let item = |id: ArticleId| {
            let (link, date) = self.list_item_head(archive, id);
            native::ListItem { link, date, summary: &archive.articles[id].summary, snippet: "" }
        };
        ids.iter().map(|&id| item(id)).collect()
    }

    /// The list items of an entity's page: its articles with the sentences that mention it.
    fn list_items_with_snippets<'a>(
        &'a self,
        archive: &'a Archive,
        ids: &[ArticleId],
        snippets: &[&'a str],
    ) -> Vec<native::ListItem<'a>> {
        let mut items = self.list_items(archive, ids);
        for (item, snippet) in items.iter_mut().zip(snippets) {
            item.snippet = snippet;
        }
        items
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
    pub(super) fn related(&self, archive: &Archive, id: EntityId) -> Vec<(EntityId, usize)> {
        let pool = || self.related_counts.lock().unwrap_or_else(|e| e.into_inner());
        let mut counts = pool().pop().unwrap_or_default();
        let related = self.mentions.related(archive, id, RELATED_LIMIT, &mut counts);
        pool().push(counts);
        related
    }

    pub(super) fn month_count(&self, archive: &Archive, year: i32, month: u32) -> usize {
        let only = archive.month_only.get(&(year, month)).map_or(0, Vec::len);
        only + self.months.get(&(year, month)).map_or(0, |days| days.iter().map(|d| archive.day_count(*d)).sum())
    }
}

/// The sitemap entry of an HTML page: its path and the date of the newest
/// article it shows.
fn sitemap_entry(archive: &Archive, config: &Config, job: PageJob) -> SitemapEntry {
    let day = |id: ArticleId| archive.articles[id].date.map(|d| d.first_day);
    let newest = archive.articles.len().checked_sub(1).and_then(day);
    let lastmod = match job {
        PageJob::Home(n) => archive.articles.len().checked_sub(1 + (n - 1) * config.pagination.home).and_then(day),
        PageJob::Article(id) => day(id),
        PageJob::Day(d, _) => Some(d),
        PageJob::Month(y, m, _) => archive.month_articles(y, m).last().and_then(|&id| day(id)),
        PageJob::Year(y) => archive.days.keys().rev().find(|d| d.year() == y).copied().or_else(|| {
            archive
                .month_only
                .range((y, 1)..=(y, 12))
                .next_back()
                .and_then(|(_, ids)| ids.last())
                .and_then(|&id| day(id))
        }),
        PageJob::Entity(id, n) => {
            let list = &archive.entities[id].articles;
            list.len().checked_sub(1 + (n - 1) * config.pagination.entity).and_then(|i| day(list[i]))
        }
        PageJob::EntityYear(id, part, n) => {
            let list = &archive.entities[id].articles;
            let range = match part {
                EntityPart::Years(..) => jobs::entity_year_pages(archive, id, config)
                    .into_iter()
                    .find(|(p, ..)| *p == part)
                    .map(|(_, range, _)| range),
                EntityPart::Undated => None,
            };
            range.and_then(|r| list[r].iter().rev().nth((n - 1) * config.pagination.entity_year).and_then(|&a| day(a)))
        }
        PageJob::Listing(Listing::Section(id), _) => archive.sections[id].articles.last().and_then(|&id| day(id)),
        PageJob::Listing(Listing::Undated, _) => None,
        PageJob::Thread(id) => archive.threads[id].articles.last().and_then(|&a| day(a)),
        _ => newest,
    };
    let path = job.output_path(archive);
    SitemapEntry { path: path.strip_suffix("index.html").unwrap_or(&path).to_string(), lastmod }
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

/// Renders one job to a page.
fn render_job(input: &RenderInput<'_>, shared: &Shared, job: PageJob) -> Result<Page> {
    let archive = input.archive;
    let config = input.config;
    let path = job.output_path(archive);
    match job {
        PageJob::Sitemap(n) => {
            let entries = shared.sitemap.get_or_init(|| {
                list_jobs(archive, config)
                    .into_iter()
                    .filter(|j| j.is_html_page())
                    .map(|j| sitemap_entry(archive, config, j))
                    .collect()
            });
            Ok(Page { path, content: sitemap_file(&config.base_url, entries, n, SITEMAP_LIMIT).into_bytes() })
        }
        PageJob::Robots => Ok(Page { path, content: robots_txt(&config.base_url).into_bytes() }),
        PageJob::Data(file) => Ok(Page { path, content: super::data::data_file(archive, config, file) }),
        PageJob::DataIndex => emit(input, shared, views::data_page(input), path),
        PageJob::SearchData(file) => {
            let content = match file {
                SearchFile::Manifest => search::index::manifest_file(archive, config),
                SearchFile::Docs(n) => search::index::chunk_file(archive, n, config.search.articles_per_file),
                SearchFile::Shard(shard) => match input.search.or(shared.search.as_ref()) {
                    Some(index) => index.shard_file(shard),
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
            let xml = input.theme.tera.render("atom.xml", &ctx).map_err(|e| input.theme.error(&e))?;
            Ok(Page { path, content: xml.into_bytes() })
        }
        PageJob::Search => emit(input, shared, views::search_page(input), path),
        PageJob::Home(n) => emit(input, shared, views::home_page(input, shared, n), path),
        PageJob::Article(id) => emit(input, shared, views::article_page(input, id), path),
        PageJob::Day(date, n) => emit(input, shared, views::day_page(input, shared, date, n), path),
        PageJob::Month(y, m, n) => emit(input, shared, views::month_page(input, shared, y, m, n), path),
        PageJob::Year(y) => emit(input, shared, views::year_page(input, shared, y), path),
        PageJob::Listing(Listing::Section(id), n) => emit(input, shared, views::section_page(input, id, n), path),
        PageJob::Listing(Listing::Undated, n) => emit(input, shared, views::undated_page(input, n), path),
        PageJob::Archive => emit(input, shared, views::archive_page(input, shared), path),
        PageJob::OnThisDay(m, d) => emit(input, shared, views::on_this_day_page(input, shared, m, d), path),
        PageJob::DaysOfYear => emit(input, shared, views::days_of_year_page(input, shared), path),
        PageJob::Thread(id) => emit(input, shared, views::thread_page(input, id), path),
        PageJob::Threads(n) => emit(input, shared, views::threads_page(input, n), path),
        PageJob::EntityList(kind, order, n) => {
            emit(input, shared, views::entity_list_page(input, shared, kind, order, n), path)
        }
        PageJob::Entity(id, n) => emit(input, shared, views::entity_page(input, shared, id, n), path),
        PageJob::EntityYear(id, part, n) => {
            emit(input, shared, views::entity_year_page(input, shared, id, part, n), path)
        }
        PageJob::NotFound => emit(input, shared, views::not_found_page(input), path),
    }
}

/// Writes an HTML page: natively when its kind may be, else through its template.
fn emit(input: &RenderInput<'_>, shared: &Shared, page: HtmlPage<'_>, path: String) -> Result<Page> {
    let archive = input.archive;
    let native = input.native;
    let site = &shared.site;
    let m = &page.meta;
    let html = match &page.view {
        PageView::Home { articles, pagination, on_this_day, older } if native.home => {
            let items = shared.list_items(archive, articles);
            Some(native::home_page(site, m, &items, pagination, on_this_day.as_ref(), older.as_ref()))
        }
        PageView::Article(view) if native.articles => Some(native::article_page(site, m, view)),
        PageView::Day { period, articles, pagination, around, other_years } if native.days => {
            let items = shared.list_items(archive, articles);
            let around = (around.0.as_ref(), around.1.as_ref());
            Some(native::day_page(site, m, period, &items, pagination, around, other_years.as_ref()))
        }
        PageView::Month { period, calendar, days, articles, pagination, around } if native.months => {
            let view = native::MonthView { period, calendar, days };
            let items = shared.list_items(archive, articles);
            Some(native::month_page(site, m, &view, &items, pagination, (around.0.as_ref(), around.1.as_ref())))
        }
        PageView::Entity { entity, articles, snippets, groups, pagination } if native.entities => {
            let items = shared.list_items_with_snippets(archive, articles, snippets);
            Some(native::entity_page(site, m, entity, &items, groups, pagination))
        }
        PageView::EntityYear { entity, year, timeline_html, articles, snippets, groups, pagination, around }
            if native.entity_years =>
        {
            let items = shared.list_items_with_snippets(archive, articles, snippets);
            let view = native::EntityYearView { entity, year, timeline_html, groups };
            Some(native::entity_year_page(site, m, &view, &items, pagination, (around.0.as_ref(), around.1.as_ref())))
        }
        _ => None,
    };
    if let Some(html) = html {
        return Ok(Page { path, content: html.into_bytes() });
    }
    // The shared base (`site`) joins at the end, so that pages written natively never copy it.
    let mut ctx = Context::new();
    let template = match page.view {
        PageView::Search => "search.html",
        PageView::Home { articles, pagination, on_this_day, older } => {
            ctx.insert_value("articles", shared.summaries(archive, articles.into_iter()));
            ctx.insert("pagination", &pagination);
            ctx.insert("on_this_day", &on_this_day);
            ctx.insert("older", &older);
            "home.html"
        }
        PageView::Article(view) => {
            ctx.insert("article", &view);
            "article.html"
        }
        PageView::Day { period, articles, pagination, around: (prev, next), other_years } => {
            ctx.insert("period", &period);
            ctx.insert_value("articles", shared.summaries(archive, articles.into_iter()));
            ctx.insert("pagination", &pagination);
            ctx.insert("prev", &prev);
            ctx.insert("next", &next);
            ctx.insert("other_years", &other_years);
            "day.html"
        }
        PageView::OnThisDay { day, count, years, around: (prev, next) } => {
            let years: Vec<Value> = years
                .into_iter()
                .map(|(period, ids)| {
                    let mut year = tera::Map::new();
                    year.insert("more".into(), Value::from(period.count - ids.len()));
                    year.insert("day".into(), Value::from_serializable(&period));
                    year.insert("articles".into(), shared.summaries(archive, ids.into_iter()));
                    Value::from(year)
                })
                .collect();
            ctx.insert("day", &day);
            ctx.insert("count", &count);
            ctx.insert_value("years", Value::from(years));
            ctx.insert("prev", &prev);
            ctx.insert("next", &next);
            "on_this_day.html"
        }
        PageView::Thread { thread, articles, timeline_html } => {
            ctx.insert("thread", &thread);
            ctx.insert_value("articles", shared.summaries(archive, articles.into_iter()));
            ctx.insert("timeline_html", &timeline_html);
            "thread.html"
        }
        PageView::Threads { threads, count, pagination } => {
            ctx.insert("threads", &threads);
            ctx.insert("count", &count);
            ctx.insert("pagination", &pagination);
            "threads.html"
        }
        PageView::DaysOfYear { months, days } => {
            ctx.insert("months", &months);
            ctx.insert("days", &days);
            "days_of_year.html"
        }
        PageView::Month { period, calendar, days, articles, pagination, around: (prev, next) } => {
            ctx.insert("period", &period);
            ctx.insert("calendar", &calendar);
            ctx.insert("days", &days);
            ctx.insert_value("articles", shared.summaries(archive, articles.into_iter()));
            ctx.insert("pagination", &pagination);
            ctx.insert("prev", &prev);
            ctx.insert("next", &next);
            "month.html"
        }
        PageView::Year { period, months, articles, around: (prev, next) } => {
            ctx.insert("period", &period);
            ctx.insert("months", &months);
            ctx.insert_value("articles", shared.summaries(archive, articles.into_iter()));
            ctx.insert("prev", &prev);
            ctx.insert("next", &next);
            "year.html"
        }
        PageView::Archive { years, sections, undated, on_this_day, threads } => {
            ctx.insert("on_this_day", &on_this_day);
            ctx.insert("threads", &threads);
            ctx.insert("years", &years);
            ctx.insert("sections", &sections);
            ctx.insert("undated", &undated);
            "archive.html"
        }
        PageView::Listing { kind, list, articles, pagination } => {
            ctx.insert("kind", kind);
            ctx.insert("list", &list);
            ctx.insert_value("articles", shared.summaries(archive, articles.into_iter()));
            ctx.insert("pagination", &pagination);
            "listing.html"
        }
        PageView::EntityList { section, kind, order, orders, letters, entities, top, pagination } => {
            ctx.insert("section", &section);
            ctx.insert("kind", kind);
            ctx.insert("order", order);
            ctx.insert("orders", &orders);
            ctx.insert("letters", &letters);
            ctx.insert("entities", &entities);
            ctx.insert("top", &top);
            ctx.insert("pagination", &pagination);
            "entity_list.html"
        }
        PageView::Entity { entity, articles, snippets, groups, pagination } => {
            insert_entity_articles(&mut ctx, shared, archive, &articles, &snippets, &groups);
            ctx.insert("entity", &entity);
            ctx.insert("pagination", &pagination);
            "entity.html"
        }
        PageView::EntityYear { entity, year, timeline_html, articles, snippets, groups, pagination, around } => {
            insert_entity_articles(&mut ctx, shared, archive, &articles, &snippets, &groups);
            ctx.insert("entity", &entity);
            ctx.insert("year", &year);
            ctx.insert("timeline_html", &timeline_html);
            ctx.insert("pagination", &pagination);
            ctx.insert("prev", &around.0);
            ctx.insert("next", &around.1);
            "entity_year.html"
        }
        PageView::Data { files } => {
            ctx.insert("files", &files);
            "data.html"
        }
        PageView::NotFound => "404.html",
    };
    ctx.insert("page", &page.meta);
    ctx.extend(shared.base.clone());
    let html = input.theme.tera.render(template, &ctx).map_err(|e| input.theme.error(&e))?;
    debug_assert!(path.starts_with(page.meta.path.trim_end_matches("404.html")));
    Ok(Page { path, content: html.into_bytes() })
}

/// An entity page's `articles` (each with the sentence that mentions the
/// entity) and `groups`, as template values.
fn insert_entity_articles(
    ctx: &mut Context,
    shared: &Shared,
    archive: &Archive,
    articles: &[ArticleId],
    snippets: &[&str],
    groups: &[ArticleGroup],
) {
    let articles: Vec<Value> = articles
        .iter()
        .zip(snippets)
        .map(|(&aid, s)| shared.summary_with(archive, aid, "snippet", s.to_string()))
        .collect();
    ctx.insert_value("groups", grouped(groups, &articles));
    ctx.insert_value("articles", Value::from(articles));
}

/// The groups of a page's articles as template values: each group's
/// label, id and articles (`articles` are the page's, in order).
fn grouped(groups: &[ArticleGroup], articles: &[Value]) -> Value {
    let mut rest = articles;
    let values = groups
        .iter()
        .map(|group| {
            let (these, after) = rest.split_at(group.count.min(rest.len()));
            rest = after;
            let mut value = tera::Map::new();
            value.insert("label".into(), Value::from(group.label.as_str()));
            value.insert("id".into(), Value::from(group.id.as_str()));
            value.insert("articles".into(), Value::from(these.to_vec()));
            Value::from(value)
        })
        .collect::<Vec<Value>>();
    Value::from(values)
}

/// An error that is a bug in gazette, not in the site.
fn internal_error(path: String, message: &str) -> crate::error::Error {
    crate::error::Error::Template { name: path, message: format!("internal error: {message}") }
}

/// How many related entities the first page of an entity shows.
const RELATED_LIMIT: usize = 12;
