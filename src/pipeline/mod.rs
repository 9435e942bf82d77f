//! Takes: the site folder and build options. Gives: every file of the site, in memory
//! or handed to an `output::sink::Sink` as soon as it is made, plus every diagnostic.
//!
//! The stages run in order (sources, model, Markdown, templates beside search, static
//! files); `cache` keeps each stage's results for `incremental`, keyed by their inputs.

pub(crate) mod cache;
pub use cache::Changes;
pub(crate) mod markdown_stage;
mod stages;
pub(crate) use stages::{generated_files, StageTimer};

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::{BaseUrl, Config};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::channels::ChannelIndex;
use crate::model::rendered::RenderedSite;
use crate::model::urls::Urls;
use crate::model::Site;
use crate::output::files::OutputFile;
use crate::output::sink::Sink;
use crate::render::context::SharedContext;
use cache::{BuildCache, CompiledTheme};
use markdown_stage::MarkdownStage;
use rayon::prelude::*;

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub(crate) root: PathBuf,
    /// Config file; `root/config.toml` when not given.
    pub(crate) config_file: Option<PathBuf>,
    /// Replaces `base_url` from the config (e.g. for a preview on another host).
    pub(crate) base_url: Option<BaseUrl>,
    pub(crate) include_drafts: bool,
    /// Largest source file accepted, in bytes; `[limits] max_source_mib` when not set.
    pub max_source_bytes: Option<u64>,
    /// Warn about missing and outdated translations (what `check` reports).
    pub(crate) report_translations: bool,
    /// Warn about missing descriptions, images without alt text, skipped heading levels.
    pub(crate) lint: bool,
    /// Check external links too (`check --external`).
    pub(crate) external: Option<crate::checks::external_links::ExternalOptions>,
    /// Where to report pages rendered (a progress bar on a terminal).
    pub(crate) progress: crate::diag::progress::Progress,
    /// Print how long each stage took (`--verbose`, or `HELPSITE_TIMINGS` set).
    pub(crate) timings: bool,
    /// Make links inside the site relative (`build --relative`), as `relative_links`.
    pub(crate) relative_links: bool,
    /// How much article text a build that keeps nothing holds from parsing to
    /// rendering; the bodies past it are read again from their files when rendered.
    pub bodies_held_bytes: usize,
}

/// Holding every body was half a gigabyte at 100,000 articles; reading one again
/// costs a few percent of a build. A site of this much text or less keeps them all.
const BODIES_HELD_BYTES: usize = 96 << 20;

impl BuildOptions {
    /// The source size limit: the one given here, else the site's `[limits]`.
    pub(crate) fn max_source_bytes_for(&self, config: &Config) -> u64 {
        self.max_source_bytes
            .unwrap_or(config.limits.max_source_mib.saturating_mul(1024 * 1024))
    }

    /// Options for building the site in `root` as `helpsite build` would, with defaults.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            config_file: None,
            base_url: None,
            include_drafts: false,
            max_source_bytes: None,
            bodies_held_bytes: BODIES_HELD_BYTES,
            report_translations: false,
            lint: false,
            external: None,
            progress: Default::default(),
            timings: std::env::var_os("HELPSITE_TIMINGS").is_some(),
            relative_links: false,
        }
    }
}

/// What a build did, for the one-line summary.
#[derive(Debug, Clone, Default)]
pub struct BuildStats {
    pub(crate) pages: usize,
    pub(crate) sections: usize,
    pub(crate) languages: usize,
    pub(crate) files: usize,
    /// Pages, sections and 404 pages rendered through a template (not taken from the cache).
    pub rendered: usize,
    pub(crate) elapsed: Duration,
    /// External links asked about and taken from the cache, when they were checked.
    pub(crate) external_links: Option<(usize, usize)>,
    /// Each language's search index size.
    pub(crate) search: Vec<crate::search::IndexSize>,
    /// The fast path of `incremental` that made this build, if one did: "text" (only
    /// the edited articles' text changed), "in place" (articles edited in place),
    /// "added or removed" (articles added, deleted or renamed) or "templates".
    pub shortcut: Option<&'static str>,
}

/// The result of a build: the files (sorted by path) when it succeeded, and its diagnostics.
#[derive(Debug, Default)]
pub struct BuildOutput {
    /// Every file of the site; empty when the build failed.
    pub files: Vec<OutputFile>,
    /// Errors and warnings, each with its file, line and column.
    pub diagnostics: Diagnostics,
    /// Counts and time, as the build summary prints them.
    pub stats: BuildStats,
    /// Pages in `files` as the last build had them, still being rendered again
    /// (`Incremental::finish` gives the whole site; `serve` holds requests for them).
    pub pending: Vec<String>,
}

impl BuildOutput {
    /// True when no diagnostic is an error.
    pub fn succeeded(&self) -> bool {
        !self.diagnostics.has_errors()
    }

    fn failed(diagnostics: Diagnostics) -> Self {
        BuildOutput {
            diagnostics,
            ..BuildOutput::default()
        }
    }
}

/// Loads `config.toml` (or the given file) and applies command-line overrides.
pub(crate) fn load_config(options: &BuildOptions) -> Result<Config, Diagnostics> {
    let path = options
        .config_file
        .clone()
        .unwrap_or_else(|| options.root.join("config.toml"));
    let display = crate::source::discover::display_path(&options.root, &path);
    let text = std::fs::read(&path)
        .map_err(|e| {
            Diagnostic::error(format!("cannot read the site configuration: {e}"))
                .in_file(&display)
                .with_hint("run helpsite in a site folder, or create one with `helpsite init DIR`")
        })
        .and_then(|bytes| crate::source::frontmatter::read_text(bytes, &display))
        .map_err(|d| Diagnostics::from_iter([d]))?;
    let mut config = Config::parse(&text, &display).map_err(Diagnostics::from_iter)?;
    if let Some(base_url) = &options.base_url {
        config.base_url = base_url.clone();
    }
    config.relative_links |= options.relative_links;
    Ok(config)
}

/// Builds the whole site in memory.
pub fn build(options: &BuildOptions) -> BuildOutput {
    build_into(options, &mut Sink::memory())
}

/// Builds the whole site once, handing every file to `sink` as soon as it is made:
/// written into a staging folder or dropped, only the paths are kept (for `helpsite
/// build` and `check`, which need no more than the pages being rendered at a time).
pub(crate) fn build_into(options: &BuildOptions, sink: &mut Sink<'_>) -> BuildOutput {
    let mut cache = BuildCache::one_shot();
    let output = build_cached(options, &mut cache, &Changes::Everything, sink).0;
    if sink.streams() {
        // As for the site in `build_cached`: only the end of the process follows,
        // and freeing the search indexes term by term would delay it.
        std::mem::forget(cache);
    }
    output
}

impl BuildStats {
    pub(crate) fn new(
        site: &Site,
        files: &[OutputFile],
        rendered: usize,
        started: Instant,
    ) -> Self {
        BuildStats {
            pages: site.pages.len(),
            sections: site.sections.len(),
            languages: site.languages.len(),
            files: files.len(),
            rendered,
            elapsed: started.elapsed(),
            external_links: None,
            search: Vec::new(),
            shortcut: None,
        }
    }
}

/// Everything a successful build computed, kept by `incremental` for the next save.
pub(crate) struct LastBuild {
    /// The options it was built with, written out: any difference means a full build.
    pub(crate) options_key: String,
    pub(crate) config: Config,
    pub(crate) urls: Urls,
    pub(crate) site: Site,
    pub(crate) channels: ChannelIndex,
    pub(crate) compiled: Arc<CompiledTheme>,
    /// Sources that failed to parse (links to them resolve to `#`).
    pub(crate) failed: BTreeSet<String>,
    pub(crate) markdown: MarkdownStage,
    /// Warnings found before the Markdown stage (a good build has no errors).
    pub(crate) diags_before_markdown: Diagnostics,
    pub(crate) shared: SharedContext,
    /// The output, sorted by path.
    pub(crate) files: Vec<OutputFile>,
}

impl LastBuild {
    /// Every diagnostic the stages up to the Markdown gave (a good build's warnings).
    pub(crate) fn diagnostics(&self) -> Diagnostics {
        let mut diags = self.diags_before_markdown.clone();
        diags.extend(self.markdown.diagnostics());
        diags
    }

    /// The site with its rendered Markdown, as templates and features read it, and
    /// beside it the shared context, to bring up to date after the site changed in place.
    pub(crate) fn rendered_and_context(&mut self) -> (RenderedSite<'_>, &mut SharedContext) {
        let rendered = RenderedSite {
            site: &self.site,
            config: &self.config,
            urls: &self.urls,
            strings: &self.compiled.strings,
            channels: &self.channels,
            pages: &self.markdown.pages,
            sections: &self.markdown.sections,
        };
        (rendered, &mut self.shared)
    }
}

/// Loads and compiles the theme anew for a site in `languages` (a template, string
/// or static file of the theme changed).
pub(crate) fn compile_theme(
    options: &BuildOptions,
    config: &Config,
    urls: &Urls,
    languages: &[String],
) -> CompiledTheme {
    stages::compile_theme(stages::load_theme(&options.root, config, urls), languages)
}

/// The key under which a build's options are compared with the next build's.
pub(crate) fn options_key(options: &BuildOptions) -> String {
    format!("{options:?}")
}

/// Everything the stages before the templates produce.
struct Prepared {
    config: Config,
    urls: Urls,
    model: stages::ModelStage,
    compiled: Arc<CompiledTheme>,
    markdown: MarkdownStage,
    /// Warnings found before the Markdown stage (a good build has no errors).
    diags_before_markdown: Diagnostics,
    /// External links asked about and taken from the cache, when they were checked.
    external_links: Option<(usize, usize)>,
}

impl Prepared {
    /// What the next rebuild starts from: this build's stages and its files.
    fn into_last_build(
        self,
        options: &BuildOptions,
        shared: SharedContext,
        files: Vec<OutputFile>,
    ) -> LastBuild {
        LastBuild {
            options_key: options_key(options),
            config: self.config,
            urls: self.urls,
            site: self.model.site,
            channels: self.model.channels,
            compiled: self.compiled,
            failed: self.model.failed,
            markdown: self.markdown,
            diags_before_markdown: self.diags_before_markdown,
            shared,
            files,
        }
    }

    fn rendered(&self) -> RenderedSite<'_> {
        RenderedSite {
            site: &self.model.site,
            config: &self.config,
            urls: &self.urls,
            strings: &self.compiled.strings,
            channels: &self.model.channels,
            pages: &self.markdown.pages,
            sections: &self.markdown.sections,
        }
    }
}

/// Builds the site in memory, redoing only what `changes` can have affected and
/// taking the rest from `cache` (which is then updated). The files are always
/// what `build` gives for the same sources; the state of a successful build comes
/// back too when the cache keeps state, for the next rebuild.
pub(crate) fn build_cached(
    options: &BuildOptions,
    cache: &mut BuildCache,
    changes: &Changes,
    sink: &mut Sink<'_>,
) -> (BuildOutput, Option<LastBuild>) {
    let started = Instant::now();
    let search_edits = cache.search_edits(changes);
    cache.start(changes);
    let mut diags = Diagnostics::new();
    let mut timer = StageTimer::new(options.timings);
    let Some(mut prepared) = prepare(options, cache, changes, &mut diags, &mut timer) else {
        return (BuildOutput::failed(diags), None);
    };
    let failed_with = |diagnostics| {
        let mut output = BuildOutput::failed(diagnostics);
        output.stats.external_links = prepared.external_links;
        (output, None)
    };
    let Some(tera) = &prepared.compiled.tera else {
        return failed_with(diags);
    };
    if diags.has_errors() {
        return failed_with(diags);
    }
    let shared = SharedContext::new(&prepared.rendered());
    // The summaries are made: from here on, only the search index and the pages of
    // questions and answers read the plain texts.
    let texts = (!cache.keeps_state()).then(|| {
        let markdown = &mut prepared.markdown;
        markdown_stage::take_plain_texts(&prepared.model.site, &mut markdown.pages)
    });
    let rendered = prepared.rendered();
    // Every page's summary and card, made on every rebuild: its own line.
    timer.lap("summaries");
    let theme = &prepared.compiled.theme;
    // Only the edited articles' search documents can have changed.
    let search_edits = search_edits.and_then(|paths| edited_pages(rendered.site, &paths));
    let site_files = stages::render_site(
        &rendered,
        (&shared, tera, theme),
        cache,
        (options, search_edits.as_deref(), texts),
        sink,
        &mut timer,
    );
    diags.extend(site_files.diagnostics);
    let files = stages::merge_static(site_files.files, rendered.site, theme, &mut diags);
    let files = match sink.streams() {
        true => files.into_par_iter().map(|file| sink.put(file)).collect(),
        false => crate::output::portable::apply(files, rendered.config, &mut diags),
    };
    diags.extend(sink.take_warnings());
    diags.dedup();
    timer.lap("static");

    let mut stats = BuildStats::new(rendered.site, &files, site_files.rendered_count, started);
    stats.external_links = prepared.external_links;
    stats.search = site_files.search_sizes;
    let output = BuildOutput {
        stats,
        files,
        diagnostics: diags,
        pending: site_files.waiting,
    };
    if output.diagnostics.has_errors() {
        let (files, pending) = (Vec::new(), Vec::new());
        return (
            BuildOutput {
                files,
                pending,
                ..output
            },
            None,
        );
    }
    cache.finished();
    if !cache.keeps_state() && sink.streams() {
        // Nothing follows but the end of the process: freeing the site, its
        // Markdown and the context page by page would only delay it (seconds at
        // 100,000 articles); the system takes the memory back at once.
        std::mem::forget((prepared, shared));
        return (output, None);
    }
    let last = cache
        .keeps_state()
        .then(|| prepared.into_last_build(options, shared, output.files.clone()));
    (output, last)
}

/// The pages written in `paths` (stand-ins included), when each path is still
/// an article of the site; `None` when one is not (say it became a draft), since
/// the pages after it then have other numbers than the cached search indexes say.
fn edited_pages(site: &Site, paths: &BTreeSet<PathBuf>) -> Option<Vec<crate::model::PageId>> {
    let pages = site.pages.iter().enumerate();
    let edited: Vec<_> = pages
        .filter(|(_, page)| paths.contains(&page.source.abs))
        .collect();
    let originals = edited.iter().filter(|(_, p)| p.stand_in_for.is_none());
    (originals.count() == paths.len()).then(|| edited.iter().map(|(id, _)| *id).collect())
}

/// Runs the stages up to the Markdown (sources, model, theme, Markdown, anchors);
/// `None` when the config cannot be loaded (its problems are then in `diags`).
fn prepare(
    options: &BuildOptions,
    cache: &mut BuildCache,
    changes: &Changes,
    diags: &mut Diagnostics,
    timer: &mut StageTimer,
) -> Option<Prepared> {
    let config = load_config(options)
        .map_err(|problems| diags.extend(problems))
        .ok()?;
    let urls = Urls::new(&config);
    // The templates compile beside the sources and the model, unless the cache has them.
    let theme_needed = !cache.has_theme();
    let (mut model, loaded) = rayon::join(
        || {
            let sources = stages::read_sources(options, &config, cache, changes, diags, timer);
            stages::make_model(options, &config, sources, diags)
        },
        || theme_needed.then(|| stages::load_theme(&options.root, &config, &urls)),
    );
    timer.lap("model");
    let languages = &model.site.languages;
    let compiled = cache.theme(|| {
        let loaded = loaded.unwrap_or_else(|| stages::load_theme(&options.root, &config, &urls));
        stages::compile_theme(loaded, languages)
    });
    diags.extend(compiled.diagnostics.iter().cloned());
    let diags_before_markdown = diags.clone();
    let aside = std::mem::take(&mut model.bodies_aside);
    let bodies = markdown_stage::take_bodies(&mut model.site, cache.keeps_state(), aside);
    let markdown = markdown_stage::render_markdown(
        (&model.site, bodies),
        (&config, &options.root),
        &compiled,
        &urls,
        &model.failed,
        cache,
    );
    diags.extend(markdown.diagnostics());
    let external_links = stages::check_markdown(options, &model.site, &markdown, diags);
    timer.lap("markdown");
    diags.dedup();
    Some(Prepared {
        config,
        urls,
        model,
        compiled,
        markdown,
        diags_before_markdown,
        external_links,
    })
}
