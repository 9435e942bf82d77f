//! Help-center features in headless Chromium: the announcements banner at chosen
//! instants, the feedback POST, accessibility (axe-core, light and dark) and print.

use crate::common;

use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use fantoccini::key::Key;
use serde_json::Value;

use common::axe::{axe_source, emulate_media, serious_violations};
use common::browser::*;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// One Chromium at a time from this file: several at once on a small, shared machine
/// have stalled page loads for minutes.
static ONE_BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn run_js(browser: &BrowserSession, script: &str, args: Vec<Value>) -> Value {
    browser
        .client()
        .execute(script, args)
        .await
        .unwrap_or_else(|e| panic!("run {script}: {e}"))
}

fn features_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site-features")
}

/// Copies the features fixture into a temp folder with `extra` appended to its config.
fn features_site_with_config(extra: &str) -> (tempfile::TempDir, BuiltSite) {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&features_root(), dir.path());
    let config = dir.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}\n{extra}\n")).unwrap();
    let built = build_site(dir.path(), &[]);
    (dir, built)
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Ids of the announcements the banner shows, and whether the banner is visible.
async fn banner_state(browser: &BrowserSession) -> (Vec<String>, bool) {
    let items = run_js(
        browser,
        "return Array.from(document.querySelectorAll('[data-announcements] [data-announcement]'))
             .map(e => e.getAttribute('data-announcement'));",
        vec![],
    )
    .await;
    let ids = items
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let shown = browser
        .find("[data-announcements]")
        .await
        .is_displayed()
        .await
        .unwrap();
    (ids, shown)
}

async fn render_banner_at(browser: &BrowserSession, instant_js: &str) {
    run_js(
        browser,
        &format!("window.helpsiteBanner.render({instant_js}); return true;"),
        vec![],
    )
    .await;
}

// ---------------------------------------------------------------------------
// Announcements
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn announcements_show_only_inside_their_window_and_stay_dismissed() {
    let _one = ONE_BROWSER.lock().await;
    let Some(browser) = BrowserSession::start_or_skip().await else {
        return;
    };
    let site = SiteServer::start(build_site(&features_root(), &[]));
    browser.goto(&site.url("/guides/withdraw/")).await;

    let maintenance = "announcements/maintenance.md@2030-05-16T22:00:00+08:00".to_string();
    let holiday = "announcements/holiday.md@2030-02-10".to_string();

    // An exact window (22:00 to 02:00 in UTC+8 = 14:00 to 18:00 UTC), end excluded.
    for (instant, expected) in [
        ("Date.parse('2030-05-16T13:59:59Z')", vec![]),
        (
            "Date.parse('2030-05-16T14:00:00Z')",
            vec![maintenance.clone()],
        ),
        (
            "Date.parse('2030-05-16T17:59:00Z')",
            vec![maintenance.clone()],
        ),
        ("Date.parse('2030-05-16T18:00:00Z')", vec![]),
        // Whole days in the reader's own zone: 10 to 12 February inclusive.
        ("new Date(2030, 1, 9, 23, 59).getTime()", vec![]),
        (
            "new Date(2030, 1, 10, 0, 0).getTime()",
            vec![holiday.clone()],
        ),
        (
            "new Date(2030, 1, 12, 23, 59).getTime()",
            vec![holiday.clone()],
        ),
        ("new Date(2030, 1, 13, 0, 0).getTime()", vec![]),
    ] {
        render_banner_at(&browser, instant).await;
        let (ids, shown) = banner_state(&browser).await;
        assert_eq!(ids, expected, "banner at {instant}");
        assert_eq!(
            shown,
            !expected.is_empty(),
            "banner visibility at {instant}"
        );
    }

    // What a reader sees in it: severity, a link to the notice, its summary.
    render_banner_at(&browser, "Date.parse('2030-05-16T15:00:00Z')").await;
    let text = visible_text(&browser, "[data-announcements]").await;
    assert!(text.contains("提醒") && text.contains("系统维护"), "{text}");
    assert!(text.contains("维护期间暂停提现"), "{text}");
    let link = browser.find("[data-announcements] a").await;
    assert_eq!(
        link.attr("href").await.unwrap().as_deref(),
        Some("/announcements/maintenance/")
    );

    // Dismissed: gone at once, and still gone after a reload.
    browser
        .find("[data-announcements] .announcement-dismiss")
        .await
        .click()
        .await
        .expect("click dismiss");
    assert_eq!(banner_state(&browser).await, (vec![], false));
    browser.goto(&site.url("/guides/withdraw/")).await;
    render_banner_at(&browser, "Date.parse('2030-05-16T15:00:00Z')").await;
    assert_eq!(banner_state(&browser).await, (vec![], false));
    // Another announcement is not affected by that dismissal.
    render_banner_at(&browser, "new Date(2030, 1, 11, 12, 0).getTime()").await;
    assert_eq!(banner_state(&browser).await.0, vec![holiday]);

    browser.close().await;
}

// ---------------------------------------------------------------------------
// Was this article helpful?
// ---------------------------------------------------------------------------

/// What a form backend on loopback received.
struct Received {
    method: String,
    path: String,
    fields: Vec<(String, String)>,
}

/// A form backend on 127.0.0.1 that records every request; stopped on drop.
struct FormBackend {
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
    received: mpsc::Receiver<Received>,
    port: u16,
}

impl FormBackend {
    fn start() -> FormBackend {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind 127.0.0.1:0"));
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let (sender, received) = mpsc::channel();
        let thread = {
            let server = Arc::clone(&server);
            std::thread::spawn(move || {
                for mut request in server.incoming_requests() {
                    let mut body = String::new();
                    let _ = request.as_reader().read_to_string(&mut body);
                    let fields = url::form_urlencoded::parse(body.as_bytes())
                        .map(|(k, v)| (k.into_owned(), v.into_owned()))
                        .collect();
                    let _ = sender.send(Received {
                        method: request.method().to_string(),
                        path: request.url().to_string(),
                        fields,
                    });
                    let _ = request.respond(tiny_http::Response::from_string("Thanks!"));
                }
            })
        };
        FormBackend {
            server,
            thread: Some(thread),
            received,
            port,
        }
    }

    fn next(&self) -> Received {
        self.received
            .recv_timeout(Duration::from_secs(20))
            .expect("the form backend received a request")
    }
}

impl Drop for FormBackend {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn field<'a>(received: &'a Received, name: &str) -> &'a str {
    received
        .fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no field {name} in {:?}", received.fields))
}

#[tokio::test(flavor = "multi_thread")]
async fn feedback_posts_the_answer_to_the_configured_endpoint() {
    let _one = ONE_BROWSER.lock().await;
    let Some(browser) = BrowserSession::start_or_skip().await else {
        return;
    };
    let backend = FormBackend::start();
    let endpoint = format!("http://127.0.0.1:{}/collect", backend.port);

    // In the background (fetch): the reader stays on the page and is thanked.
    let (_dir, built) =
        features_site_with_config(&format!("[feedback]\nendpoint = \"{endpoint}\""));
    let site = SiteServer::start(built);
    let page = site.url("/en/guides/withdraw/");
    browser.goto(&page).await;
    browser
        .find("#feedback-comment")
        .await
        .send_keys("Step two is missing & so is <b>three</b>")
        .await
        .expect("type a comment");
    browser
        .find("[data-feedback-form] button[value=no]")
        .await
        .click()
        .await
        .expect("click No");
    let got = backend.next();
    assert_eq!(got.method, "POST");
    assert_eq!(got.path, "/collect");
    assert_eq!(field(&got, "path"), "/en/guides/withdraw/");
    assert_eq!(field(&got, "lang"), "en");
    assert_eq!(field(&got, "answer"), "no");
    assert_eq!(
        field(&got, "comment"),
        "Step two is missing & so is <b>three</b>"
    );
    let thanks = visible_text(&browser, "[data-feedback-result]").await;
    assert_eq!(thanks, "Thank you for your feedback.");
    assert_eq!(
        browser.current_url().await,
        page,
        "the reader stayed on the page"
    );
    drop(site);

    // As a plain form: the browser posts it and shows the backend's answer.
    let (_dir, built) = features_site_with_config(&format!(
        "[feedback]\nendpoint = \"{endpoint}\"\nsend = \"form\""
    ));
    let site = SiteServer::start(built);
    browser.goto(&site.url("/guides/withdraw/")).await;
    browser
        .find("[data-feedback-form] button[value=yes]")
        .await
        .click()
        .await
        .expect("click Yes");
    let got = backend.next();
    assert_eq!(got.method, "POST");
    assert_eq!(field(&got, "path"), "/guides/withdraw/");
    assert_eq!(field(&got, "lang"), "zh");
    assert_eq!(field(&got, "answer"), "yes");
    assert_eq!(field(&got, "comment"), "");

    browser.close().await;
}

// ---------------------------------------------------------------------------
// Accessibility
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn axe_finds_no_serious_or_critical_violations_in_light_and_dark() {
    let Some(axe) = axe_source() else {
        return;
    };
    let _one = ONE_BROWSER.lock().await;
    let Some(browser) = BrowserSession::start_or_skip().await else {
        return;
    };
    let site = SiteServer::start(build_demo_site());
    let pages = [
        "/",
        "/account/",
        "/account/reset-password/",
        "/frozen/frozen-questions/",
        "/contact/",
        "/contact/hotline/",
        "/contact/request/",
        "/en/contact/request/",
        "/announcements/",
        "/en/",
        "/en/withdrawals/",
        "/en/fees/fee-schedule/",
        "/en/contact/",
        "/search/",
        "/en/search/",
    ];
    // Every page is checked; one the demo lacks must fail here, not be judged as a 404.
    for path in pages {
        let file = site
            .root()
            .join(path.trim_start_matches('/'))
            .join("index.html");
        assert!(
            file.is_file(),
            "the demo build has no {path} ({})",
            file.display()
        );
    }
    let mut problems = Vec::new();
    for scheme in ["light", "dark"] {
        for path in &pages {
            browser.goto(&site.url(path)).await;
            emulate_media(&browser, "screen", scheme).await;
            // Show the banners too: a warning and an information notice, then an outage.
            for instant in ["2026-05-16T15:00:00Z", "2026-03-03T03:00:00Z"] {
                render_banner_at(&browser, &format!("Date.parse('{instant}')")).await;
                for v in serious_violations(&browser, &axe).await {
                    problems.push(format!("{path} ({scheme}, banner at {instant}): {v}"));
                }
                if *path != "/" {
                    break;
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "axe-core found serious or critical violations:\n{}",
        problems.join("\n")
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn keyboard_reaches_the_skip_link_first_and_focus_is_visible() {
    let _one = ONE_BROWSER.lock().await;
    let Some(browser) = BrowserSession::start_or_skip().await else {
        return;
    };
    let site = SiteServer::start(build_demo_site());
    browser.goto(&site.url("/account/reset-password/")).await;
    browser
        .find("body")
        .await
        .send_keys(&String::from(char::from(Key::Tab)))
        .await
        .expect("press Tab");
    let focused = run_js(
        &browser,
        "const a = document.activeElement, s = getComputedStyle(a), r = a.getBoundingClientRect();
         return { cls: a.className, outline: s.outlineStyle, width: parseFloat(s.outlineWidth), top: r.top, href: a.getAttribute('href') };",
        vec![],
    )
    .await;
    assert_eq!(focused["cls"], "skip-link", "{focused}");
    assert_eq!(focused["href"], "#main");
    assert_ne!(
        focused["outline"], "none",
        "focus must be visible: {focused}"
    );
    assert!(focused["width"].as_f64().unwrap() >= 2.0, "{focused}");
    // The skip link has slid into view (its transition lasts .15 s).
    tokio::time::sleep(Duration::from_millis(400)).await;
    let top = run_js(
        &browser,
        "return document.activeElement.getBoundingClientRect().top;",
        vec![],
    )
    .await;
    assert!(top.as_f64().unwrap() >= 0.0, "skip link off screen: {top}");
    browser
        .find(".skip-link")
        .await
        .send_keys(&String::from(char::from(Key::Enter)))
        .await
        .expect("press Enter");
    let active = run_js(&browser, "return document.activeElement.id;", vec![]).await;
    assert_eq!(active, "main");
    browser.close().await;
}

// ---------------------------------------------------------------------------
// Print
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn an_article_prints_without_the_page_frame_and_with_link_addresses() {
    let _one = ONE_BROWSER.lock().await;
    let Some(browser) = BrowserSession::start_or_skip().await else {
        return;
    };
    let site = SiteServer::start(build_demo_site());
    browser.goto(&site.url("/en/fees/fee-schedule/")).await;
    render_banner_at(&browser, "Date.parse('2026-05-16T15:00:00Z')").await;
    emulate_media(&browser, "print", "light").await;
    let state = run_js(
        &browser,
        "const shown = sel => Array.from(document.querySelectorAll(sel))
             .some(e => getComputedStyle(e).display !== 'none');
         const link = document.querySelector('.content a[href^=\"/\"]');
         return {
           header: shown('.site-header'), footer: shown('.site-footer'),
           banner: shown('[data-announcements]'), feedback: shown('[data-feedback]'),
           toc: shown('.toc'), pager: shown('.pager'), breadcrumbs: shown('.breadcrumbs'),
           article: shown('article .content'),
           after: getComputedStyle(link, '::after').content, href: link.getAttribute('href'),
           background: getComputedStyle(document.body).backgroundColor,
         };",
        vec![],
    )
    .await;
    for hidden in [
        "header",
        "footer",
        "banner",
        "feedback",
        "toc",
        "pager",
        "breadcrumbs",
    ] {
        assert_eq!(state[hidden], false, "{hidden} is printed: {state}");
    }
    assert_eq!(state["article"], true, "{state}");
    let href = state["href"].as_str().unwrap();
    assert_eq!(state["after"], format!("\" ({href})\""), "{state}");
    assert_eq!(state["background"], "rgb(255, 255, 255)");

    // On screen, the same page still has its frame.
    emulate_media(&browser, "screen", "light").await;
    assert!(browser
        .find(".site-header")
        .await
        .is_displayed()
        .await
        .unwrap());
    browser.close().await;
}
