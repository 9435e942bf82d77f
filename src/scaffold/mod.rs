//! Takes: a folder or an article path. Gives: a starter help center (`init`) or a new
//! article with its front matter filled in (`new`).

mod init;
pub mod new_article;

pub use init::{init, InitError};
