//! What a template renders, and the language versions of it.

use crate::model::{PageId, SectionId, Site, SitePath};

/// What a template renders: a section or an article.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Subject {
    Section(SectionId),
    Page(PageId),
}

/// One language version of a subject.
pub(super) struct Version<'a> {
    pub lang: &'a str,
    pub path: &'a SitePath,
    /// False for a stand-in showing the original untranslated.
    pub real: bool,
}

impl Subject {
    pub(crate) fn path<'s>(&self, site: &'s Site) -> &'s SitePath {
        match *self {
            Subject::Section(id) => &site.sections[id].path,
            Subject::Page(id) => &site.pages[id].path,
        }
    }

    /// Every language version of the subject, stand-ins included.
    pub(super) fn versions<'s>(&self, site: &'s Site) -> Vec<Version<'s>> {
        match *self {
            Subject::Section(id) => site
                .section_translations
                .get(&site.sections[id].dir)
                .into_iter()
                .flatten()
                .map(|(lang, &s)| Version {
                    lang,
                    path: &site.sections[s].path,
                    real: true,
                })
                .collect(),
            Subject::Page(id) => site
                .translations
                .get(&site.pages[id].translation_key)
                .into_iter()
                .flatten()
                .map(|(lang, &p)| Version {
                    lang,
                    path: &site.pages[p].path,
                    real: site.pages[p].stand_in_for.is_none(),
                })
                .collect(),
        }
    }
}
