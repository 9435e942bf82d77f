//! The site model: sections and articles per language, their URLs and order.
//!
//! Built from the parsed sources; checks what needs the whole site at once
//! (languages, URL collisions) and reports every problem it finds.

pub mod announcement;
pub mod channels;
pub mod git_dates;
pub mod parse;
pub mod rendered;
pub mod urls;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::config::{Config, Untranslated};
use crate::contact::channel::{Channel, Located};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::parse::{PageSource, Parsed, SectionSource};
use crate::source::discover::{SourceFile, SourceKind};
use crate::source::frontmatter::{Date, SortBy};

pub type SectionId = usize;
pub type PageId = usize;

/// A path inside the site, relative to the base path: `""` for the home page,
/// `account/reset-password/` for an article, `old/page.html` for a file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SitePath(String);

impl SitePath {
    pub fn new(path: impl Into<String>) -> Self {
        SitePath(path.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn join_dir(&self, segment: &str) -> SitePath {
        SitePath(format!("{}{segment}/", self.0))
    }

    /// The file written for this path: a folder path gets its `index.html`.
    pub fn output_file(&self) -> String {
        if self.0.is_empty() || self.0.ends_with('/') {
            format!("{}index.html", self.0)
        } else {
            self.0.clone()
        }
    }
}

#[derive(Debug, Clone)]
pub struct Section {
    pub lang: String,
    /// Folder inside `content/` ("" for the home page).
    pub dir: String,
    /// The `_index.md` this section's front matter came from, if any. A translation
    /// without its own `_index.LANG.md` borrows the default language's.
    pub source: Option<SourceFile>,
    pub title: String,
    pub description: String,
    pub weight: Option<i64>,
    pub icon: String,
    pub sort_by: SortBy,
    pub template: Option<String>,
    pub page_template: Option<String>,
    pub extra: toml::Table,
    pub body: String,
    pub body_line: usize,
    pub path: SitePath,
    pub aliases: Vec<String>,
    /// Contact channels for the articles below that name none themselves.
    pub contact: Vec<Located<String>>,
    /// `faq` of the front matter: whether the articles below are questions and answers.
    pub faq: Option<bool>,
    pub parent: Option<SectionId>,
    pub subsections: Vec<SectionId>,
    /// Direct articles, in the section's order.
    pub pages: Vec<PageId>,
}

impl Section {
    /// The file to name in diagnostics: the `_index.md`, or the folder when there is none.
    pub fn source_display(&self) -> PathBuf {
        match &self.source {
            Some(file) => file.display.clone(),
            None => PathBuf::from(format!("content/{}", self.dir)),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Page {
    pub lang: String,
    pub source: SourceFile,
    pub section: SectionId,
    pub path: SitePath,
    pub title: String,
    pub description: String,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub weight: Option<i64>,
    pub template: Option<String>,
    pub aliases: Vec<String>,
    pub extra: toml::Table,
    pub body: String,
    pub body_line: usize,
    /// The contact channels named by this article (`contact = [...]`).
    pub contact: Vec<Located<String>>,
    /// Set when the article is a contact channel; `name` is its file name.
    pub channel: Option<NamedChannel>,
    /// Set on the articles of the announcements section.
    pub announcement: Option<crate::model::announcement::Announcement>,
    /// `faq` of the front matter (the section's applies when this is unset).
    pub faq: Option<bool>,
    /// The source path without its language suffix: translations share it.
    pub translation_key: String,
    /// Set on a page shown in a language it has no translation in: the original.
    pub stand_in_for: Option<PageId>,
    /// Search synonyms from the front matter.
    pub keywords: Vec<String>,
    /// A draft (itself or through its section), present only with `--drafts`;
    /// never indexed for search.
    pub draft: bool,
}

/// A contact channel and the name articles use for it (its file name, or its
/// bundle's folder name, without the language suffix).
#[derive(Debug, Clone)]
pub struct NamedChannel {
    pub name: String,
    pub channel: Channel,
}

/// A content file that is not Markdown, copied to `output` paths.
#[derive(Debug, Clone)]
pub struct Asset {
    pub source: SourceFile,
    pub outputs: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub languages: Vec<String>,
    pub sections: Vec<Section>,
    pub pages: Vec<Page>,
    pub assets: Vec<Asset>,
    /// The home section of each language.
    pub homes: BTreeMap<String, SectionId>,
    /// Every version of each article, stand-ins included: key -> language -> page.
    pub translations: BTreeMap<String, BTreeMap<String, PageId>>,
    /// Every version of each section: folder -> language -> section.
    pub section_translations: BTreeMap<String, BTreeMap<String, SectionId>>,
}

impl Site {
    /// Sections from the home down to `id`, `id` included.
    pub fn ancestry(&self, id: SectionId) -> Vec<SectionId> {
        let mut chain = vec![id];
        let mut current = id;
        while let Some(parent) = self.sections[current].parent {
            chain.push(parent);
            current = parent;
        }
        chain.reverse();
        chain
    }

    /// Every article below a section, nested sections included, in order.
    /// The real (not stand-in) announcements of `lang`, newest first.
    pub fn announcements_in(&self, lang: &str) -> Vec<PageId> {
        let mut ids: Vec<PageId> = self
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.lang == lang && p.stand_in_for.is_none() && p.announcement.is_some())
            .map(|(id, _)| id)
            .collect();
        ids.sort_by(|&a, &b| {
            let key = |id: PageId| {
                let p = &self.pages[id];
                (
                    p.announcement.as_ref().map(|a| a.starts.clone()),
                    p.title.clone(),
                )
            };
            key(b).cmp(&key(a))
        });
        ids
    }

    /// Whether the site has an announcements section at all.
    pub fn has_announcements(&self) -> bool {
        self.sections
            .iter()
            .any(|s| s.dir == announcement::SECTION_DIR)
    }

    pub fn pages_below(&self, id: SectionId) -> Vec<PageId> {
        let section = &self.sections[id];
        let mut all = section.pages.clone();
        for &sub in &section.subsections {
            all.extend(self.pages_below(sub));
        }
        all
    }
}

/// The URL prefix of a language: nothing for the default, `en/` for the others.
pub fn language_prefix(config: &Config, lang: &str) -> String {
    if lang == config.default_language {
        String::new()
    } else {
        format!("{lang}/")
    }
}

/// Assembles the site from parsed sources and asset files.
pub fn build_site(
    config: &Config,
    parsed: Vec<Parsed>,
    assets: Vec<SourceFile>,
    unreadable: &BTreeSet<String>,
    include_drafts: bool,
) -> (Site, Diagnostics) {
    let mut diags = Diagnostics::new();
    let languages = config.language_codes();
    let lang_of = |file: &SourceFile, diags: &mut Diagnostics| -> Option<String> {
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

    let mut section_sources: BTreeMap<(String, String), SectionSource> = BTreeMap::new();
    let mut page_sources: Vec<(String, PageSource)> = Vec::new();
    for item in parsed {
        match item {
            Parsed::Section(s) => {
                if let Some(lang) = lang_of(&s.file, &mut diags) {
                    section_sources.insert((s.file.dir().to_string(), lang), *s);
                }
            }
            Parsed::Page(p) => {
                if let Some(lang) = lang_of(&p.file, &mut diags) {
                    page_sources.push((lang, *p));
                }
            }
        }
    }

    let draft_dirs: BTreeSet<(String, String)> = section_sources
        .iter()
        .filter(|(_, s)| s.draft && !include_drafts)
        .map(|(key, _)| key.clone())
        .collect();
    let in_draft_section = |lang: &str, dir: &str| {
        draft_dirs.iter().any(|(d, l)| {
            l == lang && (d == dir || d.is_empty() || dir.starts_with(&format!("{d}/")))
        })
    };
    let all_draft_dirs: BTreeSet<(String, String)> = section_sources
        .iter()
        .filter(|(_, s)| s.draft)
        .map(|(key, _)| key.clone())
        .collect();
    let is_draft_page = |lang: &str, p: &PageSource| {
        let dir = page_section_dir(&p.file);
        p.draft
            || all_draft_dirs.iter().any(|(d, l)| {
                l == lang && (d == dir || d.is_empty() || dir.starts_with(&format!("{d}/")))
            })
    };
    page_sources.retain(|(lang, p)| {
        (include_drafts || !p.draft) && !in_draft_section(lang, page_section_dir(&p.file))
    });
    section_sources.retain(|(dir, lang), _| !in_draft_section(lang, dir));

    let mut builder = SiteBuilder {
        config,
        sections: Vec::new(),
        by_dir: BTreeMap::new(),
        section_sources: &section_sources,
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
        diags: &mut diags,
    };
    let mut homes = BTreeMap::new();
    for lang in &languages {
        homes.insert(lang.clone(), builder.section_for(lang, ""));
        let explicit: Vec<&String> = section_sources
            .keys()
            .filter(|(_, l)| l == lang)
            .map(|(d, _)| d)
            .collect();
        for dir in explicit {
            builder.section_for(lang, dir);
        }
    }

    let mut pages = Vec::new();
    for (lang, source) in page_sources {
        let dir = page_section_dir(&source.file).to_string();
        let section = builder.section_for(&lang, &dir);
        let slug = source
            .slug
            .clone()
            .unwrap_or_else(|| page_file_slug(&source.file).to_string());
        let path = builder.sections[section].path.join_dir(&slug);
        let draft = is_draft_page(&lang, &source);
        pages.push(Page {
            keywords: source.keywords.clone(),
            draft,
            lang,
            section,
            path,
            title: source.title,
            description: source.description,
            // An announcement without a `date` is dated by its start, for ordering and feeds.
            date: source
                .date
                .or_else(|| source.announcement.as_ref().map(|a| a.starts.clone())),
            updated: source.updated,
            weight: source.weight,
            template: source.template,
            aliases: source.aliases,
            extra: source.extra,
            body: source.body,
            body_line: source.body_line,
            translation_key: translation_key(&source.file),
            stand_in_for: None,
            contact: source.contact,
            announcement: source.announcement,
            faq: source.faq,
            channel: source.channel.map(|channel| NamedChannel {
                name: page_file_slug(&source.file).to_string(),
                channel,
            }),
            source: source.file,
        });
    }
    if config.untranslated == Untranslated::Notice {
        add_stand_ins(&mut pages, &mut builder, &languages);
    }
    let section_translations = builder.by_dir.iter().fold(
        BTreeMap::<String, BTreeMap<String, SectionId>>::new(),
        |mut map, ((dir, lang), &id)| {
            map.entry(dir.clone()).or_default().insert(lang.clone(), id);
            map
        },
    );
    let mut sections = builder.sections;

    for (id, page) in pages.iter().enumerate() {
        sections[page.section].pages.push(id);
    }
    for section in &mut sections {
        sort_pages(&mut section.pages, &pages, section.sort_by);
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

    let assets = place_assets(config, assets, &pages);
    let mut translations: BTreeMap<String, BTreeMap<String, PageId>> = BTreeMap::new();
    for (id, page) in pages.iter().enumerate() {
        translations
            .entry(page.translation_key.clone())
            .or_default()
            .insert(page.lang.clone(), id);
    }
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

/// `account/x.en.md` -> `account/x.md`: the same for every translation of a file.
fn translation_key(file: &SourceFile) -> String {
    match &file.lang {
        Some(lang) => {
            let suffix = format!(".{lang}.md");
            let base = file.rel.strip_suffix(&suffix).unwrap_or(&file.rel);
            format!("{base}.md")
        }
        None => file.rel.clone(),
    }
}

/// For every article missing in a language, a stand-in page in that language that
/// shows the original (the default language's version, else the first there is).
fn add_stand_ins(pages: &mut Vec<Page>, builder: &mut SiteBuilder<'_>, languages: &[String]) {
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
            let path = builder.sections[section].path.join_dir(slug);
            // A stand-in never takes a place another page has; the real collision,
            // if any, is reported for the originals.
            if !taken.insert(path.as_str().to_lowercase()) {
                continue;
            }
            stand_ins.push(Page {
                lang: lang.clone(),
                section,
                path,
                aliases: Vec::new(),
                stand_in_for: Some(original),
                ..source.clone()
            });
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

/// Folder of the section an article belongs to.
pub fn page_section_dir(file: &SourceFile) -> &str {
    match file.kind {
        SourceKind::Page { bundle: true } => parent_dir(file.dir()),
        _ => file.dir(),
    }
}

fn page_file_slug(file: &SourceFile) -> &str {
    match file.kind {
        SourceKind::Page { bundle: true } => file.dir().rsplit('/').next().unwrap_or(""),
        _ => file.stem(),
    }
}

fn parent_dir(dir: &str) -> &str {
    dir.rsplit_once('/').map_or("", |(parent, _)| parent)
}

fn weight_then_title(a: &(Option<i64>, String), b: &(Option<i64>, String)) -> std::cmp::Ordering {
    let weight = |w: Option<i64>| w.unwrap_or(i64::MAX);
    weight(a.0).cmp(&weight(b.0)).then_with(|| a.1.cmp(&b.1))
}

fn sort_pages(ids: &mut [PageId], pages: &[Page], sort_by: SortBy) {
    ids.sort_by(|&a, &b| {
        let (a, b) = (&pages[a], &pages[b]);
        let by_title = a.title.cmp(&b.title).then_with(|| a.path.cmp(&b.path));
        match sort_by {
            // As `weight_then_title`, without copying titles for each comparison.
            SortBy::Weight => {
                let weight = |w: Option<i64>| w.unwrap_or(i64::MAX);
                weight(a.weight)
                    .cmp(&weight(b.weight))
                    .then_with(|| a.title.cmp(&b.title))
                    .then_with(|| a.path.cmp(&b.path))
            }
            SortBy::Title => by_title,
            SortBy::Date => b.date.cmp(&a.date).then(by_title),
        }
    });
}

/// Creates sections on demand, parents first, so every folder with content has one.
struct SiteBuilder<'a> {
    config: &'a Config,
    sections: Vec<Section>,
    by_dir: BTreeMap<(String, String), SectionId>,
    section_sources: &'a BTreeMap<(String, String), SectionSource>,
    warned_implicit: BTreeSet<String>,
    diags: &'a mut Diagnostics,
}

impl SiteBuilder<'_> {
    fn section_for(&mut self, lang: &str, dir: &str) -> SectionId {
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

fn title_from_folder(name: &str) -> String {
    let spaced = name.replace(['-', '_'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
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

/// Two sources that would write the same output file (compared without case,
/// as on many file systems and hosts) fail the build, naming every one.
fn find_collisions(site: &Site) -> Vec<Diagnostic> {
    let mut claims: BTreeMap<String, Vec<(PathBuf, String)>> = BTreeMap::new();
    let mut claim = |output: String, source: PathBuf, what: &str| {
        claims
            .entry(output.to_lowercase())
            .or_default()
            .push((source, format!("{what} /{output}")));
    };
    for page in site.pages.iter().filter(|p| p.stand_in_for.is_none()) {
        claim(page.path.output_file(), page.source.display.clone(), "page");
        for alias in &page.aliases {
            claim(
                SitePath::new(alias.clone()).output_file(),
                page.source.display.clone(),
                "alias",
            );
        }
    }
    for section in &site.sections {
        let source = section.source_display();
        claim(section.path.output_file(), source.clone(), "section");
        for alias in &section.aliases {
            claim(
                SitePath::new(alias.clone()).output_file(),
                source.clone(),
                "alias",
            );
        }
    }
    for asset in &site.assets {
        for output in &asset.outputs {
            claim(output.clone(), asset.source.display.clone(), "file");
        }
    }
    let mut diags = Vec::new();
    for claimants in claims.values().filter(|c| c.len() > 1) {
        let target = &claimants[0].1;
        let same_target = claimants.iter().all(|(_, what)| what == target);
        let all: Vec<String> = claimants
            .iter()
            .map(|(src, what)| match same_target {
                true => src.display().to_string(),
                false => format!("{} ({what})", src.display()),
            })
            .collect();
        for (source, what) in claimants {
            let what = if same_target { target } else { what };
            diags.push(
                Diagnostic::error(format!(
                    "{} sources write the same output ({what}): {}",
                    claimants.len(),
                    all.join(", ")
                ))
                .in_file(source)
                .with_hint("give one of them another file name, `slug` or alias"),
            );
        }
    }
    diags.extend(file_folder_clashes(&claims));
    diags
}

/// An output file whose path is also a folder of another output (`old/page` and
/// `old/page/index.html`) cannot both be written.
fn file_folder_clashes(claims: &BTreeMap<String, Vec<(PathBuf, String)>>) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for (path, inner) in claims {
        let folders = path.match_indices('/').map(|(i, _)| &path[..i]);
        for folder in folders {
            let Some(outer) = claims.get(folder) else {
                continue;
            };
            let all: Vec<String> = outer
                .iter()
                .chain(inner)
                .map(|(src, what)| format!("{} ({what})", src.display()))
                .collect();
            for (source, _) in outer.iter().chain(inner) {
                diags.push(
                    Diagnostic::error(format!(
                        "one output is a file where another needs a folder: {}",
                        all.join(", ")
                    ))
                    .in_file(source)
                    .with_hint("rename one of them"),
                );
            }
        }
    }
    diags
}
