//! Rendering articles' and sections' Markdown again over the last build, as the
//! Markdown stage does: with its theme (shortcodes, callout labels), its links and the
//! site's settings.

use std::path::Path;
use std::sync::Arc;

use crate::diag::Diagnostic;
use crate::markdown::{self, BodyOrigin};
use crate::model::{PageId, SectionId};
use crate::pipeline::markdown_stage::{link_resolver, MarkdownSetup};
use crate::pipeline::LastBuild;

/// Renders the Markdown of `pages` again and puts it in the last build's place.
pub(super) fn render_pages_again(last: &mut LastBuild, root: &Path, pages: &[PageId]) {
    if pages.is_empty() {
        return;
    }
    let resolve = link_resolver(&last.site, &last.urls, &last.failed);
    let setup = MarkdownSetup::new(&last.config, root, &last.compiled, &last.site.languages);
    let options = setup.options(last.compiled.tera.as_ref());
    for &id in pages {
        let page = &last.site.pages[id];
        let origin = BodyOrigin {
            file: &page.source.display,
            first_line: page.body_line,
            lang: &page.lang,
        };
        let (rendered, diags) = markdown::render(&page.body, &origin, &options, &resolve);
        last.markdown.pages[id] = Arc::new(rendered);
        last.markdown.page_diags[id] = diags;
    }
}

/// The Markdown of page `id` rendered (a new page: the caller puts it in its place).
pub(super) fn page(
    last: &LastBuild,
    root: &Path,
    id: PageId,
) -> (markdown::Rendered, Vec<Diagnostic>) {
    let page = &last.site.pages[id];
    let origin = BodyOrigin {
        file: &page.source.display,
        first_line: page.body_line,
        lang: &page.lang,
    };
    render_body(last, root, &page.body, origin)
}

/// The Markdown of section `id` rendered.
pub(super) fn section(
    last: &LastBuild,
    root: &Path,
    id: SectionId,
) -> (markdown::Rendered, Vec<Diagnostic>) {
    let section = &last.site.sections[id];
    let file = section.source_display();
    let origin = BodyOrigin {
        file: &file,
        first_line: section.body_line,
        lang: &section.lang,
    };
    render_body(last, root, &section.body, origin)
}

/// Renders one body as the Markdown stage does.
fn render_body(
    last: &LastBuild,
    root: &Path,
    body: &str,
    origin: BodyOrigin<'_>,
) -> (markdown::Rendered, Vec<Diagnostic>) {
    // Every page's address is looked up only for a body that links with `@/`.
    let targets =
        (body.contains("@/")).then(|| link_resolver(&last.site, &last.urls, &last.failed));
    let resolve = |target: &str| targets.as_ref().and_then(|resolve| resolve(target));
    let setup = MarkdownSetup::new(&last.config, root, &last.compiled, &last.site.languages);
    let options = setup.options(last.compiled.tera.as_ref());
    markdown::render(body, &origin, &options, &resolve)
}
