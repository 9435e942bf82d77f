//! MkDocs: `mkdocs.yml` (`site_name`, `docs_dir`), `index.md` per folder, admonitions
//! `!!! note "Title"` (and `???` collapsibles), content tabs, snippets, macros.

use std::path::{Path, PathBuf};

use super::convert::{
    alert_head, alert_kind, containers_to_alerts, map_lines, replace_tags, BodyCtx,
};
use super::front_matter::Front;
use super::profile::{read_source_text, Profile};
use super::settings::non_empty;
use super::ImportError;

/// `key: value` lines at the top level of a YAML file that may hold tags serde cannot read
/// (mkdocs.yml's `!!python/name:`).
fn top_level(text: &str, key: &str) -> String {
    text.lines()
        .find_map(|l| {
            l.strip_prefix(key)?
                .strip_prefix(':')
                .map(|v| v.trim().trim_matches(['"', '\'']).to_string())
        })
        .unwrap_or_default()
}

pub(crate) fn profile(root: PathBuf) -> Result<Profile, ImportError> {
    let text = read_source_text(&root.join("mkdocs.yml"), Path::new("mkdocs.yml"))?;
    let docs_dir = non_empty(top_level(&text, "docs_dir"), "docs");
    let content = root.join(super::place::slug(&docs_dir));
    Ok(Profile {
        static_dirs: vec![content.clone()],
        content,
        title: non_empty(top_level(&text, "site_name"), "Help Center"),
        description: top_level(&text, "site_description"),
        base_url: non_empty(top_level(&text, "site_url"), "https://help.example.com/"),
        default_lang: "en".into(),
        root,
        translations: Vec::new(),
        language_names: Default::default(),
        notes: Vec::new(),
        section_files: &["index", "README"],
        page_bundles: false,
        lang_suffix: false,
        skip_dirs: &[],
        url_prefixes: &[],
        old_url,
        convert,
    })
}

/// `/folder/name/` (MkDocs' directory URLs).
fn old_url(dirs: &[String], stem: &str, _front: &Front) -> String {
    let mut parts: Vec<&str> = dirs.iter().map(String::as_str).collect();
    parts.push(stem);
    format!("/{}/", parts.join("/"))
}

fn convert(body: &str, ctx: &mut BodyCtx<'_>) -> String {
    let body = map_lines(body, |i, line| {
        let t = line.trim();
        if t.starts_with("--8<--") || t == "[TOC]" {
            ctx.removed(i, t);
            return String::new();
        }
        let line = replace_tags(line, "{%", "%}", |tag| {
            ctx.removed(i, &format!("{{% {tag} %}}"));
            String::new()
        });
        let line = replace_tags(&line, "{{", "}}", |expr| {
            ctx.removed(i, &format!("{{{{ {expr} }}}}"));
            String::new()
        });
        match line
            .trim_end()
            .strip_suffix('}')
            .and_then(|l| l.rsplit_once("{ "))
        {
            Some((text, attrs)) if attrs.starts_with(['.', '#']) => text.trim_end().to_string(),
            _ => line,
        }
    });
    containers_to_alerts(&admonitions(&body))
}

/// `!!! kind "Title"` (or `???`) and its 4-space indented body -> an alert; content tabs
/// `=== "Tab"` -> a bold line with the tab's body dedented. The indented body is taken
/// whole, fenced code in it too; outside such bodies, fenced code is left alone.
fn admonitions(body: &str) -> String {
    #[derive(PartialEq)]
    enum Block {
        None,
        Quote,
        Dedent,
    }
    let mut block = Block::None;
    let mut fence: Option<String> = None;
    let mut out = String::with_capacity(body.len());
    for line in body.lines() {
        let indented = line.starts_with("    ") || line.trim().is_empty();
        if block != Block::None && indented {
            let inner = line.get(4..).unwrap_or("");
            match block {
                Block::Quote => out.push_str(format!("> {inner}").trim_end()),
                _ => out.push_str(inner),
            }
            out.push('\n');
            continue;
        }
        block = Block::None;
        let t = line.trim_start();
        if let Some(open) = &fence {
            if t.trim_end() == open.as_str() {
                fence = None;
            }
        } else if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(t.chars().take_while(|c| *c == '`' || *c == '~').collect());
        } else if let Some(head) = admonition_head(line) {
            block = Block::Quote;
            out.push_str(&head);
            out.push('\n');
            continue;
        } else if let Some(tab) = t.strip_prefix("=== ").filter(|_| !line.starts_with(' ')) {
            block = Block::Dedent;
            out.push_str(&format!("**{}**\n\n", tab.trim().trim_matches('"')));
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// `!!! warning "Title"`, `??? note`, `???+ tip` at the start of a line -> the alert's head.
fn admonition_head(line: &str) -> Option<String> {
    let head = line
        .strip_prefix("!!!")
        .or_else(|| line.strip_prefix("???+"))
        .or_else(|| line.strip_prefix("???"))?
        .trim();
    let (kind, title) = head.split_once(char::is_whitespace).unwrap_or((head, ""));
    let title = title.trim().trim_matches('"');
    Some(alert_head(
        "",
        alert_kind(kind.split_whitespace().next().unwrap_or("note")),
        (!title.is_empty()).then_some(title),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_with_fenced_code_are_dedented_whole() {
        let body =
            "=== \"shell\"\n\n    ```shell\n    curl -X POST\n\n    echo done\n    ```\n\nAfter.\n";
        assert_eq!(
            admonitions(body),
            "**shell**\n\n\n```shell\ncurl -X POST\n\necho done\n```\n\nAfter.\n"
        );
        let fenced = "```md\n!!! note\n    not an admonition\n```\n";
        assert_eq!(admonitions(fenced), fenced);
    }

    #[test]
    fn admonitions_become_alerts() {
        let body = "!!! warning \"Before you start\"\n    Back up.\n\n    Really.\n\nAfter.\n";
        assert_eq!(
            admonitions(body),
            "> [!WARNING]\n> **Before you start**\n> Back up.\n>\n> Really.\n>\nAfter.\n"
        );
    }
}
