//! The *Taxonomy*, *Term* and *TermSummary* of THEME.md: what `taxonomy_list.html` and
//! `taxonomy_single.html` receive, and the terms `page.html` shows under an article.

use serde::Serialize;

use super::summary::PageSummary;
use super::{PageVariables, SharedContext};
use crate::features::tags::{self, Taxonomy, Term, LIST_TEMPLATE, SINGLE_TEMPLATE};
use crate::model::rendered::RenderedSite;
use crate::model::{PageId, SitePath};

/// *Taxonomy*: a taxonomy of the page's language and all its terms.
#[derive(Debug, Serialize)]
pub(crate) struct TaxonomyContext<'a> {
    pub name: &'a str,
    pub title: String,
    pub url: String,
    pub permalink: String,
    pub terms: Vec<TermSummary<'a>>,
}

/// *TermSummary*: a term as lists show it.
#[derive(Debug, Serialize)]
pub(crate) struct TermSummary<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub page_count: usize,
}

/// *Term*: one term and the articles filed under it.
#[derive(Debug, Serialize)]
pub(crate) struct TermContext<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub permalink: String,
    pub pages: Vec<&'a PageSummary>,
}

/// One entry of `page.taxonomies`: `{name, title, url, terms}`, the terms being the
/// article's own.
#[derive(Debug, Serialize)]
pub(crate) struct PageTaxonomy<'a> {
    pub name: &'a str,
    pub title: String,
    pub url: String,
    pub terms: Vec<TermSummary<'a>>,
}

/// A page of a taxonomy: where it is written, its template and its variables.
pub(crate) struct TaxonomyPage<'a> {
    pub path: SitePath,
    pub template: &'static str,
    pub variables: PageVariables<'a>,
}

impl SharedContext {
    /// Every taxonomy's index and term pages, in every language that has terms.
    pub(crate) fn taxonomy_pages<'a>(&'a self, r: &RenderedSite<'a>) -> Vec<TaxonomyPage<'a>> {
        let mut pages = Vec::new();
        for taxonomy in &self.taxonomies {
            let list = self.taxonomy_page(r, taxonomy, None, &taxonomy.path, LIST_TEMPLATE);
            pages.push(list);
            for term in &taxonomy.terms {
                pages.push(self.taxonomy_page(
                    r,
                    taxonomy,
                    Some(term),
                    &term.path,
                    SINGLE_TEMPLATE,
                ));
            }
        }
        pages
    }

    fn taxonomy_page<'a>(
        &'a self,
        r: &RenderedSite<'a>,
        taxonomy: &'a Taxonomy,
        term: Option<&'a Term>,
        path: &SitePath,
        template: &'static str,
    ) -> TaxonomyPage<'a> {
        let mut variables = self.variables(r, &taxonomy.lang, None);
        variables.globals.current_url = r.urls.permalink(path);
        variables.globals.current_path = r.urls.url(path);
        variables.taxonomy = Some(TaxonomyContext {
            name: &taxonomy.name,
            title: self.taxonomy_title(&taxonomy.lang, &taxonomy.name),
            url: r.urls.url(&taxonomy.path),
            permalink: r.urls.permalink(&taxonomy.path),
            terms: taxonomy.terms.iter().map(|t| term_summary(r, t)).collect(),
        });
        variables.term = term.map(|term| TermContext {
            name: &term.name,
            slug: &term.slug,
            url: r.urls.url(&term.path),
            permalink: r.urls.permalink(&term.path),
            pages: term
                .pages
                .iter()
                .map(|&p| &self.page_summaries[p])
                .collect(),
        });
        TaxonomyPage {
            path: path.clone(),
            template,
            variables,
        }
    }

    /// `page.taxonomies`: the terms article `id` is filed under, in its language.
    pub(super) fn page_taxonomies<'a>(
        &'a self,
        r: &RenderedSite<'a>,
        id: PageId,
    ) -> Vec<PageTaxonomy<'a>> {
        let page = &r.site.pages[id];
        let mut out = Vec::new();
        // A stand-in is not filed in its language: its terms are the original's words.
        if page.stand_in_for.is_some() {
            return out;
        }
        for filed in &page.taxonomies {
            let Some(taxonomy) = self
                .taxonomies
                .iter()
                .find(|t| t.lang == page.lang && t.name == filed.taxonomy.value)
            else {
                continue;
            };
            let mut terms: Vec<TermSummary<'a>> = Vec::new();
            for written in &filed.terms {
                let slug = tags::term_slug(&written.value);
                let Some(term) = taxonomy.terms.iter().find(|t| t.slug == slug) else {
                    continue;
                };
                if !terms.iter().any(|t| t.slug == term.slug) {
                    terms.push(term_summary(r, term));
                }
            }
            out.push(PageTaxonomy {
                name: &taxonomy.name,
                title: self.taxonomy_title(&taxonomy.lang, &taxonomy.name),
                url: r.urls.url(&taxonomy.path),
                terms,
            });
        }
        out
    }

    fn taxonomy_title(&self, lang: &str, name: &str) -> String {
        tags::title(&self.strings[lang], name)
    }
}

fn term_summary<'a>(r: &RenderedSite<'_>, term: &'a Term) -> TermSummary<'a> {
    TermSummary {
        name: &term.name,
        slug: &term.slug,
        url: r.urls.url(&term.path),
        page_count: term.pages.len(),
    }
}
