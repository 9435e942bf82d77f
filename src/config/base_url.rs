//! `base_url`: where the site is published, read once into its origin and base path.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use url::Url;

/// How every message of `BaseUrl::parse` begins (and no serde message does).
pub(super) const BASE_URL_MESSAGE_START: &str = "`base_url` ";

/// Stands in for the host of a `base_url` that is only a path (`/help/`), so that
/// addresses under it can be resolved; `.invalid` is a name no real host has.
const NO_HOST: &str = "http://helpsite.invalid/";

/// Where the site is published: an origin and a base path (`https://example.com/help/`),
/// or a base path alone (`/help/`). Parsed once, when the configuration or the
/// `--base-url` option is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BaseUrl {
    /// As written, e.g. `https://example.com/help` (templates see it as `config.base_url`).
    text: String,
    /// Scheme and host as written, `https://example.com`; empty for a path alone.
    origin: String,
    /// `/help/`: always starts and ends with `/`.
    path: String,
    /// The site's root as an absolute address (on a stand-in host for a path alone).
    root: Url,
}

impl BaseUrl {
    /// Reads a base URL; the message says what is wrong with it.
    pub(crate) fn parse(text: &str) -> Result<BaseUrl, String> {
        let (origin, written_path) = split_origin(text)?;
        if written_path.contains(['?', '#', '\\', ' '])
            || written_path.split('/').any(|s| s == "..")
        {
            return Err(format!(
                "`base_url` {text:?} has a path helpsite cannot serve"
            ));
        }
        let path = match written_path.trim_matches('/') {
            "" => "/".to_string(),
            inner => format!("/{inner}/"),
        };
        let site = Url::parse(if origin.is_empty() { NO_HOST } else { text });
        let root = site
            .and_then(|site| site.join(&path))
            .map_err(|e| match e {
                url::ParseError::EmptyHost => format!("`base_url` {text:?} has no host"),
                e => format!("`base_url` {text:?} has a host helpsite cannot read: {e}"),
            })?;
        Ok(BaseUrl {
            text: text.to_string(),
            origin: origin.to_string(),
            path,
            root,
        })
    }

    /// The value as written.
    #[cfg(test)]
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// `https://example.com` as written, or nothing when the base URL is a path alone.
    pub(crate) fn origin(&self) -> &str {
        &self.origin
    }

    /// The base path, starting and ending with `/`: `/` or `/help/`.
    pub(crate) fn path(&self) -> &str {
        &self.path
    }

    /// The site's root as an absolute address, `https://example.com/help/`; a base
    /// URL that is a path alone gets the stand-in host `helpsite.invalid`.
    pub(crate) fn root(&self) -> &Url {
        &self.root
    }
}

/// `https://example.com/help/` -> (`https://example.com`, `/help/`); a path alone has
/// no origin. Only http and https are served.
fn split_origin(text: &str) -> Result<(&str, &str), String> {
    let Some(rest) = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
    else {
        return if text.starts_with('/') {
            Ok(("", text))
        } else {
            Err(format!(
                "`base_url` {text:?} must start with https://, http:// or /"
            ))
        };
    };
    let host_len = rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len());
    if host_len == 0 {
        return Err(format!("`base_url` {text:?} has no host"));
    }
    Ok(text.split_at(text.len() - rest.len() + host_len))
}

impl std::fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for BaseUrl {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for BaseUrl {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        BaseUrl::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_url_may_be_a_path_alone() {
        let base = BaseUrl::parse("/docs/guide").unwrap();
        assert_eq!((base.origin(), base.path()), ("", "/docs/guide/"));
        assert_eq!(base.root().as_str(), "http://helpsite.invalid/docs/guide/");
        assert_eq!(BaseUrl::parse("/").unwrap().path(), "/");
    }

    #[test]
    fn bad_base_urls_say_what_is_wrong() {
        let message = |text: &str| BaseUrl::parse(text).unwrap_err();
        assert_eq!(
            message("example.com"),
            "`base_url` \"example.com\" must start with https://, http:// or /"
        );
        assert_eq!(
            message("ftp://example.com/"),
            "`base_url` \"ftp://example.com/\" must start with https://, http:// or /"
        );
        assert_eq!(
            message("https:///help/"),
            "`base_url` \"https:///help/\" has no host"
        );
        assert_eq!(
            message("https://:80/"),
            "`base_url` \"https://:80/\" has no host"
        );
        for path in ["/a b/", "/a/../b/", "/a?x", "/a#x", "?x", "\\a"] {
            let text = format!("https://example.com{path}");
            assert_eq!(
                message(&text),
                format!("`base_url` {text:?} has a path helpsite cannot serve")
            );
        }
        assert!(message("https://exa mple.com/").contains("has a host helpsite cannot read"));
    }
}
