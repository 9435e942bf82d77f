//! "Was this article helpful?": what an article's feedback box needs (`[feedback]`).

use serde_json::{json, Value};

use crate::model::rendered::RenderedSite;
use crate::model::PageId;

/// The *Feedback* of THEME.md for an article, or null when feedback is off.
pub fn view(r: &RenderedSite<'_>, id: PageId) -> Value {
    let feedback = &r.config.feedback;
    if !feedback.enabled() {
        return Value::Null;
    }
    let page = &r.site.pages[id];
    let path = r.urls.url(&page.path);
    let mut view = json!({
        "path": path,
        "lang": page.lang,
        "endpoint": feedback.endpoint,
        "send": if feedback.send == crate::config::FeedbackSend::Form { "form" } else { "fetch" },
        "comment": feedback.comment && !feedback.endpoint.is_empty(),
        "mailto_yes": "",
        "mailto_no": "",
    });
    if !feedback.mailto.is_empty() {
        let strings = r.strings.of(&page.lang);
        let text = |key: &str| {
            strings
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let mail = |answer: &str, answer_text: &str| {
            let subject = text("helpful_mail_subject").replace("{title}", &page.title);
            let body = text("helpful_mail_body")
                .replace("{path}", &path)
                .replace("{lang}", &page.lang)
                .replace("{answer}", &format!("{answer} ({answer_text})"));
            format!(
                "mailto:{}?subject={}&body={}",
                feedback.mailto,
                percent_encode(&subject),
                percent_encode(&body)
            )
        };
        view["mailto_yes"] = json!(mail("yes", &text("helpful_yes")));
        view["mailto_no"] = json!(mail("no", &text("helpful_no")));
    }
    view
}

/// Percent-encodes everything but unreserved characters (RFC 3986), for mailto fields.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn mail_fields_are_encoded() {
        assert_eq!(
            super::percent_encode("a b&c=d\n提"),
            "a%20b%26c%3Dd%0A%E6%8F%90"
        );
    }
}
