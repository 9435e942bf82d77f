//! Takes: the rendered site and the compiled theme. Gives: every section and article
//! page as an HTML file, rendered through its template in parallel.

pub mod context;
pub mod jobs;
mod languages;
pub mod reuse;
mod views;
