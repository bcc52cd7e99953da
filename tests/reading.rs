//! Reading the archive: "on this day" pages, related articles and story
//! threads, on a fixture whose stories are known. Built with the binary,
//! as a user would.

mod support;

use support::{TestSite, check_links, write_stories};

fn fixture() -> TestSite {
    let site = TestSite::new();
    write_stories(&site);
    site.file("site.toml", &format!("{}[data]\nexport = true\n", support::MINIMAL_CONFIG));
    site.build_ok();
    site
}

/// The article page paths an HTML fragment links to, in order.
fn article_links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(|s| s.trim_start_matches("../").to_string())
        .collect()
}

/// The part of a page from `start` to the next `end`.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("no {start:?} in {html}"));
    let rest = &html[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

#[test]
fn reading_pages_of_a_fixture_whose_stories_are_known() {
    let site = fixture();

    // On this day: 5 March in every year, newest year first.
    let day = site.public("on-this-day/03-05/index.html");
    let years: Vec<usize> = ["5 March 2022", "5 March 2021", "5 March 2019"]
        .iter()
        .map(|y| day.find(&format!(">{y}</a>")).unwrap_or_else(|| panic!("{y} in {day}")))
        .collect();
    assert!(years.windows(2).all(|w| w[0] < w[1]), "newest year first");
    assert!(day.contains("3 articles in 3 years"), "{day}");
    let day_page = site.public("2021/03/05/index.html");
    assert!(day_page.contains("<a href=\"../../../on-this-day/03-05/\">5 March in other years</a>"), "{day_page}");
    // A day of the year with one year only links to no other years.
    let lone = site.public("2020/05/10/index.html");
    assert!(!lone.contains("in other years"), "{lone}");
    let calendar = site.public("on-this-day/index.html");
    assert!(calendar.contains("href=\"../on-this-day/03-05/\""));
    assert!(calendar.contains("<h2 id=\"month-2\">February</h2>"));
    let home = site.public("index.html");
    assert!(home.contains("id=\"on-this-day\" href=\"./on-this-day/\""), "no script: the calendar");
    assert!(home.contains(" 03-05 "), "the script knows which days have pages");

    // Related articles: the other talks, nearest first; never the fillers.
    let first_talk = site.public("2022/02/28/peace-talks-open-near-gomel/index.html");
    let related = article_links(between(&first_talk, "<aside class=\"related-articles\"", "</aside>"));
    assert_eq!(
        related,
        vec![
            "2022/03/02/second-round-of-talks-in-gomel-ends-without-a-deal/",
            "2022/03/07/negotiators-meet-again-near-gomel/",
            "2022/03/14/talks-near-gomel-pause-for-technical-work/",
        ]
    );
    let filler = site.public("2019/03/05/council-budget-report-number-0/index.html");
    assert!(!filler.contains("related-articles"), "sharing only a common name relates nothing");

    // Threads: exactly the two stories, each in date order, newest first in the list.
    let list = site.public("threads/index.html");
    assert!(list.contains("2 stories"), "{list}");
    let titles: Vec<&str> =
        list.split("class=\"thread-item-title\"><a href=\"").skip(1).map(|s| s.split('"').next().unwrap()).collect();
    assert_eq!(titles.len(), 2, "{list}");
    let talks_thread = site.public(&format!("{}index.html", titles[0].trim_start_matches("../")));
    assert!(talks_thread.contains("4 articles"), "{talks_thread}");
    let listed: Vec<String> = article_links(between(&talks_thread, "<ul class=\"article-list\">", "</ul>"));
    assert_eq!(listed.len(), 4, "{listed:?}");
    assert!(listed.windows(2).all(|w| w[0] < w[1]), "date order: {listed:?}");
    assert!(listed.iter().all(|p| p.starts_with("2022/0")));
    assert!(talks_thread.contains("<svg class=\"timeline thread-timeline\""));
    let dam_thread = site.public(&format!("{}index.html", titles[1].trim_start_matches("../")));
    assert!(dam_thread.contains("3 articles") && dam_thread.contains("Sardoba"), "{dam_thread}");
    // Each article links to the one before and after it in its thread.
    let second = site.public("2022/03/02/second-round-of-talks-in-gomel-ends-without-a-deal/index.html");
    let nav = between(&second, "<nav class=\"thread-nav\"", "</nav>");
    assert!(nav.contains("article 2 of 4"), "{nav}");
    assert_eq!(
        article_links(nav)[1..],
        ["2022/02/28/peace-talks-open-near-gomel/", "2022/03/07/negotiators-meet-again-near-gomel/"]
    );
    assert!(!filler.contains("thread-nav"));

    // A citation to read, and BibTeX and CSL-JSON to copy.
    let cite = between(&first_talk, "<details class=\"cite\">", "</details>");
    assert!(
        cite.contains("Peace talks open near Gomel&#x201d;") || cite.contains("Peace talks open near Gomel”"),
        "{cite}"
    );
    assert!(cite.contains("@online{2022-02-28-peace-talks-open-near-gomel,"), "{cite}");
    assert!(cite.contains("date = {2022-02-28}"), "{cite}");
    let csl = between(cite, "{\n", "</code>").replace("&quot;", "\"").replace("&#x2F;", "/");
    let item: serde_json::Value = serde_json::from_str(&csl).unwrap_or_else(|e| panic!("{e}: {csl}"));
    assert_eq!(item["issued"]["date-parts"], serde_json::json!([[2022, 2, 28]]));
    assert_eq!(item["URL"], "https://example.org/2022/02/28/peace-talks-open-near-gomel/");
    assert_eq!(item["type"], "article-newspaper");

    // The archive as data: one line per article and per entity with a page,
    // every URL a built page.
    let files: std::collections::BTreeSet<String> = site.public_files().into_iter().collect();
    let page_of = |url: &str| format!("{}index.html", url.trim_start_matches("https://example.org/"));
    let articles: Vec<serde_json::Value> =
        site.public("data/articles.jsonl").lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(articles.len(), 87);
    let talk = articles.iter().find(|a| a["title"] == "Peace talks open near Gomel").unwrap();
    assert_eq!(talk["date"], "2022-02-28");
    assert_eq!(talk["id"], "2022/02/28/peace-talks-open-near-gomel");
    let names: Vec<&str> = talk["entities"].as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"Vladimir Medinsky") && names.contains(&"Gomel"), "{names:?}");
    for url in articles.iter().flat_map(|a| {
        std::iter::once(a["url"].as_str().unwrap())
            .chain(a["entities"].as_array().unwrap().iter().map(|e| e["url"].as_str().unwrap()))
    }) {
        assert!(files.contains(&page_of(url)), "{url}");
    }
    let entities: Vec<serde_json::Value> =
        site.public("data/entities.jsonl").lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let medinsky = entities.iter().find(|e| e["name"] == "Vladimir Medinsky").unwrap();
    assert_eq!((medinsky["articles"].as_u64(), medinsky["kind"].as_str()), (Some(4), Some("person")));
    assert_eq!(medinsky["first"], "2022-02-28");
    let data_page = site.public("data/index.html");
    assert!(data_page.contains("href=\"../data/articles.jsonl\"") && data_page.contains("<td>87</td>"), "{data_page}");

    let (checked, broken) = check_links(&site.path("public"), "/");
    assert!(checked > 500 && broken.is_empty(), "{broken:?}");
}

#[test]
fn long_entity_pages_by_year_and_month_with_searches_for_pairs() {
    let site = TestSite::new();
    write_stories(&site);
    site.file(
        "entities.toml",
        "[[entity]]\nname = \"Vladimir Medinsky\"\ntype = \"person\"\ndescription = \"Russia's <chief> negotiator\"\n",
    );
    // About 20 articles a year name the United States: with 25 a part, each year has its own.
    site.file(
        "site.toml",
        &format!("{}[entities]\nfile = \"entities.toml\"\n[pagination]\nentity_year = 25\n", support::MINIMAL_CONFIG),
    );
    site.file("content/notes/undated.txt", "A note on budgets\n\nOfficials in the United States set budgets.\n");
    site.build_ok();

    // 81 articles over four years and undated: a page for each year and the undated ones.
    let place = site.public("places/united-states/index.html");
    let years = between(&place, "<nav class=\"entity-years\"", "</nav>");
    let year_links = article_links(years);
    assert_eq!(year_links.len(), 5, "{years}");
    assert_eq!(year_links[0], "places/united-states/2019/");
    assert_eq!(year_links[4], "places/united-states/undated/");
    let counts: usize = years
        .split("<span class=\"count\">")
        .skip(1)
        .map(|s| s[..s.find(' ').unwrap()].parse::<usize>().unwrap())
        .sum();
    assert_eq!(counts, 81, "{years}");
    // Its years hold the older articles: no page/2/, each article on one year's page.
    assert!(!site.path("public/places/united-states/page/2/index.html").exists());
    assert!(!place.contains("class=\"pager\""), "{place}");
    let mut on_year_pages = Vec::new();
    for year in &year_links {
        for page in site.public_files().iter().filter(|f| f.starts_with(year.as_str()) && f.ends_with("index.html")) {
            let html = site.public(page);
            on_year_pages.extend(article_links(between(
                &html,
                "<section class=\"article-group\"",
                "<nav class=\"period-nav\"",
            )));
        }
    }
    let listed = on_year_pages.iter().filter(|l| !l.starts_with("places/")).count();
    assert_eq!(listed, 81, "every article once on a year page");
    let undated = site.public("places/united-states/undated/index.html");
    assert!(undated.contains("<h1 class=\"page-title\">United States, undated</h1>"), "{undated}");
    assert!(undated.contains("rel=\"prev\"><span aria-hidden=\"true\">←</span> 2022</a>"), "{undated}");
    // Four years of mentions are drawn by year: each bar links to its year's page.
    let timeline = between(&place, "<svg class=\"timeline\"", "</svg>");
    assert!(timeline.contains("role=\"group\""), "{timeline}");
    assert!(timeline.contains("<a href=\"../../places/united-states/2021/\" aria-label=\"2021: "), "{timeline}");
    // A long list is under month headings, newest month first.
    let headings: Vec<&str> =
        place.split("<h2 class=\"group-heading\" id=\"").skip(1).map(|s| &s[..s.find('"').unwrap()]).collect();
    assert!(headings.len() > 3 && headings[0] == "m-2022-12", "{headings:?}");
    assert!(headings.windows(2).all(|w| w[0] > w[1]), "{headings:?}");
    assert!(place.contains("<h3 class=\"article-item-title\">"), "headlines under a heading are h3");

    let year = site.public("places/united-states/2019/index.html");
    assert!(year.contains("<h1 class=\"page-title\">United States in 2019</h1>"), "{year}");
    let listed = article_links(between(&year, "<section class=\"article-group\"", "<nav class=\"period-nav\""));
    assert!(!listed.is_empty() && listed.iter().all(|p| p.starts_with("2019/")), "{listed:?}");
    // A year's bars are months, each leading to its heading on the page that lists it.
    let bars = between(&year, "<svg class=\"timeline\"", "</svg>");
    for target in bars.split("<a href=\"").skip(1).map(|s| &s[..s.find('"').unwrap()]) {
        let (_, id) = target.split_once('#').unwrap_or_else(|| panic!("{target}"));
        assert!(id.starts_with("m-2019-"), "{target}");
    }
    assert!(year.contains("rel=\"next\">2020 <span"), "the next year of the entity");
    assert!(!site.path("public/places/united-states/2018/index.html").exists());
    // A short list has no year pages, no headings and a plain chart.
    let talks = site.public("people/vladimir-medinsky/index.html");
    assert!(!talks.contains("entity-years") && !talks.contains("group-heading"), "{talks}");
    assert!(!site.path("public/people/vladimir-medinsky/2022/index.html").exists());
    // The owner's description, escaped.
    assert!(talks.contains("<p class=\"entity-description\">Russia&#39;s &lt;chief&gt; negotiator</p>"), "{talks}");
    // "Often mentioned with" leads to the search for the articles of both.
    let related = between(&talks, "<aside class=\"related\"", "</aside>");
    assert!(
        related.contains(
            "href=\"../../search/?entity=people/vladimir-medinsky/&amp;entity=people/oleksiy-reznikov/\">4 articles together</a>"
        ),
        "{related}"
    );

    let (checked, broken) = check_links(&site.path("public"), "/");
    assert!(checked > 500 && broken.is_empty(), "{broken:?}");

    // By default a part holds 100 articles: the four years share one, and
    // each year's link leads to its newest month's heading there.
    site.file("site.toml", &format!("{}[entities]\nfile = \"entities.toml\"\n", support::MINIMAL_CONFIG));
    site.build_ok();
    let place = site.public("places/united-states/index.html");
    let year_links = article_links(between(&place, "<nav class=\"entity-years\"", "</nav>"));
    assert_eq!(year_links.len(), 5, "{year_links:?}");
    assert_eq!(year_links[0], "places/united-states/2019-2022/#m-2019-09", "{year_links:?}");
    assert_eq!(year_links[3], "places/united-states/2019-2022/#m-2022-12", "{year_links:?}");
    assert_eq!(year_links[4], "places/united-states/undated/");
    let parts: Vec<String> = site
        .public_files()
        .into_iter()
        .filter(|f| f.starts_with("places/united-states/") && f.ends_with("/index.html") && f.matches('/').count() == 3)
        .collect();
    assert_eq!(parts.len(), 2, "one part for the four years, one for the undated: {parts:?}");
    let shared = site.public("places/united-states/2019-2022/index.html");
    assert!(shared.contains("<h1 class=\"page-title\">United States in 2019\u{2013}2022</h1>"), "{shared}");
    assert!(shared.contains("<figcaption>Mentions in 2019\u{2013}2022, by year</figcaption>"), "{shared}");
    let listed = article_links(between(&shared, "<section class=\"article-group\"", "<nav class=\"period-nav\""));
    assert_eq!(listed.iter().filter(|l| !l.starts_with("places/")).count(), 80, "{listed:?}");
    for year in ["2019", "2020", "2021", "2022"] {
        assert!(year_links.iter().any(|l| l.contains(&format!("#m-{year}-"))), "{year}: {year_links:?}");
    }
    let timeline = between(&place, "<svg class=\"timeline\"", "</svg>");
    assert!(timeline.contains("<a href=\"../../places/united-states/2019-2022/#m-2021-"), "{timeline}");
    let (checked, broken) = check_links(&site.path("public"), "/");
    assert!(checked > 500 && broken.is_empty(), "{broken:?}");
}

#[test]
fn data_export_splits_by_year_then_month_past_its_limit() {
    // About 700 bytes a line: 6 KB holds no year of the fixture's 80 fillers
    // but most of their months; 40 KB holds each year but not all four.
    let site = TestSite::new();
    write_stories(&site);
    site.file("content/notes/undated-note.txt", "A note without a date\n\nThe council met in the United States.\n");
    let lines = |site: &TestSite, file: &str| site.public(file).lines().count();
    for (limit, expect_months) in [("0.04", false), ("0.006", true)] {
        site.file("site.toml", &format!("{}[data]\nexport = true\nmax_file_mb = {limit}\n", support::MINIMAL_CONFIG));
        site.build_ok();
        let files: Vec<String> = site.public_files().into_iter().filter(|f| f.starts_with("data/articles")).collect();
        assert!(!files.contains(&"data/articles.jsonl".to_string()), "{limit}: {files:?}");
        assert!(files.contains(&"data/articles-undated.jsonl".to_string()), "{files:?}");
        let part = |f: &str| f.trim_start_matches("data/articles-").trim_end_matches(".jsonl").to_string();
        let is_month = |f: &str| part(f).len() == 7 && part(f).bytes().all(|b| b.is_ascii_digit() || b == b'-');
        let monthly = files.iter().filter(|f| is_month(f)).count();
        assert_eq!(monthly > 0, expect_months, "{limit} MB: {files:?}");
        // Every article once, every file on the data page, no year's file past the limit.
        let total: usize = files.iter().map(|f| lines(&site, f)).sum();
        assert_eq!(total, 88, "{limit}: {files:?}");
        let page = site.public("data/index.html");
        for f in &files {
            assert!(page.contains(&format!("href=\"../{f}\"")), "{f} on the data page");
            if part(f).len() == 4 {
                let bytes = site.public(f).len() as f64;
                assert!(bytes <= limit.parse::<f64>().unwrap() * 1e6, "{f}: {bytes} bytes");
            }
        }
        // A year's file holds that year's articles only.
        let year_file = files.iter().find(|f| f.contains("-2021")).unwrap();
        assert!(site.public(year_file).lines().all(|l| l.contains("\"date\":\"2021")), "{year_file}");
    }
}
