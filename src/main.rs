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
    keep_freed_memory();
    cli::Cli::parse().run()
}

/// Tells mimalloc to keep memory it frees for reuse instead of returning it
/// to the system after a second: a large build frees and allocates gigabytes
/// of page text in waves, and each page handed back was faulted in and
/// zeroed again by the kernel (a tenth of a 100,000-article build's time).
/// The peak memory is the same; only the process's exit returns it.
fn keep_freed_memory() {
    /// `mi_option_purge_delay` in mimalloc.h (v2 and v3 alike), which the
    /// pinned libmimalloc-sys does not name.
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: sets an option of the global allocator before any thread starts.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) };
}
