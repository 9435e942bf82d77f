//! Starlight (Astro): `astro.config.mjs`, `src/content/docs/`, `public/` files, MDX with
//! `<Aside type="tip" title="...">` callouts and `:::note` asides.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::convert::{alert_kind, containers_to_alerts, jsx_attr, strip_mdx, tabs, BodyCtx};
use super::front_matter::Front;
use super::locales::{config_text, js_string};
use super::profile::Profile;
use super::settings::non_empty;
use super::ImportError;

pub(crate) fn profile(root: PathBuf) -> Result<Profile, ImportError> {
    let text = config_text(
        &root,
        &["astro.config.mjs", "astro.config.ts", "astro.config.js"],
    )?;
    let locales = super::locales::starlight(&root.join("src/content/docs"), &text);
    let mut language_names: BTreeMap<String, String> = locales
        .others
        .iter()
        .filter_map(|t| Some((t.lang.clone(), t.label.clone()?)))
        .collect();
    if let Some(label) = locales.default_label {
        language_names.insert(locales.default_lang.clone(), label);
    }
    let config_file = ["astro.config.mjs", "astro.config.ts", "astro.config.js"]
        .into_iter()
        .find(|name| root.join(name).exists())
        .unwrap_or("astro.config.mjs");
    Ok(Profile {
        content: locales.content,
        static_dirs: vec![root.join("public")],
        title: non_empty(js_string(&text, "title"), "Help Center"),
        description: js_string(&text, "description"),
        base_url: non_empty(js_string(&text, "site"), "https://help.example.com/"),
        default_lang: locales.default_lang,
        root,
        translations: locales.others,
        language_names,
        notes: (locales.notes.into_iter())
            .map(|n| (config_file.to_string(), n))
            .collect(),
        section_files: &["index"],
        page_bundles: false,
        lang_suffix: false,
        skip_dirs: &[],
        url_prefixes: &[],
        old_url,
        convert,
    })
}

fn old_url(dirs: &[String], stem: &str, front: &Front) -> String {
    let mut parts: Vec<&str> = dirs.iter().map(String::as_str).collect();
    parts.push(front.slug.as_deref().unwrap_or(stem));
    format!("/{}/", parts.join("/"))
}

fn convert(body: &str, ctx: &mut BodyCtx<'_>) -> String {
    let known = |line: &str| aside(line).or_else(|| tabs(line)).or_else(|| cards(line));
    containers_to_alerts(&strip_mdx(body, ctx, known))
}

/// Starlight's cards, buttons and layout components: a card's title becomes a bold line
/// above its text, a link card or a link button a link; the layout tags around text go.
fn cards(line: &str) -> Option<String> {
    const LAYOUT: [&str; 8] = [
        "</Card>",
        "<CardGrid>",
        "</CardGrid>",
        "<Steps>",
        "</Steps>",
        "<FileTree>",
        "</FileTree>",
        "<CardGrid stagger>",
    ];
    if LAYOUT.contains(&line) {
        return Some(String::new());
    }
    if let Some(attrs) = line
        .strip_prefix("<Card ")
        .and_then(|l| l.strip_suffix('>'))
    {
        return Some(format!(
            "**{}**\n",
            jsx_attr(attrs, "title").unwrap_or_default()
        ));
    }
    if let Some(attrs) = line
        .strip_prefix("<LinkCard ")
        .and_then(|l| l.strip_suffix("/>"))
    {
        let link = format!(
            "[{}]({})",
            jsx_attr(attrs, "title").unwrap_or_default(),
            jsx_attr(attrs, "href").unwrap_or_default()
        );
        return Some(match jsx_attr(attrs, "description") {
            Some(d) => format!("{link}: {d}"),
            None => link,
        });
    }
    let rest = line
        .strip_prefix("<LinkButton ")?
        .strip_suffix("</LinkButton>")?;
    let (attrs, text) = rest.split_once('>')?;
    Some(format!("[{}]({})", text.trim(), jsx_attr(attrs, "href")?))
}

/// `<Aside type="caution" title="Careful">` -> `:::caution Careful`; `</Aside>` -> `:::`.
fn aside(line: &str) -> Option<String> {
    if line == "</Aside>" {
        return Some(":::".into());
    }
    let attrs = line.strip_prefix("<Aside")?.strip_suffix('>')?;
    let attr = |name: &str| js_string(&attrs.replace('=', ":"), name);
    let kind = alert_kind(&non_empty(attr("type"), "note")).to_ascii_lowercase();
    Some(
        format!(":::{kind} {}", attr("title"))
            .trim_end()
            .to_string(),
    )
}
