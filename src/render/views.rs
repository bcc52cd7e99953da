//! What each kind of HTML page shows, as typed data: one function per page
//! kind turns a job into an [`HtmlPage`], which [`pages`](super::pages)
//! then writes natively or through the page's Tera template.

use chrono::{Datelike, NaiveDate};

use super::body::{SpanLink, render_body};
use super::calendar::month_calendar;
use super::context::*;
use super::feeds::{FeedScope, feed_path, feed_title};
use super::jobs::{self, EntityPart, ListOrder};
use super::links::*;
use super::metadata::{describe_article, describe_entity, describe_site, is_web_url};
use super::pages::{RenderInput, Shared};
use super::timeline::{TimelineBin, thread_timeline_svg, timeline_svg};
use crate::archive::{
    Archive, ArticleId, EntityId, ON_THIS_DAY_PATH, PageMentions, SectionId, THREADS_PATH, ThreadId, UNDATED_PATH,
    day_path, month_path, on_this_day_path, year_path,
};
use crate::config::Config;
use crate::content::{Precision, PubDate};
use crate::entity_kind::EntityKind;
use crate::text::plural;

/// How many entities the "most mentioned" list of an A–Z page shows.
const TOP_ENTITIES: usize = 20;

/// An HTML page before it is written: what every page has, and what its kind shows.
pub struct HtmlPage<'a> {
    /// Title, path, breadcrumbs, feeds and metadata.
    pub meta: PageMeta,
    /// The page's own content.
    pub view: PageView<'a>,
}

/// The content of an HTML page, by kind; each variant is what the page's
/// template reads (see `templates/README.md`). Lists of articles are ids:
/// the writer turns them into list items or template values.
pub enum PageView<'a> {
    /// `search.html`: the search form (the page's script does the rest).
    Search,
    /// `home.html`: a page of the latest articles.
    Home {
        /// The articles of this page, newest first.
        articles: Vec<ArticleId>,
        /// The pager.
        pagination: Pagination,
        /// The link to "on this day" (first page, when articles are dated to the day).
        on_this_day: Option<OnThisDayLink>,
        /// On the last page, when older articles are left: the date page they go on from.
        older: Option<Link>,
    },
    /// `article.html`.
    Article(Box<ArticleView>),
    /// `day.html`: a page of a day's articles.
    Day {
        /// The day and its article count.
        period: PeriodLink,
        /// The articles of this page.
        articles: Vec<ArticleId>,
        /// The pager.
        pagination: Pagination,
        /// The days with articles either side.
        around: (Option<Link>, Option<Link>),
        /// The same day of the year in other years, when other years have articles on it.
        other_years: Option<Link>,
    },
    /// `month.html`: a month's calendar and days, and a page of its articles.
    Month {
        /// The month and its article count.
        period: PeriodLink,
        /// Articles per day, as a calendar.
        calendar: Calendar,
        /// Its days with articles.
        days: Vec<PeriodLink>,
        /// The articles of this page.
        articles: Vec<ArticleId>,
        /// The pager.
        pagination: Pagination,
        /// The months with articles either side.
        around: (Option<Link>, Option<Link>),
    },
    /// `year.html`: a year's months.
    Year {
        /// The year and its article count.
        period: PeriodLink,
        /// Its months with articles.
        months: Vec<PeriodLink>,
        /// Its articles dated only to the year.
        articles: Vec<ArticleId>,
        /// The years with articles either side.
        around: (Option<Link>, Option<Link>),
    },
    /// `archive.html`: every year and month, newest first; sections; undated articles.
    Archive {
        /// The years, each with its months.
        years: Vec<ArchiveYear>,
        /// The sections, by name, with their article counts.
        sections: Vec<PeriodLink>,
        /// The undated articles' list and count, if there are any.
        undated: Option<PeriodLink>,
        /// The calendar of "on this day" pages, when articles are dated to the day.
        on_this_day: Option<Link>,
        /// The list of story threads, when there are any.
        threads: Option<PeriodLink>,
    },
    /// `on_this_day.html`: the articles of one day of the year in every year.
    OnThisDay {
        /// The day of the year (`5 March`, `on-this-day/03-05/`).
        day: Link,
        /// Its number of articles in all years.
        count: usize,
        /// Each year with articles on that day, newest first: the day's page
        /// with its article count, and its first articles.
        years: Vec<(PeriodLink, Vec<ArticleId>)>,
        /// The days of the year with articles either side.
        around: (Option<Link>, Option<Link>),
    },
    /// `days_of_year.html`: every day of the year, linking to its "on this day" page.
    DaysOfYear {
        /// The twelve months.
        months: Vec<DaysOfMonth>,
        /// How many days of the year have articles.
        days: usize,
    },
    /// `thread.html`: a story thread, its timeline and its articles in date order.
    Thread {
        /// Title, count, dates and shared entities.
        thread: ThreadView,
        /// Its articles, oldest first.
        articles: Vec<ArticleId>,
        /// Its articles on a time line, an inline SVG.
        timeline_html: String,
    },
    /// `threads.html`: a page of the list of story threads, newest first.
    Threads {
        /// The threads of this page.
        threads: Vec<ThreadView>,
        /// How many threads there are.
        count: usize,
        /// The pager.
        pagination: Pagination,
    },
    /// `listing.html`: a page of a list of articles that is neither a date
    /// nor an entity: a section's, or the undated articles'.
    Listing {
        /// `section` or `undated`.
        kind: &'static str,
        /// The list's name, first page and article count.
        list: PeriodLink,
        /// The articles of this page.
        articles: Vec<ArticleId>,
        /// The pager.
        pagination: Pagination,
    },
    /// `entity_list.html`: a page of the entities of one kind.
    EntityList {
        /// The list's first page (A–Z).
        section: Link,
        /// `person`, `place` or `organisation`.
        kind: &'static str,
        /// `name` or `count`.
        order: &'static str,
        /// Both orders of the list.
        orders: [Link; 2],
        /// Where each letter starts (A–Z order only).
        letters: Vec<Link>,
        /// The entities of this page.
        entities: Vec<EntityLink>,
        /// The most mentioned (first page of A–Z only).
        top: Vec<EntityLink>,
        /// The pager.
        pagination: Pagination,
    },
    /// `entity.html`: an entity and a page of the articles that mention it.
    Entity {
        /// Names, counts, related entities and timeline.
        entity: Box<EntityView>,
        /// The articles of this page, newest first.
        articles: Vec<ArticleId>,
        /// For each article, the sentence that mentions the entity.
        snippets: Vec<&'a str>,
        /// The articles under month headings (long lists only, else empty).
        groups: Vec<ArticleGroup>,
        /// The pager.
        pagination: Pagination,
    },
    /// `entity_year.html`: a page of the articles of one year that mention an entity.
    EntityYear {
        /// The entity (without its related entities and timeline).
        entity: Box<EntityView>,
        /// The year, its page and its number of articles.
        year: PeriodLink,
        /// The year's mentions by month, an inline SVG whose bars link to the month's articles.
        timeline_html: String,
        /// The articles of this page, newest first.
        articles: Vec<ArticleId>,
        /// For each article, the sentence that mentions the entity.
        snippets: Vec<&'a str>,
        /// The articles under month headings.
        groups: Vec<ArticleGroup>,
        /// The pager.
        pagination: Pagination,
        /// The entity's years with a page either side.
        around: (Option<Link>, Option<Link>),
    },
    /// `data.html`: the archive's data files.
    Data {
        /// Each file: its path, what it holds and its line count.
        files: Vec<DataFileView>,
    },
    /// `404.html`.
    NotFound,
}

/// The search page.
pub(super) fn search_page(input: &RenderInput<'_>) -> HtmlPage<'static> {
    let description =
        format!("Search {} articles by word, person, place, organisation and year", input.archive.articles.len());
    HtmlPage {
        meta: meta(input.config, "search", "Search".into(), description, "search/".into(), vec![home_link()]),
        view: PageView::Search,
    }
}

/// Page `n` of the home page.
pub(super) fn home_page(input: &RenderInput<'_>, shared: &Shared, n: usize) -> HtmlPage<'static> {
    let (archive, config) = (input.archive, input.config);
    let per = config.pagination.home;
    let articles: Vec<ArticleId> = (0..archive.articles.len()).rev().skip((n - 1) * per).take(per).collect();
    let pages = jobs::home_pages(archive, config);
    let pagination = pagination("", n, pages);
    // The last page leads on to the month (or year, or undated list) of the next older article.
    let older = (n == pages)
        .then(|| archive.articles.len().checked_sub(1 + n * per))
        .flatten()
        .and_then(|next| period_links(archive.articles[next].date).into_iter().take(2).next_back());
    let title = if n == 1 { config.title.clone() } else { format!("Latest articles, page {n}") };
    let crumbs = if n == 1 { vec![] } else { vec![home_link()] };
    let mut m = meta(config, "home", title, config.description.clone(), paginated_path("", n), crumbs);
    if n == 1 {
        describe_site(&mut m, config);
    }
    let on_this_day = (n == 1 && !shared.days_of_year.is_empty()).then(|| OnThisDayLink {
        path: ON_THIS_DAY_PATH.into(),
        days: shared.days_of_year.keys().map(|(m, d)| format!("{m:02}-{d:02}")).collect::<Vec<_>>().join(" "),
    });
    HtmlPage { meta: m, view: PageView::Home { articles, pagination, on_this_day, older } }
}

/// An article's page.
pub(super) fn article_page(input: &RenderInput<'_>, id: ArticleId) -> HtmlPage<'static> {
    let (archive, config) = (input.archive, input.config);
    let view = article_view(input, id);
    let a = &archive.articles[id];
    let mut crumbs = vec![home_link()];
    crumbs.extend(view.periods.iter().rev().cloned());
    let mut m = meta(config, "article", view.title.clone(), a.summary.clone(), archive.article_path(id), crumbs);
    describe_article(&mut m, archive, config, id, &view.entities);
    HtmlPage { meta: m, view: PageView::Article(Box::new(view)) }
}

/// Page `n` of a day.
pub(super) fn day_page(input: &RenderInput<'_>, shared: &Shared, date: NaiveDate, n: usize) -> HtmlPage<'static> {
    let (archive, config) = (input.archive, input.config);
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
    let articles: Vec<ArticleId> = ids.iter().skip((n - 1) * per).take(per).copied().collect();
    let pagination = pagination(&day_path(date), n, jobs::day_pages(archive, date, config));
    let crumbs = vec![home_link(), year_link(date.year()), month_link(date.year(), date.month())];
    let description = format!("{} article{} published on {}", ids.len(), plural(ids.len()), period.label);
    let title = if n == 1 { period.label.clone() } else { format!("{}, page {n}", period.label) };
    let m = meta(config, "day", title, description, paginated_path(&day_path(date), n), crumbs);
    let other_years =
        shared.days_of_year.get(&(date.month(), date.day())).filter(|dates| dates.len() > 1).map(|_| Link {
            label: format!("{} in other years", day_of_year_label(date.month(), date.day())),
            path: on_this_day_path(date.month(), date.day()),
        });
    HtmlPage { meta: m, view: PageView::Day { period, articles, pagination, around: (prev, next), other_years } }
}

/// What the page and the list of threads show of a thread.
fn thread_view(archive: &Archive, id: ThreadId) -> ThreadView {
    let t = &archive.threads[id];
    let date_of = |a: ArticleId| {
        let (date, display) = date_strings(archive.articles[a].date);
        DateText { date, display }
    };
    ThreadView {
        link: Link { label: t.title.clone(), path: archive.thread_path(id) },
        count: t.articles.len(),
        first: date_of(t.articles[0]),
        last: date_of(t.articles[t.articles.len() - 1]),
        entities: t
            .entities
            .iter()
            .filter_map(|&e| entity_link(archive, e, archive.entities[e].articles.len()))
            .collect(),
    }
}

/// The link to the list of threads, as breadcrumbs show it.
fn threads_link() -> Link {
    Link { label: "Stories".into(), path: THREADS_PATH.into() }
}

/// A story thread's page.
pub(super) fn thread_page(input: &RenderInput<'_>, id: ThreadId) -> HtmlPage<'static> {
    let (archive, config) = (input.archive, input.config);
    let thread = thread_view(archive, id);
    let articles = archive.threads[id].articles.clone();
    let points: Vec<(NaiveDate, String)> = articles
        .iter()
        .filter_map(|&a| archive.articles[a].date.map(|d| (d.first_day, archive.articles[a].title.clone())))
        .collect();
    let timeline_html = thread_timeline_svg(&thread.link.label, &points);
    let description = format!(
        "A story in {} articles, {} to {}: {}",
        thread.count, thread.first.display, thread.last.display, thread.link.label
    );
    let m = meta(
        config,
        "thread",
        thread.link.label.clone(),
        description,
        thread.link.path.clone(),
        vec![home_link(), threads_link()],
    );
    HtmlPage { meta: m, view: PageView::Thread { thread, articles, timeline_html } }
}

/// Page `n` of the list of story threads, newest (by last article) first.
pub(super) fn threads_page(input: &RenderInput<'_>, n: usize) -> HtmlPage<'static> {
    let (archive, config) = (input.archive, input.config);
    let mut order: Vec<ThreadId> = (0..archive.threads.len()).collect();
    order.sort_by_key(|&t| std::cmp::Reverse((archive.threads[t].articles.last().copied(), std::cmp::Reverse(t))));
    let per = config.pagination.period.max(1);
    let threads = order.iter().skip((n - 1) * per).take(per).map(|&t| thread_view(archive, t)).collect();
    let count = archive.threads.len();
    let pagination = pagination(THREADS_PATH, n, jobs::thread_list_pages(archive, config));
    let title = if n == 1 { "Stories".to_string() } else { format!("Stories, page {n}") };
    let description = format!("{count} stories followed over several articles, newest first");
    let crumbs = if n == 1 { vec![home_link()] } else { vec![home_link(), threads_link()] };
    let m = meta(config, "threads", title, description, paginated_path(THREADS_PATH, n), crumbs);
    HtmlPage { meta: m, view: PageView::Threads { threads, count, pagination } }
}

/// `5 March`
fn day_of_year_label(month: u32, day: u32) -> String {
    // A leap year, so that 29 February has a name.
    NaiveDate::from_ymd_opt(2000, month, day)
        .map_or_else(|| format!("{day}/{month}"), |d| d.format("%-d %B").to_string())
}

/// A link to the "on this day" page of a day of the year.
fn day_of_year_link(month: u32, day: u32) -> Link {
    Link { label: day_of_year_label(month, day), path: on_this_day_path(month, day) }
}

/// The articles of one day of the year in every year, newest year first;
/// each year shows its day's first page of articles and links to the rest.
pub(super) fn on_this_day_page(input: &RenderInput<'_>, shared: &Shared, month: u32, day: u32) -> HtmlPage<'static> {
    let (archive, config) = (input.archive, input.config);
    let dates = shared.days_of_year.get(&(month, day)).map_or(&[][..], Vec::as_slice);
    let years: Vec<(PeriodLink, Vec<ArticleId>)> = dates
        .iter()
        .rev()
        .map(|&date| {
            let ids = &archive.days[&date];
            let link = day_link(date);
            let period = PeriodLink { label: link.label, path: link.path, count: ids.len() };
            (period, ids.iter().take(config.pagination.period.max(1)).copied().collect())
        })
        .collect();
    let count = years.iter().map(|(p, _)| p.count).sum();
    let prev = shared.days_of_year.range(..(month, day)).next_back().map(|(&(m, d), _)| day_of_year_link(m, d));
    let next = shared.days_of_year.range((month, day + 1)..).next().map(|(&(m, d), _)| day_of_year_link(m, d));
    let link = day_of_year_link(month, day);
    let title = format!("On this day: {}", link.label);
    let description = format!(
        "{count} article{} published on {} in {} year{}",
        plural(count),
        link.label,
        years.len(),
        plural(years.len())
    );
    let crumbs = vec![home_link(), Link { label: "On this day".into(), path: ON_THIS_DAY_PATH.into() }];
    let m = meta(config, "on_this_day", title, description, link.path.clone(), crumbs);
    HtmlPage { meta: m, view: PageView::OnThisDay { day: link, count, years, around: (prev, next) } }
}

/// Every day of the year, each with its number of articles in all years
/// and a link to its "on this day" page.
pub(super) fn days_of_year_page(input: &RenderInput<'_>, shared: &Shared) -> HtmlPage<'static> {
    let archive = input.archive;
    let months: Vec<DaysOfMonth> = (1..=12)
        .map(|month| DaysOfMonth {
            label: NaiveDate::from_ymd_opt(2000, month, 1).map_or_else(String::new, |d| d.format("%B").to_string()),
            days: (1..=super::calendar::days_in_month(2000, month))
                .map(|day| {
                    let dates = shared.days_of_year.get(&(month, day));
                    let count = dates.map_or(0, |ds| ds.iter().map(|&d| archive.day_count(d)).sum());
                    let path = if dates.is_some() { on_this_day_path(month, day) } else { String::new() };
                    CalendarDay { day, count, path }
                })
                .collect(),
        })
        .collect();
    let days = shared.days_of_year.len();
    let description = format!("The articles of each day of the year, in every year: {days} days have articles");
    let m = meta(
        input.config,
        "days_of_year",
        "On this day".into(),
        description,
        ON_THIS_DAY_PATH.into(),
        vec![home_link()],
    );
    HtmlPage { meta: m, view: PageView::DaysOfYear { months, days } }
}

/// Page `n` of a month.
pub(super) fn month_page(
    input: &RenderInput<'_>,
    shared: &Shared,
    year: i32,
    month: u32,
    n: usize,
) -> HtmlPage<'static> {
    let (archive, config) = (input.archive, input.config);
    let per = config.pagination.period;
    let months = &shared.months;
    let month_days = &months[&(year, month)];
    let ids: Vec<ArticleId> = archive.month_articles(year, month);
    let prev = months.range(..(year, month)).next_back().map(|(&(y, m), _)| month_link(y, m));
    let next = months.range((year, month + 1)..).next().map(|(&(y, m), _)| month_link(y, m));
    let days: Vec<PeriodLink> = month_days
        .iter()
        .map(|&d| PeriodLink { label: date_display(d), path: day_path(d), count: archive.day_count(d) })
        .collect();
    let label = month_label(year, month);
    let period = PeriodLink { label: label.clone(), path: month_path(year, month), count: ids.len() };
    let calendar = month_calendar(archive, year, month);
    let articles: Vec<ArticleId> = ids.iter().skip((n - 1) * per).take(per).copied().collect();
    let pagination = pagination(&month_path(year, month), n, jobs::month_pages(ids.len(), config));
    let description = format!("{} article{} published in {label}", ids.len(), plural(ids.len()));
    let title = if n == 1 { label } else { format!("{label}, page {n}") };
    let path = paginated_path(&month_path(year, month), n);
    let m = meta(config, "month", title, description, path, vec![home_link(), year_link(year)]);
    HtmlPage { meta: m, view: PageView::Month { period, calendar, days, articles, pagination, around: (prev, next) } }
}

/// A year's page.
pub(super) fn year_page(input: &RenderInput<'_>, shared: &Shared, year: i32) -> HtmlPage<'static> {
    let (archive, config) = (input.archive, input.config);
    let months = &shared.months;
    let list: Vec<PeriodLink> = months
        .range((year, 1)..=(year, 12))
        .map(|(&(y, m), _)| PeriodLink {
            label: month_label(y, m),
            path: month_path(y, m),
            count: shared.month_count(archive, y, m),
        })
        .collect();
    let articles = archive.year_only.get(&year).cloned().unwrap_or_default();
    let count = list.iter().map(|p| p.count).sum::<usize>() + articles.len();
    let years = &shared.years;
    let at = years.partition_point(|&y| y < year);
    let prev = at.checked_sub(1).map(|i| year_link(years[i]));
    let next = years.get(at + 1).filter(|&&y| y > year).map(|&y| year_link(y));
    let period = PeriodLink { label: year.to_string(), path: year_path(year), count };
    let description = format!("{count} article{} published in {year}", plural(count));
    let m = meta(config, "year", year.to_string(), description, year_path(year), vec![home_link()]);
    HtmlPage { meta: m, view: PageView::Year { period, months: list, articles, around: (prev, next) } }
}

/// The archive overview: every year and month, newest first.
pub(super) fn archive_page(input: &RenderInput<'_>, shared: &Shared) -> HtmlPage<'static> {
    let (archive, config) = (input.archive, input.config);
    let mut years: Vec<ArchiveYear> = shared
        .years
        .iter()
        .map(|&y| ArchiveYear {
            year: PeriodLink {
                label: y.to_string(),
                path: year_path(y),
                count: archive.year_only.get(&y).map_or(0, Vec::len),
            },
            months: Vec::new(),
        })
        .collect();
    for &(y, m) in shared.months.keys() {
        let count = shared.month_count(archive, y, m);
        let Some(ay) = years.iter_mut().find(|ay| ay.year.path == year_path(y)) else { continue };
        ay.year.count += count;
        ay.months.push(PeriodLink { label: month_label(y, m), path: month_path(y, m), count });
    }
    years.reverse();
    let sections = (0..archive.sections.len()).map(|id| section_link(archive, id)).collect();
    let undated = (!archive.undated.is_empty()).then(|| undated_list(archive));
    let description = format!("All {} articles by year and month", archive.articles.len());
    let m = meta(config, "archive", "Archive".into(), description, "archive/".into(), vec![home_link()]);
    let on_this_day = (!shared.days_of_year.is_empty()).then(|| Link {
        label: "On this day: every day of the year, in every year".into(),
        path: ON_THIS_DAY_PATH.into(),
    });
    let threads = (!archive.threads.is_empty()).then(|| PeriodLink {
        label: "Stories followed over several articles".into(),
        path: THREADS_PATH.into(),
        count: archive.threads.len(),
    });
    HtmlPage { meta: m, view: PageView::Archive { years, sections, undated, on_this_day, threads } }
}

/// A section's first page, with its article count.
fn section_link(archive: &Archive, id: SectionId) -> PeriodLink {
    let s = &archive.sections[id];
    PeriodLink { label: s.name.clone(), path: archive.section_path(id), count: s.articles.len() }
}

/// The undated list's first page, with its article count.
fn undated_list(archive: &Archive) -> PeriodLink {
    PeriodLink { label: "Undated articles".into(), path: UNDATED_PATH.into(), count: archive.undated.len() }
}

/// Page `n` of a section's list of articles, newest first.
pub(super) fn section_page(input: &RenderInput<'_>, id: SectionId, n: usize) -> HtmlPage<'static> {
    let (archive, config) = (input.archive, input.config);
    let list = section_link(archive, id);
    let ids = &archive.sections[id].articles;
    let articles =
        ids.iter().rev().skip((n - 1) * config.pagination.period).take(config.pagination.period).copied().collect();
    let description = format!("{} article{} in {}", list.count, plural(list.count), list.label);
    let mut page = listing_page(input, "section", list, articles, n, description);
    add_feed(&mut page.meta, archive, config, FeedScope::Section(id));
    page
}

/// Page `n` of the list of undated articles, by title.
pub(super) fn undated_page(input: &RenderInput<'_>, n: usize) -> HtmlPage<'static> {
    let (archive, config) = (input.archive, input.config);
    let list = undated_list(archive);
    let per = config.pagination.period;
    let articles = archive.undated.iter().skip((n - 1) * per).take(per).copied().collect();
    let description = format!("{} article{} without a date, by title", list.count, plural(list.count));
    listing_page(input, "undated", list, articles, n, description)
}

fn listing_page(
    input: &RenderInput<'_>,
    kind: &'static str,
    list: PeriodLink,
    articles: Vec<ArticleId>,
    n: usize,
    description: String,
) -> HtmlPage<'static> {
    let config = input.config;
    let pagination = pagination(&list.path, n, jobs::page_count(list.count, config.pagination.period));
    let title = if n == 1 { list.label.clone() } else { format!("{}, page {n}", list.label) };
    let crumbs = if n == 1 {
        vec![home_link()]
    } else {
        vec![home_link(), Link { label: list.label.clone(), path: list.path.clone() }]
    };
    let m = meta(config, kind, title, description, paginated_path(&list.path, n), crumbs);
    HtmlPage { meta: m, view: PageView::Listing { kind, list, articles, pagination } }
}

/// Page `n` of the list of entities of `kind` in `order`.
pub(super) fn entity_list_page(
    input: &RenderInput<'_>,
    shared: &Shared,
    kind: EntityKind,
    order: ListOrder,
    n: usize,
) -> HtmlPage<'static> {
    let (archive, config) = (input.archive, input.config);
    let base = order.base_path(kind);
    let all = match order {
        ListOrder::Name => &shared.by_name[&kind],
        ListOrder::Count => &shared.by_count[&kind],
    };
    let per = config.pagination.entity_list;
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
    let ordered = if order == ListOrder::Name { label.clone() } else { format!("{label} by number of articles") };
    let title = if n == 1 { ordered } else { format!("{ordered}, page {n}") };
    let description = format!("{} {} mentioned in the archive", all.len(), label.to_lowercase());
    let crumbs = if order == ListOrder::Name {
        vec![home_link()]
    } else {
        vec![home_link(), Link { label: label.clone(), path: name_list.clone() }]
    };
    let mut m = meta(config, "entity_list", title, description, paginated_path(&base, n), crumbs);
    add_feed(&mut m, archive, config, FeedScope::Kind(kind));
    let view = PageView::EntityList {
        section: Link { label, path: name_list.clone() },
        kind: kind.name(),
        order: if order == ListOrder::Name { "name" } else { "count" },
        orders: [
            Link { label: "A–Z".into(), path: name_list },
            Link { label: "Most mentioned".into(), path: count_list },
        ],
        letters,
        entities: slice_page(all, n, per),
        top,
        pagination: pagination(&base, n, jobs::entity_list_pages(all.len(), config)),
    };
    HtmlPage { meta: m, view }
}

/// Entity lists longer than this group their articles under month headings.
const GROUPED_LIST: usize = 10;

/// Page `n` of an entity's page.
pub(super) fn entity_page<'a>(input: &RenderInput<'a>, shared: &'a Shared, id: EntityId, n: usize) -> HtmlPage<'a> {
    let (archive, config) = (input.archive, input.config);
    let e = &archive.entities[id];
    let base = archive.entity_path(id).unwrap_or_default();
    let per = config.pagination.entity;
    let articles: Vec<ArticleId> = e.articles.iter().rev().skip((n - 1) * per).take(per).copied().collect();
    let snippets: Vec<&str> = articles.iter().map(|&aid| shared.mentions.snippet(archive, aid, id)).collect();
    let years = shared.entity_parts(input, id);
    let grouped = e.articles.len() > GROUPED_LIST && spans_months(archive, &e.articles);
    let mut entity = entity_view(archive, id, years, config);
    if n == 1 {
        entity.related = shared
            .related(archive, id)
            .into_iter()
            .filter_map(|(rid, count)| {
                let path = archive.entity_path(rid)?;
                let search = if config.search.enabled { both_search(&base, &path) } else { String::new() };
                Some(RelatedEntity { name: archive.entities[rid].name.clone(), path, count, search })
            })
            .collect();
        let root = root_prefix(&base);
        let link = |bin: TimelineBin| -> Option<String> {
            let target = match bin {
                TimelineBin::Year(y) | TimelineBin::Month(y, _) if !years.is_empty() => {
                    let (part, range, _) = years.iter().find(|(p, ..)| p.holds(y))?;
                    let part_base = jobs::entity_year_path(archive, id, *part);
                    match (part, bin) {
                        // A year with a part of its own: its first page.
                        (EntityPart::Years(a, b), TimelineBin::Year(_)) if a == b => Some(part_base),
                        _ => bar_target(
                            archive,
                            &e.articles[range.clone()],
                            &part_base,
                            config.pagination.entity_year,
                            bin,
                        ),
                    }
                }
                _ if grouped => bar_target(archive, &e.articles, &base, per, bin),
                _ => None,
            }?;
            Some(format!("{root}{target}"))
        };
        entity.timeline_html =
            timeline_svg(&e.name, &timeline_points(archive, &shared.mentions, id, &e.articles), &link);
    }
    let groups = if grouped { article_groups(archive, &articles) } else { Vec::new() };
    let pagination = pagination(&base, n, jobs::entity_pages(archive, id, config));
    let crumbs = vec![home_link(), entity.section.clone()];
    let title = if n == 1 { e.name.clone() } else { format!("{}, page {n}", e.name) };
    let description = match &e.description {
        Some(line) => {
            format!("{}: {line}. {} article{} mention it", e.name, e.articles.len(), plural(e.articles.len()))
        }
        None => format!("{} article{} mentioning {}", e.articles.len(), plural(e.articles.len()), e.name),
    };
    let mut m = meta(config, "entity", title, description, paginated_path(&base, n), crumbs);
    describe_entity(&mut m, archive, config, id);
    if config.feeds.entities {
        add_feed(&mut m, archive, config, FeedScope::Entity(id));
    }
    HtmlPage { meta: m, view: PageView::Entity { entity: Box::new(entity), articles, snippets, groups, pagination } }
}

/// Page `n` of the articles of `year` that mention an entity.
pub(super) fn entity_year_page<'a>(
    input: &RenderInput<'a>,
    shared: &'a Shared,
    id: EntityId,
    part: EntityPart,
    n: usize,
) -> HtmlPage<'a> {
    let (archive, config) = (input.archive, input.config);
    let e = &archive.entities[id];
    let years = shared.entity_parts(input, id);
    let at = years.iter().position(|(p, ..)| *p == part).unwrap_or(0);
    let (_, range, pages) = years.get(at).cloned().unwrap_or((part, 0..0, 1));
    let list = &e.articles[range];
    let base = jobs::entity_year_path(archive, id, part);
    // `United States in 2022`, `United States, undated`.
    let heading = match part {
        EntityPart::Years(..) => format!("{} in {}", e.name, part.label()),
        EntityPart::Undated => format!("{}, undated", e.name),
    };
    let per = config.pagination.entity_year;
    let articles: Vec<ArticleId> = list.iter().rev().skip((n - 1) * per).take(per).copied().collect();
    let snippets: Vec<&str> = articles.iter().map(|&aid| shared.mentions.snippet(archive, aid, id)).collect();
    let entity = entity_view(archive, id, years, config);
    let root = root_prefix(&base);
    let timeline_html = if n == 1 {
        let link = |bin| bar_target(archive, list, &base, per, bin).map(|t| format!("{root}{t}"));
        timeline_svg(&heading, &timeline_points(archive, &shared.mentions, id, list), &link)
    } else {
        String::new()
    };
    let neighbour = |i: Option<usize>| {
        i.and_then(|i| years.get(i))
            .map(|(p, ..)| Link { label: p.label(), path: jobs::entity_year_path(archive, id, *p) })
    };
    let around = (neighbour(at.checked_sub(1)), neighbour(Some(at + 1)));
    let year_link = PeriodLink { label: part.label(), path: base.clone(), count: list.len() };
    let crumbs = vec![home_link(), entity.section.clone(), Link { label: e.name.clone(), path: entity.path.clone() }];
    let title = if n == 1 { heading.clone() } else { format!("{heading}, page {n}") };
    let description = format!("{heading}: {} article{}", list.len(), plural(list.len()));
    let mut m = meta(config, "entity_year", title, description, paginated_path(&base, n), crumbs);
    if config.feeds.entities {
        add_feed(&mut m, archive, config, FeedScope::Entity(id));
    }
    let groups = article_groups(archive, &articles);
    let view = PageView::EntityYear {
        entity: Box::new(entity),
        year: year_link,
        timeline_html,
        articles,
        snippets,
        groups,
        pagination: pagination(&base, n, pages),
        around,
    };
    HtmlPage { meta: m, view }
}

/// What an entity's pages say about it, before the first page adds its
/// related entities and timeline.
fn entity_view(archive: &Archive, id: EntityId, years: &[jobs::EntityYearPart], config: &Config) -> EntityView {
    let e = &archive.entities[id];
    // Undated articles come first: the first mention is the first dated one, if any.
    let first_date = e.articles.iter().find_map(|&a| archive.articles[a].date);
    let last_date = archive.articles[e.articles[e.articles.len() - 1]].date;
    let section_path = format!("{}/", e.kind.section().unwrap_or("other"));
    EntityView {
        name: e.name.clone(),
        kind: e.kind.name(),
        section: Link { label: e.kind.plural_label().into(), path: section_path },
        aliases: e.aliases.clone(),
        article_count: e.articles.len(),
        mention_count: e.mention_count,
        first: date_link(first_date),
        last: date_link(last_date),
        path: archive.entity_path(id).unwrap_or_default(),
        description: e.description.clone().unwrap_or_default(),
        years: year_links(archive, id, years, config),
        related: Vec::new(),
        timeline_html: String::new(),
    }
}

/// An entity's years, each with its count and where its articles start:
/// the year's own part, or the page and heading of the part it shares;
/// then its undated articles, if it has parts for them.
fn year_links(archive: &Archive, id: EntityId, parts: &[jobs::EntityYearPart], config: &Config) -> Vec<PeriodLink> {
    if parts.is_empty() {
        return Vec::new();
    }
    let list = &archive.entities[id].articles;
    let mut links: Vec<PeriodLink> = archive
        .entity_years(id)
        .into_iter()
        .filter_map(|(year, range)| {
            let (part, part_range, _) = parts.iter().find(|(p, ..)| p.holds(year))?;
            let base = jobs::entity_year_path(archive, id, *part);
            let path = match part {
                EntityPart::Years(a, b) if a == b => base,
                _ => bar_target(
                    archive,
                    &list[part_range.clone()],
                    &base,
                    config.pagination.entity_year,
                    TimelineBin::Year(year),
                )?,
            };
            Some(PeriodLink { label: year.to_string(), path, count: range.len() })
        })
        .collect();
    if let Some((part, range, _)) = parts.iter().find(|(p, ..)| *p == EntityPart::Undated) {
        links.push(PeriodLink {
            label: part.label(),
            path: jobs::entity_year_path(archive, id, *part),
            count: range.len(),
        });
    }
    links
}

/// The search for the articles that mention both entities (by their pages' paths).
fn both_search(a: &str, b: &str) -> String {
    format!("search/?entity={a}&entity={b}")
}

/// The heading an article is listed under on grouped pages: its year and
/// month (0 for a date to the year only), or none for undated articles.
type GroupKey = Option<(i32, u32)>;

/// The [`GroupKey`] of a date.
fn group_key(date: Option<PubDate>) -> GroupKey {
    date.map(|d| match d.precision {
        Precision::Year => (d.first_day.year(), 0),
        _ => (d.first_day.year(), d.first_day.month()),
    })
}

/// A heading's id (where timeline bars lead): `m-2022-03`, `y-2022`, `undated`.
fn group_id(key: GroupKey) -> String {
    match key {
        Some((y, 0)) => format!("y-{y}"),
        Some((y, m)) => format!("m-{y}-{m:02}"),
        None => "undated".into(),
    }
}

/// A heading's text: `March 2022`, `2022`, `Undated`.
fn group_label(key: GroupKey) -> String {
    match key {
        Some((y, 0)) => y.to_string(),
        Some((y, m)) => month_link(y, m).label,
        None => UNDATED_LABEL.into(),
    }
}

/// Whether a list (in date order) falls under more than one heading.
fn spans_months(archive: &Archive, list: &[ArticleId]) -> bool {
    let key = |aid: &ArticleId| group_key(archive.articles[*aid].date);
    match (list.first(), list.last()) {
        (Some(first), Some(last)) => key(first) != key(last),
        _ => false,
    }
}

/// A page's articles (newest first) in runs under their headings.
fn article_groups(archive: &Archive, articles: &[ArticleId]) -> Vec<ArticleGroup> {
    let mut groups: Vec<(GroupKey, usize)> = Vec::new();
    for &aid in articles {
        let key = group_key(archive.articles[aid].date);
        match groups.last_mut() {
            Some((last, count)) if *last == key => *count += 1,
            _ => groups.push((key, 1)),
        }
    }
    groups.into_iter().map(|(key, count)| ArticleGroup { label: group_label(key), id: group_id(key), count }).collect()
}

/// Where a timeline bar leads: the page of a list (`list` oldest first,
/// shown newest first from `base`, `per` to a page) that shows the bin's
/// newest article, at that article's heading.
fn bar_target(archive: &Archive, list: &[ArticleId], base: &str, per: usize, bin: TimelineBin) -> Option<String> {
    let (start, end) = match bin {
        TimelineBin::Year(y) => (NaiveDate::from_ymd_opt(y, 1, 1)?, NaiveDate::from_ymd_opt(y + 1, 1, 1)?),
        TimelineBin::Month(y, m) => {
            let start = NaiveDate::from_ymd_opt(y, m, 1)?;
            (start, start.checked_add_months(chrono::Months::new(1))?)
        }
    };
    // Ids follow dates (undated first), so the list is in date order.
    let after = list.partition_point(|&aid| archive.articles[aid].date.is_none_or(|d| d.first_day < end));
    let newest = after.checked_sub(1)?;
    let date = archive.articles[list[newest]].date?;
    if date.first_day < start {
        return None;
    }
    let page = (list.len() - 1 - newest) / per.max(1) + 1;
    Some(format!("{}#{}", paginated_path(base, page), group_id(group_key(Some(date)))))
}

/// The page that lists the archive's data files.
pub(super) fn data_page(input: &RenderInput<'_>) -> HtmlPage<'static> {
    use super::data::{ArticlesPart, DataFile, data_files, line_count};
    let archive = input.archive;
    let files: Vec<DataFileView> = data_files(archive, input.config)
        .into_iter()
        .map(|file| DataFileView {
            path: file.path(),
            label: match file {
                DataFile::Articles(ArticlesPart::All) => "Every article".into(),
                DataFile::Articles(ArticlesPart::Year(y)) => format!("The articles of {y}"),
                DataFile::Articles(ArticlesPart::Month(y, 0)) => format!("The articles dated only to {y}"),
                DataFile::Articles(ArticlesPart::Month(y, m)) => format!("The articles of {}", month_link(y, m).label),
                DataFile::Articles(ArticlesPart::Undated) => "The undated articles".into(),
                DataFile::Entities => "Every person, place and organisation with a page".into(),
            },
            kind: if file == DataFile::Entities { "entities" } else { "articles" },
            lines: line_count(archive, file),
        })
        .collect();
    let description = format!("The archive's {} articles and their entities as JSON Lines", archive.articles.len());
    let m = meta(input.config, "data", "The archive as data".into(), description, "data/".into(), vec![home_link()]);
    HtmlPage { meta: m, view: PageView::Data { files } }
}

/// The page served for unknown paths: its links start at the site's base
/// path, since it is shown at any depth.
pub(super) fn not_found_page(input: &RenderInput<'_>) -> HtmlPage<'static> {
    let config = input.config;
    let mut m = meta(config, "404", "Page not found".into(), String::new(), "404.html".into(), vec![]);
    m.root = config.base_path().to_string();
    HtmlPage { meta: m, view: PageView::NotFound }
}

/// What every page has, before its kind adds to it.
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

/// The letter a name is filed under on A–Z pages (`#` for digits and others).
pub(super) fn initial(name: &str) -> char {
    crate::text::normalize(name)
        .chars()
        .find(|c| c.is_alphanumeric())
        .map_or('#', |c| if c.is_ascii_alphabetic() { c.to_ascii_uppercase() } else { '#' })
}

/// An article as lists show it.
pub(super) fn summary(archive: &Archive, id: ArticleId) -> ArticleSummary {
    let a = &archive.articles[id];
    let (date, date_display) = date_strings(a.date);
    ArticleSummary {
        title: a.title.clone(),
        path: archive.article_path(id),
        date,
        date_display,
        summary: a.summary.clone(),
        snippet: String::new(),
    }
}

/// A link to an entity's page with a count, if it has a page.
pub(super) fn entity_link(archive: &Archive, id: EntityId, count: usize) -> Option<EntityLink> {
    archive.entity_path(id).map(|path| EntityLink {
        name: archive.entities[id].name.clone(),
        path,
        count,
        anchor: String::new(),
    })
}

/// The dated articles of `list` that mention an entity, with their
/// number of mentions: the points of its timeline.
fn timeline_points(
    archive: &Archive,
    mentions: &PageMentions,
    id: EntityId,
    list: &[ArticleId],
) -> Vec<(NaiveDate, usize)> {
    list.iter()
        .filter_map(|&aid| {
            let date = archive.articles[aid].date?;
            Some((date.first_day, mentions.find(aid, id).map_or(1, |m| m.count.max(1) as usize)))
        })
        .collect()
}

/// The content of an article page.
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
        if let Some(span) = ae.spans.first() {
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
    let (date, date_display) = date_strings(a.date);
    ArticleView {
        title: a.title.clone(),
        date,
        date_display,
        date_link: date_link(a.date),
        section: archive
            .section_of(id)
            .map(|s| Link { label: archive.sections[s].name.clone(), path: archive.section_path(s) }),
        caption: a.caption.clone().unwrap_or_default(),
        authors: a.authors.clone(),
        summary: if a.summary_given { a.summary.clone() } else { String::new() },
        source_url: a.source_url.clone().filter(|u| is_web_url(u)).unwrap_or_default(),
        source_name: a.source_name.clone().unwrap_or_default(),
        body_html: render_body(&a.body, &a.text, &links, input.config.markdown.allow_raw_html),
        entities,
        periods: period_links(a.date).into_iter().rev().collect(),
        prev: id.checked_sub(1).map(neighbour),
        next: (id + 1 < archive.articles.len()).then(|| neighbour(id + 1)),
        word_count: a.word_count(),
        image: a
            .image
            .as_deref()
            .map(|image| if is_web_url(image) { image.to_string() } else { format!("{root}{image}") })
            .unwrap_or_default(),
        related: archive
            .related
            .get(id)
            .map_or_else(Vec::new, |ids| ids.iter().map(|&r| summary(archive, r)).collect()),
        citation: super::citation::cite(archive, input.config, id),
        thread: archive.thread_of(id).map(|t| {
            let thread = &archive.threads[t];
            let at = thread.articles.iter().position(|&a| a == id).unwrap_or(0);
            ThreadPlace {
                link: Link { label: thread.title.clone(), path: archive.thread_path(t) },
                count: thread.articles.len(),
                position: at + 1,
                prev: at.checked_sub(1).map(|i| neighbour(thread.articles[i])),
                next: thread.articles.get(at + 1).map(|&n| neighbour(n)),
            }
        }),
    }
}
