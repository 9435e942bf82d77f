//! How pages and sections appear in lists, cards and neighbours: *PageSummary*,
//! *SectionSummary* and the *Announcement* of THEME.md.

use serde::Serialize;
use serde_json::Value;

use crate::markdown::excerpt;
use crate::model::rendered::RenderedSite;
use crate::model::{PageId, SectionId};
use crate::source::frontmatter::{Date, UtcOffset};

const SUMMARY_CHARS: usize = 200;

/// *PageSummary*: a page as lists and neighbours show it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PageSummary {
    /// The language the title and summary are written in: a stand-in's is its
    /// original's, so templates can mark it with `lang`.
    pub lang: String,
    pub about: PageAbout,
    /// The hash of what it serializes to. A page's context shows many summaries
    /// (its neighbours, related articles, a listing); the render cache hashes each
    /// as this number instead of its text (`render::reuse`).
    hash: u64,
}

/// What a *PageSummary* serializes to for templates.
#[derive(Serialize)]
struct SummaryFields<'a> {
    lang: &'a str,
    #[serde(flatten)]
    about: &'a PageAbout,
}

impl PageSummary {
    fn new(lang: String, about: PageAbout) -> Self {
        let fields = SummaryFields {
            lang: &lang,
            about: &about,
        };
        let hash = crate::render::reuse::hash_variables("", &fields, 0);
        PageSummary { lang, about, hash }
    }
}

impl Serialize for PageSummary {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if crate::render::reuse::hashing() {
            return serializer.serialize_u64(self.hash);
        }
        let fields = SummaryFields {
            lang: &self.lang,
            about: &self.about,
        };
        fields.serialize(serializer)
    }
}

/// A *PageSummary* but its `lang`, which a *Page* replaces with its own.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct PageAbout {
    pub title: String,
    pub description: String,
    pub url: String,
    /// Plain text, about 200 characters.
    pub summary: String,
    /// `YYYY-MM-DD` or empty.
    pub date: String,
    pub updated: String,
    /// The same dates written for readers of the page's language.
    pub date_text: String,
    pub updated_text: String,
    /// Boxed: most pages are not announcements.
    pub announcement: Option<Box<AnnouncementView>>,
}

/// The *Announcement* of THEME.md: severity and window of an announcement page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct AnnouncementView {
    pub severity: &'static str,
    pub severity_label: String,
    /// As written: "2026-05-16" or "2026-05-16T18:00:00+08:00".
    pub starts: String,
    pub ends: String,
    /// For readers, with the time and offset when written.
    pub starts_text: String,
    pub ends_text: String,
    pub dismiss_key: String,
}

/// A section as a card shows it: a *SectionSummary* without its `articles`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct SectionCard {
    pub title: String,
    pub description: String,
    pub url: String,
    pub icon: String,
    pub weight: Option<i64>,
    /// All articles below, nested ones included. It changes with every article
    /// added or removed, so the render cache leaves it out of the hash of a page
    /// whose template cannot print it (`theme::deps`).
    #[serde(skip_serializing_if = "crate::render::reuse::count_left_out")]
    pub article_count: usize,
    /// What it serializes to, hashed with the count and without: every page's
    /// navigation shows every category, so the render cache hashes each card as
    /// this number instead of its text (`render::reuse`).
    #[serde(skip)]
    hashes: CardHashes,
}

#[derive(Debug, Clone, Default, PartialEq)]
struct CardHashes {
    with_count: u64,
    without_count: u64,
}

impl SectionCard {
    /// The hash that stands for the card while a page's context is hashed.
    fn hash(&self) -> u64 {
        match crate::render::reuse::count_left_out(&self.article_count) {
            true => self.hashes.without_count,
            false => self.hashes.with_count,
        }
    }
}

/// *SectionSummary*: a card, with its first articles where the page lists them.
#[derive(Debug)]
pub(crate) struct SectionSummary<'a> {
    pub card: &'a SectionCard,
    pub articles: Option<Vec<&'a PageSummary>>,
}

/// What a *SectionSummary* serializes to while the render cache hashes it.
#[derive(Serialize)]
struct HashedSection<'a> {
    card: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    articles: &'a Option<Vec<&'a PageSummary>>,
}

/// What a *SectionSummary* serializes to for templates.
#[derive(Serialize)]
struct SectionFields<'a> {
    #[serde(flatten)]
    card: &'a SectionCard,
    #[serde(skip_serializing_if = "Option::is_none")]
    articles: &'a Option<Vec<&'a PageSummary>>,
}

impl Serialize for SectionSummary<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if crate::render::reuse::hashing() {
            // A map, not a number: a *Section* flattens its summary into itself.
            let hashed = HashedSection {
                card: self.card.hash(),
                articles: &self.articles,
            };
            return hashed.serialize(serializer);
        }
        let fields = SectionFields {
            card: self.card,
            articles: &self.articles,
        };
        fields.serialize(serializer)
    }
}

pub(super) fn page_summary(r: &RenderedSite<'_>, id: PageId) -> PageSummary {
    let page = &r.site.pages[id];
    let rendered = &r.pages[id];
    let summary = match (&rendered.summary, page.description.is_empty()) {
        (Some(summary), _) => excerpt(summary, SUMMARY_CHARS),
        (None, false) => excerpt(&page.description, SUMMARY_CHARS),
        (None, true) => excerpt(&rendered.plain_text, SUMMARY_CHARS),
    };
    let day = |date: &Option<Date>| date.as_ref().map(|d| d.day().to_string());
    let text = |date: &Option<Date>| date.as_ref().map(|d| r.strings.format_date(&page.lang, d));
    PageSummary::new(
        r.site.pages[page.stand_in_for.unwrap_or(id)].lang.clone(),
        PageAbout {
            title: page.title.clone(),
            description: page.description.clone(),
            url: r.urls.url(&page.path),
            summary,
            date: day(&page.date).unwrap_or_default(),
            updated: day(&page.updated).unwrap_or_default(),
            date_text: text(&page.date).unwrap_or_default(),
            updated_text: text(&page.updated).unwrap_or_default(),
            announcement: announcement_view(r, id).map(Box::new),
        },
    )
}

pub(super) fn section_card(
    r: &RenderedSite<'_>,
    id: SectionId,
    article_count: usize,
) -> SectionCard {
    let section = &r.site.sections[id];
    let mut card = SectionCard {
        title: section.title.clone(),
        description: section.description.clone(),
        url: r.urls.url(&section.path),
        icon: section.icon.clone(),
        weight: section.weight,
        article_count,
        hashes: CardHashes::default(),
    };
    card.hashes = CardHashes {
        with_count: crate::render::reuse::hash_card(&card, true),
        without_count: crate::render::reuse::hash_card(&card, false),
    };
    card
}

/// A date for readers, with its time and offset when it has them: "May 16, 2026 18:00 (UTC+08:00)".
fn moment_text(r: &RenderedSite<'_>, lang: &str, date: &Date) -> String {
    let day = r.strings.format_date(lang, date);
    let Some(time) = date.time().map(|t| t.format("%H:%M")) else {
        return day;
    };
    match date.offset() {
        Some(UtcOffset::Z) => format!("{day} {time} (UTC)"),
        Some(UtcOffset::East(offset)) => format!("{day} {time} (UTC{offset})"),
        None => format!("{day} {time}"),
    }
}

fn announcement_view(r: &RenderedSite<'_>, id: PageId) -> Option<AnnouncementView> {
    let page = &r.site.pages[id];
    let a = page.announcement.as_ref()?;
    let strings = r.strings.of(&page.lang);
    let label = strings
        .get(format!("severity_{}", a.severity.as_str()))
        .and_then(Value::as_str)
        .unwrap_or(a.severity.as_str());
    Some(AnnouncementView {
        severity: a.severity.as_str(),
        severity_label: label.to_string(),
        starts: a.starts.as_str().to_string(),
        ends: a.ends.as_ref().map_or("", |d| d.as_str()).to_string(),
        starts_text: moment_text(r, &page.lang, &a.starts),
        ends_text: a
            .ends
            .as_ref()
            .map(|d| moment_text(r, &page.lang, d))
            .unwrap_or_default(),
        dismiss_key: crate::features::announcements::dismiss_key(r.site, id),
    })
}
