//! Takes: the changes the watcher saw since the last build. Gives: the build after
//! them, redoing only what they can have affected; `serve` calls it on every save.
//!
//! Four paths, all built from the pipeline's own stage functions:
//! - a save that changed the text or front matter of a few articles in place (title,
//!   dates, weight, tags...) patches the last build's model and renders again only
//!   the pages that can show the change (`article_edit`);
//! - a save that added, deleted or renamed articles (a translation too) puts them in
//!   or takes them out of the last build's model, context and search index, and
//!   renders the pages around them (`added_removed`, with `model::patch`);
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
mod replace;
mod template_edit;

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
}

impl Incremental {
    /// Builds the site after `changes` (`Changes::Everything` the first time).
    pub fn rebuild(&mut self, options: &BuildOptions, changes: &Changes) -> BuildOutput {
        // Taken out: it goes back only once it matches the sources again.
        if let Some(last) = self.last.take() {
            let patched = match changes {
                Changes::Templates => template_edit::rebuild(options, &mut self.cache, last),
                _ if added_removed::applies(&last, changes) => {
                    added_removed::rebuild(options, &mut self.cache, last, changes)
                }
                _ => article_edit::rebuild(options, &mut self.cache, last, changes),
            };
            if let Some((mut output, last)) = patched {
                self.last = Some(last);
                // Its pages are rendered again as templates give them: make them portable too.
                if let Ok(config) = load_config(options) {
                    output.files = crate::output::portable::apply(
                        output.files,
                        &config,
                        &mut output.diagnostics,
                    );
                }
                return output;
            }
        }
        let (output, last) = build_cached(options, &mut self.cache, changes, &mut Sink::memory());
        self.last = last.map(Box::new);
        output
    }
}
