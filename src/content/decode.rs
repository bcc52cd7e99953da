//! Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, and a
//! Windows-1252 fallback for legacy exports. Line endings become `\n`.

/// Decoded text, with a note when the bytes were not UTF-8.
#[derive(Debug, PartialEq, Eq)]
pub struct Decoded {
    /// The text, `\n` line endings, no BOM.
    pub text: String,
    /// Set when a fallback encoding was used: what was done and where.
    pub note: Option<(usize, String)>,
}

/// Why a file cannot be read as an article.
#[derive(Debug, PartialEq, Eq)]
pub enum Unreadable {
    /// No bytes, or only white space.
    Empty,
    /// NUL bytes: an image, archive or other binary file.
    Binary,
}

/// Decodes article bytes; see the module documentation.
pub fn decode(bytes: &[u8]) -> Result<Decoded, Unreadable> {
    let (text, note) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        decode_utf8_or_1252(rest)
    } else if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let encoding = if bytes[0] == 0xFF { encoding_rs::UTF_16LE } else { encoding_rs::UTF_16BE };
        let (text, _, had_errors) = encoding.decode(bytes);
        let note = had_errors.then(|| (1, "invalid UTF-16 sequences were replaced with U+FFFD".to_string()));
        (text.into_owned(), note)
    } else {
        if bytes.contains(&0) {
            return Err(Unreadable::Binary);
        }
        decode_utf8_or_1252(bytes)
    };
    if text.trim().is_empty() {
        return Err(Unreadable::Empty);
    }
    Ok(Decoded { text: normalize_newlines(text), note })
}

fn decode_utf8_or_1252(bytes: &[u8]) -> (String, Option<(usize, String)>) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), None),
        Err(e) => {
            let line = bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (text.into_owned(), Some((line, "not valid UTF-8; decoded as Windows-1252 (Latin-1)".to_string())))
        }
    }
}

fn normalize_newlines(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_bom_and_crlf() {
        let d = decode(b"\xEF\xBB\xBFTitle\r\n\r\nBody\r\n").unwrap();
        assert_eq!(d.text, "Title\n\nBody\n");
        assert_eq!(d.note, None);
    }

    #[test]
    fn latin1_fallback_names_the_line() {
        let d = decode(b"Title\n\nCaf\xe9 \x93quoted\x94\n").unwrap();
        assert_eq!(d.text, "Title\n\nCafé “quoted”\n");
        let (line, msg) = d.note.unwrap();
        assert_eq!(line, 3);
        assert!(msg.contains("Windows-1252"));
    }

    #[test]
    fn utf16_with_bom() {
        let bytes: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("Hi\r\nthere".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(decode(&bytes).unwrap().text, "Hi\nthere");
    }

    #[test]
    fn empty_and_binary() {
        assert_eq!(decode(b""), Err(Unreadable::Empty));
        assert_eq!(decode(b" \n\t\n"), Err(Unreadable::Empty));
        assert_eq!(decode(b"\x89PNG\r\n\x1a\n\0\0\0"), Err(Unreadable::Binary));
    }
}
