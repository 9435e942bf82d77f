//! A property of the incremental layer that `serve` uses: after any sequence of
//! saves (bodies, titles, weights, descriptions, drafts, new, deleted and renamed
//! articles, saves through a temporary file, translations, new sections, section front
//! matter, template overrides), each rebuild gives exactly what a clean build gives.

use crate::common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::Site;
use helpsite::incremental::Incremental;
use helpsite::pipeline::Changes;
use helpsite::pipeline::{build, BuildOptions, BuildOutput};
use proptest::prelude::*;

/// One save a writer might make; indexes pick among the files that exist then.
#[derive(Debug, Clone)]
enum Save {
    Body(usize, String),
    Title(usize, String),
    Weight(usize, u8),
    New(usize, String),
    Delete(usize),
    Rename(usize, String),
    Translate(usize),
    SectionTitle(usize, String),
    Description(usize, String),
    /// Toggles `draft = true`.
    Draft(usize),
    /// Written to a temporary file, then renamed over the article (sed -i, some editors).
    ThroughTemp(usize, String),
    /// A new folder with its `_index.md` and one article.
    NewSection(String),
    /// A section folder removed with everything in it (not the home page's).
    DeleteSection(usize),
    /// A site override of one of the default theme's templates, with a comment added.
    Template(usize, String),
    /// Files the article under this tag alone (its other terms dropped).
    Tag(usize, String),
    /// Drops the article's `[taxonomies]` table.
    Untag(usize),
    /// A date in 2025 (month, day), which reorders date-sorted lists.
    Date(usize, u8),
    /// Toggles `promoted = true` (promoted articles lead the category cards).
    Promoted(usize),
}

/// The templates `Save::Template` overrides.
const TEMPLATES: [&str; 6] = [
    "page.html",
    "section.html",
    "index.html",
    "base.html",
    "404.html",
    "macros.html",
];

/// Writes `templates/NAME` as the default theme's, with a comment in its content block.
fn override_template(site: &Site, i: usize, t: &str, step: usize) {
    let name = TEMPLATES[i % TEMPLATES.len()];
    let theme = format!(
        "{}/themes/default/templates/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(theme).unwrap();
    let block = "{% block content %}";
    let text = match text.contains(block) {
        true => text.replacen(block, &format!("{block}<!-- {t} {step} -->"), 1),
        false => format!("<!-- {t} {step} -->{text}"),
    };
    site.write(&format!("templates/{name}"), &text);
}

fn text() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["提现", "冻结", "reset", "fees", "Zeta", "alpha", "二"])
        .prop_map(String::from)
}

fn save() -> impl Strategy<Value = Save> {
    prop_oneof![
        (any::<usize>(), text()).prop_map(|(i, t)| Save::Body(i, t)),
        (any::<usize>(), text()).prop_map(|(i, t)| Save::Title(i, t)),
        (any::<usize>(), any::<u8>()).prop_map(|(i, w)| Save::Weight(i, w % 5)),
        (any::<usize>(), text()).prop_map(|(i, t)| Save::New(i, t)),
        any::<usize>().prop_map(Save::Delete),
        (any::<usize>(), text()).prop_map(|(i, t)| Save::Rename(i, t)),
        any::<usize>().prop_map(Save::Translate),
        (any::<usize>(), text()).prop_map(|(i, t)| Save::SectionTitle(i, t)),
        (any::<usize>(), text()).prop_map(|(i, t)| Save::Description(i, t)),
        any::<usize>().prop_map(Save::Draft),
        (any::<usize>(), text()).prop_map(|(i, t)| Save::ThroughTemp(i, t)),
        text().prop_map(Save::NewSection),
        any::<usize>().prop_map(Save::DeleteSection),
        (any::<usize>(), text()).prop_map(|(i, t)| Save::Template(i, t)),
        (any::<usize>(), text()).prop_map(|(i, t)| Save::Tag(i, t)),
        any::<usize>().prop_map(Save::Untag),
        (any::<usize>(), any::<u8>()).prop_map(|(i, d)| Save::Date(i, d)),
        any::<usize>().prop_map(Save::Promoted),
    ]
}

/// The Markdown files under `content/`, sorted: articles or section indexes.
fn markdown_files(content: &Path, sections: bool) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir(content)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with("_index") == sections && !name.starts_with("index")
        })
        .collect();
    files.sort();
    files
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(walkdir(&path));
        } else {
            found.push(path);
        }
    }
    found
}

fn slug(text: &str, n: usize) -> String {
    format!("p{n}-{}", text.len())
}

/// Applies a save and returns the paths it touched, as the watcher reports them.
fn apply(content: &Path, save: &Save, step: usize) -> Vec<PathBuf> {
    let articles = markdown_files(content, false);
    let sections = markdown_files(content, true);
    let needs_article = !matches!(
        save,
        Save::New(..) | Save::NewSection(..) | Save::DeleteSection(..) | Save::SectionTitle(..)
    );
    // Every article can have been deleted: a save of one is then no save.
    if articles.is_empty() && needs_article {
        return Vec::new();
    }
    let pick = |i: usize| articles[i % articles.len()].clone();
    let edit = |path: &Path, change: &dyn Fn(String) -> String| {
        let text = std::fs::read_to_string(path).unwrap();
        std::fs::write(path, change(text)).unwrap();
    };
    match save {
        Save::Body(i, t) => {
            let path = pick(*i);
            edit(&path, &|text| format!("{text}\n\n{t} {step}\n"));
            vec![path]
        }
        Save::Title(i, t) => {
            let path = pick(*i);
            edit(&path, &|text| {
                text.replacen("title = \"", &format!("title = \"{t} "), 1)
            });
            vec![path]
        }
        Save::Weight(i, w) => {
            let path = pick(*i);
            edit(&path, &|text| with_weight(&text, *w));
            vec![path]
        }
        Save::New(i, t) => {
            let section = sections[i % sections.len()].parent().unwrap().to_path_buf();
            let path = section.join(format!("{}.md", slug(t, step)));
            let body =
                format!("+++\ntitle = \"{t} {step}\"\n+++\n{t} 正文 [fees](@/billing/fees.md)\n");
            std::fs::write(&path, body).unwrap();
            vec![path]
        }
        Save::Delete(i) => {
            let path = pick(*i);
            std::fs::remove_file(&path).unwrap();
            vec![path]
        }
        Save::Rename(i, t) => {
            let from = pick(*i);
            let to = from.with_file_name(format!("{}.md", slug(t, step)));
            std::fs::rename(&from, &to).unwrap();
            vec![from, to]
        }
        Save::Translate(i) => {
            let path = pick(*i);
            let name = path.file_stem().unwrap().to_string_lossy().to_string();
            if name.ends_with(".en") {
                return Vec::new();
            }
            let english = path.with_file_name(format!("{name}.en.md"));
            std::fs::write(
                &english,
                format!("+++\ntitle = \"In English {step}\"\n+++\nEnglish text.\n"),
            )
            .unwrap();
            vec![english]
        }
        Save::Description(i, t) => {
            let path = pick(*i);
            edit(&path, &|text| {
                with_key(&text, "description", &format!("\"{t}\""))
            });
            vec![path]
        }
        Save::Draft(i) => {
            let path = pick(*i);
            edit(&path, &|text| {
                let draft = text.contains("draft = true");
                with_key(&text, "draft", if draft { "false" } else { "true" })
            });
            vec![path]
        }
        Save::ThroughTemp(i, t) => {
            let path = pick(*i);
            let temp = path.with_file_name(format!("sed{step}tmp"));
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(&temp, format!("{text}\n{t} via a temporary file\n")).unwrap();
            std::fs::rename(&temp, &path).unwrap();
            vec![temp, path]
        }
        Save::NewSection(t) => {
            let folder = content.join(slug(t, step));
            std::fs::create_dir_all(&folder).unwrap();
            std::fs::write(
                folder.join("_index.md"),
                format!("+++\ntitle = \"{t}\"\n+++\n"),
            )
            .unwrap();
            std::fs::write(
                folder.join("first.md"),
                format!("+++\ntitle = \"{t} 1\"\n+++\n{t}\n"),
            )
            .unwrap();
            vec![folder]
        }
        Save::DeleteSection(i) => {
            let folders: Vec<PathBuf> = sections
                .iter()
                .map(|s| s.parent().unwrap().to_path_buf())
                .filter(|f| f != content)
                .collect();
            if folders.is_empty() {
                return Vec::new();
            }
            let folder = folders[i % folders.len()].clone();
            std::fs::remove_dir_all(&folder).unwrap();
            vec![folder]
        }
        Save::Tag(i, t) => {
            let path = pick(*i);
            edit(&path, &|text| with_tag(&text, Some(t)));
            vec![path]
        }
        Save::Untag(i) => {
            let path = pick(*i);
            edit(&path, &|text| with_tag(&text, None));
            vec![path]
        }
        Save::Date(i, d) => {
            let path = pick(*i);
            let date = format!("2025-{:02}-{:02}", d % 12 + 1, d % 28 + 1);
            edit(&path, &|text| with_key(&text, "date", &date));
            vec![path]
        }
        Save::Promoted(i) => {
            let path = pick(*i);
            edit(&path, &|text| {
                let promoted = text.contains("promoted = true");
                with_key(&text, "promoted", if promoted { "false" } else { "true" })
            });
            vec![path]
        }
        Save::Template(..) => unreachable!("written by override_template"),
        Save::SectionTitle(i, t) => {
            let path = sections[i % sections.len()].clone();
            edit(&path, &|text| {
                text.replacen("title = \"", &format!("title = \"{t} "), 1)
            });
            vec![path]
        }
    }
}

/// The text with its front matter's weight set: the line replaced, or added.
fn with_weight(text: &str, weight: u8) -> String {
    with_key(text, "weight", &weight.to_string())
}

/// The text filed under `tag` alone (under none without one): its `[taxonomies]`
/// table replaced, added last or dropped.
fn with_tag(text: &str, tag: Option<&String>) -> String {
    let end = text[3..].find("+++").unwrap() + 3;
    let front = match text[..end].find("[taxonomies]") {
        Some(at) => &text[..at],
        None => &text[..end],
    };
    let table = tag.map_or(String::new(), |t| {
        format!("[taxonomies]\ntags = [\"{t}\"]\n")
    });
    format!("{front}{table}{}", &text[end..])
}

/// The text with `key = value` in its front matter: the line replaced, or added first.
fn with_key(text: &str, key: &str, value: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let end = lines
        .iter()
        .skip(1)
        .position(|l| l == "+++")
        .map_or(1, |i| i + 1);
    let prefix = format!("{key} =");
    match lines[..end].iter().position(|l| l.starts_with(&prefix)) {
        Some(at) => lines[at] = format!("{key} = {value}"),
        None => lines.insert(1, format!("{key} = {value}")),
    }
    lines.join("\n") + "\n"
}

fn messages(output: &BuildOutput) -> Vec<String> {
    let mut all: Vec<String> = output.diagnostics.iter().map(|d| d.to_string()).collect();
    all.sort();
    all
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn every_rebuild_equals_a_clean_build(saves in prop::collection::vec(save(), 1..7)) {
        check_saves(&saves, false)?;
    }

    /// Without stand-ins, new, deleted and renamed articles are patched in place.
    #[test]
    fn every_rebuild_equals_a_clean_build_with_untranslated_pages_hidden(
        saves in prop::collection::vec(save(), 1..7)
    ) {
        check_saves(&saves, true)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    /// On a site large enough that pages not open in the preview wait, and stay
    /// pending through later saves: after each rebuild every file but the pending
    /// ones equals a clean build's, and once they are rendered every file does.
    #[test]
    fn pages_left_pending_end_equal_to_a_clean_build(
        saves in prop::collection::vec(save(), 1..6)
    ) {
        check_saves_open_first(&saves)?;
    }
}

fn check_saves_open_first(saves: &[Save]) -> Result<(), TestCaseError> {
    let site = Site::fixture("basic");
    for n in 0..300 {
        site.write(
            &format!("content/billing/many-{n:03}.md"),
            &format!("+++\ntitle = \"Billing question {n}\"\n+++\nAnswer {n}.\n"),
        );
    }
    let options = BuildOptions::new(site.path());
    let content = site.path().join("content");
    let mut incremental = Incremental::default();
    incremental.rebuild(&options, &Changes::Everything);
    let open = ["index.html", "billing/many-007/index.html"];
    incremental.render_first(open.iter().map(|f| f.to_string()).collect());
    for (step, save) in saves.iter().enumerate() {
        let Some(changes) = make_save(&site, &content, save, step) else {
            continue;
        };
        let cached = incremental.rebuild(&options, &changes);
        let clean = build(&options);
        prop_assert_eq!(cached.succeeded(), clean.succeeded(), "after {:?}", save);
        let pending: BTreeSet<&String> = cached.pending.iter().collect();
        let settled = |output: &BuildOutput| -> Vec<(String, Vec<u8>)> {
            let files = common::built_files(output).into_iter();
            files.filter(|(path, _)| !pending.contains(path)).collect()
        };
        prop_assert!(
            settled(&cached) == settled(&clean),
            "files differ after {:?}",
            save
        );
    }
    if let Some(whole) = incremental.finish(&options, &|| false) {
        prop_assert!(
            common::built_files(&whole) == common::built_files(&build(&options)),
            "files differ once the pending pages were rendered"
        );
    }
    Ok(())
}

/// Makes `save` on the site and says what changed; `None` when it touched nothing.
fn make_save(site: &Site, content: &Path, save: &Save, step: usize) -> Option<Changes> {
    if let Save::Template(i, t) = save {
        override_template(site, *i, t, step);
        return Some(Changes::Templates);
    }
    let touched: BTreeSet<PathBuf> = apply(content, save, step).into_iter().collect();
    (!touched.is_empty()).then_some(Changes::Content(touched))
}

/// Applies `saves` one by one while an `Incremental` follows, comparing every
/// rebuild with a clean build; `hide` hides untranslated articles (no stand-ins).
fn check_saves(saves: &[Save], hide: bool) -> Result<(), TestCaseError> {
    let site = Site::fixture("basic");
    if hide {
        let config = std::fs::read_to_string(site.path().join("config.toml")).unwrap();
        site.write("config.toml", &format!("untranslated = \"hide\"\n{config}"));
    }
    let options = BuildOptions::new(site.path());
    let content = site.path().join("content");
    let mut incremental = Incremental::default();
    incremental.rebuild(&options, &Changes::Everything);
    for (step, save) in saves.iter().enumerate() {
        let Some(changes) = make_save(&site, &content, save, step) else {
            continue;
        };
        let cached = incremental.rebuild(&options, &changes);
        let clean = build(&options);
        prop_assert_eq!(cached.succeeded(), clean.succeeded(), "after {:?}", save);
        prop_assert_eq!(messages(&cached), messages(&clean), "after {:?}", save);
        prop_assert!(
            common::built_files(&cached) == common::built_files(&clean),
            "files differ after {:?}",
            save
        );
    }
    Ok(())
}
