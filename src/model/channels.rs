//! Which contact channels each article routes to (`contact = [...]`), checked against
//! the channel pages the site has in each language.

use std::collections::{BTreeMap, BTreeSet};

use crate::contact::channel::Located;
use crate::diag::toml::closest;
use crate::diag::Diagnostic;
use crate::model::{PageId, Site};

/// The channel pages of a site, by language and channel name.
pub struct ChannelIndex {
    by_lang: BTreeMap<(String, String), PageId>,
    names: BTreeSet<String>,
}

impl ChannelIndex {
    pub fn new(site: &Site) -> Self {
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

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The page of channel `name` in `lang`, if it exists there.
    pub fn find(&self, lang: &str, name: &str) -> Option<PageId> {
        self.by_lang
            .get(&(lang.to_string(), name.to_string()))
            .copied()
    }

    /// Channel pages of `lang`, by name.
    pub fn in_language<'a>(
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
pub fn check_references(site: &Site, index: &ChannelIndex) -> Vec<Diagnostic> {
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
pub fn routed_channels(site: &Site, index: &ChannelIndex, page: PageId) -> Vec<PageId> {
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
