//! Code blocks highlighted at build time with `syntect`: its grammars are those of
//! Sublime Text (so most languages a help article shows are there: shell, JSON, YAML,
//! Python, JavaScript, SQL, HTML, ...), and its `ClassedHTMLGenerator` writes CSS
//! classes rather than colours, so the theme colours them for light and dark alike
//! (`.hl-*` in the theme's writing.css). Its regular expressions run on Oniguruma:
//! twice as fast as the pure-Rust `fancy-regex` engine on code-heavy sites
//! (`bench/highlight.sh`), with the same output, and the C compiler it needs is one
//! the build already needs for `ring`.
//!
//! The grammars are loaded on the first fenced block that names a language, so a
//! build without one pays nothing. A language syntect does not know is left as
//! plain text, as pulldown-cmark writes it.

use std::sync::LazyLock;

use html_escape::encode_double_quoted_attribute as escape_attr;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// The prefix of every class the highlighter writes.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// The language of a fence's info string: its first word (`toml file=x` is `toml`).
pub(crate) fn language(info: &str) -> Option<&str> {
    let word = info.split_whitespace().next()?;
    let word = word.split(',').next().unwrap_or(word);
    let plain = matches!(
        word.to_ascii_lowercase().as_str(),
        "text" | "txt" | "plain" | "plaintext" | "none"
    );
    (!word.is_empty() && !plain).then_some(word)
}

/// The whole `<pre>` of a block in `lang`, or `None` when the language is unknown.
pub(crate) fn highlight(lang: &str, code: &str) -> Option<String> {
    let syntaxes = &*SYNTAXES;
    let syntax = syntaxes
        .find_syntax_by_token(lang)
        .or_else(|| syntaxes.find_syntax_by_token(&lang.to_ascii_lowercase()))?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    let lang = escape_attr(lang);
    Some(format!(
        "<pre class=\"code\" data-lang=\"{lang}\"><code class=\"language-{lang}\">{}</code></pre>\n",
        generator.finalize()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_languages_get_classes() {
        let html = highlight("rust", "fn main() {}\n").unwrap();
        assert!(html.starts_with("<pre class=\"code\" data-lang=\"rust\"><code class=\"language-rust\"><span class=\"hl-source hl-rust\">"), "{html}");
        assert!(
            html.contains("<span class=\"hl-storage hl-type hl-function hl-rust\">fn</span>"),
            "{html}"
        );
        assert!(highlight("sh", "echo \"<b>\"\n")
            .unwrap()
            .contains("&lt;b&gt;"));
    }

    #[test]
    fn unknown_and_plain_languages_are_left_alone() {
        assert_eq!(highlight("no-such-language", "x\n"), None);
        assert_eq!(language("text"), None);
        assert_eq!(language("toml file=site/config.toml"), Some("toml"));
        assert_eq!(language("rust,ignore"), Some("rust"));
        assert_eq!(language(""), None);
    }
}
