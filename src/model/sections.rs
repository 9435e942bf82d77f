//! Sections of the model, created on demand for every folder with content (parents
//! first), and the stand-in pages that show an untranslated article in each language.

use std::collections::{BTreeMap, BTreeSet};

use super::{
    language_prefix, page_section_dir, parent_dir, Page, PageId, Section, SectionId, SitePath,
};
use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::parse::SectionSource;

/// Creates sections on demand, parents first, so every folder with content has one.
pub(super) struct SiteBuilder<'a> {
    config: &'a Config,
    sections: Vec<Section>,
    by_dir: BTreeMap<(String, String), SectionId>,
    section_sources: &'a BTreeMap<(String, String), SectionSource>,
    warned_implicit: BTreeSet<String>,
    diags: &'a mut Diagnostics,
}

impl<'a> SiteBuilder<'a> {
    pub(super) fn new(
        config: &'a Config,
        section_sources: &'a BTreeMap<(String, String), SectionSource>,
        unreadable: &BTreeSet<String>,
        diags: &'a mut Diagnostics,
    ) -> Self {
        SiteBuilder {
            config,
            sections: Vec::new(),
            by_dir: BTreeMap::new(),
            section_sources,
            // A folder whose `_index.md` failed to parse has been reported already.
            warned_implicit: unreadable
                .iter()
                .filter(|rel| {
                    rel.rsplit('/')
                        .next()
                        .is_some_and(|n| n.starts_with("_index"))
                })
                .map(|rel| rel.rsplit_once('/').map_or("", |(dir, _)| dir).to_string())
                .collect(),
            diags,
        }
    }

    /// Each language's home section, created with every section that has a source.
    pub(super) fn homes(&mut self, languages: &[String]) -> BTreeMap<String, SectionId> {
        let mut homes = BTreeMap::new();
        for lang in languages {
            homes.insert(lang.clone(), self.section_for(lang, ""));
            let explicit: Vec<&String> = self
                .section_sources
                .keys()
                .filter(|(_, l)| l == lang)
                .map(|(d, _)| d)
                .collect();
            for dir in explicit {
                self.section_for(lang, dir);
            }
        }
        homes
    }

    pub(super) fn section_path(&self, id: SectionId) -> &SitePath {
        &self.sections[id].path
    }

    /// Each folder's sections, by language.
    pub(super) fn section_translations(&self) -> BTreeMap<String, BTreeMap<String, SectionId>> {
        let mut map = BTreeMap::<String, BTreeMap<String, SectionId>>::new();
        for ((dir, lang), &id) in &self.by_dir {
            map.entry(dir.clone()).or_default().insert(lang.clone(), id);
        }
        map
    }

    pub(super) fn into_sections(self) -> Vec<Section> {
        self.sections
    }

    pub(super) fn section_for(&mut self, lang: &str, dir: &str) -> SectionId {
        let key = (dir.to_string(), lang.to_string());
        if let Some(&id) = self.by_dir.get(&key) {
            return id;
        }
        let parent = (!dir.is_empty()).then(|| self.section_for(lang, parent_dir(dir)));
        let default_key = (dir.to_string(), self.config.default_language.clone());
        // A language without its own `_index.LANG.md` borrows the default language's.
        let source = self
            .section_sources
            .get(&key)
            .or_else(|| self.section_sources.get(&default_key));
        if source.is_none() && !dir.is_empty() && self.warned_implicit.insert(dir.to_string()) {
            self.diags.push(
                Diagnostic::warning(
                    "folder has articles but no _index.md; its title is made from the folder name",
                )
                .in_file(format!("content/{dir}"))
                .with_hint("add an _index.md with a `title`"),
            );
        }
        let prefix = language_prefix(self.config, lang);
        let path = if dir.is_empty() {
            SitePath::new(prefix)
        } else {
            SitePath::new(format!("{prefix}{dir}/"))
        };
        let fallback_title = if dir.is_empty() {
            self.config.title.clone()
        } else {
            title_from_folder(dir.rsplit('/').next().unwrap_or(dir))
        };
        let own = self.section_sources.get(&key);
        let section = Section {
            lang: lang.to_string(),
            dir: dir.to_string(),
            source: source.map(|s| s.file.clone()),
            title: source
                .and_then(|s| s.title.clone())
                .unwrap_or(fallback_title),
            description: source.map(|s| s.description.clone()).unwrap_or_default(),
            weight: source.and_then(|s| s.weight),
            icon: source.map(|s| s.icon.clone()).unwrap_or_default(),
            sort_by: source.map(|s| s.sort_by).unwrap_or_default(),
            template: source.and_then(|s| s.template.clone()),
            page_template: source.and_then(|s| s.page_template.clone()),
            extra: source.map(|s| s.extra.clone()).unwrap_or_default(),
            body: source.map(|s| s.body.clone()).unwrap_or_default(),
            body_line: source.map_or(1, |s| s.body_line),
            path,
            // Aliases belong to the file that declares them, not to borrowed front matter.
            aliases: own.map(|s| s.aliases.clone()).unwrap_or_default(),
            redirect_to: source.and_then(|s| s.redirect_to.clone()),
            contact: source.map(|s| s.contact.clone()).unwrap_or_default(),
            faq: source.and_then(|s| s.faq),
            parent,
            subsections: Vec::new(),
            pages: Vec::new(),
        };
        let id = self.sections.len();
        self.sections.push(section);
        self.by_dir.insert(key, id);
        if let Some(parent) = parent {
            self.sections[parent].subsections.push(id);
        }
        id
    }
}

pub(super) fn title_from_folder(name: &str) -> String {
    let spaced = name.replace(['-', '_'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

/// For every article missing in a language, a stand-in page in that language that
/// shows the original (the default language's version, else the first there is).
pub(super) fn add_stand_ins(
    pages: &mut Vec<Page>,
    builder: &mut SiteBuilder<'_>,
    languages: &[String],
) {
    let mut groups: BTreeMap<&str, BTreeMap<&str, PageId>> = BTreeMap::new();
    for (id, page) in pages.iter().enumerate() {
        groups
            .entry(page.translation_key.as_str())
            .or_default()
            .insert(page.lang.as_str(), id);
    }
    let mut taken: BTreeSet<String> = pages
        .iter()
        .map(|p| p.path.as_str().to_lowercase())
        .collect();
    let mut stand_ins = Vec::new();
    for versions in groups.values() {
        let Some(original) = languages
            .iter()
            .find_map(|lang| versions.get(lang.as_str()).copied())
        else {
            continue;
        };
        for lang in languages
            .iter()
            .filter(|l| !versions.contains_key(l.as_str()))
        {
            let source = &pages[original];
            let section = builder.section_for(lang, page_section_dir(&source.source));
            let slug = source
                .path
                .as_str()
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or("");
            let path = builder.section_path(section).join_dir(slug);
            // A stand-in never takes a place another page has; the real collision,
            // if any, is reported for the originals.
            if !taken.insert(path.as_str().to_lowercase()) {
                continue;
            }
            let mut stand_in = Page {
                lang: lang.clone(),
                section,
                path,
                stand_in_for: Some(original),
                ..source.clone()
            };
            stand_in.front.aliases = Vec::new();
            stand_ins.push(stand_in);
        }
    }
    let section_paths: BTreeSet<String> = builder
        .sections
        .iter()
        .map(|s| s.path.as_str().to_lowercase())
        .collect();
    stand_ins.retain(|p| !section_paths.contains(&p.path.as_str().to_lowercase()));
    pages.extend(stand_ins);
}
