//! A light reading of Tera sources for `deps`: the tags that name other templates,
//! the macros a file defines and calls, and whether text can print a category's
//! count. Not a parser: where the text is not of the simple shapes read here, the
//! answers lean to "depends" (a name that is not a literal is dynamic).

use std::collections::BTreeMap;

/// The field of a category card that changes with every article added or removed;
/// a page's context hash leaves it out unless its template can show it.
pub(crate) const COUNT_FIELD: &str = "article_count";

/// A tag that names templates; `None` when a name is not a string literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tag {
    Extends(Option<Vec<String>>),
    Include(Option<Vec<String>>),
    /// The file and the alias it is imported as.
    Import(Option<Vec<String>>, String),
}

impl Tag {
    /// The templates it names, `None` when they are not all literals.
    pub(crate) fn names(&self) -> Option<&Vec<String>> {
        match self {
            Tag::Extends(names) | Tag::Include(names) | Tag::Import(names, _) => names.as_ref(),
        }
    }

    /// The file imported as `alias` by this tag.
    pub(crate) fn import_of(&self, alias: &str) -> Option<String> {
        match self {
            Tag::Import(Some(names), a) if a == alias => names.first().cloned(),
            _ => None,
        }
    }
}

/// `source` without its `{# ... #}` comments (a comment may show a tag as an example).
pub(crate) fn without_comments(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(start) = rest.find("{#") {
        out.push_str(&rest[..start]);
        match rest[start..].find("#}") {
            Some(end) => rest = &rest[start + end + 2..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// Each `{% ... %}` tag: where it starts, its inside (without `-` trims), where it ends.
fn tag_spans(text: &str) -> impl Iterator<Item = (usize, &str, usize)> {
    text.match_indices("{%").filter_map(move |(start, _)| {
        let len = text[start..].find("%}")?;
        let inner = text[start + 2..start + len].trim_start_matches('-');
        Some((start, inner.trim_end_matches('-').trim(), start + len + 2))
    })
}

/// The leading word of a tag and what follows it.
fn keyword(inner: &str) -> (&str, &str) {
    let end = inner.find(|c: char| !is_ident(c)).unwrap_or(inner.len());
    (&inner[..end], inner[end..].trim_start())
}

/// The `extends`, `include` and `import` tags of `text`.
pub(crate) fn tags(text: &str) -> Vec<Tag> {
    let mut found = Vec::new();
    for (_, inner, _) in tag_spans(text) {
        let (word, rest) = keyword(inner);
        match word {
            "extends" => found.push(Tag::Extends(literals(rest).map(|(n, _)| n))),
            "include" => found.push(Tag::Include(literals(rest).map(|(n, _)| n))),
            "import" => {
                let parsed = literals(rest);
                let alias = parsed.as_ref().and_then(|(_, after)| {
                    let (as_word, alias) = keyword(after);
                    (as_word == "as").then(|| keyword(alias).0.to_string())
                });
                let names = parsed.map(|(n, _)| n).filter(|_| alias.is_some());
                found.push(Tag::Import(names, alias.unwrap_or_default()));
            }
            _ => {}
        }
    }
    found
}

/// A string literal or a `[...]` list of them at the start of `text`, and the rest.
fn literals(text: &str) -> Option<(Vec<String>, &str)> {
    let Some(mut rest) = text.strip_prefix('[') else {
        let (name, rest) = literal(text)?;
        return Some((vec![name], rest));
    };
    let mut names = Vec::new();
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix(']') {
            return Some((names, after.trim_start()));
        }
        let (name, after) = literal(rest)?;
        names.push(name);
        rest = after.strip_prefix(',').unwrap_or(after);
    }
}

fn literal(text: &str) -> Option<(String, &str)> {
    let quote = text
        .chars()
        .next()
        .filter(|c| matches!(c, '"' | '\'' | '`'))?;
    let end = text[1..].find(quote)?;
    Some((text[1..1 + end].to_string(), text[2 + end..].trim_start()))
}

/// Each macro's body (from the end of its `macro` tag to its `endmacro`), by name;
/// `None` when the tags do not pair up.
pub(crate) fn macros(text: &str) -> Option<BTreeMap<String, (usize, usize)>> {
    let mut bodies = BTreeMap::new();
    let mut open: Option<(String, usize)> = None;
    for (start, inner, end) in tag_spans(text) {
        match keyword(inner) {
            ("macro", rest) => {
                if open.is_some() {
                    return None;
                }
                open = Some((keyword(rest).0.to_string(), end));
            }
            ("endmacro", _) => {
                let (name, body_start) = open.take()?;
                bodies.insert(name, (body_start, start));
            }
            _ => {}
        }
    }
    open.is_none().then_some(bodies)
}

/// Every `alias::name` call in `text`.
pub(crate) fn macro_calls(text: &str) -> Vec<(String, String)> {
    text.match_indices("::")
        .filter_map(|(at, _)| {
            let before = &text[..at];
            let alias_start = before.rfind(|c: char| !is_ident(c)).map_or(0, |i| i + 1);
            let after = &text[at + 2..];
            let name_end = after.find(|c: char| !is_ident(c)).unwrap_or(after.len());
            let (alias, name) = (&before[alias_start..], &after[..name_end]);
            (!alias.is_empty() && !name.is_empty()).then(|| (alias.into(), name.into()))
        })
        .collect()
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Each identifier of `text` and where it starts.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let starts = text
        .char_indices()
        .filter(move |&(i, c)| is_ident(c) && !text[..i].chars().next_back().is_some_and(is_ident));
    starts.map(move |(i, _)| {
        let len = text[i..]
            .find(|c: char| !is_ident(c))
            .unwrap_or(text.len() - i);
        (i, &text[i..i + len])
    })
}

/// Whether `text` can print a category's `article_count`: it names the field (but as
/// `strings.article_count`, the theme string of the same name, while `strings` is
/// not bound to anything else), or it reads a value's fields without naming them
/// (`json_encode`, `__tera_context`, `get(key=...)`, a key-value `for`, `x[name]`).
pub(crate) fn mentions_count(text: &str) -> bool {
    let string_key = |at: usize| {
        let before = text[..at].trim_end();
        before.strip_suffix('.').is_some_and(|b| {
            let b = b.trim_end();
            b.strip_suffix("strings")
                .is_some_and(|rest| !rest.chars().next_back().is_some_and(is_ident))
        })
    };
    let named = words(text).any(|(at, w)| w == COUNT_FIELD && !string_key(at));
    named || strings_rebound(text) || reads_unnamed_fields(text)
}

/// Whether `strings` is set to something else than the theme strings: `set strings`,
/// `for ... strings in`, or an argument `strings=` other than `strings=strings`.
fn strings_rebound(text: &str) -> bool {
    let mut previous = "";
    for (at, word) in words(text) {
        if word == "strings" {
            let after = text[at + word.len()..].trim_start();
            let set = matches!(previous, "set" | "set_global");
            let loop_var = keyword(after).0 == "in";
            let argument = after.starts_with('=') && !after.starts_with("==");
            let to_itself = argument && keyword(after[1..].trim_start()).0 == "strings";
            if set || loop_var || (argument && !to_itself) {
                return true;
            }
        }
        previous = word;
    }
    false
}

/// The variable that holds the navigation's categories (THEME.md, "Variables in
/// every template").
const NAVIGATION: &str = "categories";

/// Whether `text` can print the count of a category of the navigation: it reads
/// fields without naming them, or uses `categories` other than in `if categories`
/// or as the list of a `for` loop whose variable it reads only by named fields
/// other than the count. The default theme's navigation shows titles and links,
/// so a new article does not render every listing again for a count it never shows.
pub(crate) fn may_show_navigation_counts(text: &str) -> bool {
    if reads_unnamed_fields(text) {
        return true;
    }
    let spans: Vec<&str> = expression_spans(text).collect();
    for (index, &inner) in spans.iter().enumerate() {
        for (at, word) in words(inner) {
            let is_field = inner[..at].trim_end().ends_with('.');
            if word != NAVIGATION || is_field {
                continue;
            }
            if matches!(inner, "if categories" | "elif categories") {
                continue;
            }
            let Some(variable) = loop_variable(inner) else {
                return true;
            };
            let body = loop_body(&spans[index + 1..]);
            // An included template and a block a child template fills see the
            // loop's variable too: what they print is read elsewhere.
            let hands_on = |inner: &&str| matches!(keyword(inner).0, "include" | "block");
            if body
                .iter()
                .any(|inner| hands_on(inner) || reads_count_of(inner, variable))
            {
                return true;
            }
        }
    }
    false
}

/// The inside of each `{{ ... }}` and `{% ... %}` of `text` (without `-` trims).
/// Plain text between them prints nothing of a value.
fn expression_spans(text: &str) -> impl Iterator<Item = &str> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let rest = &text[at..];
        let start = at
            + [rest.find("{%"), rest.find("{{")]
                .into_iter()
                .flatten()
                .min()?;
        let close = match text[start..].starts_with("{%") {
            true => "%}",
            false => "}}",
        };
        let len = text[start..].find(close)?;
        at = start + len + 2;
        let inner = text[start + 2..start + len].trim_start_matches('-');
        Some(inner.trim_end_matches('-').trim())
    })
}

/// `v` of a tag `for v in categories ...`.
fn loop_variable(inner: &str) -> Option<&str> {
    let (word, rest) = keyword(inner);
    let (variable, rest) = keyword(rest);
    let (in_word, rest) = keyword(rest);
    let (list, _) = keyword(rest);
    (word == "for" && !variable.is_empty() && in_word == "in" && list == NAVIGATION)
        .then_some(variable)
}

/// The spans up to the `endfor` that closes the loop they follow.
fn loop_body<'s, 't>(after: &'s [&'t str]) -> &'s [&'t str] {
    let mut depth = 0;
    for (index, inner) in after.iter().enumerate() {
        match keyword(inner).0 {
            "for" => depth += 1,
            "endfor" if depth == 0 => return &after[..index],
            "endfor" => depth -= 1,
            _ => {}
        }
    }
    after
}

/// Whether `inner` reads `variable` other than by a named field, or reads its count.
fn reads_count_of(inner: &str, variable: &str) -> bool {
    words(inner).any(|(at, word)| {
        if word != variable || inner[..at].trim_end().ends_with('.') {
            return false;
        }
        let after = inner[at + word.len()..].trim_start();
        match after.strip_prefix('.') {
            Some(field) => keyword(field.trim_start()).0 == COUNT_FIELD,
            None => true,
        }
    })
}

fn reads_unnamed_fields(text: &str) -> bool {
    if text.contains("json_encode") || text.contains("__tera_context") {
        return true;
    }
    let mut previous = "";
    for (at, word) in words(text) {
        let after = text[at + word.len()..].trim_start();
        if (word == "get" && after.starts_with('('))
            || (previous == "for" && after.starts_with(','))
        {
            return true;
        }
        previous = word;
    }
    // `x[name]`: an index that is not a literal may name any field.
    text.match_indices('[').any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let inside = text[at + 1..].trim_start().chars().next();
        before.is_some_and(|c| is_ident(c) || c == ']' || c == ')')
            && inside.is_some_and(|c| c.is_alphabetic() || c == '_')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_tags_that_name_templates() {
        let text = "{% extends \"base.html\" %}{%- import 'macros.html' as m -%}\
            {% include [\"a.html\", \"b.html\"] ignore missing %}{% include name %}";
        assert_eq!(
            tags(text),
            [
                Tag::Extends(Some(vec!["base.html".into()])),
                Tag::Import(Some(vec!["macros.html".into()]), "m".into()),
                Tag::Include(Some(vec!["a.html".into(), "b.html".into()])),
                Tag::Include(None),
            ]
        );
    }

    #[test]
    fn comments_are_not_read() {
        assert!(tags(&without_comments("{# {% include x %} #}ok")).is_empty());
    }

    #[test]
    fn finds_macro_bodies_and_calls() {
        let text =
            "{% macro a(x) %}{{ self::b() }}{% endmacro a %}{%- macro b() -%}B{% endmacro %}";
        let bodies = macros(text).unwrap();
        let (s, e) = bodies["a"];
        assert_eq!(&text[s..e], "{{ self::b() }}");
        assert_eq!(macro_calls(&text[s..e]), [("self".into(), "b".into())]);
        assert_eq!(macros("{% macro a() %}{% macro b() %}"), None);
    }

    #[test]
    fn what_counts_as_showing_the_count() {
        assert!(mentions_count("{{ cat.article_count }}"));
        assert!(mentions_count("{{ cat[\"article_count\"] }}"));
        assert!(mentions_count("{{ cat | json_encode }}"));
        assert!(mentions_count("{% for k, v in cat %}{{ v }}{% endfor %}"));
        assert!(mentions_count("{{ cat[field] }}"));
        assert!(mentions_count(
            "{{ m::card(strings=cat) }}{{ strings.article_count }}"
        ));
        assert!(mentions_count("{% set strings = cat %}"));
        assert!(!mentions_count(
            "{{ strings.article_count_one }}{{ strings . article_count }}"
        ));
        assert!(!mentions_count(
            "{{ m::card(cat=cat, strings=strings) }}{{ items[0] }}"
        ));
        assert!(!mentions_count(
            "{% if a == strings %}{{ get_url(path='x') }}"
        ));
    }

    #[test]
    fn what_counts_as_showing_the_navigation_counts() {
        let shows = may_show_navigation_counts;
        // Titles, links and truthiness show no count; plain text is not read.
        assert!(!shows(
            "<nav class=\"categories\">{%- if categories %}{%- for cat in categories %}\
             <a href=\"{{ cat.url }}\">{{ cat.title }}</a>{% if cat.url == x.url %}!{% endif %}\
             {%- endfor %}{% endif %}{{ cat }}"
        ));
        assert!(!shows(
            "{{ section.categories }}{{ strings.categories_label }}"
        ));
        // The loop's variable read by its count, whole, or indexed.
        assert!(shows(
            "{% for c in categories %}{{ c.article_count }}{% endfor %}"
        ));
        assert!(shows(
            "{% for c in categories %}{{ m::card(cat=c) }}{% endfor %}"
        ));
        assert!(shows(
            "{% for c in categories %}{{ c[\"title\"] }}{% endfor %}"
        ));
        // An included template or a child's block sees the variable as well.
        assert!(shows(
            "{% for c in categories %}{% include \"card.html\" %}{% endfor %}"
        ));
        assert!(shows(
            "{% for c in categories %}{% block card %}{% endblock %}{% endfor %}"
        ));
        assert!(shows(
            "{% for c in categories %}{% for x in c.articles %}{% endfor %}{% set y = c %}{% endfor %}"
        ));
        // The list used any other way, or fields read without their names.
        assert!(shows(
            "{% set nav = categories %}{% for c in nav %}{% endfor %}"
        ));
        assert!(shows("{{ m::nav(items=categories) }}"));
        assert!(shows(
            "{% for c in categories %}{{ c | json_encode }}{% endfor %}"
        ));
        assert!(shows("{{ __tera_context }}"));
        // A loop over something else may use the same name freely.
        assert!(!shows(
            "{% for c in categories %}{{ c.title }}{% endfor %}{% for c in pages %}{{ c }}{% endfor %}"
        ));
    }
}
