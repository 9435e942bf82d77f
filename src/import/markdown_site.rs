//! The Markdown kinds read the same way: walk the content folder, split front matter,
//! map keys, place each file in the new tree, convert bodies (each kind its own tags),
//! then rewrite links once every page's new place is known.

use std::collections::BTreeMap;
use std::path::Path;

use super::convert::BodyCtx;
use super::front_matter::{self, Front, RawDoc};
use super::links;
use super::place::{slug, strip_date_prefix, strip_order_prefix};
use super::profile::{new_dirs, read_source_text, OldPlace, PageKey, Profile};
use super::report::Report;
use super::site::{Article, Section, Site};
use super::ImportError;

/// One Markdown file of SOURCE, read and split.
struct SourceDoc {
    /// Path inside SOURCE, `/`-separated (for the report).
    shown: String,
    /// Folders between the content folder (or a language's folder) and the file.
    dirs: Vec<String>,
    stem: String,
    lang: Option<String>,
    /// The file's folder inside SOURCE, and the same folder of the default language's
    /// content (where a translation's links to untranslated pages lead).
    dir: String,
    default_dir: String,
    raw: RawDoc,
}

pub(crate) fn read(p: &Profile, report: &mut Report) -> Result<Site, ImportError> {
    for (file, note) in &p.notes {
        report.warn(file, None, note.clone());
    }
    let docs = walk(p)?;
    let mut site = Site {
        title: p.title.clone(),
        description: p.description.clone(),
        base_url: p.base_url.clone(),
        default_lang: p.default_lang.clone(),
        language_names: p.language_names.clone(),
        ..Site::default()
    };
    let (mut pages, mut sections) = (Vec::new(), Vec::new());
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
        let body = super::zendesk_html::html_callouts(&(p.convert)(&doc.raw.body, &mut ctx));
        let (dirs, stem) = match (
            is_section || (p.page_bundles && doc.stem == "index"),
            doc.dirs.split_last(),
        ) {
            (true, Some((last, parents))) => (parents.to_vec(), last.clone()),
            (true, None) => (Vec::new(), String::new()),
            _ => (doc.dirs.clone(), doc.stem.clone()),
        };
        let old_url = match (is_section && stem.is_empty(), &lang) {
            (true, _) => lang.as_ref().map_or("/".into(), |l| format!("/{l}/")),
            (false, None) => (p.old_url)(&dirs, &stem, &front),
            (false, Some(l)) => format!(
                "/{l}/{}",
                (p.old_url)(&dirs, &stem, &front).trim_start_matches('/')
            ),
        };
        let place = OldPlace {
            url_key: links::url_key(&old_url),
            old_url,
            dir: doc.dir.clone(),
            fallback_dir: doc.default_dir.clone(),
            key: (doc.dirs.clone(), doc.stem.clone()),
            body_line: doc.raw.body_line,
            lang: lang.clone(),
        };
        if is_section {
            site.sections.push(Section {
                source: Some(doc.shown.clone()),
                dir: new_dirs(&doc.dirs),
                lang,
                front,
                body,
                assets: Vec::new(),
            });
            sections.push(place);
            continue;
        }
        site.articles
            .push(new_article(&doc, dirs, &stem, lang, front, body));
        pages.push(place);
    }
    super::categories::read(p, &mut site)?;
    unique_names(&mut site);
    align_translations(&mut site, &pages);
    unique_names(&mut site);
    super::relink::link_all(p, &mut site, &pages, &sections, report);
    Ok(site)
}

/// A translation goes beside the page it translates (the same folder and name, whatever
/// its own front matter says), so helpsite pairs them.
fn align_translations(site: &mut Site, pages: &[OldPlace]) {
    let originals: BTreeMap<&PageKey, PageKey> = site
        .articles
        .iter()
        .zip(pages)
        .filter(|(a, _)| a.lang.is_none())
        .map(|(a, place)| (&place.key, (a.dir.clone(), a.name.clone())))
        .collect();
    for (a, place) in site.articles.iter_mut().zip(pages) {
        if let (Some(_), Some((dir, name))) = (&a.lang, originals.get(&place.key)) {
            a.dir = dir.clone();
            a.name = name.clone();
        }
    }
}

fn new_article(
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
    let mut dir = new_dirs(&dirs);
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

/// Every Markdown file of the content folder, then of each other language's folder.
fn walk(p: &Profile) -> Result<Vec<SourceDoc>, ImportError> {
    let mut docs = walk_folder(p, &p.content, None)?;
    for other in &p.translations {
        docs.extend(walk_folder(p, &other.dir, Some(&other.lang))?);
    }
    Ok(docs)
}

fn walk_folder(
    p: &Profile,
    folder: &Path,
    lang: Option<&str>,
) -> Result<Vec<SourceDoc>, ImportError> {
    let mut docs = Vec::new();
    let walker = walkdir::WalkDir::new(folder)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(name.starts_with('.')
                    || name == "node_modules"
                    || p.skip_dirs.contains(&name.as_ref())
                    || p.translations.iter().any(|t| t.dir == e.path()))
        });
    for entry in walker {
        let entry = entry
            .map_err(|e| ImportError::Usage(format!("cannot read {}: {e}", folder.display())))?;
        let path = entry.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !entry.file_type().is_file() || !matches!(ext, "md" | "markdown" | "mdx") {
            continue;
        }
        let mut doc = read_doc(p, path, folder)?;
        if let Some(lang) = lang {
            doc.lang = Some(lang.to_string());
        }
        docs.push(doc);
    }
    Ok(docs)
}

/// `path` inside SOURCE, `/`-separated; an error when it is not UTF-8.
fn shown_path(p: &Profile, path: &Path) -> Result<String, ImportError> {
    let inside = path.strip_prefix(&p.root).unwrap_or(path);
    match inside.to_str() {
        Some(shown) => Ok(shown.replace('\\', "/")),
        None => Err(ImportError::at(
            inside,
            None,
            "file name is not valid UTF-8; rename it",
        )),
    }
}

fn read_doc(p: &Profile, path: &Path, folder: &Path) -> Result<SourceDoc, ImportError> {
    let shown = shown_path(p, path)?;
    let rel = path.strip_prefix(folder).unwrap_or(path);
    let rel = rel.to_string_lossy().replace('\\', "/");
    let text = read_source_text(path, Path::new(&shown))?;
    let raw = front_matter::split(&text, Path::new(&shown))?;
    let mut dirs: Vec<String> = rel.split('/').map(str::to_string).collect();
    let file = dirs.pop().unwrap_or_default();
    let base = file.rsplit_once('.').map_or(file.as_str(), |(b, _)| b);
    let (stem, lang) = match base.rsplit_once('.') {
        Some((stem, code)) if p.lang_suffix && crate::config::is_language_code(code) => {
            (stem.to_string(), Some(code.to_string()))
        }
        _ => (base.to_string(), None),
    };
    let dir = shown.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    let content = shown_path(p, &p.content)?;
    let default_dir = std::iter::once(content.as_str())
        .chain(dirs.iter().map(String::as_str))
        .filter(|d| !d.is_empty())
        .collect::<Vec<_>>()
        .join("/");
    Ok(SourceDoc {
        shown,
        dirs,
        stem,
        lang,
        dir,
        default_dir,
        raw,
    })
}
