//! The writing features in headless Chromium: callouts, highlighted code with its copy
//! button, and a video embed, in light and dark, with axe-core at zero serious or
//! critical violations (the `writing` fixture).

use crate::common;

use std::path::Path;

use serde_json::{json, Value};

use common::axe::{axe_source, emulate_media, serious_violations};
use common::browser::*;

/// What the page looks like where it matters: the colours of a callout's frame and
/// title, of a highlighted token, and what the embed and the copy button are.
async fn looks(browser: &BrowserSession) -> Value {
    browser
        .client()
        .execute(
            "const css = (sel, prop) => { const e = document.querySelector(sel); return e ? getComputedStyle(e)[prop] : null; };
             const frame = document.querySelector('iframe');
             const button = document.querySelector('.code-copy');
             return {
               callout_border: css('[data-callout=\"warning\"]', 'borderLeftColor'),
               callout_title: css('[data-callout=\"warning\"] .callout-title', 'color'),
               callout_icon: css('[data-callout=\"warning\"] .callout-icon', 'width'),
               number: css('.hl-constant.hl-numeric', 'color'),
               code_bg: css('pre.code', 'backgroundColor'),
               iframe: frame ? [frame.getAttribute('title'), frame.getAttribute('loading'), frame.src] : null,
               embed_height: css('.embed', 'height'),
               button: button ? [button.textContent, button.getAttribute('aria-label')] : null,
             };",
            vec![],
        )
        .await
        .expect("read the page's styles")
}

#[tokio::test(flavor = "multi_thread")]
async fn callouts_code_and_embeds_render_in_light_and_dark_without_serious_violations() {
    let axe = axe_source();
    let Some(browser) = BrowserSession::start_or_skip().await else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/writing");
    let site = SiteServer::start(build_site(&root, &[]));
    let pages = [
        "/guides/callouts/",
        "/guides/code/",
        "/guides/shortcodes/",
        "/zh/guides/callouts/",
    ];
    let mut seen = Vec::new();
    let mut problems = Vec::new();
    for scheme in ["light", "dark"] {
        let mut merged = json!({});
        for path in pages {
            browser.goto(&site.url(path)).await;
            emulate_media(&browser, "screen", scheme).await;
            let found = looks(&browser).await;
            for (key, value) in found.as_object().unwrap() {
                if !value.is_null() {
                    merged[key] = value.clone();
                }
            }
            if let Some(axe) = &axe {
                for v in serious_violations(&browser, axe).await {
                    problems.push(format!("{path} ({scheme}): {v}"));
                }
            }
        }
        seen.push(merged);
    }
    browser.close().await;
    let (light, dark) = (&seen[0], &seen[1]);
    assert_eq!(light["callout_border"], "rgb(125, 78, 0)", "{light}");
    assert_eq!(dark["callout_border"], "rgb(227, 179, 65)", "{dark}");
    assert_eq!(light["callout_title"], light["callout_border"]);
    // 1.1rem: the icon is drawn at the size of the label's text.
    let icon: f64 = light["callout_icon"]
        .as_str()
        .unwrap()
        .trim_end_matches("px")
        .parse()
        .unwrap();
    assert!((17.0..18.0).contains(&icon), "{icon}");
    assert_eq!(light["number"], "rgb(5, 80, 174)");
    assert_eq!(dark["number"], "rgb(121, 192, 255)");
    assert_ne!(light["code_bg"], dark["code_bg"]);
    assert_eq!(
        light["iframe"],
        json!([
            "How to withdraw",
            "lazy",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
        ])
    );
    // 16:9 of the article's width: the embed holds its place before it loads.
    assert_ne!(light["embed_height"], "0px");
    assert_eq!(light["button"], json!(["Copy", "Copy the code"]));
    assert!(
        problems.is_empty(),
        "axe-core found serious or critical violations:\n{}",
        problems.join("\n")
    );
}
