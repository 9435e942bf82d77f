//! install.sh against a local mirror: the binary under test is packed into a release
//! archive by scripts/release.sh itself (`BINARY=...`, so no release build is needed),
//! the folder is served on 127.0.0.1, and the installer is pointed at it with
//! HELPSITE_DOWNLOAD_URL. A good archive installs a working binary; a changed byte, a
//! missing file or an unknown platform install nothing and leave no temporary files.
//! Also the release text: the changelog section a tag publishes.
#![cfg(unix)]

use crate::common;

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::thread::JoinHandle;

use common::repo_root;

/// The archive install.sh asks for on this machine (its `detect_target`).
fn this_target() -> String {
    let os = match std::env::consts::OS {
        "linux" => "unknown-linux-musl",
        "macos" => "apple-darwin",
        other => panic!("no release target for {other}"),
    };
    format!("{}-{os}", std::env::consts::ARCH)
}

fn archive_name() -> String {
    format!("helpsite-{}.tar.xz", this_target())
}

/// The archive and checksum of the binary under test, made by scripts/release.sh once
/// for all the tests here (quick compression: the debug binary is large).
fn release_files() -> &'static tempfile::TempDir {
    static RELEASE: OnceLock<tempfile::TempDir> = OnceLock::new();
    RELEASE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("release folder");
        let out = Command::new("bash")
            .arg(repo_root().join("scripts/release.sh"))
            .env("BINARY", env!("CARGO_BIN_EXE_helpsite"))
            .env("TARGET", this_target())
            .env("DIST", dir.path())
            .env("XZ_OPT", "-0")
            .output()
            .expect("run scripts/release.sh");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "release.sh failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let archive = dir.path().join(archive_name());
        let last = stdout.lines().last().unwrap_or_default();
        assert_eq!(Path::new(last), archive, "release.sh's last line");
        let sum = std::fs::read_to_string(dir.path().join(format!("{}.sha256", archive_name())))
            .expect("the .sha256 file");
        assert!(
            sum.ends_with(&format!("  {}\n", archive_name()))
                && sum.len() == 64 + 2 + archive_name().len() + 1,
            "sha256sum format: {sum:?}"
        );
        dir
    })
}

/// A folder of release files served over HTTP on 127.0.0.1 until dropped.
struct Mirror {
    dir: tempfile::TempDir,
    url: String,
    server: Arc<tiny_http::Server>,
    requests: Arc<AtomicUsize>,
    thread: Option<JoinHandle<()>>,
}

impl Mirror {
    /// A mirror holding the archive and checksum that scripts/release.sh makes from the
    /// binary under test (made once, copied into each test's mirror).
    fn with_release() -> Self {
        let mirror = Mirror::empty();
        let release = release_files();
        for name in [archive_name(), format!("{}.sha256", archive_name())] {
            std::fs::copy(release.path().join(&name), mirror.file(&name)).expect("copy");
        }
        mirror
    }

    fn empty() -> Self {
        let dir = tempfile::tempdir().expect("mirror folder");
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind 127.0.0.1"));
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let requests = Arc::new(AtomicUsize::new(0));
        let root = dir.path().to_path_buf();
        let thread = {
            let server = Arc::clone(&server);
            let requests = Arc::clone(&requests);
            std::thread::spawn(move || serve_files(&server, &root, &requests))
        };
        Mirror {
            dir,
            url: format!("http://127.0.0.1:{port}"),
            server,
            requests,
            thread: Some(thread),
        }
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for Mirror {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            thread.join().expect("mirror thread");
        }
    }
}

fn serve_files(server: &tiny_http::Server, root: &Path, requests: &AtomicUsize) {
    for request in server.incoming_requests() {
        requests.fetch_add(1, Ordering::SeqCst);
        let name = request.url().trim_start_matches('/').to_string();
        let file = (!name.contains('/') && !name.starts_with('.'))
            .then(|| std::fs::read(root.join(&name)).ok())
            .flatten();
        let response = match file {
            Some(bytes) => tiny_http::Response::new(
                tiny_http::StatusCode(200),
                Vec::new(),
                Cursor::new(bytes.clone()),
                Some(bytes.len()),
                None,
            ),
            None => tiny_http::Response::new(
                tiny_http::StatusCode(404),
                Vec::new(),
                Cursor::new(b"not found".to_vec()),
                Some(9),
                None,
            ),
        };
        let _ = request.respond(response);
    }
}

/// A home, a temporary folder and an install folder for one run of the installer.
struct Place {
    dir: tempfile::TempDir,
}

impl Place {
    fn new() -> Self {
        let place = Place {
            dir: tempfile::tempdir().expect("temporary folder"),
        };
        for sub in ["home", "tmp"] {
            std::fs::create_dir(place.path(sub)).expect("folder");
        }
        place
    }

    fn path(&self, sub: &str) -> PathBuf {
        self.dir.path().join(sub)
    }

    /// What is left in the installer's temporary folder (TMPDIR).
    fn leftovers(&self) -> Vec<String> {
        names_in(&self.path("tmp"))
    }
}

fn names_in(dir: &Path) -> Vec<String> {
    match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    }
}

struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs install.sh with only /usr/bin:/bin (or `path`) on PATH.
fn install(place: &Place, vars: &[(&str, &str)], path: Option<&str>) -> Outcome {
    let out = Command::new("/bin/sh")
        .arg(repo_root().join("install.sh"))
        .env_clear()
        .env("PATH", path.unwrap_or("/usr/bin:/bin"))
        .env("HOME", place.path("home"))
        .env("TMPDIR", place.path("tmp"))
        .envs(vars.iter().copied())
        .output()
        .expect("run install.sh");
    Outcome {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn helpsite_version(binary: &Path) -> String {
    let out = Command::new(binary)
        .arg("--version")
        .output()
        .expect("run the helpsite binary");
    assert!(
        out.status.success(),
        "{} --version failed",
        binary.display()
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn installs_a_working_binary_from_a_local_mirror_into_the_default_folder() {
    let mirror = Mirror::with_release();
    let place = Place::new();
    let outcome = install(&place, &[("HELPSITE_DOWNLOAD_URL", &mirror.url)], None);
    assert_eq!(outcome.code, 0, "{}\n{}", outcome.stdout, outcome.stderr);

    let installed = place.path("home/.local/bin/helpsite");
    assert_eq!(
        helpsite_version(&installed),
        helpsite_version(Path::new(env!("CARGO_BIN_EXE_helpsite")))
    );
    assert_eq!(names_in(&place.path("home/.local/bin")), ["helpsite"]);
    // The installed program builds a site on its own.
    let site = place.path("site");
    let init = Command::new(&installed)
        .arg("init")
        .arg(&site)
        .output()
        .unwrap();
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let build = Command::new(&installed)
        .arg("build")
        .current_dir(&site)
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(site.join("public/index.html").is_file());

    assert!(
        outcome.stdout.contains("is not on your PATH yet") && outcome.stdout.contains(".profile"),
        "says how to put it on PATH:\n{}",
        outcome.stdout
    );
    assert_eq!(place.leftovers(), Vec::<String>::new());
    assert_eq!(mirror.requests(), 2, "the archive and its checksum");
}

#[test]
fn one_changed_byte_of_the_archive_installs_nothing() {
    let mirror = Mirror::with_release();
    let archive = mirror.file(&archive_name());
    let mut bytes = std::fs::read(&archive).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&archive, bytes).unwrap();

    let place = Place::new();
    let bin = place.path("bin");
    let outcome = install(
        &place,
        &[
            ("HELPSITE_DOWNLOAD_URL", &mirror.url),
            ("HELPSITE_INSTALL_DIR", bin.to_str().unwrap()),
        ],
        None,
    );
    assert_ne!(outcome.code, 0, "{}", outcome.stdout);
    assert!(
        outcome.stderr.contains("checksum mismatch") && outcome.stderr.contains(&archive_name()),
        "{}",
        outcome.stderr
    );
    assert!(!bin.exists(), "nothing installed: {:?}", names_in(&bin));
    assert_eq!(place.leftovers(), Vec::<String>::new());
}

#[test]
fn an_upgrade_with_a_bad_archive_keeps_the_installed_program() {
    let mirror = Mirror::with_release();
    let place = Place::new();
    let bin = place.path("bin");
    let vars = [
        ("HELPSITE_DOWNLOAD_URL", mirror.url.as_str()),
        ("HELPSITE_INSTALL_DIR", bin.to_str().unwrap()),
    ];
    assert_eq!(install(&place, &vars, None).code, 0);
    let before = std::fs::read(bin.join("helpsite")).unwrap();

    // The checksum file now names other bytes.
    std::fs::write(
        mirror.file(&format!("{}.sha256", archive_name())),
        format!("{}  {}\n", "0".repeat(64), archive_name()),
    )
    .unwrap();
    let outcome = install(&place, &vars, None);
    assert_ne!(outcome.code, 0);
    assert!(
        outcome.stderr.contains("checksum mismatch"),
        "{}",
        outcome.stderr
    );
    assert_eq!(std::fs::read(bin.join("helpsite")).unwrap(), before);
    assert_eq!(names_in(&bin), ["helpsite"]);
    assert_eq!(place.leftovers(), Vec::<String>::new());
}

#[test]
fn a_failed_download_installs_nothing() {
    let mirror = Mirror::empty();
    let place = Place::new();
    let bin = place.path("bin");
    let outcome = install(
        &place,
        &[
            ("HELPSITE_DOWNLOAD_URL", &format!("{}/", mirror.url)),
            ("HELPSITE_INSTALL_DIR", bin.to_str().unwrap()),
        ],
        None,
    );
    assert_ne!(outcome.code, 0);
    let expected = format!("could not download {}/{}", mirror.url, archive_name());
    assert!(outcome.stderr.contains(&expected), "{}", outcome.stderr);
    assert!(!bin.exists());
    assert_eq!(place.leftovers(), Vec::<String>::new());
    assert_eq!(mirror.requests(), 1);
}

/// A folder of links to every program in /usr/bin and /bin but the `skip`ped ones, and
/// the given scripts: a PATH on which install.sh meets another computer.
fn tools_without(place: &Place, skip: &[&str], scripts: &[(&str, &str)]) -> String {
    let tools = place.path("tools");
    std::fs::create_dir_all(&tools).unwrap();
    for dir in ["/usr/bin", "/bin"] {
        for name in names_in(Path::new(dir)) {
            let link = tools.join(&name);
            if skip.contains(&name.as_str()) || link.exists() {
                continue;
            }
            std::os::unix::fs::symlink(Path::new(dir).join(&name), link).unwrap();
        }
    }
    for (name, text) in scripts {
        let path = tools.join(name);
        let _ = std::fs::remove_file(&path);
        std::fs::write(&path, format!("#!/bin/sh\n{text}\n")).unwrap();
        let mut perms = std::fs::metadata(&path).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
        std::fs::set_permissions(&path, perms).unwrap();
    }
    tools.to_string_lossy().into_owned()
}

#[test]
fn an_unknown_platform_is_named_and_nothing_is_downloaded() {
    let mirror = Mirror::with_release();
    for (uname, named) in [
        (
            r#"case "$1" in -s) echo SunOS ;; -m) echo x86_64 ;; esac"#,
            "system 'SunOS'",
        ),
        (
            r#"case "$1" in -s) echo Linux ;; -m) echo riscv64 ;; esac"#,
            "CPU 'riscv64'",
        ),
    ] {
        let place = Place::new();
        let path = tools_without(&place, &[], &[("uname", uname)]);
        let bin = place.path("bin");
        let outcome = install(
            &place,
            &[
                ("HELPSITE_DOWNLOAD_URL", &mirror.url),
                ("HELPSITE_INSTALL_DIR", bin.to_str().unwrap()),
            ],
            Some(&path),
        );
        assert_ne!(outcome.code, 0);
        assert!(
            outcome
                .stderr
                .contains(&format!("no helpsite archive for the {named}")),
            "{}",
            outcome.stderr
        );
        assert!(!bin.exists());
        assert_eq!(place.leftovers(), Vec::<String>::new());
    }
    assert_eq!(mirror.requests(), 0);
}

#[test]
fn wget_does_when_curl_is_missing() {
    if !Path::new("/usr/bin/wget").exists() {
        eprintln!("SKIPPED: wget is not installed");
        return;
    }
    let mirror = Mirror::with_release();
    let place = Place::new();
    let path = tools_without(&place, &["curl"], &[]);
    let bin = place.path("bin");
    let outcome = install(
        &place,
        &[
            ("HELPSITE_DOWNLOAD_URL", &mirror.url),
            ("HELPSITE_INSTALL_DIR", bin.to_str().unwrap()),
        ],
        Some(&format!("{path}:{}", bin.display())),
    );
    assert_eq!(outcome.code, 0, "{}\n{}", outcome.stdout, outcome.stderr);
    assert!(bin.join("helpsite").is_file());
    assert!(
        outcome.stdout.contains("run: helpsite --help"),
        "already on PATH:\n{}",
        outcome.stdout
    );
    assert_eq!(mirror.requests(), 2);
}

/// Runs scripts/changelog-section.sh VERSION on a changelog with the given text.
fn changelog_section(changelog: &str, version: &str) -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("CHANGELOG.md");
    std::fs::write(&file, changelog).unwrap();
    let out = Command::new("sh")
        .arg(repo_root().join("scripts/changelog-section.sh"))
        .arg(version)
        .arg(&file)
        .output()
        .expect("run changelog-section.sh");
    Outcome {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

const CHANGELOG: &str = "# Changelog

Intro.

## [Unreleased]

## [0.2.0] - 2026-12-10

### Added

- Installers.

### Fixed

- A bug.

## [0.10.0] - 2027-01-01

- Not this one.

## [0.1.0] - 2026-11-22

- First.

[0.2.0]: https://example.com/compare/v0.1.0...v0.2.0
";

#[test]
fn the_release_text_is_the_changelog_section_of_the_tag() {
    let section = changelog_section(CHANGELOG, "v0.2.0");
    assert_eq!(section.code, 0, "{}", section.stderr);
    assert_eq!(
        section.stdout,
        "### Added\n\n- Installers.\n\n### Fixed\n\n- A bug.\n"
    );
    // The last section stops at the link definitions.
    assert_eq!(changelog_section(CHANGELOG, "0.1.0").stdout, "- First.\n");
}

#[test]
fn a_version_without_changelog_text_is_refused() {
    for version in ["0.3.0", "Unreleased", "0.2", "0.1"] {
        let section = changelog_section(CHANGELOG, version);
        assert_eq!(section.code, 1, "{version}: {}", section.stdout);
        assert!(
            section
                .stderr
                .contains(&format!("no text for version {version}")),
            "{}",
            section.stderr
        );
    }
}

#[test]
fn the_changelog_has_an_unreleased_section_or_one_for_the_crate_version() {
    let text = std::fs::read_to_string(repo_root().join("CHANGELOG.md")).unwrap();
    let unreleased = changelog_section(&text, "Unreleased");
    let current = changelog_section(&text, env!("CARGO_PKG_VERSION"));
    assert!(
        unreleased.code == 0 || current.code == 0,
        "CHANGELOG.md needs text under [Unreleased] or [{}]",
        env!("CARGO_PKG_VERSION")
    );
}
