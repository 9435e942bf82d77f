//! helpsite: a static help-center site generator.

pub mod body_edit;
pub mod build;
pub mod cache;
pub mod cli;
pub mod config;
pub mod contact;
pub mod context;
pub mod diag;
pub mod discover;
pub mod frontmatter;
pub mod html;
pub mod i18n;
pub mod links;
pub mod markdown;
pub mod model;
pub mod output;
pub mod parse;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod sitemap;
pub mod templates;
pub mod toml_diag;
pub mod translations;
