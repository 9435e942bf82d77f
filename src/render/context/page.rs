//! The *Page* of THEME.md: what `page.html` receives about its article.

use serde::Serialize;

use super::summary::{PageAbout, PageSummary};
use super::taxonomy::PageTaxonomy;
use super::SharedContext;
use crate::features::channels::ChannelView;
use crate::features::feedback::FeedbackView;
use crate::features::requests::RequestFormView;
use crate::markdown::Heading;
use crate::model::channels::routed_channels;
use crate::model::rendered::RenderedSite;
use crate::model::{PageId, SectionId};

/// How many related articles a page shows.
pub(crate) const RELATED_ARTICLES: usize = 5;

/// *Page*: everything in *PageSummary* (but `lang`, which is the page's own), plus
/// its place in the site and what features add to it.
#[derive(Debug, Serialize)]
pub(crate) struct PageContext<'a> {
    #[serde(flatten)]
    pub about: &'a PageAbout,
    pub lang: &'a str,
    pub permalink: String,
    pub breadcrumbs: Vec<Breadcrumb<'a>>,
    /// Made from the headings of `content`, whose hash the render cache already
    /// takes (`RenderKey::content_hash`), so it is left out of what it hashes.
    #[serde(skip_serializing_if = "skip_when_hashing")]
    pub toc: Vec<TocEntry<'a>>,
    pub previous: Option<&'a PageSummary>,
    pub next: Option<&'a PageSummary>,
    pub related: Vec<&'a PageSummary>,
    pub reading_minutes: usize,
    pub extra: &'a toml::Table,
    pub untranslated: Option<Untranslated<'a>>,
    pub channel: Option<&'a ChannelView>,
    /// On the request form's own channel page.
    pub request_form: Option<RequestFormView>,
    pub feedback: Option<FeedbackView<'a>>,
    pub faq: bool,
    pub contact: Vec<&'a ChannelView>,
    /// The terms the article is filed under, per taxonomy (`tags` first).
    pub taxonomies: Vec<PageTaxonomy<'a>>,
    /// The HTML of the article; left out of what the render cache hashes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<&'a str>,
}

/// One step of `breadcrumbs`: `{title, url}`.
#[derive(Debug, Serialize)]
pub(crate) struct Breadcrumb<'a> {
    pub title: &'a str,
    pub url: String,
}

/// One entry of `toc`; `children` has the same shape.
#[derive(Debug, Serialize)]
pub(crate) struct TocEntry<'a> {
    pub level: u8,
    pub id: &'a str,
    pub title: &'a str,
    pub children: Vec<TocEntry<'a>>,
}

/// On a stand-in page, the original it shows: `{lang, name, url}`.
#[derive(Debug, Serialize)]
pub(crate) struct Untranslated<'a> {
    pub lang: &'a str,
    pub name: String,
    pub url: String,
}

impl SharedContext {
    /// The *Page* of article `id`, without its `content`.
    pub(crate) fn page<'a>(&'a self, r: &RenderedSite<'a>, id: PageId) -> PageContext<'a> {
        let page = &r.site.pages[id];
        let rendered: &'a crate::markdown::Rendered = &r.pages[id];
        let siblings = &r.site.sections[page.section].pages;
        let position = self.positions[id];
        let neighbour = |offset: isize| {
            position
                .checked_add_signed(offset)
                .and_then(|i| siblings.get(i))
                .map(|&p| &self.page_summaries[p])
        };
        let related = (siblings[position + 1..].iter())
            .chain(&siblings[..position])
            .take(RELATED_ARTICLES)
            .map(|&p| &self.page_summaries[p])
            .collect();
        let routed = routed_channels(r.site, r.channels, id);
        PageContext {
            about: &self.page_summaries[id].about,
            lang: &page.lang,
            permalink: r.urls.permalink(&page.path),
            breadcrumbs: breadcrumbs(r, &r.site.ancestry(page.section)),
            toc: toc(&rendered.headings),
            previous: neighbour(-1),
            next: neighbour(1),
            related,
            reading_minutes: rendered.reading_minutes,
            extra: &page.extra,
            untranslated: untranslated(r, id),
            channel: self.channel_views[id].as_deref(),
            request_form: crate::features::requests::view(r, id),
            feedback: crate::features::feedback::view(r, id),
            faq: crate::features::faq::is_faq(r.site, id),
            contact: self.channels(&routed),
            taxonomies: self.page_taxonomies(r, id),
            content: None,
        }
    }
}

fn skip_when_hashing<T>(_: &T) -> bool {
    crate::render::reuse::hashing()
}

/// `{title, url}` of each section of `chain`.
pub(super) fn breadcrumbs<'a>(r: &RenderedSite<'a>, chain: &[SectionId]) -> Vec<Breadcrumb<'a>> {
    chain
        .iter()
        .map(|&id| {
            let s = &r.site.sections[id];
            Breadcrumb {
                title: &s.title,
                url: r.urls.url(&s.path),
            }
        })
        .collect()
}

/// For a stand-in page, the original it shows.
fn untranslated<'a>(r: &RenderedSite<'a>, id: PageId) -> Option<Untranslated<'a>> {
    let original = &r.site.pages[r.site.pages[id].stand_in_for?];
    Some(Untranslated {
        lang: &original.lang,
        name: r.config.language_name(&original.lang),
        url: r.urls.url(&original.path),
    })
}

/// Nested table of contents of the headings below the page title (levels 2 to 4).
pub(super) fn toc(headings: &[Heading]) -> Vec<TocEntry<'_>> {
    fn take_level<'a>(headings: &[&'a Heading], i: &mut usize, level: u8) -> Vec<TocEntry<'a>> {
        let mut items = Vec::new();
        while *i < headings.len() && headings[*i].level >= level {
            let h = headings[*i];
            *i += 1;
            let children = take_level(headings, i, h.level + 1);
            items.push(TocEntry {
                level: h.level,
                id: &h.id,
                title: &h.title,
                children,
            });
        }
        items
    }
    let listed: Vec<&Heading> = headings
        .iter()
        .filter(|h| (2..=4).contains(&h.level))
        .collect();
    let top = listed.iter().map(|h| h.level).min().unwrap_or(2);
    let mut i = 0;
    let mut items = Vec::new();
    while i < listed.len() {
        items.extend(take_level(&listed, &mut i, top));
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(level: u8, id: &str) -> Heading {
        Heading {
            level,
            id: id.into(),
            title: id.into(),
            plain_start: 0,
            plain_end: 0,
        }
    }

    #[test]
    fn toc_nests_by_level() {
        let headings = [h(2, "a"), h(3, "a1"), h(3, "a2"), h(2, "b"), h(4, "b1")];
        let t = toc(&headings);
        assert_eq!(t[0].children.len(), 2);
        assert_eq!(t[1].id, "b");
        assert_eq!(t[1].children[0].id, "b1");
    }

    #[test]
    fn headings_above_the_first_level_start_a_new_entry() {
        let headings = [h(3, "deep"), h(2, "top"), h(5, "ignored")];
        let t = toc(&headings);
        let ids: Vec<&str> = t.iter().map(|e| e.id).collect();
        assert_eq!(ids, ["deep", "top"]);
        assert!(t[1].children.is_empty());
    }
}
