//! The fast rebuild for the most common saves while previewing: the text or the
//! front matter of a few articles changed in place (a new title, description, date,
//! weight, keywords, tags, `promoted` or `extra`).
//!
//! Such a save adds, moves and removes no page, so the model is patched instead of
//! built again: the articles (and their stand-ins in other languages) take their new
//! front matter and text, their Markdown is rendered again and their sections are
//! sorted again. When only text changed and the summary each article shows on other
//! pages stayed the same (checked, not assumed), only the articles are rendered again.
//! Otherwise the shared context recomputes their summaries, every section's order, the
//! cards and the taxonomies, and the pages that can show the change (`affected`) have
//! their context hashed again and are rendered again where it differs; the sitemap
//! is made again when a date or the set of taxonomy pages changed. Either way the
//! search index is updated for the edited articles alone, and anchors are checked
//! across the site when a body changed.
//!
//! Anything else (a new slug, aliases, template, contact channels or draft state, an
//! announcement or channel page, dates from git, a new warning, lint, any problem at
//! all) goes through the full pipeline, which reports problems as `helpsite build`.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Instant;

use super::affected::{self, Before};
use super::bodies;
use super::replace::{self, Claims};
use crate::checks::links;
use crate::features::tags;
use crate::model::parse::{parse_source, PageSource, Parsed};
use crate::model::rendered::RenderedSite;
use crate::model::{reorder_section, PageId, SectionId, Site};
use crate::output::files::OutputFile;
use crate::pipeline::cache::{BuildCache, Changes};
use crate::pipeline::{generated_files, BuildOptions, BuildOutput, BuildStats, LastBuild};
use crate::render::context::SharedContext;
use crate::render::jobs::render_again;
use crate::theme::templates::Theme;

/// More edited files than this in one save go through the full pipeline.
const MOST_FILES: usize = 16;

/// An edited article and what its file now says.
struct Edit {
    id: PageId,
    source: Box<PageSource>,
}

/// The build after a save that changed only articles in place, with the state to
/// keep for the next save; `None` when the save needs the full pipeline.
pub(crate) fn rebuild(
    options: &BuildOptions,
    cache: &mut BuildCache,
    mut last: Box<LastBuild>,
    changes: &Changes,
) -> Option<(BuildOutput, Box<LastBuild>)> {
    let started = Instant::now();
    let (edits, front_changed) = read_edits(options, cache, &last, changes)?;
    let output = apply(options, cache, &mut last, (edits, front_changed), started)?;
    Some((output, last))
}

/// The edited articles with their new parse, and whether a front matter changed;
/// `None` unless every changed file is an article that keeps its place in the site.
fn read_edits(
    options: &BuildOptions,
    cache: &BuildCache,
    last: &LastBuild,
    changes: &Changes,
) -> Option<(Vec<Edit>, bool)> {
    let Changes::Content(paths) = changes else {
        return None;
    };
    if paths.is_empty() || paths.len() > MOST_FILES {
        return None;
    }
    let known = last.config.taxonomy_names();
    let mut edits = Vec::new();
    let mut front_changed = false;
    for id in edited_pages(&last.site, paths)? {
        let page = &last.site.pages[id];
        let max = options.max_source_bytes_for(&last.config);
        let Ok(Parsed::Page(new)) = parse_source(&page.source, max) else {
            return None;
        };
        let Some(Ok(Parsed::Page(old))) = cache.parsed(&page.source.abs) else {
            return None;
        };
        let special = page.channel.is_some() || page.announcement.is_some();
        if special || !same_place(old, &new) {
            return None;
        }
        let names = new
            .front
            .taxonomies
            .iter()
            .map(|t| t.taxonomy.value.as_str());
        if !names.into_iter().all(|name| known.contains(&name)) {
            return None;
        }
        front_changed |= !same_front_matter(old, &new);
        edits.push(Edit { id, source: new });
    }
    Some((edits, front_changed))
}

/// The articles (not stand-ins) written in the changed files, when every changed
/// path is one; `None` when any is something else.
fn edited_pages(site: &Site, paths: &BTreeSet<PathBuf>) -> Option<Vec<PageId>> {
    paths
        .iter()
        .map(|path| {
            if !path.is_file() {
                return None;
            }
            site.pages
                .iter()
                .position(|p| p.stand_in_for.is_none() && p.source.abs == *path)
        })
        .collect()
}

/// Whether two parses of an article differ only in the body.
fn same_front_matter(old: &PageSource, new: &PageSource) -> bool {
    let without_body = |p: &PageSource| PageSource {
        body: "".into(),
        body_line: 0,
        ..p.clone()
    };
    // The parsed front matter holds TOML tables and checked channels, which have
    // no equality; their debug form is complete and stable, so it serves.
    format!("{:?}", without_body(old)) == format!("{:?}", without_body(new))
}

/// Whether two parses of an article differ only in what this path handles.
fn same_place(old: &PageSource, new: &PageSource) -> bool {
    let placed = |source: &PageSource| {
        let mut source = source.clone();
        source.body = "".into();
        source.body_line = 0;
        let front = &mut source.front;
        front.title.clear();
        front.description.clear();
        (front.date, front.updated, front.weight) = (None, None, None);
        front.keywords.clear();
        front.promoted = false;
        front.taxonomies.clear();
        front.extra.clear();
        format!("{source:?}")
    };
    placed(old) == placed(new)
}

fn apply(
    options: &BuildOptions,
    cache: &mut BuildCache,
    last: &mut LastBuild,
    (edits, front_changed): (Vec<Edit>, bool),
    started: Instant,
) -> Option<BuildOutput> {
    let before = Before::of(last);
    let (changed, new_bodies, dates_changed) = patch_site(&mut last.site, &edits);
    for edit in edits {
        let file = last.site.pages[edit.id].source.abs.clone();
        cache.keep_parsed(file, Ok(Parsed::Page(edit.source)));
    }
    bodies::render_pages_again(last, &options.root, &new_bodies);
    let mut diags = last.diagnostics();
    let compiled = last.compiled.clone();
    let mut files = last.files.clone();
    let (r, shared) = last.rendered_and_context();
    let only_text = !front_changed && changed.iter().all(|&p| shared.summary_unchanged(&r, p));
    if !only_text {
        shared.refresh_pages(&r, &changed);
    }
    let shared = &*shared;
    if !only_text && before.clashes != format!("{:?}", tags::clashes(r.site, shared.taxonomies())) {
        return None;
    }
    // Anchors come from the bodies alone; the last build had no broken one.
    if !new_bodies.is_empty() {
        diags.extend(links::check_anchors(r.site, r.pages, r.sections));
    }
    diags.dedup();
    if diags.has_errors() {
        return None;
    }
    let pages = match only_text {
        true => changed.clone(),
        false => affected::pages_to_check(&r, shared, &before, &changed),
    };
    let (tera, theme) = (compiled.tera.as_ref()?, &compiled.theme);
    let templates = render_again(
        &r,
        shared,
        (tera, theme),
        cache.renders(),
        (&pages, !only_text),
    );
    let templates = templates.ok()?;
    let gone = affected::taxonomy_paths_gone(&before.taxonomies, shared.taxonomies());
    let sitemap_changed = dates_changed || before.taxonomies != shared.taxonomies();
    let theme_files = (theme, templates.files);
    put_files(
        &r,
        shared,
        theme_files,
        (&gone, sitemap_changed),
        &mut files,
    )?;
    cache.update_renders(templates.renders, &gone);
    let search = replace::refresh_search(&r, cache, &changed, &mut files);
    diags.extend(search.diagnostics);
    if diags.has_errors() {
        return None;
    }
    let mut stats = BuildStats::new(r.site, &files, templates.rendered_count, started);
    stats.search = search.sizes;
    stats.shortcut = Some(if only_text { "text" } else { "in place" });
    let output = replace::patched_output(files, diags, stats, &mut last.files);
    Some(output)
}

/// Puts the pages rendered again among the last build's `files`, drops the taxonomy
/// pages that are `gone` and makes the sitemap again when it can have changed (it
/// shows dates and the taxonomy pages, dated by their articles; the other generated
/// files show nothing an in-place edit changes: paths, aliases, announcements and
/// channels). `None` when a static file clashes with a new page.
fn put_files(
    r: &RenderedSite<'_>,
    shared: &SharedContext,
    (theme, rendered): (&Theme, Vec<OutputFile>),
    (gone, sitemap_changed): (&[String], bool),
    files: &mut Vec<OutputFile>,
) -> Option<()> {
    files.retain(|f| gone.binary_search(&f.path).is_err());
    let generated = match sitemap_changed {
        true => generated_files(r, shared.taxonomies()),
        false => Vec::new(),
    };
    let claims = Claims::of(r.site, theme);
    for file in rendered.into_iter().chain(generated) {
        claims.put(files, file)?;
    }
    Some(())
}

/// Gives the edited articles (and their stand-ins) their new front matter and text,
/// and sorts their sections again. Returns the pages changed, those of them whose
/// body (or its first line) changed, and whether a date changed.
fn patch_site(site: &mut Site, edits: &[Edit]) -> (Vec<PageId>, Vec<PageId>, bool) {
    let mut changed = Vec::new();
    let mut new_bodies = Vec::new();
    let mut dates_changed = false;
    for edit in edits {
        let new = &edit.source;
        for (id, page) in site.pages.iter_mut().enumerate() {
            if id != edit.id && page.stand_in_for != Some(edit.id) {
                continue;
            }
            if page.body != new.body || page.body_line != new.body_line {
                new_bodies.push(id);
            }
            dates_changed |= (&page.date, &page.updated) != (&new.front.date, &new.front.updated);
            page.front = new.front.clone();
            if page.stand_in_for.is_some() {
                // As `add_stand_ins` makes them: a stand-in has no aliases.
                page.front.aliases = Vec::new();
            }
            page.body = new.body.clone();
            page.body_line = new.body_line;
            changed.push(id);
        }
    }
    let sections: BTreeSet<SectionId> = changed.iter().map(|&p| site.pages[p].section).collect();
    for section in sections {
        reorder_section(site, section);
    }
    (changed, new_bodies, dates_changed)
}
