//! Internal links: which `@/path.md` names which URL, and whether `#anchor`s exist.

use rustc_hash::{FxHashMap, FxHashSet};
use std::borrow::Cow;
use std::sync::Arc;

use crate::diag::toml::closest;
use crate::diag::Diagnostic;
use crate::markdown::Rendered;
use crate::model::urls::Urls;
use crate::model::{Section, Site};
use crate::source::discover::SourceFile;

/// URL of every linkable source, by its path inside `content/`.
pub(crate) fn link_targets(site: &Site, urls: &Urls) -> FxHashMap<String, String> {
    let mut targets = FxHashMap::default();
    // A stand-in shares its original's source; links name the original.
    for page in site.pages.iter().filter(|p| p.stand_in_for.is_none()) {
        targets.insert(page.source.rel.clone(), urls.url(&page.path));
    }
    for section in &site.sections {
        if let Some(file) = own_source(site, section) {
            targets.insert(file.rel.clone(), urls.url(&section.path));
        }
    }
    targets
}

fn heading_ids(rendered: &Rendered) -> Vec<&str> {
    rendered.headings.iter().map(|h| h.id.as_str()).collect()
}

/// The `_index.md` of a section when it is the section's own, not one borrowed
/// from the default language by a translation that has none.
fn own_source<'a>(site: &Site, section: &'a Section) -> Option<&'a SourceFile> {
    let default_language = site.languages[0].as_str();
    section
        .source
        .as_ref()
        .filter(|f| f.lang.as_deref().unwrap_or(default_language) == section.lang)
}

/// An `@/page.md#anchor` whose page has no heading with that id is an error.
/// `pages` and `sections` hold the rendered Markdown of `site.pages` and
/// `site.sections`, in the same order.
pub(crate) fn check_anchors(
    site: &Site,
    pages: &[Arc<Rendered>],
    sections: &[Arc<Rendered>],
) -> Vec<Diagnostic> {
    // Only the pages some link names with an anchor need their heading ids.
    let anchored = pages.iter().chain(sections).flat_map(|r| &r.links);
    let wanted: FxHashSet<&str> = anchored
        .filter(|link| link.anchor.is_some())
        .map(|link| link.target.as_str())
        .collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    let mut ids: FxHashMap<&str, Vec<&str>> = FxHashMap::default();
    for (page, rendered) in site.pages.iter().zip(pages) {
        if page.stand_in_for.is_none() && wanted.contains(page.source.rel.as_str()) {
            ids.insert(&page.source.rel, heading_ids(rendered));
        }
    }
    for (section, rendered) in site.sections.iter().zip(sections) {
        if let Some(file) = own_source(site, section) {
            ids.insert(&file.rel, heading_ids(rendered));
        }
    }
    let with_links = |r: &&Arc<Rendered>| !r.links.is_empty();
    let linking = site
        .pages
        .iter()
        .map(|p| Cow::Borrowed(p.source.display.as_path()))
        .zip(pages)
        .chain(
            site.sections
                .iter()
                .map(|s| Cow::Owned(s.source_display()))
                .zip(sections),
        )
        .filter(|(_, rendered)| with_links(rendered));
    let mut diags = Vec::new();
    for (file, rendered) in linking {
        for link in &rendered.links {
            let Some(anchor) = &link.anchor else { continue };
            let Some(known) = ids.get(link.target.as_str()) else {
                continue;
            };
            if known.contains(&anchor.as_str()) {
                continue;
            }
            let hint = match closest(anchor, known) {
                Some(best) => format!("did you mean `#{best}`?"),
                None if known.is_empty() => "that page has no headings".to_string(),
                None => format!(
                    "the headings of that page have the ids: {}",
                    known.join(", ")
                ),
            };
            diags.push(
                Diagnostic::error(format!(
                    "link to a heading that does not exist: @/{}#{anchor}",
                    link.target
                ))
                .in_file(file.as_ref())
                .at(link.line, link.col)
                .with_hint(hint),
            );
        }
    }
    diags
}
