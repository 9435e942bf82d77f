//! The translation report of `helpsite check`: what is missing, and what is older
//! than its original, as warnings a writer can work through.

use crate::diag::Diagnostic;
use crate::model::Site;

pub(crate) fn report(site: &Site) -> Vec<Diagnostic> {
    let Some(default) = site.languages.first() else {
        return Vec::new();
    };
    let mut warnings = Vec::new();
    for versions in site.translations.values() {
        let Some(&original) = versions.get(default) else {
            continue;
        };
        let original = &site.pages[original];
        if original.stand_in_for.is_some() {
            continue;
        }
        let original_changed = original.updated.as_ref().or(original.date.as_ref());
        for lang in &site.languages[1..] {
            let translation = versions.get(lang).map(|&id| &site.pages[id]);
            match translation.filter(|t| t.stand_in_for.is_none()) {
                None => warnings.push(
                    Diagnostic::warning(format!("no `{lang}` translation of this article"))
                        .in_file(&original.source.display)
                        .with_hint(format!(
                            "write {}",
                            translated_name(&original.source.rel, lang)
                        )),
                ),
                Some(translation) => {
                    let changed = translation.updated.as_ref().or(translation.date.as_ref());
                    if let (Some(changed), Some(original_changed)) = (changed, original_changed) {
                        if changed < original_changed {
                            warnings.push(
                                Diagnostic::warning(format!(
                                    "translation is older than its original: {} here, {} in {}",
                                    changed.day(),
                                    original_changed.day(),
                                    original.source.display.display()
                                ))
                                .in_file(&translation.source.display)
                                .with_hint("bring it up to date, then set `updated` to today"),
                            );
                        }
                    }
                }
            }
        }
    }
    for section in &site.sections {
        let Some(source) = &section.source else {
            continue;
        };
        let borrowed = source.lang.as_deref().unwrap_or(default) != section.lang;
        if borrowed {
            warnings.push(
                Diagnostic::warning(format!(
                    "no `{}` translation of this section; its title is shown untranslated",
                    section.lang
                ))
                .in_file(&source.display)
                .with_hint(format!(
                    "write {}",
                    translated_name(&source.rel, &section.lang)
                )),
            );
        }
    }
    warnings
}

/// `account/x.md` -> `content/account/x.en.md`.
fn translated_name(rel: &str, lang: &str) -> String {
    let base = rel.strip_suffix(".md").unwrap_or(rel);
    format!("content/{base}.{lang}.md")
}
