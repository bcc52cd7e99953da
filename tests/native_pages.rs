//! Article, entity, day, month and home pages and feeds of the built-in theme are written
//! without Tera's interpreter; they must be byte for byte what the theme's
//! templates give. The sample site is built twice: once as is (native
//! files), once with a `base.html` and an `atom.xml` that only add a
//! template comment, which sends every file through Tera. Every file must
//! be the same.

mod support;

use support::{list_files, run_in, sample_content_site};

const BUILTIN_BASE: &str = include_str!("../templates/base.html");
const BUILTIN_ATOM: &str = include_str!("../templates/atom.xml");

#[test]
fn native_pages_equal_the_templates_output() {
    // Small entity, day and month pages, so that pagers with gaps and later pages are compared too.
    let site_toml = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/site.toml"))
        .unwrap()
        .replace("entity = 30", "entity = 2\nperiod = 3");
    assert!(site_toml.contains("entity = 2"));
    let native = sample_content_site(&site_toml);
    let tera = sample_content_site(&site_toml);
    std::fs::create_dir_all(tera.path().join("templates")).unwrap();
    std::fs::write(tera.path().join("templates/base.html"), format!("{BUILTIN_BASE}{{# through Tera #}}")).unwrap();
    std::fs::write(tera.path().join("templates/atom.xml"), format!("{BUILTIN_ATOM}{{# through Tera #}}")).unwrap();
    for site in [&native, &tera] {
        let run = run_in(site.path(), &["build"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let (a, b) = (native.path().join("public"), tera.path().join("public"));
    let files = list_files(&a);
    assert_eq!(files, list_files(&b));
    let entity_pages = files.iter().filter(|f| f.starts_with("people/") && f.contains("/page/")).count();
    assert!(entity_pages > 30, "later entity pages are compared ({entity_pages})");
    let later_months = files
        .iter()
        .filter(|f| {
            let parts: Vec<&str> = f.split('/').collect();
            parts.len() == 5 && parts[0].bytes().all(|b| b.is_ascii_digit()) && parts[2] == "page"
        })
        .count();
    assert!(later_months > 3, "later month pages are compared ({later_months})");
    let feeds = files.iter().filter(|f| f.ends_with("atom.xml")).count();
    assert!(feeds > 100, "feeds are compared ({feeds})");
    let mut differing = Vec::new();
    for f in &files {
        let (x, y) = (std::fs::read(a.join(f)).unwrap(), std::fs::read(b.join(f)).unwrap());
        if x != y {
            differing.push(f.clone());
        }
    }
    if let Some(first) = differing.first() {
        let (x, y) = (std::fs::read_to_string(a.join(first)).unwrap(), std::fs::read_to_string(b.join(first)).unwrap());
        let at = x.bytes().zip(y.bytes()).take_while(|(p, q)| p == q).count();
        let from = at.saturating_sub(200);
        panic!(
            "{} of {} files differ, first {first} at byte {at}:\nnative: {:?}\ntera:   {:?}",
            differing.len(),
            files.len(),
            &x[from..(at + 200).min(x.len())],
            &y[from..(at + 200).min(y.len())]
        );
    }
}

/// Site settings that change what the built-in theme writes: each is a
/// branch of the native writers that the sample's own site.toml never takes.
const SETTINGS: &[(&str, &str)] = &[
    ("defaults", "title = \"Archive\"\nbase_url = \"https://example.org/\"\n"),
    (
        "empty description and footer, another language",
        "title = \"Archive\"\ndescription = \"\"\nfooter = \"\"\nlanguage = \"fr\"\nbase_url = \"https://example.org/\"\n",
    ),
    (
        "a footer with Markdown and a description",
        "title = \"Archive\"\ndescription = \"News & <views>\"\nfooter = \"By *us*, [home](https://example.org/).\"\nbase_url = \"https://example.org/\"\n",
    ),
    ("search off", "title = \"Archive\"\nbase_url = \"https://example.org/\"\n[search]\nenabled = false\n"),
    ("feeds off", "title = \"Archive\"\nbase_url = \"https://example.org/\"\n[feeds]\nlimit = 0\n"),
    ("no entity feeds", "title = \"Archive\"\nbase_url = \"https://example.org/\"\n[feeds]\nentities = false\n"),
    (
        "one item a page",
        "title = \"Archive\"\nbase_url = \"https://example.org/\"\n[pagination]\nhome = 1\nentity = 1\nentity_list = 1\nperiod = 1\n",
    ),
    (
        "every home page",
        "title = \"Archive\"\nbase_url = \"https://example.org/\"\n[pagination]\nhome = 1\nhome_pages = 0\n",
    ),
    (
        "everything on one page",
        "title = \"Archive\"\nbase_url = \"https://example.org/\"\n[pagination]\nhome = 1000\nentity = 1000\nentity_list = 1000\nperiod = 1000\n",
    ),
    ("a sub-path base URL", "title = \"Archive\"\nbase_url = \"https://example.org/papers/gazette/\"\n"),
];

/// The same comparison over a matrix of site settings, in memory: every
/// page and feed rendered natively and through Tera must be the same.
#[test]
fn native_pages_equal_the_templates_output_for_every_kind_of_site() {
    use gazette::pipeline::{Site, read_archive};
    use gazette::render::jobs::list_jobs;
    use gazette::render::native::NativePages;
    use gazette::render::pages::{RenderInput, render_jobs};

    let site = support::TestSite::new();
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut sources: Vec<_> = walkdir::WalkDir::new(&sample)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    sources.truncate(24);
    for source in &sources {
        let rel = source.strip_prefix(&sample).unwrap();
        site.bytes(&format!("content/{}", rel.display()), &std::fs::read(source).unwrap());
    }
    // The archive does not depend on these settings: read once.
    site.file("site.toml", SETTINGS[0].1);
    let (archive, _) = read_archive(&Site::load(site.root(), None).unwrap(), &gazette::progress::Silent).unwrap();
    assert!(archive.articles.len() >= 20 && archive.entities.iter().filter(|e| e.has_page).count() > 20);
    for (name, toml) in SETTINGS {
        site.file("site.toml", toml);
        let loaded = Site::load(site.root(), None).unwrap();
        assert_ne!(loaded.theme.native, NativePages::NONE, "{name}: the built-in theme is written natively");
        let jobs = list_jobs(&archive, &loaded.config);
        let native = render_jobs(&RenderInput::new(&archive, &loaded.config, &loaded.theme, None), &jobs).unwrap();
        let through_tera = RenderInput {
            native: NativePages::NONE,
            ..RenderInput::new(&archive, &loaded.config, &loaded.theme, None)
        };
        let tera = render_jobs(&through_tera, &jobs).unwrap();
        assert_eq!(native.len(), tera.len());
        for (a, b) in native.iter().zip(&tera) {
            assert_eq!(a.path, b.path);
            if a.content != b.content {
                let (x, y) = (String::from_utf8_lossy(&a.content), String::from_utf8_lossy(&b.content));
                let at = x.bytes().zip(y.bytes()).take_while(|(p, q)| p == q).count();
                let from = at.saturating_sub(150);
                panic!(
                    "{name}: {} differs at byte {at}:\nnative: {:?}\ntera:   {:?}",
                    a.path,
                    &x[from..(at + 150).min(x.len())],
                    &y[from..(at + 150).min(y.len())]
                );
            }
        }
    }
}

/// Entities' year pages and month headings: the stories fixture spans four
/// years, with one name in 80 articles and an owner's description.
#[test]
fn native_entity_year_pages_equal_the_templates_output() {
    use gazette::pipeline::{Site, read_archive};
    use gazette::render::jobs::{EntityPart, PageJob, list_jobs};
    use gazette::render::native::NativePages;
    use gazette::render::pages::{RenderInput, render_jobs};

    let site = support::TestSite::new();
    support::write_stories(&site);
    site.file("content/notes/undated.txt", "A note on budgets\n\nOfficials in the United States set budgets.\n");
    site.file("entities.toml", "[[entity]]\nname = \"Gomel\"\ntype = \"place\"\ndescription = \"A city & <region>\"\n");
    for (per_page, per_year) in [("30", "100"), ("7", "3")] {
        site.file(
            "site.toml",
            &format!(
                "{}[entities]\nfile = \"entities.toml\"\n[pagination]\nentity = {per_page}\nentity_year = {per_year}\n",
                support::MINIMAL_CONFIG
            ),
        );
        let loaded = Site::load(site.root(), None).unwrap();
        let (archive, _) = read_archive(&loaded, &gazette::progress::Silent).unwrap();
        let jobs: Vec<PageJob> = list_jobs(&archive, &loaded.config)
            .into_iter()
            .filter(|j| matches!(j, PageJob::Entity(..) | PageJob::EntityYear(..)))
            .collect();
        let years = jobs.iter().filter(|j| matches!(j, PageJob::EntityYear(..))).count();
        assert!(years >= 2, "{per_page} a page: {years} year pages");
        // Years of few articles share a part; with 3 a part, none can.
        let shared_part = jobs.iter().any(|j| matches!(j, PageJob::EntityYear(_, EntityPart::Years(a, b), _) if a < b));
        assert_eq!(shared_part, per_year == "100", "{per_year} a part: years share one");
        let paged_year = jobs.iter().any(|j| matches!(j, PageJob::EntityYear(_, _, n) if *n > 1));
        assert_eq!(paged_year, per_year == "3", "{per_year} a year page: a year's list takes pages");
        let native = render_jobs(&RenderInput::new(&archive, &loaded.config, &loaded.theme, None), &jobs).unwrap();
        let through_tera = RenderInput {
            native: NativePages::NONE,
            ..RenderInput::new(&archive, &loaded.config, &loaded.theme, None)
        };
        let tera = render_jobs(&through_tera, &jobs).unwrap();
        for (a, b) in native.iter().zip(&tera) {
            let (x, y) = (String::from_utf8_lossy(&a.content), String::from_utf8_lossy(&b.content));
            let at = x.bytes().zip(y.bytes()).take_while(|(p, q)| p == q).count();
            let from = at.saturating_sub(150);
            assert!(
                a.content == b.content,
                "{per_page} a page: {} differs at byte {at}:\nnative: {:?}\ntera:   {:?}",
                a.path,
                &x[from..(at + 150).min(x.len())],
                &y[from..(at + 150).min(y.len())]
            );
        }
        assert!(native.iter().any(|p| String::from_utf8_lossy(&p.content).contains("group-heading")));
        assert!(native.iter().any(|p| String::from_utf8_lossy(&p.content).contains("entity-description")));
        assert!(native.iter().any(|p| p.path.ends_with("united-states/undated/index.html")), "an undated part");
    }
}
