//! Site search: a compact, sharded index per language, queried by the theme's
//! `search.js` in the browser with the same tokenizer.
//!
//! Two steps, so that a rebuild can cache the first per page:
//! 1. `extract`: one article -> its `SearchDoc`;
//! 2. `build_index`: one language's documents -> its index files.
//!
//! Readers type badly, and the index meets them half-way: Han text is folded to one
//! script ([`fold`], traditional and simplified alike), Han terms are listed under
//! their toneless pinyin ([`pinyin`]), and `search.js` corrects typos by the rule of
//! [`typo`], completes the word being typed and falls back to partial matches.
//!
//! `search_stage` runs both for the whole site and checks the size budgets. It keeps
//! each language's `IndexState` in a `SearchCache`, so that a rebuild while
//! previewing counts and encodes again only what the changed articles touched.

mod capped;
mod encode;
mod extract;
pub mod fold;
mod format;
mod index;
pub mod pinyin;
mod terms;
pub mod tokenize;
pub mod typo;
mod variants;

use std::collections::HashMap;
use std::path::PathBuf;

use serde_json::{json, Value};

pub(crate) use extract::{extract, extract_with_text, is_indexed, SearchDoc};
pub(crate) use index::{IndexState, LanguageIndex};

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::markdown::Rendered;
use crate::model::urls::Urls;
use crate::model::{language_prefix, PageId, Site, SitePath};
use crate::output::files::{FileContent, OutputFile};

/// Size figures of one language's index, for the build summary.
#[derive(Debug, Clone)]
pub(crate) struct IndexSize {
    pub(crate) lang: String,
    pub(crate) documents: usize,
    pub(crate) files: usize,
    pub(crate) total_bytes: u64,
    pub(crate) largest_shard_bytes: u64,
}

/// What the search stage adds to a build.
#[derive(Debug, Default)]
pub(crate) struct SearchOutput {
    pub(crate) files: Vec<OutputFile>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) sizes: Vec<IndexSize>,
}

/// Whether `lang` gets a search index (`search = false` in `[languages.CODE]` turns it off).
pub(crate) fn enabled(config: &Config, lang: &str) -> bool {
    config.languages.get(lang).is_none_or(|l| l.search)
}

/// The folder of a language's search page, inside the site: `search/` or `en/search/`.
pub(crate) fn page_path(config: &Config, lang: &str) -> SitePath {
    SitePath::new(format!("{}search/", language_prefix(config, lang)))
}

/// Documents that may change their path in one update and still be replaced one by
/// one; past this many, the index is made anew (reusing every unchanged text's terms).
const MOST_MOVED_DOCUMENTS: usize = 32;

/// Each language's index as the last build left it, with the page of each document.
#[derive(Default)]
pub(crate) struct SearchCache {
    languages: HashMap<String, CachedLanguage>,
    /// For a single build: the indexes are never updated, so they keep only what
    /// makes their files.
    one_shot: bool,
}

impl SearchCache {
    /// A cache for one build that is not followed by another.
    pub(crate) fn one_shot() -> Self {
        SearchCache {
            one_shot: true,
            ..SearchCache::default()
        }
    }

    /// After the pages `removed` (each numbered as when it was taken out, in that
    /// order) were taken out of the site and the pages `added` (numbered as now, in
    /// ascending order) put in: brings each language's index up to the site. When a
    /// language has as many documents as before and only a few are not where they
    /// were (an article renamed beside itself), those are replaced in place;
    /// otherwise each removal and addition renumbers the documents after it.
    pub(crate) fn pages_changed<R: std::borrow::Borrow<Rendered>>(
        &mut self,
        (site, rendered): (&Site, &[R]),
        removed: &[PageId],
        added: &[PageId],
    ) {
        for (lang, cached) in &mut self.languages {
            let now: Vec<PageId> = (site.pages.iter().enumerate())
                .filter(|(_, page)| page.lang == *lang && is_indexed(page))
                .map(|(id, _)| id)
                .collect();
            let moved: Vec<usize> = (0..now.len())
                .filter(|&n| cached.state.doc_path(n) != Some(site.pages[now[n]].path.as_str()))
                .collect();
            if now.len() == cached.pages.len() && moved.len() <= MOST_MOVED_DOCUMENTS {
                let docs: Vec<(usize, SearchDoc)> = (moved.iter())
                    .filter_map(|&n| {
                        extract(site, now[n], rendered[now[n]].borrow()).map(|d| (n, d))
                    })
                    .collect();
                cached
                    .state
                    .replace(docs.iter().map(|(n, doc)| (*n, doc)).collect());
                cached.pages = now;
                continue;
            }
            removed.iter().for_each(|&id| cached.page_removed(id));
            added
                .iter()
                .for_each(|&id| cached.page_added((site, lang), rendered, id));
        }
    }
}

#[derive(Default)]
struct CachedLanguage {
    state: IndexState,
    /// `pages[n]` is the page of document `n`, in ascending order.
    pages: Vec<PageId>,
}

impl CachedLanguage {
    /// After page `id` was taken out of the site (the pages after it numbered one
    /// down): takes its document out.
    fn page_removed(&mut self, id: PageId) {
        if let Ok(n) = self.pages.binary_search(&id) {
            self.state.remove(n);
            self.pages.remove(n);
        }
        let after = self.pages.partition_point(|&p| p < id);
        self.pages[after..].iter_mut().for_each(|p| *p -= 1);
    }

    /// After page `id` was added to the site (the pages from it on numbered one up):
    /// puts its document in, when it is of this language.
    fn page_added<R: std::borrow::Borrow<Rendered>>(
        &mut self,
        (site, lang): (&Site, &str),
        rendered: &[R],
        id: PageId,
    ) {
        let at = self.pages.partition_point(|&p| p < id);
        self.pages[at..].iter_mut().for_each(|p| *p += 1);
        if site.pages[id].lang != lang {
            return;
        }
        if let Some(doc) = extract(site, id, rendered[id].borrow()) {
            self.state.insert(at, &doc);
            self.pages.insert(at, id);
        }
    }

    /// Re-extracts only the `edited` pages, trusting the cache for every other
    /// one; `false` when the cache does not hold this site's documents.
    fn replace_pages<R: std::borrow::Borrow<Rendered>>(
        &mut self,
        (site, lang): (&Site, &str),
        rendered: &[R],
        edited: &[PageId],
    ) -> bool {
        let mut edits = Vec::new();
        for &id in edited {
            let Ok(n) = self.pages.binary_search(&id) else {
                // A page the index did not hold that it must hold now (a draft
                // published) gives the documents after it other numbers.
                let indexed_now = site.pages[id].lang == lang
                    && extract(site, id, rendered[id].borrow()).is_some();
                if indexed_now {
                    return false;
                }
                continue;
            };
            match extract(site, id, rendered[id].borrow()) {
                Some(doc) if self.state.doc_path(n) == Some(doc.path) => edits.push((n, doc)),
                _ => return false,
            }
        }
        self.state
            .replace(edits.iter().map(|(n, doc)| (*n, doc)).collect());
        true
    }

    fn update_all<R: std::borrow::Borrow<Rendered> + Sync>(
        &mut self,
        site: &Site,
        lang: &str,
        rendered: &[R],
    ) {
        let (pages, docs): (Vec<PageId>, Vec<SearchDoc>) = site
            .pages
            .iter()
            .enumerate()
            .filter(|(_, page)| page.lang == lang)
            .filter_map(|(id, _)| extract(site, id, rendered[id].borrow()).map(|doc| (id, doc)))
            .unzip();
        // As many documents as before (a renamed or moved article): numbers are kept,
        // so only the documents whose path or text changed are indexed again. A
        // document added or removed renumbers the ones after it: made anew, as when
        // an article moved far and the ones between changed numbers (taking each
        // out of and into every list it is in costs more than making the lists).
        let same_count = !self.pages.is_empty() && self.pages.len() == pages.len();
        let moved = (0..docs.len())
            .filter(|&n| self.state.doc_path(n) != Some(docs[n].path))
            .count();
        self.pages = pages;
        match same_count && moved <= MOST_MOVED_DOCUMENTS {
            true => self.state.replace(docs.iter().enumerate().collect()),
            false => self.state.update(&docs),
        }
    }

    /// Indexes every page of `lang` anew into a state that will not be updated,
    /// with the plain texts held apart (`texts[id]` of `site.pages[id]`), dropping
    /// each batch's texts once indexed.
    fn fill_once<R: std::borrow::Borrow<Rendered> + Sync>(
        &mut self,
        (site, lang): (&Site, &str),
        rendered: &[R],
        texts: &mut [String],
    ) {
        let mut state = IndexState::new(true);
        let pages = site.pages.iter().enumerate();
        self.pages = pages
            .filter(|(_, page)| page.lang == lang && is_indexed(page))
            .map(|(id, _)| id)
            .collect();
        for batch in self.pages.chunks(format::TOKENIZE_BATCH) {
            let docs: Vec<SearchDoc> = batch
                .iter()
                .filter_map(|&id| extract_with_text(site, id, rendered[id].borrow(), &texts[id]))
                .collect();
            state.add_once(&docs);
            drop(docs);
            batch.iter().for_each(|&id| texts[id] = String::new());
        }
        state.finish_once();
        self.state = state;
    }
}

/// Each page's plain text (`texts[id]` of `site.pages[id]`), taken out of its
/// rendered Markdown for a build that keeps nothing: the search stage drops each
/// once indexed, so that they are not all held until the templates are done.
pub(crate) type PlainTexts = Vec<String>;

/// Builds every enabled language's index from the rendered articles (`rendered[id]`
/// belongs to `site.pages[id]`) and checks the budgets of `[search]`.
///
/// `edited`, when given, names the only pages whose search text can have changed
/// since the build that filled `cache` (a save that changed article bodies alone);
/// without it every page is extracted and compared with the cache.
pub(crate) fn search_stage<R: std::borrow::Borrow<Rendered> + Sync>(
    site: &Site,
    config: &Config,
    rendered: &[R],
    cache: &mut SearchCache,
    edited: Option<&[PageId]>,
) -> SearchOutput {
    index_languages(site, config, rendered, cache, (edited, None))
}

/// The search stage of a build that keeps nothing (a one-shot `cache`), whose
/// pages' plain texts were taken out of `rendered` into `texts`.
pub(crate) fn search_stage_once<R: std::borrow::Borrow<Rendered> + Sync>(
    site: &Site,
    config: &Config,
    rendered: &[R],
    cache: &mut SearchCache,
    texts: PlainTexts,
) -> SearchOutput {
    index_languages(site, config, rendered, cache, (None, Some(texts)))
}

fn index_languages<R: std::borrow::Borrow<Rendered> + Sync>(
    site: &Site,
    config: &Config,
    rendered: &[R],
    cache: &mut SearchCache,
    (edited, mut texts): (Option<&[PageId]>, Option<PlainTexts>),
) -> SearchOutput {
    let mut out = SearchOutput::default();
    let enabled_languages: Vec<&String> = site
        .languages
        .iter()
        .filter(|l| enabled(config, l))
        .collect();
    cache
        .languages
        .retain(|lang, _| enabled_languages.contains(&lang));
    for lang in enabled_languages {
        let one_shot = cache.one_shot;
        let cached = (cache.languages.entry(lang.clone())).or_insert_with(|| CachedLanguage {
            state: IndexState::new(one_shot),
            pages: Vec::new(),
        });
        debug_assert!(
            texts.is_none() || one_shot,
            "texts are taken only when nothing is kept"
        );
        match texts.as_deref_mut() {
            Some(texts) => cached.fill_once((site, lang), rendered, texts),
            None => {
                let updated =
                    edited.is_some_and(|pages| cached.replace_pages((site, lang), rendered, pages));
                if !updated {
                    cached.update_all(site, lang, rendered);
                }
            }
        }
        let built = cached.state.index();
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
                content: FileContent::Shared(f.bytes),
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
pub(crate) fn human_bytes(bytes: u64) -> String {
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
pub(crate) fn template_vars(
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
