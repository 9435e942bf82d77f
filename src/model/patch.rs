//! Adding an article to a built site, or taking one out, as `build_site` would have
//! placed it (for `incremental`, on a save that creates, deletes or renames an article).
//!
//! Pages are numbered in the order of their files, so every page after the one added
//! or removed changes number: each place that holds a number is shifted here. Only
//! what cannot change anything else is done in place; `None` says "build again":
//! - sections are numbered in the order they are made: first each language's home
//!   and the folders with an `_index` of that language, then, page by page, the
//!   folders that only have articles of a language (its first translation there).
//!   A section of the second kind is made or dropped here only when it is, and stays,
//!   the last one made, and an article moves into or out of it only when its first
//!   article stays the same;
//! - a folder with its own `_index` (a new category) is made among the sections of
//!   its language made first, in the order of folders, and the sections after it
//!   move up one number; taken out when its folder goes, they move down again;
//! - stand-ins (`untranslated = "notice"` with several languages) follow every article;
//! - drafts, bundles (their assets), aliases, contact channels and announcements
//!   reach other pages or files.

use super::assemble::{page_file_slug, reorder_section, reorder_subsections, translation_key};
use super::collisions::would_clash;
use super::parse::{PageSource, SectionSource};
use super::{page_section_dir, parent_dir, Page, PageId, Section, SectionId, Site};
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

/// The section of `lang` for folder `dir`.
fn section_of(site: &Site, lang: &str, dir: &str) -> Option<SectionId> {
    let versions = site.section_translations.get(dir)?;
    versions.get(lang).copied()
}

/// Whether section `id` is made whatever the pages are: a home, or a folder with
/// its own `_index` in the section's language.
fn made_first(site: &Site, id: SectionId) -> bool {
    let section = &site.sections[id];
    let Some(default_language) = site.languages.first() else {
        return false;
    };
    let own = section
        .source
        .as_ref()
        .is_some_and(|file| file.lang.as_deref().unwrap_or(default_language) == section.lang);
    own || section.dir.is_empty()
}

/// The page that made section `id` (the first below it), for a section made by pages.
fn first_page(site: &Site, id: SectionId) -> Option<PageId> {
    site.pages_below(id).into_iter().min()
}

/// Whether every section made by pages was made by a page numbered below `id`.
fn all_made_before(site: &Site, id: PageId) -> bool {
    (0..site.sections.len())
        .filter(|&s| !made_first(site, s))
        .all(|s| first_page(site, s).is_some_and(|first| first < id))
}

/// What a save added to the site.
pub(crate) struct Added {
    pub(crate) page: PageId,
    /// A section made for it (its language's first article in that folder).
    pub(crate) section: Option<SectionId>,
}

/// Adds the article of `source` in `lang`; `None` when it cannot be added in place
/// (the site is then unchanged). Reports no problem: any (a clash of addresses)
/// means `None`.
pub(crate) fn insert_page(site: &mut Site, lang: &str, source: &PageSource) -> Option<Added> {
    let plain = plain(&source.file.kind, &source.front) && source.channel.is_none();
    if !plain || source.draft || !source.warnings.is_empty() {
        return None;
    }
    let id = site
        .pages
        .partition_point(|p| p.source.abs < source.file.abs);
    if site
        .pages
        .get(id)
        .is_some_and(|p| p.source.abs == source.file.abs)
    {
        return None;
    }
    let dir = page_section_dir(&source.file);
    let (section, made) = match section_of(site, lang, dir) {
        Some(section) if made_first(site, section) => (section, None),
        Some(section) => {
            let keeps_first = first_page(site, section).is_some_and(|first| first < id);
            keeps_first.then_some((section, None))?
        }
        None => {
            let made = make_section(site, lang, dir, id)?;
            (made, Some(made))
        }
    };
    let slug = (source.slug.clone()).unwrap_or_else(|| page_file_slug(&source.file).to_string());
    let path = site.sections[section].path.join_dir(&slug);
    if would_clash(site, &path) {
        if made.is_some() {
            drop_section(site, section);
        }
        return None;
    }
    let page = Page {
        draft: false,
        lang: lang.to_string(),
        section,
        path,
        front: source.front.clone(),
        body: source.body.clone(),
        body_line: source.body_line,
        translation_key: translation_key(&source.file),
        stand_in_for: None,
        channel: None,
        source: source.file.clone(),
    };
    shift(site, |p| if p >= id { p + 1 } else { p });
    let key = page.translation_key.clone();
    site.pages.insert(id, page);
    site.sections[section].pages.push(id);
    reorder_section(site, section);
    let versions = site.translations.entry(key).or_default();
    versions.insert(lang.to_string(), id);
    Some(Added {
        page: id,
        section: made,
    })
}

/// Makes the section of `lang` for `dir` that page `id` is the first of, as the last
/// section made: its parent must be there already, and the folder must have its own
/// `_index` in the default language (which the new section borrows).
fn make_section(site: &mut Site, lang: &str, dir: &str, id: PageId) -> Option<SectionId> {
    let default_language = site.languages.first()?;
    let borrowed = section_of(site, default_language, dir)?;
    let parent = section_of(site, lang, parent_dir(dir))?;
    let borrows = made_first(site, borrowed) && !dir.is_empty();
    if !borrows || !all_made_before(site, id) {
        return None;
    }
    let name = dir.rsplit('/').next().unwrap_or(dir);
    let path = site.sections[parent].path.join_dir(name);
    if would_clash(site, &path) {
        return None;
    }
    let mut section = site.sections[borrowed].clone();
    section.lang = lang.to_string();
    section.path = path;
    // Aliases belong to the `_index` that declares them, not to a borrowed one.
    section.aliases = Vec::new();
    section.parent = Some(parent);
    section.subsections = Vec::new();
    section.pages = Vec::new();
    let made = site.sections.len();
    site.sections.insert(made, section);
    place_section(site, made, parent);
    Some(made)
}

/// Lists section `id`, just put in the site, among its parent's subsections and the
/// versions of its folder.
fn place_section(site: &mut Site, id: SectionId, parent: SectionId) {
    site.sections[parent].subsections.push(id);
    reorder_subsections(site, parent);
    let section = &site.sections[id];
    let (dir, lang) = (section.dir.clone(), section.lang.clone());
    site.section_translations
        .entry(dir)
        .or_default()
        .insert(lang, id);
}

/// Takes out section `id`, the last one made, with no page or subsection left.
fn drop_section(site: &mut Site, id: SectionId) {
    let section = site
        .sections
        .pop()
        .expect("the section to drop is the last");
    debug_assert_eq!(site.sections.len(), id);
    unlist_section(site, &section, id);
}

/// Takes section `id`, just taken out of the site, out of its parent's subsections
/// and the versions of its folder (`place_section` the other way).
fn unlist_section(site: &mut Site, section: &Section, id: SectionId) {
    if let Some(parent) = section.parent {
        site.sections[parent].subsections.retain(|&s| s != id);
    }
    if let Some(versions) = site.section_translations.get_mut(&section.dir) {
        versions.remove(&section.lang);
        if versions.is_empty() {
            site.section_translations.remove(&section.dir);
        }
    }
}

/// Whether page `id` can be taken out in place (see the module's notes).
pub(crate) fn can_remove(site: &Site, id: PageId) -> bool {
    let page = &site.pages[id];
    let section = page.section;
    let plain = plain(&page.source.kind, &page.front) && page.channel.is_none() && !page.draft;
    let placed = made_first(site, section)
        || first_page(site, section) != Some(id)
        || (site.pages_below(section) == [id] && section + 1 == site.sections.len());
    plain && placed
}

/// Takes page `id` out of the site; the pages after it move down one number. Returns
/// the section dropped with it: one made by pages, of which it was the last.
pub(crate) fn remove_page(site: &mut Site, id: PageId) -> Option<SectionId> {
    let page = site.pages.remove(id);
    site.sections[page.section].pages.retain(|&p| p != id);
    if let Some(versions) = site.translations.get_mut(&page.translation_key) {
        versions.retain(|_, &mut p| p != id);
        if versions.is_empty() {
            site.translations.remove(&page.translation_key);
        }
    }
    shift(site, |p| if p > id { p - 1 } else { p });
    let section = page.section;
    let emptied = site.sections[section].pages.is_empty()
        && site.sections[section].subsections.is_empty()
        && !made_first(site, section);
    emptied.then(|| {
        drop_section(site, section);
        section
    })
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

/// Makes the section of a new folder's own `_index` (`source`, in `lang`) where a
/// clean build makes it: after the sections of `lang` made first whose folders come
/// before it. Returns its number; `None` (the site unchanged) unless it is a plain
/// section below one made first, at an address nothing else has.
pub(crate) fn insert_section(
    site: &mut Site,
    lang: &str,
    source: &SectionSource,
) -> Option<SectionId> {
    let plain = source.aliases.is_empty()
        && source.contact.is_empty()
        && source.redirect_to.is_none()
        && !source.draft
        && source.warnings.is_empty();
    let dir = source.file.dir();
    let special = dir.is_empty() || dir == super::announcement::SECTION_DIR;
    if !plain || special || section_of(site, lang, dir).is_some() {
        return None;
    }
    let parent = section_of(site, lang, parent_dir(dir))?;
    let made_first_here = |s: &SectionId| made_first(site, *s) && site.sections[*s].lang == lang;
    // The sections made first come before all others (no folder without an `_index`
    // was made on the way to one with it), so the new one's place among them is known.
    let first_count = (0..site.sections.len())
        .take_while(|&s| made_first(site, s))
        .count();
    let all_first = (first_count..site.sections.len()).all(|s| !made_first(site, s));
    if !made_first(site, parent) || !all_first {
        return None;
    }
    let before = (0..site.sections.len())
        .filter(made_first_here)
        .filter(|&s| site.sections[s].dir.as_str() < dir);
    let at = before.max()? + 1;
    let name = dir.rsplit('/').next().unwrap_or(dir);
    let path = site.sections[parent].path.join_dir(name);
    if would_clash(site, &path) {
        return None;
    }
    let section = Section {
        lang: lang.to_string(),
        dir: dir.to_string(),
        source: Some(source.file.clone()),
        title: (source.title.clone()).unwrap_or_else(|| super::sections::title_from_folder(name)),
        description: source.description.clone(),
        weight: source.weight,
        icon: source.icon.clone(),
        sort_by: source.sort_by,
        template: source.template.clone(),
        page_template: source.page_template.clone(),
        extra: source.extra.clone(),
        body: source.body.clone(),
        body_line: source.body_line,
        path,
        aliases: Vec::new(),
        redirect_to: None,
        contact: Vec::new(),
        faq: source.faq,
        parent: Some(parent),
        subsections: Vec::new(),
        pages: Vec::new(),
    };
    shift_sections(site, |s| if s >= at { s + 1 } else { s });
    let parent = if parent >= at { parent + 1 } else { parent };
    site.sections.insert(at, section);
    place_section(site, at, parent);
    Some(at)
}

/// Whether section `id` can be taken out in place with its `_index`: a folder's own,
/// no longer holding any article or subsection, and lent to no other language.
pub(crate) fn can_remove_section(site: &Site, id: SectionId) -> bool {
    let section = &site.sections[id];
    let lent = (site.sections.iter().enumerate()).any(|(other, s)| {
        other != id && s.source.as_ref().map(|f| &f.abs) == section.source.as_ref().map(|f| &f.abs)
    });
    made_first(site, id)
        && !section.dir.is_empty()
        && section.pages.is_empty()
        && section.subsections.is_empty()
        && section.aliases.is_empty()
        && section.redirect_to.is_none()
        && !lent
}

/// Takes section `id` out of the site (see `can_remove_section`); the sections
/// after it move down one number.
pub(crate) fn remove_section(site: &mut Site, id: SectionId) {
    let section = site.sections.remove(id);
    unlist_section(site, &section, id);
    shift_sections(site, |s| if s > id { s - 1 } else { s });
}

/// Renumbers every section number the site holds by `new`.
fn shift_sections(site: &mut Site, new: impl Fn(SectionId) -> SectionId) {
    for section in &mut site.sections {
        section.parent = section.parent.map(&new);
        section.subsections.iter_mut().for_each(|s| *s = new(*s));
    }
    for page in &mut site.pages {
        page.section = new(page.section);
    }
    site.homes.values_mut().for_each(|s| *s = new(*s));
    let versions = site
        .section_translations
        .values_mut()
        .flat_map(|v| v.values_mut());
    versions.for_each(|s| *s = new(*s));
}
