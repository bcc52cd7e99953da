//! Where a mention is in the file as it is on disk. Mentions are found in
//! [`Article::entity_text`] (the body as plain text, then the caption);
//! people who tune an archive want to find them in the file itself, whose
//! bytes may be UTF-16 or Windows-1252, with CRLF line endings, a header,
//! front matter and Markdown around the words. Each name is looked up in
//! the decoded file in reading order (the caption in the header, the rest
//! after it), allowing any run of white space between its words, and the
//! place found is turned back into byte offsets of the original bytes.

use super::Article;
use super::decode::decode;

/// The byte range in the file of each span of [`Article::entity_text`]
/// (spans in text order), or `None` when the name cannot be found there
/// as written (a name split by Markdown markup).
pub fn file_offsets(bytes: &[u8], article: &Article, spans: &[(usize, usize)]) -> Vec<Option<(usize, usize)>> {
    let Ok(decoded) = decode(bytes) else { return vec![None; spans.len()] };
    let file = decoded.text.as_str();
    let body_from = body_start(file);
    let caption_from = article.text.len() + 2;
    let mut cursor = body_from;
    let found: Vec<Option<(usize, usize)>> = spans
        .iter()
        .map(|&(start, end)| {
            let name = article.entity_slice(start, end);
            if article.caption.is_some() && start >= caption_from {
                return find_name(file, name, 0).filter(|&(s, _)| s < body_from.max(1));
            }
            let at = find_name(file, name, cursor).or_else(|| find_name(file, name, body_from));
            if let Some((_, e)) = at {
                cursor = e;
            }
            at
        })
        .collect();
    let mut positions: Vec<usize> = found.iter().flatten().flat_map(|&(s, e)| [s, e]).collect();
    positions.sort_unstable();
    positions.dedup();
    let bytes_at = original_offsets(bytes, file, &positions);
    let map = |p: usize| bytes_at[positions.binary_search(&p).unwrap_or(0)];
    found.into_iter().map(|f| f.map(|(s, e)| (map(s), map(e)))).collect()
}

/// Where the body starts in a decoded file: after front matter, else after
/// the first blank line (the end of a header or headline), else at the top.
fn body_start(file: &str) -> usize {
    if let Some(rest) = file.strip_prefix("+++")
        && let Some(close) = rest.find("\n+++")
    {
        return 3 + close + 4;
    }
    file.find("\n\n").map_or(0, |i| i + 2)
}

/// The first place from `from` where `name` is written as a whole word
/// sequence, any white space between its words.
fn find_name(file: &str, name: &str, from: usize) -> Option<(usize, usize)> {
    let words: Vec<&str> = name.split_whitespace().collect();
    let first = *words.first()?;
    let mut at = from;
    while let Some(found) = file.get(at..)?.find(first) {
        let start = at + found;
        let mut end = start + first.len();
        let mut ok = true;
        for w in &words[1..] {
            let gap = file[end..].len() - file[end..].trim_start().len();
            if gap == 0 || !file[end + gap..].starts_with(w) {
                ok = false;
                break;
            }
            end += gap + w.len();
        }
        let before = file[..start].chars().next_back();
        let after = file[end..].chars().next();
        if ok && !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            return Some((start, end));
        }
        at = start + first.len();
    }
    None
}

/// The byte offset in the original `bytes` of each position (sorted) in
/// their decoded text `file`, undoing what decoding did: a byte-order
/// mark, CR and CRLF line endings, UTF-16 or Windows-1252.
fn original_offsets(bytes: &[u8], file: &str, positions: &[usize]) -> Vec<usize> {
    enum Encoding {
        Utf8,
        Utf16,
        SingleByte,
    }
    let (mut at, encoding) = if bytes.starts_with(b"\xEF\xBB\xBF") {
        let rest = &bytes[3..];
        (3, if std::str::from_utf8(rest).is_ok() { Encoding::Utf8 } else { Encoding::SingleByte })
    } else if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        (2, Encoding::Utf16)
    } else {
        (0, if std::str::from_utf8(bytes).is_ok() { Encoding::Utf8 } else { Encoding::SingleByte })
    };
    let big_endian = bytes.starts_with(b"\xFE\xFF");
    let unit = |c: char| match encoding {
        Encoding::Utf8 => c.len_utf8(),
        Encoding::Utf16 => 2 * c.len_utf16(),
        Encoding::SingleByte => 1,
    };
    // Whether the original has the ASCII character `c` at `at`.
    let has = |at: usize, c: u8| match encoding {
        Encoding::Utf16 if big_endian => bytes.get(at..at + 2) == Some(&[0, c][..]),
        Encoding::Utf16 => bytes.get(at..at + 2) == Some(&[c, 0][..]),
        _ => bytes.get(at) == Some(&c),
    };
    let mut out = Vec::with_capacity(positions.len());
    let mut next = positions.iter().peekable();
    for (i, c) in file.char_indices() {
        while next.peek().is_some_and(|&&p| p <= i) {
            out.push(at);
            next.next();
        }
        if c == '\n' && has(at, b'\r') {
            // "\r\n" or a lone "\r" became "\n".
            at += unit('\r');
            if has(at, b'\n') {
                at += unit('\n');
            }
            continue;
        }
        at += unit(c);
    }
    out.resize(positions.len(), at);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::parse::parse_alone;
    use std::path::Path;

    fn offsets_of(bytes: &[u8], name: &str, names: &[&str]) -> Vec<Option<(usize, usize)>> {
        let (article, _) = parse_alone(Path::new(name), bytes);
        let article = article.expect("an article");
        let text = article.entity_text();
        let mut spans = Vec::new();
        let mut from = 0;
        for n in names {
            let start = text[from..].find(n).expect("in the text") + from;
            spans.push((start, start + n.len()));
            from = start + n.len();
        }
        file_offsets(bytes, &article, &spans)
    }

    fn check(bytes: &[u8], name: &str, names: &[&str], decode_back: impl Fn(&[u8]) -> String) {
        let found = offsets_of(bytes, name, names);
        for (n, at) in names.iter().zip(&found) {
            let (s, e) = at.unwrap_or_else(|| panic!("{n} not found in {name}"));
            assert_eq!(decode_back(&bytes[s..e]), *n, "{name}");
        }
    }

    #[test]
    fn spans_point_into_the_file_as_it_is_on_disk() {
        let header = " date 2022-02-28 Zelensky in Kyiv. (Photo/Reuters)\r\n\r\nTalks began in Kyiv and Minsk.\r\n\r\nKyiv said no to Ann\r\nLee.\r\n";
        let utf8 = |b: &[u8]| String::from_utf8(b.to_vec()).unwrap();
        let names = ["Kyiv", "Minsk", "Kyiv", "Zelensky", "Kyiv", "Reuters"];
        check(header.as_bytes(), "a.txt", &names, utf8);
        let found = offsets_of(header.as_bytes(), "a.txt", &["Ann Lee"]);
        assert_eq!(found[0].map(|(s, e)| &header[s..e]), Some("Ann\r\nLee"), "any white space between the words");
        let bom: Vec<u8> = [b"\xEF\xBB\xBF".as_slice(), header.as_bytes()].concat();
        check(&bom, "b.txt", &["Minsk", "Kyiv", "Reuters"], utf8);
        let markdown = "+++\ntitle = \"Talks in Kyiv\"\ndate = 2022-03-01\n+++\n\nTalks in **Kyiv** with *Ann Lee*.\n";
        check(markdown.as_bytes(), "c.md", &["Kyiv", "Ann Lee"], utf8);
        assert_eq!(offsets_of(markdown.as_bytes(), "c.md", &["Kyiv"])[0], markdown.find("Kyiv**").map(|s| (s, s + 4)));
        let latin1 = b"Talks in Z\xfcrich\nDate: 2022-03-01\n\nRain in Z\xfcrich and Bern.\n";
        check(latin1, "d.txt", &["Zürich", "Bern"], |b| b.iter().map(|&c| c as char).collect());
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(
                "Talks in Kyiv\r\nDate: 2022-03-01\r\n\r\nRain in Kyiv and Lviv.\r\n"
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes),
            )
            .collect();
        check(&utf16, "e.txt", &["Kyiv", "Lviv"], |b| {
            String::from_utf16(&b.chunks(2).map(|p| u16::from_le_bytes([p[0], p[1]])).collect::<Vec<_>>()).unwrap()
        });
    }
}
