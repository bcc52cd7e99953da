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
