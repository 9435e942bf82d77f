//! Zendesk article HTML -> Markdown with `htmd`; callout boxes (`class="callout callout--warning"`,
//! `alert alert-danger`, ...) become GitHub alerts. The same converter turns the callout
//! boxes that writers of Markdown sites put in as HTML into alerts.

use htmd::{Element, HtmlToMarkdown};

use super::convert::{alert_kind, map_lines};

/// Class words that mark a callout box, and the kind a modifier names.
fn callout_kind(class: &str) -> Option<&'static str> {
    let words: Vec<&str> = class.split_whitespace().collect();
    let marked = words.iter().any(|w| {
        let base = w.split(['-', '_']).next().unwrap_or("");
        matches!(
            base,
            "callout"
                | "alert"
                | "admonition"
                | "note"
                | "notice"
                | "tip"
                | "info"
                | "warning"
                | "caution"
                | "danger"
                | "important"
                | "wysiwyg"
        )
    });
    if !marked {
        return None;
    }
    let modifier = words
        .iter()
        .flat_map(|w| w.split(['-', '_']))
        .find(|part| {
            !part.is_empty()
                && !matches!(
                    *part,
                    "callout" | "alert" | "admonition" | "wysiwyg" | "notice" | "box"
                )
        })
        .unwrap_or("note");
    Some(alert_kind(modifier))
}

fn converter() -> HtmlToMarkdown {
    HtmlToMarkdown::builder()
        .skip_tags(vec!["script", "style", "iframe"])
        .add_handler(
            vec!["div", "p", "aside"],
            |handlers: &dyn htmd::element_handler::Handlers, element: Element| {
                let class = element
                    .attrs
                    .iter()
                    .find(|a| &*a.name.local == "class")
                    .map(|a| a.value.to_string())
                    .unwrap_or_default();
                let Some(kind) = callout_kind(&class) else {
                    return handlers.fallback(element);
                };
                let inner = handlers.walk_children(element.node).content;
                let quoted: Vec<String> = inner
                    .trim()
                    .lines()
                    .map(|l| format!("> {l}").trim_end().to_string())
                    .collect();
                Some(format!("\n\n> [!{kind}]\n{}\n\n", quoted.join("\n")).into())
            },
        )
        .build()
}

/// The Markdown of an article body.
pub(crate) fn to_markdown(html: &str) -> std::io::Result<String> {
    Ok(converter().convert(html)?.trim().to_string() + "\n")
}

/// Tags that may hold a callout box written as HTML in a Markdown body.
const BOX_TAGS: [&str; 5] = ["aside", "div", "p", "blockquote", "section"];

/// A callout box written as HTML in a Markdown body (`<aside class="warning">`, MkDocs'
/// `<div class="admonition note">`) -> an alert; other HTML stays as written.
pub(crate) fn html_callouts(body: &str) -> String {
    let mut open: Option<(&'static str, String)> = None;
    let mut out = map_lines(body, |_, line| {
        if let Some((tag, html)) = &mut open {
            html.push_str(line);
            html.push('\n');
            if depth(html, tag) > 0 {
                return String::new();
            }
            let done = std::mem::take(html);
            open = None;
            return box_to_markdown(&done);
        }
        let Some(tag) = box_start(line) else {
            return line.to_string();
        };
        let html = format!("{line}\n");
        if depth(&html, tag) > 0 {
            open = Some((tag, html));
            return String::new();
        }
        box_to_markdown(&html)
    });
    if let Some((_, html)) = open {
        out.push_str(&html);
    }
    out
}

/// The tag of a line that opens a callout box (`<aside class="warning">`).
fn box_start(line: &str) -> Option<&'static str> {
    let t = line.trim_start().strip_prefix('<')?;
    let tag = BOX_TAGS
        .into_iter()
        .find(|tag| t.starts_with(tag) && t[tag.len()..].starts_with([' ', '>']))?;
    let head = &t[..t.find('>')?];
    let (_, class) = head.split_once("class=")?;
    let quote = class.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let class = class[1..].split(quote).next()?;
    callout_kind(class).map(|_| tag)
}

/// Opened minus closed `tag` elements in `html`.
fn depth(html: &str, tag: &str) -> i64 {
    let opened = html
        .match_indices(&format!("<{tag}"))
        .filter(|(i, _)| html[i + tag.len() + 1..].starts_with([' ', '>']))
        .count();
    let closed = html.matches(&format!("</{tag}>")).count();
    opened as i64 - closed as i64
}

fn box_to_markdown(html: &str) -> String {
    match to_markdown(html) {
        Ok(markdown) => format!("\n{}\n", markdown.trim()),
        Err(_) => html.trim_end().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_and_callouts() {
        let md = to_markdown("<h2>Steps</h2><ol><li>Open <strong>Billing</strong>.</li></ol><div class=\"callout callout--warning\"><p>Refunds take 5 days.</p></div>").unwrap();
        assert_eq!(
            md,
            "## Steps\n\n1.  Open **Billing**.\n\n> [!WARNING]\n> Refunds take 5 days.\n"
        );
    }

    #[test]
    fn html_callout_boxes_in_markdown_become_alerts() {
        let body = "Intro.\n\n<aside class=\"warning\"> Send the <code>id</code> too.\n</aside>\n\n<div class=\"admonition tip\">\n<p>Nested <div>box</div> ok.</p>\n</div>\n\n```html\n<aside class=\"note\">code</aside>\n```\n<div class=\"grid\">kept</div>\n";
        assert_eq!(
            html_callouts(body),
            "Intro.\n\n\n\n> [!WARNING]\n> Send the `id` too.\n\n\n\n\n\n> [!TIP]\n> Nested\n>\n> box\n>\n> ok.\n\n\n```html\n<aside class=\"note\">code</aside>\n```\n<div class=\"grid\">kept</div>\n"
        );
    }
}
