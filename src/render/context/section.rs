//! The *Section* of THEME.md: what `index.html`, `section.html` and
//! `announcements.html` receive about their section.

use std::collections::BTreeMap;

use serde::Serialize;

use super::page::{breadcrumbs, Breadcrumb};
use super::summary::{PageSummary, SectionSummary};
use super::SharedContext;
use crate::features::channels::ChannelView;
use crate::model::rendered::RenderedSite;
use crate::model::{PageId, SectionId, Site};

/// *Section*: everything in *SectionSummary*, plus its place in the site, its
/// articles and the channels below it.
#[derive(Debug, Serialize)]
pub(crate) struct SectionContext<'a> {
    #[serde(flatten)]
    pub summary: SectionSummary<'a>,
    pub permalink: String,
    pub breadcrumbs: Vec<Breadcrumb<'a>>,
    pub subsections: Vec<SectionSummary<'a>>,
    pub pages: Vec<&'a PageSummary>,
    pub extra: &'a toml::Table,
    pub channels: Vec<&'a ChannelView>,
    pub channel_groups: Vec<ChannelGroup<'a>>,
    /// The HTML of the section's intro; left out of what the render cache hashes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<&'a str>,
}

/// Channels of one kind: `{kind, label, channels}`.
#[derive(Debug, Serialize)]
pub(crate) struct ChannelGroup<'a> {
    pub kind: &'a str,
    pub label: &'a str,
    pub channels: Vec<&'a ChannelView>,
}

/// The order in which the contact page lists the kinds of channel.
const KIND_ORDER: [&str; 6] = ["phone", "chat", "email", "social", "forum", "form"];

impl SharedContext {
    /// The *Section* of section `id`, without its `content`.
    pub(crate) fn section<'a>(&'a self, r: &RenderedSite<'a>, id: SectionId) -> SectionContext<'a> {
        let section = &r.site.sections[id];
        let mut chain = r.site.ancestry(id);
        chain.pop();
        let channels = self.channels(&channels_below(r.site, id));
        SectionContext {
            summary: self.section_summary(id, true),
            permalink: r.urls.permalink(&section.path),
            breadcrumbs: breadcrumbs(r, &chain),
            subsections: section
                .subsections
                .iter()
                .map(|&s| self.section_summary(s, true))
                .collect(),
            pages: section
                .pages
                .iter()
                .map(|&p| &self.page_summaries[p])
                .collect(),
            extra: &section.extra,
            channel_groups: channel_groups(&channels),
            channels,
            content: None,
        }
    }

    /// Every *Channel* of `lang`, in page order.
    pub(crate) fn channels_of_language(&self, r: &RenderedSite, lang: &str) -> Vec<&ChannelView> {
        let ids: Vec<PageId> = (0..r.site.pages.len())
            .filter(|&id| r.site.pages[id].lang == lang && r.site.pages[id].channel.is_some())
            .collect();
        self.channels(&ids)
    }

    /// The *Channel*s of the channel pages `ids`.
    pub(super) fn channels(&self, ids: &[PageId]) -> Vec<&ChannelView> {
        ids.iter()
            .filter_map(|&id| self.channel_views[id].as_deref())
            .collect()
    }
}

/// Channels grouped by kind, in the order of `KIND_ORDER` (unknown kinds last).
fn channel_groups<'a>(channels: &[&'a ChannelView]) -> Vec<ChannelGroup<'a>> {
    let mut groups: BTreeMap<(usize, &str), Vec<&ChannelView>> = BTreeMap::new();
    for &view in channels {
        let rank = KIND_ORDER
            .iter()
            .position(|k| *k == view.kind)
            .unwrap_or(KIND_ORDER.len());
        groups.entry((rank, view.kind)).or_default().push(view);
    }
    groups
        .into_iter()
        .map(|((_, kind), channels)| ChannelGroup {
            kind,
            label: &channels[0].kind_label,
            channels,
        })
        .collect()
}

/// The channel pages below a section, in its order.
fn channels_below(site: &Site, section: SectionId) -> Vec<PageId> {
    site.pages_below(section)
        .into_iter()
        .filter(|&p| site.pages[p].channel.is_some())
        .collect()
}
