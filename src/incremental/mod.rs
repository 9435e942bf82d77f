//! Takes: the changes the watcher saw since the last build. Gives: the build after
//! them, redoing only what they can have affected; `serve` calls it on every save.
//!
//! Five paths, all built from the pipeline's own stage functions:
//! - a save that changed the text or front matter of a few articles in place (title,
//!   dates, weight, tags...) patches the last build's model and renders again only
//!   the pages that can show the change (`article_edit`);
//! - a save that added, deleted or renamed articles (a translation too) puts them in
//!   or takes them out of the last build's model, context and search index, and
//!   renders the pages around them (`added_removed`, with `model::patch`);
//! - a save of a section's `_index.md` that changed its title, description or text
//!   patches the sections in place and renders the pages again, those open in the
//!   preview first (`section_edit`, with `deferred` for the rest);
//! - a template, theme string or theme file save compiles the theme again and
//!   renders the pages whose templates reach the change (`template_edit`);
//! - anything else goes through the full pipeline with its per-stage cache.
//!
//! Each fast path checks what it can do and leaves the rest to the pipeline. The
//! files are always what a clean `helpsite build` gives (tests/it/build_cache.rs,
//! in_place_edits.rs, added_removed.rs and the property test incremental_properties.rs).

mod added_removed;
mod affected;
mod article_edit;
mod bodies;
mod deferred;
mod replace;
mod section_edit;
mod template_edit;

use std::collections::HashSet;

use crate::output::sink::Sink;
use crate::pipeline::cache::{BuildCache, Changes};
use crate::pipeline::{
    build_cached, load_config, options_key, BuildOptions, BuildOutput, LastBuild,
};

/// Whether a build with `options` may patch `last` instead of going through the
/// pipeline: the same options, and none that reads more than the pages (lints,
/// external links, translation reports, dates from git).
fn may_patch(options: &BuildOptions, last: &LastBuild) -> bool {
    let plain = !options.lint && options.external.is_none() && !options.report_translations;
    plain && !last.config.dates.from_git && last.options_key == options_key(options)
}

/// What one preview session keeps between rebuilds.
#[derive(Default)]
pub struct Incremental {
    cache: BuildCache,
    /// The state of the last successful build, for a save that edits articles in place.
    last: Option<Box<LastBuild>>,
    /// The pages the last build left to render (`finish`).
    deferred: Option<deferred::Deferred>,
    /// The output files to render before others when a save changes many pages.
    first: HashSet<String>,
}

impl Incremental {
    /// Asks the next rebuilds to render these output files (the pages open in the
    /// preview) before the others, and to leave the rest to `finish` when a save
    /// changes many pages. Without any, every build is whole.
    pub fn render_first(&mut self, files: HashSet<String>) {
        self.first = files;
    }

    /// Builds the site after `changes` (`Changes::Everything` the first time). Its
    /// `pending` files may still show the last build until `finish` is called.
    pub fn rebuild(&mut self, options: &BuildOptions, changes: &Changes) -> BuildOutput {
        // The pipeline may leave pages for later only where a fast path could patch.
        let patchable = (self.last.as_ref()).is_some_and(|last| may_patch(options, last));
        // Pages still pending from an earlier save stay pending after this one: a
        // fast path adds its own to them; the pipeline lists them again (their last
        // render is all it has) or renders whatever differs.
        let carried = self.deferred.take();
        // Taken out: it goes back only once it matches the sources again.
        if let Some(last) = self.last.take().filter(|last| may_patch(options, last)) {
            let cache = &mut self.cache;
            let patched = match changes {
                Changes::Templates => template_edit::rebuild(options, cache, last).map(whole),
                _ if section_edit::applies(&last, changes) => {
                    section_edit::rebuild(options, cache, last, changes, &self.first)
                }
                _ if added_removed::applies(&last, changes) => {
                    added_removed::rebuild(options, cache, last, changes, &self.first)
                }
                _ => article_edit::rebuild(options, cache, last, changes).map(whole),
            };
            if let Some((mut output, last, deferred)) = patched {
                let deferred = deferred::Deferred::merge(carried, deferred);
                output.pending = (deferred.as_ref()).map_or(Vec::new(), |d| d.files().to_vec());
                self.last = Some(last);
                self.deferred = deferred;
                return portable(options, output);
            }
        }
        let started = std::time::Instant::now();
        if patchable && !self.first.is_empty() {
            self.cache.render_first(self.first.clone());
        }
        let (output, last) = build_cached(options, &mut self.cache, changes, &mut Sink::memory());
        // Asked of that build alone, even one that stopped before rendering.
        self.cache.take_render_first();
        let pending = output.pending.clone();
        self.deferred = (last.is_some())
            .then(|| deferred::Deferred::of_files(pending, started, "pipeline"))
            .flatten();
        self.last = last.map(Box::new);
        output
    }

    /// Renders the pages the last rebuilds left pending until `stop` says a save is
    /// waiting, and gives the site: whole, or with the pages still `pending`. `None`
    /// when none were left. A problem found there is reported as the pipeline finds it.
    pub fn finish(
        &mut self,
        options: &BuildOptions,
        stop: &dyn Fn() -> bool,
    ) -> Option<BuildOutput> {
        let deferred = self.deferred.take()?;
        let mut last = self.last.take()?;
        let finished = deferred::finish(&mut self.cache, &mut last, deferred, stop);
        if let Some((output, left)) = finished {
            self.last = Some(last);
            self.deferred = left;
            return Some(portable(options, output));
        }
        let everything = &Changes::Everything;
        let (output, last) =
            build_cached(options, &mut self.cache, everything, &mut Sink::memory());
        self.last = last.map(Box::new);
        Some(output)
    }
}

/// A fast path's build that left nothing to render later.
fn whole(
    (output, last): (BuildOutput, Box<LastBuild>),
) -> (BuildOutput, Box<LastBuild>, Option<deferred::Deferred>) {
    (output, last, None)
}

/// The files of a fast path's build with links made portable, as the pipeline makes
/// them: its pages were rendered again as templates give them.
fn portable(options: &BuildOptions, mut output: BuildOutput) -> BuildOutput {
    if let Ok(config) = load_config(options) {
        output.files =
            crate::output::portable::apply(output.files, &config, &mut output.diagnostics);
    }
    output
}
