//! One test per kind of bad input: each is reported with the file (and line
//! where there is one), the other articles are built, nothing panics, and
//! nothing is written outside the output folder.

mod support;

use support::{TestSite, article_pages};

const GOOD: &str = "Good article headline\nDate: 2022-03-01\n\nThe good article body mentions Kyiv.\n";

/// A site with one good article plus the given bad file; asserts the build
/// succeeds, the good article is built, and returns the run.
fn build_with(rel: &str, bytes: &[u8]) -> (TestSite, support::Run) {
    let site = TestSite::new();
    site.file("content/good.txt", GOOD);
    site.bytes(rel, bytes);
    let run = site.build_ok();
    assert!(
        site.path("public/2022/03/01/good-article-headline/index.html").exists(),
        "good article missing:\n{}",
        run.stderr
    );
    (site, run)
}

fn assert_reported(run: &support::Run, file: &str, needle: &str) {
    let line = run
        .stderr
        .lines()
        .find(|l| l.contains(file))
        .unwrap_or_else(|| panic!("no message for {file}:\n{}", run.stderr));
    assert!(line.contains(needle), "message for {file} lacks {needle:?}: {line}");
}

#[test]
fn invalid_date_is_reported_with_the_line_and_the_file_name_dates_it() {
    let (site, run) = build_with("content/2021-05-06-story.txt", b"Story title\nDate: 2021-02-30\n\nBody.\n");
    assert!(run.stderr.contains("content/2021-05-06-story.txt:2: invalid date \"2021-02-30\""), "{}", run.stderr);
    assert!(site.path("public/2021/05/06/story-title/index.html").exists());
}

#[test]
fn a_missing_date_leaves_the_article_undated_with_one_warning() {
    let (site, run) = build_with("content/nodate.txt", b"Undated story\n\nBody.\n");
    assert_reported(&run, "nodate.txt", "1 article with no date");
    assert!(site.path("public/undated/undated-story/index.html").exists(), "{}", run.stderr);
}

#[test]
fn empty_file_is_skipped_with_a_message() {
    let (site, run) = build_with("content/empty.txt", b"   \n\n");
    assert_reported(&run, "empty.txt", "empty file");
    assert_eq!(article_pages(&site.public_files()).len(), 1);
}

#[test]
fn binary_file_is_skipped_with_a_message() {
    let (_, run) = build_with("content/photo.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0");
    assert_reported(&run, "photo.txt", "binary file");
}

#[test]
fn windows_1252_text_is_decoded_and_reported() {
    let (site, run) =
        build_with("content/legacy.txt", b"Caf\xe9 owners protest\nDate: 2022-03-02\n\nThe \x93caf\xe9\x94 closed.\n");
    assert_reported(&run, "legacy.txt", "Windows-1252");
    let html = site.public("2022/03/02/cafe-owners-protest/index.html");
    assert!(html.contains("Café owners protest"));
    assert!(html.contains("“café” closed"));
}

#[test]
fn byte_order_mark_is_removed() {
    let (site, run) = build_with("content/bom.txt", b"\xEF\xBB\xBFBOM headline\nDate: 2022-03-03\n\nBody.\n");
    assert!(!run.stderr.contains("bom.txt"), "{}", run.stderr);
    let html = site.public("2022/03/03/bom-headline/index.html");
    assert!(html.contains("<h1 class=\"headline\">BOM headline</h1>"), "{html}");
    assert!(!html.contains('\u{feff}'));
}

#[test]
fn crlf_line_endings_are_read_like_lf() {
    let (site, _) = build_with(
        "content/crlf.txt",
        b"CRLF headline\r\nDate: 2022-03-04\r\n\r\nFirst paragraph.\r\n\r\nSecond paragraph.\r\n",
    );
    let html = site.public("2022/03/04/crlf-headline/index.html");
    assert!(html.contains("<p>First paragraph.</p>"), "{html}");
    assert!(html.contains("<p>Second paragraph.</p>"), "{html}");
    assert!(!html.contains('\r'));
}

#[test]
fn bad_front_matter_is_skipped_with_its_line() {
    let (site, run) =
        build_with("content/bad.md", b"+++\ntitle = \"Fine\"\ndate = 2022-03-05\nauthors = [unquoted]\n+++\n\nBody.\n");
    assert!(run.stderr.contains("content/bad.md:4: invalid front matter"), "{}", run.stderr);
    assert_eq!(article_pages(&site.public_files()).len(), 1);
}

#[test]
fn unclosed_front_matter_is_skipped_with_line_1() {
    let (_, run) = build_with("content/open.md", b"+++\ntitle = \"Never closed\"\ndate = 2022-03-06\n\nBody.\n");
    assert!(run.stderr.contains("content/open.md:1: front matter opened with +++ is never closed"), "{}", run.stderr);
}

#[test]
fn titles_and_slugs_cannot_escape_the_output_folder() {
    let site = TestSite::new();
    site.file(
        "content/a.md",
        "+++\ntitle = \"../../../../escape\"\ndate = 2022-03-07\nslug = \"../../../outside\"\n+++\nBody.\n",
    );
    site.file("content/b.txt", "../../../../../tmp/evil\nDate: 2022-03-07\n\nBody.\n");
    let run = site.build_ok();
    assert!(run.stderr.contains("not a safe URL segment"), "{}", run.stderr);
    let files = site.public_files();
    assert!(files.contains(&"2022/03/07/outside/index.html".to_string()), "{files:?}");
    assert!(files.contains(&"2022/03/07/tmp-evil/index.html".to_string()), "{files:?}");
    // Nothing appeared beside the site.
    let beside: Vec<_> =
        std::fs::read_dir(site.root()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    let mut beside = beside;
    beside.sort();
    assert_eq!(beside, vec![".gazette-cache", "content", "public", "site.toml"]);
    let html = site.public("2022/03/07/outside/index.html");
    assert!(html.contains("../../../../escape"), "title shown as text");
}

#[test]
fn duplicate_slugs_get_a_number_and_a_message_naming_both_files() {
    let site = TestSite::new();
    site.file("content/one.txt", "Same headline\nDate: 2022-03-08\n\nFirst body.\n");
    site.file("content/two.txt", "Same headline\nDate: 2022-03-08\n\nSecond body.\n");
    let run = site.build_ok();
    assert!(run.stderr.contains("content/two.txt: same date and slug as content/one.txt"), "{}", run.stderr);
    assert!(site.public("2022/03/08/same-headline/index.html").contains("First body."));
    assert!(site.public("2022/03/08/same-headline-2/index.html").contains("Second body."));
}

#[cfg(unix)]
#[test]
fn symlinks_outside_content_are_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "Secret headline\nDate: 2022-03-09\n\nSecret body.\n").unwrap();
    let site = TestSite::new();
    site.file("content/good.txt", GOOD);
    site.file("content/real.txt", "Linked headline\nDate: 2022-03-10\n\nLinked body.\n");
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), site.path("content/secret.txt")).unwrap();
    std::os::unix::fs::symlink(site.path("content/real.txt"), site.path("content/alias.txt")).unwrap();
    let run = site.build_ok();
    assert_reported(&run, "content/secret.txt", "outside the content folder");
    let all = site.public_files().join("\n");
    assert!(!all.contains("secret-headline"), "{all}");
    // A link inside content/ is read.
    assert!(all.contains("linked-headline"), "{all}");
}

#[test]
fn files_that_are_not_articles_are_reported_and_ignored() {
    let (site, run) = build_with("content/photo.jpg", b"\xff\xd8\xff\xe0JFIF");
    assert_reported(&run, "photo.jpg", "not an article");
    // Editor leftovers are ignored without a word.
    site.file("content/.good.txt.swp", "x");
    site.file("content/good.txt~", "x");
    let run = site.build_ok();
    assert!(!run.stderr.contains(".swp") && !run.stderr.contains("good.txt~"), "{}", run.stderr);
}

#[test]
fn hostile_text_is_escaped_everywhere() {
    let site = TestSite::new();
    site.file(
        "content/x.txt",
        "<script>alert('title')</script> Headline\nDate: 2022-03-11\nURL: javascript:alert(1)\n\nBody <img src=x onerror=alert(1)> & \"quotes\".\n",
    );
    site.file("content/y.md", "+++\ntitle = \"<b>Bold</b> move\"\ndate = 2022-03-11\ncaption = \"<i>c</i>\"\n+++\n\nRaw <script>alert(2)</script>\n\n<iframe src=\"x\"></iframe>\n");
    site.build_ok();
    for file in site.public_files().iter().filter(|f| f.ends_with(".html")) {
        let html = site.public(file);
        assert!(!html.contains("<script>alert"), "{file}");
        assert!(!html.contains("<img src=x"), "{file}");
        assert!(!html.contains("<iframe"), "{file}");
        assert!(!html.contains("<b>Bold"), "{file}");
        assert!(!html.contains("javascript:"), "{file}");
    }
    let x = site.public("2022/03/11/script-alert-title-script-headline/index.html");
    assert!(
        x.contains("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; Headline")
            || x.contains("&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt; Headline"),
        "{x}"
    );
    assert!(x.contains("Body &lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;."), "{x}");
}

#[test]
fn raw_html_passes_only_when_the_site_allows_it() {
    let site = TestSite::new();
    site.file("site.toml", &format!("{}[markdown]\nallow_raw_html = true\n", support::MINIMAL_CONFIG));
    site.file(
        "content/y.md",
        "+++\ntitle = \"Embed\"\ndate = 2022-03-12\n+++\n\n<figure class=\"chart\">chart</figure>\n",
    );
    site.build_ok();
    assert!(site.public("2022/03/12/embed/index.html").contains("<figure class=\"chart\">chart</figure>"));
}

#[test]
fn a_file_larger_than_max_article_bytes_is_reported_with_its_size_and_skipped() {
    let site = TestSite::new();
    let config = std::fs::read_to_string(site.path("site.toml")).unwrap();
    site.file("site.toml", &format!("max_article_bytes = 4096\n{config}"));
    site.file("content/good.txt", GOOD);
    let huge = format!("Huge dump\nDate: 2022-03-04\n\n{}\n", "Word ".repeat(2000));
    site.file("content/huge.txt", &huge);
    let run = site.build_ok();
    assert_reported(&run, "huge.txt", "10 KB is larger than max_article_bytes (4 KB); skipped");
    let files = site.public_files();
    let pages = article_pages(&files);
    assert_eq!(pages.len(), 1, "{pages:?}");
    assert!(site.path("public/2022/03/01/good-article-headline/index.html").exists());
}

#[test]
fn max_article_bytes_must_be_positive() {
    let site = TestSite::new();
    let config = std::fs::read_to_string(site.path("site.toml")).unwrap();
    site.file("site.toml", &format!("max_article_bytes = 0\n{config}"));
    let run = site.run(&["build"]);
    assert_ne!(run.code, 0, "a zero limit builds:\n{}", run.stderr);
    assert!(run.stderr.contains("max_article_bytes must be at least 1"), "{}", run.stderr);
}

#[test]
fn many_files_with_one_problem_print_a_few_lines_and_list_all_in_a_file() {
    let site = TestSite::new();
    for i in 0..12 {
        site.file(&format!("content/bad-date-{i:02}.txt"), &format!("Story {i}\nDate: someday\n\nBody {i}.\n"));
    }
    let run = site.build_ok();
    let lines: Vec<&str> = run.stderr.lines().filter(|l| l.contains("invalid date")).collect();
    assert_eq!(lines.len(), 3, "{}", run.stderr);
    assert!(run.stderr.contains("… and 9 more files with the same problem"), "{}", run.stderr);
    assert!(run.stderr.contains("all 13 problems are listed in"), "{}", run.stderr);
    let listed = std::fs::read_to_string(site.path(".gazette-cache/problems.txt")).unwrap();
    // The twelve, and the one warning that they are undated.
    assert_eq!(listed.lines().count(), 13, "{listed}");
    assert!(listed.contains("bad-date-11.txt"));
    let verbose = site.run(&["build", "--verbose"]);
    assert_eq!(verbose.stderr.lines().filter(|l| l.contains("invalid date")).count(), 12, "{}", verbose.stderr);
}

#[cfg(unix)]
#[test]
fn odd_file_names_folders_named_like_articles_and_dangling_links_are_handled() {
    use std::os::unix::ffi::OsStrExt;
    let site = TestSite::new();
    site.file("content/good.txt", GOOD);
    // A file name that is not UTF-8 (Latin-1 "café.txt").
    let latin1 = site.path("content").join(std::ffi::OsStr::from_bytes(b"caf\xe9.txt"));
    std::fs::write(&latin1, "Latin file name\nDate: 2022-03-05\n\nBody.\n").unwrap();
    // A folder whose name looks like an article: its articles are read.
    site.file("content/folder.txt/inner.txt", "Inner story\nDate: 2022-03-06\n\nBody.\n");
    std::os::unix::fs::symlink("/nonexistent/gazette-test", site.path("content/dangling.txt")).unwrap();
    let run = site.build_ok();
    assert_reported(&run, "dangling.txt", "broken symbolic link");
    assert!(site.path("public/2022/03/05/latin-file-name/index.html").exists(), "{}", run.stderr);
    assert!(site.path("public/2022/03/06/inner-story/index.html").exists(), "{}", run.stderr);
}

#[test]
fn a_file_that_vanished_before_it_was_read_is_reported() {
    let root = std::path::Path::new("/nonexistent/gazette-test");
    let source = gazette::content::Source::new(root, &root.join("content"), &root.join("content/gone.txt"));
    let (article, diagnostics) = gazette::content::parse(&source, &Default::default(), None);
    assert!(article.is_none());
    assert_eq!(diagnostics.len(), 1);
    let message = diagnostics[0].to_string();
    assert!(message.starts_with("error: content/gone.txt: cannot read:"), "{message}");
}
