//! Saves of a section's `_index.md` that change what it shows (`incremental::
//! section_edit`): the sections are patched in place, every page is checked again,
//! those open in the preview first (`incremental::deferred`), and the files still
//! equal a clean build's, search index included.

use crate::common;

use std::collections::HashSet;

use common::saves::{files, patched_steps, save, Step};
use common::serve::{wait_until, Server};
use common::Site;
use helpsite::incremental::Incremental;
use helpsite::pipeline::{build, BuildOptions, BuildOutput, Changes};

const PATCHED: Option<&str> = Some("section");

fn file_text(output: &BuildOutput, path: &str) -> String {
    let (_, bytes) = (files(output).into_iter())
        .find(|(p, _)| p == path)
        .unwrap_or_else(|| panic!("no {path}"));
    String::from_utf8(bytes).unwrap()
}

/// `text` with the line starting with `key =` set to `key = value` (or added first).
fn front_line(text: &str, key: &str, value: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let line = format!("{key} = {value}");
    match lines
        .iter()
        .position(|l| l.starts_with(&format!("{key} =")))
    {
        Some(at) => lines[at] = line,
        None => lines.insert(1, line),
    }
    lines.join("\n") + "\n"
}

/// The basic fixture with two subsections ordered by title alone, served.
fn served_site() -> (Site, BuildOptions, Incremental) {
    let site = Site::fixture("basic");
    for (dir, title) in [("alpha", "Alpha"), ("omega", "Omega")] {
        site.write(
            &format!("content/guides/{dir}/_index.md"),
            &format!("+++\ntitle = \"{title}\"\n+++\n"),
        );
        site.write(
            &format!("content/guides/{dir}/first.md"),
            &format!("+++\ntitle = \"{title} first\"\n+++\nText of {title}.\n"),
        );
    }
    let options = BuildOptions::new(site.path());
    let mut cache = Incremental::default();
    assert!(cache.rebuild(&options, &Changes::Everything).succeeded());
    (site, options, cache)
}

#[test]
fn section_saves_are_patched_in_place_and_equal_clean_builds() {
    let (site, options, mut cache) = served_site();
    let at = |rel: &str| site.path().join(rel);
    let edit = |rel: &str, key: &str, value: &str| {
        site.write(rel, &front_line(&site.read(rel), key, value));
        vec![at(rel)]
    };
    let steps: Vec<Step> = vec![
        (
            "a title the English site borrows",
            Box::new(|| edit("content/billing/_index.md", "title", "\"账单与发票\"")),
        ),
        (
            "a description",
            Box::new(|| edit("content/guides/_index.md", "description", "\"从这里开始\"")),
        ),
        (
            "a translation's own title",
            Box::new(|| edit("content/guides/_index.en.md", "title", "\"How-to guides\"")),
        ),
        (
            "a title that puts the section after its sibling",
            Box::new(|| edit("content/guides/alpha/_index.md", "title", "\"Zulu\"")),
        ),
        (
            "an icon and extra values",
            Box::new(|| {
                let rel = "content/billing/_index.md";
                let text = front_line(&site.read(rel), "icon", "\"wallet\"");
                let end = text.rfind("+++").unwrap();
                let extra = "[extra]\nbadge = \"new\"\n";
                site.write(rel, &format!("{}{extra}{}", &text[..end], &text[end..]));
                vec![at(rel)]
            }),
        ),
        (
            "the home page's text, saved through a temporary file",
            Box::new(|| {
                let rel = "content/_index.md";
                let text = site
                    .read(rel)
                    .replace("欢迎来到帮助中心。", "欢迎！请先搜索。");
                site.write(rel, &text);
                // An editor wrote the temporary file, renamed it over the page and
                // it is gone by the time the save is seen.
                vec![at(rel), at("content/.#_index.md.tmp")]
            }),
        ),
    ];
    let nothing_pending = |what: &str, output: &BuildOutput| {
        assert!(
            output.pending.is_empty(),
            "{what}: nothing asked to come first"
        );
    };
    patched_steps((&mut cache, &options), steps, PATCHED, nothing_pending);
    let guides = file_text(&build(&options), "guides/index.html");
    let (zulu, omega) = (guides.find("Zulu").unwrap(), guides.find("Omega").unwrap());
    assert!(omega < zulu, "the retitled section moved after its sibling");
}

#[test]
fn section_saves_the_pipeline_must_place_go_through_it_and_equal_clean_builds() {
    let (site, options, mut cache) = served_site();
    let at = |rel: &str| site.path().join(rel);
    let steps: [(&str, &str, Option<&str>); 3] = [
        ("a new weight", "weight", Some("9")),
        ("a new sort order", "sort_by", Some("\"title\"")),
        ("a title taken out", "title", None),
    ];
    for (what, key, value) in steps {
        let rel = "content/guides/_index.md";
        let text = match value {
            Some(value) => front_line(&site.read(rel), key, value),
            None => (site.read(rel).lines())
                .filter(|l| !l.starts_with(&format!("{key} =")))
                .map(|l| format!("{l}\n"))
                .collect(),
        };
        site.write(rel, &text);
        let output = save(&mut cache, &options, &[at(rel)]);
        assert_ne!(output.stats.shortcut, PATCHED, "{what}");
        assert_eq!(files(&output), files(&build(&options)), "after: {what}");
    }
}

/// The basic fixture with `count` more articles in `guides`, enough for some to wait.
fn large_site(count: usize) -> Site {
    let site = Site::fixture("basic");
    for n in 0..count {
        site.write(
            &format!("content/guides/many-{n:03}.md"),
            &format!("+++\ntitle = \"Question {n}\"\n+++\nAnswer number {n}.\n"),
        );
    }
    site
}

/// An article asked for first, and one that may wait, in `served_large_site`.
const OPEN: &str = "guides/many-007/index.html";
const WAITING: &str = "guides/many-200/index.html";

/// `large_site(300)` built and served, with `OPEN` asked for first.
fn served_large_site() -> (Site, BuildOptions, Incremental) {
    let site = large_site(300);
    let options = BuildOptions::new(site.path());
    let mut cache = Incremental::default();
    assert!(cache.rebuild(&options, &Changes::Everything).succeeded());
    cache.render_first(HashSet::from([OPEN.to_string()]));
    (site, options, cache)
}

#[test]
fn open_pages_are_rendered_first_and_the_rest_follow() {
    let (site, options, mut cache) = served_large_site();
    let (open, waiting) = (OPEN, WAITING);
    let before_waiting = file_text(&build(&options), waiting);

    let rel = "content/guides/_index.md";
    site.write(rel, &front_line(&site.read(rel), "title", "\"操作手册\""));
    let output = save(&mut cache, &options, &[site.path().join(rel)]);
    assert_eq!(output.stats.shortcut, PATCHED, "{:?}", output.diagnostics);
    let pending: HashSet<&str> = output.pending.iter().map(String::as_str).collect();
    assert!(
        !pending.contains(open) && pending.contains(waiting),
        "{pending:?}"
    );
    assert!(file_text(&output, open).contains("操作手册"));
    assert_eq!(
        file_text(&output, waiting),
        before_waiting,
        "still the last build's"
    );
    assert!(file_text(&output, "guides/index.html").contains("操作手册"));

    let whole = cache
        .finish(&options, &|| false)
        .expect("pages were left to render");
    assert!(whole.pending.is_empty());
    assert_eq!(files(&whole), files(&build(&options)));
    assert!(
        cache.finish(&options, &|| false).is_none(),
        "nothing is left after that"
    );

    // A second section save before `finish` takes the pages left over with its own:
    // its text alone changed, so only those are pending.
    site.write(rel, &front_line(&site.read(rel), "title", "\"指南\""));
    let first = save(&mut cache, &options, &[site.path().join(rel)]);
    assert!(first.pending.iter().any(|p| p == waiting));
    site.write(rel, &format!("{}\n更多内容。\n", site.read(rel)));
    let second = save(&mut cache, &options, &[site.path().join(rel)]);
    assert_eq!(second.stats.shortcut, PATCHED);
    assert_eq!(second.pending, first.pending);
    let whole = cache
        .finish(&options, &|| false)
        .expect("pages were left to render");
    assert_eq!(files(&whole), files(&build(&options)));

    // An article save before `finish` renders its own pages and leaves those pending.
    site.write(rel, &front_line(&site.read(rel), "title", "\"手册\""));
    let retitled = save(&mut cache, &options, &[site.path().join(rel)]);
    let article = "content/guides/many-100.md";
    site.write(
        article,
        &site.read(article).replace("Answer number", "The answer is"),
    );
    let output = save(&mut cache, &options, &[site.path().join(article)]);
    assert_eq!(output.stats.shortcut, Some("in place"));
    assert_eq!(output.pending, retitled.pending);
    assert!(file_text(&output, "guides/many-100/index.html").contains("The answer is"));
    assert!(
        !file_text(&output, waiting).contains("手册"),
        "still pending"
    );
    let whole = cache
        .finish(&options, &|| false)
        .expect("pages were left to render");
    assert_eq!(files(&whole), files(&build(&options)));
}

#[test]
fn the_preview_never_serves_a_page_before_it_is_rendered_again() {
    let site = large_site(300);
    let server = Server::start(site.path(), &[]);
    let base = server.base_path();
    // The section's page is open; the article asked for below is not.
    let open = format!("{base}guides/");
    assert!(server.get(&open).text().contains("使用指南"));
    let seen = server.events_so_far();
    let rel = "content/guides/_index.md";
    site.write(rel, &front_line(&site.read(rel), "title", "\"操作手册\""));
    wait_until(
        || server.get(&open).text().contains("操作手册"),
        "the open page to show the new title",
        &server,
    );
    // Asked for at once: it waits for the rest of the pages, and is never stale.
    let article = server.get(&format!("{base}guides/many-250/"));
    assert_eq!(article.status, 200);
    assert!(
        article.text().contains("操作手册"),
        "a stale page was served:\n{}",
        server.log()
    );
    server.wait_for_rebuild(seen);
    let log = server.log();
    assert!(log.contains("(section)"), "{log}");
    assert!(log.contains("more re-rendered"), "{log}");
}

#[test]
fn a_new_or_removed_category_renders_the_open_pages_first_too() {
    let (site, options, mut cache) = served_large_site();
    let (open, waiting) = (OPEN, WAITING);

    // A new folder goes through the pipeline, which makes its section.
    site.write("content/news/_index.md", "+++\ntitle = \"最新动态\"\n+++\n");
    site.write(
        "content/news/first.md",
        "+++\ntitle = \"新版本\"\n+++\n内容。\n",
    );
    let folder = site.path().join("content/news");
    let output = save(&mut cache, &options, std::slice::from_ref(&folder));
    assert_eq!(output.stats.shortcut, None, "{:?}", output.diagnostics);
    assert!(file_text(&output, open).contains("最新动态"));
    assert!(file_text(&output, "index.html").contains("最新动态"));
    assert!(!file_text(&output, waiting).contains("最新动态"));
    assert!(output.pending.iter().any(|p| p == waiting));
    let whole = cache
        .finish(&options, &|| false)
        .expect("pages were left to render");
    assert_eq!(files(&whole), files(&build(&options)));

    // The folder deleted: its section goes from every page.
    std::fs::remove_dir_all(&folder).unwrap();
    let output = save(&mut cache, &options, std::slice::from_ref(&folder));
    assert!(!file_text(&output, open).contains("最新动态"));
    assert!(
        file_text(&output, waiting).contains("最新动态"),
        "still the last build's"
    );
    let whole = cache
        .finish(&options, &|| false)
        .expect("pages were left to render");
    assert_eq!(files(&whole), files(&build(&options)));
}
