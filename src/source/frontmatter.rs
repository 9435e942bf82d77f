//! Reading a source file and splitting off its front matter.
//!
//! Front matter sits at the top of the file (blank lines before it are allowed):
//! TOML between two `+++` lines, or YAML between two `---` lines, which is written
//! again as TOML (`source::yaml`) so both are read by one deserializer. Errors in it
//! are reported at the line and column of the `.md` file, not of the snippet.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use toml::Spanned;

use crate::diag::toml::{toml_error_located, SnippetOrigin};
use crate::diag::Diagnostic;
pub(crate) use crate::source::date::{Date, UtcOffset};
use crate::source::yaml::{self, YamlAsToml};

/// A source file's text: UTF-8 checked, BOM removed, line endings made `\n`.
pub fn read_text(bytes: Vec<u8>, file: &Path) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    // simdutf8 checks text outside ASCII (Chinese) many times faster than std does;
    // the copy it leaves to make costs less than the check it spares.
    let text = simdutf8::compat::from_utf8(bytes).map_err(|e| {
        let prefix = &bytes[..e.valid_up_to()];
        let line = prefix.iter().filter(|b| **b == b'\n').count() + 1;
        Diagnostic::error("file is not valid UTF-8")
            .in_file(file)
            .at(line, 1)
            .with_hint("save the file with UTF-8 encoding")
    })?;
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text.to_owned()
    })
}

/// How the front matter is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Between `+++` lines.
    Toml,
    /// Between `---` lines.
    Yaml,
}

impl Format {
    fn fence(self) -> &'static str {
        match self {
            Format::Toml => "+++",
            Format::Yaml => "---",
        }
    }

    /// `key = value` or `key: value`, for hints.
    pub(crate) fn assignment(self, key: &str, value: &str) -> String {
        match self {
            Format::Toml => format!("{key} = {value}"),
            Format::Yaml => format!("{key}: {value}"),
        }
    }
}

/// The two parts of a source file.
#[derive(Debug, Clone)]
pub struct Split<'a> {
    /// TOML (`+++`) or YAML (`---`).
    pub format: Format,
    /// The front matter as TOML: as written, or written again from the YAML.
    pub front_matter: Cow<'a, str>,
    /// Where the written front matter starts in the file.
    pub(crate) origin: SnippetOrigin,
    /// For YAML, the way from the TOML text back to the YAML's places.
    yaml: Option<YamlAsToml>,
    pub(crate) body: &'a str,
    /// 1-based line of the file on which the body starts.
    pub(crate) body_line: usize,
}

impl Split<'_> {
    /// Line and column in the file of a byte offset in `front_matter` (a span of
    /// the TOML deserializer).
    pub(crate) fn locate(&self, offset: usize) -> (usize, usize) {
        match &self.yaml {
            Some(yaml) => {
                let (line, col) = yaml.locate(offset);
                (line + self.origin.first_line - 1, col)
            }
            None => self.origin.locate(&self.front_matter, offset),
        }
    }

    /// The file's line of the first front-matter line.
    pub(crate) fn first_line(&self) -> usize {
        self.origin.first_line
    }
}

/// Splits a file into its front matter (TOML between `+++` lines or YAML between
/// `---` lines, after any blank lines) and its Markdown body.
pub fn split<'a>(text: &'a str, file: &Path) -> Result<Split<'a>, Diagnostic> {
    let mut offset = 0;
    let mut fence_line = 1;
    for line in text.split_inclusive('\n') {
        if !line.trim().is_empty() {
            break;
        }
        offset += line.len();
        fence_line += 1;
    }
    let first_line = text[offset..].lines().next().unwrap_or("");
    let format = match first_line.trim_end() {
        "+++" => Format::Toml,
        "---" => Format::Yaml,
        _ => {
            // A file of blank lines has nothing to point at but its start.
            let line = if offset == text.len() { 1 } else { fence_line };
            return Err(Diagnostic::error("missing front matter")
                .in_file(file)
                .at(line, 1)
                .with_hint(
                    "start the file with a `+++` line, then `title = \"...\"`, then another `+++` line (or YAML between `---` lines)",
                ));
        }
    };
    let fm_start = (offset + first_line.len() + 1).min(text.len());
    let mut offset = fm_start;
    for (line_no, line) in (fence_line + 1..).zip(text[offset..].split_inclusive('\n')) {
        if line.trim_end() == format.fence() {
            let body_start = offset + line.len();
            let written = &text[fm_start..offset];
            let origin = SnippetOrigin {
                first_line: fence_line + 1,
            };
            let (front_matter, yaml) = match format {
                Format::Toml => (Cow::Borrowed(written), None),
                Format::Yaml => {
                    let converted = yaml::to_toml(written).map_err(|e| {
                        Diagnostic::error(e.message)
                            .in_file(file)
                            .at(e.line + origin.first_line - 1, e.col)
                    })?;
                    (Cow::Owned(converted.toml.clone()), Some(converted))
                }
            };
            return Ok(Split {
                format,
                front_matter,
                origin,
                yaml,
                body: &text[body_start..],
                body_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error("front matter is never closed")
        .in_file(file)
        .at(fence_line, 1)
        .with_hint(format!(
            "add a line with only `{}` after the last front-matter key",
            format.fence()
        )))
}

/// Parses front matter into `M`, reporting errors at their place in the file.
pub(crate) fn parse_meta<M: DeserializeOwned>(
    split: &Split<'_>,
    file: &Path,
) -> Result<M, Diagnostic> {
    toml::from_str(&split.front_matter).map_err(|e| {
        toml_error_located(&e, file, |offset| split.locate(offset), split.first_line())
    })
}

/// A spanned front-matter value, turned into a date or a diagnostic at its place.
pub(crate) fn date_at(
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
            let (line, col) = split.locate(spanned.span().start);
            Diagnostic::error(format!("`{key}` must be a date, found {found}"))
                .in_file(file)
                .at(line, col)
                .with_hint(format!(
                    "write it as `{}`",
                    split.format.assignment(key, "2024-03-01")
                ))
        })
}

/// Front matter of an article.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PageMeta {
    pub(crate) title: Option<String>,
    #[serde(default)]
    pub(crate) description: String,
    pub(crate) date: Option<Spanned<toml::Value>>,
    pub(crate) updated: Option<Spanned<toml::Value>>,
    pub(crate) weight: Option<i64>,
    #[serde(default)]
    pub(crate) draft: bool,
    pub(crate) slug: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) aliases: Vec<Spanned<String>>,
    pub(crate) template: Option<Spanned<String>>,
    /// Names of the contact channels that fit this article's topic.
    #[serde(default)]
    pub(crate) contact: Vec<Spanned<String>>,
    /// Makes the article a contact channel.
    pub(crate) channel: Option<Spanned<crate::source::channel_table::ChannelMeta>>,
    /// An announcement's window and weight (only in the `announcements` section).
    pub(crate) starts: Option<Spanned<toml::Value>>,
    pub(crate) ends: Option<Spanned<toml::Value>>,
    pub(crate) severity: Option<Spanned<String>>,
    /// A question-and-answer article: its headings are questions (FAQPage JSON-LD).
    pub(crate) faq: Option<bool>,
    /// Other words readers search for this article with (synonyms), for the search index.
    #[serde(default)]
    pub(crate) keywords: Vec<String>,
    /// A promoted article: lists on the home page show it before the others.
    #[serde(default)]
    pub(crate) promoted: bool,
    /// Zola's `[taxonomies]`: the terms of each taxonomy the article is filed under.
    #[serde(default)]
    pub(crate) taxonomies: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
    /// Terms of the `tags` taxonomy written at the top (`tags: [...]` in YAML).
    #[serde(default)]
    pub(crate) tags: Vec<Spanned<String>>,
    #[serde(default)]
    pub(crate) extra: toml::Table,
    /// Keys of Zola's page front matter that helpsite has no use for (warned about).
    pub(crate) path: Option<Spanned<toml::Value>>,
    pub(crate) authors: Option<Spanned<toml::Value>>,
    pub(crate) in_search_index: Option<Spanned<toml::Value>>,
    pub(crate) render: Option<Spanned<toml::Value>>,
}

impl PageMeta {
    /// The Zola keys written in this front matter that helpsite does not use.
    pub(crate) fn unused_zola_keys(&self) -> Vec<(&'static str, &Spanned<toml::Value>)> {
        let keys = [
            ("path", &self.path),
            ("authors", &self.authors),
            ("in_search_index", &self.in_search_index),
            ("render", &self.render),
        ];
        keys.into_iter()
            .filter_map(|(key, value)| Some((key, value.as_ref()?)))
            .collect()
    }
}

/// Front matter of a section (`_index.md`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SectionMeta {
    pub(crate) title: Option<String>,
    #[serde(default)]
    pub(crate) description: String,
    pub(crate) weight: Option<i64>,
    /// Name of an icon of the theme.
    #[serde(default)]
    pub(crate) icon: String,
    #[serde(default)]
    pub(crate) sort_by: SortBy,
    #[serde(default)]
    pub(crate) draft: bool,
    pub(crate) template: Option<Spanned<String>>,
    pub(crate) page_template: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) aliases: Vec<Spanned<String>>,
    /// Contact channels for the articles of this section that name none themselves.
    #[serde(default)]
    pub(crate) contact: Vec<Spanned<String>>,
    /// Every article below is a question-and-answer article unless it says otherwise.
    pub(crate) faq: Option<bool>,
    #[serde(default)]
    pub(crate) extra: toml::Table,
    /// Zola's: the section's address sends readers on to this path or URL.
    pub(crate) redirect_to: Option<Spanned<String>>,
    /// Keys of Zola's section front matter that helpsite has no use for (warned about).
    pub(crate) paginate_by: Option<Spanned<toml::Value>>,
    pub(crate) paginate_path: Option<Spanned<toml::Value>>,
    pub(crate) paginate_reversed: Option<Spanned<toml::Value>>,
    pub(crate) insert_anchor_links: Option<Spanned<toml::Value>>,
    pub(crate) render: Option<Spanned<toml::Value>>,
    pub(crate) transparent: Option<Spanned<toml::Value>>,
    pub(crate) in_search_index: Option<Spanned<toml::Value>>,
    pub(crate) generate_feeds: Option<Spanned<toml::Value>>,
    /// The name `generate_feeds` had before Zola 0.19.
    pub(crate) generate_feed: Option<Spanned<toml::Value>>,
}

impl SectionMeta {
    /// The Zola keys written in this front matter that helpsite does not use.
    pub(crate) fn unused_zola_keys(&self) -> Vec<(&'static str, &Spanned<toml::Value>)> {
        let keys = [
            ("paginate_by", &self.paginate_by),
            ("paginate_path", &self.paginate_path),
            ("paginate_reversed", &self.paginate_reversed),
            ("insert_anchor_links", &self.insert_anchor_links),
            ("render", &self.render),
            ("transparent", &self.transparent),
            ("in_search_index", &self.in_search_index),
            ("generate_feeds", &self.generate_feeds),
            ("generate_feed", &self.generate_feed),
        ];
        keys.into_iter()
            .filter_map(|(key, value)| Some((key, value.as_ref()?)))
            .collect()
    }
}

/// What helpsite does instead of what a Zola key asks for, for the warning about it.
pub(crate) fn instead_of_zola_key(key: &str) -> &'static str {
    match key {
        "path" => "an article's address is its folder and file name (or `slug`); keep an old address working with `aliases`",
        "authors" => "helpsite shows no authors; put them under `extra` for your own templates",
        "in_search_index" => "every published article is in the search index; a draft is left out of the site",
        "render" => "every article and section gets its page; a draft is left out of the site",
        "paginate_by" | "paginate_path" | "paginate_reversed" => {
            "a section lists all its articles on one page"
        }
        "insert_anchor_links" => "every heading already gets an anchor link",
        "transparent" => "a section lists its own articles, and its subsections are shown as cards",
        "generate_feeds" | "generate_feed" => {
            "helpsite writes one Atom feed per language, of its announcements"
        }
        _ => "helpsite does not use it",
    }
}

/// How a section orders its articles; weight, then title, by default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum SortBy {
    #[default]
    Weight,
    /// By title, as text (so also Zola's `title_bytes`).
    #[serde(alias = "title_bytes")]
    Title,
    /// Newest first.
    Date,
    /// Last updated first (Zola's `update_date`), then by date.
    UpdateDate,
    /// By the last part of the address (Zola's `slug`).
    Slug,
    /// Zola's "in no particular order": helpsite's default order, weight then title.
    None,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{FixedOffset, NaiveDate, NaiveTime};

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
        assert!(!ok("10:00:00"));
        assert!(!ok("2024-03-01T25:00:00"));
    }

    #[test]
    fn a_date_is_read_into_its_parts() {
        let date = Date::parse("2024-03-01 10:30:15.5+08:00").unwrap();
        assert_eq!(date.day(), NaiveDate::from_ymd_opt(2024, 3, 1).unwrap());
        assert_eq!(date.time(), NaiveTime::from_hms_milli_opt(10, 30, 15, 500));
        assert_eq!(
            date.offset(),
            Some(UtcOffset::East(FixedOffset::east_opt(8 * 3600).unwrap()))
        );
        assert_eq!(date.as_str(), "2024-03-01 10:30:15.5+08:00");
        assert_eq!(
            date.instant().unwrap().to_rfc3339(),
            "2024-03-01T10:30:15.500+08:00"
        );
        let day = Date::parse("2024-03-01").unwrap();
        assert_eq!(
            (day.time(), day.offset(), day.instant()),
            (None, None, None)
        );
        assert_eq!(
            Date::parse("2024-03-01T10:00z").unwrap().offset(),
            Some(UtcOffset::Z)
        );
    }

    #[test]
    fn toml_dates_keep_toml_s_form() {
        let value: toml::Table = toml::from_str("d = 2024-03-01T10:00:00z").unwrap();
        let date = Date::from_value(&value["d"]).unwrap();
        assert_eq!(date.as_str(), "2024-03-01T10:00:00Z");
        let value: toml::Table = toml::from_str("d = 10:00:00").unwrap();
        assert_eq!(
            Date::from_value(&value["d"]).unwrap_err(),
            "a time without a date"
        );
        assert_eq!(
            Date::from_value(&toml::Value::Integer(3)).unwrap_err(),
            "a integer"
        );
    }

    #[test]
    fn dates_in_utc_for_feeds() {
        let utc = |t: &str| Date::parse(t).unwrap().rfc3339_utc();
        assert_eq!(utc("2026-10-01"), "2026-10-01T00:00:00Z");
        assert_eq!(utc("2026-10-01T08:00:00"), "2026-10-01T08:00:00Z");
        assert_eq!(utc("2026-10-01T08:00:00+08:00"), "2026-10-01T00:00:00Z");
        assert_eq!(utc("2026-10-01T02:00:00-05:30"), "2026-10-01T07:30:00Z");
        assert_eq!(utc("2026-10-01T08:00:00Z"), "2026-10-01T08:00:00Z");
        assert_eq!(utc("2026-10-01 08:00:00.75Z"), "2026-10-01T08:00:00Z");
    }

    #[test]
    fn dates_order_as_written() {
        let d = |t: &str| Date::parse(t).unwrap();
        assert!(d("2024-03-01") < d("2024-03-01T00:00:00"));
        assert!(d("2024-03-01T23:00:00") < d("2024-03-02"));
        assert_eq!(Date::from(d("2024-03-01").day()), d("2024-03-01"));
    }
}
