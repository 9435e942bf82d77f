//! Search in real headless Chromium: tokenizer parity with the Rust side, relevance on
//! the demo content through the search page, the header box from `file://`, and
//! hostile text in articles and in `?q=`.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use fantoccini::key::Key;
use serde_json::{json, Value};

use common::browser::*;

/// Tokens of each line of `file` by the Rust tokenizer (the hidden `search-tokens` command).
fn rust_tokens(file: &Path) -> Vec<Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_helpsite"))
        .arg("search-tokens")
        .arg(file)
        .output()
        .expect("run helpsite search-tokens");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let value: Value = serde_json::from_slice(&out.stdout).expect("JSON tokens");
    value.as_array().unwrap().clone()
}

/// Every line of the fixture list, and every line of the demo content (so the English
/// stemmer is compared on a few thousand real words).
fn parity_lines() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixture = std::fs::read_to_string(root.join("tests/fixtures/search-tokens.txt")).unwrap();
    let mut lines: Vec<String> = fixture.lines().map(str::to_string).collect();
    let mut files: Vec<_> = walk(&root.join("content"));
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        lines.extend(text.lines().map(str::to_string));
    }
    lines
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn tokenizer_in_the_browser_matches_rust() {
    let Some(browser) = BrowserSession::start_or_skip().await else {
        return;
    };
    let site = SiteServer::start(build_demo_site());
    browser.goto(&site.url("/")).await;

    let lines = parity_lines();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lines.txt");
    std::fs::write(&file, lines.join("\n")).unwrap();
    let expected = rust_tokens(&file);
    assert_eq!(expected.len(), lines.len());

    // The page folds traditional characters with the entries of the index it
    // loads for a text's characters, as it does before running a query.
    let actual = browser
        .client()
        .execute_async(
            "const [lines, done] = arguments;
             window.helpsiteSearch.prepare(lines.join('\\n'))
               .then(() => done(lines.map((line) => window.helpsiteSearch.tokenize(line))));",
            vec![json!(lines)],
        )
        .await
        .expect("tokenize in the page");
    let actual = actual.as_array().unwrap();
    let mut mismatches = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if actual[i] != expected[i] {
            mismatches.push(format!(
                "{line:?}\n  rust:    {}\n  browser: {}",
                expected[i], actual[i]
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} lines differ:\n{}",
        mismatches.len(),
        lines.len(),
        mismatches.join("\n")
    );
    browser.close().await;
}

/// Opens the search page with `?q=` and returns the result links' paths, in rank order.
async fn search_page_results(browser: &BrowserSession, url: &str) -> Vec<String> {
    browser.goto(url).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let state = browser
            .client()
            .execute(
                "const s = document.querySelector('[data-search-summary]');
                 const t = document.querySelector('[data-search-strings]');
                 const busy = !s || !s.textContent || s.textContent === t.getAttribute('data-searching');
                 return [busy, Array.from(document.querySelectorAll('[data-search-page-results] a[data-search-result]'), (a) => new URL(a.href).pathname)];",
                vec![],
            )
            .await
            .expect("read the search page");
        if state[0] == json!(false) {
            return state[1]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect();
        }
        assert!(Instant::now() < deadline, "no results shown for {url}");
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn demo_queries_find_the_expected_article() {
    let Some(browser) = BrowserSession::start_or_skip().await else {
        return;
    };
    let site = SiteServer::start(build_demo_site());
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("tests/fixtures/search-queries.toml")).unwrap();
    let cases: toml::Value = toml::from_str(&text).unwrap();
    let cases = cases["query"].as_array().unwrap();

    let mut report = Vec::new();
    let (mut top3, mut reciprocal) = (0, 0.0);
    let mut per_lang: std::collections::BTreeMap<String, usize> = Default::default();
    for case in cases {
        let lang = case["lang"].as_str().unwrap();
        let query = case["q"].as_str().unwrap();
        let prefix = if lang == "zh" { "" } else { "en/" };
        *per_lang.entry(lang.to_string()).or_default() += 1;
        let expected = format!("/{prefix}{}", case["expect"].as_str().unwrap());
        let url = format!(
            "{}?q={}",
            site.url(&format!("/{prefix}search/")),
            percent_encoding::utf8_percent_encode(query, percent_encoding::NON_ALPHANUMERIC)
        );
        let results = search_page_results(&browser, &url).await;
        let rank = results.iter().position(|p| *p == expected).map(|i| i + 1);
        if let Some(rank) = rank {
            reciprocal += 1.0 / rank as f64;
            if rank <= 3 {
                top3 += 1;
            }
        }
        if rank.is_none_or(|r| r > 3) {
            report.push(format!(
                "{lang} {query:?}: expected {expected} at {rank:?}, got {:?}",
                &results[..results.len().min(3)]
            ));
        }
    }
    assert!(per_lang["zh"] >= 30 && per_lang["en"] >= 30, "{per_lang:?}");
    let total = cases.len();
    let mrr = reciprocal / total as f64;
    println!(
        "search relevance: {top3}/{total} in the top 3 ({:.1}%), mean reciprocal rank {mrr:.3}",
        100.0 * top3 as f64 / total as f64
    );
    for line in &report {
        println!("  miss: {line}");
    }
    assert!(
        top3 as f64 >= 0.95 * total as f64,
        "only {top3}/{total} in the top 3:\n{}",
        report.join("\n")
    );
    browser.close().await;
}

/// Waits until the header box shows results (or its "no results" line); returns the links.
async fn dropdown_results(browser: &BrowserSession) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let hrefs = browser
            .client()
            .execute(
                "const list = document.querySelector('[data-search-results]');
                 if (list.hidden) return null;
                 return Array.from(list.querySelectorAll('a[data-search-result]'), (a) => a.href);",
                vec![],
            )
            .await
            .expect("read the search box");
        if let Some(list) = hrefs.as_array() {
            if !list.is_empty() {
                return list
                    .iter()
                    .map(|v| v.as_str().unwrap().to_string())
                    .collect();
            }
        }
        assert!(
            Instant::now() < deadline,
            "the search box showed no results"
        );
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn header_box_searches_from_a_folder_on_disk() {
    let Some(browser) = BrowserSession::start_or_skip().await else {
        return;
    };
    let built = build_demo_site();
    let home = format!("file://{}", built.public.join("index.html").display());
    browser.goto(&home).await;

    // `/` focuses the box; typing shows results at once.
    browser
        .find("body")
        .await
        .send_keys("/")
        .await
        .expect("press /");
    let focused = browser
        .client()
        .execute(
            "return document.activeElement.hasAttribute('data-search-input');",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(focused, json!(true), "`/` did not focus the search box");
    let input = browser.find("[data-search-input]").await;
    input.send_keys("提现").await.expect("type a query");
    let results = dropdown_results(&browser).await;
    assert!(
        results[0].starts_with("file://") && results[0].ends_with("/index.html"),
        "{results:?}"
    );
    assert!(
        results.iter().take(3).any(|r| r.contains("/withdrawals/")),
        "{results:?}"
    );

    // Escape closes the list; the arrows reopen it and Enter follows the chosen result.
    input.send_keys(&Key::Escape).await.unwrap();
    let hidden = browser
        .client()
        .execute(
            "return document.querySelector('[data-search-results]').hidden;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(hidden, json!(true));
    input.send_keys(&Key::Down).await.unwrap();
    input.send_keys(&Key::Enter).await.unwrap();
    let arrived = wait_for_url_change(&browser, &home).await;
    assert_eq!(arrived, results[0]);
    let heading = visible_text(&browser, "h1").await;
    assert!(!heading.is_empty());
    browser.close().await;
}

async fn pwned(browser: &BrowserSession) -> Value {
    browser
        .client()
        .execute(
            "return window.__pwned === undefined ? null : window.__pwned;",
            vec![],
        )
        .await
        .unwrap()
}

// RELIABILITY.md 34: a hostile query, typed or in the URL, is shown as text (and so is
// hostile text in the index).
#[tokio::test(flavor = "multi_thread")]
async fn reliability_34_hostile_index_text_and_queries_stay_text() {
    let Some(browser) = BrowserSession::start_or_skip().await else {
        return;
    };
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/search");
    let site = SiteServer::start(build_site(&fixture, &[]));

    // Title, heading and body carry <img onerror>; the results show them as text.
    let results = search_page_results(&browser, &site.url("/en/search/?q=marmalade")).await;
    assert_eq!(results, ["/en/money/hostile/"]);
    let shown = visible_text(&browser, "[data-search-page-results]").await;
    assert!(shown.contains("<img src=x onerror="), "{shown}");
    let images = browser.find_all("[data-search-page-results] img").await;
    assert!(images.is_empty(), "an <img> was created from index text");

    // The same through the header box.
    let input = browser.find("[data-search-input]").await;
    input.send_keys("hostile img onerror").await.unwrap();
    let dropdown = dropdown_results(&browser).await;
    assert!(dropdown[0].ends_with("/en/money/hostile/"), "{dropdown:?}");
    assert!(browser
        .find_all("[data-search-results] img")
        .await
        .is_empty());
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(pwned(&browser).await, Value::Null);

    // A hostile query in the URL is shown as text and never run.
    let query = "<script>window.__pwned='q'</script><img src=x onerror=\"window.__pwned='img'\">";
    let url = format!(
        "{}?q={}",
        site.url("/search/"),
        percent_encoding::utf8_percent_encode(query, percent_encoding::NON_ALPHANUMERIC)
    );
    search_page_results(&browser, &url).await;
    let value = browser
        .client()
        .execute(
            "return document.querySelector('[data-search-page-input]').value;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(value, json!(query));
    assert!(browser.find_all("main img").await.is_empty());
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(pwned(&browser).await, Value::Null);
    browser.close().await;
}
