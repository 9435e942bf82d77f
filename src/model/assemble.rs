//! Assembling the site model from parsed sources: languages, drafts, sections created
//! for every folder with content, pages in their sections, order, translations, assets.

use std::collections::{BTreeMap, BTreeSet};

use super::collisions::find_collisions;
use super::sections::{add_stand_ins, SiteBuilder};
use super::{
    language_prefix, page_section_dir, Asset, NamedChannel, Page, PageId, Section, SectionId, Site,
};
use crate::config::{Config, Untranslated};
use crate::diag::toml::closest;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::parse::{PageSource, Parsed, SectionSource};
use crate::source::discover::{SourceFile, SourceKind};
use crate::source::frontmatter::SortBy;

/// Section sources by (folder, language), and page sources with their language
/// (left in their boxes: moving 100,000 of them into one list cost 100 MiB).
type SectionSources = BTreeMap<(String, String), SectionSource>;
type PageSources = Vec<(String, Box<PageSource>)>;

/// Assembles the site from parsed sources and asset files.
pub(crate) fn build_site(
    config: &Config,
    parsed: Vec<Parsed>,
    assets: Vec<SourceFile>,
    unreadable: &BTreeSet<String>,
    include_drafts: bool,
) -> (Site, Diagnostics) {
    let mut diags = Diagnostics::new();
    let languages = config.language_codes();
    let (mut section_sources, mut page_sources) =
        sources_by_language(config, &languages, parsed, &mut diags);
    check_taxonomy_names(config, &mut page_sources, &mut diags);
    let drafts = DraftSections::of(&section_sources);
    let hidden = |lang: &str, dir: &str| !include_drafts && drafts.cover(lang, dir);
    page_sources.retain(|(lang, p)| {
        (include_drafts || !p.draft) && !hidden(lang, page_section_dir(&p.file))
    });
    section_sources.retain(|(dir, lang), _| !hidden(lang, dir));

    let mut builder = SiteBuilder::new(config, &section_sources, unreadable, &mut diags);
    let homes = builder.homes(&languages);
    let mut pages: Vec<Page> = page_sources
        .into_iter()
        .map(|(lang, source)| {
            let draft = source.draft || drafts.cover(&lang, page_section_dir(&source.file));
            page_from_source(&mut builder, lang, source, draft)
        })
        .collect();
    if config.untranslated == Untranslated::Notice {
        add_stand_ins(&mut pages, &mut builder, &languages);
    }
    let section_translations = builder.section_translations();
    let sections = order_sections(builder.into_sections(), &pages);
    let assets = place_assets(config, assets, &pages);
    let translations = page_translations(&pages);
    let site = Site {
        languages,
        sections,
        pages,
        assets,
        homes,
        translations,
        section_translations,
    };
    diags.extend(find_collisions(&site));
    (site, diags)
}

/// Splits the parsed sources into sections and pages, each with its language; a
/// file in a language the config does not have is an error.
fn sources_by_language(
    config: &Config,
    languages: &[String],
    parsed: Vec<Parsed>,
    diags: &mut Diagnostics,
) -> (SectionSources, PageSources) {
    let mut lang_of = |file: &SourceFile| -> Option<String> {
        match &file.lang {
            None => Some(config.default_language.clone()),
            Some(lang) if languages.contains(lang) => Some(lang.clone()),
            Some(lang) => {
                diags.push(
                    Diagnostic::error(format!("language `{lang}` is not configured"))
                        .in_file(&file.display)
                        .with_hint(format!(
                            "add a `[languages.{lang}]` table to config.toml, or rename the file"
                        )),
                );
                None
            }
        }
    };
    let mut sections = SectionSources::new();
    let mut pages = PageSources::new();
    for item in parsed {
        match item {
            Parsed::Section(s) => {
                if let Some(lang) = lang_of(&s.file) {
                    sections.insert((s.file.dir().to_string(), lang), *s);
                }
            }
            Parsed::Page(p) => {
                if let Some(lang) = lang_of(&p.file) {
                    pages.push((lang, p));
                }
            }
        }
    }
    (sections, pages)
}

/// A taxonomy the config does not declare is an error at its name (its terms are
/// dropped, so nothing else trips over them).
fn check_taxonomy_names(config: &Config, pages: &mut PageSources, diags: &mut Diagnostics) {
    let known = config.taxonomy_names();
    for (_, page) in pages.iter_mut() {
        let file = &page.file.display;
        page.front.taxonomies.retain(|terms| {
            let name = &terms.taxonomy;
            if known.contains(&name.value.as_str()) {
                return true;
            }
            let hint = match closest(&name.value, &known) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!(
                    "declare it in config.toml: `taxonomies = [{{ name = \"{}\" }}]`",
                    name.value
                ),
            };
            diags.push(
                Diagnostic::error(format!("unknown taxonomy `{}`", name.value))
                    .in_file(file)
                    .at(name.line, name.col)
                    .with_hint(hint),
            );
            false
        });
    }
}

/// The folders whose `_index.md` says `draft = true`, per language: everything in
/// them is a draft too.
struct DraftSections(BTreeSet<(String, String)>);

impl DraftSections {
    fn of(sources: &SectionSources) -> Self {
        DraftSections(
            sources
                .iter()
                .filter(|(_, s)| s.draft)
                .map(|(key, _)| key.clone())
                .collect(),
        )
    }

    /// Whether the folder `dir` of `lang` is, or is inside, a draft section.
    fn cover(&self, lang: &str, dir: &str) -> bool {
        self.0.iter().any(|(d, l)| {
            l == lang && (d == dir || d.is_empty() || dir.starts_with(&format!("{d}/")))
        })
    }
}

/// An article of the model, placed in its section.
fn page_from_source(
    builder: &mut SiteBuilder<'_>,
    lang: String,
    source: Box<PageSource>,
    draft: bool,
) -> Page {
    let PageSource {
        file,
        mut front,
        slug,
        channel,
        body,
        body_line,
        draft: _,
        warnings: _,
    } = *source;
    let section = builder.section_for(&lang, page_section_dir(&file));
    let slug = slug.unwrap_or_else(|| page_file_slug(&file).to_string());
    let path = builder.section_path(section).join_dir(&slug);
    // An announcement without a `date` is dated by its start, for ordering and feeds.
    if front.date.is_none() {
        front.date = front.announcement.as_ref().map(|a| a.starts.clone());
    }
    Page {
        draft,
        lang,
        section,
        path,
        front,
        body,
        body_line,
        translation_key: translation_key(&file),
        stand_in_for: None,
        channel: channel.map(|channel| {
            Box::new(NamedChannel {
                name: page_file_slug(&file).to_string(),
                channel,
            })
        }),
        source: file,
    }
}

/// Lists each section's pages and subsections in their order.
fn order_sections(mut sections: Vec<Section>, pages: &[Page]) -> Vec<Section> {
    for (id, page) in pages.iter().enumerate() {
        sections[page.section].pages.push(id);
    }
    for section in &mut sections {
        sort_pages(&mut section.pages, pages, section.sort_by);
    }
    let order: Vec<(Option<i64>, String)> = sections
        .iter()
        .map(|s| (s.weight, s.title.clone()))
        .collect();
    for section in &mut sections {
        section
            .subsections
            .sort_by(|a, b| weight_then_title(&order[*a], &order[*b]));
    }
    sections
}

/// Every page's versions, by translation key and language.
fn page_translations(pages: &[Page]) -> BTreeMap<String, BTreeMap<String, PageId>> {
    let mut translations: BTreeMap<String, BTreeMap<String, PageId>> = BTreeMap::new();
    for (id, page) in pages.iter().enumerate() {
        translations
            .entry(page.translation_key.clone())
            .or_default()
            .insert(page.lang.clone(), id);
    }
    translations
}

/// `account/x.en.md` -> `account/x.md`: the same for every translation of a file.
pub(super) fn translation_key(file: &SourceFile) -> String {
    match &file.lang {
        Some(lang) => {
            let suffix = format!(".{lang}.md");
            let base = file.rel.strip_suffix(&suffix).unwrap_or(&file.rel);
            format!("{base}.md")
        }
        None => file.rel.clone(),
    }
}

pub(super) fn page_file_slug(file: &SourceFile) -> &str {
    match file.kind {
        SourceKind::Page { bundle: true } => file.dir().rsplit('/').next().unwrap_or(""),
        _ => file.stem(),
    }
}

fn weight_then_title(a: &(Option<i64>, String), b: &(Option<i64>, String)) -> std::cmp::Ordering {
    let weight = |w: Option<i64>| w.unwrap_or(i64::MAX);
    weight(a.0).cmp(&weight(b.0)).then_with(|| a.1.cmp(&b.1))
}

/// Puts the subsections of section `id` in their order again (after one was added).
pub(crate) fn reorder_subsections(site: &mut Site, id: SectionId) {
    let order = |s: SectionId| (site.sections[s].weight, site.sections[s].title.clone());
    let mut subsections = site.sections[id].subsections.clone();
    subsections.sort_by(|&a, &b| weight_then_title(&order(a), &order(b)));
    site.sections[id].subsections = subsections;
}

/// Puts the articles of section `id` in its order again, after their front matter
/// changed in place (no article added, moved or removed).
pub(crate) fn reorder_section(site: &mut Site, id: SectionId) {
    let section = &mut site.sections[id];
    sort_pages(&mut section.pages, &site.pages, section.sort_by);
}

fn sort_pages(ids: &mut [PageId], pages: &[Page], sort_by: SortBy) {
    ids.sort_by(|&a, &b| {
        let (a, b) = (&pages[a], &pages[b]);
        let by_title = a.title.cmp(&b.title).then_with(|| a.path.cmp(&b.path));
        match sort_by {
            // As `weight_then_title`, without copying titles for each comparison.
            SortBy::Weight | SortBy::None => {
                let weight = |w: Option<i64>| w.unwrap_or(i64::MAX);
                weight(a.weight)
                    .cmp(&weight(b.weight))
                    .then_with(|| a.title.cmp(&b.title))
                    .then_with(|| a.path.cmp(&b.path))
            }
            SortBy::Title => by_title,
            SortBy::Date => b.date.cmp(&a.date).then(by_title),
            SortBy::UpdateDate => (b.updated.as_ref().or(b.date.as_ref()))
                .cmp(&a.updated.as_ref().or(a.date.as_ref()))
                .then(by_title),
            SortBy::Slug => a.path.cmp(&b.path),
        }
    });
}

/// Where each content asset is copied: beside every language's page of its bundle,
/// or at its own path when it is not inside a bundle.
fn place_assets(config: &Config, assets: Vec<SourceFile>, pages: &[Page]) -> Vec<Asset> {
    let bundles: BTreeMap<&str, Vec<&Page>> = pages
        .iter()
        .filter(|p| p.source.kind == SourceKind::Page { bundle: true })
        .fold(BTreeMap::new(), |mut map, page| {
            map.entry(page.source.dir()).or_default().push(page);
            map
        });
    assets
        .into_iter()
        .map(|source| {
            let bundle = bundles
                .iter()
                .filter(|(dir, _)| source.rel.starts_with(&format!("{dir}/")))
                .max_by_key(|(dir, _)| dir.len());
            let outputs = match bundle {
                Some((dir, pages)) => {
                    let inner = &source.rel[dir.len() + 1..];
                    pages
                        .iter()
                        .map(|p| format!("{}{inner}", p.path.as_str()))
                        .collect()
                }
                None => vec![format!(
                    "{}{}",
                    language_prefix(config, &config.default_language),
                    source.rel
                )],
            };
            Asset { source, outputs }
        })
        .collect()
}
