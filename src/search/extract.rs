//! Per-page extraction: one article -> the text the search index needs.
//!
//! Kept separate from index building so a rebuild can cache a page's [`SearchDoc`]
//! and only redo the per-language index.

use crate::markdown::Rendered;
use crate::model::{PageId, Site};

/// How much of an article's text the results table keeps for snippets.
const SNIPPET_SOURCE_CHARS: usize = 160;

/// Everything the search index holds about one article, borrowed from the page
/// and its rendered Markdown (only the snippet source is made here).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SearchDoc<'a> {
    /// The article's path inside the site (`account/reset-password/`), without base path.
    pub path: &'a str,
    pub title: &'a str,
    /// Synonyms from the front matter (`keywords = [...]`), then the names of the
    /// terms the article is filed under (its tags), which readers search by too.
    pub keywords: Vec<&'a str>,
    pub headings: Vec<&'a str>,
    /// The plain text of the article body.
    pub body: &'a str,
    /// The title of the article's section.
    pub category: &'a str,
    /// The start of the body, whitespace collapsed, shown around matches.
    pub snippet_source: String,
}

/// The search document of a page, or `None` when it must not be indexed: drafts,
/// and stand-ins (an untranslated article shown in another language is indexed once,
/// in its own language).
pub(crate) fn extract<'a>(
    site: &'a Site,
    id: PageId,
    rendered: &'a Rendered,
) -> Option<SearchDoc<'a>> {
    extract_with_text(site, id, rendered, &rendered.plain_text)
}

/// As [`extract`], with the page's plain text held apart from its `rendered`.
pub(crate) fn extract_with_text<'a>(
    site: &'a Site,
    id: PageId,
    rendered: &'a Rendered,
    plain_text: &'a str,
) -> Option<SearchDoc<'a>> {
    let page = &site.pages[id];
    if !is_indexed(page) {
        return None;
    }
    Some(SearchDoc {
        path: page.path.as_str(),
        title: &page.title,
        keywords: keywords_and_terms(page),
        headings: rendered.headings.iter().map(|h| h.title.as_str()).collect(),
        body: plain_text,
        category: &site.sections[page.section].title,
        snippet_source: snippet_source(plain_text),
    })
}

/// Whether a page has a search document at all (see [`extract`]).
pub(crate) fn is_indexed(page: &crate::model::Page) -> bool {
    !page.draft && page.stand_in_for.is_none()
}

fn keywords_and_terms(page: &crate::model::Page) -> Vec<&str> {
    let keywords = page.keywords.iter().map(String::as_str);
    let terms = (page.taxonomies.iter())
        .flat_map(|t| &t.terms)
        .map(|term| term.value.as_str());
    keywords.chain(terms).collect()
}

fn snippet_source(text: &str) -> String {
    let mut out = String::new();
    // Counted as words are added, not counted again after each one (a text of many
    // short words made that quadratic in the snippet's length).
    let mut chars = 0;
    for (count, word) in text.split_whitespace().enumerate() {
        if count > 0 {
            out.push(' ');
            chars += 1;
        }
        out.push_str(word);
        chars += word.chars().count();
        if chars >= SNIPPET_SOURCE_CHARS {
            break;
        }
    }
    match out.char_indices().nth(SNIPPET_SOURCE_CHARS) {
        Some((end, _)) => out[..end].to_string(),
        None => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The snippet as first written: the whole snippet counted again after each word.
    fn recounted(text: &str) -> String {
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

    #[test]
    fn the_snippet_is_the_start_of_the_text_with_whitespace_collapsed() {
        let long_words = "withdrawal ".repeat(40);
        let han = "提现到账需要多长时间，请耐心等待。".repeat(20);
        let mixed = format!("  Reset\n\tyour   密码 {han} done ");
        let exact = "a".repeat(SNIPPET_SOURCE_CHARS);
        for text in ["", "   ", "one", &long_words, &han, &mixed, &exact] {
            assert_eq!(snippet_source(text), recounted(text), "{text:?}");
        }
        assert_eq!(snippet_source(&mixed).chars().count(), SNIPPET_SOURCE_CHARS);
        assert!(snippet_source(&mixed).starts_with("Reset your 密码 提现"));
    }
}
