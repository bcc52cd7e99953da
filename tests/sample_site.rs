//! The sample site in this repository: it builds without problems, every
//! internal link and asset resolves, and every page is valid HTML to html5ever.

mod support;

use std::path::Path;

use scraper::{Html, Selector};
use support::{article_pages, check_links, list_files, run_in, sample_content_site};

fn build_sample(base_url: &str) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let public = out.path().join("public");
    let run = run_in(root, &["build", "--output", public.to_str().unwrap(), "--base-url", base_url]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.is_empty(), "the sample site has no content problems:\n{}", run.stderr);
    out
}

#[test]
fn sample_site_has_every_article_and_credits_wikinews() {
    let out = build_sample("https://example.org/");
    let public = out.path().join("public");
    let files = list_files(&public);
    let content_files = list_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"));
    assert_eq!(article_pages(&files).len(), content_files.len());
    assert!(content_files.len() >= 172);
    let home = std::fs::read_to_string(public.join("index.html")).unwrap();
    assert!(
        home.contains("Wikinews") && home.contains("https://creativecommons.org/licenses/by/2.5/"),
        "credit in the footer"
    );
    let pages = article_pages(&files);
    let wikinews = pages.iter().filter(|p| p.starts_with("2019/")).count();
    let with_source = pages
        .iter()
        .filter(|p| p.starts_with("2019/"))
        .filter(|p| std::fs::read_to_string(public.join(p)).unwrap().contains("href=\"https://en.wikinews.org/wiki/"))
        .count();
    assert_eq!(wikinews, with_source, "every Wikinews article links to its source");
}

#[test]
fn every_internal_link_and_asset_resolves() {
    let out = build_sample("https://example.org/");
    let (checked, broken) = check_links(&out.path().join("public"), "/");
    assert!(checked > 10_000, "checked only {checked} links");
    assert!(broken.is_empty(), "{} broken links, first: {:?}", broken.len(), &broken[..broken.len().min(10)]);
}

#[test]
fn links_resolve_under_a_sub_path() {
    let out = build_sample("https://example.org/archive/");
    let public = out.path().join("public");
    let (_, broken) = check_links(&public, "/archive/");
    assert!(broken.is_empty(), "{:?}", &broken[..broken.len().min(10)]);
    let not_found = std::fs::read_to_string(public.join("404.html")).unwrap();
    assert!(not_found.contains("href=\"/archive/\""));
}

#[test]
fn internal_links_are_folder_urls_a_static_host_serves() {
    // Pages live at folder/index.html and are linked as folder/: every host
    // in docs/deploy.md serves a folder's index.html, and no link names it.
    let out = build_sample("https://example.org/");
    let public = out.path().join("public");
    let anchors = Selector::parse("a[href]").unwrap();
    let mut checked = 0;
    for file in list_files(&public).iter().filter(|f| f.ends_with(".html")) {
        let html = Html::parse_document(&std::fs::read_to_string(public.join(file)).unwrap());
        for a in html.select(&anchors) {
            let href = a.value().attr("href").unwrap();
            if href.contains("://") || href.starts_with('#') {
                continue;
            }
            let path = href.split(['#', '?']).next().unwrap();
            // Pages are folders; feeds and data files are files.
            let is_file = path.ends_with(".xml") || path.ends_with(".jsonl");
            assert!(path.ends_with('/') || is_file, "{file}: {href} is not a folder URL");
            assert!(!path.contains("index.html"), "{file}: {href}");
            checked += 1;
        }
    }
    assert!(checked > 10_000, "{checked}");
}

#[test]
fn every_page_parses_as_html_without_errors() {
    let out = build_sample("https://example.org/");
    let public = out.path().join("public");
    let mut pages = 0;
    for file in list_files(&public).iter().filter(|f| f.ends_with(".html")) {
        let text = std::fs::read_to_string(public.join(file)).unwrap();
        let html = Html::parse_document(&text);
        assert!(html.errors.is_empty(), "{file}: {:?}", html.errors);
        assert!(text.starts_with("<!DOCTYPE html>"), "{file}");
        pages += 1;
    }
    assert!(pages > 500, "{pages}");
}

#[test]
fn links_resolve_when_every_list_is_paginated_hard() {
    // Tiny page sizes make every paginated list span many pages, as on a large archive.
    let site = sample_content_site(
        "title = \"T\"\nbase_url = \"https://example.org/\"\n[pagination]\nhome = 3\nhome_pages = 0\nentity = 2\nentity_list = 7\nperiod = 1\nentity_year = 2\n",
    );
    let run = run_in(site.path(), &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let public = site.path().join("public");
    let files = list_files(&public);
    assert!(files.iter().any(|f| f.starts_with("page/50/")), "home spans many pages");
    assert!(files.iter().any(|f| f.contains("/by-count/page/")), "entity lists span many pages");
    let (checked, broken) = check_links(&public, "/");
    assert!(checked > 20_000, "{checked}");
    assert!(broken.is_empty(), "{} broken, first: {:?}", broken.len(), &broken[..broken.len().min(10)]);
}
