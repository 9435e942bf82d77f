//! A capture server on 127.0.0.1 for the browser tests: it records every request a page
//! sends (form posts, JSON posts, beacons) and answers each with CORS headers, so a page
//! on another port may post to it.

use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::Value;

/// One request received (preflight `OPTIONS` requests are answered, not recorded).
pub struct Captured {
    pub method: String,
    pub path: String,
    pub content_type: String,
    pub body: String,
}

pub struct Capture {
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
    received: mpsc::Receiver<Captured>,
    port: u16,
}

impl Capture {
    pub fn start() -> Capture {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind 127.0.0.1:0"));
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let (sender, received) = mpsc::channel();
        let thread = {
            let server = Arc::clone(&server);
            std::thread::spawn(move || {
                for mut request in server.incoming_requests() {
                    let mut body = String::new();
                    let _ = request.as_reader().read_to_string(&mut body);
                    let content_type = request
                        .headers()
                        .iter()
                        .find(|h| h.field.equiv("Content-Type"))
                        .map(|h| h.value.to_string())
                        .unwrap_or_default();
                    let method = request.method().to_string();
                    if method != "OPTIONS" {
                        let path = request.url().to_string();
                        let _ = sender.send(Captured {
                            method,
                            path,
                            content_type,
                            body,
                        });
                    }
                    let cors = [
                        ("Access-Control-Allow-Origin", "*"),
                        ("Access-Control-Allow-Methods", "POST"),
                        ("Access-Control-Allow-Headers", "content-type"),
                    ];
                    let mut response = tiny_http::Response::from_string("Received");
                    for (k, v) in cors {
                        response =
                            response.with_header(tiny_http::Header::from_bytes(k, v).unwrap());
                    }
                    let _ = request.respond(response);
                }
            })
        };
        Capture {
            server,
            thread: Some(thread),
            received,
            port,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn next(&self) -> Captured {
        self.received
            .recv_timeout(Duration::from_secs(20))
            .expect("the capture server received a request")
    }

    /// The next beacon, as JSON.
    pub fn next_event(&self) -> Value {
        let got = self.next();
        serde_json::from_str(&got.body).unwrap_or_else(|e| panic!("{e}: {}", got.body))
    }

    /// Every request received within `wait`.
    pub fn all_within(&self, wait: Duration) -> Vec<Captured> {
        let end = Instant::now() + wait;
        let mut all = Vec::new();
        while let Some(left) = end.checked_duration_since(Instant::now()) {
            match self.received.recv_timeout(left) {
                Ok(got) => all.push(got),
                Err(_) => break,
            }
        }
        all
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
