//! Zola: `config.toml`, `content/` as helpsite reads it (sections, bundles, `.LANG.md`);
//! shortcodes helpsite knows stay, callout shortcodes become alerts, others go.

use std::path::PathBuf;

use serde_json::Value;

use super::convert::{alert_kind, containers_to_alerts, map_lines, replace_tags, BodyCtx};
use super::front_matter::Front;
use super::profile::Profile;
use super::settings::non_empty;
use super::ImportError;

/// Shortcodes helpsite has built in (`{{ youtube(id="...") }}`): kept as they are.
const KEPT: &[&str] = &["youtube", "vimeo", "video", "details"];

pub(crate) fn profile(root: PathBuf) -> Result<Profile, ImportError> {
    let config = super::hugo::read_config(&root, &["config.toml", "zola.toml"])?;
    let text = |key: &str| {
        config
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    Ok(Profile {
        content: root.join("content"),
        static_dirs: vec![root.join("static")],
        title: non_empty(text("title"), "Help Center"),
        description: text("description"),
        base_url: non_empty(text("base_url"), "https://help.example.com/"),
        default_lang: non_empty(text("default_language"), "en"),
        root,
        translations: Vec::new(),
        language_names: Default::default(),
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

fn old_url(dirs: &[String], stem: &str, front: &Front) -> String {
    if let Some(path) = &front.permalink {
        return format!("/{}/", path.trim_matches('/'));
    }
    let mut parts: Vec<&str> = dirs.iter().map(String::as_str).collect();
    parts.push(front.slug.as_deref().unwrap_or(stem));
    format!("/{}/", parts.join("/"))
}

fn convert(body: &str, ctx: &mut BodyCtx<'_>) -> String {
    let body = map_lines(body, |i, line| {
        let line = replace_tags(line, "{{", "}}", |code| {
            let name = code.split('(').next().unwrap_or("").trim();
            // `{{/* name() */}}` is a shortcode written out as text; helpsite reads it so too.
            if KEPT.contains(&name) || code.starts_with("/*") && code.ends_with("*/") {
                return format!("{{{{ {code} }}}}");
            }
            ctx.removed(i, &format!("{{{{ {code} }}}}"));
            String::new()
        });
        replace_tags(&line, "{%", "%}", |code| {
            let name = code.split('(').next().unwrap_or("").trim();
            match name {
                "end" => ":::".to_string(),
                "note" | "tip" | "warning" | "important" | "caution" | "danger" | "info"
                | "callout" => {
                    let title = code
                        .split_once("title=")
                        .map(|(_, t)| t.trim_end_matches(')').trim_matches('"').to_string())
                        .unwrap_or_default();
                    format!(":::{} {title}", alert_kind(name).to_ascii_lowercase())
                        .trim_end()
                        .to_string()
                }
                _ => {
                    ctx.removed(i, &format!("{{% {code} %}}"));
                    String::new()
                }
            }
        })
    });
    containers_to_alerts(&body)
}
