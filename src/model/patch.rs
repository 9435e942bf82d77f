//! Adding an article to a built site, or taking one out, as `build_site` would have
//! placed it (for `incremental`, on a save that creates, deletes or renames an article).
//!
//! Pages are numbered in the order of their files, so every page after the one added
//! or removed changes number: each place that holds a number is shifted here. Only
//! what cannot change anything else is done in place; `None` says "build again":
//! - a section made only because articles are in its folder (no `_index` in that
//!   language) comes and goes with them, and the order sections are made in depends
//!   on the pages: only a section with its own `_index` takes or loses an article;
//! - stand-ins (`untranslated = "notice"` with several languages) follow every article;
//! - drafts, bundles (their assets), aliases, contact channels and announcements
//!   reach other pages or files.

use super::assemble::{page_file_slug, reorder_section, translation_key};
use super::collisions::would_clash;
use super::parse::PageSource;
use super::{page_section_dir, Page, PageId, SectionId, Site};
use crate::config::{Config, Untranslated};
use crate::source::discover::SourceKind;

/// Whether articles can be added to or taken from `site` in place at all.
pub(crate) fn can_patch(site: &Site, config: &Config) -> bool {
    let stand_ins = config.untranslated == Untranslated::Notice && site.languages.len() > 1;
    let in_file_order = site.pages.is_sorted_by(|a, b| a.source.abs <= b.source.abs);
    !stand_ins && in_file_order && site.pages.iter().all(|p| p.stand_in_for.is_none())
}

/// Whether an article is one that this module can add or remove.
fn plain(source_kind: &SourceKind, front: &super::parse::PageFront) -> bool {
    *source_kind == (SourceKind::Page { bundle: false })
        && front.aliases.is_empty()
        && front.contact.is_empty()
        && front.announcement.is_none()
}

/// The section of `lang` for folder `dir` when it has its own `_index` in that language.
fn own_section(site: &Site, lang: &str, dir: &str) -> Option<SectionId> {
    let default_language = site.languages.first()?;
    site.sections.iter().position(|s| {
        let own = s
            .source
            .as_ref()
            .is_some_and(|file| file.lang.as_deref().unwrap_or(default_language) == lang);
        s.lang == lang && s.dir == dir && own
    })
}

/// Adds the article of `source` in `lang`; its number, or `None` when it cannot be
/// added in place (the site is then unchanged). Reports no problem: any (a clash
/// of addresses) means `None`.
pub(crate) fn insert_page(site: &mut Site, lang: &str, source: &PageSource) -> Option<PageId> {
    let plain = plain(&source.file.kind, &source.front) && source.channel.is_none();
    if !plain || source.draft || !source.warnings.is_empty() {
        return None;
    }
    let section = own_section(site, lang, page_section_dir(&source.file))?;
    let slug = (source.slug.clone()).unwrap_or_else(|| page_file_slug(&source.file).to_string());
    let page = Page {
        draft: false,
        lang: lang.to_string(),
        section,
        path: site.sections[section].path.join_dir(&slug),
        front: source.front.clone(),
        body: source.body.clone(),
        body_line: source.body_line,
        translation_key: translation_key(&source.file),
        stand_in_for: None,
        channel: None,
        source: source.file.clone(),
    };
    let id = site
        .pages
        .partition_point(|p| p.source.abs < page.source.abs);
    let known = site
        .pages
        .get(id)
        .is_some_and(|p| p.source.abs == page.source.abs);
    if known || would_clash(site, &page.path) {
        return None;
    }
    shift(site, |p| if p >= id { p + 1 } else { p });
    let key = page.translation_key.clone();
    site.pages.insert(id, page);
    site.sections[section].pages.push(id);
    reorder_section(site, section);
    let versions = site.translations.entry(key).or_default();
    versions.insert(lang.to_string(), id);
    Some(id)
}

/// Whether page `id` can be taken out in place (see the module's notes).
pub(crate) fn can_remove(site: &Site, id: PageId) -> bool {
    let page = &site.pages[id];
    plain(&page.source.kind, &page.front)
        && page.channel.is_none()
        && !page.draft
        && own_section(site, &page.lang, &site.sections[page.section].dir) == Some(page.section)
}

/// Takes page `id` out of the site; the pages after it move down one number.
pub(crate) fn remove_page(site: &mut Site, id: PageId) {
    let page = site.pages.remove(id);
    site.sections[page.section].pages.retain(|&p| p != id);
    if let Some(versions) = site.translations.get_mut(&page.translation_key) {
        versions.retain(|_, &mut p| p != id);
        if versions.is_empty() {
            site.translations.remove(&page.translation_key);
        }
    }
    shift(site, |p| if p > id { p - 1 } else { p });
}

/// Renumbers every page number the site holds by `new`.
fn shift(site: &mut Site, new: impl Fn(PageId) -> PageId) {
    for section in &mut site.sections {
        section.pages.iter_mut().for_each(|p| *p = new(*p));
    }
    for versions in site.translations.values_mut() {
        versions.values_mut().for_each(|p| *p = new(*p));
    }
    for page in &mut site.pages {
        page.stand_in_for = page.stand_in_for.map(&new);
    }
}
