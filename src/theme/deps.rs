//! What each template reaches: the templates it extends, includes and imports, and
//! whether what it can print includes a category's `article_count`.
//!
//! The render cache keys a page by the hash of its template's closure (every
//! template reachable from it, read whole), so a template edit renders again only
//! the pages whose template reaches the edited file. It is a static reading of the
//! sources, kept conservative: a tag whose template name is not a string literal
//! reaches every template, and a template the theme does not have depends on all.

use std::collections::{BTreeMap, BTreeSet};

use xxhash_rust::xxh3::Xxh3;

use super::tags::{self, Tag};

/// What the render cache needs to know about one template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TemplateUse {
    /// The hash of the sources of every template it reaches (and the static files,
    /// whose hashes `get_url` prints).
    pub(crate) hash: u64,
    /// Whether it can print a category's `article_count` (see `mentions_count`).
    pub(crate) shows_counts: bool,
    /// Whether it can print the count of a category of the navigation, `categories`
    /// (see `may_show_navigation_counts`); never when it prints no count at all.
    pub(crate) navigation_shows_counts: bool,
}

/// Each template's `TemplateUse`, by name.
#[derive(Debug, Default)]
pub(crate) struct TemplateDeps {
    uses: BTreeMap<String, TemplateUse>,
    /// For a template the theme does not have: depends on everything.
    everything: TemplateUse,
}

impl Default for TemplateUse {
    fn default() -> Self {
        TemplateUse {
            hash: 0,
            shows_counts: true,
            navigation_shows_counts: true,
        }
    }
}

impl TemplateDeps {
    /// Reads the templates' sources (name -> text); `extra` is mixed into every hash.
    pub(crate) fn analyse(sources: &BTreeMap<String, String>, extra: u64) -> Self {
        let parsed: BTreeMap<&str, Parsed> = sources
            .iter()
            .map(|(name, text)| (name.as_str(), Parsed::new(text)))
            .collect();
        let all: BTreeSet<&str> = parsed.keys().copied().collect();
        let hash_of = |names: &BTreeSet<&str>| {
            let mut hasher = Xxh3::new();
            hasher.update(&extra.to_le_bytes());
            for name in names {
                hasher.update(name.as_bytes());
                hasher.update(&[0]);
                hasher.update(sources[*name].as_bytes());
                hasher.update(&[0]);
            }
            hasher.digest()
        };
        let everything = TemplateUse {
            hash: hash_of(&all),
            ..TemplateUse::default()
        };
        let uses = parsed
            .keys()
            .map(|&name| {
                let used = match closure(name, &parsed) {
                    Some(reached) => {
                        let shows_counts = shows_counts(name, &parsed);
                        // The navigation is printed by whatever the page renders:
                        // every template reached, read whole.
                        let navigation = (reached.iter())
                            .any(|n| tags::may_show_navigation_counts(&parsed[n].text));
                        TemplateUse {
                            hash: hash_of(&reached),
                            shows_counts,
                            navigation_shows_counts: shows_counts && navigation,
                        }
                    }
                    None => everything,
                };
                (name.to_string(), used)
            })
            .collect();
        TemplateDeps { uses, everything }
    }

    /// What rendering `template` reads.
    pub(crate) fn of(&self, template: &str) -> TemplateUse {
        self.uses.get(template).copied().unwrap_or(self.everything)
    }
}

/// One template's text without comments, its tags and its macros.
struct Parsed {
    text: String,
    tags: Vec<Tag>,
    /// `None` when a macro could not be delimited (then the file is read whole).
    macros: Option<BTreeMap<String, (usize, usize)>>,
}

impl Parsed {
    fn new(source: &str) -> Self {
        let text = tags::without_comments(source);
        let tags = tags::tags(&text);
        let macros = tags::macros(&text);
        Parsed { text, tags, macros }
    }

    /// Whether a tag names its templates other than by string literals, or a macro
    /// is called through a name this template does not import (it may come from
    /// elsewhere): what it reaches is then not known.
    fn dynamic(&self) -> bool {
        let imported = |alias: &str| self.tags.iter().any(|t| t.import_of(alias).is_some());
        self.tags.iter().any(|tag| tag.names().is_none())
            || tags::macro_calls(&self.text)
                .iter()
                .any(|(alias, _)| alias != "self" && !imported(alias))
    }

    /// The templates this one names (those the theme has).
    fn named<'p>(&self, parsed: &BTreeMap<&'p str, Parsed>) -> Vec<&'p str> {
        let names = self.tags.iter().filter_map(Tag::names).flatten();
        names
            .filter_map(|name| parsed.get_key_value(name.as_str()).map(|(k, _)| *k))
            .collect()
    }
}

/// Every template `start` reaches, itself included; `None` when one of them names
/// a template dynamically.
fn closure<'p>(start: &'p str, parsed: &BTreeMap<&'p str, Parsed>) -> Option<BTreeSet<&'p str>> {
    let mut reached = BTreeSet::from([start]);
    let mut queue = vec![start];
    while let Some(name) = queue.pop() {
        let template = &parsed[name];
        if template.dynamic() {
            return None;
        }
        for next in template.named(parsed) {
            if reached.insert(next) {
                queue.push(next);
            }
        }
    }
    Some(reached)
}

/// Whether rendering `start` can print a category's count: some text it renders
/// mentions it. That text is every template it extends or includes, read whole,
/// and of an imported file only the macros it calls (and those they call through
/// `self::`); an imported file that imports others, or a call to a macro it does
/// not define, reads that file whole.
fn shows_counts(start: &str, parsed: &BTreeMap<&str, Parsed>) -> bool {
    let mut whole: BTreeSet<&str> = BTreeSet::new();
    let mut macros: BTreeSet<(&str, String)> = BTreeSet::new();
    let mut queue: Vec<(&str, Option<String>)> = vec![(start, None)];
    while let Some((name, macro_name)) = queue.pop() {
        let Some((&name, template)) = parsed.get_key_value(name) else {
            continue;
        };
        let text = match &macro_name {
            None if whole.insert(name) => template.text.as_str(),
            Some(m) if !whole.contains(name) && macros.insert((name, m.clone())) => {
                match macro_body(template, m) {
                    Some(body) => body,
                    None => {
                        queue.push((name, None));
                        continue;
                    }
                }
            }
            _ => continue,
        };
        if tags::mentions_count(text) {
            return true;
        }
        if macro_name.is_none() {
            for tag in &template.tags {
                if let Tag::Extends(names) | Tag::Include(names) = tag {
                    queue.extend(names.iter().flatten().map(|n| (n.as_str(), None)));
                }
            }
        }
        for (alias, called) in tags::macro_calls(text) {
            let targets: Vec<String> = match alias.as_str() {
                "self" => vec![name.to_string()],
                alias => (template.tags.iter())
                    .filter_map(|tag| tag.import_of(alias))
                    .collect(),
            };
            // A call through a name the file does not import (`dynamic` makes such a
            // template depend on everything; this keeps the reading as careful).
            if targets.is_empty() {
                return true;
            }
            for target in targets {
                let target = parsed.get_key_value(target.as_str()).map(|(k, _)| *k);
                queue.extend(target.map(|t| (t, Some(called.clone()))));
            }
        }
    }
    false
}

/// The body of macro `name` of `template`, when the file can be read macro by
/// macro: it imports nothing and defines `name`.
fn macro_body<'t>(template: &'t Parsed, name: &str) -> Option<&'t str> {
    let imports = template
        .tags
        .iter()
        .any(|tag| matches!(tag, Tag::Import(..)));
    if imports {
        return None;
    }
    let &(start, end) = template.macros.as_ref()?.get(name)?;
    Some(&template.text[start..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deps(templates: &[(&str, &str)]) -> TemplateDeps {
        let sources = templates
            .iter()
            .map(|(name, text)| (name.to_string(), text.to_string()))
            .collect();
        TemplateDeps::analyse(&sources, 0)
    }

    const MACROS: &str = "{# {% import \"x.html\" as y %} #}\
        {% macro card(cat) %}{{ self::icon() }}{{ cat.article_count }}{% endmacro card %}\
        {% macro icon() %}<svg>{% endmacro icon %}\
        {% macro crumbs(items) %}{{ items }}{% endmacro crumbs %}";

    fn theme() -> Vec<(&'static str, &'static str)> {
        vec![
            ("base.html", "<nav>{% for c in categories %}{{ c.title }}{% endfor %}</nav>{% block content %}{% endblock %}"),
            ("macros.html", MACROS),
            ("page.html", "{% extends \"base.html\" %}{% import \"macros.html\" as m %}{{ m::crumbs(items=1) }}{{ strings.article_count }}"),
            ("index.html", "{% extends \"base.html\" %}{% import \"macros.html\" as m %}{{ m::card(cat=c) }}"),
            ("footer.html", "<footer>"),
            ("section.html", "{%- include 'footer.html' -%}"),
        ]
    }

    #[test]
    fn an_edit_changes_the_hash_of_the_templates_that_reach_it_only() {
        let before = deps(&theme());
        let mut edited = theme();
        edited[4].1 = "<footer>edited";
        let after = deps(&edited);
        assert_ne!(before.of("section.html"), after.of("section.html"));
        for name in ["page.html", "index.html", "base.html", "macros.html"] {
            assert_eq!(before.of(name), after.of(name), "{name}");
        }
        edited[0].1 = "<nav>edited";
        let after_base = deps(&edited);
        assert_ne!(after.of("page.html").hash, after_base.of("page.html").hash);
        assert_ne!(
            after.of("index.html").hash,
            after_base.of("index.html").hash
        );
        assert_eq!(after.of("section.html"), after_base.of("section.html"));
    }

    #[test]
    fn counts_are_shown_only_where_a_called_macro_or_the_text_prints_them() {
        let d = deps(&theme());
        assert!(d.of("index.html").shows_counts);
        assert!(
            !d.of("page.html").shows_counts,
            "strings.article_count is a string"
        );
        assert!(!d.of("section.html").shows_counts);
        assert!(d.of("macros.html").shows_counts);
    }

    #[test]
    fn a_dynamic_include_depends_on_everything() {
        let mut templates = theme();
        templates[5].1 = "{% include name %}";
        let d = deps(&templates);
        assert!(d.of("section.html").shows_counts);
        assert_eq!(d.of("section.html"), d.of("missing.html"));
    }

    #[test]
    fn a_call_through_an_alias_the_template_does_not_import_depends_on_everything() {
        let mut templates = theme();
        for call in ["{{ x::anything() }}", "{{ m::crumbs(items=1) }}"] {
            templates[5].1 = call;
            let d = deps(&templates);
            assert_eq!(d.of("section.html"), d.of("missing.html"), "{call}");
        }
    }

    #[test]
    fn a_macro_file_that_imports_is_read_whole() {
        let mut templates = theme();
        let macros = format!("{{% import \"footer.html\" as f %}}{MACROS}");
        templates[1].1 = Box::leak(macros.into_boxed_str());
        assert!(deps(&templates).of("page.html").shows_counts);
    }
}
