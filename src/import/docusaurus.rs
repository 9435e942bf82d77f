//! Docusaurus: `docusaurus.config.js`, `docs/` with `_category_.json` folders and number
//! prefixes, MDX (imports and components removed), `:::note` admonitions, `/docs/` addresses.

use std::path::PathBuf;

use super::convert::{containers_to_alerts, strip_mdx, tabs, BodyCtx};
use super::front_matter::Front;
use super::locales::{config_text, js_string};
use super::profile::Profile;
use super::settings::non_empty;
use super::ImportError;

pub(crate) fn profile(root: PathBuf) -> Result<Profile, ImportError> {
    let text = config_text(
        &root,
        &[
            "docusaurus.config.js",
            "docusaurus.config.ts",
            "docusaurus.config.mjs",
        ],
    )?;
    let default_lang = non_empty(js_string(&text, "defaultLocale"), "en");
    let translations = super::locales::docusaurus(&root, &text, &default_lang);
    let language_names = translations
        .iter()
        .filter_map(|t| Some((t.lang.clone(), t.label.clone()?)))
        .collect();
    Ok(Profile {
        content: root.join("docs"),
        static_dirs: vec![root.join("static")],
        title: non_empty(js_string(&text, "title"), "Help Center"),
        description: js_string(&text, "tagline"),
        base_url: non_empty(js_string(&text, "url"), "https://help.example.com/"),
        default_lang,
        root,
        translations,
        language_names,
        notes: Vec::new(),
        section_files: &["index", "README"],
        page_bundles: false,
        lang_suffix: false,
        skip_dirs: &[],
        url_prefixes: &["docs"],
        old_url,
        convert,
    })
}

/// `/docs/` then `slug` (absolute, or in place of the name), else the path without number prefixes.
fn old_url(dirs: &[String], stem: &str, front: &Front) -> String {
    let mut parts: Vec<&str> = dirs
        .iter()
        .map(|d| super::place::strip_order_prefix(d).1)
        .collect();
    match front.slug.as_deref() {
        Some(slug) if slug.starts_with('/') => return format!("/docs{slug}"),
        Some(slug) => parts.push(slug),
        None => parts.push(super::place::strip_order_prefix(stem).1),
    }
    format!("/docs/{}/", parts.join("/"))
}

fn convert(body: &str, ctx: &mut BodyCtx<'_>) -> String {
    containers_to_alerts(&strip_mdx(body, ctx, tabs))
}
