//! Writing the site: pages and static files go into a staging folder beside
//! the output folder, which is swapped in only when everything is written.
//! A failed build leaves the previous output exactly as it was, and files of
//! pages that no longer exist disappear with the old folder.

use std::fs;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::error::{Error, Result};
use crate::render::Page;
use crate::render::templates::BUILTIN_STATIC;

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
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    parent: PathBuf,
    name: String,
    committed: bool,
}

impl Staging {
    /// Creates the staging folder beside `output`.
    pub fn create(output: &Path) -> Result<Staging> {
        let name = output.file_name().and_then(|n| n.to_str()).unwrap_or("public").to_string();
        let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
        fs::create_dir_all(&parent).map_err(|e| Error::io("cannot create", &parent, e))?;
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| Error::io("cannot remove", &dir, e))?;
        }
        fs::create_dir_all(&dir).map_err(|e| Error::io("cannot create", &dir, e))?;
        Ok(Staging { dir, output: output.to_path_buf(), parent, name, committed: false })
    }

    /// Creates the folders the given files will go in, each once.
    pub fn create_folders<'a>(&self, files: impl Iterator<Item = &'a str>) -> Result<()> {
        let mut dirs: Vec<&str> = files.filter_map(|f| f.rsplit_once('/').map(|(d, _)| d)).collect();
        dirs.sort_unstable();
        dirs.dedup();
        for dir in dirs {
            let target = safe_join(&self.dir, Path::new(dir))?;
            fs::create_dir_all(&target).map_err(|e| Error::io("cannot create", &target, e))?;
        }
        Ok(())
    }

    /// Writes one file (its folder must exist, see [`Staging::create_folders`]).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let target = safe_join(&self.dir, Path::new(rel))?;
        fs::write(&target, bytes).map_err(|e| Error::io("cannot write", &target, e))
    }

    /// Writes the built-in static files, then copies `static_dir` over them.
    /// Returns the number of files.
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
        for (rel, source) in &files {
            let target = safe_join(&self.dir, rel)?;
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).map_err(|e| Error::io("cannot create", parent, e))?;
            }
            fs::copy(source, &target).map_err(|e| Error::io("cannot copy", source, e))?;
        }
        Ok(builtin.len() + files.len())
    }

    /// Swaps the staging folder in as the output.
    pub fn commit(mut self) -> Result<()> {
        swap_in(&self.dir, &self.output, &self.parent, &self.name)?;
        self.committed = true;
        Ok(())
    }
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
    let staging = Staging::create(output)?;
    staging.create_folders(pages.iter().map(|p| p.path.as_str()))?;
    pages.par_iter().try_for_each(|p| staging.write(&p.path, &p.content))?;
    let statics = staging.copy_static(static_dir)?;
    staging.commit()?;
    Ok(pages.len() + statics)
}

/// Joins a relative path under `base`, refusing anything that would leave it.
pub fn safe_join(base: &Path, rel: &Path) -> Result<PathBuf> {
    if rel.components().all(|c| matches!(c, Component::Normal(_))) {
        Ok(base.join(rel))
    } else {
        Err(Error::UnsafeOutput { path: rel.to_path_buf(), reason: "page path leaves the output folder".into() })
    }
}

fn swap_in(staging: &Path, output: &Path, parent: &Path, name: &str) -> Result<()> {
    if !output.exists() {
        return fs::rename(staging, output).map_err(|e| Error::io("cannot move into place", output, e));
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
