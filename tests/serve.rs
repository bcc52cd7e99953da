//! The preview server, for real: a `gazette serve` process on a free port,
//! a fixture site in a temporary folder, files changed on disk, pages
//! fetched over HTTP.

mod support;

use std::time::Duration;

use support::TestSite;
use support::server::{Server, first_event, opening_event, request};

const ARTICLE: &str = "Kyiv talks\nDate: 2022-03-01\n\nPresident Volodymyr Zelensky met officials in Kyiv.\n";
const PAGE: &str = "/2022/03/01/kyiv-talks/";

fn site() -> TestSite {
    let site = TestSite::new();
    site.file("content/a.txt", ARTICLE);
    site.file("content/b.txt", "Bridge opens\nDate: 2022-03-02\n\nAnna Kowalska opened a bridge in Warsaw.\n");
    site
}

#[test]
fn serves_the_site_with_types_head_and_404() {
    let site = site();
    let server = Server::start(site.root());
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(home.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(home.body.contains("Kyiv talks"));
    assert!(home.body.contains("__gazette/events"), "live reload client injected");
    let css = server.get("/style.css");
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    let head = server.request("HEAD", PAGE);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert!(head.header("content-length").is_some_and(|l| l.parse::<usize>().unwrap() > 100));
    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page not found"), "the site's 404 page");
    let redirect = server.get("/2022/03");
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.header("location"), Some("/2022/03/"));
    assert_eq!(server.request("POST", "/").status, 405);
    // No directory listings: a folder without index.html is not found.
    assert_eq!(server.get("/2022/03/01/").status, 200);
    assert_eq!(server.get("/people/page/").status, 404);
}

fn assert_refused(path: &str) {
    let site = site();
    std::fs::write(site.root().join("secret.txt"), "TOP SECRET").unwrap();
    let server = Server::start(site.root());
    let response = server.get(path);
    assert_eq!(response.status, 404, "{path}");
    assert!(!response.body.contains("TOP SECRET") && !response.body.contains("root:"), "{path}");
}

#[test]
fn traversal_with_dot_dot() {
    assert_refused("/../secret.txt");
}

#[test]
fn traversal_with_encoded_dots() {
    assert_refused("/%2e%2e/secret.txt");
}

#[test]
fn traversal_with_encoded_slash() {
    assert_refused("/..%2fsecret.txt");
}

#[test]
fn traversal_with_encoded_backslash() {
    assert_refused("/..%5csecret.txt");
}

#[test]
fn traversal_with_an_absolute_path() {
    assert_refused("//etc/passwd");
}

#[test]
fn traversal_to_the_site_config() {
    assert_refused("/../site.toml");
}

#[test]
fn editing_an_article_updates_its_page_and_tells_the_browser() {
    let site = site();
    let server = Server::start(site.root());
    let event = first_event(&server.addr, Duration::from_secs(10), || {
        site.file("content/a.txt", &ARTICLE.replace("met officials", "met foreign ministers"));
    })
    .expect("a reload event");
    assert!(event.contains(PAGE), "{event}");
    let page = server.wait_for(PAGE, 10, |r| r.body.contains("met foreign ministers"));
    assert!(page.body.contains("people/volodymyr-zelensky/"));
    // Its neighbour links to it, the day lists it.
    assert!(server.get("/2022/03/02/bridge-opens/").body.contains("kyiv-talks"));
}

/// The generation a page was served at, from its reload client.
fn generation(page: &str) -> u64 {
    let at = page.find("const served=").expect("reload client") + "const served=".len();
    page[at..].split(';').next().unwrap().parse().unwrap()
}

/// The generation in the event stream's opening message.
fn opening(message: &str) -> u64 {
    let value: serde_json::Value = serde_json::from_str(message).unwrap();
    value["generation"].as_u64().unwrap()
}

#[test]
fn a_tab_that_connects_after_an_update_it_missed_is_told_to_reload() {
    let site = site();
    let server = Server::start(site.root());
    let served_at = generation(&server.get(PAGE).body);
    assert_eq!(opening(&opening_event(&server.addr).unwrap()), served_at, "nothing changed: no reload");
    site.file("content/a.txt", &ARTICLE.replace("met officials", "met the press"));
    server.wait_for(PAGE, 10, |r| r.body.contains("met the press"));
    // A tab still showing the old page, connecting only now, sees a newer generation.
    assert!(opening(&opening_event(&server.addr).unwrap()) > served_at);
}

#[test]
fn an_edit_updates_the_search_index() {
    let site = site();
    let server = Server::start(site.root());
    assert!(server.get("/search/").body.contains("search.js"));
    let manifest = server.get("/search/index.json");
    assert_eq!(manifest.header("content-type"), Some("application/json"));
    assert!(manifest.body.contains("\"docs\":2"), "{}", manifest.body);
    // The shard of a word is FNV-1a of its bytes modulo the shard count (8 for a small site).
    let shard = |word: &str| word.bytes().fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193)) % 8;
    let new_word = format!("/search/t/{}.bin", shard("zeppelin"));
    let old_word = format!("/search/t/{}.bin", shard("official"));
    assert!(!server.get(&new_word).body.contains("zeppelin"));
    assert!(server.get(&old_word).body.contains("official"), "plurals are indexed as singulars");
    site.file("content/a.txt", &ARTICLE.replace("met officials", "flew a zeppelin"));
    let served_at = generation(&server.wait_for(PAGE, 10, |r| r.body.contains("flew a zeppelin")).body);
    server.wait_for(&new_word, 10, |r| r.body.contains("zeppelin"));
    // The index files changed no page a tab shows: a tab connecting now is not told to reload.
    assert_eq!(opening(&opening_event(&server.addr).unwrap()), served_at);
    server.wait_for(&old_word, 10, |r| !r.body.contains("official"));
    assert!(server.get("/search/d/0.json").body.contains("flew a zeppelin"), "the result snippet follows");
}

#[test]
fn adding_deleting_and_renaming_articles() {
    let site = site();
    let server = Server::start(site.root());
    site.file("content/c.txt", "Third story\nDate: 2022-03-05\n\nRescuers reached Kharkiv.\n");
    server.wait_for("/2022/03/05/third-story/", 10, |r| r.status == 200);
    server.wait_for("/places/kharkiv/", 10, |r| r.status == 200);
    // Saved the way many editors do: a temporary file renamed over the original.
    std::fs::write(
        site.root().join("content/.c.txt.tmp"),
        "Third story, revised\nDate: 2022-03-05\n\nRescuers reached Kharkiv.\n",
    )
    .unwrap();
    std::fs::rename(site.root().join("content/.c.txt.tmp"), site.root().join("content/c.txt")).unwrap();
    server.wait_for("/2022/03/05/third-story-revised/", 10, |r| r.status == 200);
    server.wait_for("/2022/03/05/third-story/", 10, |r| r.status == 404);
    std::fs::rename(site.root().join("content/c.txt"), site.root().join("content/d.txt")).unwrap();
    server.wait_for("/2022/03/05/third-story-revised/", 10, |r| r.status == 200);
    std::fs::remove_file(site.root().join("content/d.txt")).unwrap();
    server.wait_for("/2022/03/05/third-story-revised/", 10, |r| r.status == 404);
    server.wait_for("/places/kharkiv/", 10, |r| r.status == 404);
    assert!(!server.get("/").body.contains("Third story"));
}

#[test]
fn many_files_at_once_like_a_checkout() {
    let site = site();
    let server = Server::start(site.root());
    std::fs::create_dir_all(site.root().join("incoming")).unwrap();
    for i in 1..=25 {
        std::fs::write(
            site.root().join(format!("incoming/{i}.txt")),
            format!("Story number {i}\nDate: 2022-04-{:02}\n\nBody {i}.\n", i),
        )
        .unwrap();
    }
    // The whole folder appears in one rename, as a checkout of a branch may do.
    std::fs::rename(site.root().join("incoming"), site.root().join("content/april")).unwrap();
    for i in [1, 13, 25] {
        server.wait_for(&format!("/2022/04/{i:02}/story-number-{i}/"), 15, |r| r.status == 200);
    }
    std::fs::remove_dir_all(site.root().join("content/april")).unwrap();
    server.wait_for("/2022/04/13/story-number-13/", 15, |r| r.status == 404);
}

#[test]
fn template_errors_show_an_overlay_and_the_last_good_site_stays() {
    let site = site();
    let server = Server::start(site.root());
    site.file("templates/day.html", "{% extends \"base.html\" %}{% block content %}<p class=\"custom-day\">{{ period.label }}</p>{% endblock content %}");
    server.wait_for("/2022/03/01/", 10, |r| r.body.contains("custom-day"));
    site.file(
        "templates/day.html",
        "{% extends \"base.html\" %}{% block content %}{{ period.label }{% endblock content %}",
    );
    let broken = server.wait_for("/2022/03/01/", 10, |r| r.body.contains("gazette-error-overlay"));
    assert!(broken.body.contains("custom-day"), "the last good page is still there");
    assert!(broken.body.contains("day.html"), "the overlay names the template");
    assert!(server.get(PAGE).body.contains("gazette-error-overlay"), "on every page");
    // A tab that connects only now still learns there are errors (and reloads).
    assert!(opening_event(&server.addr).is_some_and(|m| m.starts_with("{\"errors\":1,")));
    site.file("templates/day.html", "{% extends \"base.html\" %}{% block content %}<p class=\"fixed-day\">{{ period.label }}</p>{% endblock content %}");
    let fixed = server.wait_for("/2022/03/01/", 10, |r| r.body.contains("fixed-day"));
    assert!(!fixed.body.contains("gazette-error-overlay"));
    assert!(opening_event(&server.addr).is_some_and(|m| m.starts_with("{\"errors\":0,")));
}

#[test]
fn bad_front_matter_shows_an_overlay_until_fixed() {
    let site = site();
    let server = Server::start(site.root());
    site.file("content/a.txt", "+++\ntitle = \"Kyiv talks\"\ndate = 2022-03-01\nauthors = [oops]\n+++\nBody.\n");
    let page = server.wait_for(PAGE, 10, |r| r.body.contains("gazette-error-overlay"));
    assert!(page.body.contains("content/a.txt:4"), "file and line");
    assert!(page.body.contains("met officials"), "the last good version is kept");
    site.file("content/a.txt", ARTICLE);
    server.wait_for(PAGE, 10, |r| !r.body.contains("gazette-error-overlay"));
}

#[test]
fn static_files_and_site_toml_changes() {
    let site = site();
    let server = Server::start(site.root());
    site.file("static/extra.css", "body { color: red }");
    let css = server.wait_for("/extra.css", 10, |r| r.status == 200);
    assert_eq!(css.body, "body { color: red }");
    site.file("site.toml", "title = \"Renamed Archive\"\n");
    server.wait_for("/", 10, |r| r.body.contains("Renamed Archive"));
}

#[test]
fn reads_do_not_trigger_rebuilds() {
    let site = site();
    let server = Server::start(site.root());
    for _ in 0..5 {
        let _ = std::fs::read_to_string(site.root().join("content/a.txt")).unwrap();
        let _ = std::fs::read_dir(site.root().join("content")).unwrap().count();
    }
    // Touching a file without changing its bytes is not a change either.
    site.file("content/b.txt", "Bridge opens\nDate: 2022-03-02\n\nAnna Kowalska opened a bridge in Warsaw.\n");
    // Editor swap files are ignored.
    site.file("content/.a.txt.swp", "swap");
    site.file("content/a.txt~", "backup");
    // Then one real change: events are handled in order, so once its page
    // is served any rebuild the others caused has been reported before it.
    site.file("content/a.txt", &ARTICLE.replace("officials", "mayors"));
    server.wait_for(PAGE, 10, |r| r.body.contains("mayors"));
    assert!(server.wait_for_output("Rebuilt:", 10));
    assert_eq!(server.count_output("Rebuilt:"), 1, "only the real change rebuilt: {:?}", server.output.lock().unwrap());
}

#[test]
fn serve_never_writes_the_output_folder() {
    let site = site();
    let tree = || -> Vec<std::path::PathBuf> {
        let mut paths: Vec<_> =
            walkdir::WalkDir::new(site.root()).into_iter().map(|e| e.unwrap().into_path()).collect();
        paths.sort();
        paths
    };
    let before = tree();
    let server = Server::start(site.root());
    site.file("content/a.txt", &ARTICLE.replace("officials", "mayors"));
    server.wait_for(PAGE, 10, |r| r.body.contains("mayors"));
    assert!(!site.path("public").exists());
    assert_eq!(tree(), before, "serve wrote nothing: no output, no cache, no staging folder");
}

#[test]
fn a_taken_port_is_reported_and_the_next_one_used() {
    let site = site();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let server = Server::start_with(site.root(), &["--port", &port]);
    assert_ne!(server.addr, format!("127.0.0.1:{port}"));
    assert_eq!(server.count_output(&format!("Port {port} is in use; using port")), 1);
    assert_eq!(request(&server.addr, "GET", "/").status, 200);
}

#[test]
fn ctrl_c_stops_cleanly() {
    let site = site();
    let server = Server::start(site.root());
    let output = server.output.clone();
    assert_eq!(server.interrupt(), Some(0));
    assert!(output.lock().unwrap().iter().any(|l| l == "Stopped."));
}

#[test]
fn build_output_has_no_reload_script() {
    let site = site();
    site.build_ok();
    for file in site.public_files().iter().filter(|f| f.ends_with(".html")) {
        assert!(!site.public(file).contains("__gazette"), "{file}");
    }
}

/// The number in the server's last "Rebuilt: N pages" line, once it has printed `count` of them.
fn rebuilt_pages(server: &Server, count: usize) -> usize {
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    loop {
        let lines: Vec<String> =
            server.output.lock().unwrap().iter().filter(|l| l.starts_with("Rebuilt:")).cloned().collect();
        if lines.len() >= count {
            return lines[count - 1].split(' ').nth(1).unwrap().parse().unwrap();
        }
        assert!(std::time::Instant::now() < deadline, "no rebuild line: {:?}", server.output.lock().unwrap());
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn an_edit_renders_only_the_pages_that_show_the_article() {
    let site = TestSite::new();
    let places = ["Warsaw", "Kyiv", "Paris", "Berlin", "Madrid", "Rome", "Vienna", "Prague"];
    for i in 0..40 {
        site.file(
            &format!("content/{i}.txt"),
            &format!(
                "Story {i}\nDate: 2021-{:02}-{:02}\n\nMayor Anna Kowalska{i} visited {}.\n",
                i % 12 + 1,
                i % 27 + 1,
                places[i % places.len()]
            ),
        );
    }
    site.file(
        "templates/day.html",
        "{% extends \"base.html\" %}{% block content %}{{ period.label }}{% endblock content %}",
    );
    let server = Server::start(site.root());
    let total = site.root().join("content").read_dir().unwrap().count();
    assert_eq!(total, 40);
    site.file("content/7.txt", "Story 7\nDate: 2021-08-08\n\nMayor Anna Kowalska7 visited Warsaw again.\n");
    server.wait_for("/2021/08/08/story-7/", 10, |r| r.body.contains("Warsaw again"));
    let rebuilt = rebuilt_pages(&server, 1);
    // Its page, two neighbours, day, month, year, home, archive, its entities'
    // pages, the site's and types' feeds and its entities' feeds: about 20 of
    // 250. (The search index files follow in a step of their own.)
    assert!((4..=26).contains(&rebuilt), "rebuilt {rebuilt} pages");
    assert!(server.wait_for_output("Search index: ", 10), "the search index follows the pages");
    // A template used by day pages renders the day pages, nothing else.
    site.file(
        "templates/day.html",
        "{% extends \"base.html\" %}{% block content %}<p class=\"d\">{{ period.label }}</p>{% endblock content %}",
    );
    server.wait_for("/2021/08/08/", 10, |r| r.body.contains("class=\"d\""));
    let days = rebuilt_pages(&server, 2);
    assert_eq!(server.get("/archive/").status, 200, "the archive is still served");
    assert!((20..=40).contains(&days), "rebuilt {days} pages for day.html");
}

#[test]
fn a_huge_request_head_is_refused_and_others_are_still_served() {
    use std::io::{Read, Write};
    let site = site();
    let server = Server::start(site.root());
    let mut huge = std::net::TcpStream::connect(&server.addr).unwrap();
    huge.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let _ = huge.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: ");
    // Sending stops when the server has read its fill and closes.
    let chunk = vec![b'b'; 16 * 1024];
    for _ in 0..64 {
        if huge.write_all(&chunk).is_err() {
            break;
        }
    }
    let _ = huge.write_all(b"\r\n\r\n");
    let mut answer = Vec::new();
    let _ = huge.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 431"), "{answer:.200}");
    assert_eq!(server.get(PAGE).status, 200);
}

#[test]
fn a_client_that_never_finishes_its_request_is_cut_off_while_others_are_served() {
    use std::io::{Read, Write};
    let site = site();
    let server = Server::start(site.root());
    let mut slow = std::net::TcpStream::connect(&server.addr).unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: a").unwrap();
    let started = std::time::Instant::now();
    assert_eq!(server.get(PAGE).status, 200, "served while the slow client waits");
    slow.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut answer = Vec::new();
    let read = slow.read_to_end(&mut answer);
    let waited = started.elapsed();
    assert!(read.is_ok(), "the server closed the connection rather than the test timing out: {read:?}");
    assert!(
        waited >= Duration::from_secs(5) && waited < Duration::from_secs(25),
        "cut off after the header timeout, not at once and not never: {waited:?}"
    );
    assert_eq!(server.get("/").status, 200);
}
