//! `helpsite serve` in a real browser: an edit shows up without a manual reload and
//! the reader keeps their place; a broken save shows the error over the page, as
//! text; the next good save takes it away.

use crate::common;

use std::time::{Duration, Instant};

use common::browser::*;
use common::serve::Server;
use common::Site;

const WAIT: Duration = Duration::from_secs(20);

/// A long article, so that the reader can be scrolled down it.
fn article(title: &str, marker: &str) -> String {
    let filler: String = (1..=60)
        .map(|i| format!("第 {i} 段：提现会在一到三个工作日内到账，节假日顺延。\n\n"))
        .collect();
    format!("+++\ntitle = \"{title}\"\n+++\n\n## 每日限额\n\n{marker}\n\n{filler}")
}

async fn eval(browser: &BrowserSession, script: &str) -> serde_json::Value {
    browser
        .client()
        .execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("{script}: {e}"))
}

/// Polls `script` in the page until it returns true.
async fn wait_for(browser: &BrowserSession, script: &str, what: &str, server: &Server) {
    let started = Instant::now();
    loop {
        // A reload in progress can make one evaluation fail; the next one answers.
        if let Ok(serde_json::Value::Bool(true)) = browser.client().execute(script, vec![]).await {
            return;
        }
        assert!(
            started.elapsed() < WAIT,
            "timed out waiting for {what}; server log:\n{}",
            server.log()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn edits_reload_in_place_and_errors_show_as_an_overlay() {
    let Some(browser) = BrowserSession::start_or_skip().await else {
        return;
    };
    let site = Site::fixture("basic");
    site.write(
        "content/guides/limits.md",
        &article("提现限额", "FIRST VERSION"),
    );
    let server = Server::start(site.path(), &[]);
    browser.goto(&format!("{}guides/limits/", server.url)).await;
    wait_for(
        &browser,
        "return document.body.innerText.includes('FIRST VERSION')",
        "the first version",
        &server,
    )
    .await;
    // Nothing below reloads the page: new text can only come from the live reload.
    eval(&browser, "window.scrollTo(0, 900); return window.scrollY").await;
    let scrolled = eval(&browser, "return window.scrollY")
        .await
        .as_f64()
        .unwrap();
    assert!(
        scrolled > 500.0,
        "the page is long enough to scroll: {scrolled}"
    );

    site.write(
        "content/guides/limits.md",
        &article("提现限额", "SECOND VERSION"),
    );
    wait_for(
        &browser,
        "return document.body.innerText.includes('SECOND VERSION')",
        "the edit to appear without a manual reload",
        &server,
    )
    .await;
    wait_for(
        &browser,
        &format!("return Math.abs(window.scrollY - {scrolled}) < 40"),
        "the scroll position to be kept",
        &server,
    )
    .await;

    site.write(
        "content/guides/limits.md",
        "+++\ntitle = \"x\"\n\"<img src=x onerror=window.__pwned=1><script>window.__pwned=2</script>\" = 1\n+++\nbody\n",
    );
    wait_for(
        &browser,
        "return !!document.getElementById('helpsite-error-overlay')",
        "the error overlay",
        &server,
    )
    .await;
    let overlay = eval(
        &browser,
        "return document.getElementById('helpsite-error-overlay').innerText",
    )
    .await;
    let overlay = overlay.as_str().unwrap().to_string();
    assert!(overlay.contains("content/guides/limits.md:3"), "{overlay}");
    assert!(
        overlay.contains("<script>window.__pwned=2</script>"),
        "shown as text: {overlay}"
    );
    let injected = eval(
        &browser,
        "return [window.__pwned === undefined, document.querySelectorAll('#helpsite-error-overlay script, #helpsite-error-overlay img').length]",
    )
    .await;
    assert_eq!(injected, serde_json::json!([true, 0]));
    assert!(
        eval(
            &browser,
            "return document.body.innerText.includes('SECOND VERSION')"
        )
        .await
        .as_bool()
        .unwrap(),
        "the last good page stays under the overlay"
    );

    site.write(
        "content/guides/limits.md",
        &article("提现限额", "THIRD VERSION"),
    );
    wait_for(
        &browser,
        "return !document.getElementById('helpsite-error-overlay') && document.body.innerText.includes('THIRD VERSION')",
        "the overlay to go after a good save",
        &server,
    )
    .await;
    browser.close().await;
}
