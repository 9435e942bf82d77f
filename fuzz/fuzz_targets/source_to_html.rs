//! From a source file's bytes to rendered HTML: front matter split (TOML or YAML),
//! Markdown, link resolution and templates, through the real build pipeline.
//!
//! The input becomes one article of a small site (next to a page it may link to, a
//! picture and a shortcode template of its own); the build may fail with diagnostics,
//! but must never panic or hang. Inputs starting with `{`, `:` or `>` are also
//! rendered inside a block shortcode, a `:::` callout and an alert, with raw HTML
//! on the allow-list (`fuzz/writing.dict` holds the tokens of that syntax).
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

/// One site folder for the whole run; each input overwrites the article.
fn site() -> &'static PathBuf {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("helpsite-fuzz-{}", std::process::id()));
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "config.toml",
            "base_url = \"https://example.com/help/\"\ntitle = \"Fuzz\"\ndefault_language = \"zh\"\n[languages.en]\nname = \"English\"\n[markdown]\nraw_html = \"safe\"\n",
        );
        write("templates/shortcodes/echo.html", "<span>{{ text | default(value=\"\") }}</span>{{ body | default(value=\"\") | safe }}");
        write("content/guides/shot.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"3\"></svg>");
        write("content/_index.md", "+++\ntitle = \"Home\"\n+++\n");
        write("content/guides/_index.md", "+++\ntitle = \"Guides\"\n+++\n");
        write(
            "content/guides/target.md",
            "+++\ntitle = \"Target\"\n+++\n## Heading one\n\ntext\n",
        );
        root
    })
}

/// The splitter on its own: YAML front matter is written again as TOML, and that TOML
/// must parse (or fail only on a key written twice, which is reported at the key).
fn split_alone(data: &[u8]) {
    let file = std::path::Path::new("content/guides/fuzzed.md");
    let Ok(text) = helpsite::source::frontmatter::read_text(data.to_vec(), file) else {
        return;
    };
    let Ok(split) = helpsite::source::frontmatter::split(&text, file) else {
        return;
    };
    if let Err(e) = toml::from_str::<toml::Table>(&split.front_matter) {
        let yaml = split.format == helpsite::source::frontmatter::Format::Yaml;
        assert!(!yaml || e.message().contains("duplicate"), "{e}");
    }
}

/// The input as it is, and for writing syntax also wrapped in each block form.
fn article(data: &[u8]) -> Vec<u8> {
    let wrap = match data.first() {
        Some(b'{') => ("{% echo(text=\"x\") %}\n", "\n{% end %}\n"),
        Some(b':') => (":::warning Careful\n", "\n:::\n"),
        Some(b'>') => ("> [!TIP]\n> ", "\n"),
        _ => return data.to_vec(),
    };
    let mut text = b"+++\ntitle = \"Fuzzed\"\n+++\n".to_vec();
    text.extend_from_slice(wrap.0.as_bytes());
    text.extend_from_slice(data);
    text.extend_from_slice(wrap.1.as_bytes());
    text
}

fuzz_target!(|data: &[u8]| {
    split_alone(data);
    let root = site();
    std::fs::write(root.join("content/guides/fuzzed.md"), article(data)).unwrap();
    let mut options = helpsite::pipeline::BuildOptions::new(root);
    options.max_source_bytes = Some(1 << 20);
    let result = helpsite::pipeline::build(&options);
    // Failing is fine; failing without saying why is not.
    assert!(result.succeeded() || result.diagnostics.has_errors());
});
