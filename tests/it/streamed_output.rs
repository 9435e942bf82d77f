//! `helpsite build` writes each page into the staging folder as soon as it is rendered
//! (issue 17, point 4); `serve` and the library's `build` keep the files in memory.
//! Both must give the same site, byte for byte, and a build that fails after pages
//! were written must still leave the previous output as it was.

use crate::common;

use std::path::PathBuf;

use common::Site;
use helpsite::pipeline::{build, BuildOptions};

/// What `helpsite build` wrote to `public/`, without the folder's marker file.
fn written(site: &Site) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = site.snapshot("public");
    files.retain(|(path, _)| path != &PathBuf::from(".helpsite-output"));
    files
}

/// What the in-memory build gives for the same site, sorted by path.
fn in_memory(site: &Site) -> Vec<(PathBuf, Vec<u8>)> {
    built_with(&BuildOptions::new(site.path()))
}

/// What the in-memory build gives with `options`, sorted by path.
fn built_with(options: &BuildOptions) -> Vec<(PathBuf, Vec<u8>)> {
    let output = build(options);
    assert!(output.succeeded(), "{:?}", output.diagnostics);
    let mut files: Vec<_> = common::built_files(&output)
        .into_iter()
        .map(|(path, bytes)| (PathBuf::from(path), bytes))
        .collect();
    files.sort();
    files
}

#[track_caller]
fn assert_same_files(streamed: &[(PathBuf, Vec<u8>)], memory: &[(PathBuf, Vec<u8>)]) {
    let names =
        |files: &[(PathBuf, Vec<u8>)]| files.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(streamed), names(memory), "the files differ");
    for ((path, a), (_, b)) in streamed.iter().zip(memory) {
        assert!(
            a == b,
            "{} differs between the streamed and the in-memory build",
            path.display()
        );
    }
}

#[test]
fn streamed_build_equals_the_in_memory_build() {
    for fixture in ["basic", "site-features", "writing", "search"] {
        for setting in [None, Some("relative_links = true")] {
            let site = Site::fixture_with(fixture, setting);
            site.build().assert_ok();
            let streamed = written(&site);
            assert!(streamed.len() > 5, "{fixture}: too few files written");
            assert_same_files(&streamed, &in_memory(&site));
        }
    }
}

#[test]
fn bodies_read_again_when_rendered_give_the_site_of_bodies_held() {
    for fixture in ["basic", "site-features", "writing", "search"] {
        let site = Site::fixture(fixture);
        let mut options = BuildOptions::new(site.path());
        // Nothing held: every article's body is read again from its file, as past
        // the limit on a large site.
        options.bodies_held_bytes = 0;
        assert_same_files(&built_with(&options), &in_memory(&site));
    }
}

// A template error on a page rendered after others were already written into the
// staging folder, with links made relative on the way: the staging folder goes,
// the previous output stays byte for byte.
#[test]
fn failed_streamed_build_keeps_the_previous_output() {
    let site = Site::fixture_with("basic", Some("relative_links = true"));
    site.build().assert_ok();
    let before = site.snapshot("public");
    site.add_page_that_fails_to_render();
    let run = site.build();
    run.assert_code(1);
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert!(site.snapshot("public") == before, "public/ changed");
    let left: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("helpsite"))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

// The first build of a site into a folder whose parents do not exist yet fails:
// nothing is left, not even the parents made for the staging folder.
#[test]
fn failed_first_build_leaves_no_folders() {
    let site = Site::fixture("basic");
    site.write(
        "content/broken.md",
        "+++\ntitle = \"Broken\"\ntemplate = \"nope.html\"\n+++\n",
    );
    let run = site.run(&["build", "--output", "out/deep/public"]);
    run.assert_code(1);
    assert!(!site.exists("out"), "the parents of the output were left");
}
