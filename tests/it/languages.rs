//! A bilingual site: translations linked both ways, per-language listings and
//! strings, and what a language shows for an article it has no translation of.

use crate::common;

use common::{attrs, first_text, select, text_of, Site};

/// The basic fixture (zh default, en translations; `billing/fees` and
/// `guides/advanced/api-keys` have no English) plus an English-only article.
fn bilingual(extra_config: &str) -> Site {
    let site = Site::fixture("basic");
    site.write(
        "content/guides/en-only.en.md",
        "+++\ntitle = \"Only in English\"\ndate = 2026-01-20\n+++\n\n## Why\n\nNot written in Chinese yet.\n",
    );
    let config = site.read("config.toml").replace(
        "[languages.en]\nname = \"English\"",
        &format!("[languages.zh]\nname = \"简体中文\"\n\n[languages.en]\nname = \"English\"\ntitle = \"Fixture Help (EN)\"\n{extra_config}"),
    );
    site.write("config.toml", &config);
    site
}

fn switch_to(page: &scraper::Html, lang: &str) -> String {
    let found = attrs(page, &format!("a.lang-switch[data-lang={lang}]"), "href");
    assert_eq!(found.len(), 1, "one switcher link to {lang}: {found:?}");
    found[0].clone()
}

#[test]
fn the_switcher_links_each_translation_both_ways() {
    let site = bilingual("");
    site.build().assert_ok();
    let zh = site.html("public/guides/withdraw/index.html");
    assert_eq!(switch_to(&zh, "en"), "/help/en/guides/withdraw/");
    assert_eq!(switch_to(&zh, "zh"), "/help/guides/withdraw/");
    let en = site.html("public/en/guides/withdraw/index.html");
    assert_eq!(switch_to(&en, "zh"), "/help/guides/withdraw/");
    let names: Vec<String> = select(&en, "a.lang-switch").iter().map(text_of).collect();
    assert_eq!(names, ["简体中文", "English"]);
    // Sections switch to their translation too.
    let section = site.html("public/en/guides/index.html");
    assert_eq!(switch_to(&section, "zh"), "/help/guides/");
}

#[test]
fn hreflang_alternates_name_every_real_translation() {
    let site = bilingual("");
    site.build().assert_ok();
    let zh = site.html("public/guides/withdraw/index.html");
    let langs = attrs(&zh, "link[rel=alternate][hreflang]", "hreflang");
    assert_eq!(langs, ["en", "zh", "x-default"]);
    let hrefs = attrs(&zh, "link[rel=alternate][hreflang]", "href");
    assert_eq!(hrefs[0], "https://example.com/help/en/guides/withdraw/");
    assert_eq!(hrefs[2], "https://example.com/help/guides/withdraw/");
    // An article with one language has no alternates.
    let fees = site.html("public/billing/fees/index.html");
    assert!(select(&fees, "link[rel=alternate][hreflang]").is_empty());
    assert_eq!(attrs(&zh, "html", "lang"), ["zh"]);
}

#[test]
fn the_sitemap_lists_alternates_and_leaves_stand_ins_out() {
    let site = bilingual("");
    site.build().assert_ok();
    let sitemap = site.read("public/sitemap.xml");
    let entry = |loc: &str| {
        let start = sitemap
            .find(&format!("<loc>{loc}</loc>"))
            .unwrap_or_else(|| panic!("{loc} missing"));
        sitemap[start..].split("</url>").next().unwrap().to_string()
    };
    let withdraw = entry("https://example.com/help/guides/withdraw/");
    assert!(withdraw.contains(r#"<xhtml:link rel="alternate" hreflang="en" href="https://example.com/help/en/guides/withdraw/"/>"#), "{withdraw}");
    assert!(
        withdraw.contains(r#"hreflang="zh" href="https://example.com/help/guides/withdraw/""#),
        "{withdraw}"
    );
    assert!(!sitemap.contains("<loc>https://example.com/help/en/billing/fees/</loc>"));
    assert!(!sitemap.contains("<loc>https://example.com/help/guides/en-only/</loc>"));
    assert!(sitemap.contains("<loc>https://example.com/help/en/guides/en-only/</loc>"));
}

#[test]
fn untranslated_articles_show_the_original_with_a_notice_both_ways() {
    let site = bilingual("");
    site.build().assert_ok();
    // Chinese original shown to English readers.
    let page = site.html("public/en/billing/fees/index.html");
    assert_eq!(attrs(&page, "html", "lang"), ["en"]);
    let notice = select(&page, ".untranslated-notice");
    assert_eq!(notice.len(), 1);
    assert_eq!(
        attrs(&page, ".untranslated-notice a", "href"),
        ["/help/billing/fees/"]
    );
    assert!(
        !select(&page, "[lang=zh] h1").is_empty(),
        "the original's title is marked as Chinese"
    );
    assert_eq!(
        attrs(&page, "link[rel=canonical]", "href"),
        ["https://example.com/help/billing/fees/"]
    );
    let en_billing = site.html("public/en/billing/index.html");
    assert!(attrs(&en_billing, "main a", "href").contains(&"/help/en/billing/fees/".to_string()));
    // English original shown to Chinese readers.
    let page = site.html("public/guides/en-only/index.html");
    assert_eq!(
        attrs(&page, ".untranslated-notice a", "href"),
        ["/help/en/guides/en-only/"]
    );
    assert_eq!(attrs(&page, "html", "lang"), ["zh"]);
    // The real page has no notice.
    let real = site.html("public/en/guides/withdraw/index.html");
    assert!(select(&real, ".untranslated-notice").is_empty());
}

#[test]
fn untranslated_articles_can_be_hidden_instead() {
    let site = bilingual("");
    let config = site.read("config.toml").replacen(
        "default_language",
        "untranslated = \"hide\"\ndefault_language",
        1,
    );
    site.write("config.toml", &config);
    site.build().assert_ok();
    assert!(!site.exists("public/en/billing/fees/index.html"));
    assert!(!site.exists("public/guides/en-only/index.html"));
    let en_home = site.html("public/en/index.html");
    let links = attrs(&en_home, "main a", "href");
    assert!(!links.iter().any(|l| l.contains("billing")), "{links:?}");
    // With nowhere to go in English, the switcher leads to the English home.
    let fees = site.html("public/billing/fees/index.html");
    assert_eq!(switch_to(&fees, "en"), "/help/en/");
}

#[test]
fn listings_and_navigation_stay_within_one_language() {
    let site = bilingual("");
    site.build().assert_ok();
    let en = site.html("public/en/guides/withdraw/index.html");
    let mut hrefs = attrs(&en, "main a", "href");
    hrefs.extend(attrs(&en, "header a", "href"));
    for href in hrefs.iter().filter(|h| h.starts_with("/help/")) {
        let switcher = attrs(&en, "a.lang-switch", "href").contains(href);
        assert!(
            switcher || href.starts_with("/help/en/") || href == "/help/style.css",
            "{href} leaves English"
        );
    }
    assert_eq!(
        first_text(&en, "title"),
        "How to withdraw · Fixture Help (EN)"
    );
    let zh = site.html("public/guides/withdraw/index.html");
    assert!(first_text(&zh, "title").ends_with("Fixture Help"));
}

#[test]
fn theme_strings_and_dates_follow_the_language() {
    let site = bilingual("");
    site.build().assert_ok();
    let zh = site.html("public/guides/withdraw/index.html");
    let en = site.html("public/en/guides/withdraw/index.html");
    assert_ne!(
        first_text(&zh, "a.skip-link"),
        first_text(&en, "a.skip-link")
    );
    assert_eq!(first_text(&en, "a.skip-link"), "Skip to content");
    assert!(
        first_text(&zh, "article time").contains("2026年2月1日"),
        "{}",
        first_text(&zh, "article time")
    );
    assert!(first_text(&en, "article time").contains("January 10, 2026"));
    let en_404 = site.html("public/en/404.html");
    assert_eq!(attrs(&en_404, "html", "lang"), ["en"]);
    let zh_404 = site.html("public/404.html");
    assert_eq!(attrs(&zh_404, "html", "lang"), ["zh"]);
}

#[test]
fn a_language_description_override_is_the_home_page_description() {
    let site = bilingual("description = \"Answers in English\"\n");
    // Home pages without a description of their own show the site's.
    site.write("content/_index.md", "+++\ntitle = \"帮助中心\"\n+++\n");
    site.write(
        "content/_index.en.md",
        "+++\ntitle = \"Help Center\"\n+++\n",
    );
    site.build().assert_ok();
    let description = |file: &str| attrs(&site.html(file), "meta[name=description]", "content");
    assert_eq!(description("public/en/index.html"), ["Answers in English"]);
    assert_eq!(
        description("public/index.html"),
        ["A small site that uses every content feature."]
    );
}

#[test]
fn a_missing_string_falls_back_to_english_with_a_warning_naming_the_key() {
    let site = bilingual("\n[languages.fr]\nname = \"Français\"\n");
    site.write("i18n/fr.toml", "skip_to_content = \"Aller au contenu\"\n");
    site.write(
        "content/guides/withdraw.fr.md",
        "+++\ntitle = \"Retirer\"\n+++\n\nTexte.\n",
    );
    let run = site.build();
    run.assert_ok();
    let warnings = run.warnings();
    let missing = (
        "theme string `breadcrumb_label` has no `fr` translation; English is used".to_string(),
        "i18n/fr.toml".to_string(),
    );
    assert!(warnings.contains(&missing), "{warnings:?}");
    assert!(
        !run.stderr.contains("`skip_to_content`"),
        "a translated key is not reported: {}",
        run.stderr
    );
    let fr = site.html("public/fr/guides/withdraw/index.html");
    assert_eq!(first_text(&fr, "a.skip-link"), "Aller au contenu");
    // Everything else is the English wording.
    let en = site.html("public/en/guides/withdraw/index.html");
    let en_labels = attrs(&en, "[aria-label]", "aria-label");
    for label in attrs(&fr, "[aria-label]", "aria-label") {
        assert!(
            en_labels.contains(&label),
            "{label} is not the English wording"
        );
    }
}

#[test]
fn check_lists_missing_and_outdated_translations() {
    let site = bilingual("");
    // The English withdraw article (2026-01-10) is older than the Chinese one (updated 2026-02-01).
    let run = site.run(&["check"]);
    run.assert_ok();
    let warnings: Vec<(&str, &str)> = run
        .stderr
        .split("\n\n")
        .filter_map(|block| {
            let mut lines = block.lines();
            let message = lines.next()?.strip_prefix("warning: ")?;
            let location = lines.next()?.trim().strip_prefix("--> ")?;
            Some((message, location))
        })
        .collect();
    assert!(
        warnings.contains(&(
            "no `en` translation of this article",
            "content/billing/fees.md"
        )),
        "{warnings:?}"
    );
    assert!(
        warnings.contains(&(
            "no `en` translation of this article",
            "content/guides/advanced/api-keys.md"
        )),
        "{warnings:?}"
    );
    assert!(
        warnings.iter().any(|(m, l)| m
            .starts_with("translation is older than its original: 2026-01-10 here, 2026-02-01")
            && *l == "content/guides/withdraw.en.md"),
        "{warnings:?}"
    );
    // build stays quiet about translations.
    let build = site.build();
    build.assert_ok();
    assert!(!build.stderr.contains("translation"), "{}", build.stderr);
}
