//! The build pipeline: site folder -> files to write, plus every diagnostic.
//!
//! Pure apart from reading the sources: nothing is written here (see `output`).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde_json::{json, Value};

use crate::config::Config;
use crate::context::{RenderedSite, SharedContext, Urls};
use crate::diag::{Diagnostic, Diagnostics};
use crate::discover::{discover, SourceKind};
use crate::markdown::{self, BodyOrigin, MarkdownOptions, Rendered};
use crate::model::{build_site, Site, SitePath};
use crate::parse::parse_source;
use crate::sitemap;
use crate::templates::{self, FileData, Theme};

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Config file; `root/config.toml` when not given.
    pub config_file: Option<PathBuf>,
    /// Replaces `base_url` from the config (e.g. for a preview on another host).
    pub base_url: Option<String>,
    pub include_drafts: bool,
    /// Largest source file accepted, in bytes.
    pub max_source_bytes: u64,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            config_file: None,
            base_url: None,
            include_drafts: false,
            max_source_bytes: 10 * 1024 * 1024,
        }
    }
}

#[derive(Debug, Clone)]
pub enum FileContent {
    Bytes(Vec<u8>),
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
    pub elapsed: Duration,
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
        config.base_url = base_url.clone();
    }
    Ok(config)
}

/// Builds the whole site in memory.
pub fn build(options: &BuildOptions) -> BuildOutput {
    let started = Instant::now();
    let config = match load_config(options) {
        Ok(config) => config,
        Err(diags) => return BuildOutput::failed(diags),
    };
    let mut diags = Diagnostics::new();
    let root = options.root.as_path();
    let mut stages = StageTimer::from_env();

    let (sources, found) = discover(root, &root.join("content"));
    diags.extend(found);
    stages.lap("discover");
    let (markdown_files, assets): (Vec<_>, Vec<_>) = sources
        .into_iter()
        .partition(|f| f.kind != SourceKind::Asset);
    let parsed: Vec<_> = markdown_files
        .par_iter()
        .map(|file| parse_source(file, options.max_source_bytes))
        .collect();
    let mut ok = Vec::with_capacity(parsed.len());
    for result in parsed {
        match result {
            Ok(p) => ok.push(p),
            Err(problems) => diags.extend(problems),
        }
    }
    stages.lap("parse");

    let (site, model_diags) = build_site(&config, ok, assets, options.include_drafts);
    diags.extend(model_diags);
    stages.lap("model");

    let (theme, theme_diags) = templates::load_theme(root, &config);
    diags.extend(theme_diags);
    let urls = Urls::new(&config);
    let tera = match templates::compile(&theme, urls.base_path()) {
        Ok(tera) => Some(tera),
        Err(problems) => {
            diags.extend(problems);
            None
        }
    };

    let (rendered_pages, rendered_sections, md_diags) = render_markdown(&site, &config, &urls);
    diags.extend(md_diags);
    diags.extend(check_anchors(&site, &rendered_pages, &rendered_sections));
    stages.lap("markdown");

    let Some(tera) = tera else {
        return BuildOutput::failed(diags);
    };
    if diags.has_errors() {
        return BuildOutput::failed(diags);
    }

    let rendered = RenderedSite {
        site: &site,
        config: &config,
        urls: &urls,
        pages: &rendered_pages,
        sections: &rendered_sections,
    };
    let (mut files, render_diags) = render_templates(&rendered, &tera, &theme);
    diags.extend(render_diags);
    files.extend(extra_files(&rendered));
    stages.lap("templates");
    let files = merge_static(files, &site, &theme, &mut diags);
    stages.lap("static");

    BuildOutput {
        stats: BuildStats {
            pages: site.pages.len(),
            sections: site.sections.len(),
            languages: site.languages.len(),
            files: files.len(),
            elapsed: started.elapsed(),
        },
        files: if diags.has_errors() {
            Vec::new()
        } else {
            files
        },
        diagnostics: diags,
        output_dir: Some(PathBuf::from(&config.output_dir)),
    }
}

/// URL of every linkable source, by its path inside `content/`.
fn link_targets(site: &Site, urls: &Urls) -> HashMap<String, String> {
    let mut targets = HashMap::new();
    for page in &site.pages {
        targets.insert(page.source.rel.clone(), urls.url(&page.path));
    }
    for section in &site.sections {
        // A borrowed `_index.md` links to its own language's section only.
        if let Some(file) = section
            .source
            .as_ref()
            .filter(|f| f.lang.as_deref().unwrap_or(site.languages[0].as_str()) == section.lang)
        {
            targets.insert(file.rel.clone(), urls.url(&section.path));
        }
    }
    targets
}

fn render_markdown(
    site: &Site,
    config: &Config,
    urls: &Urls,
) -> (Vec<Rendered>, Vec<Rendered>, Vec<Diagnostic>) {
    let targets = link_targets(site, urls);
    let resolve = |path: &str| targets.get(path).cloned();
    let options = MarkdownOptions {
        raw_html: config.markdown.raw_html,
    };
    let render = |body: &str, file: &Path, first_line: usize| {
        markdown::render(body, &BodyOrigin { file, first_line }, &options, &resolve)
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
    let mut diags = Vec::new();
    let pages = pages
        .into_iter()
        .map(|(r, d)| {
            diags.extend(d);
            r
        })
        .collect();
    let sections = sections
        .into_iter()
        .map(|(r, d)| {
            diags.extend(d);
            r
        })
        .collect();
    (pages, sections, diags)
}

/// An `@/page.md#anchor` whose page has no heading with that id is an error.
fn check_anchors(site: &Site, pages: &[Rendered], sections: &[Rendered]) -> Vec<Diagnostic> {
    let mut ids: HashMap<&str, Vec<&str>> = HashMap::new();
    for (page, rendered) in site.pages.iter().zip(pages) {
        ids.insert(
            &page.source.rel,
            rendered.headings.iter().map(|h| h.id.as_str()).collect(),
        );
    }
    let mut diags = Vec::new();
    let owners = site
        .pages
        .iter()
        .map(|p| (&p.source.display, pages))
        .zip(pages);
    for ((file, _), rendered) in owners {
        for link in &rendered.links {
            let Some(anchor) = &link.anchor else { continue };
            let Some(known) = ids.get(link.target.as_str()) else {
                continue;
            };
            if !known.contains(&anchor.as_str()) {
                let hint = crate::toml_diag::closest(anchor, known)
                    .map(|best| format!("did you mean `#{best}`?"))
                    .unwrap_or_else(|| {
                        format!(
                            "the headings of that page have the ids: {}",
                            known.join(", ")
                        )
                    });
                diags.push(
                    Diagnostic::error(format!(
                        "link to a heading that does not exist: @/{}#{anchor}",
                        link.target
                    ))
                    .in_file(file)
                    .at(link.line, link.col)
                    .with_hint(hint),
                );
            }
        }
    }
    let _ = sections;
    diags
}

/// One template render: which template, for which source, written where.
struct RenderJob {
    template: String,
    source: PathBuf,
    lang: String,
    path: SitePath,
    variable: &'static str,
    value: Value,
}

fn render_templates(
    r: &RenderedSite<'_>,
    tera: &tera::Tera,
    theme: &Theme,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let shared = SharedContext::new(r);
    let mut jobs = Vec::new();
    let mut diags = Vec::new();
    for (id, section) in r.site.sections.iter().enumerate() {
        let default = if section.dir.is_empty() {
            "index.html"
        } else {
            "section.html"
        };
        jobs.push(RenderJob {
            template: section.template.clone().unwrap_or_else(|| default.into()),
            source: section.source_display(),
            lang: section.lang.clone(),
            path: section.path.clone(),
            variable: "section",
            value: Value::Null,
        });
        let _ = id;
    }
    for page in &r.site.pages {
        let inherited = r
            .site
            .ancestry(page.section)
            .into_iter()
            .rev()
            .find_map(|s| r.site.sections[s].page_template.clone());
        jobs.push(RenderJob {
            template: page
                .template
                .clone()
                .or(inherited)
                .unwrap_or_else(|| "page.html".into()),
            source: page.source.display.clone(),
            lang: page.lang.clone(),
            path: page.path.clone(),
            variable: "page",
            value: Value::Null,
        });
    }
    let section_count = r.site.sections.len();
    for (i, job) in jobs.iter_mut().enumerate() {
        if !theme.templates.contains_key(&job.template) {
            diags.push(
                Diagnostic::error(format!("template `{}` not found", job.template))
                    .in_file(&job.source)
                    .with_hint(
                        "templates are looked up in templates/ and in the theme's templates/",
                    ),
            );
        }
        job.value = if i < section_count {
            json!(i)
        } else {
            json!(i - section_count)
        };
    }
    if !diags.is_empty() {
        return (Vec::new(), diags);
    }
    let results: Vec<Result<OutputFile, Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            let id = job.value.as_u64().unwrap_or(0) as usize;
            let value = if job.variable == "section" {
                shared.section(r, id)
            } else {
                shared.page(r, id)
            };
            let mut variables = shared.globals(r, &job.lang, Some(&job.path));
            variables.insert(job.variable.into(), value);
            tera.render(&job.template, &context_of(variables))
                .map(|html| OutputFile {
                    path: job.path.output_file(),
                    content: FileContent::Bytes(html.into_bytes()),
                })
                .map_err(|err| {
                    let mut diag = templates::template_error(&err, theme);
                    diag.message = format!(
                        "{} (while rendering {})",
                        diag.message,
                        job.source.display()
                    );
                    diag
                })
        })
        .collect();
    let mut files = Vec::with_capacity(results.len() + 1);
    let mut failures = Vec::new();
    for result in results {
        match result {
            Ok(file) => files.push(file),
            Err(diag) => failures.push(diag),
        }
    }
    diags.extend(collapse_repeated_template_errors(failures));
    let lang = &r.config.default_language;
    let context = context_of(shared.globals(r, lang, None));
    match tera.render("404.html", &context) {
        Ok(html) => files.push(OutputFile {
            path: "404.html".into(),
            content: FileContent::Bytes(html.into_bytes()),
        }),
        Err(err) => diags.push(templates::template_error(&err, theme)),
    }
    (files, diags)
}

/// One broken template fails every page that uses it; list a few and count the rest.
fn collapse_repeated_template_errors(failures: Vec<Diagnostic>) -> Vec<Diagnostic> {
    const SHOWN: usize = 3;
    let mut by_cause: BTreeMap<(Option<PathBuf>, Option<usize>), Vec<Diagnostic>> = BTreeMap::new();
    for diag in failures {
        by_cause
            .entry((diag.file.clone(), diag.line))
            .or_default()
            .push(diag);
    }
    let mut out = Vec::new();
    for (_, mut group) in by_cause {
        let hidden = group.len().saturating_sub(SHOWN);
        group.truncate(SHOWN);
        if hidden > 0 {
            if let Some(last) = group.last_mut() {
                last.message
                    .push_str(&format!(" (and {hidden} more pages with the same error)"));
            }
        }
        out.extend(group);
    }
    out
}

/// A Tera context that takes the variables over without copying them again.
fn context_of(variables: serde_json::Map<String, Value>) -> tera::Context {
    // Invariant: an object always converts; the fallback is only for the type system.
    tera::Context::from_value(Value::Object(variables)).unwrap_or_default()
}

/// sitemap.xml, robots.txt and the alias redirect pages.
fn extra_files(r: &RenderedSite<'_>) -> Vec<OutputFile> {
    let mut files = vec![
        OutputFile {
            path: "sitemap.xml".into(),
            content: FileContent::Bytes(sitemap::sitemap(r.site, r.urls).into_bytes()),
        },
        OutputFile {
            path: "robots.txt".into(),
            content: FileContent::Bytes(sitemap::robots(r.urls).into_bytes()),
        },
    ];
    let redirects = r
        .site
        .pages
        .iter()
        .map(|p| (&p.aliases, &p.path, &p.lang))
        .chain(
            r.site
                .sections
                .iter()
                .map(|s| (&s.aliases, &s.path, &s.lang)),
        );
    for (aliases, target, lang) in redirects {
        for alias in aliases {
            files.push(OutputFile {
                path: SitePath::new(alias.clone()).output_file(),
                content: FileContent::Bytes(
                    sitemap::redirect_page(&r.urls.url(target), &r.urls.permalink(target), lang)
                        .into_bytes(),
                ),
            });
        }
    }
    files
}

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

/// Prints how long each stage took when `HELPSITE_TIMINGS` is set (for profiling).
struct StageTimer {
    last: Option<Instant>,
}

impl StageTimer {
    fn from_env() -> Self {
        StageTimer {
            last: std::env::var_os("HELPSITE_TIMINGS").map(|_| Instant::now()),
        }
    }

    fn lap(&mut self, stage: &str) {
        if let Some(last) = self.last {
            eprintln!(
                "{stage:>10}: {:>7.1} ms",
                last.elapsed().as_secs_f64() * 1000.0
            );
            self.last = Some(Instant::now());
        }
    }
}
