//! Takes: the site folder. Gives: every source file found under `content/`, read and
//! split into its front matter (deserialized, with spans) and its Markdown body.

pub mod channel_table;
pub mod date;
pub mod discover;
pub mod frontmatter;
pub mod yaml;
