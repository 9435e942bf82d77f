//! `helpsite check --external` against a small web server on loopback.

use crate::common;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use common::Site;

/// Answers /ok with 200, /gone with 404, /no-head with 405 to HEAD and 200 to GET, and
/// /slow after three seconds (a query string is ignored); counts the requests per
/// method and path, and notes when each arrived.
struct LinkServer {
    port: u16,
    requests: Arc<Mutex<BTreeMap<String, usize>>>,
    arrivals: Arc<Mutex<Vec<Instant>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl LinkServer {
    fn start() -> Self {
        let server = tiny_http::Server::http("127.0.0.1:0").expect("bind loopback");
        let port = server.server_addr().to_ip().unwrap().port();
        let requests = Arc::new(Mutex::new(BTreeMap::new()));
        let arrivals = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (counts, arrived, stopping) = (requests.clone(), arrivals.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            while !stopping.load(Ordering::SeqCst) {
                let Ok(Some(request)) = server.recv_timeout(Duration::from_millis(50)) else {
                    continue;
                };
                arrived.lock().unwrap().push(Instant::now());
                let method = request.method().to_string();
                let path = request.url().to_string();
                *counts
                    .lock()
                    .unwrap()
                    .entry(format!("{method} {path}"))
                    .or_insert(0) += 1;
                let route = path.split('?').next().unwrap_or_default();
                let code = match (method.as_str(), route) {
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
            arrivals,
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

/// Gaps between consecutive arrivals, in milliseconds.
fn gaps_ms(times: &[Instant]) -> Vec<u128> {
    times
        .windows(2)
        .map(|w| w[1].duration_since(w[0]).as_millis())
        .collect()
}

#[test]
fn a_host_is_asked_one_request_at_a_time_and_never_holds_up_another() {
    // Two ports are two hosts. Addresses are taken in sorted order, so `busy` is the
    // one whose links sort first; it gets more links than there are workers (8), the
    // case where workers all waiting their turn at one host would leave the other alone.
    let (a, b) = (LinkServer::start(), LinkServer::start());
    let (busy, other) = if a.url("/") < b.url("/") {
        (a, b)
    } else {
        (b, a)
    };
    let mut body = String::new();
    for i in 0..9 {
        body.push_str(&format!(
            "[busy {i}]({})\n\n",
            busy.url(&format!("/ok?{i}"))
        ));
    }
    for i in 0..3 {
        body.push_str(&format!(
            "[other {i}]({})\n\n",
            other.url(&format!("/ok?{i}"))
        ));
    }
    let site = Site::fixture("basic");
    site.write(
        "content/billing/many-links.md",
        &format!("+++\ntitle = \"Many links\"\ndescription = \"d\"\n+++\n{body}"),
    );
    let run = site.run(&["check", "--external", "--no-cache", "--timeout", "5"]);
    run.assert_ok();
    assert!(
        run.stderr.contains("external links: 12 checked, 0 "),
        "{}",
        run.stderr
    );
    let busy_times = busy.arrivals.lock().unwrap().clone();
    let other_times = other.arrivals.lock().unwrap().clone();
    assert_eq!((busy_times.len(), other_times.len()), (9, 3));

    // The pause between two requests to one host is 500 ms.
    for (host, times) in [("busy", &busy_times), ("other", &other_times)] {
        let gaps = gaps_ms(times);
        assert!(
            gaps.iter().all(|&gap| gap >= 500),
            "{host} host asked too soon after its last answer: gaps {gaps:?} ms"
        );
    }
    // The other host is asked as soon as the check starts, not when a worker is done
    // waiting at the busy one, and is done long before the busy host is.
    let (first_busy, first_other) = (busy_times[0], other_times[0]);
    let head_start = first_other
        .saturating_duration_since(first_busy)
        .as_millis();
    assert!(
        head_start < 250,
        "the other host's first request came {head_start} ms after the busy host's first"
    );
    let other_last = *other_times.last().unwrap();
    assert!(
        other_last < busy_times[4],
        "the other host's last request came after the busy host's fifth: busy gaps {:?}, other gaps {:?}",
        gaps_ms(&busy_times),
        gaps_ms(&other_times)
    );
}
