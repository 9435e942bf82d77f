//! MkDocs: `mkdocs.yml` (`site_name`, `docs_dir`), `index.md` per folder, admonitions
//! `!!! note "Title"` (and `???` collapsibles), content tabs, snippets, macros.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::convert::{
    alert_head, alert_kind, containers_to_alerts, map_lines, replace_tags, BodyCtx,
};
use super::front_matter::Front;
use super::profile::{read_source_text, LangDir, Profile};
use super::settings::non_empty;
use super::ImportError;
use crate::config::is_language_code;
use crate::model::parse::is_safe_segment;

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
    let docs = root.join(super::place::slug(&docs_dir));
    let i18n = I18n::read(&text, &docs);
    Ok(Profile {
        static_dirs: vec![docs.clone()],
        content: i18n.content.unwrap_or(docs),
        title: non_empty(top_level(&text, "site_name"), "Help Center"),
        description: top_level(&text, "site_description"),
        base_url: non_empty(top_level(&text, "site_url"), "https://help.example.com/"),
        default_lang: i18n.default_lang,
        root,
        translations: i18n.folders,
        language_names: i18n.names,
        notes: i18n.notes,
        section_files: &["index", "README"],
        page_bundles: false,
        lang_suffix: i18n.suffix,
        skip_dirs: &[],
        url_prefixes: &[],
        old_url,
        convert,
    })
}

/// The languages of the `i18n` plugin (mkdocs-static-i18n): `docs_structure: suffix`
/// (`page.fr.md` beside `page.md`) or `folder` (`docs/fr/page.md`), and its `languages`.
struct I18n {
    default_lang: String,
    suffix: bool,
    /// The default language's folder, with the `folder` structure.
    content: Option<PathBuf>,
    folders: Vec<LangDir>,
    names: BTreeMap<String, String>,
    notes: Vec<(String, String)>,
}

impl I18n {
    fn read(text: &str, docs: &Path) -> I18n {
        let mut i18n = I18n {
            default_lang: non_empty(top_level(text, "  language"), "en"),
            suffix: false,
            content: None,
            folders: Vec::new(),
            names: BTreeMap::new(),
            notes: Vec::new(),
        };
        if !text.contains("i18n") {
            return i18n;
        }
        // mkdocs.yml is read whole only for the plugin: its Python tags are not needed.
        let config = match super::settings::yaml_value(text, Path::new("mkdocs.yml"), 1) {
            Ok(config) => config,
            Err(e) => {
                let note = format!("the i18n plugin's languages were not read: {e}");
                i18n.notes.push(("mkdocs.yml".into(), note));
                return i18n;
            }
        };
        let plugin = (config.get("plugins").and_then(Value::as_array).into_iter())
            .flatten()
            .find_map(|p| p.get("i18n"));
        let Some(plugin) = plugin else {
            return i18n;
        };
        let languages = languages(plugin);
        if let Some((code, _)) = languages.iter().find(|(_, l)| truthy(l.get("default"))) {
            i18n.default_lang = code.clone();
        } else if let Some(code) = plugin.get("default_language").and_then(Value::as_str) {
            i18n.default_lang = code.to_string();
        }
        let folder = plugin.get("docs_structure").and_then(Value::as_str) == Some("folder");
        i18n.suffix = !folder;
        for (code, language) in &languages {
            if let Some(name) = language.get("name").and_then(Value::as_str) {
                i18n.names.insert(code.clone(), name.to_string());
            }
            let dir = docs.join(code);
            if !folder || !is_safe_segment(code) || !dir.is_dir() {
                continue;
            }
            if *code == i18n.default_lang {
                i18n.content = Some(dir);
            } else {
                i18n.folders.push(LangDir {
                    lang: code.clone(),
                    dir,
                    label: None,
                });
            }
        }
        i18n
    }
}

/// `languages:` as a list of `{locale: fr, ...}` (plugin 1.x) or a table by code (0.x),
/// the codes that helpsite reads.
fn languages(plugin: &Value) -> Vec<(String, Value)> {
    let listed: Vec<(String, Value)> = match plugin.get("languages") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|l| Some((l.get("locale")?.as_str()?.to_string(), l.clone())))
            .collect(),
        Some(Value::Object(by_code)) => by_code
            .iter()
            .map(|(code, l)| (code.clone(), l.clone()))
            .collect(),
        _ => Vec::new(),
    };
    listed
        .into_iter()
        .filter(|(code, _)| is_language_code(code))
        .collect()
}

fn truthy(value: Option<&Value>) -> bool {
    value.and_then(Value::as_bool).unwrap_or(false)
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
    fn the_i18n_plugin_with_a_folder_per_language() {
        let dir = tempfile::tempdir().unwrap();
        for d in ["de", "en", "xx-not-a-code"] {
            std::fs::create_dir_all(dir.path().join(d)).unwrap();
        }
        let yml = "site_name: X\nmarkdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\nplugins:\n  - i18n:\n      docs_structure: folder\n      languages:\n        - locale: de\n          name: Deutsch\n        - locale: en\n          default: true\n";
        let i18n = I18n::read(yml, dir.path());
        assert_eq!(i18n.default_lang, "en");
        assert!(!i18n.suffix);
        assert_eq!(i18n.content, Some(dir.path().join("en")));
        let folders: Vec<&str> = i18n.folders.iter().map(|f| f.lang.as_str()).collect();
        assert_eq!(folders, vec!["de"]);
        assert_eq!(i18n.names.get("de").map(String::as_str), Some("Deutsch"));
        let broken = I18n::read("plugins:\n  - i18n:\n   bad: [\n", dir.path());
        assert!(
            broken.notes[0].1.contains("mkdocs.yml:"),
            "{:?}",
            broken.notes
        );
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
