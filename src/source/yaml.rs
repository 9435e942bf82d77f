//! YAML front matter, written again as TOML so that one deserializer (with its spans
//! and its checks) reads both formats.
//!
//! Every value and key written into the TOML text remembers where it stood in the
//! YAML, so an error found in the TOML (a wrong type, an unknown key, a bad date) is
//! reported at the line and column the writer typed. Values mean what they mean in
//! YAML 1.2's core schema: `true`, `12`, `1.5`, `null`/`~`/nothing, and text; a plain
//! (unquoted) date such as `2024-03-01` or `2024-03-01T10:00:00+08:00` becomes a TOML
//! date, as it would be written in TOML front matter. A key whose value is empty is
//! left out, as if it were not written.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

/// YAML front matter as TOML text, with the way back to the YAML's places.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct YamlAsToml {
    pub toml: String,
    places: Vec<Place>,
}

/// A range of the TOML text and the YAML line (1-based, in the snippet) and column
/// (1-based, in characters) it was written from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Place {
    start: usize,
    end: usize,
    line: usize,
    col: usize,
}

/// A problem with the YAML itself, at its line and column in the snippet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct YamlError {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl YamlAsToml {
    /// Line and column in the YAML snippet of a byte offset in the TOML text: the
    /// innermost value or key written over that offset.
    pub(crate) fn locate(&self, offset: usize) -> (usize, usize) {
        let inner = self
            .places
            .iter()
            .filter(|p| p.start <= offset && (offset < p.end || p.start == p.end))
            .min_by_key(|p| p.end - p.start);
        let before = || {
            self.places
                .iter()
                .filter(|p| p.start <= offset)
                .max_by_key(|p| p.start)
        };
        inner
            .or_else(before)
            .or(self.places.first())
            .map_or((1, 1), |p| (p.line, p.col))
    }
}

/// A YAML value read into a tree, each node with its place.
#[derive(Debug, Clone)]
enum Node {
    Scalar {
        text: String,
        plain: bool,
        at: (usize, usize),
    },
    List {
        items: Vec<Node>,
        at: (usize, usize),
    },
    Map {
        entries: Vec<(Node, Node)>,
        at: (usize, usize),
    },
}

impl Node {
    fn at(&self) -> (usize, usize) {
        match self {
            Node::Scalar { at, .. } | Node::List { at, .. } | Node::Map { at, .. } => *at,
        }
    }

    fn is_null(&self) -> bool {
        matches!(self, Node::Scalar { text, plain: true, .. } if is_null(text))
    }
}

fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

fn place_of(span: &Span) -> (usize, usize) {
    (span.start.line(), span.start.col() + 1)
}

/// Reads YAML front matter and writes it as TOML.
pub(crate) fn to_toml(yaml: &str) -> Result<YamlAsToml, YamlError> {
    let Some(root) = read_tree(yaml)? else {
        return Ok(YamlAsToml {
            toml: String::new(),
            places: Vec::new(),
        });
    };
    let Node::Map { entries, .. } = root else {
        let (line, col) = root.at();
        return Err(YamlError {
            line,
            col,
            message: "front matter must be keys with values (`title: ...`)".into(),
        });
    };
    let mut writer = TomlWriter::default();
    for (key, value) in &entries {
        if value.is_null() {
            continue;
        }
        writer.key(key)?;
        writer.out.push_str(" = ");
        writer.value(value)?;
        writer.out.push('\n');
    }
    Ok(YamlAsToml {
        toml: writer.out,
        places: writer.places,
    })
}

/// The events of the YAML as a tree; `None` for a document with nothing in it.
fn read_tree(yaml: &str) -> Result<Option<Node>, YamlError> {
    let mut reader = TreeReader::default();
    for event in Parser::new_from_str(yaml) {
        let (event, span) = event.map_err(|e| YamlError {
            line: e.marker().line(),
            col: e.marker().col() + 1,
            message: format!("YAML: {}", e.info()),
        })?;
        reader.event(event, &span)?;
        if reader.documents > 1 {
            let (line, col) = place_of(&span);
            return Err(YamlError {
                line,
                col,
                message: "front matter holds more than one YAML document".into(),
            });
        }
    }
    Ok(reader.root)
}

/// Builds the tree from parser events.
#[derive(Default)]
struct TreeReader {
    /// Open lists and maps; a map's pending key waits in its last entry's slot.
    open: Vec<Open>,
    anchors: HashMap<usize, Node>,
    root: Option<Node>,
    documents: usize,
}

struct Open {
    node: Node,
    anchor: usize,
    pending_key: Option<Node>,
}

impl TreeReader {
    fn event(&mut self, event: Event<'_>, span: &Span) -> Result<(), YamlError> {
        let at = place_of(span);
        match event {
            Event::DocumentStart(_) => self.documents += 1,
            Event::Scalar(text, style, anchor, _tag) => {
                let node = Node::Scalar {
                    text: text.into_owned(),
                    plain: style == ScalarStyle::Plain,
                    at,
                };
                self.remember(anchor, &node);
                self.add(node);
            }
            Event::SequenceStart(anchor, _) => self.open.push(Open {
                node: Node::List {
                    items: Vec::new(),
                    at,
                },
                anchor,
                pending_key: None,
            }),
            Event::MappingStart(anchor, _) => self.open.push(Open {
                node: Node::Map {
                    entries: Vec::new(),
                    at,
                },
                anchor,
                pending_key: None,
            }),
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(done) = self.open.pop() {
                    self.remember(done.anchor, &done.node);
                    self.add(done.node);
                }
            }
            Event::Alias(id) => {
                let node = self.anchors.get(&id).cloned().ok_or(YamlError {
                    line: at.0,
                    col: at.1,
                    message: "this alias names no anchor written before it".into(),
                })?;
                self.add(node);
            }
            _ => {}
        }
        Ok(())
    }

    fn remember(&mut self, anchor: usize, node: &Node) {
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
    }

    fn add(&mut self, node: Node) {
        let Some(parent) = self.open.last_mut() else {
            self.root = Some(node);
            return;
        };
        match &mut parent.node {
            Node::List { items, .. } => items.push(node),
            Node::Map { entries, .. } => match parent.pending_key.take() {
                Some(key) => entries.push((key, node)),
                None => parent.pending_key = Some(node),
            },
            Node::Scalar { .. } => {}
        }
    }
}

/// Writes TOML text and notes where each piece came from.
#[derive(Default)]
struct TomlWriter {
    out: String,
    places: Vec<Place>,
}

impl TomlWriter {
    fn mark(&mut self, start: usize, at: (usize, usize)) {
        self.places.push(Place {
            start,
            end: self.out.len(),
            line: at.0,
            col: at.1,
        });
    }

    fn key(&mut self, key: &Node) -> Result<(), YamlError> {
        let Node::Scalar { text, at, .. } = key else {
            let (line, col) = key.at();
            return Err(YamlError {
                line,
                col,
                message: "a key must be a name, not a list or a table".into(),
            });
        };
        let start = self.out.len();
        write_string(&mut self.out, text);
        self.mark(start, *at);
        Ok(())
    }

    fn value(&mut self, node: &Node) -> Result<(), YamlError> {
        let start = self.out.len();
        match node {
            Node::Scalar { text, plain, .. } => {
                if *plain {
                    write_plain(&mut self.out, text);
                } else {
                    write_string(&mut self.out, text);
                }
            }
            Node::List { items, .. } => {
                self.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if item.is_null() {
                        let (line, col) = item.at();
                        return Err(YamlError {
                            line,
                            col,
                            message: "a list item has no value".into(),
                        });
                    }
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.value(item)?;
                }
                self.out.push(']');
            }
            Node::Map { entries, .. } => {
                self.out.push('{');
                let mut first = true;
                for (key, value) in entries.iter().filter(|(_, v)| !v.is_null()) {
                    self.out.push_str(if first { " " } else { ", " });
                    first = false;
                    self.key(key)?;
                    self.out.push_str(" = ");
                    self.value(value)?;
                }
                self.out.push_str(if first { "}" } else { " }" });
            }
        }
        self.mark(start, node.at());
        Ok(())
    }
}

/// A plain scalar as YAML 1.2's core schema reads it, written in TOML.
fn write_plain(out: &mut String, text: &str) {
    match text {
        "true" | "True" | "TRUE" => out.push_str("true"),
        "false" | "False" | "FALSE" => out.push_str("false"),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => out.push_str("inf"),
        "-.inf" | "-.Inf" | "-.INF" => out.push_str("-inf"),
        ".nan" | ".NaN" | ".NAN" => out.push_str("nan"),
        _ => {
            if let Some(number) = integer(text) {
                out.push_str(&number.to_string());
            } else if let Some(number) = float(text) {
                out.push_str(&format!("{number:?}"));
            } else if is_toml_date(text) {
                out.push_str(text);
            } else {
                write_string(out, text);
            }
        }
    }
}

/// `12`, `-3`, `0x1F`, `0o17`: an integer of the core schema.
fn integer(text: &str) -> Option<i64> {
    if let Some(hex) = text.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok();
    }
    if let Some(octal) = text.strip_prefix("0o") {
        return i64::from_str_radix(octal, 8).ok();
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// `1.5`, `-.5`, `2e3`: a float of the core schema (finite).
fn float(text: &str) -> Option<f64> {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match body.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (body, None),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, fraction)) => {
            digits(whole) && digits(fraction) && !(whole.is_empty() && fraction.is_empty())
        }
        None => !mantissa.is_empty() && digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    if !(mantissa_ok && exponent_ok) {
        return None;
    }
    text.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Whether TOML reads `text` as a date or a date and time (not a time alone).
fn is_toml_date(text: &str) -> bool {
    text.as_bytes().get(4) == Some(&b'-')
        && text
            .parse::<toml::value::Datetime>()
            .is_ok_and(|d| d.date.is_some())
}

/// A TOML basic string.
fn write_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toml_of(yaml: &str) -> String {
        to_toml(yaml).unwrap().toml
    }

    #[test]
    fn values_keep_their_yaml_meaning() {
        let yaml = "title: Reset a password, fast\nweight: 3\ndraft: true\nratio: 1.5\ndate: 2024-03-01\nslug: '12'\nnothing:\n";
        assert_eq!(
            toml_of(yaml),
            "\"title\" = \"Reset a password, fast\"\n\"weight\" = 3\n\"draft\" = true\n\"ratio\" = 1.5\n\"date\" = 2024-03-01\n\"slug\" = \"12\"\n"
        );
    }

    #[test]
    fn lists_and_tables_become_inline() {
        let yaml = "tags: [billing, \"fees\"]\ntaxonomies:\n  tags:\n    - a \"quoted\" tag\nextra:\n  empty: {}\n";
        assert_eq!(
            toml_of(yaml),
            "\"tags\" = [\"billing\", \"fees\"]\n\"taxonomies\" = { \"tags\" = [\"a \\\"quoted\\\" tag\"] }\n\"extra\" = { \"empty\" = {} }\n"
        );
    }

    #[test]
    fn block_text_keeps_its_lines() {
        assert_eq!(
            toml_of("description: |\n  one\n  two\n"),
            "\"description\" = \"one\\ntwo\\n\"\n"
        );
    }

    #[test]
    fn anchors_are_copied() {
        assert_eq!(
            toml_of("a: &x [1, 2]\nb: *x\n"),
            "\"a\" = [1, 2]\n\"b\" = [1, 2]\n"
        );
    }

    #[test]
    fn places_lead_back_to_the_yaml() {
        let converted = to_toml("title: A\nweight:   \"x\"\n").unwrap();
        let at = converted.toml.find("\"x\"").unwrap();
        assert_eq!(converted.locate(at), (2, 11));
        let key = converted.toml.find("\"weight\"").unwrap();
        assert_eq!(converted.locate(key + 2), (2, 1));
    }

    #[test]
    fn syntax_errors_have_a_place() {
        let err = to_toml("title: A\n  bad: [1\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.message.starts_with("YAML: "), "{}", err.message);
        let err = to_toml("- a\n- b\n").unwrap_err();
        assert_eq!((err.line, err.col), (1, 1));
    }

    #[test]
    fn numbers_of_the_core_schema() {
        assert_eq!(integer("0x1F"), Some(31));
        assert_eq!(integer("-12"), Some(-12));
        assert_eq!(integer("1_000"), None);
        assert_eq!(float("-.5"), Some(-0.5));
        assert_eq!(float("2e3"), Some(2000.0));
        assert_eq!(float("1.2.3"), None);
        assert_eq!(float("."), None);
        assert!(is_toml_date("2024-03-01T10:00:00+08:00"));
        assert!(!is_toml_date("10:00:00"));
        assert!(!is_toml_date("2024"));
    }

    /// YAML-ish lines: keys, nesting, lists, quotes, anchors and odd scalars.
    fn yaml_line() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let key = prop::sample::select(vec!["title", "tags", "a", "b b", "\"q\"", "- ", "? x"]);
        let value = prop::sample::select(vec![
            "",
            "1",
            "-2.5e3",
            "0x1F",
            "true",
            "~",
            "2024-03-01",
            "10:00:00",
            "[x, 'y']",
            "{k: v}",
            "&a 3",
            "*a",
            "\"tab\\t\"",
            "|",
            ">-",
            "'it''s'",
            ".inf",
            "a: b",
        ]);
        (0usize..4, key, value)
            .prop_map(|(indent, key, value)| format!("{}{key}: {value}\n", "  ".repeat(indent)))
    }

    proptest::proptest! {
        /// Whatever YAML is read, what is written is TOML: it parses, or fails only
        /// on a key written twice (which is then reported at that key).
        #[test]
        fn written_toml_always_parses(lines in proptest::collection::vec(yaml_line(), 0..8)) {
            let yaml: String = lines.concat();
            if let Ok(converted) = to_toml(&yaml) {
                if let Err(e) = toml::from_str::<toml::Table>(&converted.toml) {
                    proptest::prop_assert!(
                        e.message().contains("duplicate"),
                        "{yaml:?} -> {:?}: {e}",
                        converted.toml
                    );
                }
            }
        }

        #[test]
        fn any_text_is_read_or_refused_without_panicking(text in "\\PC{0,120}") {
            let _ = to_toml(&text);
        }
    }

    #[test]
    fn empty_front_matter_is_empty_toml() {
        assert_eq!(toml_of(""), "");
        assert_eq!(toml_of("# only a comment\n"), "");
    }
}
