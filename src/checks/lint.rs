//! Advice that `helpsite check` gives on top of what a build validates: articles
//! without a description, images without alt text, headings that skip a level.
//!
//! These are warnings: the site still builds, but readers of search results, screen
//! readers and outlines are the worse for them.

use std::sync::Arc;

use crate::diag::Diagnostic;
use crate::markdown::Rendered;
use crate::model::{Page, Site};

/// Warnings for every article written by hand (not for stand-ins of translations);
/// `rendered` holds each page's Markdown, in the order of `site.pages`.
pub(crate) fn lint(site: &Site, rendered: &[Arc<Rendered>]) -> Vec<Diagnostic> {
    site.pages
        .iter()
        .zip(rendered)
        .filter(|(page, _)| page.stand_in_for.is_none())
        .flat_map(|(page, rendered)| lint_page(page, rendered))
        .collect()
}

fn lint_page(page: &Page, rendered: &Rendered) -> Vec<Diagnostic> {
    let file = &page.source.display;
    let mut found = Vec::new();
    if page.description.trim().is_empty() {
        found.push(
            Diagnostic::warning("the article has no description")
                .in_file(file)
                .at(1, 1)
                .with_hint(
                    "add `description = \"...\"` to the front matter: it is what search engines and link previews show",
                ),
        );
    }
    // The article's title is its h1, so the body's headings start at h2.
    let mut previous_level = 1;
    for &(level, place) in &rendered.noted.heading_levels {
        if level > previous_level + 1 {
            found.push(
                Diagnostic::warning(format!(
                    "heading level skips from h{previous_level} to h{level}"
                ))
                .in_file(file)
                .at(place.line, place.col)
                .with_hint(format!(
                    "use {} so the outline and screen readers follow the structure",
                    "#".repeat(usize::from(previous_level) + 1)
                )),
            );
        }
        previous_level = level;
    }
    for image in rendered
        .noted
        .images
        .iter()
        .filter(|i| i.alt.trim().is_empty())
    {
        found.push(
            Diagnostic::warning("image without alt text")
                .in_file(file)
                .at(image.place.line, image.place.col)
                .with_hint("describe the image between the brackets: ![what it shows](file.png)"),
        );
    }
    found
}
