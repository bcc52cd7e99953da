//! The data handed to templates. Every struct here serialises to the Tera
//! context; the theme contract is documented in `templates/README.md`.
//!
//! Links are stored as site-relative paths without a leading slash
//! (`"2022/02/28/peace-talks/"`, `""` for the home page); templates prefix
//! them with `root`, the relative way back to the site root from the page
//! being rendered (`"../../../"`), so a built site works under any sub-path.

use serde::Serialize;

/// Site-wide values, the same on every page.
#[derive(Debug, Clone, Serialize)]
pub struct SiteContext {
    /// Site title from site.toml.
    pub title: String,
    /// One-line description from site.toml.
    pub description: String,
    /// Absolute base URL, always ending in `/`.
    pub base_url: String,
    /// Language code for `<html lang>`.
    pub language: String,
    /// Footer text from site.toml, rendered from Markdown (already escaped).
    pub footer_html: String,
    /// Labels and paths of the entity list pages, for the navigation.
    pub sections: Vec<Link>,
    /// Whether the site has a search page (`search/`).
    pub search: bool,
}

/// A link to another page: its label and site-relative path.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Link {
    /// Text to show.
    pub label: String,
    /// Site-relative path (no leading slash; `""` is the home page).
    pub path: String,
}

/// What every page has: where it lives and how to get home.
#[derive(Debug, Clone, Serialize)]
pub struct PageMeta {
    /// Page kind: `article`, `home`, `day`, `month`, `year`, `archive`,
    /// `entity`, `entity_list`, `search`, `404`.
    pub kind: &'static str,
    /// `<title>` text (without the site title).
    pub title: String,
    /// Short description for `<meta name="description">`.
    pub description: String,
    /// Site-relative path of this page.
    pub path: String,
    /// Absolute URL of this page.
    pub canonical_url: String,
    /// Relative prefix back to the site root (`"../../"`), or the absolute
    /// base path on pages served from unknown locations (404).
    pub root: String,
    /// Breadcrumb trail from the home page to this page's parent.
    pub breadcrumbs: Vec<Link>,
    /// Atom feeds of this page: the site's, and the entity's or entity
    /// type's on their pages (none when feeds are off).
    pub feeds: Vec<Link>,
    /// Open Graph type: `article` on article pages, else `website`.
    pub og_type: &'static str,
    /// Absolute URL of the page's lead image, or empty.
    pub image_url: String,
    /// ISO date of publication (article pages), else empty.
    pub published_time: String,
    /// ISO date of the last revision (article pages), else empty.
    pub modified_time: String,
    /// Names of the entities an article mentions (`article:tag`).
    pub tags: Vec<String>,
    /// schema.org JSON-LD describing the page, safe inside a `<script>`, or empty.
    pub json_ld_html: String,
}

/// An article as shown in lists.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleSummary {
    /// Headline.
    pub title: String,
    /// Site-relative path of the article page.
    pub path: String,
    /// ISO date, `2022-02-28` (`2022-02` or `2022` when known only to
    /// the month or year); empty when undated.
    pub date: String,
    /// Human date, `Monday 28 February 2022` (`February 2022`, `2022`, `Undated`).
    pub date_display: String,
    /// One or two sentences (plain text; templates escape it).
    pub summary: String,
    /// On entity pages: the sentence that mentions the entity, else empty.
    pub snippet: String,
}

/// An entity as shown in lists and on article pages.
#[derive(Debug, Clone, Serialize)]
pub struct EntityLink {
    /// Canonical name.
    pub name: String,
    /// Site-relative path of the entity page.
    pub path: String,
    /// Number of articles that mention it (in this context).
    pub count: usize,
    /// On A–Z lists: `letter-x` on the first name of each letter, else empty.
    pub anchor: String,
}

/// Entities of one article, grouped by type (only types that have pages).
#[derive(Debug, Clone, Serialize, Default)]
pub struct ArticleEntities {
    /// People mentioned.
    pub people: Vec<EntityLink>,
    /// Places mentioned.
    pub places: Vec<EntityLink>,
    /// Organisations mentioned.
    pub organisations: Vec<EntityLink>,
}

/// The full article on its own page.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleView {
    /// Headline.
    pub title: String,
    /// ISO date, as precise as known (`2022-02-28`, `2022-02`, `2022`); empty when undated.
    pub date: String,
    /// Human date (`Monday 28 February 2022`, `February 2022`, `2022`, `Undated`).
    pub date_display: String,
    /// The page of its date (day, month or year), or the undated list.
    pub date_link: Link,
    /// Its section, if it has one.
    pub section: Option<Link>,
    /// Photo caption with credit, if any (plain text).
    pub caption: String,
    /// Author names.
    pub authors: Vec<String>,
    /// Summary (plain text; may be empty).
    pub summary: String,
    /// Where the article was first published, if known.
    pub source_url: String,
    /// Name of the original publication, when given without a URL.
    pub source_name: String,
    /// The body, rendered to HTML with entity mentions linked.
    pub body_html: String,
    /// Entities mentioned in the article.
    pub entities: ArticleEntities,
    /// The pages of its date, narrowest first, as far as it is known: day,
    /// month, year (or the undated list).
    pub periods: Vec<Link>,
    /// Previous article by date (older), if any.
    pub prev: Option<Link>,
    /// Next article by date (newer), if any.
    pub next: Option<Link>,
    /// Number of words in the body.
    pub word_count: usize,
    /// Lead image `src` (a web URL, or a path relative to this page), or empty.
    pub image: String,
    /// The articles that share the most informative entities with it, best first.
    pub related: Vec<ArticleSummary>,
    /// The story thread it is part of, if any.
    pub thread: Option<ThreadPlace>,
    /// How to cite it: a line, BibTeX and CSL-JSON.
    pub citation: super::citation::Citation,
}

/// Where an article sits in its story thread.
#[derive(Debug, Clone, Serialize)]
pub struct ThreadPlace {
    /// The thread's title and page.
    pub link: Link,
    /// Its number of articles.
    pub count: usize,
    /// The article's place in it, 1-based, in date order.
    pub position: usize,
    /// The thread's article before this one, if any.
    pub prev: Option<Link>,
    /// The thread's article after this one, if any.
    pub next: Option<Link>,
}

/// A story thread as its page and the list of threads show it.
#[derive(Debug, Clone, Serialize)]
pub struct ThreadView {
    /// Its title (the headline of its most connected article) and page.
    pub link: Link,
    /// Its number of articles.
    pub count: usize,
    /// The first article's date.
    pub first: DateText,
    /// The last article's date.
    pub last: DateText,
    /// The entities most of its articles share.
    pub entities: Vec<EntityLink>,
}

/// Page numbers for a paginated list.
#[derive(Debug, Clone, Serialize)]
pub struct Pagination {
    /// 1-based page number.
    pub current: usize,
    /// Number of pages.
    pub total: usize,
    /// Path of the previous (newer) page, if any.
    pub prev: Option<String>,
    /// Path of the next (older) page, if any.
    pub next: Option<String>,
    /// Every page, for a numbered pager.
    pub pages: Vec<PageNumber>,
}

/// One entry of a numbered pager.
#[derive(Debug, Clone, Serialize)]
pub struct PageNumber {
    /// 1-based number.
    pub number: usize,
    /// Site-relative path.
    pub path: String,
    /// Whether this is the page being rendered.
    pub current: bool,
}

/// One cell of a month calendar.
#[derive(Debug, Clone, Serialize)]
pub struct CalendarDay {
    /// Day of month, or 0 for padding cells before the 1st and after the last.
    pub day: u32,
    /// Number of articles that day.
    pub count: usize,
    /// Site-relative path of the day page when it has articles, else empty.
    pub path: String,
}

/// A month laid out in weeks starting on Monday.
#[derive(Debug, Clone, Serialize)]
pub struct Calendar {
    /// Short weekday names, Monday first.
    pub weekdays: Vec<&'static str>,
    /// Rows of seven cells.
    pub weeks: Vec<Vec<CalendarDay>>,
}

/// A period (day, month, year) with its article count.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodLink {
    /// Label (`February 2022`).
    pub label: String,
    /// Site-relative path.
    pub path: String,
    /// Number of articles in it.
    pub count: usize,
}

/// A year on the archive overview, with its months.
#[derive(Debug, Clone, Serialize)]
pub struct ArchiveYear {
    /// The year.
    pub year: PeriodLink,
    /// Its months that have articles, in calendar order.
    pub months: Vec<PeriodLink>,
}

/// Summary figures for an entity page.
#[derive(Debug, Clone, Serialize)]
pub struct EntityView {
    /// Canonical name.
    pub name: String,
    /// `person`, `place` or `organisation`.
    pub kind: &'static str,
    /// The list page of its type.
    pub section: Link,
    /// Other spellings seen in the articles.
    pub aliases: Vec<String>,
    /// Number of articles that mention it.
    pub article_count: usize,
    /// Number of mentions in all articles.
    pub mention_count: usize,
    /// The day of the first mention.
    pub first: Link,
    /// The day of the last mention.
    pub last: Link,
    /// Site-relative path of its page.
    pub path: String,
    /// A line about it from the site's entities file, else empty.
    pub description: String,
    /// Its years with a page of their own, oldest first (only when its
    /// articles take more than one page and fall in more than one year).
    pub years: Vec<PeriodLink>,
    /// Entities most often mentioned in the same articles (first page only).
    pub related: Vec<RelatedEntity>,
    /// Mentions over time, an inline SVG chart whose bars link to the
    /// articles of their year or month (first page only).
    pub timeline_html: String,
}

/// An entity often mentioned with another, on the other's page.
#[derive(Debug, Clone, Serialize)]
pub struct RelatedEntity {
    /// Canonical name.
    pub name: String,
    /// Site-relative path of its page.
    pub path: String,
    /// Number of articles that mention both.
    pub count: usize,
    /// Site-relative address of the search for the articles that mention
    /// both (`search/?entity=people/a/&entity=places/b/`); empty when the
    /// site has no search.
    pub search: String,
}

/// A run of a page's articles under one heading: a month (`March 2022`,
/// `m-2022-03`), a year for articles dated only to it (`2022`, `y-2022`),
/// or `Undated` (`undated`).
#[derive(Debug, Clone, Serialize)]
pub struct ArticleGroup {
    /// The heading.
    pub label: String,
    /// The heading's id: where the timeline's bars lead.
    pub id: String,
    /// How many of the page's articles it holds, following the previous group's.
    pub count: usize,
}

/// The home page's link to the "on this day" pages: the calendar of every
/// day of the year, which a few lines of script point at today's page.
#[derive(Debug, Clone, Serialize)]
pub struct OnThisDayLink {
    /// Site-relative path of the calendar (`on-this-day/`); today's page is
    /// this path followed by `MM-DD/`.
    pub path: String,
    /// The days of the year that have a page, as `MM-DD` separated by spaces.
    pub days: String,
}

/// One month of the calendar of every day of the year.
#[derive(Debug, Clone, Serialize)]
pub struct DaysOfMonth {
    /// The month's name (`March`).
    pub label: String,
    /// Each of its days (29 for February): the number of articles on
    /// that day in every year, and its "on this day" page when it has any.
    pub days: Vec<CalendarDay>,
}

/// A date as `<time datetime>` and readers see it.
#[derive(Debug, Clone, Serialize)]
pub struct DateText {
    /// ISO date (`2022-02-28`, `2022-02`, `2022`), empty when undated.
    pub date: String,
    /// Human date (`Monday 28 February 2022`).
    pub display: String,
}

/// A data file as the `data/` page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct DataFileView {
    /// Site-relative path (`data/articles.jsonl`).
    pub path: String,
    /// What it holds (`Every article`).
    pub label: String,
    /// `articles` or `entities`: the shape of its lines.
    pub kind: &'static str,
    /// Its number of lines (one article or entity each).
    pub lines: usize,
}
