//! Chrome DevTools commands through chromedriver (`goog/cdp/execute`), for what
//! WebDriver cannot do itself: emulating media, turning JavaScript off, running a
//! script before every page's own.

use serde_json::{json, Value};

use super::browser::BrowserSession;

/// A DevTools command as chromedriver takes it.
#[derive(Debug)]
struct Devtools {
    cmd: &'static str,
    params: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Devtools {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// Sends `cmd` with `params` to the browser's current page.
pub async fn devtools(browser: &BrowserSession, cmd: &'static str, params: Value) {
    browser
        .client()
        .issue_cmd(Devtools { cmd, params })
        .await
        .unwrap_or_else(|e| panic!("DevTools {cmd}: {e}"));
}
