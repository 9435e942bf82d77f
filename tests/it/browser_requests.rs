//! The request form in headless Chromium: checking the fields in both languages, a
//! JSON post to a capture server on 127.0.0.1 read field by field, a failed post, the
//! plain form without JavaScript, and the mail fallback's `mailto:` address.

use crate::common;

use serde_json::{json, Value};

use common::browser::*;
use common::capture::Capture;
use common::devtools::devtools;
use common::request_form::*;

/// One Chromium at a time from this file (a small, shared machine).
static ONE_BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

// ---------------------------------------------------------------------------
// Checking the fields
// ---------------------------------------------------------------------------

/// Sends the empty form, then one with a bad email and order number, on `path`.
async fn check_messages(
    browser: &BrowserSession,
    url: &str,
    expected: &[(&str, &str)],
    later: [&str; 2],
) {
    browser.goto(url).await;
    send(browser).await;
    let (errors, invalid) = shown_errors(browser).await;
    let want: Vec<(String, String)> = expected
        .iter()
        .map(|(f, m)| (format!("request-{f}"), m.to_string()))
        .collect();
    assert_eq!(errors, want, "{url}");
    assert_eq!(
        invalid,
        want.iter().map(|(f, _)| f.clone()).collect::<Vec<_>>()
    );
    let focused = js(browser, "return document.activeElement.id;").await;
    assert_eq!(
        focused, "request-name",
        "the focus goes to the first wrong field"
    );
    let described = js(
        browser,
        "return document.getElementById('request-name').getAttribute('aria-describedby');",
    )
    .await;
    assert_eq!(described, "request-name-error");
    fill_valid(browser, "Password").await;
    type_into(browser, "#request-email", "ada.example.com").await;
    type_into(browser, "#request-order", "PB-12").await;
    send(browser).await;
    let (errors, invalid) = shown_errors(browser).await;
    let want = vec![
        ("request-email".to_string(), later[0].to_string()),
        ("request-order".to_string(), later[1].to_string()),
    ];
    assert_eq!(errors, want, "{url}");
    assert_eq!(invalid, ["request-email", "request-order"]);
    // Mended while typing: the message goes as soon as the answer is right.
    type_into(browser, "#request-order", "PB-123456").await;
    assert_eq!(shown_errors(browser).await.1, ["request-email"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_form_checks_its_fields_in_the_page_language() {
    let _one = ONE_BROWSER.lock().await;
    let Some(browser) = BrowserSession::start_or_skip().await else {
        return;
    };
    let (_dir, built) = built_with(&format!(
        "[requests]\nendpoint = \"/requests\"\n{ORDER_FIELD}"
    ));
    let site = SiteServer::start(built);
    check_messages(
        &browser,
        &site.url("/contact/request/"),
        &[
            ("name", "Please fill in “Your name”."),
            ("email", "Please fill in “Your email address”."),
            ("topic", "Please choose a “Topic”."),
            ("subject", "Please fill in “Subject”."),
            ("message", "Please fill in “Your question”."),
        ],
        [
            "Enter an email address such as name@example.com.",
            "“Order number” is not in the expected form. Like PB-123456",
        ],
    )
    .await;
    let summary = visible_text(&browser, "[data-request-summary]").await;
    assert_eq!(summary, "2 fields need your attention.");
    check_messages(
        &browser,
        &site.url("/zh/contact/request/"),
        &[
            ("name", "请填写“你的姓名”。"),
            ("email", "请填写“你的电子邮箱”。"),
            ("topic", "请选择“问题类别”。"),
            ("subject", "请填写“主题”。"),
            ("message", "请填写“你的问题”。"),
        ],
        [
            "请填写有效的电子邮箱，例如 name@example.com。",
            "“订单号”的格式不正确。 例如 PB-123456",
        ],
    )
    .await;
    browser.close().await;
}

// ---------------------------------------------------------------------------
// Sending
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn a_request_posts_json_to_the_endpoint_and_is_confirmed_in_place() {
    let _one = ONE_BROWSER.lock().await;
    let Some(browser) = BrowserSession::start_or_skip().await else {
        return;
    };
    let capture = Capture::start();
    let endpoint = capture.url("/requests");
    let (_dir, built) = built_with(&format!(
        "[requests]\nendpoint = \"{endpoint}\"\n{ORDER_FIELD}"
    ));
    let site = SiteServer::start(built);
    let page = site.url("/zh/contact/request/");
    browser.goto(&page).await;
    fill_valid(&browser, "无法重置密码").await;
    type_into(&browser, "#request-order", "PB-654321").await;
    send(&browser).await;
    let got = capture.next();
    assert_eq!(
        (got.method.as_str(), got.path.as_str()),
        ("POST", "/requests")
    );
    assert_eq!(got.content_type, "application/json");
    let body: Value = serde_json::from_str(&got.body).expect("a JSON body");
    assert_eq!(
        body,
        json!({
            "name": "Ada Example", "email": "ada@example.com", "topic": "account",
            "subject": "无法重置密码", "order": "PB-654321",
            "message": "I tried twice & it said \"no\".\nWhat now?", "lang": "zh",
        }),
        "every field, the honeypot left out"
    );
    let done = visible_text(&browser, "[data-request-done]").await;
    assert_eq!(done, "谢谢，你的请求已提交。我们会回复到你填写的电子邮箱。");
    let state = js(
        &browser,
        "return { focused: document.activeElement.hasAttribute('data-request-done'),
        form: document.querySelector('[data-request-form]').hidden, kept: sessionStorage.length };",
    )
    .await;
    assert_eq!(state, json!({ "focused": true, "form": true, "kept": 0 }));
    assert_eq!(
        browser.current_url().await,
        page,
        "the reader stayed on the page"
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_post_keeps_the_request_and_offers_a_retry_and_email() {
    let _one = ONE_BROWSER.lock().await;
    let Some(browser) = BrowserSession::start_or_skip().await else {
        return;
    };
    // A port nobody listens on: the post fails as on a lost connection.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (_dir, built) = built_with(&format!(
        "[requests]\nendpoint = \"http://127.0.0.1:{closed}/r\""
    ));
    let site = SiteServer::start(built);
    let page = site.url("/contact/request/");
    browser.goto(&page).await;
    fill_valid(&browser, "Refund missing").await;
    send(&browser).await;
    let failed = wait_for(
        &browser,
        "const f = document.querySelector('[data-request-failed]');
        return !f.hidden && document.activeElement === f && f.textContent;",
    )
    .await;
    assert!(
        failed
            .as_str()
            .unwrap()
            .contains("What you wrote is still here."),
        "{failed}"
    );
    let mail = js(
        &browser,
        "return document.querySelector('[data-request-failed] [data-request-mail-link]').href;",
    )
    .await;
    assert!(
        mail.as_str().unwrap().starts_with(
            "mailto:help@example.com?subject=Refund%20missing&body=Your%20name%3A%20Ada%20Example"
        ),
        "{mail}"
    );
    assert!(browser
        .find("#request-subject")
        .await
        .is_displayed()
        .await
        .unwrap());
    // A reload (or a crash of the tab) loses nothing.
    browser.goto(&page).await;
    let values = js(
        &browser,
        "return ['name','email','topic','subject','message']
        .map(n => document.querySelector('[data-request-form]').elements[n].value);",
    )
    .await;
    assert_eq!(
        values,
        json!([
            "Ada Example",
            "ada@example.com",
            "account",
            "Refund missing",
            "I tried twice & it said \"no\".\nWhat now?"
        ])
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn without_javascript_the_form_posts_form_encoded() {
    let _one = ONE_BROWSER.lock().await;
    let Some(browser) = BrowserSession::start_or_skip().await else {
        return;
    };
    let capture = Capture::start();
    let endpoint = capture.url("/requests");
    let (_dir, built) = built_with(&format!(
        "[requests]\nendpoint = \"{endpoint}\"\n{ORDER_FIELD}"
    ));
    let site = SiteServer::start(built);
    devtools(
        &browser,
        "Emulation.setScriptExecutionDisabled",
        json!({ "value": true }),
    )
    .await;
    browser.goto(&site.url("/contact/request/")).await;
    fill_valid(&browser, "Card declined").await;
    type_into(&browser, "#request-order", "PB-000001").await;
    send(&browser).await;
    let got = capture.next();
    assert_eq!(got.method, "POST");
    assert_eq!(got.content_type, "application/x-www-form-urlencoded");
    let fields: Vec<(String, String)> = url::form_urlencoded::parse(got.body.as_bytes())
        .into_owned()
        .collect();
    let expected = [
        ("lang", "en"),
        ("name", "Ada Example"),
        ("email", "ada@example.com"),
        ("topic", "account"),
        ("subject", "Card declined"),
        ("order", "PB-000001"),
        ("message", "I tried twice & it said \"no\".\r\nWhat now?"),
        ("website", ""),
    ];
    assert_eq!(
        fields,
        expected.map(|(k, v)| (k.to_string(), v.to_string()))
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn without_an_endpoint_sending_writes_a_mailto_address_to_the_email_channel() {
    let _one = ONE_BROWSER.lock().await;
    let Some(browser) = BrowserSession::start_or_skip().await else {
        return;
    };
    let (_dir, built) = built_with(ORDER_FIELD);
    let site = SiteServer::start(built);
    browser.goto(&site.url("/contact/request/")).await;
    fill_valid(&browser, "Reset: it fails?").await;
    type_into(&browser, "#request-order", "PB-123456").await;
    assert_eq!(
        visible_text(&browser, "[data-request-send]").await,
        "Write the email"
    );
    send(&browser).await;
    let href = wait_for(
        &browser,
        "const m = document.querySelector('[data-request-mail]');
        return !m.hidden && m.querySelector('a').href;",
    )
    .await;
    let body =
        "Your name: Ada Example\r\nYour email address: ada@example.com\r\nTopic: Your account\r\n\
                Order number: PB-123456\r\n\r\nI tried twice & it said \"no\".\nWhat now?";
    let expected = format!(
        "mailto:help@example.com?subject={}&body={}",
        utf8_encode("Reset: it fails?"),
        utf8_encode(body)
    );
    assert_eq!(href, expected);
    browser.close().await;
}

/// encodeURIComponent: everything but A-Z a-z 0-9 - _ . ! ~ * ' ( ) escaped.
fn utf8_encode(text: &str) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'!')
        .remove(b'~')
        .remove(b'*')
        .remove(b'\'')
        .remove(b'(')
        .remove(b')');
    percent_encoding::utf8_percent_encode(text, KEEP).to_string()
}
