//! Building the search index from the archive and encoding its files.
//!
//! Postings are built in one pass over the articles: each thread indexes a
//! run of consecutive articles, and the runs' postings are then joined in
//! order (a join re-encodes only the first gap). They are kept encoded, a
//! few bytes per article a term occurs in: the whole index of 100,000
//! articles fits in tens of megabytes.

use chrono::Datelike as _;
use rayon::prelude::*;
use serde_json::{Value, json};

use super::FORMAT;
use super::tokens::{for_each_term, shard_of};
use crate::archive::{Archive, ArticleId, Entity, EntityId};
use crate::entity_kind::EntityKind;
use crate::hash::FastMap;

/// Articles per term shard: about 20 KB of postings per shard.
const ARTICLES_PER_SHARD: usize = 64;
/// Shards at least: a small site's words still come in small pieces.
const MIN_SHARDS: usize = 8;
/// Articles per entity shard: a few kilobytes of postings per shard.
const ARTICLES_PER_ENTITY_SHARD: usize = 256;
/// Entity shards at least.
const MIN_ENTITY_SHARDS: usize = 4;
/// Shards at most, so that a huge archive does not become millions of files.
const MAX_SHARDS: usize = 8192;
/// A headline word counts as this many body words.
const TITLE_WEIGHT: u32 = 3;
/// BM25 term-frequency saturation.
const K1: f32 = 1.2;
/// BM25 length normalisation.
const B: f32 = 0.75;
/// Entities listed with each result, offered as filters.
const ENTITIES_PER_RESULT: usize = 5;
/// Longest snippet stored per article, in bytes.
const SNIPPET_BYTES: usize = 200;

/// Term shards for an archive of `articles` articles (a power of two).
pub fn shard_count(articles: usize) -> u32 {
    (articles / ARTICLES_PER_SHARD).clamp(MIN_SHARDS, MAX_SHARDS).next_power_of_two() as u32
}

/// Entity shards for an archive of `articles` articles: the keys of
/// entities and sections (`=`…) apart from words, in shards small enough
/// that counting the results of several entity filters costs a few
/// kilobytes each.
pub fn entity_shard_count(articles: usize) -> u32 {
    (articles / ARTICLES_PER_ENTITY_SHARD).clamp(MIN_ENTITY_SHARDS, MAX_SHARDS).next_power_of_two() as u32
}

/// A file of postings: a term shard (`t/N.bin`) or an entity shard (`e/N.bin`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Shard {
    /// Term shard N: words.
    Terms(u32),
    /// Entity shard N: entity and section keys.
    Entities(u32),
}

/// The shard a key is filed in, for an archive of `articles` articles.
pub fn shard_for(key: &str, articles: usize) -> Shard {
    if key.starts_with('=') {
        Shard::Entities(shard_of(key, entity_shard_count(articles)))
    } else {
        Shard::Terms(shard_of(key, shard_count(articles)))
    }
}

/// Document chunks for an archive of `articles` articles, `per` to a chunk.
pub fn chunk_count(articles: usize, per: usize) -> u32 {
    articles.div_ceil(per.max(1)) as u32
}

/// The key under which the articles that mention an entity are indexed:
/// `=` and the entity page's path, which no word can spell.
pub fn entity_key(path: &str) -> String {
    format!("={path}")
}

/// The inverted index of an archive: for each term (and entity), the
/// articles it occurs in with a score.
pub struct SearchIndex {
    shards: u32,
    docs: u32,
    /// Every term, sorted by shard then term.
    terms: Vec<TermEntry>,
}

struct TermEntry {
    shard: Shard,
    term: Box<str>,
    postings: Postings,
}

/// One term's postings, encoded as it is built: per article, the gap from
/// the previous article id (LEB128) and a one-byte impact score.
#[derive(Default)]
struct Postings {
    count: u32,
    /// Id of the last article added (the next gap counts from it).
    last: u32,
    bytes: Vec<u8>,
    /// The article being counted and its term frequency so far.
    pending: Option<(u32, u32)>,
    /// An entity or section key: its impact is its count of mentions
    /// (filters do not score), so that no edit elsewhere changes it.
    unscored: bool,
}

impl Postings {
    /// Appends the postings of a later run of articles (all after `self`'s).
    fn append(&mut self, later: Postings) {
        if later.count == 0 {
            return;
        }
        if self.count == 0 {
            *self = later;
            return;
        }
        let mut at = 0;
        let first = read_varint(&later.bytes, &mut at);
        write_varint(&mut self.bytes, first - self.last);
        self.bytes.extend_from_slice(&later.bytes[at..]);
        self.count += later.count;
        self.last = later.last;
    }

    fn count_in(&mut self, doc: u32, weight: u32, lengths: &Lengths) {
        match &mut self.pending {
            Some((d, tf)) if *d == doc => *tf += weight,
            _ => {
                self.flush(lengths);
                self.pending = Some((doc, weight));
            }
        }
    }

    fn flush(&mut self, lengths: &Lengths) {
        if let Some((doc, tf)) = self.pending.take() {
            let gap = if self.count == 0 { doc } else { doc - self.last };
            write_varint(&mut self.bytes, gap);
            self.bytes.push(if self.unscored { tf.clamp(1, 255) as u8 } else { lengths.impact(doc, tf) });
            self.last = doc;
            self.count += 1;
        }
    }
}

/// The length of an article for BM25, in bytes of text (headline weighted).
fn article_length(article: &crate::content::Article) -> usize {
    (article.title.len() * TITLE_WEIGHT as usize + article.text.len()).max(1)
}

/// Steps of the average length per doubling: averages are rounded to
/// them, so that an edit to one article changes the impacts of the others
/// (every shard) only when it moves the average across a step (about 2 %).
const AVERAGE_STEPS: f64 = 32.0;

/// The average article length BM25 normalises by, rounded to a step of
/// [`AVERAGE_STEPS`]: `serve` re-renders every shard when an edit changes it.
pub fn quantized_average(archive: &Archive) -> f32 {
    let total: usize = archive.articles.iter().map(|a| article_length(a)).sum();
    let average = (total as f64 / archive.articles.len().max(1) as f64).max(1.0);
    2f64.powf((average.log2() * AVERAGE_STEPS).round() / AVERAGE_STEPS) as f32
}

/// Article lengths for BM25, in bytes of text (headline weighted).
struct Lengths {
    of: Vec<f32>,
    average: f32,
}

impl Lengths {
    fn new(archive: &Archive) -> Lengths {
        let of: Vec<f32> = archive.articles.iter().map(|a| article_length(a) as f32).collect();
        Lengths { average: quantized_average(archive), of }
    }

    /// BM25's term-frequency part, scaled to 1..=255.
    fn impact(&self, doc: u32, tf: u32) -> u8 {
        let tf = tf as f32;
        let norm = K1 * (1.0 - B + B * self.of[doc as usize] / self.average);
        let weight = tf * (K1 + 1.0) / (tf + norm);
        (weight / (K1 + 1.0) * 255.0).ceil().clamp(1.0, 255.0) as u8
    }
}

fn read_varint(bytes: &[u8], at: &mut usize) -> u32 {
    let mut value = 0u32;
    let mut shift = 0;
    loop {
        let b = bytes[*at];
        *at += 1;
        value |= u32::from(b & 0x7f) << shift;
        if b < 0x80 {
            return value;
        }
        shift += 7;
    }
}

fn write_varint(out: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

impl SearchIndex {
    /// Indexes every article's headline and text, and the entities with pages it mentions.
    /// Plurals are folded when `stem` is set (see [`super::stems`]).
    pub fn build(archive: &Archive, stem: bool) -> SearchIndex {
        let articles = archive.articles.len();
        let shards = shard_count(articles);
        // Term shards, then entity shards.
        let files = (shards + entity_shard_count(articles)) as usize;
        let file_of = |shard: Shard| match shard {
            Shard::Terms(n) => n as usize,
            Shard::Entities(n) => (shards + n) as usize,
        };
        let shard_at = |file: usize| match file as u32 {
            n if n < shards => Shard::Terms(n),
            n => Shard::Entities(n - shards),
        };
        let lengths = Lengths::new(archive);
        let entity_keys: Vec<Option<String>> =
            (0..archive.entities.len()).map(|id| archive.entity_path(id).map(|path| entity_key(&path))).collect();
        let section_keys: Vec<String> =
            (0..archive.sections.len()).map(|id| entity_key(&archive.section_path(id))).collect();
        let keys = Keys { entities: &entity_keys, sections: &section_keys };
        // Several runs per thread, so that a thread busy elsewhere delays none for long.
        let runs = rayon::current_num_threads().max(1) * 4;
        let run_len = archive.articles.len().div_ceil(runs).max(1);
        // Each run's terms, filed by shard.
        let by_run: Vec<Vec<ShardTerms>> = (0..runs)
            .into_par_iter()
            .map(|run| {
                let ids =
                    (run * run_len).min(archive.articles.len())..((run + 1) * run_len).min(archive.articles.len());
                let mut by_shard: Vec<ShardTerms> = (0..files).map(|_| Vec::new()).collect();
                for (term, postings) in index_run(archive, &lengths, &keys, ids, stem) {
                    by_shard[file_of(shard_for(&term, articles))].push((term, postings));
                }
                by_shard
            })
            .collect();
        // The same, by shard then run (moving lists, not terms).
        let mut by_shard: Vec<Vec<ShardTerms>> = (0..files).map(|_| Vec::with_capacity(runs)).collect();
        for run in by_run {
            for (shard, list) in run.into_iter().enumerate() {
                by_shard[shard].push(list);
            }
        }
        // Each shard's terms in order, the runs' postings of a term joined in article order.
        let by_shard: Vec<Vec<TermEntry>> = by_shard
            .into_par_iter()
            .enumerate()
            .map(|(shard, runs)| {
                let mut found: Vec<(Box<str>, Postings)> = runs.into_iter().flatten().collect();
                // Stable: a term's postings stay in run (article) order.
                found.sort_by(|a, b| a.0.cmp(&b.0));
                let mut entries: Vec<TermEntry> = Vec::with_capacity(found.len());
                for (term, postings) in found {
                    match entries.last_mut() {
                        Some(last) if last.term == term => last.postings.append(postings),
                        _ => entries.push(TermEntry { shard: shard_at(shard), term, postings }),
                    }
                }
                entries
            })
            .collect();
        let terms = by_shard.into_iter().flatten().collect();
        SearchIndex { shards, docs: archive.articles.len() as u32, terms }
    }

    /// Number of term shards.
    pub fn shards(&self) -> u32 {
        self.shards
    }

    /// The bytes of a shard: its terms (or keys) in order, each as LEB128
    /// byte length and UTF-8 bytes, LEB128 article count, one byte of
    /// encoding, LEB128 byte length of the postings, then the postings:
    ///
    /// - encoding 0 (sparse): per article, the LEB128 gap from the previous
    ///   article id (the first is the id itself) and a one-byte impact;
    /// - encoding 1 (dense, for words in many articles): a bitmap of all
    ///   articles (bit `i % 8` of byte `i / 8`), then a 4-bit impact per
    ///   article that has it, low half of each byte first (impact = 17 × n);
    /// - encodings 2 and 3, for entity and section keys (filters, which do
    ///   not score): the articles alone, as gaps (2) or as the bitmap (3),
    ///   whichever is smaller: no key's list is larger than the bitmap.
    pub fn shard_file(&self, shard: Shard) -> Vec<u8> {
        let start = self.terms.partition_point(|e| e.shard < shard);
        let end = self.terms.partition_point(|e| e.shard <= shard);
        let mut out = Vec::new();
        for entry in &self.terms[start..end] {
            write_varint(&mut out, entry.term.len() as u32);
            out.extend_from_slice(entry.term.as_bytes());
            write_varint(&mut out, entry.postings.count);
            let (encoding, bytes) = if entry.postings.unscored {
                articles_only(&entry.postings, self.docs)
            } else {
                match dense_postings(&entry.postings, self.docs) {
                    Some(dense) if dense.len() < entry.postings.bytes.len() => (1, std::borrow::Cow::Owned(dense)),
                    _ => (0, std::borrow::Cow::Borrowed(entry.postings.bytes.as_slice())),
                }
            };
            out.push(encoding);
            write_varint(&mut out, bytes.len() as u32);
            out.extend_from_slice(&bytes);
        }
        out
    }
}

/// The dense encoding of a term in at least one article in 16 (where a bitmap
/// is smaller than gaps), else `None`.
fn dense_postings(postings: &Postings, docs: u32) -> Option<Vec<u8>> {
    if postings.count < docs / 16 {
        return None;
    }
    let bitmap_len = (docs as usize).div_ceil(8);
    let mut out = vec![0u8; bitmap_len + (postings.count as usize).div_ceil(2)];
    let (bitmap, impacts) = out.split_at_mut(bitmap_len);
    let bytes = &postings.bytes;
    let mut at = 0;
    let mut doc = 0u32;
    for i in 0..postings.count as usize {
        let gap = read_varint(bytes, &mut at);
        doc = if i == 0 { gap } else { doc + gap };
        bitmap[doc as usize / 8] |= 1 << (doc % 8);
        let nibble = bytes[at].div_ceil(17).clamp(1, 15);
        at += 1;
        impacts[i / 2] |= nibble << (4 * (i % 2));
    }
    Some(out)
}

/// The articles of postings without their impacts, in the smaller of two
/// encodings: gaps (2) or a bitmap of every article (3), made only when
/// the gaps take more bytes than it.
fn articles_only(postings: &Postings, docs: u32) -> (u8, std::borrow::Cow<'static, [u8]>) {
    let mut gaps = Vec::with_capacity(postings.bytes.len() / 2);
    let mut ids = Vec::with_capacity(postings.count as usize);
    let (bytes, mut at, mut doc) = (&postings.bytes, 0, 0u32);
    for i in 0..postings.count {
        let gap = read_varint(bytes, &mut at);
        at += 1; // the impact
        doc = if i == 0 { gap } else { doc + gap };
        write_varint(&mut gaps, gap);
        ids.push(doc);
    }
    let bitmap_len = (docs as usize).div_ceil(8);
    if gaps.len() <= bitmap_len {
        return (2, gaps.into());
    }
    let mut bitmap = vec![0u8; bitmap_len];
    for doc in ids {
        bitmap[doc as usize / 8] |= 1 << (doc % 8);
    }
    (3, bitmap.into())
}

/// One shard's terms with their postings, as one run of articles found them.
type ShardTerms = Vec<(Box<str>, Postings)>;

/// Postings by term, as one run of articles builds them.
type TermMap = FastMap<Box<str>, Postings>;

/// The keys articles are indexed under besides their words: of each
/// entity with a page, and of each section.
struct Keys<'a> {
    entities: &'a [Option<String>],
    sections: &'a [String],
}

/// Indexes a run of consecutive articles.
fn index_run(
    archive: &Archive,
    lengths: &Lengths,
    keys: &Keys<'_>,
    run: std::ops::Range<usize>,
    stem: bool,
) -> TermMap {
    let mut terms = TermMap::default();
    let mut scratch = String::new();
    let add = |term: &str, doc: u32, weight: u32, terms: &mut TermMap| match terms.get_mut(term) {
        Some(postings) => postings.count_in(doc, weight, lengths),
        None => {
            let mut postings = Postings { unscored: term.starts_with('='), ..Postings::default() };
            postings.count_in(doc, weight, lengths);
            terms.insert(term.into(), postings);
        }
    };
    for id in run {
        let article = &archive.articles[id];
        let doc = id as u32;
        for_each_term(&article.title, &mut scratch, stem, |t| add(t, doc, TITLE_WEIGHT, &mut terms));
        for_each_term(&article.text, &mut scratch, stem, |t| add(t, doc, 1, &mut terms));
        for ae in &archive.article_entities[id] {
            if let Some(key) = &keys.entities[ae.entity] {
                add(key, doc, ae.spans.len().max(1) as u32, &mut terms);
            }
        }
        if let Some(section) = archive.section_of(id) {
            add(&keys.sections[section], doc, 1, &mut terms);
        }
    }
    for postings in terms.values_mut() {
        postings.flush(lengths);
    }
    terms
}

/// The shards that hold an article's words and entities: what changes
/// in the index when only that article's text changes.
pub fn article_shards(archive: &Archive, id: ArticleId, stem: bool) -> Vec<Shard> {
    let article = &archive.articles[id];
    let articles = archive.articles.len();
    let mut found = std::collections::BTreeSet::new();
    let mut scratch = String::new();
    for text in [&article.title, &article.text] {
        for_each_term(text, &mut scratch, stem, |t| {
            found.insert(shard_for(t, articles));
        });
    }
    for ae in &archive.article_entities[id] {
        if let Some(path) = archive.entity_path(ae.entity) {
            found.insert(shard_for(&entity_key(&path), articles));
        }
    }
    if let Some(section) = archive.section_of(id) {
        found.insert(shard_for(&entity_key(&archive.section_path(section)), articles));
    }
    found.into_iter().collect()
}

/// `search/index.json`: what the browser needs before its first query.
pub fn manifest_file(archive: &Archive, config: &crate::config::Config) -> Vec<u8> {
    let stem = super::stems(config);
    let mut years: Vec<(i32, usize, usize)> = Vec::new();
    // Articles are in date order, undated first: each year's are one run of ids.
    for (id, a) in archive.articles.iter().enumerate() {
        let Some(date) = a.date else { continue };
        match years.last_mut() {
            Some((year, _, count)) if *year == date.year_number() => *count += 1,
            _ => years.push((date.year_number(), id, 1)),
        }
    }
    // Within a year, articles dated to the month or day follow those dated only to the year.
    let mut months: Vec<(String, usize, usize)> = Vec::new();
    for (id, a) in archive.articles.iter().enumerate() {
        let Some(date) = a.date.filter(|d| d.precision != crate::content::Precision::Year) else { continue };
        let month = format!("{:04}-{:02}", date.first_day.year(), date.first_day.month());
        match months.last_mut() {
            Some((m, _, count)) if *m == month => *count += 1,
            _ => months.push((month, id, 1)),
        }
    }
    let value = json!({
        "format": FORMAT,
        "docs": archive.articles.len(),
        "chunk": config.search.articles_per_file,
        "shards": shard_count(archive.articles.len()),
        "entity_shards": entity_shard_count(archive.articles.len()),
        "stem": if stem { "s" } else { "" },
        "years": years.iter().map(|(y, first, count)| json!([y, first, count])).collect::<Vec<Value>>(),
        "months": months.iter().map(|(m, first, count)| json!([m, first, count])).collect::<Vec<Value>>(),
        "sections": (0..archive.sections.len())
            .map(|id| json!([archive.section_path(id), archive.sections[id].name, archive.sections[id].articles.len()]))
            .collect::<Vec<Value>>(),
    });
    value.to_string().into_bytes()
}

/// `search/d/N.json`: headline, path, date, snippet and main entities of
/// articles `N * per ..` (`[search] articles_per_file`), as arrays
/// `[path, title, date, snippet, [[kind, name, path], ...]]`.
pub fn chunk_file(archive: &Archive, chunk: u32, per: usize) -> Vec<u8> {
    let start = chunk as usize * per;
    let end = (start + per).min(archive.articles.len());
    let docs: Vec<Value> = (start..end).map(|id| doc_entry(archive, id)).collect();
    Value::from(docs).to_string().into_bytes()
}

fn doc_entry(archive: &Archive, id: ArticleId) -> Value {
    let a = &archive.articles[id];
    let kind_name = |e: &Entity| match e.kind {
        EntityKind::Person => Some("person"),
        EntityKind::Place => Some("place"),
        EntityKind::Organisation => Some("organisation"),
        EntityKind::Misc => None,
    };
    let listed = |e: &Entity| e.has_page && e.kind.section().is_some() && kind_name(e).is_some();
    let mut mentioned: Vec<(usize, EntityId)> = archive.article_entities[id]
        .iter()
        .filter(|ae| listed(&archive.entities[ae.entity]))
        .map(|ae| (ae.spans.len(), ae.entity))
        .collect();
    // Most mentioned first; the sort is stable, so ties keep reading order.
    mentioned.sort_by_key(|m| std::cmp::Reverse(m.0));
    let entities: Vec<Value> = mentioned
        .into_iter()
        .take(ENTITIES_PER_RESULT)
        .filter_map(|(_, entity)| {
            let e = &archive.entities[entity];
            Some(json!([kind_name(e)?, e.name, archive.entity_path(entity)?]))
        })
        .collect();
    let date = a.date.map(|d| d.iso()).unwrap_or_default();
    json!([archive.article_path(id), a.title, date, snippet(&a.summary), entities])
}

/// The summary cut at a word boundary to at most [`SNIPPET_BYTES`].
fn snippet(summary: &str) -> String {
    if summary.len() <= SNIPPET_BYTES {
        return summary.to_string();
    }
    let mut end = SNIPPET_BYTES;
    while !summary.is_char_boundary(end) {
        end -= 1;
    }
    let cut = summary[..end].rfind(' ').unwrap_or(end);
    format!("{}…", summary[..cut].trim_end_matches([',', ';', ':']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip() {
        for value in [0, 1, 127, 128, 300, 16_383, 16_384, u32::MAX] {
            let mut out = Vec::new();
            write_varint(&mut out, value);
            let mut decoded = 0u32;
            for (i, b) in out.iter().enumerate() {
                decoded |= u32::from(b & 0x7f) << (7 * i);
            }
            assert_eq!(decoded, value);
        }
    }

    #[test]
    fn shard_counts_grow_with_the_archive() {
        assert_eq!(shard_count(0), 8);
        assert_eq!(shard_count(171), 8);
        assert_eq!(shard_count(100_000), 2048);
        assert_eq!(shard_count(10_000_000), MAX_SHARDS as u32);
        assert_eq!(chunk_count(171, crate::config::DEFAULT_ARTICLES_PER_FILE), 11);
        assert_eq!(chunk_count(171, 64), 3);
    }

    #[test]
    fn snippets_are_cut_at_a_word() {
        let long = "word ".repeat(100);
        let cut = snippet(&long);
        assert!(cut.len() <= SNIPPET_BYTES + '…'.len_utf8() && cut.ends_with("word…"), "{cut}");
        assert_eq!(snippet("Short."), "Short.");
    }
}
