//! Rendering: the archive in, pages (path + bytes) out. Nothing here writes
//! files; [`output`](crate::output) does.

pub mod body;
pub mod calendar;
pub mod citation;
pub mod context;
pub mod data;
pub mod feeds;
pub mod jobs;
pub mod links;
pub mod metadata;
pub mod native;
pub mod pages;
pub mod sitemap;
pub mod templates;
pub mod timeline;
pub mod views;

pub use pages::Page;
pub use templates::Theme;
