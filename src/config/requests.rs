//! `[requests]` (the site's own request form) and `[insights]` (anonymous events sent
//! by readers' browsers), as written and checked, each problem at its file:line:col.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::diag::{line_col, Diagnostic};

/// The names the request form itself uses; an extra field may not take one.
pub(crate) const BUILT_IN_FIELDS: [&str; 7] = [
    "name", "email", "topic", "subject", "message", "lang", "website",
];

/// Words for readers: the same in every language, or one text per language code.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub(crate) enum LocalText {
    Same(String),
    PerLanguage(BTreeMap<String, String>),
}

impl LocalText {
    /// The text for `lang`, else the default language's, else any.
    pub(crate) fn in_lang(&self, lang: &str, default_lang: &str) -> String {
        match self {
            LocalText::Same(text) => text.clone(),
            LocalText::PerLanguage(texts) => texts
                .get(lang)
                .or_else(|| texts.get(default_lang))
                .or_else(|| texts.values().next())
                .cloned()
                .unwrap_or_default(),
        }
    }
}

/// `[requests]`: where the request form sends what readers write, and what it asks.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RequestsConfig {
    /// Where requests are POSTed (JSON with JavaScript, form-encoded without); none:
    /// sending opens the reader's mail app, addressed to the email channel.
    pub endpoint: Option<Spanned<String>>,
    /// The choices of "Topic"; none: the site's categories in the page's language.
    #[serde(default)]
    pub topics: Vec<RequestTopic>,
    /// The site's own fields, asked after the subject.
    #[serde(default)]
    pub fields: Vec<RequestField>,
}

impl RequestsConfig {
    /// The endpoint, or "" for the mail fallback.
    pub(crate) fn endpoint(&self) -> &str {
        self.endpoint.as_ref().map_or("", |e| e.get_ref().as_str())
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RequestTopic {
    /// What is sent (and counted in insights), e.g. "account".
    pub id: Spanned<String>,
    pub label: LocalText,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RequestField {
    /// The key it is sent under, e.g. "order_number".
    pub name: Spanned<String>,
    pub label: LocalText,
    #[serde(default)]
    pub required: bool,
    /// What a valid answer looks like: the HTML `pattern` (the whole answer must match).
    pub pattern: Option<Spanned<String>>,
    /// A help text under the field, e.g. "Like PB-123456"; also said when the pattern fails.
    pub hint: Option<LocalText>,
}

/// `[insights]`: off unless an endpoint is set.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct InsightsConfig {
    /// Where the browser sends its events with `navigator.sendBeacon`.
    pub endpoint: Option<Spanned<String>>,
}

/// Checks `[requests]` and `[insights]` against the text they were read from.
pub(super) fn validate(
    requests: &RequestsConfig,
    insights: &InsightsConfig,
    languages: &[String],
    text: &str,
    file: &Path,
) -> Vec<Diagnostic> {
    let at = |offset: usize, message: String, hint: &str| {
        let (line, col) = line_col(text, offset);
        Diagnostic::error(message)
            .in_file(file)
            .at(line, col)
            .with_hint(hint)
    };
    let mut problems = Vec::new();
    for (table, endpoint) in [
        ("requests", &requests.endpoint),
        ("insights", &insights.endpoint),
    ] {
        if let Some(endpoint) = endpoint {
            if !is_endpoint(endpoint.get_ref()) {
                problems.push(at(
                    endpoint.span().start,
                    format!("[{table}] `endpoint` {:?} is not a web address", endpoint.get_ref()),
                    "write a full address such as \"https://forms.example.com/help\", or a path such as \"/collect\"",
                ));
            }
        }
    }
    let mut seen = BTreeSet::new();
    for topic in &requests.topics {
        let id = topic.id.get_ref();
        let start = topic.id.span().start;
        if !is_key(id) {
            problems.push(at(
                start,
                format!("topic id {id:?} is not a plain name"),
                KEY_HINT,
            ));
        } else if !seen.insert(id.clone()) {
            problems.push(at(
                start,
                format!("topic `{id}` is listed twice"),
                "give each topic its own id",
            ));
        }
        problems
            .extend(unknown_languages(&topic.label, languages).map(|m| at(start, m, LANG_HINT)));
    }
    let mut seen = BTreeSet::new();
    for field in &requests.fields {
        problems.extend(check_field(field, languages, &mut seen, &at));
    }
    problems
}

const KEY_HINT: &str =
    "use lower-case letters, digits, `_` and `-`, starting with a letter, e.g. \"order_number\"";
const LANG_HINT: &str = "name the site's languages (`default_language` and [languages])";

fn check_field(
    field: &RequestField,
    languages: &[String],
    seen: &mut BTreeSet<String>,
    at: &impl Fn(usize, String, &str) -> Diagnostic,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let name = field.name.get_ref();
    let start = field.name.span().start;
    if !is_key(name) {
        problems.push(at(
            start,
            format!("field name {name:?} is not a plain name"),
            KEY_HINT,
        ));
    } else if BUILT_IN_FIELDS.contains(&name.as_str()) {
        problems.push(at(
            start,
            format!("field name `{name}` is one the form already uses"),
            "choose another name: name, email, topic, subject, message, lang and website are taken",
        ));
    } else if !seen.insert(name.clone()) {
        problems.push(at(
            start,
            format!("field `{name}` is declared twice"),
            "give each field its own name",
        ));
    }
    let texts = std::iter::once(&field.label).chain(&field.hint);
    for message in texts.flat_map(|t| unknown_languages(t, languages)) {
        problems.push(at(start, message, LANG_HINT));
    }
    if let Some(pattern) = &field.pattern {
        if let Err((offset, message)) = check_pattern(pattern.get_ref()) {
            // The span starts at the opening quote.
            problems.push(at(
                pattern.span().start + 1 + offset,
                format!("`pattern` of field `{name}`: {message}"),
                "write a regular expression the whole answer must match, e.g. \"PB-[0-9]{6}\"",
            ));
        }
    }
    problems
}

fn unknown_languages<'t>(
    text: &'t LocalText,
    languages: &'t [String],
) -> impl Iterator<Item = String> + 't {
    let keys: Vec<&String> = match text {
        LocalText::Same(_) => Vec::new(),
        LocalText::PerLanguage(texts) => texts.keys().collect(),
    };
    keys.into_iter()
        .filter(|code| !languages.contains(code))
        .map(|code| format!("`{code}` is not a language of this site"))
}

/// `https://…`, `http://…` or a path on the site's host, with nothing that could end
/// an attribute or a URL early.
pub(crate) fn is_endpoint(value: &str) -> bool {
    let web = value.starts_with("https://") || value.starts_with("http://");
    (web || (value.starts_with('/') && !value.starts_with("//")))
        && !value.contains(|c: char| c.is_whitespace() || "\"'<>\\".contains(c))
}

fn is_key(value: &str) -> bool {
    value.len() <= 40
        && value.starts_with(|c: char| c.is_ascii_lowercase())
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// Catches the slips a writer makes in a pattern (an unclosed group or class, a
/// stray closing bracket, a trailing backslash) and says where, as a byte offset. The
/// browser checks the rest: a pattern it cannot compile is ignored there.
fn check_pattern(pattern: &str) -> Result<(), (usize, String)> {
    let mut open: Vec<(usize, char)> = Vec::new();
    let mut in_class: Option<usize> = None;
    let mut chars = pattern.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if chars.next().is_none() => {
                return Err((i, "it ends with a lone `\\`".into()));
            }
            '\\' => {}
            ']' if in_class.is_some() => in_class = None,
            _ if in_class.is_some() => {}
            '[' => in_class = Some(i),
            '(' | '{' => open.push((i, c)),
            ')' | '}' | ']' => {
                let wanted = match c {
                    ')' => '(',
                    '}' => '{',
                    _ => '[',
                };
                match open.pop() {
                    Some((_, o)) if o == wanted => {}
                    _ => return Err((i, format!("`{c}` closes nothing"))),
                }
            }
            _ => {}
        }
    }
    if let Some(i) = in_class {
        return Err((i, "this `[` is never closed".into()));
    }
    match open.pop() {
        Some((i, c)) => Err((i, format!("this `{c}` is never closed"))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_with_unbalanced_brackets_are_found() {
        assert_eq!(check_pattern("PB-[0-9]{6}"), Ok(()));
        assert_eq!(check_pattern("(a|b)\\)"), Ok(()));
        assert_eq!(check_pattern("[(]"), Ok(()));
        assert_eq!(
            check_pattern("PB-[0-9"),
            Err((3, "this `[` is never closed".into()))
        );
        assert_eq!(
            check_pattern("a{2"),
            Err((1, "this `{` is never closed".into()))
        );
        assert_eq!(check_pattern("a)"), Err((1, "`)` closes nothing".into())));
        assert_eq!(check_pattern("(a}"), Err((2, "`}` closes nothing".into())));
        assert_eq!(
            check_pattern("ab\\"),
            Err((2, "it ends with a lone `\\`".into()))
        );
    }

    #[test]
    fn endpoints_are_addresses_or_paths() {
        assert!(is_endpoint("https://forms.example.com/x"));
        assert!(is_endpoint("/collect"));
        assert!(!is_endpoint("//evil.example.com/"));
        assert!(!is_endpoint("javascript:alert(1)"));
        assert!(!is_endpoint("https://a.example.com/\"x"));
    }

    #[test]
    fn local_text_falls_back_to_the_default_language() {
        let text = LocalText::PerLanguage(
            [("zh".to_string(), "订单号".to_string())]
                .into_iter()
                .collect(),
        );
        assert_eq!(text.in_lang("en", "zh"), "订单号");
        assert_eq!(LocalText::Same("x".into()).in_lang("en", "zh"), "x");
    }
}
