//! The site model: sections and articles per language, their URLs and order.
//!
//! Built from the parsed sources; checks what needs the whole site at once
//! (languages, URL collisions) and reports every problem it finds.

pub(crate) mod announcement;
mod assemble;
pub(crate) mod channels;
mod collisions;
pub(crate) mod git_dates;
pub mod parse;
pub(crate) mod patch;
pub(crate) mod rendered;
mod sections;
pub(crate) mod urls;

pub(crate) use assemble::{build_site, reorder_section, reorder_subsections};

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::config::Config;
use crate::contact::channel::{Channel, Located};
use crate::model::parse::PageFront;
use crate::source::discover::{SourceFile, SourceKind};
use crate::source::frontmatter::SortBy;

pub(crate) type SectionId = usize;
pub(crate) type PageId = usize;

/// A path inside the site, relative to the base path: `""` for the home page,
/// `account/reset-password/` for an article, `old/page.html` for a file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct SitePath(String);

impl SitePath {
    pub(crate) fn new(path: impl Into<String>) -> Self {
        SitePath(path.into())
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn join_dir(&self, segment: &str) -> SitePath {
        SitePath(format!("{}{segment}/", self.0))
    }

    /// The file written for this path: a folder path gets its `index.html`.
    pub(crate) fn output_file(&self) -> String {
        if self.0.is_empty() || self.0.ends_with('/') {
            format!("{}index.html", self.0)
        } else {
            self.0.clone()
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Section {
    pub(crate) lang: String,
    /// Folder inside `content/` ("" for the home page).
    pub(crate) dir: String,
    /// The `_index.md` this section's front matter came from, if any. A translation
    /// without its own `_index.LANG.md` borrows the default language's.
    pub(crate) source: Option<SourceFile>,
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) weight: Option<i64>,
    pub(crate) icon: String,
    pub(crate) sort_by: SortBy,
    pub(crate) template: Option<String>,
    pub(crate) page_template: Option<String>,
    pub(crate) extra: toml::Table,
    pub(crate) body: std::sync::Arc<str>,
    pub(crate) body_line: usize,
    pub(crate) path: SitePath,
    pub(crate) aliases: Vec<String>,
    /// Zola's `redirect_to`: the section's address sends readers here (a path inside
    /// the site or a web address) instead of showing the section.
    pub(crate) redirect_to: Option<String>,
    /// Contact channels for the articles below that name none themselves.
    pub(crate) contact: Vec<Located<String>>,
    /// `faq` of the front matter: whether the articles below are questions and answers.
    pub(crate) faq: Option<bool>,
    pub(crate) parent: Option<SectionId>,
    pub(crate) subsections: Vec<SectionId>,
    /// Direct articles, in the section's order.
    pub(crate) pages: Vec<PageId>,
}

impl Section {
    /// The file to name in diagnostics: the `_index.md`, or the folder when there is none.
    pub(crate) fn source_display(&self) -> PathBuf {
        match &self.source {
            Some(file) => file.display.clone(),
            None => PathBuf::from(format!("content/{}", self.dir)),
        }
    }
}

/// An article in its language and section. Its front matter (title, dates, weight,
/// aliases...) is read through the page: `page.title` is `page.front.title`.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    pub(crate) lang: String,
    pub(crate) source: SourceFile,
    pub(crate) section: SectionId,
    pub(crate) path: SitePath,
    /// The checked front matter; an announcement without a `date` is dated by its start.
    pub(crate) front: PageFront,
    pub(crate) body: std::sync::Arc<str>,
    pub(crate) body_line: usize,
    /// Set when the article is a contact channel; `name` is its file name. Boxed:
    /// a channel is most of a page's size, and few pages are channels.
    pub(crate) channel: Option<Box<NamedChannel>>,
    /// The source path without its language suffix: translations share it.
    pub(crate) translation_key: String,
    /// Set on a page shown in a language it has no translation in: the original.
    pub(crate) stand_in_for: Option<PageId>,
    /// A draft (itself or through its section), present only with `--drafts`;
    /// never indexed for search.
    pub(crate) draft: bool,
}

impl std::ops::Deref for Page {
    type Target = PageFront;

    fn deref(&self) -> &PageFront {
        &self.front
    }
}

/// A contact channel and the name articles use for it (its file name, or its
/// bundle's folder name, without the language suffix).
#[derive(Debug, Clone)]
pub(crate) struct NamedChannel {
    pub(crate) name: String,
    pub(crate) channel: Channel,
}

/// A content file that is not Markdown, copied to `output` paths.
#[derive(Debug, Clone)]
pub(crate) struct Asset {
    pub(crate) source: SourceFile,
    pub(crate) outputs: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct Site {
    pub(crate) languages: Vec<String>,
    pub(crate) sections: Vec<Section>,
    pub(crate) pages: Vec<Page>,
    pub(crate) assets: Vec<Asset>,
    /// The home section of each language.
    pub(crate) homes: BTreeMap<String, SectionId>,
    /// Every version of each article, stand-ins included: key -> language -> page.
    pub(crate) translations: BTreeMap<String, BTreeMap<String, PageId>>,
    /// Every version of each section: folder -> language -> section.
    pub(crate) section_translations: BTreeMap<String, BTreeMap<String, SectionId>>,
}

impl Site {
    /// Sections from the home down to `id`, `id` included.
    pub(crate) fn ancestry(&self, id: SectionId) -> Vec<SectionId> {
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
    pub(crate) fn announcements_in(&self, lang: &str) -> Vec<PageId> {
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
    pub(crate) fn has_announcements(&self) -> bool {
        self.sections
            .iter()
            .any(|s| s.dir == announcement::SECTION_DIR)
    }

    pub(crate) fn pages_below(&self, id: SectionId) -> Vec<PageId> {
        let section = &self.sections[id];
        let mut all = section.pages.clone();
        for &sub in &section.subsections {
            all.extend(self.pages_below(sub));
        }
        all
    }
}

/// The URL prefix of a language: nothing for the default, `en/` for the others.
pub(crate) fn language_prefix(config: &Config, lang: &str) -> String {
    if lang == config.default_language {
        String::new()
    } else {
        format!("{lang}/")
    }
}

/// Folder of the section an article belongs to.
pub(crate) fn page_section_dir(file: &SourceFile) -> &str {
    match file.kind {
        SourceKind::Page { bundle: true } => parent_dir(file.dir()),
        _ => file.dir(),
    }
}

pub(crate) fn parent_dir(dir: &str) -> &str {
    dir.rsplit_once('/').map_or("", |(parent, _)| parent)
}
