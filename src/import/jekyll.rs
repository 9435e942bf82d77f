//! Jekyll: `_config.yml`, pages anywhere but `_`-folders (collections like `_docs` and
//! `_posts` kept), Liquid tags, kramdown attribute lists, `.html` addresses or `permalink`.

use std::path::PathBuf;

use super::convert::{
    alert_kind, containers_to_alerts, map_lines, replace_tags, strip_ial, tag_args, BodyCtx,
};
use super::front_matter::Front;
use super::links::REF;
use super::profile::Profile;
use super::settings::non_empty;
use super::ImportError;

/// Liquid block tags that wrap a callout (`{% callout warning %}`, `{% note %}`).
const CALLOUT_TAGS: &[&str] = &[
    "callout",
    "alert",
    "note",
    "tip",
    "warning",
    "important",
    "caution",
    "danger",
    "info",
];

pub(crate) fn profile(root: PathBuf) -> Result<Profile, ImportError> {
    let config = super::settings::read_yaml_file(&root, "_config.yml")?;
    let text = |key: &str| {
        config
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    let base_url = match (text("url"), text("baseurl")) {
        (url, base) if !url.is_empty() => format!(
            "{}{}/",
            url.trim_end_matches('/'),
            base.trim_end_matches('/')
        ),
        _ => "https://help.example.com/".to_string(),
    };
    Ok(Profile {
        content: root.clone(),
        static_dirs: vec![root.clone()],
        title: non_empty(text("title"), "Help Center"),
        description: text("description"),
        base_url,
        default_lang: non_empty(text("lang"), "en"),
        root,
        translations: Vec::new(),
        language_names: Default::default(),
        notes: Vec::new(),
        section_files: &["index"],
        page_bundles: false,
        lang_suffix: false,
        skip_dirs: &[
            "_site",
            "_includes",
            "_layouts",
            "_sass",
            "_data",
            "_plugins",
            "vendor",
            "README.md",
            "404.md",
            "CHANGELOG.md",
            "LICENSE.md",
        ],
        url_prefixes: &[],
        old_url,
        convert,
    })
}

/// `permalink`, else `/folder/name.html` (collections' `_` dropped).
fn old_url(dirs: &[String], stem: &str, front: &Front) -> String {
    if let Some(p) = &front.permalink {
        return p.clone();
    }
    let mut parts: Vec<&str> = dirs
        .iter()
        .map(|d| d.trim_start_matches('_'))
        .filter(|d| *d != "docs")
        .collect();
    parts.push(stem);
    format!("/{}.html", parts.join("/"))
}

fn convert(body: &str, ctx: &mut BodyCtx<'_>) -> String {
    let body = liquid(body, ctx);
    containers_to_alerts(&just_the_docs_callouts(&body))
}

/// Every Liquid tag and output, in code too (Jekyll runs Liquid before Markdown): links
/// kept as links, callouts as containers, `{% highlight %}` blocks as fences, the rest
/// removed and reported. Text between `{% raw %}` and `{% endraw %}` is what the writer
/// wanted shown as written: it stays, without the two tags.
fn liquid(body: &str, ctx: &mut BodyCtx<'_>) -> String {
    let mut raw = false;
    let mut in_comment = false;
    let mut out = String::with_capacity(body.len());
    // A tag written over several lines (`{% include note.html content="...` then `" %}`)
    // is read whole; the lines it took stay, empty, so later lines keep their numbers.
    let mut pending: Option<(String, usize)> = None;
    for (i, written) in body.lines().enumerate() {
        let joined;
        let line = match pending.take() {
            Some((open, n)) => {
                joined = format!("{open}\n{written}");
                if !raw && unclosed_tag(&joined) {
                    pending = Some((joined, n + 1));
                    continue;
                }
                out.push_str(&"\n".repeat(n));
                joined.as_str()
            }
            None if !raw && !in_comment && unclosed_tag(written) => {
                pending = Some((written.to_string(), 1));
                continue;
            }
            None => written,
        };
        let t = line.trim();
        if !raw && in_comment {
            in_comment = !t.contains("endcomment");
            out.push('\n');
            continue;
        }
        if !raw && find_tag(t, "comment").is_some_and(|(start, _)| start == 0) {
            ctx.removed(i, t);
            in_comment = !t.contains("endcomment");
            out.push('\n');
            continue;
        }
        let whole = if raw { None } else { whole_line_tag(t) };
        match whole {
            Some(fence) => out.push_str(&fence),
            None => out.push_str(&liquid_line(line, i, &mut raw, ctx)),
        }
        out.push('\n');
    }
    // A tag never closed is text, as written.
    if let Some((open, _)) = pending {
        out.push_str(&open);
        out.push('\n');
    }
    out
}

/// Whether the last `{%` of `text` has no `%}` after it.
fn unclosed_tag(text: &str) -> bool {
    text.rfind("{%")
        .is_some_and(|open| !text[open..].contains("%}"))
}

/// `{% highlight lang %}` -> an opening fence, `{% endhighlight %}` -> a closing one.
fn whole_line_tag(t: &str) -> Option<String> {
    let inner = t.strip_prefix("{%")?.strip_suffix("%}")?;
    let inner = inner.trim_matches('-').trim();
    if inner == "endhighlight" {
        return Some("```".into());
    }
    let lang = inner.strip_prefix("highlight")?;
    lang.starts_with(' ')
        .then(|| format!("```{}", lang.split_whitespace().next().unwrap_or("")))
}

/// One line's tags and outputs, with `raw` carried from line to line.
fn liquid_line(line: &str, i: usize, raw: &mut bool, ctx: &mut BodyCtx<'_>) -> String {
    let mut out = String::new();
    let mut rest = line;
    loop {
        if *raw {
            let Some((start, end)) = find_tag(rest, "endraw") else {
                out.push_str(rest);
                break;
            };
            out.push_str(&rest[..start]);
            rest = &rest[end..];
            *raw = false;
            continue;
        }
        let (chunk, next) = match find_tag(rest, "raw") {
            Some((start, end)) => (&rest[..start], Some(&rest[end..])),
            None => (rest, None),
        };
        let chunk = replace_tags(chunk, "{%", "%}", |tag| block_tag(tag, i, ctx));
        out.push_str(&replace_tags(&chunk, "{{", "}}", |expr| {
            output(expr, i, ctx)
        }));
        match next {
            Some(after) => {
                rest = after;
                *raw = true;
            }
            None => break,
        }
    }
    out
}

/// Byte range of the first `{% NAME %}` of `text` (`{%- NAME -%}` too).
fn find_tag(text: &str, name: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(found) = text[from..].find("{%") {
        let start = from + found;
        let end = start + text[start..].find("%}")? + 2;
        let inner = text[start + 2..end - 2].trim_matches('-').trim();
        if inner == name {
            return Some((start, end));
        }
        from = start + 2;
    }
    None
}

fn block_tag(tag: &str, i: usize, ctx: &mut BodyCtx<'_>) -> String {
    let tag = tag.trim_start_matches('-').trim_end_matches('-').trim();
    let (name, args) = tag.split_once(char::is_whitespace).unwrap_or((tag, ""));
    let args = args.trim().trim_matches(['"', '\'']);
    match name {
        "link" | "post_url" => format!("{REF}{args}"),
        "include" | "include_cached" | "include_relative" => {
            let rest = tag.split_once(char::is_whitespace).map_or("", |(_, r)| r);
            include(rest, tag, i, ctx)
        }
        "raw" | "endraw" => String::new(),
        n if CALLOUT_TAGS.contains(&n) => {
            let kind = if n == "callout" || n == "alert" {
                args.split_whitespace().next().unwrap_or("note")
            } else {
                n
            };
            format!(":::{}", alert_kind(kind).to_ascii_lowercase())
        }
        n if n
            .strip_prefix("end")
            .is_some_and(|n| CALLOUT_TAGS.contains(&n)) =>
        {
            ":::".to_string()
        }
        _ => {
            ctx.removed(i, &format!("{{% {tag} %}}"));
            String::new()
        }
    }
}

/// `{% include note.html content="..." %}` and its kin (the callouts of the documentation
/// theme) -> a container; `{% include image.html file="x.png" alt="..." %}` -> an image
/// of `/images/`; other includes are removed and reported.
fn include(rest: &str, tag: &str, i: usize, ctx: &mut BodyCtx<'_>) -> String {
    let (positional, named) = tag_args(rest);
    let get = |key: &str| named.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let file = positional.first().map_or("", String::as_str);
    let stem = file.strip_suffix(".html").unwrap_or(file);
    match (stem, get("content"), get("file")) {
        (name, Some(content), _) if CALLOUT_TAGS.contains(&name) => {
            let kind = match name {
                "callout" | "alert" => get("type").unwrap_or_else(|| "note".into()),
                other => other.to_string(),
            };
            let kind = alert_kind(&kind).to_ascii_lowercase();
            format!("\n:::{kind}\n{}\n:::\n", content.trim())
        }
        ("image", _, Some(image)) => {
            let alt = get("alt").or_else(|| get("caption")).unwrap_or_default();
            format!("![{alt}](/images/{})", image.trim_start_matches('/'))
        }
        _ => {
            ctx.removed(i, &format!("{{% {tag} %}}"));
            String::new()
        }
    }
}

/// `{{ site.baseurl }}` is the site's root (empty); `{{ "/x" | relative_url }}` is `/x`; others go.
fn output(expr: &str, i: usize, ctx: &mut BodyCtx<'_>) -> String {
    if expr == "site.baseurl" || expr == "site.url" {
        return String::new();
    }
    if let Some((value, filter)) = expr.split_once('|') {
        let filter = filter.trim();
        if filter.starts_with("relative_url") || filter.starts_with("absolute_url") {
            return value.trim().trim_matches(['"', '\'']).to_string();
        }
    }
    ctx.removed(i, &format!("{{{{ {expr} }}}}"));
    String::new()
}

/// Just the Docs callouts: a line `{: .note }` before a paragraph makes it a callout;
/// other attribute lists are dropped.
fn just_the_docs_callouts(body: &str) -> String {
    let mut quoting = false;
    map_lines(body, |_, line| {
        let t = line.trim();
        if quoting && t.is_empty() {
            quoting = false;
            return String::new();
        }
        if quoting {
            return format!("> {}", strip_ial(line));
        }
        if let Some(kind) = t
            .strip_prefix("{:")
            .and_then(|r| r.strip_suffix('}'))
            .map(|r| r.trim().trim_start_matches('.'))
        {
            let known = [
                "note",
                "tip",
                "warning",
                "important",
                "caution",
                "danger",
                "highlight",
                "new",
            ];
            let name = kind.split(['-', ' ']).next().unwrap_or("");
            if known.contains(&name) {
                quoting = true;
                return format!("> [!{}]", alert_kind(name));
            }
            return String::new();
        }
        strip_ial(line)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::detect::Kind;
    use crate::import::report::Report;

    fn run(body: &str) -> (String, String) {
        let mut report = Report::new(Kind::Jekyll, "test".into());
        let mut ctx = BodyCtx {
            file: "a.md",
            first_line: 5,
            report: &mut report,
        };
        let out = convert(body, &mut ctx);
        (out, report.render())
    }

    #[test]
    fn liquid_is_converted_or_removed_and_reported() {
        let (out, report) = run("[Fees]({{ site.baseurl }}/billing/fees/)\n{% include footer.html %}\n{% callout warning %}\nCareful.\n{% endcallout %}\n");
        assert_eq!(
            out,
            "[Fees](/billing/fees/)\n\n> [!WARNING]\n> Careful.\n\n"
        );
        assert!(
            report.contains("a.md:6: {% include footer.html %}"),
            "{report}"
        );
    }

    #[test]
    fn raw_text_stays_and_liquid_in_code_is_run_as_jekyll_did() {
        let (out, report) = run("Use {% raw %}`{% include x.html %}`{% endraw %} here.\n```liquid{% raw %}\n{{ page.title }}\n{% endraw %}```\n```\nv{{ page.version }}\n```\n{% comment %}\nhidden {% include y.html %}\n{% endcomment %}\nEnd.\n");
        assert_eq!(
            out,
            "Use `{% include x.html %}` here.\n```liquid\n{{ page.title }}\n```\n```\nv\n```\n\n\n\nEnd.\n"
        );
        assert!(report.contains("a.md:10: {{ page.version }}"), "{report}");
        assert!(report.contains("a.md:12: {% comment %}"), "{report}");
        assert!(
            !report.contains("include x.html") && !report.contains("y.html"),
            "{report}"
        );
    }

    #[test]
    fn includes_of_the_documentation_theme() {
        let (out, report) = run("{% include note.html content=\"Keep the receipt.\nIt has the number.\" %}\nAfter.\n{% include callout.html content='Done' type=\"success\" %}\n{% include image.html file=\"flow.png\" alt=\"Flow\" %}\n{% include links.html %}\nEnd.\n");
        assert_eq!(
            out,
            "\n\n> [!NOTE]\n> Keep the receipt.\n> It has the number.\n\n\nAfter.\n\n> [!TIP]\n> Done\n\n\n![Flow](/images/flow.png)\n\nEnd.\n"
        );
        assert!(
            report.contains("a.md:10: {% include links.html %}"),
            "{report}"
        );
    }

    #[test]
    fn just_the_docs_callouts_and_attribute_lists() {
        let (out, _) = run("{: .warning }\nBack up first.\n\nText {: .fs-6 }\n");
        assert_eq!(out, "> [!WARNING]\n> Back up first.\n\nText\n");
    }
}
