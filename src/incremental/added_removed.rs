//! The fast rebuild for saves that add, delete or rename articles while previewing,
//! and that add or delete folders with their own `_index` (categories).
//!
//! The last build's model takes the new articles and sections and loses the deleted
//! ones in place (`model::patch`, which also says which qualify); every list numbered
//! by page or section (rendered Markdown, the shared context, the search indexes)
//! follows. Then the pages that can show the change are hashed again and rendered
//! where it differs: the articles whose neighbours changed in the sections that gained
//! or lost one (previous, next, related articles), the new articles, the other
//! versions of those articles, the articles filed under a term that changed, every
//! page of a language that gained or lost a section (the open ones first, the rest
//! may wait: `deferred`), and every section, taxonomy, search and 404 page; the
//! sitemap is made again.
//!
//! Anything else goes through the full pipeline: a save that also edits a file, a
//! folder without its own `_index`, an asset, an article or section another one
//! links to with `@/`, a new warning or any problem, and whatever `model::patch`
//! leaves out.

use std::collections::BTreeSet;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use super::affected::{self, Before};
use super::bodies;
use super::deferred::{self, Deferred};
use super::replace::{self, Claims};
use crate::checks::links;
use crate::features::tags;
use crate::model::channels::ChannelIndex;
use crate::model::parse::{parse_source, PageSource, Parsed, SectionSource};
use crate::model::{patch, PageId, SectionId};
use crate::pipeline::cache::{under, BuildCache, Changes};
use crate::pipeline::{
    generated_files, BuildOptions, BuildOutput, BuildStats, LastBuild, StageTimer,
};
use crate::render::jobs::render_again;
use crate::source::discover::{SourceFile, SourceKind};

/// More files than this in one save go through the full pipeline.
const MOST_FILES: usize = 8;

/// Whether `changes` add or remove files rather than edit known articles: the save
/// this path is for (`rebuild` may still leave it to the pipeline).
pub(crate) fn applies(last: &LastBuild, changes: &Changes) -> bool {
    let Changes::Content(paths) = changes else {
        return false;
    };
    paths
        .iter()
        .any(|path| !path.is_file() || source_page(last, path).is_none())
}

/// Whether `path` is one of the sorted `sources`.
fn known_path(sources: &[SourceFile], path: &Path) -> bool {
    sources
        .binary_search_by(|s| s.abs.as_path().cmp(path))
        .is_ok()
}

/// The article (not a stand-in) written in `path`.
fn source_page(last: &LastBuild, path: &Path) -> Option<PageId> {
    let pages = last.site.pages.iter();
    pages
        .enumerate()
        .find(|(_, p)| p.stand_in_for.is_none() && p.source.abs == path)
        .map(|(id, _)| id)
}

/// The articles a save adds (with their parse and language) and deletes.
struct SetChange {
    added: Vec<(String, Box<PageSource>)>,
    removed: Vec<PageId>,
    /// New folders' own `_index` files, by language.
    added_sections: Vec<(String, Box<SectionSource>)>,
    /// The `_index` files of folders that went.
    removed_sections: Vec<PathBuf>,
    sources: Vec<SourceFile>,
}

/// The build after a save that only added or deleted articles, with the state to
/// keep for the next save; `None` when the save needs the full pipeline.
pub(crate) fn rebuild(
    options: &BuildOptions,
    cache: &mut BuildCache,
    mut last: Box<LastBuild>,
    changes: &Changes,
    first: &HashSet<String>,
) -> Option<(BuildOutput, Box<LastBuild>, Option<Deferred>)> {
    let started = Instant::now();
    let mut timer = StageTimer::new(options.timings);
    let change = read_change(options, cache, &last, changes)?;
    timer.lap("read");
    let (output, deferred) = apply(
        options,
        cache,
        &mut last,
        change,
        (started, &mut timer, first),
    )?;
    Some((output, last, deferred))
}

fn read_change(
    options: &BuildOptions,
    cache: &BuildCache,
    last: &LastBuild,
    changes: &Changes,
) -> Option<SetChange> {
    let Changes::Content(paths) = changes else {
        return None;
    };
    let may = !options.include_drafts && patch::can_patch(&last.site, &last.config);
    if paths.len() > MOST_FILES || !may {
        return None;
    }
    let content_dir = options.root.join("content");
    let (sources, found) = cache.known_sources(changes, (&options.root, &content_dir))?;
    if !found.is_empty() {
        return None;
    }
    let old = cache.found_sources()?;
    let known = |list: &[SourceFile], file: &SourceFile| {
        list.binary_search_by(|s| s.abs.cmp(&file.abs)).is_ok()
    };
    // A file there before and still there was edited: the pipeline's work.
    if paths
        .iter()
        .any(|path| path.is_file() && known_path(old, path))
    {
        return None;
    }
    // Only the sources at or below a changed path can have come or gone.
    let mut added: Vec<SourceFile> = Vec::new();
    let mut removed: Vec<&SourceFile> = Vec::new();
    for path in paths {
        let new = &sources[under(&sources, path)];
        added.extend(new.iter().filter(|s| !known(old, s)).cloned());
        removed.extend(old[under(old, path)].iter().filter(|s| !known(&sources, s)));
    }
    added.sort_by(|a, b| a.abs.cmp(&b.abs));
    added.dedup_by(|a, b| a.abs == b.abs);
    removed.sort_by(|a, b| a.abs.cmp(&b.abs));
    removed.dedup_by(|a, b| a.abs == b.abs);
    if added.len() + removed.len() > MOST_FILES {
        return None;
    }
    let mut change = SetChange {
        added: Vec::new(),
        removed: Vec::new(),
        added_sections: Vec::new(),
        removed_sections: Vec::new(),
        sources,
    };
    for file in removed {
        match file.kind {
            SourceKind::Page { bundle: false } => {
                change.removed.push(source_page(last, &file.abs)?)
            }
            SourceKind::Section => change.removed_sections.push(file.abs.clone()),
            _ => return None,
        }
    }
    for file in &added {
        match file.kind {
            SourceKind::Page { bundle: false } => change.added.push(read_new(options, last, file)?),
            SourceKind::Section => change
                .added_sections
                .push(read_new_section(options, last, file)?),
            _ => return None,
        }
    }
    let removable = |&id: &PageId| {
        let rel = &last.site.pages[id].source.rel;
        let display = &last.site.pages[id].source.display;
        let warned = (last.diags_before_markdown.iter()).any(|d| d.file.as_ref() == Some(display));
        patch::can_remove(&last.site, id) && !warned && !linked_to(last, rel)
    };
    if !change.removed.iter().all(removable) {
        return None;
    }
    let known = last.config.taxonomy_names();
    for (_, source) in &change.added {
        let names = source.front.taxonomies.iter();
        let known_names = names
            .map(|t| t.taxonomy.value.as_str())
            .all(|name| known.contains(&name));
        if !known_names || linked_to(last, &source.file.rel) {
            return None;
        }
    }
    Some(change)
}

/// Parses a new article's file; `None` unless it is a plain article in a language
/// of the site.
fn read_new(
    options: &BuildOptions,
    last: &LastBuild,
    file: &SourceFile,
) -> Option<(String, Box<PageSource>)> {
    let max = options.max_source_bytes_for(&last.config);
    let Ok(Parsed::Page(source)) = parse_source(file, max) else {
        return None;
    };
    Some((language_of(last, file)?, source))
}

/// Parses a new folder's `_index` file.
fn read_new_section(
    options: &BuildOptions,
    last: &LastBuild,
    file: &SourceFile,
) -> Option<(String, Box<SectionSource>)> {
    let max = options.max_source_bytes_for(&last.config);
    let Ok(Parsed::Section(source)) = parse_source(file, max) else {
        return None;
    };
    Some((language_of(last, file)?, source))
}

/// The language of a source file, when the site has it.
fn language_of(last: &LastBuild, file: &SourceFile) -> Option<String> {
    let lang = (file.lang.clone()).unwrap_or_else(|| last.config.default_language.clone());
    last.site.languages.contains(&lang).then_some(lang)
}

/// Whether a page or section links to the source `rel` with `@/` (its link then
/// resolves otherwise, which only the pipeline redoes).
fn linked_to(last: &LastBuild, rel: &str) -> bool {
    let rendered = last.markdown.pages.iter().chain(&last.markdown.sections);
    rendered
        .flat_map(|r| &r.links)
        .any(|link| link.target == rel)
}

/// What patching the site changed, for `finish`.
struct Patched {
    before: Before,
    /// The sections that gained or lost articles.
    sections: BTreeSet<SectionId>,
    /// The translation keys of the articles added or taken out.
    keys: BTreeSet<String>,
    /// The files of the pages taken out.
    gone: Vec<String>,
    /// The pages taken out, in the order they were, each numbered as then.
    removed: Vec<PageId>,
    /// The new pages, numbered as in the patched site.
    added: Vec<PageId>,
    /// The languages that gained or lost a section: every page shows its sections.
    new_sections: BTreeSet<String>,
}

fn apply(
    options: &BuildOptions,
    cache: &mut BuildCache,
    last: &mut LastBuild,
    change: SetChange,
    (started, timer, first): (Instant, &mut StageTimer, &HashSet<String>),
) -> Option<(BuildOutput, Option<Deferred>)> {
    let mut patched = Patched {
        before: Before::of(last),
        sections: BTreeSet::new(),
        keys: BTreeSet::new(),
        gone: Vec::new(),
        removed: change.removed.clone(),
        added: Vec::new(),
        new_sections: BTreeSet::new(),
    };
    // Highest number first, so that each number still names its page.
    patched.removed.sort_unstable_by(|a, b| b.cmp(a));
    for &id in &patched.removed {
        let page = &last.site.pages[id];
        patched.gone.push(page.path.output_file());
        patched.sections.insert(page.section);
        patched.keys.insert(page.translation_key.clone());
        let lang = page.lang.clone();
        let section_file = last.site.sections[page.section].path.output_file();
        if let Some(section) = patch::remove_page(&mut last.site, id) {
            patched.gone.push(section_file);
            last.markdown.sections.truncate(section);
            last.markdown.section_diags.truncate(section);
            patched.sections.remove(&section);
            patched.new_sections.insert(lang);
        }
        last.markdown.pages.remove(id);
        last.markdown.page_diags.remove(id);
        let (r, shared) = last.rendered_and_context();
        shared.page_removed(&r, id);
        patched.before.renumber(|p| match p.cmp(&id) {
            std::cmp::Ordering::Less => p,
            std::cmp::Ordering::Equal => usize::MAX,
            std::cmp::Ordering::Greater => p - 1,
        });
    }
    for file in &change.removed_sections {
        remove_section(last, &mut patched, file)?;
    }
    for (lang, source) in &change.added_sections {
        insert_section(options, last, &mut patched, (lang, source))?;
    }
    for (lang, source) in &change.added {
        let added = patch::insert_page(&mut last.site, lang, source)?;
        let id = added.page;
        if let Some(section) = added.section {
            let (rendered, diags) = bodies::section(last, &options.root, section);
            last.markdown.sections.push(Arc::new(rendered));
            last.markdown.section_diags.push(diags);
            patched.new_sections.insert(lang.clone());
        }
        let renumber = |p: PageId| if p >= id && p != usize::MAX { p + 1 } else { p };
        patched.before.renumber(renumber);
        patched.added.iter_mut().for_each(|p| *p = renumber(*p));
        patched.added.push(id);
        let page = &last.site.pages[id];
        patched.sections.insert(page.section);
        patched.keys.insert(page.translation_key.clone());
        let (rendered, diags) = bodies::page(last, &options.root, id);
        last.markdown.pages.insert(id, Arc::new(rendered));
        last.markdown.page_diags.insert(id, diags);
        let (r, shared) = last.rendered_and_context();
        shared.page_added(&r, id);
    }
    patched.added.sort_unstable();
    last.channels = ChannelIndex::new(&last.site);
    timer.lap("patch");
    finish(cache, last, (change, patched), (started, timer, first))
}

/// Takes out the section of a folder that went (its articles are out already).
fn remove_section(last: &mut LastBuild, patched: &mut Patched, file: &Path) -> Option<()> {
    let mut sections = last.site.sections.iter();
    let id = sections.position(|s| s.source.as_ref().is_some_and(|f| f.abs == file))?;
    let rel = last.site.sections[id].source.as_ref()?.rel.clone();
    if !patch::can_remove_section(&last.site, id) || linked_to(last, &rel) {
        return None;
    }
    let section = &last.site.sections[id];
    patched.gone.push(section.path.output_file());
    patched.new_sections.insert(section.lang.clone());
    patch::remove_section(&mut last.site, id);
    last.markdown.sections.remove(id);
    last.markdown.section_diags.remove(id);
    patched.before.section_removed(id);
    let moved = |s: SectionId| if s > id { s - 1 } else { s };
    patched.sections = (patched.sections.iter())
        .filter(|&&s| s != id)
        .map(|&s| moved(s))
        .collect();
    let (r, shared) = last.rendered_and_context();
    shared.sections_changed(&r, &[]);
    Some(())
}

/// Makes the section of a new folder's own `_index`.
fn insert_section(
    options: &BuildOptions,
    last: &mut LastBuild,
    patched: &mut Patched,
    (lang, source): (&String, &SectionSource),
) -> Option<()> {
    if linked_to(last, &source.file.rel) {
        return None;
    }
    let id = patch::insert_section(&mut last.site, lang, source)?;
    let (rendered, diags) = bodies::section(last, &options.root, id);
    last.markdown.sections.insert(id, Arc::new(rendered));
    last.markdown.section_diags.insert(id, diags);
    patched.before.section_inserted(id);
    let moved = |s: SectionId| if s >= id { s + 1 } else { s };
    patched.sections = patched.sections.iter().map(|&s| moved(s)).collect();
    patched.new_sections.insert(lang.clone());
    let (r, shared) = last.rendered_and_context();
    shared.sections_changed(&r, &[]);
    Some(())
}

/// Renders the pages that can show the change beside updating the search index,
/// puts both among the files, and keeps the sources for the next save.
fn finish(
    cache: &mut BuildCache,
    last: &mut LastBuild,
    (change, patched): (SetChange, Patched),
    (started, timer, first): (Instant, &mut StageTimer, &HashSet<String>),
) -> Option<(BuildOutput, Option<Deferred>)> {
    let mut diags = last.diagnostics();
    let compiled = last.compiled.clone();
    // The last build's files are given back only when this one succeeds.
    let mut files = std::mem::take(&mut last.files);
    let (r, shared) = last.rendered_and_context();
    let shared = &*shared;
    let before = &patched.before;
    if before.clashes != format!("{:?}", tags::clashes(r.site, shared.taxonomies())) {
        return None;
    }
    diags.extend(links::check_anchors(r.site, r.pages, r.sections));
    diags.dedup();
    if diags.has_errors() {
        return None;
    }
    timer.lap("checks");
    let around = (&patched.sections, &patched.keys, &patched.new_sections);
    let mut pages = affected::pages_around(&r, shared, before, around);
    pages.extend(&patched.added);
    pages.sort_unstable();
    pages.dedup();
    // A new section is on every page of its language: the open ones come first.
    let (pages, later) = deferred::split(r.site, pages, first);
    let (tera, theme) = (compiled.tera.as_ref()?, &compiled.theme);
    let mut search = cache.take_search();
    let previous = cache.renders();
    // The search index takes the pages beside the rendering, as in the pipeline,
    // and the sitemap and feeds beside both: each is a few milliseconds of one core.
    let (templates, ((), generated)) = rayon::join(
        || render_again(&r, shared, (tera, theme), previous, (&pages, true)),
        || {
            rayon::join(
                || search.pages_changed((r.site, r.pages), &patched.removed, &patched.added),
                || generated_files(&r, shared.taxonomies()),
            )
        },
    );
    cache.put_search(search);
    let templates = templates.ok()?;
    timer.lap("templates and search");
    let mut gone = patched.gone;
    gone.extend(affected::taxonomy_paths_gone(
        &before.taxonomies,
        shared.taxonomies(),
    ));
    gone.sort();
    gone.dedup();
    files.retain(|f| gone.binary_search(&f.path).is_err());
    let claims = Claims::of(r.site, theme);
    for file in templates.files.into_iter().chain(generated) {
        claims.put(&mut files, file)?;
    }
    let search = replace::refresh_search(&r, cache, &[], &mut files);
    timer.lap("files");
    diags.extend(search.diagnostics);
    if diags.has_errors() {
        return None;
    }
    cache.update_renders(templates.renders, &gone);
    keep_sources(cache, change);
    let mut stats = BuildStats::new(r.site, &files, templates.rendered_count, started);
    stats.search = search.sizes;
    stats.shortcut = Some("added or removed");
    let deferred = Deferred::of(r.site, &later, started, "added or removed");
    let output = replace::patched_output(files, diags, stats, &mut last.files);
    Some((output, deferred))
}

/// Keeps the new list of sources and the new articles' parses for the next build.
fn keep_sources(cache: &mut BuildCache, change: SetChange) {
    cache.keep_found_sources(change.sources);
    for (_, source) in change.added {
        cache.keep_parsed(source.file.abs.clone(), Ok(Parsed::Page(source)));
    }
    for (_, source) in change.added_sections {
        cache.keep_parsed(source.file.abs.clone(), Ok(Parsed::Section(source)));
    }
}
