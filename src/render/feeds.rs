//! Atom feeds: the site's newest articles, each entity type's (articles
//! that mention a person, a place, an organisation), each entity's and
//! each section's. Every feed holds at most `[feeds] limit` entries;
//! undated articles come last.

use chrono::NaiveDate;
use serde::Serialize;

use crate::archive::{Archive, ArticleId, EntityId, SectionId};
use crate::config::Config;
use crate::entity_kind::EntityKind;

/// Which articles a feed follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeedScope {
    /// Every article: `atom.xml`.
    Site,
    /// Articles that mention an entity of this kind that has a page: `people/atom.xml`.
    Kind(EntityKind),
    /// Articles that mention this entity: `people/name/atom.xml`.
    Entity(EntityId),
    /// Articles of this section: `sections/name/atom.xml`.
    Section(SectionId),
}

/// The feed as a whole, as the `atom.xml` template sees it.
#[derive(Debug, Clone, Serialize)]
pub struct FeedView {
    /// Feed title.
    pub title: String,
    /// Absolute URL of the feed itself (also its Atom id).
    pub url: String,
    /// Absolute URL of the HTML page the feed follows.
    pub page_url: String,
    /// RFC 3339 time of the newest dated entry (the Unix epoch when none is dated).
    pub updated: String,
}

/// One entry of a feed.
#[derive(Debug, Clone, Serialize)]
pub struct FeedEntry {
    /// Headline.
    pub title: String,
    /// Absolute URL of the article page (also its Atom id).
    pub url: String,
    /// RFC 3339 publication time (the first day of a month or year known
    /// no more precisely); empty when undated.
    pub published: String,
    /// RFC 3339 time of its last change: its publication time, or for an
    /// undated article the Unix epoch.
    pub updated: String,
    /// Authors, possibly none.
    pub authors: Vec<String>,
    /// Names of the people, places and organisations it mentions.
    pub categories: Vec<String>,
    /// One or two sentences of plain text.
    pub summary: String,
}

/// Where a feed is written in the output folder, or `None` for an entity
/// without a page.
pub fn feed_path(archive: &Archive, scope: FeedScope) -> Option<String> {
    match scope {
        FeedScope::Site => Some("atom.xml".into()),
        FeedScope::Kind(kind) => kind.section().map(|s| format!("{s}/atom.xml")),
        FeedScope::Entity(id) => archive.entity_path(id).map(|p| format!("{p}atom.xml")),
        FeedScope::Section(id) => archive.sections.get(id).map(|_| format!("{}atom.xml", archive.section_path(id))),
    }
}

/// The site-relative path of the HTML page a feed follows.
pub fn feed_page_path(archive: &Archive, scope: FeedScope) -> String {
    match scope {
        FeedScope::Site => String::new(),
        FeedScope::Kind(kind) => kind.section().map(|s| format!("{s}/")).unwrap_or_default(),
        FeedScope::Entity(id) => archive.entity_path(id).unwrap_or_default(),
        FeedScope::Section(id) => archive.section_path(id),
    }
}

/// The feeds a site has under `config`.
pub fn feed_scopes(archive: &Archive, config: &Config) -> Vec<FeedScope> {
    if config.feeds.limit == 0 {
        return Vec::new();
    }
    let mut scopes = vec![FeedScope::Site];
    scopes.extend(EntityKind::WITH_PAGES.into_iter().map(FeedScope::Kind));
    if config.feeds.entities {
        scopes.extend((0..archive.entities.len()).filter(|&id| archive.entities[id].has_page).map(FeedScope::Entity));
    }
    scopes.extend((0..archive.sections.len()).map(FeedScope::Section));
    scopes
}

/// The newest articles of a feed, newest first.
pub fn feed_articles(archive: &Archive, scope: FeedScope, limit: usize) -> Vec<ArticleId> {
    match scope {
        FeedScope::Site => (0..archive.articles.len()).rev().take(limit).collect(),
        FeedScope::Kind(kind) => (0..archive.articles.len())
            .rev()
            .filter(|&id| {
                archive.article_entities[id].iter().any(|ae| {
                    let e = &archive.entities[ae.entity];
                    e.kind == kind && e.has_page
                })
            })
            .take(limit)
            .collect(),
        FeedScope::Entity(id) => archive.entities[id].articles.iter().rev().take(limit).copied().collect(),
        FeedScope::Section(id) => archive.sections[id].articles.iter().rev().take(limit).copied().collect(),
    }
}

/// The title of a feed.
pub fn feed_title(archive: &Archive, config: &Config, scope: FeedScope) -> String {
    match scope {
        FeedScope::Site => config.title.clone(),
        FeedScope::Kind(kind) => format!("{}: {}", config.title, kind.plural_label()),
        FeedScope::Entity(id) => format!("{}: {}", config.title, archive.entities[id].name),
        FeedScope::Section(id) => format!("{}: {}", config.title, archive.sections[id].name),
    }
}

/// Midnight UTC of a date, in RFC 3339.
pub fn rfc3339(date: NaiveDate) -> String {
    format!("{date}T00:00:00Z")
}

/// The feed as a whole (its entries are [`feed_articles`], each made into
/// a [`FeedEntry`] by [`feed_entry`]).
pub fn feed_view(archive: &Archive, config: &Config, scope: FeedScope, ids: &[ArticleId]) -> FeedView {
    let newest = ids.iter().find_map(|&id| archive.articles[id].date).map(|d| d.first_day);
    FeedView {
        title: xml_text(&feed_title(archive, config, scope)),
        url: format!("{}{}", config.base_url, feed_path(archive, scope).unwrap_or_default()),
        page_url: format!("{}{}", config.base_url, feed_page_path(archive, scope)),
        updated: rfc3339(newest.unwrap_or(NO_DATE)),
    }
}

/// The `updated` time of undated entries, and of feeds that hold only
/// those: Atom requires one, and the Unix epoch says "none known" without
/// depending on any other article (so feed readers put them last).
const NO_DATE: NaiveDate = NaiveDate::from_ymd_opt(1970, 1, 1).expect("a valid date");

/// An article as a feed entry: the same in every feed that holds it.
pub fn feed_entry(archive: &Archive, config: &Config, id: ArticleId) -> FeedEntry {
    let a = &archive.articles[id];
    FeedEntry {
        title: xml_text(&a.title),
        url: format!("{}{}", config.base_url, archive.article_path(id)),
        published: a.date.map(|d| rfc3339(d.first_day)).unwrap_or_default(),
        updated: rfc3339(a.date.map_or(NO_DATE, |d| d.first_day)),
        authors: a.authors.iter().map(|s| xml_text(s)).collect(),
        categories: archive.article_entities[id]
            .iter()
            .map(|ae| &archive.entities[ae.entity])
            .filter(|e| e.has_page)
            .map(|e| xml_text(&e.name))
            .collect(),
        summary: xml_text(&a.summary),
    }
}

/// `text` without the characters XML 1.0 forbids (most control characters),
/// which would make a whole feed unreadable. Escaping is the template's job.
pub fn xml_text(text: &str) -> String {
    let allowed =
        |c: char| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..);
    if text.chars().all(allowed) {
        return text.to_string();
    }
    text.chars().filter(|&c| allowed(c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_dropped_from_feed_text() {
        assert_eq!(xml_text("a\u{0}b\u{b}c\td\u{FFFE}é"), "abc\td\u{e9}");
    }

    #[test]
    fn times_are_rfc3339() {
        assert_eq!(rfc3339(NaiveDate::from_ymd_opt(2022, 2, 28).unwrap()), "2022-02-28T00:00:00Z");
    }
}
