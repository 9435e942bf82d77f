//! The build cache used by `serve`: a rebuild through it gives exactly the files
//! of a clean build, after every kind of change to the sources.

use crate::common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use common::Site;
use helpsite::incremental::Incremental;
use helpsite::pipeline::Changes;
use helpsite::pipeline::{build, BuildOptions};

fn files(output: &helpsite::pipeline::BuildOutput) -> Vec<(String, Vec<u8>)> {
    assert!(output.succeeded(), "{:?}", output.diagnostics);
    common::built_files(output)
}

/// Changes files and returns the paths it touched.
type Edit<'a> = Box<dyn Fn() -> Vec<PathBuf> + 'a>;

#[test]
fn cached_rebuilds_equal_clean_builds_after_every_change() {
    let site = Site::fixture("basic");
    let options = BuildOptions::new(site.path());
    let mut cache = Incremental::default();
    let first = cache.rebuild(&options, &Changes::Everything);
    assert_eq!(files(&first), files(&build(&options)));
    assert!(first.stats.rendered > 5);

    let content = site.path().join("content");
    let edits: Vec<(&str, Edit)> = vec![
        (
            "body edit",
            Box::new(|| {
                site.write(
                    "content/guides/limits.md",
                    &site
                        .read("content/guides/limits.md")
                        .replace("五万", "八万"),
                );
                vec![content.join("guides/limits.md")]
            }),
        ),
        (
            "tags added: new tag pages, the article lists them",
            Box::new(|| {
                let text = site.read("content/guides/limits.md");
                let end = text[3..].find("+++").unwrap() + 3;
                let tagged = format!(
                    "{}[taxonomies]\ntags = [\"限额\", \"提现\"]\n{}",
                    &text[..end],
                    &text[end..]
                );
                site.write("content/guides/limits.md", &tagged);
                vec![content.join("guides/limits.md")]
            }),
        ),
        (
            "tag renamed, another article tagged in YAML",
            Box::new(|| {
                site.write(
                    "content/guides/limits.md",
                    &site
                        .read("content/guides/limits.md")
                        .replace("[\"限额\",", "[\"额度\","),
                );
                site.write(
                    "content/guides/yaml-tagged.md",
                    "---\ntitle: 标签测试\ntags: [提现]\n---\n正文\n",
                );
                vec![
                    content.join("guides/limits.md"),
                    content.join("guides/yaml-tagged.md"),
                ]
            }),
        ),
        (
            "title edit changes listings and neighbours",
            Box::new(|| {
                site.write(
                    "content/guides/withdraw.md",
                    &site.read("content/guides/withdraw.md").replacen(
                        "title = \"",
                        "title = \"Z ",
                        1,
                    ),
                );
                vec![content.join("guides/withdraw.md")]
            }),
        ),
        (
            "new article",
            Box::new(|| {
                site.write(
                    "content/guides/added.md",
                    "+++\ntitle = \"Added\"\n+++\nsee [fees](@/billing/fees.md)\n",
                );
                vec![content.join("guides/added.md")]
            }),
        ),
        (
            "renamed link target",
            Box::new(|| {
                std::fs::rename(
                    content.join("billing/fees.md"),
                    content.join("billing/costs.md"),
                )
                .unwrap();
                site.write(
                    "content/guides/added.md",
                    "+++\ntitle = \"Added\"\n+++\nsee [costs](@/billing/costs.md)\n",
                );
                vec![
                    content.join("billing/fees.md"),
                    content.join("billing/costs.md"),
                    content.join("guides/added.md"),
                ]
            }),
        ),
        (
            "renamed folder",
            Box::new(|| {
                std::fs::rename(
                    content.join("guides/advanced"),
                    content.join("guides/expert"),
                )
                .unwrap();
                vec![
                    content.join("guides/advanced"),
                    content.join("guides/expert"),
                ]
            }),
        ),
        (
            "deleted article",
            Box::new(|| {
                site.remove("content/guides/added.md");
                vec![content.join("guides/added.md")]
            }),
        ),
        (
            "template override",
            Box::new(|| {
                site.write(
                    "templates/page.html",
                    "{% extends \"base.html\" %}{% block content %}<main>{{ page.content | safe }}</main>{% endblock content %}",
                );
                vec![]
            }),
        ),
        (
            "section front matter",
            Box::new(|| {
                site.write(
                    "content/guides/_index.md",
                    "+++\ntitle = \"指南\"\nweight = 3\n+++\n新介绍\n",
                );
                vec![content.join("guides/_index.md")]
            }),
        ),
    ];
    for (what, edit) in edits {
        let changed: BTreeSet<PathBuf> = edit().into_iter().collect();
        // An edit that names no content file changed a template.
        let changes = if changed.is_empty() {
            Changes::Templates
        } else {
            Changes::Content(changed)
        };
        let cached = cache.rebuild(&options, &changes);
        let clean = build(&options);
        assert_eq!(files(&cached), files(&clean), "after: {what}");
    }
}

#[test]
fn a_body_edit_re_renders_only_the_pages_that_show_it() {
    let site = Site::fixture("basic");
    let options = BuildOptions::new(site.path());
    let mut cache = Incremental::default();
    let first = cache.rebuild(&options, &Changes::Everything);
    site.write(
        "content/guides/advanced/api-keys.md",
        &format!(
            "{}\nA new last line.\n",
            site.read("content/guides/advanced/api-keys.md")
        ),
    );
    let changed = BTreeSet::from([site.path().join("content/guides/advanced/api-keys.md")]);
    let second = cache.rebuild(&options, &Changes::Content(changed));
    assert!(second.stats.rendered >= 1);
    assert!(
        second.stats.rendered < first.stats.rendered / 2,
        "{} of {}",
        second.stats.rendered,
        first.stats.rendered
    );
    let unchanged = cache.rebuild(&options, &Changes::Content(BTreeSet::new()));
    assert_eq!(unchanged.stats.rendered, 0);
}

fn messages(output: &helpsite::pipeline::BuildOutput) -> Vec<String> {
    let mut all: Vec<String> = output.diagnostics.iter().map(|d| d.to_string()).collect();
    all.sort();
    all
}

#[test]
fn body_only_saves_render_just_the_article_and_still_equal_clean_builds() {
    let site = Site::fixture("basic");
    let options = BuildOptions::new(site.path());
    let mut cache = Incremental::default();
    cache.rebuild(&options, &Changes::Everything);
    let limits = site.path().join("content/guides/limits.md");
    let api_keys = site.path().join("content/guides/advanced/api-keys.md");
    let save = |cache: &mut Incremental, path: &PathBuf, text: String| {
        std::fs::write(path, text).unwrap();
        cache.rebuild(&options, &Changes::Content(BTreeSet::from([path.clone()])))
    };

    // With a description, the summary other pages show is not the text.
    let text = std::fs::read_to_string(&api_keys)
        .unwrap()
        .replace("date = ", "description = \"密钥\"\ndate = ");
    let out = save(&mut cache, &api_keys, text.clone());
    assert_eq!(files(&out), files(&build(&options)));
    // No English version: the English stand-in shows the same text and is rendered too.
    let out = save(&mut cache, &api_keys, text + "\n\nOne more closing line.\n");
    assert_eq!(out.stats.rendered, 2, "the article and its stand-in");
    assert_eq!(files(&out), files(&build(&options)));

    // Text inside the summary: listings show it, so more than the article changes.
    let original = std::fs::read_to_string(&limits).unwrap();
    let out = save(
        &mut cache,
        &limits,
        original.replace("每天最多五万元", "每天最多九万元"),
    );
    assert!(out.stats.rendered > 1, "{}", out.stats.rendered);
    assert_eq!(files(&out), files(&build(&options)));

    // Text after the summary: only the article.
    let text = std::fs::read_to_string(&limits)
        .unwrap()
        .replace("每笔最多一万元", "每笔最多两万元");
    let out = save(&mut cache, &limits, text);
    assert_eq!(out.stats.rendered, 1);
    assert_eq!(files(&out), files(&build(&options)));

    // A heading another article links to goes away: the same error as a clean build.
    let text = std::fs::read_to_string(&limits)
        .unwrap()
        .replace("## 每日限额", "## 限额");
    let out = save(&mut cache, &limits, text);
    let clean = build(&options);
    assert!(!out.succeeded() && !clean.succeeded());
    assert_eq!(messages(&out), messages(&clean));

    let out = save(&mut cache, &limits, original);
    assert_eq!(files(&out), files(&build(&options)));
}

#[test]
fn cached_rebuilds_equal_clean_builds_after_front_matter_and_structure_edits() {
    let site = Site::fixture("basic");
    let options = BuildOptions::new(site.path());
    let mut cache = Incremental::default();
    cache.rebuild(&options, &Changes::Everything);
    let content = site.path().join("content");
    let withdraw = "content/guides/withdraw.md";
    let limits = "content/guides/limits.md";
    let api_keys = "content/guides/advanced/api-keys.md";
    let edits: Vec<(&str, Edit)> = vec![
        (
            "description",
            Box::new(|| vec![site.set_front(withdraw, "description", "\"新的说明\"")]),
        ),
        (
            "weight reorders the listing and neighbours",
            Box::new(|| vec![site.set_front(withdraw, "weight", "9")]),
        ),
        (
            "date",
            Box::new(|| vec![site.set_front(limits, "date", "2025-03-04")]),
        ),
        (
            "tags",
            Box::new(|| {
                let text = site.read(withdraw);
                let end = text[3..].find("+++").unwrap() + 3;
                let tagged = format!(
                    "{}[taxonomies]\ntags = [\"提现\"]\n{}",
                    &text[..end],
                    &text[end..]
                );
                site.write(withdraw, &tagged);
                vec![content.join("guides/withdraw.md")]
            }),
        ),
        (
            "an article no link names becomes a draft",
            Box::new(|| vec![site.set_front(api_keys, "draft", "true")]),
        ),
        (
            "and is published again",
            Box::new(|| vec![site.set_front(api_keys, "draft", "false")]),
        ),
        (
            "article becomes a draft (links to it now fail, as in a clean build)",
            Box::new(|| vec![site.set_front(limits, "draft", "true")]),
        ),
        (
            "draft published again",
            Box::new(|| vec![site.set_front(limits, "draft", "false")]),
        ),
        (
            "saved through a temporary file, as sed -i and some editors do",
            Box::new(|| {
                let tmp = content.join("guides/sedX1a2b3");
                std::fs::write(&tmp, site.read(withdraw).replace("如何提现", "怎样提现")).unwrap();
                std::fs::rename(&tmp, content.join("guides/withdraw.md")).unwrap();
                vec![tmp, content.join("guides/withdraw.md")]
            }),
        ),
        (
            "renamed article",
            Box::new(|| {
                let to = content.join("guides/cash-out.md");
                std::fs::rename(content.join("guides/withdraw.md"), &to).unwrap();
                vec![content.join("guides/withdraw.md"), to]
            }),
        ),
        (
            "translation added",
            Box::new(|| {
                site.write(
                    "content/guides/advanced/api-keys.en.md",
                    "+++\ntitle = \"API keys\"\n+++\nIn English.\n",
                );
                vec![content.join("guides/advanced/api-keys.en.md")]
            }),
        ),
        (
            "new category with an article",
            Box::new(|| {
                site.write("content/cards/_index.md", "+++\ntitle = \"银行卡\"\n+++\n");
                site.write(
                    "content/cards/bind.md",
                    "+++\ntitle = \"绑卡\"\n+++\n绑定。\n",
                );
                vec![content.join("cards")]
            }),
        ),
        (
            "article added to the new category",
            Box::new(|| {
                site.write(
                    "content/cards/unbind.md",
                    "+++\ntitle = \"解绑\"\n+++\n解除。\n",
                );
                vec![content.join("cards/unbind.md")]
            }),
        ),
        (
            "category removed",
            Box::new(|| {
                std::fs::remove_dir_all(content.join("cards")).unwrap();
                vec![content.join("cards")]
            }),
        ),
    ];
    for (what, edit) in edits {
        let changed: BTreeSet<PathBuf> = edit().into_iter().collect();
        let cached = cache.rebuild(&options, &Changes::Content(changed));
        let clean = build(&options);
        assert_eq!(cached.succeeded(), clean.succeeded(), "after: {what}");
        assert_eq!(messages(&cached), messages(&clean), "after: {what}");
        if clean.succeeded() {
            assert_eq!(files(&cached), files(&clean), "after: {what}");
        }
    }
}

#[test]
fn a_title_edit_re_renders_only_the_pages_that_show_the_article() {
    let site = Site::fixture("basic");
    let options = BuildOptions::new(site.path());
    let mut cache = Incremental::default();
    let first = cache.rebuild(&options, &Changes::Everything);
    let path = site.set_front(
        "content/guides/advanced/api-keys.md",
        "title",
        "\"密钥管理\"",
    );
    let second = cache.rebuild(&options, &Changes::Content(BTreeSet::from([path])));
    assert_eq!(files(&second), files(&build(&options)));
    assert!(second.stats.rendered >= 2, "the article and its listing");
    assert!(
        second.stats.rendered < first.stats.rendered / 2,
        "{} of {}",
        second.stats.rendered,
        first.stats.rendered
    );
}

#[test]
fn an_article_moved_past_many_others_equals_a_clean_build() {
    let site = Site::fixture("basic");
    for n in 0..40 {
        site.write(
            &format!("content/guides/a{n:02}.md"),
            &format!("+++\ntitle = \"第 {n} 篇\"\n+++\n第 {n} 篇的正文，讲提现。\n"),
        );
    }
    let options = BuildOptions::new(site.path());
    let mut cache = Incremental::default();
    cache.rebuild(&options, &Changes::Everything);
    // Every search document between its old and new place changes its number.
    let (from, to) = (
        site.path().join("content/guides/a00.md"),
        site.path().join("content/guides/zz.md"),
    );
    for (from, to) in [(&from, &to), (&to, &from)] {
        std::fs::rename(from, to).unwrap();
        let changed = BTreeSet::from([from.clone(), to.clone()]);
        let cached = cache.rebuild(&options, &Changes::Content(changed));
        assert_eq!(files(&cached), files(&build(&options)));
    }
}

/// A body shown in two languages (an untranslated article and its stand-in, a section
/// borrowing the default language's `_index.md`) is rendered in each: its callout
/// labels are in the language of the page. A rebuild keeps each one's own rendering.
#[test]
fn a_body_shown_in_two_languages_keeps_each_languages_rendering_through_rebuilds() {
    let site = Site::fixture("basic");
    let api_keys = "content/guides/advanced/api-keys.md";
    let text = site.read(api_keys);
    site.write(
        api_keys,
        &format!("{text}\n> [!WARNING]\n> 密钥只显示一次。\n"),
    );
    let index = "content/guides/advanced/_index.md";
    let text = site.read(index);
    site.write(index, &format!("{text}\n> [!TIP]\n> 先读这里。\n"));
    let options = BuildOptions::new(site.path());
    let mut cache = Incremental::default();
    let first = cache.rebuild(&options, &Changes::Everything);
    assert_eq!(files(&first), files(&build(&options)));
    // A new section goes through the whole pipeline, which reuses rendered bodies.
    site.write("content/extra/_index.md", "+++\ntitle = \"额外\"\n+++\n");
    site.write("content/extra/one.md", "+++\ntitle = \"一\"\n+++\n正文\n");
    let changes = Changes::Content(BTreeSet::from([site.path().join("content/extra")]));
    let again = cache.rebuild(&options, &changes);
    assert_eq!(again.stats.shortcut, None);
    assert_eq!(files(&again), files(&build(&options)));
}
