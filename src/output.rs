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

/// Writes `pages` and the static files into `output`, atomically.
///
/// Static files are the built-in ones, then everything under `static_dir`
/// (which may replace them). Returns the number of files written.
pub fn write_site(output: &Path, pages: &[Page], static_dir: &Path) -> Result<usize> {
    let name = output.file_name().and_then(|n| n.to_str()).unwrap_or("public");
    let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| Error::io("cannot create", parent, e))?;
    let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(|e| Error::io("cannot remove", &staging, e))?;
    }
    let result =
        fill(&staging, pages, static_dir).and_then(|count| swap_in(&staging, output, parent, name).map(|()| count));
    if result.is_err() && staging.exists() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn fill(staging: &Path, pages: &[Page], static_dir: &Path) -> Result<usize> {
    fs::create_dir_all(staging).map_err(|e| Error::io("cannot create", staging, e))?;
    let mut files: Vec<(PathBuf, &[u8])> = Vec::with_capacity(pages.len() + 8);
    for (path, bytes) in BUILTIN_STATIC {
        files.push((PathBuf::from(path), bytes));
    }
    let mut static_files = Vec::new();
    if static_dir.is_dir() {
        for entry in WalkDir::new(static_dir).follow_links(false).sort_by_file_name() {
            let entry = entry.map_err(|e| Error::io("cannot read", static_dir, e.into()))?;
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(static_dir).unwrap_or(entry.path()).to_path_buf();
                static_files.push((rel, entry.path().to_path_buf()));
            }
        }
    }
    for page in pages {
        files.push((PathBuf::from(&page.path), &page.content));
    }
    // Create folders first (sequentially, once each), then write in parallel.
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .map(|(p, _)| p)
        .chain(static_files.iter().map(|(p, _)| p))
        .filter_map(|p| p.parent().map(Path::to_path_buf))
        .collect();
    dirs.sort();
    dirs.dedup();
    for dir in &dirs {
        let target = safe_join(staging, dir)?;
        fs::create_dir_all(&target).map_err(|e| Error::io("cannot create", &target, e))?;
    }
    files.par_iter().try_for_each(|(rel, bytes)| {
        let target = safe_join(staging, rel)?;
        fs::write(&target, bytes).map_err(|e| Error::io("cannot write", &target, e))
    })?;
    static_files.par_iter().try_for_each(|(rel, source)| {
        let target = safe_join(staging, rel)?;
        fs::copy(source, &target).map(|_| ()).map_err(|e| Error::io("cannot copy", source, e))
    })?;
    let mut count = static_files.len() + files.len();
    // A site static file replaces a built-in one of the same name.
    count -= BUILTIN_STATIC.iter().filter(|(p, _)| static_files.iter().any(|(r, _)| r == Path::new(p))).count();
    Ok(count)
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
