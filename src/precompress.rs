//! Precompressed copies of the output (`[output] precompress`): beside
//! `page/index.html`, `page/index.html.br` and `page/index.html.gz`, for
//! servers that send a file's compressed copy as it is instead of
//! compressing on every request (nginx `gzip_static` and `brotli_static`, a
//! bucket whose objects carry `Content-Encoding`). Only text files of at
//! least [`MIN_BYTES`] get copies, and only when the copy is smaller.

use std::io::Write;

use serde::Deserialize;

/// Files smaller than this (they fit one network packet as they are) get no
/// compressed copy.
pub const MIN_BYTES: usize = 1024;

/// Brotli quality. Measured on gazette's pages: qualities 5 to 9 give the
/// same size (36% of the page), 9 at a ninth of 5's speed (2.4 against
/// 21 MB/s); 11 is 14% smaller at 0.8 MB/s, too slow for a cold build of
/// a hundred thousand pages.
const BROTLI_QUALITY: u32 = 5;

/// Gzip level: 9 gives the same size as the default 6, more slowly.
const GZIP_LEVEL: u32 = 6;

/// Brotli window: 2^22 bytes, more than any page gazette writes.
const BROTLI_WINDOW: u32 = 22;

/// One content encoding a copy can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
pub enum Encoding {
    /// Brotli, `name.br` (`Content-Encoding: br`).
    #[serde(rename = "br")]
    Brotli,
    /// Gzip, `name.gz` (`Content-Encoding: gzip`).
    #[serde(rename = "gz")]
    Gzip,
}

impl Encoding {
    /// Every encoding a copy can have.
    pub const ALL: [Encoding; 2] = [Encoding::Brotli, Encoding::Gzip];

    /// The suffix the copy's name adds to the file's name.
    pub fn suffix(self) -> &'static str {
        match self {
            Encoding::Brotli => ".br",
            Encoding::Gzip => ".gz",
        }
    }

    /// A number that tells this encoding's copies apart in the build record.
    pub fn tag(self) -> u64 {
        match self {
            Encoding::Brotli => 0x6272,
            Encoding::Gzip => 0x677a,
        }
    }

    /// `bytes` compressed.
    pub fn compress(self, bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(bytes.len() / 3);
        match self {
            Encoding::Brotli => {
                let params = brotli::enc::BrotliEncoderParams {
                    quality: BROTLI_QUALITY as i32,
                    lgwin: BROTLI_WINDOW as i32,
                    ..Default::default()
                };
                let mut input = bytes;
                // Writing into a Vec cannot fail.
                let _ = brotli::BrotliCompress(&mut input, &mut out, &params);
            }
            Encoding::Gzip => {
                let mut encoder = flate2::write::GzEncoder::new(out, flate2::Compression::new(GZIP_LEVEL));
                let _ = encoder.write_all(bytes);
                out = encoder.finish().unwrap_or_default();
            }
        }
        out
    }
}

/// The path of the file that `path` is a compressed copy of, if it is one
/// (by its name: `a/index.html.gz` is a copy of `a/index.html`).
pub fn original_of(path: &str) -> Option<&str> {
    Encoding::ALL.iter().find_map(|e| path.strip_suffix(e.suffix()))
}

/// Whether a file of this path and size gets compressed copies: text
/// (pages, feeds, data, styles, scripts) of at least [`MIN_BYTES`].
pub fn worth_compressing(path: &str, size: usize) -> bool {
    const TEXT: &[&str] = &["html", "xml", "json", "css", "js", "txt", "svg", "bib", "csv", "webmanifest", "map"];
    size >= MIN_BYTES && path.rsplit_once('.').is_some_and(|(_, ext)| TEXT.contains(&ext))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn copies_decompress_to_the_file() {
        let page = "<p>The council met on Tuesday.</p>\n".repeat(100);
        let mut unbrotli = Vec::new();
        let brotli = Encoding::Brotli.compress(page.as_bytes());
        brotli::BrotliDecompress(&mut brotli.as_slice(), &mut unbrotli).unwrap();
        assert_eq!(unbrotli, page.as_bytes());
        let gzip = Encoding::Gzip.compress(page.as_bytes());
        let mut ungzip = Vec::new();
        flate2::read::GzDecoder::new(gzip.as_slice()).read_to_end(&mut ungzip).unwrap();
        assert_eq!(ungzip, page.as_bytes());
        assert!(brotli.len() < page.len() / 5 && gzip.len() < page.len() / 5, "repetitive text compresses well");
    }

    #[test]
    fn only_text_files_of_a_kilobyte_or_more_are_worth_compressing() {
        assert!(worth_compressing("a/index.html", 4096));
        assert!(worth_compressing("search/d/3.json", MIN_BYTES));
        assert!(!worth_compressing("a/index.html", MIN_BYTES - 1));
        assert!(!worth_compressing("photo.jpg", 1 << 20));
        assert!(!worth_compressing("README", 4096));
    }

    #[test]
    fn a_copy_names_its_original() {
        assert_eq!(original_of("a/index.html.br"), Some("a/index.html"));
        assert_eq!(original_of("atom.xml.gz"), Some("atom.xml"));
        assert_eq!(original_of("a/index.html"), None);
    }
}
