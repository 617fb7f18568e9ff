//! mcplint: a static analyzer for Model Context Protocol servers.
//!
//! The pipeline: `discover` walks the paths, `frontend` parses each file once
//! and lowers it into `facts`, `rules` read the facts and emit diagnostics,
//! `scan` applies suppressions and builds findings, `report` renders them.

pub mod advisories;
pub mod baseline;
pub mod cache;
pub mod cli;
pub mod config;
pub mod deps;
pub mod diff;
pub mod discover;
pub mod facts;
pub mod finding;
pub mod frontend;
pub mod fuzzing;
pub mod inventory;
pub mod lock;
pub mod named_files;
pub mod progress;
pub mod project;
pub mod report;
pub mod roles;
pub mod rules;
pub mod scan;
pub mod source;
pub mod suppress;
pub mod taint;

/// Where the project lives; rule doc URLs are built from it.
pub const REPOSITORY_URL: &str = env!("CARGO_PKG_REPOSITORY");
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
