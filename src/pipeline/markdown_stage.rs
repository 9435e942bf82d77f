//! The Markdown stage: every page's and section's body rendered to HTML, with the
//! link targets of the site; unchanged bodies come from the cache.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::cache::{self, BuildCache, CompiledTheme, MarkdownEntry, RecordingResolver};
use crate::checks::links;
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::features::faq;
use crate::markdown::callouts::{CalloutLabels, KNOWN_KINDS};
use crate::markdown::images::{ImageFiles, SiteImages};
use crate::markdown::shortcodes::ShortcodeTemplates;
use crate::markdown::{self, BodyOrigin, MarkdownOptions, Rendered};
use crate::model::parse::{read_body_again, BodyPrint};
use crate::model::urls::Urls;
use crate::model::Site;
use crate::search::PlainTexts;
use crate::source::discover::SourceFile;

/// The articles whose bodies a build that keeps nothing reads again when it
/// renders them (see `BodyPrint`), by file.
pub(super) type BodiesAside = HashMap<PathBuf, BodyPrint>;

/// Rendered Markdown of pages and sections, and the problems found in each.
pub(crate) struct MarkdownStage {
    pub pages: Vec<Arc<Rendered>>,
    pub sections: Vec<Arc<Rendered>>,
    pub page_diags: Vec<Vec<Diagnostic>>,
    pub section_diags: Vec<Vec<Diagnostic>>,
}

impl MarkdownStage {
    /// Every problem found in every body.
    pub(crate) fn diagnostics(&self) -> impl Iterator<Item = Diagnostic> + '_ {
        self.page_diags
            .iter()
            .chain(&self.section_diags)
            .flatten()
            .cloned()
    }
}

/// The URL of each `@/` link target; a source that failed to parse resolves to `#`
/// so that its own error is the only one reported.
pub(crate) fn link_resolver<'a>(
    site: &Site,
    urls: &Urls,
    failed: &'a BTreeSet<String>,
) -> impl Fn(&str) -> Option<String> + Sync + 'a {
    let targets = links::link_targets(site, urls);
    move |path: &str| {
        let unreadable = || failed.contains(path).then(|| "#".to_string());
        targets.get(path).cloned().or_else(unreadable)
    }
}

/// What rendering Markdown needs from the site besides the bodies: its settings, the
/// labels of callouts in each language and where its images are.
pub(crate) struct MarkdownSetup {
    raw_html: markdown::RawHtml,
    labels: CalloutLabels,
    images: SiteImages,
}

impl MarkdownSetup {
    pub(crate) fn new(
        config: &Config,
        root: &Path,
        compiled: &CompiledTheme,
        languages: &[String],
    ) -> Self {
        let by_lang = languages
            .iter()
            .map(|lang| {
                let strings = compiled.strings.of(lang);
                let label = |kind: &str| {
                    let key = format!("callout_{kind}");
                    strings
                        .get(&key)
                        .and_then(|v| v.as_str())
                        .unwrap_or("")
                        .to_string()
                };
                (lang.clone(), KNOWN_KINDS.map(label))
            })
            .collect();
        MarkdownSetup {
            raw_html: config.markdown.raw_html,
            labels: CalloutLabels { by_lang },
            images: SiteImages {
                root: root.to_path_buf(),
            },
        }
    }

    /// The options, with the shortcode templates of `tera` when the theme compiled.
    pub(crate) fn options<'e>(&'e self, tera: Option<&'e tera::Tera>) -> MarkdownOptions<'e> {
        MarkdownOptions {
            raw_html: self.raw_html,
            shortcodes: tera.map(|t| t as &dyn ShortcodeTemplates),
            images: Some(&self.images),
            callout_labels: Some(&self.labels),
        }
    }

    /// Whether the files a body used are as they were when it was rendered.
    fn files_unchanged(&self, rendered: &Rendered, file: &Path) -> bool {
        rendered
            .files_used
            .iter()
            .all(|(src, found)| self.images.find(file, src) == *found)
    }
}

/// A page's Markdown body as the Markdown stage gets it.
pub(super) enum PageBody {
    Held(Arc<str>),
    /// Left out of the parse: read again from the page's file when rendered.
    Aside(BodyPrint),
}

impl PageBody {
    /// The body's text; an error when it was left aside and its file changed since.
    fn text(&self, file: &SourceFile) -> Result<Cow<'_, str>, Diagnostic> {
        match self {
            PageBody::Held(body) => Ok(Cow::Borrowed(body)),
            PageBody::Aside(print) => read_body_again(file, *print).map(Cow::Owned),
        }
    }
}

/// Renders the Markdown of every page and section; bodies whose text and link
/// targets are unchanged come from the cache. `bodies` are the pages' bodies, in
/// the order of `site.pages` (see `take_bodies`).
pub(super) fn render_markdown(
    (site, bodies): (&Site, Vec<PageBody>),
    (config, root): (&Config, &Path),
    compiled: &CompiledTheme,
    urls: &Urls,
    failed: &BTreeSet<String>,
    cache: &mut BuildCache,
) -> MarkdownStage {
    let resolve = link_resolver(site, urls, failed);
    let setup = MarkdownSetup::new(config, root, compiled, &site.languages);
    let options = setup.options(compiled.tera.as_ref());
    let previous = cache.markdown();
    let render = |body: &str, file: &Path, first_line: usize, lang: &str| {
        let key = cache::markdown_key(file, first_line, body, lang);
        if let Some(entry) = previous.get(&key) {
            if cache::links_unchanged(entry, &resolve)
                && setup.files_unchanged(&entry.rendered, file)
            {
                return (key, entry.clone());
            }
        }
        let recorder = RecordingResolver::new(&resolve);
        let origin = BodyOrigin {
            file,
            first_line,
            lang,
        };
        let (rendered, diagnostics) =
            markdown::render(body, &origin, &options, &|path| recorder.resolve(path));
        let entry = MarkdownEntry {
            resolved: recorder.seen.into_inner(),
            rendered: Arc::new(rendered),
            diagnostics,
        };
        (key, entry)
    };
    // A build that keeps nothing has taken the bodies out of the site: each is
    // dropped once rendered, so the sources and their HTML are not all held at once.
    let pages: Vec<_> = site
        .pages
        .par_iter()
        .zip(bodies.into_par_iter())
        .map(|(p, body)| match body.text(&p.source) {
            Ok(body) => render(&body, &p.source.display, p.body_line, &p.lang),
            Err(changed) => unreadable_body(changed),
        })
        .collect();
    let sections: Vec<_> = site
        .sections
        .par_iter()
        .map(|s| render(&s.body, &s.source_display(), s.body_line, &s.lang))
        .collect();
    // A one-shot build keeps nothing for a next one.
    let keep = cache.keeps_state();
    let mut kept = HashMap::with_capacity(if keep {
        pages.len() + sections.len()
    } else {
        0
    });
    let mut collect = |results: Vec<(u64, MarkdownEntry)>| {
        results
            .into_iter()
            .map(|(key, entry)| {
                let rendered = (entry.rendered.clone(), entry.diagnostics.clone());
                if keep {
                    kept.insert(key, entry);
                }
                rendered
            })
            .unzip()
    };
    let (pages, page_diags) = collect(pages);
    let (sections, section_diags) = collect(sections);
    cache.keep_markdown(kept);
    MarkdownStage {
        pages,
        sections,
        page_diags,
        section_diags,
    }
}

/// Each page's plain text, taken out of its rendered Markdown for the search stage
/// of a build that keeps nothing (see `search::PlainTexts`): at 100,000 articles
/// they are about half a gigabyte. The pages of questions and answers keep theirs,
/// which their templates read, and give a copy.
pub(super) fn take_plain_texts(site: &Site, pages: &mut [Arc<Rendered>]) -> PlainTexts {
    let pages = pages.iter_mut().enumerate();
    pages
        .map(|(id, rendered)| match Arc::get_mut(rendered) {
            Some(only) if !faq::is_faq(site, id) => std::mem::take(&mut only.plain_text),
            _ => rendered.plain_text.clone(),
        })
        .collect()
}

/// What a page whose body could not be read again renders to: nothing, with the
/// reason (the build fails).
fn unreadable_body(problem: Diagnostic) -> (u64, MarkdownEntry) {
    let entry = MarkdownEntry {
        resolved: Default::default(),
        rendered: Arc::new(Rendered::default()),
        diagnostics: vec![problem],
    };
    (0, entry)
}

/// The pages' Markdown bodies, in order: those left out of the parse (`aside`), to
/// be read again; the others taken out of the site when the build keeps nothing
/// for a next one (nothing after the Markdown stage reads them, and at 100,000
/// articles they are most of a gigabyte), else shared with it.
pub(super) fn take_bodies(site: &mut Site, keep: bool, aside: BodiesAside) -> Vec<PageBody> {
    let empty: Arc<str> = "".into();
    let pages = site.pages.iter_mut();
    pages
        .map(|page| match aside.get(&page.source.abs) {
            Some(print) => PageBody::Aside(*print),
            None if keep => PageBody::Held(page.body.clone()),
            None => PageBody::Held(std::mem::replace(&mut page.body, empty.clone())),
        })
        .collect()
}
