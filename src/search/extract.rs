//! Per-page extraction: one article -> the text the search index needs.
//!
//! Kept separate from index building so a rebuild can cache a page's [`SearchDoc`]
//! and only redo the per-language index.

use crate::markdown::Rendered;
use crate::model::{PageId, Site};

/// How much of an article's text the results table keeps for snippets.
const SNIPPET_SOURCE_CHARS: usize = 160;

/// Everything the search index holds about one article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchDoc {
    /// The article's path inside the site (`account/reset-password/`), without base path.
    pub path: String,
    pub title: String,
    /// Synonyms from the front matter (`keywords = [...]`).
    pub keywords: Vec<String>,
    pub headings: Vec<String>,
    /// The plain text of the article body.
    pub body: String,
    /// The title of the article's section.
    pub category: String,
    /// The start of the body, whitespace collapsed, shown around matches.
    pub snippet_source: String,
}

/// The search document of a page, or `None` when it must not be indexed: drafts,
/// and stand-ins (an untranslated article shown in another language is indexed once,
/// in its own language).
pub fn extract(site: &Site, id: PageId, rendered: &Rendered) -> Option<SearchDoc> {
    let page = &site.pages[id];
    if page.draft || page.stand_in_for.is_some() {
        return None;
    }
    Some(SearchDoc {
        path: page.path.as_str().to_string(),
        title: page.title.clone(),
        keywords: page.keywords.clone(),
        headings: rendered.headings.iter().map(|h| h.title.clone()).collect(),
        body: rendered.plain_text.clone(),
        category: site.sections[page.section].title.clone(),
        snippet_source: snippet_source(&rendered.plain_text),
    })
}

fn snippet_source(text: &str) -> String {
    let mut out = String::new();
    for (count, word) in text.split_whitespace().enumerate() {
        if count > 0 {
            out.push(' ');
        }
        out.push_str(word);
        if out.chars().count() >= SNIPPET_SOURCE_CHARS {
            break;
        }
    }
    out.chars().take(SNIPPET_SOURCE_CHARS).collect()
}
