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
