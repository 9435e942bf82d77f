//! RELIABILITY.md, "Content" (items 21–36): what broken, odd or hostile sources do
//! to a real build of the `basic` fixture. Item 34 (search) is tested with the search.
//!
//! Every failure test builds the site once first, so it can also check that the
//! failed build left the previous `public/` byte-for-byte as it was.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{attrs, first_text, select, text_of, Run, Site};

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
fn assert_output_unchanged(site: &Site, before: &Snapshot) {
    let after = site.snapshot("public");
    let names = |s: &Snapshot| s.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(&after), names(before), "the files of public/ changed");
    assert!(after == *before, "the bytes of public/ changed");
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

/// Asserts the hint printed right after the error at `location`.
#[track_caller]
fn assert_hint(run: &Run, location: &str, hint: &str) {
    // The hint closes the diagnostic's block, after the source line and its caret.
    let lines: Vec<&str> = run.stderr.lines().collect();
    let found = lines.iter().enumerate().any(|(i, line)| {
        line.trim() == format!("--> {location}")
            && lines[i + 1..]
                .iter()
                .take_while(|l| !l.trim().is_empty())
                .any(|l| l.trim() == format!("= hint: {hint}"))
    });
    assert!(
        found,
        "no hint {hint:?} after {location}; stderr:\n{}",
        run.stderr
    );
}

/// Runs the binary in `dir`, killing it if it has not finished within `limit`.
/// Returns `None` when it had to be killed.
fn run_with_deadline(dir: &Path, args: &[&str], limit: Duration) -> Option<Run> {
    use std::io::Read;
    let mut child = Command::new(env!("CARGO_BIN_EXE_helpsite"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run helpsite");
    // Drain the pipes on their own threads so a chatty child cannot block on them.
    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut stderr = child.stderr.take().expect("piped stderr");
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for helpsite") {
            break Some(status);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    status.map(|status| Run {
        code: status.code().unwrap_or(-1),
        stdout,
        stderr,
    })
}

// 21. A file without front matter, or whose front matter never ends, is an error
// naming the file; the previous output stays.
#[test]
fn reliability_21_missing_or_unterminated_front_matter_names_the_file() {
    let (site, before) = built_fixture();
    site.write(
        "content/guides/no-front-matter.md",
        "# Just a heading\n\nText.\n",
    );
    site.write(
        "content/guides/unclosed.md",
        "+++\ntitle = \"Unclosed\"\n\nBody.\n",
    );
    site.write("content/guides/yaml.md", "---\ntitle: YAML\n---\n\nBody.\n");
    let run = site.build();
    run.assert_code(1);
    assert_error(
        &run,
        "missing front matter",
        "content/guides/no-front-matter.md:1:1",
    );
    assert_error(
        &run,
        "front matter is never closed",
        "content/guides/unclosed.md:1:1",
    );
    // A YAML block is front matter too (issue 14): no error for it.
    assert!(
        !run.stderr.contains("content/guides/yaml.md"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("error: failed with 2 errors"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert_output_unchanged(&site, &before);
}

// 22. A TOML error is reported at its line and column in the .md file, counting the
// opening `+++` line, not at its place inside the front-matter snippet.
#[test]
fn reliability_22_toml_error_points_into_md_file() {
    let (site, before) = built_fixture();
    // Line 4, column 28: the end of the line where the closing quote is missing.
    site.write(
        "content/guides/unterminated-string.md",
        "+++\ntitle = \"x\"\ndate = 2024-01-01\ndescription = \"never closed\n+++\n\nBody.\n",
    );
    // Line 7, after a multi-line array: the mapping must count every line.
    site.write(
        "content/guides/after-array.md",
        "+++\ntitle = \"x\"\naliases = [\n  \"/a/\",\n  \"/b/\",\n]\nweight = tru\n+++\n",
    );
    // Line 5, column 7: an unquoted value inside a table.
    site.write(
        "content/billing/in-table.md",
        "+++\ntitle = \"x\"\ndate = 2024-01-01\n[extra]\nkey = value\n+++\n",
    );
    // Columns count characters, not bytes: `e` of `extra` is the 16th character.
    site.write(
        "content/guides/wide.md",
        "+++\ntitle = \"提现说明\" extra\n+++\n",
    );
    let run = site.build();
    run.assert_code(1);
    assert_error(
        &run,
        "invalid basic string",
        "content/guides/unterminated-string.md:4:28",
    );
    assert_error(
        &run,
        "invalid boolean",
        "content/guides/after-array.md:7:10",
    );
    assert_error(
        &run,
        "string values must be quoted",
        "content/billing/in-table.md:5:7",
    );
    assert_error(&run, "expected newline", "content/guides/wide.md:2:16");
    assert_eq!(run.errors().len(), 4, "{}", run.stderr);
    assert_output_unchanged(&site, &before);

    // The same holds for config.toml, whose lines are counted from its first line.
    let (site, before) = built_fixture();
    let config = site.read("config.toml");
    site.write(
        "config.toml",
        &config.replace("title = \"Fixture Help\"", "title = \"Fixture Help"),
    );
    let run = site.build();
    run.assert_code(1);
    assert_error(&run, "invalid basic string", "config.toml:2:22");
    assert_output_unchanged(&site, &before);
}

// 23. An unknown key gets a "did you mean" hint; a value of the wrong type is
// reported at its file:line:col.
#[test]
fn reliability_23_unknown_key_hint_and_wrong_type_location() {
    let (site, before) = built_fixture();
    site.write(
        "content/guides/typo.md",
        "+++\ntitle = \"Typo\"\nwieght = 3\n+++\n\nBody.\n",
    );
    site.write(
        "content/guides/wrong-type.md",
        "+++\ntitle = \"Wrong\"\ndate = 2024-01-01\nweight = \"x\"\n+++\n\nBody.\n",
    );
    site.write(
        "content/guides/bad-draft.md",
        "+++\ntitle = \"Draft\"\ndraft = \"yes\"\n+++\n",
    );
    // Sections have their own keys and get the same treatment.
    site.write(
        "content/billing/_index.md",
        "+++\ntitle = \"账单\"\nsort_bye = \"title\"\n+++\n",
    );
    site.write(
        "content/guides/advanced/_index.md",
        "+++\ntitle = \"进阶\"\nsort_by = \"size\"\n+++\n",
    );
    let run = site.build();
    run.assert_code(1);
    assert_error(&run, "unknown key `wieght`", "content/guides/typo.md:3:1");
    assert_hint(&run, "content/guides/typo.md:3:1", "did you mean `weight`?");
    assert_error(
        &run,
        "expected a whole number, found the text \"x\"",
        "content/guides/wrong-type.md:4:10",
    );
    assert_error(
        &run,
        "expected true or false",
        "content/guides/bad-draft.md:3:9",
    );
    assert_error(
        &run,
        "unknown key `sort_bye`",
        "content/billing/_index.md:3:1",
    );
    assert_hint(
        &run,
        "content/billing/_index.md:3:1",
        "did you mean `sort_by`?",
    );
    assert_error(
        &run,
        "`size` is not a value this key takes; write one of `weight`, `title`, `title_bytes`, `date`, `update_date`, `slug`, `none`",
        "content/guides/advanced/_index.md:3:11",
    );
    assert_output_unchanged(&site, &before);
}

// 24. Invalid UTF-8 (in the text or in a file name) is an error naming the file,
// and the other files of the run are still checked.
#[test]
fn reliability_24_invalid_utf8_names_the_file_and_others_are_checked() {
    use std::os::unix::ffi::OsStrExt;

    let (site, before) = built_fixture();
    site.write_bytes(
        "content/guides/latin1.md",
        b"+++\ntitle = \"Caf\xe9\"\n+++\n\nBody.\n",
    );
    site.write_bytes(
        "content/guides/late-byte.md",
        b"+++\ntitle = \"ok\"\n+++\n\nFine.\n\nBroken \xff here.\n",
    );
    // Another, unrelated broken file in the same run.
    site.write("content/billing/no-front-matter.md", "Body only.\n");
    // A file name that is not UTF-8.
    let bad_name = site
        .path()
        .join("content/guides")
        .join(std::ffi::OsStr::from_bytes(b"bad\xffname.md"));
    std::fs::write(&bad_name, "+++\ntitle = \"x\"\n+++\n").unwrap();
    // A template override saved in Latin-1.
    site.write_bytes("templates/page.html", b"<p>caf\xe9</p>\n");

    let run = site.build();
    run.assert_code(1);
    assert_error(
        &run,
        "file is not valid UTF-8",
        "content/guides/latin1.md:2:1",
    );
    assert_error(
        &run,
        "file is not valid UTF-8",
        "content/guides/late-byte.md:7:1",
    );
    assert_hint(
        &run,
        "content/guides/latin1.md:2:1",
        "save the file with UTF-8 encoding",
    );
    assert_error(
        &run,
        "missing front matter",
        "content/billing/no-front-matter.md:1:1",
    );
    let name_error = run
        .errors()
        .into_iter()
        .find(|(m, _)| m.contains("file name is not valid UTF-8"))
        .unwrap_or_else(|| panic!("no error for the file name; stderr:\n{}", run.stderr));
    assert!(
        name_error.1.starts_with("content/guides/bad") && name_error.1.ends_with("name.md"),
        "{name_error:?}"
    );
    assert_error(&run, "template is not valid UTF-8", "templates/page.html");
    assert!(
        run.stderr.contains("failed with 5 errors"),
        "{}",
        run.stderr
    );
    assert_output_unchanged(&site, &before);

    // config.toml too; nothing else can be checked without it.
    let (site, before) = built_fixture();
    let config = site.read("config.toml");
    assert!(config.ends_with('\n'));
    // The bad byte sits on the third line after the existing text.
    let line = config.matches('\n').count() + 3;
    let mut bytes = config.into_bytes();
    bytes.extend_from_slice(b"\n[extra]\nnote = \"caf\xe9\"\n");
    site.write_bytes("config.toml", &bytes);
    let run = site.build();
    run.assert_code(1);
    assert_error(
        &run,
        "file is not valid UTF-8",
        &format!("config.toml:{line}:1"),
    );
    assert_output_unchanged(&site, &before);
}

/// `text` with a byte-order mark and CRLF line endings.
fn bom_crlf(text: &str) -> Vec<u8> {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(text.replace('\n', "\r\n").as_bytes());
    bytes
}

// 25. A UTF-8 BOM is skipped and CRLF files build byte-for-byte like LF files;
// error locations in them are the same too.
#[test]
fn reliability_25_bom_and_crlf_build_like_lf() {
    let lf = Site::fixture("basic");
    lf.build().assert_ok();

    let crlf = Site::fixture("basic");
    let sources: Vec<PathBuf> = walkdir::WalkDir::new(crlf.path())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_type().is_file()
                && matches!(
                    e.path().extension().and_then(|x| x.to_str()),
                    Some("md" | "toml")
                )
        })
        .map(|e| e.path().to_path_buf())
        .collect();
    assert!(sources.len() > 10, "{sources:?}");
    for path in &sources {
        let text = std::fs::read_to_string(path).unwrap();
        std::fs::write(path, bom_crlf(&text)).unwrap();
    }
    let withdraw = crlf.path().join("content/guides/withdraw.md");
    assert!(std::fs::read(&withdraw)
        .unwrap()
        .starts_with(b"\xEF\xBB\xBF+++\r\n"));
    crlf.build().assert_ok();

    // The page with a table, lists, a footnote and an internal link.
    assert_eq!(
        crlf.read("public/guides/withdraw/index.html"),
        lf.read("public/guides/withdraw/index.html")
    );
    assert!(
        crlf.snapshot("public") == lf.snapshot("public"),
        "outputs differ"
    );

    // An error in a BOM + CRLF file points at the same line and column as in LF.
    let broken = "+++\ntitle = \"x\"\ndate = 2024-01-01\nweight = \"x\"\n+++\n";
    lf.write("content/guides/broken.md", broken);
    crlf.write_bytes("content/guides/broken.md", &bom_crlf(broken));
    for site in [&lf, &crlf] {
        let run = site.build();
        run.assert_code(1);
        assert_error(
            &run,
            "expected a whole number",
            "content/guides/broken.md:4:10",
        );
    }
}

// 26. An empty file is a clear error; front matter without a body is a valid page;
// empty front matter says the title is missing. Never a panic.
#[test]
fn reliability_26_empty_file_and_front_matter_only() {
    let (site, before) = built_fixture();
    site.write("content/guides/empty.md", "");
    site.write("content/guides/blank-lines.md", "\n\n\n");
    site.write("content/guides/no-keys.md", "+++\n+++\n");
    let run = site.build();
    run.assert_code(1);
    assert_error(&run, "missing front matter", "content/guides/empty.md:1:1");
    assert_error(
        &run,
        "missing front matter",
        "content/guides/blank-lines.md:1:1",
    );
    assert_error(
        &run,
        "article has no `title`",
        "content/guides/no-keys.md:2:1",
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_output_unchanged(&site, &before);

    // Front matter only, with and without a final newline, builds.
    site.remove("content/guides/empty.md");
    site.remove("content/guides/blank-lines.md");
    site.remove("content/guides/no-keys.md");
    site.write("content/guides/fm-only.md", "+++\ntitle = \"x\"\n+++\n");
    site.write("content/guides/fm-no-newline.md", "+++\ntitle = \"y\"\n+++");
    site.build().assert_ok();
    let page = site.html("public/guides/fm-only/index.html");
    assert_eq!(first_text(&page, "article h1"), "x");
    let page = site.html("public/guides/fm-no-newline/index.html");
    assert_eq!(first_text(&page, "article h1"), "y");
}

/// The error reported at `file` about a collision, which must name every one of `all`.
#[track_caller]
fn assert_collision(run: &Run, file: &str, all: &[&str]) {
    let errors = run.errors();
    let found = errors.iter().find(|(m, l)| {
        l == file
            && m.contains("sources write the same output")
            && all.iter().all(|f| m.contains(f))
    });
    assert!(
        found.is_some(),
        "no collision error at {file} naming {all:?}; errors: {errors:#?}"
    );
}

// 27. Two sources with the same output URL fail the build, and the error at each
// of them lists every colliding file.
#[test]
fn reliability_27_same_output_url_lists_every_file() {
    let (site, before) = built_fixture();
    // Two slugs.
    site.write(
        "content/guides/one.md",
        "+++\ntitle = \"One\"\nslug = \"same\"\n+++\n",
    );
    site.write(
        "content/guides/two.md",
        "+++\ntitle = \"Two\"\nslug = \"same\"\n+++\n",
    );
    // An alias onto an existing page.
    site.write(
        "content/billing/moved.md",
        "+++\ntitle = \"Moved\"\naliases = [\"/guides/withdraw/\"]\n+++\n",
    );
    // `Fees.md` beside `fees.md`: one URL on case-insensitive disks and hosts.
    site.write("content/billing/Fees.md", "+++\ntitle = \"Fees\"\n+++\n");
    // An article with the URL of a section.
    site.write(
        "content/guides/advanced.md",
        "+++\ntitle = \"Advanced\"\n+++\n",
    );

    let run = site.build();
    run.assert_code(1);
    let slugs = ["content/guides/one.md", "content/guides/two.md"];
    for file in slugs {
        assert_collision(&run, file, &slugs);
    }
    assert!(
        run.stderr.contains("/guides/same/index.html"),
        "{}",
        run.stderr
    );
    let alias = ["content/billing/moved.md", "content/guides/withdraw.md"];
    for file in alias {
        assert_collision(&run, file, &alias);
    }
    let case = ["content/billing/Fees.md", "content/billing/fees.md"];
    for file in case {
        assert_collision(&run, file, &case);
    }
    let section = [
        "content/guides/advanced.md",
        "content/guides/advanced/_index.md",
    ];
    for file in section {
        assert_collision(&run, file, &section);
    }
    assert_eq!(run.errors().len(), 8, "{}", run.stderr);
    assert!(
        run.stderr.contains("failed with 8 errors"),
        "{}",
        run.stderr
    );
    assert_output_unchanged(&site, &before);
}

/// Some error, located at one of `all`, names every file of `all`.
#[track_caller]
fn assert_clash_names_all(run: &Run, all: &[&str]) {
    let errors = run.errors();
    let found = errors.iter().any(|(m, l)| {
        let file = l.split(':').next().unwrap_or(l);
        all.contains(&file) && all.iter().all(|f| m.contains(f))
    });
    assert!(found, "no error naming all of {all:?}; errors: {errors:#?}");
}

// 27. An alias, asset or static file that would be written as a *file* where a page
// needs a *folder* (`/guides/withdraw` vs `/guides/withdraw/index.html`) is a
// collision too: `check` must find it, and `build` must name both sources.
#[test]
fn reliability_27_file_onto_a_page_folder_lists_every_file() {
    let (site, before) = built_fixture();
    site.write(
        "content/billing/moved.md",
        "+++\ntitle = \"Moved\"\naliases = [\"/guides/withdraw\"]\n+++\n",
    );
    site.run(&["check"]).assert_code(1);
    let run = site.build();
    run.assert_code(1);
    assert_clash_names_all(
        &run,
        &["content/billing/moved.md", "content/guides/withdraw.md"],
    );
    assert!(!run.stderr.contains("helpsite-staging"), "{}", run.stderr);
    assert_output_unchanged(&site, &before);
    site.remove("content/billing/moved.md");

    // A content file without an extension where an article's folder goes.
    site.write("content/guides/withdraw", "not a page\n");
    site.run(&["check"]).assert_code(1);
    let run = site.build();
    run.assert_code(1);
    assert_clash_names_all(
        &run,
        &["content/guides/withdraw", "content/guides/withdraw.md"],
    );
    assert_output_unchanged(&site, &before);
    site.remove("content/guides/withdraw");

    // A static file where a section's folder goes.
    site.write("static/guides", "not a folder\n");
    site.run(&["check"]).assert_code(1);
    let run = site.build();
    run.assert_code(1);
    assert!(run.stderr.contains("static/guides"), "{}", run.stderr);
    assert!(!run.stderr.contains("helpsite-staging"), "{}", run.stderr);
    assert_output_unchanged(&site, &before);
}

// 28. A slug, alias or template name with `..`, an absolute path, a URL, `\` or NUL
// is rejected at its line; nothing is written anywhere.
#[test]
fn reliability_28_unsafe_paths_are_rejected() {
    let (site, before) = built_fixture();
    // A name no build should ever create beside the site.
    let escaped = format!(
        "escaped-{}",
        site.path().file_name().unwrap().to_string_lossy()
    );
    let slug_page = |slug: &str| format!("+++\ntitle = \"x\"\nslug = \"{slug}\"\n+++\n");
    site.write("content/guides/s1.md", &slug_page(".."));
    site.write(
        "content/guides/s2.md",
        &slug_page(&format!("../../{escaped}")),
    );
    site.write("content/guides/s3.md", &slug_page("/etc"));
    site.write("content/guides/s4.md", &slug_page("a\\\\b"));
    site.write("content/guides/s5.md", &slug_page("a\\u0000b"));
    site.write(
        "content/guides/aliases.md",
        &format!(
            "+++\ntitle = \"x\"\naliases = [\n  \"/../../{escaped}/\",\n  \"https://evil.example/x/\",\n  \"C:\\\\{escaped}\",\n  \"/a/\\u0000/\",\n  \"/ok/../../{escaped}/\",\n]\n+++\n"
        ),
    );
    site.write(
        "content/guides/t1.md",
        "+++\ntitle = \"x\"\ntemplate = \"../../../etc/passwd\"\n+++\n",
    );
    site.write(
        "content/guides/t2.md",
        "+++\ntitle = \"x\"\ntemplate = \"/etc/passwd\"\n+++\n",
    );
    let run = site.build();
    run.assert_code(1);
    for file in ["s1", "s2", "s3", "s4", "s5"] {
        assert_error(
            &run,
            "is not a single safe path segment",
            &format!("content/guides/{file}.md:3:8"),
        );
    }
    assert!(run.stderr.contains(r#"`slug` "a\0b""#), "{}", run.stderr);
    for line in 4..=8 {
        assert_error(
            &run,
            "is not a safe path inside the site",
            &format!("content/guides/aliases.md:{line}:3"),
        );
    }
    for file in ["t1", "t2"] {
        assert_error(
            &run,
            "is not a file name inside templates/",
            &format!("content/guides/{file}.md:3:12"),
        );
    }
    assert_eq!(run.errors().len(), 12, "{}", run.stderr);
    assert_output_unchanged(&site, &before);
    // Nothing was created beside the output, nor beside the site.
    let mut top: Vec<String> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(top, ["config.toml", "content", "public"]);
    assert!(!site.path().parent().unwrap().join(&escaped).exists());
    assert!(!site.path().join("etc").exists());
}

// 29. A broken internal link or anchor is an error at its file:line:col, and
// `check` exits 1 for it without writing anything.
#[test]
fn reliability_29_broken_link_and_anchor_fail_check() {
    let site = Site::fixture("basic");
    site.run(&["check"]).assert_ok();
    site.write(
        "content/guides/links.md",
        "+++\ntitle = \"Links\"\n+++\n\nSee [a page](@/guides/nope.md) and\nthe [limit](@/guides/limits.md#nope).\n",
    );
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert_error(
        &run,
        "link to a page that does not exist: @/guides/nope.md",
        "content/guides/links.md:5:5",
    );
    assert_error(
        &run,
        "link to a heading that does not exist: @/guides/limits.md#nope",
        "content/guides/links.md:6:5",
    );
    assert_hint(
        &run,
        "content/guides/links.md:6:5",
        "the headings of that page have the ids: 每日限额, 单笔限额",
    );
    assert!(!site.exists("public"), "check wrote the output");

    // A near miss gets a hint, and a broken link in a section's intro counts too.
    site.write(
        "content/guides/links.md",
        "+++\ntitle = \"Links\"\n+++\n\n[limit](@/guides/limits.en.md#daily-limt)\n",
    );
    site.write(
        "content/billing/_index.md",
        "+++\ntitle = \"账单\"\n+++\n\nSee [the fees](@/billing/nope.md).\n",
    );
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert_error(&run, "#daily-limt", "content/guides/links.md:5:1");
    assert_hint(
        &run,
        "content/guides/links.md:5:1",
        "did you mean `#daily-limit`?",
    );
    assert_error(&run, "@/billing/nope.md", "content/billing/_index.md:5:5");

    // `build` refuses the same site and keeps the previous output.
    let (site, before) = built_fixture();
    site.write(
        "content/guides/links.md",
        "+++\ntitle = \"Links\"\n+++\n\n[x](@/nope.md)\n",
    );
    let run = site.build();
    run.assert_code(1);
    assert_error(&run, "@/nope.md", "content/guides/links.md:5:1");
    assert_output_unchanged(&site, &before);
}

// 29. Anchors are checked in section intros as well as in articles.
#[test]
fn reliability_29_broken_anchor_in_a_section_intro_fails_check() {
    let site = Site::fixture("basic");
    site.write(
        "content/billing/_index.md",
        "+++\ntitle = \"账单\"\n+++\n\nSee [the limit](@/guides/limits.md#nope).\n",
    );
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert_error(
        &run,
        "link to a heading that does not exist: @/guides/limits.md#nope",
        "content/billing/_index.md:5:5",
    );
}

// 29. An anchor into a section page must name one of its headings.
#[test]
fn reliability_29_broken_anchor_to_a_section_fails_check() {
    let site = Site::fixture("basic");
    site.write(
        "content/guides/links.md",
        "+++\ntitle = \"Links\"\n+++\n\nBack to [guides](@/guides/_index.md#nope).\n",
    );
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert_error(
        &run,
        "link to a heading that does not exist: @/guides/_index.md#nope",
        "content/guides/links.md:5:9",
    );
}

// 30. A symbolic link loop in content/ is reported and the build ends.
#[test]
fn reliability_30_symlink_loop_is_reported() {
    let (site, before) = built_fixture();
    let guides = site.path().join("content/guides");
    // A folder that leads back to its parent, and a file link that points at itself.
    std::os::unix::fs::symlink(&guides, guides.join("loop")).unwrap();
    std::os::unix::fs::symlink("self.md", guides.join("self.md")).unwrap();
    let run = run_with_deadline(site.path(), &["build"], Duration::from_secs(60))
        .expect("the build did not end within 60 s");
    run.assert_code(1);
    assert_error(
        &run,
        "symbolic link loop: this folder leads back to content/guides",
        "content/guides/loop",
    );
    assert_error(&run, "cannot read this path", "content/guides/self.md");
    assert_output_unchanged(&site, &before);

    // Loops in the site's static/ and templates/ folders end the same way.
    std::fs::remove_file(guides.join("loop")).unwrap();
    std::fs::remove_file(guides.join("self.md")).unwrap();
    site.write("static/robots.txt", "User-agent: *\n");
    site.write("templates/partials/note.html", "<p>note</p>\n");
    std::os::unix::fs::symlink(site.path().join("static"), site.path().join("static/loop"))
        .unwrap();
    std::os::unix::fs::symlink(
        site.path().join("templates"),
        site.path().join("templates/partials/loop"),
    )
    .unwrap();
    let run = run_with_deadline(site.path(), &["build"], Duration::from_secs(60))
        .expect("the build did not end within 60 s");
    run.assert_code(1);
    assert_error(&run, "symbolic link loop", "static/loop");
    assert_error(&run, "symbolic link loop", "templates/partials/loop");
    assert_output_unchanged(&site, &before);
}

// 31. A 50 MB source is refused by the default size limit, naming the file; with the
// limit raised, a large mixed article builds with bounded memory; known slow Markdown
// patterns finish within a hard deadline and bounded memory too.

/// Peak memory any one build in this test may reach.
const MAX_BUILD_RSS: u64 = 1024 * 1024 * 1024;

/// About `bytes` of varied Markdown (headings, paragraphs in two scripts, emphasis,
/// links, lists, tables, code, quotes), each block numbered so its end can be found.
/// One block in a hundred links to another page with `@/`.
fn mixed_markdown(bytes: usize) -> (String, usize) {
    let mut text = String::from("+++\ntitle = \"Large\"\n+++\n\n");
    let mut blocks = 0;
    while text.len() < bytes {
        let n = blocks;
        let link = if n % 100 == 0 {
            "@/guides/limits.md#每日限额".to_string()
        } else {
            format!("https://example.com/docs/{n}")
        };
        text.push_str(&format!(
            "## Part {n}\n\nParagraph {n} explains *why* a withdrawal can take **{hours} hours**, \
             with a [link]({link}) and `code {n}`.\n\
             第 {n} 段：提现通常在两小时内到账，节假日可能延迟。\n\n\
             - step one of {n}\n- step two with ~~old~~ text\n  - nested {n}\n\n\
             | field | value |\n|---|---|\n| block | {n} |\n| amount | {amount} |\n\n\
             ```\nlet block = {n};\n```\n\n> quoted note {n}\n\n",
            hours = n % 48,
            amount = n * 7,
        ));
        blocks += 1;
    }
    (text, blocks)
}

/// The run, once it is known to have ended in time (exit code and output are left to
/// the caller), and with its peak memory under `MAX_BUILD_RSS`.
#[track_caller]
fn assert_bounded(measured: common::Measured, what: &str, expected_code: i32) -> Run {
    let run = measured
        .run
        .unwrap_or_else(|| panic!("{what}: killed after {:?}", measured.elapsed));
    run.assert_code(expected_code);
    assert!(
        measured.max_rss < MAX_BUILD_RSS,
        "{what}: peak RSS {} MiB, over {} MiB (took {:.1?})",
        measured.max_rss >> 20,
        MAX_BUILD_RSS >> 20,
        measured.elapsed
    );
    run
}

/// Writes `slow-NAME.md` for each pattern, builds within `limit` and bounded memory,
/// and checks every page was written.
fn build_patterns(patterns: &[(&str, String)], limit: Duration) {
    let site = Site::fixture("basic");
    for (name, body) in patterns {
        site.write(
            &format!("content/guides/slow-{name}.md"),
            &format!("+++\ntitle = \"{name}\"\n+++\n\n{body}"),
        );
    }
    let measured = common::run_measured(site.path(), &["build"], limit);
    let names: Vec<&str> = patterns.iter().map(|(name, _)| *name).collect();
    assert_bounded(measured, &format!("the build of {names:?}"), 0);
    // Read as text: an HTML parser is itself slow on 20,000 nested elements.
    for (name, _) in patterns {
        let page = site.read(&format!("public/guides/slow-{name}/index.html"));
        assert!(page.contains(&format!("<h1>{name}</h1>")), "slow-{name}");
    }
}

#[test]
fn reliability_31_a_50_mb_source_is_refused_by_the_default_limit() {
    let (site, before) = built_fixture();
    // 50 MiB of real text under a valid front matter, written in pieces so that this
    // test process stays small (a child's peak RSS starts from its parent's).
    {
        use std::io::Write;
        let file = std::fs::File::create(site.path().join("content/guides/huge.md")).unwrap();
        let mut out = std::io::BufWriter::new(file);
        let head = b"+++\ntitle = \"Huge\"\n+++\n\n";
        out.write_all(head).unwrap();
        let line = b"A line of an article that is far too long to be one page.\n";
        let mut left = 50 * 1024 * 1024 - head.len();
        while left > 0 {
            let n = left.min(line.len());
            out.write_all(&line[..n]).unwrap();
            left -= n;
        }
        out.flush().unwrap();
    }
    let measured = common::run_measured(site.path(), &["build"], Duration::from_secs(120));
    let run = assert_bounded(measured, "the refused build", 1);
    assert_error(
        &run,
        "file is 50.0 MiB, over the limit of 10.0 MiB for one source file",
        "content/guides/huge.md",
    );
    assert_hint(
        &run,
        "content/guides/huge.md",
        "split the article into smaller ones, or raise `[limits] max_source_mib` in config.toml",
    );
    assert_eq!(run.errors().len(), 1, "{}", run.stderr);
    assert_output_unchanged(&site, &before);
}

#[test]
fn reliability_31_a_large_allowed_source_builds_in_bounded_memory() {
    let site = Site::fixture("basic");
    let (large, blocks) = mixed_markdown(12 * 1024 * 1024);
    site.write("content/guides/large.md", &large);
    drop(large);
    // Over the default limit of 10 MiB ...
    let refused = site.build();
    refused.assert_code(1);
    assert_error(&refused, "over the limit", "content/guides/large.md");
    // ... and the site may raise it: then the whole article builds.
    let config = site.read("config.toml");
    site.write(
        "config.toml",
        &format!("{config}\n[limits]\nmax_source_mib = 20\n"),
    );
    let measured = common::run_measured(site.path(), &["build"], Duration::from_secs(300));
    assert_bounded(measured, "the build of a 12 MiB article", 0);
    // Read as text: the page is too large to parse quickly in a debug build.
    let page = site.read("public/guides/large/index.html");
    assert!(page.contains("<h1>Large</h1>"));
    let last = blocks - 1;
    assert!(
        page.contains(&format!("let block = {last};")),
        "the last block is missing"
    );
    assert!(page.contains(&format!("第 {last} 段")));
    assert!(page.contains("href=\"/help/guides/limits/#"));
    assert!(
        !page.contains("@/guides/limits.md"),
        "a link was left unresolved"
    );
}

#[test]
fn reliability_31_known_slow_markdown_patterns_finish() {
    build_patterns(
        &[
            ("brackets", "[".repeat(100_000)),
            ("link-openers", "[a](".repeat(25_000)),
            (
                "parens",
                format!("[a]({}{})", "(".repeat(50_000), ")".repeat(50_000)),
            ),
            ("quotes", format!("{} x\n", ">".repeat(100_000))),
            ("nested-quotes", format!("{}x\n", "> ".repeat(20_000))),
            ("nested-lists", format!("{}x\n", "- ".repeat(20_000))),
            ("stars", "*a".repeat(50_000)),
            (
                "emphasis",
                format!("{}{}", "**a".repeat(30_000), "b**".repeat(30_000)),
            ),
            ("mixed", "*[`".repeat(30_000)),
            ("ticks", "`".repeat(100_000)),
            ("angles", "<".repeat(100_000)),
            ("html", "<div>".repeat(20_000)),
            (
                "table",
                format!("{}\n{}\n", "|a".repeat(30_000), "|-".repeat(30_000)),
            ),
            (
                "link-refs",
                "[x]: /a\n".repeat(20_000) + &"[x]".repeat(20_000),
            ),
            ("footnotes", "[^a]".repeat(30_000)),
        ],
        Duration::from_secs(60),
    );
}

// What helpsite adds on top of the Markdown parser must stay linear too: the `@/` link
// resolution (each link is located by line and column) and the unique heading ids.
#[test]
fn reliability_31_many_internal_links_and_repeated_headings_finish() {
    build_patterns(
        &[
            (
                "internal-links",
                (0..40_000)
                    .map(|i| {
                        format!("Step {i}: see [the limits](@/guides/limits.md#每日限额).\n\n")
                    })
                    .collect(),
            ),
            (
                "repeated-headings",
                "## Questions\n\ntext\n\n".repeat(30_000),
            ),
        ],
        Duration::from_secs(60),
    );
}

/// A page whose body holds inline and block HTML and a comment.
const RAW_HTML_PAGE: &str = "+++\ntitle = \"Raw\"\n+++\n\nBefore <script>alert(1)</script> after.\n\n<div class=\"box\">block <b>bold</b></div>\n\n<!-- a private note -->\n";

// 32. Policy: raw HTML in Markdown is shown as text unless `[markdown] raw_html = true`;
// HTML comments are dropped.
#[test]
fn reliability_32_raw_html_is_text_unless_enabled() {
    let site = Site::fixture("basic");
    site.write("content/guides/raw.md", RAW_HTML_PAGE);
    site.build().assert_ok();
    let page = site.html("public/guides/raw/index.html");
    // The only script is the theme's own search script.
    assert!(select(&page, "script:not([src$='search.js'])").is_empty());
    assert!(select(&page, ".content div.box").is_empty());
    assert!(select(&page, ".content b").is_empty());
    let text = text_of(&select(&page, ".content")[0]);
    assert!(
        text.contains("Before <script>alert(1)</script> after."),
        "{text}"
    );
    assert!(
        text.contains("<div class=\"box\">block <b>bold</b></div>"),
        "{text}"
    );
    assert!(!text.contains("private note"), "{text}");

    let config = site.read("config.toml");
    site.write(
        "config.toml",
        &format!("{config}\n[markdown]\nraw_html = true\n"),
    );
    site.build().assert_ok();
    let page = site.html("public/guides/raw/index.html");
    assert_eq!(select(&page, ".content script").len(), 1);
    assert_eq!(select(&page, ".content div.box b").len(), 1);
    let text = text_of(&select(&page, ".content")[0]);
    assert!(!text.contains("<script>"), "{text}");
}

const EVIL_SECTION: &str = "<script>alert('sec')</script> & \"sec\"";
const EVIL_TITLE: &str = "<script>alert(1)</script> & \"quotes\"";
const EVIL_DESCRIPTION: &str = "<img src=x onerror=alert(1)> & \"d\"";
const EVIL_HEADING: &str = "<script>alert(2)</script> heading & \"h\"";
const EVIL_LINK: &str = "<script>alert(3)</script> & \"link\"";
/// A heading id and class, a link title and an image description that try to
/// break out of their attribute.
const EVIL_ATTRIBUTES: &str = "## Hi {#a\"onmouseover=\"x .c\"onclick=\"y}\n\n[t](/url \"t\\\" onmouseover=\\\"alert(1)\") ![a\" onerror=\"alert(1)](x.png)\n";
/// A slug may hold quotes and angle brackets: they are safe in a folder name.
const EVIL_SLUG: &str = "\"><img src=x onerror=alert(1)>";
const EVIL_SIBLING: &str = "B </title><script>alert(4)</script>";

/// A TOML basic string holding `text`.
fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// No script runs and no handler attribute exists; structured data, if any, is valid JSON.
#[track_caller]
fn assert_inert(page: &scraper::Html, what: &str) {
    // The theme's search script (an empty element with a src) is the one script allowed.
    for script in select(page, "script:not([src$='search.js'])") {
        assert_eq!(
            script.value().attr("type"),
            Some("application/ld+json"),
            "a script element in {what}: {}",
            script.html()
        );
        let json: String = script.text().collect();
        serde_json::from_str::<serde_json::Value>(&json)
            .unwrap_or_else(|e| panic!("broken JSON-LD in {what}: {e}\n{json}"));
    }
    for element in select(page, "*") {
        let handler = element
            .value()
            .attrs()
            .find(|(name, _)| name.starts_with("on"));
        assert!(
            handler.is_none(),
            "an event handler attribute in {what}: {}",
            element.html()
        );
    }
    assert!(
        select(page, "img[src=x]").is_empty(),
        "an injected img in {what}"
    );
}

fn texts(page: &scraper::Html, css: &str) -> Vec<String> {
    select(page, css).iter().map(text_of).collect()
}

// 33. Hostile titles, descriptions, headings and link text are escaped everywhere
// they appear: <title>, meta description, navigation, breadcrumbs, headings, table
// of contents, links, cards and lists.
#[test]
fn reliability_33_hostile_titles_are_escaped() {
    let site = Site::fixture("basic");
    site.write(
        "content/evil/_index.md",
        &format!(
            "+++\ntitle = {}\ndescription = \"<b>sec desc</b>\"\n+++\n",
            toml_string(EVIL_SECTION)
        ),
    );
    site.write(
        "content/evil/a.md",
        &format!(
            "+++\ntitle = {}\ndescription = {}\nweight = 1\n+++\n\n## {EVIL_HEADING}\n\nSee [{EVIL_LINK}](@/evil/b.md).\n",
            toml_string(EVIL_TITLE),
            toml_string(EVIL_DESCRIPTION)
        ),
    );
    site.write(
        "content/evil/b.md",
        &format!(
            "+++\ntitle = {}\nweight = 2\nslug = {}\naliases = [{}]\n+++\n\n{EVIL_ATTRIBUTES}",
            toml_string(EVIL_SIBLING),
            toml_string(EVIL_SLUG),
            toml_string(&format!("/old/{EVIL_SLUG}/"))
        ),
    );
    // Pictures must exist (a missing one is an error).
    site.write_bytes("content/evil/x.png", b"png");
    site.build().assert_ok();

    let page = site.html("public/evil/a/index.html");
    assert_inert(&page, "the article");
    assert!(
        first_text(&page, "title").contains(EVIL_TITLE),
        "{}",
        first_text(&page, "title")
    );
    assert_eq!(
        attrs(&page, "meta[name=description]", "content"),
        [EVIL_DESCRIPTION]
    );
    assert_eq!(first_text(&page, "article h1"), EVIL_TITLE);
    assert_eq!(
        first_text(&page, "nav.breadcrumbs [aria-current=page]"),
        EVIL_TITLE
    );
    assert!(texts(&page, "nav.breadcrumbs a").contains(&EVIL_SECTION.to_string()));
    assert!(texts(&page, "nav.site-nav a").contains(&EVIL_SECTION.to_string()));
    assert_eq!(texts(&page, "nav.toc a"), [EVIL_HEADING]);
    assert!(first_text(&page, ".content h2").starts_with(EVIL_HEADING));
    assert_eq!(texts(&page, ".content p a"), [EVIL_LINK]);
    assert!(texts(&page, "aside.related a").contains(&EVIL_SIBLING.to_string()));
    assert_eq!(first_text(&page, ".pager-next .pager-title"), EVIL_SIBLING);

    let sibling = site.html(&format!("public/evil/{EVIL_SLUG}/index.html"));
    assert_inert(&sibling, "the sibling article");
    assert!(first_text(&sibling, "title").contains(EVIL_SIBLING));
    assert_eq!(first_text(&sibling, ".pager-prev .pager-title"), EVIL_TITLE);
    // Markdown attributes that try to close their quotes stay values.
    assert_eq!(attrs(&sibling, ".content h2", "id"), ["a\"onmouseover=\"x"]);
    assert_eq!(attrs(&sibling, ".content h2", "class"), ["c\"onclick=\"y"]);
    assert_eq!(
        attrs(&sibling, "nav.toc a", "href"),
        ["#a\"onmouseover=\"x"]
    );
    assert_eq!(
        attrs(&sibling, ".content a[title]", "title"),
        ["t\" onmouseover=\"alert(1)"]
    );
    assert_eq!(
        attrs(&sibling, ".content img", "alt"),
        ["a\" onerror=\"alert(1)"]
    );

    let section = site.html("public/evil/index.html");
    assert_inert(&section, "the section");
    assert_eq!(first_text(&section, "main h1"), EVIL_SECTION);
    assert!(first_text(&section, "title").contains(EVIL_SECTION));
    assert_eq!(
        attrs(&section, "meta[name=description]", "content"),
        ["<b>sec desc</b>"]
    );
    assert_eq!(
        texts(&section, ".article-list-title"),
        [EVIL_TITLE, EVIL_SIBLING]
    );
    assert!(select(&section, "main b").is_empty());

    let home = site.html("public/index.html");
    assert_inert(&home, "the home page");
    assert!(texts(&home, ".card-title").contains(&EVIL_SECTION.to_string()));
    let card_articles = texts(&home, ".card-articles a");
    assert!(
        card_articles.contains(&EVIL_TITLE.to_string()),
        "{card_articles:?}"
    );
    assert!(
        card_articles.contains(&EVIL_SIBLING.to_string()),
        "{card_articles:?}"
    );

    let not_found = site.html("public/404.html");
    assert_inert(&not_found, "the 404 page");
    assert!(texts(&not_found, ".topic-title").contains(&EVIL_SECTION.to_string()));

    // A hostile slug is a safe folder name; where its URL is written it stays a URL.
    let url = format!("/help/evil/{EVIL_SLUG}/");
    assert!(attrs(&page, "a", "href").contains(&url));
    assert_eq!(
        attrs(&page, ".content p a", "href"),
        [url.replace('"', "%22")
            .replace('<', "%3C")
            .replace('>', "%3E")
            .replace(' ', "%20")]
    );
    let redirect = site.html(&format!("public/old/{EVIL_SLUG}/index.html"));
    assert_inert(&redirect, "the alias redirect page");
    assert_eq!(
        attrs(&redirect, "link[rel=canonical]", "href"),
        [format!("https://example.com{url}")]
    );
    let sitemap = site.read("public/sitemap.xml");
    assert!(!sitemap.contains("<img"), "{sitemap}");
}

// 35. Bad opening hours (25:00, end before start, unknown time zone, overlapping
// ranges) fail the build with the file and line of each, and public/ is kept.
#[test]
fn reliability_35_bad_opening_hours_point_at_their_line() {
    let (site, before) = built_fixture();
    let channel = |zone: &str, hours: &str| {
        format!("+++\ntitle = \"Line\"\n[channel]\nkind = \"phone\"\naddress = \"+1 555-0100\"\ntimezone = \"{zone}\"\nhours = {hours}\n+++\n")
    };
    site.write(
        "content/guides/late.md",
        &channel("Asia/Shanghai", "{ mon = [\"09:00-25:00\"] }"),
    );
    site.write(
        "content/guides/reversed.md",
        &channel("Asia/Shanghai", "{ tue = [\"18:00-09:00\"] }"),
    );
    site.write(
        "content/guides/nowhere.md",
        &channel("Mars/Olympus", "{ wed = [\"09:00-18:00\"] }"),
    );
    site.write(
        "content/guides/overlap.md",
        &channel(
            "UTC",
            "{ \"mon-fri\" = [\"09:00-12:00\"], fri = [\"11:00-13:00\"] }",
        ),
    );
    let run = site.build();
    run.assert_code(1);
    assert_error(
        &run,
        "\"25:00\" is not a time of day",
        "content/guides/late.md:7:18",
    );
    assert_error(
        &run,
        "ends before it starts",
        "content/guides/reversed.md:7:18",
    );
    assert_error(&run, "unknown time zone", "content/guides/nowhere.md:6:12");
    assert_error(&run, "overlap", "content/guides/overlap.md:7:24");
    assert_eq!(run.errors().len(), 4, "{}", run.stderr);
    assert_output_unchanged(&site, &before);
}

// 36. A syntax error in a site's template override names the template and its line.
#[test]
fn reliability_36_template_override_error_names_template_and_line() {
    let (site, before) = built_fixture();
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ page.title | }}\n{% endblock content %}\n",
    );
    let run = site.build();
    run.assert_code(1);
    assert_error(&run, "template syntax error", "templates/page.html:3:17");
    assert_output_unchanged(&site, &before);
    site.run(&["check"]).assert_code(1);

    // The same for an override of the frame every page extends.
    site.remove("templates/page.html");
    site.write(
        "templates/base.html",
        "<!doctype html>\n<title>x</title>\n{% if %}\n{% block content %}{% endblock content %}\n",
    );
    let run = site.build();
    run.assert_code(1);
    assert_error(&run, "template syntax error", "templates/base.html:3:7");
    assert_output_unchanged(&site, &before);

    // An override that extends a template that does not exist.
    site.remove("templates/base.html");
    site.write("templates/page.html", "{% extends \"nope.html\" %}\n");
    let run = site.build();
    run.assert_code(1);
    assert_error(&run, "'nope.html'", "templates/page.html");
    assert_output_unchanged(&site, &before);
}

// 36. An override that imports macros from a missing file is reported at that
// override, like every other template error.
#[test]
fn reliability_36_missing_macro_file_names_the_template() {
    let (site, before) = built_fixture();
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% import \"nope.html\" as n %}\n",
    );
    let run = site.build();
    run.assert_code(1);
    assert_error(&run, "nope.html", "templates/page.html");
    assert_output_unchanged(&site, &before);
}

// 36. An error met while rendering with an override names the override that holds
// the mistake, not the embedded template that extends it.
#[test]
fn reliability_36_render_error_in_an_override_names_that_template() {
    let (site, before) = built_fixture();
    site.write(
        "templates/base.html",
        "<!doctype html>\n<title>x</title>\n{{ nope.missing }}\n{% block content %}{% endblock content %}\n",
    );
    let run = site.build();
    run.assert_code(1);
    let errors = run.errors();
    assert!(!errors.is_empty(), "{}", run.stderr);
    for (message, location) in &errors {
        assert!(message.contains("nope.missing"), "{message}");
        assert!(
            location.starts_with("templates/base.html"),
            "{message} at {location}"
        );
    }
    assert_output_unchanged(&site, &before);
}
