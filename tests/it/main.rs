//! The integration tests, as one test binary: each file of this folder is a module, so
//! the dependencies and `tests/common` are compiled and linked once instead of once per
//! file (a fresh `cargo test` spends far less time linking; see bench/README.md).
//!
//! A new test file goes here as `tests/it/NAME.rs` with a `mod NAME;` line below, not as
//! `tests/NAME.rs` (that would be a test binary of its own). Inside it, `use crate::common;`
//! gives the shared helpers. Run one file's tests with `cargo test --test it NAME::`.

#[path = "../common/mod.rs"]
mod common;

mod added_removed;
mod browser;
mod browser_answers;
mod browser_features;
mod browser_requests;
mod browser_search;
mod browser_serve;
mod browser_writing;
mod build_cache;
mod build_cache_templates;
mod build_features;
mod check_external;
mod contact;
mod diagnostic_snapshots;
mod docs;
mod features;
mod front_matter;
mod import;
mod import_locales;
mod in_place_edits;
mod incremental_properties;
mod insights;
mod languages;
mod portable;
mod properties;
mod release;
mod reliability_content;
mod reliability_output;
mod requests;
mod search;
mod search_parity;
mod section_edits;
mod serve;
mod streamed_output;
mod writer_commands;
mod writing_features;
