//! The variables each template receives (documented in themes/default/THEME.md), as
//! structs that serialize to exactly those variables.
//!
//! `SharedContext` computes once what many pages show (summaries, cards, channels);
//! the contexts of one page borrow from it and from the site.

#[cfg(test)]
mod contract;
mod globals;
mod languages;
mod page;
mod section;
mod subject;
mod summary;
mod taxonomy;

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;

use crate::features::channels::ChannelView;
use crate::features::tags::Taxonomy;
use crate::model::rendered::RenderedSite;
use crate::model::{PageId, SectionId, Site};

pub(crate) use globals::Globals;
pub(crate) use page::{PageContext, RELATED_ARTICLES};
pub(crate) use section::SectionContext;
pub(crate) use subject::Subject;
pub(crate) use summary::{PageSummary, SectionCard, SectionSummary};
pub(crate) use taxonomy::{TaxonomyContext, TermContext};

/// How many articles a category card lists.
const CARD_ARTICLES: usize = 5;

/// Values computed once and shared by every page of the site.
pub(crate) struct SharedContext {
    page_summaries: Vec<PageSummary>,
    /// Index of each page in its section's order.
    positions: Vec<usize>,
    section_cards: Vec<SectionCard>,
    /// The first articles below each section, for its card.
    card_articles: Vec<Vec<PageId>>,
    /// Theme strings by language.
    strings: BTreeMap<String, Arc<Value>>,
    /// `config` as templates receive it (it changes only with a full rebuild).
    config: Arc<Value>,
    /// The *Channel* of each channel page (none for other pages).
    /// Boxed: most pages are not channels, and an empty slot costs a pointer.
    channel_views: Vec<Option<Box<ChannelView>>>,
    /// The taxonomies with terms, per language (`features::tags`).
    taxonomies: Vec<Taxonomy>,
}

/// The index of each page in its section's order.
fn positions(site: &Site) -> Vec<usize> {
    let mut positions = vec![0; site.pages.len()];
    for section in &site.sections {
        for (i, &page) in section.pages.iter().enumerate() {
            positions[page] = i;
        }
    }
    positions
}

/// Each section's card, with the count of the articles below it.
fn section_cards(r: &RenderedSite<'_>) -> Vec<SectionCard> {
    (0..r.site.sections.len())
        .map(|id| summary::section_card(r, id, r.site.pages_below(id).len()))
        .collect()
}

/// The first articles below each section, for its card.
fn card_articles(site: &Site) -> Vec<Vec<PageId>> {
    (0..site.sections.len())
        .map(|id| {
            let mut below = site.pages_below(id);
            // Promoted articles come first; the sort is stable, so each group keeps its order.
            below.sort_by_key(|&page| !site.pages[page].promoted);
            below.truncate(CARD_ARTICLES);
            below
        })
        .collect()
}

/// Everything a template receives.
#[derive(Debug, Serialize)]
pub(crate) struct TemplateContext<'a> {
    #[serde(flatten)]
    pub variables: PageVariables<'a>,
    /// The site's `Config`, serialized once.
    pub config: &'a Arc<Value>,
    /// The theme strings of the page's language.
    pub strings: &'a Arc<Value>,
}

/// What a template receives but `config` and `strings`: those are the same on
/// every page of a language and change only with config.toml or the theme, so
/// the render cache leaves them out of what it compares.
#[derive(Debug, Serialize)]
pub(crate) struct PageVariables<'a> {
    #[serde(flatten)]
    pub globals: Globals<'a>,
    /// On articles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<PageContext<'a>>,
    /// On the home page, sections and the announcements section.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<SectionContext<'a>>,
    /// On the pages of a taxonomy: its index and each term's page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub taxonomy: Option<TaxonomyContext<'a>>,
    /// On a term's page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub term: Option<TermContext<'a>>,
    /// On search pages: every contact channel of the language, offered when a
    /// search finds nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<Vec<&'a ChannelView>>,
}

impl<'a> PageVariables<'a> {
    /// The variables with the subject's `content` (its HTML) filled in.
    pub(crate) fn with_content(mut self, html: &'a str) -> Self {
        if let Some(page) = &mut self.page {
            page.content = Some(html);
        }
        if let Some(section) = &mut self.section {
            section.content = Some(html);
        }
        self
    }
}

impl SharedContext {
    /// The taxonomies with terms, per language.
    pub(crate) fn taxonomies(&self) -> &[Taxonomy] {
        &self.taxonomies
    }

    /// Summarises every page and section and describes every channel, once.
    pub(crate) fn new(r: &RenderedSite<'_>) -> Self {
        SharedContext {
            // Each summary cuts and formats text of its own: tens of milliseconds
            // at 10,000 articles, on every core.
            page_summaries: (0..r.site.pages.len())
                .into_par_iter()
                .map(|id| summary::page_summary(r, id))
                .collect(),
            positions: positions(r.site),
            section_cards: section_cards(r),
            card_articles: card_articles(r.site),
            strings: r
                .site
                .languages
                .iter()
                .map(|lang| (lang.clone(), Arc::new(r.strings.of(lang))))
                .collect(),
            channel_views: (0..r.site.pages.len())
                .map(|id| r.channel_views().channel(id).map(Box::new))
                .collect(),
            taxonomies: crate::features::tags::taxonomies(r.site, r.config),
            // Plain settings with text keys: nothing in them fails to serialize.
            config: Arc::new(serde_json::to_value(r.config).unwrap_or_default()),
        }
    }

    /// Brings the context up to date after the front matter of `pages` changed in
    /// place (no page added, moved or removed, no section or channel changed): their
    /// summaries, the order of every section, the cards' first articles and the
    /// taxonomies. Everything else it holds cannot have changed.
    pub(crate) fn refresh_pages(&mut self, r: &RenderedSite<'_>, pages: &[PageId]) {
        for &id in pages {
            self.page_summaries[id] = summary::page_summary(r, id);
        }
        self.positions = positions(r.site);
        self.card_articles = card_articles(r.site);
        self.taxonomies = crate::features::tags::taxonomies(r.site, r.config);
    }

    /// Brings the context up to date after page `id` was added to the site (the pages
    /// after it numbered one up; no section, channel or other page changed).
    pub(crate) fn page_added(&mut self, r: &RenderedSite<'_>, id: PageId) {
        self.page_summaries.insert(id, summary::page_summary(r, id));
        let channel = r.channel_views().channel(id).map(Box::new);
        self.channel_views.insert(id, channel);
        self.refresh_structure(r);
    }

    /// Brings the context up to date after page `id` was taken out of the site (the
    /// pages after it numbered one down).
    pub(crate) fn page_removed(&mut self, r: &RenderedSite<'_>, id: PageId) {
        self.page_summaries.remove(id);
        self.channel_views.remove(id);
        self.refresh_structure(r);
    }

    /// Brings the context up to date after sections took a new title, description or
    /// icon in place: their cards, and the summaries of `pages`, which name their section.
    pub(crate) fn sections_changed(&mut self, r: &RenderedSite<'_>, pages: &[PageId]) {
        for &id in pages {
            self.page_summaries[id] = summary::page_summary(r, id);
        }
        self.refresh_structure(r);
    }

    /// What shows how many articles each section has and which: positions, cards,
    /// the cards' first articles and the taxonomies.
    fn refresh_structure(&mut self, r: &RenderedSite<'_>) {
        self.positions = positions(r.site);
        self.section_cards = section_cards(r);
        self.card_articles = card_articles(r.site);
        self.taxonomies = crate::features::tags::taxonomies(r.site, r.config);
    }

    /// The variables of a page in `lang` showing `subject` (none for the 404 and
    /// search pages), without the subject's `content`.
    pub(crate) fn variables<'a>(
        &'a self,
        r: &RenderedSite<'a>,
        lang: &'a str,
        subject: Option<Subject>,
    ) -> PageVariables<'a> {
        PageVariables {
            globals: self.globals(r, lang, subject),
            page: match subject {
                Some(Subject::Page(id)) => Some(self.page(r, id)),
                _ => None,
            },
            section: match subject {
                Some(Subject::Section(id)) => Some(self.section(r, id)),
                _ => None,
            },
            taxonomy: None,
            term: None,
            contact: None,
        }
    }

    /// `variables` with `config` and `strings`: all a template receives.
    pub(crate) fn template_context<'a>(
        &'a self,
        variables: PageVariables<'a>,
    ) -> TemplateContext<'a> {
        let strings = &self.strings[variables.globals.lang];
        TemplateContext {
            variables,
            config: &self.config,
            strings,
        }
    }

    /// The hash of the theme strings of `lang` (templates receive them, the
    /// render cache compares pages without them).
    pub(crate) fn strings_hash(&self, lang: &str) -> u64 {
        let text = self
            .strings
            .get(lang)
            .map(|strings| strings.to_string())
            .unwrap_or_default();
        xxhash_rust::xxh3::xxh3_64(text.as_bytes())
    }

    /// Whether page `id` still shows other pages the summary this context holds
    /// for it (after its Markdown was rendered again).
    pub(crate) fn summary_unchanged(&self, r: &RenderedSite<'_>, id: PageId) -> bool {
        summary::page_summary(r, id) == self.page_summaries[id]
    }

    /// The *SectionSummary* of section `id`, with its first articles or without.
    fn section_summary(&self, id: SectionId, with_articles: bool) -> SectionSummary<'_> {
        let articles = || {
            self.card_articles[id]
                .iter()
                .map(|&p| &self.page_summaries[p])
                .collect()
        };
        SectionSummary {
            card: &self.section_cards[id],
            articles: with_articles.then(articles),
        }
    }
}
