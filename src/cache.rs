//! The build cache, in `.gazette-cache/` beside site.toml: what extraction
//! found in each article, keyed by the file's bytes and the model, and a
//! manifest of the last build's inputs. Deleting the folder at any time
//! changes nothing but speed; a cache that is corrupt, from another version
//! or for another model is detected and ignored, never trusted.

use std::collections::HashMap;
use std::hash::Hasher;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::content::Article;
use crate::diagnostics::Diagnostic;
use crate::entities::Mention;
use crate::entity_kind::EntityKind;
use crate::hash::FastHasher;

/// Folder of the cache, relative to the site root.
pub const CACHE_DIR: &str = ".gazette-cache";
const MENTIONS_FILE: &str = "mentions.bin";
const MANIFEST_FILE: &str = "manifest.json";
const MAGIC: &[u8; 8] = b"GZCACHE3";

/// The checksum hashes a cache file in blocks of this many bytes, so that
/// the file can be written as it is encoded instead of whole in memory
/// (half a gigabyte for a million articles).
const CHECKSUM_BLOCK: usize = 1 << 16;

/// Mentions of earlier builds, by article and model.
#[derive(Debug, Default)]
pub struct Cache {
    dir: PathBuf,
    model: u64,
    /// Read the first time an article asks (a build that finds nothing
    /// changed never reads them).
    mentions: std::sync::OnceLock<HashMap<u64, Vec<Mention>>>,
}

/// What the last build read and wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// gazette's version.
    pub version: String,
    /// Hash of every input (decimal, to survive JSON).
    pub inputs: String,
    /// The output folder.
    pub output: PathBuf,
    /// Articles built.
    pub articles: usize,
    /// Entities with pages.
    pub entity_pages: usize,
    /// Files written.
    pub files: usize,
    /// Their bytes.
    #[serde(default)]
    pub bytes: u64,
    /// Content problems reported.
    pub diagnostics: Vec<Diagnostic>,
}

impl Cache {
    /// Opens the cache of a site for a model (`model` identifies the
    /// extractor: a different one means nothing cached is used).
    pub fn open(root: &Path, model: u64) -> Cache {
        Cache { dir: root.join(CACHE_DIR), model, mentions: std::sync::OnceLock::new() }
    }

    /// Frees the cached mentions, once the articles have taken theirs (a
    /// gigabyte for a million articles, not needed again by the build).
    pub fn release_mentions(&mut self) {
        self.mentions = std::sync::OnceLock::from(HashMap::new());
    }

    /// The mentions cached for an article with these exact bytes, if any.
    pub fn mentions(&self, article: &Article) -> Option<&[Mention]> {
        let mentions = self.mentions.get_or_init(|| {
            let bytes = std::fs::read(self.dir.join(MENTIONS_FILE)).ok();
            bytes.and_then(|b| decode(&b, self.model)).unwrap_or_default()
        });
        mentions.get(&article.fingerprint).map(Vec::as_slice)
    }

    /// Replaces the cache with these mentions, each under its article's
    /// fingerprint (dropping the rest). Written to a temporary file and
    /// renamed, so a crash never leaves half a cache.
    pub fn save(&self, mentions: &mut dyn Iterator<Item = (u64, Vec<Mention>)>) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        write_atomically_with(&self.dir.join(MENTIONS_FILE), |file| encode(file, self.model, mentions))
    }

    /// The manifest of the last build, if readable and of this version.
    pub fn manifest(&self) -> Option<Manifest> {
        let text = std::fs::read_to_string(self.dir.join(MANIFEST_FILE)).ok()?;
        serde_json::from_str::<Manifest>(&text).ok().filter(|m| m.version == env!("CARGO_PKG_VERSION"))
    }

    /// Records what a build read and wrote.
    pub fn save_manifest(&self, manifest: &Manifest) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let text = serde_json::to_string(manifest).map_err(std::io::Error::other)?;
        write_atomically(&self.dir.join(MANIFEST_FILE), text.as_bytes())
    }
}

/// Writes `path` so that a crash at any point leaves the old file or the
/// new one, whole: a temporary file, flushed to disk (fsync), renamed over
/// it, and the folder flushed so that the rename itself is durable.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomically_with(path, |file| std::io::Write::write_all(file, bytes))
}

/// [`write_atomically`], the bytes written by `fill`.
fn write_atomically_with(
    path: &Path,
    fill: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    let mut file = std::fs::File::create(&tmp)?;
    if let Err(e) = fill(&mut file) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    file.sync_all()?;
    std::fs::rename(&tmp, path)?;
    if let Some(dir) = path.parent()
        && let Ok(dir) = std::fs::File::open(dir)
    {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// The checksum of a cache file's body, block by block (see [`CHECKSUM_BLOCK`]).
fn checksum(bytes: &[u8]) -> u64 {
    let mut h = FastHasher::default();
    for block in bytes.chunks(CHECKSUM_BLOCK) {
        h.write(block);
    }
    h.finish()
}

/// Writes blocks of [`CHECKSUM_BLOCK`] bytes to `out` as they fill, hashing
/// each; [`Checksummed::finish`] writes the last block and the checksum.
struct Checksummed<'a, W: std::io::Write> {
    out: &'a mut W,
    block: Vec<u8>,
    hasher: FastHasher,
}

impl<'a, W: std::io::Write> Checksummed<'a, W> {
    fn new(out: &'a mut W) -> Self {
        Checksummed { out, block: Vec::with_capacity(CHECKSUM_BLOCK), hasher: FastHasher::default() }
    }

    fn put(&mut self, mut bytes: &[u8]) -> std::io::Result<()> {
        while !bytes.is_empty() {
            let n = bytes.len().min(CHECKSUM_BLOCK - self.block.len());
            self.block.extend_from_slice(&bytes[..n]);
            bytes = &bytes[n..];
            if self.block.len() == CHECKSUM_BLOCK {
                self.flush_block()?;
            }
        }
        Ok(())
    }

    fn flush_block(&mut self) -> std::io::Result<()> {
        self.hasher.write(&self.block);
        self.out.write_all(&self.block)?;
        self.block.clear();
        Ok(())
    }

    fn finish(mut self) -> std::io::Result<()> {
        if !self.block.is_empty() {
            self.flush_block()?;
        }
        self.out.write_all(&self.hasher.finish().to_le_bytes())
    }
}

fn kind_code(kind: EntityKind) -> u8 {
    match kind {
        EntityKind::Person => 0,
        EntityKind::Place => 1,
        EntityKind::Organisation => 2,
        EntityKind::Misc => 3,
    }
}

/// Writes the cache file's bytes to `out`, one article's record at a time.
fn encode<W: std::io::Write, M: AsRef<[Mention]>>(
    out: &mut W,
    model: u64,
    items: impl Iterator<Item = (u64, M)>,
) -> std::io::Result<()> {
    let mut out = Checksummed::new(out);
    out.put(MAGIC)?;
    out.put(&model.to_le_bytes())?;
    let mut record = Vec::new();
    for (key, mentions) in items {
        let mentions = mentions.as_ref();
        record.clear();
        record.extend_from_slice(&key.to_le_bytes());
        record.extend_from_slice(&(mentions.len() as u32).to_le_bytes());
        for m in mentions {
            record.extend_from_slice(&(m.start as u32).to_le_bytes());
            record.extend_from_slice(&(m.end as u32).to_le_bytes());
            record.push(kind_code(m.kind));
            record.push(m.confidence);
            record.extend_from_slice(&m.kind_weights);
        }
        out.put(&record)?;
    }
    out.finish()
}

/// Reads a cache file; `None` when it is corrupt, truncated or for another model.
fn decode(bytes: &[u8], model: u64) -> Option<HashMap<u64, Vec<Mention>>> {
    let (body, sum) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
    if checksum(body) != u64::from_le_bytes(sum.try_into().ok()?) {
        return None;
    }
    let rest = body.strip_prefix(MAGIC)?;
    let (stored, mut rest) = rest.split_at_checked(8)?;
    if u64::from_le_bytes(stored.try_into().ok()?) != model {
        return None;
    }
    let mut map = HashMap::new();
    let take = |rest: &mut &[u8], n: usize| -> Option<Vec<u8>> {
        let (head, tail) = rest.split_at_checked(n)?;
        *rest = tail;
        Some(head.to_vec())
    };
    while !rest.is_empty() {
        let key = u64::from_le_bytes(take(&mut rest, 8)?.try_into().ok()?);
        let n = u32::from_le_bytes(take(&mut rest, 4)?.try_into().ok()?) as usize;
        let mut mentions = Vec::with_capacity(n.min(4096));
        for _ in 0..n {
            let record = take(&mut rest, 14)?;
            let start = u32::from_le_bytes(record[0..4].try_into().ok()?) as usize;
            let end = u32::from_le_bytes(record[4..8].try_into().ok()?) as usize;
            let kind = match record[8] {
                0 => EntityKind::Person,
                1 => EntityKind::Place,
                2 => EntityKind::Organisation,
                3 => EntityKind::Misc,
                _ => return None,
            };
            if end < start {
                return None;
            }
            let kind_weights = [record[10], record[11], record[12], record[13]];
            mentions.push(Mention { start, end, kind, confidence: record[9], kind_weights });
        }
        map.insert(key, mentions);
    }
    Some(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Mention> {
        vec![
            Mention::certain(3, 9, EntityKind::Place),
            Mention { start: 12, end: 20, kind: EntityKind::Person, confidence: 131, kind_weights: [200, 40, 10, 5] },
        ]
    }

    fn encoded<'a>(model: u64, items: impl Iterator<Item = (u64, &'a Vec<Mention>)>) -> Vec<u8> {
        let mut out = Vec::new();
        encode(&mut out, model, items).unwrap();
        out
    }

    #[test]
    fn round_trip() {
        let m = sample();
        let bytes = encoded(7, [(42u64, &m)].into_iter());
        assert_eq!(decode(&bytes, 7).unwrap()[&42], m);
    }

    #[test]
    fn a_cache_of_many_blocks_round_trips_and_a_flip_in_any_block_is_found() {
        let m = sample();
        let bytes = encoded(7, (0..10_000u64).map(|k| (k, &m)));
        assert!(bytes.len() > 3 * CHECKSUM_BLOCK, "{} bytes", bytes.len());
        let map = decode(&bytes, 7).unwrap();
        assert_eq!((map.len(), &map[&9_999]), (10_000, &m));
        for at in [CHECKSUM_BLOCK - 1, CHECKSUM_BLOCK, 2 * CHECKSUM_BLOCK + 5, bytes.len() - 9] {
            let mut flipped = bytes.clone();
            flipped[at] ^= 1;
            assert!(decode(&flipped, 7).is_none(), "a flipped bit at {at}");
        }
    }

    #[test]
    fn corrupt_stale_or_foreign_caches_are_refused() {
        let m = sample();
        let bytes = encoded(7, [(42u64, &m)].into_iter());
        assert!(decode(&bytes, 8).is_none(), "another model");
        let mut flipped = bytes.clone();
        flipped[20] ^= 1;
        assert!(decode(&flipped, 7).is_none(), "a flipped bit");
        assert!(decode(&bytes[..bytes.len() - 3], 7).is_none(), "truncated");
        assert!(decode(b"", 7).is_none());
        assert!(decode(b"garbage that is long enough", 7).is_none());
    }
}
