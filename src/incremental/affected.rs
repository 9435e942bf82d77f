//! Which pages can show a change to articles edited in place (`article_edit`).
//!
//! Other pages see an article only through its summary, its place in its section
//! and the terms it is filed under, so these are the pages to check:
//! - the edited articles and their stand-ins;
//! - in their section, the articles whose related list or previous/next shows them,
//!   and when its order changed, those whose neighbours are other articles now;
//! - the articles filed under a term whose articles or name changed (they show its
//!   count);
//! - every section, the 404 and search pages and the taxonomy pages (a few dozen,
//!   which `render::jobs::render_again` checks on its own).

use std::collections::{BTreeSet, HashMap};

use crate::features::tags::{self, Taxonomy};
use crate::model::rendered::RenderedSite;
use crate::model::PageId;
use crate::pipeline::LastBuild;
use crate::render::context::{SharedContext, RELATED_ARTICLES};

/// What the site showed before the edit.
pub(super) struct Before {
    pub taxonomies: Vec<Taxonomy>,
    /// Each section's articles in order.
    orders: Vec<Vec<PageId>>,
    /// The clashes of taxonomy pages with other pages, written out.
    pub clashes: String,
}

impl Before {
    pub(super) fn of(last: &LastBuild) -> Self {
        let taxonomies = last.shared.taxonomies().to_vec();
        let clashes = format!("{:?}", tags::clashes(&last.site, &taxonomies));
        Before {
            orders: last.site.sections.iter().map(|s| s.pages.clone()).collect(),
            taxonomies,
            clashes,
        }
    }
}

impl Before {
    /// Gives every page number it holds its `new` number, after pages were added or
    /// taken out (a page taken out gets a number no page has, so that the terms it
    /// was filed under differ).
    /// Makes room for a section made at number `at` (it had no articles).
    pub(super) fn section_inserted(&mut self, at: usize) {
        self.orders.insert(at, Vec::new());
    }

    /// Forgets the section that had number `at`.
    pub(super) fn section_removed(&mut self, at: usize) {
        self.orders.remove(at);
    }

    pub(super) fn renumber(&mut self, new: impl Fn(PageId) -> PageId) {
        let terms = self.taxonomies.iter_mut().flat_map(|t| &mut t.terms);
        let lists = terms.map(|term| &mut term.pages).chain(&mut self.orders);
        for list in lists {
            list.iter_mut().for_each(|p| *p = new(*p));
        }
    }
}

/// The articles whose context can show articles added to or taken from `sections`:
/// the articles of those sections whose neighbours changed (previous, next, related),
/// every version of the articles of `translation_keys` (their language links), the
/// articles filed under a term whose articles changed, and every article of the
/// `languages` that gained or lost a section (each shows the sections).
pub(super) fn pages_around(
    r: &RenderedSite<'_>,
    shared: &SharedContext,
    before: &Before,
    (sections, translation_keys, languages): (
        &BTreeSet<usize>,
        &BTreeSet<String>,
        &BTreeSet<String>,
    ),
) -> Vec<PageId> {
    let mut pages: BTreeSet<PageId> = BTreeSet::new();
    for &section in sections {
        let order = &r.site.sections[section].pages;
        let old = before.orders.get(section).map_or(&[][..], Vec::as_slice);
        pages.extend(neighbours_changed(old, order));
    }
    let in_languages = r.site.pages.iter().enumerate();
    pages.extend(
        in_languages
            .filter(|(_, p)| languages.contains(&p.lang))
            .map(|(id, _)| id),
    );
    for key in translation_keys {
        pages.extend(
            r.site
                .translations
                .get(key)
                .into_iter()
                .flat_map(|v| v.values()),
        );
    }
    let filed = filed_under_changed_terms(&before.taxonomies, shared.taxonomies());
    // Not the number given to the pages taken out.
    pages.extend(filed.into_iter().filter(|&p| p < r.site.pages.len()));
    pages.into_iter().collect()
}

/// The articles whose context can show the change to the `changed` pages.
pub(super) fn pages_to_check(
    r: &RenderedSite<'_>,
    shared: &SharedContext,
    before: &Before,
    changed: &[PageId],
) -> Vec<PageId> {
    let mut pages: BTreeSet<PageId> = changed.iter().copied().collect();
    for &id in changed {
        let section = r.site.pages[id].section;
        let order = &r.site.sections[section].pages;
        if before.orders[section] != *order {
            pages.extend(neighbours_changed(&before.orders[section], order));
        }
        let Some(at) = order.iter().position(|&p| p == id) else {
            continue;
        };
        // A page's related articles are the ones after it, round to the start.
        let len = order.len();
        for back in 1..=RELATED_ARTICLES.min(len) {
            pages.insert(order[(at + len - back) % len]);
        }
        pages.extend(order.get(at + 1));
    }
    pages.extend(filed_under_changed_terms(
        &before.taxonomies,
        shared.taxonomies(),
    ));
    pages.into_iter().collect()
}

/// The articles of a section whose neighbours (previous, next and related
/// articles) differ between its `old` and `new` order, or that are new in it.
fn neighbours_changed(old: &[PageId], new: &[PageId]) -> Vec<PageId> {
    let old_at: HashMap<PageId, usize> = old.iter().enumerate().map(|(at, &p)| (p, at)).collect();
    let pages = new.iter().enumerate();
    pages
        .filter(|&(at, page)| {
            old_at
                .get(page)
                .is_none_or(|&was| neighbours(old, was) != neighbours(new, at))
        })
        .map(|(_, &page)| page)
        .collect()
}

/// What an article's context shows of its section's order (`render::context::page`):
/// the article before it, the one after, and its related articles, those after it
/// round to the start.
fn neighbours(order: &[PageId], at: usize) -> [Option<PageId>; 2 + RELATED_ARTICLES] {
    let mut shown = [None; 2 + RELATED_ARTICLES];
    shown[0] = at.checked_sub(1).map(|i| order[i]);
    shown[1] = order.get(at + 1).copied();
    let related = order[at + 1..].iter().chain(&order[..at]);
    for (slot, &page) in shown[2..].iter_mut().zip(related) {
        *slot = Some(page);
    }
    shown
}

/// The articles filed under a term whose articles or name changed.
fn filed_under_changed_terms(old: &[Taxonomy], new: &[Taxonomy]) -> BTreeSet<PageId> {
    let by_path = |taxonomies: &[Taxonomy]| -> HashMap<String, tags::Term> {
        let terms = taxonomies.iter().flat_map(|t| &t.terms);
        terms
            .map(|t| (t.path.as_str().to_string(), t.clone()))
            .collect()
    };
    let (old, new) = (by_path(old), by_path(new));
    let mut pages = BTreeSet::new();
    for (path, term) in old.iter().chain(&new) {
        if old.get(path) != new.get(path) {
            pages.extend(&term.pages);
        }
    }
    pages
}

/// The files of the taxonomy pages that are gone (a term no article is filed under
/// any more), sorted.
pub(super) fn taxonomy_paths_gone(old: &[Taxonomy], new: &[Taxonomy]) -> Vec<String> {
    let paths = |taxonomies: &[Taxonomy]| -> BTreeSet<String> {
        let lists = taxonomies.iter().map(|t| t.path.output_file());
        let terms = taxonomies.iter().flat_map(|t| &t.terms);
        lists.chain(terms.map(|t| t.path.output_file())).collect()
    };
    let new = paths(new);
    paths(old)
        .into_iter()
        .filter(|p| !new.contains(p))
        .collect()
}
