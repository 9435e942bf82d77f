//! RELIABILITY.md, "Output and CLI" (items 37–42): what a build does to the output
//! folder, and how the command line reports and refuses. Driven through the real
//! binary on copies of the `basic` fixture.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{run_in, Run, Site};

type Snapshot = Vec<(PathBuf, Vec<u8>)>;

/// The basic fixture, built once, with a snapshot of its output.
fn built_fixture() -> (Site, Snapshot) {
    let site = Site::fixture("basic");
    site.build().assert_ok();
    let before = site.snapshot("public");
    assert!(!before.is_empty());
    (site, before)
}

#[track_caller]
fn assert_unchanged(now: &Snapshot, before: &Snapshot, what: &str) {
    let names = |s: &Snapshot| s.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(now), names(before), "the files of {what} changed");
    assert!(now == before, "the bytes of {what} changed");
}

#[track_caller]
fn assert_output_unchanged(site: &Site, before: &Snapshot) {
    assert_unchanged(&site.snapshot("public"), before, "public/");
}

/// Names at the top of `dir`, sorted, hidden ones included.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// No staging or swapped-out folder was left beside the output.
#[track_caller]
fn assert_no_leftovers(site: &Site) {
    let left: Vec<String> = entries(site.path())
        .into_iter()
        .filter(|n| n.contains("helpsite"))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

/// Asserts an error whose message contains `message` is reported at exactly `location`.
#[track_caller]
fn assert_error(run: &Run, message: &str, location: &str) {
    let errors = run.errors();
    assert!(
        errors
            .iter()
            .any(|(m, l)| m.contains(message) && l == location),
        "no error containing {message:?} at {location}; errors: {errors:#?}\nstderr:\n{}",
        run.stderr
    );
}

/// Asserts a refusal to write the output (exit 2) for `reason`.
#[track_caller]
fn assert_refused(run: &Run, reason: &str) {
    run.assert_code(2);
    assert!(
        run.stderr.contains("error: refusing to write the site to") && run.stderr.contains(reason),
        "expected a refusal because {reason:?}; stderr:\n{}",
        run.stderr
    );
}

// 37. A failure while rendering the last page leaves the previous output
// byte-for-byte as it was; so does a failure while writing the files.
#[test]
fn reliability_37_failed_render_keeps_previous_output() {
    let (site, before) = built_fixture();
    site.add_page_that_fails_to_render();
    let run = site.build();
    run.assert_code(1);
    assert_error(&run, "nope.missing", "templates/broken.html");
    assert!(run.stderr.contains("content/zz-last.md"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert_output_unchanged(&site, &before);
    assert_no_leftovers(&site);

    // A problem met only while writing (a file where a page needs a folder) is
    // caught before the swap: the previous output stays and no staging is left.
    site.remove("content/zz-last.md");
    site.write("content/guides/withdraw", "a file where a folder goes\n");
    let run = site.build();
    run.assert_code(1);
    assert_output_unchanged(&site, &before);
    assert_no_leftovers(&site);

    // Fixed, the next build replaces the output.
    site.remove("content/guides/withdraw");
    site.write("content/guides/new.md", "+++\ntitle = \"New\"\n+++\n");
    site.build().assert_ok();
    assert!(site.exists("public/guides/new/index.html"));
    assert_no_leftovers(&site);
}

// 38. The output may not be `.`, `content` (or another source folder), the home
// folder, `/`, or a non-empty folder helpsite did not write; `--force` allows only
// the last.
#[test]
fn reliability_38_dangerous_output_folders_are_refused() {
    let site = Site::fixture("basic");
    site.write("afile", "not a folder\n");
    site.write("foreign/notes.txt", "the user's notes\n");
    std::os::unix::fs::symlink(site.path().join("content"), site.path().join("to-content"))
        .unwrap();
    let site_before = site.snapshot(".");
    let absolute = site.path().to_string_lossy().into_owned();

    let cases: &[(&[&str], &str)] = &[
        (&["-o", "."], "it holds the site itself"),
        (&["-o", ".", "--force"], "it holds the site itself"),
        (&["-o", ".."], "it holds the site itself"),
        (&["-o", &absolute], "it holds the site itself"),
        (
            &["-o", "content"],
            "it is inside the site's content/ folder",
        ),
        (
            &["-o", "content", "--force"],
            "it is inside the site's content/ folder",
        ),
        (
            &["-o", "content/guides"],
            "it is inside the site's content/ folder",
        ),
        (
            &["-o", "to-content"],
            "it is inside the site's content/ folder",
        ),
        (
            &["-o", "templates"],
            "it is inside the site's templates/ folder",
        ),
        (
            &["-o", "static/out"],
            "it is inside the site's static/ folder",
        ),
        (
            &["-o", "public/../content"],
            "it is inside the site's content/ folder",
        ),
        (&["-o", "/"], "it is the root of the file system"),
        (&["-o", "afile"], "it is a file, not a folder"),
        (
            &["-o", "foreign"],
            "the folder is not empty and was not written by helpsite",
        ),
    ];
    for (flags, reason) in cases {
        let args: Vec<&str> = std::iter::once("build")
            .chain(flags.iter().copied())
            .collect();
        let run = site.run(&args);
        assert_refused(&run, reason);
    }
    // Run from inside content/ with --root: `.` is still content/.
    let run = run_in(
        &site.path().join("content/guides"),
        &["build", "--root", "../..", "-o", "."],
    );
    assert_refused(&run, "it is inside the site's content/ folder");
    // Nothing of the site, nor of the user's folder, was touched.
    assert_unchanged(&site.snapshot("."), &site_before, "the site folder");
    assert!(!site.exists("public"));

    // output_dir in config.toml is held to the same rules.
    let config = site.read("config.toml");
    for dir in ["content", "."] {
        site.write("config.toml", &format!("output_dir = \"{dir}\"\n{config}"));
        assert_refused(&site.build(), "refusing");
    }
    site.write("config.toml", &config);
    assert_unchanged(&site.snapshot("."), &site_before, "the site folder");

    // With --force a foreign folder is replaced, and marked as helpsite's own.
    site.run(&["build", "-o", "foreign", "--force"]).assert_ok();
    assert!(site.exists("foreign/index.html"));
    assert!(site.exists("foreign/.helpsite-output"));
    assert!(!site.exists("foreign/notes.txt"));
    // From then on it needs no --force.
    site.run(&["build", "-o", "foreign"]).assert_ok();
}

// 38. The home folder is refused, with or without --force.
#[test]
fn reliability_38_home_folder_is_refused() {
    let site = Site::fixture("basic");
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join(".bashrc"), "# the user's\n").unwrap();
    let home_before = common::snapshot(home.path());
    let build_into_home = |extra: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_helpsite"))
            .args(["build", "-o"])
            .arg(home.path())
            .args(extra)
            .current_dir(site.path())
            .env("HOME", home.path())
            .env("NO_COLOR", "1")
            .output()
            .expect("run helpsite");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    };
    assert_refused(&build_into_home(&[]), "it is your home folder");
    assert_refused(&build_into_home(&["--force"]), "it is your home folder");
    assert_unchanged(
        &common::snapshot(home.path()),
        &home_before,
        "the home folder",
    );
    assert_eq!(entries(home.path()), [".bashrc"]);
}

// 39. An article deleted from the sources is gone from the output after the next
// build, with its translations, bundle files and alias pages as the case may be.
#[test]
fn reliability_39_deleted_article_leaves_the_output() {
    let (site, _) = built_fixture();
    for built in [
        "public/billing/fees/index.html",
        "public/en/guides/withdraw/index.html",
        "public/guides/photo-guide/sample.svg",
        "public/en/guides/photo-guide/sample.svg",
        "public/old/withdraw/index.html",
    ] {
        assert!(site.exists(built), "{built} was not built");
    }
    site.remove("content/billing/fees.md");
    // One translation only.
    site.remove("content/guides/withdraw.en.md");
    // A bundle with its image, in both languages.
    std::fs::remove_dir_all(site.path().join("content/guides/photo-guide")).unwrap();
    // An alias dropped from an article that stays.
    let withdraw = site.read("content/guides/withdraw.md");
    site.write(
        "content/guides/withdraw.md",
        &withdraw.replace("aliases = [\"/old/withdraw/\"]\n", ""),
    );
    site.build().assert_ok();

    assert!(!site.exists("public/billing/fees"));
    assert!(site.exists("public/billing/index.html"));
    // English readers now get the Chinese original under a "not yet translated" notice.
    let stand_in = site.read("public/en/guides/withdraw/index.html");
    assert!(stand_in.contains("untranslated-notice"), "{stand_in}");
    assert!(!stand_in.contains("How to withdraw"), "{stand_in}");
    assert!(site.exists("public/guides/withdraw/index.html"));
    assert!(!site.exists("public/guides/photo-guide"));
    assert!(!site.exists("public/en/guides/photo-guide"));
    assert!(!site.exists("public/old"));
    let sitemap = site.read("public/sitemap.xml");
    assert!(!sitemap.contains("/fees/"), "{sitemap}");
    assert!(!sitemap.contains("photo-guide"), "{sitemap}");
    assert_no_leftovers(&site);
}

// 40. The same input builds to byte-identical output, run after run and in
// whichever folder it is written to.
#[test]
fn reliability_40_builds_are_reproducible() {
    let site = Site::fixture("basic");
    site.build().assert_ok();
    let first = site.snapshot("public");
    site.build().assert_ok();
    assert_unchanged(&site.snapshot("public"), &first, "a second build");

    site.run(&["build", "-o", "out-a"]).assert_ok();
    site.run(&["build", "-o", "out-b"]).assert_ok();
    assert_unchanged(&site.snapshot("out-a"), &first, "out-a");
    assert_unchanged(&site.snapshot("out-b"), &first, "out-b");

    // A fresh copy of the same sources, in another place, builds the same bytes.
    let other = Site::fixture("basic");
    other.build().assert_ok();
    assert_unchanged(&other.snapshot("public"), &first, "another copy's output");
}

// 41. Ten broken files (one with two errors) are all reported in one run, sorted
// by file and line, whatever stage found them.
#[test]
fn reliability_41_ten_bad_files_all_reported_sorted() {
    let (site, before) = built_fixture();
    let bad: [(&str, &[u8]); 10] = [
        ("content/billing/b01.md", b"Just text.\n"),
        ("content/billing/b02.md", b"+++\ntitle = \"x\"\n"),
        ("content/billing/b03.md", b"+++\ntitle = \"x\"\nweight = = 3\n+++\n"),
        ("content/billing/b04.md", b"+++\ntitle = \"x\"\n\nwieght = 3\n+++\n"),
        ("content/billing/b05.md", b"+++\ntitle = \"x\"\nweight = \"x\"\n+++\n"),
        ("content/guides/g06.md", b"+++\ntitle = \"x\"\n+++\n\nok\n\xff\n"),
        ("content/guides/g07.md", b"+++\ntitle = \"x\"\ndate = \"yesterday\"\n+++\n"),
        // Two errors found by different stages, the later stage's on the earlier
        // line, and lines 9 and 10 (which sort wrongly as text).
        (
            "content/guides/g08.md",
            b"+++\ntitle = \"x\"\n+++\n\n\n\n\n\nSee [l](@/guides/limits.md#nope).\nSee [x](@/nope.md).\n",
        ),
        ("content/guides/g09.md", b"+++\ntitle = \"x\"\nslug = \"../up\"\n+++\n"),
        ("content/guides/g10.md", b"+++\ndescription = \"no title\"\n+++\n"),
    ];
    for (file, bytes) in &bad {
        site.write_bytes(file, bytes);
    }
    // (location, part of the message), in the order they must be printed.
    let expected = [
        ("content/billing/b01.md:1:1", "missing front matter"),
        ("content/billing/b02.md:1:1", "front matter is never closed"),
        ("content/billing/b03.md:3:10", "expected"),
        ("content/billing/b04.md:4:1", "unknown key `wieght`"),
        ("content/billing/b05.md:3:10", "expected a whole number"),
        ("content/guides/g06.md:6:1", "file is not valid UTF-8"),
        ("content/guides/g07.md:3:8", "`date` must be a date"),
        (
            "content/guides/g08.md:9:5",
            "link to a heading that does not exist",
        ),
        (
            "content/guides/g08.md:10:5",
            "link to a page that does not exist",
        ),
        (
            "content/guides/g09.md:3:8",
            "is not a single safe path segment",
        ),
        ("content/guides/g10.md:2:1", "article has no `title`"),
    ];

    let run = site.build();
    run.assert_code(1);
    let errors = run.errors();
    let locations: Vec<&str> = errors.iter().map(|(_, l)| l.as_str()).collect();
    let want: Vec<&str> = expected.iter().map(|(l, _)| *l).collect();
    assert_eq!(locations, want, "stderr:\n{}", run.stderr);
    for ((message, location), (_, part)) in errors.iter().zip(&expected) {
        assert!(
            message.contains(part),
            "{location}: {message:?} lacks {part:?}"
        );
    }
    let error_lines = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .count();
    assert_eq!(
        error_lines, 12,
        "eleven errors and the summary:\n{}",
        run.stderr
    );
    assert!(
        run.stderr
            .trim_end()
            .ends_with("error: failed with 11 errors; nothing was written"),
        "{}",
        run.stderr
    );
    assert_output_unchanged(&site, &before);
}

// 42. `init` refuses a non-empty folder unless --force (and then keeps what is
// there); a freshly initialised site passes `build` and `check`.
#[test]
fn reliability_42_init_refuses_non_empty_and_fresh_site_builds() {
    let work = Site::empty();
    work.write("mine/config.toml", "# the user's own\n");
    let run = work.run(&["init", "mine"]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("the folder is not empty"),
        "{}",
        run.stderr
    );
    assert_eq!(entries(&work.path().join("mine")), ["config.toml"]);

    let run = work.run(&["init", "mine", "--force"]);
    run.assert_ok();
    assert_eq!(work.read("mine/config.toml"), "# the user's own\n");
    assert!(work.exists("mine/content/_index.md"));

    // A fresh init, used from outside (--root) and from inside (as cwd).
    work.run(&["init", "fresh"]).assert_ok();
    work.run(&["build", "--root", "fresh"]).assert_ok();
    assert!(work.exists("fresh/public/index.html"));
    work.run(&["check", "--root", "fresh"]).assert_ok();
    let fresh = work.path().join("fresh");
    run_in(&fresh, &["check"]).assert_ok();
    run_in(&fresh, &["build"]).assert_ok();

    // Into the current folder, when it is empty.
    std::fs::create_dir(work.path().join("here")).unwrap();
    let here = work.path().join("here");
    run_in(&here, &["init"]).assert_ok();
    run_in(&here, &["build"]).assert_ok();
    run_in(&here, &["check"]).assert_ok();
}

// Usage errors (an unknown flag or command, a missing value) exit 2; help exits 0.
#[test]
fn reliability_cli_usage_errors_exit_2() {
    let site = Site::fixture("basic");
    for args in [
        &["build", "--no-such-flag"][..],
        &["frobnicate"],
        &["build", "-o"],
        &["check", "--root"],
        &[],
    ] {
        let run = site.run(args);
        run.assert_code(2);
        assert!(run.stderr.contains("--help"), "{args:?}: {}", run.stderr);
    }
    assert!(!site.exists("public"));
    site.run(&["--help"]).assert_ok();
    site.run(&["build", "--help"]).assert_ok();
}

// A --base-url given on the command line is checked like base_url in config.toml:
// a value that is not a URL is a usage error and nothing is written.
#[test]
fn reliability_cli_invalid_base_url_is_a_usage_error() {
    let site = Site::fixture("basic");
    for bad in [
        "not a url",
        "ftp://example.com/",
        "https://example.com/a b/",
    ] {
        let run = site.run(&["build", "--base-url", bad]);
        run.assert_code(2);
        assert!(run.stderr.contains(bad), "{bad}: {}", run.stderr);
        assert!(!site.exists("public"), "{bad}: the site was written");
    }
}
