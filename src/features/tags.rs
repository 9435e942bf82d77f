//! Taxonomies, the Zola way: articles filed under terms (`tags = ["billing"]` in
//! `[taxonomies]`, or `tags: [...]` in YAML), and for each language a page per term at
//! `/tags/SLUG/` and an index of the terms at `/tags/` (under the language's prefix
//! for the other languages). `tags` is always known; other taxonomies are declared in
//! config.toml and get their pages the same way (`/audience/...`).
//!
//! This module says which pages there are and where; `render::jobs` renders them
//! through `taxonomy_list.html` and `taxonomy_single.html`.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::markdown::heading_id;
use crate::model::{language_prefix, PageId, Site, SitePath};

/// The template of a taxonomy's index of terms.
pub(crate) const LIST_TEMPLATE: &str = "taxonomy_list.html";
/// The template of one term's page.
pub(crate) const SINGLE_TEMPLATE: &str = "taxonomy_single.html";

/// One taxonomy of one language that has terms: its index page and its terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Taxonomy {
    pub lang: String,
    pub name: String,
    pub path: SitePath,
    /// By name, as readers scan a list.
    pub terms: Vec<Term>,
}

/// One term of a taxonomy in one language and the articles filed under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Term {
    /// As the first article (in site order) writes it.
    pub name: String,
    pub slug: String,
    pub path: SitePath,
    /// By title.
    pub pages: Vec<PageId>,
}

/// The last part of a term's address: its name in lower case, letters and digits of
/// every script kept, other characters joined by `-` (as heading ids are made); a
/// name with no letter or digit at all gets a short hash of itself.
pub(crate) fn term_slug(name: &str) -> String {
    let slug = heading_id(name);
    if slug.is_empty() {
        format!(
            "term-{:08x}",
            xxhash_rust::xxh3::xxh3_64(name.as_bytes()) as u32
        )
    } else {
        slug
    }
}

/// `tags/` of the default language, `en/tags/` of the others.
pub(crate) fn taxonomy_path(config: &Config, lang: &str, taxonomy: &str) -> SitePath {
    SitePath::new(format!("{}{taxonomy}/", language_prefix(config, lang)))
}

/// Every taxonomy with terms, per language (in the site's language order, then the
/// config's taxonomy order). Stand-ins for missing translations are not filed: their
/// terms are written in another language.
pub(crate) fn taxonomies(site: &Site, config: &Config) -> Vec<Taxonomy> {
    let mut out = Vec::new();
    for lang in &site.languages {
        for name in config.taxonomy_names() {
            let mut by_slug: BTreeMap<String, Term> = BTreeMap::new();
            let filed = site
                .pages
                .iter()
                .enumerate()
                .filter(|(_, p)| p.lang == *lang && p.stand_in_for.is_none());
            for (id, page) in filed {
                let terms = page.taxonomies.iter().filter(|t| t.taxonomy.value == name);
                for term in terms.flat_map(|t| &t.terms) {
                    let slug = term_slug(&term.value);
                    let entry = by_slug.entry(slug.clone()).or_insert_with(|| Term {
                        name: term.value.clone(),
                        path: taxonomy_path(config, lang, name).join_dir(&slug),
                        slug,
                        pages: Vec::new(),
                    });
                    if !entry.pages.contains(&id) {
                        entry.pages.push(id);
                    }
                }
            }
            if by_slug.is_empty() {
                continue;
            }
            let mut terms: Vec<Term> = by_slug.into_values().collect();
            for term in &mut terms {
                term.pages.sort_by(|&a, &b| {
                    let (a, b) = (&site.pages[a], &site.pages[b]);
                    a.title.cmp(&b.title).then_with(|| a.path.cmp(&b.path))
                });
            }
            terms.sort_by(|a, b| {
                (a.name.to_lowercase(), &a.name).cmp(&(b.name.to_lowercase(), &b.name))
            });
            out.push(Taxonomy {
                lang: lang.clone(),
                name: name.to_string(),
                path: taxonomy_path(config, lang, name),
                terms,
            });
        }
    }
    out
}

/// A taxonomy's pages would be written where a section or article of the content
/// is: an error on the content file, naming the taxonomy.
pub(crate) fn clashes(site: &Site, taxonomies: &[Taxonomy]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for taxonomy in taxonomies {
        let folder = taxonomy.path.as_str().to_lowercase();
        let sections = site.sections.iter().map(|s| (&s.path, s.source_display()));
        let pages = (site.pages.iter())
            .filter(|p| p.stand_in_for.is_none())
            .map(|p| (&p.path, p.source.display.clone()));
        for (path, source) in sections.chain(pages) {
            if path.as_str().to_lowercase().starts_with(&folder) {
                diags.push(
                    Diagnostic::error(format!(
                        "/{} is where the pages of the taxonomy `{}` are written",
                        path.as_str(),
                        taxonomy.name
                    ))
                    .in_file(source)
                    .with_hint(format!(
                        "rename the folder or file, or give it a `slug`: /{} belongs to the `{}` of the articles",
                        taxonomy.path.as_str(),
                        taxonomy.name
                    )),
                );
            }
        }
    }
    diags
}

/// A taxonomy's name for readers: the theme string `taxonomy_NAME` ("Tags", "标签"),
/// else the name with its first letter in upper case.
pub(crate) fn title(strings: &Value, taxonomy: &str) -> String {
    if let Some(text) = strings
        .get(format!("taxonomy_{taxonomy}"))
        .and_then(Value::as_str)
    {
        return text.to_string();
    }
    let spaced = taxonomy.replace(['-', '_'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_every_script_and_never_come_out_empty() {
        assert_eq!(term_slug("Two-Factor Auth"), "two-factor-auth");
        assert_eq!(term_slug("提现"), "提现");
        assert_eq!(term_slug("C++"), "c");
        let symbols = term_slug("+++");
        assert!(
            symbols.starts_with("term-") && symbols.len() == 13,
            "{symbols}"
        );
        assert_eq!(symbols, term_slug("+++"));
    }

    #[test]
    fn titles_come_from_the_theme_strings() {
        let strings = serde_json::json!({"taxonomy_tags": "标签"});
        assert_eq!(title(&strings, "tags"), "标签");
        assert_eq!(title(&strings, "product_area"), "Product area");
    }
}
