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
    let missing: Vec<Diagnostic> = jobs
        .iter()
        .filter(|job| !theme.templates.contains_key(&job.template))
        .map(|job| {
            Diagnostic::error(format!("template `{}` not found", job.template))
                .in_file(&job.source)
                .with_hint("templates are looked up in templates/ and in the theme's templates/")
        })
        .collect();
    if !missing.is_empty() {
        return TemplateOutput {
            files: Vec::new(),
            diagnostics: missing,
            rendered_count: 0,
            renders: HashMap::new(),
        };
    }
    // Renders one output unless the cache holds it for the same template and context.
    // The hash leaves out the variables that are the same on every page (they
    // change only with the config or theme, which empty the cache) and takes the
    // subject's `content` as bytes, so neither is copied for a page that is kept.
    let render_one = |path: String,
                      template: &str,
                      lang: &str,
                      variables: Map<String, Value>,
                      subject: Option<(&str, &Rendered)>| {
        let content_hash = subject.map_or(0, |(_, rendered)| rendered.html_hash);
        let context_hash = match hashing {
            true => hash_json(template, &variables, content_hash),
            false => 0,
        };
        if let Some(file) = previous
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
            map.extend(shared.constants(lang));
        }
        tera.render(template, &context_of(variables)).map(|html| {
            let bytes: Arc<[u8]> = html.into_bytes().into();
            let file = RenderedFile {
                context_hash,
                bytes,
            };
            (path, file, true)
        })
    };
    progress.stage("rendering", jobs.len());
    let results: Vec<Result<(String, RenderedFile, bool), Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            progress.step();
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
            render_one(
                path,
                &job.template,
                &job.lang,
                variables,
                Some((name, rendered)),
            )
            .map_err(|err| {
                let mut diag = template_error(&err, theme);
                diag.message = format!(
                    "{} (while rendering {})",
                    diag.message,
                    job.source.display()
                );
                diag
            })
        })
        .collect();
    let mut renders = HashMap::with_capacity(results.len() + r.site.languages.len());
    let mut failures = Vec::new();
    let mut rendered_count = 0;
    for result in results {
        match result {
            Ok((path, file, fresh)) => {
                rendered_count += usize::from(fresh);
                renders.insert(path, file);
            }
            Err(diag) => failures.push(diag),
        }
    }
    let mut diags = collapse_repeated_template_errors(failures);
    // Each language gets its own 404 page, in its own folder.
    for lang in &r.site.languages {
        let path = format!("{}404.html", language_prefix(r.config, lang));
        let variables = shared.globals_per_page(r, lang, None);
        match render_one(path, "404.html", lang, variables, None) {
            Ok((path, file, fresh)) => {
                rendered_count += usize::from(fresh);
                renders.insert(path, file);
            }
            Err(err) => diags.push(template_error(&err, theme)),
        }
    }
    // Each language with an index gets a search page.
    for lang in r
        .site
        .languages
        .iter()
        .filter(|l| search::enabled(r.config, l))
    {
        let path = search::page_path(r.config, lang);
        let mut variables = shared.globals_per_page(r, lang, None);
        variables.insert(
            "search".into(),
            search::template_vars(r.config, r.urls, lang, Some(&path)),
        );
        match render_one(path.output_file(), "search.html", lang, variables, None) {
            Ok((path, file, fresh)) => {
                rendered_count += usize::from(fresh);
                renders.insert(path, file);
            }
            Err(err) => diags.push(template_error(&err, theme)),
        }
    }
    let files = renders
        .iter()
        .map(|(path, file)| OutputFile {
            path: path.clone(),
            content: FileContent::Shared(file.bytes.clone()),
        })
        .collect();
    TemplateOutput {
        files,
        diagnostics: diags,
        rendered_count,
        renders,
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
