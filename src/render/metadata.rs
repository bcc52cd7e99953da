//! What a page tells search engines and social sites: schema.org JSON-LD
//! (NewsArticle on articles, Person / Place / Organization on entity pages,
//! WebSite on the home page) and the values of its Open Graph and Twitter
//! card tags. All URLs here are absolute, built on `base_url`.

use serde_json::{Value, json};

use super::context::{ArticleEntities, PageMeta};
use crate::archive::{Archive, ArticleId, EntityId};
use crate::config::Config;
use crate::content::EntityKind;

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
    let modified = a.updated.unwrap_or(a.date);
    meta.og_type = "article";
    meta.published_time = a.date.to_string();
    meta.modified_time = modified.to_string();
    meta.image_url = a.image.as_deref().map(|image| absolute_url(base, image)).unwrap_or_default();
    let groups = [("Person", &entities.people), ("Place", &entities.places), ("Organization", &entities.organisations)];
    meta.tags = groups.iter().flat_map(|(_, list)| list.iter().map(|e| e.name.clone())).collect();
    let mentions: Vec<Value> = groups
        .iter()
        .flat_map(|(kind, list)| {
            list.iter().map(move |e| json!({"@type": kind, "name": e.name, "url": format!("{base}{}", e.path)}))
        })
        .collect();
    let mut value = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.title,
        "description": a.summary,
        "datePublished": a.date.to_string(),
        "dateModified": modified.to_string(),
        "url": meta.canonical_url,
        "mainEntityOfPage": meta.canonical_url,
        "publisher": publisher(config),
        "mentions": mentions,
    });
    if !a.authors.is_empty() {
        value["author"] = a.authors.iter().map(|n| json!({"@type": "Person", "name": n})).collect();
    }
    if !meta.image_url.is_empty() {
        value["image"] = meta.image_url.clone().into();
    }
    if let Some(url) = a.source_url.as_deref().filter(|u| is_web_url(u)) {
        value["isBasedOn"] = url.into();
    }
    meta.json_ld_html = script_safe_json(&value);
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
    value.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
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
