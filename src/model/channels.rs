//! Which contact channels each article routes to (`contact = [...]`), checked against
//! the channel pages the site has in each language.

use std::collections::{BTreeMap, BTreeSet};

use crate::config::Config;
use crate::contact::channel::Located;
use crate::diag::toml::closest;
use crate::diag::Diagnostic;
use crate::model::{PageId, Site};
use crate::source::channel_table::ChannelKind;

/// The channel pages of a site, by language and channel name.
pub(crate) struct ChannelIndex {
    by_lang: BTreeMap<(String, String), PageId>,
    names: BTreeSet<String>,
}

impl ChannelIndex {
    pub(crate) fn new(site: &Site) -> Self {
        let mut by_lang = BTreeMap::new();
        let mut names = BTreeSet::new();
        for (id, page) in site.pages.iter().enumerate() {
            if let Some(named) = &page.channel {
                by_lang.insert((page.lang.clone(), named.name.clone()), id);
                names.insert(named.name.clone());
            }
        }
        ChannelIndex { by_lang, names }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The page of channel `name` in `lang`, if it exists there.
    pub(crate) fn find(&self, lang: &str, name: &str) -> Option<PageId> {
        self.by_lang
            .get(&(lang.to_string(), name.to_string()))
            .copied()
    }

    /// Channel pages of `lang`, by name.
    pub(crate) fn in_language<'a>(
        &'a self,
        lang: &'a str,
    ) -> impl Iterator<Item = (&'a str, PageId)> + 'a {
        self.by_lang
            .iter()
            .filter(move |((l, _), _)| l == lang)
            .map(|((_, name), &id)| (name.as_str(), id))
    }

    /// An error for a name that is no channel, with the nearest one as a hint.
    fn unknown(
        &self,
        name: &Located<String>,
        file: &std::path::Path,
        what: &str,
    ) -> Option<Diagnostic> {
        if self.names.contains(&name.value) {
            return None;
        }
        let known: Vec<&str> = self.names.iter().map(String::as_str).collect();
        let hint = match closest(&name.value, &known) {
            Some(best) => format!("did you mean `{best}`?"),
            None if known.is_empty() => "no page has a [channel] table yet".to_string(),
            None => format!("the channels are: {}", known.join(", ")),
        };
        Some(
            Diagnostic::error(format!("{what} `{}` names no contact channel", name.value))
                .in_file(file)
                .at(name.line, name.col)
                .with_hint(hint),
        )
    }
}

/// Every `contact = [...]` entry and every `alternative` must name a channel.
pub(crate) fn check_references(site: &Site, index: &ChannelIndex) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for page in site.pages.iter().filter(|p| p.stand_in_for.is_none()) {
        let file = &page.source.display;
        for name in &page.contact {
            diags.extend(index.unknown(name, file, "contact"));
        }
        if let Some(named) = &page.channel {
            if let Some(alt) = &named.channel.alternative {
                if alt.value == named.name {
                    diags.push(
                        Diagnostic::error("a channel cannot be its own alternative")
                            .in_file(file)
                            .at(alt.line, alt.col)
                            .with_hint("name another channel, or remove `alternative`"),
                    );
                } else {
                    diags.extend(index.unknown(alt, file, "alternative"));
                }
            }
        }
    }
    for section in &site.sections {
        let file = section.source_display();
        for name in &section.contact {
            diags.extend(index.unknown(name, &file, "contact"));
        }
    }
    diags
}

/// The channel pages an article routes its readers to: its own list, else the
/// nearest section's, each in the article's language.
pub(crate) fn routed_channels(site: &Site, index: &ChannelIndex, page: PageId) -> Vec<PageId> {
    let page = &site.pages[page];
    let names = if page.contact.is_empty() {
        site.ancestry(page.section)
            .into_iter()
            .rev()
            .map(|s| &site.sections[s].contact)
            .find(|c| !c.is_empty())
            .map(Vec::as_slice)
            .unwrap_or_default()
    } else {
        page.contact.as_slice()
    };
    names
        .iter()
        .filter_map(|name| index.find(&page.lang, &name.value))
        .collect()
}

/// The email channel of `lang` that the request form's mail fallback writes to (the
/// first by name when there are several).
pub(crate) fn email_channel(site: &Site, index: &ChannelIndex, lang: &str) -> Option<PageId> {
    index.in_language(lang).map(|(_, id)| id).find(|&id| {
        site.pages[id]
            .channel
            .as_ref()
            .is_some_and(|c| c.channel.kind == ChannelKind::Email)
    })
}

/// Whether page `id` is the site's own request form: a `form` channel with no address.
pub(crate) fn is_request_form(site: &Site, id: PageId) -> bool {
    site.pages[id]
        .channel
        .as_ref()
        .is_some_and(|c| c.channel.kind == ChannelKind::Form && c.channel.address.is_empty())
}

/// A request form needs somewhere to send to: `[requests] endpoint`, or an email
/// channel in its language for the reader's mail app.
pub(crate) fn check_request_forms(
    site: &Site,
    index: &ChannelIndex,
    config: &Config,
) -> Vec<Diagnostic> {
    if !config.requests.endpoint().is_empty() {
        return Vec::new();
    }
    (0..site.pages.len())
        .filter(|&id| site.pages[id].stand_in_for.is_none() && is_request_form(site, id))
        .filter(|&id| email_channel(site, index, &site.pages[id].lang).is_none())
        .filter_map(|id| {
            let page = &site.pages[id];
            let (line, col) = page.channel.as_ref()?.channel.at;
            Some(
                Diagnostic::error(format!(
                    "the request form has nowhere to send to: no `[requests] endpoint` and no email channel in `{}`",
                    page.lang
                ))
                .in_file(&page.source.display)
                .at(line, col)
                .with_hint("set `endpoint` under [requests] in config.toml, or add a channel with kind = \"email\" in this language"),
            )
        })
        .collect()
}
