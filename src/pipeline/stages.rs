//! The stages of a full build, in the order `build_cached` runs them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use rayon::prelude::*;

use super::cache::{BuildCache, Changes, CompiledTheme};
use super::markdown_stage::{BodiesAside, MarkdownStage};
use super::BuildOptions;
use crate::checks::{external_links, links, lint};
use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::features::tags::Taxonomy;
use crate::model::channels::{self, ChannelIndex};
use crate::model::parse::{parse_source, set_body_aside, BodyPrint, Parsed};
use crate::model::rendered::RenderedSite;
use crate::model::urls::Urls;
use crate::model::{build_site, language_prefix, PageId, Site};
use crate::output::files::{FileContent, FileData, OutputFile};
use crate::output::portable::Rewriter;
use crate::output::sink::Sink;
use crate::render::context::SharedContext;
use crate::render::jobs::{render_templates, TemplateOutput};
use crate::search::{IndexSize, PlainTexts, SearchCache, SearchOutput};
use crate::source::discover::{discover, SourceFile, SourceKind};
use crate::theme::i18n;
use crate::theme::templates::{self, Theme};

/// The sources that parsed, the assets, and the sources that did not parse.
pub(super) struct Sources {
    parsed: Vec<Parsed>,
    assets: Vec<SourceFile>,
    /// Still known to exist, so that links to them and their folders do not cause
    /// follow-on errors.
    failed: BTreeSet<String>,
    /// The articles whose bodies were left out of their parse, by file.
    bodies_aside: BodiesAside,
}

/// Finds the sources under `content/` and parses them (unchanged ones from the cache).
pub(super) fn read_sources(
    options: &BuildOptions,
    config: &Config,
    cache: &mut BuildCache,
    changes: &Changes,
    diags: &mut Diagnostics,
    timer: &mut StageTimer,
) -> Sources {
    let root = options.root.as_path();
    let content_dir = root.join("content");
    let known = cache.known_sources(changes, (root, &content_dir));
    let (sources, found) = known.unwrap_or_else(|| {
        let (sources, found) = discover(root, &content_dir);
        (sources, found.iter().cloned().collect())
    });
    cache.keep_sources(&sources, &found);
    diags.extend(found);
    timer.lap("discover");
    let (markdown_files, assets): (Vec<_>, Vec<_>) = sources
        .into_iter()
        .partition(|f| f.kind != SourceKind::Asset);
    let max_source_bytes = options.max_source_bytes_for(config);
    let parse = |file: &SourceFile| parse_source(file, max_source_bytes);
    let (results, prints) = match cache.keeps_state() {
        true => (cache.parse(&markdown_files, changes, parse), Vec::new()),
        false => {
            let held = AtomicUsize::new(0);
            (markdown_files.par_iter())
                .map(|file| parse_lean(file, parse, (&held, options.bodies_held_bytes)))
                .unzip()
        }
    };
    let bodies_aside: BodiesAside = (markdown_files.iter().zip(prints))
        .filter_map(|(file, print)| Some((file.abs.clone(), print?)))
        .collect();
    let mut parsed = Vec::with_capacity(results.len());
    let mut failed = BTreeSet::new();
    for (file, result) in markdown_files.iter().zip(results) {
        match result {
            Ok(p) => {
                diags.extend(p.warnings().iter().cloned());
                parsed.push(p)
            }
            Err(problems) => {
                diags.extend(problems);
                failed.insert(file.rel.clone());
            }
        }
    }
    timer.lap("parse");
    Sources {
        parsed,
        assets,
        failed,
        bodies_aside,
    }
}

/// Parses an article for a build that keeps nothing: once `held` (the text kept so
/// far) would pass `limit` (`BuildOptions::bodies_held_bytes`), its body is read
/// again when rendered, so that every body is not held at once.
fn parse_lean(
    file: &SourceFile,
    parse: impl Fn(&SourceFile) -> Result<Parsed, Vec<Diagnostic>>,
    (held, limit): (&AtomicUsize, usize),
) -> (Result<Parsed, Vec<Diagnostic>>, Option<BodyPrint>) {
    let mut result = parse(file);
    if let Ok(Parsed::Page(page)) = &result {
        let len = page.body.len();
        if held.fetch_add(len, Ordering::Relaxed) + len <= limit {
            return (result, None);
        }
    }
    let print = result.as_mut().ok().and_then(set_body_aside);
    (result, print)
}

/// The site model, with what was checked about it on the way.
pub(super) struct ModelStage {
    pub site: Site,
    pub channels: ChannelIndex,
    pub failed: BTreeSet<String>,
    pub bodies_aside: BodiesAside,
}

/// Builds the site model and runs the checks that need only the model.
pub(super) fn make_model(
    options: &BuildOptions,
    config: &Config,
    sources: Sources,
    diags: &mut Diagnostics,
) -> ModelStage {
    let Sources {
        parsed,
        assets,
        failed,
        bodies_aside,
    } = sources;
    let (mut site, model_diags) =
        build_site(config, parsed, assets, &failed, options.include_drafts);
    diags.extend(model_diags);
    if config.dates.from_git {
        let content = options.root.join("content");
        diags.extend(crate::model::git_dates::fill_updated_dates(
            &mut site, &content,
        ));
    }
    let taxonomies = crate::features::tags::taxonomies(&site, config);
    diags.extend(crate::features::tags::clashes(&site, &taxonomies));
    let channels = ChannelIndex::new(&site);
    diags.extend(channels::check_references(&site, &channels));
    diags.extend(channels::check_request_forms(&site, &channels, config));
    if options.report_translations {
        diags.extend(crate::checks::translations::report(&site));
    }
    ModelStage {
        site,
        channels,
        failed,
        bodies_aside,
    }
}

/// The checks that read the rendered Markdown: anchors of `@/` links always, advice
/// (`lint`) and external addresses when asked. Returns the external links asked about
/// and taken from the cache, when they were checked.
pub(super) fn check_markdown(
    options: &BuildOptions,
    site: &Site,
    markdown: &MarkdownStage,
    diags: &mut Diagnostics,
) -> Option<(usize, usize)> {
    diags.extend(links::check_anchors(
        site,
        &markdown.pages,
        &markdown.sections,
    ));
    if options.lint {
        diags.extend(lint::lint(site, &markdown.pages));
    }
    options.external.as_ref().map(|external| {
        let report = external_links::check(site, &markdown.pages, &markdown.sections, external);
        diags.extend(report.diagnostics);
        (report.checked, report.from_cache)
    })
}

/// The theme loaded and its templates compiled: all of the theme but its strings,
/// which need the site's languages. It needs only the config, so it is made beside
/// the sources and the model (compiling the templates is a tenth of a second).
pub(super) struct LoadedTheme {
    theme: Theme,
    tera: Option<tera::Tera>,
    load_diagnostics: Diagnostics,
    template_diagnostics: Diagnostics,
}

/// Loads the theme and compiles its templates.
pub(super) fn load_theme(root: &Path, config: &Config, urls: &Urls) -> LoadedTheme {
    let (theme, load_diagnostics) = templates::load_theme(root, config);
    let (tera, template_diagnostics) = match templates::compile(&theme, urls.base_path()) {
        Ok(tera) => (Some(tera), Diagnostics::new()),
        Err(problems) => (None, problems),
    };
    LoadedTheme {
        theme,
        tera,
        load_diagnostics,
        template_diagnostics,
    }
}

/// Adds the strings of the site's languages to a loaded theme.
pub(super) fn compile_theme(loaded: LoadedTheme, languages: &[String]) -> CompiledTheme {
    let LoadedTheme {
        theme,
        tera,
        load_diagnostics: mut diagnostics,
        template_diagnostics,
    } = loaded;
    let (strings, string_diags) = i18n::load(&theme, languages);
    // A theme that could not be loaded has no strings either: saying so again
    // would only bury the error that matters.
    if !diagnostics.has_errors() {
        diagnostics.extend(string_diags);
    }
    diagnostics.extend(template_diagnostics);
    CompiledTheme {
        theme,
        strings,
        tera,
        diagnostics: diagnostics.iter().cloned().collect(),
    }
}

/// The files rendered from the site: pages, search index and generated files.
pub(super) struct SiteFiles {
    pub files: Vec<OutputFile>,
    pub diagnostics: Vec<Diagnostic>,
    pub rendered_count: usize,
    pub search_sizes: Vec<IndexSize>,
    /// Articles given as last rendered (`BuildCache::render_first`).
    pub waiting: Vec<String>,
}

/// The search index of the site, and how long it took. `texts`, when given, are
/// the pages' plain texts, taken out of `rendered` (see `markdown_stage`).
fn run_search(
    rendered: &RenderedSite<'_>,
    search_cache: &mut SearchCache,
    search_edits: Option<&[PageId]>,
    texts: Option<PlainTexts>,
) -> (SearchOutput, std::time::Duration) {
    let started = Instant::now();
    let (site, config, pages) = (rendered.site, rendered.config, rendered.pages);
    let out = match texts {
        Some(texts) => crate::search::search_stage_once(site, config, pages, search_cache, texts),
        None => crate::search::search_stage(site, config, pages, search_cache, search_edits),
    };
    (out, started.elapsed())
}

/// Renders the templates and, beside them, the search index (it needs only the
/// rendered Markdown, so its serial merge overlaps the parallel rendering); then
/// the files generated beside the pages. Pages go to `sink` as they are rendered.
pub(super) fn render_site(
    rendered: &RenderedSite<'_>,
    (shared, tera, theme): (&SharedContext, &tera::Tera, &Theme),
    cache: &mut BuildCache,
    (options, search_edits, mut texts): (&BuildOptions, Option<&[PageId]>, Option<PlainTexts>),
    sink: &mut Sink<'_>,
    timer: &mut StageTimer,
) -> SiteFiles {
    let mut search_cache = cache.take_search();
    let first = cache.take_render_first();
    let previous = (cache.renders(), cache.keeps_state(), first.as_ref());
    let generated = generated_files(rendered, shared.taxonomies());
    let search = |search_cache: &mut SearchCache, texts| {
        run_search(rendered, search_cache, search_edits, texts)
    };
    // Pages written as they are rendered have their links made relative on the way,
    // which needs every path of the site first: the search index's too.
    let early_search = (sink.streams() && rendered.config.relative_links).then(|| {
        let (out, time) = search(&mut search_cache, texts.take());
        let paths = every_path(rendered, shared, &generated, &out.files, theme);
        sink.set_rewriter(Rewriter::new(rendered.config, paths));
        (out, time)
    });
    let sink = &*sink;
    let render = || {
        let templates = (tera, theme);
        render_templates(
            rendered,
            shared,
            templates,
            previous,
            (&options.progress, sink),
        )
    };
    let (templates, (search, search_time)) = match early_search {
        Some(search) => (render(), search),
        None => rayon::join(render, || search(&mut search_cache, texts.take())),
    };
    cache.put_search(search_cache);
    // Beside the templates, so on its own line: its share of the lap below.
    timer.report("search", search_time);
    let TemplateOutput {
        mut files,
        mut diagnostics,
        rendered_count,
        renders,
        waiting,
    } = templates;
    if diagnostics.is_empty() {
        cache.keep_renders(renders);
    }
    files.extend(generated);
    diagnostics.extend(search.diagnostics);
    files.extend(search.files);
    timer.lap("templates and search");
    SiteFiles {
        files,
        diagnostics,
        rendered_count,
        search_sizes: search.sizes,
        waiting,
    }
}

/// Every path the build's output will have (what `merge_static` gives), before the
/// pages are rendered.
fn every_path(
    rendered: &RenderedSite<'_>,
    shared: &SharedContext,
    generated: &[OutputFile],
    search: &[OutputFile],
    theme: &Theme,
) -> Vec<String> {
    let mut paths = crate::render::jobs::output_paths(rendered, shared);
    paths.extend(generated.iter().chain(search).map(|f| f.path.clone()));
    let assets = rendered.site.assets.iter();
    paths.extend(assets.flat_map(|asset| asset.outputs.iter().cloned()));
    paths.extend(theme.static_files.keys().cloned());
    paths
}

/// The sitemap, robots.txt, alias redirects, announcements and channel scripts.
pub(crate) fn generated_files(
    rendered: &RenderedSite<'_>,
    taxonomies: &[Taxonomy],
) -> Vec<OutputFile> {
    let mut files =
        crate::features::sitemap::generated_files(rendered.site, rendered.urls, taxonomies);
    files.extend(crate::features::announcements::generated_files(rendered));
    if !rendered.channels.is_empty() {
        let views = rendered.channel_views();
        for lang in &rendered.site.languages {
            files.push(OutputFile {
                path: format!("{}channels.js", language_prefix(rendered.config, lang)),
                content: FileContent::Bytes(views.script(lang).into_bytes()),
            });
        }
    }
    files
}

/// Adds content assets and static files. A static file may replace a generated
/// sitemap.xml, robots.txt or 404.html, but not a page.
pub(super) fn merge_static(
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
pub(crate) struct StageTimer {
    last: Option<Instant>,
}

impl StageTimer {
    pub(crate) fn new(enabled: bool) -> Self {
        StageTimer {
            last: enabled.then(Instant::now),
        }
    }

    pub(crate) fn lap(&mut self, stage: &str) {
        if let Some(last) = self.last {
            self.report(stage, last.elapsed());
            if let Some(mib) = resident_mib() {
                eprintln!("{:>10}  {mib:>7} MiB resident", "");
            }
            self.last = Some(Instant::now());
        }
    }

    /// Prints the time of a stage that ran beside others.
    pub(super) fn report(&self, stage: &str, time: std::time::Duration) {
        if self.last.is_some() {
            eprintln!("{stage:>10}: {:>7.1} ms", time.as_secs_f64() * 1000.0);
        }
    }
}

/// The process's resident memory in MiB, where the system says (Linux), so that
/// `--verbose` shows which stage holds how much.
fn resident_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}
