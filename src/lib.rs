//! gazette: a static site generator for news archives.
//!
//! The pipeline runs in one direction, one module per stage:
//!
//! ```text
//! content::discover → content::parse → entities::extract → resolve → render → output
//! ```
//!
//! [`pipeline`] is the only place that runs the stages up to the archive,
//! for every command; [`build`] renders and writes what it gives. Each
//! stage is a plain function of the previous stage's data, and no module
//! uses one above it (`tests/layers.rs` holds the order; see
//! docs/architecture.md).

#![forbid(unsafe_code)]

pub mod archive;
pub mod budget;
pub mod build;
pub mod cache;
pub mod check;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod entities;
pub mod entities_cli;
pub mod entity_kind;
pub mod error;
pub mod hash;
pub mod init;
pub mod inspect;
pub mod output;
pub mod pipeline;
pub mod precompress;
pub mod progress;
pub mod render;
pub mod resolve;
pub mod review;
pub mod search;
pub mod serve;
pub mod text;
pub mod written;

pub use build::{BuildOptions, BuildReport, Leftovers, build, build_keeping, build_with_progress};
pub use diagnostics::{Diagnostic, Severity};
pub use error::Error;
