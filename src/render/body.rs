//! Article bodies as HTML, with the first mention of each entity linked to
//! its page. Every piece of article text is escaped; Markdown goes through
//! pulldown-cmark, with raw HTML shown as text unless the site allows it.

use pulldown_cmark::{Event, Tag, TagEnd, html};

use crate::content::{Body, markdown};

/// A link to insert: byte span in the article's plain text and target URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpanLink<'a> {
    /// Start of the mention in the plain text.
    pub start: usize,
    /// End of the mention.
    pub end: usize,
    /// The page's root prefix, the start of the `href` value.
    pub root: &'a str,
    /// The rest of the `href` value: the site-relative path.
    pub path: &'a str,
}

/// Renders a body (`text` is the article's plain text, which holds a plain
/// body's paragraphs); `links` must be sorted by start and not overlap.
pub fn render_body(body: &Body, text: &str, links: &[SpanLink], allow_raw_html: bool) -> String {
    match body {
        Body::Paragraphs => render_paragraphs(text, links),
        Body::Markdown(source) => render_markdown(source, links, allow_raw_html),
    }
}

/// The paragraphs of `text` (a blank line between each two) as `<p>`s.
fn render_paragraphs(text: &str, links: &[SpanLink]) -> String {
    if text.is_empty() {
        return String::new();
    }
    let mut out = String::with_capacity(text.len() + text.len() / 16 + 16);
    let mut offset = 0;
    for p in text.split("\n\n") {
        out.push_str("<p>");
        push_linked(&mut out, p, offset, links);
        out.push_str("</p>\n");
        offset += p.len() + 2;
    }
    out
}

/// Escapes `text` (found at `offset` in the plain text) into `out`, wrapping
/// the spans of `links` that lie wholly inside it.
fn push_linked(out: &mut String, text: &str, offset: usize, links: &[SpanLink]) {
    let end = offset + text.len();
    let mut pos = 0;
    for link in links.iter().filter(|l| l.start >= offset && l.end <= end) {
        let (s, e) = (link.start - offset, link.end - offset);
        if s < pos {
            continue;
        }
        escape_into(out, &text[pos..s]);
        out.push_str("<a class=\"entity\" href=\"");
        escape_into(out, link.root);
        escape_into(out, link.path);
        out.push_str("\">");
        escape_into(out, &text[s..e]);
        out.push_str("</a>");
        pos = e;
    }
    escape_into(out, &text[pos..]);
}

fn render_markdown(source: &str, links: &[SpanLink], allow_raw_html: bool) -> String {
    let (_, events) = markdown::walk(source, allow_raw_html);
    let mut out = String::with_capacity(source.len() * 3 / 2);
    let mut in_link = 0usize;
    let mut in_heading = false;
    let mut pending: Vec<Event<'_>> = Vec::new();
    for (event, offset) in events {
        match (&event, offset) {
            (Event::Start(Tag::Link { .. } | Tag::Image { .. }), _) => in_link += 1,
            (Event::End(TagEnd::Link | TagEnd::Image), _) => in_link = in_link.saturating_sub(1),
            (Event::Start(Tag::Heading { .. }), _) => in_heading = true,
            (Event::End(TagEnd::Heading(_)), _) => in_heading = false,
            (Event::Text(text), Some(offset)) if in_link == 0 && !in_heading => {
                let mut linked = String::new();
                push_linked(&mut linked, text, offset, links);
                pending.push(Event::InlineHtml(linked.into()));
                continue;
            }
            _ => {}
        }
        pending.push(event);
    }
    html::push_html(&mut out, pending.into_iter());
    out
}

/// Appends `text` HTML-escaped (`&`, `<`, `>`, `"` and `'`), copying the
/// runs between those characters whole: eight bytes are checked at a time,
/// and the first special byte among them is found without a byte loop.
pub fn escape_into(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        let at = match bytes.get(i..i + 8) {
            Some(chunk) => {
                let mask = special_bytes(u64::from_le_bytes(chunk.try_into().unwrap_or_default()));
                if mask == 0 {
                    i += 8;
                    continue;
                }
                i + (mask.trailing_zeros() / 8) as usize
            }
            None if entity_of(bytes[i]).is_some() => i,
            None => {
                i += 1;
                continue;
            }
        };
        let entity = entity_of(bytes[at]).unwrap_or_default();
        out.push_str(&text[run..at]);
        out.push_str(entity);
        i = at + 1;
        run = i;
    }
    out.push_str(&text[run..]);
}

/// The entity that replaces `byte` in escaped text, if it is replaced.
fn entity_of(byte: u8) -> Option<&'static str> {
    match byte {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&#39;"),
        _ => None,
    }
}

/// A mask whose lowest set bit is the high bit of the first byte of `word`
/// (little-endian) that HTML escaping replaces; zero when there is none.
/// (Bits above the lowest may be false positives; only the lowest is used.)
fn special_bytes(word: u64) -> u64 {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_bytes = |b: u8| {
        let x = word ^ (LOW * b as u64);
        x.wrapping_sub(LOW) & !x & HIGH
    };
    zero_bytes(b'&') | zero_bytes(b'<') | zero_bytes(b'>') | zero_bytes(b'"') | zero_bytes(b'\'')
}

/// `text` HTML-escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

/// Renders site-owned Markdown (the footer) to HTML; raw HTML only when allowed.
pub fn render_site_markdown(source: &str, allow_raw_html: bool) -> String {
    render_markdown(source, &[], allow_raw_html)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(start: usize, end: usize) -> SpanLink<'static> {
        SpanLink { start, end, root: "../", path: "people/x/" }
    }

    #[test]
    fn escaping_equals_replacing_each_special_character() {
        let naive = |t: &str| {
            t.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
                .replace('\'', "&#39;")
        };
        let pieces = ["a", "&", "<", ">", "\"", "'", "é", "naïve words ", "\u{1F600}", "0123456789"];
        // Every special character at every offset within and across eight-byte words.
        for len in 0..40 {
            for seed in 0..pieces.len() {
                let text: String = (0..len).map(|i| pieces[(i * 7 + seed * 3) % pieces.len()]).collect();
                assert_eq!(escape(&text), naive(&text), "{text:?}");
            }
        }
        assert_eq!(escape("O'Brien & <Sons>"), "O&#39;Brien &amp; &lt;Sons&gt;");
        // Runs of specials and their neighbouring byte values (where a
        // word-at-a-time check could misplace a match).
        let near = ['%', '&', '\'', '(', ';', '<', '=', '>', '?', '!', '"', '#', 'a'];
        let mut state = 0x2545_f491_u32;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let len = state as usize % 24;
            let text: String =
                (0..len).map(|k| near[(state.rotate_left(k as u32 * 3) as usize) % near.len()]).collect();
            assert_eq!(escape(&text), naive(&text), "{text:?}");
        }
    }

    #[test]
    fn paragraphs_are_escaped_and_linked() {
        let html = render_body(&Body::Paragraphs, "A <b>tag</b> & more\n\nZelensky spoke", &[link(21, 29)], false);
        assert_eq!(
            html,
            "<p>A &lt;b&gt;tag&lt;/b&gt; &amp; more</p>\n<p><a class=\"entity\" href=\"../people/x/\">Zelensky</a> spoke</p>\n"
        );
    }

    #[test]
    fn markdown_links_mentions_but_not_inside_links() {
        let src = "Zelensky met [Zelensky](https://x.org) in *Kyiv*.";
        // plain text: "Zelensky met Zelensky in Kyiv."
        let html = render_body(&Body::Markdown(src.into()), "", &[link(0, 8), link(13, 21), link(25, 29)], false);
        assert!(
            html.starts_with(
                "<p><a class=\"entity\" href=\"../people/x/\">Zelensky</a> met <a href=\"https://x.org\">Zelensky</a>"
            ),
            "{html}"
        );
        assert!(html.contains("<em><a class=\"entity\""), "{html}");
    }

    #[test]
    fn raw_html_is_escaped_unless_allowed() {
        let src = "Hello <script>alert(1)</script>\n\n<div onclick=\"x\">hi</div>\n";
        let html = render_body(&Body::Markdown(src.into()), "", &[], false);
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<div"), "{html}");
        let html = render_body(&Body::Markdown(src.into()), "", &[], true);
        assert!(html.contains("<div onclick"), "{html}");
    }
}
