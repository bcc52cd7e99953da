//! What a built site offers to feed readers and search engines: Atom feeds
//! (read back with a real feed parser), sitemap.xml and robots.txt, all with
//! URLs under the configured base URL.

mod support;

use std::collections::BTreeSet;
use support::{list_files, run_in, sample_content_site};

/// Builds a copy of the sample content with `site_toml`; returns the folder.
fn build_sample_with(site_toml: &str) -> tempfile::TempDir {
    let site = sample_content_site(site_toml);
    let run = run_in(site.path(), &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    site
}

const BASE: &str = "https://example.org/archive/";

/// The file in `public` that an absolute URL under [`BASE`] names.
fn file_of(url: &str) -> String {
    let path = url.strip_prefix(BASE).unwrap_or_else(|| panic!("{url} is not under {BASE}"));
    if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path.to_string() }
}

#[test]
fn every_feed_is_valid_atom_capped_and_links_to_built_pages() {
    let site = build_sample_with(&format!("title = \"T & Co\"\nbase_url = \"{BASE}\"\n[feeds]\nlimit = 5\n"));
    let public = site.path().join("public");
    let files: BTreeSet<String> = list_files(&public).into_iter().collect();
    let feeds: Vec<&String> = files.iter().filter(|f| f.ends_with("atom.xml")).collect();
    let entity_pages = files
        .iter()
        .filter(|f| ["people/", "places/", "organisations/"].iter().any(|s| f.starts_with(s)))
        .filter(|f| f.split('/').count() == 3 && f.ends_with("/index.html") && !f.contains("by-count"))
        .count();
    // The site's, three types', and one per entity page.
    assert!(feeds.len() > 100 && feeds.len() == 4 + entity_pages, "{} feeds, {entity_pages} entity pages", feeds.len());
    for feed_file in &feeds {
        let bytes = std::fs::read(public.join(feed_file)).unwrap();
        let feed = feed_rs::parser::parse(&bytes[..]).unwrap_or_else(|e| panic!("{feed_file}: {e}"));
        assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
        assert!(!feed.entries.is_empty() && feed.entries.len() <= 5, "{feed_file}: {} entries", feed.entries.len());
        assert!(feed.title.as_ref().unwrap().content.starts_with("T & Co"), "{feed_file}: escaped title read back");
        let self_link = feed.links.iter().find(|l| l.rel.as_deref() == Some("self")).unwrap();
        assert_eq!(file_of(&self_link.href), **feed_file);
        let mut last = None;
        for entry in &feed.entries {
            let page = file_of(&entry.links[0].href);
            assert!(files.contains(&page), "{feed_file}: entry {page} was not built");
            let published = entry.published.unwrap();
            assert!(last.is_none_or(|l| published <= l), "{feed_file}: newest first");
            last = Some(published);
        }
    }
    let site_feed = feed_rs::parser::parse(&std::fs::read(public.join("atom.xml")).unwrap()[..]).unwrap();
    assert_eq!(site_feed.entries.len(), 5);
    assert!(site_feed.entries[0].links[0].href.starts_with(&format!("{BASE}2022/02/28/")), "the newest article first");
    // Each entity's feed follows that entity: its newest entry is the first article on its page.
    let zelensky =
        feed_rs::parser::parse(&std::fs::read(public.join("people/volodymyr-zelensky/atom.xml")).unwrap()[..]).unwrap();
    let page = std::fs::read_to_string(public.join("people/volodymyr-zelensky/index.html")).unwrap();
    let newest = file_of(&zelensky.entries[0].links[0].href);
    assert!(page.contains(newest.trim_end_matches("index.html")), "{newest} is on the entity page");
    assert!(page.contains("type=\"application/atom+xml\""), "the entity page names its feed");
}

#[test]
fn feeds_can_be_turned_off() {
    let site = build_sample_with("title = \"T\"\n[feeds]\nlimit = 0\n");
    let files = list_files(&site.path().join("public"));
    assert!(!files.iter().any(|f| f.ends_with("atom.xml")));
    let home = std::fs::read_to_string(site.path().join("public/index.html")).unwrap();
    assert!(!home.contains("atom+xml"), "no link to a feed that does not exist");
}

#[test]
fn sitemap_lists_every_page_once_and_robots_names_it() {
    let site = build_sample_with(&format!("title = \"T\"\nbase_url = \"{BASE}\"\n"));
    let public = site.path().join("public");
    let files = list_files(&public);
    let sitemap = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    assert!(sitemap.starts_with("<?xml") && sitemap.contains("<urlset"), "one file below 50,000 URLs");
    let locs: Vec<&str> = sitemap.split("<loc>").skip(1).map(|s| s.split("</loc>").next().unwrap()).collect();
    let listed: BTreeSet<String> = locs.iter().map(|u| file_of(u)).collect();
    assert_eq!(listed.len(), locs.len(), "no URL twice");
    let pages: BTreeSet<String> = files.iter().filter(|f| f.ends_with(".html") && *f != "404.html").cloned().collect();
    assert_eq!(listed, pages);
    assert_eq!(sitemap.matches("<lastmod>").count(), locs.len(), "every URL has a lastmod");
    assert!(sitemap.contains(&format!("<loc>{BASE}2022/02/28/")));
    let robots = std::fs::read_to_string(public.join("robots.txt")).unwrap();
    assert!(robots.contains(&format!("Sitemap: {BASE}sitemap.xml")), "{robots}");
}

/// The JSON-LD objects of an HTML page.
fn json_ld(html: &str) -> Vec<serde_json::Value> {
    let doc = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("script[type=\"application/ld+json\"]").unwrap();
    doc.select(&selector)
        .map(|s| serde_json::from_str(&s.inner_html()).unwrap_or_else(|e| panic!("JSON-LD does not parse: {e}")))
        .collect()
}

/// The `content` of every `<meta>` whose `property` or `name` is `key`.
fn meta_values(html: &str, key: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse(&format!("meta[property=\"{key}\"], meta[name=\"{key}\"]")).unwrap();
    doc.select(&selector).filter_map(|m| m.value().attr("content").map(String::from)).collect()
}

#[test]
fn articles_carry_open_graph_tags_and_news_article_json_ld() {
    let site = sample_content_site(&format!("title = \"The <Daily> & Co\"\nbase_url = \"{BASE}\"\n"));
    std::fs::write(
        site.path().join("content/revised.md"),
        "+++\ntitle = \"Mayor Anna Kowalska opens the Vistula bridge\"\ndate = 2022-03-01\nupdated = 2022-03-04\n\
         authors = [\"Jan Nowak\"]\nimage = \"/photos/bridge.jpg\"\ncaption = \"The bridge at dusk. Photo: J. Nowak\"\n+++\n\n\
         Mayor Anna Kowalska of Warsaw opened the bridge on Tuesday. Kowalska thanked the European Union.\n",
    )
    .unwrap();
    std::fs::write(
        site.path().join("content/capitals.txt"),
        "Title: Ministers meet in Kyiv\nDate: 2022-03-02\n\nMinisters from Paris, London, Berlin, Madrid, Rome, Vienna, \
         Prague, Warsaw, Lisbon, Dublin, Athens and Oslo met in Kyiv. The talks in Kyiv went on. Kyiv was calm.\n",
    )
    .unwrap();
    let run = run_in(site.path(), &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let public = site.path().join("public");
    // A head names at most ten, the most mentioned first; the page links every one.
    let capitals = std::fs::read_to_string(public.join("2022/03/02/ministers-meet-in-kyiv/index.html")).unwrap();
    let tags = meta_values(&capitals, "article:tag");
    let linked = capitals.matches("<a class=\"entity\"").count();
    assert!(linked > 10 && tags.len() == 10 && tags[0] == "Kyiv", "{linked} linked, tags {tags:?}");
    let capitals_ld = json_ld(&capitals);
    let mentioned: Vec<&str> =
        capitals_ld[0]["mentions"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(mentioned, tags, "JSON-LD mentions the same ten");
    let page =
        std::fs::read_to_string(public.join("2022/03/01/mayor-anna-kowalska-opens-the-vistula-bridge/index.html"))
            .unwrap();
    let url = format!("{BASE}2022/03/01/mayor-anna-kowalska-opens-the-vistula-bridge/");
    assert_eq!(meta_values(&page, "og:type"), ["article"]);
    assert_eq!(meta_values(&page, "og:url"), [url.as_str()]);
    assert_eq!(meta_values(&page, "og:title"), ["Mayor Anna Kowalska opens the Vistula bridge"]);
    assert_eq!(meta_values(&page, "og:site_name"), ["The <Daily> & Co"], "escaped in HTML, read back intact");
    assert_eq!(meta_values(&page, "og:image"), [format!("{BASE}photos/bridge.jpg")]);
    assert_eq!(meta_values(&page, "twitter:card"), ["summary_large_image"]);
    assert!(meta_values(&page, "twitter:title").is_empty(), "cards read og:title");
    assert_eq!(meta_values(&page, "article:published_time"), ["2022-03-01"]);
    assert_eq!(meta_values(&page, "article:modified_time"), ["2022-03-04"]);
    let tags = meta_values(&page, "article:tag");
    assert!(tags.contains(&"Anna Kowalska".to_string()) && tags.contains(&"Warsaw".to_string()), "{tags:?}");
    assert!(page.contains("<img src=\"../../../../photos/bridge.jpg\" alt=\"The bridge at dusk. Photo: J. Nowak\">"));

    let ld = json_ld(&page);
    assert_eq!(ld.len(), 1);
    let article = &ld[0];
    assert_eq!(article["@type"], "NewsArticle");
    assert_eq!(article["headline"], "Mayor Anna Kowalska opens the Vistula bridge");
    assert_eq!(article["datePublished"], "2022-03-01");
    assert_eq!(article["dateModified"], "2022-03-04");
    assert_eq!(article["author"][0]["name"], "Jan Nowak");
    assert_eq!(article["publisher"]["name"], "The <Daily> & Co");
    assert_eq!(article["publisher"]["url"], BASE);
    assert_eq!(article["image"], format!("{BASE}photos/bridge.jpg"));
    assert_eq!(article["url"], url.as_str());
    let mentions = article["mentions"].as_array().unwrap();
    let kowalska = mentions.iter().find(|m| m["name"] == "Anna Kowalska").expect("mentions the mayor");
    assert_eq!(kowalska["@type"], "Person");
    assert_eq!(kowalska["url"], format!("{BASE}people/anna-kowalska/"));
    assert!(public.join("people/anna-kowalska/index.html").exists(), "mentions link to built pages");

    // An article without an image or revision: a summary card, modified = published.
    let seed_dir =
        public.join("2022/02/28").read_dir().unwrap().map(|e| e.unwrap().path()).find(|p| p.is_dir()).unwrap();
    let seed = std::fs::read_to_string(seed_dir.join("index.html")).unwrap();
    assert_eq!(meta_values(&seed, "twitter:card"), ["summary"]);
    assert!(meta_values(&seed, "og:image").is_empty());
    let seed_ld = &json_ld(&seed)[0];
    assert_eq!(seed_ld["dateModified"], seed_ld["datePublished"]);
    assert!(seed_ld.get("image").is_none());
}

#[test]
fn entity_pages_and_the_home_page_carry_json_ld() {
    let site = build_sample_with(&format!("title = \"T\"\nbase_url = \"{BASE}\"\n"));
    let public = site.path().join("public");
    for (section, kind) in [("people", "Person"), ("places", "Place"), ("organisations", "Organization")] {
        let list = std::fs::read_to_string(public.join(section).join("index.html")).unwrap();
        let first = list
            .split(&format!("href=\"../{section}/"))
            .filter_map(|s| s.split('"').next())
            .find(|s| s.ends_with('/') && !s.contains('#') && !s.starts_with("by-count") && !s.starts_with("page/"))
            .unwrap();
        let page = std::fs::read_to_string(public.join(section).join(first).join("index.html")).unwrap();
        let ld = json_ld(&page);
        assert_eq!(ld.len(), 1, "{section}/{first}");
        let entity = &ld[0];
        assert_eq!(entity["@type"], kind, "{section}/{first}");
        assert_eq!(entity["url"], format!("{BASE}{section}/{first}"));
        assert!(!entity["name"].as_str().unwrap().is_empty());
        assert_eq!(entity["mainEntityOfPage"], format!("{BASE}{section}/{first}"));
        assert_eq!(meta_values(&page, "og:type"), ["website"]);
    }
    let zelensky = json_ld(&std::fs::read_to_string(public.join("people/volodymyr-zelensky/index.html")).unwrap());
    assert_eq!(zelensky[0]["name"], "Volodymyr Zelensky");
    let home = json_ld(&std::fs::read_to_string(public.join("index.html")).unwrap());
    assert_eq!(home[0]["@type"], "WebSite");
    assert_eq!(home[0]["url"], BASE);
    assert_eq!(home[0]["potentialAction"]["target"], format!("{BASE}search/?q={{search_term_string}}"));
}

#[test]
fn every_absolute_url_under_a_sub_path_names_a_built_file() {
    let site = build_sample_with(&format!("title = \"T\"\nbase_url = \"{BASE}\"\n"));
    let public = site.path().join("public");
    let files: BTreeSet<String> = list_files(&public).into_iter().collect();
    let mut checked = 0;
    for file in files.iter().filter(|f| [".html", ".xml", ".txt"].iter().any(|ext| f.ends_with(ext))) {
        let text = std::fs::read_to_string(public.join(file)).unwrap();
        // Canonical and Open Graph URLs, JSON-LD, feed ids and links, sitemap locations, robots.txt.
        for found in text.match_indices("https://example.org").map(|(at, _)| &text[at..]) {
            // Ends at an attribute's quote, a tag, a space, a BibTeX field's
            // brace or an escaped quote (`&quot;` in a citation's CSL-JSON).
            let url: String =
                found.chars().take_while(|c| !matches!(c, '"' | '<' | '\'' | ' ' | '\n' | '}' | '&')).collect();
            assert!(url.starts_with(BASE), "{file}: {url} is outside the sub-path");
            let target = file_of(url.split(['#', '?']).next().unwrap());
            assert!(files.contains(&target), "{file}: {url} names {target}, which was not built");
            checked += 1;
        }
    }
    assert!(checked > 5_000, "checked only {checked} absolute URLs");
}
