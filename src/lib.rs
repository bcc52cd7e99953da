//! gazette: a static site generator for news archives.
//!
//! The pipeline runs in one direction, one module per stage:
//!
//! ```text
//! content::discover → content::parse → entities::extract → resolve → render → output
//! ```
//!
//! [`build::build`] is the only place that knows every stage; each stage is a
//! plain function of the previous stage's data.

pub mod archive;
pub mod build;
pub mod cache;
pub mod check;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod entities;
pub mod entities_cli;
pub mod error;
pub mod init;
pub mod output;
pub mod progress;
pub mod render;
pub mod resolve;
pub mod review;
pub mod search;
pub mod serve;
pub mod slug;
pub mod written;

pub use build::{BuildOptions, BuildReport, build, build_with_progress};
pub use diagnostics::{Diagnostic, Severity};
pub use error::Error;
