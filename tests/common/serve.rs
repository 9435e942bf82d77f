//! Driving the real `helpsite serve`: start it on a free loopback port, send raw
//! HTTP requests, listen to its live-reload stream, count its rebuilds.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const WAIT: Duration = Duration::from_secs(30);

/// A running `helpsite serve`; killed (by its own PID) when dropped.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    /// `http://127.0.0.1:PORT/help/`, as printed by the server.
    pub url: String,
    /// Everything the server printed, stdout and stderr, line by line.
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// `helpsite serve --port 0 EXTRA` in `root`; waits until it listens.
    pub fn start(root: &Path, extra: &[&str]) -> Server {
        Server::start_with_env(root, extra, &[])
    }

    pub fn start_with_env(root: &Path, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_helpsite"));
        command
            .args(["serve", "--port", "0"])
            .args(extra)
            .current_dir(root)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("start helpsite serve");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (url_tx, url_rx) = mpsc::channel();
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let log = log.clone();
            let url_tx = url_tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    // Logged first, so that the log holds the line once `start` returns.
                    log.lock().unwrap().push(line.clone());
                    if let Some(rest) = line.strip_prefix("serving ") {
                        let url = rest.split_whitespace().next().unwrap_or("").to_string();
                        let _ = url_tx.send(url);
                    }
                }
            });
        }
        let url = match url_rx.recv_timeout(WAIT) {
            Ok(url) => url,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("serve did not start:\n{}", log.lock().unwrap().join("\n"));
            }
        };
        let host = url
            .strip_prefix("http://")
            .and_then(|r| r.split('/').next())
            .unwrap();
        let addr: SocketAddr = host.parse().unwrap();
        Server {
            child,
            addr,
            url,
            log,
        }
    }

    pub fn log(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    /// Successful rebuilds after the first build.
    pub fn rebuilds(&self) -> usize {
        self.count_lines(|l| l.starts_with("rebuilt ")) - 1
    }

    pub fn failures(&self) -> usize {
        self.count_lines(|l| l.starts_with("rebuild of "))
    }

    fn count_lines(&self, matches: impl Fn(&str) -> bool) -> usize {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|l| matches(l))
            .count()
    }

    /// Waits until the count of successful rebuilds and failures passes `seen`.
    #[track_caller]
    pub fn wait_for_rebuild(&self, seen: usize) -> usize {
        wait_until(
            || self.rebuilds() + self.failures() > seen,
            "a rebuild",
            self,
        );
        std::thread::sleep(Duration::from_millis(30));
        self.rebuilds() + self.failures()
    }

    pub fn events_so_far(&self) -> usize {
        self.rebuilds() + self.failures()
    }

    /// `/help/` or `/`.
    pub fn base_path(&self) -> String {
        let rest = self.url.strip_prefix("http://").unwrap();
        format!("/{}", rest.split_once('/').map_or("", |(_, p)| p))
    }

    /// Sends `request` as is and reads the whole answer.
    pub fn raw(&self, request: &str) -> Response {
        raw_request(self.addr, request.as_bytes())
    }

    /// A GET of `path` (sent as is) with a proper Host header.
    pub fn get(&self, path: &str) -> Response {
        self.raw(&format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        ))
    }

    /// Opens the live-reload stream; its events arrive on the receiver.
    pub fn events(&self) -> Receiver<(String, String)> {
        let mut stream = TcpStream::connect(self.addr).unwrap();
        write!(
            stream,
            "GET /__helpsite/events HTTP/1.1\r\nHost: {}\r\n\r\n",
            self.addr
        )
        .unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut name = String::new();
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if let Some(n) = line.strip_prefix("event: ") {
                    name = n.to_string();
                } else if let Some(data) = line.strip_prefix("data: ") {
                    if tx.send((name.clone(), data.to_string())).is_err() {
                        return;
                    }
                }
            }
        });
        rx
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl Response {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name)
                .then(|| value.trim().to_string())
        })
    }
}

pub fn raw_request(addr: SocketAddr, request: &[u8]) -> Response {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(WAIT)).unwrap();
    stream.write_all(request).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no HTTP head in {:?}", String::from_utf8_lossy(&answer)));
    let head = String::from_utf8_lossy(&answer[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut body = answer[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    Response { status, head, body }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(end) = data.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = usize::from_str_radix(std::str::from_utf8(&data[..end]).unwrap().trim(), 16)
            .unwrap_or(0);
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[end + 2..end + 2 + size]);
        data = &data[end + 2 + size + 2..];
    }
}

#[track_caller]
pub fn wait_until(mut done: impl FnMut() -> bool, what: &str, server: &Server) {
    let started = Instant::now();
    while !done() {
        if started.elapsed() > WAIT {
            panic!(
                "timed out waiting for {what}; server log:\n{}",
                server.log()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Removes the tag the server adds to every HTML page.
pub fn without_live_script(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let Some(start) = text.find("<script src=\"/__helpsite/live.js\"") else {
        return html.to_vec();
    };
    let end = start + text[start..].find("</script>").unwrap() + "</script>".len();
    format!("{}{}", &text[..start], &text[end..]).into_bytes()
}
