//! Which tool a source folder comes from, by the files only that tool writes.

use std::path::Path;

use super::ImportError;

/// The kinds of source `helpsite import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    Jekyll,
    Hugo,
    Docusaurus,
    Starlight,
    Mkdocs,
    Zola,
    Zendesk,
}

pub(crate) const ALL: [Kind; 7] = [
    Kind::Jekyll,
    Kind::Hugo,
    Kind::Docusaurus,
    Kind::Starlight,
    Kind::Mkdocs,
    Kind::Zola,
    Kind::Zendesk,
];

impl Kind {
    /// The name `--from` takes.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Jekyll => "jekyll",
            Kind::Hugo => "hugo",
            Kind::Docusaurus => "docusaurus",
            Kind::Starlight => "starlight",
            Kind::Mkdocs => "mkdocs",
            Kind::Zola => "zola",
            Kind::Zendesk => "zendesk",
        }
    }

    pub(crate) fn from_name(name: &str) -> Result<Kind, String> {
        ALL.into_iter()
            .find(|k| k.name() == name.to_ascii_lowercase())
            .ok_or_else(|| {
                let names: Vec<&str> = ALL.iter().map(|k| k.name()).collect();
                format!("unknown source kind {name:?}; one of: {}", names.join(", "))
            })
    }
}

/// The kind of SOURCE and the file that told.
pub(crate) fn detect(source: &Path) -> Result<(Kind, String), ImportError> {
    if !source.exists() {
        return Err(ImportError::Usage(format!(
            "{} does not exist",
            source.display()
        )));
    }
    if source.is_file() {
        return if has_ext(source, "json") {
            Ok((
                Kind::Zendesk,
                format!("{} is a JSON export", source.display()),
            ))
        } else {
            Err(undetected(source))
        };
    }
    let has = |name: &str| source.join(name).exists();
    let found = |kind: Kind, name: &str| Ok((kind, format!("found {name}")));
    for name in [
        "docusaurus.config.js",
        "docusaurus.config.ts",
        "docusaurus.config.mjs",
    ] {
        if has(name) {
            return found(Kind::Docusaurus, name);
        }
    }
    if has("src/content/docs") {
        for name in ["astro.config.mjs", "astro.config.ts", "astro.config.js"] {
            if has(name) {
                return found(Kind::Starlight, name);
            }
        }
    }
    if has("mkdocs.yml") {
        return found(Kind::Mkdocs, "mkdocs.yml");
    }
    if has("_config.yml") {
        return found(Kind::Jekyll, "_config.yml");
    }
    for name in ["hugo.toml", "hugo.yaml", "hugo.json"] {
        if has(name) {
            return found(Kind::Hugo, name);
        }
    }
    if let Ok(config) = std::fs::read_to_string(source.join("config.toml")) {
        if config.contains("baseURL") || config.contains("baseurl =") {
            return found(Kind::Hugo, "config.toml with baseURL");
        }
        if config.contains("base_url") {
            return found(Kind::Zola, "config.toml with base_url");
        }
    }
    if json_files(source).next().is_some() {
        return Ok((
            Kind::Zendesk,
            "found JSON files of a Help Center export".into(),
        ));
    }
    Err(undetected(source))
}

fn undetected(source: &Path) -> ImportError {
    ImportError::Usage(format!(
        "cannot tell what made {}: no _config.yml, hugo.toml, docusaurus.config.js, astro.config.mjs, mkdocs.yml, Zola config.toml or Zendesk JSON; name the kind with --from",
        source.display()
    ))
}

fn has_ext(path: &Path, ext: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// JSON files directly in `dir`.
pub(crate) fn json_files(dir: &Path) -> impl Iterator<Item = std::path::PathBuf> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && has_ext(p, "json"))
}
