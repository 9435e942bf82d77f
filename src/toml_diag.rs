//! Turning TOML and serde errors into diagnostics that point into the writer's file.

use std::path::Path;

use crate::diag::{line_col, Diagnostic};

/// Where a TOML snippet sits inside the file it was cut from.
#[derive(Debug, Clone, Copy)]
pub struct SnippetOrigin {
    /// 1-based line of the file on which the snippet's first line stands.
    pub first_line: usize,
}

impl SnippetOrigin {
    pub const WHOLE_FILE: SnippetOrigin = SnippetOrigin { first_line: 1 };

    /// Line and column in the file of a byte offset in the snippet.
    pub fn locate(&self, snippet: &str, offset: usize) -> (usize, usize) {
        let (line, col) = line_col(snippet, offset);
        (line + self.first_line - 1, col)
    }
}

/// A diagnostic for a TOML parse or type error, located in the file, with a
/// "did you mean" hint for unknown keys.
pub fn toml_error(
    err: &toml::de::Error,
    file: &Path,
    snippet: &str,
    origin: SnippetOrigin,
) -> Diagnostic {
    let message = err.message().trim().to_string();
    let mut diag = Diagnostic::error(describe(&message)).in_file(file);
    if let Some(span) = err.span() {
        let (line, col) = origin.locate(snippet, span.start);
        diag = diag.at(line, col);
    } else {
        diag = diag.at(origin.first_line, 1);
    }
    if let Some(hint) = unknown_key_hint(&message) {
        diag = diag.with_hint(hint);
    }
    diag
}

fn describe(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let key = rest.split(',').next().unwrap_or(rest);
        return format!("unknown key {key}");
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        return format!("missing required key {rest}");
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
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
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
    fn far_keys_list_the_allowed_ones() {
        let msg = "unknown field `zzz`, expected `title` or `weight`";
        let hint = unknown_key_hint(msg).unwrap();
        assert!(hint.contains("`title`, `weight`"), "{hint}");
    }
}
