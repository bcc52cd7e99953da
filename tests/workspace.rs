//! `serve`'s incremental rebuilds against the whole build: after each edit
//! the files served must be the files a fresh load of the site gives, byte
//! for byte, while rendering far fewer pages. Edits that move the edges of
//! the calendar (the first article of a month or year, the last one going)
//! and template edits are the cases the job graph must get right.

mod support;

use std::collections::BTreeMap;

use gazette::serve::workspace::{Changes, Update, Workspace};
use support::TestSite;

const BASE_URL: &str = "http://127.0.0.1:1/";

/// The served files, kept up to date from each update.
struct Served {
    workspace: Workspace,
    files: BTreeMap<String, Vec<u8>>,
}

impl Served {
    fn load(site: &TestSite) -> Served {
        let (workspace, files) = Workspace::load(site.root(), BASE_URL).unwrap();
        Served { workspace, files: files.into_iter().map(|(p, b)| (p, b.to_vec())).collect() }
    }

    /// Applies `changes` and the search index update that follows; returns the pages rendered.
    fn apply(&mut self, changes: Changes) -> usize {
        let update = self.workspace.apply(&changes).unwrap();
        let rendered = update.rendered;
        self.take(update);
        if let Some(search) = self.workspace.update_search().unwrap() {
            self.take(search);
        }
        rendered
    }

    fn take(&mut self, update: Update) {
        for (path, bytes) in update.files {
            match bytes {
                Some(bytes) => self.files.insert(path, bytes.to_vec()),
                None => self.files.remove(&path),
            };
        }
    }

    /// Asserts the served files are those of a fresh load.
    fn assert_fresh(&self, site: &TestSite, after: &str) {
        let fresh = Served::load(site).files;
        let stale: Vec<&String> = fresh.keys().filter(|p| self.files.get(*p) != fresh.get(*p)).collect();
        let extra: Vec<&String> = self.files.keys().filter(|p| !fresh.contains_key(*p)).collect();
        assert!(stale.is_empty() && extra.is_empty(), "after {after}: stale {stale:?}, left over {extra:?}");
    }
}

fn content(site: &TestSite, rel: &str) -> Changes {
    Changes { content: vec![site.path(rel)], ..Changes::default() }
}

fn article(title: &str, date: &str, text: &str) -> String {
    format!("{title}\nDate: {date}\n\n{text}\n")
}

fn calendar_site() -> TestSite {
    let site = TestSite::new();
    // Small pages, so that lists span several and shift when one grows.
    site.file(
        "site.toml",
        "title = \"Test Archive\"\nbase_url = \"https://example.org/\"\n[pagination]\nhome = 2\nperiod = 2\nentity = 2\nentity_year = 2\n",
    );
    let stories = [
        ("2019-03-05", "Mayor Anna Kowalska opened a bridge in Warsaw."),
        ("2019-03-09", "Anna Kowalska met Pierre Dubois in Paris."),
        ("2019-06-01", "Pierre Dubois spoke in Paris about Warsaw."),
        ("2021-01-10", "Anna Kowalska visited Berlin."),
        ("2021-01-12", "Warsaw and Berlin signed a treaty."),
    ];
    for (i, (date, text)) in stories.iter().enumerate() {
        site.file(&format!("content/{i}.txt"), &article(&format!("Story {i}"), date, text));
    }
    site
}

#[test]
fn edits_at_the_edges_of_the_calendar_leave_every_page_as_a_fresh_build_would() {
    let site = calendar_site();
    let mut served = Served::load(&site);
    served.assert_fresh(&site, "loading");

    // The first article of a new month between two others, and of a new year.
    site.file("content/new-month.txt", &article("New month", "2019-04-20", "Anna Kowalska returned to Warsaw."));
    served.apply(content(&site, "content/new-month.txt"));
    served.assert_fresh(&site, "adding the first article of April 2019");

    site.file("content/new-year.txt", &article("New year", "2020-07-01", "Pierre Dubois visited Berlin."));
    served.apply(content(&site, "content/new-year.txt"));
    served.assert_fresh(&site, "adding the first article of 2020");

    // A text edit that changes no name or date.
    site.file("content/1.txt", &article("Story 1", "2019-03-09", "Anna Kowalska met Pierre Dubois in Paris again."));
    let rendered = served.apply(content(&site, "content/1.txt"));
    served.assert_fresh(&site, "editing a text");
    assert!(rendered < served.files.len() / 2, "a text edit rendered {rendered} of {} files", served.files.len());

    // Moving an article to another date, then removing the last article of a month and of a year.
    site.file("content/2.txt", &article("Story 2", "2021-01-11", "Pierre Dubois spoke in Paris about Warsaw."));
    served.apply(content(&site, "content/2.txt"));
    served.assert_fresh(&site, "moving the only article of June 2019 to January 2021");

    std::fs::remove_file(site.path("content/new-year.txt")).unwrap();
    served.apply(content(&site, "content/new-year.txt"));
    served.assert_fresh(&site, "removing the only article of 2020");

    std::fs::remove_file(site.path("content/new-month.txt")).unwrap();
    served.apply(content(&site, "content/new-month.txt"));
    served.assert_fresh(&site, "removing the only article of April 2019");
}

#[test]
fn a_slug_clash_comes_and_goes_with_the_other_file() {
    let site = calendar_site();
    let mut served = Served::load(&site);
    let clash =
        |w: &Workspace| w.diagnostics().iter().any(|d| d.kind == gazette::diagnostics::DiagnosticKind::SlugClash);
    site.file("content/twin.txt", &article("Story 0", "2019-03-05", "Another story about Warsaw."));
    served.apply(content(&site, "content/twin.txt"));
    assert!(clash(&served.workspace), "{:?}", served.workspace.diagnostics());
    served.assert_fresh(&site, "adding a file with the same date and headline");
    std::fs::remove_file(site.path("content/twin.txt")).unwrap();
    served.apply(content(&site, "content/twin.txt"));
    assert!(!clash(&served.workspace), "{:?}", served.workspace.diagnostics());
    served.assert_fresh(&site, "removing it again");
}

#[test]
fn a_page_template_renders_only_its_pages_and_a_shared_one_renders_all() {
    let site = calendar_site();
    let mut served = Served::load(&site);
    let template = |name: &str, text: &str| {
        site.file(&format!("templates/{name}"), text);
        Changes { templates: vec![site.path(&format!("templates/{name}"))], ..Changes::default() }
    };
    let search = template(
        "search.html",
        "{% extends \"base.html\" %}{% block content %}<p class=\"find\">Find</p>{% endblock content %}",
    );
    assert_eq!(served.apply(search), 1, "search.html is the search page's alone");
    served.assert_fresh(&site, "editing search.html");
    assert!(String::from_utf8_lossy(&served.files["search/index.html"]).contains("class=\"find\""));

    let year =
        template("year.html", "{% extends \"base.html\" %}{% block content %}{{ period.label }}{% endblock content %}");
    assert_eq!(served.apply(year), 2, "one page per year (2019 and 2021)");
    served.assert_fresh(&site, "editing year.html");

    let pages = served.files.keys().filter(|p| p.ends_with(".html")).count();
    let partial = template("partials/pagination.html", "<nav class=\"pager\">{{ pagination.current }}</nav>");
    let rendered = served.apply(partial);
    served.assert_fresh(&site, "editing a partial");
    assert!(rendered >= pages, "a partial may be in any page: rendered {rendered} of {pages} HTML pages");
}

#[test]
fn a_file_that_cannot_be_read_is_reported_as_the_build_reports_it() {
    let site = calendar_site();
    let mut served = Served::load(&site);
    // A link to nowhere: listed as an article file, but nothing to read.
    std::os::unix::fs::symlink(site.path("nowhere.txt"), site.path("content/broken.txt")).unwrap();
    served.apply(content(&site, "content/broken.txt"));
    let errors = served.workspace.errors();
    assert!(
        errors.iter().any(|d| d.path.ends_with("broken.txt") && d.message.contains("broken symbolic link")),
        "{errors:?}"
    );
    served.assert_fresh(&site, "adding an unreadable file");
}

#[test]
fn undated_articles_sections_and_months_follow_edits_as_a_fresh_build_would() {
    let site = calendar_site();
    site.file("content/business/undated.txt", "Shares rally\n\nAnna Kowalska bought shares in Warsaw.\n");
    site.file("content/2019/05/month.txt", "A May story\n\nPierre Dubois wrote from Paris.\n");
    let mut served = Served::load(&site);
    served.assert_fresh(&site, "loading");
    // A second undated article in the section, then one gaining a date.
    site.file("content/business/second.txt", "Banks merge\n\nWarsaw banks merged.\n");
    served.apply(content(&site, "content/business/second.txt"));
    served.assert_fresh(&site, "adding an undated article to a section");
    site.file(
        "content/business/undated.txt",
        "Shares rally\nDate: 2019-03-06\n\nAnna Kowalska bought shares in Warsaw.\n",
    );
    served.apply(content(&site, "content/business/undated.txt"));
    served.assert_fresh(&site, "dating an undated article");
    // A month-precision article moving to another month, then to a year only.
    site.file("content/2019/05/month.txt", "A May story\nDate: 2019-06\n\nPierre Dubois wrote from Paris.\n");
    served.apply(content(&site, "content/2019/05/month.txt"));
    served.assert_fresh(&site, "moving a month-precision article");
    site.file("content/2019/05/month.txt", "A May story\nDate: 2022\n\nPierre Dubois wrote from Paris.\n");
    served.apply(content(&site, "content/2019/05/month.txt"));
    served.assert_fresh(&site, "giving an article a year only");
    std::fs::remove_file(site.path("content/business/second.txt")).unwrap();
    served.apply(content(&site, "content/business/second.txt"));
    served.assert_fresh(&site, "removing the last undated article");
}

#[test]
fn a_changed_collection_rebuilds_only_its_changed_rows() {
    let site = TestSite::new();
    let mut rows = String::from("title,date,text\n");
    for i in 0..30 {
        rows.push_str(&format!("Story {i},2019-03-{:02},\"Anna Kowalska spoke in Warsaw, part {i}.\"\n", i % 28 + 1));
    }
    site.file("content/rows.csv", &rows);
    let mut served = Served::load(&site);
    served.assert_fresh(&site, "loading");
    let total = served.files.len();
    // One row's text changes.
    site.file("content/rows.csv", &rows.replace("part 7.", "part seven, in Warsaw."));
    let rendered = served.apply(content(&site, "content/rows.csv"));
    served.assert_fresh(&site, "editing one row");
    assert!(rendered < total / 4, "one changed row rendered {rendered} of {total} files");
    // A row is added and another removed.
    let edited = rows.replace("Story 3,", "Story three,") + "Story 30,2019-04-01,\"Pierre Dubois in Paris.\"\n";
    site.file("content/rows.csv", &edited);
    served.apply(content(&site, "content/rows.csv"));
    served.assert_fresh(&site, "renaming a row and adding one");
    // A row inserted first: every other row moves down one, keeping its names.
    let shifted = edited.replacen("title,date,text\n", "title,date,text\nFirst,2019-05-01,\"Warsaw first.\"\n", 1);
    site.file("content/rows.csv", &shifted);
    served.apply(content(&site, "content/rows.csv"));
    served.assert_fresh(&site, "inserting a row at the top");
    site.file("content/rows.csv", &edited);
    served.apply(content(&site, "content/rows.csv"));
    served.assert_fresh(&site, "removing it again");
    // A broken row is reported, the rest stay.
    site.file("content/rows.csv", &format!("{edited}Broken,2019-04-02\n"));
    served.apply(content(&site, "content/rows.csv"));
    served.assert_fresh(&site, "adding a broken row");
    assert!(served.workspace.diagnostics().iter().any(|d| d.message.contains("row 32 has 2 fields")));
    std::fs::remove_file(site.path("content/rows.csv")).unwrap();
    served.apply(content(&site, "content/rows.csv"));
    served.assert_fresh(&site, "removing the collection");
}

#[test]
fn story_edits_update_related_articles_and_threads_as_a_fresh_build_would() {
    let site = TestSite::new();
    // About 20 articles a year name the United States: with 25 a part, each year is a part alone.
    site.file("site.toml", &format!("{}[pagination]\nentity_year = 25\n", support::MINIMAL_CONFIG));
    support::write_stories(&site);
    let mut served = Served::load(&site);
    let thread_pages = |served: &Served| -> Vec<String> {
        served.files.keys().filter(|p| p.starts_with("threads/") && p != &"threads/index.html").cloned().collect()
    };
    assert_eq!(thread_pages(&served).len(), 2, "{:?}", thread_pages(&served));

    // A new headline: the pages that list it as related or in its thread change, few others.
    let talk = |title: &str, day: usize| {
        format!(
            "Title: {title}\nDate: 2022-03-0{day}\n\nVladimir Medinsky and Oleksiy Reznikov met near Gomel.\n\n\
             Vladimir Medinsky said the talks would go on. Oleksiy Reznikov agreed."
        )
    };
    site.file("content/talks-1.txt", &talk("Talks in Gomel end without a deal", 2));
    let rendered = served.apply(content(&site, "content/talks-1.txt"));
    served.assert_fresh(&site, "renaming an article of a thread");
    assert!(rendered < served.files.len() / 4, "renaming rendered {rendered} of {}", served.files.len());
    assert!(
        served.files["threads/peace-talks-open-near-gomel/index.html"]
            .windows(b"Talks in Gomel end without a deal".len())
            .any(|w| w == b"Talks in Gomel end without a deal")
    );

    // A fifth article joins the thread; then two leave and the thread is gone.
    site.file("content/talks-9.txt", &talk("Talks resume near Gomel", 9));
    served.apply(content(&site, "content/talks-9.txt"));
    served.assert_fresh(&site, "adding an article to a thread");
    for n in [9, 1, 2] {
        std::fs::remove_file(site.path(&format!("content/talks-{n}.txt"))).unwrap();
        served.apply(content(&site, &format!("content/talks-{n}.txt")));
        served.assert_fresh(&site, &format!("removing talks-{n}"));
    }
    assert_eq!(thread_pages(&served).len(), 1, "two talks left are no thread: {:?}", thread_pages(&served));

    // The United States has a page per year: a text edit re-renders its year's page, a move
    // to another year every year page, and the last 2022 article leaving takes a year page away.
    let filler = |day: &str, note: &str| {
        format!(
            "Title: Council budget report number 3
Date: {day}

The council met{note}.

Officials in the United States were not involved."
        )
    };
    assert!(served.files.contains_key("places/united-states/2019/index.html"));
    for (day, note, what) in [
        ("2019-01-01", " again", "editing a text of 2019"),
        ("2020-06-15", "", "moving an article to 2020"),
        ("2022-03-05", "", "moving it to 2022"),
    ] {
        site.file("content/filler-3.txt", &filler(day, note));
        served.apply(content(&site, "content/filler-3.txt"));
        served.assert_fresh(&site, what);
    }
    let years: Vec<&String> =
        served.files.keys().filter(|p| p.starts_with("places/united-states/20") && !p.contains("/page/")).collect();
    assert_eq!(years.len(), 4, "{years:?}");
}

#[test]
fn edits_to_years_that_share_a_part_update_it_as_a_fresh_build_would() {
    let site = TestSite::new();
    support::write_stories(&site);
    let mut served = Served::load(&site);
    // 80 articles name the United States over four years: one part holds them all.
    assert!(served.files.contains_key("places/united-states/2019-2022/index.html"));
    let filler = |day: &str| {
        format!(
            "Title: Council budget report number 3\nDate: {day}\n\nOfficials in the United States were not involved."
        )
    };
    for (day, what, part) in [
        ("2020-06-15", "moving an article within the part", "2019-2022"),
        ("2024-01-10", "moving it past the part's last year", "2019-2024"),
        ("2019-02-01", "moving it back", "2019-2022"),
    ] {
        site.file("content/filler-3.txt", &filler(day));
        served.apply(content(&site, "content/filler-3.txt"));
        served.assert_fresh(&site, what);
        assert!(served.files.contains_key(&format!("places/united-states/{part}/index.html")), "{what}");
    }
}

#[test]
fn a_text_edit_naming_someone_without_a_page_renders_no_list_or_sitemap() {
    let site = TestSite::new();
    site.file(
        "site.toml",
        "title = \"Test Archive\"\nbase_url = \"https://example.org/\"\n[entities]\nmin_articles = 2\n",
    );
    site.file("content/0.txt", &article("Story 0", "2019-03-05", "Mayor Anna Kowalska opened a bridge in Warsaw."));
    site.file("content/1.txt", &article("Story 1", "2019-03-09", "Anna Kowalska met Jan Nowicki in Warsaw."));
    let mut served = Served::load(&site);
    assert!(served.files.contains_key("people/anna-kowalska/index.html"));
    assert!(!served.files.contains_key("people/jan-nowicki/index.html"), "one article: no page");

    site.file("content/1.txt", &article("Story 1", "2019-03-09", "Anna Kowalska met Jan Nowicki in Warsaw at noon."));
    let update = served.workspace.apply(&content(&site, "content/1.txt")).unwrap();
    let paths: Vec<&str> = update.files.iter().map(|(p, _)| p.as_str()).collect();
    assert!(paths.contains(&"2019/03/09/story-1/index.html"), "{paths:?}");
    assert!(!paths.iter().any(|p| p.starts_with("sitemap") || *p == "people/index.html"), "{paths:?}");
    served.take(update);
    if let Some(search) = served.workspace.update_search().unwrap() {
        served.take(search);
    }
    served.assert_fresh(&site, "a text edit");
}
