//! Fixture sites in temporary folders, the gazette binary, and a link checker.
#![allow(dead_code)]

pub mod server;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{Html, Selector};

/// A site in a temporary folder, built up file by file.
pub struct TestSite {
    dir: tempfile::TempDir,
}

pub const MINIMAL_CONFIG: &str = "title = \"Test Archive\"\nbase_url = \"https://example.org/\"\n";

impl TestSite {
    /// A site with a minimal site.toml and an empty content/ folder.
    pub fn new() -> Self {
        let site = TestSite { dir: tempfile::tempdir().expect("temp dir") };
        site.file("site.toml", MINIMAL_CONFIG);
        std::fs::create_dir_all(site.path("content")).unwrap();
        site
    }

    /// Writes a text file (creating folders).
    pub fn file(&self, rel: &str, text: &str) -> &Self {
        self.bytes(rel, text.as_bytes())
    }

    /// Writes a file of raw bytes (creating folders).
    pub fn bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
        self
    }

    /// Absolute path of a file of the site.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// The site folder.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `gazette` with `args` in the site folder.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.root(), args)
    }

    /// Runs `gazette build` and asserts it succeeded.
    pub fn build_ok(&self) -> Run {
        let run = self.run(&["build"]);
        assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
        run
    }

    /// Reads a file of the built site.
    pub fn public(&self, rel: &str) -> String {
        let path = self.path("public").join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    /// Reads a file of the built site as bytes (search shards are binary).
    pub fn public_bytes(&self, rel: &str) -> Vec<u8> {
        let path = self.path("public").join(rel);
        std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    /// Every file of the built site, relative, sorted.
    pub fn public_files(&self) -> Vec<String> {
        list_files(&self.path("public"))
    }
}

/// What a run of the binary did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// A temporary site holding a copy of the repository's sample content and
/// the given site.toml.
pub fn sample_content_site(site_toml: &str) -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = tempfile::tempdir().unwrap();
    for entry in walkdir::WalkDir::new(repo.join("content")).into_iter().filter_map(Result::ok) {
        let target = site.path().join(entry.path().strip_prefix(repo).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    std::fs::write(site.path().join("site.toml"), site_toml).unwrap();
    site
}

/// Runs the gazette binary in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let output: Output =
        Command::new(env!("CARGO_BIN_EXE_gazette")).args(args).current_dir(dir).output().expect("run gazette");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Every file under `dir`, relative with `/`, sorted.
pub fn list_files(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/"))
        .collect();
    files.sort();
    files
}

/// The paths of article pages in a built site (`2022/02/28/slug/index.html`).
pub fn article_pages(files: &[String]) -> Vec<&String> {
    files
        .iter()
        .filter(|f| f.split('/').count() == 5 && f.ends_with("/index.html") && f.as_bytes()[0].is_ascii_digit())
        .collect()
}

/// A broken reference found by [`check_links`].
#[derive(Debug)]
pub struct BrokenLink {
    pub page: String,
    pub target: String,
}

/// Checks that every internal `href`/`src` of every HTML page under `public`
/// points at an existing file, and every `#fragment` at an existing id.
/// `base_path` is the path part of the base URL (`/` or `/archive/`), used
/// for absolute links.
pub fn check_links(public: &Path, base_path: &str) -> (usize, Vec<BrokenLink>) {
    let files: BTreeSet<String> = list_files(public).into_iter().collect();
    let selector = Selector::parse("a[href], link[href], img[src], script[src]").unwrap();
    let mut checked = 0;
    let mut broken = Vec::new();
    let mut ids_cache: std::collections::HashMap<String, BTreeSet<String>> = Default::default();
    for page in files.iter().filter(|f| f.ends_with(".html")) {
        let html = Html::parse_document(&std::fs::read_to_string(public.join(page)).unwrap());
        let page_dir = match page.rfind('/') {
            Some(i) => &page[..=i],
            None => "",
        };
        for el in html.select(&selector) {
            let target = el.value().attr("href").or_else(|| el.value().attr("src")).unwrap();
            if target.contains("://") || target.starts_with("mailto:") || target.starts_with("data:") {
                continue;
            }
            checked += 1;
            let (path_part, fragment) = match target.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (target, None),
            };
            let path_part = path_part.split('?').next().unwrap();
            let resolved = if path_part.is_empty() {
                Some(page.clone())
            } else if let Some(abs) = path_part.strip_prefix(base_path) {
                normalize(abs)
            } else if path_part.starts_with('/') {
                None
            } else {
                normalize(&format!("{page_dir}{path_part}"))
            };
            let file = resolved.map(|p| if p.is_empty() || p.ends_with('/') { format!("{p}index.html") } else { p });
            let ok = match &file {
                Some(f) if files.contains(f) => match fragment {
                    Some(id) if !id.is_empty() => {
                        let ids = ids_cache.entry(f.clone()).or_insert_with(|| ids_of(&public.join(f)));
                        ids.contains(id)
                    }
                    _ => true,
                },
                _ => false,
            };
            if !ok {
                broken.push(BrokenLink { page: page.clone(), target: target.to_string() });
            }
        }
    }
    (checked, broken)
}

fn ids_of(file: &Path) -> BTreeSet<String> {
    let html = Html::parse_document(&std::fs::read_to_string(file).unwrap_or_default());
    let sel = Selector::parse("[id]").unwrap();
    html.select(&sel).filter_map(|e| e.value().attr("id").map(String::from)).collect()
}

/// Resolves `.` and `..` in a `/`-separated relative path; `None` if it leaves the root.
fn normalize(path: &str) -> Option<String> {
    let trailing = path.ends_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if trailing && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// A dated article in the header format.
fn dated_article(title: &str, date: &str, body: &str) -> String {
    format!("Title: {title}\nDate: {date}\n\n{body}\n")
}

/// The peace talks: four articles in three weeks, sharing two negotiators and a city.
pub const TALKS: [(&str, &str); 4] = [
    ("2022-02-28", "Peace talks open near Gomel"),
    ("2022-03-02", "Second round of talks in Gomel ends without a deal"),
    ("2022-03-07", "Negotiators meet again near Gomel"),
    ("2022-03-14", "Talks near Gomel pause for technical work"),
];

/// The dam collapse: three articles in ten days.
pub const DAM: [(&str, &str); 3] = [
    ("2020-05-01", "Sardoba dam collapses after heavy rain"),
    ("2020-05-04", "Thousands leave their homes below the Sardoba reservoir"),
    ("2020-05-10", "Inquiry into the Sardoba dam collapse begins"),
];

/// Articles that share only a common name, spread over four years; three
/// of them on 5 March.
fn fillers() -> Vec<(String, String)> {
    let mut days: Vec<String> = vec!["2019-03-05".into(), "2021-03-05".into(), "2022-03-05".into()];
    for n in 0..77u32 {
        days.push(format!("{}-{:02}-{:02}", 2019 + n % 4, 1 + n % 12, 1 + (n * 7) % 27));
    }
    days.into_iter().enumerate().map(|(n, d)| (d, format!("Council budget report number {n}"))).collect()
}

/// Writes the stories fixture: two known stories (peace talks near Gomel
/// in four articles, a dam collapse in three) among 80 articles that share
/// only a common name, three of them on 5 March.
pub fn write_stories(site: &TestSite) {
    for (i, (date, title)) in TALKS.iter().enumerate() {
        let body = format!(
            "Russian negotiator Vladimir Medinsky and Ukrainian Defence Minister Oleksiy Reznikov met near Gomel on day {i} of the talks.\n\n\
             Vladimir Medinsky said the talks would go on. Oleksiy Reznikov said Ukraine wanted a ceasefire first."
        );
        site.file(&format!("content/talks-{i}.txt"), &dated_article(title, date, &body));
    }
    for (i, (date, title)) in DAM.iter().enumerate() {
        let body = format!(
            "President Shavkat Mirziyoyev visited the Sardoba reservoir, where the dam failed, on visit {i}.\n\n\
             Shavkat Mirziyoyev promised new homes. Engineers from Uzbekneftegaz inspected the Sardoba site."
        );
        site.file(&format!("content/dam-{i}.txt"), &dated_article(title, date, &body));
    }
    for (n, (date, title)) in fillers().into_iter().enumerate() {
        let body = format!(
            "The council of the town approved its budget for item {n}.\n\nOfficials in the United States were not involved."
        );
        site.file(&format!("content/filler-{n}.txt"), &dated_article(&title, &date, &body));
    }
}
