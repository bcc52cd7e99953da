//! Building fixture sites: the pages a site gets, links between them,
//! options, themes, atomic output and exit codes.

mod support;

use support::{MINIMAL_CONFIG, TestSite, article_pages, run_in};

const SEED_STYLE: &str = " date 2022-02-28 President Volodymyr Zelensky speaks in Kyiv. (Press Service/Reuters)\n\nPeace negotiations between Russian and Ukrainian officials commenced early Monday morning on the Ukraine-Belarus border as the Russian military continues its offensive.\n\nThe office of President Volodymyr Zelensky confirmed Sunday. Zelensky said talks in Kyiv would go on.\n";
const HEADLINE_STYLE: &str = "Kharkiv shelled again\nDate: 2022-03-01\nURL: https://example.com/kharkiv\n\nTuesday, March 1, 2022\n\nRussian rockets hit Kharkiv on Tuesday, President Volodymyr Zelensky said.\n";
const MARKDOWN_STYLE: &str = "+++\ntitle = \"Talks resume in Belarus\"\ndate = 2022-03-03\nauthors = [\"Ann Lee\", \"Bo Chan\"]\nsummary = \"A second round of talks.\"\nsource_url = \"https://example.com/talks\"\n[entities]\norganisations = [\"Red Cross\"]\n+++\n\nA *second* round of talks began in **Belarus**, where the Red Cross helped.\n";

fn three_format_site() -> TestSite {
    let site = TestSite::new();
    site.file("content/2022/seed.txt", SEED_STYLE);
    site.file("content/2022/kharkiv.txt", HEADLINE_STYLE);
    site.file("content/2022/talks.md", MARKDOWN_STYLE);
    site
}

const SEED_PAGE: &str =
    "2022/02/28/peace-negotiations-between-russian-and-ukrainian-officials-commenced-on-the/index.html";

#[test]
fn all_three_formats_become_article_pages() {
    let site = three_format_site();
    let run = site.build_ok();
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let files = site.public_files();
    assert_eq!(article_pages(&files).len(), 3, "{files:?}");
    let seed = site.public(SEED_PAGE);
    assert!(seed.contains("<h1 class=\"headline\">Peace negotiations between Russian and Ukrainian officials commenced on the Ukraine-Belarus border</h1>"), "{seed}");
    assert!(seed.contains("<figcaption>"), "caption is a caption");
    assert!(seed.contains("President Volodymyr Zelensky speaks in Kyiv. (Press Service/Reuters)"));
    let kharkiv = site.public("2022/03/01/kharkiv-shelled-again/index.html");
    assert!(kharkiv.contains("href=\"https://example.com/kharkiv\""));
    assert!(!kharkiv.contains("Tuesday, March 1, 2022</p>"), "dateline dropped");
    let talks = site.public("2022/03/03/talks-resume-in-belarus/index.html");
    assert!(talks.contains("<em>second</em>"));
    assert!(talks.contains("Ann Lee"));
    assert!(talks.contains("A second round of talks."));
}

#[test]
fn date_pages_archive_home_and_404_exist() {
    let site = three_format_site();
    site.build_ok();
    for page in [
        "index.html",
        "404.html",
        "archive/index.html",
        "2022/index.html",
        "2022/02/index.html",
        "2022/03/index.html",
        "2022/02/28/index.html",
        "2022/03/01/index.html",
        "people/index.html",
        "places/index.html",
        "organisations/index.html",
        "style.css",
    ] {
        assert!(site.path("public").join(page).is_file(), "{page} missing: {:?}", site.public_files());
    }
    let month = site.public("2022/03/index.html");
    assert!(month.contains("href=\"../../2022/03/01/\""), "calendar links days with articles");
    assert!(!month.contains("href=\"../../2022/03/02/\""), "no link for days without articles");
    let year = site.public("2022/index.html");
    assert!(year.contains("February 2022") && year.contains("March 2022"));
}

#[test]
fn articles_link_to_neighbours_and_their_dates() {
    let site = three_format_site();
    site.build_ok();
    let middle = site.public("2022/03/01/kharkiv-shelled-again/index.html");
    assert!(middle.contains("href=\"../../../../2022/02/28/peace-negotiations"), "previous article");
    assert!(middle.contains("href=\"../../../../2022/03/03/talks-resume-in-belarus/\""), "next article");
    for up in ["../../../../2022/03/01/", "../../../../2022/03/", "../../../../2022/"] {
        assert!(middle.contains(&format!("href=\"{up}\"")), "link up to {up}");
    }
    let day = site.public("2022/03/01/index.html");
    assert!(day.contains("href=\"../../../2022/02/28/\"") && day.contains("href=\"../../../2022/03/03/\""), "{day}");
}

#[test]
fn entities_get_pages_and_mentions_link_to_them() {
    let site = three_format_site();
    site.build_ok();
    let person = site.public("people/volodymyr-zelensky/index.html");
    assert!(person.contains("Volodymyr Zelensky"));
    assert!(person.contains("kharkiv-shelled-again"), "lists every article that mentions him");
    assert!(person.contains("peace-negotiations"), "lists every article that mentions him");
    let seed = site.public(SEED_PAGE);
    assert!(
        seed.contains("<a class=\"entity\" href=\"../../../../people/volodymyr-zelensky/\">Volodymyr Zelensky</a>"),
        "{seed}"
    );
    assert!(seed.contains("href=\"../../../../places/kyiv/\""));
    // Declared entities from front matter get pages too.
    assert!(site.path("public/organisations/red-cross/index.html").exists());
    // Nationalities are not places.
    assert!(!site.path("public/places/russian").exists());
    let places = site.public("places/index.html");
    assert!(places.contains("Kyiv") && places.contains("Belarus"));
}

#[test]
fn home_and_entity_pages_paginate() {
    let site = TestSite::new();
    site.file("site.toml", &format!("{MINIMAL_CONFIG}[pagination]\nhome = 2\nentity = 2\n"));
    for day in 1..=5 {
        site.file(
            &format!("content/{day}.txt"),
            &format!("Story {day}\nDate: 2022-04-0{day}\n\nMayor Anna Kowalska opened bridge {day} in Warsaw.\n"),
        );
    }
    site.build_ok();
    let files = site.public_files();
    for page in ["page/2/index.html", "page/3/index.html", "people/anna-kowalska/page/3/index.html"] {
        assert!(files.contains(&page.to_string()), "{page} missing: {files:?}");
    }
    assert!(!files.contains(&"page/4/index.html".to_string()));
    let home = site.public("index.html");
    assert!(home.contains("Story 5") && home.contains("Story 4") && !home.contains("Story 3"), "newest first");
    assert!(home.contains("href=\"./page/2/\""));
}

#[test]
fn the_home_page_stops_after_home_pages_and_leads_on_to_the_dates() {
    let site = TestSite::new();
    site.file("site.toml", &format!("{MINIMAL_CONFIG}[pagination]\nhome = 2\nhome_pages = 2\n"));
    for (n, day) in ["2022-03-30", "2022-04-01", "2022-04-02", "2022-04-03", "2022-04-04"].iter().enumerate() {
        site.file(&format!("content/{n}.txt"), &format!("Story {n}\nDate: {day}\n\nThe council met.\n"));
    }
    site.build_ok();
    let files = site.public_files();
    assert!(files.contains(&"page/2/index.html".to_string()), "{files:?}");
    assert!(!files.contains(&"page/3/index.html".to_string()), "two pages at most: {files:?}");
    // Page 2 shows stories 2 and 1; story 0, of March, is where the dates go on.
    let last = site.public("page/2/index.html");
    assert!(last.contains("<a href=\"../../2022/03/\">Older articles: March 2022</a>"), "{last}");
    assert!(!site.public("index.html").contains("Older articles"), "only the last page leads on");
    // With no limit the pages go on and none leads away.
    site.file("site.toml", &format!("{MINIMAL_CONFIG}[pagination]\nhome = 2\nhome_pages = 0\n"));
    site.build_ok();
    assert!(site.public_files().contains(&"page/3/index.html".to_string()));
    assert!(!site.public("page/3/index.html").contains("Older articles"));
}

#[test]
fn min_articles_keeps_one_off_names_off_the_site() {
    let site = TestSite::new();
    site.file("site.toml", &format!("{MINIMAL_CONFIG}[entities]\nmin_articles = 2\n"));
    site.file("content/a.txt", "A\nDate: 2022-04-01\n\nMayor Anna Kowalska met Senator John Smith.\n");
    site.file("content/b.txt", "B\nDate: 2022-04-02\n\nMayor Anna Kowalska spoke.\n");
    site.build_ok();
    assert!(site.path("public/people/anna-kowalska/index.html").exists());
    assert!(!site.path("public/people/john-smith").exists());
    assert!(
        !site.public("2022/04/01/a/index.html").contains("people/john-smith"),
        "no link to a page that does not exist"
    );
}

#[test]
fn the_built_in_theme_needs_no_templates_and_overrides_go_by_name() {
    let site = three_format_site();
    assert!(!site.path("templates").exists());
    site.build_ok();
    assert!(site.public("index.html").contains("<main id=\"content\""));
    site.file("templates/day.html", "{% extends \"base.html\" %}{% block content %}<p class=\"custom-day\">{{ period.label }}: {{ period.count }}</p>{% endblock content %}");
    site.build_ok();
    assert!(site.public("2022/03/01/index.html").contains("<p class=\"custom-day\">Tuesday 1 March 2022: 1</p>"));
    assert!(!site.public("index.html").contains("custom-day"), "other templates stay built-in");
}

#[test]
fn removed_articles_disappear_from_the_output() {
    let site = three_format_site();
    removed_article_disappears(&site);
}

#[test]
fn removed_articles_disappear_when_files_are_moved_in_place() {
    let site = three_format_site();
    let config = std::fs::read_to_string(site.path("site.toml")).unwrap();
    site.file("site.toml", &format!("{config}\n[output]\nswitch = \"in-place\"\n"));
    removed_article_disappears(&site);
}

fn removed_article_disappears(site: &TestSite) {
    site.build_ok();
    std::fs::remove_file(site.path("content/2022/kharkiv.txt")).unwrap();
    site.build_ok();
    assert!(!site.path("public/2022/03/01").exists());
    assert!(!site.public("index.html").contains("Kharkiv shelled again"));
    let leftovers: Vec<_> = std::fs::read_dir(site.root()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 4, "site.toml, content, public and the cache; no staging folders: {leftovers:?}");
}

#[test]
fn a_failed_build_leaves_the_previous_output_as_it_was() {
    let site = three_format_site();
    site.build_ok();
    let before: Vec<(String, Vec<u8>)> =
        site.public_files().into_iter().map(|f| (f.clone(), site.public_bytes(&f))).collect();
    site.file(
        "templates/article.html",
        "{% extends \"base.html\" %}{% block content %}{{ article.title }{% endblock content %}",
    );
    site.file("content/new.txt", "Brand new\nDate: 2022-05-01\n\nBody.\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("article.html"), "names the template: {}", run.stderr);
    let after: Vec<(String, Vec<u8>)> =
        site.public_files().into_iter().map(|f| (f.clone(), site.public_bytes(&f))).collect();
    assert_eq!(before, after);
}

#[test]
fn a_template_that_fails_while_rendering_fails_the_build() {
    let site = three_format_site();
    site.file(
        "templates/home.html",
        "{% extends \"base.html\" %}{% block content %}{{ no_such_variable.field }}{% endblock content %}",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("home.html"), "{}", run.stderr);
    assert!(!site.path("public").exists());
}

#[test]
fn strict_fails_on_any_content_problem_and_writes_nothing() {
    let site = three_format_site();
    site.build_ok();
    let before = site.public_files();
    site.file("content/bad.md", "+++\ntitle = \"x\"\n");
    let run = site.run(&["build", "--strict"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("content/bad.md:1:"), "{}", run.stderr);
    assert!(run.stderr.contains("--strict"), "{}", run.stderr);
    assert_eq!(site.public_files(), before);
    // Without --strict the same site builds.
    assert_eq!(site.run(&["build"]).code, 0);
}

#[test]
fn bad_site_toml_fails_the_build_naming_the_line() {
    let site = three_format_site();
    site.file("site.toml", "title = \"x\"\npaginate = 3\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("site.toml: line 2"), "{}", run.stderr);
    site.file("site.toml", "title = \"x\"\nbase_url = \"example.org\"\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("base_url must start with http"), "{}", run.stderr);
}

#[test]
fn a_folder_without_site_toml_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(dir.path(), &["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("site.toml") && run.stderr.contains("gazette init"), "{}", run.stderr);
}

#[test]
fn bad_usage_exits_with_2() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run_in(dir.path(), &["build", "--no-such-flag"]).code, 2);
    assert_eq!(run_in(dir.path(), &["frobnicate"]).code, 2);
    assert_eq!(run_in(dir.path(), &[]).code, 2);
}

#[test]
fn root_output_and_base_url_options() {
    let site = three_format_site();
    let elsewhere = tempfile::tempdir().unwrap();
    let out = elsewhere.path().join("out");
    let run = run_in(
        elsewhere.path(),
        &[
            "build",
            "--root",
            site.root().to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
            "--base-url",
            "https://news.example.net/archive",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains("<link rel=\"canonical\" href=\"https://news.example.net/archive/\">"), "{home}");
    let not_found = std::fs::read_to_string(out.join("404.html")).unwrap();
    assert!(not_found.contains("href=\"/archive/style.css\""), "404 uses absolute links under the base path");
    assert!(!site.path("public").exists());
}

#[test]
fn refuses_to_write_over_the_site_itself() {
    let site = three_format_site();
    let run = site.run(&["build", "--output", "."]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("refusing to write"), "{}", run.stderr);
    assert!(site.path("site.toml").exists());
    let run = site.run(&["build", "--output", "content/public"]);
    assert_eq!(run.code, 1);
}

#[test]
fn init_writes_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(dir.path(), &["init", "news"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let root = dir.path().join("news");
    assert!(root.join("templates/README.md").exists());
    let run = run_in(&root, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.is_empty(), "sample article has no problems: {}", run.stderr);
    assert_eq!(article_pages(&support::list_files(&root.join("public"))).len(), 1);
    let again = run_in(dir.path(), &["init", "news"]);
    assert_eq!(again.code, 1, "does not overwrite a site");
}

#[test]
fn entity_pages_have_a_timeline_and_articles_carry_json_ld_mentions() {
    let site = three_format_site();
    site.build_ok();
    let person = site.public("people/volodymyr-zelensky/index.html");
    assert!(person.contains("<svg class=\"timeline\""), "{person}");
    assert!(
        person.contains("<title id=\"timeline-title\">Mentions of Volodymyr Zelensky per month, Feb 2022 to Mar 2022"),
        "{person}"
    );
    let seed = site.public(SEED_PAGE);
    let html = scraper::Html::parse_document(&seed);
    let script = html
        .select(&scraper::Selector::parse("script[type=\"application/ld+json\"]").unwrap())
        .next()
        .expect("JSON-LD");
    let json: serde_json::Value = serde_json::from_str(&script.inner_html()).unwrap();
    assert_eq!(json["@type"], "NewsArticle");
    assert_eq!(json["datePublished"], "2022-02-28");
    let mentions = json["mentions"].as_array().unwrap();
    assert!(
        mentions.iter().any(|m| m["@type"] == "Person"
            && m["name"] == "Volodymyr Zelensky"
            && m["url"] == "https://example.org/people/volodymyr-zelensky/"),
        "{json}"
    );
    assert!(mentions.iter().any(|m| m["@type"] == "Place" && m["name"] == "Kyiv"), "{json}");
}

#[test]
fn entity_lists_come_a_to_z_with_letters_and_by_count() {
    let site = TestSite::new();
    site.file("site.toml", &format!("{MINIMAL_CONFIG}[pagination]\nentity_list = 2\n"));
    site.file("content/a.txt", "A\nDate: 2022-04-01\n\nMayor Anna Kowalska met Bob Brown and Chancellor Zoe Zimmer.\n");
    site.file("content/b.txt", "B\nDate: 2022-04-02\n\nChancellor Zoe Zimmer spoke.\n");
    site.build_ok();
    let az = site.public("people/index.html");
    let by_count = site.public("people/by-count/index.html");
    let pos = |html: &str, name: &str| html.find(name).unwrap_or_else(|| panic!("{name} missing"));
    assert!(pos(&az, "Anna Kowalska") < pos(&az, "Bob Brown"));
    assert!(az.contains("id=\"letter-a\"") && az.contains("id=\"letter-b\""));
    assert!(az.contains("href=\"../people/page/2/#letter-z\""), "letters link to the page that holds them: {az}");
    assert!(site.public("people/page/2/index.html").contains("id=\"letter-z\""));
    let list_start = by_count.find("By number of articles").unwrap();
    assert!(
        by_count[list_start..].find("Zoe Zimmer").unwrap() < by_count[list_start..].find("Anna Kowalska").unwrap(),
        "two articles before one: {by_count}"
    );
}

#[test]
fn progress_counts_every_item_of_every_stage() {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicU64, Ordering};
    #[derive(Default)]
    struct Recorder {
        stages: Mutex<Vec<(&'static str, u64)>>,
        done: AtomicU64,
        finished: Mutex<Vec<u64>>,
    }
    impl gazette::progress::Progress for Recorder {
        fn start(&self, stage: &'static str, total: u64) {
            self.stages.lock().unwrap().push((stage, total));
            self.done.store(0, Ordering::SeqCst);
        }
        fn advance(&self, n: u64) {
            self.done.fetch_add(n, Ordering::SeqCst);
        }
        fn finish(&self) {
            self.finished.lock().unwrap().push(self.done.load(Ordering::SeqCst));
        }
    }
    let site = three_format_site();
    let recorder = Recorder::default();
    let options = gazette::BuildOptions { root: site.root().to_path_buf(), ..Default::default() };
    let report = gazette::build_with_progress(&options, &recorder).unwrap();
    let stages = recorder.stages.lock().unwrap().clone();
    let names: Vec<&str> = stages.iter().map(|s| s.0).collect();
    assert_eq!(names, ["discover", "parse", "check", "extract", "group", "merge", "index", "render", "switch"]);
    let total = |name: &str| stages.iter().find(|s| s.0 == name).unwrap().1;
    assert_eq!((total("parse"), total("extract"), total("group")), (3, 3, 3), "one item per article");
    for uncounted in ["discover", "check", "merge", "index", "switch"] {
        assert_eq!(total(uncounted), 0, "{uncounted} only shows it is alive");
    }
    assert_eq!(
        *recorder.finished.lock().unwrap(),
        stages.iter().map(|s| s.1).collect::<Vec<_>>(),
        "each stage's items are all counted"
    );
    assert_eq!(total("render") as usize + 2, report.files, "every page plus style.css and search.js");
}

#[test]
fn a_second_build_uses_the_cache_and_an_unchanged_one_does_nothing() {
    let site = three_format_site();
    let first = site.build_ok();
    assert!(first.stdout.contains("Built 3 articles"), "{}", first.stdout);
    let pages_before: Vec<(String, Vec<u8>)> =
        site.public_files().into_iter().map(|f| (f.clone(), site.public_bytes(&f))).collect();
    let again = site.build_ok();
    assert!(again.stdout.contains("Nothing changed since the last build"), "{}", again.stdout);
    // One edited article: the two others' names come from the cache.
    site.file("content/2022/kharkiv.txt", &HEADLINE_STYLE.replace("on Tuesday", "on Tuesday night"));
    let edited = site.build_ok();
    assert!(edited.stdout.contains("2 articles' names from the cache"), "{}", edited.stdout);
    // The cache can be deleted, or be garbage, without changing the output.
    std::fs::write(site.path(".gazette-cache/mentions.bin"), b"not a cache").unwrap();
    site.file("content/2022/kharkiv.txt", HEADLINE_STYLE);
    let repaired = site.build_ok();
    assert!(
        repaired.stdout.contains("Built 3 articles") && !repaired.stdout.contains("from the cache"),
        "{}",
        repaired.stdout
    );
    let pages_after: Vec<(String, Vec<u8>)> =
        site.public_files().into_iter().map(|f| (f.clone(), site.public_bytes(&f))).collect();
    assert_eq!(pages_before, pages_after);
    std::fs::remove_dir_all(site.path(".gazette-cache")).unwrap();
    assert!(site.build_ok().stdout.contains("Built 3 articles"));
    // A template change is a change.
    site.build_ok();
    site.file("templates/day.html", "{% extends \"base.html\" %}{% block content %}x{% endblock content %}");
    assert!(site.build_ok().stdout.contains("Built 3 articles"));
}

#[test]
fn busy_days_and_months_paginate() {
    let site = TestSite::new();
    site.file("site.toml", &format!("{MINIMAL_CONFIG}[pagination]\nperiod = 2\n"));
    for i in 0..5 {
        site.file(&format!("content/{i}.txt"), &format!("Story {i}\nDate: 2022-04-01\n\nBody {i}.\n"));
    }
    site.file("content/page.txt", "Page\nDate: 2022-04-02\n\nAn article whose slug would be a page folder.\n");
    let run = site.build_ok();
    assert!(run.stderr.contains("slug \"page\" is taken"), "{}", run.stderr);
    let files = site.public_files();
    for page in [
        "2022/04/01/page/2/index.html",
        "2022/04/01/page/3/index.html",
        "2022/04/page/3/index.html",
        "2022/04/02/page-article/index.html",
    ] {
        assert!(files.contains(&page.to_string()), "{page} missing: {files:?}");
    }
    assert!(!files.contains(&"2022/04/01/page/4/index.html".to_string()));
    let first = site.public("2022/04/01/index.html");
    assert!(first.contains("href=\"../../../2022/04/01/page/2/\""), "the first page links to the second: {first}");
    let (_, broken) = support::check_links(&site.path("public"), "/");
    assert!(broken.is_empty(), "{broken:?}");
}

#[test]
fn a_rebuild_writes_only_the_files_whose_bytes_changed() {
    use std::os::unix::fs::MetadataExt;
    let site = three_format_site();
    site.build_ok();
    let identity =
        |rel: &str| std::fs::metadata(site.path(&format!("public/{rel}"))).map(|m| (m.ino(), m.mtime_nsec()));
    let talks = "2022/03/03/talks-resume-in-belarus/index.html";
    let before = identity(talks).unwrap();
    site.file("content/2022/kharkiv.txt", &HEADLINE_STYLE.replace("on Tuesday", "on Tuesday night"));
    site.build_ok();
    assert_eq!(identity(talks).unwrap(), before, "a page that did not change is not written again");
    assert!(site.public("2022/03/01/kharkiv-shelled-again/index.html").contains("on Tuesday night"));
    // A file removed by hand from the output is written again, even when nothing else changed.
    std::fs::remove_file(site.path(&format!("public/{talks}"))).unwrap();
    std::fs::write(site.path("public/2022/03/01/kharkiv-shelled-again/index.html"), "edited by hand").unwrap();
    site.build_ok();
    assert!(site.public(talks).contains("Talks resume in Belarus"));
    assert!(site.public("2022/03/01/kharkiv-shelled-again/index.html").contains("on Tuesday night"));
    // Pages that are no longer built go, with the folders they leave empty.
    std::fs::remove_file(site.path("content/2022/talks.md")).unwrap();
    site.build_ok();
    assert!(!site.path("public/2022/03/03").exists());
    assert!(!site.path("public/organisations/red-cross").exists());
    let fresh = TestSite::new();
    fresh.file("content/2022/seed.txt", SEED_STYLE);
    fresh.file("content/2022/kharkiv.txt", &HEADLINE_STYLE.replace("on Tuesday", "on Tuesday night"));
    fresh.build_ok();
    assert_eq!(site.public_files(), fresh.public_files(), "the same files as a build from scratch");
}

#[test]
fn each_build_lists_the_files_it_added_changed_and_removed() {
    let site = TestSite::new();
    site.file("content/one.txt", "Story one\nDate: 2022-04-01\n\nThe council met.\n");
    site.file("content/two.txt", "Story two\nDate: 2022-04-02\n\nThe council met again.\n");
    let changed = |site: &TestSite| std::fs::read_to_string(site.path(".gazette-cache/changed.txt")).unwrap();
    let run = site.build_ok();
    assert!(run.stdout.contains("listed in .gazette-cache/changed.txt"), "{}", run.stdout);
    let first = changed(&site);
    let files = site.public_files();
    assert_eq!(first.lines().count(), files.len(), "a first build adds every file");
    assert!(first.lines().all(|l| l.starts_with("A ")), "{first}");

    site.build_ok();
    assert_eq!(changed(&site), "", "an unchanged rebuild changes nothing");

    // An edit changes its page and those that list it; removing one takes its page away.
    site.file("content/two.txt", "Story two, revised\nDate: 2022-04-02\n\nThe council met again.\n");
    std::fs::remove_file(site.path("content/one.txt")).unwrap();
    site.build_ok();
    let list = changed(&site);
    let lines: Vec<&str> = list.lines().collect();
    assert!(lines.contains(&"D 2022/04/01/story-one/index.html"), "{list}");
    assert!(lines.contains(&"A 2022/04/02/story-two-revised/index.html"), "{list}");
    assert!(lines.contains(&"D 2022/04/02/story-two/index.html"), "{list}");
    assert!(lines.contains(&"M index.html"), "{list}");
    assert!(!lines.iter().any(|l| l.ends_with(" style.css")), "unchanged files are not listed: {list}");
    // What it lists is what is in the output now.
    let now = site.public_files();
    for line in &lines {
        let (change, path) = line.split_once(' ').unwrap();
        assert_eq!(change != "D", now.contains(&path.to_string()), "{line}");
    }
}

#[test]
fn precompressed_copies_follow_their_files_through_rebuilds() {
    use std::io::Read;
    let site = TestSite::new();
    let config = format!("{MINIMAL_CONFIG}[output]\nprecompress = [\"br\", \"gz\"]\n");
    site.file("site.toml", &config);
    site.file("content/one.txt", "Story one\nDate: 2022-04-01\n\nThe council met.\n");
    site.file("content/two.txt", "Story two\nDate: 2022-04-02\n\nThe council met again.\n");
    site.build_ok();
    let files = site.public_files();
    let page = "2022/04/01/story-one/index.html";
    for file in files.iter().filter(|f| !f.ends_with(".br") && !f.ends_with(".gz")) {
        let bytes = site.public_bytes(file);
        let (br, gz) = (format!("{file}.br"), format!("{file}.gz"));
        let text = [".html", ".xml", ".json", ".css", ".js", ".txt", ".bin"].iter().any(|e| file.ends_with(e));
        if !text || bytes.len() < 1024 {
            assert!(!files.contains(&br) && !files.contains(&gz), "{file}: no copies of small or binary files");
            continue;
        }
        if files.contains(&gz) {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(&site.public_bytes(&gz)[..]).read_to_end(&mut out).unwrap();
            assert_eq!(out, bytes, "{gz}");
        }
        if files.contains(&br) {
            let mut out = Vec::new();
            brotli::BrotliDecompress(&mut &site.public_bytes(&br)[..], &mut out).unwrap();
            assert_eq!(out, bytes, "{br}");
        }
        if file.ends_with(".html") {
            assert!(files.contains(&br) && files.contains(&gz), "every page has both copies: {file}");
        }
    }
    let check = site.run(&["check"]);
    assert_eq!(check.code, 0, "the link checker reads pages, not copies:\n{}{}", check.stdout, check.stderr);

    let changed = |site: &TestSite| std::fs::read_to_string(site.path(".gazette-cache/changed.txt")).unwrap();
    site.build_ok();
    assert_eq!(changed(&site), "", "an unchanged rebuild writes no copy");
    site.file("content/one.txt", "Story one\nDate: 2022-04-01\n\nThe council met on Monday.\n");
    site.build_ok();
    let list = changed(&site);
    for copy in [format!("M {page}"), format!("M {page}.br"), format!("M {page}.gz")] {
        assert!(list.lines().any(|l| l == copy), "{copy} in:\n{list}");
    }
    assert!(!list.contains("style.css"), "{list}");
    let mut unpacked = Vec::new();
    flate2::read::GzDecoder::new(&site.public_bytes(&format!("{page}.gz"))[..]).read_to_end(&mut unpacked).unwrap();
    assert!(String::from_utf8(unpacked).unwrap().contains("on Monday"), "the copy follows its file");

    // Copies removed by hand come back; turned off, they all go.
    std::fs::remove_file(site.path(&format!("public/{page}.br"))).unwrap();
    site.build_ok();
    assert!(site.path(&format!("public/{page}.br")).is_file());
    site.file("site.toml", MINIMAL_CONFIG);
    site.build_ok();
    let now = site.public_files();
    assert!(!now.iter().any(|f| f.ends_with(".br") || f.ends_with(".gz")), "{now:?}");
    assert!(changed(&site).lines().all(|l| l.starts_with("D ") || l.starts_with("M ")));
}
