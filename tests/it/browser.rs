//! Real-browser tests: what a reader sees in headless Chromium (harness in
//! `tests/common/browser.rs`).

use crate::common;

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
/// browser against the same expectations as the Rust schedule (tests/it/contact.rs).
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
    render_at(&browser, "2026-10-06T10:30:00Z").await;
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
    assert_eq!(
        help_box_order(&browser).await,
        ["email", "hotline"],
        "open channels come first"
    );
    assert!(
        alternative_shown(&browser).await,
        "the hotline's alternative is suggested while it is closed"
    );

    // Tuesday 09:30: the hotline is busy. Still after the open inbox, and the
    // alternative is suggested while it is busy too.
    render_at(&browser, "2026-10-06T01:30:00Z").await;
    assert_eq!(
        hotline
            .attr("data-channel-status")
            .await
            .unwrap()
            .as_deref(),
        Some("busy")
    );
    assert_eq!(help_box_order(&browser).await, ["email", "hotline"]);
    assert!(
        alternative_shown(&browser).await,
        "the hotline's alternative is suggested while it is busy"
    );

    // Tuesday 11:00: both open, so the writer's order, and no alternative.
    render_at(&browser, "2026-10-06T03:00:00Z").await;
    assert_eq!(help_box_order(&browser).await, ["hotline", "email"]);
    assert!(
        !alternative_shown(&browser).await,
        "no alternative while the hotline is open"
    );

    // Closures announce themselves `closure_notice_days = 5` days ahead (the default
    // would be 7), by the channel's local date (Shanghai, UTC+8). The Office line is
    // closed 2 to 5 October, the App line on 5 October.
    let office = "Office line is closed from October 2, 2026 to October 5, 2026: Long weekend";
    let app = "App line is closed from October 5, 2026 to October 5, 2026: Maintenance <b>day</b>";
    let expectations: [(&str, &str, &[&str]); 7] = [
        (
            "2026-09-26T03:00:00Z",
            "6 days before the Office line's closure",
            &[],
        ),
        (
            "2026-09-27T03:00:00Z",
            "5 days before the Office line's",
            &[office],
        ),
        (
            "2026-09-29T03:00:00Z",
            "6 days before the App line's",
            &[office],
        ),
        (
            "2026-09-30T03:00:00Z",
            "5 days before the App line's",
            &[office, app],
        ),
        (
            "2026-10-05T03:00:00Z",
            "inside both closures",
            &[office, app],
        ),
        (
            "2026-10-05T15:59:00Z",
            "23:59 on their last day",
            &[office, app],
        ),
        ("2026-10-06T03:00:00Z", "after both ended", &[]),
    ];
    for (at, when, expected) in expectations {
        render_at(&browser, at).await;
        let notices = browser
            .client()
            .execute(
                "return Array.from(document.querySelectorAll('[data-closure-banner] p'),
                                   (p) => p.textContent);",
                vec![],
            )
            .await
            .expect("read the closure banner");
        let mut notices: Vec<&str> = notices
            .as_array()
            .expect("a list of notices")
            .iter()
            .map(|n| n.as_str().unwrap_or_default())
            .collect();
        notices.sort_unstable(); // the order among channels is not the point here
        let mut expected = expected.to_vec();
        expected.sort_unstable();
        assert_eq!(notices, expected, "closure notices at {at} ({when})");
        let shown = browser
            .find("[data-closure-banner]")
            .await
            .is_displayed()
            .await
            .unwrap();
        assert_eq!(
            shown,
            !expected.is_empty(),
            "closure banner visible at {at} ({when})"
        );
    }

    browser.close().await;
}

/// Has the page's contact.js draw every status as at `at` (and stop its clock).
async fn render_at(browser: &BrowserSession, at: &str) {
    browser
        .client()
        .execute(
            "window.helpsiteContact.render(Date.parse(arguments[0]));",
            vec![json!(at)],
        )
        .await
        .unwrap_or_else(|e| panic!("render at {at}: {e}"));
}

/// The channels of the "Still need help?" box, in the order shown.
async fn help_box_order(browser: &BrowserSession) -> Vec<String> {
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
}

/// Whether the help box suggests the hotline's alternative.
async fn alternative_shown(browser: &BrowserSession) -> bool {
    browser
        .find("[data-channel-alt=hotline]")
        .await
        .is_displayed()
        .await
        .unwrap()
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
