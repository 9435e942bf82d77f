//! helpsite: a static help-center site generator.
//!
//! The build is a pipeline of plain data (see ARCHITECTURE.md):
//! config -> source -> model -> markdown -> checks, search, features -> render -> build -> output or serve.

pub mod checks;
pub mod cli;
pub mod config;
pub mod contact;
pub mod diag;
pub mod features;
pub mod import;
pub mod incremental;
pub mod insights;
pub mod markdown;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod source;
pub mod theme;
