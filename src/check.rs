//! `gazette check`: finds what would break on a static host in a built site
//! (broken internal links and anchors, missing assets, duplicate ids, pages
//! without a title) and, when asked, external links that do not answer.
//!
//! It checks the output folder as it stands, or, when there is none, a build
//! made in memory. Links are resolved as a static host would: relative to the
//! page, root-absolute or absolute under `base_url`, a folder meaning its
//! `index.html`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rayon::prelude::*;
use scraper::{Html, Selector};

use crate::error::{Error, Result};

/// What to check.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// The folder that holds site.toml.
    pub root: PathBuf,
    /// The built site; default: `output_dir` of site.toml.
    pub output: Option<PathBuf>,
    /// Also request every external http(s) link.
    pub external: bool,
}

/// Kinds of problems, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ProblemKind {
    /// A link to a page or file that does not exist.
    BrokenLink,
    /// A link to an existing page but a fragment no element has as id.
    BrokenAnchor,
    /// An image, script, stylesheet or other resource that does not exist.
    MissingAsset,
    /// Two elements of a page with the same id.
    DuplicateId,
    /// A page with no `<title>` or an empty one.
    MissingTitle,
    /// An external link that fails or answers with an error status.
    BrokenExternal,
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ProblemKind::BrokenLink => "broken link",
            ProblemKind::BrokenAnchor => "broken anchor",
            ProblemKind::MissingAsset => "missing asset",
            ProblemKind::DuplicateId => "duplicate id",
            ProblemKind::MissingTitle => "no title",
            ProblemKind::BrokenExternal => "broken external link",
        })
    }
}

/// One problem, on one page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// The file that holds it, relative to the output folder.
    pub page: String,
    /// What is wrong.
    pub kind: ProblemKind,
    /// The link, id or detail.
    pub detail: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} {}", self.page, self.kind, self.detail)
    }
}

/// What a check found.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// Where the checked site is (a folder, or "a build in memory").
    pub checked: String,
    /// HTML pages read.
    pub pages: usize,
    /// Internal references followed.
    pub links: usize,
    /// External URLs requested (with `--external`).
    pub external: usize,
    /// Every problem, sorted by page.
    pub problems: Vec<Problem>,
    /// The site's files and bytes, by kind.
    pub size: crate::budget::SiteSize,
}

/// The files of a built site: on disk, or built in memory.
enum SiteFiles {
    Disk(PathBuf, BTreeSet<String>),
    Memory(HashMap<String, Vec<u8>>),
}

impl SiteFiles {
    fn paths(&self) -> Vec<String> {
        match self {
            SiteFiles::Disk(_, files) => files.iter().cloned().collect(),
            SiteFiles::Memory(files) => files.keys().cloned().collect(),
        }
    }

    fn contains(&self, path: &str) -> bool {
        match self {
            SiteFiles::Disk(_, files) => files.contains(path),
            SiteFiles::Memory(files) => files.contains_key(path),
        }
    }

    /// The site's files and bytes.
    fn size(&self) -> crate::budget::SiteSize {
        match self {
            SiteFiles::Disk(dir, files) => crate::budget::SiteSize::of(
                files.iter().map(|p| (p.as_str(), std::fs::metadata(dir.join(p)).map_or(0, |m| m.len()))),
            ),
            SiteFiles::Memory(files) => {
                crate::budget::SiteSize::of(files.iter().map(|(p, bytes)| (p.as_str(), bytes.len() as u64)))
            }
        }
    }

    fn read(&self, path: &str) -> Vec<u8> {
        match self {
            SiteFiles::Disk(dir, _) => std::fs::read(dir.join(path)).unwrap_or_default(),
            SiteFiles::Memory(files) => files.get(path).cloned().unwrap_or_default(),
        }
    }
}

/// A reference found on a page.
struct Reference {
    target: String,
    asset: bool,
}

/// What one page holds that the check needs.
struct PageFacts {
    path: String,
    ids: HashSet<String>,
    references: Vec<Reference>,
    problems: Vec<Problem>,
}

/// Checks the site described by `options`.
pub fn check(options: &CheckOptions) -> Result<CheckReport> {
    let config = crate::config::Config::load(&options.root)?;
    let output = options.output.clone().unwrap_or_else(|| options.root.join(&config.output_dir));
    let (files, checked) = if output.join("index.html").is_file() {
        (SiteFiles::Disk(output.clone(), list_files(&output)?), output.display().to_string())
    } else {
        let site = crate::pipeline::Site::load(&options.root, None)?;
        let (archive, _) = crate::pipeline::read_archive(&site, &crate::progress::Silent)?;
        let pages = crate::pipeline::render_site(&site, &archive)?;
        let files = pages.into_iter().map(|page| (page.path, page.content)).collect();
        (SiteFiles::Memory(files), format!("a build in memory (no site in {})", output.display()))
    };
    let base_url = config.base_url.clone();
    let base_path = config.base_path().to_string();
    let (mut report, external) = check_files(&files, &base_url, &base_path);
    report.checked = checked;
    report.size = files.size();
    if options.external {
        report.external = external.len();
        report.problems.extend(check_external(&external));
    }
    report.problems.sort();
    Ok(report)
}

fn list_files(dir: &Path) -> Result<BTreeSet<String>> {
    let mut files = BTreeSet::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.map_err(|e| Error::io("cannot read", dir, e.into()))?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            files.insert(crate::text::web_path(rel));
        }
    }
    Ok(files)
}

/// Checks every page and feed; also returns each external http(s) URL
/// (without fragment) with the first page that links to it.
fn check_files(files: &SiteFiles, base_url: &str, base_path: &str) -> (CheckReport, BTreeMap<String, String>) {
    let paths = files.paths();
    let pages: Vec<&String> = paths.iter().filter(|p| p.ends_with(".html")).collect();
    let facts: Vec<PageFacts> = pages.par_iter().map(|p| page_facts(p, &files.read(p))).collect();
    let ids: HashMap<&str, &HashSet<String>> = facts.iter().map(|f| (f.path.as_str(), &f.ids)).collect();
    let mut report = CheckReport { pages: facts.len(), ..CheckReport::default() };
    let mut external: BTreeMap<String, String> = BTreeMap::new();
    for page in &facts {
        report.problems.extend(page.problems.iter().cloned());
        for reference in &page.references {
            let Some(target) = resolve(&page.path, &reference.target, base_url, base_path) else {
                let url = reference.target.trim();
                let lower = url.to_ascii_lowercase();
                if lower.starts_with("http://") || lower.starts_with("https://") {
                    let url = url.split('#').next().unwrap_or(url).to_string();
                    let first = external.entry(url).or_insert_with(|| page.path.clone());
                    if page.path < *first {
                        first.clone_from(&page.path);
                    }
                }
                continue;
            };
            report.links += 1;
            let problem = |kind| Problem { page: page.path.clone(), kind, detail: format!("{:?}", reference.target) };
            match target {
                Target::Outside => report.problems.push(problem(ProblemKind::BrokenLink)),
                Target::File { path, fragment } => {
                    let file = if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path };
                    if !files.contains(&file) {
                        let kind = if reference.asset { ProblemKind::MissingAsset } else { ProblemKind::BrokenLink };
                        report.problems.push(problem(kind));
                    } else if let Some(fragment) = fragment.filter(|f| !f.is_empty() && f != "top")
                        && file.ends_with(".html")
                        && !ids.get(file.as_str()).is_some_and(|set| set.contains(&fragment))
                    {
                        report.problems.push(problem(ProblemKind::BrokenAnchor));
                    }
                }
            }
        }
    }
    // Feeds and sitemaps name pages by absolute URL.
    for xml in paths.iter().filter(|p| p.ends_with(".xml")) {
        let text = String::from_utf8_lossy(&files.read(xml)).into_owned();
        for url in xml_urls(&text).filter(|u| u.starts_with(base_url)) {
            report.links += 1;
            let path = &url[base_url.len()..];
            let path = path.split('#').next().unwrap_or_default();
            let file =
                if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path.to_string() };
            if !files.contains(&file) {
                report.problems.push(Problem {
                    page: xml.clone(),
                    kind: ProblemKind::BrokenLink,
                    detail: format!("{url:?}"),
                });
            }
        }
    }
    (report, external)
}

/// URLs in `<loc>`, `<id>` and `href="…"` of an XML file.
fn xml_urls(text: &str) -> impl Iterator<Item = String> + '_ {
    let locs = text.split("<loc>").skip(1).filter_map(|s| s.split('<').next());
    let hrefs = text.split("href=\"").skip(1).filter_map(|s| s.split('"').next());
    locs.chain(hrefs).map(|u| u.replace("&amp;", "&"))
}

fn page_facts(path: &str, bytes: &[u8]) -> PageFacts {
    let html = Html::parse_document(&String::from_utf8_lossy(bytes));
    let mut facts =
        PageFacts { path: path.to_string(), ids: HashSet::new(), references: Vec::new(), problems: Vec::new() };
    let selector = |s: &str| Selector::parse(s).expect("valid selector");
    let mut duplicates = BTreeSet::new();
    for element in html.select(&selector("[id]")) {
        if let Some(id) = element.value().attr("id")
            && !facts.ids.insert(id.to_string())
        {
            duplicates.insert(id.to_string());
        }
    }
    for element in html.select(&selector("a[name]")) {
        facts.ids.extend(element.value().attr("name").map(String::from));
    }
    for id in duplicates {
        facts.problems.push(Problem {
            page: path.to_string(),
            kind: ProblemKind::DuplicateId,
            detail: format!("{id:?}"),
        });
    }
    let title = html.select(&selector("head > title")).next().map(|t| t.text().collect::<String>());
    if title.as_deref().is_none_or(|t| t.trim().is_empty()) {
        facts.problems.push(Problem {
            page: path.to_string(),
            kind: ProblemKind::MissingTitle,
            detail: "(no <title> or an empty one)".into(),
        });
    }
    for element in html.select(&selector("a[href], area[href]")) {
        if let Some(href) = element.value().attr("href") {
            facts.references.push(Reference { target: href.to_string(), asset: false });
        }
    }
    for element in html.select(&selector("link[href]")) {
        let rel = element.value().attr("rel").unwrap_or_default().to_ascii_lowercase();
        // Canonical and alternate links name pages; stylesheets and icons are assets.
        let asset = !rel.split_whitespace().any(|r| matches!(r, "canonical" | "alternate" | "prev" | "next"));
        if let Some(href) = element.value().attr("href") {
            facts.references.push(Reference { target: href.to_string(), asset });
        }
    }
    for element in html.select(&selector("img[src], script[src], source[src], video[src], audio[src], iframe[src]")) {
        if let Some(src) = element.value().attr("src") {
            facts.references.push(Reference { target: src.to_string(), asset: true });
        }
    }
    for element in html.select(&selector("img[srcset], source[srcset]")) {
        for candidate in element.value().attr("srcset").unwrap_or_default().split(',') {
            if let Some(url) = candidate.split_whitespace().next() {
                facts.references.push(Reference { target: url.to_string(), asset: true });
            }
        }
    }
    facts
}

/// Where a reference leads.
enum Target {
    /// A file of the site, with the fragment if any.
    File { path: String, fragment: Option<String> },
    /// Under this host but outside the site's base path, or above its root.
    Outside,
}

/// Resolves a reference on `page` to a site file, or `None` when it is not
/// internal (another host, `mailto:`, `data:`...).
fn resolve(page: &str, reference: &str, base_url: &str, base_path: &str) -> Option<Target> {
    let reference = reference.trim();
    let (rest, fragment) = match reference.split_once('#') {
        Some((rest, fragment)) => (rest, Some(percent_decode(fragment))),
        None => (reference, None),
    };
    let rest = rest.split('?').next().unwrap_or_default();
    let site_path = if let Some(path) = rest.strip_prefix(base_url) {
        path.to_string()
    } else if rest.contains(':') || rest.starts_with("//") {
        return None;
    } else if let Some(absolute) = rest.strip_prefix('/') {
        match format!("/{absolute}").strip_prefix(base_path) {
            Some(path) => path.to_string(),
            None => return Some(Target::Outside),
        }
    } else if rest.is_empty() {
        page.to_string()
    } else {
        let dir = page.rfind('/').map_or("", |i| &page[..=i]);
        format!("{dir}{rest}")
    };
    match normalize(&percent_decode(&site_path)) {
        Some(path) => Some(Target::File { path, fragment }),
        None => Some(Target::Outside),
    }
}

/// Resolves `.` and `..`; `None` when the path climbs above the root.
fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if (path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..")) && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(byte) = text.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Requests each external URL once (`url` → the first page that links to it); returns the failures.
fn check_external(first_page: &BTreeMap<String, String>) -> Vec<Problem> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(15)))
        .http_status_as_error(false)
        .user_agent("gazette-check")
        .build()
        .into();
    first_page
        .par_iter()
        .filter_map(|(url, page)| {
            let answer = match agent.head(url).call() {
                // Some servers refuse HEAD; ask again with GET before blaming the link.
                Ok(response) if response.status().as_u16() == 405 || response.status().as_u16() == 501 => {
                    agent.get(url).call()
                }
                other => other,
            };
            let failure = match answer {
                Ok(response) if response.status().as_u16() < 400 => return None,
                Ok(response) => format!("HTTP {}", response.status().as_u16()),
                Err(e) => e.to_string(),
            };
            Some(Problem {
                page: page.clone(),
                kind: ProblemKind::BrokenExternal,
                detail: format!("{url:?} ({failure})"),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(page: &str, reference: &str) -> Option<(String, Option<String>)> {
        match resolve(page, reference, "https://x.org/archive/", "/archive/")? {
            Target::File { path, fragment } => Some((path, fragment)),
            Target::Outside => Some(("OUTSIDE".into(), None)),
        }
    }

    #[test]
    fn references_resolve_as_a_static_host_would() {
        let page = "2022/02/28/talks/index.html";
        assert_eq!(file(page, "../../../../people/"), Some(("people/".into(), None)));
        assert_eq!(file(page, "#content"), Some((page.into(), Some("content".into()))));
        assert_eq!(file(page, "/archive/style.css?v=1"), Some(("style.css".into(), None)));
        assert_eq!(file(page, "https://x.org/archive/2022/"), Some(("2022/".into(), None)));
        assert_eq!(file(page, "/elsewhere/"), Some(("OUTSIDE".into(), None)));
        assert_eq!(file(page, "../../../../../../etc/passwd"), Some(("OUTSIDE".into(), None)));
        assert_eq!(file(page, "caf%C3%A9/"), Some(("2022/02/28/talks/café/".into(), None)));
        assert_eq!(file(page, "https://other.org/"), None);
        assert_eq!(file(page, "mailto:a@b.org"), None);
        assert_eq!(file(page, "//cdn.org/x.js"), None);
    }

    #[test]
    fn pages_report_duplicate_ids_and_missing_titles() {
        let facts =
            page_facts("a.html", b"<!DOCTYPE html><html><head></head><body><p id=x></p><p id=x></p></body></html>");
        let kinds: Vec<ProblemKind> = facts.problems.iter().map(|p| p.kind).collect();
        assert_eq!(kinds, [ProblemKind::DuplicateId, ProblemKind::MissingTitle]);
    }
}
