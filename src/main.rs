//! The `gazette` command: parses arguments and hands over to the library.

mod cli;
mod liveness;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: builds allocate many short-lived strings on every thread, where
/// it is faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    return_freed_memory_after_a_second();
    cli::Cli::parse().run()
}

/// Tells mimalloc to keep memory it frees for a second before returning it
/// to the system, instead of the default hundredth: a build frees and
/// allocates page text in waves, and each page handed back at once is
/// faulted in and zeroed again by the kernel moments later. Memory a stage
/// is done with (the files read, the tagger's mentions, each article's
/// names once merged) still goes back, which keeps the peak down: never
/// returning it cost a 100,000-article build a tenth more memory.
fn return_freed_memory_after_a_second() {
    /// `mi_option_purge_delay` in mimalloc.h (v2 and v3 alike), which the
    /// pinned libmimalloc-sys does not name.
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: sets an option of the global allocator before any thread starts.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 1000) };
}
