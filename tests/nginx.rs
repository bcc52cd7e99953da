//! The nginx recipe in docs/deploy.md, run by a real nginx over a built
//! site: folders serve their index.html, a missing page gets 404.html with
//! status 404, theme files are cached for an hour, and the copies that
//! `[output] precompress` writes are sent as they are to clients that
//! accept them. `.ci/run` installs nginx and its brotli module; without
//! them this test fails in CI and is skipped, loudly, elsewhere.

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use support::TestSite;

/// Where Debian's nginx keeps the brotli module (libnginx-mod-http-brotli-static).
const BROTLI_MODULE: &str = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so";

/// The first nginx block of docs/deploy.md's nginx section: the server block users copy.
fn recipe() -> String {
    let docs = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/deploy.md")).unwrap();
    let section = &docs[docs.find("\n## nginx").expect("docs/deploy.md has an nginx section")..];
    let block = &section[section.find("```nginx\n").expect("an nginx block") + "```nginx\n".len()..];
    block[..block.find("```").unwrap()].to_string()
}

/// The recipe made to run here: plain HTTP on `port`, the site at `root`
/// (the lines about TLS and the host name left out).
fn local_server(recipe: &str, port: u16, root: &Path) -> String {
    let mut out = String::new();
    for line in recipe.lines() {
        let directive = line.trim_start();
        if directive.starts_with("listen ") {
            out.push_str(&format!("    listen 127.0.0.1:{port};\n"));
        } else if directive.starts_with("root ") {
            out.push_str(&format!("    root {};\n", root.display()));
        } else if !["ssl_", "http2 ", "server_name "].iter().any(|p| directive.starts_with(p)) {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// nginx in the foreground, one process, everything it writes in `dir`.
struct Nginx {
    child: Child,
    addr: String,
    dir: tempfile::TempDir,
}

impl Nginx {
    fn start(root: &Path) -> Nginx {
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let d = dir.path().display();
        let config = format!(
            "daemon off;\nmaster_process off;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\nload_module {BROTLI_MODULE};\n\
             events {{}}\nhttp {{\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n  access_log off;\n\
             client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n  fastcgi_temp_path {d}/fastcgi;\n\
             uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n{}}}\n",
            local_server(&recipe(), port, root)
        );
        std::fs::write(dir.path().join("nginx.conf"), &config).unwrap();
        let child = Command::new("nginx")
            .arg("-p")
            .arg(dir.path())
            .arg("-e")
            .arg(dir.path().join("error.log"))
            .arg("-c")
            .arg(dir.path().join("nginx.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start nginx");
        let nginx = Nginx { child, addr: format!("127.0.0.1:{port}"), dir };
        let started = Instant::now();
        while TcpStream::connect(&nginx.addr).is_err() {
            assert!(started.elapsed() < Duration::from_secs(10), "nginx did not start:\n{config}\n{}", nginx.log());
            std::thread::sleep(Duration::from_millis(50));
        }
        nginx
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default()
    }

    /// One GET, with `Accept-Encoding` when given: status, headers, body bytes.
    fn get(&self, path: &str, accept_encoding: Option<&str>) -> Reply {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let accept = accept_encoding.map(|a| format!("Accept-Encoding: {a}\r\n")).unwrap_or_default();
        write!(stream, "GET {path} HTTP/1.1\r\nHost: archive.test\r\n{accept}Connection: close\r\n\r\n").unwrap();
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        let end = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete response");
        let head = String::from_utf8_lossy(&raw[..end]).into_owned();
        let mut lines = head.lines();
        let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).unwrap_or(0);
        let headers =
            lines.filter_map(|l| l.split_once(": ")).map(|(n, v)| (n.to_ascii_lowercase(), v.to_string())).collect();
        Reply { status, headers, body: raw[end + 4..].to_vec() }
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// Whether nginx and the brotli module are here; in CI their absence is a failure.
fn nginx_available() -> bool {
    let mut missing = Vec::new();
    if Command::new("nginx").arg("-v").output().is_err() {
        missing.push("nginx (apt-get install nginx-light)");
    }
    if !Path::new(BROTLI_MODULE).exists() {
        missing.push("its brotli module (apt-get install libnginx-mod-http-brotli-static)");
    }
    if missing.is_empty() {
        return true;
    }
    let message = format!("the nginx test needs: {}", missing.join(", "));
    assert!(std::env::var_os("CI").is_none(), "{message}");
    eprintln!("SKIPPED: {message}; `bash .ci/run` installs them");
    false
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::BrotliDecompress(&mut &bytes[..], &mut out).expect("valid brotli");
    out
}

fn ungzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).expect("valid gzip");
    out
}

#[test]
fn the_nginx_recipe_serves_the_site_and_its_precompressed_copies() {
    if !nginx_available() {
        return;
    }
    let site = TestSite::new();
    site.file("site.toml", &format!("{}[output]\nprecompress = [\"br\", \"gz\"]\n", support::MINIMAL_CONFIG));
    support::write_stories(&site);
    site.build_ok();
    let public: PathBuf = site.path("public");
    let nginx = Nginx::start(&public);

    let home = nginx.get("/", None);
    assert_eq!(home.status, 200, "{}", nginx.log());
    assert!(
        home.body == site.public_bytes("index.html"),
        "a folder serves its index.html, uncompressed when not asked"
    );
    assert_eq!(home.header("content-encoding"), None);

    let article = support::article_pages(&site.public_files())[0].clone();
    let url = format!("/{}", article.trim_end_matches("index.html"));
    let page = site.public_bytes(&article);
    let br = nginx.get(&url, Some("gzip, deflate, br"));
    assert_eq!((br.status, br.header("content-encoding")), (200, Some("br")), "{url}");
    assert!(br.body == site.public_bytes(&format!("{article}.br")), "the copy gazette wrote, sent as it is");
    assert!(unbrotli(&br.body) == page, "the copy is the page");
    assert_eq!(br.header("vary"), Some("Accept-Encoding"), "caches keep one copy per encoding");
    let gz = nginx.get(&url, Some("gzip"));
    assert_eq!((gz.status, gz.header("content-encoding")), (200, Some("gzip")), "{url}");
    assert!(gz.body == site.public_bytes(&format!("{article}.gz")), "the gzip copy, as it is");
    assert!(ungzip(&gz.body) == page, "the copy is the page");
    assert_eq!(gz.header("content-type").map(|t| t.starts_with("text/html")), Some(true));

    let style = nginx.get("/style.css", Some("br"));
    assert_eq!(style.header("cache-control"), Some("public, max-age=3600"));
    assert!(unbrotli(&style.body) == site.public_bytes("style.css"), "theme files have copies too");
    assert_eq!(nginx.get(&url, None).header("cache-control"), Some("public, max-age=0, must-revalidate"));

    let folder = nginx.get(url.trim_end_matches('/'), None);
    assert_eq!(folder.status, 301, "a folder without its slash is redirected");
    assert!(folder.header("location").is_some_and(|l| l.ends_with(&url)), "{:?}", folder.header("location"));
    let missing = nginx.get("/no-such-page/", Some("gzip"));
    assert_eq!(missing.status, 404);
    assert!(ungzip(&missing.body) == site.public_bytes("404.html"), "the site's 404 page, compressed too");
}
