//! The fast rebuild for the most common save while previewing: the text of a few
//! articles changed, and nothing else.
//!
//! Such a save cannot move, add or remove a page, so the site model, the link
//! targets and every other page's context stay what they were, as long as the
//! summary each edited article shows on other pages (listings, previous/next,
//! related, category cards) is unchanged; that is checked, not assumed. Only
//! the edited articles (and their stand-ins in other languages) are rendered
//! again, and anchors are checked across the site as in a full build. Any other
//! change, or any problem at all, goes through the full (cached) pipeline,
//! which also reports the problem exactly as `helpsite build` would.
//!
//! The search index is updated for the edited articles alone: their terms are
//! counted again and only the shards those terms fall in are encoded again. Announcements go through the full pipeline: their
//! text is also in the Atom feed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::checks::links;
use crate::markdown::{self, BodyOrigin};
use crate::model::parse::{parse_source, PageSource, Parsed};
use crate::model::rendered::RenderedSite;
use crate::model::{PageId, Site};
use crate::output::files::{FileContent, OutputFile};
use crate::pipeline::cache::{BuildCache, Changes};
use crate::pipeline::markdown_stage::{link_resolver, MarkdownSetup};
use crate::pipeline::{options_key, BuildOptions, BuildOutput, BuildStats, LastBuild};
use crate::render::jobs::render_pages;

/// More edited files than this in one save go through the full pipeline.
const MOST_FILES: usize = 16;

/// The build after a save that changed only article text, with the state to keep
/// for the next save; `None` when the save needs the full pipeline.
pub(crate) fn rebuild(
    options: &BuildOptions,
    cache: &mut BuildCache,
    mut last: Box<LastBuild>,
    changes: &Changes,
) -> Option<(BuildOutput, Box<LastBuild>)> {
    let started = Instant::now();
    let Changes::Content(paths) = changes else {
        return None;
    };
    if paths.is_empty() || paths.len() > MOST_FILES || last.options_key != options_key(options) {
        return None;
    }
    let edited = edited_pages(&last.site, paths)?;
    take_new_bodies(options, cache, &mut last, &edited)?;
    let rendered_again: Vec<PageId> = (0..last.site.pages.len())
        .filter(|&p| {
            let original = last.site.pages[p].stand_in_for.unwrap_or(p);
            edited.contains(&original)
        })
        .collect();
    render_markdown_again(&mut last, &options.root, &rendered_again);
    let r = last.rendered();
    if rendered_again.iter().any(|&p| {
        let page = &r.site.pages[p];
        page.channel.is_some()
            || page.announcement.is_some()
            || !last.shared.summary_unchanged(&r, p)
    }) {
        return None;
    }
    let mut diags = last.diags_before_markdown.clone();
    diags.extend(last.markdown.diagnostics());
    diags.extend(links::check_anchors(r.site, r.pages, r.sections));
    diags.dedup();
    if diags.has_errors() {
        return None;
    }
    let tera = last.compiled.tera.as_ref()?;
    let pages = render_pages(
        &r,
        &last.shared,
        tera,
        &last.compiled.theme,
        &rendered_again,
    )
    .ok()?;
    let mut files = last.files.clone();
    for page in pages {
        let at = files
            .binary_search_by(|f| f.path.as_str().cmp(&page.path))
            .ok()?;
        files[at] = page;
    }
    let search = refresh_search(&r, cache, &rendered_again, &mut files);
    diags.extend(search.diagnostics);
    if diags.has_errors() {
        return None;
    }
    let mut stats = BuildStats::new(r.site, &files, rendered_again.len(), started);
    stats.search = search.sizes;
    last.files = files.iter().map(share).collect();
    let output = BuildOutput {
        files,
        diagnostics: diags,
        stats,
    };
    Some((output, last))
}

/// Parses the edited articles again and puts their new bodies in the model (and in
/// their stand-ins); `None` when one fails or changed more than its body.
fn take_new_bodies(
    options: &BuildOptions,
    cache: &mut BuildCache,
    last: &mut LastBuild,
    edited: &[PageId],
) -> Option<()> {
    for &id in edited {
        let file = last.site.pages[id].source.clone();
        let Ok(Parsed::Page(new)) = parse_source(&file, options.max_source_bytes_for(&last.config))
        else {
            return None;
        };
        let Some(Ok(Parsed::Page(old))) = cache.parsed(&file.abs) else {
            return None;
        };
        if !same_front_matter(old, &new) {
            return None;
        }
        // A stand-in shows its original's text in another language.
        for (p, page) in last.site.pages.iter_mut().enumerate() {
            if p == id || page.stand_in_for == Some(id) {
                page.body = new.body.clone();
                page.body_line = new.body_line;
            }
        }
        cache.keep_parsed(file.abs.clone(), Ok(Parsed::Page(new)));
    }
    Some(())
}

/// Updates the search index for the edited pages and puts its files in place of the
/// old ones (the set of shards may change). Returns what the stage said.
fn refresh_search(
    r: &RenderedSite<'_>,
    cache: &mut BuildCache,
    edited: &[PageId],
    files: &mut Vec<OutputFile>,
) -> crate::search::SearchOutput {
    let mut search = cache.take_search();
    let mut output =
        crate::search::search_stage(r.site, r.config, r.pages, &mut search, Some(edited));
    cache.put_search(search);
    let folders: Vec<String> = r
        .site
        .languages
        .iter()
        .map(|lang| format!("{}data/", crate::search::page_path(r.config, lang).as_str()))
        .collect();
    let is_search_file = |path: &str| folders.iter().any(|dir| path.starts_with(dir.as_str()));
    // Usually the same files with new bytes in some: put those in place, no sort.
    let in_place: Option<Vec<usize>> = output
        .files
        .iter()
        .map(|new| files.binary_search_by(|f| f.path.cmp(&new.path)).ok())
        .collect();
    let old_count = files.iter().filter(|f| is_search_file(&f.path)).count();
    if let Some(at) = in_place.filter(|at| at.len() == old_count) {
        for (at, new) in at.into_iter().zip(output.files.drain(..)) {
            files[at] = new;
        }
        return output;
    }
    files.retain(|f| !is_search_file(&f.path));
    files.append(&mut output.files);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    output
}

/// The articles (not stand-ins) written in the changed files, when every
/// changed path is one; `None` when any is something else.
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

fn render_markdown_again(last: &mut LastBuild, root: &Path, pages: &[PageId]) {
    let resolve = link_resolver(&last.site, &last.urls, &last.failed);
    let setup = MarkdownSetup::new(&last.config, root, &last.compiled, &last.site.languages);
    let options = setup.options(last.compiled.tera.as_ref());
    for &id in pages {
        let page = &last.site.pages[id];
        let origin = BodyOrigin {
            file: &page.source.display,
            first_line: page.body_line,
            lang: &page.lang,
        };
        let (rendered, diags) = markdown::render(&page.body, &origin, &options, &resolve);
        last.markdown.pages[id] = Arc::new(rendered);
        last.markdown.page_diags[id] = diags;
    }
}

/// The same file, with its bytes shared rather than copied.
fn share(file: &OutputFile) -> OutputFile {
    let content = match &file.content {
        FileContent::Bytes(bytes) => FileContent::Shared(bytes.as_slice().into()),
        other => other.clone(),
    };
    OutputFile {
        path: file.path.clone(),
        content,
    }
}
