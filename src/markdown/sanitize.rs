//! `[markdown] raw_html = "safe"`: HTML written in an article is kept when it is on
//! an allow-list, enforced by `ammonia` (an html5ever-based sanitizer): the tags
//! Markdown itself writes, plus `details`/`summary`, `kbd`, `sup`/`sub`, `br`, and `img`
//! and `a` with plain attributes. Scripts, event handlers, `style`, `iframe` and
//! `javascript:` addresses are removed.
//!
//! Only a body that has raw HTML is sanitized, so the others are written as with
//! `raw_html = false`. What helpsite itself writes into a body (callouts, shortcodes,
//! highlighted code, sized images) is trusted: it is held out of the sanitizer as a
//! placeholder (`Trusted`) and put back afterwards.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

const TRUSTED_START: char = '\u{E003}';
const TRUSTED_END: char = '\u{E004}';

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(sanitizer);

/// The tags Markdown itself writes, and those writers reach for.
const TAGS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "ul",
    "ol",
    "li",
    "pre",
    "code",
    "em",
    "strong",
    "del",
    "a",
    "img",
    "hr",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "sup",
    "input",
    "div",
    "details",
    "summary",
    "kbd",
    "sub",
];

/// The attributes each tag keeps (headings also keep `id` and `class`).
const ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "title", "class", "aria-hidden", "tabindex"]),
    (
        "img",
        &[
            "src", "alt", "title", "width", "height", "loading", "decoding",
        ],
    ),
    ("details", &["open"]),
    ("ol", &["start"]),
    ("code", &["class"]),
    ("sup", &["class"]),
    ("div", &["class", "id"]),
    (
        "input",
        &["type", "class", "disabled", "checked", "aria-hidden"],
    ),
    ("th", &["style"]),
    ("td", &["style"]),
];

fn sanitizer() -> ammonia::Builder<'static> {
    let headings = ["h1", "h2", "h3", "h4", "h5", "h6"].map(|h| (h, &["id", "class"][..]));
    let attributes: HashMap<&str, HashSet<&str>> = ATTRIBUTES
        .iter()
        .copied()
        .chain(headings)
        .map(|(tag, attrs)| (tag, attrs.iter().copied().collect()))
        .collect();
    let mut builder = ammonia::Builder::empty();
    builder
        .tags(TAGS.iter().copied().collect())
        .tag_attributes(attributes)
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .link_rel(None)
        // Table cells keep their alignment, the one style Markdown writes.
        .filter_style_properties(["text-align"].into_iter().collect())
        .attribute_filter(|tag, attr, value| match (tag, attr) {
            ("input", "type") if value != "checkbox" => None,
            _ => Some(value.into()),
        });
    builder
}

/// Pieces of HTML written by helpsite, held out of the sanitizer.
#[derive(Debug, Default)]
pub(crate) struct Trusted {
    pieces: Vec<String>,
    /// Put back already (each piece goes back once).
    restored: Vec<bool>,
}

impl Trusted {
    /// Keeps `html` and gives the placeholder that stands for it.
    pub(crate) fn hold(&mut self, html: String) -> String {
        let token = format!("{TRUSTED_START}{}{TRUSTED_END}", self.pieces.len());
        self.pieces.push(html);
        self.restored.push(false);
        token
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.pieces.is_empty()
    }

    /// Puts each piece back, once; anything else that looks like a placeholder stays
    /// as it is.
    pub(crate) fn restore(&mut self, html: &str) -> String {
        let mut out = String::with_capacity(html.len());
        let mut rest = html;
        while let Some(start) = rest.find(TRUSTED_START) {
            out.push_str(&rest[..start]);
            let after = &rest[start + TRUSTED_START.len_utf8()..];
            let number_len = after
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(after.len());
            let closes = after[number_len..].starts_with(TRUSTED_END);
            match after[..number_len].parse::<usize>() {
                Ok(n) if closes && n < self.pieces.len() && !self.restored[n] => {
                    out.push_str(&self.pieces[n]);
                    self.restored[n] = true;
                    rest = &after[number_len + TRUSTED_END.len_utf8()..];
                }
                _ => {
                    out.push(TRUSTED_START);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// `html` with what the allow-list does not allow removed, and the trusted pieces put back.
pub(crate) fn clean(html: &str, trusted: &mut Trusted) -> String {
    let cleaned = SANITIZER.clean(html).to_string();
    trusted.restore(&cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_allow_list_keeps_what_writers_need_and_removes_script() {
        let mut trusted = Trusted::default();
        let html = r#"<details open><summary>More</summary><p>Press <kbd>Ctrl</kbd> H<sub>2</sub>O<br></p></details><script>alert(1)</script><img src="a.png" onerror="x()" alt="A"><a href="javascript:alert(1)">x</a><iframe src="https://example.com"></iframe>"#;
        assert_eq!(
            clean(html, &mut trusted),
            r#"<details open=""><summary>More</summary><p>Press <kbd>Ctrl</kbd> H<sub>2</sub>O<br></p></details><img src="a.png" alt="A"><a>x</a>"#
        );
    }

    #[test]
    fn trusted_pieces_come_back_once() {
        let mut trusted = Trusted::default();
        let a = trusted.hold("<iframe src=\"https://www.youtube-nocookie.com/\"></iframe>".into());
        let b = trusted.hold("<div data-callout=\"note\">".into());
        let html = format!("<p>{a}</p>{b}<p>{a}</p>");
        assert_eq!(
            clean(&html, &mut trusted),
            format!("<p><iframe src=\"https://www.youtube-nocookie.com/\"></iframe></p><div data-callout=\"note\"><p>{a}</p>")
        );
    }
}
