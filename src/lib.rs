//! helpsite: a static help-center site generator.
//!
//! The build is a pipeline of plain data (see ARCHITECTURE.md):
//! config -> source -> model -> markdown -> checks, search, features -> render -> build -> output or serve.
//!
//! The binary calls [`cli::run`]. The rest of the public surface is what the
//! integration tests and the fuzz target drive: [`pipeline::build`] with
//! [`pipeline::BuildOptions`] (a whole build in memory, files and diagnostics),
//! [`incremental::Incremental`] (the rebuilds `serve` runs after each save),
//! [`source::frontmatter`] (splitting a file's front matter from its body),
//! [`model::parse`] and [`contact`] (a contact page's channel and its opening
//! hours), and the search folding tables in [`search`]. Everything else is
//! `pub(crate)`: `unreachable_pub` and `missing_docs` keep it that way.

#![warn(unreachable_pub, missing_docs)]

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
