//! Writing the site: pages and static files go into a staging folder beside
//! the output folder, and reach the output only when everything is written,
//! in one step: the staging folder and the output are exchanged (one
//! `renameat2(RENAME_EXCHANGE)` on Linux). When the last build's files are
//! known, only changed files are written; the unchanged ones are hard links
//! to the output's. A build that fails, or is killed at any point, leaves
//! the previous output exactly as it was; the next build removes the
//! staging folders that killed builds left.

use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::Switch;
use crate::error::{Error, Result};
use crate::hash::mix;
use crate::precompress::{self, Encoding};
use crate::render::Page;
use crate::render::templates::BUILTIN_STATIC;
use crate::text::web_path;
use crate::written::{Written, WrittenFile, content_hash};

/// Refuses output folders whose replacement would destroy the site itself.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<()> {
    let refuse = |reason: &str| Err(Error::UnsafeOutput { path: output.to_path_buf(), reason: reason.to_string() });
    let root_abs = absolute(root);
    let out_abs = absolute(output);
    if out_abs.parent().is_none() {
        return refuse("it is a filesystem root");
    }
    if root_abs.starts_with(&out_abs) {
        return refuse("it contains the site (site.toml would be deleted)");
    }
    for protected in ["content", "templates", "static"] {
        if out_abs.starts_with(root_abs.join(protected)) {
            return refuse(&format!("it is inside the site's {protected}/ folder"));
        }
    }
    if out_abs.is_dir() && (out_abs.join("site.toml").exists() || out_abs.join(".git").exists()) {
        return refuse("it holds a site.toml or .git, so it is not a folder gazette built");
    }
    if out_abs.exists() && !out_abs.is_dir() {
        return refuse("it exists and is not a folder");
    }
    Ok(())
}

/// Lexically absolute path (no filesystem access, `..` resolved).
fn absolute(path: &Path) -> PathBuf {
    let joined =
        if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(path) };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// A new site being written beside the output folder. Pages are written
/// as they are rendered (so the whole site never has to be in memory); the
/// folder replaces the output only at [`Staging::commit`]. Dropped without a
/// commit, it removes itself and the output stays as it was.
///
/// Given what the last build wrote there ([`Written`]), only files whose
/// bytes changed are staged; at commit they are moved into the output and
/// files no longer built are removed, so an edit rewrites a handful of
/// files, not the whole site.
pub struct Staging {
    dir: PathBuf,
    /// `dir`, open: files are made in it by their relative paths.
    folder: Folder,
    output: PathBuf,
    parent: PathBuf,
    name: String,
    committed: bool,
    /// The last build's files, when the output can be updated in place.
    previous: Option<Written>,
    /// Every file of this build.
    record: Mutex<Vec<WrittenFile>>,
    /// Files staged in update mode (changed or new).
    changed: Mutex<Vec<String>>,
    /// How the new site replaces the old.
    switch: Switch,
    /// The compressed copies written beside each text file.
    precompress: Vec<Encoding>,
}

impl Staging {
    /// Creates the staging folder beside `output`. `previous` is what the
    /// last build wrote there, if known.
    pub fn create(output: &Path, previous: Option<Written>, switch: Switch) -> Result<Staging> {
        let name = output.file_name().and_then(|n| n.to_str()).unwrap_or("public").to_string();
        let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
        fs::create_dir_all(&parent).map_err(|e| Error::io("cannot create", &parent, e))?;
        remove_abandoned(&parent, &name);
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| Error::io("cannot remove", &dir, e))?;
        }
        fs::create_dir_all(&dir).map_err(|e| Error::io("cannot create", &dir, e))?;
        let folder = Folder::open(&dir).map_err(|e| Error::io("cannot open", &dir, e))?;
        let previous = previous.filter(|_| output.is_dir());
        Ok(Staging {
            dir,
            folder,
            output: output.to_path_buf(),
            parent,
            name,
            committed: false,
            previous,
            switch,
            record: Mutex::default(),
            changed: Mutex::default(),
            precompress: Vec::new(),
        })
    }

    /// Writes compressed copies of each text file with these encodings
    /// (see [`crate::precompress`]).
    pub fn precompress(mut self, encodings: &[Encoding]) -> Staging {
        self.precompress = encodings.to_vec();
        self.precompress.sort_unstable();
        self.precompress.dedup();
        self
    }

    /// Creates the folders the given files will go in, each once (in update
    /// mode folders are made as changed files need them).
    pub fn create_folders<'a>(&self, files: impl Iterator<Item = &'a str>) -> Result<()> {
        if self.previous.is_some() {
            return Ok(());
        }
        self.make_folders(files)
    }

    /// Makes the folders of `files` in the staging folder, level by level.
    fn make_folders<'a>(&self, files: impl Iterator<Item = &'a str>) -> Result<()> {
        let mut dirs: Vec<&str> = files.filter_map(|f| f.rsplit_once('/').map(|(d, _)| d)).collect();
        // Every ancestor too, so that each level can be made in parallel
        // once the level above it exists.
        let ancestors: Vec<&str> = dirs.iter().flat_map(|d| d.match_indices('/').map(|(i, _)| &d[..i])).collect();
        dirs.extend(ancestors);
        let depth = |dir: &str| dir.bytes().filter(|&b| b == b'/').count();
        dirs.sort_unstable_by_key(|d| (depth(d), *d));
        dirs.dedup();
        for level in dirs.chunk_by(|a, b| depth(a) == depth(b)) {
            level.par_iter().try_for_each(|dir| {
                check_relative(Path::new(dir))?;
                match self.folder.create_dir(dir) {
                    Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                        Err(Error::io("cannot create", self.dir.join(dir), e))
                    }
                    _ => Ok(()),
                }
            })?;
        }
        Ok(())
    }

    /// Writes one file (its folder must exist, see [`Staging::create_folders`]),
    /// or in update mode nothing when the output already holds these bytes;
    /// then its compressed copies, if the site asks for them.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        check_relative(Path::new(rel))?;
        let hash = content_hash(bytes);
        let unchanged = self.size_in_output(rel, hash) == Some(bytes.len() as u64);
        self.stage(rel, hash, bytes, unchanged)?;
        if self.precompress.is_empty() || !precompress::worth_compressing(rel, bytes.len()) {
            return Ok(());
        }
        for &encoding in &self.precompress {
            // A copy's record hash follows from the file's, so an unchanged
            // file's copy is known without compressing it again.
            let (copy_path, copy_hash) = (format!("{rel}{}", encoding.suffix()), mix(hash, encoding.tag()));
            if unchanged && let Some(size) = self.size_in_output(&copy_path, copy_hash) {
                lock(&self.record).push((copy_path, copy_hash, size));
                continue;
            }
            let copy = encoding.compress(bytes);
            if copy.len() < bytes.len() {
                self.stage(&copy_path, copy_hash, &copy, false)?;
            }
        }
        Ok(())
    }

    /// The size of `rel` in the output, when the last build wrote it with
    /// this hash and it is still there with that size (which guards against
    /// files changed or deleted by hand).
    fn size_in_output(&self, rel: &str, hash: u64) -> Option<u64> {
        let size = self.previous.as_ref()?.size_of(rel, hash)?;
        fs::metadata(self.output.join(rel)).is_ok_and(|m| m.is_file() && m.len() == size).then_some(size)
    }

    /// Records one file of the site and, unless the output already holds
    /// it, writes it into the staging folder.
    fn stage(&self, rel: &str, hash: u64, bytes: &[u8], unchanged: bool) -> Result<()> {
        lock(&self.record).push((rel.to_string(), hash, bytes.len() as u64));
        if unchanged {
            return Ok(());
        }
        if self.previous.is_some() {
            if let Some(parent) = self.dir.join(rel).parent() {
                fs::create_dir_all(parent).map_err(|e| Error::io("cannot create", parent, e))?;
            }
            lock(&self.changed).push(rel.to_string());
        }
        self.folder.write(rel, bytes).map_err(|e| Error::io("cannot write", self.dir.join(rel), e))
    }

    /// Writes the built-in static files, then the site's `static_dir` over
    /// them. Returns the number of files.
    pub fn copy_static(&self, static_dir: &Path) -> Result<usize> {
        let mut files: Vec<(PathBuf, PathBuf)> = Vec::new();
        if static_dir.is_dir() {
            for entry in WalkDir::new(static_dir).follow_links(false).sort_by_file_name() {
                let entry = entry.map_err(|e| Error::io("cannot read", static_dir, e.into()))?;
                if entry.file_type().is_file() {
                    let rel = entry.path().strip_prefix(static_dir).unwrap_or(entry.path()).to_path_buf();
                    files.push((rel, entry.path().to_path_buf()));
                }
            }
        }
        let builtin: Vec<&(&str, &[u8])> =
            BUILTIN_STATIC.iter().filter(|(p, _)| !files.iter().any(|(r, _)| r == Path::new(p))).collect();
        for (rel, bytes) in &builtin {
            self.write(rel, bytes)?;
        }
        // A static file replaces a generated one of the same path (robots.txt): forget the generated one and its copies.
        let replaced: std::collections::HashSet<String> = files.iter().map(|(rel, _)| web_path(rel)).collect();
        let of_replaced = |path: &str| {
            replaced.contains(path) || precompress::original_of(path).is_some_and(|o| replaced.contains(o))
        };
        for path in lock(&self.record).iter().map(|r| r.0.as_str()).filter(|p| of_replaced(p) && !replaced.contains(*p))
        {
            let _ = fs::remove_file(self.dir.join(path));
        }
        lock(&self.record).retain(|r| !of_replaced(&r.0));
        lock(&self.changed).retain(|r| !of_replaced(r));
        for (rel, source) in &files {
            let target = safe_join(&self.dir, rel)?;
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).map_err(|e| Error::io("cannot create", parent, e))?;
            }
            let bytes = fs::read(source).map_err(|e| Error::io("cannot read", source, e))?;
            self.write(&web_path(rel), &bytes)?;
        }
        Ok(builtin.len() + files.len())
    }

    /// Puts the new site in place of the output in one step (see the module
    /// documentation). Returns every file of the site, for the next build's
    /// [`Written`], and the last build's record, if it was used.
    pub fn commit(mut self) -> Result<(Vec<WrittenFile>, Option<Written>)> {
        let record = std::mem::take(&mut *lock(&self.record));
        let previous = self.previous.take();
        if let Some(old) = &previous {
            if self.switch == Switch::InPlace {
                self.move_changed_in(old, &record)?;
                self.committed = true;
                return Ok((record, previous));
            }
            // The staging folder holds the changed files: the unchanged ones
            // join them as links, so that it holds the whole new site.
            let changed: std::collections::HashSet<String> =
                std::mem::take(&mut *lock(&self.changed)).into_iter().collect();
            let unchanged: Vec<&str> = record.iter().map(|r| r.0.as_str()).filter(|p| !changed.contains(*p)).collect();
            self.make_folders(unchanged.iter().copied())?;
            unchanged.par_iter().try_for_each(|rel| {
                let (from, to) = (self.output.join(rel), self.dir.join(rel));
                fs::hard_link(&from, &to)
                    .or_else(|_| fs::copy(&from, &to).map(|_| ()))
                    .map_err(|e| Error::io("cannot link the unchanged file", &from, e))
            })?;
        }
        swap_in(&self.dir, &self.output, &self.parent, &self.name)?;
        self.committed = true;
        Ok((record, previous))
    }
}

impl Staging {
    /// `[output] switch = "in-place"`: moves the changed files into the
    /// output one by one and removes the files no longer built.
    fn move_changed_in(&self, previous: &Written, record: &[WrittenFile]) -> Result<()> {
        for rel in lock(&self.changed).iter() {
            let (from, to) = (self.dir.join(rel), self.output.join(rel));
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent).map_err(|e| Error::io("cannot create", parent, e))?;
            }
            fs::rename(&from, &to).map_err(|e| Error::io("cannot move into place", &to, e))?;
        }
        let current: std::collections::HashSet<&str> = record.iter().map(|r| r.0.as_str()).collect();
        for stale in previous.paths().filter(|p| !current.contains(p)) {
            let path = safe_join(&self.output, Path::new(stale))?;
            let _ = fs::remove_file(&path);
            // Remove folders left empty (an entity page gone); stop at the first that is not.
            let mut dir = path.parent();
            while let Some(d) = dir.filter(|d| *d != self.output.as_path()) {
                if fs::remove_dir(d).is_err() {
                    break;
                }
                dir = d.parent();
            }
        }
        let _ = fs::remove_dir_all(&self.dir);
        Ok(())
    }
}

/// Removes what builds that were killed left beside the output: their
/// staging folders (`.public.staging-PID`) and set-aside outputs
/// (`.public.old-PID`), when that process is gone. Only where the system
/// tells which processes live (`/proc`).
fn remove_abandoned(parent: &Path, name: &str) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(parent) else { return };
    let prefixes = [format!(".{name}.staging-"), format!(".{name}.old-")];
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else { continue };
        let pid =
            prefixes.iter().find_map(|p| file_name.strip_prefix(p.as_str())).and_then(|pid| pid.parse::<u32>().ok());
        if let Some(pid) = pid
            && pid != std::process::id()
            && !Path::new(&format!("/proc/{pid}")).exists()
        {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed && self.dir.exists() {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Writes `pages` and the static files into `output`, atomically. Returns
/// the number of files written.
pub fn write_site(output: &Path, pages: &[Page], static_dir: &Path) -> Result<usize> {
    let staging = Staging::create(output, None, Switch::Atomic)?;
    staging.create_folders(pages.iter().map(|p| p.path.as_str()))?;
    pages.par_iter().try_for_each(|p| staging.write(&p.path, &p.content))?;
    let statics = staging.copy_static(static_dir)?;
    staging.commit()?;
    Ok(pages.len() + statics)
}

/// Joins a relative path under `base`, refusing anything that would leave it.
pub fn safe_join(base: &Path, rel: &Path) -> Result<PathBuf> {
    check_relative(rel).map(|()| base.join(rel))
}

/// Refuses a path that is not plain names (absolute, `..`, `.`), which could leave the folder it is joined to.
fn check_relative(rel: &Path) -> Result<()> {
    if rel.components().all(|c| matches!(c, Component::Normal(_))) {
        Ok(())
    } else {
        Err(Error::UnsafeOutput { path: rel.to_path_buf(), reason: "page path leaves the output folder".into() })
    }
}

/// An open folder that files and folders are made in by relative path.
/// On Unix the system then walks only the relative part of each path
/// (`openat`, `mkdirat`), which counts when a build makes tens of thousands
/// of files deep below the staging folder.
struct Folder {
    #[cfg(unix)]
    fd: std::os::fd::OwnedFd,
    #[cfg(not(unix))]
    path: PathBuf,
}

#[cfg(unix)]
impl Folder {
    fn open(path: &Path) -> std::io::Result<Folder> {
        use rustix::fs::{Mode, OFlags};
        Ok(Folder { fd: rustix::fs::open(path, OFlags::DIRECTORY | OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty())? })
    }

    /// Makes the folder `rel` (its parent must exist).
    fn create_dir(&self, rel: &str) -> std::io::Result<()> {
        use rustix::fs::Mode;
        Ok(rustix::fs::mkdirat(&self.fd, rel, Mode::RWXU | Mode::RWXG | Mode::RWXO)?)
    }

    /// Creates (or empties) the file `rel` and writes `bytes` to it.
    fn write(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        use rustix::fs::{Mode, OFlags};
        let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::CLOEXEC;
        let mode = Mode::RUSR | Mode::WUSR | Mode::RGRP | Mode::WGRP | Mode::ROTH | Mode::WOTH;
        let fd = rustix::fs::openat(&self.fd, rel, flags, mode)?;
        std::io::Write::write_all(&mut fs::File::from(fd), bytes)
    }
}

#[cfg(not(unix))]
impl Folder {
    fn open(path: &Path) -> std::io::Result<Folder> {
        Ok(Folder { path: path.to_path_buf() })
    }

    /// Makes the folder `rel` (its parent must exist).
    fn create_dir(&self, rel: &str) -> std::io::Result<()> {
        fs::create_dir(self.path.join(rel))
    }

    /// Creates (or empties) the file `rel` and writes `bytes` to it.
    fn write(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        fs::write(self.path.join(rel), bytes)
    }
}

/// Puts `staging` in place of `output`: one atomic exchange where the
/// system has it, else two renames (the output moved aside, the staging
/// folder moved in); then removes the old site.
fn swap_in(staging: &Path, output: &Path, parent: &Path, name: &str) -> Result<()> {
    if !output.exists() {
        return fs::rename(staging, output).map_err(|e| Error::io("cannot move into place", output, e));
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        if renameat_with(CWD, staging, CWD, output, RenameFlags::EXCHANGE).is_ok() {
            // The staging path now holds the old site.
            return fs::remove_dir_all(staging).map_err(|e| Error::io("cannot remove", staging, e));
        }
    }
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    if old.exists() {
        fs::remove_dir_all(&old).map_err(|e| Error::io("cannot remove", &old, e))?;
    }
    fs::rename(output, &old).map_err(|e| Error::io("cannot move aside", output, e))?;
    if let Err(e) = fs::rename(staging, output) {
        let _ = fs::rename(&old, output);
        return Err(Error::io("cannot move into place", output, e));
    }
    fs::remove_dir_all(&old).map_err(|e| Error::io("cannot remove", &old, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_join_refuses_escapes() {
        let base = Path::new("/tmp/x");
        assert!(safe_join(base, Path::new("a/b/index.html")).is_ok());
        assert!(safe_join(base, Path::new("../etc/passwd")).is_err());
        assert!(safe_join(base, Path::new("/etc/passwd")).is_err());
    }

    #[test]
    fn refuses_to_replace_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        assert!(check_output_dir(&root, &root).is_err());
        assert!(check_output_dir(&root, dir.path()).is_err());
        assert!(check_output_dir(&root, &root.join("content/public")).is_err());
        assert!(check_output_dir(&root, &root.join("public")).is_ok());
        assert!(check_output_dir(&root, Path::new("/")).is_err());
    }

    #[test]
    fn swap_replaces_old_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let page = |p: &str| Page { path: p.into(), content: b"x".to_vec() };
        write_site(&out, &[page("a/index.html")], Path::new("/nonexistent")).unwrap();
        write_site(&out, &[page("b/index.html")], Path::new("/nonexistent")).unwrap();
        assert!(!out.join("a/index.html").exists());
        assert!(out.join("b/index.html").exists());
        assert!(out.join("style.css").exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }
}
