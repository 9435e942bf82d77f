//! The imported site before it is written: sections, articles with their converted
//! bodies and files, and the settings for config.toml; `into_files` lays it out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use super::front_matter::{self, quoted, Front};
use super::report::Report;
use super::writer::PlannedFile;
use crate::model::parse::is_safe_segment;

#[derive(Debug, Default)]
pub(crate) struct Site {
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub default_lang: String,
    /// Names of the languages in themselves (`fr` -> `Français`), where the source says.
    pub language_names: BTreeMap<String, String>,
    pub sections: Vec<Section>,
    pub articles: Vec<Article>,
}

/// A folder of the imported site (the home page has an empty `dir`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Section {
    /// The source file it came from, if any (`_index.md`, `_category_.json`, a category).
    pub source: Option<String>,
    pub dir: Vec<String>,
    pub lang: Option<String>,
    pub front: Front,
    pub body: String,
    /// Images and attachments its text links to, copied beside its `_index.md`.
    pub assets: Vec<Asset>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Article {
    pub source: String,
    pub dir: Vec<String>,
    pub name: String,
    pub lang: Option<String>,
    pub front: Front,
    pub body: String,
    /// Line of the source file on which the body starts (for the report).
    pub body_line: usize,
    /// Images and attachments copied next to the article (then it is a bundle).
    pub assets: Vec<Asset>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Asset {
    pub from: PathBuf,
    pub name: String,
}

impl Article {
    /// The `@/` path of the article once written (without `@/`).
    pub(super) fn link_path(&self, bundle: bool) -> String {
        let lang = self
            .lang
            .as_ref()
            .map(|l| format!(".{l}"))
            .unwrap_or_default();
        let mut parts = self.dir.clone();
        if bundle {
            parts.push(self.name.clone());
            parts.push(format!("index{lang}.md"));
        } else {
            parts.push(format!("{}{lang}.md", self.name));
        }
        parts.join("/")
    }

    /// The address helpsite gives it (without the language prefix), e.g. `billing/refunds/`.
    pub(super) fn url_path(&self) -> String {
        let mut parts = self.dir.clone();
        parts.push(self.name.clone());
        format!("{}/", parts.join("/"))
    }
}

impl Site {
    /// Languages other than the default, sorted.
    pub(super) fn other_languages(&self) -> BTreeSet<String> {
        let sections = self.sections.iter().filter_map(|s| s.lang.clone());
        let articles = self.articles.iter().filter_map(|a| a.lang.clone());
        sections
            .chain(articles)
            .filter(|l| *l != self.default_lang)
            .collect()
    }

    /// (dir, name) of the articles that carry files and are written as bundles.
    pub(super) fn bundles(&self) -> BTreeSet<(Vec<String>, String)> {
        self.articles
            .iter()
            .filter(|a| !a.assets.is_empty())
            .map(|a| (a.dir.clone(), a.name.clone()))
            .collect()
    }

    pub(super) fn is_bundle(bundles: &BTreeSet<(Vec<String>, String)>, a: &Article) -> bool {
        bundles.contains(&(a.dir.clone(), a.name.clone()))
    }

    /// Every file of the site, in a fixed order, with the report told where each went.
    pub(super) fn into_files(mut self, report: &mut Report) -> Vec<PlannedFile> {
        self.add_missing_sections();
        self.drop_clashing_aliases(report);
        let with_html = self.sources_with_raw_html();
        if !with_html.is_empty() {
            report.warn(
                "config.toml",
                None,
                format!(
                    "HTML in {} source file{} (first: {}): [markdown] raw_html = \"safe\" keeps the HTML on helpsite's allow-list",
                    with_html.len(),
                    if with_html.len() == 1 { "" } else { "s" },
                    with_html[0]
                ),
            );
        }
        let mut files = vec![PlannedFile {
            path: "config.toml".into(),
            bytes: self.config_toml(!with_html.is_empty()).into_bytes(),
        }];
        let bundles = self.bundles();
        for section in &self.sections {
            let lang = section
                .lang
                .as_ref()
                .map(|l| format!(".{l}"))
                .unwrap_or_default();
            let mut parts = vec!["content".to_string()];
            parts.extend(section.dir.iter().cloned());
            parts.push(format!("_index{lang}.md"));
            let path = parts.join("/");
            if let Some(source) = &section.source {
                report.moved(source, &path);
            }
            let title = section
                .front
                .title
                .clone()
                .unwrap_or_else(|| self.title.clone());
            let text = format!(
                "{}\n{}",
                front_matter::render(&section.front, &title, true),
                section.body.trim()
            );
            files.push(planned(path, text));
            report.sections += 1;
            // A section page's files go beside its `_index.md`.
            for asset in &section.assets {
                let source = section.source.as_deref().unwrap_or("");
                files.push(asset_beside(&section.dir, asset, source, report));
            }
        }
        for article in &self.articles {
            let bundle = Self::is_bundle(&bundles, article);
            let path = format!("content/{}", article.link_path(bundle));
            report.moved(&article.source, &path);
            let title = article
                .front
                .title
                .clone()
                .unwrap_or_else(|| article.name.clone());
            let text = format!(
                "{}\n{}",
                front_matter::render(&article.front, &title, false),
                article.body.trim()
            );
            files.push(planned(path, text));
            report.articles += 1;
            for asset in &article.assets {
                files.push(self.asset_file(article, asset, report));
            }
        }
        files.retain(|f| !f.bytes.is_empty() || !f.path.is_empty());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files.dedup_by(|a, b| a.path == b.path);
        report.languages = std::iter::once(self.default_lang.clone())
            .chain(self.other_languages())
            .collect();
        files
    }

    fn asset_file(&self, article: &Article, asset: &Asset, report: &mut Report) -> PlannedFile {
        let mut folder = article.dir.clone();
        folder.push(article.name.clone());
        asset_beside(&folder, asset, &article.source, report)
    }
}

/// A copied file in `content/FOLDER/`, read now: a file that vanished is reported, not
/// half-written.
fn asset_beside(
    folder: &[String],
    asset: &Asset,
    source: &str,
    report: &mut Report,
) -> PlannedFile {
    let mut parts = vec!["content".to_string()];
    parts.extend(folder.iter().cloned());
    parts.push(asset.name.clone());
    let bytes = std::fs::read(&asset.from).unwrap_or_else(|err| {
        let text = format!("cannot read {}: {err}", asset.from.display());
        report.warn(source, None, text);
        Vec::new()
    });
    report.assets += 1;
    PlannedFile {
        path: parts.join("/"),
        bytes,
    }
}

impl Site {
    /// Every folder holding an article gets an `_index.md`, and so do its parents.
    fn add_missing_sections(&mut self) {
        let mut have: BTreeSet<Vec<String>> = self
            .sections
            .iter()
            .filter(|s| s.lang.is_none())
            .map(|s| s.dir.clone())
            .collect();
        let mut needed: BTreeSet<Vec<String>> = BTreeSet::new();
        let dirs = self.articles.iter().map(|a| a.dir.clone());
        let section_dirs = self.sections.iter().map(|s| s.dir.clone());
        for dir in dirs.chain(section_dirs) {
            for n in 0..=dir.len() {
                needed.insert(dir[..n].to_vec());
            }
        }
        for dir in needed {
            if have.insert(dir.clone()) {
                let title = dir.last().map(|d| super::place::titleize(d));
                self.sections.push(Section {
                    dir,
                    front: Front {
                        title,
                        ..Front::default()
                    },
                    ..Section::default()
                });
            }
        }
        self.sections
            .sort_by(|a, b| (&a.dir, &a.lang).cmp(&(&b.dir, &b.lang)));
    }

    /// An alias that is unsafe, names a page of the site or another page's alias is dropped.
    fn drop_clashing_aliases(&mut self, report: &mut Report) {
        // helpsite refuses two outputs whose paths differ only in case (they are one file
        // on many disks), so addresses are compared in lower case.
        let mut taken: BTreeSet<String> = self
            .articles
            .iter()
            .map(|a| self.full_url(a).to_lowercase())
            .collect();
        taken.extend(
            self.sections
                .iter()
                .map(|s| format!("{}/", s.dir.join("/")).to_lowercase()),
        );
        for i in 0..self.articles.len() {
            let aliases = std::mem::take(&mut self.articles[i].front.aliases);
            let file = self.articles[i].source.clone();
            let own = self.full_url(&self.articles[i]);
            let mut kept = Vec::new();
            for alias in aliases {
                let why = match normalise_alias(&alias) {
                    None => Some("not a safe path inside the site"),
                    Some(key) if key.split('/').next() == Some(super::place::TAG_PAGES) => {
                        Some("/tags/ holds helpsite's tag pages")
                    }
                    Some(key) if key == own => None,
                    Some(key) if key.to_lowercase() == own.to_lowercase() => {
                        Some("it differs from the page's own address only in letter case")
                    }
                    Some(key) if !taken.insert(key.to_lowercase()) => {
                        Some("another page already has this address")
                    }
                    Some(key) => {
                        kept.push(format!("/{key}"));
                        None
                    }
                };
                if let Some(why) = why {
                    report.warn(&file, None, format!("alias {alias:?} dropped: {why}"));
                }
            }
            kept.sort();
            self.articles[i].front.aliases = kept;
        }
    }

    fn full_url(&self, a: &Article) -> String {
        match &a.lang {
            Some(lang) if *lang != self.default_lang => format!("{lang}/{}", a.url_path()),
            _ => a.url_path(),
        }
    }

    /// The source files whose converted text still holds HTML, sorted.
    fn sources_with_raw_html(&self) -> Vec<String> {
        let has_html = |body: &str| {
            body.contains('<')
                && pulldown_cmark::Parser::new(body).any(|e| {
                    matches!(
                        e,
                        pulldown_cmark::Event::Html(_) | pulldown_cmark::Event::InlineHtml(_)
                    )
                })
        };
        let articles = (self.articles.iter()).map(|a| (Some(&a.source), &a.body));
        let sections = (self.sections.iter()).map(|s| (s.source.as_ref(), &s.body));
        let mut found: Vec<String> = articles
            .chain(sections)
            .filter(|(_, body)| has_html(body))
            .filter_map(|(source, _)| source.cloned())
            .collect();
        found.sort();
        found.dedup();
        found
    }

    fn config_toml(&self, raw_html: bool) -> String {
        let mut out = String::from(
            "# Written by `helpsite import`; every key is described in the helpsite user guide.\n",
        );
        out.push_str(&format!("base_url = {}\n", quoted(&self.base_url)));
        out.push_str(&format!("title = {}\n", quoted(&self.title)));
        if !self.description.is_empty() {
            out.push_str(&format!("description = {}\n", quoted(&self.description)));
        }
        out.push_str(&format!(
            "default_language = {}\n",
            quoted(&self.default_lang)
        ));
        if let Some(name) = self.language_names.get(&self.default_lang) {
            // Language codes are bare TOML keys: letters, digits and `-`.
            out.push_str(&format!(
                "\n[languages.{}]\nname = {}\n",
                self.default_lang,
                quoted(name)
            ));
        }
        for lang in self.other_languages() {
            let name = self.language_names.get(&lang).unwrap_or(&lang);
            out.push_str(&format!("\n[languages.{lang}]\nname = {}\n", quoted(name)));
        }
        if raw_html {
            out.push_str("\n# The old site showed the HTML written in its pages: keep what is on the allow-list.\n[markdown]\nraw_html = \"safe\"\n");
        }
        out
    }
}

fn planned(path: String, text: String) -> PlannedFile {
    let mut text = text;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    PlannedFile {
        path,
        bytes: text.into_bytes(),
    }
}

/// An old address as helpsite keys it (`old/page/` or `old/page.html`), if it is safe.
pub(crate) fn normalise_alias(alias: &str) -> Option<String> {
    let path = alias.split(['#', '?']).next().unwrap_or("");
    if path.contains("://") || path.contains('\\') {
        return None;
    }
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() || !trimmed.split('/').all(is_safe_segment) {
        return None;
    }
    let is_file = trimmed.ends_with(".html") || trimmed.ends_with(".htm");
    Some(if is_file {
        trimmed.to_string()
    } else {
        format!("{trimmed}/")
    })
}
