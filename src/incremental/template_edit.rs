//! The rebuild after a save of a template, a theme string or a theme file while
//! previewing: the sources, model and search index cannot have changed, so they
//! are taken as the last build left them.
//!
//! The theme is compiled again; the bodies that used it (shortcodes, callout
//! labels) are rendered again and the shared context is made anew, with the new
//! strings. Every page's context is hashed with the sources of the templates it
//! reaches (`render::reuse`), so only the pages whose templates changed are rendered.
//! A theme with any problem, a change to the theme's static files or a section
//! body that used the theme goes through the full pipeline, which reports problems.

use std::sync::Arc;
use std::time::Instant;

use super::replace::{self, Claims};
use crate::checks::links;
use crate::model::PageId;
use crate::pipeline::cache::{BuildCache, Changes};
use crate::pipeline::{compile_theme, BuildOptions, BuildOutput, BuildStats, LastBuild};
use crate::render::context::SharedContext;
use crate::render::jobs::render_again;
use crate::theme::templates::Theme;

/// The build after `Changes::Templates`, with the state to keep for the next save;
/// `None` when it needs the full pipeline.
pub(crate) fn rebuild(
    options: &BuildOptions,
    cache: &mut BuildCache,
    mut last: Box<LastBuild>,
) -> Option<(BuildOutput, Box<LastBuild>)> {
    let started = Instant::now();
    if !last.compiled.diagnostics.is_empty() {
        return None;
    }
    let compiled = compile_theme(options, &last.config, &last.urls, &last.site.languages);
    let statics = |theme: &Theme| format!("{:?}", theme.static_files);
    let same_statics = statics(&compiled.theme) == statics(&last.compiled.theme);
    let sections_use_theme = last.markdown.sections.iter().any(|r| r.uses_theme);
    if !compiled.diagnostics.is_empty() || !same_statics || sections_use_theme {
        return None;
    }
    let compiled = Arc::new(compiled);
    cache.start(&Changes::Templates);
    cache.keep_theme(compiled.clone());
    last.compiled = compiled;
    let output = render(options, cache, &mut last, started)?;
    // The search indexes were not touched: they still match the sources.
    cache.finished();
    Some((output, last))
}

fn render(
    options: &BuildOptions,
    cache: &mut BuildCache,
    last: &mut LastBuild,
    started: Instant,
) -> Option<BuildOutput> {
    let used_theme: Vec<PageId> = (last.markdown.pages.iter().enumerate())
        .filter(|(_, rendered)| rendered.uses_theme)
        .map(|(id, _)| id)
        .collect();
    super::bodies::render_pages_again(last, &options.root, &used_theme);
    let mut diags = last.diagnostics();
    let compiled = last.compiled.clone();
    let mut files = std::mem::take(&mut last.files);
    let (r, shared) = last.rendered_and_context();
    *shared = SharedContext::new(&r);
    let shared = &*shared;
    if !used_theme.is_empty() {
        diags.extend(links::check_anchors(r.site, r.pages, r.sections));
    }
    diags.dedup();
    if diags.has_errors() {
        return None;
    }
    let (tera, theme) = (compiled.tera.as_ref()?, &compiled.theme);
    let every_page: Vec<PageId> = (0..r.site.pages.len()).collect();
    let previous = cache.renders();
    let templates = render_again(&r, shared, (tera, theme), previous, (&every_page, true)).ok()?;
    let claims = Claims::of(r.site, theme);
    for file in templates.files {
        claims.put(&mut files, file)?;
    }
    cache.update_renders(templates.renders, &[]);
    let mut stats = BuildStats::new(r.site, &files, templates.rendered_count, started);
    stats.shortcut = Some("templates");
    let output = replace::patched_output(files, diags, stats, &mut last.files);
    Some(output)
}
