//! Shared helpers for the integration tests: a fixture site copied into a temporary
//! folder, the real `helpsite` binary run on it, and the written HTML parsed.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{Html, Selector};

/// A site in a temporary folder, removed when dropped.
pub struct Site {
    dir: tempfile::TempDir,
}

/// What a run of the binary did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from_output(out: Output) -> Self {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    #[track_caller]
    pub fn assert_ok(&self) -> &Self {
        assert_eq!(
            self.code, 0,
            "expected success.\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "unexpected exit code.\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Error lines (`error: ...`) each followed by its `--> file:line:col`.
    pub fn errors(&self) -> Vec<(String, String)> {
        self.located("error: ")
    }

    /// Warning lines (`warning: ...`) each followed by its `--> file:line:col`.
    pub fn warnings(&self) -> Vec<(String, String)> {
        self.located("warning: ")
    }

    fn located(&self, label: &str) -> Vec<(String, String)> {
        let lines: Vec<&str> = self.stderr.lines().collect();
        let mut found = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            if let Some(message) = line.strip_prefix(label) {
                if let Some(location) = lines.get(i + 1).and_then(|l| l.trim().strip_prefix("--> "))
                {
                    found.push((message.to_string(), location.to_string()));
                }
            }
        }
        found
    }
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture_dir(name: &str) -> PathBuf {
    repo_root().join("tests").join("fixtures").join(name)
}

impl Site {
    /// A copy of `tests/fixtures/NAME`.
    pub fn fixture(name: &str) -> Self {
        let site = Site::empty();
        copy_tree(&fixture_dir(name), site.path());
        site
    }

    /// Adds an article that sorts after every other source (`zz-last.md`), on a
    /// template that fails to render: the build fails after the other pages rendered.
    pub fn add_page_that_fails_to_render(&self) -> &Self {
        self.write(
            "content/zz-last.md",
            "+++\ntitle = \"Last\"\ntemplate = \"broken.html\"\n+++\n\nBody.\n",
        );
        self.write("templates/broken.html", "<p>fine</p>\n{{ nope.missing }}\n")
    }

    /// A copy of the fixture NAME with `setting` (a line such as `relative_links = true`)
    /// first among the top-level settings of its config.
    pub fn fixture_with(name: &str, setting: Option<&str>) -> Self {
        let site = Site::fixture(name);
        if let Some(setting) = setting {
            let config = site.read("config.toml");
            site.write("config.toml", &format!("{setting}\n{config}"));
        }
        site
    }

    pub fn empty() -> Self {
        Site {
            dir: tempfile::tempdir().expect("temporary folder"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        self.write_bytes(rel, text.as_bytes())
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
        self
    }

    pub fn remove(&self, rel: &str) -> &Self {
        std::fs::remove_file(self.path().join(rel)).unwrap();
        self
    }

    /// Runs `helpsite ARGS` with the site as working directory.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.path(), args)
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path().join(rel).exists()
    }

    /// Sets `key = value` in the TOML front matter of the Markdown file `rel` (in
    /// place of the line it had, before any table: a key after `[taxonomies]` would
    /// be a taxonomy) and returns the file's absolute path.
    pub fn set_front(&self, rel: &str, key: &str, value: &str) -> PathBuf {
        let text = self.read(rel);
        let end = text[3..].find("+++").unwrap() + 3;
        let mut lines: Vec<String> = text[3..end]
            .lines()
            .filter(|l| !l.starts_with(&format!("{key} =")))
            .map(String::from)
            .collect();
        let at = lines
            .iter()
            .position(|l| l.starts_with('['))
            .unwrap_or(lines.len());
        lines.insert(at, format!("{key} = {value}"));
        let front = format!("+++{}\n", lines.join("\n"));
        self.write(rel, &format!("{front}{}", &text[end..]));
        self.path().join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        let path = self.path().join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    pub fn html(&self, rel: &str) -> Html {
        Html::parse_document(&self.read(rel))
    }

    /// Every file under `rel` with its bytes, sorted by path.
    pub fn snapshot(&self, rel: &str) -> Vec<(PathBuf, Vec<u8>)> {
        snapshot(&self.path().join(rel))
    }
}

pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_helpsite"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("HELPSITE_TIMINGS")
        .output()
        .expect("run helpsite");
    Run::from_output(out)
}

pub fn snapshot(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(root).unwrap().to_path_buf();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

pub fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"));
    html.select(&selector).collect()
}

pub fn text_of(element: &scraper::ElementRef<'_>) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Text of the first element matching `css`.
#[track_caller]
pub fn first_text(html: &Html, css: &str) -> String {
    let found = select(html, css);
    let first = found
        .first()
        .unwrap_or_else(|| panic!("nothing matches {css}"));
    text_of(first)
}

pub fn attrs(html: &Html, css: &str, attr: &str) -> Vec<String> {
    select(html, css)
        .iter()
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}
pub mod axe;
pub mod browser;
pub mod capture;
pub mod devtools;
pub mod request_form;
pub mod saves;
pub mod serve;

/// A finished run of the binary with what it cost.
pub struct Measured {
    /// `None` when the run had to be killed at its deadline.
    pub run: Option<Run>,
    /// The child's peak resident set size (its high-water mark), in bytes; see
    /// [`run_measured`].
    pub max_rss: u64,
    pub elapsed: std::time::Duration,
}

/// Runs `helpsite ARGS` in `dir`, killing it at `limit`, and reads the child's peak
/// RSS from the kernel when reaping it (`wait4`), so no other child of the test
/// process is counted. Linux starts that figure from the spawning process's own peak
/// (the memory it had when it exec'd the binary), so it is an upper bound: keep the
/// test process small before a run whose figure matters.
#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
pub fn run_measured(dir: &Path, args: &[&str], limit: std::time::Duration) -> Measured {
    use std::io::Read;
    use std::os::unix::process::ExitStatusExt;
    use std::process::Stdio;
    use std::time::Instant;

    // `struct rusage` of 64-bit Linux: two timevals, then fourteen longs.
    #[repr(C)]
    #[derive(Default)]
    struct Rusage {
        utime: [i64; 2],
        stime: [i64; 2],
        maxrss_kib: i64,
        rest: [i64; 13],
    }
    extern "C" {
        fn wait4(pid: i32, status: *mut i32, options: i32, usage: *mut Rusage) -> i32;
    }
    const WNOHANG: i32 = 1;

    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_helpsite"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("HELPSITE_TIMINGS")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run helpsite");
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let out = drain(Box::new(child.stdout.take().expect("piped stdout")));
    let err = drain(Box::new(child.stderr.take().expect("piped stderr")));
    let pid = child.id() as i32;
    let mut usage = Rusage::default();
    let mut raw_status = 0i32;
    let mut killed = false;
    loop {
        // SAFETY: `pid` is our own unreaped child; both pointers are valid for the call.
        let reaped = unsafe { wait4(pid, &mut raw_status, WNOHANG, &mut usage) };
        assert!(reaped >= 0, "wait4: {}", std::io::Error::last_os_error());
        if reaped == pid {
            break;
        }
        if !killed && started.elapsed() >= limit {
            // Not reaped yet, so the PID is still this child's.
            let _ = child.kill();
            killed = true;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let elapsed = started.elapsed();
    // The child is reaped: `child` must not be waited on or killed again (dropping it
    // does neither).
    drop(child);
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    let status = std::process::ExitStatus::from_raw(raw_status);
    Measured {
        run: (!killed).then(|| Run {
            code: status.code().unwrap_or(-1),
            stdout,
            stderr,
        }),
        max_rss: usage.maxrss_kib as u64 * 1024,
        elapsed,
    }
}

/// Every file of an in-memory build, with its bytes, in the build's order.
pub fn built_files(output: &helpsite::pipeline::BuildOutput) -> Vec<(String, Vec<u8>)> {
    use helpsite::output::files::FileContent;
    output
        .files
        .iter()
        .map(|f| {
            let bytes = match &f.content {
                FileContent::Bytes(b) => b.clone(),
                FileContent::Shared(b) => b.to_vec(),
                FileContent::Copy(data) => data.read().unwrap().into_owned(),
                FileContent::Written => panic!("{}: an in-memory build wrote a file", f.path),
            };
            (f.path.clone(), bytes)
        })
        .collect()
}
