//! Rendering every section and article through its Tera template, in parallel.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::diag::Diagnostic;
use crate::markdown::Rendered;
use crate::model::rendered::RenderedSite;
use crate::model::{language_prefix, PageId, SitePath};
use crate::output::files::{FileContent, OutputFile};
use crate::output::sink::Sink;
use crate::render::context::{PageVariables, SharedContext, Subject};
use crate::render::kept_context;
use crate::render::reuse::{hash_page, RenderKey, RenderedFile};
use crate::search;
use crate::theme::deps::TemplateDeps;
use crate::theme::templates::{template_error, Theme};

/// One template render: which template, for which source, written where.
struct RenderJob {
    subject: Subject,
    template: String,
    source: PathBuf,
    lang: String,
    path: SitePath,
}

/// What rendering the templates gave.
pub(crate) struct TemplateOutput {
    pub files: Vec<OutputFile>,
    pub diagnostics: Vec<Diagnostic>,
    /// Pages rendered anew (not reused).
    pub rendered_count: usize,
    /// Every render by output path, for the next build to reuse (when it succeeded).
    pub renders: HashMap<String, RenderedFile>,
    /// Articles given as last rendered, not checked (see `render_templates`).
    pub waiting: Vec<String>,
}

/// Fewer articles than this are all rendered at once: holding some back would save
/// nothing (`incremental::deferred`).
pub(crate) const WORTH_DEFERRING: usize = 256;

/// The most pages one thread renders before another may take the rest: about two
/// milliseconds of work, small enough to share the end of the list between cores.
const PAGES_PER_PIECE: usize = 16;

/// One output file, whether it was rendered anew, and what the cache keeps of it
/// (nothing when the build keeps nothing for a next one).
struct Render {
    file: OutputFile,
    fresh: bool,
    kept: Option<RenderedFile>,
}

/// Renders pages, unless the last build rendered the same template with the same
/// variables and content.
struct Renderer<'a> {
    r: &'a RenderedSite<'a>,
    shared: &'a SharedContext,
    tera: &'a tera::Tera,
    previous: &'a HashMap<String, RenderedFile>,
    /// Whether to hash contexts at all (a one-shot build keeps nothing to compare with).
    hashing: bool,
    deps: &'a TemplateDeps,
    /// The hash of each language's theme strings.
    strings_hashes: HashMap<&'a str, u64>,
}

/// Renders every section and article, the 404 pages and the search pages, handing
/// each page to `sink` as soon as it is rendered. A page whose template and context
/// hash the same as in `previous` is taken from it; context hashes are computed (and
/// renders kept) only when `hashing` (a one-shot build keeps nothing to compare with).
/// With `first`, on a site of many articles, the articles not in it that have a
/// last render are given as that, unchecked, and listed as `waiting`.
pub(crate) fn render_templates(
    r: &RenderedSite<'_>,
    shared: &SharedContext,
    (tera, theme): (&tera::Tera, &Theme),
    (previous, hashing, first): (
        &HashMap<String, RenderedFile>,
        bool,
        Option<&HashSet<String>>,
    ),
    (progress, sink): (&crate::diag::progress::Progress, &Sink<'_>),
) -> TemplateOutput {
    let jobs = render_jobs(r);
    let missing = missing_templates(&jobs, theme);
    if !missing.is_empty() {
        return TemplateOutput::collect(Vec::new(), missing);
    }
    let first = first.filter(|_| r.site.pages.len() >= WORTH_DEFERRING);
    let may_wait = |job: &RenderJob| -> Option<&RenderedFile> {
        let (first, Subject::Page(_)) = (first?, job.subject) else {
            return None;
        };
        let path = job.path.output_file();
        (!first.contains(&path))
            .then(|| previous.get(&path))
            .flatten()
    };
    let renderer = Renderer::new(r, shared, (tera, theme), (previous, hashing));
    progress.stage("rendering", jobs.len());
    // The search index is made beside the pages on the other core. Rayon splits a
    // list only as far as it has idle threads when it starts, so without a cap the
    // core freed by the search found no piece left to take, and the last quarter
    // of the pages were rendered on one core.
    let results: Vec<Result<Render, Diagnostic>> = jobs
        .par_iter()
        .with_max_len(PAGES_PER_PIECE)
        .map(|job| {
            progress.step();
            if let Some(last) = may_wait(job) {
                let render = Render::of(job.path.output_file(), last.clone(), false, true);
                return Ok(render.handed_to(sink));
            }
            let render = renderer
                .render_job(job)
                .map_err(|err| job_error(&err, theme, job))?;
            Ok(render.handed_to(sink))
        })
        .collect();
    let waiting: Vec<String> = (jobs.iter())
        .filter(|job| may_wait(job).is_some())
        .map(|job| job.path.output_file())
        .collect();
    let mut renders = Vec::with_capacity(results.len() + 2 * r.site.languages.len());
    let mut failures = Vec::new();
    for result in results {
        match result {
            Ok(render) => renders.push(render),
            Err(diag) => failures.push(diag),
        }
    }
    let mut diagnostics = collapse_repeated_template_errors(failures);
    for (path, template, variables) in pages_without_subject(r, shared) {
        match renderer.render(path, template, variables, None) {
            Ok(render) => renders.push(render.handed_to(sink)),
            Err(err) => diagnostics.push(template_error(&err, theme)),
        }
    }
    TemplateOutput {
        waiting,
        ..TemplateOutput::collect(renders, diagnostics)
    }
}

/// The path of every file `render_templates` makes for the site, known before
/// rendering (a build that writes pages as they come makes links relative with it).
pub(crate) fn output_paths(r: &RenderedSite<'_>, shared: &SharedContext) -> Vec<String> {
    let jobs = render_jobs(r).into_iter().map(|job| job.path.output_file());
    let others = pages_without_subject(r, shared).into_iter();
    jobs.chain(others.map(|(path, _, _)| path)).collect()
}

impl Render {
    /// The render with its file handed to `sink` (which may keep only the path).
    fn handed_to(self, sink: &Sink<'_>) -> Render {
        Render {
            file: sink.put(self.file),
            ..self
        }
    }
}

/// Each language's 404 page, in its own folder, the search page of each
/// language with an index, and the pages of the taxonomies (tags).
fn pages_without_subject<'a>(
    r: &'a RenderedSite<'a>,
    shared: &'a SharedContext,
) -> Vec<(String, &'static str, PageVariables<'a>)> {
    let mut pages = Vec::new();
    for lang in &r.site.languages {
        let path = format!("{}404.html", language_prefix(r.config, lang));
        pages.push((path, "404.html", shared.variables(r, lang, None)));
    }
    for lang in r
        .site
        .languages
        .iter()
        .filter(|l| search::enabled(r.config, l))
    {
        let path = search::page_path(r.config, lang);
        let mut variables = shared.variables(r, lang, None);
        variables.globals.search = search::template_vars(r.config, r.urls, lang, Some(&path));
        variables.contact = Some(shared.channels_of_language(r, lang));
        pages.push((path.output_file(), "search.html", variables));
    }
    for page in shared.taxonomy_pages(r) {
        pages.push((page.path.output_file(), page.template, page.variables));
    }
    pages
}

impl TemplateOutput {
    fn collect(renders: Vec<Render>, diagnostics: Vec<Diagnostic>) -> Self {
        let rendered_count = renders.iter().filter(|render| render.fresh).count();
        let mut files = Vec::with_capacity(renders.len());
        let mut kept = HashMap::new();
        for render in renders {
            if let Some(file) = render.kept {
                kept.insert(render.file.path.clone(), file);
            }
            files.push(render.file);
        }
        let renders = kept;
        TemplateOutput {
            files,
            diagnostics,
            rendered_count,
            renders,
            waiting: Vec::new(),
        }
    }
}

impl<'a> Renderer<'a> {
    fn new(
        r: &'a RenderedSite<'a>,
        shared: &'a SharedContext,
        (tera, theme): (&'a tera::Tera, &'a Theme),
        (previous, hashing): (&'a HashMap<String, RenderedFile>, bool),
    ) -> Self {
        Renderer {
            r,
            shared,
            tera,
            previous,
            hashing,
            deps: &theme.deps,
            strings_hashes: (r.site.languages.iter())
                .map(|lang| (lang.as_str(), shared.strings_hash(lang)))
                .collect(),
        }
    }

    fn render_job(&self, job: &'a RenderJob) -> Result<Render, tera::Error> {
        let rendered: &Rendered = match job.subject {
            Subject::Section(id) => &self.r.sections[id],
            Subject::Page(id) => &self.r.pages[id],
        };
        let variables = self.shared.variables(self.r, &job.lang, Some(job.subject));
        let path = job.path.output_file();
        self.render(path, &job.template, variables, Some(rendered))
    }

    /// Renders one output unless the cache holds it for the same template and
    /// variables. The hash leaves out `config` (it changes only with the config,
    /// which empties the cache), and takes `strings`, the templates reached and the
    /// subject's `content` by their hashes, so none is serialized for a page that is kept.
    fn render(
        &self,
        path: String,
        template: &str,
        variables: PageVariables<'a>,
        content: Option<&'a Rendered>,
    ) -> Result<Render, tera::Error> {
        let context_hash = match self.hashing {
            true => {
                let lang = variables.globals.lang;
                let key = RenderKey {
                    template,
                    template_use: self.deps.of(template),
                    strings_hash: self.strings_hashes.get(lang).copied().unwrap_or_default(),
                    content_hash: content.map_or(0, |rendered| rendered.html_hash),
                };
                hash_page(&key, &variables)
            }
            false => 0,
        };
        let kept = self.previous.get(&path);
        if let Some(file) = kept.filter(|f| f.context_hash == context_hash) {
            return Ok(Render::of(path, file.clone(), false, self.hashing));
        }
        let variables = match content {
            Some(rendered) => variables.with_content(&rendered.html),
            None => variables,
        };
        let context = self.shared.template_context(variables);
        let html = kept_context::render(self.tera, template, &context)?;
        if !self.hashing {
            // Nothing keeps the page for a next build: no copy into shared bytes.
            let content = FileContent::Bytes(html);
            let file = OutputFile { path, content };
            let kept = None;
            return Ok(Render {
                file,
                fresh: true,
                kept,
            });
        }
        let bytes: Arc<[u8]> = html.into();
        let file = RenderedFile {
            context_hash,
            bytes,
        };
        Ok(Render::of(path, file, true, self.hashing))
    }
}

impl Render {
    fn of(path: String, file: RenderedFile, fresh: bool, keep: bool) -> Render {
        Render {
            file: OutputFile {
                path,
                content: FileContent::Shared(file.bytes.clone()),
            },
            fresh,
            kept: keep.then_some(file),
        }
    }
}

/// The template named by each job that the theme does not have.
fn missing_templates(jobs: &[RenderJob], theme: &Theme) -> Vec<Diagnostic> {
    jobs.iter()
        .filter(|job| !theme.templates.contains_key(&job.template))
        .map(|job| {
            Diagnostic::error(format!("template `{}` not found", job.template))
                .in_file(&job.source)
                .with_hint("templates are looked up in templates/ and in the theme's templates/")
        })
        .collect()
}

/// A template error, saying which source was being rendered.
fn job_error(err: &tera::Error, theme: &Theme, job: &RenderJob) -> Diagnostic {
    let mut diag = template_error(err, theme);
    diag.message = format!(
        "{} (while rendering {})",
        diag.message,
        job.source.display()
    );
    diag
}

fn render_jobs(r: &RenderedSite<'_>) -> Vec<RenderJob> {
    let pages = (0..r.site.pages.len()).map(|id| page_job(r, id));
    section_jobs(r).chain(pages).collect()
}

fn section_jobs<'a>(r: &'a RenderedSite<'_>) -> impl Iterator<Item = RenderJob> + 'a {
    // A section with `redirect_to` is a redirect page (features::sitemap), not a render.
    let shown = r.site.sections.iter().enumerate();
    shown
        .filter(|(_, s)| s.redirect_to.is_none())
        .map(|(id, section)| {
            let default = if section.dir.is_empty() {
                "index.html"
            } else if section.dir == crate::model::announcement::SECTION_DIR {
                "announcements.html"
            } else {
                "section.html"
            };
            RenderJob {
                subject: Subject::Section(id),
                template: section.template.clone().unwrap_or_else(|| default.into()),
                source: section.source_display(),
                lang: section.lang.clone(),
                path: section.path.clone(),
            }
        })
}

fn page_job(r: &RenderedSite<'_>, id: PageId) -> RenderJob {
    let page = &r.site.pages[id];
    // The nearest section that names a `page_template` decides for its articles.
    let inherited = r
        .site
        .ancestry(page.section)
        .into_iter()
        .rev()
        .find_map(|s| r.site.sections[s].page_template.clone());
    RenderJob {
        subject: Subject::Page(id),
        template: page
            .template
            .clone()
            .or(inherited)
            .unwrap_or_else(|| "page.html".into()),
        source: page.source.display.clone(),
        lang: page.lang.clone(),
        path: page.path.clone(),
    }
}

/// For a save that changed articles in place (`incremental::article_edit`): the
/// given articles and, with `lists`, every section and every page without a subject
/// (404, search, taxonomy pages), each rendered again only when its context hash
/// differs from `previous`. The first error fails all.
pub(crate) fn render_again(
    r: &RenderedSite<'_>,
    shared: &SharedContext,
    (tera, theme): (&tera::Tera, &Theme),
    previous: &HashMap<String, RenderedFile>,
    (pages, lists): (&[PageId], bool),
) -> Result<TemplateOutput, Diagnostic> {
    let sections = section_jobs(r).filter(|_| lists);
    let jobs: Vec<RenderJob> = sections
        .chain(pages.iter().map(|&id| page_job(r, id)))
        .collect();
    if let Some(missing) = missing_templates(&jobs, theme).into_iter().next() {
        return Err(missing);
    }
    let renderer = Renderer::new(r, shared, (tera, theme), (previous, true));
    let mut renders = jobs
        .par_iter()
        .map(|job| (renderer.render_job(job)).map_err(|err| job_error(&err, theme, job)))
        .collect::<Result<Vec<Render>, Diagnostic>>()?;
    let others = match lists {
        true => pages_without_subject(r, shared),
        false => Vec::new(),
    };
    for (path, template, variables) in others {
        let render = renderer.render(path, template, variables, None);
        renders.push(render.map_err(|err| template_error(&err, theme))?);
    }
    Ok(TemplateOutput::collect(renders, Vec::new()))
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
        if let (true, Some(last)) = (hidden > 0, group.last_mut()) {
            last.message
                .push_str(&format!(" (and {hidden} more pages with the same error)"));
        }
        out.extend(group);
    }
    out
}
