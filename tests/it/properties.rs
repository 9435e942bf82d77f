//! Properties over random sites: a site builds to the same bytes every time, and
//! `check` and `build` agree on whether it is broken and why.

use crate::common;

use std::collections::BTreeSet;

use common::{run_in, snapshot};
use proptest::prelude::*;

/// A random site: sections of articles whose bodies mix Markdown blocks, links to
/// each other and, sometimes, a link to a page that does not exist.
#[derive(Debug, Clone)]
struct SiteSpec {
    sections: Vec<(String, Vec<PageSpec>)>,
}

#[derive(Debug, Clone)]
struct PageSpec {
    slug: String,
    title: String,
    blocks: Vec<Block>,
    translated: bool,
    weight: Option<u8>,
}

#[derive(Debug, Clone)]
enum Block {
    Heading(u8, String),
    Paragraph(String),
    List(Vec<String>),
    Code(String),
    Table(String, String),
    /// A link to the n-th page of the site (modulo the count), or a missing one.
    Link(usize),
    BrokenLink,
}

fn words() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "提现",
            "冻结",
            "账户",
            "password",
            "reset",
            "2FA",
            "<b>",
            "&amp;",
            "\"quoted\"",
            "emoji 🙂",
            "𠀀",
            "x_y",
            "*star*",
            "`tick`",
            "100%",
            "a\\b",
        ]),
        1..6,
    )
    .prop_map(|w| w.join(" "))
}

fn block() -> impl Strategy<Value = Block> {
    prop_oneof![
        (2u8..5, words()).prop_map(|(l, t)| Block::Heading(l, t)),
        words().prop_map(Block::Paragraph),
        prop::collection::vec(words(), 1..4).prop_map(Block::List),
        words().prop_map(Block::Code),
        (words(), words()).prop_map(|(a, b)| Block::Table(a, b)),
        (0usize..20).prop_map(Block::Link),
        Just(Block::BrokenLink),
    ]
}

fn page(index: usize) -> impl Strategy<Value = PageSpec> {
    (
        words(),
        prop::collection::vec(block(), 0..6),
        any::<bool>(),
        prop::option::of(0u8..5),
    )
        .prop_map(move |(title, blocks, translated, weight)| PageSpec {
            slug: format!("page-{index}"),
            title,
            blocks,
            translated,
            weight,
        })
}

fn site() -> impl Strategy<Value = SiteSpec> {
    let section = |i: usize| {
        prop::collection::vec(Just(()), 1..4).prop_flat_map(move |n| {
            let pages: Vec<_> = (0..n.len()).map(|p| page(i * 10 + p)).collect();
            pages.prop_map(move |pages| (format!("section-{i}"), pages))
        })
    };
    (1usize..4)
        .prop_flat_map(move |n| (0..n).map(section).collect::<Vec<_>>())
        .prop_map(|sections| SiteSpec { sections })
}

fn toml_string(s: &str) -> String {
    format!("{s:?}")
}

impl SiteSpec {
    fn paths(&self) -> Vec<String> {
        self.sections
            .iter()
            .flat_map(|(s, pages)| pages.iter().map(move |p| format!("{s}/{}.md", p.slug)))
            .collect()
    }

    fn write(&self, dir: &std::path::Path) {
        let write = |rel: &str, text: &str| {
            let path = dir.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "config.toml",
            "base_url = \"https://example.com/help/\"\ntitle = \"Random\"\ndefault_language = \"zh\"\n[languages.en]\nname = \"English\"\n",
        );
        write("content/_index.md", "+++\ntitle = \"首页\"\n+++\n");
        let paths = self.paths();
        for (section, pages) in &self.sections {
            write(
                &format!("content/{section}/_index.md"),
                &format!("+++\ntitle = {}\n+++\n", toml_string(section)),
            );
            for page in pages {
                let mut text = format!("+++\ntitle = {}\n", toml_string(&page.title));
                if let Some(weight) = page.weight {
                    text.push_str(&format!("weight = {weight}\n"));
                }
                text.push_str("+++\n\n");
                for block in &page.blocks {
                    text.push_str(&match block {
                        Block::Heading(level, t) => {
                            format!("{} {t}\n\n", "#".repeat(*level as usize))
                        }
                        Block::Paragraph(t) => format!("{t}\n\n"),
                        Block::List(items) => {
                            items.iter().map(|i| format!("- {i}\n")).collect::<String>() + "\n"
                        }
                        Block::Code(t) => format!("```\n{t}\n```\n\n"),
                        Block::Table(a, b) => format!("| {a} | {b} |\n|---|---|\n| 1 | 2 |\n\n"),
                        Block::Link(n) => {
                            format!("[see](@/{})\n\n", paths[n % paths.len()])
                        }
                        Block::BrokenLink => "[gone](@/nowhere/missing.md)\n\n".to_string(),
                    });
                }
                write(&format!("content/{section}/{}.md", page.slug), &text);
                if page.translated {
                    write(
                        &format!("content/{section}/{}.en.md", page.slug),
                        &format!(
                            "+++\ntitle = \"In English\"\n+++\n{}",
                            text.split("+++\n").last().unwrap_or("")
                        ),
                    );
                }
            }
        }
    }
}

/// The error lines of a run, as a set (check prints warnings too).
fn errors_of(stderr: &str) -> BTreeSet<String> {
    let lines: Vec<&str> = stderr.lines().collect();
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with("error: ") && !l.starts_with("error: failed with"))
        .map(|(i, l)| format!("{l} {}", lines.get(i + 1).unwrap_or(&"").trim()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn builds_are_deterministic_and_check_agrees(spec in site()) {
        let dir = tempfile::tempdir().unwrap();
        spec.write(dir.path());
        let first = run_in(dir.path(), &["build", "-o", "out-1"]);
        let second = run_in(dir.path(), &["build", "-o", "out-2"]);
        let check = run_in(dir.path(), &["check"]);
        let broken = spec.sections.iter().flat_map(|(_, p)| p).any(|p| {
            p.blocks.iter().any(|b| matches!(b, Block::BrokenLink))
        });
        prop_assert_eq!(first.code, if broken { 1 } else { 0 }, "{}", first.stderr);
        prop_assert_eq!(first.code, second.code);
        prop_assert_eq!(check.code, first.code, "check: {}\nbuild: {}", check.stderr, first.stderr);
        prop_assert_eq!(errors_of(&check.stderr), errors_of(&first.stderr));
        if !broken {
            let one = snapshot(&dir.path().join("out-1"));
            let two = snapshot(&dir.path().join("out-2"));
            prop_assert!(!one.is_empty());
            prop_assert!(one == two, "two builds of the same site differ");
        }
    }
}
