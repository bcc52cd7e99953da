//! Watching the site folder: notify events, debounced into one batch per
//! burst of saves, filtered (reads, editor swap files, the output folder,
//! version control) and sorted into [`Changes`].

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, EventKind};
use notify::{RecommendedWatcher, RecursiveMode, Watcher};

use super::workspace::Changes;
use crate::content::discover::is_ignored;
use crate::error::{Error, Result};

/// Quiet time that ends a burst of events.
pub const QUIET: Duration = Duration::from_millis(12);
/// Longest a burst may grow before it is handled anyway.
pub const MAX_BURST: Duration = Duration::from_millis(400);

/// A running watcher and its events.
pub struct SiteWatcher {
    _watcher: RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
    layout: Layout,
}

/// What [`SiteWatcher::next_within`] saw.
#[derive(Debug)]
pub enum Next {
    /// A burst of relevant changes.
    Changes(Changes),
    /// Nothing relevant for the time given.
    Quiet,
    /// The watcher has stopped.
    Stopped,
}

/// Where things are in the site folder.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Site root.
    pub root: PathBuf,
    /// The content folder.
    pub content: PathBuf,
    /// The entities file, if any.
    pub entities_file: Option<PathBuf>,
    /// The build output folder, never watched.
    pub output: PathBuf,
}

impl SiteWatcher {
    /// Starts watching the site root recursively.
    pub fn start(layout: Layout) -> Result<SiteWatcher> {
        let (tx, events) = channel();
        let mut watcher = notify::recommended_watcher(tx).map_err(|e| watch_error(&layout.root, e))?;
        watcher.watch(&layout.root, RecursiveMode::Recursive).map_err(|e| watch_error(&layout.root, e))?;
        Ok(SiteWatcher { _watcher: watcher, events, layout })
    }

    /// Waits for the next burst of relevant changes, giving up with
    /// [`Next::Quiet`] when nothing relevant happens for `quiet` (when given).
    pub fn next_within(&self, quiet: Option<Duration>) -> Next {
        let deadline = quiet.map(|q| Instant::now() + q);
        loop {
            let first = match deadline {
                None => match self.events.recv() {
                    Ok(event) => event,
                    Err(_) => return Next::Stopped,
                },
                Some(deadline) => match self.events.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                    Ok(event) => event,
                    Err(RecvTimeoutError::Timeout) => return Next::Quiet,
                    Err(RecvTimeoutError::Disconnected) => return Next::Stopped,
                },
            };
            let mut changes = Changes::default();
            self.add(first, &mut changes);
            let started = Instant::now();
            loop {
                match self.events.recv_timeout(QUIET) {
                    Ok(event) => self.add(event, &mut changes),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return Next::Stopped,
                }
                if started.elapsed() > MAX_BURST {
                    break;
                }
            }
            if !changes.is_empty() {
                dedup(&mut changes.templates);
                dedup(&mut changes.statics);
                dedup(&mut changes.content);
                return Next::Changes(changes);
            }
        }
    }

    fn add(&self, event: notify::Result<notify::Event>, changes: &mut Changes) {
        let Ok(event) = event else { return };
        // Reads never change anything: no rebuild, no reload loop.
        if matches!(
            event.kind,
            EventKind::Access(
                AccessKind::Read | AccessKind::Open(_) | AccessKind::Close(notify::event::AccessMode::Read)
            ) | EventKind::Other
        ) {
            return;
        }
        for path in event.paths {
            classify(&self.layout, &path, changes);
        }
    }
}

fn watch_error(root: &Path, e: notify::Error) -> Error {
    Error::io("cannot watch", root, std::io::Error::other(e.to_string()))
}

fn dedup(paths: &mut Vec<PathBuf>) {
    paths.sort();
    paths.dedup();
}

/// Sorts one changed path into the kind of rebuild it needs.
pub fn classify(layout: &Layout, path: &Path, changes: &mut Changes) {
    if path.starts_with(&layout.output) {
        return;
    }
    let Ok(rel) = path.strip_prefix(&layout.root) else { return };
    if rel.components().any(|c| {
        let name = c.as_os_str();
        name == ".git" || name == "target" || name == "node_modules" || is_ignored(name)
    }) {
        return;
    }
    if rel == Path::new(crate::config::CONFIG_FILE) {
        changes.config = true;
    } else if layout.entities_file.as_deref() == Some(path) {
        changes.entities = true;
    } else if path.starts_with(&layout.content) {
        changes.content.push(path.to_path_buf());
    } else if rel.starts_with("templates") {
        if path.extension().is_none_or(|e| e == "html") {
            changes.templates.push(path.to_path_buf());
        }
    } else if rel.starts_with("static") {
        changes.statics.push(path.to_path_buf());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_sorted_by_kind() {
        let layout = Layout {
            root: "/s".into(),
            content: "/s/content".into(),
            entities_file: Some("/s/entities.toml".into()),
            output: "/s/public".into(),
        };
        let mut c = Changes::default();
        for p in [
            "/s/site.toml",
            "/s/entities.toml",
            "/s/content/a.txt",
            "/s/templates/day.html",
            "/s/static/x.css",
            "/s/public/index.html",
            "/s/content/.a.txt.swp",
            "/s/content/a.txt~",
            "/s/.git/index",
            "/s/README.md",
            "/s/templates/README.md",
        ] {
            classify(&layout, Path::new(p), &mut c);
        }
        assert!(c.config && c.entities);
        assert_eq!(c.content, vec![PathBuf::from("/s/content/a.txt")]);
        assert_eq!(c.templates, vec![PathBuf::from("/s/templates/day.html")]);
        assert_eq!(c.statics, vec![PathBuf::from("/s/static/x.css")]);
    }
}
