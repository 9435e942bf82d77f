//! Takes: the config and the site folder. Gives: the theme's compiled Tera templates,
//! its static files and its strings per language, with site overrides applied file by file.

pub(crate) mod deps;
pub(crate) mod i18n;
mod tags;
pub(crate) mod templates;
