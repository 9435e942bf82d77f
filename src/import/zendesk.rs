//! Zendesk Guide: the Help Center API's JSON (`categories`, `sections`, `articles`,
//! `translations`; a file per endpoint page, or a folder of them) -> folders, sections,
//! articles and their `.LANG.md` translations; old `/hc/LOCALE/articles/ID-slug` addresses kept.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::front_matter::Front;
use super::links::{self, LinkIndex, Origin, Rewrite};
use super::place::slug;
use super::profile::read_source_text;
use super::relink::{fill, rewrite};
use super::report::Report;
use super::site::{Article, Section, Site};
use super::ImportError;

#[derive(Debug, Default, Deserialize)]
struct Page {
    #[serde(default)]
    categories: Vec<Group>,
    #[serde(default)]
    sections: Vec<Group>,
    #[serde(default)]
    articles: Vec<ZArticle>,
    #[serde(default)]
    translations: Vec<Translation>,
}

/// A category or a section.
#[derive(Debug, Clone, Deserialize)]
struct Group {
    id: u64,
    name: String,
    #[serde(default)]
    description: Option<String>,
    position: Option<i64>,
    category_id: Option<u64>,
    parent_section_id: Option<u64>,
    #[serde(default)]
    locale: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct ZArticle {
    id: u64,
    section_id: Option<u64>,
    title: String,
    #[serde(default)]
    body: Option<String>,
    locale: String,
    source_locale: Option<String>,
    position: Option<i64>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    promoted: bool,
    #[serde(default)]
    label_names: Vec<String>,
    created_at: Option<String>,
    updated_at: Option<String>,
    html_url: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct Translation {
    source_id: u64,
    source_type: String,
    locale: String,
    title: String,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    draft: bool,
    updated_at: Option<String>,
    html_url: Option<String>,
}

/// Everything the export holds, with the file each article came from.
#[derive(Default)]
struct Export {
    categories: Vec<Group>,
    sections: Vec<Group>,
    articles: Vec<(String, ZArticle)>,
    translations: Vec<(String, Translation)>,
}

fn read_export(source: &Path) -> Result<Export, ImportError> {
    let files: Vec<PathBuf> = if source.is_file() {
        vec![source.to_path_buf()]
    } else {
        let mut found: Vec<PathBuf> = walkdir::WalkDir::new(source)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .map(|e| e.into_path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "json"))
            .collect();
        found.sort();
        found
    };
    let mut export = Export::default();
    for file in files {
        let shown = file
            .strip_prefix(source)
            .ok()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(&file)
            .to_string_lossy()
            .replace('\\', "/");
        let text = read_source_text(&file, Path::new(&shown))?;
        let page: Page = serde_json::from_str(&text).map_err(|e| {
            ImportError::at(
                Path::new(&shown),
                Some(e.line()),
                format!("not a Help Center API page: {e}"),
            )
        })?;
        export.categories.extend(page.categories);
        export.sections.extend(page.sections);
        export
            .articles
            .extend(page.articles.into_iter().map(|a| (shown.clone(), a)));
        export
            .translations
            .extend(page.translations.into_iter().map(|t| (shown.clone(), t)));
    }
    if export.articles.is_empty() {
        return Err(ImportError::at(
            source,
            None,
            "no articles in this export (expected JSON with an \"articles\" list)",
        ));
    }
    Ok(export)
}

/// The language most articles are written in.
fn default_locale(export: &Export) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for (_, a) in &export.articles {
        *counts
            .entry(a.source_locale.clone().unwrap_or_else(|| a.locale.clone()))
            .or_default() += 1;
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(l, _)| l)
        .unwrap_or_else(|| "en-us".into())
}

/// The folder of each category and section: `category/section/subsection`.
fn folders(export: &Export) -> BTreeMap<(bool, u64), Vec<String>> {
    let mut out = BTreeMap::new();
    let mut used = BTreeSet::new();
    let mut cats = export.categories.clone();
    cats.sort_by_key(|c| c.id);
    for c in &cats {
        let mut name = super::place::top_folder(slug(&c.name));
        if !used.insert(vec![name.clone()]) {
            name = format!("{name}-{}", c.id);
        }
        out.insert((true, c.id), vec![name]);
    }
    let mut sections = export.sections.clone();
    sections.sort_by_key(|s| s.id);
    // Parents before children; nesting is at most a few levels, cycles stop at 8.
    for _ in 0..8 {
        for s in &sections {
            if out.contains_key(&(false, s.id)) {
                continue;
            }
            let parent = match (s.parent_section_id, s.category_id) {
                (Some(p), _) => out.get(&(false, p)).cloned(),
                (None, Some(c)) => out
                    .get(&(true, c))
                    .cloned()
                    .or(Some(vec!["general".into()])),
                (None, None) => Some(vec!["general".into()]),
            };
            if let Some(mut dir) = parent {
                dir.push(slug(&s.name));
                if !used.insert(dir.clone()) {
                    dir.pop();
                    dir.push(format!("{}-{}", slug(&s.name), s.id));
                }
                out.insert((false, s.id), dir);
            }
        }
    }
    out
}

pub(crate) fn read(source: &Path, report: &mut Report) -> Result<Site, ImportError> {
    let root = std::fs::canonicalize(source).map_err(ImportError::io(source))?;
    let mut export = read_export(&root)?;
    export.articles.sort_by_key(|(_, a)| a.id);
    let default = default_locale(&export);
    let dirs = folders(&export);
    let mut site = Site {
        title: "Help Center".into(),
        base_url: base_url(&export),
        default_lang: default.clone(),
        ..Site::default()
    };
    add_sections(&export, &dirs, &default, &mut site);
    let mut ids = Vec::new();
    let mut names: BTreeMap<u64, (Vec<String>, String)> = BTreeMap::new();
    let mut taken = BTreeSet::new();
    for (file, a) in &export.articles {
        let dir = a
            .section_id
            .and_then(|s| dirs.get(&(false, s)).cloned())
            .unwrap_or_else(|| vec!["general".into()]);
        let mut name = slug(&a.title);
        if !taken.insert((dir.clone(), name.clone())) {
            name = format!("{name}-{}", a.id);
            taken.insert((dir.clone(), name.clone()));
        }
        names.insert(a.id, (dir.clone(), name.clone()));
        let lang = Some(a.locale.clone()).filter(|l| *l != default);
        let front = Front {
            title: Some(a.title.clone()),
            date: a.created_at.as_deref().and_then(super::front_matter::date),
            updated: a.updated_at.as_deref().and_then(super::front_matter::date),
            weight: a.position,
            draft: a.draft,
            promoted: a.promoted,
            tags: a.label_names.clone(),
            aliases: vec![old_address(
                a.html_url.as_deref(),
                &a.locale,
                a.id,
                &a.title,
            )],
            ..Front::default()
        };
        let shown = format!("{file}#article-{}", a.id);
        site.articles
            .push(article(&shown, dir, name, lang, front, a.body.as_deref())?);
        ids.push((a.id, a.locale.clone()));
    }
    add_translations(&export, &names, &default, &mut site, &mut ids)?;
    link(&root, &mut site, &ids, report);
    Ok(site)
}

fn article(
    shown: &str,
    dir: Vec<String>,
    name: String,
    lang: Option<String>,
    front: Front,
    html: Option<&str>,
) -> Result<Article, ImportError> {
    let body = super::zendesk_html::to_markdown(html.unwrap_or("")).map_err(|e| {
        ImportError::at(
            Path::new(shown),
            None,
            format!("article HTML cannot be read: {e}"),
        )
    })?;
    Ok(Article {
        source: shown.to_string(),
        dir,
        name,
        lang,
        front,
        body,
        body_line: 1,
        assets: Vec::new(),
    })
}

/// The address the article had: its `html_url`'s path, else the Help Center pattern.
fn old_address(html_url: Option<&str>, locale: &str, id: u64, title: &str) -> String {
    html_url
        .and_then(|u| url::Url::parse(u).ok())
        .map(|u| u.path().to_string())
        .unwrap_or_else(|| format!("/hc/{locale}/articles/{id}-{}", slug(title)))
}

/// `https://host/` of the help center, from any article's address.
fn base_url(export: &Export) -> String {
    export
        .articles
        .iter()
        .find_map(|(_, a)| url::Url::parse(a.html_url.as_deref()?).ok())
        .map(|u| {
            format!(
                "{}://{}/",
                u.scheme(),
                u.host_str().unwrap_or("help.example.com")
            )
        })
        .unwrap_or_else(|| "https://help.example.com/".into())
}

fn add_sections(
    export: &Export,
    dirs: &BTreeMap<(bool, u64), Vec<String>>,
    default: &str,
    site: &mut Site,
) {
    let groups = export
        .categories
        .iter()
        .map(|g| (true, g))
        .chain(export.sections.iter().map(|g| (false, g)));
    for (is_category, g) in groups {
        let Some(dir) = dirs.get(&(is_category, g.id)) else {
            continue;
        };
        let lang = g.locale.clone().filter(|l| l != default);
        site.sections.push(Section {
            source: None,
            dir: dir.clone(),
            lang,
            front: Front {
                title: Some(g.name.clone()),
                description: g.description.clone(),
                weight: g.position,
                ..Front::default()
            },
            body: String::new(),
            assets: Vec::new(),
        });
    }
    for (_, t) in &export.translations {
        let is_category = t.source_type.eq_ignore_ascii_case("category");
        if t.locale == default || !(is_category || t.source_type.eq_ignore_ascii_case("section")) {
            continue;
        }
        if let Some(dir) = dirs.get(&(is_category, t.source_id)) {
            let front = Front {
                title: Some(t.title.clone()),
                ..Front::default()
            };
            site.sections.push(Section {
                source: None,
                dir: dir.clone(),
                lang: Some(t.locale.clone()),
                front,
                body: String::new(),
                assets: Vec::new(),
            });
        }
    }
}

fn add_translations(
    export: &Export,
    names: &BTreeMap<u64, (Vec<String>, String)>,
    default: &str,
    site: &mut Site,
    ids: &mut Vec<(u64, String)>,
) -> Result<(), ImportError> {
    for (file, t) in &export.translations {
        let original = export
            .articles
            .iter()
            .find(|(_, a)| a.id == t.source_id)
            .map(|(_, a)| a);
        let (Some(a), Some((dir, name))) = (original, names.get(&t.source_id)) else {
            continue;
        };
        if !t.source_type.eq_ignore_ascii_case("article")
            || t.locale == a.locale
            || t.locale == default
        {
            continue;
        }
        let front = Front {
            title: Some(t.title.clone()),
            date: a.created_at.as_deref().and_then(super::front_matter::date),
            updated: t.updated_at.as_deref().and_then(super::front_matter::date),
            weight: a.position,
            draft: t.draft,
            promoted: a.promoted,
            tags: a.label_names.clone(),
            aliases: vec![old_address(
                t.html_url.as_deref(),
                &t.locale,
                a.id,
                &t.title,
            )],
            ..Front::default()
        };
        let shown = format!("{file}#article-{}-{}", a.id, t.locale);
        site.articles.push(article(
            &shown,
            dir.clone(),
            name.clone(),
            Some(t.locale.clone()),
            front,
            t.body.as_deref(),
        )?);
        ids.push((a.id, t.locale.clone()));
    }
    Ok(())
}

/// `https://host/hc/en-us/articles/123-some-title#x` -> `/hc/en-us/articles/123#x`.
fn article_key(href: &str) -> Option<String> {
    let start = href.find("/hc/")?;
    let path = &href[start..];
    let (path, anchor) = path
        .split_once('#')
        .map_or((path, None), |(p, a)| (p, Some(a)));
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let id_part = match parts.as_slice() {
        ["hc", _, "articles", id] | ["hc", "articles", id] => *id,
        _ => return None,
    };
    let id: u64 = id_part.split('-').next()?.parse().ok()?;
    let locale = if parts.len() == 4 { parts[1] } else { "" };
    Some(format!(
        "/hc/{locale}/articles/{id}{}",
        anchor.map(|a| format!("#{a}")).unwrap_or_default()
    ))
}

fn link(root: &Path, site: &mut Site, ids: &[(u64, String)], report: &mut Report) {
    let mut index = LinkIndex::default();
    for (i, (id, locale)) in ids.iter().enumerate() {
        let a = &site.articles[i];
        index.add(
            i,
            &format!("zendesk/{id}/{locale}"),
            &[],
            &[
                format!("/hc/{locale}/articles/{id}"),
                format!("/hc//articles/{id}"),
            ],
            &a.body,
        );
    }
    for i in 0..site.articles.len() {
        let shown = site.articles[i].source.clone();
        let mut ctx = super::convert::BodyCtx {
            file: &shown,
            first_line: 1,
            report,
        };
        let normalised = links::rewrite_links(&site.articles[i].body, &mut ctx, |_, l, _| {
            Rewrite::Dest(article_key(l.dest).unwrap_or_else(|| l.dest.to_string()))
        });
        let origin = Origin {
            root,
            dir: "",
            fallback_dir: "",
            lang: "",
            url: "",
            static_dirs: &[],
            url_prefixes: &[],
        };
        let (body, _) = rewrite(&normalised, 1, &origin, &index, &shown, report);
        site.articles[i].body = body;
    }
    fill(site);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_addresses_are_keyed_by_id() {
        assert_eq!(
            article_key("https://acme.zendesk.com/hc/en-us/articles/360001-Reset#steps").as_deref(),
            Some("/hc/en-us/articles/360001#steps")
        );
        assert_eq!(
            article_key("/hc/articles/42"),
            Some("/hc//articles/42".into())
        );
        assert_eq!(article_key("https://example.com/blog/1"), None);
    }
}
