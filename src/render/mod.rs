//! Takes: the rendered site and the compiled theme. Gives: every section and article
//! page as an HTML file, rendered through its template in parallel.
//!
//! `context` holds the typed variables templates receive (THEME.md), `jobs` renders
//! them (each thread through its `kept_context`), `reuse` keeps a render whose
//! variables did not change.

pub(crate) mod context;
pub(crate) mod jobs;
mod kept_context;
pub(crate) mod reuse;
