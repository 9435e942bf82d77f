//! Shortcodes as Zola writes them: `{{ name(key="value", n=3) }}` in a line, and
//! `{% name(...) %}` ... `{% end %}` around Markdown. Each is rendered by the Tera
//! template `shortcodes/NAME.html` (the site's own `templates/shortcodes/` first, then
//! the theme's), with its arguments as variables, `lang`, and for the block form
//! `body`: the HTML of the Markdown between the two tags.
//!
//! Finding them in the text is `preprocess`'s job; this module parses one call,
//! checks the arguments of the built-in shortcodes and renders a call.

use std::collections::BTreeMap;

/// One argument value: a quoted string, a number or a boolean.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ArgValue {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
}

impl ArgValue {
    fn kind(&self) -> &'static str {
        match self {
            ArgValue::Str(_) => "a string",
            ArgValue::Int(_) => "a whole number",
            ArgValue::Float(_) => "a number",
            ArgValue::Bool(_) => "true or false",
        }
    }
}

/// A parsed `name(key=value, ...)`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Call {
    pub name: String,
    pub args: Vec<(String, ArgValue)>,
}

impl Call {
    pub(crate) fn arg(&self, key: &str) -> Option<&ArgValue> {
        self.args.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// A problem in a call, at a byte offset into the text handed to `parse_call`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CallError {
    pub offset: usize,
    pub message: String,
}

/// Whether the text between the braces is meant as a call (`name(`), so that other
/// uses of braces stay text.
pub(crate) fn looks_like_call(inner: &str) -> bool {
    let inner = inner.trim_start();
    let name_len = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(inner.len());
    name_len > 0 && inner[name_len..].trim_start().starts_with('(')
}

/// Parses `name(key="value", n=3, flag=true)`, surrounded by any spaces.
pub(crate) fn parse_call(text: &str) -> Result<Call, CallError> {
    let mut p = Cursor { text, pos: 0 };
    p.skip_spaces();
    let name = p.ident();
    if name.is_empty() {
        return Err(p.error("a shortcode starts with its name, e.g. `youtube(id=\"...\")`"));
    }
    p.skip_spaces();
    if !p.eat('(') {
        return Err(p.error(format!("`(` expected after the shortcode name `{name}`")));
    }
    let mut args: Vec<(String, ArgValue)> = Vec::new();
    loop {
        p.skip_spaces();
        if p.eat(')') {
            break;
        }
        let key_at = p.pos;
        let key = p.ident();
        if key.is_empty() {
            return Err(p.error("an argument name expected, e.g. `id=\"...\"`"));
        }
        if args.iter().any(|(k, _)| *k == key) {
            return Err(CallError {
                offset: key_at,
                message: format!("the argument `{key}` is given twice"),
            });
        }
        p.skip_spaces();
        if !p.eat('=') {
            return Err(p.error(format!("`=` expected after `{key}`")));
        }
        p.skip_spaces();
        let value = p.value()?;
        args.push((key, value));
        p.skip_spaces();
        if !p.eat(',') && !p.peek_is(')') {
            return Err(p.error("`,` or `)` expected between arguments"));
        }
    }
    p.skip_spaces();
    if p.pos < text.len() {
        return Err(p.error("nothing may follow the closing `)`"));
    }
    Ok(Call { name, args })
}

struct Cursor<'t> {
    text: &'t str,
    pos: usize,
}

impl Cursor<'_> {
    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }

    fn skip_spaces(&mut self) {
        let text = self.text;
        let rest = &text[self.pos..];
        self.pos += rest.len() - rest.trim_start().len();
    }

    fn eat(&mut self, c: char) -> bool {
        let found = self.peek_is(c);
        if found {
            self.pos += c.len_utf8();
        }
        found
    }

    fn peek_is(&self, c: char) -> bool {
        self.rest().starts_with(c)
    }

    fn ident(&mut self) -> String {
        let text = self.text;
        let rest = &text[self.pos..];
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        self.pos += len;
        rest[..len].to_string()
    }

    fn error(&self, message: impl Into<String>) -> CallError {
        CallError {
            offset: self.pos,
            message: message.into(),
        }
    }

    fn value(&mut self) -> Result<ArgValue, CallError> {
        let text = self.text;
        let rest = &text[self.pos..];
        if let Some(quote) = rest.chars().next().filter(|c| matches!(c, '"' | '\'')) {
            return self.quoted(quote);
        }
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '+' | '.')))
            .unwrap_or(rest.len());
        let word = &rest[..len];
        let value = match word {
            "true" => Some(ArgValue::Bool(true)),
            "false" => Some(ArgValue::Bool(false)),
            _ => word
                .parse()
                .map(ArgValue::Int)
                .or_else(|_| word.parse().map(ArgValue::Float))
                .ok()
                .filter(|_| !word.is_empty()),
        };
        let value = value
            .ok_or_else(|| self.error("a value is a quoted string, a number, true or false"))?;
        self.pos += len;
        Ok(value)
    }

    fn quoted(&mut self, quote: char) -> Result<ArgValue, CallError> {
        let start = self.pos;
        self.pos += 1;
        let mut value = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, escaped)) => value.push(escaped),
                    None => break,
                },
                c if c == quote => {
                    self.pos += i + 1;
                    return Ok(ArgValue::Str(value));
                }
                c => value.push(c),
            }
        }
        Err(CallError {
            offset: start,
            message: format!("the string is not closed with {quote}"),
        })
    }
}

/// The templates shortcodes are rendered with (the site's compiled Tera).
pub(crate) trait ShortcodeTemplates: Sync {
    /// The names of every shortcode there is a template for, sorted.
    fn shortcode_names(&self) -> Vec<String>;
    fn render_shortcode(&self, name: &str, context: &tera::Context) -> Result<String, String>;
}

impl ShortcodeTemplates for tera::Tera {
    fn shortcode_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .get_template_names()
            .filter_map(|t| t.strip_prefix("shortcodes/")?.strip_suffix(".html"))
            .map(str::to_string)
            .collect();
        names.sort();
        names
    }

    fn render_shortcode(&self, name: &str, context: &tera::Context) -> Result<String, String> {
        self.render(&format!("shortcodes/{name}.html"), context)
            .map_err(|e| {
                let mut chain = e.to_string();
                let mut source = std::error::Error::source(&e);
                while let Some(cause) = source {
                    chain.push_str(": ");
                    chain.push_str(&cause.to_string());
                    source = cause.source();
                }
                chain
            })
    }
}

/// The arguments each built-in shortcode takes: (name, required, what it holds).
fn builtin_args(name: &str) -> Option<&'static [(&'static str, bool, Expect)]> {
    use Expect::*;
    Some(match name {
        "youtube" => &[
            ("id", true, VideoId),
            ("start", false, Whole),
            ("title", false, Text),
        ],
        "vimeo" => &[("id", true, Digits), ("title", false, Text)],
        "video" => &[
            ("src", true, Text),
            ("title", false, Text),
            ("poster", false, Text),
            ("captions", false, Text),
        ],
        "details" => &[("summary", true, Text), ("open", false, Flag)],
        _ => return None,
    })
}

#[derive(Clone, Copy)]
enum Expect {
    Text,
    VideoId,
    Digits,
    Whole,
    Flag,
}

/// Checks the arguments of a built-in shortcode; other shortcodes take any.
pub(crate) fn check_builtin(call: &Call) -> Result<(), String> {
    let Some(known) = builtin_args(&call.name) else {
        return Ok(());
    };
    let names = || {
        known
            .iter()
            .map(|(k, _, _)| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (key, value) in &call.args {
        let Some((_, _, expect)) = known.iter().find(|(k, _, _)| k == key) else {
            return Err(format!(
                "`{}` takes no argument `{key}`; it takes {}",
                call.name,
                names()
            ));
        };
        check_value(&call.name, key, value, *expect)?;
    }
    match known
        .iter()
        .find(|(k, required, _)| *required && call.arg(k).is_none())
    {
        Some((missing, _, _)) => Err(format!("`{}` needs the argument `{missing}`", call.name)),
        None => Ok(()),
    }
}

fn check_value(name: &str, key: &str, value: &ArgValue, expect: Expect) -> Result<(), String> {
    let ok = match (expect, value) {
        (Expect::Text, ArgValue::Str(s)) => !s.trim().is_empty(),
        (Expect::VideoId, ArgValue::Str(s)) => {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        }
        (Expect::Digits, ArgValue::Str(s)) => {
            !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
        }
        (Expect::Digits, ArgValue::Int(n)) | (Expect::Whole, ArgValue::Int(n)) => *n >= 0,
        (Expect::Flag, ArgValue::Bool(_)) => true,
        _ => false,
    };
    if ok {
        return Ok(());
    }
    let wanted = match expect {
        Expect::Text => "a string that is not empty",
        Expect::VideoId => "a video id (letters, digits, `-` and `_`)",
        Expect::Digits => "a number of digits",
        Expect::Whole => "a whole number of 0 or more",
        Expect::Flag => "true or false",
    };
    Err(format!(
        "`{name}` argument `{key}` must be {wanted}, not {}",
        value.kind()
    ))
}

/// The template variables of a call.
pub(crate) fn context(call: &Call, lang: &str, body: Option<&str>) -> tera::Context {
    let mut context = tera::Context::new();
    let values: BTreeMap<&str, &ArgValue> =
        call.args.iter().map(|(k, v)| (k.as_str(), v)).collect();
    for (key, value) in values {
        match value {
            ArgValue::Str(s) => context.insert(key, s),
            ArgValue::Int(n) => context.insert(key, n),
            ArgValue::Float(f) => context.insert(key, f),
            ArgValue::Bool(b) => context.insert(key, b),
        }
    }
    context.insert("lang", lang);
    if let Some(body) = body {
        context.insert("body", body);
    }
    context
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_parse_with_every_kind_of_value() {
        let call = parse_call(r#" youtube(id="a\"b", n=3, x=1.5, on=true, s='q') "#).unwrap();
        assert_eq!(call.name, "youtube");
        assert_eq!(
            call.args,
            [
                ("id".to_string(), ArgValue::Str("a\"b".into())),
                ("n".to_string(), ArgValue::Int(3)),
                ("x".to_string(), ArgValue::Float(1.5)),
                ("on".to_string(), ArgValue::Bool(true)),
                ("s".to_string(), ArgValue::Str("q".into())),
            ]
        );
        assert_eq!(parse_call("details()").unwrap().args, []);
    }

    #[test]
    fn bad_calls_say_where() {
        let err = parse_call(r#"youtube(id=abc)"#).unwrap_err();
        assert_eq!(err.offset, 11);
        let err = parse_call(r#"youtube(id="abc)"#).unwrap_err();
        assert_eq!(
            (err.offset, err.message.as_str()),
            (11, "the string is not closed with \"")
        );
        assert!(parse_call("youtube(id=\"a\" x=1)").is_err());
        assert!(looks_like_call(" youtube(id=1) "));
        assert!(!looks_like_call(" page.title "));
    }

    #[test]
    fn builtins_check_their_arguments() {
        let call = |s: &str| parse_call(s).unwrap();
        assert!(check_builtin(&call(r#"youtube(id="dQw4w9WgXcQ")"#)).is_ok());
        assert_eq!(
            check_builtin(&call(r#"youtube(id="a b")"#)).unwrap_err(),
            "`youtube` argument `id` must be a video id (letters, digits, `-` and `_`), not a string"
        );
        assert_eq!(
            check_builtin(&call(r#"vimeo(video="1")"#)).unwrap_err(),
            "`vimeo` takes no argument `video`; it takes `id`, `title`"
        );
        assert_eq!(
            check_builtin(&call("details()")).unwrap_err(),
            "`details` needs the argument `summary`"
        );
        assert!(check_builtin(&call("mine(anything=1)")).is_ok());
    }
}
