//! The preview HTTP server: serves the in-memory site, injects the live
//! reload client (and the error overlay) into HTML, and streams reload
//! events over server-sent events. Only files of the built site are served:
//! no traversal, no directory listings.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use crate::render::body::escape;

/// Path of the reload event stream.
pub const EVENTS_PATH: &str = "/__gazette/events";

/// What the server serves, shared with the rebuild thread.
pub struct Served {
    /// Output path (`a/b/index.html`) to contents.
    pub pages: RwLock<HashMap<String, Bytes>>,
    /// Error messages to show over every page, if any.
    pub errors: RwLock<Vec<String>>,
    /// Reload messages (JSON) for connected browsers.
    pub events: broadcast::Sender<String>,
    /// Bumped by every update of `pages`: a tab that connects to the event
    /// stream after an update it was not served reloads.
    pub generation: AtomicU64,
}

impl Served {
    /// A server state holding `pages`.
    pub fn new(pages: HashMap<String, Bytes>) -> Arc<Served> {
        let (events, _) = broadcast::channel(64);
        Arc::new(Served {
            pages: RwLock::new(pages),
            errors: RwLock::new(Vec::new()),
            events,
            generation: AtomicU64::new(0),
        })
    }
}

/// The router: the event stream, and every other GET or HEAD from the site.
pub fn router(state: Arc<Served>) -> Router {
    Router::new().route(EVENTS_PATH, get(events)).fallback(page).with_state(state)
}

async fn events(State(state): State<Arc<Served>>) -> Sse<impl tokio_stream::Stream<Item = Result<Event, Infallible>>> {
    let updates = BroadcastStream::new(state.events.subscribe())
        .filter_map(|m| m.ok().map(|data| Ok(Event::default().data(data))));
    // First, whether there are errors now: a page that loaded just before an
    // error (or its fix) and connected just after still learns of it.
    let errors = state.errors.read().unwrap_or_else(|e| e.into_inner()).len();
    let generation = state.generation.load(Ordering::SeqCst);
    let now = serde_json::json!({ "errors": errors, "generation": generation }).to_string();
    let stream = tokio_stream::once(Ok(Event::default().data(now))).chain(updates);
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// How a request path maps onto the site.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// Serve this output path.
    File(String),
    /// A folder asked without its final slash: redirect here.
    Redirect(String),
    /// Not a file of the site (including every traversal attempt).
    NotFound,
}

/// Maps a raw request path (still percent-encoded) onto the site, refusing
/// anything that is not a plain path of it.
pub fn resolve_path(raw: &str, exists: impl Fn(&str) -> bool) -> Target {
    let lower = raw.to_ascii_lowercase();
    // Encoded slashes, backslashes and NULs never name a file of the site.
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") || raw.contains('\\') {
        return Target::NotFound;
    }
    let Some(decoded) = percent_decode(raw) else { return Target::NotFound };
    let Some(rest) = decoded.strip_prefix('/') else { return Target::NotFound };
    let segments: Vec<&str> = rest.split('/').collect();
    let last = segments.len() - 1;
    for (i, s) in segments.iter().enumerate() {
        let empty_inside = s.is_empty() && i != last;
        if empty_inside || *s == "." || *s == ".." || s.contains('\0') || s.contains(':') {
            return Target::NotFound;
        }
    }
    let key = rest.trim_end_matches('/');
    if rest.is_empty() || rest.ends_with('/') {
        let index = if key.is_empty() { "index.html".to_string() } else { format!("{key}/index.html") };
        return if exists(&index) { Target::File(index) } else { Target::NotFound };
    }
    if exists(key) {
        Target::File(key.to_string())
    } else if exists(&format!("{key}/index.html")) {
        Target::Redirect(format!("{raw}/"))
    } else {
        Target::NotFound
    }
}

fn percent_decode(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = raw.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// MIME type of an output path.
pub fn mime_type(path: &str) -> &'static str {
    let ext = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

async fn page(State(state): State<Arc<Served>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, [(header::ALLOW, "GET, HEAD")], "").into_response();
    }
    let (status, path, body, generation) = {
        let pages = state.pages.read().unwrap_or_else(|e| e.into_inner());
        let generation = state.generation.load(Ordering::SeqCst);
        match resolve_path(uri.path(), |p| pages.contains_key(p)) {
            Target::File(path) => {
                let body = pages[&path].clone();
                (StatusCode::OK, path, body, generation)
            }
            Target::Redirect(to) => {
                return (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to)], "").into_response();
            }
            Target::NotFound => match pages.get("404.html") {
                Some(body) => (StatusCode::NOT_FOUND, "404.html".to_string(), body.clone(), generation),
                None => (StatusCode::NOT_FOUND, "404.txt".to_string(), Bytes::from_static(b"Not found"), generation),
            },
        }
    };
    let body = if path.ends_with(".html") {
        let errors = state.errors.read().unwrap_or_else(|e| e.into_inner()).clone();
        inject(&body, &errors, generation)
    } else {
        body
    };
    let length = body.len();
    let mut response =
        if method == Method::HEAD { Response::new(Body::empty()) } else { Response::new(Body::from(body)) };
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime_type(&path)));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    response
}

/// The live reload client of a page served at `generation`: reloads when
/// the page it shows changed, when the page's error overlay no longer
/// matches the server's errors, or when the site changed between serving the
/// page and connecting. (The overlay's id is split so that a page without it
/// never contains it.)
fn reload_script(generation: u64) -> String {
    format!(
        r#"<script>/* gazette serve: live reload */(()=>{{const served={generation};const es=new EventSource("/__gazette/events");es.onmessage=(e)=>{{const m=JSON.parse(e.data);const p=location.pathname;const here=[p,p.endsWith("/")?p+"index.html":p];const shown=!!document.getElementById("gazette-error-"+"overlay");if(m.all||(m.paths||[]).some((x)=>here.includes(x))||("errors" in m&&(m.errors>0)!==shown)||("generation" in m&&m.generation!==served))location.reload();}};}})();</script>"#
    )
}

/// Adds the reload client, and the error overlay when there are errors, before `</body>`.
fn inject(html: &Bytes, errors: &[String], generation: u64) -> Bytes {
    let text = String::from_utf8_lossy(html);
    let mut extra = reload_script(generation);
    if !errors.is_empty() {
        extra.push_str(&overlay(errors));
    }
    let at = text.rfind("</body>").unwrap_or(text.len());
    let mut out = String::with_capacity(text.len() + extra.len());
    out.push_str(&text[..at]);
    out.push_str(&extra);
    out.push_str(&text[at..]);
    Bytes::from(out)
}

/// The error overlay: every message with its file and line.
pub fn overlay(errors: &[String]) -> String {
    let mut items = String::new();
    for e in errors {
        items.push_str("<li>");
        items.push_str(&escape(e));
        items.push_str("</li>");
    }
    format!(
        concat!(
            "<div id=\"gazette-error-overlay\" role=\"alertdialog\" aria-modal=\"true\" aria-labelledby=\"gazette-error-title\" ",
            "style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.94);color:#fff;",
            "font:15px/1.5 ui-monospace,SFMono-Regular,Menlo,monospace;padding:2rem\">",
            "<h2 id=\"gazette-error-title\" style=\"color:#ff8a80;font:bold 1.3rem system-ui,sans-serif;margin:0 0 1rem\">",
            "gazette could not rebuild the site</h2><ul style=\"padding-left:1.2rem\">{}</ul>",
            "<p style=\"font-family:system-ui,sans-serif;color:#ddd\">Fix the file and save: this page reloads by itself. ",
            "Underneath is the last version that built.</p></div>"
        ),
        items
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(p: &str) -> bool {
        matches!(p, "index.html" | "style.css" | "a/index.html" | "a/b.txt" | "404.html")
    }

    #[test]
    fn plain_paths_map_to_files() {
        assert_eq!(resolve_path("/", site), Target::File("index.html".into()));
        assert_eq!(resolve_path("/a/", site), Target::File("a/index.html".into()));
        assert_eq!(resolve_path("/a", site), Target::Redirect("/a/".into()));
        assert_eq!(resolve_path("/style.css", site), Target::File("style.css".into()));
        assert_eq!(resolve_path("/a/b%2Etxt", site), Target::File("a/b.txt".into()));
        assert_eq!(resolve_path("/nope/", site), Target::NotFound);
    }

    #[test]
    fn traversal_is_refused() {
        for raw in [
            "/../etc/passwd",
            "/a/../index.html",
            "/%2e%2e/etc/passwd",
            "/a%2fb.txt",
            "/a%2Fb.txt",
            "//etc/passwd",
            "/a/./b.txt",
            "/C:/x",
            "/%00",
            "/a%5cb.txt",
            "/%ff",
        ] {
            assert_eq!(resolve_path(raw, |_| true), Target::NotFound, "{raw}");
        }
    }

    #[test]
    fn mime_types() {
        assert_eq!(mime_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(mime_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(mime_type("x.SVG"), "image/svg+xml");
        assert_eq!(mime_type("x.unknown"), "application/octet-stream");
    }

    #[test]
    fn injection_goes_before_body_end_and_escapes_errors() {
        let out = inject(&Bytes::from("<html><body><p>x</p></body></html>"), &["a.md:3: <bad>".into()], 7);
        let out = String::from_utf8(out.to_vec()).unwrap();
        assert!(out.contains("gazette serve: live reload"));
        assert!(out.contains("a.md:3: &lt;bad&gt;"));
        assert!(out.ends_with("</div></body></html>"));
    }
}
