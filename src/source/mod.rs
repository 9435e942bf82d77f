//! Takes: the site folder. Gives: every source file found under `content/`, read and
//! split into its front matter (deserialized, with spans) and its Markdown body.

pub(crate) mod channel_table;
pub(crate) mod date;
pub mod discover;
pub mod frontmatter;
pub(crate) mod yaml;
