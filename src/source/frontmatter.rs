//! Reading a source file and splitting off its TOML front matter.
//!
//! Front matter sits between two `+++` lines at the top of the file. Errors in
//! it are reported at the line and column of the `.md` file, not of the snippet.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use toml::Spanned;

use crate::diag::toml::{toml_error, SnippetOrigin};
use crate::diag::Diagnostic;

/// A source file's text: UTF-8 checked, BOM removed, line endings made `\n`.
pub fn read_text(bytes: Vec<u8>, file: &Path) -> Result<String, Diagnostic> {
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid_up_to = e.utf8_error().valid_up_to();
        let prefix = &e.as_bytes()[..valid_up_to];
        let line = prefix.iter().filter(|b| **b == b'\n').count() + 1;
        Diagnostic::error("file is not valid UTF-8")
            .in_file(file)
            .at(line, 1)
            .with_hint("save the file with UTF-8 encoding")
    })?;
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    })
}

/// The two parts of a source file.
#[derive(Debug, Clone, Copy)]
pub struct Split<'a> {
    pub front_matter: &'a str,
    pub origin: SnippetOrigin,
    pub body: &'a str,
    /// 1-based line of the file on which the body starts.
    pub body_line: usize,
}

pub fn split<'a>(text: &'a str, file: &Path) -> Result<Split<'a>, Diagnostic> {
    let first_line = text.lines().next().unwrap_or("");
    if first_line.trim_end() != "+++" {
        let diag = Diagnostic::error("missing front matter")
            .in_file(file)
            .at(1, 1);
        return Err(if first_line.trim_end() == "---" {
            diag.with_hint("helpsite reads TOML front matter between `+++` lines; convert the YAML block to TOML")
        } else {
            diag.with_hint(
                "start the file with a `+++` line, then `title = \"...\"`, then another `+++` line",
            )
        });
    }
    let fm_start = first_line.len() + 1;
    let mut offset = fm_start.min(text.len());
    for (line_no, line) in (2..).zip(text[offset..].split_inclusive('\n')) {
        if line.trim_end() == "+++" {
            let body_start = offset + line.len();
            return Ok(Split {
                front_matter: &text[fm_start.min(text.len())..offset],
                origin: SnippetOrigin { first_line: 2 },
                body: &text[body_start..],
                body_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error("front matter is never closed")
        .in_file(file)
        .at(1, 1)
        .with_hint("add a line with only `+++` after the last front-matter key"))
}

/// Parses front matter into `M`, reporting errors at their place in the file.
pub fn parse_meta<M: DeserializeOwned>(split: &Split<'_>, file: &Path) -> Result<M, Diagnostic> {
    toml::from_str(split.front_matter)
        .map_err(|e| toml_error(&e, file, split.front_matter, split.origin))
}

/// A date from front matter: a TOML date (`2024-03-01`), a datetime, or a string of either.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Date(String);

impl Date {
    /// `YYYY-MM-DD`.
    pub fn day(&self) -> &str {
        &self.0[..10]
    }

    /// The full value as written, normalised (`2024-03-01` or `2024-03-01T10:00:00Z`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn from_value(value: &toml::Value) -> Result<Date, String> {
        let text = match value {
            toml::Value::Datetime(dt) if dt.date.is_some() => dt.to_string(),
            toml::Value::Datetime(_) => return Err("a time without a date".into()),
            toml::Value::String(s) => s.clone(),
            other => return Err(format!("a {}", other.type_str())),
        };
        let valid_day = text.len() >= 10
            && text.is_char_boundary(10)
            && toml::value::Datetime::from_str_checked(&text[..10]);
        if valid_day && (text.len() == 10 || text.parse::<toml::value::Datetime>().is_ok()) {
            Ok(Date(text))
        } else {
            Err(format!("{text:?}"))
        }
    }
}

trait DatetimeCheck {
    fn from_str_checked(text: &str) -> bool;
}

impl DatetimeCheck for toml::value::Datetime {
    fn from_str_checked(text: &str) -> bool {
        text.parse::<toml::value::Datetime>()
            .map(|dt| {
                dt.date.is_some_and(|d| {
                    d.month >= 1
                        && d.month <= 12
                        && d.day >= 1
                        && d.day <= days_in_month(d.year, d.month)
                })
            })
            .unwrap_or(false)
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A spanned front-matter value, turned into a date or a diagnostic at its place.
pub fn date_at(
    value: &Option<Spanned<toml::Value>>,
    key: &str,
    split: &Split<'_>,
    file: &Path,
) -> Result<Option<Date>, Diagnostic> {
    let Some(spanned) = value else {
        return Ok(None);
    };
    Date::from_value(spanned.get_ref())
        .map(Some)
        .map_err(|found| {
            let (line, col) = split
                .origin
                .locate(split.front_matter, spanned.span().start);
            Diagnostic::error(format!("`{key}` must be a date, found {found}"))
                .in_file(file)
                .at(line, col)
                .with_hint(format!("write it as `{key} = 2024-03-01`"))
        })
}

/// Front matter of an article.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageMeta {
    pub title: Option<String>,
    #[serde(default)]
    pub description: String,
    pub date: Option<Spanned<toml::Value>>,
    pub updated: Option<Spanned<toml::Value>>,
    pub weight: Option<i64>,
    #[serde(default)]
    pub draft: bool,
    pub slug: Option<Spanned<String>>,
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    pub template: Option<Spanned<String>>,
    /// Names of the contact channels that fit this article's topic.
    #[serde(default)]
    pub contact: Vec<Spanned<String>>,
    /// Makes the article a contact channel.
    pub channel: Option<Spanned<crate::source::channel_table::ChannelMeta>>,
    /// An announcement's window and weight (only in the `announcements` section).
    pub starts: Option<Spanned<toml::Value>>,
    pub ends: Option<Spanned<toml::Value>>,
    pub severity: Option<Spanned<String>>,
    /// A question-and-answer article: its headings are questions (FAQPage JSON-LD).
    pub faq: Option<bool>,
    /// Other words readers search for this article with (synonyms), for the search index.
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub extra: toml::Table,
}

/// Front matter of a section (`_index.md`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionMeta {
    pub title: Option<String>,
    #[serde(default)]
    pub description: String,
    pub weight: Option<i64>,
    /// Name of an icon of the theme.
    #[serde(default)]
    pub icon: String,
    #[serde(default)]
    pub sort_by: SortBy,
    #[serde(default)]
    pub draft: bool,
    pub template: Option<Spanned<String>>,
    pub page_template: Option<Spanned<String>>,
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    /// Contact channels for the articles of this section that name none themselves.
    #[serde(default)]
    pub contact: Vec<Spanned<String>>,
    /// Every article below is a question-and-answer article unless it says otherwise.
    pub faq: Option<bool>,
    #[serde(default)]
    pub extra: toml::Table,
}

/// How a section orders its articles; weight, then title, by default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    #[default]
    Weight,
    Title,
    /// Newest first.
    Date,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("content/x.md")
    }

    #[test]
    fn split_finds_body_line() {
        let s = split("+++\ntitle = \"a\"\n+++\nbody\n", p()).unwrap();
        assert_eq!(s.front_matter, "title = \"a\"\n");
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn front_matter_only_is_valid() {
        let s = split("+++\ntitle = \"a\"\n+++", p()).unwrap();
        assert_eq!(s.body, "");
    }

    #[test]
    fn unterminated_front_matter_is_an_error() {
        let e = split("+++\ntitle = \"a\"\n", p()).unwrap_err();
        assert!(e.message.contains("never closed"));
    }

    #[test]
    fn toml_error_points_into_the_md_file() {
        let text = "+++\ntitle = \"a\"\ndate = 2024-01-01\nweight = \"x\"\n+++\n";
        let s = split(text, p()).unwrap();
        let e = parse_meta::<PageMeta>(&s, p()).unwrap_err();
        assert_eq!((e.line, e.col), (Some(4), Some(10)));
    }

    #[test]
    fn bom_and_crlf_are_normalised() {
        let t = read_text(b"\xEF\xBB\xBF+++\r\ntitle = \"a\"\r\n+++\r\n".to_vec(), p()).unwrap();
        assert_eq!(t, "+++\ntitle = \"a\"\n+++\n");
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let e = read_text(b"+++\n\xff\n".to_vec(), p()).unwrap_err();
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn dates() {
        let ok = |t: &str| Date::from_value(&toml::Value::String(t.into())).is_ok();
        assert!(ok("2024-02-29"));
        assert!(!ok("2023-02-29"));
        assert!(!ok("2024-13-01"));
        assert!(ok("2024-03-01T10:00:00Z"));
        assert!(!ok("yesterday"));
    }
}
