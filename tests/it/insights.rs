//! `helpsite insights` through the real binary, on events made by
//! `scripts/gen_events.py` (fixed seeds) or built here in a loop: the exact report for
//! one set, hostile lines, the HTML page's escaping, standard input and several files,
//! exit codes, and the collector and config fragment shown in the user guide.

use crate::common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{repo_root, run_in, select, Run, Site};

/// Writes `scripts/gen_events.py ARGS` into `dir/name` and returns its path.
fn generate(dir: &Path, name: &str, args: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let status = Command::new("python3")
        .arg(repo_root().join("scripts/gen_events.py"))
        .args(args)
        .arg("--out")
        .arg(&out)
        .status()
        .expect("run python3 scripts/gen_events.py");
    assert!(status.success(), "gen_events.py {args:?} failed");
    out
}

fn insights(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["insights"];
    all.extend_from_slice(args);
    run_in(dir, &all)
}

fn json_report(dir: &Path, file: &str) -> serde_json::Value {
    let run = insights(dir, &[file, "--json"]);
    run.assert_ok();
    serde_json::from_str(&run.stdout).expect("--json prints JSON")
}

#[test]
fn a_generated_set_of_events_gives_exactly_this_report() {
    let dir = Site::empty();
    generate(dir.path(), "events.jsonl", &["--n", "400", "--seed", "7"]);
    let run = insights(dir.path(), &["events.jsonl"]);
    run.assert_ok();
    assert_eq!(run.stderr, "", "no malformed lines, no warning");
    insta::assert_snapshot!("insights_seed_7", run.stdout);
}

#[test]
fn the_json_report_holds_the_same_figures_as_the_text() {
    let dir = Site::empty();
    generate(dir.path(), "events.jsonl", &["--n", "400", "--seed", "7"]);
    let report = json_report(dir.path(), "events.jsonl");
    assert_eq!(report["events"], 400);
    assert_eq!(report["malformed"]["count"], 0);
    let en = &report["languages"][0];
    assert_eq!(en["lang"], "en");
    let text = insights(dir.path(), &["events.jsonl"]).stdout;
    let searches = format!(
        "searches: {}, found nothing: {}",
        en["searches"], en["no_result_searches"]
    );
    assert!(text.contains(&searches), "{searches}\n{text}");
    // "Change phone number" and "change phone number" are one query.
    let failed = &en["failed_searches"];
    assert!(failed
        .as_array()
        .unwrap()
        .iter()
        .any(|q| q["query"] == "change phone number"));
    assert!(!failed.to_string().contains("Change"), "{failed}");
    // The generator never opens the results of "invoice".
    assert_eq!(en["unopened_searches"][0]["query"], "invoice");
}

/// The line numbers (from 1) of the lines of `file` for which `pick` holds.
fn lines_where(file: &Path, pick: impl Fn(&[u8]) -> bool) -> Vec<usize> {
    let bytes = std::fs::read(file).unwrap();
    let lines = bytes.split(|&b| b == b'\n');
    lines
        .enumerate()
        .filter(|(_, line)| pick(line))
        .map(|(i, _)| i + 1)
        .collect()
}

fn line_length(file: &Path, number: usize) -> usize {
    let bytes = std::fs::read(file).unwrap();
    bytes.split(|&b| b == b'\n').nth(number - 1).unwrap().len()
}

#[test]
fn hostile_lines_are_listed_with_their_numbers_and_never_stop_the_report() {
    let dir = Site::empty();
    let file = generate(
        dir.path(),
        "bad.jsonl",
        &["--n", "300", "--seed", "7", "--hostile"],
    );
    let run = insights(dir.path(), &["bad.jsonl"]);
    run.assert_ok();
    assert_eq!(run.stderr, "warning: 4 malformed lines skipped\n");
    let ten_mb = lines_where(&file, |l| l.len() > 10_000_000);
    let bad_utf8 = lines_where(&file, |l| std::str::from_utf8(l).is_err());
    let unknown = lines_where(&file, |l| l.windows(10).any(|w| w == b"\"pageview\""));
    let broken = lines_where(&file, |l| l.ends_with(b"unclosed"));
    let expected = [
        format!(
            "bad.jsonl:{}: not a JSON event: EOF while parsing a string",
            broken[0]
        ),
        format!(
            "bad.jsonl:{}: not UTF-8 (bad byte at column 43)",
            bad_utf8[0]
        ),
        format!("bad.jsonl:{}: unknown event \"pageview\"", unknown[0]),
        format!(
            "bad.jsonl:{}: line of {} bytes is longer than 65536",
            ten_mb[0],
            line_length(&file, ten_mb[0])
        ),
    ];
    let listed: Vec<&str> = run
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("malformed lines skipped: 4"))
        .skip(1)
        .map(str::trim)
        .collect();
    assert_eq!(listed, expected);
    // The events around the bad lines are all counted: 300 plus the three valid hostile ones.
    assert!(
        run.stdout.starts_with("303 events in 3 languages"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_html_report_escapes_every_string_and_loads_nothing() {
    let dir = Site::empty();
    generate(
        dir.path(),
        "bad.jsonl",
        &["--n", "300", "--seed", "7", "--hostile"],
    );
    insights(dir.path(), &["bad.jsonl", "--html", "report.html"]).assert_ok();
    let html = dir.read("report.html");
    assert!(
        !html.to_lowercase().contains("<script"),
        "a script tag got through"
    );
    assert!(!html.contains("<img"), "an img tag got through");
    assert!(!html.contains("<b>"), "a b tag got through from a language");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;"));
    assert!(html.contains("a&#x2F;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    let page = dir.html("report.html");
    for css in [
        "script",
        "img",
        "link",
        "iframe",
        "[src]",
        "[href]",
        "[onerror]",
    ] {
        assert!(select(&page, css).is_empty(), "the page has {css}");
    }
    // Per language: bars for the failed searches, and the weekly line.
    let sections = select(&page, "section[lang]");
    assert_eq!(sections.len(), 3);
    let en = sections
        .iter()
        .find(|s| s.value().attr("lang") == Some("en"))
        .expect("an en section");
    let bars = scraper::Selector::parse("svg rect.bar").unwrap();
    assert_eq!(en.select(&bars).count(), 5, "five failed queries in en");
    let line = scraper::Selector::parse("svg polyline.line").unwrap();
    assert_eq!(en.select(&line).count(), 1);
    let odd = sections
        .iter()
        .find(|s| s.value().attr("lang") == Some("en\"><b>"))
        .expect("the hostile language kept as an attribute value");
    assert!(odd.html().contains("<h2>en\"&gt;&lt;b&gt;</h2>"));
}

/// Runs `helpsite insights ARGS` with `input` on standard input.
fn insights_with_stdin(dir: &Path, args: &[&str], input: &[u8]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_helpsite"))
        .arg("insights")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run helpsite");
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn standard_input_and_several_files_give_the_same_report_as_one_file() {
    let dir = Site::empty();
    let file = generate(dir.path(), "all.jsonl", &["--n", "2000", "--seed", "3"]);
    let whole = insights(dir.path(), &["all.jsonl"]);
    whole.assert_ok();

    let bytes = std::fs::read(&file).unwrap();
    let middle = bytes.len() / 2;
    let cut = middle + bytes[middle..].iter().position(|&b| b == b'\n').unwrap() + 1;
    dir.write_bytes("a.jsonl", &bytes[..cut]);
    dir.write_bytes("b.jsonl", &bytes[cut..]);
    let split = insights(dir.path(), &["a.jsonl", "b.jsonl"]);
    assert_eq!(split.stdout, whole.stdout);

    let piped = insights_with_stdin(dir.path(), &["a.jsonl", "-"], &bytes[cut..]);
    piped.assert_ok();
    assert_eq!(piped.stdout, whole.stdout);
}

#[test]
fn a_file_that_cannot_be_read_is_a_usage_error_and_no_report() {
    let dir = Site::empty();
    generate(dir.path(), "good.jsonl", &["--n", "10"]);
    std::fs::create_dir(dir.path().join("folder")).unwrap();
    let run = insights(dir.path(), &["good.jsonl", "missing.jsonl", "folder"]);
    run.assert_code(2);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains("error: cannot open missing.jsonl: "),
        "{}",
        run.stderr
    );
    assert!(run
        .stderr
        .contains("error: cannot open folder: it is a folder"));

    let unwritable = insights(dir.path(), &["good.jsonl", "--html", "no/such/dir/r.html"]);
    unwritable.assert_code(2);
    assert!(unwritable
        .stderr
        .contains("cannot write no/such/dir/r.html"));

    insights(dir.path(), &[]).assert_code(2);
    insights(dir.path(), &["good.jsonl", "--bogus"]).assert_code(2);
}

#[test]
fn help_says_what_the_report_holds_and_the_exit_codes() {
    let run = run_in(&repo_root(), &["insights", "--help"]);
    run.assert_ok();
    for words in [
        "--html <OUT>",
        "--json",
        "deflection",
        "Wilson",
        "Exit codes",
    ] {
        assert!(
            run.stdout.contains(words),
            "--help lacks {words}:\n{}",
            run.stdout
        );
    }
}

/// Events made in a loop: `no` "no" and `yes` "yes" answers for `page`.
fn answers(page: &str, no: usize, yes: usize) -> String {
    let mut lines = String::new();
    for i in 0..no + yes {
        let event = serde_json::json!({
            "event": "helpful", "lang": "en", "page": page, "helpful": i >= no,
            "time": format!("2026-11-{:02}T10:00:00Z", 1 + i % 28),
        });
        lines.push_str(&format!("{event}\n"));
    }
    lines
}

#[test]
fn one_no_of_one_answer_ranks_below_forty_of_fifty() {
    let dir = Site::empty();
    let events = answers("/once/", 1, 0) + &answers("/often/", 40, 10) + &answers("/fine/", 2, 98);
    dir.write("events.jsonl", &events);
    let report = json_report(dir.path(), "events.jsonl");
    let ranked: Vec<(String, u64)> = report["languages"][0]["least_helpful"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["page"].as_str().unwrap().to_string(),
                r["answers"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected = [("/often/", 50), ("/once/", 1), ("/fine/", 100)];
    let expected: Vec<(String, u64)> = expected.iter().map(|(p, n)| (p.to_string(), *n)).collect();
    assert_eq!(ranked, expected);
}

/// The fenced block of the insights guide page whose info string has `run=NAME`.
fn guide_block(name: &str) -> String {
    let page = repo_root().join("docs/content/notices-and-feedback/insights.md");
    let text = std::fs::read_to_string(page).unwrap();
    let marker = format!("run={name}\n");
    let start = text
        .find(&marker)
        .unwrap_or_else(|| panic!("no run={name} block"))
        + marker.len();
    let end = start + text[start..].find("\n```").expect("closing fence");
    text[start..end + 1].to_string()
}

#[test]
fn the_guide_config_fragment_names_the_insights_endpoint() {
    let config: toml::Table = guide_block("insights-config").parse().expect("TOML");
    let endpoint = config["insights"]["endpoint"]
        .as_str()
        .expect("an endpoint");
    assert!(endpoint.starts_with("https://"), "{endpoint}");
}

fn post(port: u16, body: &str) -> String {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let request = format!(
        "POST /collect HTTP/1.0\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer
}

/// Starts the collector on a free port and waits (up to 10 s) until it answers.
fn start_collector(dir: &Path) -> (std::process::Child, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let child = Command::new("python3")
        .arg("collector.py")
        .arg(port.to_string())
        .current_dir(dir)
        .spawn()
        .expect("run python3 collector.py");
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the collector never listened"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (child, port)
}

#[test]
fn the_guide_collector_stores_events_that_the_report_reads() {
    let dir = Site::empty();
    dir.write("collector.py", &guide_block("insights-collector"));
    let lines = guide_block("insights-collector").lines().count();
    assert!(
        lines <= 14,
        "the guide promises a collector of a few lines, not {lines}"
    );
    let (mut collector, port) = start_collector(dir.path());
    let events = [
        r#"{"event":"search","lang":"en","query":"<b>fees</b>","results":0,"ip":"192.0.2.1"}"#,
        r#"{"event":"helpful","lang":"zh","page":"/payments/fees/","helpful":false}"#,
        "not json",
        "[1, 2]",
    ];
    let answers: Vec<String> = events.iter().map(|e| post(port, e)).collect();
    collector.kill().unwrap();
    collector.wait().unwrap();
    for answer in &answers {
        assert!(answer.starts_with("HTTP/1.0 204"), "{answer}");
    }
    let stored = dir.read("events.jsonl");
    assert_eq!(stored.lines().count(), 2, "{stored}");
    assert!(
        !stored.contains("192.0.2.1"),
        "a field outside the list was kept"
    );
    let run = insights(dir.path(), &["events.jsonl", "--json"]);
    run.assert_ok();
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["events"], 2);
    assert_eq!(report["malformed"]["count"], 0);
    assert_eq!(
        report["languages"][0]["failed_searches"][0]["query"],
        "<b>fees</b>"
    );
}
