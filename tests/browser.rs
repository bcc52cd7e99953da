//! Browser tests: headless Chromium (Debian's package) driven by
//! playwright-core against a real `gazette serve` on the sample content,
//! the search page of a built sample site, axe-core over one page of each
//! type of that site, and the W3C Nu HTML checker (vnu-jar, on the
//! machine's Java) over the same pages. `.ci/run` installs both; without
//! them this test fails in CI and is skipped, loudly, elsewhere.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::server::Server;

/// The Chromium the browser scripts launch. `tests/browser/harness.mjs` is
/// the one place that says which (`$CHROMIUM`, else Debian's), so ask it.
fn chromium(browser_dir: &Path) -> Option<PathBuf> {
    let output = Command::new("node").arg(browser_dir.join("harness.mjs")).arg("chromium-path").output().ok()?;
    let path = String::from_utf8_lossy(&output.stdout).trim().to_string();
    (output.status.success() && !path.is_empty()).then(|| PathBuf::from(path))
}

fn missing_dependencies(browser_dir: &Path) -> Vec<String> {
    let mut missing = Vec::new();
    if Command::new("node").arg("--version").output().is_err() {
        missing.push("node".into());
    } else {
        match chromium(browser_dir) {
            Some(path) if path.exists() => {}
            Some(path) => missing.push(format!("{} (apt-get install chromium, or set CHROMIUM)", path.display())),
            None => missing.push("a Chromium path from `node tests/browser/harness.mjs chromium-path`".into()),
        }
    }
    if !browser_dir.join("node_modules/playwright-core").exists() || !browser_dir.join("node_modules/axe-core").exists()
    {
        missing.push("tests/browser/node_modules (npm ci --prefix tests/browser)".into());
    }
    missing
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().filter_map(Result::ok) {
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Runs a node script, shows its output, asserts it succeeded; returns its stdout.
fn run_script(script: &Path, args: &[&Path]) -> String {
    let output = Command::new("node").arg(script).args(args).output().expect("run node");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    println!("{stdout}");
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{} failed:\n{stdout}", script.display());
    stdout
}

/// Whether the browser tools are here; in CI their absence is a failure.
fn browser_available(browser_dir: &Path) -> bool {
    let missing = missing_dependencies(browser_dir);
    if missing.is_empty() {
        return true;
    }
    let message = format!("browser test needs: {}", missing.join(", "));
    if std::env::var_os("CI").is_some() {
        panic!("{message}");
    }
    eprintln!("SKIPPED: {message}; `bash .ci/run` installs them");
    false
}

/// The sample site, built with the repository's site.toml (and `extra`
/// after it) in a temporary folder; with two more articles, so that every
/// page type is there: an undated one in a section folder (a section page,
/// the undated list) and one dated only to its month by its folder.
fn built_sample_site_with(extra: &str) -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site_toml = std::fs::read_to_string(repo.join("site.toml")).unwrap() + extra;
    let site = support::sample_content_site(&site_toml);
    let letter = "A letter on the peace talks\n\nPresident Volodymyr Zelensky was right to go to the talks in Kyiv, a reader writes.\n";
    std::fs::create_dir_all(site.path().join("content/letters")).unwrap();
    std::fs::write(site.path().join("content/letters/peace-talks.txt"), letter).unwrap();
    let month = "A month of storms\n\nStorms crossed Europe all month, from Lisbon to Warsaw.\n";
    std::fs::write(site.path().join("content/2019/05/storms.txt"), month).unwrap();
    let run = support::run_in(site.path(), &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    site
}

fn built_sample_site() -> tempfile::TempDir {
    built_sample_site_with("")
}

/// The same site in `[output] profile = "compact"`: three home pages, the
/// last leading on to the date pages; larger entity year pages.
const COMPACT: &str = "\n[output]\nprofile = \"compact\"\n";

#[test]
fn search_finds_articles_and_filters_narrow_them_in_chromium() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let browser_dir = repo.join("tests/browser");
    if !browser_available(&browser_dir) {
        return;
    }
    let site = built_sample_site();
    let stdout = run_script(&browser_dir.join("search.mjs"), &[&site.path().join("public")]);
    assert!(stdout.contains("search checks passed"), "{stdout}");
}

#[test]
fn every_page_type_passes_the_nu_html_checker() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let browser_dir = repo.join("tests/browser");
    let mut missing = Vec::new();
    if Command::new("java").arg("-version").output().is_err() {
        missing.push("java (apt-get install default-jre-headless)");
    }
    if Command::new("node").arg("--version").output().is_err() {
        missing.push("node");
    }
    if !browser_dir.join("node_modules/vnu-jar").exists() {
        missing.push("tests/browser/node_modules (npm ci --prefix tests/browser)");
    }
    if !missing.is_empty() {
        let message = format!("HTML validation needs: {}", missing.join(", "));
        assert!(std::env::var_os("CI").is_none(), "{message}");
        eprintln!("SKIPPED: {message}; `bash .ci/run` installs them");
        return;
    }
    let site = built_sample_site();
    // Home, its page 2 and its last page, article, day, month, year, archive,
    // the people, places and organisations lists, a by-count list, entity,
    // entity year, search, 404, a section, the undated list, an undated
    // article, a month-dated article, the reading pages.
    let stdout = run_script(&browser_dir.join("vnu.mjs"), &[&site.path().join("public")]);
    assert!(stdout.contains("27 files checked, 0 errors"), "{stdout}");
    // Compact: the last home page is page 3, with its link on to the date pages.
    let compact = built_sample_site_with(COMPACT);
    assert!(
        compact.path().join("public/page/3/index.html").is_file() && !compact.path().join("public/page/4").exists()
    );
    let stdout = run_script(&browser_dir.join("vnu.mjs"), &[&compact.path().join("public")]);
    assert!(stdout.contains("27 files checked, 0 errors"), "compact profile: {stdout}");
}

/// axe-core finds nothing (WCAG 2.0/2.1 A and AA, best practices) on any page
/// type of the built sample site (the pages vnu checks, the 404 page opened at
/// a missing URL), in light and dark colour schemes, 1280 and 375px wide; no
/// page scrolls sideways, misses a resource or throws.
#[test]
fn every_page_type_is_accessible_light_and_dark_wide_and_narrow_in_chromium() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let browser_dir = repo.join("tests/browser");
    if !browser_available(&browser_dir) {
        return;
    }
    let site = built_sample_site();
    let stdout = run_script(&browser_dir.join("a11y.mjs"), &[&site.path().join("public")]);
    assert_eq!(stdout.lines().last(), Some("a11y checks passed: 27 pages × 4 views"), "{stdout}");
    let compact = built_sample_site_with(COMPACT);
    let stdout = run_script(&browser_dir.join("a11y.mjs"), &[&compact.path().join("public")]);
    assert_eq!(stdout.lines().last(), Some("a11y checks passed: 27 pages × 4 views"), "compact profile: {stdout}");
}

#[test]
fn live_reload_error_overlay_and_accessibility_in_chromium() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let browser_dir = repo.join("tests/browser");
    if !browser_available(&browser_dir) {
        return;
    }
    let site = tempfile::tempdir().unwrap();
    copy_dir(&repo.join("content"), &site.path().join("content"));
    std::fs::copy(repo.join("site.toml"), site.path().join("site.toml")).unwrap();
    let server = Server::start(site.path());
    let output = Command::new("node")
        .arg(browser_dir.join("live.mjs"))
        .arg(format!("http://{}/", server.addr))
        .arg(site.path())
        .arg("content/2022/000_e2d8e0751e1d8625.txt")
        .arg("/2022/02/28/peace-negotiations-between-russian-and-ukrainian-officials-commenced-on-the/")
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&output.stdout);
    println!("{stdout}");
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "browser checks failed:\n{stdout}\nserver: {:?}", server.output.lock().unwrap());
    assert!(stdout.contains("browser checks passed"));
}
