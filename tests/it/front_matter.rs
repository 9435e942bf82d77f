//! Front matter as other tools write it: YAML between `---` lines (the same keys and
//! meaning as TOML, errors at their line and column), blank lines or a BOM before the
//! fence, a Zola content folder with every key Zola knows, and tags the Zola way.

use crate::common;

use common::{first_text, select, snapshot, text_of, Site};

/// The `(message, file:line:col)` pairs of a build's errors.
fn errors_of(site: &Site) -> Vec<(String, String)> {
    let run = site.build();
    run.assert_code(1);
    run.errors()
}

fn site_with(article: &str) -> Site {
    let site = Site::empty();
    site.write(
        "config.toml",
        "base_url = \"https://example.com/\"\ntitle = \"T\"\ndefault_language = \"en\"\n",
    )
    .write("content/_index.md", "---\ntitle: Home\n---\n")
    .write("content/guides/_index.md", "---\ntitle: Guides\n---\n")
    .write("content/guides/a.md", article);
    site
}

#[test]
fn a_yaml_twin_of_a_toml_site_builds_the_same_files() {
    let toml = Site::fixture("front-matter-toml");
    let yaml = Site::fixture("front-matter-yaml");
    toml.build().assert_ok();
    let run = yaml.build();
    run.assert_ok();
    assert!(run.warnings().is_empty(), "{}", run.stderr);
    let (a, b) = (toml.snapshot("public"), yaml.snapshot("public"));
    let paths = |files: &[(std::path::PathBuf, Vec<u8>)]| -> Vec<String> {
        files.iter().map(|(p, _)| p.display().to_string()).collect()
    };
    assert_eq!(paths(&a), paths(&b));
    for ((path, left), (_, right)) in a.iter().zip(&b) {
        assert!(
            left == right,
            "{} differs between the TOML and the YAML site",
            path.display()
        );
    }
    // What the front matter says shows in the output (so the comparison compares something).
    for path in [
        "billing/refund/index.html",
        "old/refunds/index.html",
        "tags/invoices/index.html",
        "audience/owners/index.html",
        "fr/tags/factures/index.html",
        "contact/phone-line/index.html",
    ] {
        assert!(yaml.exists(&format!("public/{path}")), "{path}");
    }
    assert!(!yaml.exists("public/billing/draft-plan/index.html"));
    let refund = yaml.html("public/billing/refund/index.html");
    assert_eq!(
        first_text(&refund, "meta[name=description]").as_str(),
        "",
        "a meta element has no text"
    );
    assert!(yaml
        .read("public/billing/refund/index.html")
        .contains("content=\"When a refund is possible, and how long it takes\""));
}

#[test]
fn blank_lines_and_a_bom_before_the_fence_are_accepted_in_both_formats() {
    for text in [
        "\n\n+++\ntitle = \"A\"\n+++\nBody\n",
        "\u{feff}\n---\ntitle: A\n---\nBody\n",
        "  \n---\ntitle: A\n---\nBody\n",
    ] {
        let site = site_with(text);
        site.build().assert_ok();
        assert_eq!(
            first_text(&site.html("public/guides/a/index.html"), "article h1"),
            "A"
        );
    }
}

#[test]
fn yaml_errors_name_the_line_and_column_in_the_file() {
    let cases: [(&str, (&str, &str)); 6] = [
        (
            "\n---\ntitle: A\nweight: \"3\"\n---\n",
            (
                "expected a whole number, found the text \"3\"",
                "content/guides/a.md:4:9",
            ),
        ),
        (
            "---\ntitle: A\ntitel: B\n---\n",
            ("unknown key `titel`", "content/guides/a.md:3:1"),
        ),
        (
            "---\ntitle: A\ndate: yesterday\n---\n",
            (
                "`date` must be a date, found \"yesterday\"",
                "content/guides/a.md:3:7",
            ),
        ),
        (
            "---\ntitle: A\ntags: [one\n---\n",
            (
                "YAML: while parsing a flow sequence, expected ',' or ']'",
                "content/guides/a.md:4:1",
            ),
        ),
        (
            "---\ntitle: A\naliases: [\"../../etc\"]\n---\n",
            (
                "alias \"../../etc\" is not a safe path inside the site",
                "content/guides/a.md:3:11",
            ),
        ),
        (
            "---\ntitle: A\ntaxonomies:\n  tag: [x]\n---\n",
            ("unknown taxonomy `tag`", "content/guides/a.md:4:3"),
        ),
    ];
    for (text, (message, location)) in cases {
        let errors = errors_of(&site_with(text));
        assert_eq!(
            errors,
            [(message.to_string(), location.to_string())],
            "{text}"
        );
    }
}

#[test]
fn unknown_keys_stay_errors_with_a_hint_in_both_formats() {
    for text in [
        "+++\ntitle = \"A\"\nwieght = 2\n+++\n",
        "---\ntitle: A\nwieght: 2\n---\n",
    ] {
        let site = site_with(text);
        let run = site.build();
        run.assert_code(1);
        assert_eq!(
            run.errors(),
            [(
                "unknown key `wieght`".to_string(),
                "content/guides/a.md:3:1".to_string()
            )]
        );
        assert!(
            run.stderr.contains("hint: did you mean `weight`?"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn a_yaml_file_that_is_not_keys_and_values_is_an_error() {
    let errors = errors_of(&site_with("---\n- a\n- b\n---\n"));
    assert_eq!(
        errors,
        [(
            "front matter must be keys with values (`title: ...`)".to_string(),
            "content/guides/a.md:2:1".to_string()
        )]
    );
    let errors = errors_of(&site_with("---\ntitle: A\n"));
    assert_eq!(
        errors,
        [(
            "front matter is never closed".to_string(),
            "content/guides/a.md:1:1".to_string()
        )]
    );
}

/// A Zola content folder, every Zola key in it, builds with warnings that name each
/// key that helpsite does not use, at the key.
#[test]
fn a_zola_folder_builds_with_a_warning_per_unused_key() {
    let site = Site::fixture("zola-folder");
    let run = site.build();
    run.assert_ok();
    let warning = |key: &str, instead: &str, at: &str| {
        (
            format!("`{key}` is a Zola key helpsite does not use: {instead}"),
            at.to_string(),
        )
    };
    let pages = "a section lists all its articles on one page";
    let anchors = "every heading already gets an anchor link";
    let render = "every article and section gets its page; a draft is left out of the site";
    let search = "every published article is in the search index; a draft is left out of the site";
    let mut expected = vec![
        warning("paginate_by", pages, "content/_index.md:6:1"),
        warning("paginate_by", pages, "content/docs/_index.md:9:1"),
        warning("paginate_path", pages, "content/docs/_index.md:10:1"),
        warning("paginate_reversed", pages, "content/docs/_index.md:11:1"),
        warning("insert_anchor_links", anchors, "content/docs/_index.md:12:1"),
        warning("render", render, "content/docs/_index.md:13:1"),
        warning("in_search_index", search, "content/docs/_index.md:14:1"),
        warning(
            "transparent",
            "a section lists its own articles, and its subsections are shown as cards",
            "content/docs/_index.md:15:1",
        ),
        warning(
            "generate_feeds",
            "helpsite writes one Atom feed per language, of its announcements",
            "content/docs/_index.md:17:1",
        ),
        warning(
            "insert_anchor_links",
            anchors,
            "content/docs/getting-started/_index.md:6:1",
        ),
        warning(
            "path",
            "an article's address is its folder and file name (or `slug`); keep an old address working with `aliases`",
            "content/docs/getting-started/first-note.md:10:1",
        ),
        warning(
            "authors",
            "helpsite shows no authors; put them under `extra` for your own templates",
            "content/docs/getting-started/first-note.md:12:1",
        ),
        warning(
            "in_search_index",
            search,
            "content/docs/getting-started/first-note.md:13:1",
        ),
        warning(
            "render",
            render,
            "content/docs/getting-started/first-note.md:15:1",
        ),
    ];
    let mut found = run.warnings();
    found.sort();
    expected.sort();
    assert_eq!(found, expected);
    // The pages are where Zola would put them, aliases included.
    for path in [
        "docs/getting-started/first-note/index.html",
        "docs/quickstart/index.html",
        "documentation/index.html",
        "tags/basics/index.html",
        "categories/tutorials/index.html",
    ] {
        assert!(site.exists(&format!("public/{path}")), "{path}");
    }
}

#[test]
fn redirect_to_on_a_section_writes_a_redirect_in_its_place() {
    let site = Site::fixture("zola-folder");
    site.build().assert_ok();
    let page = site.read("public/old-docs/index.html");
    assert!(
        page.contains("<meta http-equiv=\"refresh\" content=\"0; url=/docs/getting-started/\">"),
        "{page}"
    );
    assert!(page.contains(
        "<link rel=\"canonical\" href=\"https://docs.example.net/docs/getting-started/\">"
    ));
    let sitemap = site.read("public/sitemap.xml");
    assert!(!sitemap.contains("old-docs"), "{sitemap}");
    // A web address is followed as it is; anything else is an error at its place.
    let site = site_with("---\ntitle: A\n---\n");
    site.write(
        "content/moved/_index.md",
        "+++\ntitle = \"Moved\"\nredirect_to = \"https://elsewhere.example/help/\"\n+++\n",
    );
    site.build().assert_ok();
    assert!(site
        .read("public/moved/index.html")
        .contains("url=https://elsewhere.example/help/"));
    site.write(
        "content/moved/_index.md",
        "+++\ntitle = \"Moved\"\nredirect_to = \"../up\"\n+++\n",
    );
    assert_eq!(
        errors_of(&site),
        [(
            "`redirect_to` \"../up\" is neither a web address nor a path inside the site"
                .to_string(),
            "content/moved/_index.md:3:15".to_string()
        )]
    );
}

#[test]
fn zola_sort_by_values_order_the_articles() {
    let site = Site::fixture("zola-folder");
    site.build().assert_ok();
    // update_date: the most recently updated first.
    let section = site.html("public/docs/getting-started/index.html");
    let titles: Vec<String> = select(&section, ".article-list-title")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(titles, ["Your first note", "Syncing between devices"]);
}

#[test]
fn tags_get_a_page_per_term_and_language_and_an_index() {
    let site = Site::fixture("front-matter-toml");
    site.build().assert_ok();
    // "Invoices" and "invoices" are one term; its name is as the first article in
    // the site's order (invoices.md) writes it.
    let term = site.html("public/tags/invoices/index.html");
    assert_eq!(first_text(&term, "h1"), "Tags: invoices");
    let listed: Vec<String> = select(&term, ".article-list-title")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(listed, ["Downloading an invoice", "Getting a refund"]);
    let index = site.html("public/tags/index.html");
    let terms: Vec<String> = select(&index, ".term-index li")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(terms, ["invoices 2 articles", "Refunds 1 article"]);
    // Other languages under their prefix, with their own terms only.
    let fr = site.html("public/fr/tags/index.html");
    let terms: Vec<String> = select(&fr, ".term-index li a")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(terms, ["factures"]);
    // The article lists its terms, each linking to its page.
    let article = site.html("public/billing/refund/index.html");
    let links: Vec<(String, String)> = select(&article, ".article-terms a.term")
        .iter()
        .map(|a| (text_of(a), a.value().attr("href").unwrap_or("").to_string()))
        .collect();
    assert_eq!(
        links,
        [
            ("Refunds".to_string(), "/tags/refunds/".to_string()),
            ("invoices".to_string(), "/tags/invoices/".to_string()),
            ("owners".to_string(), "/audience/owners/".to_string()),
        ]
    );
    let titles: Vec<String> = select(&article, ".article-terms-title")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(titles, ["Tags", "Audience"]);
}

#[test]
fn the_sitemap_lists_every_taxonomy_page_with_its_latest_article_date() {
    let site = Site::fixture("front-matter-toml");
    site.build().assert_ok();
    let sitemap = site.read("public/sitemap.xml");
    let entry = |loc: &str| -> String {
        let start = sitemap
            .find(&format!("<loc>https://help.example.org/{loc}</loc>"))
            .unwrap_or_else(|| panic!("{loc} is not in the sitemap:\n{sitemap}"));
        let end = start + sitemap[start..].find("</url>").unwrap();
        sitemap[start..end].to_string()
    };
    for loc in [
        "tags/",
        "audience/",
        "audience/owners/",
        "fr/tags/",
        "fr/tags/factures/",
    ] {
        entry(loc);
    }
    // invoices.md (2025-03-01) and refunds.md (updated 2025-06-30): the later one.
    assert!(
        entry("tags/invoices/").contains("<lastmod>2025-06-30</lastmod>"),
        "{}",
        entry("tags/invoices/")
    );
    assert!(!entry("tags/").contains("<lastmod>"));
}

#[test]
fn tag_names_are_found_by_search() {
    let with_tag = "---\ntitle: A\ntags: [zephyrine]\n---\nNothing else here.\n";
    let without = "---\ntitle: A\n---\nNothing else here.\n";
    let index_of = |text: &str| {
        let site = site_with(text);
        site.build().assert_ok();
        snapshot(&site.path().join("public/search"))
            .into_iter()
            .map(|(_, bytes)| String::from_utf8_lossy(&bytes).into_owned())
            .collect::<String>()
    };
    assert!(index_of(with_tag).contains("zephyrin"));
    assert!(!index_of(without).contains("zephyrin"));
}

#[test]
fn a_content_folder_where_tag_pages_go_is_an_error() {
    let site = site_with("---\ntitle: A\ntags: [x]\n---\n");
    site.write("content/tags/_index.md", "+++\ntitle = \"Tags\"\n+++\n");
    let run = site.build();
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("error: /tags/ is where the pages of the taxonomy `tags` are written"),
        "{}",
        run.stderr
    );
}
