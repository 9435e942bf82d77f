//! The theme: Tera templates and static files, from the embedded default theme,
//! a theme folder and the site's own overrides, file by file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};
use tera::Tera;

use super::deps::TemplateDeps;
use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::output::files::FileData;
use crate::source::discover::{display_path, walk_files};

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

#[derive(Debug, Clone)]
pub(crate) struct ThemeFile {
    pub data: FileData,
    /// Shown in diagnostics: `templates/page.html`, `themes/default/templates/page.html`,
    /// or `<embedded theme>/templates/page.html`.
    pub display: PathBuf,
}

/// Templates and static files after overrides, keyed by their path inside
/// `templates/` and `static/`.
#[derive(Debug, Default)]
pub(crate) struct Theme {
    pub templates: BTreeMap<String, ThemeFile>,
    pub static_files: BTreeMap<String, ThemeFile>,
    /// The theme's string files (`i18n/en.toml`), by file name.
    pub theme_strings: BTreeMap<String, ThemeFile>,
    /// The site's own string files, which override the theme's key by key.
    pub site_strings: BTreeMap<String, ThemeFile>,
    /// What each template reaches, for the render cache.
    pub deps: TemplateDeps,
}

pub(crate) fn load_theme(site_root: &Path, config: &Config) -> (Theme, Diagnostics) {
    let mut theme = Theme::default();
    let mut diags = Diagnostics::new();
    let theme_dir = site_root.join("themes").join(&config.theme);
    if theme_dir.is_dir() {
        for (sub, map) in [
            ("templates", &mut theme.templates),
            ("static", &mut theme.static_files),
            ("i18n", &mut theme.theme_strings),
        ] {
            collect_disk_files(site_root, &theme_dir.join(sub), map, &mut diags);
        }
    } else if config.theme == "default" {
        collect_embedded(&DEFAULT_THEME, "templates", &mut theme.templates);
        collect_embedded(&DEFAULT_THEME, "static", &mut theme.static_files);
        collect_embedded(&DEFAULT_THEME, "i18n", &mut theme.theme_strings);
    } else {
        diags.push(
            Diagnostic::error(format!("theme `{}` not found", config.theme))
                .in_file("config.toml")
                .with_hint(format!(
                    "put the theme in {}, or use `theme = \"default\"`",
                    display_path(site_root, &theme_dir).display()
                )),
        );
    }
    collect_disk_files(
        site_root,
        &site_root.join("templates"),
        &mut theme.templates,
        &mut diags,
    );
    collect_disk_files(
        site_root,
        &site_root.join("static"),
        &mut theme.static_files,
        &mut diags,
    );
    collect_disk_files(
        site_root,
        &site_root.join("i18n"),
        &mut theme.site_strings,
        &mut diags,
    );
    theme.deps = template_deps(&theme);
    (theme, diags)
}

/// Reads the templates (those that cannot be read fail the compile, so any
/// answer does) and the static files, whose hashes `get_url` prints.
fn template_deps(theme: &Theme) -> TemplateDeps {
    let read = |file: &ThemeFile| file.data.read().ok();
    let sources = (theme.templates.iter())
        .filter_map(|(name, file)| {
            Some((
                name.clone(),
                String::from_utf8(read(file)?.into_owned()).ok()?,
            ))
        })
        .collect();
    let mut statics = xxhash_rust::xxh3::Xxh3::new();
    for (name, file) in &theme.static_files {
        statics.update(name.as_bytes());
        statics.update(&read(file).unwrap_or_default());
    }
    TemplateDeps::analyse(&sources, statics.digest())
}

fn collect_embedded(dir: &'static Dir<'static>, sub: &str, into: &mut BTreeMap<String, ThemeFile>) {
    let Some(sub_dir) = dir.get_dir(sub) else {
        return;
    };
    let mut stack = vec![sub_dir];
    while let Some(dir) = stack.pop() {
        stack.extend(dir.dirs());
        for file in dir.files() {
            let Ok(key) = file.path().strip_prefix(sub) else {
                continue;
            };
            let Some(key) = key.to_str() else { continue };
            let contents = match key {
                // Every page loads it before a first search: shipped without its
                // comments and indentation, a third smaller (bench/README.md).
                "search.js" if sub == "static" => compact_search_script(file.contents()),
                _ => file.contents(),
            };
            into.insert(
                key.replace('\\', "/"),
                ThemeFile {
                    data: FileData::Embedded(contents),
                    display: Path::new("<embedded theme>").join(file.path()),
                },
            );
        }
    }
}

/// The embedded `search.js` without comment lines, blank lines and indentation,
/// made once. The script holds no multi-line string, so no line's text changes.
fn compact_search_script(original: &'static [u8]) -> &'static [u8] {
    static COMPACT: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    COMPACT.get_or_init(|| {
        let Ok(text) = std::str::from_utf8(original) else {
            return original.to_vec();
        };
        compact_script(text).into_bytes()
    })
}

fn compact_script(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with("//") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Adds the files under `dir` to `into`, replacing files of the same name.
/// Files reached through a link that leaves the site are skipped with a warning.
fn collect_disk_files(
    site_root: &Path,
    dir: &Path,
    into: &mut BTreeMap<String, ThemeFile>,
    diags: &mut Diagnostics,
) {
    if !dir.is_dir() {
        return;
    }
    let canonical_root = site_root
        .canonicalize()
        .unwrap_or_else(|_| site_root.to_path_buf());
    let (entries, walk_diags) = walk_files(site_root, dir);
    diags.extend(walk_diags);
    for entry in entries {
        let display = display_path(site_root, entry.path());
        let inside_site = entry
            .path()
            .canonicalize()
            .map(|real| real.starts_with(&canonical_root))
            .unwrap_or(false);
        if !inside_site {
            diags.push(
                Diagnostic::warning("skipped: this file is a link to a place outside the site")
                    .in_file(&display),
            );
            continue;
        }
        let Some(key) = entry
            .path()
            .strip_prefix(dir)
            .ok()
            .and_then(|rel| {
                rel.components()
                    .map(|c| c.as_os_str().to_str())
                    .collect::<Option<Vec<_>>>()
            })
            .map(|parts| parts.join("/"))
        else {
            diags.push(
                Diagnostic::error("file name is not valid UTF-8; rename the file")
                    .in_file(&display),
            );
            continue;
        };
        into.insert(
            key,
            ThemeFile {
                data: FileData::Disk(entry.path().to_path_buf()),
                display,
            },
        );
    }
}

/// A short, stable content hash for cache-busting asset URLs.
pub(crate) fn content_hash(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:016x}", hash)[..10].to_string()
}

/// `get_url(path="style.css", cachebust=true)` in templates.
struct GetUrl {
    base_path: String,
    hashes: BTreeMap<String, String>,
}

impl tera::Function for GetUrl {
    fn call(
        &self,
        args: &std::collections::HashMap<String, tera::Value>,
    ) -> tera::Result<tera::Value> {
        let path = args
            .get("path")
            .and_then(tera::Value::as_str)
            .ok_or_else(|| tera::Error::msg("get_url needs a `path` string argument"))?;
        let path = path.trim_start_matches('/');
        let mut url = format!("{}{path}", self.base_path);
        if args.get("cachebust").and_then(tera::Value::as_bool) == Some(true) {
            let hash = self.hashes.get(path).ok_or_else(|| {
                tera::Error::msg(format!("get_url: no static file `{path}` to hash"))
            })?;
            url.push_str("?h=");
            url.push_str(hash);
        }
        Ok(tera::Value::String(url))
    }

    fn is_safe(&self) -> bool {
        false
    }
}

/// Compiles every template; parse errors name the template file and line.
pub(crate) fn compile(theme: &Theme, base_path: &str) -> Result<Tera, Diagnostics> {
    let mut diags = Diagnostics::new();
    let mut sources = Vec::new();
    for (name, file) in &theme.templates {
        match file.data.read().map(|b| String::from_utf8(b.into_owned())) {
            Ok(Ok(text)) => sources.push((name.clone(), text)),
            Ok(Err(_)) => {
                diags.push(Diagnostic::error("template is not valid UTF-8").in_file(&file.display))
            }
            Err(e) => diags.push(
                Diagnostic::error(format!("cannot read template: {e}")).in_file(&file.display),
            ),
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let mut tera = Tera::default();
    // Tera's own escaping also rewrites `/` as `&#x2F;`, which bloats every URL;
    // escaping `& < > " '` is enough in text and in quoted attributes.
    tera.set_escape_fn(|text| html_escape::encode_quoted_attribute(text).into_owned());
    if let Err(err) = tera.add_raw_templates(sources) {
        diags.push(template_error(&err, theme));
        return Err(diags);
    }
    let hashes = theme
        .static_files
        .iter()
        .filter_map(|(key, file)| Some((key.clone(), content_hash(&file.data.read().ok()?))))
        .collect();
    tera.register_function(
        "get_url",
        GetUrl {
            base_path: base_path.to_string(),
            hashes,
        },
    );
    Ok(tera)
}

/// A Tera error as a diagnostic at the template's file and, when Tera says it, line.
pub(crate) fn template_error(err: &tera::Error, theme: &Theme) -> Diagnostic {
    let chain = error_chain(err);
    // Tera quotes template names with ' in some messages and ` in others.
    let names = chain.replace('`', "'");
    // When a child template fails inside the base it extends, Tera says
    // "(error happened in 'base.html')"; otherwise the innermost name is the culprit.
    let quoted_after = |marker: &str| {
        let rest = &names[names.find(marker)? + marker.len()..];
        rest.split('\'').next().map(str::to_string)
    };
    let name = quoted_after("error happened in '")
        .filter(|name| theme.templates.contains_key(name))
        .or_else(|| {
            names
                .split('\'')
                .skip(1)
                .step_by(2)
                .find(|name| theme.templates.contains_key(*name))
                .map(str::to_string)
        });
    // Tera's parse errors carry their own drawing of the line; keep only what was expected,
    // the place is shown with the source line anyway.
    let expected = chain
        .lines()
        .find_map(|line| line.trim_start().strip_prefix("= "));
    let message = match expected {
        Some(expected) => format!("template syntax error: {expected}"),
        None => format!("template error: {}", chain.replace('\n', " ")),
    };
    let mut diag = Diagnostic::error(message);
    if let Some(name) = name {
        diag = diag.in_file(&theme.templates[&name].display);
    }
    if let Some((line, col)) = tera_position(&chain) {
        diag = diag.at(line, col);
    }
    diag
}

fn error_chain(err: &tera::Error) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = std::error::Error::source(err);
    while let Some(inner) = source {
        parts.push(inner.to_string());
        source = inner.source();
    }
    parts.join(": ")
}

/// Tera's parse errors contain ` --> LINE:COL`.
fn tera_position(chain: &str) -> Option<(usize, usize)> {
    let after = chain.split("--> ").nth(1)?;
    let mut nums = after
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<usize>().ok());
    Some((nums.next()??, nums.next()??))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_search_script_ships_without_comments_or_indentation() {
        let compact = super::compact_script(
            "// a comment\n  const a = \"// kept\";\n\n  if (a) {\n    f(a);\n  }\n",
        );
        assert_eq!(compact, "const a = \"// kept\";\nif (a) {\nf(a);\n}\n");
    }

    use super::*;

    #[test]
    fn embedded_theme_has_the_templates() {
        let mut map = BTreeMap::new();
        collect_embedded(&DEFAULT_THEME, "templates", &mut map);
        for name in [
            "base.html",
            "index.html",
            "section.html",
            "page.html",
            "404.html",
        ] {
            assert!(
                map.contains_key(name),
                "{name} missing from the embedded theme"
            );
        }
    }

    #[test]
    fn only_the_default_theme_templates_with_cards_show_article_counts() {
        let mut theme = Theme::default();
        collect_embedded(&DEFAULT_THEME, "templates", &mut theme.templates);
        let deps = template_deps(&theme);
        for name in ["index.html", "section.html"] {
            assert!(deps.of(name).shows_counts, "{name}");
        }
        for name in ["page.html", "404.html", "search.html", "base.html"] {
            assert!(!deps.of(name).shows_counts, "{name}");
        }
        // The home page's cards are its navigation's categories; a section's cards
        // are its subsections, and its navigation shows titles and links only.
        assert!(deps.of("index.html").navigation_shows_counts);
        assert!(!deps.of("section.html").navigation_shows_counts);
    }

    #[test]
    fn parse_errors_carry_the_line() {
        let mut theme = Theme::default();
        theme.templates.insert(
            "page.html".into(),
            ThemeFile {
                data: FileData::Embedded(b"line one\n{% if %}\n"),
                display: PathBuf::from("templates/page.html"),
            },
        );
        let err = compile(&theme, "/").unwrap_err().sorted();
        assert_eq!(
            err[0].file.as_deref(),
            Some(Path::new("templates/page.html"))
        );
        assert_eq!(err[0].line, Some(2));
    }
}
