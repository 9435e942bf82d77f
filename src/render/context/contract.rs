//! THEME.md is the contract between helpsite and themes: this test renders the
//! contexts of every page of the demo site (the repository root) and checks that
//! each shape serializes exactly the fields THEME.md lists for it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use super::{SharedContext, Subject};
use crate::config::Config;
use crate::markdown::{render, BodyOrigin, MarkdownOptions, Rendered};
use crate::model::channels::ChannelIndex;
use crate::model::parse::parse_source;
use crate::model::rendered::RenderedSite;
use crate::model::urls::Urls;
use crate::model::{build_site, Site};
use crate::source::discover::{discover, SourceKind};
use crate::theme::i18n::{self, Strings};
use crate::theme::templates::load_theme;

type Keys = BTreeSet<String>;

/// The demo site, read and rendered by the stages below `render`.
struct Demo {
    config: Config,
    site: Site,
    channels: ChannelIndex,
    urls: Urls,
    strings: Strings,
    pages: Vec<Arc<Rendered>>,
    sections: Vec<Arc<Rendered>>,
}

fn demo() -> Demo {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config_path = root.join("config.toml");
    let text = std::fs::read_to_string(&config_path).unwrap();
    let config = Config::parse(&text, &config_path).unwrap();
    let (sources, _) = discover(root, &root.join("content"));
    let (markdown, assets): (Vec<_>, Vec<_>) = sources
        .into_iter()
        .partition(|f| f.kind != SourceKind::Asset);
    let parsed = markdown
        .iter()
        .map(|f| parse_source(f, u64::MAX).unwrap())
        .collect();
    let (site, _) = build_site(&config, parsed, assets, &BTreeSet::new(), false);
    let options = MarkdownOptions {
        raw_html: config.markdown.raw_html,
        ..MarkdownOptions::default()
    };
    let rendered = |body: &str, file: &Path, first_line: usize| {
        let origin = BodyOrigin {
            file,
            first_line,
            lang: "en",
        };
        Arc::new(render(body, &origin, &options, &|_| None).0)
    };
    let pages = site
        .pages
        .iter()
        .map(|p| rendered(&p.body, &p.source.display, p.body_line))
        .collect();
    let sections = site
        .sections
        .iter()
        .map(|s| rendered(&s.body, &s.source_display(), s.body_line))
        .collect();
    let (theme, _) = load_theme(root, &config);
    let (strings, _) = i18n::load(&theme, &site.languages);
    Demo {
        channels: ChannelIndex::new(&site),
        urls: Urls::new(&config),
        config,
        site,
        strings,
        pages,
        sections,
    }
}

/// The keys of every object found under each shape's name.
#[derive(Default)]
struct Found(BTreeMap<&'static str, Keys>);

impl Found {
    fn add(&mut self, shape: &'static str, value: &Value) {
        if let Some(map) = value.as_object() {
            let keys = self.0.entry(shape).or_default();
            keys.extend(map.keys().cloned());
        }
    }

    fn add_all(&mut self, shape: &'static str, list: &Value) {
        for item in list.as_array().into_iter().flatten() {
            self.add(shape, item);
        }
    }

    fn context(&mut self, context: &Value) {
        let mut globals = context.clone();
        if let Some(map) = globals.as_object_mut() {
            map.remove("page");
            map.remove("section");
            map.remove("taxonomy");
            map.remove("term");
        }
        self.add("every template", &globals);
        for shape in ["site", "social", "search"] {
            self.add(shape, &context[shape]);
        }
        self.add_all("language_links", &context["language_links"]);
        self.add_all("alternates", &context["alternates"]);
        for category in context["categories"].as_array().into_iter().flatten() {
            self.section_summary(category);
        }
        self.page(&context["page"]);
        self.section(&context["section"]);
        self.taxonomy(&context["taxonomy"], &context["term"]);
    }

    fn taxonomy(&mut self, taxonomy: &Value, term: &Value) {
        if !taxonomy.is_null() {
            self.add("Taxonomy", taxonomy);
            self.add_all("TermSummary", &taxonomy["terms"]);
        }
        if !term.is_null() {
            self.add("Term", term);
            for summary in term["pages"].as_array().into_iter().flatten() {
                self.page_summary(summary);
            }
        }
    }

    fn page(&mut self, page: &Value) {
        if page.is_null() {
            return;
        }
        self.add("Page", page);
        for neighbour in ["previous", "next"] {
            self.page_summary(&page[neighbour]);
        }
        for summary in page["related"].as_array().into_iter().flatten() {
            self.page_summary(summary);
        }
        self.add_all("breadcrumbs", &page["breadcrumbs"]);
        self.toc(&page["toc"]);
        self.add("untranslated", &page["untranslated"]);
        self.add("Feedback", &page["feedback"]);
        self.add("RequestForm", &page["request_form"]);
        if page["request_form"].is_object() {
            self.add_all("topics", &page["request_form"]["topics"]);
            self.add_all("RequestField", &page["request_form"]["fields"]);
        }
        self.channel(&page["channel"]);
        for channel in page["contact"].as_array().into_iter().flatten() {
            self.channel(channel);
        }
        for taxonomy in page["taxonomies"].as_array().into_iter().flatten() {
            self.add("taxonomies", taxonomy);
            self.add_all("TermSummary", &taxonomy["terms"]);
        }
    }

    fn section(&mut self, section: &Value) {
        if section.is_null() {
            return;
        }
        self.add("Section", section);
        for sub in section["subsections"].as_array().into_iter().flatten() {
            self.section_summary(sub);
        }
        for summary in section["pages"].as_array().into_iter().flatten() {
            self.page_summary(summary);
        }
        self.add_all("breadcrumbs", &section["breadcrumbs"]);
        for channel in section["channels"].as_array().into_iter().flatten() {
            self.channel(channel);
        }
        self.add_all("channel_groups", &section["channel_groups"]);
    }

    fn section_summary(&mut self, summary: &Value) {
        match summary.get("articles") {
            Some(articles) => {
                self.add("SectionSummary", summary);
                for article in articles.as_array().into_iter().flatten() {
                    self.page_summary(article);
                }
            }
            None => self.add("SectionSummary without articles", summary),
        }
    }

    fn page_summary(&mut self, summary: &Value) {
        self.add("PageSummary", summary);
        self.add("Announcement", &summary["announcement"]);
    }

    fn toc(&mut self, entries: &Value) {
        for entry in entries.as_array().into_iter().flatten() {
            self.add("toc", entry);
            self.toc(&entry["children"]);
        }
    }

    fn channel(&mut self, channel: &Value) {
        self.add("Channel", channel);
        if channel.is_object() {
            self.add_all("hours", &channel["hours"]);
            self.add_all("hours", &channel["busy"]);
            self.add_all("closures", &channel["closures"]);
            self.add("alternative", &channel["alternative"]);
        }
    }
}

impl Demo {
    fn rendered(&self) -> RenderedSite<'_> {
        RenderedSite {
            site: &self.site,
            config: &self.config,
            urls: &self.urls,
            strings: &self.strings,
            channels: &self.channels,
            pages: &self.pages,
            sections: &self.sections,
        }
    }

    /// Every page, section and page without a subject, in its language.
    fn subjects(&self) -> impl Iterator<Item = (&String, Option<Subject>)> {
        let site = &self.site;
        let sections = (0..site.sections.len())
            .map(|id| (&site.sections[id].lang, Some(Subject::Section(id))));
        let pages = (0..site.pages.len()).map(|id| (&site.pages[id].lang, Some(Subject::Page(id))));
        sections
            .chain(pages)
            .chain(site.languages.iter().map(|lang| (lang, None)))
    }
}

/// The contexts of every page of the demo, as templates receive them.
fn found_in_demo() -> Found {
    let demo = demo();
    let r = demo.rendered();
    let shared = SharedContext::new(&r);
    let mut found = Found::default();
    for (lang, subject) in demo.subjects() {
        let variables = shared.variables(&r, lang, subject).with_content("<p></p>");
        let context = shared.template_context(variables);
        found.context(&serde_json::to_value(&context).unwrap());
    }
    for page in shared.taxonomy_pages(&r) {
        let context = shared.template_context(page.variables);
        found.context(&serde_json::to_value(&context).unwrap());
    }
    found
}

/// The paragraph of THEME.md that starts with `*shape*:`.
fn paragraph<'d>(doc: &'d str, shape: &str) -> &'d str {
    let start = doc
        .find(&format!("\n*{shape}*:"))
        .unwrap_or_else(|| panic!("THEME.md has no paragraph for *{shape}*"));
    let rest = &doc[start + 1..];
    &rest[..rest.find("\n\n").unwrap_or(rest.len())]
}

/// The backticked names in `text`: `title` counts, `{title, url}` and `tel:` do not.
fn names(text: &str) -> Keys {
    (text.split('`').skip(1).step_by(2))
        .filter(|t| !t.is_empty() && t.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .map(str::to_string)
        .collect()
}

/// The top-level variables of "Variables in every template": the names before the
/// colon of each item (`site.title` is `site`; functions such as `get_url(...)` are
/// not variables).
fn every_template(doc: &str) -> Keys {
    let start = doc.find("## Variables in every template").unwrap();
    let section = &doc[start..];
    let section = &section[..section[3..].find("\n## ").unwrap() + 3];
    let mut keys = Keys::new();
    for item in section.lines().filter_map(|l| l.strip_prefix("- ")) {
        let head = item.split('`').enumerate();
        let before_colon = head
            .take_while(|(i, part)| i % 2 == 1 || !part.contains(':'))
            .filter(|(i, _)| i % 2 == 1)
            .map(|(_, name)| name);
        for name in before_colon.filter(|n| !n.contains('(')) {
            keys.insert(name.split('.').next().unwrap_or(name).to_string());
        }
    }
    keys
}

/// The fields of the first `{a, b (note), c}` written after `marker` in `text`.
fn braces_after(text: &str, marker: &str) -> Keys {
    let at = text
        .find(marker)
        .unwrap_or_else(|| panic!("THEME.md does not mention {marker}"));
    let rest = &text[at..];
    let open = rest.find("`{").unwrap() + 2;
    let inner = &rest[open..open + rest[open..].find("}`").unwrap()];
    let mut plain = String::new();
    let mut depth = 0;
    for c in inner.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    (plain.split(',').map(str::trim))
        .filter(|name| !name.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn theme_md_lists_exactly_the_variables_templates_receive() {
    let doc = include_str!("../../../themes/default/THEME.md");
    let found = found_in_demo();
    let summary = names(paragraph(doc, "PageSummary"));
    let section_summary = names(paragraph(doc, "SectionSummary"));
    let mut card = section_summary.clone();
    card.remove("articles");
    let channel = paragraph(doc, "Channel");
    let every = &doc[doc.find("## Variables in every template").unwrap()..];
    let expected: Vec<(&str, Keys)> = vec![
        ("every template", every_template(doc)),
        ("site", ["title", "description"].map(String::from).into()),
        ("language_links", braces_after(every, "`language_links`")),
        ("alternates", braces_after(every, "`alternates`")),
        ("social", braces_after(every, "`social`")),
        ("search", braces_after(every, "`search`")),
        ("PageSummary", summary.clone()),
        ("Page", &summary | &names(paragraph(doc, "Page"))),
        ("SectionSummary", section_summary.clone()),
        ("SectionSummary without articles", card),
        (
            "Section",
            &section_summary | &names(paragraph(doc, "Section")),
        ),
        ("breadcrumbs", braces_after(doc, "`breadcrumbs` (list of")),
        ("toc", braces_after(doc, "`toc` (list of")),
        ("Announcement", names(paragraph(doc, "Announcement"))),
        ("Feedback", names(paragraph(doc, "Feedback"))),
        ("RequestForm", names(paragraph(doc, "RequestForm"))),
        (
            "topics",
            braces_after(paragraph(doc, "RequestForm"), "`topics`"),
        ),
        ("RequestField", names(paragraph(doc, "RequestField"))),
        ("Channel", names(channel)),
        ("hours", braces_after(channel, "`hours`")),
        ("closures", braces_after(channel, "`closures`")),
        ("alternative", braces_after(channel, "`alternative`")),
        (
            "channel_groups",
            braces_after(doc, "`section.channel_groups`"),
        ),
        ("untranslated", braces_after(doc, "`untranslated`")),
        ("taxonomies", braces_after(doc, "`taxonomies` (list of")),
        ("Taxonomy", names(paragraph(doc, "Taxonomy"))),
        ("TermSummary", names(paragraph(doc, "TermSummary"))),
        ("Term", names(paragraph(doc, "Term"))),
    ];
    let mut problems = Vec::new();
    for (shape, documented) in &expected {
        let Some(served) = found.0.get(shape) else {
            // None of the demo's pages is a stand-in for a missing translation.
            assert!(
                *shape == "untranslated",
                "the demo site shows no {shape}: the check would prove nothing"
            );
            continue;
        };
        if served != documented {
            problems.push(format!(
                "{shape}: undocumented {:?}, documented but not given {:?}",
                served.difference(documented).collect::<Vec<_>>(),
                documented.difference(served).collect::<Vec<_>>(),
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "THEME.md and the contexts differ:\n{}",
        problems.join("\n")
    );
}

/// JSON the site writes out (channels.js, announcements.js, JSON-LD) keeps its keys
/// sorted, as it was when it was built as `serde_json::Value`: the structs declare
/// their fields in that order. A `Value` parsed back writes its keys sorted, so the
/// text comes out the same only when the struct wrote them in that order.
#[test]
fn json_written_into_pages_and_scripts_keeps_its_key_order() {
    let demo = demo();
    let r = demo.rendered();
    let shared = SharedContext::new(&r);
    let resorted = |text: &str| -> String {
        let value: Value = serde_json::from_str(text).unwrap();
        crate::features::channels::script_safe_json(&value)
    };
    let mut checked = 0;
    for (lang, subject) in demo.subjects() {
        let globals = shared.globals(&r, lang, subject);
        for jsonld in [&globals.channel_jsonld, &globals.faq_jsonld] {
            if !jsonld.is_empty() {
                assert_eq!(&resorted(jsonld), jsonld);
                checked += 1;
            }
        }
    }
    let assigned = |script: &str| -> String {
        let start = script.find(" = ").unwrap() + 3;
        script[start..].trim_end().trim_end_matches(';').to_string()
    };
    for lang in &demo.site.languages {
        let channels = assigned(&r.channel_views().script(lang));
        let value: Value = serde_json::from_str(&channels).unwrap();
        assert_eq!(value.to_string(), channels);
        let strings = demo.strings.of(lang);
        let banner = crate::features::announcements::script(&demo.site, &demo.urls, lang, &strings);
        let banner = assigned(&banner);
        assert_eq!(resorted(&banner), banner);
        checked += 2;
    }
    assert!(checked > 10, "only {checked} JSON texts checked");
}

#[test]
fn names_skip_inline_shapes_and_markup() {
    let keys = names("*X*: `a`, `b_c` (`{d, e}`, `tel:`, `data-x`, `A`)");
    assert_eq!(keys, ["a", "b_c"].map(String::from).into());
    let inline = braces_after("`x` is `{a, b (\"p\", q), c}`", "`x`");
    assert_eq!(inline, ["a", "b", "c"].map(String::from).into());
}
