//! Full-text search for static hosting: an index gazette writes beside the
//! site, sharded so that a query downloads only what it needs, read by
//! `static/search.js` in the browser.
//!
//! Files, under `search/` in the output folder:
//!
//! - `index.json`: format, number of articles, chunk size, numbers of term
//!   and entity shards, and the ranges of article ids of each year and of
//!   each month (ids follow the archive's date order, so a date range is
//!   a range of ids).
//! - `t/N.bin`: term shard N (see [`tokens::shard_of`]): every word whose
//!   hash falls in it, with the articles it occurs in and a BM25 impact
//!   score per article.
//! - `e/N.bin`: entity shard N, in the same format: the keys of entities
//!   with pages (`=people/volodymyr-zelensky/`) and of sections, which
//!   makes an entity filter, and the exact count of a facet, one small
//!   lookup each.
//! - `d/N.json`: path, headline, date, snippet and main entities of
//!   `[search] articles_per_file` articles (16 by default), fetched only
//!   for the results shown.
//!
//! A one-word query downloads `index.json`, one term shard, the chunks of
//! the results shown and, to count the entity filters it offers, their
//! entity shards.

pub mod index;
pub mod tokens;

pub use index::SearchIndex;

/// Version of the file layout; `search.js` refuses other versions.
pub const FORMAT: u32 = 3;

/// Whether a site's terms fold plurals: the S-stemmer knows only English.
pub fn stems(config: &crate::config::Config) -> bool {
    config.language.to_ascii_lowercase().starts_with("en")
}
