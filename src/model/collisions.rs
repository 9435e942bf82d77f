//! Output paths claimed twice: two sources that would write the same file fail the build.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::{Site, SitePath};
use crate::diag::Diagnostic;

/// Two sources that would write the same output file (compared without case,
/// as on many file systems and hosts) fail the build, naming every one.
pub(super) fn find_collisions(site: &Site) -> Vec<Diagnostic> {
    let mut claims: BTreeMap<String, Vec<(PathBuf, String)>> = BTreeMap::new();
    each_claim(site, |output, source, what| {
        claims
            .entry(output.to_lowercase())
            .or_default()
            .push((source.clone(), format!("{what} /{output}")));
    });
    let mut diags = Vec::new();
    for claimants in claims.values().filter(|c| c.len() > 1) {
        let target = &claimants[0].1;
        let same_target = claimants.iter().all(|(_, what)| what == target);
        let all: Vec<String> = claimants
            .iter()
            .map(|(src, what)| match same_target {
                true => src.display().to_string(),
                false => format!("{} ({what})", src.display()),
            })
            .collect();
        for (source, what) in claimants {
            let what = if same_target { target } else { what };
            diags.push(
                Diagnostic::error(format!(
                    "{} sources write the same output ({what}): {}",
                    claimants.len(),
                    all.join(", ")
                ))
                .in_file(source)
                .with_hint("give one of them another file name, `slug` or alias"),
            );
        }
    }
    diags.extend(file_folder_clashes(&claims));
    diags
}

/// Every output file the site's sources claim, with the source and what it is.
fn each_claim(site: &Site, mut claim: impl FnMut(String, &PathBuf, &str)) {
    for page in site.pages.iter().filter(|p| p.stand_in_for.is_none()) {
        claim(page.path.output_file(), &page.source.display, "page");
        for alias in &page.aliases {
            let output = SitePath::new(alias.clone()).output_file();
            claim(output, &page.source.display, "alias");
        }
    }
    for section in &site.sections {
        let source = section.source_display();
        claim(section.path.output_file(), &source, "section");
        for alias in &section.aliases {
            claim(SitePath::new(alias.clone()).output_file(), &source, "alias");
        }
    }
    for asset in &site.assets {
        for output in &asset.outputs {
            claim(output.clone(), &asset.source.display, "file");
        }
    }
}

/// Whether a new page at `path` would clash with what `site` (without it) writes:
/// the same file, or a file where its folders are (what `find_collisions` reports,
/// for one page and without building the whole list).
pub(crate) fn would_clash(site: &Site, path: &SitePath) -> bool {
    let output = path.output_file().to_lowercase();
    let folders: Vec<&str> = output
        .match_indices('/')
        .map(|(i, _)| &output[..i])
        .collect();
    let mut clash = false;
    each_claim(site, |claimed, _, _| {
        let claimed = claimed.to_lowercase();
        clash |= claimed == output || folders.contains(&claimed.as_str());
    });
    clash
}

/// An output file whose path is also a folder of another output (`old/page` and
/// `old/page/index.html`) cannot both be written.
fn file_folder_clashes(claims: &BTreeMap<String, Vec<(PathBuf, String)>>) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for (path, inner) in claims {
        let folders = path.match_indices('/').map(|(i, _)| &path[..i]);
        for folder in folders {
            let Some(outer) = claims.get(folder) else {
                continue;
            };
            let all: Vec<String> = outer
                .iter()
                .chain(inner)
                .map(|(src, what)| format!("{} ({what})", src.display()))
                .collect();
            for (source, _) in outer.iter().chain(inner) {
                diags.push(
                    Diagnostic::error(format!(
                        "one output is a file where another needs a folder: {}",
                        all.join(", ")
                    ))
                    .in_file(source)
                    .with_hint("rename one of them"),
                );
            }
        }
    }
    diags
}
