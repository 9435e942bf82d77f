//! The user guide in `docs/` is itself a helpsite site, and every file it shows as an
//! example is written out and built here, so neither the guide nor its examples can rot.
//!
//! An example is a fenced code block whose info string carries `file=SITE/PATH`, e.g.
//! ```` ```toml file=first-site/config.toml ````. The blocks naming the same SITE form
//! one small site, which must pass `helpsite check` without a single warning and build.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{repo_root, run_in, select, Site};
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

/// Languages of code blocks that show commands or program output rather than a file.
const NOT_FILES: &[&str] = &["", "sh", "powershell", "console", "text"];

/// Blocks marked `run=NAME` show a program or a fragment that is no site file; the test
/// file named here runs or checks each of them, so they cannot rot either.
const CHECKED_ELSEWHERE: &[(&str, &str)] = &[
    ("insights-collector", "tests/it/insights.rs"),
    ("insights-config", "tests/it/insights.rs"),
    ("requests-endpoint", "tests/it/requests.rs"),
];

/// One `file=` block: where it was written in the guide and what it holds.
#[derive(Debug, Clone)]
struct Example {
    guide_file: PathBuf,
    line: usize,
    text: String,
}

/// SITE -> PATH inside the site -> the example.
type Examples = BTreeMap<String, BTreeMap<String, Example>>;

fn docs_dir() -> PathBuf {
    repo_root().join("docs")
}

fn guide_pages() -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = walkdir::WalkDir::new(docs_dir().join("content"))
        .into_iter()
        .map(|entry| entry.expect("readable docs/content").into_path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    pages.sort();
    pages
}

/// Every fenced block of one guide page: (info string, text, line of the opening fence).
fn fenced_blocks(markdown: &str) -> Vec<(String, String, usize)> {
    let mut blocks = Vec::new();
    let mut current: Option<(String, String, usize)> = None;
    for (event, range) in Parser::new(markdown).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let line = markdown[..range.start].matches('\n').count() + 1;
                current = Some((info.to_string(), String::new(), line));
            }
            Event::Text(text) => {
                if let Some((_, body, _)) = &mut current {
                    body.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => blocks.extend(current.take()),
            _ => {}
        }
    }
    blocks
}

/// `toml file=a/config.toml` -> `Some(("a", "config.toml"))`.
fn file_target(info: &str) -> Option<(String, String)> {
    let target = info
        .split_whitespace()
        .find_map(|w| w.strip_prefix("file="))?;
    let (site, path) = target
        .split_once('/')
        .unwrap_or_else(|| panic!("`file={target}` needs SITE/PATH"));
    let safe = !path.is_empty()
        && !site.is_empty()
        && !path.starts_with('/')
        && path.split('/').all(|s| !s.is_empty() && s != "..");
    assert!(
        safe,
        "`file={target}` must be a path inside its example site"
    );
    Some((site.to_string(), path.to_string()))
}

/// `python run=insights-collector` -> `Some("insights-collector")`.
fn run_target(info: &str) -> Option<&str> {
    info.split_whitespace().find_map(|w| w.strip_prefix("run="))
}

/// Reads every example of the guide; panics on a conflict or an unmarked file-like block.
fn collect_examples() -> Examples {
    let mut examples = Examples::new();
    for page in guide_pages() {
        let markdown = std::fs::read_to_string(&page).expect("guide page");
        for (info, text, line) in fenced_blocks(&markdown) {
            let shown = format!("{}:{line}", page.display());
            if let Some(name) = run_target(&info) {
                let checked = CHECKED_ELSEWHERE.iter().find(|(n, _)| *n == name);
                let (_, test) = checked.unwrap_or_else(|| {
                    panic!("{shown}: `run={name}` is checked by no test (CHECKED_ELSEWHERE)")
                });
                let source = std::fs::read_to_string(repo_root().join(test)).expect("test file");
                assert!(source.contains(name), "{test} does not check `run={name}`");
                continue;
            }
            let Some((site, path)) = file_target(&info) else {
                let language = info.split_whitespace().next().unwrap_or("");
                assert!(
                    NOT_FILES.contains(&language),
                    "{shown}: a `{language}` block without `file=SITE/PATH`; every file the \
                     guide shows must be an example the tests build"
                );
                continue;
            };
            let example = Example {
                guide_file: page.clone(),
                line,
                text,
            };
            let files = examples.entry(site.clone()).or_default();
            if let Some(earlier) = files.get(&path) {
                assert_eq!(
                    earlier.text,
                    example.text,
                    "{site}/{path} is shown twice with different text: {}:{} and {shown}",
                    earlier.guide_file.display(),
                    earlier.line
                );
            }
            files.insert(path, example);
        }
    }
    examples
}

#[test]
fn the_guide_checks_without_a_warning_and_builds() {
    let docs = docs_dir();
    let check = run_in(&docs, &["check"]);
    check.assert_ok();
    assert!(
        !check.stderr.contains("warning"),
        "the guide must check without warnings:\n{}",
        check.stderr
    );

    let out = Site::empty();
    let public = out.path().join("public");
    let public_arg = public.to_str().expect("UTF-8 temp path");
    run_in(&docs, &["build", "--output", public_arg]).assert_ok();
    for page in [
        "index.html",
        "start/install/index.html",
        "writing/front-matter/index.html",
        "contact-channels/channel-kinds/index.html",
        "reference/configuration/index.html",
        "publishing/deploying/index.html",
        "publishing/from-zola/index.html",
        "notices-and-feedback/announcements/index.html",
        "notices-and-feedback/feedback/index.html",
        "writing/faq-articles/index.html",
        "writing/dates/index.html",
        "writing/accessibility/index.html",
        "writing/search/index.html",
        "notices-and-feedback/insights/index.html",
        "start/preview/index.html",
    ] {
        assert!(out.exists(&format!("public/{page}")), "missing {page}");
    }

    // The renderer keeps only the language of an info string as the code class.
    let install = out.html("public/start/install/index.html");
    let classes: Vec<String> = select(&install, "pre code")
        .iter()
        .filter_map(|code| code.value().attr("class").map(str::to_string))
        .collect();
    assert!(classes.iter().any(|c| c == "language-toml"), "{classes:?}");
    assert!(classes.iter().all(|c| !c.contains("file=")), "{classes:?}");
}

#[test]
fn every_example_in_the_guide_builds() {
    let examples = collect_examples();
    // Guards against examples silently losing their `file=` marker.
    for expected in [
        "first-site",
        "content-model",
        "languages",
        "front-matter",
        "contact-kinds",
        "overrides",
        "configuration",
        "deploy",
        "from-zola",
        "announcements",
        "feedback",
        "feedback-mail",
        "faq-articles",
        "dates",
        "accessibility",
        "search",
        "search-off",
    ] {
        assert!(
            examples.contains_key(expected),
            "the guide no longer has the example site `{expected}`"
        );
    }
    let file_count: usize = examples.values().map(BTreeMap::len).sum();
    assert!(file_count >= 40, "only {file_count} example files");

    for (name, files) in &examples {
        assert!(
            files.contains_key("config.toml"),
            "example site `{name}` has no config.toml"
        );
        let site = Site::empty();
        for (path, example) in files {
            site.write(path, &example.text);
        }
        if files["config.toml"].text.contains("from_git = true") {
            commit_everything(site.path());
        }
        let check = site.run(&["check"]);
        assert_eq!(
            check.code,
            0,
            "example site `{name}` ({}) fails to check:\n{}",
            describe(files),
            check.stderr
        );
        assert!(
            !check.stderr.contains("warning"),
            "example site `{name}` ({}) has warnings:\n{}",
            describe(files),
            check.stderr
        );
        let build = site.build();
        assert_eq!(
            build.code, 0,
            "example site `{name}` fails to build:\n{}",
            build.stderr
        );
        assert!(site.exists("public/index.html"), "{name}: no home page");
        if name == "search" {
            // The guide promises that keywords absent from the text still find the article.
            let postings = search_postings(site.path(), "public/search/data/p");
            for keyword in ["取钱", "cash"] {
                assert!(
                    postings.contains(&format!("\"{keyword}\"")),
                    "search: the keyword {keyword} is not in the index"
                );
            }
        }
        if name == "search-off" {
            // `search = false` leaves that language without a search page or box.
            assert!(
                site.exists("public/search/index.html"),
                "search-off: no zh search page"
            );
            assert!(
                !site.exists("public/en/search/index.html"),
                "search-off: en search page"
            );
            let english = site.html("public/en/index.html");
            assert!(
                select(&english, "[data-search]").is_empty(),
                "search-off: en search box"
            );
        }
        if name == "dates" {
            // The guide promises a date from git for an article without `updated`.
            let refunds = site.html("public/payments/refunds/index.html");
            assert_eq!(
                select(&refunds, ".article-meta time").len(),
                1,
                "dates: the article without `updated` shows no date from git"
            );
        }
    }
}

/// The text of every postings file of a built search index, joined.
fn search_postings(site: &Path, folder: &str) -> String {
    let mut text = String::new();
    for entry in std::fs::read_dir(site.join(folder)).expect("postings folder") {
        let path = entry.expect("postings entry").path();
        text.push_str(&std::fs::read_to_string(&path).expect("postings file"));
    }
    text
}

/// Keeps an example site in a git repository of its own, as a site that takes its
/// dates from git would be: without one, `check` warns that git has no dates to give.
fn commit_everything(dir: &Path) {
    for args in [
        &["init", "-q"][..],
        &["add", "."],
        &["commit", "-q", "-m", "Example site"],
    ] {
        let out = std::process::Command::new("git")
            .current_dir(dir)
            .args(args)
            .env("GIT_AUTHOR_NAME", "Writer")
            .env("GIT_AUTHOR_EMAIL", "writer@example.com")
            .env("GIT_COMMITTER_NAME", "Writer")
            .env("GIT_COMMITTER_EMAIL", "writer@example.com")
            .output()
            .expect("run git");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Where an example site's files come from, for failure messages.
fn describe(files: &BTreeMap<String, Example>) -> String {
    let places: Vec<String> = files
        .values()
        .map(|e| format!("{}:{}", short(&e.guide_file), e.line))
        .collect();
    places.join(", ")
}

fn short(path: &Path) -> String {
    path.strip_prefix(repo_root())
        .unwrap_or(path)
        .display()
        .to_string()
}

#[test]
fn examples_are_read_from_info_strings() {
    let markdown =
        "Text.\n\n```toml file=a/config.toml\ntitle = \"x\"\n```\n\n```sh\nhelpsite build\n```\n";
    let blocks = fenced_blocks(markdown);
    assert_eq!(blocks.len(), 2);
    assert_eq!(blocks[0].0, "toml file=a/config.toml");
    assert_eq!(blocks[0].1, "title = \"x\"\n");
    assert_eq!(blocks[0].2, 3);
    assert_eq!(
        file_target(&blocks[0].0),
        Some(("a".into(), "config.toml".into()))
    );
    assert_eq!(file_target(&blocks[1].0), None);
}
