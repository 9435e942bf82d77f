//! `helpsite serve`, driven for real: the binary on a free loopback port, raw HTTP
//! requests over TCP, real file edits seen by the real watcher. Each test is named
//! after the RELIABILITY.md item it checks.

use crate::common;

use std::time::{Duration, Instant};

use common::serve::*;
use common::Site;

fn served_fixture() -> (Site, Server) {
    let site = Site::fixture("basic");
    let server = Server::start(site.path(), &[]);
    (site, server)
}

const ARTICLE: &str = "guides/limits/";

/// `content/guides/limits.md` with another title and text; it keeps the heading
/// that `withdraw.md` links to.
fn limits(title: &str, text: &str) -> String {
    format!("+++\ntitle = \"{title}\"\n+++\n\n## 每日限额\n\n{text}\n")
}

#[test]
fn serves_the_site_under_its_sub_path_with_the_live_script() {
    let (_site, server) = served_fixture();
    assert_eq!(server.base_path(), "/help/");
    let page = server.get(&format!("/help/{ARTICLE}"));
    assert_eq!(page.status, 200, "{}", server.log());
    assert!(page.text().contains("每天最多五万元"));
    assert!(page.text().contains("/__helpsite/live.js"));
    assert_eq!(server.get("/help/guides/limits").status, 301);
    assert_eq!(server.get("/help/style.css").status, 200);
    assert!(server
        .get("/help/style.css")
        .header("content-type")
        .unwrap()
        .starts_with("text/css"));
    let head = server.raw(&format!(
        "HEAD /help/{ARTICLE} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.addr
    ));
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
}

#[test]
fn reliability_1_raw_traversal_is_404() {
    let (_site, server) = served_fixture();
    for path in [
        "/../../../../etc/passwd",
        "/help/../../../../etc/passwd",
        "/help/../config.toml",
    ] {
        let answer = server.get(path);
        assert_eq!(answer.status, 404, "{path}");
        assert!(!answer.text().contains("root:"), "{path}");
        assert!(!answer.text().contains("base_url"), "{path}");
    }
}

#[test]
fn reliability_2_encoded_traversal_is_refused() {
    let (_site, server) = served_fixture();
    for path in [
        "/help/%2e%2e/%2e%2e/etc/passwd",
        "/help/..%2f..%2fetc/passwd",
        "/help/%252e%252e/config.toml",
        "/help/%5c..%5cconfig.toml",
        "/help/%00",
        "/help/index.html%00.css",
        "/%2e%2e/config.toml",
    ] {
        let answer = server.get(path);
        assert!(
            [400, 404].contains(&answer.status),
            "{path}: {}",
            answer.status
        );
        assert!(!answer.text().contains("base_url"), "{path}");
    }
}

#[test]
fn reliability_3_invalid_utf8_escape_is_refused_without_a_panic() {
    let (_site, server) = served_fixture();
    for path in ["/%ff", "/help/%ff", "/help/%c3%28", "/help/%zz"] {
        assert!([400, 404].contains(&server.get(path).status), "{path}");
    }
    assert_eq!(server.get(&format!("/help/{ARTICLE}")).status, 200);
}

#[cfg(unix)]
#[test]
fn reliability_4_symlink_in_static_pointing_outside_is_not_served() {
    let site = Site::fixture("basic");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "top secret").unwrap();
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        site.path().join("static/secret.txt"),
    )
    .unwrap();
    let server = Server::start(site.path(), &[]);
    let answer = server.get("/help/secret.txt");
    assert_eq!(answer.status, 404);
    assert!(!answer.text().contains("top secret"));
    drop(server);

    // `build` on the same site leaves the link's target out of public/ and says so.
    let run = site.build();
    run.assert_ok();
    let warnings = run.warnings();
    assert!(
        warnings.iter().any(|(message, location)| message
            .contains("link to a place outside the site")
            && location == "static/secret.txt"),
        "no warning about the link: {warnings:?}\n{}",
        run.stderr
    );
    assert!(site.exists("public/index.html"));
    assert!(!site.exists("public/secret.txt"));
    let leaked: Vec<_> = site
        .snapshot("public")
        .into_iter()
        .filter(|(_, bytes)| bytes.windows(10).any(|w| w == b"top secret"))
        .map(|(path, _)| path)
        .collect();
    assert!(leaked.is_empty(), "the secret was copied: {leaked:?}");
}

#[test]
fn reliability_5_other_methods_are_405() {
    let (_site, server) = served_fixture();
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
        let answer = server.raw(&format!(
            "{method} /help/ HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            server.addr
        ));
        assert_eq!(answer.status, 405, "{method}");
        assert_eq!(answer.header("allow").as_deref(), Some("GET, HEAD"));
    }
}

#[test]
fn reliability_6_binds_loopback_by_default_and_warns_otherwise() {
    let (site, server) = served_fixture();
    assert!(server.addr.ip().is_loopback(), "{}", server.addr);
    assert!(!server.log().contains("warning: serving on"));
    drop(server);
    let wide = Server::start(site.path(), &["--bind", "0.0.0.0"]);
    wait_until(
        || wide.log().contains("warning: serving on 0.0.0.0"),
        "the warning about a non-loopback address",
        &wide,
    );
}

#[test]
fn reliability_7_foreign_host_and_origin_are_refused_without_wildcard_cors() {
    let (_site, server) = served_fixture();
    let port = server.addr.port();
    for host in [
        format!("evil.example:{port}"),
        "localhost".into(),
        format!("127.0.0.1:{}", port + 1),
    ] {
        let answer = server.raw(&format!(
            "GET /help/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ));
        assert_eq!(answer.status, 403, "{host}");
    }
    let missing = server.raw("GET /help/ HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert_eq!(missing.status, 403);
    let foreign_stream = server.raw(&format!(
        "GET /__helpsite/events HTTP/1.1\r\nHost: {}\r\nOrigin: http://evil.example\r\nConnection: close\r\n\r\n",
        server.addr
    ));
    assert_eq!(foreign_stream.status, 403);
    let own = server.raw(&format!(
        "GET /help/ HTTP/1.1\r\nHost: localhost:{port}\r\nOrigin: http://localhost:{port}\r\nConnection: close\r\n\r\n"
    ));
    assert_eq!(own.status, 200);
    assert!(own.header("access-control-allow-origin").is_none());
}

#[test]
fn reliability_8_error_text_with_a_script_tag_travels_as_json_text() {
    let (site, server) = served_fixture();
    let events = server.events();
    assert_eq!(events.recv_timeout(WAIT).unwrap().0, "hello");
    site.write(
        "content/guides/limits.md",
        "+++\ntitle = \"x\"\n\"<script>alert(1)</script>\" = 1\n+++\nbody\n",
    );
    let (name, data) = events.recv_timeout(WAIT).unwrap();
    assert_eq!(name, "error");
    let message: String = serde_json::from_str(&data).unwrap();
    assert!(message.contains("<script>alert(1)</script>"), "{message}");
    assert!(message.contains("content/guides/limits.md:3"), "{message}");
    // The overlay shows it with textContent: checked in a real browser in browser_serve.rs.
    assert!(include_str!("../../src/serve/live.js").contains(".textContent = message"));
}

#[test]
fn reliability_9_content_error_keeps_the_last_good_site_and_the_next_save_clears_it() {
    let (site, server) = served_fixture();
    let events = server.events();
    assert_eq!(events.recv_timeout(WAIT).unwrap().0, "hello");
    site.write(
        "content/guides/limits.md",
        "+++\ntitle = \"broken\n+++\nnew text\n",
    );
    let (name, data) = events.recv_timeout(WAIT).unwrap();
    assert_eq!(name, "error", "{data}");
    assert!(data.contains("content/guides/limits.md:2"), "{data}");
    // The terminal says it too (its output is read on another thread).
    wait_until(
        || server.log().contains("content/guides/limits.md:2"),
        "the error in the terminal",
        &server,
    );
    let page = server.get(&format!("/help/{ARTICLE}"));
    assert_eq!(page.status, 200);
    assert!(
        page.text().contains("每天最多五万元"),
        "last good site kept"
    );
    // A page opened now learns of the error as soon as it connects.
    let late = server.events();
    let (_, hello) = late.recv_timeout(WAIT).unwrap();
    assert!(hello.contains("limits.md:2"), "{hello}");

    site.write("content/guides/limits.md", &limits("Fixed", "fixed text"));
    let (name, _) = events.recv_timeout(WAIT).unwrap();
    assert_eq!(name, "reload");
    assert!(server
        .get(&format!("/help/{ARTICLE}"))
        .text()
        .contains("fixed text"));
    let fresh = server.events();
    let (_, hello) = fresh.recv_timeout(WAIT).unwrap();
    assert!(hello.contains("\"error\":null"), "{hello}");
}

#[test]
fn reliability_10_a_panic_in_a_rebuild_is_caught() {
    let site = Site::fixture("basic");
    let server =
        Server::start_with_env(site.path(), &[], &[("HELPSITE_TEST_PANIC_FILE", "boom.md")]);
    let events = server.events();
    events.recv_timeout(WAIT).unwrap();
    site.write("content/guides/boom.md", "+++\ntitle = \"Boom\"\n+++\nx\n");
    let (name, data) = events.recv_timeout(WAIT).unwrap();
    assert_eq!(name, "error");
    assert!(data.contains("crashed"), "{data}");
    assert_eq!(server.get(&format!("/help/{ARTICLE}")).status, 200);
    site.write(
        "content/guides/limits.md",
        &limits("After", "after the panic"),
    );
    let (name, _) = events.recv_timeout(WAIT).unwrap();
    assert_eq!(name, "reload");
    let page = server.get(&format!("/help/{ARTICLE}")).text();
    assert!(page.contains("after the panic"));
    assert_eq!(
        server.get("/help/guides/boom/").status,
        200,
        "the next build is whole"
    );
}

#[test]
fn reliability_11_port_in_use_is_named() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let site = Site::fixture("basic");
    let run = site.run(&["serve", "--port", &port]);
    run.assert_code(2);
    assert!(
        run.stderr.contains(&format!("port {port}")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("already in use"), "{}", run.stderr);
}

#[test]
fn reliability_12_requests_during_50_rebuilds_get_complete_answers() {
    let (site, server) = served_fixture();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let addr = server.addr;
    let hammer = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut answers = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let answer = raw_request(
                    addr,
                    format!("GET /help/ HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n")
                        .as_bytes(),
                );
                assert_eq!(answer.status, 200);
                let length: usize = answer.header("content-length").unwrap().parse().unwrap();
                assert_eq!(length, answer.body.len(), "truncated answer");
                let text = answer.text();
                assert!(text.trim_end().ends_with("</html>"), "incomplete page");
                answers += 1;
            }
            answers
        })
    };
    let mut seen = server.events_so_far();
    for i in 0..50 {
        site.write(
            "content/guides/limits.md",
            &limits(&format!("Edit {i}"), &format!("edit number {i}")),
        );
        seen = server.wait_for_rebuild(seen);
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let answers = hammer.join().expect("every answer complete");
    assert!(answers > 10, "{answers}");
    assert!(server
        .get(&format!("/help/{ARTICLE}"))
        .text()
        .contains("edit number 49"));
}

#[test]
fn reliability_13_editor_atomic_saves_rebuild_once_and_temp_files_are_never_content() {
    let (site, server) = served_fixture();
    let dir = site.path().join("content/guides");
    let target = dir.join("limits.md");
    // vim with its default `writebackup`: the swap file exists while editing; a save
    // probes the folder with `4913` (written and deleted), moves the original aside as
    // `limits.md~`, writes a new `limits.md`, then deletes the backup. For a moment
    // `limits.md` does not exist, and `withdraw.md` links to it.
    let seen = server.events_so_far();
    let swap = dir.join(".limits.md.swp");
    let backup = dir.join("limits.md~");
    std::fs::write(&swap, b"b0VIM 9.1\0\xff\xfe not a page").unwrap();
    std::fs::write(dir.join("4913"), "+++\nbroken = \n").unwrap();
    std::fs::remove_file(dir.join("4913")).unwrap();
    std::fs::rename(&target, &backup).unwrap();
    std::fs::write(&target, limits("Saved by vim", "saved by vim")).unwrap();
    std::fs::remove_file(&backup).unwrap();
    server.wait_for_rebuild(seen);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        server.events_so_far(),
        seen + 1,
        "vim: one rebuild\n{}",
        server.log()
    );
    assert_eq!(server.failures(), 0, "vim: {}", server.log());
    let page = server.get(&format!("/help/{ARTICLE}"));
    assert_eq!(page.status, 200);
    assert!(page.text().contains("saved by vim"), "{}", page.text());
    assert!(page.text().contains("<h1>Saved by vim</h1>"));
    assert_eq!(server.get("/help/guides/4913/").status, 404);
    let withdraw = server.get("/help/guides/withdraw/");
    assert_eq!(withdraw.status, 200);
    assert!(withdraw.text().contains("/help/guides/limits/"));
    // Quitting vim deletes its swap file: not a change of content.
    let seen = server.events_so_far();
    std::fs::remove_file(&swap).unwrap();
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(server.events_so_far(), seen, "{}", server.log());

    let patterns: [(&str, &[&str]); 4] = [
        (
            "vim without a backup",
            &["4913", ".limits.md.swp", "limits.md~"],
        ),
        (
            "jetbrains",
            &["limits.md___jb_tmp___", "limits.md___jb_old___"],
        ),
        ("emacs", &["#limits.md#", ".#limits.md"]),
        ("helix", &[".limits.md.tmp"]),
    ];
    for (editor, temps) in patterns {
        let seen = server.events_so_far();
        let text = limits(&format!("Saved by {editor}"), &format!("saved by {editor}"));
        for temp in temps {
            std::fs::write(dir.join(temp), "+++\nbroken = \n").unwrap();
        }
        let staging = dir.join(temps[0]);
        std::fs::write(&staging, &text).unwrap();
        std::fs::rename(&staging, &target).unwrap();
        for temp in &temps[1..] {
            let _ = std::fs::remove_file(dir.join(temp));
        }
        server.wait_for_rebuild(seen);
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(
            server.events_so_far(),
            seen + 1,
            "{editor}: one rebuild\n{}",
            server.log()
        );
        assert_eq!(server.failures(), 0, "{}", server.log());
        assert!(server
            .get(&format!("/help/{ARTICLE}"))
            .text()
            .contains(&format!("saved by {editor}")));
    }
}

#[test]
fn reliability_14_a_checkout_of_500_files_rebuilds_at_most_twice() {
    let (site, server) = served_fixture();
    let seen = server.events_so_far();
    let started = Instant::now();
    for i in 0..500 {
        site.write(
            &format!("content/bulk/page-{i:03}.md"),
            &format!("+++\ntitle = \"Bulk {i}\"\n+++\nbulk page {i}\n"),
        );
    }
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "writing took too long to be a burst"
    );
    server.wait_for_rebuild(seen);
    wait_until(
        || server.get("/help/bulk/page-499/").status == 200,
        "the last page",
        &server,
    );
    std::thread::sleep(Duration::from_millis(500));
    assert!(server.events_so_far() - seen <= 2, "{}", server.log());
    assert_eq!(server.failures(), 0);
    assert!(server
        .get("/help/bulk/page-000/")
        .text()
        .contains("bulk page 0"));
}

#[test]
fn reliability_15_a_deleted_page_404s_and_pages_linking_to_it_fail() {
    let (site, server) = served_fixture();
    let seen = server.events_so_far();
    site.remove("content/billing/fees.md");
    server.wait_for_rebuild(seen);
    assert_eq!(server.get("/help/billing/fees/").status, 404);

    let events = server.events();
    events.recv_timeout(WAIT).unwrap();
    site.remove("content/guides/limits.md");
    let (name, data) = events.recv_timeout(WAIT).unwrap();
    assert_eq!(name, "error");
    assert!(data.contains("content/guides/withdraw.md:26"), "{data}");
    assert!(data.contains("@/guides/limits.md"), "{data}");
}

#[test]
fn reliability_16_renamed_file_and_folder_move_their_urls() {
    let (site, server) = served_fixture();
    let seen = server.events_so_far();
    let content = site.path().join("content");
    std::fs::rename(
        content.join("billing/fees.md"),
        content.join("billing/charges.md"),
    )
    .unwrap();
    let seen = server.wait_for_rebuild(seen);
    assert_eq!(server.get("/help/billing/fees/").status, 404);
    assert_eq!(server.get("/help/billing/charges/").status, 200);

    std::fs::rename(content.join("billing"), content.join("pricing")).unwrap();
    server.wait_for_rebuild(seen);
    assert_eq!(server.failures(), 0, "{}", server.log());
    assert_eq!(server.get("/help/billing/charges/").status, 404);
    assert_eq!(server.get("/help/billing/").status, 404);
    assert_eq!(server.get("/help/pricing/charges/").status, 200);
    assert_eq!(server.get("/help/pricing/").status, 200);
}

#[test]
fn reliability_17_a_file_deleted_right_after_its_event_is_treated_as_removed() {
    let (site, server) = served_fixture();
    for i in 0..20 {
        let rel = format!("content/guides/flash-{i}.md");
        site.write(&rel, "+++\ntitle = \"Flash\"\n+++\nx\n");
        site.remove(&rel);
    }
    let seen = server.events_so_far();
    site.write(
        "content/guides/limits.md",
        &limits("Later", "after the flashes"),
    );
    server.wait_for_rebuild(seen);
    wait_until(
        || {
            server
                .get(&format!("/help/{ARTICLE}"))
                .text()
                .contains("after the flashes")
        },
        "the later edit",
        &server,
    );
    assert_eq!(server.get("/help/guides/flash-0/").status, 404);
    assert_eq!(server.failures(), 0, "{}", server.log());
}

#[test]
fn reliability_18_invalid_config_keeps_the_old_site_and_fixing_it_recovers() {
    let (site, server) = served_fixture();
    let good = site.read("config.toml");
    let events = server.events();
    events.recv_timeout(WAIT).unwrap();
    site.write("config.toml", &format!("{good}\ntitle = = \"x\"\n"));
    let (name, data) = events.recv_timeout(WAIT).unwrap();
    assert_eq!(name, "error");
    assert!(data.contains("config.toml:"), "{data}");
    assert_eq!(server.get(&format!("/help/{ARTICLE}")).status, 200);
    site.write("config.toml", &good.replace("Fixture Help", "Renamed Help"));
    let (name, _) = events.recv_timeout(WAIT).unwrap();
    assert_eq!(name, "reload");
    assert!(server.get("/help/").text().contains("Renamed Help"));
}

#[test]
fn reliability_19_the_output_folder_is_never_watched() {
    let (site, server) = served_fixture();
    let seen = server.events_so_far();
    site.build().assert_ok();
    site.write("public/extra.html", "<p>x</p>");
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(server.events_so_far(), seen, "{}", server.log());
}

#[test]
fn reliability_20_a_new_folder_with_a_new_article_appears() {
    let (site, server) = served_fixture();
    let seen = server.events_so_far();
    site.write("content/cards/_index.md", "+++\ntitle = \"Cards\"\n+++\n");
    site.write(
        "content/cards/lost-card.md",
        "+++\ntitle = \"Lost card\"\n+++\nfreeze it\n",
    );
    server.wait_for_rebuild(seen);
    wait_until(
        || server.get("/help/cards/lost-card/").status == 200,
        "the new article",
        &server,
    );
    assert!(server.get("/help/cards/").text().contains("Lost card"));
}

#[test]
fn polling_fallback_sees_edits() {
    let site = Site::fixture("basic");
    let server = Server::start(site.path(), &["--poll"]);
    assert!(server.log().contains("polling events"), "{}", server.log());
    let seen = server.events_so_far();
    site.write(
        "content/guides/limits.md",
        &limits("Polled", "seen by polling"),
    );
    server.wait_for_rebuild(seen);
    assert!(server
        .get(&format!("/help/{ARTICLE}"))
        .text()
        .contains("seen by polling"));
}

#[test]
fn each_rebuild_prints_one_line_with_what_changed_pages_and_time() {
    let (site, server) = served_fixture();
    let seen = server.events_so_far();
    site.write("content/guides/limits.md", &limits("Line", "line"));
    server.wait_for_rebuild(seen);
    let log = server.log();
    let line = log.lines().rfind(|l| l.starts_with("rebuilt ")).unwrap();
    assert!(line.contains("content/guides/limits.md"), "{line}");
    assert!(line.contains("re-rendered in"), "{line}");
    assert!(line.ends_with(" ms"), "{line}");
}

/// Edits, creations, renames and deletions while serving; then every file of a
/// clean `helpsite build` of the final tree is fetched and compared byte for byte.
#[test]
fn served_site_equals_a_clean_build_after_edits_creations_renames_and_deletions() {
    let (site, server) = served_fixture();
    let content = site.path().join("content");
    let mut seen = server.events_so_far();
    let steps: Vec<Box<dyn Fn()>> = vec![
        Box::new(|| {
            site.write(
                "content/guides/limits.md",
                &site
                    .read("content/guides/limits.md")
                    .replace("五万", "六万"),
            );
        }),
        Box::new(|| {
            site.write("content/guides/new-one.md", "+++\ntitle = \"A 新文章\"\nweight = 1\n+++\n见[限额](@/guides/limits.md#每日限额)。\n");
        }),
        Box::new(|| {
            site.write(
                "content/billing/fees.md",
                &site
                    .read("content/billing/fees.md")
                    .replace("手续费", "费用说明"),
            );
        }),
        Box::new(|| {
            std::fs::rename(
                content.join("guides/new-one.md"),
                content.join("guides/renamed.md"),
            )
            .unwrap()
        }),
        Box::new(|| std::fs::rename(content.join("billing"), content.join("costs")).unwrap()),
        Box::new(|| {
            site.remove("content/guides/advanced/api-keys.md");
            site.write(
                "content/guides/advanced/tokens.md",
                "+++\ntitle = \"Tokens\"\n+++\ntext\n",
            );
        }),
        Box::new(|| {
            site.write("content/guides/limits.md", "+++\ntitle = \"提现限额\"\ndescription = \"改过的描述\"\nweight = 9\n+++\n\n## 每日限额\n\n新的正文。\n");
        }),
    ];
    for step in &steps {
        step();
        seen = server.wait_for_rebuild(seen);
    }
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(server.failures(), 0, "{}", server.log());

    let out = tempfile::tempdir().unwrap();
    let base_url = server.url.clone();
    site.run(&[
        "build",
        "--base-url",
        &base_url,
        "--output",
        out.path().to_str().unwrap(),
        "--force",
    ])
    .assert_ok();
    let built = common::snapshot(out.path());
    assert!(built.len() > 10);
    for (rel, bytes) in &built {
        let rel = rel.to_string_lossy().replace('\\', "/");
        if rel == ".helpsite-output" {
            continue; // the marker `build` leaves in folders it owns, not part of the site
        }
        let answer = server.get(&format!("/help/{rel}"));
        assert_eq!(answer.status, 200, "{rel}");
        let served = if rel.ends_with(".html") {
            without_live_script(&answer.body)
        } else {
            answer.body.clone()
        };
        assert!(
            served == *bytes,
            "{rel} differs from a clean build:\n--- served\n{}\n--- built\n{}",
            String::from_utf8_lossy(&served),
            String::from_utf8_lossy(bytes)
        );
    }
    for gone in [
        "billing/fees/index.html",
        "guides/new-one/index.html",
        "guides/advanced/api-keys/index.html",
    ] {
        assert_eq!(server.get(&format!("/help/{gone}")).status, 404, "{gone}");
    }
}

#[test]
fn a_site_broken_from_the_start_is_served_with_its_error_and_recovers() {
    let site = Site::fixture("basic");
    let good = site.read("content/guides/limits.md");
    site.write("content/guides/limits.md", "+++\ntitle = \n+++\n");
    let server = Server::start(site.path(), &[]);
    let page = server.get("/help/");
    assert_eq!(page.status, 404);
    assert!(
        page.text().contains("/__helpsite/live.js"),
        "the overlay can show"
    );
    let events = server.events();
    let (name, hello) = events.recv_timeout(WAIT).unwrap();
    assert_eq!(name, "hello");
    assert!(hello.contains("content/guides/limits.md:2"), "{hello}");
    site.write("content/guides/limits.md", &good);
    let (name, _) = events.recv_timeout(WAIT).unwrap();
    assert_eq!(name, "reload");
    assert_eq!(server.get("/help/").status, 200);
}
