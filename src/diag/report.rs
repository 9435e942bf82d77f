//! Printing diagnostics the way modern compilers do: the place, the offending line
//! with a caret under the spot, what is wrong and a hint.
//!
//! ```text
//! error: unknown front-matter key `wieght`
//!  --> content/account/reset.md:4:1
//!   |
//! 4 | wieght = 3
//!   | ^^^^^^
//!   = hint: did you mean `weight`?
//! ```
//!
//! Colours are chosen by the caller (`anstream` strips them when stderr is not a
//! terminal or `NO_COLOR` is set), so the text is the same either way.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anstyle::{AnsiColor, Style};
use unicode_width::UnicodeWidthChar;

use crate::diag::{Diagnostic, Severity};

const ERROR: Style = AnsiColor::Red.on_default().bold();
const WARNING: Style = AnsiColor::Yellow.on_default().bold();
const FRAME: Style = AnsiColor::Blue.on_default().bold();
const BOLD: Style = Style::new().bold();

/// Renders diagnostics, reading each source file at most once for its snippets.
/// Diagnostics name files as the writer can open them from the current folder, so
/// that is where they are read from.
#[derive(Default)]
pub(crate) struct Reporter {
    sources: HashMap<PathBuf, Option<String>>,
}

impl Reporter {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Writes one diagnostic followed by a blank line.
    pub(crate) fn write(&mut self, out: &mut impl Write, diag: &Diagnostic) -> io::Result<()> {
        let (label, style) = match diag.severity {
            Severity::Error => ("error", ERROR),
            Severity::Warning => ("warning", WARNING),
        };
        writeln!(
            out,
            "{style}{label}{style:#}{BOLD}: {}{BOLD:#}",
            diag.message
        )?;
        let snippet = self.snippet(diag);
        let gutter = snippet
            .as_ref()
            .map_or(1, |(number, _, _)| number.to_string().len());
        let pad = " ".repeat(gutter);
        if let Some(location) = diag.location() {
            writeln!(out, "{pad}{FRAME}-->{FRAME:#} {location}")?;
        }
        if let Some((number, line, caret)) = snippet {
            writeln!(out, "{pad} {FRAME}|{FRAME:#}")?;
            writeln!(out, "{FRAME}{number} |{FRAME:#} {line}")?;
            writeln!(out, "{pad} {FRAME}|{FRAME:#} {style}{caret}{style:#}")?;
        }
        if let Some(hint) = &diag.hint {
            writeln!(out, "{pad} {FRAME}={FRAME:#} {BOLD}hint{BOLD:#}: {hint}")?;
        }
        writeln!(out)
    }

    /// The line a diagnostic points at, tabs expanded, and a caret line under its column.
    fn snippet(&mut self, diag: &Diagnostic) -> Option<(usize, String, String)> {
        let (file, line_number) = (diag.file.as_ref()?, diag.line?);
        let text = self.source(file)?;
        let line = text.lines().nth(line_number.checked_sub(1)?)?;
        let line = line.trim_end_matches('\r').replace('\t', "    ");
        if line.trim().is_empty() {
            return None;
        }
        let col = diag.col.unwrap_or(1).max(1);
        let caret = caret_under(&line, col);
        Some((line_number, line, caret))
    }

    fn source(&mut self, file: &Path) -> Option<&str> {
        self.sources
            .entry(file.to_path_buf())
            .or_insert_with(|| std::fs::read_to_string(file).ok())
            .as_deref()
    }
}

/// Spaces up to column `col` (1-based, in characters) and carets under the word that
/// starts there; widths follow the terminal's, so Chinese text lines up.
fn caret_under(line: &str, col: usize) -> String {
    let width = |c: char| c.width().unwrap_or(0);
    let mut chars = line.chars().skip(col - 1).peekable();
    let indent: usize = line.chars().take(col - 1).map(width).sum();
    let word = if chars.peek().is_some_and(|c| is_word(*c)) {
        chars.take_while(|c| is_word(*c)).map(width).sum()
    } else {
        chars.next().map_or(1, width)
    };
    format!("{}{}", " ".repeat(indent), "^".repeat(word.max(1)))
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':' | '@' | '/' | '#')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(diag: &Diagnostic) -> String {
        let mut out = Vec::new();
        Reporter::new().write(&mut out, diag).unwrap();
        anstream::adapter::strip_str(&String::from_utf8(out).unwrap()).to_string()
    }

    #[test]
    fn points_at_the_word_under_the_column() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "+++\ntitle = \"x\"\nwieght = 3\n+++\n").unwrap();
        let diag = Diagnostic::error("unknown key `wieght`")
            .in_file(&file)
            .at(3, 1)
            .with_hint("did you mean `weight`?");
        assert_eq!(
            render(&diag),
            format!("error: unknown key `wieght`\n --> {}:3:1\n  |\n3 | wieght = 3\n  | ^^^^^^\n  = hint: did you mean `weight`?\n\n", file.display())
        );
    }

    #[test]
    fn wide_characters_keep_the_caret_aligned() {
        assert_eq!(caret_under("提现 = 5", 4), "     ^");
        assert_eq!(caret_under("a 提现", 3), "  ^^^^");
    }

    #[test]
    fn without_a_readable_source_only_the_place_is_shown() {
        let diag = Diagnostic::warning("w")
            .in_file("/nonexistent/missing.md")
            .at(1, 1);
        assert_eq!(
            render(&diag),
            "warning: w\n --> /nonexistent/missing.md:1:1\n\n"
        );
    }
}
