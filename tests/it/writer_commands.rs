//! `helpsite new`, `helpsite completions`, the README's quick start, and how much and
//! in what colours the commands print, run as a writer would run them.

use crate::common;

use std::path::Path;
use std::process::Command;

use common::serve::{wait_until, Server, WAIT};
use common::{run_in, Run, Site};

#[test]
fn new_writes_an_article_that_builds_with_the_category_channels() {
    let site = Site::fixture("contact");
    let run = site.run(&["new", "guides/close-account"]);
    run.assert_ok();
    assert_eq!(run.stdout.trim(), "content/guides/close-account.md");
    let text = site.read("content/guides/close-account.md");
    assert!(
        text.starts_with("+++\ntitle = \"Close account\"\n"),
        "{text}"
    );
    assert!(
        text.contains("contact = [\"hotline\", \"email\"]\n"),
        "{text}"
    );
    let date = text
        .lines()
        .find_map(|l| l.strip_prefix("date = "))
        .expect("a date line");
    assert!(chrono_like_date(date), "{date}");
    site.build().assert_ok();
    assert!(site.exists("public/guides/close-account/index.html"));
}

fn chrono_like_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 3 && parts[0].len() == 4 && parts.iter().all(|p| p.parse::<u32>().is_ok())
}

#[test]
fn new_never_overwrites() {
    let site = Site::fixture("contact");
    site.write(
        "content/guides/close-account.md",
        "+++\ntitle = \"Mine\"\n+++\nkeep me\n",
    );
    let run = site.run(&["new", "guides/close-account"]);
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("content/guides/close-account.md already exists"),
        "{}",
        run.stderr
    );
    assert_eq!(
        site.read("content/guides/close-account.md"),
        "+++\ntitle = \"Mine\"\n+++\nkeep me\n"
    );
    // A bundle of the same name counts as the article too.
    site.write(
        "content/guides/moved/index.md",
        "+++\ntitle = \"Moved\"\n+++\n",
    );
    site.run(&["new", "guides/moved"]).assert_code(2);
}

#[test]
fn new_in_another_language_uses_the_language_suffix() {
    let site = Site::fixture("basic");
    let run = site.run(&["new", "billing/refunds", "--lang", "en"]);
    run.assert_ok();
    assert_eq!(run.stdout.trim(), "content/billing/refunds.en.md");
    assert!(site.exists("content/billing/refunds.en.md"));
    let unknown = site.run(&["new", "billing/refunds", "--lang", "fr"]);
    unknown.assert_code(2);
    assert!(
        unknown.stderr.contains("no language `fr`") && unknown.stderr.contains("zh, en"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn new_explains_a_wrong_category_or_path() {
    let site = Site::fixture("basic");
    let typo = site.run(&["new", "biling/refunds"]);
    typo.assert_code(2);
    assert!(
        typo.stderr
            .contains("there is no category content/biling/; did you mean `billing`?"),
        "{}",
        typo.stderr
    );
    for bad in ["../outside", "billing/a b", "billing/.hidden"] {
        let run = site.run(&["new", bad]);
        run.assert_code(2);
        assert!(
            run.stderr.contains("is not an article path"),
            "{bad}: {}",
            run.stderr
        );
    }
    assert!(!site.path().join("outside.md").exists());
}

#[test]
fn new_uses_the_site_archetype_when_there_is_one() {
    let site = Site::fixture("basic");
    site.write(
        "archetypes/article.md",
        "+++\ntitle = \"{title}\"\ndate = {date}\n+++\nHouse style for {title}.\n",
    );
    site.run(&["new", "billing/late-fee"]).assert_ok();
    let text = site.read("content/billing/late-fee.md");
    assert!(text.ends_with("House style for Late fee.\n"), "{text}");
}

#[test]
fn completions_for_every_shell() {
    let site = Site::empty();
    for (shell, marker) in [
        ("bash", "_helpsite()"),
        ("zsh", "#compdef helpsite"),
        ("fish", "complete -c helpsite"),
    ] {
        let run = site.run(&["completions", shell]);
        run.assert_ok();
        assert!(
            run.stdout.contains(marker),
            "{shell}: {}",
            &run.stdout[..200.min(run.stdout.len())]
        );
        assert!(
            run.stdout.contains("build") && run.stdout.contains("new"),
            "{shell}"
        );
    }
    site.run(&["completions", "tcsh"]).assert_code(2);
}

#[test]
fn version_names_the_commit() {
    let run = Site::empty().run(&["--version"]);
    run.assert_ok();
    let version = run.stdout.trim();
    let expected = format!("helpsite {} (", env!("CARGO_PKG_VERSION"));
    assert!(
        version.starts_with(&expected) && version.ends_with(')'),
        "{version}"
    );
    let commit = &version[expected.len()..version.len() - 1];
    assert!(
        commit == "unknown"
            || (commit.len() == 10 && commit.chars().all(|c| c.is_ascii_hexdigit())),
        "{version}"
    );
}

#[test]
fn check_advises_on_descriptions_alt_text_and_heading_levels() {
    let site = Site::fixture("basic");
    site.write(
        "content/billing/advice.md",
        "+++\ntitle = \"Advice\"\n+++\nIntro.\n\n## Steps\n\n#### Too deep\n\n![](shot.png)\n\n![A receipt](receipt.png)\n",
    );
    site.write_bytes("content/billing/shot.png", b"png");
    site.write_bytes("content/billing/receipt.png", b"png");
    let run = site.run(&["check"]);
    run.assert_ok();
    let warnings = run.warnings();
    let at = |file_line: &str| {
        warnings
            .iter()
            .filter(|(_, place)| place == file_line)
            .map(|(m, _)| m.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        at("content/billing/advice.md:1:1"),
        ["the article has no description"]
    );
    assert_eq!(
        at("content/billing/advice.md:8:1"),
        ["heading level skips from h2 to h4"]
    );
    assert_eq!(
        at("content/billing/advice.md:10:1"),
        ["image without alt text"]
    );
    assert!(run.stdout.contains("no errors, "), "{}", run.stdout);
    // The same problems are not a build's business.
    let build = site.build();
    build.assert_ok();
    assert!(!build.stderr.contains("alt text"), "{}", build.stderr);
}

#[test]
fn new_inherits_the_channels_of_the_nearest_section_that_names_some() {
    let site = Site::fixture("contact");
    // `guides/` names hotline and email; a subsection without a list of its own, and a
    // folder without any _index.md, pass them on, as the build routes their articles.
    site.write(
        "content/guides/advanced/_index.md",
        "+++\ntitle = \"Advanced\"\n+++\n",
    );
    site.write(
        "content/guides/advanced/deep/_index.md",
        "+++\ntitle = \"Deep\"\n+++\n",
    );
    std::fs::create_dir_all(site.path().join("content/guides/loose")).unwrap();
    for path in ["guides/advanced/deep/rotate-keys", "guides/loose/odd-one"] {
        site.run(&["new", path]).assert_ok();
        let text = site.read(&format!("content/{path}.md"));
        assert!(
            text.contains("contact = [\"hotline\", \"email\"]\n"),
            "{path}: {text}"
        );
    }
    // A nearer list wins over the inherited one.
    site.write(
        "content/guides/advanced/_index.md",
        "+++\ntitle = \"Advanced\"\ncontact = [\"always\"]\n+++\n",
    );
    site.run(&["new", "guides/advanced/deep/expire-keys"])
        .assert_ok();
    let text = site.read("content/guides/advanced/deep/expire-keys.md");
    assert!(text.contains("contact = [\"always\"]\n"), "{text}");
    // A category with no list anywhere above it gets no contact line.
    site.run(&["new", "contact/fax"]).assert_ok();
    assert!(!site.read("content/contact/fax.md").contains("contact ="));
    site.build().assert_ok();
}

/// The commands of the README's quick start, comments dropped.
fn readme_quick_start() -> Vec<String> {
    let readme = std::fs::read_to_string(common::repo_root().join("README.md")).unwrap();
    let section = readme
        .split("## Quick start")
        .nth(1)
        .expect("a quick start section");
    let block = section
        .split("```sh\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a shell block");
    block
        .lines()
        .map(|line| line.split('#').next().unwrap().trim().to_string())
        .filter(|line| !line.is_empty())
        .collect()
}

#[test]
fn the_readme_quick_start_works_as_written() {
    let commands = readme_quick_start();
    assert_eq!(
        commands,
        [
            "helpsite init my-help",
            "cd my-help",
            "helpsite new account/close-account",
            "helpsite serve",
            "helpsite build",
        ],
        "the quick start changed; update this test to run the new commands"
    );
    let work = Site::empty();
    let mut here = work.path().to_path_buf();
    for command in &commands {
        let words: Vec<&str> = command.split_whitespace().collect();
        match words.as_slice() {
            ["cd", dir] => here = here.join(dir),
            ["helpsite", "serve"] => {
                // It runs until stopped; on a free port so as not to clash with anything.
                let server = Server::start(&here, &[]);
                let home = server.get(&server.base_path());
                assert_eq!(home.status, 200, "{}", server.log());
            }
            ["helpsite", args @ ..] => {
                let run = run_in(&here, args);
                run.assert_ok();
                if args[0] == "new" {
                    assert_eq!(run.stdout.trim(), "content/account/close-account.md");
                }
            }
            _ => panic!("not a helpsite command: {command}"),
        }
    }
    assert!(here
        .join("public/account/close-account/index.html")
        .is_file());
    run_in(&here, &["check"]).assert_ok();
}

/// Runs `helpsite ARGS` in `dir` with the colour variables as given (and no others).
fn run_with_colour_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_helpsite"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("HELPSITE_TIMINGS");
    for name in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE"] {
        command.env_remove(name);
    }
    for (name, value) in env {
        command.env(name, value);
    }
    let out = command.output().expect("run helpsite");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn site_with_an_error() -> Site {
    let site = Site::fixture("basic");
    site.write(
        "content/billing/typo.md",
        "+++\ntitle = \"Typo\"\nwieght = 3\n+++\nBody\n",
    );
    site
}

#[test]
fn colours_only_when_forced_and_never_with_no_color() {
    let site = site_with_an_error();
    let forced = run_with_colour_env(site.path(), &["check"], &[("CLICOLOR_FORCE", "1")]);
    forced.assert_code(1);
    assert!(forced.stderr.contains("\u{1b}["), "{:?}", forced.stderr);
    assert!(
        forced.stderr.contains("unknown key `wieght`"),
        "{}",
        forced.stderr
    );

    let no_color = run_with_colour_env(
        site.path(),
        &["check"],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
    );
    no_color.assert_code(1);
    assert!(!no_color.stderr.contains('\u{1b}'), "{:?}", no_color.stderr);
    // Not a terminal, nothing forced: plain text too.
    let piped = run_with_colour_env(site.path(), &["check"], &[]);
    assert!(!piped.stderr.contains('\u{1b}'), "{:?}", piped.stderr);
    assert_eq!(
        anstream_free(&forced.stderr),
        no_color.stderr,
        "colours change nothing but colours"
    );
}

/// `text` without its ANSI colour sequences (ESC `[` ... `m`).
fn anstream_free(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find('\u{1b}') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let end = after.find('m').map_or(after.len(), |i| i + 1);
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn quiet_drops_warnings_but_keeps_errors() {
    let site = Site::fixture("basic");
    // Without errors, `check` warns (untranslated pages, missing descriptions).
    let loud = site.run(&["check"]);
    loud.assert_ok();
    assert!(!loud.warnings().is_empty(), "{}", loud.stderr);
    assert!(loud.stdout.starts_with("checked "), "{}", loud.stdout);
    for flag in ["--quiet", "-q"] {
        let quiet = site.run(&["check", flag]);
        quiet.assert_ok();
        assert_eq!((quiet.stdout.as_str(), quiet.stderr.as_str()), ("", ""));
    }
    let quiet_build = site.run(&["build", "--quiet"]);
    quiet_build.assert_ok();
    assert_eq!(quiet_build.stdout, "");

    let broken = site_with_an_error();
    let quiet = broken.run(&["check", "--quiet"]);
    quiet.assert_code(1);
    assert_eq!(
        quiet.errors(),
        [(
            "unknown key `wieght`".to_string(),
            "content/billing/typo.md:3:1".to_string()
        )]
    );
    assert!(quiet.warnings().is_empty(), "{}", quiet.stderr);
    assert!(!quiet.stderr.contains("warning:"), "{}", quiet.stderr);
}

/// Lines like `     parse:     3.2 ms`.
fn stage_lines(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|line| {
            let (stage, time) = line.split_once(": ")?;
            let ms = time.trim().strip_suffix(" ms")?;
            ms.parse::<f64>().ok()?;
            Some(stage.trim().to_string())
        })
        .collect()
}

#[test]
fn verbose_also_prints_the_time_of_each_stage() {
    let site = Site::fixture("basic");
    let plain = site.build();
    plain.assert_ok();
    assert!(stage_lines(&plain.stderr).is_empty(), "{}", plain.stderr);
    for (command, flag) in [("build", "--verbose"), ("check", "-v")] {
        let verbose = site.run(&[command, flag]);
        verbose.assert_ok();
        let stages = stage_lines(&verbose.stderr);
        for stage in ["discover", "parse", "model", "markdown"] {
            assert!(
                stages.iter().any(|s| s == stage),
                "{command} {flag}: no `{stage}` time in {stages:?}:\n{}",
                verbose.stderr
            );
        }
    }
    let both = site.run(&["build", "--quiet", "--verbose"]);
    both.assert_code(2);
}

#[test]
fn serve_quiet_prints_errors_only() {
    let site = Site::fixture("basic");
    // A folder with articles but no _index.md: a warning on every build.
    site.write(
        "content/loose/note.md",
        "+++\ntitle = \"Note\"\n+++\nText.\n",
    );
    {
        let loud = Server::start(site.path(), &[]);
        wait_until(
            || {
                loud.log()
                    .contains("warning: folder has articles but no _index.md")
            },
            "the warning",
            &loud,
        );
        assert!(loud.log().contains("rebuilt the site: "), "{}", loud.log());
    }
    let server = Server::start(site.path(), &["--quiet"]);
    let events = server.events();
    assert_eq!(events.recv_timeout(WAIT).unwrap().0, "hello");
    site.write(
        "content/loose/note.md",
        "+++\ntitle = \"Note\"\n+++\nNew text.\n",
    );
    assert_eq!(events.recv_timeout(WAIT).unwrap().0, "reload");
    site.write(
        "content/loose/note.md",
        "+++\ntitle = \"Note\"\nwieght = 1\n+++\n",
    );
    assert_eq!(events.recv_timeout(WAIT).unwrap().0, "error");
    wait_until(
        || server.log().contains("rebuild of "),
        "the failure line",
        &server,
    );
    let log = server.log();
    assert!(log.contains("error: unknown key `wieght`"), "{log}");
    assert!(!log.contains("warning:"), "{log}");
    assert!(!log.contains("rebuilt "), "{log}");
    assert!(
        log.starts_with("serving ") || log.contains("\nserving "),
        "{log}"
    );
}
