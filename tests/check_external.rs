//! `helpsite check --external` against a small web server on loopback.

mod common;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use common::Site;

/// Answers /ok with 200, /gone with 404, /no-head with 405 to HEAD and 200 to GET, and
/// /slow after three seconds; counts the requests per method and path.
struct LinkServer {
    port: u16,
    requests: Arc<Mutex<BTreeMap<String, usize>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl LinkServer {
    fn start() -> Self {
        let server = tiny_http::Server::http("127.0.0.1:0").expect("bind loopback");
        let port = server.server_addr().to_ip().unwrap().port();
        let requests = Arc::new(Mutex::new(BTreeMap::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (counts, stopping) = (requests.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            while !stopping.load(Ordering::SeqCst) {
                let Ok(Some(request)) = server.recv_timeout(Duration::from_millis(50)) else {
                    continue;
                };
                let method = request.method().to_string();
                let path = request.url().to_string();
                *counts
                    .lock()
                    .unwrap()
                    .entry(format!("{method} {path}"))
                    .or_insert(0) += 1;
                let code = match (method.as_str(), path.as_str()) {
                    (_, "/ok") => 200,
                    ("HEAD", "/no-head") => 405,
                    ("GET", "/no-head") => 200,
                    (_, "/slow") => {
                        std::thread::spawn(move || {
                            std::thread::sleep(Duration::from_secs(3));
                            let _ = request.respond(tiny_http::Response::empty(200));
                        });
                        continue;
                    }
                    _ => 404,
                };
                let _ = request.respond(tiny_http::Response::empty(code));
            }
        });
        LinkServer {
            port,
            requests,
            stop,
            thread: Some(thread),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn count(&self, what: &str) -> usize {
        self.requests
            .lock()
            .unwrap()
            .get(what)
            .copied()
            .unwrap_or(0)
    }
}

impl Drop for LinkServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn site_linking_to(server: &LinkServer) -> Site {
    let site = Site::fixture("basic");
    site.write(
        "content/billing/links.md",
        &format!(
            "+++\ntitle = \"Links\"\ndescription = \"d\"\n+++\n[fine]({})\n\n[gone]({})\n\n[picky]({})\n\n[slow]({})\n",
            server.url("/ok"),
            server.url("/gone"),
            server.url("/no-head"),
            server.url("/slow"),
        ),
    );
    site
}

#[test]
fn broken_external_links_are_reported_at_their_line() {
    let server = LinkServer::start();
    let site = site_linking_to(&server);
    let run = site.run(&["check", "--external", "--timeout", "1"]);
    run.assert_code(1);
    let errors = run.errors();
    let place = |line: usize| format!("content/billing/links.md:{line}:1");
    assert!(
        errors.contains(&(
            format!(
                "external link is broken: {} (HTTP 404)",
                server.url("/gone")
            ),
            place(7)
        )),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|(m, p)| m
            .starts_with(&format!("external link is broken: {}", server.url("/slow")))
            && *p == place(11)),
        "a link that does not answer in time is broken: {errors:?}"
    );
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(
        server.count("GET /no-head"),
        1,
        "HEAD refused, so GET was tried"
    );
    assert!(
        run.stderr.contains("external links: 4 checked, 0 "),
        "{}",
        run.stderr
    );
}

#[test]
fn good_answers_are_cached_and_broken_ones_asked_again() {
    let server = LinkServer::start();
    let site = site_linking_to(&server);
    site.run(&["check", "--external", "--timeout", "1"])
        .assert_code(1);
    assert!(site.exists(".helpsite/external-links.json"));
    let again = site.run(&["check", "--external", "--timeout", "1"]);
    again.assert_code(1);
    assert_eq!(server.count("HEAD /ok"), 1, "a good answer is remembered");
    assert_eq!(
        server.count("HEAD /gone"),
        2,
        "a broken link is asked again"
    );
    assert!(
        again.stderr.contains("external links: 2 checked, 2 "),
        "{}",
        again.stderr
    );
    site.run(&["check", "--external", "--timeout", "1", "--no-cache"])
        .assert_code(1);
    assert_eq!(server.count("HEAD /ok"), 2, "--no-cache asks again");
}

#[test]
fn external_links_are_not_checked_unless_asked() {
    let server = LinkServer::start();
    let site = site_linking_to(&server);
    site.run(&["check"]).assert_ok();
    site.build().assert_ok();
    assert!(server.requests.lock().unwrap().is_empty());
}
