//! Rendering every section and article through its Tera template, in parallel.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::{Map, Value};

use crate::diag::Diagnostic;
use crate::markdown::Rendered;
use crate::model::rendered::RenderedSite;
use crate::model::{language_prefix, PageId, SitePath};
use crate::output::files::{FileContent, OutputFile};
use crate::render::context::{SharedContext, Subject};
use crate::render::reuse::{hash_json, RenderedFile};
use crate::search;
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
pub struct TemplateOutput {
    pub files: Vec<OutputFile>,
    pub diagnostics: Vec<Diagnostic>,
    /// Pages rendered anew (not reused).
    pub rendered_count: usize,
    /// Every render by output path, for the next build to reuse (when it succeeded).
    pub renders: HashMap<String, RenderedFile>,
}

/// Renders every section, article and the 404 page. A page whose template and
/// context hash the same as in `previous` is taken from it; context hashes are
/// computed only when `hashing` (a one-shot build keeps nothing to compare with).
pub fn render_templates(
    r: &RenderedSite<'_>,
    shared: &SharedContext,
    tera: &tera::Tera,
    theme: &Theme,
    (previous, hashing): (&HashMap<String, RenderedFile>, bool),
    progress: &crate::diag::progress::Progress,
) -> TemplateOutput {
    let jobs = render_jobs(r);
    let missing = missing_templates(&jobs, theme);
    if !missing.is_empty() {
        return TemplateOutput {
            files: Vec::new(),
            diagnostics: missing,
            rendered_count: 0,
            renders: HashMap::new(),
        };
    }
    let renderer = Renderer {
        r,
        shared,
        tera,
        theme,
        previous,
        hashing,
    };
    progress.stage("rendering", jobs.len());
    let results: Vec<RenderResult> = jobs
        .par_iter()
        .map(|job| {
            progress.step();
            renderer.render_job(job)
        })
        .collect();
    let mut output = TemplateOutput {
        files: Vec::new(),
        diagnostics: Vec::new(),
        rendered_count: 0,
        renders: HashMap::with_capacity(results.len() + 2 * r.site.languages.len()),
    };
    let mut failures = Vec::new();
    for result in results {
        output.add(result, &mut failures);
    }
    output.diagnostics = collapse_repeated_template_errors(failures);
    for result in renderer.language_pages() {
        let mut diagnostics = Vec::new();
        output.add(result, &mut diagnostics);
        output.diagnostics.extend(diagnostics);
    }
    output.files = output
        .renders
        .iter()
        .map(|(path, file)| OutputFile {
            path: path.clone(),
            content: FileContent::Shared(file.bytes.clone()),
        })
        .collect();
    output
}

/// A render's output path, what it wrote, and whether it was rendered anew.
type RenderResult = Result<(String, RenderedFile, bool), Diagnostic>;

impl TemplateOutput {
    fn add(&mut self, result: RenderResult, failures: &mut Vec<Diagnostic>) {
        match result {
            Ok((path, file, fresh)) => {
                self.rendered_count += usize::from(fresh);
                self.renders.insert(path, file);
            }
            Err(diag) => failures.push(diag),
        }
    }
}

/// A job whose template is in neither the site nor the theme fails the build.
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

/// What every render of one build shares.
struct Renderer<'a> {
    r: &'a RenderedSite<'a>,
    shared: &'a SharedContext,
    tera: &'a tera::Tera,
    theme: &'a Theme,
    previous: &'a HashMap<String, RenderedFile>,
    hashing: bool,
}

impl Renderer<'_> {
    /// Renders one output unless `previous` holds it for the same template and context.
    /// The hash leaves out the variables that are the same on every page (they
    /// change only with the config or theme, which empty the cache) and takes the
    /// subject's `content` as bytes, so neither is copied for a page that is kept.
    fn render_one(
        &self,
        path: String,
        template: &str,
        lang: &str,
        variables: Map<String, Value>,
        subject: Option<(&str, &Rendered)>,
    ) -> Result<(String, RenderedFile, bool), tera::Error> {
        let content_hash = subject.map_or(0, |(_, rendered)| rendered.html_hash);
        let context_hash = match self.hashing {
            true => hash_json(template, &variables, content_hash),
            false => 0,
        };
        if let Some(file) = self
            .previous
            .get(&path)
            .filter(|f| f.context_hash == context_hash)
        {
            return Ok((path, file.clone(), false));
        }
        let mut variables = Value::Object(variables);
        if let Some((name, rendered)) = subject {
            variables[name]["content"] = Value::String(rendered.html.clone());
        }
        if let Value::Object(map) = &mut variables {
            map.extend(self.shared.constants(lang));
        }
        self.tera
            .render(template, &context_of(variables))
            .map(|html| {
                let bytes: Arc<[u8]> = html.into_bytes().into();
                let file = RenderedFile {
                    context_hash,
                    bytes,
                };
                (path, file, true)
            })
    }

    /// A section or article page.
    fn render_job(&self, job: &RenderJob) -> RenderResult {
        let (r, shared) = (self.r, self.shared);
        let (name, value, rendered) = match job.subject {
            Subject::Section(id) => (
                "section",
                shared.section_without_content(r, id),
                &*r.sections[id],
            ),
            Subject::Page(id) => ("page", shared.page_without_content(r, id), &*r.pages[id]),
        };
        let mut variables = shared.globals_per_page(r, &job.lang, Some(job.subject));
        variables.insert(name.into(), value);
        let path = job.path.output_file();
        self.render_one(
            path,
            &job.template,
            &job.lang,
            variables,
            Some((name, rendered)),
        )
        .map_err(|err| {
            let mut diag = template_error(&err, self.theme);
            diag.message = format!(
                "{} (while rendering {})",
                diag.message,
                job.source.display()
            );
            diag
        })
    }

    /// Each language's 404 page (in its own folder) and, where it has an index,
    /// its search page.
    fn language_pages(&self) -> Vec<RenderResult> {
        let (r, shared) = (self.r, self.shared);
        let mut results = Vec::new();
        for lang in &r.site.languages {
            let path = format!("{}404.html", language_prefix(r.config, lang));
            let variables = shared.globals_per_page(r, lang, None);
            results.push(self.render_one(path, "404.html", lang, variables, None));
            if !search::enabled(r.config, lang) {
                continue;
            }
            let path = search::page_path(r.config, lang);
            let mut variables = shared.globals_per_page(r, lang, None);
            let search_vars = search::template_vars(r.config, r.urls, lang, Some(&path));
            variables.insert("search".into(), search_vars);
            results.push(self.render_one(path.output_file(), "search.html", lang, variables, None));
        }
        results
            .into_iter()
            .map(|result| result.map_err(|err| template_error(&err, self.theme)))
            .collect()
    }
}

fn render_jobs(r: &RenderedSite<'_>) -> Vec<RenderJob> {
    let sections = r.site.sections.iter().enumerate().map(|(id, section)| {
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
    });
    let pages = (0..r.site.pages.len()).map(|id| page_job(r, id));
    sections.chain(pages).collect()
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

/// Renders the given articles again, without the cache (for `body_edit`).
pub fn render_pages(
    r: &RenderedSite<'_>,
    shared: &SharedContext,
    tera: &tera::Tera,
    theme: &Theme,
    ids: &[PageId],
) -> Result<Vec<OutputFile>, Diagnostic> {
    ids.iter()
        .map(|&id| {
            let job = page_job(r, id);
            let mut variables = shared.globals(r, &job.lang, Some(job.subject));
            variables.insert("page".into(), shared.page(r, id));
            tera.render(&job.template, &context_of(Value::Object(variables)))
                .map(|html| OutputFile {
                    path: job.path.output_file(),
                    content: FileContent::Bytes(html.into_bytes()),
                })
                .map_err(|err| template_error(&err, theme))
        })
        .collect()
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

/// A Tera context that takes the variables over without copying them again.
fn context_of(variables: Value) -> tera::Context {
    // Invariant: an object always converts; the fallback is only for the type system.
    tera::Context::from_value(variables).unwrap_or_default()
}
