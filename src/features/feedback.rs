//! "Was this article helpful?": what an article's feedback box needs (`[feedback]`).

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;
use serde_json::Value;

use crate::config::FeedbackSend;
use crate::model::rendered::RenderedSite;
use crate::model::PageId;

/// The *Feedback* of THEME.md: what an article's feedback box needs.
#[derive(Debug, Serialize)]
pub(crate) struct FeedbackView<'a> {
    /// The values to send.
    pub path: String,
    pub lang: &'a str,
    /// The form's `action`, or empty.
    pub endpoint: &'a str,
    /// `"fetch"` or `"form"`.
    pub send: &'static str,
    /// Whether to offer a comment box.
    pub comment: bool,
    /// Prepared `mailto:` links when feedback goes by e-mail, else empty.
    pub mailto_yes: String,
    pub mailto_no: String,
}

/// The feedback box of an article, or none when feedback is off.
pub(crate) fn view<'a>(r: &RenderedSite<'a>, id: PageId) -> Option<FeedbackView<'a>> {
    let feedback = &r.config.feedback;
    if !feedback.enabled() {
        return None;
    }
    let page = &r.site.pages[id];
    let mut view = FeedbackView {
        path: r.urls.url(&page.path),
        lang: &page.lang,
        endpoint: &feedback.endpoint,
        send: match feedback.send {
            FeedbackSend::Form => "form",
            FeedbackSend::Fetch => "fetch",
        },
        comment: feedback.comment && !feedback.endpoint.is_empty(),
        mailto_yes: String::new(),
        mailto_no: String::new(),
    };
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
                .replace("{path}", &view.path)
                .replace("{lang}", &page.lang)
                .replace("{answer}", &format!("{answer} ({answer_text})"));
            format!(
                "mailto:{}?subject={}&body={}",
                feedback.mailto,
                percent_encode(&subject),
                percent_encode(&body)
            )
        };
        let (yes, no) = (
            mail("yes", &text("helpful_yes")),
            mail("no", &text("helpful_no")),
        );
        view.mailto_yes = yes;
        view.mailto_no = no;
    }
    Some(view)
}

/// Everything but the unreserved characters of RFC 3986 (`A-Z a-z 0-9 - . _ ~`)
/// is escaped in mailto fields.
const MAILTO_FIELD: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a mailto field.
fn percent_encode(text: &str) -> String {
    utf8_percent_encode(text, MAILTO_FIELD).to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn mail_fields_are_encoded() {
        assert_eq!(
            super::percent_encode("a b&c=d\n提"),
            "a%20b%26c%3Dd%0A%E6%8F%90"
        );
        assert_eq!(super::percent_encode("A-z_0.9~+/"), "A-z_0.9~%2B%2F");
    }
}
