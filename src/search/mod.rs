//! Site search: a compact, sharded index per language, queried by the theme's
//! `search.js` in the browser with the same tokenizer.
//!
//! Two steps, both public so that a rebuild can cache the first per page:
//! 1. [`extract`]: one article -> its [`SearchDoc`];
//! 2. [`build_index`]: one language's documents -> its index files.
//!
//! [`search_stage`] runs both for the whole site and checks the size budgets.

mod extract;
mod index;
pub mod tokenize;

use std::path::PathBuf;

use serde_json::{json, Value};

pub use extract::{extract, SearchDoc};
pub use index::{build_index, prefix_key, shard_of, IndexFile, LanguageIndex};

use crate::build::{FileContent, OutputFile};
use crate::config::Config;
use crate::context::Urls;
use crate::diag::Diagnostic;
use crate::markdown::Rendered;
use crate::model::{language_prefix, Site, SitePath};

/// Size figures of one language's index, for the build summary.
#[derive(Debug, Clone)]
pub struct IndexSize {
    pub lang: String,
    pub documents: usize,
    pub files: usize,
    pub total_bytes: u64,
    pub largest_shard_bytes: u64,
}

/// What the search stage adds to a build.
#[derive(Debug, Default)]
pub struct SearchOutput {
    pub files: Vec<OutputFile>,
    pub diagnostics: Vec<Diagnostic>,
    pub sizes: Vec<IndexSize>,
}

/// Whether `lang` gets a search index (`search = false` in `[languages.CODE]` turns it off).
pub fn enabled(config: &Config, lang: &str) -> bool {
    config.languages.get(lang).is_none_or(|l| l.search)
}

/// The folder of a language's search page, inside the site: `search/` or `en/search/`.
pub fn page_path(config: &Config, lang: &str) -> SitePath {
    SitePath::new(format!("{}search/", language_prefix(config, lang)))
}

/// Builds every enabled language's index from the rendered articles (`rendered[id]`
/// belongs to `site.pages[id]`) and checks the budgets of `[search]`.
pub fn search_stage<R: std::borrow::Borrow<Rendered>>(
    site: &Site,
    config: &Config,
    rendered: &[R],
) -> SearchOutput {
    let mut out = SearchOutput::default();
    for lang in site.languages.iter().filter(|l| enabled(config, l)) {
        let docs: Vec<SearchDoc> = site
            .pages
            .iter()
            .enumerate()
            .filter(|(_, page)| &page.lang == lang)
            .filter_map(|(id, _)| extract(site, id, rendered[id].borrow()))
            .collect();
        let built = build_index(&docs);
        out.diagnostics.extend(check_budget(config, lang, &built));
        let folder = format!("{}data/", page_path(config, lang).as_str());
        out.sizes.push(IndexSize {
            lang: lang.clone(),
            documents: built.documents,
            files: built.files.len(),
            total_bytes: built.total_bytes,
            largest_shard_bytes: built.largest_shard_bytes,
        });
        out.files
            .extend(built.files.into_iter().map(|f| OutputFile {
                path: format!("{folder}{}", f.path),
                content: FileContent::Bytes(f.bytes),
            }));
    }
    out
}

fn check_budget(config: &Config, lang: &str, built: &LanguageIndex) -> Vec<Diagnostic> {
    let budget = &config.search;
    let mut problems = Vec::new();
    let over = |what: String, size: u64, limit: u64, key: &str, hint: &str| {
        Diagnostic::error(format!(
            "{what} is {}, over the budget of {} (`{key}` in [search])",
            human_bytes(size),
            human_bytes(limit)
        ))
        .in_file(PathBuf::from("config.toml"))
        .with_hint(hint.to_string())
    };
    if built.total_bytes > budget.max_index_bytes {
        problems.push(over(
            format!("the search index of language `{lang}`"),
            built.total_bytes,
            budget.max_index_bytes,
            "max_index_bytes",
            "raise `max_index_bytes` under [search] in config.toml, or turn this language's index off with `search = false`",
        ));
    }
    if built.largest_shard_bytes > budget.max_shard_bytes {
        problems.push(over(
            format!(
                "the largest search shard of language `{lang}` ({})",
                built.largest_shard
            ),
            built.largest_shard_bytes,
            budget.max_shard_bytes,
            "max_shard_bytes",
            "raise `max_shard_bytes` under [search] in config.toml",
        ));
    }
    problems
}

/// `1.2 MiB`, `3.4 KiB`, `512 B`.
pub fn human_bytes(bytes: u64) -> String {
    const KIB: f64 = 1024.0;
    let b = bytes as f64;
    if b >= KIB * KIB {
        format!("{:.1} MiB", b / KIB / KIB)
    } else if b >= KIB {
        format!("{:.1} KiB", b / KIB)
    } else {
        format!("{bytes} B")
    }
}

/// The `search` template variable: where the search script, the index and the search
/// page are, relative to the page being rendered (`current`), so that the site also
/// searches when opened from a folder on disk. Without a current page (404), the
/// paths are absolute from the base path.
pub fn template_vars(
    config: &Config,
    urls: &Urls,
    lang: &str,
    current: Option<&SitePath>,
) -> Value {
    let root = match current {
        Some(path) => relative_root(path),
        None => urls.base_path().to_string(),
    };
    let page = page_path(config, lang);
    json!({
        "enabled": enabled(config, lang),
        "root": root,
        "script": format!("{root}search.js"),
        "data": format!("{root}{}data/", page.as_str()),
        "page": format!("{root}{}", page.as_str()),
    })
}

/// `../../` for `account/reset/`, `""` for the home page, `../` for `old/page.html`.
fn relative_root(path: &SitePath) -> String {
    "../".repeat(path.as_str().matches('/').count())
}
