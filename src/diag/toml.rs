//! Turning TOML and serde errors into diagnostics that point into the writer's file.

use std::path::Path;

use crate::diag::{line_col, Diagnostic};

/// Where a TOML snippet sits inside the file it was cut from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SnippetOrigin {
    /// 1-based line of the file on which the snippet's first line stands.
    pub first_line: usize,
}

impl SnippetOrigin {
    pub(crate) const WHOLE_FILE: SnippetOrigin = SnippetOrigin { first_line: 1 };

    /// Line and column in the file of a byte offset in the snippet.
    pub(crate) fn locate(&self, snippet: &str, offset: usize) -> (usize, usize) {
        let (line, col) = line_col(snippet, offset);
        (line + self.first_line - 1, col)
    }
}

/// A diagnostic for a TOML parse or type error, located in the file, with a
/// "did you mean" hint for unknown keys.
pub(crate) fn toml_error(
    err: &toml::de::Error,
    file: &Path,
    snippet: &str,
    origin: SnippetOrigin,
) -> Diagnostic {
    toml_error_located(
        err,
        file,
        |offset| origin.locate(snippet, offset),
        origin.first_line,
    )
}

/// `toml_error` for a snippet whose offsets `locate` turns into the file's line and
/// column (front matter written again from YAML); an error without a place is put
/// on `first_line`.
pub(crate) fn toml_error_located(
    err: &toml::de::Error,
    file: &Path,
    locate: impl Fn(usize) -> (usize, usize),
    first_line: usize,
) -> Diagnostic {
    let message = err.message().trim().to_string();
    let mut diag = Diagnostic::error(describe(&message)).in_file(file);
    if let Some(span) = err.span() {
        let (line, col) = locate(span.start);
        diag = diag.at(line, col);
    } else {
        diag = diag.at(first_line, 1);
    }
    if let Some(hint) = unknown_key_hint(&message).or_else(|| wrong_type_hint(&message)) {
        diag = diag.with_hint(hint);
    }
    diag
}

/// serde's "invalid type: string \"first\", expected i64" in a writer's words.
fn wrong_type(message: &str) -> Option<(String, String)> {
    let rest = message.strip_prefix("invalid type: ")?;
    let (found, expected) = rest.rsplit_once(", expected ")?;
    let expected = match expected.trim() {
        "i64" | "u64" | "i32" | "u32" | "usize" | "u16" | "u8" | "an integer" => "a whole number",
        "a boolean" | "a bool" => "true or false",
        "a string" => "text in double quotes",
        "a sequence" => "a list in [ ]",
        other => other,
    };
    let found = if let Some(text) = found.strip_prefix("string ") {
        format!("the text {text}")
    } else if let Some(number) = found.strip_prefix("integer ") {
        format!("the number {}", number.trim_matches('`'))
    } else if let Some(value) = found.strip_prefix("boolean ") {
        value.trim_matches('`').to_string()
    } else {
        found
            .replace("sequence", "a list")
            .replace("map", "a table")
    };
    Some((expected.to_string(), found))
}

fn wrong_type_hint(message: &str) -> Option<String> {
    let (expected, found) = wrong_type(message)?;
    Some(match (expected.as_str(), found.starts_with("the text")) {
        ("a whole number", true) | ("true or false", true) => {
            "numbers and true/false are written without quotes".to_string()
        }
        ("text in double quotes", _) => "put the value in double quotes: \"...\"".to_string(),
        _ => format!("write {expected} here"),
    })
}

fn describe(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let key = rest.split(',').next().unwrap_or(rest);
        return format!("unknown key {key}");
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        return format!("missing required key {rest}");
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        if let Some((value, allowed)) = rest.split_once(", expected ") {
            let allowed = allowed.trim_start_matches("one of ");
            return format!("{value} is not a value this key takes; write one of {allowed}");
        }
    }
    if let Some((expected, found)) = wrong_type(message) {
        return format!("expected {expected}, found {found}");
    }
    message.to_string()
}

/// serde reports "unknown field `wieght`, expected one of `title`, `weight`";
/// the nearest expected name becomes the hint.
fn unknown_key_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field ")?;
    let mut names = rest.split('`').skip(1).step_by(2);
    let unknown = names.next()?;
    let expected: Vec<&str> = names.collect();
    match closest(unknown, &expected) {
        Some(best) => Some(format!("did you mean `{best}`?")),
        None if expected.is_empty() => None,
        None => Some(format!(
            "the keys allowed here are: {}",
            expected
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// The candidate nearest to `word`, when it is near enough to be a likely typo.
pub(crate) fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(word, c), *c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hint_names_the_nearest_key() {
        let msg = "unknown field `wieght`, expected one of `title`, `weight`, `draft`";
        assert_eq!(
            unknown_key_hint(msg).as_deref(),
            Some("did you mean `weight`?")
        );
    }

    #[test]
    fn wrong_types_in_plain_words() {
        let msg = "invalid type: string \"first\", expected i64";
        assert_eq!(
            describe(msg),
            "expected a whole number, found the text \"first\""
        );
        assert_eq!(
            wrong_type_hint(msg).as_deref(),
            Some("numbers and true/false are written without quotes")
        );
        let msg = "invalid type: integer `3`, expected a string";
        assert_eq!(
            describe(msg),
            "expected text in double quotes, found the number 3"
        );
    }

    #[test]
    fn far_keys_list_the_allowed_ones() {
        let msg = "unknown field `zzz`, expected `title` or `weight`";
        let hint = unknown_key_hint(msg).unwrap();
        assert!(hint.contains("`title`, `weight`"), "{hint}");
    }
}
