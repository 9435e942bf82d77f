//! The links between the language versions of a page: the language switcher and
//! the `hreflang` alternates.

use serde::Serialize;

use super::subject::{Subject, Version};
use crate::model::rendered::RenderedSite;

/// One entry of `language_links`.
#[derive(Debug, Serialize)]
pub(crate) struct LanguageLink<'a> {
    pub code: &'a str,
    pub name: String,
    /// This page in that language, else that language's home page.
    pub url: String,
    pub current: bool,
    pub translated: bool,
}

/// One entry of `alternates`.
#[derive(Debug, Serialize)]
pub(crate) struct Alternate<'a> {
    pub hreflang: &'a str,
    pub href: String,
}

/// One entry per site language: this subject in that language, else that language's home.
pub(super) fn language_links<'a>(
    r: &RenderedSite<'a>,
    lang: &str,
    subject: Option<Subject>,
) -> Vec<LanguageLink<'a>> {
    let versions = subject.map(|s| s.versions(r.site)).unwrap_or_default();
    r.site
        .languages
        .iter()
        .map(|code| {
            let version = versions.iter().find(|v| v.lang == code);
            let home = &r.site.sections[r.site.homes[code]].path;
            LanguageLink {
                code,
                name: r.config.language_name(code),
                url: r.urls.url(version.map_or(home, |v| v.path)),
                current: code == lang,
                translated: version.is_some_and(|v| v.real),
            }
        })
        .collect()
}

/// `hreflang` alternates: the real translations of the subject and `x-default`.
pub(super) fn alternates<'a>(r: &RenderedSite<'a>, subject: Option<Subject>) -> Vec<Alternate<'a>> {
    let versions: Vec<Version<'a>> = subject
        .map(|s| s.versions(r.site))
        .unwrap_or_default()
        .into_iter()
        .filter(|v| v.real)
        .collect();
    if versions.len() < 2 {
        return Vec::new();
    }
    let mut links: Vec<Alternate<'a>> = versions
        .iter()
        .map(|v| Alternate {
            hreflang: v.lang,
            href: r.urls.permalink(v.path),
        })
        .collect();
    let default = versions
        .iter()
        .find(|v| v.lang == r.config.default_language)
        .unwrap_or(&versions[0]);
    links.push(Alternate {
        hreflang: "x-default",
        href: r.urls.permalink(default.path),
    });
    links
}
