//! Takes: a folder or an article path. Gives: a starter help center (`init`) or a new
//! article with its front matter filled in (`new`).

mod init;
pub(crate) mod new_article;

pub(crate) use init::{init, InitError};
