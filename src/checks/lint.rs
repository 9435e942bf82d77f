//! Advice that `helpsite check` gives on top of what a build validates: articles
//! without a description, images without alt text, headings that skip a level.
//!
//! These are warnings: the site still builds, but readers of search results, screen
//! readers and outlines are the worse for them.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::diag::{line_col, Diagnostic};
use crate::model::{Page, Site};

/// Warnings for every article written by hand (not for stand-ins of translations).
pub fn lint(site: &Site) -> Vec<Diagnostic> {
    site.pages
        .iter()
        .filter(|page| page.stand_in_for.is_none())
        .flat_map(lint_page)
        .collect()
}

fn lint_page(page: &Page) -> Vec<Diagnostic> {
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
    let at = |offset: usize| {
        let (line, col) = line_col(&page.body, offset);
        (line + page.body_line - 1, col)
    };
    // The article's title is its h1, so the body's headings start at h2.
    let mut previous_level = 1;
    let mut image: Option<(usize, String)> = None;
    for (event, range) in Parser::new(&page.body).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let level = heading_number(level);
                if level > previous_level + 1 {
                    let (line, col) = at(range.start);
                    found.push(
                        Diagnostic::warning(format!(
                            "heading level skips from h{previous_level} to h{level}"
                        ))
                        .in_file(file)
                        .at(line, col)
                        .with_hint(format!(
                            "use {} so the outline and screen readers follow the structure",
                            "#".repeat(previous_level + 1)
                        )),
                    );
                }
                previous_level = level;
            }
            Event::Start(Tag::Image { .. }) => image = Some((range.start, String::new())),
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, alt)) = &mut image {
                    alt.push_str(&text);
                }
            }
            Event::End(TagEnd::Image) => {
                if let Some((start, alt)) = image.take() {
                    if alt.trim().is_empty() {
                        let (line, col) = at(start);
                        found.push(
                            Diagnostic::warning("image without alt text")
                                .in_file(file)
                                .at(line, col)
                                .with_hint("describe the image between the brackets: ![what it shows](file.png)"),
                        );
                    }
                }
            }
            _ => {}
        }
    }
    found
}

fn heading_number(level: HeadingLevel) -> usize {
    level as usize
}
