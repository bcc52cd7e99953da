//! What a page tells search engines and social sites: schema.org JSON-LD
//! (NewsArticle on articles, Person / Place / Organization on entity pages,
//! WebSite on the home page) and the values of its Open Graph and Twitter
//! card tags. All URLs here are absolute, built on `base_url`.

use serde::Serialize;
use serde_json::{Value, json};

use super::context::{ArticleEntities, EntityLink, PageMeta};
use crate::archive::{Archive, ArticleId, EntityId};
use crate::config::Config;
use crate::entity_kind::EntityKind;

/// The most names an article's head lists, as Open Graph tags and as
/// JSON-LD `mentions`; its page links every one.
pub const MAX_NAMES_IN_HEAD: usize = 10;

/// Fills in the social and structured-data fields of an article page.
pub fn describe_article(
    meta: &mut PageMeta,
    archive: &Archive,
    config: &Config,
    id: ArticleId,
    entities: &ArticleEntities,
) {
    let a = &archive.articles[id];
    let base = &config.base_url;
    meta.og_type = "article";
    meta.published_time = a.date.map(|d| d.iso()).unwrap_or_default();
    meta.modified_time = a.updated.map_or_else(|| meta.published_time.clone(), |u| u.to_string());
    meta.image_url = a.image.as_deref().map(|image| absolute_url(base, image)).unwrap_or_default();
    let groups = [("Person", &entities.people), ("Place", &entities.places), ("Organization", &entities.organisations)];
    // The names it mentions most, most first (ties in the page's order): a
    // page repeats these in its head, so a long list would weigh on every page.
    let mut named: Vec<(&str, &EntityLink)> =
        groups.iter().flat_map(|(kind, list)| list.iter().map(move |e| (*kind, e))).collect();
    named.sort_by_key(|(_, e)| std::cmp::Reverse(e.count));
    named.truncate(MAX_NAMES_IN_HEAD);
    meta.tags = named.iter().map(|(_, e)| e.name.clone()).collect();
    let article = NewsArticle {
        context: "https://schema.org",
        kind: "NewsArticle",
        author: a.authors.iter().map(|name| Named { kind: "Person", name }).collect(),
        date_modified: meta.modified_time.clone(),
        date_published: meta.published_time.clone(),
        description: &a.summary,
        headline: &a.title,
        image: &meta.image_url,
        is_based_on: a.source_url.as_deref().filter(|u| is_web_url(u)),
        main_entity_of_page: &meta.canonical_url,
        mentions: named.iter().map(|(kind, e)| Mentioned { kind, name: &e.name, url: Concat(base, &e.path) }).collect(),
        publisher: Publisher { kind: "Organization", name: &config.title, url: &config.base_url },
        url: &meta.canonical_url,
    };
    meta.json_ld_html = serde_json::to_string(&article).map(|json| script_safe(&json)).unwrap_or_default();
}

/// schema.org NewsArticle, its fields in the order a JSON object's sorted
/// keys would have.
#[derive(Serialize)]
struct NewsArticle<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<Named<'a>>,
    #[serde(rename = "dateModified", skip_serializing_if = "String::is_empty")]
    date_modified: String,
    #[serde(rename = "datePublished", skip_serializing_if = "String::is_empty")]
    date_published: String,
    description: &'a str,
    headline: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    image: &'a str,
    #[serde(rename = "isBasedOn", skip_serializing_if = "Option::is_none")]
    is_based_on: Option<&'a str>,
    #[serde(rename = "mainEntityOfPage")]
    main_entity_of_page: &'a str,
    mentions: Vec<Mentioned<'a>>,
    publisher: Publisher<'a>,
    url: &'a str,
}

#[derive(Serialize)]
struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
struct Mentioned<'a> {
    #[serde(rename = "@type")]
    kind: &'a str,
    name: &'a str,
    url: Concat<'a>,
}

/// Two strings serialized as one, without joining them first.
struct Concat<'a>(&'a str, &'a str);

impl Serialize for Concat<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&format_args!("{}{}", self.0, self.1))
    }
}

#[derive(Serialize)]
struct Publisher<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: &'a str,
}

/// Fills in the structured data of an entity page: the entity as a schema.org
/// Person, Place or Organization. (The articles that mention it name it in
/// their own `mentions`.)
pub fn describe_entity(meta: &mut PageMeta, archive: &Archive, config: &Config, id: EntityId) {
    let e = &archive.entities[id];
    let kind = match e.kind {
        EntityKind::Person => "Person",
        EntityKind::Place => "Place",
        EntityKind::Organisation => "Organization",
        EntityKind::Misc => "Thing",
    };
    let mut value = json!({
        "@context": "https://schema.org",
        "@type": kind,
        "name": e.name,
        "url": format!("{}{}", config.base_url, archive.entity_path(id).unwrap_or_default()),
        "mainEntityOfPage": meta.canonical_url,
    });
    if !e.aliases.is_empty() {
        value["alternateName"] = e.aliases.clone().into();
    }
    meta.json_ld_html = script_safe_json(&value);
}

/// Fills in the structured data of the home page: the site as a schema.org
/// WebSite, with its search page as a SearchAction.
pub fn describe_site(meta: &mut PageMeta, config: &Config) {
    let mut value = json!({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": config.title,
        "description": config.description,
        "url": config.base_url,
        "publisher": publisher(config),
    });
    if config.search.enabled {
        value["potentialAction"] = json!({
            "@type": "SearchAction",
            "target": format!("{}search/?q={{search_term_string}}", config.base_url),
            "query-input": "required name=search_term_string",
        });
    }
    meta.json_ld_html = script_safe_json(&value);
}

fn publisher(config: &Config) -> Value {
    json!({"@type": "Organization", "name": config.title, "url": config.base_url})
}

/// An absolute URL for a web URL (kept) or a site-relative path.
pub fn absolute_url(base_url: &str, url_or_path: &str) -> String {
    if is_web_url(url_or_path) {
        url_or_path.to_string()
    } else {
        format!("{base_url}{}", url_or_path.trim_start_matches('/'))
    }
}

/// JSON that cannot close a `<script>` element or open a comment.
pub fn script_safe_json(value: &Value) -> String {
    script_safe(&value.to_string())
}

/// JSON text with `<`, `>` and `&` written as escapes (the same JSON), so that
/// it cannot close or open a tag inside `<script>`.
fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 16);
    let mut run = 0;
    for (i, byte) in json.bytes().enumerate() {
        let escaped = match byte {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            b'&' => "\\u0026",
            _ => continue,
        };
        out.push_str(&json[run..i]);
        out.push_str(escaped);
        run = i + 1;
    }
    out.push_str(&json[run..]);
    out
}

/// Only http(s) URLs become links: a `javascript:` source URL must not.
pub fn is_web_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_that_are_not_web_links_are_dropped() {
        assert!(is_web_url("https://example.org"));
        assert!(!is_web_url("javascript:alert(1)"));
    }

    #[test]
    fn site_paths_become_absolute_and_web_urls_stay() {
        assert_eq!(absolute_url("https://x.org/archive/", "/img/a.jpg"), "https://x.org/archive/img/a.jpg");
        assert_eq!(absolute_url("https://x.org/", "https://cdn.org/a.jpg"), "https://cdn.org/a.jpg");
    }

    #[test]
    fn json_cannot_close_the_script_element() {
        let text = script_safe_json(&json!({"headline": "</script><!-- & more"}));
        assert!(!text.contains('<') && !text.contains('&'), "{text}");
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap()["headline"], "</script><!-- & more");
    }
}
