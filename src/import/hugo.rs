//! Hugo: `hugo.toml` (or `config.toml`, `hugo.yaml`), `content/` with `_index.md` sections
//! and `index.md` bundles, `name.LANG.md` translations, shortcodes `{{< ... >}}`.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::convert::{alert_kind, containers_to_alerts, replace_tags, tag_args, BodyCtx};
use super::front_matter::{self, Fields, Front};
use super::links::REF;
use super::profile::{read_source_text, LangDir, Profile};
use super::settings::non_empty;
use super::ImportError;
use crate::config::is_language_code;
use crate::model::parse::is_safe_segment;

/// Shortcodes that wrap a callout, from the popular themes (book: hint; learn: notice).
const CALLOUTS: &[&str] = &[
    "hint",
    "notice",
    "alert",
    "callout",
    "admonition",
    "note",
    "tip",
    "warning",
    "info",
    "caution",
    "danger",
];

/// A settings file (TOML, or YAML) read as keys.
pub(crate) fn read_config(root: &Path, names: &[&str]) -> Result<Fields, ImportError> {
    for name in names {
        let path = root.join(name);
        if !path.exists() {
            continue;
        }
        if name.ends_with(".yaml") || name.ends_with(".yml") {
            return super::settings::read_yaml_file(root, name);
        }
        let text = read_source_text(&path, Path::new(name))?;
        let framed = format!("+++\n{text}\n+++\n");
        return Ok(front_matter::split(&framed, Path::new(name))?.fields);
    }
    Ok(Fields::new())
}

pub(crate) fn profile(root: PathBuf) -> Result<Profile, ImportError> {
    let config = read_config(
        &root,
        &["hugo.toml", "hugo.yaml", "config.toml", "config.yaml"],
    )?;
    let text = |key: &str| {
        config
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let lang = non_empty(
        text("defaultContentLanguage"),
        &non_empty(text("languageCode"), "en"),
    );
    let description = config
        .get("params")
        .and_then(|p| p.get("description"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let default_lang = lang.to_ascii_lowercase();
    let (content, translations) = content_dirs(&root, &config, &default_lang);
    Ok(Profile {
        content,
        static_dirs: vec![root.join("static")],
        title: non_empty(text("title"), "Help Center"),
        description: description.to_string(),
        base_url: non_empty(text("baseURL"), "https://help.example.com/"),
        default_lang,
        root,
        translations,
        language_names: language_names(&config),
        notes: Vec::new(),
        section_files: &["_index"],
        page_bundles: true,
        lang_suffix: true,
        skip_dirs: &[],
        url_prefixes: &[],
        old_url,
        convert,
    })
}

/// The default language's content folder and the others': `[languages.de] contentDir =
/// "content/de"` where the site keeps a folder per language, else `content/` alone.
fn content_dirs(root: &Path, config: &Fields, default_lang: &str) -> (PathBuf, Vec<LangDir>) {
    let mut content = root.join("content");
    let mut others = Vec::new();
    let languages = config.get("languages").and_then(Value::as_object);
    for (code, table) in languages.into_iter().flatten() {
        let Some(dir) = table.get("contentDir").and_then(Value::as_str) else {
            continue;
        };
        // A folder inside SOURCE, named without `..` or a root.
        let parts: Vec<&str> = dir.trim_end_matches('/').split('/').collect();
        let code = code.to_ascii_lowercase();
        if !parts.iter().all(|p| is_safe_segment(p)) || !is_language_code(&code) {
            continue;
        }
        let dir = parts.iter().fold(root.to_path_buf(), |d, p| d.join(p));
        if code == default_lang {
            content = dir;
        } else if dir.is_dir() {
            others.push(LangDir {
                lang: code,
                dir,
                label: None,
            });
        }
    }
    (content, others)
}

/// `[languages.de] languageName = "Deutsch"` (or `label`, as newer Hugo writes) of the config.
fn language_names(config: &Fields) -> std::collections::BTreeMap<String, String> {
    let languages = config.get("languages").and_then(Value::as_object);
    languages
        .into_iter()
        .flatten()
        .filter_map(|(code, table)| {
            let name = (table.get("languageName").or_else(|| table.get("label")))
                .and_then(Value::as_str)?;
            Some((code.to_ascii_lowercase(), name.to_string()))
        })
        .collect()
}

/// `url`, else `/folder/slug-or-name/`.
fn old_url(dirs: &[String], stem: &str, front: &Front) -> String {
    if let Some(url) = &front.permalink {
        return url.clone();
    }
    let mut parts: Vec<&str> = dirs.iter().map(String::as_str).collect();
    parts.push(front.slug.as_deref().unwrap_or(stem));
    format!("/{}/", parts.join("/"))
}

/// Shortcodes in code too: Hugo runs them there. What a writer shows as text,
/// `{{</* name */>}}` (which may span several shortcodes and lines), becomes `{{< name >}}`.
fn convert(body: &str, ctx: &mut BodyCtx<'_>) -> String {
    let mut out = String::with_capacity(body.len());
    let mut literal: Option<&str> = None;
    let mut buttons = Vec::new();
    for (i, line) in body.lines().enumerate() {
        let mut rest = line;
        loop {
            if let Some(close) = literal {
                let Some(end) = rest.find(close) else {
                    out.push_str(rest);
                    break;
                };
                out.push_str(&rest[..end]);
                out.push_str(&close[2..]);
                rest = &rest[end + close.len()..];
                literal = None;
                continue;
            }
            let next = [("{{</*", "*/>}}"), ("{{%/*", "*/%}}")]
                .into_iter()
                .filter_map(|(open, close)| rest.find(open).map(|at| (at, open, close)))
                .min();
            let chunk = next.map_or(rest, |(at, _, _)| &rest[..at]);
            let mut run = |code: &str, marks| shortcode(code, marks, i, ctx, &mut buttons);
            let chunk = replace_tags(chunk, "{{<", ">}}", |code| run(code, ("<", ">")));
            out.push_str(&replace_tags(&chunk, "{{%", "%}}", |code| {
                run(code, ("%", "%"))
            }));
            let Some((at, open, close)) = next else {
                break;
            };
            out.push_str(&open[..3]);
            rest = &rest[at + open.len()..];
            literal = Some(close);
        }
        out.push('\n');
    }
    containers_to_alerts(&out)
}

/// One shortcode in helpsite's terms. `buttons` holds the addresses of the buttons
/// opened and not yet closed (a button becomes a link around its text).
fn shortcode(
    code: &str,
    marks: (&str, &str),
    i: usize,
    ctx: &mut BodyCtx<'_>,
    buttons: &mut Vec<String>,
) -> String {
    let (open, close) = marks;
    if let Some(closed) = code.strip_prefix('/') {
        let closed = closed.trim();
        return match closed {
            c if CALLOUTS.contains(&c) => ":::".to_string(),
            "tabs" | "tab" => String::new(),
            "details" => "{% end %}".to_string(),
            "button" => format!("]({})", buttons.pop().unwrap_or_default()),
            _ => {
                ctx.removed(i, &format!("{{{{{open} /{closed} {close}}}}}"));
                String::new()
            }
        };
    }
    let (name, rest) = code.split_once(char::is_whitespace).unwrap_or((code, ""));
    let (positional, named) = tag_args(rest);
    let get = |key: &str| named.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let first = || positional.first().cloned();
    match name {
        "tabs" => String::new(),
        "tab" => format!("**{}**\n", first().or(get("name")).unwrap_or_default()),
        "details" => {
            let summary = first().or(get("title")).unwrap_or_default();
            let open = positional.iter().any(|p| p == "open") || get("open").is_some();
            let summary = summary.replace(['"', '\\'], "");
            format!(
                "{{% details(summary=\"{summary}\"{}) %}}",
                if open { ", open=true" } else { "" }
            )
        }
        "button" => {
            let href = get("href").or(get("relref").map(|r| format!("{REF}{r}")));
            buttons.push(href.unwrap_or_default());
            "[".to_string()
        }
        "ref" | "relref" => format!(
            "{REF}{}",
            positional
                .first()
                .cloned()
                .or(get("path"))
                .unwrap_or_default()
        ),
        "youtube" => match positional.first().cloned().or(get("id")) {
            Some(id) => format!("{{{{ youtube(id=\"{}\") }}}}", id.replace(['"', '\\'], "")),
            None => String::new(),
        },
        "figure" => format!(
            "![{}]({})",
            get("alt").or(get("caption")).unwrap_or_default(),
            get("src").unwrap_or_default()
        ),
        n if CALLOUTS.contains(&n) => callout(n, &positional, get("title")),
        _ => {
            ctx.removed(i, &format!("{{{{{open} {code} {close}}}}}"));
            String::new()
        }
    }
}

/// `hint warning`, `notice tip "Title"`, `note` -> `:::kind Title`.
fn callout(name: &str, positional: &[String], title: Option<String>) -> String {
    let (kind, rest) = match name {
        "hint" | "notice" | "alert" | "callout" | "admonition" => (
            positional.first().map_or("note", String::as_str),
            positional.get(1..).unwrap_or(&[]),
        ),
        n => (n, positional),
    };
    let title = title.or_else(|| rest.first().cloned()).unwrap_or_default();
    format!(":::{} {title}", alert_kind(kind).to_ascii_lowercase())
        .trim_end()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::detect::Kind;
    use crate::import::report::Report;

    #[test]
    fn shortcodes_become_helpsite_markdown() {
        let mut report = Report::new(Kind::Hugo, "test".into());
        let mut ctx = BodyCtx {
            file: "content/a.md",
            first_line: 3,
            report: &mut report,
        };
        let body = "See [fees]({{< ref \"billing/fees.md\" >}}).\n{{< hint warning >}}\nCareful.\n{{< /hint >}}\n{{< youtube dQw4w9WgXcQ >}}\n{{< columns >}}\n```\n{{</* youtube ID */>}} {{% ref x %}}\n{{</* katex >}}x{{< /katex */>}}\n```\n";
        let out = convert(body, &mut ctx);
        assert_eq!(out, "See [fees](import-ref:billing/fees.md).\n> [!WARNING]\n> Careful.\n\n{{ youtube(id=\"dQw4w9WgXcQ\") }}\n\n```\n{{< youtube ID >}} import-ref:x\n{{< katex >}}x{{< /katex >}}\n```\n");
        assert!(
            report.render().contains("content/a.md:8: {{< columns >}}"),
            "{}",
            report.render()
        );
    }
}
