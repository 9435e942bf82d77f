//! The fast rebuild for a save of a section's `_index.md` that changed what the
//! section shows, not where it is: its title, description, icon, `extra` or text.
//!
//! The sections written in the file (a translation without its own `_index.LANG.md`
//! borrows it) take the new values in place and their text is rendered again. A new
//! title or description is on many pages (the menu, the cards, breadcrumbs, the
//! articles' search results), so every page of the site has its context hashed again
//! and is rendered where it differs; the pages open in the preview come first and the
//! rest may wait (`deferred`). The search index takes the new category name of the
//! section's articles, and the sitemap and feeds are made again.
//!
//! Anything else (weight, sorting, templates, aliases, redirects, channels, `faq`,
//! draft state, a new warning or any problem) goes through the full pipeline.

use std::collections::{BTreeSet, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use super::deferred::{self, Deferred};
use super::replace::{self, Claims};
use crate::checks::links;
use crate::model::parse::{parse_source, Parsed, SectionSource};
use crate::model::{reorder_subsections, PageId, SectionId, Site};
use crate::pipeline::cache::{BuildCache, Changes};
use crate::pipeline::{generated_files, BuildOptions, BuildOutput, BuildStats, LastBuild};
use crate::render::jobs::render_again;

/// More section files than this in one save go through the full pipeline.
const MOST_FILES: usize = 4;

/// Whether `changes` edited sections' `_index.md` files and nothing else (an editor's
/// temporary files come and go beside them): the save this path is for (`rebuild`
/// may still leave it to the pipeline).
pub(crate) fn applies(last: &LastBuild, changes: &Changes) -> bool {
    let Changes::Content(paths) = changes else {
        return false;
    };
    let edited = |path: &&PathBuf| path.is_file() && !sections_of(&last.site, path).is_empty();
    let is_page = |path: &PathBuf| last.site.pages.iter().any(|p| p.source.abs == *path);
    let (sections, others): (Vec<_>, Vec<_>) = paths.iter().partition(edited);
    let gone_temporary = |path: &&PathBuf| !path.exists() && !is_page(path);
    !sections.is_empty() && sections.len() <= MOST_FILES && others.iter().all(gone_temporary)
}

/// The sections whose front matter comes from the file at `path`.
fn sections_of(site: &Site, path: &std::path::Path) -> Vec<SectionId> {
    let sections = site.sections.iter().enumerate();
    sections
        .filter(|(_, s)| s.source.as_ref().is_some_and(|f| f.abs == path))
        .map(|(id, _)| id)
        .collect()
}

/// An edited `_index.md`, its new parse and the sections it gives front matter to.
struct Edit {
    file: PathBuf,
    source: Box<SectionSource>,
    sections: Vec<SectionId>,
}

/// The build after a save that changed sections in place, with the state to keep for
/// the next save and the pages left to render; `None` when it needs the pipeline.
pub(crate) fn rebuild(
    options: &BuildOptions,
    cache: &mut BuildCache,
    mut last: Box<LastBuild>,
    changes: &Changes,
    first: &HashSet<String>,
) -> Option<(BuildOutput, Box<LastBuild>, Option<Deferred>)> {
    let started = Instant::now();
    let edits = read_edits(options, cache, &last, changes)?;
    let (output, deferred) = apply(options, cache, &mut last, edits, (started, first))?;
    Some((output, last, deferred))
}

fn read_edits(
    options: &BuildOptions,
    cache: &BuildCache,
    last: &LastBuild,
    changes: &Changes,
) -> Option<Vec<Edit>> {
    let Changes::Content(paths) = changes else {
        return None;
    };
    let max = options.max_source_bytes_for(&last.config);
    let mut edits = Vec::new();
    for path in paths {
        if !path.exists() {
            // Gone and never a page or section: an editor's temporary file, unless it
            // was another kind of source (the pipeline then finds it missing).
            if cache.knows_source(path) {
                return None;
            }
            continue;
        }
        let sections = sections_of(&last.site, path);
        let file = last.site.sections[*sections.first()?].source.as_ref()?;
        let Ok(Parsed::Section(new)) = parse_source(file, max) else {
            return None;
        };
        let Some(Ok(Parsed::Section(old))) = cache.parsed(path) else {
            return None;
        };
        if !same_place(old, &new) {
            return None;
        }
        edits.push(Edit {
            file: path.clone(),
            source: new,
            sections,
        });
    }
    Some(edits)
}

/// Whether two parses of an `_index.md` differ only in what this path handles. A
/// title may change but not come or go (without one, the folder's name is used).
fn same_place(old: &SectionSource, new: &SectionSource) -> bool {
    let placed = |source: &SectionSource| {
        let mut source = source.clone();
        source.title = source.title.map(|_| String::new());
        source.description.clear();
        source.icon.clear();
        source.extra.clear();
        source.body = "".into();
        source.body_line = 0;
        format!("{source:?}")
    };
    placed(old) == placed(new)
}

fn apply(
    options: &BuildOptions,
    cache: &mut BuildCache,
    last: &mut LastBuild,
    edits: Vec<Edit>,
    (started, first): (Instant, &HashSet<String>),
) -> Option<(BuildOutput, Option<Deferred>)> {
    let patched = patch_sections(&mut last.site, &edits);
    for &id in &patched.new_bodies {
        let (rendered, diags) = super::bodies::section(last, &options.root, id);
        last.markdown.sections[id] = Arc::new(rendered);
        last.markdown.section_diags[id] = diags;
    }
    for edit in edits {
        cache.keep_parsed(edit.file, Ok(Parsed::Section(edit.source)));
    }
    let mut diags = last.diagnostics();
    let compiled = last.compiled.clone();
    let mut files = std::mem::take(&mut last.files);
    let (r, shared) = last.rendered_and_context();
    // The articles' summaries name their section.
    shared.sections_changed(&r, &patched.articles);
    let shared = &*shared;
    if !patched.new_bodies.is_empty() {
        diags.extend(links::check_anchors(r.site, r.pages, r.sections));
    }
    diags.dedup();
    if diags.has_errors() {
        return None;
    }
    // The menu shows every section: every page is checked once more than the body changed.
    let pages: Vec<PageId> = match patched.shown_elsewhere {
        true => (0..r.site.pages.len()).collect(),
        false => Vec::new(),
    };
    let (now, later) = deferred::split(r.site, pages, first);
    let (tera, theme) = (compiled.tera.as_ref()?, &compiled.theme);
    let previous = cache.renders();
    let (templates, generated) = rayon::join(
        || render_again(&r, shared, (tera, theme), previous, (&now, true)),
        || generated_files(&r, shared.taxonomies()),
    );
    let templates = templates.ok()?;
    let claims = Claims::of(r.site, theme);
    for file in templates.files.into_iter().chain(generated) {
        claims.put(&mut files, file)?;
    }
    cache.update_renders(templates.renders, &[]);
    let search = replace::refresh_search(&r, cache, &patched.indexed, &mut files);
    diags.extend(search.diagnostics);
    if diags.has_errors() {
        return None;
    }
    let mut stats = BuildStats::new(r.site, &files, templates.rendered_count, started);
    stats.search = search.sizes;
    stats.shortcut = Some("section");
    let deferred = Deferred::of(r.site, &later, started, "section");
    let output = replace::patched_output(files, diags, stats, &mut last.files);
    Some((output, deferred))
}

/// What patching the sections changed.
struct Patched {
    /// The sections whose text changed.
    new_bodies: Vec<SectionId>,
    /// Whether a value other pages show changed (all but the text).
    shown_elsewhere: bool,
    /// The articles directly in a section whose title changed.
    articles: Vec<PageId>,
    /// Those of them with a search document (it names the section).
    indexed: Vec<PageId>,
}

/// Gives each edited section its new values and puts the sections of its parent in
/// their order again (by weight, then title).
fn patch_sections(site: &mut Site, edits: &[Edit]) -> Patched {
    let mut patched = Patched {
        new_bodies: Vec::new(),
        shown_elsewhere: false,
        articles: Vec::new(),
        indexed: Vec::new(),
    };
    let mut retitled = BTreeSet::new();
    for edit in edits {
        let new = &edit.source;
        for &id in &edit.sections {
            let section = &mut site.sections[id];
            if section.body != new.body || section.body_line != new.body_line {
                patched.new_bodies.push(id);
            }
            let title = new.title.clone().unwrap_or_else(|| section.title.clone());
            let shown = (&title, &new.description, &new.icon, &new.extra);
            if shown
                != (
                    &section.title,
                    &section.description,
                    &section.icon,
                    &section.extra,
                )
            {
                patched.shown_elsewhere = true;
            }
            if title != section.title {
                retitled.insert(id);
            }
            section.title = title;
            section.description = new.description.clone();
            section.icon = new.icon.clone();
            section.extra = new.extra.clone();
            section.body = new.body.clone();
            section.body_line = new.body_line;
            section.source = Some(new.file.clone());
        }
    }
    for &id in &retitled {
        if let Some(parent) = site.sections[id].parent {
            reorder_subsections(site, parent);
        }
        patched.articles.extend(&site.sections[id].pages);
    }
    patched.articles.sort_unstable();
    patched.indexed = (patched.articles.iter().copied())
        .filter(|&p| crate::search::is_indexed(&site.pages[p]))
        .collect();
    patched
}
