//! Site paths -> the URLs written into pages: under the base path, or whole permalinks.

use crate::config::Config;
use crate::model::SitePath;

/// Turns site paths into the URLs written into pages.
#[derive(Debug, Clone)]
pub(crate) struct Urls {
    base_path: String,
    origin: String,
}

impl Urls {
    pub(crate) fn new(config: &Config) -> Self {
        Urls {
            base_path: config.base_url.path().to_string(),
            origin: config.base_url.origin().to_string(),
        }
    }

    pub(crate) fn base_path(&self) -> &str {
        &self.base_path
    }

    /// `/help/account/x/`.
    pub(crate) fn url(&self, path: &SitePath) -> String {
        format!("{}{}", self.base_path, path.as_str())
    }

    /// `https://example.com/help/account/x/`.
    pub(crate) fn permalink(&self, path: &SitePath) -> String {
        format!("{}{}", self.origin, self.url(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_honour_a_sub_path() {
        let config = crate::config::Config::parse(
            "base_url = \"https://example.com/help/\"\ntitle = \"x\"",
            std::path::Path::new("config.toml"),
        )
        .unwrap();
        let urls = Urls::new(&config);
        let p = SitePath::new("account/x/");
        assert_eq!(urls.url(&p), "/help/account/x/");
        assert_eq!(urls.permalink(&p), "https://example.com/help/account/x/");
    }
}
