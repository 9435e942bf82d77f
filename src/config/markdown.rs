//! `[markdown]`: how article bodies are read, and what raw HTML in them becomes.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MarkdownConfig {
    /// What raw HTML in Markdown becomes: shown as text (`false`, the default), kept
    /// when it is on the allow-list (`"safe"`), or passed through (`true`).
    #[serde(default)]
    pub raw_html: RawHtml,
}

/// `[markdown] raw_html`: `false`, `"safe"` or `true`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum RawHtml {
    /// Shown as text.
    #[default]
    Escape,
    /// Kept where the allow-list allows it (`markdown::sanitize`), the rest removed.
    Safe,
    /// Passed through as written: for sites whose writers are all trusted.
    Trusted,
}

impl<'de> Deserialize<'de> for RawHtml {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            On(bool),
            Named(String),
        }
        match Written::deserialize(deserializer)? {
            Written::On(false) => Ok(RawHtml::Escape),
            Written::On(true) => Ok(RawHtml::Trusted),
            Written::Named(name) if name == "safe" => Ok(RawHtml::Safe),
            Written::Named(name) => Err(serde::de::Error::custom(format!(
                "raw_html is false, true or \"safe\", not \"{name}\""
            ))),
        }
    }
}

impl Serialize for RawHtml {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            RawHtml::Escape => serializer.serialize_bool(false),
            RawHtml::Safe => serializer.serialize_str("safe"),
            RawHtml::Trusted => serializer.serialize_bool(true),
        }
    }
}
