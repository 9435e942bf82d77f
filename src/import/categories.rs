//! Docusaurus folder settings: `_category_.json` (or `.yml`) gives a folder its label and
//! position, in the docs and in each language's copy; a language's `current.json`
//! translates the labels of the sidebar's categories.

use std::path::Path;

use serde_json::Value;

use super::front_matter::Front;
use super::profile::{new_dirs, read_source_text, Profile};
use super::site::{Section, Site};
use super::ImportError;

const CATEGORY_FILES: [&str; 3] = ["_category_.json", "_category_.yml", "_category_.yaml"];

/// Adds (or completes) the sections that category files describe.
pub(crate) fn read(p: &Profile, site: &mut Site) -> Result<(), ImportError> {
    let folders = std::iter::once((p.content.as_path(), None)).chain(
        p.translations
            .iter()
            .map(|t| (t.dir.as_path(), Some(&t.lang))),
    );
    for (folder, lang) in folders {
        let walker = walkdir::WalkDir::new(folder)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.file_name() != "node_modules")
            .filter_map(Result::ok);
        for entry in walker.filter(|e| CATEGORY_FILES.iter().any(|n| e.file_name() == *n)) {
            let shown = shown(p, entry.path());
            let value = read_settings(entry.path(), &shown)?;
            let raw: Vec<String> = entry
                .path()
                .parent()
                .and_then(|d| d.strip_prefix(folder).ok())
                .map(|d| d.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default()
                .split('/')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            let front = Front {
                title: value
                    .get("label")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                weight: value.get("position").and_then(Value::as_i64),
                ..Front::default()
            };
            complete(site, &shown, new_dirs(&raw), lang.cloned(), front);
        }
    }
    for t in &p.translations {
        sidebar_labels(p, site, &t.dir.with_extension("json"), &t.lang)?;
    }
    Ok(())
}

/// `sidebar.NAME.category.LABEL: { message }` of a language's `current.json`: the folder
/// whose default-language title is LABEL gets the message as its title in that language.
fn sidebar_labels(
    p: &Profile,
    site: &mut Site,
    file: &Path,
    lang: &str,
) -> Result<(), ImportError> {
    if !file.is_file() {
        return Ok(());
    }
    let shown = shown(p, file);
    let value = read_settings(file, &shown)?;
    let labels = value.as_object().into_iter().flatten();
    for (key, entry) in labels {
        let (Some((_, label)), Some(message)) = (
            key.split_once(".category."),
            entry.get("message").and_then(Value::as_str),
        ) else {
            continue;
        };
        let dirs: Vec<Vec<String>> = site
            .sections
            .iter()
            .filter(|s| s.lang.is_none() && s.front.title.as_deref() == Some(label))
            .map(|s| s.dir.clone())
            .collect();
        for dir in dirs {
            let front = Front {
                title: Some(message.to_string()),
                ..Front::default()
            };
            complete(site, &shown, dir, Some(lang.to_string()), front);
        }
    }
    Ok(())
}

/// A section for `dir` in `lang` with what `front` says, where the section had no such value.
fn complete(site: &mut Site, shown: &str, dir: Vec<String>, lang: Option<String>, front: Front) {
    match site
        .sections
        .iter_mut()
        .find(|s| s.dir == dir && s.lang == lang)
    {
        Some(section) => {
            section.front.title = section.front.title.take().or(front.title);
            section.front.weight = section.front.weight.or(front.weight);
        }
        None => site.sections.push(Section {
            source: Some(shown.to_string()),
            dir,
            lang,
            front,
            body: String::new(),
            assets: Vec::new(),
        }),
    }
}

fn shown(p: &Profile, path: &Path) -> String {
    path.strip_prefix(&p.root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// A JSON or YAML settings file as a value; a broken one is an error at its line.
fn read_settings(path: &Path, shown: &str) -> Result<Value, ImportError> {
    let text = read_source_text(path, Path::new(shown))?;
    if shown.ends_with(".json") {
        return serde_json::from_str(&text)
            .map_err(|e| ImportError::at(Path::new(shown), Some(e.line()), format!("JSON: {e}")));
    }
    super::settings::yaml_value(&text, Path::new(shown), 1).map(Value::Object)
}
