//! The preview's HTTP side: serves the current snapshot of the site on loopback,
//! injects the live-reload script into HTML, and streams reload events (SSE).
//!
//! Only GET and HEAD are answered. A request path is decoded exactly once and
//! looked up in the snapshot's list of files, so nothing outside the built site
//! can be named. The Host header (and Origin, when sent) must name this server,
//! which keeps other web sites from reading the preview through DNS rebinding.
//!
//! The server knows which pages are open (each live-reload stream names its page,
//! and the pages asked for lately count too), so that a save that changes many pages
//! renders those first. A page still being rendered after such a save is pending: a
//! request for it waits until the build is whole, so no stale page is served.

use std::collections::{HashMap, HashSet, VecDeque};
use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, StatusCode};

use crate::output::files::FileContent;
use crate::output::files::FileData;

/// Where the server's own files live, outside any site's paths.
pub(crate) const LIVE_PREFIX: &str = "/__helpsite/";
const LIVE_SCRIPT: &str = include_str!("live.js");
/// How often an idle event stream gets a comment, to notice closed tabs.
const KEEPALIVE: Duration = Duration::from_secs(15);
/// How many of the pages asked for lately count as open.
const RECENT_PAGES: usize = 8;
/// The longest a request waits for a pending page before it gets what there is.
const PENDING_WAIT: Duration = Duration::from_secs(60);

/// One successful build, as served: output path -> content.
pub(crate) struct Snapshot {
    pub files: HashMap<String, FileContent>,
    /// `/` or the sub-path of `base_url` (`/help/`).
    pub base_path: String,
    pub generation: u64,
    /// Files copied from disk are served only from inside this folder.
    pub site_root: PathBuf,
}

/// What every request handler shares: the snapshot, the current error, the open
/// live-reload streams, the pages still being rendered and the pages open.
pub(crate) struct Live {
    snapshot: RwLock<Arc<Snapshot>>,
    error: RwLock<Option<String>>,
    streams: Mutex<Vec<Sender<String>>>,
    /// Files of the snapshot that still show the build before; set with the snapshot.
    pending: Mutex<HashSet<String>>,
    /// Told when `pending` empties.
    ready: Condvar,
    open: Mutex<OpenPages>,
}

/// The pages that are open in a browser, as output files.
#[derive(Default)]
struct OpenPages {
    /// Each live-reload stream's page, by stream.
    streams: HashMap<u64, String>,
    next_stream: u64,
    /// The HTML pages asked for lately, newest last.
    recent: VecDeque<String>,
}

impl Live {
    pub(crate) fn new(snapshot: Snapshot) -> Self {
        Live {
            snapshot: RwLock::new(Arc::new(snapshot)),
            error: RwLock::new(None),
            streams: Mutex::new(Vec::new()),
            pending: Mutex::new(HashSet::new()),
            ready: Condvar::new(),
            open: Mutex::new(OpenPages::default()),
        }
    }

    /// The output files of the pages open in a browser or asked for lately.
    pub(crate) fn open_pages(&self) -> HashSet<String> {
        let open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        open.streams.values().chain(&open.recent).cloned().collect()
    }

    fn page_asked_for(&self, file: &str) {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        open.recent.retain(|f| f != file);
        if open.recent.len() == RECENT_PAGES {
            open.recent.pop_front();
        }
        open.recent.push_back(file.to_string());
    }

    /// The snapshot to serve `file` from: once it is no longer pending (or after
    /// `PENDING_WAIT`, the best there is).
    fn snapshot_for(&self, file: &str) -> Arc<Snapshot> {
        let pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        let (_pending, _) = self
            .ready
            .wait_timeout_while(pending, PENDING_WAIT, |p| p.contains(file))
            .unwrap_or_else(|e| e.into_inner());
        // Read while `pending` is held: a publish swaps both together.
        self.snapshot()
    }

    pub(crate) fn snapshot(&self) -> Arc<Snapshot> {
        // A poisoned lock only means a writer panicked; the value is still whole.
        self.snapshot
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Swaps in a new build, whose `pending` files are still being rendered, and
    /// tells every open page to reload.
    pub(crate) fn publish(&self, snapshot: Snapshot, pending: Vec<String>) {
        let generation = snapshot.generation;
        self.swap(snapshot, pending.into_iter().collect());
        *self.error.write().unwrap_or_else(|e| e.into_inner()) = None;
        self.broadcast(&event("reload", &generation.to_string()));
    }

    /// Swaps in the build last published with more of its pending pages rendered
    /// (`pending` are left); the open pages have reloaded already.
    pub(crate) fn update(&self, snapshot: Snapshot, pending: Vec<String>) {
        self.swap(snapshot, pending.into_iter().collect());
    }

    fn swap(&self, snapshot: Snapshot, pending: HashSet<String>) {
        let mut waiting = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(snapshot);
        *waiting = pending;
        self.ready.notify_all();
    }

    /// Keeps the last good build and shows `message` over every open page; pages
    /// still pending are served as they are.
    pub(crate) fn fail(&self, message: String) {
        let data = serde_json::Value::String(message.clone()).to_string();
        *self.error.write().unwrap_or_else(|e| e.into_inner()) = Some(message);
        self.pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        self.ready.notify_all();
        self.broadcast(&event("error", &data));
    }

    fn broadcast(&self, message: &str) {
        let mut streams = self.streams.lock().unwrap_or_else(|e| e.into_inner());
        streams.retain(|stream| stream.send(message.to_string()).is_ok());
    }

    /// A new stream starts with the current generation and error, so a page that
    /// loaded just before a rebuild still learns of it.
    fn subscribe(&self) -> Receiver<String> {
        let (tx, rx) = mpsc::channel();
        let error = self.error.read().unwrap_or_else(|e| e.into_inner()).clone();
        let hello = serde_json::json!({
            "generation": self.snapshot().generation,
            "error": error,
        });
        let _ = tx.send(event("hello", &hello.to_string()));
        self.streams
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(tx);
        rx
    }
}

fn event(name: &str, data: &str) -> String {
    format!("event: {name}\ndata: {data}\n\n")
}

/// Which `Host` (and `Origin`) values name this server.
#[derive(Debug, Clone)]
pub(crate) struct AllowedHosts {
    port: u16,
    names: Vec<String>,
    /// Bound to every interface: any IP address is a name of this server.
    any_ip: bool,
}

impl AllowedHosts {
    pub(crate) fn new(bind: IpAddr, port: u16) -> Self {
        let mut names = vec![
            "127.0.0.1".to_string(),
            "localhost".to_string(),
            "[::1]".to_string(),
        ];
        names.push(match bind {
            IpAddr::V6(v6) => format!("[{v6}]"),
            IpAddr::V4(v4) => v4.to_string(),
        });
        AllowedHosts {
            port,
            names,
            any_ip: bind.is_unspecified(),
        }
    }

    fn host_ok(&self, host: &str) -> bool {
        let Some((name, port)) = host.rsplit_once(':') else {
            return false;
        };
        if port.parse::<u16>() != Ok(self.port) {
            return false;
        }
        let name = name.to_ascii_lowercase();
        self.names.contains(&name)
            || (self.any_ip
                && name
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .parse::<IpAddr>()
                    .is_ok())
    }

    fn origin_ok(&self, origin: &str) -> bool {
        origin
            .strip_prefix("http://")
            .is_some_and(|host| self.host_ok(host))
    }
}

/// Answers requests on `listener` until the process ends; each request runs on
/// its own thread, so open event streams never hold up page requests.
pub(crate) fn spawn(
    listener: TcpListener,
    live: Arc<Live>,
    hosts: AllowedHosts,
) -> std::io::Result<()> {
    let server = tiny_http::Server::from_listener(listener, None)
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    std::thread::Builder::new()
        .name("helpsite-http".into())
        .spawn(move || {
            for request in server.incoming_requests() {
                let live = live.clone();
                let hosts = hosts.clone();
                let _ = std::thread::Builder::new()
                    .name("helpsite-request".into())
                    .spawn(move || handle(request, &live, &hosts));
            }
        })?;
    Ok(())
}

fn header(name: &str, value: &str) -> Header {
    // Invariant: names and values here are ASCII without line breaks.
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn request_header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request
        .headers()
        .iter()
        .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

fn plain(status: u16, text: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_string(text)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

fn handle(request: Request, live: &Live, hosts: &AllowedHosts) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let response = plain(
            405,
            "method not allowed: the preview only answers GET and HEAD\n",
        )
        .with_header(header("Allow", "GET, HEAD"));
        let _ = request.respond(response);
        return;
    }
    let host_ok = request_header(&request, "Host").is_some_and(|h| hosts.host_ok(h));
    let origin_ok = request_header(&request, "Origin").is_none_or(|o| hosts.origin_ok(o));
    if !host_ok || !origin_ok {
        let _ = request.respond(plain(
            403,
            "forbidden: this preview answers only requests addressed to itself\n",
        ));
        return;
    }
    let url = request.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or("");
    match path.strip_prefix(LIVE_PREFIX) {
        Some("events") => {
            let page = query_value(&url, "page").and_then(|page| page_file(&page, live));
            stream_events(request, live, page)
        }
        Some("live.js") => {
            let response = Response::from_string(LIVE_SCRIPT)
                .with_header(header("Content-Type", "text/javascript; charset=utf-8"))
                .with_header(header("Cache-Control", "no-store"));
            let _ = request.respond(response);
        }
        _ => serve_file(request, path, live),
    }
}

/// The decoded value of `name` in the query of `url`.
fn query_value(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1.split('#').next()?;
    let pairs = query.split('&').filter_map(|pair| pair.split_once('='));
    let (_, value) = pairs.into_iter().find(|(key, _)| *key == name)?;
    let value = percent_encoding::percent_decode_str(value)
        .decode_utf8()
        .ok()?;
    Some(value.into_owned())
}

/// The output file of the page at `path` (as `location.pathname` gives it: encoded).
fn page_file(path: &str, live: &Live) -> Option<String> {
    site_path(path, &live.snapshot().base_path)
        .ok()
        .map(|rel| file_of(&rel))
}

/// The file a site path names: `index.html` for a folder.
fn file_of(rel: &str) -> String {
    if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    }
}

/// The stream of a page open in a browser, counted as open while it lasts.
struct OpenStream<'a> {
    live: &'a Live,
    id: Option<u64>,
}

impl<'a> OpenStream<'a> {
    fn new(live: &'a Live, page: Option<String>) -> Self {
        let id = page.map(|page| {
            let mut open = live.open.lock().unwrap_or_else(|e| e.into_inner());
            let id = open.next_stream;
            open.next_stream += 1;
            open.streams.insert(id, page);
            id
        });
        OpenStream { live, id }
    }
}

impl Drop for OpenStream<'_> {
    fn drop(&mut self) {
        if let Some(id) = self.id {
            let mut open = self.live.open.lock().unwrap_or_else(|e| e.into_inner());
            open.streams.remove(&id);
        }
    }
}

/// Streams reload and error events until the page goes away.
fn stream_events(request: Request, live: &Live, page: Option<String>) {
    let _open = OpenStream::new(live, page);
    let events = live.subscribe();
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\r\n";
    if writer.write_all(head.as_bytes()).is_err() {
        return;
    }
    loop {
        let chunk = match events.recv_timeout(KEEPALIVE) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if writer.write_all(chunk.as_bytes()).is_err() || writer.flush().is_err() {
            return;
        }
    }
}

/// Why a request path names no file.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum PathError {
    /// Malformed: bad escapes, NUL, backslashes, non-UTF-8.
    BadRequest,
    NotFound,
}

/// The request path as a `/`-separated path below the base path, decoded once;
/// `""` for the base path itself. Dot segments, NUL and backslashes are refused.
pub(crate) fn site_path(raw: &str, base_path: &str) -> Result<String, PathError> {
    if !raw.starts_with('/') {
        return Err(PathError::BadRequest);
    }
    let bytes = raw.as_bytes();
    let escapes_ok = bytes.iter().enumerate().all(|(i, &b)| {
        b != b'%'
            || (bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    });
    if !escapes_ok {
        return Err(PathError::BadRequest);
    }
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .map_err(|_| PathError::BadRequest)?;
    if decoded.contains(['\0', '\\']) {
        return Err(PathError::BadRequest);
    }
    if decoded
        .split('/')
        .any(|segment| segment == ".." || segment == ".")
    {
        return Err(PathError::NotFound);
    }
    decoded
        .strip_prefix(base_path)
        .map(str::to_string)
        .ok_or(PathError::NotFound)
}

fn serve_file(request: Request, raw_path: &str, live: &Live) {
    let base_path = live.snapshot().base_path.clone();
    let rel = match site_path(raw_path, &base_path) {
        Ok(rel) => rel,
        Err(PathError::BadRequest) => {
            let _ = request.respond(plain(400, "bad request path\n"));
            return;
        }
        Err(PathError::NotFound) => {
            if format!("{raw_path}/") == base_path {
                redirect(request, &base_path);
            } else {
                not_found(request, "", &live.snapshot());
            }
            return;
        }
    };
    let file = file_of(&rel);
    let snapshot = &*live.snapshot_for(&file);
    match snapshot
        .files
        .get(&file)
        .and_then(|c| bytes_of(c, snapshot))
    {
        Some(bytes) => {
            if file.ends_with(".html") {
                live.page_asked_for(&file);
            }
            respond(request, 200, &file, bytes, snapshot.generation)
        }
        None if snapshot.files.contains_key(&format!("{rel}/index.html")) => {
            redirect(request, &format!("{raw_path}/"));
        }
        None => not_found(request, &rel, snapshot),
    }
}

fn redirect(request: Request, location: &str) {
    let response = plain(301, "moved\n").with_header(header("Location", location));
    let _ = request.respond(response);
}

/// The site's 404 page of the language the path is in, or the default one.
fn not_found(request: Request, rel: &str, snapshot: &Snapshot) {
    let lang_page = rel
        .split_once('/')
        .map(|(first, _)| format!("{first}/404.html"));
    let page = lang_page
        .iter()
        .chain(std::iter::once(&"404.html".to_string()))
        .find_map(|p| snapshot.files.get(p).and_then(|c| bytes_of(c, snapshot)));
    match page {
        Some(bytes) => respond(request, 404, "404.html", bytes, snapshot.generation),
        // Before the first good build there is no 404 page; this one still carries
        // the live script, so the error shows and the page reloads once it is fixed.
        None => respond(
            request,
            404,
            "404.html",
            b"<!doctype html><title>Not found</title><body><p>Not found.</p></body>".to_vec(),
            snapshot.generation,
        ),
    }
}

fn bytes_of(content: &FileContent, snapshot: &Snapshot) -> Option<Vec<u8>> {
    match content {
        FileContent::Bytes(bytes) => Some(bytes.clone()),
        FileContent::Shared(bytes) => Some(bytes.to_vec()),
        FileContent::Copy(FileData::Embedded(bytes)) => Some(bytes.to_vec()),
        FileContent::Copy(FileData::Disk(path)) => {
            // The file may have become a link to somewhere else since the build.
            let real = path.canonicalize().ok()?;
            real.starts_with(&snapshot.site_root)
                .then(|| std::fs::read(real).ok())
                .flatten()
        }
        // A served build is held in memory; it never writes files as it goes.
        FileContent::Written => None,
    }
}

fn respond(request: Request, status: u16, file: &str, mut bytes: Vec<u8>, generation: u64) {
    let content_type = content_type(file);
    if content_type.starts_with("text/html") {
        bytes = inject_live_script(&bytes, generation);
    }
    let response = Response::from_data(bytes)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"));
    let _ = request.respond(response);
}

/// The tag added to every HTML page served, before `</body>`.
pub(crate) fn live_script_tag(generation: u64) -> String {
    format!("<script src=\"{LIVE_PREFIX}live.js\" data-generation=\"{generation}\" defer></script>")
}

fn inject_live_script(html: &[u8], generation: u64) -> Vec<u8> {
    let tag = live_script_tag(generation);
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn content_type(file: &str) -> &'static str {
    let ext = file.rsplit_once('.').map_or("", |(_, ext)| ext);
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// The address to print and to put into `base_url`: a name the Host check accepts.
pub(crate) fn display_host(addr: SocketAddr) -> String {
    match addr.ip() {
        ip if ip.is_unspecified() => format!("127.0.0.1:{}", addr.port()),
        IpAddr::V6(v6) => format!("[{v6}]:{}", addr.port()),
        IpAddr::V4(v4) => format!("{v4}:{}", addr.port()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_decoded_once_and_dot_segments_refused() {
        assert_eq!(site_path("/a/b/", "/"), Ok("a/b/".into()));
        assert_eq!(site_path("/help/a%20b", "/help/"), Ok("a b".into()));
        assert_eq!(site_path("/%252e%252e/", "/"), Ok("%2e%2e/".into()));
        assert_eq!(site_path("/%2e%2e/x", "/"), Err(PathError::NotFound));
        assert_eq!(site_path("/..%2fetc", "/"), Err(PathError::NotFound));
        assert_eq!(site_path("/%5c..", "/"), Err(PathError::BadRequest));
        assert_eq!(site_path("/%00", "/"), Err(PathError::BadRequest));
        assert_eq!(site_path("/%ff", "/"), Err(PathError::BadRequest));
        assert_eq!(site_path("/%zz", "/"), Err(PathError::BadRequest));
        assert_eq!(site_path("/other/", "/help/"), Err(PathError::NotFound));
    }

    #[test]
    fn hosts_must_name_this_server() {
        let hosts = AllowedHosts::new("127.0.0.1".parse().unwrap(), 8000);
        assert!(hosts.host_ok("127.0.0.1:8000"));
        assert!(hosts.host_ok("localhost:8000"));
        assert!(!hosts.host_ok("evil.example:8000"));
        assert!(!hosts.host_ok("localhost:9000"));
        assert!(!hosts.host_ok("localhost"));
        assert!(hosts.origin_ok("http://localhost:8000"));
        assert!(!hosts.origin_ok("http://evil.example:8000"));
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let out = inject_live_script(b"<body>a</body>", 3);
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("<body>a<script"));
        assert!(text.ends_with("</script></body>"));
    }
}
