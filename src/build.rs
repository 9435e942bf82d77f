//! The build pipeline: site folder -> files to write, plus every diagnostic.
//!
//! Pure apart from reading the sources: nothing is written here (see `output`).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::body_edit::{self, LastBuild};
use crate::cache::{self, BuildCache, Changes, CompiledTheme, MarkdownEntry, RecordingResolver};
use crate::config::Config;
use crate::context::{RenderedSite, SharedContext, Urls};
use crate::diag::{Diagnostic, Diagnostics};
use crate::discover::{discover, SourceKind};
use crate::markdown::{self, BodyOrigin, MarkdownOptions, Rendered};
use crate::model::{build_site, Site};
use crate::parse::parse_source;
use crate::templates::{self, FileData, Theme};
use crate::{contact, i18n, links, render, sitemap};

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Config file; `root/config.toml` when not given.
    pub config_file: Option<PathBuf>,
    /// Replaces `base_url` from the config (e.g. for a preview on another host).
    pub base_url: Option<String>,
    pub include_drafts: bool,
    /// Largest source file accepted, in bytes; `[limits] max_source_mib` when not set.
    pub max_source_bytes: Option<u64>,
    /// Warn about missing and outdated translations (what `check` reports).
    pub report_translations: bool,
    /// Warn about missing descriptions, images without alt text, skipped heading levels.
    pub lint: bool,
    /// Check external links too (`check --external`).
    pub external: Option<crate::external_links::ExternalOptions>,
    /// Where to report pages rendered (a progress bar on a terminal).
    pub progress: crate::progress::Progress,
    /// Print how long each stage took (`--verbose`, or `HELPSITE_TIMINGS` set).
    pub timings: bool,
    /// Make links inside the site relative (`build --relative`), as `relative_links`.
    pub relative_links: bool,
}

impl BuildOptions {
    /// The source size limit: the one given here, else the site's `[limits]`.
    pub fn max_source_bytes_for(&self, config: &Config) -> u64 {
        self.max_source_bytes
            .unwrap_or(config.limits.max_source_mib.saturating_mul(1024 * 1024))
    }

    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            config_file: None,
            base_url: None,
            include_drafts: false,
            max_source_bytes: None,
            report_translations: false,
            lint: false,
            external: None,
            progress: Default::default(),
            timings: std::env::var_os("HELPSITE_TIMINGS").is_some(),
            relative_links: false,
        }
    }
}

#[derive(Debug, Clone)]
pub enum FileContent {
    Bytes(Vec<u8>),
    /// Bytes also held by the build cache, so a rebuild does not copy them.
    Shared(Arc<[u8]>),
    Copy(FileData),
}

/// One file of the built site, at a `/`-separated path inside the output folder.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub path: String,
    pub content: FileContent,
}

#[derive(Debug, Clone, Default)]
pub struct BuildStats {
    pub pages: usize,
    pub sections: usize,
    pub languages: usize,
    pub files: usize,
    /// Pages, sections and 404 pages rendered through a template (not taken from the cache).
    pub rendered: usize,
    pub elapsed: Duration,
    /// External links asked about and taken from the cache, when they were checked.
    pub external_links: Option<(usize, usize)>,
    /// Each language's search index size.
    pub search: Vec<crate::search::IndexSize>,
}

/// The result of a build: the files (sorted by path) when it succeeded, and its diagnostics.
#[derive(Debug, Default)]
pub struct BuildOutput {
    pub files: Vec<OutputFile>,
    pub diagnostics: Diagnostics,
    pub stats: BuildStats,
    /// The output folder named by the config, relative to the site root.
    pub output_dir: Option<PathBuf>,
}

impl BuildOutput {
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
pub fn load_config(options: &BuildOptions) -> Result<Config, Diagnostics> {
    let path = options
        .config_file
        .clone()
        .unwrap_or_else(|| options.root.join("config.toml"));
    let display = crate::discover::display_path(&options.root, &path);
    let text = std::fs::read(&path)
        .map_err(|e| {
            Diagnostic::error(format!("cannot read the site configuration: {e}"))
                .in_file(&display)
                .with_hint("run helpsite in a site folder, or create one with `helpsite init DIR`")
        })
        .and_then(|bytes| crate::frontmatter::read_text(bytes, &display))
        .map_err(|d| Diagnostics::from_iter([d]))?;
    let mut config = Config::parse(&text, &display).map_err(Diagnostics::from_iter)?;
    if let Some(base_url) = &options.base_url {
        crate::config::check_base_url(base_url)
            .map_err(|message| Diagnostics::from_iter([Diagnostic::error(message)]))?;
        config.base_url = base_url.clone();
    }
    config.relative_links |= options.relative_links;
    Ok(config)
}

/// Builds the whole site in memory.
pub fn build(options: &BuildOptions) -> BuildOutput {
    build_cached(options, &mut BuildCache::one_shot(), &Changes::Everything)
}

/// Builds the site in memory, redoing only what `changes` can have affected and
/// taking the rest from `cache` (which is then updated). The result is always
/// what `build` gives for the same files.
pub fn build_cached(
    options: &BuildOptions,
    cache: &mut BuildCache,
    changes: &Changes,
) -> BuildOutput {
    let started = Instant::now();
    cache.start(changes);
    if let Some(mut output) = body_edit::rebuild(options, cache, changes, started) {
        // Its pages are rendered again as templates give them: make them portable too.
        if let Ok(config) = load_config(options) {
            output.files = crate::portable::apply(output.files, &config, &mut output.diagnostics);
        }
        return output;
    }
    let config = match load_config(options) {
        Ok(config) => config,
        Err(diags) => return BuildOutput::failed(diags),
    };
    let mut diags = Diagnostics::new();
    let root = options.root.as_path();
    let mut stages = StageTimer::new(options.timings);

    let max_source_bytes = options.max_source_bytes_for(&config);
    let (sources, found) = cache.known_sources(changes).unwrap_or_else(|| {
        let (sources, found) = discover(root, &root.join("content"));
        (sources, found.iter().cloned().collect())
    });
    cache.keep_sources(&sources, &found);
    diags.extend(found);
    stages.lap("discover");
    let (markdown_files, assets): (Vec<_>, Vec<_>) = sources
        .into_iter()
        .partition(|f| f.kind != SourceKind::Asset);
    let parsed = cache.parse(&markdown_files, changes, |file| {
        parse_source(file, max_source_bytes)
    });
    let mut ok = Vec::with_capacity(parsed.len());
    // Sources that failed are still known to exist, so that links to them and
    // their folders do not cause follow-on errors.
    let mut failed = BTreeSet::new();
    for (file, result) in markdown_files.iter().zip(parsed) {
        match result {
            Ok(p) => ok.push(p),
            Err(problems) => {
                diags.extend(problems);
                failed.insert(file.rel.clone());
            }
        }
    }
    stages.lap("parse");

    let (mut site, model_diags) = build_site(&config, ok, assets, &failed, options.include_drafts);
    diags.extend(model_diags);
    if config.dates.from_git {
        diags.extend(crate::git_dates::fill_updated_dates(
            &mut site,
            &root.join("content"),
        ));
    }
    let channels = contact::ChannelIndex::new(&site);
    diags.extend(contact::check_references(&site, &channels));
    if options.report_translations {
        diags.extend(crate::translations::report(&site));
    }
    if options.lint {
        diags.extend(crate::lint::lint(&site));
    }
    let mut external_links = None;
    if let Some(external) = &options.external {
        let report = crate::external_links::check(&site, external);
        diags.extend(report.diagnostics);
        external_links = Some((report.checked, report.from_cache));
    }
    stages.lap("model");

    let urls = Urls::new(&config);
    let compiled = cache.theme(|| compile_theme(root, &config, &site.languages, &urls));
    diags.extend(compiled.diagnostics.iter().cloned());
    let (theme, strings) = (&compiled.theme, &compiled.strings);

    let diags_before_markdown = diags.clone();
    let (rendered_pages, rendered_sections, page_md_diags, section_md_diags) =
        render_markdown(&site, &config, &urls, &failed, cache);
    diags.extend(
        page_md_diags
            .iter()
            .chain(&section_md_diags)
            .flatten()
            .cloned(),
    );
    diags.extend(links::check_anchors(
        &site,
        &rendered_pages,
        &rendered_sections,
    ));
    stages.lap("markdown");
    // Per-language stages fed from per-page data (such as a search index) go here:
    // `rendered_pages` is complete, and each entry is recomputed only when its page
    // changed, so such a stage may keep its own per-page results in `BuildCache`.

    diags.dedup();
    let failed_with = |diags| {
        let mut output = BuildOutput::failed(diags);
        output.stats.external_links = external_links;
        output
    };
    let Some(tera) = &compiled.tera else {
        return failed_with(diags);
    };
    if diags.has_errors() {
        return failed_with(diags);
    }

    let rendered = RenderedSite {
        site: &site,
        config: &config,
        urls: &urls,
        strings,
        channels: &channels,
        pages: &rendered_pages,
        sections: &rendered_sections,
    };
    let shared = SharedContext::new(&rendered);
    // The search index needs only the rendered Markdown, so it is built alongside the
    // templates: its serial merge then overlaps their parallel rendering.
    let mut search_cache = cache.take_search();
    let ((mut files, render_diags, rendered_count), search) = rayon::join(
        || render::render_templates(&rendered, &shared, tera, theme, cache, &options.progress),
        || {
            let started = Instant::now();
            let pages = &rendered_pages;
            let out = crate::search::search_stage(&site, &config, pages, &mut search_cache, None);
            (out, started.elapsed())
        },
    );
    let (search, search_time) = search;
    cache.put_search(search_cache);
    // Beside the templates, so on its own line: its share of the lap below.
    stages.report("search", search_time);
    diags.extend(render_diags);
    files.extend(sitemap::generated_files(&site, &urls));
    files.extend(crate::announcements::generated_files(&rendered));
    if !channels.is_empty() {
        let views = rendered.channel_views();
        for lang in &site.languages {
            files.push(OutputFile {
                path: format!(
                    "{}channels.js",
                    crate::model::language_prefix(&config, lang)
                ),
                content: FileContent::Bytes(views.script(lang).into_bytes()),
            });
        }
    }
    diags.extend(search.diagnostics);
    files.extend(search.files);
    stages.lap("templates and search");
    let files = merge_static(files, &site, theme, &mut diags);
    let files = crate::portable::apply(files, &config, &mut diags);
    diags.dedup();
    stages.lap("static");

    let output_dir = PathBuf::from(&config.output_dir);
    let stats = BuildStats {
        pages: site.pages.len(),
        sections: site.sections.len(),
        languages: site.languages.len(),
        files: files.len(),
        rendered: rendered_count,
        elapsed: started.elapsed(),
        external_links,
        search: search.sizes,
    };
    if diags.has_errors() || !cache.keeps_state() {
        return BuildOutput {
            stats,
            files: if diags.has_errors() {
                Vec::new()
            } else {
                files
            },
            diagnostics: diags,
            output_dir: Some(output_dir),
        };
    }
    cache.keep_last_build(LastBuild {
        options_key: body_edit::options_key(options),
        config,
        urls,
        channels,
        compiled: compiled.clone(),
        failed,
        rendered_pages,
        rendered_sections,
        page_md_diags,
        section_md_diags,
        diags_before_markdown,
        shared,
        files: files.clone(),
        site,
    });
    BuildOutput {
        stats,
        files,
        diagnostics: diags,
        output_dir: Some(output_dir),
    }
}

/// Loads the theme and its strings and compiles the templates.
fn compile_theme(root: &Path, config: &Config, languages: &[String], urls: &Urls) -> CompiledTheme {
    let (theme, mut diagnostics) = templates::load_theme(root, config);
    let (strings, string_diags) = i18n::load(&theme, languages);
    // A theme that could not be loaded has no strings either: saying so again
    // would only bury the error that matters.
    if !diagnostics.has_errors() {
        diagnostics.extend(string_diags);
    }
    let tera = match templates::compile(&theme, urls.base_path()) {
        Ok(tera) => Some(tera),
        Err(problems) => {
            diagnostics.extend(problems);
            None
        }
    };
    CompiledTheme {
        theme,
        strings,
        tera,
        diagnostics: diagnostics.iter().cloned().collect(),
    }
}

/// Renders the Markdown of every page and section; bodies whose text and link
/// targets are unchanged come from the cache.
fn render_markdown(
    site: &Site,
    config: &Config,
    urls: &Urls,
    failed: &BTreeSet<String>,
    cache: &mut BuildCache,
) -> MarkdownStage {
    let targets = links::link_targets(site, urls);
    let resolve = |path: &str| {
        let unreadable = || failed.contains(path).then(|| "#".to_string());
        targets.get(path).cloned().or_else(unreadable)
    };
    let options = MarkdownOptions {
        raw_html: config.markdown.raw_html,
    };
    let previous = cache.markdown();
    let render = |body: &str, file: &Path, first_line: usize| {
        let key = cache::markdown_key(file, first_line, body);
        if let Some(entry) = previous.get(&key) {
            if cache::links_unchanged(entry, &resolve) {
                return (key, entry.clone());
            }
        }
        let recorder = RecordingResolver::new(&resolve);
        let (rendered, diagnostics) =
            markdown::render(body, &BodyOrigin { file, first_line }, &options, &|path| {
                recorder.resolve(path)
            });
        let entry = MarkdownEntry {
            resolved: recorder.seen.into_inner(),
            rendered: Arc::new(rendered),
            diagnostics,
        };
        (key, entry)
    };
    let pages: Vec<_> = site
        .pages
        .par_iter()
        .map(|p| render(&p.body, &p.source.display, p.body_line))
        .collect();
    let sections: Vec<_> = site
        .sections
        .par_iter()
        .map(|s| render(&s.body, &s.source_display(), s.body_line))
        .collect();
    let mut kept = HashMap::with_capacity(pages.len() + sections.len());
    let mut collect = |results: Vec<(u64, MarkdownEntry)>| {
        results
            .into_iter()
            .map(|(key, entry)| {
                let rendered = (entry.rendered.clone(), entry.diagnostics.clone());
                kept.insert(key, entry);
                rendered
            })
            .unzip()
    };
    let (pages, page_diags) = collect(pages);
    let (sections, section_diags) = collect(sections);
    cache.keep_markdown(kept);
    (pages, sections, page_diags, section_diags)
}

/// Rendered Markdown of pages and sections, and the problems found in each.
type MarkdownStage = (
    Vec<Arc<Rendered>>,
    Vec<Arc<Rendered>>,
    Vec<Vec<Diagnostic>>,
    Vec<Vec<Diagnostic>>,
);

/// Adds content assets and static files. A static file may replace a generated
/// sitemap.xml, robots.txt or 404.html, but not a page.
fn merge_static(
    generated: Vec<OutputFile>,
    site: &Site,
    theme: &Theme,
    diags: &mut Diagnostics,
) -> Vec<OutputFile> {
    let replaceable = ["sitemap.xml", "robots.txt", "404.html"];
    let mut by_path: BTreeMap<String, OutputFile> = BTreeMap::new();
    for file in generated {
        by_path.insert(file.path.clone(), file);
    }
    for asset in &site.assets {
        for output in &asset.outputs {
            by_path.insert(
                output.clone(),
                OutputFile {
                    path: output.clone(),
                    content: FileContent::Copy(FileData::Disk(asset.source.abs.clone())),
                },
            );
        }
    }
    for (path, file) in &theme.static_files {
        let as_folder = format!("{path}/");
        let folder_taken = path
            .match_indices('/')
            .any(|(i, _)| by_path.contains_key(&path[..i]))
            || by_path
                .range(as_folder.clone()..)
                .next()
                .is_some_and(|(other, _)| other.starts_with(&as_folder));
        if folder_taken {
            diags.push(
                Diagnostic::error(format!("static file /{path} clashes with a folder or file of the site at the same path"))
                    .in_file(&file.display)
                    .with_hint("rename the static file or its folder"),
            );
            continue;
        }
        if by_path.contains_key(path) && !replaceable.contains(&path.as_str()) {
            diags.push(
                Diagnostic::error(format!("static file would overwrite the page /{path}"))
                    .in_file(&file.display)
                    .with_hint("rename the static file or move the page"),
            );
            continue;
        }
        by_path.insert(
            path.clone(),
            OutputFile {
                path: path.clone(),
                content: FileContent::Copy(file.data.clone()),
            },
        );
    }
    by_path.into_values().collect()
}

/// Prints how long each stage took, when asked to (for profiling).
struct StageTimer {
    last: Option<Instant>,
}

impl StageTimer {
    fn new(enabled: bool) -> Self {
        StageTimer {
            last: enabled.then(Instant::now),
        }
    }

    fn lap(&mut self, stage: &str) {
        if let Some(last) = self.last {
            self.report(stage, last.elapsed());
            self.last = Some(Instant::now());
        }
    }

    /// Prints the time of a stage that ran beside others.
    fn report(&self, stage: &str, time: std::time::Duration) {
        if self.last.is_some() {
            eprintln!("{stage:>10}: {:>7.1} ms", time.as_secs_f64() * 1000.0);
        }
    }
}
