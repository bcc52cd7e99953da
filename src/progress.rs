//! Progress of a long build, reported stage by stage. The library only
//! counts; the command line decides how to show it (bars on a terminal,
//! nothing in a pipe) and which files to name as slow.

use std::path::Path;

/// Receives progress from a build. Called from many threads at once.
pub trait Progress: Sync {
    /// A stage starts with `total` items to do.
    fn start(&self, stage: &'static str, total: u64);
    /// `n` more items of the current stage are done; the calling thread is
    /// no longer working on the file it named with [`Progress::working_on`].
    fn advance(&self, n: u64);
    /// The calling thread starts on one file of the current stage (its
    /// path as shown in messages), until it next calls [`Progress::advance`].
    /// A stage with `total` 0 has no items: it only shows it is alive.
    fn working_on(&self, _file: &Path) {}
    /// The current stage is over.
    fn finish(&self);
}

/// Progress that goes nowhere.
#[derive(Debug, Default, Clone, Copy)]
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _: &'static str, _: u64) {}
    fn advance(&self, _: u64) {}
    fn finish(&self) {}
}
