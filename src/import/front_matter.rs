//! Source front matter (YAML `---` or TOML `+++`) -> the keys helpsite reads, and back
//! out as TOML. Keys with no meaning here are returned so the report can list them.

use std::path::Path;

use serde_json::{Map, Value};

use super::ImportError;
use crate::source::frontmatter::Date;

pub(crate) type Fields = Map<String, Value>;

/// A source file split into its front matter and body.
#[derive(Debug)]
pub(crate) struct RawDoc {
    pub fields: Fields,
    pub body: String,
    /// 1-based line of the source file on which the body starts.
    pub body_line: usize,
    /// 1-based line of each front-matter key (for the report), when known.
    pub key_lines: Vec<(String, usize)>,
}

/// Splits `text` (already UTF-8, `\n` line ends) and reads its front matter.
pub(crate) fn split(text: &str, file: &Path) -> Result<RawDoc, ImportError> {
    let skipped = text.lines().take_while(|l| l.trim().is_empty()).count();
    let mut lines = text.split_inclusive('\n').skip(skipped);
    let fence = match lines.next().map(str::trim_end) {
        Some(f @ ("---" | "+++")) => f,
        _ => {
            return Ok(RawDoc {
                fields: Fields::new(),
                body: text.to_string(),
                body_line: 1,
                key_lines: Vec::new(),
            })
        }
    };
    let first = skipped + 2;
    let mut front = String::new();
    let mut closed_at = None;
    for (i, line) in lines.by_ref().enumerate() {
        let t = line.trim_end();
        if t == fence || (fence == "---" && t == "...") {
            closed_at = Some(first + i);
            break;
        }
        front.push_str(line);
    }
    let Some(close_line) = closed_at else {
        return Err(ImportError::at(
            file,
            Some(first - 1),
            "front matter is never closed",
        ));
    };
    let body: String = lines.collect();
    let fields = if fence == "---" {
        yaml_fields(&front, file, first)?
    } else {
        toml_fields(&front, file, first)?
    };
    let key_lines = key_lines(&front, first);
    Ok(RawDoc {
        fields,
        body,
        body_line: close_line + 1,
        key_lines,
    })
}

/// YAML read by helpsite's own reader (`source::yaml`), which writes it again as TOML and
/// keeps the way back to the YAML's lines and columns. `first` is the line of the file on
/// which the YAML starts.
pub(crate) fn yaml_fields(front: &str, file: &Path, first: usize) -> Result<Fields, ImportError> {
    let converted = crate::source::yaml::to_toml(front)
        .map_err(|e| ImportError::at_col(file, first + e.line.max(1) - 1, e.col, e.message))?;
    // What the reader writes is TOML; it fails only on a key written twice.
    let table: toml::Table = toml::from_str(&converted.toml).map_err(|e| {
        let (line, col) = e.span().map_or((1, 1), |s| converted.locate(s.start));
        ImportError::at_col(
            file,
            first + line.max(1) - 1,
            col,
            format!("YAML: {}", e.message()),
        )
    })?;
    match toml_to_json(toml::Value::Table(table)) {
        Value::Object(map) => Ok(map),
        _ => Ok(Fields::new()),
    }
}

fn toml_fields(front: &str, file: &Path, first: usize) -> Result<Fields, ImportError> {
    let table: toml::Table = toml::from_str(front).map_err(|e| {
        let line = e
            .span()
            .map(|s| first + front[..s.start].matches('\n').count());
        ImportError::at(
            file,
            line.or(Some(first)),
            format!("TOML front matter: {}", e.message()),
        )
    })?;
    match toml_to_json(toml::Value::Table(table)) {
        Value::Object(map) => Ok(map),
        _ => Ok(Fields::new()),
    }
}

fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

/// The line of each top-level key (`key:` or `key =` at the start of a line).
fn key_lines(front: &str, first: usize) -> Vec<(String, usize)> {
    front
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with([' ', '\t', '#', '-']))
        .filter_map(|(i, l)| {
            if let Some(table) = l.trim().strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
                return Some((table.trim().to_string(), first + i));
            }
            let end = l.find([':', '='])?;
            Some((l[..end].trim().trim_matches('"').to_string(), first + i))
        })
        .collect()
}

/// An article's or section's front matter in helpsite's terms.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Front {
    pub title: Option<String>,
    pub description: Option<String>,
    pub date: Option<String>,
    pub updated: Option<String>,
    pub weight: Option<i64>,
    pub draft: bool,
    pub aliases: Vec<String>,
    pub tags: Vec<String>,
    pub promoted: bool,
    /// Where the page lived (`slug`, `permalink`, `url`): used for its file name and aliases.
    pub slug: Option<String>,
    pub permalink: Option<String>,
    /// A single category naming the page's folder (Jekyll's `category`).
    pub category: Option<String>,
}

/// Keys read by every kind; `extra_known` adds a kind's own (read elsewhere, not dropped).
pub(crate) fn map(doc: &RawDoc, extra_known: &[&str]) -> (Front, Vec<(String, Option<usize>)>) {
    let mut front = Front::default();
    let mut dropped = Vec::new();
    for (key, value) in &doc.fields {
        if !apply(&mut front, key, value) && !extra_known.contains(&key.as_str()) {
            let line = doc
                .key_lines
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, l)| *l);
            dropped.push((key.clone(), line));
        }
    }
    front.tags = clean_tags(std::mem::take(&mut front.tags));
    (front, dropped)
}

/// Sets the helpsite meaning of one key; false when it has none.
fn apply(front: &mut Front, key: &str, value: &Value) -> bool {
    match key {
        "title" => front.title = text(value),
        "description" | "summary" | "excerpt" => {
            if front.description.is_none() || key == "description" {
                front.description = text(value).filter(|d| !d.trim().is_empty());
            }
        }
        "date" => front.date = text(value).and_then(|d| date(&d)),
        "updated" | "last_modified" | "lastmod" | "last_modified_at" | "last_update" => {
            front.updated = text(value).and_then(|d| date(&d)).or(front.updated.take())
        }
        "weight" | "order" | "nav_order" | "sidebar_position" | "position" => {
            front.weight = value.as_i64().or(value.as_f64().map(|f| f as i64))
        }
        "draft" | "hidden" | "unlisted" => front.draft |= truthy(value),
        "published" => front.draft |= value == &Value::Bool(false),
        // Jekyll reads a string of `tags` or `categories` as words: `tags: billing refunds`.
        "tags" | "categories" => front.tags.extend(match value {
            Value::String(s) if !s.contains(',') => {
                s.split_whitespace().map(str::to_string).collect()
            }
            _ => list(value),
        }),
        "keywords" | "labels" | "label_names" => front.tags.extend(list(value)),
        "taxonomies" => {
            let lists = value.as_object().into_iter().flat_map(|t| t.values());
            front.tags.extend(lists.flat_map(list));
        }
        "aliases" | "redirect_from" => front.aliases.extend(list(value)),
        "slug" => front.slug = text(value),
        "permalink" | "url" | "path" => front.permalink = text(value),
        "category" => front.category = text(value),
        "featured" | "popular" | "promoted" => front.promoted |= truthy(value),
        "sidebar" => {
            let order = value.get("order").and_then(Value::as_i64);
            front.weight = order.or(front.weight);
            return order.is_some();
        }
        _ => return false,
    }
    true
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn truthy(value: &Value) -> bool {
    match value {
        Value::Bool(b) => *b,
        Value::String(s) => matches!(s.as_str(), "true" | "yes" | "1"),
        Value::Number(n) => n.as_i64().is_some_and(|n| n != 0),
        _ => false,
    }
}

/// A list, or a single value, or a comma-separated string.
fn list(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().filter_map(text).collect(),
        Value::String(s) if s.contains(',') => s
            .split(',')
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect(),
        other => text(other).into_iter().collect(),
    }
}

/// A date helpsite reads, from the forms tools write (`2024-03-01 10:00:00 +0100` too).
pub(crate) fn date(text: &str) -> Option<String> {
    let text = text.trim();
    if Date::parse(text).is_ok() {
        return Some(text.to_string());
    }
    let formats = [
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%d %H:%M %z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
    ];
    for format in formats {
        if let Ok(dt) = chrono::DateTime::parse_from_str(text, format) {
            return Some(dt.to_rfc3339());
        }
    }
    let day = text.get(..10)?;
    Date::parse(day).ok().map(|_| day.to_string())
}

/// TOML for a string, escaped.
pub(crate) fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn string_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| quoted(s)).collect();
    format!("[{}]", quoted.join(", "))
}

/// The `+++` block of an article (or, with `section`, of an `_index.md`).
pub(crate) fn render(front: &Front, title: &str, section: bool) -> String {
    let mut out = format!("+++\ntitle = {}\n", quoted(title));
    if let Some(d) = front
        .description
        .as_deref()
        .filter(|d| !d.trim().is_empty())
    {
        out.push_str(&format!("description = {}\n", quoted(d.trim())));
    }
    if !section {
        // Dates are written bare: TOML reads them as dates, as helpsite's own pages do.
        for (key, value) in [("date", &front.date), ("updated", &front.updated)] {
            if let Some(v) = value {
                out.push_str(&format!("{key} = {}\n", bare_or_quoted(v)));
            }
        }
    }
    if let Some(w) = front.weight {
        out.push_str(&format!("weight = {w}\n"));
    }
    if front.draft {
        out.push_str("draft = true\n");
    }
    if !front.aliases.is_empty() {
        out.push_str(&format!("aliases = {}\n", string_list(&front.aliases)));
    }
    if !section && front.promoted {
        out.push_str("promoted = true\n");
    }
    let tags = clean_tags(front.tags.clone());
    if !section && !tags.is_empty() {
        // A table comes after every top-level key.
        out.push_str(&format!("\n[taxonomies]\ntags = {}\n", string_list(&tags)));
    }
    out.push_str("+++\n");
    out
}

/// Tags trimmed, without empty ones (helpsite refuses an empty term), sorted, each once.
pub(crate) fn clean_tags(tags: Vec<String>) -> Vec<String> {
    let mut tags: Vec<String> = tags
        .into_iter()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    tags.sort();
    tags.dedup();
    tags
}

fn bare_or_quoted(value: &str) -> String {
    match value.parse::<toml::value::Datetime>() {
        Ok(dt) if dt.date.is_some() => dt.to_string(),
        _ => quoted(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> RawDoc {
        split(text, Path::new("a.md")).unwrap()
    }

    #[test]
    fn yaml_keys_map_and_unknown_ones_are_listed_with_their_line() {
        let d = doc("---\ntitle: Refunds\nlayout: page\nnav_order: 3\npublished: false\nredirect_from: /old/\ntags: b a\nfeatured: true\n---\nBody\n");
        let (front, dropped) = map(&d, &[]);
        assert_eq!(front.title.as_deref(), Some("Refunds"));
        assert_eq!(front.weight, Some(3));
        assert!(front.draft && front.promoted);
        assert_eq!(front.aliases, vec!["/old/"]);
        assert_eq!(front.tags, vec!["a", "b"]);
        assert_eq!(dropped, vec![("layout".to_string(), Some(3))]);
        assert_eq!((d.body.as_str(), d.body_line), ("Body\n", 10));
    }

    #[test]
    fn bad_yaml_is_located_at_its_line_and_column() {
        let err = split("---\ntitle: a\n  bad: [\n---\n", Path::new("a.md")).unwrap_err();
        assert!(err.to_string().starts_with("a.md:3:"), "{err}");
        let err = split("\n---\ntitle: a\ntitle: b\n---\n", Path::new("a.md")).unwrap_err();
        assert!(err.to_string().starts_with("a.md:4:1: YAML: "), "{err}");
    }

    #[test]
    fn yaml_values_keep_their_types() {
        let d = doc("---\ntitle: 'Refunds: how'\ndate: 2024-03-01\ntags:\n  - billing\n  - fees\nsidebar:\n  order: 2\n---\n");
        let (front, dropped) = map(&d, &[]);
        assert_eq!(front.title.as_deref(), Some("Refunds: how"));
        assert_eq!(front.date.as_deref(), Some("2024-03-01"));
        assert_eq!(front.weight, Some(2));
        assert_eq!(front.tags, vec!["billing", "fees"]);
        assert!(dropped.is_empty(), "{dropped:?}");
    }

    #[test]
    fn jekyll_dates_become_helpsite_dates() {
        assert_eq!(
            date("2024-03-01 10:00:00 +0100").as_deref(),
            Some("2024-03-01T10:00:00+01:00")
        );
        assert_eq!(date("2024-03-01").as_deref(), Some("2024-03-01"));
        assert_eq!(date("soon"), None);
    }

    #[test]
    fn tags_are_written_as_taxonomy_terms() {
        let front = Front {
            tags: vec!["billing".into()],
            promoted: true,
            ..Front::default()
        };
        let text = render(&front, "A \"quoted\" title", false);
        assert!(
            text.contains("title = 'A \"quoted\" title'")
                || text.contains("title = \"A \\\"quoted\\\" title\""),
            "{text}"
        );
        assert!(text.contains("promoted = true\n"));
        assert!(
            text.ends_with("promoted = true\n\n[taxonomies]\ntags = [\"billing\"]\n+++\n"),
            "{text}"
        );
    }
}
