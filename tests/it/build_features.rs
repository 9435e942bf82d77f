//! The foundation's features, checked on the written HTML of the `basic` fixture.

use crate::common;

use common::{attrs, first_text, select, text_of, Site};
use scraper::Selector;

fn built() -> Site {
    let site = Site::fixture("basic");
    site.build().assert_ok();
    site
}

#[test]
fn articles_get_pretty_urls_and_their_page() {
    let site = built();
    let page = site.html("public/guides/withdraw/index.html");
    assert_eq!(first_text(&page, "article h1"), "如何提现");
    assert_eq!(attrs(&page, "html", "lang"), ["zh"]);
    assert!(first_text(&page, "title").contains("如何提现"));
    // Nested section and its article.
    let nested = site.html("public/guides/advanced/api-keys/index.html");
    assert_eq!(first_text(&nested, "article h1"), "API 密钥");
}

/// The category cards of a home page, by the theme's own markup (`macros.html`, `card`).
fn category_cards(home: &scraper::Html) -> Vec<scraper::ElementRef<'_>> {
    select(home, "section.categories ul.card-grid > li.card")
}

/// The card whose title links to `href`.
#[track_caller]
fn card_for<'a>(home: &'a scraper::Html, href: &str) -> scraper::ElementRef<'a> {
    let title = Selector::parse(".card-title a").unwrap();
    let cards = category_cards(home);
    cards
        .iter()
        .copied()
        .find(|card| {
            card.select(&title)
                .any(|a| a.value().attr("href") == Some(href))
        })
        .unwrap_or_else(|| panic!("no category card links to {href}"))
}

fn text_in(element: scraper::ElementRef<'_>, css: &str) -> Vec<String> {
    let selector = Selector::parse(css).unwrap();
    element.select(&selector).map(|e| text_of(&e)).collect()
}

#[test]
fn home_lists_categories_with_counts_and_first_articles() {
    let site = built();
    let home = site.html("public/index.html");
    let titles: Vec<String> = category_cards(&home)
        .into_iter()
        .flat_map(|card| text_in(card, ".card-title"))
        .collect();
    assert!(
        titles.contains(&"使用指南".to_string()) && titles.contains(&"账单".to_string()),
        "{titles:?}"
    );
    let guides = card_for(&home, "/help/guides/");
    // Guides holds 4 published articles, nested ones included; the draft is left out.
    assert_eq!(text_in(guides, ".card-count"), ["4 篇文章"]);
    let first: Vec<String> = {
        let a = Selector::parse(".card-articles a").unwrap();
        guides
            .select(&a)
            .filter_map(|e| e.value().attr("href").map(str::to_string))
            .collect()
    };
    assert!(
        first.contains(&"/help/guides/withdraw/".to_string()),
        "{first:?}"
    );
    let main = text_of(&select(&home, "main")[0]);
    assert!(!main.contains("草稿文章"));
    // The English home counts English articles only.
    let en = site.html("public/en/index.html");
    let count = text_in(card_for(&en, "/help/en/guides/"), ".card-count");
    assert_eq!(count.len(), 1);
    assert!(count[0].ends_with(" articles"), "{count:?}");
}

#[test]
fn article_has_breadcrumbs_toc_dates_and_neighbours() {
    let site = built();
    let page = site.html("public/guides/withdraw/index.html");
    let crumbs = attrs(&page, "nav.breadcrumbs a", "href");
    assert_eq!(crumbs, ["/help/", "/help/guides/"]);
    let toc = attrs(&page, "nav.toc a", "href");
    assert_eq!(toc, ["#提现步骤", "#常见问题", "#常见问题-1"]);
    let ids = attrs(&page, ".content h2", "id");
    assert_eq!(ids, ["提现步骤", "常见问题", "常见问题-1"]);
    assert_eq!(attrs(&page, "article time", "datetime"), ["2026-02-01"]);
    assert_eq!(
        attrs(&page, "a[rel=next]", "href"),
        ["/help/guides/limits/"]
    );
    assert!(attrs(&page, "a[rel=prev]", "href").is_empty());
    let related = attrs(&page, "aside.related a", "href");
    assert!(
        related.contains(&"/help/guides/limits/".to_string()),
        "{related:?}"
    );
    assert!(!related.contains(&"/help/guides/withdraw/".to_string()));
}

#[test]
fn markdown_extensions_render() {
    let site = built();
    let page = site.html("public/guides/withdraw/index.html");
    assert_eq!(select(&page, ".content table").len(), 1);
    assert_eq!(select(&page, ".content input[type=checkbox]").len(), 2);
    assert_eq!(select(&page, ".content del").len(), 1);
    assert_eq!(select(&page, ".content .footnote-definition").len(), 1);
}

#[test]
fn internal_links_resolve_with_anchor_and_sections() {
    let site = built();
    let page = site.html("public/guides/withdraw/index.html");
    // pulldown-cmark percent-encodes the Chinese anchor; browsers decode it to find the id.
    let encoded = "/help/guides/limits/#%E6%AF%8F%E6%97%A5%E9%99%90%E9%A2%9D";
    assert!(attrs(&page, ".content a", "href").contains(&encoded.to_string()));
    let fees = site.html("public/billing/fees/index.html");
    let hrefs = attrs(&fees, ".content a", "href");
    assert_eq!(hrefs, ["/help/", "/help/guides/"]);
    let en = site.html("public/en/guides/withdraw/index.html");
    assert!(attrs(&en, ".content a", "href")
        .contains(&"/help/en/guides/limits/#daily-limit".to_string()));
}

#[test]
fn translations_live_under_their_language() {
    let site = built();
    let en = site.html("public/en/guides/withdraw/index.html");
    assert_eq!(attrs(&en, "html", "lang"), ["en"]);
    assert_eq!(first_text(&en, "article h1"), "How to withdraw");
    let en_home = site.html("public/en/index.html");
    let main = text_of(&select(&en_home, "main")[0]);
    assert!(main.contains("Guides"), "{main}");
    // English listings hold English articles only.
    assert!(!main.contains("如何提现"), "{main}");
    // api-keys has no translation: English readers get it under a notice.
    let stand_in = site.html("public/en/guides/advanced/api-keys/index.html");
    assert_eq!(select(&stand_in, ".untranslated-notice").len(), 1);
}

#[test]
fn bundle_assets_sit_beside_each_language_page() {
    let site = built();
    assert!(site.exists("public/guides/photo-guide/sample.svg"));
    assert!(site.exists("public/en/guides/photo-guide/sample.svg"));
    let page = site.html("public/guides/photo-guide/index.html");
    assert_eq!(attrs(&page, ".content img", "src"), ["sample.svg"]);
}

/// The `base_url` of the site's config.toml.
fn base_url(site: &Site) -> String {
    let config: toml::Table = toml::from_str(&site.read("config.toml")).unwrap();
    config["base_url"].as_str().unwrap().to_string()
}

/// URLs in a `srcset`: the first word of each comma-separated candidate.
fn srcset_urls(value: &str) -> Vec<String> {
    value
        .split(',')
        .filter_map(|candidate| candidate.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

/// Every URL-bearing attribute of every element: `(attribute, url)`.
fn urls_in(document: &scraper::Html) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for node in document.tree.nodes() {
        let Some(element) = node.value().as_element() else {
            continue;
        };
        for (name, value) in element.attrs() {
            match name {
                "href" | "src" | "action" | "poster" | "formaction" => {
                    found.push((name.to_string(), value.to_string()))
                }
                "srcset" => found.extend(srcset_urls(value).into_iter().map(|u| (name.into(), u))),
                "content" if element.attr("http-equiv") == Some("refresh") => {
                    let url = value.split_once("url=").map_or("", |(_, u)| u);
                    found.push(("refresh".into(), url.to_string()));
                }
                // The theme's scripts find the search data and pages through these.
                _ if name.starts_with("data-") && value.starts_with('/') => {
                    found.push((name.to_string(), value.to_string()))
                }
                _ => {}
            }
        }
    }
    found
}

/// Walks every .html and .xml file of public/: every root-relative URL is under the
/// base path, every absolute URL to the site is under `base_url`, and the absolute
/// links that must be there (canonical, og:url, hreflang, feed ids and links,
/// sitemap entries) are.
fn assert_every_url_under_the_base(site: &Site) {
    let base = base_url(site);
    let path = format!(
        "/{}",
        base.split("://").nth(1).unwrap().split_once('/').unwrap().1
    );
    let origin = base.strip_suffix(&path[1..]).unwrap().to_string();
    assert!(path.len() > 1, "the fixture must use a sub-path: {base}");
    let public = site.path().join("public");
    let mut checked = std::collections::BTreeMap::<&str, usize>::new();
    let mut alternates_seen = 0;
    for entry in walkdir::WalkDir::new(&public)
        .into_iter()
        .filter_map(Result::ok)
    {
        let file = entry.path();
        let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !entry.file_type().is_file() || !["html", "xml"].contains(&ext) {
            continue;
        }
        let rel = file.strip_prefix(&public).unwrap().display().to_string();
        let text = std::fs::read_to_string(file).unwrap();
        let lang = if rel.starts_with("en/") { "en" } else { "zh" };
        *checked.entry(lang).or_default() += 1;

        // Any mention of the site's origin, in attributes, JSON-LD or XML text.
        for (at, _) in text.match_indices(&origin) {
            let rest = &text[at..];
            assert!(
                rest.starts_with(&base),
                "{rel}: {} is not under {base}",
                &rest[..rest.len().min(80)]
            );
        }
        let document = scraper::Html::parse_document(&text);
        let mut urls = urls_in(&document);
        // A feed carries each entry's HTML escaped as text: its links count too.
        for content in select(&document, "content[type=html]") {
            let inner = content.text().collect::<String>();
            urls.extend(urls_in(&scraper::Html::parse_fragment(&inner)));
        }
        for (attr, url) in &urls {
            if url.starts_with('/') && !url.starts_with("//") {
                assert!(
                    url.starts_with(&path),
                    "{rel}: {attr}={url} ignores the base path {path}"
                );
            }
            if url.starts_with("http") && url.contains("://") {
                let host_of = |u: &str| u.split('/').nth(2).map(str::to_string);
                if host_of(url) == host_of(&base) {
                    assert!(
                        url.starts_with(&base),
                        "{rel}: {attr}={url} is not under {base}"
                    );
                }
            }
        }

        // The absolute links each kind of file must carry.
        let absolute = |css: &str, attr: &str| -> Vec<String> { attrs(&document, css, attr) };
        let is_redirect = !select(&document, "meta[http-equiv=refresh]").is_empty();
        // Pages kept out of search engines (404, search) need no canonical address.
        let noindex = attrs(&document, "meta[name=robots]", "content")
            .iter()
            .any(|c| c.contains("noindex"));
        if ext == "html" && !noindex {
            let canonical = absolute("link[rel=canonical]", "href");
            assert_eq!(canonical.len(), 1, "{rel}: canonical");
            assert!(canonical[0].starts_with(&base), "{rel}: {canonical:?}");
            if !is_redirect {
                let og = absolute("meta[property='og:url']", "content");
                assert_eq!(og.len(), 1, "{rel}: og:url");
                assert!(og[0].starts_with(&base), "{rel}: {og:?}");
                let alternates = absolute("link[rel=alternate][hreflang]", "href");
                // Only pages written in both languages have alternates.
                alternates_seen += alternates.len();
                for href in alternates {
                    assert!(href.starts_with(&base), "{rel}: hreflang {href}");
                }
                for feed in absolute("link[rel=alternate][type='application/atom+xml']", "href") {
                    assert!(feed.starts_with(&path), "{rel}: feed link {feed}");
                }
            }
        }
        if rel.ends_with("atom.xml") {
            let ids: Vec<String> = select(&document, "id").iter().map(text_of).collect();
            assert!(ids.len() > 1, "{rel}: {ids:?}");
            for id in ids.iter().chain(&absolute("link", "href")) {
                assert!(id.starts_with(&base), "{rel}: {id}");
            }
        }
        if rel == "sitemap.xml" {
            let locs: Vec<String> = select(&document, "loc").iter().map(text_of).collect();
            assert!(!locs.is_empty());
            for loc in locs.iter().chain(&absolute("[hreflang]", "href")) {
                assert!(loc.starts_with(&base), "sitemap: {loc}");
            }
        }
    }
    assert!(
        alternates_seen > 4,
        "hreflang alternates: {alternates_seen}"
    );
    assert!(checked.get("zh").copied().unwrap_or(0) > 5, "{checked:?}");
    assert!(checked.get("en").copied().unwrap_or(0) > 5, "{checked:?}");
}

#[test]
fn every_url_honours_the_base_path() {
    let site = built();
    assert_eq!(base_url(&site), "https://example.com/help/");
    assert_every_url_under_the_base(&site);
    let sitemap = site.read("public/sitemap.xml");
    let locs: Vec<&str> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|s| s.split("</loc>").next().unwrap())
        .collect();
    // 8 articles (stand-ins for missing translations are left out) and 8 sections
    // (the English tree holds billing and advanced, for their stand-ins).
    assert_eq!(locs.len(), 16, "8 pages and 8 sections: {locs:?}");
    assert!(
        locs.iter()
            .all(|l| l.starts_with("https://example.com/help/")),
        "{locs:?}"
    );
    assert!(locs.contains(&"https://example.com/help/en/guides/withdraw/"));
    assert!(site
        .read("public/robots.txt")
        .contains("Sitemap: https://example.com/help/sitemap.xml"));
}

#[test]
fn feeds_and_announcements_honour_the_base_path_too() {
    // The site-features fixture has announcements (and so Atom feeds), served here
    // under a sub-path, with an announcement that links to an article and an image.
    let site = Site::fixture("site-features");
    let config = site.read("config.toml").replace(
        "https://help.example.com/",
        "https://example.com/docs/help/",
    );
    assert!(config.contains("https://example.com/docs/help/"));
    site.write("config.toml", &config);
    site.write(
        "content/announcements/linked.md",
        "+++\ntitle = \"Linked\"\nstarts = 2030-01-02T09:00:00+08:00\nseverity = \"info\"\n+++\n\nSee [how to withdraw](@/guides/withdraw.md) ![map](map.png).\n",
    );
    // Pictures must exist (a missing one is an error).
    site.write_bytes("content/announcements/map.png", b"png");
    site.build().assert_ok();
    assert!(site.exists("public/atom.xml") && site.exists("public/en/atom.xml"));
    assert!(site
        .read("public/atom.xml")
        .contains("/docs/help/guides/withdraw/"));
    assert_every_url_under_the_base(&site);
}

#[test]
fn aliases_redirect_to_the_page() {
    let site = built();
    let redirect = site.html("public/old/withdraw/index.html");
    let refresh = attrs(&redirect, "meta[http-equiv=refresh]", "content");
    assert_eq!(refresh, ["0; url=/help/guides/withdraw/"]);
    assert_eq!(
        attrs(&redirect, "link[rel=canonical]", "href"),
        ["https://example.com/help/guides/withdraw/"]
    );
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = built();
    assert!(!site.exists("public/guides/draft-notes/index.html"));
    assert!(!site.read("public/sitemap.xml").contains("draft-notes"));
    site.run(&["build", "--drafts"]).assert_ok();
    assert!(site.exists("public/guides/draft-notes/index.html"));
}

#[test]
fn site_templates_and_static_override_the_theme_file_by_file() {
    let site = Site::fixture("basic");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<p class=\"custom\">{{ page.title }}</p>{% endblock content %}",
    );
    site.write("static/style.css", "body { color: red }\n");
    site.build().assert_ok();
    let page = site.html("public/guides/withdraw/index.html");
    assert_eq!(first_text(&page, "p.custom"), "如何提现");
    // base.html still comes from the theme.
    assert_eq!(select(&page, "a.skip-link").len(), 1);
    assert_eq!(site.read("public/style.css"), "body { color: red }\n");
    let css = attrs(&page, "link[rel=stylesheet]", "href");
    assert!(css[0].starts_with("/help/style.css?h="), "{css:?}");
}

#[test]
fn the_404_page_and_theme_options_are_written() {
    let site = built();
    let page = site.html("public/404.html");
    assert_eq!(select(&page, "h1").len(), 1);
    let footer = attrs(&page, "footer a", "href");
    assert!(
        footer.contains(&"https://status.example.com/".to_string()),
        "{footer:?}"
    );
    assert!(site.read("public/index.html").contains("#224488"));
}

#[test]
fn the_summary_stops_at_the_more_marker() {
    let site = built();
    let section = site.html("public/guides/index.html");
    let text = text_of(&select(&section, "main")[0]);
    assert!(text.contains("每天最多五万元"), "{text}");
    assert!(!text.contains("每笔最多一万元"), "{text}");
}

#[test]
fn check_validates_without_writing() {
    let site = Site::fixture("basic");
    let run = site.run(&["check"]);
    run.assert_ok();
    assert!(!site.exists("public"));
}

#[test]
fn demo_site_builds_cleanly_with_enough_content() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    let run = common::run_in(
        &common::repo_root(),
        &["build", "-o", target.to_str().unwrap()],
    );
    run.assert_ok();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    // Every written page, parsed; English lives under en/, Chinese everywhere else.
    let mut articles = std::collections::BTreeMap::<&str, Vec<String>>::new();
    for entry in walkdir::WalkDir::new(&target)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.file_name() != "index.html" {
            continue;
        }
        let rel = entry.path().strip_prefix(&target).unwrap();
        let lang = if rel.starts_with("en") { "en" } else { "zh" };
        let page = scraper::Html::parse_document(&std::fs::read_to_string(entry.path()).unwrap());
        // An article page is the theme's `article.article` (page.html); section pages,
        // the home and alias redirects have none. Stand-ins for a missing translation
        // carry the notice and do not count as written in that language.
        if select(&page, "main article.article").len() != 1
            || !select(&page, ".untranslated-notice").is_empty()
        {
            continue;
        }
        assert_eq!(attrs(&page, "html", "lang"), [lang], "{}", rel.display());
        articles
            .entry(lang)
            .or_default()
            .push(rel.display().to_string());
    }
    for lang in ["zh", "en"] {
        let found = articles.get(lang).map_or(0, Vec::len);
        assert!(
            found >= 30,
            "only {found} {lang} article pages: {:?}",
            articles.get(lang)
        );
    }
    for home in ["index.html", "en/index.html"] {
        let page =
            scraper::Html::parse_document(&std::fs::read_to_string(target.join(home)).unwrap());
        let cards = category_cards(&page);
        assert!(cards.len() >= 6, "{home}: {} category cards", cards.len());
        for card in cards {
            assert_eq!(text_in(card, ".card-title a").len(), 1, "{home}");
            assert_eq!(text_in(card, ".card-count").len(), 1, "{home}");
        }
    }
}

#[test]
fn a_broken_section_index_is_reported_once_without_follow_on_errors() {
    let site = Site::fixture("basic");
    // fees.md links to @/guides/_index.md; the folder keeps its articles.
    site.write("content/guides/_index.md", "+++\ntitle = \n+++\n");
    let run = site.run(&["check"]);
    run.assert_code(1);
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0].1.starts_with("content/guides/_index.md:2"),
        "{errors:?}"
    );
    assert!(!run.stderr.contains("no _index.md"), "{}", run.stderr);
}

#[test]
fn script_urls_in_links_are_refused_unless_raw_html_is_on() {
    let site = Site::fixture("basic");
    site.write(
        "content/billing/bad-link.md",
        "+++\ntitle = \"x\"\n+++\n\n[pay](javascript:alert(1))\n",
    );
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert_eq!(run.errors()[0].1, "content/billing/bad-link.md:5:1");
    let config = site.read("config.toml") + "\n[markdown]\nraw_html = true\n";
    site.write("config.toml", &config);
    site.run(&["check"]).assert_ok();
}

/// Each rendering thread keeps one Tera context from page to page
/// (`render::kept_context`): a page must still see its own language's strings and
/// none of the variables of the page rendered before it on that thread.
#[test]
fn each_page_sees_its_own_variables_though_threads_keep_one_context() {
    let site = Site::fixture("basic");
    // Enough articles, in both languages, that each thread renders sections and
    // articles of both one after the other.
    for n in 0..40 {
        let body = format!("+++\ntitle = \"Article {n}\"\n+++\n\nText {n}.\n");
        site.write(&format!("content/billing/extra-{n}.md"), &body);
        site.write(&format!("content/billing/extra-{n}.en.md"), &body);
    }
    let marks = "lang={{ lang }} strings={{ strings.search_label }} \
        page={% if page is defined %}yes{% else %}no{% endif %} \
        section={% if section is defined %}yes{% else %}no{% endif %}";
    site.write("templates/page.html", &format!("PAGE {marks}\n"));
    site.write("templates/section.html", &format!("SECTION {marks}\n"));
    site.build().assert_ok();

    let labels = [("zh", "搜索帮助中心"), ("en", "Search the help center")];
    let mut seen = 0;
    for (path, _) in site.snapshot("public") {
        let text = site.read(&format!("public/{}", path.display()));
        let (kind, own, other) = match text.split_whitespace().next() {
            Some("PAGE") => ("page", "page=yes", "section=no"),
            Some("SECTION") => ("section", "section=yes", "page=no"),
            _ => continue,
        };
        let lang = if text.contains("lang=en") { "en" } else { "zh" };
        let label = labels.iter().find(|(code, _)| *code == lang).unwrap().1;
        let strings = format!("strings={label} ");
        assert!(
            text.contains(own) && text.contains(other) && text.contains(&strings),
            "{} ({kind} in {lang}) saw another page's variables: {text}",
            path.display()
        );
        seen += 1;
    }
    assert!(seen > 80, "only {seen} pages and sections were checked");
}
