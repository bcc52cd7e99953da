//! The `gazette` command: parses arguments and hands over to the library.

mod cli;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: builds allocate many short-lived strings on every thread, where
/// it is faster than the system allocator and returns memory sooner.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    cli::Cli::parse().run()
}
