//! The site configuration (`config.toml`).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diag::toml::{toml_error, SnippetOrigin};
use crate::diag::Diagnostic;
pub(crate) use base_url::BaseUrl;
use base_url::BASE_URL_MESSAGE_START;
pub(crate) use markdown::{MarkdownConfig, RawHtml};
pub(crate) use requests::{InsightsConfig, RequestsConfig};

mod base_url;
mod markdown;
pub(crate) mod requests;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Config {
    /// Where the site is published, e.g. `https://example.com/help/`.
    pub base_url: BaseUrl,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_language")]
    pub default_language: String,
    /// The site's languages, by code: the default one (which may be listed to give it
    /// a name) and the others, whose content carries the code as a file suffix.
    #[serde(default)]
    pub languages: BTreeMap<String, LanguageConfig>,
    /// What a language shows for an article that has no translation in it.
    #[serde(default)]
    pub untranslated: Untranslated,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default)]
    pub theme_options: ThemeOptions,
    #[serde(default)]
    pub markdown: MarkdownConfig,
    #[serde(default)]
    pub contact: ContactConfig,
    #[serde(default)]
    pub limits: LimitsConfig,
    /// "Was this article helpful?": off unless an endpoint or an address is set.
    #[serde(default)]
    pub feedback: FeedbackConfig,
    /// The request form of a `kind = "form"` channel without an address.
    #[serde(default)]
    pub requests: RequestsConfig,
    /// Anonymous events from readers' browsers: off unless an endpoint is set.
    #[serde(default)]
    pub insights: InsightsConfig,
    #[serde(default)]
    pub dates: DatesConfig,
    #[serde(default)]
    pub search: SearchConfig,
    /// Output folder, relative to the site root.
    #[serde(default = "default_output_dir")]
    pub output_dir: String,
    /// Write every link inside the site relative to its page, so the output also
    /// works opened from a folder on disk (see `portable`).
    #[serde(default)]
    pub relative_links: bool,
    /// Taxonomies articles may be filed under (their `[taxonomies]`), declared as Zola
    /// does: `taxonomies = [{ name = "audience" }]`. `tags` needs no declaring.
    #[serde(default)]
    pub taxonomies: Vec<TaxonomyConfig>,
    #[serde(default)]
    pub extra: toml::Table,
}

/// One taxonomy of the site: its name is the key in front matter and the first part
/// of its pages' addresses (`/tags/`, `/audience/`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TaxonomyConfig {
    pub name: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LanguageConfig {
    /// Name of the language in itself, e.g. "English", shown in the language switcher.
    #[serde(default)]
    pub name: String,
    /// The site's title in this language, instead of the top-level `title`.
    pub title: Option<String>,
    /// The site's description in this language.
    pub description: Option<String>,
    /// Whether this language gets a search index (read by the search index builder).
    #[serde(default = "yes")]
    pub search: bool,
}

fn yes() -> bool {
    true
}

/// How a language treats an article that exists only in other languages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Untranslated {
    /// Listed, and shown in its original language under a "not yet translated" notice.
    #[default]
    Notice,
    /// Left out of the language's listings and pages.
    Hide,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ThemeOptions {
    /// Path of a logo under `static/`.
    #[serde(default)]
    pub logo: String,
    /// A CSS colour for links and buttons.
    #[serde(default)]
    pub accent_color: String,
    #[serde(default)]
    pub footer_links: Vec<FooterLink>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FooterLink {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ContactConfig {
    /// How many days before a closure the banner announcing it appears.
    #[serde(default = "default_notice_days")]
    pub closure_notice_days: u32,
}

impl Default for ContactConfig {
    fn default() -> Self {
        ContactConfig {
            closure_notice_days: default_notice_days(),
        }
    }
}

/// Size budgets of each language's search index; a build over budget fails.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SearchConfig {
    /// All of a language's index files together (postings and results), in bytes.
    #[serde(default = "default_max_index_bytes")]
    pub max_index_bytes: u64,
    /// The largest single postings shard, in bytes: a query downloads a few of them.
    #[serde(default = "default_max_shard_bytes")]
    pub max_shard_bytes: u64,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            max_index_bytes: default_max_index_bytes(),
            max_shard_bytes: default_max_shard_bytes(),
        }
    }
}

fn default_max_index_bytes() -> u64 {
    64 * 1024 * 1024
}

fn default_max_shard_bytes() -> u64 {
    256 * 1024
}

fn default_notice_days() -> u32 {
    7
}

/// Bounds on what a build accepts, so one runaway file cannot exhaust the machine.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LimitsConfig {
    /// Largest Markdown source accepted, in MiB.
    #[serde(default = "default_max_source_mib")]
    pub max_source_mib: u64,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            max_source_mib: default_max_source_mib(),
        }
    }
}

fn default_max_source_mib() -> u64 {
    10
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FeedbackConfig {
    /// Where the answers are POSTed (a form backend): an http(s) URL or a path.
    #[serde(default)]
    pub endpoint: String,
    /// How the answer is sent to `endpoint`: in the background, or as a plain form.
    #[serde(default)]
    pub send: FeedbackSend,
    /// An address to write to instead: the buttons open a prepared e-mail.
    #[serde(default)]
    pub mailto: String,
    /// Offer a comment box next to the buttons (with `endpoint`).
    #[serde(default = "yes")]
    pub comment: bool,
}

impl FeedbackConfig {
    pub(crate) fn enabled(&self) -> bool {
        !self.endpoint.is_empty() || !self.mailto.is_empty()
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum FeedbackSend {
    /// `fetch` from the page, which stays where it is; a plain form without JavaScript.
    #[default]
    Fetch,
    /// A plain form POST: the reader lands on the backend's answer page.
    Form,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DatesConfig {
    /// Take an article's last-updated date from its last git commit when its front
    /// matter has no `updated`.
    #[serde(default)]
    pub from_git: bool,
}

fn default_language() -> String {
    "en".to_string()
}

fn default_theme() -> String {
    "default".to_string()
}

fn default_output_dir() -> String {
    "public".to_string()
}

impl Config {
    /// Parses and validates `text`, read from `file` (shown in diagnostics).
    pub(crate) fn parse(text: &str, file: &Path) -> Result<Config, Vec<Diagnostic>> {
        let config: Config =
            toml::from_str(text).map_err(|e| vec![config_error(&e, file, text)])?;
        let problems = config.validate(text, file);
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }

    fn validate(&self, text: &str, file: &Path) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        let at_key = |key: &str, message: String, hint: &str| {
            let line = key_line(text, key);
            Diagnostic::error(message)
                .in_file(file)
                .at(line, 1)
                .with_hint(hint)
        };
        for code in std::iter::once(&self.default_language).chain(self.languages.keys()) {
            if !is_language_code(code) {
                problems.push(at_key(
                    if code == &self.default_language {
                        "default_language"
                    } else {
                        "languages"
                    },
                    format!("`{code}` is not a language code"),
                    "use a code such as `en`, `zh` or `pt-BR`",
                ));
            }
        }
        if !is_css_colour(&self.theme_options.accent_color) {
            problems.push(at_key(
                "accent_color",
                format!(
                    "`accent_color` {:?} is not a CSS colour",
                    self.theme_options.accent_color
                ),
                "write a colour such as \"#0b5cad\", \"teal\" or \"rgb(11 92 173)\"",
            ));
        }
        for taxonomy in &self.taxonomies {
            let name = &taxonomy.name;
            let plain = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
            if !plain {
                problems.push(at_key(
                    "taxonomies",
                    format!("taxonomy name {name:?} cannot be a folder of the site's addresses"),
                    "use lower-case letters, digits, `-` and `_`, e.g. `{ name = \"audience\" }`",
                ));
            }
        }
        problems.extend(self.validate_feedback(text, file));
        let languages = self.language_codes();
        problems.extend(requests::validate(
            &self.requests,
            &self.insights,
            &languages,
            text,
            file,
        ));
        problems
    }

    /// The names of the site's taxonomies: `tags`, then the declared ones.
    pub(crate) fn taxonomy_names(&self) -> Vec<&str> {
        let mut names = vec!["tags"];
        for taxonomy in &self.taxonomies {
            if !names.contains(&taxonomy.name.as_str()) {
                names.push(&taxonomy.name);
            }
        }
        names
    }

    fn validate_feedback(&self, text: &str, file: &Path) -> Vec<Diagnostic> {
        let feedback = &self.feedback;
        let at_key = |key: &str, message: String, hint: &str| {
            Diagnostic::error(message)
                .in_file(file)
                .at(key_line(text, key), 1)
                .with_hint(hint)
        };
        let mut problems = Vec::new();
        if !feedback.endpoint.is_empty() && !feedback.mailto.is_empty() {
            problems.push(at_key(
                "mailto",
                "`[feedback]` has both `endpoint` and `mailto`".into(),
                "keep one of them: answers go either to a form backend or by e-mail",
            ));
        }
        let endpoint = &feedback.endpoint;
        let web_url = endpoint.starts_with("https://") || endpoint.starts_with("http://");
        if !endpoint.is_empty()
            && (!(web_url || endpoint.starts_with('/')) || endpoint.contains(char::is_whitespace))
        {
            problems.push(at_key(
                "endpoint",
                format!("feedback `endpoint` {endpoint:?} is not a web address"),
                "write the form backend's URL, e.g. \"https://forms.example.com/f/helpful\"",
            ));
        }
        let mailto = &feedback.mailto;
        let plain_address = mailto.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty() && host.contains('.') && !host.contains('@')
        }) && !mailto
            .contains(|c: char| c.is_whitespace() || "?&<>\"'".contains(c));
        if !mailto.is_empty() && !plain_address {
            problems.push(at_key(
                "mailto",
                format!("feedback `mailto` {mailto:?} is not an e-mail address"),
                "write a plain address, e.g. \"feedback@example.com\"",
            ));
        }
        problems
    }

    /// Every language of the site, the default first, the others sorted.
    pub(crate) fn language_codes(&self) -> Vec<String> {
        std::iter::once(self.default_language.clone())
            .chain(
                self.languages
                    .keys()
                    .filter(|code| **code != self.default_language)
                    .cloned(),
            )
            .collect()
    }

    /// The name of a language for readers: its configured name, else its code.
    pub(crate) fn language_name(&self, code: &str) -> String {
        self.languages
            .get(code)
            .map(|l| l.name.clone())
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| code.to_string())
    }

    /// The site's title in `lang`.
    pub(crate) fn title_in(&self, lang: &str) -> &str {
        self.languages
            .get(lang)
            .and_then(|l| l.title.as_deref())
            .unwrap_or(&self.title)
    }

    /// The site's description in `lang`.
    pub(crate) fn description_in(&self, lang: &str) -> &str {
        self.languages
            .get(lang)
            .and_then(|l| l.description.as_deref())
            .unwrap_or(&self.description)
    }
}

/// Line (1-based) of the first line defining `key`, so validation errors can point at it.
fn key_line(text: &str, key: &str) -> usize {
    text.lines()
        .position(|line| {
            let line = line.trim_start();
            line.starts_with(key) && line[key.len()..].trim_start().starts_with(['=', '.', ']'])
                || line.starts_with(&format!("[{key}"))
        })
        .map_or(1, |i| i + 1)
}

/// A TOML or serde error in the configuration as a diagnostic. A bad `base_url` is
/// pointed at by its key, with a hint of the two shapes it takes.
fn config_error(err: &toml::de::Error, file: &Path, text: &str) -> Diagnostic {
    let diag = toml_error(err, file, text, SnippetOrigin::WHOLE_FILE);
    if !diag.message.starts_with(BASE_URL_MESSAGE_START) {
        return diag;
    }
    Diagnostic::error(diag.message)
        .in_file(file)
        .at(key_line(text, "base_url"), 1)
        .with_hint("write it as `https://example.com/` or `https://example.com/help/`")
}

/// A colour value that is safe to place inside a `<style>` element as is:
/// hex, a name or a colour function, and nothing that could end the rule.
fn is_css_colour(value: &str) -> bool {
    value.len() <= 64
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " #(),.%/-".contains(c))
}

/// `en`, `zh`, `pt-BR`, `zh-Hant`: what a file suffix may be.
pub(crate) fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        Config::parse(text, Path::new("config.toml"))
    }

    #[test]
    fn base_path_keeps_the_sub_path() {
        let c = parse("base_url = \"https://example.com/help\"\ntitle = \"x\"").unwrap();
        assert_eq!(c.base_url.path(), "/help/");
        assert_eq!(c.base_url.origin(), "https://example.com");
        assert_eq!(c.base_url.as_str(), "https://example.com/help");
        assert_eq!(c.base_url.root().as_str(), "https://example.com/help/");
        let c = parse("base_url = \"https://example.com\"\ntitle = \"x\"").unwrap();
        assert_eq!(c.base_url.path(), "/");
    }

    #[test]
    fn a_bad_base_url_is_reported_at_its_key() {
        let err = parse("title = \"x\"\n\nbase_url   = \"example.com\"\n").unwrap_err();
        assert_eq!(err.len(), 1);
        let err = &err[0];
        assert_eq!(
            err.message,
            "`base_url` \"example.com\" must start with https://, http:// or /"
        );
        assert_eq!((err.line, err.col), (Some(3), Some(1)));
        assert_eq!(err.file.as_deref(), Some(Path::new("config.toml")));
        assert_eq!(
            err.hint.as_deref(),
            Some("write it as `https://example.com/` or `https://example.com/help/`")
        );
    }

    #[test]
    fn base_url_is_given_to_templates_as_written() {
        let c = parse("base_url = \"https://example.com/help\"\ntitle = \"x\"").unwrap();
        let value = serde_json::to_value(&c).unwrap();
        assert_eq!(value["base_url"], "https://example.com/help");
    }

    #[test]
    fn unknown_key_gets_a_hint_and_a_line() {
        let err =
            parse("base_url = \"/\"\ntitle = \"x\"\ndefualt_language = \"en\"\n").unwrap_err();
        assert_eq!(err[0].line, Some(3));
        assert_eq!(
            err[0].hint.as_deref(),
            Some("did you mean `default_language`?")
        );
    }

    #[test]
    fn nested_unknown_key_gets_a_hint() {
        let err =
            parse("base_url = \"/\"\ntitle = \"x\"\n[theme_options]\naccent_colour = \"red\"\n")
                .unwrap_err();
        assert_eq!(err[0].line, Some(4));
        assert_eq!(err[0].hint.as_deref(), Some("did you mean `accent_color`?"));
    }

    #[test]
    fn relative_links_is_off_unless_set() {
        let c = parse("base_url = \"/\"\ntitle = \"x\"").unwrap();
        assert!(!c.relative_links);
        let c = parse("base_url = \"/\"\ntitle = \"x\"\nrelative_links = true").unwrap();
        assert!(c.relative_links);
        let err = parse("base_url = \"/\"\ntitle = \"x\"\nrelative_link = true\n").unwrap_err();
        assert_eq!(err[0].line, Some(3));
        assert_eq!(
            err[0].hint.as_deref(),
            Some("did you mean `relative_links`?")
        );
    }

    #[test]
    fn accent_colour_must_be_a_plain_colour() {
        let with = |c: &str| {
            parse(&format!(
                "base_url = \"/\"\ntitle = \"x\"\n[theme_options]\naccent_color = \"{c}\"\n"
            ))
        };
        assert!(with("#0b5cad").is_ok());
        assert!(with("rgb(0 0 0 / 50%)").is_ok());
        let err = with("red}body{display:none").unwrap_err();
        assert_eq!(err[0].line, Some(4));
    }

    #[test]
    fn feedback_needs_one_target() {
        let with = |table: &str| {
            parse(&format!(
                "base_url = \"/\"\ntitle = \"x\"\n[feedback]\n{table}"
            ))
        };
        assert!(!with("").unwrap().feedback.enabled());
        assert!(with("endpoint = \"https://forms.example.com/x\"").is_ok());
        assert!(with("mailto = \"help@example.com\"").is_ok());
        let err = with("mailto = \"help@example.com?subject=x\"").unwrap_err();
        assert_eq!(err[0].line, Some(4));
        assert!(with("endpoint = \"javascript:alert(1)\"").is_err());
        assert!(with("endpoint = \"/f\"\nmailto = \"a@example.com\"").is_err());
    }

    #[test]
    fn language_codes() {
        assert!(is_language_code("en"));
        assert!(is_language_code("pt-BR"));
        assert!(!is_language_code("old1"));
        assert!(!is_language_code("EN"));
    }
}
