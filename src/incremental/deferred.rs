//! Rendering that may wait. A save can change what nearly every page shows (a
//! category's title is in every page's menu); rendering ten thousand pages takes most
//! of a second, but the writer looks at one or two of them. So a fast path renders the
//! pages open in the preview first and hands back the build with the others marked
//! pending; `Incremental::finish` renders those while no other save waits, and the
//! preview holds a request for a pending page until it is ready (`serve::http`). A
//! save that comes first leaves them pending with its own: every build renders the
//! pages it changed against their last render, so a page pending since an earlier
//! save is checked again when its turn comes. The pipeline does the same
//! (`BuildCache::render_first`) when a save changes the site's folders.
//! Nothing stale is ever served, and the files end the same as a clean build's.

use std::collections::HashSet;
use std::time::Instant;

use super::replace::{self, Claims};
use crate::model::{PageId, Site};
use crate::pipeline::cache::BuildCache;
use crate::pipeline::{BuildOutput, BuildStats, LastBuild};
use crate::render::jobs::{render_again, WORTH_DEFERRING};

/// Pages rendered between two looks at whether a save is waiting.
const SHARE: usize = 128;

/// The pages builds left to render, by output file (page numbers change when
/// articles come and go; their files do not), and what the summary says.
pub(crate) struct Deferred {
    files: Vec<String>,
    started: Instant,
    shortcut: &'static str,
}

impl Deferred {
    /// The job for `pages` of `site`, if there are any.
    pub(super) fn of(
        site: &Site,
        pages: &[PageId],
        started: Instant,
        shortcut: &'static str,
    ) -> Option<Self> {
        let files = pages.iter().map(|&id| site.pages[id].path.output_file());
        Deferred::of_files(files.collect(), started, shortcut)
    }

    /// The job for the articles of output `files`, if there are any.
    pub(super) fn of_files(
        mut files: Vec<String>,
        started: Instant,
        shortcut: &'static str,
    ) -> Option<Self> {
        files.sort_unstable();
        files.dedup();
        (!files.is_empty()).then_some(Deferred {
            files,
            started,
            shortcut,
        })
    }

    /// The pages of both jobs, as the later one says.
    pub(super) fn merge(earlier: Option<Self>, later: Option<Self>) -> Option<Self> {
        let (earlier, later) = match (earlier, later) {
            (Some(earlier), Some(later)) => (earlier, later),
            (one, other) => return one.or(other),
        };
        let files = [earlier.files, later.files].concat();
        Deferred::of_files(files, later.started, later.shortcut)
    }

    /// The output files of the pages left to render.
    pub(super) fn files(&self) -> &[String] {
        &self.files
    }

    /// The pages of `site` left to render (a file no page has now is gone with it).
    fn pages(&self, site: &Site) -> Vec<PageId> {
        let waiting: HashSet<&str> = self.files.iter().map(String::as_str).collect();
        let pages = 0..site.pages.len();
        pages
            .filter(|&id| waiting.contains(site.pages[id].path.output_file().as_str()))
            .collect()
    }
}

/// Splits `pages` into those to render now, the ones whose files are in `first`, and
/// those that may wait; all of them now when there are few or nothing comes first.
pub(super) fn split(
    site: &Site,
    pages: Vec<PageId>,
    first: &HashSet<String>,
) -> (Vec<PageId>, Vec<PageId>) {
    if first.is_empty() || pages.len() < WORTH_DEFERRING {
        return (pages, Vec::new());
    }
    let wanted = |id: &PageId| first.contains(&site.pages[*id].path.output_file());
    pages.into_iter().partition(wanted)
}

/// Renders the pages that waited, where their context differs from the last render,
/// a share at a time until `stop` says a save is waiting; gives every file of the
/// site and what is still left. `None` on any problem (the pipeline reports it).
pub(super) fn finish(
    cache: &mut BuildCache,
    last: &mut LastBuild,
    deferred: Deferred,
    stop: &dyn Fn() -> bool,
) -> Option<(BuildOutput, Option<Deferred>)> {
    let diags = last.diagnostics();
    let compiled = last.compiled.clone();
    let mut files = std::mem::take(&mut last.files);
    let (r, shared) = last.rendered_and_context();
    let (tera, theme) = (compiled.tera.as_ref()?, &compiled.theme);
    let claims = Claims::of(r.site, theme);
    let mut pages = deferred.pages(r.site);
    let mut rendered = 0;
    while !pages.is_empty() {
        let rest = pages.split_off(SHARE.min(pages.len()));
        let share = std::mem::replace(&mut pages, rest);
        let previous = cache.renders();
        let templates = render_again(&r, shared, (tera, theme), previous, (&share, false)).ok()?;
        for file in templates.files {
            claims.put(&mut files, file)?;
        }
        cache.update_renders(templates.renders, &[]);
        rendered += templates.rendered_count;
        if stop() {
            break;
        }
    }
    let mut stats = BuildStats::new(r.site, &files, rendered, deferred.started);
    stats.shortcut = Some(deferred.shortcut);
    let left = Deferred::of(r.site, &pages, deferred.started, deferred.shortcut);
    let mut output = replace::patched_output(files, diags, stats, &mut last.files);
    output.pending = left.as_ref().map_or(Vec::new(), |d| d.files().to_vec());
    Some((output, left))
}
