//! What the last build wrote into its output folder: each file's path, size
//! and a hash of its bytes, kept in the build cache. With it, a rebuild
//! writes only the files whose bytes changed and removes those no longer
//! built, instead of writing a whole new folder. A record that is missing,
//! truncated, from another version or for another folder is not used.

use std::hash::Hasher;
use std::path::{Path, PathBuf};

use crate::hash::{FastHasher, FastMap, mix};

const FILE: &str = "written.txt";
const HEADER: &str = "gazette-written 2";

/// Threads that look up output files at once in [`Written::is_intact`].
const STAT_THREADS: usize = 16;

/// One written file: site-relative path, hash of its bytes, size.
pub type WrittenFile = (String, u64, u64);

/// The files a build wrote into one output folder.
#[derive(Debug, Default)]
pub struct Written {
    files: FastMap<String, (u64, u64)>,
}

/// Hash of a file's bytes, as [`Written`] records it: four independent
/// running hashes over interleaved eight-byte words (so that the processor
/// overlaps their multiplications), folded together at the end.
pub fn content_hash(bytes: &[u8]) -> u64 {
    let mut lanes = [1u64, 2, 3, 4];
    let mut blocks = bytes.chunks_exact(32);
    for block in &mut blocks {
        for (lane, word) in lanes.iter_mut().zip(block.chunks_exact(8)) {
            *lane = mix(*lane, u64::from_le_bytes(word.try_into().unwrap_or_default()));
        }
    }
    let mut h = FastHasher::default();
    for lane in lanes {
        h.write_u64(lane);
    }
    h.write(blocks.remainder());
    h.write_u64(bytes.len() as u64);
    h.finish()
}

impl Written {
    /// The record in `cache_dir` for `output`, if there is a complete one.
    pub fn load(cache_dir: &Path, output: &Path) -> Option<Written> {
        let text = std::fs::read_to_string(cache_dir.join(FILE)).ok()?;
        let mut lines = text.lines();
        if lines.next()? != format!("{HEADER} {}", env!("CARGO_PKG_VERSION")) || lines.next()? != output.to_str()? {
            return None;
        }
        let mut files = FastMap::default();
        for line in lines {
            if let Some(count) = line.strip_prefix("end ") {
                return (count.parse::<usize>().ok()? == files.len()).then_some(Written { files });
            }
            let mut parts = line.splitn(3, ' ');
            let hash = u64::from_str_radix(parts.next()?, 16).ok()?;
            let size = parts.next()?.parse().ok()?;
            files.insert(parts.next()?.to_string(), (hash, size));
        }
        None // no end line: truncated
    }

    /// Records `files` as what was written into `output`.
    pub fn save(cache_dir: &Path, output: &Path, files: &[WrittenFile]) -> std::io::Result<()> {
        use rayon::prelude::*;
        use std::fmt::Write;
        let output = output.to_str().ok_or_else(|| std::io::Error::other("output path is not UTF-8"))?;
        // Hundreds of thousands of lines: formatted in parallel pieces.
        let pieces: Vec<String> = files
            .par_chunks(4096)
            .map(|chunk| {
                let mut piece = String::with_capacity(chunk.len() * 64);
                for (path, hash, size) in chunk {
                    let _ = writeln!(piece, "{hash:016x} {size} {path}");
                }
                piece
            })
            .collect();
        let mut text = format!("{HEADER} {}\n{output}\n", env!("CARGO_PKG_VERSION"));
        text.reserve(pieces.iter().map(String::len).sum::<usize>() + 32);
        for piece in &pieces {
            text.push_str(piece);
        }
        let _ = writeln!(text, "end {}", files.len());
        std::fs::create_dir_all(cache_dir)?;
        // Durable before it is named: a crash leaves the old record or the new one, whole.
        crate::cache::write_atomically(&cache_dir.join(FILE), text.as_bytes())
    }

    /// Removes the record before the output changes: a build killed after
    /// the switch then finds no record (and writes every file) rather than
    /// one of the site before.
    pub fn forget(cache_dir: &Path) {
        let _ = std::fs::remove_file(cache_dir.join(FILE));
    }

    /// The size `path` was written with, if it was written with this hash.
    pub fn size_of(&self, path: &str, hash: u64) -> Option<u64> {
        self.files.get(path).filter(|(h, _)| *h == hash).map(|(_, size)| *size)
    }

    /// Whether every file is still in `output` with the size it was written
    /// with (nothing deleted or rewritten by hand since).
    pub fn is_intact(&self, output: &Path) -> bool {
        use rayon::prelude::*;
        let files: Vec<(&String, &(u64, u64))> = self.files.iter().collect();
        let check = || {
            files.par_iter().all(|(path, (_, size))| {
                std::fs::metadata(output.join(path)).is_ok_and(|m| m.is_file() && m.len() == *size)
            })
        };
        // On a disk whose metadata is not in memory each look waits for the
        // disk, not the processor: more lookups in flight than cores (at a
        // million files, twice as fast as one a core).
        if files.len() <= 10_000 {
            return check();
        }
        match rayon::ThreadPoolBuilder::new().num_threads(STAT_THREADS).build() {
            Ok(pool) => pool.install(check),
            Err(_) => check(),
        }
    }

    /// Every path written.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }
}

/// The list of what a build changed in its output, for deploying only
/// that: `.gazette-cache/changed.txt`.
pub const CHANGED_FILE: &str = "changed.txt";

/// How a file differs from the last build's output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// New in this build: `A path`.
    Added,
    /// Written before with other bytes: `M path`.
    Modified,
    /// Written before and not now: `D path`.
    Deleted,
}

impl Change {
    /// The letter a line of `changed.txt` starts with.
    pub fn letter(self) -> char {
        match self {
            Change::Added => 'A',
            Change::Modified => 'M',
            Change::Deleted => 'D',
        }
    }
}

/// What changed between the last build's files (`previous`; none known:
/// every file is new) and this build's, sorted by path.
pub fn changes(previous: Option<&Written>, now: &[WrittenFile]) -> Vec<(Change, String)> {
    let mut list: Vec<(Change, String)> = now
        .iter()
        .filter_map(|(path, hash, size)| match previous.and_then(|p| p.files.get(path)) {
            Some(&(h, s)) if (h, s) == (*hash, *size) => None,
            Some(_) => Some((Change::Modified, path.clone())),
            None => Some((Change::Added, path.clone())),
        })
        .collect();
    if let Some(previous) = previous {
        let built: std::collections::HashSet<&str> = now.iter().map(|(p, ..)| p.as_str()).collect();
        list.extend(previous.paths().filter(|p| !built.contains(p)).map(|p| (Change::Deleted, p.to_string())));
    }
    list.sort_by(|a, b| a.1.cmp(&b.1));
    list
}

/// Writes `changed.txt` into `cache_dir`: a line `A path`, `M path` or
/// `D path` for each file added, modified or deleted, paths relative to
/// the output folder.
pub fn save_changes(cache_dir: &Path, changes: &[(Change, String)]) -> std::io::Result<()> {
    let mut text = String::with_capacity(changes.iter().map(|(_, p)| p.len() + 3).sum());
    for (change, path) in changes {
        text.push(change.letter());
        text.push(' ');
        text.push_str(path);
        text.push('\n');
    }
    std::fs::create_dir_all(cache_dir)?;
    crate::cache::write_atomically(&cache_dir.join(CHANGED_FILE), text.as_bytes())
}

/// Where the record of an output folder lives.
pub fn record_dir(site_root: &Path) -> PathBuf {
    site_root.join(crate::cache::CACHE_DIR)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_name_what_was_added_modified_and_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let before =
            vec![("a/index.html".to_string(), 1, 10), ("b/index.html".to_string(), 2, 10), ("c".to_string(), 3, 1)];
        Written::save(dir.path(), &out, &before).unwrap();
        let previous = Written::load(dir.path(), &out).unwrap();
        let now =
            vec![("c".to_string(), 3, 1), ("a/index.html".to_string(), 1, 11), ("d/index.html".to_string(), 4, 5)];
        let list = changes(Some(&previous), &now);
        let expect =
            [(Change::Modified, "a/index.html"), (Change::Deleted, "b/index.html"), (Change::Added, "d/index.html")];
        assert_eq!(list.iter().map(|(c, p)| (*c, p.as_str())).collect::<Vec<_>>(), expect);
        // Without a record every file is new and none is known to be gone.
        assert!(changes(None, &now).iter().all(|(c, _)| *c == Change::Added));
        save_changes(dir.path(), &list).unwrap();
        let text = std::fs::read_to_string(dir.path().join(CHANGED_FILE)).unwrap();
        assert_eq!(text, "M a/index.html\nD b/index.html\nA d/index.html\n");
    }

    #[test]
    fn round_trip_and_damage() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let files = vec![("index.html".to_string(), 7, 10), ("a b/index.html".to_string(), 9, 3)];
        Written::save(dir.path(), &out, &files).unwrap();
        let w = Written::load(dir.path(), &out).unwrap();
        assert_eq!(w.size_of("a b/index.html", 9), Some(3));
        assert_eq!(w.size_of("index.html", 7), Some(10));
        assert_eq!(w.size_of("index.html", 8), None, "another hash");
        assert!(Written::load(dir.path(), &dir.path().join("elsewhere")).is_none(), "another folder");
        let text = std::fs::read_to_string(dir.path().join(FILE)).unwrap();
        std::fs::write(dir.path().join(FILE), &text[..text.len() - 8]).unwrap();
        assert!(Written::load(dir.path(), &out).is_none(), "truncated");
    }

    #[test]
    fn content_hashes_see_every_byte_and_the_length() {
        let page: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 251) as u8).collect();
        let base = content_hash(&page);
        for at in [0, 7, 8, 31, 32, 33, 500, 991, 999] {
            let mut changed = page.clone();
            changed[at] ^= 1;
            assert_ne!(content_hash(&changed), base, "byte {at}");
        }
        assert_ne!(content_hash(&page[..999]), base);
        assert_ne!(content_hash(&[0; 8]), content_hash(&[0; 16]), "zeros of another length");
        assert_eq!(content_hash(&page), base);
    }
}
