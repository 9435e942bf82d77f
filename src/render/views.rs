//! The smaller values templates receive: article and section summaries, breadcrumbs,
//! the table of contents, announcement windows, channel groups and JSON-LD.

use serde_json::{json, Value};

use super::context::{SharedContext, CARD_ARTICLES};
use super::languages::Subject;
use crate::features::channels::ChannelViews;
use crate::markdown::{excerpt, Heading};
use crate::model::rendered::RenderedSite;
use crate::model::{PageId, SectionId, Site};

/// How long an article's summary is, in characters.
const SUMMARY_CHARS: usize = 200;

/// The channel pages below a section, in its order.
pub(super) fn channels_below(site: &Site, section: SectionId) -> Vec<PageId> {
    site.pages_below(section)
        .into_iter()
        .filter(|&p| site.pages[p].channel.is_some())
        .collect()
}

/// JSON-LD for a channel page, or for a section that lists channels.
pub(super) fn channel_jsonld(r: &RenderedSite<'_>, lang: &str, subject: Option<Subject>) -> String {
    let channels = match subject {
        Some(Subject::Page(id)) if r.site.pages[id].channel.is_some() => vec![id],
        // Only the section that holds the channels, not every ancestor up to home.
        Some(Subject::Section(id)) => r.site.sections[id]
            .pages
            .iter()
            .copied()
            .filter(|&p| r.site.pages[p].channel.is_some())
            .collect(),
        _ => Vec::new(),
    };
    r.channel_views().jsonld(lang, &channels)
}

impl RenderedSite<'_> {
    pub fn channel_views(&self) -> ChannelViews<'_> {
        ChannelViews {
            site: self.site,
            config: self.config,
            urls: self.urls,
            strings: self.strings,
            index: self.channels,
        }
    }
}

/// For a stand-in page, the original it shows.
pub(super) fn untranslated(r: &RenderedSite<'_>, id: PageId) -> Value {
    let Some(original) = r.site.pages[id].stand_in_for else {
        return Value::Null;
    };
    let original = &r.site.pages[original];
    json!({
        "lang": original.lang,
        "name": r.config.language_name(&original.lang),
        "url": r.urls.url(&original.path),
    })
}

pub(super) fn page_summary(r: &RenderedSite<'_>, id: PageId) -> Value {
    let page = &r.site.pages[id];
    let rendered = &r.pages[id];
    let summary = match (&rendered.summary, page.description.is_empty()) {
        (Some(summary), _) => excerpt(summary, SUMMARY_CHARS),
        (None, false) => excerpt(&page.description, SUMMARY_CHARS),
        (None, true) => excerpt(&rendered.plain_text, SUMMARY_CHARS),
    };
    json!({
        "title": page.title,
        // The language the title and summary are written in: a stand-in's is
        // its original's, so templates can mark it with `lang`.
        "lang": r.site.pages[page.stand_in_for.unwrap_or(id)].lang,
        "description": page.description,
        "url": r.urls.url(&page.path),
        "summary": summary,
        "date": page.date.as_ref().map(|d| d.day().to_string()).unwrap_or_default(),
        "updated": page.updated.as_ref().map(|d| d.day().to_string()).unwrap_or_default(),
        "date_text": page.date.as_ref().map(|d| r.strings.format_date(&page.lang, d)).unwrap_or_default(),
        "updated_text": page.updated.as_ref().map(|d| r.strings.format_date(&page.lang, d)).unwrap_or_default(),
        "announcement": announcement_view(r, id),
    })
}

/// A date for readers, with its time and offset when it has them: "May 16, 2026 18:00 (UTC+08:00)".
pub(super) fn moment_text(
    r: &RenderedSite<'_>,
    lang: &str,
    date: &crate::source::frontmatter::Date,
) -> String {
    let day = r.strings.format_date(lang, date);
    let text = date.as_str();
    let Some(time) = text.get(11..16) else {
        return day;
    };
    let zone = text
        .get(19..)
        .map(|rest| rest.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit()));
    match zone {
        Some("Z" | "z") => format!("{day} {time} (UTC)"),
        Some(offset) if !offset.is_empty() => format!("{day} {time} (UTC{offset})"),
        _ => format!("{day} {time}"),
    }
}

/// The *Announcement* of THEME.md: severity and window of an announcement page.
pub(super) fn announcement_view(r: &RenderedSite<'_>, id: PageId) -> Value {
    let page = &r.site.pages[id];
    let Some(a) = &page.announcement else {
        return Value::Null;
    };
    let strings = r.strings.of(&page.lang);
    let label = strings
        .get(format!("severity_{}", a.severity.as_str()))
        .and_then(Value::as_str)
        .unwrap_or(a.severity.as_str());
    json!({
        "severity": a.severity.as_str(),
        "severity_label": label,
        "starts": a.starts.as_str(),
        "ends": a.ends.as_ref().map(|d| d.as_str()).unwrap_or_default(),
        "starts_text": moment_text(r, &page.lang, &a.starts),
        "ends_text": a.ends.as_ref().map(|d| moment_text(r, &page.lang, d)).unwrap_or_default(),
        "dismiss_key": crate::features::announcements::dismiss_key(r.site, id),
    })
}

pub(super) fn section_summary(
    r: &RenderedSite<'_>,
    shared: &SharedContext,
    id: SectionId,
) -> Value {
    let section = &r.site.sections[id];
    let below = r.site.pages_below(id);
    json!({
        "title": section.title,
        "description": section.description,
        "url": r.urls.url(&section.path),
        "icon": section.icon,
        "weight": section.weight,
        "article_count": below.len(),
        "articles": below.iter().take(CARD_ARTICLES).map(|&p| shared.page_summaries[p].clone()).collect::<Vec<_>>(),
    })
}

pub(super) fn breadcrumbs(r: &RenderedSite<'_>, chain: &[SectionId]) -> Value {
    Value::Array(
        chain
            .iter()
            .map(|&id| {
                let s = &r.site.sections[id];
                json!({ "title": s.title, "url": r.urls.url(&s.path) })
            })
            .collect(),
    )
}

/// Nested table of contents of the headings below the page title (levels 2 to 4).
pub(super) fn toc(headings: &[Heading]) -> Value {
    fn take_level(headings: &[Heading], i: &mut usize, level: u8) -> Vec<Value> {
        let mut items = Vec::new();
        while *i < headings.len() && headings[*i].level >= level {
            let h = &headings[*i];
            *i += 1;
            let children = take_level(headings, i, h.level + 1);
            items.push(
                json!({ "level": h.level, "id": h.id, "title": h.title, "children": children }),
            );
        }
        items
    }
    let listed: Vec<Heading> = headings
        .iter()
        .filter(|h| (2..=4).contains(&h.level))
        .cloned()
        .collect();
    let top = listed.iter().map(|h| h.level).min().unwrap_or(2);
    let mut i = 0;
    let mut items = Vec::new();
    while i < listed.len() {
        items.extend(take_level(&listed, &mut i, top));
    }
    Value::Array(items)
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
        let t = toc(&[h(2, "a"), h(3, "a1"), h(3, "a2"), h(2, "b"), h(4, "b1")]);
        assert_eq!(t[0]["children"].as_array().unwrap().len(), 2);
        assert_eq!(t[1]["id"], "b");
        assert_eq!(t[1]["children"][0]["id"], "b1");
    }
}
