//! What the browser tests share beyond driving Chromium: Chrome DevTools commands
//! (dark mode and print media) and axe-core's accessibility check.

use std::path::PathBuf;

use serde_json::{json, Value};

use super::browser::BrowserSession;
use super::devtools::devtools;

/// Emulates a media type and colour scheme (print, dark mode) through DevTools.
pub async fn emulate_media(browser: &BrowserSession, media: &str, color_scheme: &str) {
    devtools(
        browser,
        "Emulation.setEmulatedMedia",
        json!({
            "media": media,
            "features": [{ "name": "prefers-color-scheme", "value": color_scheme }],
        }),
    )
    .await;
}

pub fn axe_source() -> Option<String> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/js/node_modules/axe-core/axe.min.js");
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(_) if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") => {
            panic!(
                "CI=true but {} is missing: run `npm ci --prefix tests/js`",
                path.display()
            )
        }
        Err(_) => {
            eprintln!(
                "\nSKIPPED: accessibility test ({} missing; run `npm ci --prefix tests/js` or bash scripts/test.sh)\n",
                path.display()
            );
            None
        }
    }
}

/// Runs axe-core on the current page; the serious and critical violations, described.
pub async fn serious_violations(browser: &BrowserSession, axe: &str) -> Vec<String> {
    browser
        .client()
        .execute(
        "if (!window.axe) { const s = document.createElement('script'); s.textContent = arguments[0]; document.head.appendChild(s); }
         return typeof window.axe;",
        vec![json!(axe)],
    )
    .await
    .expect("load axe-core");
    let result = browser
        .client()
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] })
               .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                   nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '')) }))))
               .catch(e => done('axe failed: ' + e));",
            vec![],
        )
        .await
        .expect("run axe-core");
    let Value::Array(violations) = result else {
        panic!("{result}");
    };
    violations
        .iter()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
        .map(|v| {
            format!(
                "{} ({}): {} {}",
                v["id"], v["impact"], v["help"], v["nodes"]
            )
        })
        .collect()
}
