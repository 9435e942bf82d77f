//! The languages of a Docusaurus or Starlight site: which folder holds each language's
//! copy of the docs, read from the site's JavaScript config and its folders.
//!
//! The configs are JavaScript, which import does not run: it reads the `locales` literal
//! (an array for Docusaurus, an object for Starlight) with a small scanner that knows
//! strings and comments, and trusts the folders that really exist.

use std::path::{Path, PathBuf};

use super::profile::{read_source_text, LangDir};
use super::ImportError;
use crate::config::is_language_code;
use crate::model::parse::is_safe_segment;

/// The first string given to `key:` in a JavaScript config (`title: 'Acme Help'`).
pub(crate) fn js_string(text: &str, key: &str) -> String {
    let pattern = format!("{key}:");
    text.match_indices(&pattern)
        .filter(|(i, _)| {
            *i == 0 || !text[..*i].ends_with(|c: char| c.is_alphanumeric() || c == '_')
        })
        .find_map(|(i, _)| {
            let rest = text[i + pattern.len()..].trim_start();
            let quote = rest
                .chars()
                .next()
                .filter(|c| matches!(c, '\'' | '"' | '`'))?;
            let inner = &rest[1..];
            inner.find(quote).map(|end| inner[..end].to_string())
        })
        .unwrap_or_default()
}

pub(crate) fn config_text(root: &Path, names: &[&str]) -> Result<String, ImportError> {
    for name in names {
        let path = root.join(name);
        if path.exists() {
            return read_source_text(&path, Path::new(name));
        }
    }
    Ok(String::new())
}

/// Where the default language's docs are and the other languages' folders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Locales {
    pub default_lang: String,
    pub default_label: Option<String>,
    pub content: PathBuf,
    pub others: Vec<LangDir>,
    /// Locales that could not be imported, for the report.
    pub notes: Vec<String>,
}

/// Docusaurus: `i18n/LOCALE/docusaurus-plugin-content-docs/current/` for each locale of
/// `i18n.locales` (every locale folder when the config lists none) but the default.
pub(crate) fn docusaurus(root: &Path, config: &str, default_lang: &str) -> Vec<LangDir> {
    let listed: Option<Vec<String>> = block_after(config, "locales", '[', ']').map(strings);
    let i18n = root.join("i18n");
    let mut found: Vec<String> = std::fs::read_dir(&i18n)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect();
    found.sort();
    found
        .into_iter()
        .filter(|l| l != default_lang && is_language_code(l))
        .filter(|l| listed.as_ref().is_none_or(|listed| listed.contains(l)))
        .map(|lang| LangDir {
            dir: i18n
                .join(&lang)
                .join("docusaurus-plugin-content-docs/current"),
            label: locale_config(config, &lang).and_then(|c| non_empty(js_string(c, "label"))),
            lang,
        })
        .filter(|l| l.dir.is_dir())
        .collect()
}

/// The object given to one locale in `localeConfigs` or `locales` (`fr: { label: ... }`).
fn locale_config<'a>(config: &'a str, locale: &str) -> Option<&'a str> {
    ["localeConfigs", "locales"]
        .iter()
        .filter_map(|key| block_after(config, key, '{', '}'))
        .flat_map(object_entries)
        .find(|(key, _)| key == locale)
        .map(|(_, value)| value)
}

/// Starlight: `locales` keys are folders of `src/content/docs/`; `root` (the default
/// language at the top, its code in `lang`) or `defaultLocale` names the default one.
pub(crate) fn starlight(docs: &Path, config: &str) -> Locales {
    let entries = block_after(config, "locales", '{', '}')
        .map(object_entries)
        .unwrap_or_default();
    let default_key = non_empty(js_string(config, "defaultLocale")).unwrap_or("root".into());
    let label_of = |value: &str| non_empty(js_string(value, "label"));
    let mut locales = Locales {
        default_lang: non_empty(js_string(config, "lang")).unwrap_or("en".into()),
        default_label: None,
        content: docs.to_path_buf(),
        others: Vec::new(),
        notes: Vec::new(),
    };
    let default = entries
        .iter()
        .find(|(k, _)| *k == default_key)
        .or_else(|| entries.iter().find(|(k, _)| k == "root"));
    if let Some((key, value)) = default {
        locales.default_lang = code(key, value).unwrap_or_else(|| "en".into());
        locales.default_label = label_of(value);
        if key != "root" && is_safe_segment(key) && docs.join(key).is_dir() {
            locales.content = docs.join(key);
        }
    }
    for (key, value) in &entries {
        if Some(key) == default.map(|(k, _)| k) || key == "root" {
            continue;
        }
        // A locale's folder is one name inside the docs, never a path out of them.
        let dir = docs.join(key);
        match code(key, value).filter(|_| is_safe_segment(key)) {
            Some(lang) if dir.is_dir() && lang != locales.default_lang => {
                locales.others.push(LangDir {
                    lang,
                    dir,
                    label: label_of(value),
                })
            }
            Some(_) => {}
            None => locales.notes.push(format!(
                "locale {key:?} is not a language code helpsite reads (nor is its `lang`): its folder is imported as an ordinary folder"
            )),
        }
    }
    locales.others.sort_by(|a, b| a.lang.cmp(&b.lang));
    locales
}

/// The helpsite code of a locale: its key when that is a language code, else its `lang`.
fn code(key: &str, value: &str) -> Option<String> {
    let lang = js_string(value, "lang").to_ascii_lowercase();
    [key.to_ascii_lowercase(), lang]
        .into_iter()
        .find(|c| c != "root" && is_language_code(c))
}

fn non_empty(text: String) -> Option<String> {
    (!text.trim().is_empty()).then_some(text)
}

/// The text between `open` and its matching `close` in the first `key: open` or
/// `key = open` of `text`.
pub(crate) fn block_after<'a>(
    text: &'a str,
    key: &str,
    open: char,
    close: char,
) -> Option<&'a str> {
    let mut from = 0;
    while let Some(found) = text[from..].find(key) {
        let at = from + found;
        from = at + key.len();
        let before_ok = !text[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_');
        let rest = text[from..].trim_start();
        let rest = rest.strip_prefix(['\'', '"']).unwrap_or(rest).trim_start();
        let Some(rest) = rest.strip_prefix([':', '=']) else {
            continue;
        };
        let rest = rest.trim_start();
        if before_ok && rest.starts_with(open) {
            let start = text.len() - rest.len() + open.len_utf8();
            let end = matching_close(&text[start..], open, close)?;
            return Some(&text[start..start + end]);
        }
    }
    None
}

/// Byte offset of the `close` that ends a block whose `open` came just before `text`.
fn matching_close(text: &str, open: char, close: char) -> Option<usize> {
    let mut depth = 0usize;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\'' | '"' | '`' => skip_string(&mut chars, c),
            '/' if chars.peek().is_some_and(|(_, n)| *n == '/') => {
                for (_, n) in chars.by_ref() {
                    if n == '\n' {
                        break;
                    }
                }
            }
            c if c == open => depth += 1,
            c if c == close && depth == 0 => return Some(i),
            c if c == close => depth -= 1,
            _ => {}
        }
    }
    None
}

fn skip_string(chars: &mut impl Iterator<Item = (usize, char)>, quote: char) {
    let mut escaped = false;
    for (_, c) in chars {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            c if c == quote => return,
            _ => {}
        }
    }
}

/// The quoted strings of an array literal's inside.
fn strings(inner: &str) -> Vec<String> {
    inner
        .split(',')
        .map(|item| item.trim().trim_matches(['\'', '"', '`']).to_string())
        .filter(|s| !s.is_empty() && !s.contains(char::is_whitespace))
        .collect()
}

/// The top-level `key: { ... }` entries of an object literal's inside.
fn object_entries(inner: &str) -> Vec<(String, &str)> {
    let mut out = Vec::new();
    let mut rest = inner;
    while let Some(colon) = rest.find(':') {
        let key = rest[..colon]
            .rsplit([',', '\n', '{'])
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches(['\'', '"'])
            .to_string();
        let value = rest[colon + 1..].trim_start();
        let Some(body) = value.strip_prefix('{') else {
            rest = &rest[colon + 1..];
            continue;
        };
        let Some(end) = matching_close(body, '{', '}') else {
            break;
        };
        out.push((key, &body[..end]));
        rest = &body[end + 1..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_skip_strings_and_comments() {
        let js = "i18n: {\n  defaultLocale: 'en', // the {main} one\n  locales: ['en', \"fr\", 'pt-BR'],\n}";
        assert_eq!(
            strings(block_after(js, "locales", '[', ']').unwrap()),
            vec!["en", "fr", "pt-BR"]
        );
        let obj = block_after(js, "i18n", '{', '}').unwrap();
        assert!(obj.contains("pt-BR"), "{obj}");
    }

    #[test]
    fn object_entries_are_the_top_level_ones() {
        let inner = "\n root: { label: 'English', lang: 'en' },\n 'pt-br': { label: 'Português', lang: 'pt-BR' },\n";
        let entries = object_entries(inner);
        let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, vec!["root", "pt-br"]);
        assert_eq!(code("pt-br", entries[1].1).as_deref(), Some("pt-br"));
        assert_eq!(code("root", entries[0].1).as_deref(), Some("en"));
        assert_eq!(code("Spanish", "lang: 'es'").as_deref(), Some("es"));
        assert_eq!(code("Klingon", "label: 'x'"), None);
    }

    #[test]
    fn starlight_with_a_folder_per_language() {
        let dir = tempfile::tempdir().unwrap();
        for d in ["en", "fr", "de"] {
            std::fs::create_dir_all(dir.path().join(d)).unwrap();
        }
        let js = "starlight({ defaultLocale: 'en', locales: { en: { label: 'English' }, fr: { label: 'Français' }, de: { label: 'Deutsch' }, ja: { label: '日本語' } } })";
        let l = starlight(dir.path(), js);
        assert_eq!(l.default_lang, "en");
        assert_eq!(l.content, dir.path().join("en"));
        let others: Vec<(&str, Option<&str>)> = l
            .others
            .iter()
            .map(|o| (o.lang.as_str(), o.label.as_deref()))
            .collect();
        assert_eq!(
            others,
            vec![("de", Some("Deutsch")), ("fr", Some("Français"))]
        );
    }
}
