//! Portable output (`relative_links = true`, `helpsite build --relative`): the built
//! folder works opened from disk. Every link of every page is checked against the
//! files written, and headless Chromium reads the demo site from `file://`.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use scraper::Html;
use serde_json::json;

use common::browser::*;
use common::{select, Site};

/// The attributes that hold an address, as the rewriter knows them.
const LINK_ATTRS: &[&str] = &["href", "src", "action", "formaction", "poster"];

/// Every HTML file under `public`, by path relative to it (`/`-separated).
fn html_files(public: &Path) -> Vec<String> {
    common::snapshot(public)
        .into_iter()
        .map(|(path, _)| path.to_string_lossy().replace('\\', "/"))
        .filter(|path| path.ends_with(".html"))
        .collect()
}

/// Whether a `<link>` is one of those that stay absolute (for search engines): the
/// canonical address and the page in other languages.
fn stays_absolute(element: &scraper::ElementRef<'_>) -> bool {
    let e = element.value();
    let rel = |name: &str| {
        e.attr("rel")
            .is_some_and(|r| r.split_whitespace().any(|t| t == name))
    };
    e.name() == "link" && (rel("canonical") || (rel("alternate") && e.attr("hreflang").is_some()))
}

/// `value`, a link written in `page` (a file under `public`), as the file it opens, or
/// `None` for a link that does not point into the folder (another site, `mailto:`, a
/// fragment of the page itself).
fn resolve(public: &Path, page: &str, value: &str) -> Option<PathBuf> {
    let before_path = value.split(['/', '?', '#']).next().unwrap_or("");
    if value.starts_with('#') || before_path.contains(':') {
        return None; // the page itself, or an address with a scheme (another site, mailto:)
    }
    let path = value.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .expect("a link's path is UTF-8");
    let mut at: Vec<String> = page.split('/').map(str::to_string).collect();
    at.pop();
    for component in Path::new(decoded.as_ref()).components() {
        match component {
            Component::Normal(part) => at.push(part.to_string_lossy().into_owned()),
            Component::ParentDir => {
                assert!(
                    at.pop().is_some(),
                    "{page}: `{value}` leaves the site folder"
                );
            }
            Component::CurDir => {}
            other => panic!("{page}: `{value}` is not relative ({other:?})"),
        }
    }
    Some(public.join(at.join("/")))
}

/// Checks every page of a portable build: each address is relative and opens a file
/// of the folder; search-engine addresses stay absolute. Returns how many links were
/// followed.
fn check_portable_folder(public: &Path, base_url: &str) -> usize {
    let base_path = url::Url::parse(base_url).unwrap().path().to_string();
    let mut followed = 0;
    for page in html_files(public) {
        let html = Html::parse_document(&std::fs::read_to_string(public.join(&page)).unwrap());
        let is_404 = page.rsplit('/').next() == Some("404.html");
        for element in select(
            &html,
            "[href], [src], [srcset], [action], [formaction], [poster]",
        ) {
            if stays_absolute(&element) {
                let href = element.value().attr("href").unwrap_or("");
                assert!(
                    href.starts_with(base_url),
                    "{page}: {} stays absolute: {href}",
                    element.html()
                );
                continue;
            }
            let srcset = element.value().attr("srcset").into_iter().flat_map(|s| {
                s.split(',')
                    .filter_map(|c| c.split_whitespace().next())
                    .collect::<Vec<_>>()
            });
            let values = LINK_ATTRS
                .iter()
                .filter_map(|attr| element.value().attr(attr))
                .chain(srcset);
            for value in values {
                if is_404 {
                    // Shown by a web server at any address: links from the top stay.
                    assert!(
                        !value.starts_with("../"),
                        "{page}: `{value}` is relative in a 404 page"
                    );
                    continue;
                }
                assert!(
                    !value.starts_with('/') && !value.starts_with(base_url),
                    "{page}: `{value}` in {} is not relative",
                    element.html()
                );
                if value.is_empty() {
                    continue; // `action=""`: the page itself
                }
                let Some(file) = resolve(public, &page, value) else {
                    continue;
                };
                assert!(
                    file.is_file(),
                    "{page}: `{value}` opens {}, which is not a file of the site",
                    file.display()
                );
                followed += 1;
            }
        }
        if !is_404 {
            let canonical = common::attrs(&html, "link[rel=canonical]", "href");
            let og = common::attrs(&html, "meta[property='og:url']", "content");
            for url in canonical.iter().chain(&og) {
                assert!(url.starts_with(base_url), "{page}: {url} is not absolute");
            }
            let root = common::attrs(&html, "html", "data-helpsite-root");
            let depth = page.matches('/').count();
            let expected = if depth == 0 {
                "./".to_string()
            } else {
                "../".repeat(depth)
            };
            assert_eq!(root, vec![expected], "{page}: the way to the top");
            assert_eq!(
                common::attrs(&html, "html", "data-helpsite-base"),
                vec![base_path.clone()],
                "{page}"
            );
        }
    }
    followed
}

#[test]
fn every_link_of_a_portable_build_opens_a_file_of_the_folder() {
    for (fixture, base_url) in [
        ("basic", "https://example.com/help/"),
        ("site-features", "https://help.example.com/"),
    ] {
        let site = Site::fixture_with(fixture, Some("relative_links = true"));
        site.build().assert_ok();
        let config = site.read("config.toml");
        assert!(
            config.contains(base_url),
            "{fixture}: base_url is {base_url}"
        );
        let followed = check_portable_folder(&site.path().join("public"), base_url);
        assert!(
            followed > 100,
            "{fixture}: only {followed} links were followed"
        );
    }
}

#[test]
fn portable_pages_name_their_files_and_keep_fragments_and_queries() {
    let site = Site::fixture_with("basic", Some("relative_links = true"));
    site.build().assert_ok();
    let page = site.html("public/guides/withdraw/index.html");
    let hrefs = common::attrs(&page, "a[href], link[href]", "href");
    for expected in [
        "../../index.html",
        "../index.html",
        "../limits/index.html#%E6%AF%8F%E6%97%A5%E9%99%90%E9%A2%9D",
        "../../en/guides/withdraw/index.html",
    ] {
        assert!(
            hrefs.iter().any(|h| h == expected),
            "no {expected} in {hrefs:?}"
        );
    }
    assert!(
        hrefs.iter().any(|h| h.starts_with("../../style.css?h=")),
        "the style sheet keeps its cache-busting query: {hrefs:?}"
    );
    // Links to other sites and to the page's own headings are as they were.
    assert!(
        hrefs.iter().any(|h| h == "https://status.example.com/"),
        "{hrefs:?}"
    );
    assert!(hrefs.iter().any(|h| h == "#main"), "{hrefs:?}");
    // The language versions stay absolute for search engines.
    let alternates = common::attrs(&page, "link[rel=alternate][hreflang]", "href");
    assert!(
        !alternates.is_empty()
            && alternates
                .iter()
                .all(|h| h.starts_with("https://example.com/help/")),
        "{alternates:?}"
    );
    // An alias redirects relatively too.
    let alias = site.read("public/old/withdraw/index.html");
    assert!(
        alias.contains("content=\"0; url=../../guides/withdraw/index.html\""),
        "{alias}"
    );
    // The search form of the header opens the search page's file.
    assert_eq!(
        common::attrs(&page, "form[data-search]", "action"),
        vec!["../../search/index.html".to_string()]
    );
}

#[test]
fn without_the_setting_nothing_changes() {
    let plain = Site::fixture_with("site-features", None);
    plain.build().assert_ok();
    let off = Site::fixture_with("site-features", Some("relative_links = false"));
    off.build().assert_ok();
    let before = plain.snapshot("public");
    assert_eq!(
        before,
        off.snapshot("public"),
        "`relative_links = false` changed the output"
    );
    assert!(
        String::from_utf8_lossy(
            &before
                .iter()
                .find(|(p, _)| p == Path::new("index.html"))
                .unwrap()
                .1
        )
        .contains("href=\"/guides/"),
        "the default build links from the top of the site"
    );

    // The flag and the setting give the same site; only its HTML pages differ from
    // the default build (sitemap, feeds, scripts and styles are as they were), and
    // 404 pages too stay as they were.
    let flag = Site::fixture_with("site-features", None);
    flag.run(&["build", "--relative"]).assert_ok();
    let on = Site::fixture_with("site-features", Some("relative_links = true"));
    on.build().assert_ok();
    let portable = flag.snapshot("public");
    assert_eq!(
        portable,
        on.snapshot("public"),
        "--relative and relative_links differ"
    );

    let before: BTreeMap<_, _> = before.into_iter().collect();
    let portable: BTreeMap<_, _> = portable.into_iter().collect();
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        portable.keys().collect::<Vec<_>>(),
        "a portable build writes the same files"
    );
    let mut changed_pages = 0;
    for (path, bytes) in &before {
        let name = path.to_string_lossy();
        let is_page = name.ends_with(".html") && !name.ends_with("404.html");
        if is_page {
            assert_ne!(bytes, &portable[path], "{name} was not made portable");
            changed_pages += 1;
        } else {
            assert_eq!(bytes, &portable[path], "{name} changed in a portable build");
        }
    }
    assert!(changed_pages > 5, "{changed_pages}");
}

#[test]
fn a_misspelt_setting_names_the_right_one() {
    let site = Site::fixture_with("basic", Some("relative_link = true"));
    let run = site.build();
    run.assert_code(1);
    assert!(
        run.stderr.contains("did you mean `relative_links`?"),
        "{}",
        run.stderr
    );
    assert!(!site.exists("public"), "a failed build wrote the site");
}

// ---------------------------------------------------------------------------
// In a real browser, from file://
// ---------------------------------------------------------------------------

async fn js(browser: &BrowserSession, script: &str) -> serde_json::Value {
    browser
        .client()
        .execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("run {script}: {e}"))
}

/// Whether style.css is applied: the theme lays the body out as a column with no margin.
async fn assert_styled(browser: &BrowserSession) {
    let style = js(
        browser,
        "const s = getComputedStyle(document.body); return [s.display, s.marginTop];",
    )
    .await;
    assert_eq!(
        style,
        json!(["flex", "0px"]),
        "the theme's style sheet is not applied on {}",
        browser.current_url().await
    );
}

/// The `href` properties (absolute) of the visible links inside `css`.
async fn hrefs(browser: &BrowserSession, css: &str) -> Vec<String> {
    let mut found = Vec::new();
    for a in browser.find_all(&format!("{css} a[href]")).await {
        if !a.is_displayed().await.unwrap_or(false) {
            continue;
        }
        if let Some(href) = a.prop("href").await.expect("read an href") {
            found.push(href);
        }
    }
    found
}

async fn click_href(browser: &BrowserSession, href: &str) -> String {
    let before = browser.current_url().await;
    let clicked = browser
        .client()
        .execute(
            "const a = Array.from(document.querySelectorAll('a[href]')).find(a => a.href === arguments[0]);
             if (!a) return false; a.click(); return true;",
            vec![json!(href)],
        )
        .await
        .expect("click a link");
    assert_eq!(clicked, json!(true), "no link to {href} on {before}");
    let now = wait_for_url_change(browser, &before).await;
    assert_eq!(now, href, "the link led somewhere else");
    now
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_site_reads_from_a_folder_on_disk() {
    let Some(browser) = BrowserSession::start_or_skip().await else {
        return;
    };
    let built = build_site(Path::new(env!("CARGO_MANIFEST_DIR")), &["--relative"]);
    let public = built.public.canonicalize().unwrap();
    let root = url::Url::from_directory_path(&public).unwrap().to_string();
    let home = format!("{root}index.html");
    browser.goto(&home).await;
    assert_styled(&browser).await;
    visible_text(&browser, "h1").await;

    // A category of the home page's grid.
    let links = hrefs(&browser, "main").await;
    let category = links
        .iter()
        .find(|h| {
            h.strip_prefix(&root).is_some_and(|rest| {
                rest.ends_with("/index.html")
                    && rest.matches('/').count() == 1
                    && rest != "en/index.html"
            })
        })
        .unwrap_or_else(|| panic!("no category link on {home}: {links:?}"))
        .clone();
    click_href(&browser, &category).await;
    assert_styled(&browser).await;
    visible_text(&browser, "h1").await;

    // One of its articles.
    let folder = category.trim_end_matches("index.html").to_string();
    let links = hrefs(&browser, "main").await;
    let article = links
        .iter()
        .find(|h| h.starts_with(&folder) && h.ends_with("/index.html") && **h != category)
        .unwrap_or_else(|| panic!("no article link on {category}: {links:?}"))
        .clone();
    click_href(&browser, &article).await;
    assert_styled(&browser).await;
    let heading = visible_text(&browser, "article h1").await;
    assert!(browser.title().await.contains(&heading));

    // The announcements banner, drawn by script from data written from the top of the
    // site, links to the announcement's file too.
    let due = js(
        &browser,
        "const item = window.helpsiteAnnouncements.items[0];
         const starts = item.starts.length === 10 ? item.starts + 'T12:00:00' : item.starts;
         window.helpsiteBanner.render(Date.parse(starts) + 60000);
         const a = document.querySelector('[data-announcements] a[href]');
         return a ? a.href : null;",
    )
    .await;
    let notice = due
        .as_str()
        .expect("the banner shows an announcement")
        .to_string();
    assert!(
        notice.starts_with(&format!("{root}announcements/")) && notice.ends_with("/index.html"),
        "{notice}"
    );
    click_href(&browser, &notice).await;
    visible_text(&browser, "h1").await;

    // The language switcher leads to the English version, styled.
    let english = js(
        &browser,
        "const a = document.querySelector('a.lang-switch[data-lang=en]'); return a ? a.href : null;",
    )
    .await;
    let english = english.as_str().expect("a language switcher").to_string();
    assert!(english.starts_with(&format!("{root}en/")), "{english}");
    click_href(&browser, &english).await;
    assert_styled(&browser).await;
    assert_eq!(
        js(&browser, "return document.documentElement.lang;").await,
        json!("en")
    );
    visible_text(&browser, "h1").await;

    browser.close().await;
}
