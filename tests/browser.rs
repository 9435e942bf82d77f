//! Real-browser tests: what a reader sees in headless Chromium (harness in
//! `tests/common/browser.rs`).

mod common;

use std::path::{Path, PathBuf};

use serde_json::json;

use common::browser::*;

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn reader_follows_category_then_article() {
    let Some(browser) = BrowserSession::start_or_skip().await else {
        return;
    };
    let site = SiteServer::start(build_demo_site());
    let home = site.url("/");

    // Home: a visible heading and the category grid.
    browser.goto(&home).await;
    visible_text(&browser, "h1").await;
    let home_links = links_in(&browser, "main", &home).await;
    // `/en/` is the English home, not a category.
    let categories: Vec<&Link> = links_one_level_below(&home_links, "/")
        .into_iter()
        .filter(|link| link.path() != "/en/")
        .collect();
    assert!(
        categories.len() >= 6,
        "expected at least 6 category links in <main> on {home}, found {}: {:?}",
        categories.len(),
        categories.iter().map(|l| l.path()).collect::<Vec<_>>()
    );

    // A category: click it, land on its page with a heading and article links.
    let category = categories[0];
    let category_path = category.path().to_owned();
    category
        .element
        .click()
        .await
        .expect("click the first category link");
    let category_url = wait_for_url_change(&browser, &home).await;
    assert_eq!(
        url_path(&category_url),
        category_path,
        "clicking the category link led somewhere else"
    );
    visible_text(&browser, "h1").await;
    let section_links = links_in(&browser, "main", &home).await;
    let articles = links_below(&section_links, &category_path);
    assert!(
        !articles.is_empty(),
        "no article links under {category_path} in <main> on {category_url}"
    );

    // An article: click it, read its heading, compare with the document title.
    let article = articles[0];
    let article_path = article.path().to_owned();
    article
        .element
        .click()
        .await
        .expect("click the first article link");
    let article_url = wait_for_url_change(&browser, &category_url).await;
    assert_eq!(
        url_path(&article_url),
        article_path,
        "clicking the article link led somewhere else"
    );
    let heading = visible_text(&browser, "article h1").await;
    let title = browser.title().await;
    assert!(
        title.contains(&heading),
        "the document title {title:?} does not contain the article heading {heading:?} ({article_url})"
    );

    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn english_home_is_served_under_en() {
    let Some(browser) = BrowserSession::start_or_skip().await else {
        return;
    };
    let site = SiteServer::start(build_demo_site());
    let home = site.url("/en/");

    browser.goto(&home).await;
    let lang = browser
        .find("html")
        .await
        .attr("lang")
        .await
        .expect("read the lang attribute")
        .unwrap_or_default();
    assert_eq!(lang, "en", "<html lang> on {home}");
    let links = links_in(&browser, "main", &site.url("/")).await;
    let categories = links_one_level_below(&links, "/en/");
    assert!(
        !categories.is_empty(),
        "no category links (/en/<category>/) in <main> on {home}: {:?}",
        links.iter().map(|l| l.path()).collect::<Vec<_>>()
    );

    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn reader_switches_language_on_an_article() {
    let Some(browser) = BrowserSession::start_or_skip().await else {
        return;
    };
    let site = SiteServer::start(build_demo_site());
    let article = site.url("/withdrawals/withdrawal-delayed/");
    browser.goto(&article).await;
    let chinese_heading = visible_text(&browser, "article h1").await;

    browser
        .find("a.lang-switch[data-lang=en]")
        .await
        .click()
        .await
        .expect("click the English link of the language switcher");
    let english_url = wait_for_url_change(&browser, &article).await;
    assert_eq!(
        url_path(&english_url),
        "/en/withdrawals/withdrawal-delayed/"
    );
    let lang = browser
        .find("html")
        .await
        .attr("lang")
        .await
        .expect("lang attribute");
    assert_eq!(lang.as_deref(), Some("en"));
    let english_heading = visible_text(&browser, "article h1").await;
    assert_ne!(
        english_heading, chinese_heading,
        "the English page shows the same heading"
    );

    // And back again.
    browser
        .find("a.lang-switch[data-lang=zh]")
        .await
        .click()
        .await
        .expect("click the Chinese link of the language switcher");
    let back = wait_for_url_change(&browser, &english_url).await;
    assert_eq!(url_path(&back), "/withdrawals/withdrawal-delayed/");
    assert_eq!(visible_text(&browser, "article h1").await, chinese_heading);

    browser.close().await;
}

/// The instants of tests/fixtures/contact-cases.toml, checked by contact.js in the
/// browser against the same expectations as the Rust schedule (tests/contact.rs).
#[tokio::test(flavor = "multi_thread")]
async fn channel_status_in_the_browser_matches_the_schedule_rules() {
    let Some(browser) = BrowserSession::start_or_skip().await else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/contact");
    let site = SiteServer::start(build_site(&root, &[]));
    browser.goto(&site.url("/guides/inherits/")).await;

    let cases_text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/contact-cases.toml"),
    )
    .expect("read the shared cases");
    let cases: toml::Value = toml::from_str(&cases_text).expect("cases parse");
    for case in cases["case"].as_array().expect("a list of cases") {
        let channel = case["channel"].as_str().unwrap();
        let at = case["at"].as_str().unwrap();
        let result = browser
            .client()
            .execute(
                "const ms = Date.parse(arguments[1]);
                 const next = window.helpsiteContact.nextOpening(arguments[0], ms);
                 return [window.helpsiteContact.statusAt(arguments[0], ms),
                         next === null ? '' : new Date(next).toISOString().replace('.000Z', 'Z')];",
                vec![json!(channel), json!(at)],
            )
            .await
            .expect("run the page's contact script");
        let status = result[0].as_str().unwrap_or_default();
        assert_eq!(
            status,
            case["status"].as_str().unwrap(),
            "{channel} at {at}"
        );
        if status == "closed" {
            let expected = case.get("next").and_then(|n| n.as_str()).unwrap_or("");
            assert_eq!(
                result[1].as_str().unwrap_or_default(),
                expected,
                "next opening of {channel} after {at}"
            );
        }
    }

    // The help box at a chosen instant: Tuesday 2026-10-06 18:30 in Shanghai, the
    // hotline is closed (its alternative shows), email is open and comes first.
    browser
        .client()
        .execute(
            "window.helpsiteContact.render(Date.parse('2026-10-06T10:30:00Z'));",
            vec![],
        )
        .await
        .expect("render at a chosen instant");
    let hotline = browser
        .find("[data-channel-list] [data-channel=hotline][data-channel-status]")
        .await;
    assert_eq!(
        hotline
            .attr("data-channel-status")
            .await
            .unwrap()
            .as_deref(),
        Some("closed")
    );
    let text = hotline.text().await.unwrap();
    assert!(text.contains("Wednesday 09:00"), "{text}");
    let order: Vec<String> = {
        let mut names = Vec::new();
        for item in browser
            .find_all("[data-channel-list] [data-channel-item]")
            .await
        {
            names.push(
                item.attr("data-channel-item")
                    .await
                    .unwrap()
                    .unwrap_or_default(),
            );
        }
        names
    };
    assert_eq!(order, ["email", "hotline"], "open channels come first");
    let alternative = browser.find("[data-channel-alt=hotline]").await;
    assert!(
        alternative.is_displayed().await.unwrap(),
        "the hotline's alternative is suggested"
    );

    // A closure is announced ahead: the App line closes on 5 October, 5 days' notice.
    browser
        .client()
        .execute(
            "window.helpsiteContact.render(Date.parse('2026-10-01T03:00:00Z'));",
            vec![],
        )
        .await
        .expect("render before the closure");
    let banner = browser.find("[data-closure-banner]").await;
    assert!(banner.is_displayed().await.unwrap());
    assert!(banner.text().await.unwrap().contains("App line"));
    browser
        .client()
        .execute(
            "window.helpsiteContact.render(Date.parse('2026-09-20T03:00:00Z'));",
            vec![],
        )
        .await
        .expect("render long before the closure");
    assert!(!browser
        .find("[data-closure-banner]")
        .await
        .is_displayed()
        .await
        .unwrap());

    browser.close().await;
}

#[test]
fn url_paths_that_leave_the_site_are_refused() {
    assert_eq!(url_path_to_relative("/a/b/"), Some(PathBuf::from("a/b/")));
    assert_eq!(
        url_path_to_relative("/%E5%B8%AE%E5%8A%A9/"),
        Some(PathBuf::from("帮助/"))
    );
    for bad in [
        "/../etc/passwd",
        "/a/%2e%2e/%2e%2e/x",
        "/%5c..",
        "/%00",
        "/%ff",
        "/%zz",
    ] {
        assert_eq!(url_path_to_relative(bad), None, "{bad}");
    }
    assert_eq!(url_path("http://127.0.0.1:80/en/a/?q=1#x"), "/en/a/");
    assert_eq!(url_path("http://127.0.0.1:80"), "/");
}
