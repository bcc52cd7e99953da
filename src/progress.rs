//! Progress of a long build, reported stage by stage. The library only
//! counts; the command line decides how to show it (bars on a terminal,
//! nothing in a pipe).

/// Receives progress from a build. Called from many threads at once.
pub trait Progress: Sync {
    /// A stage starts with `total` items to do.
    fn start(&self, stage: &'static str, total: u64);
    /// `n` more items of the current stage are done.
    fn advance(&self, n: u64);
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
