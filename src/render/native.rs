//! The built-in theme's most numerous files, written straight to HTML and
//! XML instead of through Tera's interpreter: article pages, entity pages,
//! day and month pages, the home page's pages and Atom feeds. These are
//! nine in ten of a site's files, and here they cost a fraction of a Tera
//! render; every other page (years, archive, entity lists, search, 404)
//! stays Tera only, because there are few of them.
//!
//! The templates are the theme; this module is a fast path held to them,
//! never the other way round: it must give byte for byte what `base.html`,
//! `article.html`, `entity.html`, `day.html`, `month.html`, `home.html`,
//! their partials and `atom.xml` give for the same data. Two tests hold
//! it there (tests/native_pages.rs): the sample site built both ways, and
//! a matrix of site settings (no description or footer, search off, feeds
//! off, one and a thousand items a page, a sub-path base URL) rendered
//! both ways. A site whose `templates/` changes any template of a page
//! kind gets Tera for that kind ([`NativePages::keeping`], decided once
//! when the theme is loaded). A change to those templates must be made
//! here too; the tests say where the two part.

use std::fmt::Write as _;

use super::body::escape_into;
use super::context::{
    ArticleGroup, ArticleView, Calendar, EntityView, Link, OnThisDayLink, PageMeta, Pagination, PeriodLink,
    RelatedEntity, SiteContext,
};
use super::feeds::{FeedEntry, FeedView};
use super::links::date_strings;
use crate::content::PubDate;
use crate::text::plural;

/// The templates an article page is made of.
const ARTICLE_TEMPLATES: [&str; 2] = ["base.html", "article.html"];
/// The templates an entity page is made of.
const ENTITY_TEMPLATES: [&str; 5] = [
    "base.html",
    "entity.html",
    "partials/article_list.html",
    "partials/article_groups.html",
    "partials/pagination.html",
];
/// The templates an entity's year page is made of.
const ENTITY_YEAR_TEMPLATES: [&str; 5] = [
    "base.html",
    "entity_year.html",
    "partials/article_groups.html",
    "partials/pagination.html",
    "partials/period_nav.html",
];
/// The templates a day page is made of.
const DAY_TEMPLATES: [&str; 5] =
    ["base.html", "day.html", "partials/article_list.html", "partials/pagination.html", "partials/period_nav.html"];
/// The templates a month page is made of.
const MONTH_TEMPLATES: [&str; 5] =
    ["base.html", "month.html", "partials/article_list.html", "partials/pagination.html", "partials/period_nav.html"];
/// The templates a page of the home page is made of.
const HOME_TEMPLATES: [&str; 5] = [
    "base.html",
    "home.html",
    "partials/article_list.html",
    "partials/pagination.html",
    "partials/on_this_day_script.html",
];

/// Which kinds of page may be written natively for a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NativePages {
    /// Article pages.
    pub articles: bool,
    /// Entity pages.
    pub entities: bool,
    /// Entities' year pages.
    pub entity_years: bool,
    /// Day pages.
    pub days: bool,
    /// Month pages.
    pub months: bool,
    /// The home page and its later pages.
    pub home: bool,
    /// Atom feeds.
    pub feeds: bool,
}

impl NativePages {
    /// Tera for every page.
    pub const NONE: NativePages = NativePages {
        articles: false,
        entities: false,
        entity_years: false,
        days: false,
        months: false,
        home: false,
        feeds: false,
    };

    /// The pages whose templates are all kept as built in, as told by
    /// `builtin` (a template's name → whether the site uses the built-in text).
    pub fn keeping(builtin: impl Fn(&str) -> bool) -> NativePages {
        let all_builtin = |names: &[&str]| names.iter().all(|n| builtin(n));
        NativePages {
            articles: all_builtin(&ARTICLE_TEMPLATES),
            entities: all_builtin(&ENTITY_TEMPLATES),
            entity_years: all_builtin(&ENTITY_YEAR_TEMPLATES),
            days: all_builtin(&DAY_TEMPLATES),
            months: all_builtin(&MONTH_TEMPLATES),
            home: all_builtin(&HOME_TEMPLATES),
            feeds: builtin("atom.xml"),
        }
    }
}

/// One article in a list: what `partials/article_list.html` shows.
pub struct ListItem<'a> {
    /// What follows the root prefix in the item's link, up to the end of
    /// the headline: see [`list_item_head`].
    pub link: &'a str,
    /// What follows the headline's heading: the date paragraph.
    pub date: &'a str,
    /// Summary, shown when there is no snippet.
    pub summary: &'a str,
    /// The sentence that mentions the entity.
    pub snippet: &'a str,
}

/// The part of an article's list item that is the same in every list at
/// any depth: its path (after the root prefix), headline and date, as
/// HTML, and where the headline ends (where its heading closes: `h2` or
/// `h3` depending on the list). Made once per article and shared by every
/// entity page listing it.
pub fn list_item_head(title: &str, path: &str, date: Option<PubDate>) -> (String, usize) {
    let mut o = String::with_capacity(160 + title.len());
    escape_into(&mut o, path);
    o.push_str("\">");
    escape_into(&mut o, title);
    let link_end = o.len();
    o.push_str("\n      <p class=\"article-item-date\">");
    let (iso, display) = date_strings(date);
    time_into(&mut o, &iso, &display);
    o.push_str("</p>\n      ");
    (o, link_end)
}

/// A date as `<time datetime>`, or only its label when it has no ISO form (undated).
fn time_into(o: &mut String, iso: &str, display: &str) {
    if iso.is_empty() {
        escape_into(o, display);
        return;
    }
    o.push_str("<time datetime=\"");
    escape_into(o, iso);
    o.push_str("\">");
    escape_into(o, display);
    o.push_str("</time>");
}

/// An HTML page: `base.html` around `content`.
fn page(site: &SiteContext, page: &PageMeta, content: impl FnOnce(&mut String)) -> String {
    let mut out = String::with_capacity(32 * 1024);
    let o = &mut out;
    let root = page.root.as_str();
    let description = if page.description.is_empty() { &site.description } else { &page.description };
    o.push_str("<!DOCTYPE html>\n<html lang=\"");
    escape_into(o, &site.language);
    o.push_str("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"color-scheme\" content=\"light dark\">\n<title>");
    if !page.title.is_empty() && page.title != site.title {
        escape_into(o, &page.title);
        o.push_str(" · ");
    }
    escape_into(o, &site.title);
    o.push_str("</title>\n<meta name=\"description\" content=\"");
    escape_into(o, description);
    o.push_str("\">\n<meta name=\"generator\" content=\"gazette\">\n<link rel=\"canonical\" href=\"");
    escape_into(o, &page.canonical_url);
    o.push_str("\">\n<meta property=\"og:site_name\" content=\"");
    escape_into(o, &site.title);
    o.push_str("\">\n<meta property=\"og:type\" content=\"");
    escape_into(o, page.og_type);
    o.push_str("\">\n<meta property=\"og:title\" content=\"");
    escape_into(o, &page.title);
    o.push_str("\">\n<meta property=\"og:description\" content=\"");
    escape_into(o, description);
    o.push_str("\">\n<meta property=\"og:url\" content=\"");
    escape_into(o, &page.canonical_url);
    o.push_str("\">\n");
    if !page.image_url.is_empty() {
        o.push_str("<meta property=\"og:image\" content=\"");
        escape_into(o, &page.image_url);
        o.push_str("\">\n");
    }
    if !page.published_time.is_empty() {
        o.push_str("<meta property=\"article:published_time\" content=\"");
        escape_into(o, &page.published_time);
        o.push_str("\">\n<meta property=\"article:modified_time\" content=\"");
        escape_into(o, &page.modified_time);
        o.push_str("\">\n");
    }
    for tag in &page.tags {
        o.push_str("<meta property=\"article:tag\" content=\"");
        escape_into(o, tag);
        o.push_str("\">\n");
    }
    o.push_str("<meta name=\"twitter:card\" content=\"");
    // Cards take their title, description and image from Open Graph.
    o.push_str(if page.image_url.is_empty() { "summary" } else { "summary_large_image" });
    o.push_str("\">\n");
    if !page.json_ld_html.is_empty() {
        o.push_str("<script type=\"application/ld+json\">");
        o.push_str(&page.json_ld_html);
        o.push_str("</script>\n");
    }
    o.push_str("<link rel=\"stylesheet\" href=\"");
    escape_into(o, root);
    o.push_str("style.css\">\n");
    for feed in &page.feeds {
        o.push_str("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"");
        escape_into(o, &feed.label);
        o.push_str("\" href=\"");
        escape_into(o, root);
        escape_into(o, &feed.path);
        o.push_str("\">\n");
    }
    o.push_str("\n</head>\n<body class=\"page-");
    escape_into(o, page.kind);
    o.push_str("\">\n<a class=\"skip-link\" href=\"#content\">Skip to content</a>\n<header class=\"masthead\">\n  <div class=\"masthead-inner\">\n    <p class=\"nameplate\"><a href=\"");
    escape_into(o, root);
    o.push_str("\">");
    escape_into(o, &site.title);
    o.push_str("</a></p>\n    ");
    if !site.description.is_empty() {
        o.push_str("<p class=\"tagline\">");
        escape_into(o, &site.description);
        o.push_str("</p>");
    }
    o.push_str("\n  </div>\n  <nav class=\"site-nav\" aria-label=\"Main\">\n    <ul>\n      <li><a href=\"");
    escape_into(o, root);
    o.push('"');
    current_if(o, page.path.is_empty());
    o.push_str(">Home</a></li>\n      <li><a href=\"");
    escape_into(o, root);
    o.push_str("archive/\"");
    current_if(o, page.path == "archive/");
    o.push_str(">Archive</a></li>\n      ");
    for link in &site.sections {
        o.push_str("\n      <li><a href=\"");
        escape_into(o, root);
        escape_into(o, &link.path);
        o.push('"');
        current_if(o, page.path == link.path);
        o.push('>');
        escape_into(o, &link.label);
        o.push_str("</a></li>\n      ");
    }
    o.push_str("\n      ");
    if site.search {
        o.push_str("<li><a href=\"");
        escape_into(o, root);
        o.push_str("search/\"");
        current_if(o, page.path == "search/");
        o.push_str(">Search</a></li>");
    }
    o.push_str("\n    </ul>\n  </nav>\n</header>\n");
    if !page.breadcrumbs.is_empty() {
        o.push_str("\n<nav class=\"breadcrumbs\" aria-label=\"Breadcrumb\">\n  <ol>\n    ");
        for crumb in &page.breadcrumbs {
            o.push_str("\n    <li><a href=\"");
            escape_into(o, root);
            escape_into(o, &crumb.path);
            o.push_str("\">");
            escape_into(o, &crumb.label);
            o.push_str("</a></li>\n    ");
        }
        o.push_str("\n    <li><span aria-current=\"page\">");
        escape_into(o, &page.title);
        o.push_str("</span></li>\n  </ol>\n</nav>\n");
    }
    o.push_str("\n<main id=\"content\" tabindex=\"-1\">\n");
    content(o);
    o.push_str("\n</main>\n<footer class=\"site-footer\">\n  <div class=\"footer-inner\">\n    <p class=\"footer-nameplate\"><a href=\"");
    escape_into(o, root);
    o.push_str("\">");
    escape_into(o, &site.title);
    o.push_str("</a></p>\n    ");
    if !site.footer_html.is_empty() {
        o.push_str("<div class=\"footer-text\">");
        o.push_str(&site.footer_html);
        o.push_str("</div>");
    }
    o.push_str("\n  </div>\n</footer>\n</body>\n</html>\n");
    out
}

fn current_if(o: &mut String, current: bool) {
    if current {
        o.push_str(" aria-current=\"page\"");
    }
}

/// `<a href="{root}{path}">{label}</a>`
fn link_to(o: &mut String, root: &str, path: &str, label: &str) {
    o.push_str("<a href=\"");
    escape_into(o, root);
    escape_into(o, path);
    o.push_str("\">");
    escape_into(o, label);
    o.push_str("</a>");
}

/// An article page: `article.html`.
pub fn article_page(site: &SiteContext, meta: &PageMeta, article: &ArticleView) -> String {
    let root = meta.root.as_str();
    page(site, meta, |o| {
        o.push_str("\n<article class=\"article\">\n  <header class=\"article-header\">\n    <h1 class=\"headline\">");
        escape_into(o, &article.title);
        o.push_str("</h1>\n    ");
        if !article.summary.is_empty() {
            o.push_str("<p class=\"standfirst\">");
            escape_into(o, &article.summary);
            o.push_str("</p>");
        }
        o.push_str("\n    <p class=\"dateline\">\n      <a href=\"");
        escape_into(o, root);
        escape_into(o, &article.date_link.path);
        o.push_str("\">");
        time_into(o, &article.date, &article.date_display);
        o.push_str("</a>");
        if let Some(section) = &article.section {
            o.push_str(" <span class=\"section\">in ");
            link_to(o, root, &section.path, &section.label);
            o.push_str("</span>");
        }
        o.push_str("\n      ");
        if !article.authors.is_empty() {
            o.push_str("<span class=\"byline\">By ");
            let last = article.authors.len() - 1;
            for (i, author) in article.authors.iter().enumerate() {
                if i > 0 {
                    o.push_str(if i == last { " and " } else { ", " });
                }
                o.push_str("<span class=\"author\">");
                escape_into(o, author);
                o.push_str("</span>");
            }
            o.push_str("</span>");
        }
        let _ = write!(
            o,
            "\n      <span class=\"word-count\">{} word{}</span>\n    </p>\n  </header>\n  <div class=\"article-layout\">\n    <div class=\"article-main\">\n      ",
            article.word_count,
            plural(article.word_count)
        );
        if !article.image.is_empty() {
            o.push_str("\n      <figure class=\"lead-image\">\n        <img src=\"");
            escape_into(o, &article.image);
            o.push_str("\" alt=\"");
            escape_into(o, if article.caption.is_empty() { &article.title } else { &article.caption });
            o.push_str("\">\n        ");
            if !article.caption.is_empty() {
                o.push_str("<figcaption>");
                escape_into(o, &article.caption);
                o.push_str("</figcaption>");
            }
            o.push_str("\n      </figure>\n      ");
        } else if !article.caption.is_empty() {
            o.push_str("\n      <figure class=\"photo-caption\">\n        <figcaption><span class=\"caption-label\">Photo:</span> ");
            escape_into(o, &article.caption);
            o.push_str("</figcaption>\n      </figure>\n      ");
        }
        o.push_str("\n      <div class=\"article-body\">\n        ");
        o.push_str(&article.body_html);
        o.push_str("\n      </div>\n      ");
        if !article.source_url.is_empty() {
            o.push_str("\n      <p class=\"source\">Originally published at <a href=\"");
            escape_into(o, &article.source_url);
            o.push_str("\">");
            escape_into(o, &article.source_url);
            o.push_str("</a></p>\n      ");
        }
        o.push_str("\n    </div>\n    ");
        let e = &article.entities;
        if !(e.people.is_empty() && e.places.is_empty() && e.organisations.is_empty()) {
            o.push_str(
                "\n    <aside class=\"in-this-article\" aria-label=\"In this article\">\n      <h2>In this article</h2>\n      ",
            );
            for (heading, links) in [("People", &e.people), ("Places", &e.places), ("Organisations", &e.organisations)]
            {
                if !links.is_empty() {
                    let _ = write!(o, "\n      <h3>{heading}</h3>\n      <ul class=\"entity-links\">\n        ");
                    for link in links {
                        o.push_str("\n        <li>");
                        link_to(o, root, &link.path, &link.name);
                        o.push_str("</li>\n        ");
                    }
                    o.push_str("\n      </ul>\n      ");
                }
                o.push_str("\n      ");
            }
            // The last section's trailing whitespace is the aside's own.
            o.truncate(o.len() - "\n      ".len());
            o.push_str("\n    </aside>\n    ");
        }
        o.push_str("\n  </div>\n</article>\n");
        if let Some(thread) = &article.thread {
            o.push_str(
                "\n<nav class=\"thread-nav\" aria-label=\"This story\">\n  <p class=\"thread-lead\">Part of the story ",
            );
            link_to(o, root, &thread.link.path, &thread.link.label);
            let _ = write!(o, ", article {} of {}</p>\n  <ul>", thread.position, thread.count);
            for (link, class, direction) in [(&thread.prev, "nav-prev", "Earlier"), (&thread.next, "nav-next", "Later")]
            {
                if let Some(link) = link {
                    let _ = write!(o, "\n    <li class=\"{class}\"><a href=\"");
                    escape_into(o, root);
                    escape_into(o, &link.path);
                    let _ = write!(
                        o,
                        "\"><span class=\"nav-direction\">{direction} in this story</span> <span class=\"nav-title\">"
                    );
                    escape_into(o, &link.label);
                    o.push_str("</span></a></li>");
                }
            }
            o.push_str("\n  </ul>\n</nav>\n");
        }
        if !article.related.is_empty() {
            o.push_str("\n<aside class=\"related-articles\" aria-labelledby=\"related-articles\">\n  <h2 id=\"related-articles\">Related articles</h2>\n  <ul>");
            for item in &article.related {
                o.push_str("\n    <li>");
                link_to(o, root, &item.path, &item.title);
                o.push_str(" <span class=\"related-date\">");
                time_into(o, &item.date, &item.date_display);
                o.push_str("</span></li>");
            }
            o.push_str("\n  </ul>\n</aside>\n");
        }
        if article.prev.is_some() || article.next.is_some() {
            o.push_str("\n<nav class=\"article-nav\" aria-label=\"Previous and next article\">\n  <ul>\n    ");
            if let Some(prev) = &article.prev {
                o.push_str("\n    <li class=\"nav-prev\"><a href=\"");
                escape_into(o, root);
                escape_into(o, &prev.path);
                o.push_str(
                    "\" rel=\"prev\"><span class=\"nav-direction\">Previous article</span> <span class=\"nav-title\">",
                );
                escape_into(o, &prev.label);
                o.push_str("</span></a></li>\n    ");
            }
            o.push_str("\n    ");
            if let Some(next) = &article.next {
                o.push_str("\n    <li class=\"nav-next\"><a href=\"");
                escape_into(o, root);
                escape_into(o, &next.path);
                o.push_str(
                    "\" rel=\"next\"><span class=\"nav-direction\">Next article</span> <span class=\"nav-title\">",
                );
                escape_into(o, &next.label);
                o.push_str("</span></a></li>\n    ");
            }
            o.push_str("\n  </ul>\n</nav>\n");
        }
        let c = &article.citation;
        o.push_str("\n<details class=\"cite\">\n  <summary>Cite this article</summary>\n  <p class=\"citation\">");
        escape_into(o, &c.text);
        o.push_str("</p>\n  <p class=\"cite-format\">BibTeX</p>\n  <pre class=\"cite-code\"><code>");
        escape_into(o, &c.bibtex);
        o.push_str("</code></pre>\n  <p class=\"cite-format\">CSL-JSON</p>\n  <pre class=\"cite-code\"><code>");
        escape_into(o, &c.csl_json);
        o.push_str("</code></pre>\n</details>");
        o.push_str("\n<nav class=\"period-links\" aria-label=\"More from this date\">\n  <p class=\"period-links-lead\">More from</p>\n  <ul>");
        for link in &article.periods {
            o.push_str("\n    <li>");
            link_to(o, root, &link.path, &link.label);
            o.push_str("</li>");
        }
        o.push_str("\n  </ul>\n</nav>\n");
    })
}

/// An entity page: `entity.html` with its article list (under month
/// headings when `groups` are given) and pager.
pub fn entity_page(
    site: &SiteContext,
    meta: &PageMeta,
    entity: &EntityView,
    items: &[ListItem<'_>],
    groups: &[ArticleGroup],
    pagination: &Pagination,
) -> String {
    let root = meta.root.as_str();
    page(site, meta, |o| {
        o.push_str("\n<header class=\"page-header entity-header\">\n  <p class=\"kicker\">");
        match entity.kind {
            "person" => o.push_str("Person"),
            "place" => o.push_str("Place"),
            "organisation" => o.push_str("Organisation"),
            other => escape_into(o, other),
        }
        o.push_str("</p>\n  <h1 class=\"page-title\">");
        escape_into(o, &entity.name);
        page_number(o, pagination);
        o.push_str("</h1>\n  ");
        if !entity.description.is_empty() {
            o.push_str("<p class=\"entity-description\">");
            escape_into(o, &entity.description);
            o.push_str("</p>");
        }
        o.push_str("\n</header>\n<dl class=\"entity-facts\">\n  ");
        if !entity.aliases.is_empty() {
            o.push_str("\n  <div class=\"fact-wide\"><dt>Also written</dt><dd>");
            escape_into(o, &entity.aliases.join(", "));
            o.push_str("</dd></div>\n  ");
        }
        let _ = write!(
            o,
            "\n  <div><dt>Articles</dt><dd>{}</dd></div>\n  <div><dt>Mentions</dt><dd>{}</dd></div>\n  <div><dt>First mentioned</dt><dd>",
            entity.article_count, entity.mention_count
        );
        link_to(o, root, &entity.first.path, &entity.first.label);
        o.push_str("</dd></div>\n  <div><dt>Last mentioned</dt><dd>");
        link_to(o, root, &entity.last.path, &entity.last.label);
        o.push_str("</dd></div>\n</dl>\n");
        if !entity.timeline_html.is_empty() {
            o.push_str("\n<figure class=\"timeline-figure\">\n  ");
            o.push_str(&entity.timeline_html);
            o.push_str("\n  <figcaption>Mentions over time</figcaption>\n</figure>\n");
        }
        o.push('\n');
        if !entity.related.is_empty() {
            o.push_str("\n<aside class=\"related\" aria-label=\"Often mentioned with ");
            escape_into(o, &entity.name);
            o.push_str("\">\n  <h2>Often mentioned with</h2>\n  <ul class=\"related-list\">\n    ");
            for link in &entity.related {
                related_item(o, root, link);
            }
            o.push_str("\n  </ul>\n</aside>\n");
        }
        o.push('\n');
        if groups.is_empty() {
            article_list(o, root, items);
        } else {
            article_groups(o, root, items, groups);
        }
        o.push('\n');
        if !entity.years.is_empty() {
            o.push_str("\n<nav class=\"entity-years\" aria-labelledby=\"entity-years-title\">\n  <h2 class=\"entity-years-lead\" id=\"entity-years-title\">Every article, by year</h2>\n  <ul>\n    ");
            for year in &entity.years {
                o.push_str("\n    <li>");
                link_to(o, root, &year.path, &year.label);
                let _ =
                    write!(o, " <span class=\"count\">{} article{}</span></li>\n    ", year.count, plural(year.count));
            }
            o.push_str("\n  </ul>\n</nav>\n");
        }
        o.push('\n');
        pager(o, root, pagination);
        o.push_str("\n<p class=\"back-to-section\"><a href=\"");
        escape_into(o, root);
        escape_into(o, &entity.section.path);
        o.push_str("\">All ");
        escape_into(o, &entity.section.label.to_lowercase());
        o.push_str("</a></p>\n");
    })
}

/// What an entity's year page shows besides its list and pager.
pub struct EntityYearView<'a> {
    /// The entity.
    pub entity: &'a EntityView,
    /// The year, its page and its number of articles.
    pub year: &'a PeriodLink,
    /// The year's mentions by month, an inline SVG.
    pub timeline_html: &'a str,
    /// The page's articles under their months' headings.
    pub groups: &'a [ArticleGroup],
}

/// An entity's year page: `entity_year.html`.
pub fn entity_year_page(
    site: &SiteContext,
    meta: &PageMeta,
    view: &EntityYearView<'_>,
    items: &[ListItem<'_>],
    pagination: &Pagination,
    around: (Option<&Link>, Option<&Link>),
) -> String {
    let root = meta.root.as_str();
    let (entity, year) = (view.entity, view.year);
    page(site, meta, |o| {
        o.push_str("\n<header class=\"page-header entity-header\">\n  <p class=\"kicker\">");
        link_to(o, root, &entity.path, &entity.name);
        o.push_str("</p>\n  <h1 class=\"page-title\">");
        escape_into(o, &entity.name);
        if year.label == super::links::UNDATED_LABEL {
            o.push_str(", undated");
        } else {
            o.push_str(" in ");
            escape_into(o, &year.label);
        }
        page_number(o, pagination);
        let _ =
            write!(o, "</h1>\n  <p class=\"page-meta\">{} article{}</p>\n</header>\n", year.count, plural(year.count));
        if !view.timeline_html.is_empty() {
            o.push_str("\n<figure class=\"timeline-figure\">\n  ");
            o.push_str(view.timeline_html);
            o.push_str("\n  <figcaption>Mentions in ");
            escape_into(o, &year.label);
            // A run of years (`2005–2009`) is drawn by year, one year by month.
            o.push_str(if year.label.contains('\u{2013}') { ", by year" } else { ", by month" });
            o.push_str("</figcaption>\n</figure>\n");
        }
        o.push('\n');
        article_groups(o, root, items, view.groups);
        o.push('\n');
        pager(o, root, pagination);
        o.push('\n');
        period_nav(o, root, "year", around);
        o.push_str("\n<p class=\"back-to-section\"><a href=\"");
        escape_into(o, root);
        escape_into(o, &entity.path);
        o.push_str("\">Every article mentioning ");
        escape_into(o, &entity.name);
        o.push_str("</a></p>\n");
    })
}

/// `<span class="page-number">, page N</span>` after a heading, past the first page.
fn page_number(o: &mut String, pagination: &Pagination) {
    if pagination.current > 1 {
        let _ = write!(o, "<span class=\"page-number\">, page {}</span>", pagination.current);
    }
}

/// A day page: `day.html` with its article list, pager and links to the
/// days before and after.
pub fn day_page(
    site: &SiteContext,
    meta: &PageMeta,
    period: &PeriodLink,
    items: &[ListItem<'_>],
    pagination: &Pagination,
    around: (Option<&Link>, Option<&Link>),
    other_years: Option<&Link>,
) -> String {
    let root = meta.root.as_str();
    page(site, meta, |o| {
        period_header(o, period);
        if let Some(link) = other_years {
            o.push_str("<p class=\"other-years\">");
            link_to(o, root, &link.path, &link.label);
            o.push_str("</p>");
        }
        o.push('\n');
        period_articles(o, root, items, pagination, "day", around);
    })
}

/// The heading of a day or month page: its name and article count.
fn period_header(o: &mut String, period: &PeriodLink) {
    o.push_str("\n<header class=\"page-header\">\n  <h1 class=\"page-title\">");
    escape_into(o, &period.label);
    let _ =
        write!(o, "</h1>\n  <p class=\"page-meta\">{} article{}</p>\n</header>\n", period.count, plural(period.count));
}

/// The end of a day or month page: its articles, a pager and the periods
/// (`unit`: day or month) either side.
fn period_articles(
    o: &mut String,
    root: &str,
    items: &[ListItem<'_>],
    pagination: &Pagination,
    unit: &str,
    around: (Option<&Link>, Option<&Link>),
) {
    article_list(o, root, items);
    o.push('\n');
    pager(o, root, pagination);
    o.push('\n');
    period_nav(o, root, unit, around);
    o.push('\n');
}

/// What a month page shows besides its articles.
pub struct MonthView<'a> {
    /// The month, with its article count.
    pub period: &'a PeriodLink,
    /// Its calendar.
    pub calendar: &'a Calendar,
    /// Its days with articles.
    pub days: &'a [PeriodLink],
}

/// A page of a month: `month.html`, its calendar and days, a page of its
/// articles, a pager and the months either side.
pub fn month_page(
    site: &SiteContext,
    meta: &PageMeta,
    month: &MonthView<'_>,
    items: &[ListItem<'_>],
    pagination: &Pagination,
    around: (Option<&Link>, Option<&Link>),
) -> String {
    let root = meta.root.as_str();
    page(site, meta, |o| {
        period_header(o, month.period);
        o.push_str("<table class=\"calendar\">\n  <caption>Articles per day, ");
        escape_into(o, &month.period.label);
        o.push_str("</caption>\n  <thead>\n    <tr>\n      ");
        for weekday in &month.calendar.weekdays {
            o.push_str("<th scope=\"col\">");
            escape_into(o, weekday);
            o.push_str("</th>");
        }
        o.push_str("\n    </tr>\n  </thead>\n  <tbody>\n    ");
        for week in &month.calendar.weeks {
            o.push_str("\n    <tr>\n      ");
            for cell in week {
                o.push_str("\n      ");
                if cell.day == 0 {
                    o.push_str("\n      <td class=\"cal-pad\"></td>\n      ");
                } else if !cell.path.is_empty() {
                    o.push_str("\n      <td class=\"cal-has-articles\"><a href=\"");
                    escape_into(o, root);
                    escape_into(o, &cell.path);
                    let _ = write!(
                        o,
                        "\"><span class=\"cal-day\">{}</span><span class=\"visually-hidden\">: </span> <span class=\"cal-count\">{}<span class=\"visually-hidden\"> article{}</span></span></a></td>\n      ",
                        cell.day,
                        cell.count,
                        plural(cell.count)
                    );
                } else {
                    let _ = write!(o, "\n      <td><span class=\"cal-day\">{}</span></td>\n      ", cell.day);
                }
                o.push_str("\n      ");
            }
            o.push_str("\n    </tr>\n    ");
        }
        o.push_str("\n  </tbody>\n</table>\n");
        if !month.days.is_empty() {
            o.push_str("\n<nav class=\"day-index\" aria-label=\"Days with articles\">\n  <p class=\"day-index-lead\">Days with articles:</p>\n  <ul>\n    ");
            for day in month.days {
                o.push_str("\n    <li>");
                link_to(o, root, &day.path, &day.label);
                o.push_str("</li>\n    ");
            }
            o.push_str("\n  </ul>\n</nav>\n");
        }
        o.push('\n');
        period_articles(o, root, items, pagination, "month", around);
    })
}

/// A page of the home page: `home.html`, the latest articles and a pager.
pub fn home_page(
    site: &SiteContext,
    meta: &PageMeta,
    items: &[ListItem<'_>],
    pagination: &Pagination,
    on_this_day: Option<&OnThisDayLink>,
    older: Option<&Link>,
) -> String {
    let root = meta.root.as_str();
    page(site, meta, |o| {
        o.push_str("\n<header class=\"page-header\">\n  <h1 class=\"page-title\">Latest articles");
        if pagination.current > 1 {
            let _ = write!(o, "<span class=\"page-number\">, page {}</span>", pagination.current);
        }
        o.push_str("</h1>\n</header>\n");
        if let Some(link) = on_this_day {
            o.push_str("<p class=\"on-this-day-link\"><a id=\"on-this-day\" href=\"");
            escape_into(o, root);
            escape_into(o, &link.path);
            o.push_str("\" data-days=\"");
            escape_into(o, &link.days);
            o.push_str("\">");
            o.push_str(ON_THIS_DAY_LABEL);
            o.push_str("</a></p>\n");
            o.push_str(ON_THIS_DAY_SCRIPT);
        }
        o.push('\n');
        article_list(o, root, items);
        o.push('\n');
        if let Some(older) = older {
            o.push_str("<p class=\"older-articles\"><a href=\"");
            escape_into(o, root);
            escape_into(o, &older.path);
            o.push_str("\">Older articles: ");
            escape_into(o, &older.label);
            o.push_str("</a></p>\n");
        }
        pager(o, root, pagination);
        o.push('\n');
    })
}

/// The home page's "on this day" link, before the script names the day.
const ON_THIS_DAY_LABEL: &str = "On this day in other years";

/// The script of `home.html` that points the "on this day" link at today's
/// page, when today has one; without it the link goes to the calendar.
const ON_THIS_DAY_SCRIPT: &str = include_str!("../../templates/partials/on_this_day_script.html");

/// `partials/period_nav.html`
fn period_nav(o: &mut String, root: &str, unit: &str, (prev, next): (Option<&Link>, Option<&Link>)) {
    if prev.is_none() && next.is_none() {
        o.push('\n');
        return;
    }
    o.push_str("\n<nav class=\"period-nav\" aria-label=\"Previous and next ");
    escape_into(o, unit);
    o.push_str("\">\n  <ul>\n    ");
    if let Some(prev) = prev {
        o.push_str("<li class=\"nav-prev\"><a href=\"");
        escape_into(o, root);
        escape_into(o, &prev.path);
        o.push_str("\" rel=\"prev\"><span aria-hidden=\"true\">←</span> ");
        escape_into(o, &prev.label);
        o.push_str("</a></li>");
    }
    o.push_str("\n    ");
    if let Some(next) = next {
        o.push_str("<li class=\"nav-next\"><a href=\"");
        escape_into(o, root);
        escape_into(o, &next.path);
        o.push_str("\" rel=\"next\">");
        escape_into(o, &next.label);
        o.push_str(" <span aria-hidden=\"true\">→</span></a></li>");
    }
    o.push_str("\n  </ul>\n</nav>\n\n");
}

fn related_item(o: &mut String, root: &str, link: &RelatedEntity) {
    o.push_str("\n    <li>");
    link_to(o, root, &link.path, &link.name);
    o.push_str(" <span class=\"count\">");
    let together = format!("{} article{} together", link.count, plural(link.count));
    if link.search.is_empty() {
        o.push_str(&together);
    } else {
        link_to(o, root, &link.search, &together);
    }
    o.push_str("</span></li>\n    ");
}

/// `partials/article_list.html`
fn article_list(o: &mut String, root: &str, items: &[ListItem<'_>]) {
    if items.is_empty() {
        o.push_str("\n<p class=\"empty\">No articles here yet.</p>\n\n");
        return;
    }
    o.push_str("\n<ul class=\"article-list\">\n  ");
    for item in items {
        article_item(o, root, item, false);
    }
    o.push_str("\n</ul>\n\n");
}

/// `partials/article_groups.html`: the items under their groups' headings.
fn article_groups(o: &mut String, root: &str, items: &[ListItem<'_>], groups: &[ArticleGroup]) {
    let mut rest = items;
    for group in groups {
        let (these, after) = rest.split_at(group.count.min(rest.len()));
        rest = after;
        o.push_str("\n<section class=\"article-group\" aria-labelledby=\"");
        escape_into(o, &group.id);
        o.push_str("\">\n<h2 class=\"group-heading\" id=\"");
        escape_into(o, &group.id);
        o.push_str("\">");
        escape_into(o, &group.label);
        o.push_str("</h2>\n<ul class=\"article-list\">\n  ");
        for item in these {
            article_item(o, root, item, true);
        }
        o.push_str("\n</ul>\n</section>\n");
    }
    o.push('\n');
}

/// One item of an article list, its headline an `h2` (an `h3` under a group's heading).
fn article_item(o: &mut String, root: &str, item: &ListItem<'_>, grouped: bool) {
    let level = if grouped { "h3" } else { "h2" };
    let _ = write!(
        o,
        "\n  <li class=\"article-item\">\n    <article>\n      <{level} class=\"article-item-title\"><a href=\""
    );
    escape_into(o, root);
    o.push_str(item.link);
    let _ = write!(o, "</a></{level}>");
    o.push_str(item.date);
    if !item.snippet.is_empty() {
        o.push_str("\n      <blockquote class=\"snippet\"><p>");
        escape_into(o, item.snippet);
        o.push_str("</p></blockquote>\n      ");
    } else if !item.summary.is_empty() {
        o.push_str("\n      <p class=\"article-item-summary\">");
        escape_into(o, item.summary);
        o.push_str("</p>\n      ");
    }
    o.push_str("\n    </article>\n  </li>\n  ");
}

/// `partials/pagination.html`
fn pager(o: &mut String, root: &str, p: &Pagination) {
    if p.total <= 1 {
        o.push('\n');
        return;
    }
    o.push_str("\n<nav class=\"pager\" aria-label=\"Pagination\">\n  <ul>\n    ");
    if let Some(prev) = p.prev.as_deref() {
        o.push_str("\n    <li class=\"pager-prev\"><a href=\"");
        escape_into(o, root);
        escape_into(o, prev);
        o.push_str("\" rel=\"prev\"><span aria-hidden=\"true\">←</span> Previous</a></li>\n    ");
    }
    o.push_str("\n    ");
    for pg in &p.pages {
        o.push_str("\n    ");
        if pg.number == 1 || pg.number == p.total || (pg.number + 2 >= p.current && pg.number <= p.current + 2) {
            o.push_str("\n    <li><a href=\"");
            escape_into(o, root);
            escape_into(o, &pg.path);
            o.push('"');
            current_if(o, pg.current);
            let _ = write!(o, "><span class=\"visually-hidden\">Page </span>{}</a></li>\n    ", pg.number);
        } else if pg.number + 3 == p.current || pg.number == p.current + 3 {
            o.push_str("\n    <li class=\"pager-gap\" aria-hidden=\"true\">…</li>\n    ");
        }
        o.push_str("\n    ");
    }
    o.push_str("\n    ");
    if let Some(next) = p.next.as_deref() {
        o.push_str("\n    <li class=\"pager-next\"><a href=\"");
        escape_into(o, root);
        escape_into(o, next);
        o.push_str("\" rel=\"next\">Next <span aria-hidden=\"true\">→</span></a></li>\n    ");
    }
    let _ = write!(o, "\n  </ul>\n  <p class=\"pager-status\">Page {} of {}</p>\n</nav>\n\n", p.current, p.total);
}

/// One `<entry>` of `atom.xml`: the same in every feed that holds the article.
pub fn feed_entry(entry: &FeedEntry) -> String {
    let mut o = String::with_capacity(1024);
    o.push_str("\n  <entry>\n    <title>");
    escape_into(&mut o, &entry.title);
    o.push_str("</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"");
    escape_into(&mut o, &entry.url);
    o.push_str("\"/>\n    <id>");
    escape_into(&mut o, &entry.url);
    o.push_str("</id>");
    if !entry.published.is_empty() {
        o.push_str("\n    <published>");
        escape_into(&mut o, &entry.published);
        o.push_str("</published>");
    }
    o.push_str("\n    <updated>");
    escape_into(&mut o, &entry.updated);
    o.push_str("</updated>");
    for author in &entry.authors {
        o.push_str("\n    <author><name>");
        escape_into(&mut o, author);
        o.push_str("</name></author>");
    }
    for category in &entry.categories {
        o.push_str("\n    <category term=\"");
        escape_into(&mut o, category);
        o.push_str("\"/>");
    }
    o.push_str("\n    <summary>");
    escape_into(&mut o, &entry.summary);
    o.push_str("</summary>\n  </entry>");
    o
}

/// A feed: `atom.xml` around entries made by [`feed_entry`].
pub fn feed<'a>(site: &SiteContext, feed: &FeedView, entries: impl Iterator<Item = &'a str>) -> String {
    let mut o = String::with_capacity(32 * 1024);
    o.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
    escape_into(&mut o, &site.language);
    o.push_str("\">\n  <title>");
    escape_into(&mut o, &feed.title);
    o.push_str("</title>");
    if !site.description.is_empty() {
        o.push_str("\n  <subtitle>");
        escape_into(&mut o, &site.description);
        o.push_str("</subtitle>");
    }
    o.push_str("\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"");
    escape_into(&mut o, &feed.url);
    o.push_str("\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"");
    escape_into(&mut o, &feed.page_url);
    o.push_str("\"/>\n  <id>");
    escape_into(&mut o, &feed.url);
    o.push_str("</id>\n  <updated>");
    escape_into(&mut o, &feed.updated);
    o.push_str("</updated>\n  <author><name>");
    escape_into(&mut o, &site.title);
    o.push_str("</name></author>\n  <generator>gazette</generator>");
    for entry in entries {
        o.push_str(entry);
    }
    o.push_str("\n</feed>\n");
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::templates::Theme;
    use std::path::Path;

    fn native_for(templates_dir: &Path) -> NativePages {
        Theme::load(templates_dir).unwrap().native
    }

    #[test]
    fn only_sites_that_keep_the_templates_get_native_pages() {
        let all = NativePages {
            articles: true,
            entities: true,
            entity_years: true,
            days: true,
            months: true,
            home: true,
            feeds: true,
        };
        assert_eq!(native_for(Path::new("/nonexistent")), all);
        // The repository's own templates/ holds the built-in text.
        assert_eq!(native_for(&Path::new(env!("CARGO_MANIFEST_DIR")).join("templates")), all);
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("partials")).unwrap();
        std::fs::write(dir.path().join("partials/pagination.html"), "{{ pagination.current }}").unwrap();
        // The pager is in entity, day, month and home pages.
        let no_pager =
            NativePages { entities: false, entity_years: false, days: false, months: false, home: false, ..all };
        assert_eq!(native_for(dir.path()), no_pager);
        std::fs::write(dir.path().join("partials/period_nav.html"), "").unwrap();
        assert_eq!(native_for(dir.path()), no_pager, "period_nav.html is in day, month and entity year pages only");
        std::fs::remove_file(dir.path().join("partials/pagination.html")).unwrap();
        assert_eq!(native_for(dir.path()), NativePages { days: false, months: false, entity_years: false, ..all });
        let base = include_str!("../../templates/base.html");
        std::fs::write(dir.path().join("base.html"), format!("{base}<!-- changed -->")).unwrap();
        assert_eq!(native_for(dir.path()), NativePages { feeds: true, ..NativePages::NONE });
        std::fs::write(dir.path().join("atom.xml"), "<feed/>").unwrap();
        assert_eq!(native_for(dir.path()), NativePages::NONE);
    }

    #[test]
    fn the_second_page_of_the_home_page_links_back_to_the_first() {
        // The home page's path is empty: the link is the root prefix alone.
        let mut html = String::new();
        pager(&mut html, "../../", &crate::render::links::pagination("", 2, 3));
        assert!(html.contains("<a href=\"../../\" rel=\"prev\">"), "{html}");
        assert!(html.contains("<a href=\"../../page/3/\" rel=\"next\">"), "{html}");
        let mut first = String::new();
        pager(&mut first, "./", &crate::render::links::pagination("", 1, 3));
        assert!(!first.contains("rel=\"prev\""), "{first}");
    }
}
