//! `helpsite new account/close-account`: a new article with its front matter filled in.
//!
//! The title comes from the slug, the date is today's, and the contact channels are the
//! category's, written out so the writer sees (and can change) where readers are sent.
//! A site may bring its own skeleton in `archetypes/article.md`; `{title}`, `{date}` and
//! `{contact}` in it are replaced.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::source::discover::display_path;
use crate::source::frontmatter::{self, SectionMeta};

const DEFAULT_ARCHETYPE: &str = "+++
title = \"{title}\"
description = \"\"
date = {date}
{contact}+++

One or two sentences that answer the question; they become the summary in listings.

<!-- more -->

## Steps

1. 

## If it still does not work

";

#[derive(Debug, thiserror::Error)]
pub(crate) enum NewError {
    /// A wrong path or language: the writer's command needs changing (exit 2).
    #[error("{0}")]
    Usage(String),
    /// The site itself could not be read, or the file not written (exit 1).
    #[error("{0}")]
    Site(Diagnostic),
}

/// Creates the article `content/<path>.md` (or `.LANG.md`) and returns its path as the
/// writer can open it.
pub(crate) fn new_article(
    root: &Path,
    config: &Config,
    path: &str,
    lang: Option<&str>,
) -> Result<PathBuf, NewError> {
    let lang = lang.unwrap_or(&config.default_language);
    let languages: Vec<String> = config.language_codes();
    if !languages.iter().any(|l| l == lang) {
        return Err(NewError::Usage(format!(
            "the site has no language `{lang}`; its languages are: {}",
            languages.join(", ")
        )));
    }
    let (folder, slug) = split_article_path(path)?;
    let content = root.join("content");
    let category = content.join(&folder);
    if !category.is_dir() {
        return Err(NewError::Usage(missing_category(&content, &folder)));
    }
    let suffix = if lang == config.default_language {
        String::new()
    } else {
        format!(".{lang}")
    };
    let file = category.join(format!("{slug}{suffix}.md"));
    let bundle = category.join(&slug).join(format!("index{suffix}.md"));
    for existing in [&file, &bundle] {
        if existing.exists() {
            return Err(NewError::Usage(format!(
                "{} already exists; helpsite new never overwrites an article",
                display_path(root, existing).display()
            )));
        }
    }
    let contact = category_contact(root, &content, &category, &suffix)?;
    let archetype = match std::fs::read_to_string(root.join("archetypes/article.md")) {
        Ok(text) => text,
        Err(_) => DEFAULT_ARCHETYPE.to_string(),
    };
    let text = archetype
        .replace("{title}", &title_from_slug(&slug).replace('"', "\\\""))
        .replace("{date}", &today())
        .replace("{contact}", &contact_line(&contact));
    let shown = display_path(root, &file);
    write_new(&file, &text).map_err(|e| {
        NewError::Site(Diagnostic::error(format!("cannot write the article: {e}")).in_file(&shown))
    })?;
    Ok(shown)
}

/// `account/close-account` -> (`account`, `close-account`); refuses anything that could
/// leave `content/` or that is not a plain URL segment.
fn split_article_path(path: &str) -> Result<(String, String), NewError> {
    let trimmed = path.trim_matches('/');
    let trimmed = trimmed
        .strip_prefix("content/")
        .unwrap_or(trimmed)
        .trim_end_matches(".md");
    let segments: Vec<&str> = trimmed.split('/').collect();
    let bad = segments.iter().find(|s| {
        !crate::model::parse::is_safe_segment(s)
            || s.contains('.')
            || s.contains(char::is_whitespace)
    });
    if trimmed.is_empty() || bad.is_some() {
        return Err(NewError::Usage(format!(
            "`{path}` is not an article path; write it as CATEGORY/NAME, e.g. account/close-account \
             (no spaces, dots or `..` in the names)"
        )));
    }
    let (slug, folder) = segments.split_last().expect("at least one segment");
    Ok((folder.join("/"), slug.to_string()))
}

fn missing_category(content: &Path, folder: &str) -> String {
    let categories: Vec<String> = std::fs::read_dir(content)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|name| !name.starts_with('.'))
        .collect();
    let closest = categories
        .iter()
        .map(|c| (strsim::jaro_winkler(c, folder), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let mut message = format!("there is no category content/{folder}/");
    match closest {
        Some((_, name)) => message.push_str(&format!("; did you mean `{name}`?")),
        None => message.push_str(&format!(
            "; create content/{folder}/_index.md first, or use one of: {}",
            {
                let mut sorted = categories.clone();
                sorted.sort();
                sorted.join(", ")
            }
        )),
    }
    message
}

/// The contact channels an article in `category` is routed to when it names none, as
/// the build decides them: the nearest section, from the category up to the home page,
/// whose `_index.md` has a `contact` list. Each section is read in the article's
/// language, from `_index.LANG.md` when there is one, else from the default language's
/// `_index.md` (which is what the build borrows for a section without a translation).
fn category_contact(
    root: &Path,
    content: &Path,
    category: &Path,
    suffix: &str,
) -> Result<Vec<String>, NewError> {
    let sections = category
        .ancestors()
        .take_while(|dir| dir.starts_with(content));
    for dir in sections {
        let translated = dir.join(format!("_index{suffix}.md"));
        let index = if translated.is_file() {
            translated
        } else {
            dir.join("_index.md")
        };
        let Ok(bytes) = std::fs::read(&index) else {
            continue;
        };
        let shown = display_path(root, &index);
        let read = || -> Result<Vec<String>, Diagnostic> {
            let text = frontmatter::read_text(bytes, &shown)?;
            let split = frontmatter::split(&text, &shown)?;
            let meta: SectionMeta = frontmatter::parse_meta(&split, &shown)?;
            Ok(meta.contact.into_iter().map(|c| c.into_inner()).collect())
        };
        let contact = read().map_err(NewError::Site)?;
        if !contact.is_empty() {
            return Ok(contact);
        }
    }
    Ok(Vec::new())
}

fn contact_line(contact: &[String]) -> String {
    if contact.is_empty() {
        return String::new();
    }
    let names: Vec<String> = contact.iter().map(|c| format!("{c:?}")).collect();
    format!("contact = [{}]\n", names.join(", "))
}

/// `close-account` -> `Close account`.
fn title_from_slug(slug: &str) -> String {
    let words = slug.replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn today() -> String {
    chrono::Local::now().date_naive().to_string()
}

/// Creates the file only if it does not exist yet, even if another process races us.
fn write_new(file: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(file)?;
    out.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_from_slugs() {
        assert_eq!(title_from_slug("close-account"), "Close account");
        assert_eq!(title_from_slug("2fa_setup"), "2fa setup");
    }

    #[test]
    fn paths_must_stay_inside_content() {
        assert_eq!(
            split_article_path("account/close-account").unwrap(),
            ("account".into(), "close-account".into())
        );
        assert_eq!(
            split_article_path("content/a/b/c.md").unwrap(),
            ("a/b".into(), "c".into())
        );
        for bad in ["", "../x", "a/../b", "a/.hidden", "a/b c", "a//b"] {
            assert!(split_article_path(bad).is_err(), "{bad}");
        }
    }
}
