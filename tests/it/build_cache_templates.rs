//! The render cache after template edits and article counts: a rebuild renders again
//! exactly the pages whose template reaches the edited file, or that can show a
//! changed count, and still gives the files of a clean build.

use crate::common;

use std::path::PathBuf;

use common::saves::{self, files};
use common::Site;
use helpsite::incremental::Incremental;
use helpsite::pipeline::{build, BuildOptions, BuildOutput, Changes};

/// The default theme's template `name`, to override it with an edit.
fn theme_template(name: &str) -> String {
    let path = format!(
        "{}/themes/default/templates/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path).unwrap()
}

/// The output files that contain `marker`.
fn files_with(output: &BuildOutput, marker: &str) -> usize {
    let marker = marker.as_bytes();
    files(output)
        .iter()
        .filter(|(_, bytes)| bytes.windows(marker.len()).any(|w| w == marker))
        .count()
}

/// Rebuilds after a template edit and checks it against a clean build; returns it.
fn rebuild_templates(cache: &mut Incremental, options: &BuildOptions) -> BuildOutput {
    let out = cache.rebuild(options, &Changes::Templates);
    assert_eq!(files(&out), files(&build(options)));
    // Sources, model and search index are the last build's (`incremental::template_edit`).
    assert_eq!(out.stats.shortcut, Some("templates"));
    out
}

#[test]
fn a_template_edit_re_renders_only_the_pages_whose_template_reaches_it() {
    let site = Site::fixture("basic");
    let page = theme_template("page.html");
    site.write("templates/page.html", &page);
    let section = theme_template("section.html").replace(
        "{% block content %}",
        "{% block content %}{% include \"partials/note.html\" %}",
    );
    assert!(section.contains("partials/note.html"));
    site.write("templates/section.html", &section);
    site.write("templates/partials/note.html", "<!-- note one -->");
    let options = BuildOptions::new(site.path());
    let mut cache = Incremental::default();
    let first = cache.rebuild(&options, &Changes::Everything);
    assert_eq!(files(&first), files(&build(&options)));

    // The article template: every article, nothing else.
    let edited = page.replace(
        "{% block content %}",
        "{% block content %}<!-- page edit -->",
    );
    site.write("templates/page.html", &edited);
    let out = rebuild_templates(&mut cache, &options);
    let articles = files_with(&out, "<!-- page edit -->");
    assert!(articles > 3, "{articles}");
    assert_eq!(out.stats.rendered, articles);

    // A partial only the section template includes: the sections, not the home page.
    site.write("templates/partials/note.html", "<!-- note two -->");
    let out = rebuild_templates(&mut cache, &options);
    let sections = files_with(&out, "<!-- note two -->");
    assert!(sections > 1, "{sections}");
    assert_eq!(out.stats.rendered, sections);
    assert!(sections + articles < first.stats.rendered);

    // The base every page extends: every page.
    let base = theme_template("base.html").replace("</body>", "<!-- base edit --></body>");
    site.write("templates/base.html", &base);
    let out = rebuild_templates(&mut cache, &options);
    assert_eq!(out.stats.rendered, first.stats.rendered);

    // No change at all: nothing.
    let out = rebuild_templates(&mut cache, &options);
    assert_eq!(out.stats.rendered, 0);
}

#[test]
fn a_theme_string_edit_re_renders_the_pages_that_use_strings() {
    let site = Site::fixture("basic");
    site.write(
        "themes/plain/templates/page.html",
        "<p>{{ strings.title }}</p>",
    );
    for name in ["index.html", "section.html", "404.html", "search.html"] {
        site.write(&format!("themes/plain/templates/{name}"), "<p>x</p>");
    }
    for name in [
        "taxonomy_list.html",
        "taxonomy_single.html",
        "announcements.html",
    ] {
        site.write(&format!("themes/plain/templates/{name}"), "<p>x</p>");
    }
    site.write("themes/plain/i18n/zh.toml", "title = \"一\"\n");
    site.write("themes/plain/i18n/en.toml", "title = \"one\"\n");
    let config = site.read("config.toml");
    site.write("config.toml", &format!("theme = \"plain\"\n{config}"));
    let options = BuildOptions::new(site.path());
    let mut cache = Incremental::default();
    let first = cache.rebuild(&options, &Changes::Everything);
    assert_eq!(files(&first), files(&build(&options)));
    site.write("themes/plain/i18n/en.toml", "title = \"two\"\n");
    let out = rebuild_templates(&mut cache, &options);
    assert!(out.stats.rendered > 0);
    assert!(files_with(&out, "<p>two</p>") > 0);
}

/// Writes a new article and rebuilds; returns the rebuild, checked against a clean build.
fn save(cache: &mut Incremental, options: &BuildOptions, paths: &[PathBuf]) -> BuildOutput {
    let out = saves::save(cache, options, paths);
    assert_eq!(files(&out), files(&build(options)), "after {paths:?}");
    out
}

/// Writes a new billing article and rebuilds (checked against a clean build); returns
/// its file and the rebuild.
fn add_refunds(
    site: &Site,
    cache: &mut Incremental,
    options: &BuildOptions,
) -> (PathBuf, BuildOutput) {
    let added = site.path().join("content/billing/refunds.md");
    site.write(
        "content/billing/refunds.md",
        "+++\ntitle = \"退款\"\n+++\n退款。\n",
    );
    let out = save(cache, options, std::slice::from_ref(&added));
    (added, out)
}

#[test]
fn a_new_or_deleted_article_re_renders_only_the_pages_that_show_the_count() {
    let site = Site::fixture("basic");
    // Articles in another category, whose pages a new billing article must not touch.
    for i in 0..12 {
        let text = format!("+++\ntitle = \"第{i}篇\"\n+++\n正文。\n");
        site.write(&format!("content/guides/advanced/more-{i}.md"), &text);
    }
    let options = BuildOptions::new(site.path());
    let mut cache = Incremental::default();
    let first = cache.rebuild(&options, &Changes::Everything);
    let (added, out) = add_refunds(&site, &mut cache, &options);
    // Its page, the listing, its neighbour (with the English stand-ins of all three),
    // and the pages that print category cards: homes, sections, 404 pages.
    assert!(out.stats.rendered >= 3, "{}", out.stats.rendered);
    assert!(
        out.stats.rendered < first.stats.rendered / 2,
        "{} of {}",
        out.stats.rendered,
        first.stats.rendered
    );
    site.remove("content/billing/refunds.md");
    let out = save(&mut cache, &options, &[added]);
    assert!(out.stats.rendered < first.stats.rendered / 2);
}

#[test]
fn a_template_that_prints_the_counts_is_rendered_again_when_they_change() {
    let site = Site::fixture("basic");
    let page = theme_template("page.html").replace(
        "{% block content %}",
        "{% block content %}{% for c in categories %}<i>{{ c.article_count }}</i>{% endfor %}",
    );
    site.write("templates/page.html", &page);
    let options = BuildOptions::new(site.path());
    let mut cache = Incremental::default();
    cache.rebuild(&options, &Changes::Everything);
    let (added, _) = add_refunds(&site, &mut cache, &options);
    site.remove("content/billing/refunds.md");
    save(&mut cache, &options, &[added]);
}

/// Whether `path` holds the very bytes `before` had: kept, not rendered again.
fn kept(before: &BuildOutput, after: &BuildOutput, path: &str) -> bool {
    use helpsite::output::files::FileContent;
    let bytes = |output: &BuildOutput| {
        let file = output.files.iter().find(|f| f.path == path);
        match file.map(|f| &f.content) {
            Some(FileContent::Shared(bytes)) => Some(bytes.clone()),
            other => panic!("{path}: {other:?}"),
        }
    };
    std::sync::Arc::ptr_eq(&bytes(before).unwrap(), &bytes(after).unwrap())
}

/// A new article in one category, on a site whose section template is `section`:
/// whether the listing of another category was kept.
fn other_listing_kept_after_a_new_article(section: Option<String>) -> bool {
    let site = Site::fixture("basic");
    // Without stand-ins, which the fast path for new articles leaves to the pipeline.
    let config = site.read("config.toml");
    site.write("config.toml", &format!("untranslated = \"hide\"\n{config}"));
    if let Some(section) = section {
        site.write("templates/section.html", &section);
    }
    let options = BuildOptions::new(site.path());
    let mut cache = Incremental::default();
    let first = cache.rebuild(&options, &Changes::Everything);
    let (_, out) = add_refunds(&site, &mut cache, &options);
    assert_eq!(out.stats.shortcut, Some("added or removed"));
    // The category that gained it and the home page's cards show its count.
    assert!(!kept(&first, &out, "billing/index.html"));
    assert!(!kept(&first, &out, "index.html"));
    kept(&first, &out, "guides/index.html")
}

#[test]
fn a_listing_whose_navigation_shows_no_counts_is_kept_when_another_category_gains_an_article() {
    // The default section template prints its subsections' counts, and the
    // navigation's titles and links only.
    assert!(other_listing_kept_after_a_new_article(None));
    // A navigation that prints the counts renders every listing again.
    let counting = theme_template("section.html").replace(
        "{% block content %}",
        "{% block content %}{% for c in categories %}<i>{{ c.article_count }}</i>{% endfor %}",
    );
    assert!(!other_listing_kept_after_a_new_article(Some(counting)));
    // So does one that hands a category to a macro, which may print anything of it.
    let handed = theme_template("section.html").replace(
        "{% block content %}",
        "{% block content %}{% for c in categories %}{{ m::card(cat=c, strings=strings) }}{% endfor %}",
    );
    assert!(!other_listing_kept_after_a_new_article(Some(handed)));
}
