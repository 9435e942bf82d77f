//! The request form and the insights beacons in headless Chromium: checking the fields
//! in both languages, a JSON post to a capture server on 127.0.0.1 read field by field,
//! the plain form without JavaScript, the mail fallback, suggestions that survive a
//! visit, beacons that stop under Global Privacy Control, and axe-core on the form.

mod common;

use std::path::PathBuf;
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use common::browser::*;

/// One Chromium at a time from this file (a small, shared machine).
static ONE_BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

// ---------------------------------------------------------------------------
// A capture server: every request it receives, answered with CORS headers
// ---------------------------------------------------------------------------

struct Captured {
    method: String,
    path: String,
    content_type: String,
    body: String,
}

struct Capture {
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
    received: mpsc::Receiver<Captured>,
    port: u16,
}

impl Capture {
    fn start() -> Capture {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind 127.0.0.1:0"));
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let (sender, received) = mpsc::channel();
        let thread = {
            let server = Arc::clone(&server);
            std::thread::spawn(move || {
                for mut request in server.incoming_requests() {
                    let mut body = String::new();
                    let _ = request.as_reader().read_to_string(&mut body);
                    let content_type = request
                        .headers()
                        .iter()
                        .find(|h| h.field.equiv("Content-Type"))
                        .map(|h| h.value.to_string())
                        .unwrap_or_default();
                    let method = request.method().to_string();
                    if method != "OPTIONS" {
                        let path = request.url().to_string();
                        let _ = sender.send(Captured { method, path, content_type, body });
                    }
                    let cors = [
                        ("Access-Control-Allow-Origin", "*"),
                        ("Access-Control-Allow-Methods", "POST"),
                        ("Access-Control-Allow-Headers", "content-type"),
                    ];
                    let mut response = tiny_http::Response::from_string("Received");
                    for (k, v) in cors {
                        response = response.with_header(tiny_http::Header::from_bytes(k, v).unwrap());
                    }
                    let _ = request.respond(response);
                }
            })
        };
        Capture { server, thread: Some(thread), received, port }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn next(&self) -> Captured {
        self.received
            .recv_timeout(Duration::from_secs(20))
            .expect("the capture server received a request")
    }

    /// The next beacon, as JSON.
    fn next_event(&self) -> Value {
        let got = self.next();
        serde_json::from_str(&got.body).unwrap_or_else(|e| panic!("{e}: {}", got.body))
    }

    /// Every request received within `wait`.
    fn all_within(&self, wait: Duration) -> Vec<Captured> {
        let end = Instant::now() + wait;
        let mut all = Vec::new();
        while let Some(left) = end.checked_duration_since(Instant::now()) {
            match self.received.recv_timeout(left) {
                Ok(got) => all.push(got),
                Err(_) => break,
            }
        }
        all
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/requests")
}

/// The requests fixture built with `extra` appended to its config.
fn built_with(extra: &str) -> (tempfile::TempDir, BuiltSite) {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in walkdir::WalkDir::new(fixture()) {
        let entry = entry.unwrap();
        let target = dir.path().join(entry.path().strip_prefix(fixture()).unwrap());
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

const ORDER_FIELD: &str = r#"[[requests.fields]]
name = "order"
label = { en = "Order number", zh = "订单号" }
pattern = "PB-[0-9]{6}"
hint = { en = "Like PB-123456", zh = "例如 PB-123456" }"#;

async fn js(browser: &BrowserSession, script: &str) -> Value {
    browser
        .client()
        .execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("run {script}: {e}"))
}

async fn type_into(browser: &BrowserSession, css: &str, text: &str) {
    let field = browser.find(css).await;
    field.clear().await.expect("clear a field");
    field.send_keys(text).await.unwrap_or_else(|e| panic!("type into {css}: {e}"));
}

async fn choose(browser: &BrowserSession, value: &str) {
    browser
        .find(&format!("#request-topic option[value='{value}']"))
        .await
        .click()
        .await
        .expect("choose a topic");
}

async fn send(browser: &BrowserSession) {
    browser.find("[data-request-send]").await.click().await.expect("click send");
}

/// Waits until `script` returns something truthy, and returns it.
async fn wait_for(browser: &BrowserSession, script: &str) -> Value {
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
async fn shown_errors(browser: &BrowserSession) -> (Vec<(String, String)>, Vec<String>) {
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

async fn fill_valid(browser: &BrowserSession, subject: &str) {
    type_into(browser, "#request-name", "Ada Example").await;
    type_into(browser, "#request-email", "ada@example.com").await;
    choose(browser, "account").await;
    type_into(browser, "#request-subject", subject).await;
    type_into(browser, "#request-message", "I tried twice & it said \"no\".\nWhat now?").await;
}

// ---------------------------------------------------------------------------
// Checking the fields
// ---------------------------------------------------------------------------

/// Sends the empty form, then one with a bad email and order number, on `path`.
async fn check_messages(browser: &BrowserSession, url: &str, expected: &[(&str, &str)], later: [&str; 2]) {
    browser.goto(url).await;
    send(browser).await;
    let (errors, invalid) = shown_errors(browser).await;
    let want: Vec<(String, String)> = expected.iter().map(|(f, m)| (format!("request-{f}"), m.to_string())).collect();
    assert_eq!(errors, want, "{url}");
    assert_eq!(invalid, want.iter().map(|(f, _)| f.clone()).collect::<Vec<_>>());
    let focused = js(browser, "return document.activeElement.id;").await;
    assert_eq!(focused, "request-name", "the focus goes to the first wrong field");
    let described = js(browser, "return document.getElementById('request-name').getAttribute('aria-describedby');").await;
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
    let Some(browser) = BrowserSession::start_or_skip().await else { return };
    let (_dir, built) = built_with(&format!("[requests]\nendpoint = \"/requests\"\n{ORDER_FIELD}"));
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
        ["请填写有效的电子邮箱，例如 name@example.com。", "“订单号”的格式不正确。 例如 PB-123456"],
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
    let Some(browser) = BrowserSession::start_or_skip().await else { return };
    let capture = Capture::start();
    let endpoint = capture.url("/requests");
    let (_dir, built) = built_with(&format!("[requests]\nendpoint = \"{endpoint}\"\n{ORDER_FIELD}"));
    let site = SiteServer::start(built);
    let page = site.url("/zh/contact/request/");
    browser.goto(&page).await;
    fill_valid(&browser, "无法重置密码").await;
    type_into(&browser, "#request-order", "PB-654321").await;
    send(&browser).await;
    let got = capture.next();
    assert_eq!((got.method.as_str(), got.path.as_str()), ("POST", "/requests"));
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
    let state = js(&browser, "return { focused: document.activeElement.hasAttribute('data-request-done'),
        form: document.querySelector('[data-request-form]').hidden, kept: sessionStorage.length };").await;
    assert_eq!(state, json!({ "focused": true, "form": true, "kept": 0 }));
    assert_eq!(browser.current_url().await, page, "the reader stayed on the page");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_post_keeps_the_request_and_offers_a_retry_and_email() {
    let _one = ONE_BROWSER.lock().await;
    let Some(browser) = BrowserSession::start_or_skip().await else { return };
    // A port nobody listens on: the post fails as on a lost connection.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let (_dir, built) = built_with(&format!("[requests]\nendpoint = \"http://127.0.0.1:{closed}/r\""));
    let site = SiteServer::start(built);
    let page = site.url("/contact/request/");
    browser.goto(&page).await;
    fill_valid(&browser, "Refund missing").await;
    send(&browser).await;
    let failed = wait_for(&browser, "const f = document.querySelector('[data-request-failed]');
        return !f.hidden && document.activeElement === f && f.textContent;").await;
    assert!(failed.as_str().unwrap().contains("What you wrote is still here."), "{failed}");
    let mail = js(&browser, "return document.querySelector('[data-request-failed] [data-request-mail-link]').href;").await;
    assert!(
        mail.as_str().unwrap().starts_with("mailto:help@example.com?subject=Refund%20missing&body=Your%20name%3A%20Ada%20Example"),
        "{mail}"
    );
    assert!(browser.find("#request-subject").await.is_displayed().await.unwrap());
    // A reload (or a crash of the tab) loses nothing.
    browser.goto(&page).await;
    let values = js(&browser, "return ['name','email','topic','subject','message']
        .map(n => document.querySelector('[data-request-form]').elements[n].value);").await;
    assert_eq!(
        values,
        json!(["Ada Example", "ada@example.com", "account", "Refund missing", "I tried twice & it said \"no\".\nWhat now?"])
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn without_javascript_the_form_posts_form_encoded() {
    let _one = ONE_BROWSER.lock().await;
    let Some(browser) = BrowserSession::start_or_skip().await else { return };
    let capture = Capture::start();
    let endpoint = capture.url("/requests");
    let (_dir, built) = built_with(&format!("[requests]\nendpoint = \"{endpoint}\"\n{ORDER_FIELD}"));
    let site = SiteServer::start(built);
    browser.devtools("Emulation.setScriptExecutionDisabled", json!({ "value": true })).await;
    browser.goto(&site.url("/contact/request/")).await;
    fill_valid(&browser, "Card declined").await;
    type_into(&browser, "#request-order", "PB-000001").await;
    send(&browser).await;
    let got = capture.next();
    assert_eq!(got.method, "POST");
    assert_eq!(got.content_type, "application/x-www-form-urlencoded");
    let fields: Vec<(String, String)> = url::form_urlencoded::parse(got.body.as_bytes()).into_owned().collect();
    let expected = [
        ("lang", "en"), ("name", "Ada Example"), ("email", "ada@example.com"), ("topic", "account"),
        ("subject", "Card declined"), ("order", "PB-000001"),
        ("message", "I tried twice & it said \"no\".\r\nWhat now?"), ("website", ""),
    ];
    assert_eq!(fields, expected.map(|(k, v)| (k.to_string(), v.to_string())));
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn without_an_endpoint_sending_writes_a_mailto_address_to_the_email_channel() {
    let _one = ONE_BROWSER.lock().await;
    let Some(browser) = BrowserSession::start_or_skip().await else { return };
    let (_dir, built) = built_with(ORDER_FIELD);
    let site = SiteServer::start(built);
    browser.goto(&site.url("/contact/request/")).await;
    fill_valid(&browser, "Reset: it fails?").await;
    type_into(&browser, "#request-order", "PB-123456").await;
    assert_eq!(visible_text(&browser, "[data-request-send]").await, "Write the email");
    send(&browser).await;
    let href = wait_for(&browser, "const m = document.querySelector('[data-request-mail]');
        return !m.hidden && m.querySelector('a').href;").await;
    let body = "Your name: Ada Example\r\nYour email address: ada@example.com\r\nTopic: Your account\r\n\
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
        .remove(b'-').remove(b'_').remove(b'.').remove(b'!').remove(b'~')
        .remove(b'*').remove(b'\'').remove(b'(').remove(b')');
    percent_encoding::utf8_percent_encode(text, KEEP).to_string()
}

// ---------------------------------------------------------------------------
// Answers before sending
// ---------------------------------------------------------------------------

/// The titles of the suggested articles once some are shown.
async fn suggested(browser: &BrowserSession) -> Vec<String> {
    let titles = wait_for(browser, "const a = document.querySelector('[data-request-suggestions]');
        return !a.hidden && Array.from(a.querySelectorAll('li > a')).map(l => l.textContent);").await;
    serde_json::from_value(titles).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn suggestions_appear_for_the_subject_and_the_form_survives_a_visit_to_one() {
    let _one = ONE_BROWSER.lock().await;
    let Some(browser) = BrowserSession::start_or_skip().await else { return };
    let site = SiteServer::start(build_site(&fixture(), &[]));
    let page = site.url("/contact/request/");
    browser.goto(&page).await;
    assert!(!browser.find("[data-request-suggestions]").await.is_displayed().await.unwrap());
    type_into(&browser, "#request-name", "Ada Example").await;
    choose(&browser, "payments").await;
    type_into(&browser, "#request-subject", "forgot my password").await;
    let titles = suggested(&browser).await;
    assert_eq!(titles.first().map(String::as_str), Some("Reset your password"), "{titles:?}");
    assert!(titles.len() <= 3, "{titles:?}");
    let status = js(&browser, "return document.querySelector('[data-request-suggestions-status]').textContent;").await;
    assert!(status.as_str().unwrap().ends_with("may answer your question."), "{status}");
    // The first words of the message count too.
    type_into(&browser, "#request-subject", "money back").await;
    type_into(&browser, "#request-message", "The shop accepted my refund a week ago").await;
    assert_eq!(wait_for(&browser, "const a = document.querySelector('[data-request-suggestions] a');
        return a && a.textContent === 'Refunds' && a.textContent;").await, "Refunds");
    browser.find("[data-request-suggestions] a").await.click().await.expect("open a suggestion");
    let url = wait_for_url_change(&browser, &page).await;
    assert_eq!(url_path(&url), "/payments/refunds/");
    browser.client().back().await.expect("go back");
    let values = wait_for(&browser, "const f = document.querySelector('[data-request-form]');
        return f && ['name', 'topic', 'subject', 'message'].map(n => f.elements[n].value);").await;
    assert_eq!(values, json!(["Ada Example", "payments", "money back", "The shop accepted my refund a week ago"]));
    // In Chinese, from the Chinese index.
    browser.goto(&site.url("/zh/contact/request/")).await;
    type_into(&browser, "#request-subject", "重置密码").await;
    assert_eq!(suggested(&browser).await.first().map(String::as_str), Some("重置密码"));
    browser.close().await;
}

// ---------------------------------------------------------------------------
// Insights
// ---------------------------------------------------------------------------

/// A search in the box, a result opened, a suggestion opened and a request sent.
async fn read_search_and_ask(browser: &BrowserSession, site: &SiteServer) {
    browser.goto(&site.url("/")).await;
    type_into(browser, "[data-search-input]", "reset password").await;
    wait_for(browser, "return document.querySelector('[data-search-results] [data-search-result]');").await;
    // Settled: the query is sent before the result is opened.
    tokio::time::sleep(Duration::from_millis(1800)).await;
    browser.find("[data-search-results] [data-search-result]").await.click().await.expect("open a result");
    wait_for(browser, "return location.pathname === '/account/reset-password/';").await;
    browser.find("[data-feedback] a[data-answer=no]").await.click().await.expect("answer No");
    let page = site.url("/contact/request/");
    browser.goto(&page).await;
    type_into(browser, "#request-subject", "forgot my password").await;
    suggested(browser).await;
    browser.find("[data-request-suggestions] a").await.click().await.expect("open a suggestion");
    wait_for_url_change(browser, &page).await;
    browser.goto(&page).await;
    fill_valid(browser, "forgot my password").await;
    send(browser).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn beacons_tell_the_collector_what_readers_did_unless_gpc_is_on() {
    let _one = ONE_BROWSER.lock().await;
    let Some(browser) = BrowserSession::start_or_skip().await else { return };
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
    assert!(events[search]["results"].as_u64().unwrap() >= 1, "{}", events[search]);
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
    let extra = capture.all_within(Duration::from_secs(2));
    assert!(extra.is_empty(), "no more events: {:?}", extra.iter().map(|c| &c.body).collect::<Vec<_>>());

    // The same visit from a browser that sends Global Privacy Control: nothing at all.
    browser
        .devtools(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true });" }),
        )
        .await;
    read_search_and_ask(&browser, &site).await;
    let sent = capture.all_within(Duration::from_secs(4));
    assert!(sent.is_empty(), "beacons despite GPC: {:?}", sent.iter().map(|c| &c.body).collect::<Vec<_>>());
    browser.close().await;
}

// ---------------------------------------------------------------------------
// Accessibility
// ---------------------------------------------------------------------------

fn axe_source() -> Option<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/js/node_modules/axe-core/axe.min.js");
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(_) if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") => {
            panic!("CI=true but {} is missing: run `npm ci --prefix tests/js`", path.display())
        }
        Err(_) => {
            eprintln!("\nSKIPPED: accessibility test ({} missing)\n", path.display());
            None
        }
    }
}

async fn serious_violations(browser: &BrowserSession, axe: &str) -> Vec<String> {
    browser
        .client()
        .execute(
            "if (!window.axe) { const s = document.createElement('script'); s.textContent = arguments[0]; document.head.appendChild(s); } return true;",
            vec![json!(axe)],
        )
        .await
        .expect("load axe-core");
    let result = browser
        .client()
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] })
               .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => v.id + ': ' + v.help + ' ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))))
               .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .expect("run axe-core");
    serde_json::from_value(result).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn axe_finds_nothing_serious_on_the_form_with_errors_and_suggestions_shown() {
    let Some(axe) = axe_source() else { return };
    let _one = ONE_BROWSER.lock().await;
    let Some(browser) = BrowserSession::start_or_skip().await else { return };
    let (_dir, built) = built_with(ORDER_FIELD);
    let site = SiteServer::start(built);
    let mut problems = Vec::new();
    for scheme in ["light", "dark"] {
        for path in ["/contact/request/", "/zh/contact/request/"] {
            browser.goto(&site.url(path)).await;
            let features = json!([{ "name": "prefers-color-scheme", "value": scheme }]);
            browser.devtools("Emulation.setEmulatedMedia", json!({ "media": "screen", "features": features })).await;
            send(&browser).await;
            type_into(&browser, "#request-subject", if path.starts_with("/zh") { "重置密码" } else { "reset password" }).await;
            suggested(&browser).await;
            for v in serious_violations(&browser, &axe).await {
                problems.push(format!("{path} ({scheme}): {v}"));
            }
        }
    }
    assert!(problems.is_empty(), "axe-core found:\n{}", problems.join("\n"));
    browser.close().await;
}
