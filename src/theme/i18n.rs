//! Theme strings per language (`i18n/LANG.toml`) and dates written for readers.
//!
//! English defines the keys; another language falls back to English key by key,
//! with a warning naming each key it lacks.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::Datelike;
use serde_json::{Map, Value};

use crate::diag::toml::{toml_error, SnippetOrigin};
use crate::diag::{Diagnostic, Diagnostics};
use crate::source::frontmatter::Date;
use crate::theme::templates::{Theme, ThemeFile};

const FALLBACK: &str = "en";

/// The strings of every site language, English filled in where one is missing.
#[derive(Debug, Default)]
pub(crate) struct Strings {
    by_lang: BTreeMap<String, Map<String, Value>>,
}

impl Strings {
    /// The strings of `lang` for templates.
    pub(crate) fn of(&self, lang: &str) -> Value {
        Value::Object(self.by_lang.get(lang).cloned().unwrap_or_default())
    }

    /// `date` as readers of `lang` write it, from the `date_format` and `months` strings.
    pub(crate) fn format_date(&self, lang: &str, date: &Date) -> String {
        let strings = self.by_lang.get(lang);
        let pattern = strings
            .and_then(|s| s.get("date_format"))
            .and_then(Value::as_str)
            .unwrap_or("{year}-{month}-{day}");
        let day = date.day();
        let month_number = day.month0() as usize;
        let month_digits = format!("{:02}", day.month());
        let month_name = strings
            .and_then(|s| s.get("months"))
            .and_then(|m| m.get(month_number))
            .and_then(Value::as_str)
            .unwrap_or(&month_digits);
        pattern
            .replace("{year}", &format!("{:04}", day.year()))
            .replace("{month_name}", month_name)
            .replace("{month}", &day.month().to_string())
            .replace("{day}", &day.day().to_string())
    }
}

/// Reads the theme's and the site's string files for the site's languages.
pub(crate) fn load(theme: &Theme, languages: &[String]) -> (Strings, Diagnostics) {
    let mut diags = Diagnostics::new();
    let read = |files: &BTreeMap<String, ThemeFile>, lang: &str, diags: &mut Diagnostics| {
        let file = file_for(files, lang)?;
        parse(file, diags).map(|table| (table, file.display.clone()))
    };
    let english_theme = read(&theme.theme_strings, FALLBACK, &mut diags);
    let english_site = read(&theme.site_strings, FALLBACK, &mut diags);
    let mut english = Map::new();
    for (table, _) in english_theme.iter().chain(&english_site) {
        overlay(&mut english, table);
    }
    if english.is_empty() {
        diags.push(
            Diagnostic::error("the theme has no English strings")
                .in_file("i18n/en.toml")
                .with_hint(
                    "a theme needs i18n/en.toml; its keys are the strings templates may use",
                ),
        );
    }
    let mut strings = Strings::default();
    for lang in languages {
        let own_theme = read(&theme.theme_strings, lang, &mut diags);
        let own_site = read(&theme.site_strings, lang, &mut diags);
        let mut own = Map::new();
        for (table, _) in own_theme.iter().chain(&own_site) {
            overlay(&mut own, table);
        }
        if primary(lang) != FALLBACK {
            let shown_file = own_site
                .as_ref()
                .or(own_theme.as_ref())
                .map(|(_, file)| file.clone());
            diags.extend(missing_key_warnings(lang, &english, &own, shown_file));
        }
        let mut merged = english.clone();
        merged.extend(own);
        strings.by_lang.insert(lang.clone(), merged);
    }
    (strings, diags)
}

fn missing_key_warnings(
    lang: &str,
    english: &Map<String, Value>,
    own: &Map<String, Value>,
    file: Option<PathBuf>,
) -> Vec<Diagnostic> {
    let Some(file) = file else {
        return vec![Diagnostic::warning(format!(
            "no theme strings for language `{lang}`; English is used"
        ))
        .with_hint(format!(
            "add i18n/{lang}.toml to the site with the keys of the theme's i18n/en.toml"
        ))];
    };
    english
        .keys()
        .filter(|key| !own.contains_key(*key))
        .map(|key| {
            Diagnostic::warning(format!(
                "theme string `{key}` has no `{lang}` translation; English is used"
            ))
            .in_file(&file)
            .with_hint(format!("add `{key} = \"...\"` to i18n/{lang}.toml"))
        })
        .collect()
}

/// `zh-CN` uses `zh-CN.toml` when there is one, else `zh.toml`.
fn file_for<'a>(files: &'a BTreeMap<String, ThemeFile>, lang: &str) -> Option<&'a ThemeFile> {
    files
        .get(&format!("{lang}.toml"))
        .or_else(|| files.get(&format!("{}.toml", primary(lang))))
}

fn primary(lang: &str) -> &str {
    lang.split('-').next().unwrap_or(lang)
}

fn parse(file: &ThemeFile, diags: &mut Diagnostics) -> Option<toml::Table> {
    let bytes = match file.data.read() {
        Ok(bytes) => bytes,
        Err(e) => {
            diags.push(
                Diagnostic::error(format!("cannot read strings: {e}")).in_file(&file.display),
            );
            return None;
        }
    };
    let text = match crate::source::frontmatter::read_text(bytes.into_owned(), &file.display) {
        Ok(text) => text,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    toml::from_str(&text)
        .map_err(|e| {
            diags.push(toml_error(
                &e,
                &file.display,
                &text,
                SnippetOrigin::WHOLE_FILE,
            ))
        })
        .ok()
}

fn overlay(into: &mut Map<String, Value>, table: &toml::Table) {
    for (key, value) in table {
        if let Ok(value) = serde_json::to_value(value) {
            into.insert(key.clone(), value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(lang: &str, pattern: &str, months: &[&str]) -> Strings {
        let mut map = Map::new();
        map.insert("date_format".into(), Value::from(pattern));
        map.insert("months".into(), Value::from(months.to_vec()));
        let mut s = Strings::default();
        s.by_lang.insert(lang.into(), map);
        s
    }

    fn date(text: &str) -> Date {
        Date::from_value(&toml::Value::String(text.into())).unwrap()
    }

    #[test]
    fn dates_follow_the_language_pattern() {
        let months: Vec<String> = (1..=12).map(|m| format!("M{m}")).collect();
        let months: Vec<&str> = months.iter().map(String::as_str).collect();
        let en = strings("en", "{month_name} {day}, {year}", &months);
        assert_eq!(en.format_date("en", &date("2026-03-05")), "M3 5, 2026");
        let zh = strings("zh", "{year}年{month}月{day}日", &months);
        assert_eq!(zh.format_date("zh", &date("2026-03-10")), "2026年3月10日");
    }
}
