//! The foundation's features, checked on the written HTML of the `basic` fixture.

mod common;

use common::{attrs, first_text, select, text_of, Site};

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

#[test]
fn home_lists_categories_with_counts_and_first_articles() {
    let site = built();
    let home = site.html("public/index.html");
    let main = text_of(&select(&home, "main")[0]);
    assert!(main.contains("使用指南") && main.contains("账单"), "{main}");
    let links = attrs(&home, "main a", "href");
    // Guides holds 4 published articles, nested ones included; the draft is left out.
    assert!(main.contains('4'), "article count missing: {main}");
    assert!(links.contains(&"/help/guides/".to_string()), "{links:?}");
    assert!(
        links.contains(&"/help/guides/withdraw/".to_string()),
        "{links:?}"
    );
    assert!(!main.contains("草稿文章"));
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

#[test]
fn every_url_honours_the_base_path() {
    let site = built();
    for rel in [
        "public/index.html",
        "public/guides/index.html",
        "public/guides/withdraw/index.html",
        "public/404.html",
    ] {
        let page = site.html(rel);
        for attr in ["href", "src"] {
            for url in attrs(&page, &format!("[{attr}]"), attr) {
                if url.starts_with('/') {
                    assert!(
                        url.starts_with("/help/"),
                        "{rel}: {url} ignores the base path"
                    );
                }
            }
        }
    }
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
    let count = |prefix: &str| {
        walkdir::WalkDir::new(target.join(prefix))
            .min_depth(2)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_name() == "index.html")
            .count()
    };
    let en_articles = count("en");
    assert!(en_articles >= 30, "only {en_articles} English articles");
    let home =
        scraper::Html::parse_document(&std::fs::read_to_string(target.join("index.html")).unwrap());
    assert!(select(&home, "main a[href$='/']").len() >= 6);
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
