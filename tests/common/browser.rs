//! The real-browser harness shared by the browser test files.
//!
//! Each test builds the demo site (the repository root) with the real `helpsite` binary,
//! serves the output on 127.0.0.1 with a small static file server, starts `chromedriver`
//! and drives Chromium through WebDriver (fantoccini).
//!
//! Browser test files use it through `mod common; use common::browser::*;`. Its parts:
//! - [`build_demo_site`] / [`build_site`]: run `helpsite build` into a temp folder;
//! - [`SiteServer::start`]: serve a built folder (`/x/` -> `x/index.html`);
//! - [`BrowserSession::start_or_skip`]: chromedriver + headless Chromium, or a skip
//!   (a failure when `CI=true`) when the browser is not installed;
//! - small helpers for links, visibility and waiting ([`links_in`], [`wait_for_url_change`]).
//!
//! A test looks like:
//! ```ignore
//! let Some(browser) = BrowserSession::start_or_skip().await else { return };
//! let site = SiteServer::start(build_demo_site());
//! browser.goto(&site.url("/")).await;
//! // ... assertions ...
//! browser.close().await;
//! ```
//! Every process and folder is cleaned up by `Drop`, also when an assertion fails.

use std::fs::File;
use std::io::Write;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use tempfile::TempDir;

/// Chromium binary used by chromedriver; override with `HELPSITE_CHROMIUM`.
const DEFAULT_CHROMIUM: &str = "/usr/bin/chromium";
/// chromedriver executable (looked up in PATH); override with `HELPSITE_CHROMEDRIVER`.
const DEFAULT_CHROMEDRIVER: &str = "chromedriver";
/// How long to wait for chromedriver to listen, a page to change, and so on.
const WAIT: Duration = Duration::from_secs(20);

// ---------------------------------------------------------------------------
// Building a site with the real binary
// ---------------------------------------------------------------------------

/// A site built into a temporary folder; the folder is removed on drop.
pub struct BuiltSite {
    _dir: TempDir,
    /// The output folder (`<tempdir>/public`).
    pub public: PathBuf,
}

/// Builds the repository's own demo site (content/ + config.toml at the crate root).
pub fn build_demo_site() -> BuiltSite {
    build_site(Path::new(env!("CARGO_MANIFEST_DIR")), &[])
}

/// Runs `helpsite build --root ROOT --output <tempdir>/public [extra_args]` and panics
/// with the command's output if it does not exit 0.
pub fn build_site(root: &Path, extra_args: &[&str]) -> BuiltSite {
    let dir = tempfile::Builder::new()
        .prefix("helpsite-browser-site-")
        .tempdir()
        .expect("create a temp dir for the built site");
    let public = dir.path().join("public");
    let output = Command::new(env!("CARGO_BIN_EXE_helpsite"))
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(&public)
        .args(extra_args)
        .output()
        .expect("run the helpsite binary");
    assert!(
        output.status.success(),
        "helpsite build --root {} failed ({}):\n--- stdout\n{}\n--- stderr\n{}",
        root.display(),
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    assert!(
        public.join("index.html").is_file(),
        "helpsite build wrote no {}",
        public.join("index.html").display()
    );
    BuiltSite { _dir: dir, public }
}

// ---------------------------------------------------------------------------
// A static file server on 127.0.0.1
// ---------------------------------------------------------------------------

/// Serves a built site on a free loopback port until dropped, like a static host:
/// `/x/` serves `x/index.html`, `/x` redirects to `/x/` when `x` is a folder, a missing
/// file gets `404.html` with status 404.
pub struct SiteServer {
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
    addr: SocketAddr,
    site: BuiltSite,
}

impl SiteServer {
    pub fn start(site: BuiltSite) -> SiteServer {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind 127.0.0.1:0"));
        let addr = server
            .server_addr()
            .to_ip()
            .expect("the site server listens on an IP address");
        let root = site.public.clone();
        let thread = {
            let server = Arc::clone(&server);
            std::thread::spawn(move || {
                // `incoming_requests` ends when `unblock` is called from `Drop`.
                for request in server.incoming_requests() {
                    serve_static(&root, request);
                }
            })
        };
        SiteServer {
            server,
            thread: Some(thread),
            addr,
            site,
        }
    }

    /// The absolute URL of `path` (which starts with `/`) on this server.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// The folder being served.
    pub fn root(&self) -> &Path {
        &self.site.public
    }
}

impl Drop for SiteServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve_static(root: &Path, request: tiny_http::Request) {
    let raw_path = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_owned();
    let Some(relative) = url_path_to_relative(&raw_path) else {
        let _ = request.respond(tiny_http::Response::empty(400));
        return;
    };
    let mut file_path = root.join(&relative);
    if file_path.is_dir() {
        if !raw_path.ends_with('/') {
            let location = format!("{raw_path}/");
            let header = tiny_http::Header::from_bytes("Location", location.as_bytes())
                .expect("a valid Location header");
            let _ = request.respond(tiny_http::Response::empty(301).with_header(header));
            return;
        }
        file_path = file_path.join("index.html");
    }
    let (status, file_path) = if file_path.is_file() {
        (200, file_path)
    } else {
        (404, root.join("404.html"))
    };
    match File::open(&file_path) {
        Ok(file) => {
            let content_type =
                tiny_http::Header::from_bytes("Content-Type", content_type(&file_path))
                    .expect("a valid Content-Type header");
            let response = tiny_http::Response::from_file(file)
                .with_status_code(status)
                .with_header(content_type);
            let _ = request.respond(response);
        }
        Err(_) => {
            let _ = request
                .respond(tiny_http::Response::from_string("not found").with_status_code(404));
        }
    }
}

/// `/a/b%20c/` -> `a/b c/`; `None` for anything that could leave the served folder.
pub fn url_path_to_relative(url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path)?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let relative = PathBuf::from(decoded.trim_start_matches('/'));
    relative
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
        .then_some(relative)
}

/// Decodes once; a `%` not followed by two hex digits makes the path invalid.
fn percent_decode(s: &str) -> Option<String> {
    let well_formed = s
        .split('%')
        .skip(1)
        .all(|rest| rest.len() >= 2 && rest.as_bytes()[..2].iter().all(u8::is_ascii_hexdigit));
    if !well_formed {
        return None;
    }
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(|decoded| decoded.into_owned())
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

// ---------------------------------------------------------------------------
// chromedriver + headless Chromium
// ---------------------------------------------------------------------------

/// The chromedriver child process, killed (with the browsers it started) on drop.
struct Chromedriver {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Chromedriver {
    fn start(executable: &str, log_dir: &Path) -> Chromedriver {
        let port = free_port();
        let log = log_dir.join("chromedriver.log");
        let log_file = File::create(&log).expect("create the chromedriver log");
        let mut command = Command::new(executable);
        command
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().expect("clone the log handle"))
            .stderr(log_file);
        // Own process group, so that `Drop` can also end the Chromium processes the
        // driver started if the test fails before the session is closed.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("start {executable}: {e}"));
        let mut driver = Chromedriver { child, port, log };
        driver.wait_until_listening();
        driver
    }

    fn wait_until_listening(&mut self) {
        let deadline = Instant::now() + WAIT;
        let addr = SocketAddr::from(([127, 0, 0, 1], self.port));
        loop {
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("chromedriver exited early ({status}):\n{}", self.log_text());
            }
            if Instant::now() > deadline {
                panic!(
                    "chromedriver did not listen on port {} within {WAIT:?}:\n{}",
                    self.port,
                    self.log_text()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        #[cfg(unix)]
        {
            // The group id is the child's PID (process_group(0) above).
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", self.child.id())])
                .stderr(Stdio::null())
                .status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A free TCP port on 127.0.0.1 (bound and released; the window for a race is tiny).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("find a free port")
}

fn chromium_binary() -> String {
    std::env::var("HELPSITE_CHROMIUM").unwrap_or_else(|_| DEFAULT_CHROMIUM.to_owned())
}

fn chromedriver_executable() -> Option<String> {
    let name =
        std::env::var("HELPSITE_CHROMEDRIVER").unwrap_or_else(|_| DEFAULT_CHROMEDRIVER.to_owned());
    if name.contains('/') {
        return Path::new(&name).is_file().then_some(name);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(&name))
        .find(|candidate| candidate.is_file())
        .map(|found| found.to_string_lossy().into_owned())
}

fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// A WebDriver session in a fresh headless Chromium profile.
pub struct BrowserSession {
    client: Client,
    // Dropped after `client`: kill the driver, then remove the profile folder.
    _driver: Chromedriver,
    _profile: TempDir,
}

impl BrowserSession {
    /// Starts chromedriver and a headless Chromium. When either is missing: panics on
    /// CI (`CI=true`), otherwise prints a loud skip notice and returns `None`.
    pub async fn start_or_skip() -> Option<BrowserSession> {
        let chromium = chromium_binary();
        let driver = chromedriver_executable();
        let missing: Vec<&str> = [
            (!Path::new(&chromium).is_file()).then_some("chromium"),
            driver.is_none().then_some("chromedriver"),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !missing.is_empty() {
            let what = missing.join(" and ");
            if on_ci() {
                panic!(
                    "CI=true but {what} is not installed (chromium: {chromium}); \
                     run `bash scripts/test.sh`, which installs chromium and chromium-driver"
                );
            }
            // Written to stderr directly: the test harness captures `eprintln!` of
            // passing tests, and a skip must not go unnoticed.
            let notice = format!(
                "\n==================================================================\n\
                 SKIPPED: browser test ({what} not found).\n\
                 SKIPPED: install chromium chromium-driver (or run bash scripts/test.sh)\n\
                 ==================================================================\n"
            );
            let _ = std::io::stderr().write_all(notice.as_bytes());
            return None;
        }
        Some(Self::start(&chromium, driver.as_deref().unwrap_or(DEFAULT_CHROMEDRIVER)).await)
    }

    async fn start(chromium: &str, chromedriver: &str) -> BrowserSession {
        let profile = tempfile::Builder::new()
            .prefix("helpsite-chromium-")
            .tempdir()
            .expect("create a Chromium profile dir");
        let driver = Chromedriver::start(chromedriver, profile.path());
        let user_data_dir = profile.path().join("user-data");
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                    "--window-size=1280,900",
                    format!("--user-data-dir={}", user_data_dir.display()),
                ],
            },
        });
        let serde_json::Value::Object(capabilities) = capabilities else {
            unreachable!("json!({{..}}) is an object")
        };
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = match ClientBuilder::new(connector)
            .capabilities(capabilities)
            .connect(&driver.url())
            .await
        {
            Ok(client) => client,
            Err(e) => panic!(
                "could not start headless Chromium through chromedriver: {e}\n--- chromedriver log\n{}",
                driver.log_text()
            ),
        };
        BrowserSession {
            client,
            _driver: driver,
            _profile: profile,
        }
    }

    /// The WebDriver client, for anything the helpers below do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Opens a page. A navigation that stalls (seen now and then on a busy machine with
    /// several Chromiums) is tried again after 30 s instead of waiting out chromedriver's
    /// five-minute page-load limit.
    pub async fn goto(&self, url: &str) {
        const ATTEMPTS: usize = 3;
        self.client
            .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
                Some(Duration::from_secs(60)),
                Some(Duration::from_secs(30)),
                Some(Duration::ZERO),
            ))
            .await
            .expect("set the page-load timeout");
        for attempt in 1..=ATTEMPTS {
            match self.client.goto(url).await {
                Ok(()) => return,
                Err(e) if attempt < ATTEMPTS => eprintln!("open {url}: {e}; trying again"),
                Err(e) => panic!("open {url}: {e}"),
            }
        }
    }

    pub async fn current_url(&self) -> String {
        self.client
            .current_url()
            .await
            .expect("read the current URL")
            .to_string()
    }

    pub async fn title(&self) -> String {
        self.client.title().await.expect("read the document title")
    }

    /// Every element matching a CSS selector (possibly none).
    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        self.client
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("find {css}: {e}"))
    }

    /// The first element matching a CSS selector; panics naming the page if none.
    pub async fn find(&self, css: &str) -> Element {
        match self.client.find(Locator::Css(css)).await {
            Ok(element) => element,
            Err(e) => panic!("no `{css}` on {}: {e}", self.current_url().await),
        }
    }

    /// Ends the WebDriver session cleanly (Chromium exits); `Drop` covers the rest.
    pub async fn close(self) {
        let BrowserSession {
            client,
            _driver,
            _profile,
        } = self;
        let _ = client.close().await;
    }
}

// ---------------------------------------------------------------------------
// Page helpers
// ---------------------------------------------------------------------------

/// A link as the reader's browser resolved it.
pub struct Link {
    pub element: Element,
    /// The absolute URL (the `href` property, resolved against the page).
    pub href: String,
    pub text: String,
}

impl Link {
    /// The URL path (`/account/` for `http://127.0.0.1:1234/account/#x`).
    pub fn path(&self) -> &str {
        url_path(&self.href)
    }
}

/// `http://host:port/a/b/?q#f` -> `/a/b/`.
pub fn url_path(url: &str) -> &str {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_scheme
        .find('/')
        .map_or("/", |slash| &after_scheme[slash..]);
    path.split(['?', '#']).next().unwrap_or("/")
}

/// The visible links inside elements matching `container_css` (e.g. `main`) that point
/// into this site (same origin as `site_url`), in document order.
pub async fn links_in(browser: &BrowserSession, container_css: &str, site_url: &str) -> Vec<Link> {
    let origin = site_url.trim_end_matches('/');
    let mut links = Vec::new();
    for anchor in browser.find_all(&format!("{container_css} a[href]")).await {
        let Some(href) = anchor.prop("href").await.expect("read a link's href") else {
            continue;
        };
        if !href.starts_with(origin) || !anchor.is_displayed().await.unwrap_or(false) {
            continue;
        }
        let text = anchor.text().await.unwrap_or_default().trim().to_owned();
        links.push(Link {
            element: anchor,
            href,
            text,
        });
    }
    links
}

/// Links whose path is exactly one folder below `parent` (`/en/` -> `/en/account/`),
/// i.e. the category links of a home page. Duplicates (same path) are kept once.
pub fn links_one_level_below<'a>(links: &'a [Link], parent: &str) -> Vec<&'a Link> {
    let mut seen = Vec::new();
    links
        .iter()
        .filter(|link| {
            let Some(rest) = link.path().strip_prefix(parent) else {
                return false;
            };
            let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
            segments.len() == 1 && rest.ends_with('/')
        })
        .filter(|link| {
            let fresh = !seen.contains(&link.path().to_owned());
            if fresh {
                seen.push(link.path().to_owned());
            }
            fresh
        })
        .collect()
}

/// Links whose path lies strictly below `parent` (`/account/` -> `/account/x/`).
pub fn links_below<'a>(links: &'a [Link], parent: &str) -> Vec<&'a Link> {
    links
        .iter()
        .filter(|link| {
            link.path()
                .strip_prefix(parent)
                .is_some_and(|rest| !rest.trim_matches('/').is_empty())
        })
        .collect()
}

/// Waits until the browser's URL differs from `before`; returns the new URL.
pub async fn wait_for_url_change(browser: &BrowserSession, before: &str) -> String {
    let deadline = Instant::now() + WAIT;
    loop {
        let now = browser.current_url().await;
        if now != before {
            return now;
        }
        assert!(
            Instant::now() < deadline,
            "the URL stayed {before} for {WAIT:?} after a click"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The visible, non-empty text of the first element matching `css`.
pub async fn visible_text(browser: &BrowserSession, css: &str) -> String {
    let element = browser.find(css).await;
    let url = browser.current_url().await;
    assert!(
        element.is_displayed().await.expect("read visibility"),
        "`{css}` is not visible on {url}"
    );
    let text = element.text().await.expect("read text").trim().to_owned();
    assert!(!text.is_empty(), "`{css}` is empty on {url}");
    text
}
