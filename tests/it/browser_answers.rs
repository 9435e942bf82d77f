//! Answers before sending and insights in headless Chromium: suggested articles that
//! survive a visit, beacons that tell the collector what readers did and stop under
//! Global Privacy Control, and axe-core on the request form with errors and suggestions.

use crate::common;

use std::time::Duration;

use serde_json::{json, Value};

use common::axe::{axe_source, serious_violations};
use common::browser::*;
use common::capture::Capture;
use common::devtools::devtools;
use common::request_form::*;

/// One Chromium at a time from this file (a small, shared machine).
static ONE_BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

// ---------------------------------------------------------------------------
// Answers before sending
// ---------------------------------------------------------------------------

/// The titles of the suggested articles once some are shown.
async fn suggested(browser: &BrowserSession) -> Vec<String> {
    let titles = wait_for(
        browser,
        "const a = document.querySelector('[data-request-suggestions]');
        return !a.hidden && Array.from(a.querySelectorAll('li > a')).map(l => l.textContent);",
    )
    .await;
    serde_json::from_value(titles).unwrap()
}

/// With the subject and message changed, the best suggestion is opened; back on the
/// form, everything typed is still there.
async fn open_a_suggestion_and_come_back(browser: &BrowserSession, page: &str) {
    // The first words of the message count too.
    type_into(browser, "#request-subject", "money back").await;
    type_into(
        browser,
        "#request-message",
        "The shop accepted my refund a week ago",
    )
    .await;
    assert_eq!(
        wait_for(
            browser,
            "const a = document.querySelector('[data-request-suggestions] a');
        return a && a.textContent === 'Refunds' && a.textContent;"
        )
        .await,
        "Refunds"
    );
    browser
        .find("[data-request-suggestions] a")
        .await
        .click()
        .await
        .expect("open a suggestion");
    let url = wait_for_url_change(browser, page).await;
    assert_eq!(url_path(&url), "/payments/refunds/");
    browser.client().back().await.expect("go back");
    let values = wait_for(
        browser,
        "const f = document.querySelector('[data-request-form]');
        return f && ['name', 'topic', 'subject', 'message'].map(n => f.elements[n].value);",
    )
    .await;
    assert_eq!(
        values,
        json!([
            "Ada Example",
            "payments",
            "money back",
            "The shop accepted my refund a week ago"
        ])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn suggestions_appear_for_the_subject_and_the_form_survives_a_visit_to_one() {
    let _one = ONE_BROWSER.lock().await;
    let Some(browser) = BrowserSession::start_or_skip().await else {
        return;
    };
    let site = SiteServer::start(build_site(&fixture(), &[]));
    let page = site.url("/contact/request/");
    browser.goto(&page).await;
    assert!(!browser
        .find("[data-request-suggestions]")
        .await
        .is_displayed()
        .await
        .unwrap());
    type_into(&browser, "#request-name", "Ada Example").await;
    choose(&browser, "payments").await;
    type_into(&browser, "#request-subject", "forgot my password").await;
    let titles = suggested(&browser).await;
    assert_eq!(
        titles.first().map(String::as_str),
        Some("Reset your password"),
        "{titles:?}"
    );
    assert!(titles.len() <= 3, "{titles:?}");
    let status = js(
        &browser,
        "return document.querySelector('[data-request-suggestions-status]').textContent;",
    )
    .await;
    assert!(
        status
            .as_str()
            .unwrap()
            .ends_with("may answer your question."),
        "{status}"
    );
    open_a_suggestion_and_come_back(&browser, &page).await;
    // In Chinese, from the Chinese index.
    browser.goto(&site.url("/zh/contact/request/")).await;
    type_into(&browser, "#request-subject", "重置密码").await;
    assert_eq!(
        suggested(&browser).await.first().map(String::as_str),
        Some("重置密码")
    );
    browser.close().await;
}

// ---------------------------------------------------------------------------
// Insights
// ---------------------------------------------------------------------------

/// A search in the box, a result opened, a suggestion opened and a request sent.
async fn read_search_and_ask(browser: &BrowserSession, site: &SiteServer) {
    browser.goto(&site.url("/")).await;
    // The box searches while the reader types; on a loaded machine it may show the
    // results of a prefix first. The steps below wait for the whole query's.
    js(
        browser,
        "document.addEventListener('helpsite:search', e => { window.lastSearch = e.detail.query; });",
    )
    .await;
    type_into(browser, "[data-search-input]", "reset password").await;
    wait_for(
        browser,
        "return window.lastSearch === 'reset password'
            && document.querySelector('[data-search-results] [data-search-result]');",
    )
    .await;
    // Settled: the query is sent before the result is opened.
    tokio::time::sleep(Duration::from_millis(1800)).await;
    browser
        .find("[data-search-results] [data-search-result]")
        .await
        .click()
        .await
        .expect("open a result");
    wait_for(
        browser,
        "return location.pathname === '/account/reset-password/';",
    )
    .await;
    browser
        .find("[data-feedback] a[data-answer=no]")
        .await
        .click()
        .await
        .expect("answer No");
    let page = site.url("/contact/request/");
    browser.goto(&page).await;
    type_into(browser, "#request-subject", "forgot my password").await;
    wait_for(
        browser,
        "const a = document.querySelector('[data-request-suggestions] a');
        return a && a.pathname.replace(/index\\.html$/, '') === '/account/reset-password/';",
    )
    .await;
    browser
        .find("[data-request-suggestions] a")
        .await
        .click()
        .await
        .expect("open a suggestion");
    wait_for_url_change(browser, &page).await;
    browser.goto(&page).await;
    fill_valid(browser, "forgot my password").await;
    send(browser).await;
}

/// `helpsite insights --json` reads the events as sent, stamped with a time as the
/// collector does: the beacons and the report agree on every field.
fn the_report_reads(events: &[Value]) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("events.jsonl");
    let lines: Vec<String> = events
        .iter()
        .map(|e| {
            let mut e = e.clone();
            e["time"] = json!("2026-11-30T10:00:00Z");
            e.to_string() + "\n"
        })
        .collect();
    std::fs::write(&file, lines.concat()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_helpsite"))
        .args(["insights", "--json"])
        .arg(&file)
        .output()
        .expect("run helpsite insights");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    assert_eq!(report["malformed"]["count"], 0, "{report}");
    let en = &report["languages"][0];
    assert_eq!(
        (en["lang"].as_str(), en["searches"].as_u64()),
        (Some("en"), Some(1))
    );
    assert_eq!(en["unopened_searches"], json!([]), "the result was opened");
    assert_eq!(en["deflection"]["suggestions_opened"], 1);
    assert_eq!(en["deflection"]["requests_sent"], 1);
    assert_eq!(en["least_helpful"][0]["page"], "/account/reset-password/");
    assert_eq!(en["least_helpful"][0]["not_helpful"], 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn beacons_tell_the_collector_what_readers_did_unless_gpc_is_on() {
    let _one = ONE_BROWSER.lock().await;
    let Some(browser) = BrowserSession::start_or_skip().await else {
        return;
    };
    let capture = Capture::start();
    let config = format!(
        "[insights]\nendpoint = \"{}\"\n[feedback]\nmailto = \"feedback@example.com\"",
        capture.url("/collect")
    );
    let (_dir, built) = built_with(&config);
    let site = SiteServer::start(built);
    read_search_and_ask(&browser, &site).await;
    let mut events: Vec<Value> = (0..5).map(|_| capture.next_event()).collect();
    events.sort_by_key(|e| e["event"].as_str().unwrap().to_string());
    let search = events.iter().position(|e| e["event"] == "search").unwrap();
    assert!(
        events[search]["results"].as_u64().unwrap() >= 1,
        "{}",
        events[search]
    );
    events[search]["results"] = json!(1);
    assert_eq!(
        events,
        [
            json!({"event": "helpful", "lang": "en", "page": "/account/reset-password/", "helpful": false}),
            json!({"event": "open", "lang": "en", "query": "reset password", "page": "/account/reset-password/"}),
            json!({"event": "request", "lang": "en", "topic": "account"}),
            json!({"event": "search", "lang": "en", "query": "reset password", "results": 1}),
            json!({"event": "suggestion", "lang": "en", "page": "/account/reset-password/"}),
        ]
    );
    the_report_reads(&events);
    let extra = capture.all_within(Duration::from_secs(2));
    assert!(
        extra.is_empty(),
        "no more events: {:?}",
        extra.iter().map(|c| &c.body).collect::<Vec<_>>()
    );

    // The same visit from a browser that sends Global Privacy Control: nothing at all.
    devtools(&browser,
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true });" }),
        )
        .await;
    read_search_and_ask(&browser, &site).await;
    let sent = capture.all_within(Duration::from_secs(4));
    assert!(
        sent.is_empty(),
        "beacons despite GPC: {:?}",
        sent.iter().map(|c| &c.body).collect::<Vec<_>>()
    );
    browser.close().await;
}

// ---------------------------------------------------------------------------
// Accessibility
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn axe_finds_nothing_serious_on_the_form_with_errors_and_suggestions_shown() {
    let Some(axe) = axe_source() else { return };
    let _one = ONE_BROWSER.lock().await;
    let Some(browser) = BrowserSession::start_or_skip().await else {
        return;
    };
    let (_dir, built) = built_with(ORDER_FIELD);
    let site = SiteServer::start(built);
    let mut problems = Vec::new();
    for scheme in ["light", "dark"] {
        for path in ["/contact/request/", "/zh/contact/request/"] {
            browser.goto(&site.url(path)).await;
            let features = json!([{ "name": "prefers-color-scheme", "value": scheme }]);
            devtools(
                &browser,
                "Emulation.setEmulatedMedia",
                json!({ "media": "screen", "features": features }),
            )
            .await;
            send(&browser).await;
            type_into(
                &browser,
                "#request-subject",
                if path.starts_with("/zh") {
                    "重置密码"
                } else {
                    "reset password"
                },
            )
            .await;
            suggested(&browser).await;
            for v in serious_violations(&browser, &axe).await {
                problems.push(format!("{path} ({scheme}): {v}"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "axe-core found:\n{}",
        problems.join("\n")
    );
    browser.close().await;
}
