//! The `[channel]` table of a contact channel's front matter, as written: deserialized
//! with its spans, checked later by `contact::channel`.

use serde::{Deserialize, Serialize};
use toml::Spanned;

/// Kinds of channel, in the order the contact page lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ChannelKind {
    Phone,
    Chat,
    Email,
    Social,
    Forum,
    Form,
}

impl ChannelKind {
    pub(crate) fn as_str(&self) -> &'static str {
        match self {
            ChannelKind::Phone => "phone",
            ChannelKind::Chat => "chat",
            ChannelKind::Email => "email",
            ChannelKind::Social => "social",
            ChannelKind::Forum => "forum",
            ChannelKind::Form => "form",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ChannelMeta {
    pub kind: ChannelKind,
    pub address: Option<Spanned<String>>,
    pub timezone: Option<Spanned<String>>,
    pub hours: Option<Spanned<toml::Value>>,
    pub busy: Option<Spanned<toml::Value>>,
    #[serde(default)]
    pub closures: Vec<Spanned<ClosureMeta>>,
    #[serde(default)]
    pub response_time: String,
    #[serde(default)]
    pub languages: Vec<String>,
    pub alternative: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClosureMeta {
    pub date: Option<toml::Value>,
    pub from: Option<toml::Value>,
    pub to: Option<toml::Value>,
    #[serde(default)]
    pub note: String,
}
