//! Body conversions shared by the Markdown kinds: code-fence-aware line mapping, template
//! tag scanning, `:::` containers to GitHub alerts, MDX leftovers removed.

use super::report::Report;

/// Where a body is in its source file, and the report its removals go to.
pub(crate) struct BodyCtx<'a> {
    pub file: &'a str,
    /// Line of the source file on which the body starts.
    pub first_line: usize,
    pub report: &'a mut Report,
}

impl BodyCtx<'_> {
    pub(crate) fn removed(&mut self, index: usize, what: &str) {
        self.report
            .removed(self.file, self.first_line + index, what);
    }
}

/// Calls `f(index, line)` for each line outside fenced code; its answer replaces the line
/// (it may hold several lines, or none: an empty string keeps an empty line).
pub(crate) fn map_lines(body: &str, mut f: impl FnMut(usize, &str) -> String) -> String {
    let mut out = String::with_capacity(body.len());
    let mut fence: Option<String> = None;
    for (i, line) in body.lines().enumerate() {
        let trimmed = line.trim_start();
        let marker: String = trimmed
            .chars()
            .take_while(|c| *c == '`' || *c == '~')
            .collect();
        if marker.len() >= 3
            && marker
                .chars()
                .all(|c| c == marker.chars().next().unwrap_or('`'))
        {
            match &fence {
                None => fence = Some(marker),
                Some(open)
                    if trimmed.trim_end() == open.as_str()
                        || marker.starts_with(open.as_str())
                            && trimmed.trim_end().len() == marker.len() =>
                {
                    fence = None
                }
                Some(_) => {}
            }
            out.push_str(line);
        } else if fence.is_some() {
            out.push_str(line);
        } else {
            out.push_str(&f(i, line));
        }
        out.push('\n');
    }
    out
}

/// Replaces each `open ... close` in `line` by `f(inner)`.
pub(crate) fn replace_tags(
    line: &str,
    open: &str,
    close: &str,
    mut f: impl FnMut(&str) -> String,
) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find(open) {
        let after = &rest[start + open.len()..];
        let Some(end) = after.find(close) else { break };
        out.push_str(&rest[..start]);
        out.push_str(&f(after[..end].trim()));
        rest = &after[end + close.len()..];
    }
    out.push_str(rest);
    out
}

/// The GitHub alert kind for a callout name of any tool.
pub(crate) fn alert_kind(name: &str) -> &'static str {
    match name.to_ascii_lowercase().as_str() {
        "tip" | "hint" | "success" | "check" | "done" | "highlight" => "TIP",
        "important" | "question" | "help" | "faq" | "example" => "IMPORTANT",
        "warning" | "attention" | "warn" | "caution" => "WARNING",
        "danger" | "error" | "failure" | "fail" | "bug" | "missing" => "CAUTION",
        _ => "NOTE",
    }
}

/// Container lines `:::kind Title` / `:::kind[Title]` ... `:::` -> `> [!KIND]` alerts
/// (nested containers nest the quotes).
pub(crate) fn containers_to_alerts(body: &str) -> String {
    let mut depth = 0usize;
    map_lines(body, |_, line| {
        let prefix = "> ".repeat(depth);
        let trimmed = line.trim();
        if let Some(rest) = trimmed.strip_prefix(":::") {
            let rest = rest.trim_start_matches(':').trim();
            if rest.is_empty() && depth > 0 {
                depth -= 1;
                return String::new();
            }
            if !rest.is_empty() {
                let (kind, title) = container_head(rest);
                depth += 1;
                return alert_head(&prefix, kind, title.as_deref());
            }
        }
        if line.trim().is_empty() && depth > 0 {
            return prefix.trim_end().to_string();
        }
        format!("{prefix}{line}")
    })
}

/// `note Title`, `note[Title]`, `note{title="Title"}` -> (kind, title).
fn container_head(rest: &str) -> (&'static str, Option<String>) {
    let name_end = rest
        .find(|c: char| !c.is_alphanumeric() && c != '-' && c != '_')
        .unwrap_or(rest.len());
    let kind = alert_kind(&rest[..name_end]);
    let tail = rest[name_end..].trim();
    let title = if let Some(inner) = tail.strip_prefix('[') {
        inner.strip_suffix(']').map(str::to_string)
    } else if tail.starts_with('{') {
        tail.split_once("title=")
            .map(|(_, t)| t.trim_end_matches('}').trim_matches('"').to_string())
    } else {
        Some(tail.trim_matches('"').to_string())
    };
    (kind, title.filter(|t| !t.trim().is_empty()))
}

/// The first line(s) of an alert: `> [!KIND]`, then the title in bold.
pub(crate) fn alert_head(prefix: &str, kind: &str, title: Option<&str>) -> String {
    match title {
        Some(title) => format!("{prefix}> [!{kind}]\n{prefix}> **{}**", title.trim()),
        None => format!("{prefix}> [!{kind}]"),
    }
}

/// Arguments of a shortcode or a Liquid tag: positional and `key="value"`, quotes removed.
pub(crate) fn tag_args(text: &str) -> (Vec<String>, Vec<(String, String)>) {
    let (mut positional, mut named) = (Vec::new(), Vec::new());
    let mut rest = text.trim();
    while !rest.is_empty() {
        let (word, tail) = if let Some(quoted) = rest.strip_prefix('"') {
            let end = quoted.find('"').unwrap_or(quoted.len());
            (
                quoted[..end].to_string(),
                quoted.get(end + 1..).unwrap_or(""),
            )
        } else if let Some(eq) = rest.find('=').filter(|eq| !rest[..*eq].contains(' ')) {
            let (value, tail) = args_value(&rest[eq + 1..]);
            named.push((rest[..eq].to_string(), value));
            rest = tail.trim_start();
            continue;
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            (rest[..end].to_string(), &rest[end..])
        };
        positional.push(word);
        rest = tail.trim_start();
    }
    (positional, named)
}

fn args_value(text: &str) -> (String, &str) {
    let quote = text.chars().next().filter(|c| matches!(c, '"' | '\''));
    match quote.map(|q| (q, &text[1..])) {
        Some((quote, q)) => {
            let end = q.find(quote).unwrap_or(q.len());
            (q[..end].to_string(), q.get(end + 1..).unwrap_or(""))
        }
        None => {
            let end = text.find(char::is_whitespace).unwrap_or(text.len());
            (text[..end].to_string(), &text[end..])
        }
    }
}

/// Kramdown attribute lists `{: .class}` (a line of their own, or at a line's end) removed.
pub(crate) fn strip_ial(line: &str) -> String {
    replace_tags(line, "{:", "}", |_| String::new())
        .trim_end()
        .to_string()
}

/// MDX `import`/`export` lines, `{/* comments */}` and unknown component tags removed (their
/// text kept), each removal reported. `keep` turns a known component line into Markdown.
pub(crate) fn strip_mdx(
    body: &str,
    ctx: &mut BodyCtx<'_>,
    keep: impl Fn(&str) -> Option<String>,
) -> String {
    let mut out = String::with_capacity(body.len());
    let mut fence: Option<String> = None;
    // A tag or an import written over several lines is read as one line.
    let mut pending: Option<String> = None;
    // Per open component, the indent its text is written at (taken off: in MDX it is
    // not code, in Markdown it would be).
    let mut indents: Vec<Option<String>> = Vec::new();
    for (i, written) in body.lines().enumerate() {
        let line = dedent(written, &mut indents);
        if let Some(open) = &fence {
            if line.trim() == open.as_str() {
                fence = None;
            }
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let t = line.trim();
        let marker: String = t.chars().take_while(|c| *c == '`' || *c == '~').collect();
        if marker.len() >= 3 && pending.is_none() {
            fence = Some(marker);
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let whole = match pending.take() {
            Some(open) if !ends_statement(&format!("{open} {t}")) => {
                pending = Some(format!("{open} {t}"));
                String::new()
            }
            Some(open) => format!("{open} {t}"),
            None if !ends_statement(t) => {
                pending = Some(t.to_string());
                String::new()
            }
            None => line.to_string(),
        };
        if !whole.is_empty() {
            nest(whole.trim(), &mut indents);
            out.push_str(&mdx_line(&whole, i, ctx, &keep));
        }
        out.push('\n');
    }
    // A tag never closed is text, as written.
    if let Some(open) = pending {
        out.push_str(&open);
        out.push('\n');
    }
    out
}

/// The line without the indent of the component it is in (the first line of a component's
/// text sets that indent).
fn dedent<'a>(line: &'a str, indents: &mut [Option<String>]) -> &'a str {
    let Some(top) = indents.last_mut() else {
        return line;
    };
    if top.is_none() && !line.trim().is_empty() {
        *top = Some(line[..line.len() - line.trim_start().len()].to_string());
    }
    match top.as_deref() {
        Some(prefix) if line.starts_with(prefix) => &line[prefix.len()..],
        _ => line.trim_start(),
    }
}

/// A component tag line opens (`<Card title="x">`) or closes (`</Card>`) a level.
fn nest(t: &str, indents: &mut Vec<Option<String>>) {
    let tag = t.starts_with('<') && t[1..].starts_with(|c: char| c.is_ascii_uppercase());
    if t.starts_with("</") && t.ends_with('>') {
        indents.pop();
    } else if tag && t.ends_with('>') && !t.ends_with("/>") && !t.contains("</") {
        indents.push(None);
    }
}

/// Whether `t` is whole: not the start of a component tag or an import that goes on.
fn ends_statement(t: &str) -> bool {
    let opens_tag = t.starts_with('<') && t[1..].starts_with(|c: char| c.is_ascii_uppercase());
    if opens_tag {
        return t.contains('>');
    }
    !t.starts_with("import {") || t.contains(" from ")
}

fn mdx_line(
    line: &str,
    i: usize,
    ctx: &mut BodyCtx<'_>,
    keep: &impl Fn(&str) -> Option<String>,
) -> String {
    let t = line.trim();
    if t.starts_with("import ") || t.starts_with("export ") {
        ctx.removed(i, t);
        return String::new();
    }
    if let Some(kept) = keep(t) {
        return kept;
    }
    let line = replace_tags(line, "{/*", "*/}", |_| String::new());
    let t = line.trim();
    if is_component_line(t) {
        ctx.removed(i, t);
        return String::new();
    }
    line
}

/// The value of `name="..."` (or `'...'`) among a JSX tag's attributes.
pub(crate) fn jsx_attr(attrs: &str, name: &str) -> Option<String> {
    let mut from = 0;
    while let Some(found) = attrs[from..].find(&format!("{name}=")) {
        let at = from + found;
        from = at + name.len() + 1;
        if at > 0 && !attrs[..at].ends_with(char::is_whitespace) {
            continue;
        }
        let rest = &attrs[from..];
        let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\''))?;
        return rest[1..].split(quote).next().map(str::to_string);
    }
    None
}

/// MDX tabs (`<Tabs>`, `<TabItem value="win" label="Windows">`, Docusaurus' and Starlight's):
/// each tab becomes a bold line with its label, its text kept below; the other tags go.
pub(crate) fn tabs(line: &str) -> Option<String> {
    if matches!(line, "</TabItem>" | "</Tabs>") || line.starts_with("<Tabs") && line.ends_with('>')
    {
        return Some(String::new());
    }
    let attrs = line.strip_prefix("<TabItem")?.strip_suffix('>')?;
    let label = jsx_attr(attrs, "label")
        .or_else(|| jsx_attr(attrs, "value"))
        .unwrap_or_default();
    Some(format!("**{}**\n", label.trim()))
}

/// A line that is only a JSX component tag: `<Tabs>`, `</TabItem>`, `<Card title="x" />`.
fn is_component_line(t: &str) -> bool {
    let name = t.strip_prefix("</").or_else(|| t.strip_prefix('<'));
    name.is_some_and(|n| n.starts_with(|c: char| c.is_ascii_uppercase())) && t.ends_with('>')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containers_become_alerts_and_code_is_left_alone() {
        let body =
            ":::tip[Before you start]\nCheck **this**.\n\nAnd that.\n:::\n\n```md\n:::note\n```\n";
        assert_eq!(
            containers_to_alerts(body),
            "> [!TIP]\n> **Before you start**\n> Check **this**.\n>\n> And that.\n\n\n```md\n:::note\n```\n"
        );
    }

    #[test]
    fn kinds() {
        assert_eq!(alert_kind("danger"), "CAUTION");
        assert_eq!(alert_kind("Warning"), "WARNING");
        assert_eq!(alert_kind("info"), "NOTE");
        assert_eq!(alert_kind("important"), "IMPORTANT");
        assert_eq!(alert_kind("whatever"), "NOTE");
    }

    #[test]
    fn tags_are_replaced_in_place() {
        let line = "See {{ site.baseurl }}/a and {{ page.x }}.";
        assert_eq!(
            replace_tags(line, "{{", "}}", |_| "X".into()),
            "See X/a and X."
        );
        assert_eq!(strip_ial("Text {: .note}"), "Text");
    }

    #[test]
    fn mdx_tags_and_imports_over_several_lines_are_one() {
        let mut report = Report::new(super::super::detect::Kind::Starlight, "t".into());
        let mut ctx = BodyCtx {
            file: "a.mdx",
            first_line: 1,
            report: &mut report,
        };
        let body = "import {\n  Card,\n} from 'x';\n<Thing\n  a=\"1\"\n/>\nText.\n";
        assert_eq!(strip_mdx(body, &mut ctx, |_| None), "\n\n\n\n\n\nText.\n");
        let nested = "<Steps>\n\t1. Open it.\n\n\t   ```sh\n\t   run\n\t   ```\n</Steps>\nAfter.\n";
        assert_eq!(
            strip_mdx(nested, &mut ctx, |_| None),
            "\n1. Open it.\n\n   ```sh\n   run\n   ```\n\nAfter.\n"
        );
        let out = report.render();
        assert!(out.contains("a.mdx:3: import { Card, } from 'x';"), "{out}");
        assert!(out.contains("a.mdx:6: <Thing a=\"1\" />"), "{out}");
    }

    #[test]
    fn mdx_tabs_become_labelled_text() {
        assert_eq!(
            tabs("<TabItem value=\"win\" label=\"Windows\">").as_deref(),
            Some("**Windows**\n")
        );
        assert_eq!(tabs("<TabItem value='mac'>").as_deref(), Some("**mac**\n"));
        assert_eq!(tabs("<Tabs groupId=\"os\">").as_deref(), Some(""));
        assert_eq!(tabs("</TabItem>").as_deref(), Some(""));
        assert_eq!(tabs("<Card title=\"x\" />"), None);
    }
}
