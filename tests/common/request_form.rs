//! What the browser tests of the request form share: the requests fixture built with
//! more config, and a few steps a reader takes on the form.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::browser::{build_site, BrowserSession, BuiltSite};

pub fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/requests")
}

/// The requests fixture built with `extra` appended to its config.
pub fn built_with(extra: &str) -> (tempfile::TempDir, BuiltSite) {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in walkdir::WalkDir::new(fixture()) {
        let entry = entry.unwrap();
        let target = dir
            .path()
            .join(entry.path().strip_prefix(fixture()).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    let config = dir.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}\n{extra}\n")).unwrap();
    let built = build_site(dir.path(), &[]);
    (dir, built)
}

pub const ORDER_FIELD: &str = r#"[[requests.fields]]
name = "order"
label = { en = "Order number", zh = "订单号" }
pattern = "PB-[0-9]{6}"
hint = { en = "Like PB-123456", zh = "例如 PB-123456" }"#;

pub async fn js(browser: &BrowserSession, script: &str) -> Value {
    browser
        .client()
        .execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("run {script}: {e}"))
}

pub async fn type_into(browser: &BrowserSession, css: &str, text: &str) {
    let field = browser.find(css).await;
    field.clear().await.expect("clear a field");
    field
        .send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("type into {css}: {e}"));
}

pub async fn choose(browser: &BrowserSession, value: &str) {
    browser
        .find(&format!("#request-topic option[value='{value}']"))
        .await
        .click()
        .await
        .expect("choose a topic");
}

pub async fn send(browser: &BrowserSession) {
    browser
        .find("[data-request-send]")
        .await
        .click()
        .await
        .expect("click send");
}

/// Waits until `script` returns something truthy, and returns it.
pub async fn wait_for(browser: &BrowserSession, script: &str) -> Value {
    let end = Instant::now() + Duration::from_secs(20);
    loop {
        let value = js(browser, script).await;
        if !(value.is_null() || value == json!(false) || value == json!("") || value == json!([])) {
            return value;
        }
        assert!(Instant::now() < end, "waited in vain for {script}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The errors shown, as (field id, text), and the fields marked invalid.
pub async fn shown_errors(browser: &BrowserSession) -> (Vec<(String, String)>, Vec<String>) {
    let state = js(
        browser,
        "return {
           errors: Array.from(document.querySelectorAll('[data-request-error]'))
             .filter(e => !e.hidden).map(e => [e.id.replace(/-error$/, ''), e.textContent]),
           invalid: Array.from(document.querySelectorAll('[aria-invalid=true]')).map(e => e.id),
         };",
    )
    .await;
    let errors = serde_json::from_value(state["errors"].clone()).unwrap();
    let invalid = serde_json::from_value(state["invalid"].clone()).unwrap();
    (errors, invalid)
}

pub async fn fill_valid(browser: &BrowserSession, subject: &str) {
    type_into(browser, "#request-name", "Ada Example").await;
    type_into(browser, "#request-email", "ada@example.com").await;
    choose(browser, "account").await;
    type_into(browser, "#request-subject", subject).await;
    type_into(
        browser,
        "#request-message",
        "I tried twice & it said \"no\".\nWhat now?",
    )
    .await;
}
