//! Full-text search for static hosting: an index gazette writes beside the
//! site, sharded so that a query downloads only what it needs, read by
//! `static/search.js` in the browser.
//!
//! Files, under `search/` in the output folder:
//!
//! - `index.json`: format, number of articles, chunk size, number of term
//!   shards, and the range of article ids of each year (ids follow the
//!   archive's date order).
//! - `t/N.bin`: term shard N (see [`tokens::shard_of`]): every term whose
//!   hash falls in it, with the articles it occurs in and a BM25 impact
//!   score per article. Entities with pages are indexed as terms too
//!   (`=people/volodymyr-zelensky/`), which makes entity filters one more lookup.
//! - `d/N.json`: path, headline, date, snippet and main entities of
//!   [`DOCS_PER_CHUNK`] articles, fetched only for the results shown.
//!
//! A one-word query downloads `index.json`, one shard and the chunks of
//! the results shown.

pub mod index;
pub mod tokens;

pub use index::SearchIndex;

/// Version of the file layout; `search.js` refuses other versions.
pub const FORMAT: u32 = 1;

/// Articles per document chunk.
pub const DOCS_PER_CHUNK: usize = 16;

/// Whether a site's terms fold plurals: the S-stemmer knows only English.
pub fn stems(config: &crate::config::Config) -> bool {
    config.language.to_ascii_lowercase().starts_with("en")
}
