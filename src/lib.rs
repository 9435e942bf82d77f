//! helpsite: a static help-center site generator.
//!
//! The build is a pipeline of plain data (see ARCHITECTURE.md):
//! config -> source -> model -> markdown -> checks, search, features -> render -> build -> output or serve.

#![warn(unreachable_pub)]

mod checks;
pub mod cli;
mod config;
pub mod contact;
mod diag;
mod features;
mod import;
pub mod incremental;
mod insights;
mod markdown;
pub mod model;
pub mod output;
pub mod pipeline;
mod render;
mod scaffold;
pub mod search;
mod serve;
pub mod source;
mod theme;
