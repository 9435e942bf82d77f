//! The Markdown kinds read the same way: walk the content folder, split front matter,
//! map keys, place each file in the new tree, convert bodies (each kind its own tags),
//! then rewrite links once every page's new place is known.

use std::path::{Path, PathBuf};

use super::convert::BodyCtx;
use super::front_matter::{self, Front, RawDoc};
use super::links::{self, LinkIndex, Origin, Resolved, Rewrite};
use super::place::{slug, strip_date_prefix, strip_order_prefix};
use super::report::Report;
use super::site::{Article, Asset, Section, Site};
use super::{ImportError, MAX_FILE_BYTES};

/// How one kind of Markdown site is laid out and written.
pub(crate) struct Profile {
    /// SOURCE, canonical.
    pub root: PathBuf,
    /// The folder holding the articles.
    pub content: PathBuf,
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub default_lang: String,
    pub static_dirs: Vec<PathBuf>,
    /// File names (without `.md`) that hold a folder's own title and text.
    pub section_files: &'static [&'static str],
    /// `folder/index.md` is an article with its files (Hugo, Zola).
    pub page_bundles: bool,
    /// `name.LANG.md` is a translation (Hugo, Zola).
    pub lang_suffix: bool,
    pub skip_dirs: &'static [&'static str],
    pub url_prefixes: &'static [&'static str],
    /// The old address of a page from its folders (as in SOURCE), its name and front matter.
    pub old_url: fn(&[String], &str, &Front) -> String,
    /// The kind's template tags and block syntax -> helpsite Markdown.
    pub convert: fn(&str, &mut BodyCtx<'_>) -> String,
}

/// One Markdown file of SOURCE, read and split.
struct SourceDoc {
    /// Path inside SOURCE, `/`-separated (for the report).
    shown: String,
    /// Folders between the content folder and the file.
    dirs: Vec<String>,
    stem: String,
    lang: Option<String>,
    raw: RawDoc,
}

pub(crate) fn read(p: &Profile, report: &mut Report) -> Result<Site, ImportError> {
    let docs = walk(p)?;
    let mut site = Site {
        title: p.title.clone(),
        description: p.description.clone(),
        base_url: p.base_url.clone(),
        default_lang: p.default_lang.clone(),
        ..Site::default()
    };
    let mut old_urls = Vec::new();
    for doc in docs {
        let (front, dropped) = front_matter::map(&doc.raw, &[]);
        for (key, line) in dropped {
            report.dropped(&doc.shown, line, &key);
        }
        let lang = doc.lang.clone().filter(|l| *l != p.default_lang);
        let is_section = p.section_files.contains(&doc.stem.as_str())
            && !(p.page_bundles && doc.stem == "index");
        let mut ctx = BodyCtx {
            file: &doc.shown,
            first_line: doc.raw.body_line,
            report,
        };
        let body = (p.convert)(&doc.raw.body, &mut ctx);
        if is_section {
            site.sections.push(Section {
                source: Some(doc.shown.clone()),
                dir: new_dirs(p, &doc.dirs),
                lang,
                front,
                body,
            });
            old_urls.push(None);
            continue;
        }
        let (dirs, stem) = match (p.page_bundles && doc.stem == "index", doc.dirs.split_last()) {
            (true, Some((last, parents))) => (parents.to_vec(), last.clone()),
            _ => (doc.dirs.clone(), doc.stem.clone()),
        };
        let old = (p.old_url)(&dirs, &stem, &front);
        let article = new_article(p, &doc, dirs, &stem, lang, front, body);
        old_urls.push(Some(old));
        site.articles.push(article);
    }
    categories(p, &mut site)?;
    unique_names(&mut site);
    link_all(p, &mut site, &old_urls_by_article(old_urls), report);
    Ok(site)
}

fn old_urls_by_article(all: Vec<Option<String>>) -> Vec<String> {
    all.into_iter().flatten().collect()
}

fn new_article(
    p: &Profile,
    doc: &SourceDoc,
    dirs: Vec<String>,
    stem: &str,
    lang: Option<String>,
    mut front: Front,
    mut body: String,
) -> Article {
    if front.title.is_none() {
        // MkDocs and others take a page's title from its first `# ` heading.
        let first = body
            .trim_start()
            .strip_prefix("# ")
            .and_then(|b| b.split_once('\n'));
        if let Some((title, rest)) = first {
            front.title = Some(title.trim().to_string());
            body = rest.to_string();
        }
    }
    let (date, stem) = strip_date_prefix(stem);
    if front.date.is_none() {
        front.date = date;
    }
    let (order, stem) = strip_order_prefix(stem);
    front.weight = front.weight.or(order);
    let name = match (&front.slug, &front.permalink) {
        (Some(s), _) => slug(s.rsplit('/').find(|s| !s.is_empty()).unwrap_or(stem)),
        (None, Some(permalink)) => slug(
            permalink
                .trim_end_matches(".html")
                .rsplit('/')
                .find(|s| !s.is_empty())
                .unwrap_or(stem),
        ),
        _ => slug(stem),
    };
    let mut dir = new_dirs(p, &dirs);
    if dir.is_empty() {
        let category = front.category.as_deref().map(slug);
        dir = vec![super::place::top_folder(
            category.unwrap_or_else(|| "general".to_string()),
        )];
    }
    Article {
        source: doc.shown.clone(),
        dir,
        name,
        lang,
        front,
        body,
        body_line: doc.raw.body_line,
        assets: Vec::new(),
    }
}

/// Folder names as safe slugs, without ordering prefixes. A first folder named `_name`
/// is a Jekyll collection: `_posts` becomes `posts`, others go.
fn new_dirs(p: &Profile, dirs: &[String]) -> Vec<String> {
    let _ = p;
    let skip = dirs
        .first()
        .is_some_and(|d| d.starts_with('_') && d != "_posts");
    let mut out: Vec<String> = dirs
        .iter()
        .skip(usize::from(skip))
        .map(|d| slug(strip_order_prefix(d.trim_start_matches('_')).1))
        .collect();
    if let Some(first) = out.first_mut() {
        *first = super::place::top_folder(std::mem::take(first));
    }
    out
}

/// Two articles that would share a file get `-2`, `-3`...; an article named like a folder beside it gets `-page`.
fn unique_names(site: &mut Site) {
    let folders: std::collections::BTreeSet<Vec<String>> = site
        .sections
        .iter()
        .map(|s| s.dir.clone())
        .chain(site.articles.iter().map(|a| a.dir.clone()))
        .collect();
    let mut taken = std::collections::BTreeSet::new();
    for a in &mut site.articles {
        let mut as_folder = a.dir.clone();
        as_folder.push(a.name.clone());
        if folders.contains(&as_folder) {
            a.name.push_str("-page");
        }
        let base = a.name.clone();
        let mut n = 1;
        while !taken.insert((a.dir.clone(), a.name.clone(), a.lang.clone())) {
            n += 1;
            a.name = format!("{base}-{n}");
        }
    }
}

fn walk(p: &Profile) -> Result<Vec<SourceDoc>, ImportError> {
    let mut docs = Vec::new();
    let walker = walkdir::WalkDir::new(&p.content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(name.starts_with('.')
                    || name == "node_modules"
                    || p.skip_dirs.contains(&name.as_ref()))
        });
    for entry in walker {
        let entry = entry
            .map_err(|e| ImportError::Usage(format!("cannot read {}: {e}", p.content.display())))?;
        let path = entry.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !entry.file_type().is_file() || !matches!(ext, "md" | "markdown" | "mdx") {
            continue;
        }
        docs.push(read_doc(p, path)?);
    }
    Ok(docs)
}

fn read_doc(p: &Profile, path: &Path) -> Result<SourceDoc, ImportError> {
    let shown_path = path.strip_prefix(&p.root).unwrap_or(path);
    let rel = path.strip_prefix(&p.content).unwrap_or(path);
    let (Some(shown), Some(rel)) = (shown_path.to_str(), rel.to_str()) else {
        return Err(ImportError::at(
            shown_path,
            None,
            "file name is not valid UTF-8; rename it",
        ));
    };
    let shown = shown.replace('\\', "/");
    let text = read_source_text(path, Path::new(&shown))?;
    let raw = front_matter::split(&text, Path::new(&shown))?;
    let mut dirs: Vec<String> = rel.split(['/', '\\']).map(str::to_string).collect();
    let file = dirs.pop().unwrap_or_default();
    let base = file.rsplit_once('.').map_or(file.as_str(), |(b, _)| b);
    let (stem, lang) = match base.rsplit_once('.') {
        Some((stem, code)) if p.lang_suffix && crate::config::is_language_code(code) => {
            (stem.to_string(), Some(code.to_string()))
        }
        _ => (base.to_string(), None),
    };
    Ok(SourceDoc {
        shown,
        dirs,
        stem,
        lang,
        raw,
    })
}

/// A source file as text: at most `MAX_FILE_BYTES`, UTF-8, `\n` line ends; errors name the file (and line).
pub(crate) fn read_source_text(path: &Path, shown: &Path) -> Result<String, ImportError> {
    let size = std::fs::metadata(path)
        .map_err(ImportError::io(shown))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(ImportError::at(shown, None, format!("file is {size} bytes, over import's limit of {MAX_FILE_BYTES} bytes for one source file")));
    }
    let bytes = std::fs::read(path).map_err(ImportError::io(shown))?;
    crate::source::frontmatter::read_text(bytes, shown)
        .map_err(|d| ImportError::at(shown, d.line, d.message))
}

/// Indexes every page, then rewrites each body's links and collects its files.
fn link_all(p: &Profile, site: &mut Site, old_urls: &[String], report: &mut Report) {
    let mut index = LinkIndex::default();
    let content_prefix = p
        .content
        .strip_prefix(&p.root)
        .map(|c| c.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    for (id, a) in site.articles.iter_mut().enumerate() {
        // Names and old addresses lead to the default language's page; a translation is
        // reached by its own file only.
        let (names, urls) = if a.lang.is_none() {
            let file = a.source.rsplit('/').next().unwrap_or("");
            let mut urls = vec![old_urls[id].clone()];
            urls.extend(a.front.aliases.iter().cloned());
            (
                vec![a.name.clone(), slug(links::url_key(file).as_str())],
                urls,
            )
        } else {
            (Vec::new(), Vec::new())
        };
        index.add(id, &a.source, &names, &urls, &a.body);
        if let Some(in_content) = a
            .source
            .strip_prefix(&content_prefix)
            .filter(|_| !content_prefix.is_empty())
        {
            index.add(id, in_content, &[], &[], &a.body);
        }
        if url_differs(&old_urls[id], &a.url_path()) {
            a.front.aliases.push(old_urls[id].clone());
        }
    }
    let offset = site.articles.len();
    for (i, s) in site.sections.iter().enumerate() {
        if let Some(source) = &s.source {
            index.add(
                offset + i,
                source,
                &[],
                &[format!("/{}/", s.dir.join("/"))],
                &s.body,
            );
        }
    }
    for (a, old_url) in site.articles.iter_mut().zip(old_urls) {
        let (dir, shown) = (
            a.source.rsplit_once('/').map_or("", |(d, _)| d).to_string(),
            a.source.clone(),
        );
        let url = links::url_key(old_url);
        let origin = Origin {
            root: &p.root,
            dir: &dir,
            url: &url,
            static_dirs: &p.static_dirs,
            url_prefixes: p.url_prefixes,
        };
        let (body, assets) = rewrite(&a.body, a.body_line, &origin, &index, &shown, report);
        a.body = body;
        a.assets = assets;
    }
    fill(site);
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
                ctx.report.unresolved(shown, first_line + i, link.dest);
                Rewrite::TextOnly
            }
        }
    });
    (out, assets)
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

/// Replaces placeholders by final `@/` paths now that bundles are known.
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
}

/// Docusaurus `_category_.json` files: a folder's label and position.
fn categories(p: &Profile, site: &mut Site) -> Result<(), ImportError> {
    let walker = walkdir::WalkDir::new(&p.content)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok);
    for entry in walker.filter(|e| e.file_name() == "_category_.json") {
        let shown = entry
            .path()
            .strip_prefix(&p.root)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        let text = read_source_text(entry.path(), Path::new(&shown))?;
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
            ImportError::at(Path::new(&shown), Some(e.line()), format!("JSON: {e}"))
        })?;
        let rel = entry
            .path()
            .parent()
            .and_then(|d| d.strip_prefix(&p.content).ok())
            .map(|d| d.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let raw: Vec<String> = rel
            .split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        let dir = new_dirs(p, &raw);
        if site
            .sections
            .iter()
            .any(|s| s.dir == dir && s.lang.is_none())
        {
            continue;
        }
        let front = Front {
            title: value
                .get("label")
                .and_then(|v| v.as_str())
                .map(str::to_string),
            weight: value.get("position").and_then(serde_json::Value::as_i64),
            ..Front::default()
        };
        site.sections.push(Section {
            source: Some(shown),
            dir,
            lang: None,
            front,
            body: String::new(),
        });
    }
    Ok(())
}
