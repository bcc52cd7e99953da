//! `gazette check` on built sites: a clean one passes, every kind of damage
//! is reported with the page that holds it, and `--external` asks a real
//! HTTP server.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use support::{TestSite, run_in, sample_content_site};

const STORY: &str = "Bridge opens\nDate: 2022-03-02\n\nMayor Anna Kowalska opened a bridge in Warsaw.\n";

#[test]
fn the_sample_site_passes_under_a_sub_path() {
    let site = sample_content_site("title = \"T\"\nbase_url = \"https://example.org/archive/\"\n");
    let build = run_in(site.path(), &["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let check = run_in(site.path(), &["check"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    let pages: usize = check.stderr.split(": ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    let html = walkdir::WalkDir::new(site.path().join("public"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .count();
    assert!(pages > 1000 && pages == html, "every page is checked: {html} pages, {}", check.stderr);
}

#[test]
fn the_compact_profile_writes_fewer_files_with_the_same_articles_and_passes_the_check() {
    let build = |profile: &str| {
        let site = sample_content_site(&format!(
            "title = \"T\"\nbase_url = \"https://example.org/\"\n[output]\nprofile = \"{profile}\"\n"
        ));
        assert_eq!(run_in(site.path(), &["build"]).code, 0);
        let check = run_in(site.path(), &["check"]);
        assert_eq!(check.code, 0, "{profile}: {}{}", check.stdout, check.stderr);
        let files: std::collections::BTreeMap<String, Vec<u8>> = walkdir::WalkDir::new(site.path().join("public"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(site.path().join("public")).unwrap().to_string_lossy().into_owned();
                (rel, std::fs::read(e.path()).unwrap())
            })
            .collect();
        files
    };
    let (full, compact) = (build("full"), build("compact"));
    assert!(compact.len() < full.len(), "{} files compact, {} full", compact.len(), full.len());
    // Article pages are the same, byte for byte; the home page stops sooner.
    let is_article = |p: &str| p.starts_with("20") && p.matches('/').count() == 4;
    let articles: Vec<&String> = full.keys().filter(|p| is_article(p)).collect();
    assert!(articles.len() > 150);
    for path in articles {
        assert!(compact.get(path) == full.get(path), "{path} differs");
    }
    assert!(full.contains_key("page/4/index.html") && !compact.contains_key("page/4/index.html"));
    assert!(compact.contains_key("page/3/index.html"));
    // Result data in fewer files.
    let docs = |files: &std::collections::BTreeMap<String, Vec<u8>>| {
        files.keys().filter(|p| p.starts_with("search/d/")).count()
    };
    assert_eq!((docs(&full), docs(&compact)), (172usize.div_ceil(16), 172usize.div_ceil(64)));
}

#[test]
fn the_size_is_counted_and_checked_against_a_hosts_limits() {
    let site = sample_content_site("title = \"T\"\nbase_url = \"https://example.org/\"\n");
    assert_eq!(run_in(site.path(), &["build"]).code, 0);
    let (mut files, mut bytes) = (0u64, 0u64);
    for entry in walkdir::WalkDir::new(site.path().join("public")).into_iter().filter_map(Result::ok) {
        if entry.file_type().is_file() {
            files += 1;
            bytes += entry.metadata().unwrap().len();
        }
    }
    let files_label = gazette::budget::thousands(files);
    let check = run_in(site.path(), &["check", "--host", "cloudflare-free"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    let expected = format!("Size: {files_label} files, {}", gazette::budget::bytes_label(bytes));
    assert!(check.stdout.contains(&expected), "{expected} in {}", check.stdout);
    assert!(check.stdout.contains("Fits Cloudflare Pages (free plan)."), "{}", check.stdout);
    // Over a limit: exit 1, with what overflows and where the files are.
    let big = "x".repeat(26 * 1024 * 1024);
    std::fs::write(site.path().join("public/huge.txt"), big).unwrap();
    let check = run_in(site.path(), &["check", "--host", "cloudflare"]);
    assert_eq!(check.code, 1, "{}", check.stdout);
    assert!(check.stdout.contains("Does not fit Cloudflare Pages (paid plans):"), "{}", check.stdout);
    assert!(check.stdout.contains("huge.txt is 27.3 MB, 26.2 MB allowed for one file"), "{}", check.stdout);
    assert!(check.stdout.contains("entity pages "), "{}", check.stdout);
    let unknown = run_in(site.path(), &["check", "--host", "geocities"]);
    assert_eq!(unknown.code, 2, "{}", unknown.stderr);
    assert!(unknown.stderr.contains("github-pages"), "{}", unknown.stderr);
}

#[test]
fn every_kind_of_damage_is_reported_with_its_page() {
    let site = TestSite::new();
    site.file("content/a.txt", STORY);
    site.file("content/b.txt", "Talks resume\nDate: 2022-03-03\n\nPresident Volodymyr Zelensky met officials.\n");
    site.build_ok();
    assert_eq!(site.run(&["check"]).code, 0, "a fresh build is clean");
    // A page its neighbour links to disappears; another page gains a broken
    // anchor, a missing image, a duplicate id and loses its title.
    std::fs::remove_dir_all(site.path("public/2022/03/02/bridge-opens")).unwrap();
    let talks = site.path("public/2022/03/03/talks-resume/index.html");
    let html = std::fs::read_to_string(&talks).unwrap();
    let damaged = html
        .replacen("<title>", "<title data-x=\"", 1)
        .replacen("</title>", "\"></title>", 1)
        .replacen("<main id=\"content\"", "<main id=\"content\"><p id=\"dup\"></p><p id=\"dup\"></p><a href=\"#nowhere\">x</a><img src=\"../../../../photos/gone.jpg\" alt=\"\"><a href=\"/elsewhere/\">y</a", 1);
    std::fs::write(&talks, damaged).unwrap();
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let out = &run.stdout;
    let talks_page = "2022/03/03/talks-resume/index.html";
    for expected in [
        format!("{talks_page}: broken link \"../../../../2022/03/02/bridge-opens/\""),
        format!("{talks_page}: broken anchor \"#nowhere\""),
        format!("{talks_page}: missing asset \"../../../../photos/gone.jpg\""),
        format!("{talks_page}: duplicate id \"dup\""),
        format!("{talks_page}: no title"),
        format!("{talks_page}: broken link \"/elsewhere/\""),
        "2022/03/02/index.html: broken link \"../../../2022/03/02/bridge-opens/\"".to_string(),
        "sitemap.xml: broken link \"https://example.org/2022/03/02/bridge-opens/\"".to_string(),
    ] {
        assert!(out.contains(&expected), "missing {expected:?} in:\n{out}");
    }
    assert!(run.stderr.contains("problems"), "{}", run.stderr);
}

#[test]
fn without_a_built_site_it_checks_a_build_in_memory() {
    let site = TestSite::new();
    site.file("content/a.txt", STORY);
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("a build in memory"), "{}", run.stderr);
    assert!(!site.path("public").exists(), "check writes nothing");
    // A template that links nowhere is caught before anything is published.
    site.file(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<a href=\"missing/\">x</a>{% endblock content %}",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("404.html: broken link \"missing/\""), "{}", run.stdout);
}

/// A tiny HTTP server: 200 for `/ok`, 404 for anything else. Returns its address.
fn http_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let status = if line.split(' ').nth(1) == Some("/ok") { "200 OK" } else { "404 Not Found" };
            let _ = write!(&stream, "HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        }
    });
    addr
}

#[test]
fn external_links_are_checked_only_when_asked() {
    let addr = http_server();
    let site = TestSite::new();
    site.file("content/a.md", &format!("+++\ntitle = \"Links\"\ndate = 2022-03-01\nsource_url = \"http://{addr}/ok\"\n+++\n\nSee [the report](http://{addr}/gone).\n"));
    site.build_ok();
    assert_eq!(site.run(&["check"]).code, 0, "external links are not requested by default");
    let run = site.run(&["check", "--external"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains(&format!("2022/03/01/links/index.html: broken external link \"http://{addr}/gone\" (HTTP 404)")),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("/ok"), "{}", run.stdout);
    assert!(run.stderr.contains("2 external URLs"), "{}", run.stderr);
}
