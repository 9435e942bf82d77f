//! Callouts: a box with an icon and a label around a note, a tip or a warning.
//! Written as GitHub alerts (`> [!NOTE]`, read by pulldown-cmark with
//! `Options::ENABLE_GFM`) or as containers (`:::note Optional title` ... `:::`, found
//! by `preprocess`). Both render the same element, `<div class="callout"
//! data-callout="note" role="note">`, styled by the theme (`.callout` in writing.css).

use pulldown_cmark::BlockQuoteKind;

use html_escape::encode_text;

/// The kinds, in the order the error message lists them.
pub(crate) const KNOWN_KINDS: [&str; 5] = ["note", "tip", "important", "warning", "caution"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CalloutKind {
    Note,
    Tip,
    Important,
    Warning,
    Caution,
}

impl CalloutKind {
    /// The kind named `name`, in any case.
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().as_str() {
            "note" => CalloutKind::Note,
            "tip" => CalloutKind::Tip,
            "important" => CalloutKind::Important,
            "warning" => CalloutKind::Warning,
            "caution" => CalloutKind::Caution,
            _ => return None,
        })
    }

    pub(crate) fn from_alert(kind: BlockQuoteKind) -> Self {
        match kind {
            BlockQuoteKind::Note => CalloutKind::Note,
            BlockQuoteKind::Tip => CalloutKind::Tip,
            BlockQuoteKind::Important => CalloutKind::Important,
            BlockQuoteKind::Warning => CalloutKind::Warning,
            BlockQuoteKind::Caution => CalloutKind::Caution,
        }
    }

    pub(crate) fn name(self) -> &'static str {
        KNOWN_KINDS[self as usize]
    }

    fn english(self) -> &'static str {
        ["Note", "Tip", "Important", "Warning", "Caution"][self as usize]
    }

    /// A 16 x 16 outline drawn in the text colour.
    fn icon(self) -> &'static str {
        match self {
            CalloutKind::Note => {
                r#"<circle cx="8" cy="8" r="6.5"/><path d="M8 7.2v4.3M8 4.6v.1"/>"#
            }
            CalloutKind::Tip => {
                r#"<path d="M5.6 10.4C4.6 9.6 4 8.5 4 7.2a4 4 0 0 1 8 0c0 1.3-.6 2.4-1.6 3.2v1.4H5.6z"/><path d="M6.2 14h3.6"/>"#
            }
            CalloutKind::Important => {
                r#"<path d="M2.5 2.5h11v8.5H7l-3 2.5V11H2.5z"/><path d="M8 4.6v3.3M8 9.4v.1"/>"#
            }
            CalloutKind::Warning => {
                r#"<path d="M8 1.8 14.6 13.5H1.4z"/><path d="M8 6v3.6M8 11.4v.1"/>"#
            }
            CalloutKind::Caution => {
                r#"<path d="M5.3 1.5h5.4l3.8 3.8v5.4l-3.8 3.8H5.3l-3.8-3.8V5.3z"/><path d="M8 4.6v4.2M8 10.9v.1"/>"#
            }
        }
    }
}

/// The labels of the kinds in one language, from the theme strings.
#[derive(Debug, Clone, Default)]
pub(crate) struct CalloutLabels {
    /// By language; a language or kind missing here gets the English word.
    pub by_lang: std::collections::HashMap<String, [String; 5]>,
}

impl CalloutLabels {
    pub(crate) fn label(&self, lang: &str, kind: CalloutKind) -> &str {
        self.by_lang
            .get(lang)
            .map(|labels| labels[kind as usize].as_str())
            .filter(|label| !label.is_empty())
            .unwrap_or(kind.english())
    }
}

/// The label of `kind` in `lang`: the theme's string, else the English word.
pub(crate) fn label_of(labels: Option<&CalloutLabels>, lang: &str, kind: CalloutKind) -> String {
    labels
        .map_or(kind.english(), |l| l.label(lang, kind))
        .to_string()
}

/// The start of a callout box, up to and with its title line.
pub(crate) fn open_html(kind: CalloutKind, label: &str, title: &str) -> String {
    let name = kind.name();
    let icon = kind.icon();
    let title = if title.is_empty() {
        String::new()
    } else {
        format!(
            " · <span class=\"callout-heading\">{}</span>",
            encode_text(title)
        )
    };
    format!(
        "<div class=\"callout callout-{name}\" data-callout=\"{name}\" role=\"note\">\n<p class=\"callout-title\"><svg class=\"callout-icon\" viewBox=\"0 0 16 16\" width=\"16\" height=\"16\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\" stroke-linecap=\"round\" stroke-linejoin=\"round\" aria-hidden=\"true\" focusable=\"false\">{icon}</svg><span class=\"callout-label\">{}</span>{title}</p>\n",
        encode_text(label)
    )
}

pub(crate) const CLOSE_HTML: &str = "</div>\n";

/// For a quote that starts `[!WORD]` (GitHub's alert form) with a word that is not a
/// kind: the word and its byte offset in `quote`.
pub(crate) fn unknown_alert(quote: &str) -> Option<(&str, usize)> {
    let first_line = quote.lines().next()?;
    let after_marker = first_line.trim_start().strip_prefix('>')?;
    let tag = after_marker.trim();
    let word = tag.strip_prefix("[!")?.strip_suffix(']')?;
    let is_word = !word.is_empty() && word.chars().all(|c| c.is_ascii_alphabetic());
    if !is_word || CalloutKind::from_name(word).is_some() {
        return None;
    }
    let offset = first_line.len() - first_line.trim_start().len()
        + 1
        + (after_marker.len() - after_marker.trim_start().len());
    Some((word, offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_fall_back_to_english() {
        let mut labels = CalloutLabels::default();
        labels.by_lang.insert(
            "zh".into(),
            ["注意", "提示", "重要", "警告", ""].map(String::from),
        );
        assert_eq!(labels.label("zh", CalloutKind::Tip), "提示");
        assert_eq!(labels.label("zh", CalloutKind::Caution), "Caution");
        assert_eq!(labels.label("fr", CalloutKind::Note), "Note");
    }

    #[test]
    fn unknown_alerts_are_found_with_their_place() {
        assert_eq!(unknown_alert("> [!DANGER]\n> x"), Some(("DANGER", 2)));
        assert_eq!(unknown_alert("  >  [!Hint]"), Some(("Hint", 5)));
        assert_eq!(unknown_alert("> [!NOTE]"), None);
        assert_eq!(unknown_alert("> [!] x"), None);
        assert_eq!(unknown_alert("> Just a quote"), None);
    }
}
