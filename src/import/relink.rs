//! Links of a Markdown site, once every page's new place is known: each page (article or
//! section, every language) indexed by its source file, names and old addresses; then
//! every body's links rewritten to `@/` placeholders or copied files, then the
//! placeholders filled with final paths.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::convert::BodyCtx;
use super::links::{self, LinkIndex, Origin, Resolved, Rewrite};
use super::place::slug;
use super::profile::{OldPlace, Profile};
use super::report::Report;
use super::site::{Asset, Site};

/// Indexes every page, then rewrites each body's links and collects each article's files.
/// `pages[i]` is where article `i` stood, `sections[i]` where section `i` did (sections
/// added later, with no body of their own, have none).
pub(crate) fn link_all(
    p: &Profile,
    site: &mut Site,
    pages: &[OldPlace],
    sections: &[OldPlace],
    report: &mut Report,
) {
    let index = index_pages(p, site, pages, sections);
    for (a, place) in site.articles.iter_mut().zip(pages) {
        if url_differs(&place.old_url, &a.url_path()) {
            a.front.aliases.push(place.old_url.clone());
        }
        let origin = origin(p, place);
        let (body, assets) = rewrite(&a.body, a.body_line, &origin, &index, &a.source, report);
        a.body = body;
        a.assets = assets;
    }
    for (s, place) in site.sections.iter_mut().zip(sections) {
        let Some(source) = s.source.clone() else {
            continue;
        };
        let origin = origin(p, place);
        let (body, assets) = rewrite(&s.body, place.body_line, &origin, &index, &source, report);
        s.body = body;
        s.assets = assets;
    }
    share_folders(site);
    fill(site);
}

/// A page and its translations share a folder: a file of a translation that has the name
/// of another file there (a translated screenshot, say) gets `-LANG` in its name, and
/// the translation's links follow. Sections and bundles are both folders here.
fn share_folders(site: &mut Site) {
    let mut taken: BTreeMap<(Vec<String>, String), PathBuf> = BTreeMap::new();
    let articles = site.articles.iter_mut().map(|a| {
        let mut folder = a.dir.clone();
        folder.push(a.name.clone());
        (folder, a.lang.clone(), &mut a.assets, &mut a.body)
    });
    let sections = (site.sections.iter_mut())
        .map(|s| (s.dir.clone(), s.lang.clone(), &mut s.assets, &mut s.body));
    let mut all: Vec<_> = articles.chain(sections).collect();
    // The default language's files keep their names.
    all.sort_by_key(|(_, lang, _, _)| lang.is_some());
    for (folder, lang, assets, body) in all {
        for asset in assets.iter_mut() {
            let key = (folder.clone(), asset.name.clone());
            match taken.get(&key) {
                Some(from) if *from != asset.from => {
                    let renamed = with_suffix(&asset.name, lang.as_deref().unwrap_or("2"));
                    *body = body
                        .replace(&format!("]({})", asset.name), &format!("]({renamed})"))
                        .replace(&format!("]({} ", asset.name), &format!("]({renamed} "));
                    asset.name = renamed;
                    taken.insert((folder.clone(), asset.name.clone()), asset.from.clone());
                }
                Some(_) => {}
                None => {
                    taken.insert(key, asset.from.clone());
                }
            }
        }
    }
}

/// `form.png` -> `form-fr.png`.
fn with_suffix(name: &str, suffix: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}-{suffix}.{ext}"),
        None => format!("{name}-{suffix}"),
    }
}

fn origin<'a>(p: &'a Profile, place: &'a OldPlace) -> Origin<'a> {
    Origin {
        root: &p.root,
        dir: &place.dir,
        fallback_dir: &place.fallback_dir,
        lang: place.lang.as_deref().unwrap_or(""),
        url: &place.url_key,
        static_dirs: &p.static_dirs,
        url_prefixes: p.url_prefixes,
    }
}

/// Every page under its source path (and path inside the content folder), names and
/// old addresses. Names lead to the default language's page; a translation is reached
/// by its own file or old address.
fn index_pages(p: &Profile, site: &Site, pages: &[OldPlace], sections: &[OldPlace]) -> LinkIndex {
    let mut index = LinkIndex::default();
    let content_prefix = p
        .content
        .strip_prefix(&p.root)
        .map(|c| c.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    for (id, (a, place)) in site.articles.iter().zip(pages).enumerate() {
        let mut urls = vec![place.old_url.clone()];
        let names = if a.lang.is_none() {
            urls.extend(a.front.aliases.iter().cloned());
            let file = a.source.rsplit('/').next().unwrap_or("");
            vec![a.name.clone(), slug(links::url_key(file).as_str())]
        } else {
            Vec::new()
        };
        index.add(id, &a.source, &names, &urls, &a.body);
        if let Some(in_content) = a
            .source
            .strip_prefix(&content_prefix)
            .filter(|_| !content_prefix.is_empty())
        {
            index.add(id, in_content, &[], &[], &a.body);
        }
    }
    let offset = site.articles.len();
    for (i, s) in site.sections.iter().enumerate() {
        if let Some(source) = &s.source {
            let mut urls = vec![format!("/{}/", s.dir.join("/"))];
            urls.extend(sections.get(i).map(|place| place.old_url.clone()));
            index.add(offset + i, source, &[], &urls, &s.body);
        }
    }
    index
}

fn url_differs(old: &str, new: &str) -> bool {
    links::url_key(old) != links::url_key(new) && !old.is_empty()
}

/// The body with links resolved, and the files it links to.
pub(crate) fn rewrite(
    body: &str,
    first_line: usize,
    origin: &Origin<'_>,
    index: &LinkIndex,
    shown: &str,
    report: &mut Report,
) -> (String, Vec<Asset>) {
    let mut assets: Vec<Asset> = Vec::new();
    let mut ctx = BodyCtx {
        file: shown,
        first_line,
        report,
    };
    let out = links::rewrite_links(body, &mut ctx, |i, link, ctx| {
        match links::resolve(link.dest, origin, index) {
            Resolved::Keep => Rewrite::Dest(link.dest.to_string()),
            Resolved::Page(id, anchor) => Rewrite::Dest(format!(
                "{}{}",
                links::placeholder(id),
                index.anchor(id, anchor.as_deref())
            )),
            Resolved::File(path) => Rewrite::Dest(asset_name(&mut assets, path)),
            Resolved::Unresolved => {
                let shown_dest = match link.dest.strip_prefix(links::REF) {
                    Some(named) => format!("{named} (named by a template tag)"),
                    None => link.dest.to_string(),
                };
                ctx.report.unresolved(shown, first_line + i, &shown_dest);
                Rewrite::TextOnly
            }
        }
    });
    // A template link outside a Markdown link (in code, say) stays as the path it named.
    (out.replace(links::REF, ""), assets)
}

/// The name a copied file has inside the bundle (the same file keeps its name).
fn asset_name(assets: &mut Vec<Asset>, from: PathBuf) -> String {
    if let Some(a) = assets.iter().find(|a| a.from == from) {
        return a.name.clone();
    }
    let file = from.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let (stem, ext) = file.rsplit_once('.').unwrap_or((file, ""));
    let ext = if ext.is_empty() {
        String::new()
    } else {
        format!(".{}", slug(ext))
    };
    let mut name = format!("{}{ext}", slug(stem));
    let mut n = 1;
    while name == "index.md" || assets.iter().any(|a| a.name == name) {
        n += 1;
        name = format!("{}-{n}{ext}", slug(stem));
    }
    assets.push(Asset {
        from,
        name: name.clone(),
    });
    name
}

/// Replaces placeholders, in articles and sections, by final `@/` paths now that
/// bundles are known.
pub(crate) fn fill(site: &mut Site) {
    let bundles = site.bundles();
    let paths: Vec<String> = site
        .articles
        .iter()
        .map(|a| a.link_path(Site::is_bundle(&bundles, a)))
        .chain(site.sections.iter().map(|s| {
            let lang = s.lang.as_ref().map(|l| format!(".{l}")).unwrap_or_default();
            let mut parts = s.dir.clone();
            parts.push(format!("_index{lang}.md"));
            parts.join("/")
        }))
        .collect();
    let path_of = |id: usize| paths.get(id).cloned().unwrap_or_default();
    for a in &mut site.articles {
        a.body = links::fill_placeholders(&a.body, path_of);
    }
    for s in &mut site.sections {
        s.body = links::fill_placeholders(&s.body, path_of);
    }
}
