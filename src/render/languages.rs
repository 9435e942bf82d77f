//! What a page says about its other languages: the language switcher's links and
//! the hreflang alternates.

use serde_json::{json, Value};

use crate::model::rendered::RenderedSite;
use crate::model::{PageId, SectionId, Site, SitePath};

/// What a template renders: a section or an article.
#[derive(Debug, Clone, Copy)]
pub enum Subject {
    Section(SectionId),
    Page(PageId),
}

impl Subject {
    pub fn path<'s>(&self, site: &'s Site) -> &'s SitePath {
        match *self {
            Subject::Section(id) => &site.sections[id].path,
            Subject::Page(id) => &site.pages[id].path,
        }
    }

    /// Every language version of the subject, stand-ins included.
    fn versions(&self, site: &Site) -> Vec<(String, SitePath, bool)> {
        match *self {
            Subject::Section(id) => site
                .section_translations
                .get(&site.sections[id].dir)
                .into_iter()
                .flatten()
                .map(|(lang, &s)| (lang.clone(), site.sections[s].path.clone(), true))
                .collect(),
            Subject::Page(id) => site
                .translations
                .get(&site.pages[id].translation_key)
                .into_iter()
                .flatten()
                .map(|(lang, &p)| {
                    let page = &site.pages[p];
                    (lang.clone(), page.path.clone(), page.stand_in_for.is_none())
                })
                .collect(),
        }
    }
}

/// One entry per site language: this subject in that language, else that language's home.
pub(super) fn language_links(r: &RenderedSite<'_>, lang: &str, subject: Option<Subject>) -> Value {
    let versions = subject.map(|s| s.versions(r.site)).unwrap_or_default();
    let links: Vec<Value> = r
        .site
        .languages
        .iter()
        .map(|code| {
            let version = versions.iter().find(|(l, _, _)| l == code);
            let path = version.map_or(&r.site.sections[r.site.homes[code]].path, |(_, p, _)| p);
            json!({
                "code": code,
                "name": r.config.language_name(code),
                "url": r.urls.url(path),
                "current": code == lang,
                "translated": version.is_some_and(|(_, _, real)| *real),
            })
        })
        .collect();
    Value::Array(links)
}

/// `hreflang` alternates: the real translations of the subject and `x-default`.
pub(super) fn alternates(r: &RenderedSite<'_>, subject: Option<Subject>) -> Value {
    let versions: Vec<(String, SitePath, bool)> = subject
        .map(|s| s.versions(r.site))
        .unwrap_or_default()
        .into_iter()
        .filter(|(_, _, real)| *real)
        .collect();
    if versions.len() < 2 {
        return Value::Array(Vec::new());
    }
    let mut links: Vec<Value> = versions
        .iter()
        .map(|(lang, path, _)| json!({ "hreflang": lang, "href": r.urls.permalink(path) }))
        .collect();
    let default = versions
        .iter()
        .find(|(lang, _, _)| *lang == r.config.default_language)
        .unwrap_or(&versions[0]);
    links.push(json!({ "hreflang": "x-default", "href": r.urls.permalink(&default.1) }));
    Value::Array(links)
}
