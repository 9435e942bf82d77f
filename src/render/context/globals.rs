//! The variables every template gets beside its subject (THEME.md, "Variables in
//! every template"), but `config` and `strings`, which are the same on every page.

use serde::Serialize;
use serde_json::Value;

use super::languages::{alternates, language_links, Alternate, LanguageLink};
use super::subject::Subject;
use super::summary::SectionSummary;
use super::SharedContext;
use crate::model::rendered::RenderedSite;
use crate::model::{language_prefix, SitePath};

/// The variables of one page that change from page to page.
#[derive(Debug, Serialize)]
pub(crate) struct Globals<'a> {
    pub lang: &'a str,
    pub site: SiteText<'a>,
    pub home_url: String,
    /// The permalink of the page (a stand-in's is its original's); empty on 404.
    pub current_url: String,
    pub current_path: String,
    #[serde(serialize_with = "crate::render::reuse::navigation")]
    pub categories: Vec<SectionSummary<'a>>,
    pub contact_script: String,
    pub channel_jsonld: String,
    /// Built by the search stage, which owns its shape.
    pub search: Value,
    pub language_links: Vec<LanguageLink<'a>>,
    pub alternates: Vec<Alternate<'a>>,
    pub announcements_script: String,
    pub feed_url: String,
    pub faq_jsonld: String,
    pub social: Social<'a>,
}

/// `site`: the site's title and description in the page's language.
#[derive(Debug, Serialize)]
pub(crate) struct SiteText<'a> {
    pub title: &'a str,
    pub description: &'a str,
}

/// `social`: Open Graph values, what a link preview shows.
#[derive(Debug, Serialize)]
pub(crate) struct Social<'a> {
    pub title: String,
    pub description: String,
    /// "article" or "website".
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub site_name: &'a str,
    pub locale: String,
    pub locale_alternates: Vec<String>,
}

impl SharedContext {
    /// The globals of a page in `lang` showing `subject` (none for 404 and search
    /// pages). Categories carry their first articles only on the home page, which
    /// shows them; elsewhere the navigation needs no more than titles and URLs.
    pub(crate) fn globals<'a>(
        &'a self,
        r: &RenderedSite<'a>,
        lang: &'a str,
        subject: Option<Subject>,
    ) -> Globals<'a> {
        let home = r.site.homes[lang];
        let current = subject.map(|s| s.path(r.site));
        let on_home = current == Some(&r.site.sections[home].path);
        // A stand-in's canonical address is its original's.
        let canonical = match subject {
            Some(Subject::Page(id)) => {
                let original = r.site.pages[id].stand_in_for.unwrap_or(id);
                Some(&r.site.pages[original].path)
            }
            _ => current,
        };
        let alternates = alternates(r, subject);
        Globals {
            lang,
            site: SiteText {
                title: r.config.title_in(lang),
                description: r.config.description_in(lang),
            },
            home_url: r.urls.url(&r.site.sections[home].path),
            current_url: canonical.map(|p| r.urls.permalink(p)).unwrap_or_default(),
            current_path: current.map(|p| r.urls.url(p)).unwrap_or_default(),
            categories: r.site.sections[home]
                .subsections
                .iter()
                .map(|&id| self.section_summary(id, on_home))
                .collect(),
            contact_script: contact_script(r, lang),
            channel_jsonld: channel_jsonld(r, lang, subject),
            search: crate::search::template_vars(r.config, r.urls, lang, current),
            language_links: language_links(r, lang, subject),
            announcements_script: if_announcements(r, || {
                crate::features::announcements::script_path(r.config, lang)
            }),
            feed_url: if_announcements(r, || crate::features::feed::feed_path(r, lang)),
            faq_jsonld: faq_jsonld(r, subject),
            social: self.social(r, lang, subject, &alternates),
            alternates,
        }
    }

    /// Open Graph values: what a link preview shows.
    fn social<'a>(
        &self,
        r: &RenderedSite<'a>,
        lang: &str,
        subject: Option<Subject>,
        alternates: &[Alternate<'_>],
    ) -> Social<'a> {
        let (title, description, kind) = match subject {
            Some(Subject::Page(id)) => {
                let about = &self.page_summaries[id].about;
                let description = match about.description.is_empty() {
                    true => &about.summary,
                    false => &about.description,
                };
                (
                    r.site.pages[id].title.as_str(),
                    description.as_str(),
                    "article",
                )
            }
            Some(Subject::Section(id)) if id != r.site.homes[lang] => {
                let section = &r.site.sections[id];
                (
                    section.title.as_str(),
                    section.description.as_str(),
                    "website",
                )
            }
            _ => ("", "", "website"),
        };
        let or_site = |text: &str, site: &str| match text.is_empty() {
            true => site.to_string(),
            false => text.to_string(),
        };
        let locale = |code: &str| code.replace('-', "_");
        Social {
            title: or_site(title, r.config.title_in(lang)),
            description: or_site(description, r.config.description_in(lang)),
            kind,
            site_name: r.config.title_in(lang),
            locale: locale(lang),
            locale_alternates: alternates
                .iter()
                .map(|a| a.hreflang)
                .filter(|code| *code != lang && *code != "x-default")
                .map(locale)
                .collect(),
        }
    }
}

/// The URL of `path` when the site has announcements, else empty.
fn if_announcements(r: &RenderedSite<'_>, path: impl FnOnce() -> SitePath) -> String {
    match r.site.has_announcements() {
        true => r.urls.url(&path()),
        false => String::new(),
    }
}

/// The URL of `channels.js` of `lang`, or empty when the site has no channels.
fn contact_script(r: &RenderedSite<'_>, lang: &str) -> String {
    if r.channels.is_empty() {
        return String::new();
    }
    let prefix = language_prefix(r.config, lang);
    r.urls.url(&SitePath::new(format!("{prefix}channels.js")))
}

/// JSON-LD for a channel page, or for a section that lists channels.
fn channel_jsonld(r: &RenderedSite<'_>, lang: &str, subject: Option<Subject>) -> String {
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

/// The `FAQPage` JSON-LD of a question-and-answer article, else empty.
fn faq_jsonld(r: &RenderedSite<'_>, subject: Option<Subject>) -> String {
    match subject {
        Some(Subject::Page(id)) if crate::features::faq::is_faq(r.site, id) => {
            let page = &r.site.pages[id];
            crate::features::faq::jsonld(
                &page.title,
                &r.site.pages[page.stand_in_for.unwrap_or(id)].lang,
                &r.urls.permalink(&page.path),
                &r.pages[id],
            )
        }
        _ => String::new(),
    }
}
