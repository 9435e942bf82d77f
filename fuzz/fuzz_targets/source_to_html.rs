//! From a source file's bytes to rendered HTML: front matter split (TOML or YAML),
//! Markdown, link resolution and templates, through the real build pipeline.
//!
//! The input becomes one article of a small site (next to a page it may link to);
//! the build may fail with diagnostics, but must never panic or hang.
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
            "base_url = \"https://example.com/help/\"\ntitle = \"Fuzz\"\ndefault_language = \"zh\"\n[languages.en]\nname = \"English\"\n",
        );
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

fuzz_target!(|data: &[u8]| {
    split_alone(data);
    let root = site();
    std::fs::write(root.join("content/guides/fuzzed.md"), data).unwrap();
    let mut options = helpsite::pipeline::BuildOptions::new(root);
    options.max_source_bytes = Some(1 << 20);
    let result = helpsite::pipeline::build(&options);
    // Failing is fine; failing without saying why is not.
    assert!(result.succeeded() || result.diagnostics.has_errors());
});
