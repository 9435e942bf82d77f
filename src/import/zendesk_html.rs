//! Zendesk article HTML -> Markdown with `htmd`; callout boxes (`class="callout callout--warning"`,
//! `alert alert-danger`, ...) become GitHub alerts.

use htmd::{Element, HtmlToMarkdown};

use super::convert::alert_kind;

/// Class words that mark a callout box, and the kind a modifier names.
fn callout_kind(class: &str) -> Option<&'static str> {
    let words: Vec<&str> = class.split_whitespace().collect();
    let marked = words.iter().any(|w| {
        let base = w.split(['-', '_']).next().unwrap_or("");
        matches!(
            base,
            "callout" | "alert" | "note" | "notice" | "tip" | "warning" | "wysiwyg"
        )
    });
    if !marked {
        return None;
    }
    let modifier = words
        .iter()
        .flat_map(|w| w.split(['-', '_']))
        .find(|part| {
            !part.is_empty() && !matches!(*part, "callout" | "alert" | "wysiwyg" | "notice" | "box")
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
}
