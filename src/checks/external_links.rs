//! `helpsite check --external`: are the web addresses the articles link to still there?
//!
//! Off by default (it needs the network and is slow). Requests run on a few threads,
//! at most one at a time per host with a pause between them so no site is hammered,
//! each with a timeout. Addresses that answered well are remembered in a cache file
//! for a day, so a second run only asks about the new and the failing ones.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Arc;
// A worker that panicked leaves its lock poisoned; the queue and answers it guards stay
// consistent (each write is one assignment), so the others carry on with them.
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;
use crate::markdown::Rendered;
use crate::model::Site;

/// How the external check runs.
#[derive(Debug, Clone)]
pub(crate) struct ExternalOptions {
    pub timeout: Duration,
    /// Requests in flight at once, over all hosts.
    pub concurrency: usize,
    /// Pause between two requests to the same host.
    pub per_host_interval: Duration,
    /// Where answers are remembered; `None` for no cache.
    pub cache_file: Option<PathBuf>,
    /// How long a good answer is trusted.
    pub cache_for: Duration,
}

impl ExternalOptions {
    pub(crate) fn new(cache_file: Option<PathBuf>) -> Self {
        ExternalOptions {
            timeout: Duration::from_secs(10),
            concurrency: 8,
            per_host_interval: Duration::from_millis(500),
            cache_file,
            cache_for: Duration::from_secs(24 * 3600),
        }
    }
}

/// One use of an external address in an article.
#[derive(Debug, Clone)]
struct LinkUse {
    file: PathBuf,
    line: usize,
    col: usize,
}

/// What checking found: a warning or error per broken use, and figures for the summary.
#[derive(Debug, Default)]
pub(crate) struct ExternalReport {
    pub diagnostics: Vec<Diagnostic>,
    pub checked: usize,
    pub from_cache: usize,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Cache {
    /// URL -> seconds since the epoch when it last answered well.
    ok: BTreeMap<String, u64>,
}

/// Checks every http(s) link and image of the site's articles and sections, whose
/// Markdown `pages` and `sections` hold (in the order of `site`).
pub(crate) fn check(
    site: &Site,
    pages: &[Arc<Rendered>],
    sections: &[Arc<Rendered>],
    options: &ExternalOptions,
) -> ExternalReport {
    let uses = collect(site, pages, sections);
    let mut cache = options
        .cache_file
        .as_deref()
        .and_then(load_cache)
        .unwrap_or_default();
    let now = unix_now();
    let fresh = |url: &str| {
        cache
            .ok
            .get(url)
            .is_some_and(|&at| now.saturating_sub(at) < options.cache_for.as_secs())
    };
    let to_check: Vec<&String> = uses.keys().filter(|url| !fresh(url)).collect();
    let from_cache = uses.len() - to_check.len();
    let answers = fetch_all(&to_check, options);

    let mut report = ExternalReport {
        checked: to_check.len(),
        from_cache,
        ..ExternalReport::default()
    };
    for (url, answer) in to_check.iter().zip(answers) {
        match answer {
            Ok(()) => {
                cache.ok.insert((*url).clone(), now);
            }
            Err(problem) => {
                cache.ok.remove(*url);
                for place in &uses[*url] {
                    report.diagnostics.push(
                        Diagnostic::error(format!("external link is broken: {url} ({problem})"))
                            .in_file(&place.file)
                            .at(place.line, place.col)
                            .with_hint("fix or remove the link; if the site was only down for a moment, check again later"),
                    );
                }
            }
        }
    }
    if let Some(file) = &options.cache_file {
        save_cache(file, &cache);
    }
    report
}

/// Every external address with the places it is used, in a stable order.
fn collect(
    site: &Site,
    pages: &[Arc<Rendered>],
    sections: &[Arc<Rendered>],
) -> BTreeMap<String, Vec<LinkUse>> {
    let bodies = site
        .pages
        .iter()
        .zip(pages)
        .filter(|(p, _)| p.stand_in_for.is_none())
        .map(|(p, rendered)| (p.source.display.clone(), rendered))
        .chain(
            site.sections
                .iter()
                .zip(sections)
                .map(|(s, rendered)| (s.source_display(), rendered)),
        );
    let mut uses: BTreeMap<String, Vec<LinkUse>> = BTreeMap::new();
    for (file, rendered) in bodies {
        for (url, place) in &rendered.noted.external_links {
            uses.entry(url.clone()).or_default().push(LinkUse {
                file: file.clone(),
                line: place.line,
                col: place.col,
            });
        }
    }
    uses
}

/// Asks every address, `concurrency` at a time, one at a time per host. Answers come
/// back in the order of `urls`.
fn fetch_all(urls: &[&String], options: &ExternalOptions) -> Vec<Result<(), String>> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .http_status_as_error(false)
        .user_agent(concat!("helpsite-link-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let queue = HostQueue::new(urls, options.per_host_interval);
    let answers = Mutex::new(vec![Ok(()); urls.len()]);
    std::thread::scope(|scope| {
        for _ in 0..options.concurrency.clamp(1, 64) {
            scope.spawn(|| {
                while let Some((index, host)) = queue.next() {
                    let answer = fetch(&agent, urls[index]);
                    queue.done(&host);
                    answers.lock().unwrap_or_else(PoisonError::into_inner)[index] = answer;
                }
            });
        }
    });
    answers.into_inner().unwrap_or_else(PoisonError::into_inner)
}

/// HEAD first; servers that refuse HEAD get a GET.
fn fetch(agent: &ureq::Agent, url: &str) -> Result<(), String> {
    let status = |result: Result<ureq::http::Response<ureq::Body>, ureq::Error>| {
        result
            .map(|r| r.status().as_u16())
            .map_err(|e| e.to_string())
    };
    let mut code = status(agent.head(url).call())?;
    if matches!(code, 403 | 405 | 501) {
        code = status(agent.get(url).call())?;
    }
    match code {
        200..=399 => Ok(()),
        code => Err(format!("HTTP {code}")),
    }
}

/// The host (and port, when one is written) that a request to `url` goes to, in lower case.
fn host_of(url: &str) -> String {
    let Ok(url) = url::Url::parse(url) else {
        return String::new();
    };
    match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_string(),
        (None, _) => String::new(),
    }
}

/// The addresses still to ask, by host: one request at a time per host, with a pause
/// after each. A worker is only handed an address whose host may be asked now, so a
/// busy or resting host never holds up the others.
struct HostQueue {
    interval: Duration,
    state: Mutex<HashMap<String, HostState>>,
    /// Signalled when a request ends: a host may be free again.
    changed: Condvar,
}

struct HostState {
    /// Indexes of the addresses of this host not yet handed out, in order.
    waiting: VecDeque<usize>,
    busy: bool,
    /// The earliest moment the next request to this host may start.
    ready_at: Instant,
}

impl HostQueue {
    fn new(urls: &[&String], interval: Duration) -> Self {
        let now = Instant::now();
        let mut state: HashMap<String, HostState> = HashMap::new();
        for (index, url) in urls.iter().enumerate() {
            state
                .entry(host_of(url))
                .or_insert_with(|| HostState {
                    waiting: VecDeque::new(),
                    busy: false,
                    ready_at: now,
                })
                .waiting
                .push_back(index);
        }
        HostQueue {
            interval,
            state: Mutex::new(state),
            changed: Condvar::new(),
        }
    }

    /// The next address to ask and its host, waiting until some host may be asked;
    /// `None` when every address has been handed out.
    fn next(&self) -> Option<(usize, String)> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            let now = Instant::now();
            let mut soonest: Option<Instant> = None;
            let mut any_waiting = false;
            for (host, entry) in state.iter_mut() {
                if entry.waiting.is_empty() {
                    continue;
                }
                any_waiting = true;
                if entry.busy {
                    continue;
                }
                if entry.ready_at <= now {
                    entry.busy = true;
                    let index = entry.waiting.pop_front().expect("not empty");
                    return Some((index, host.clone()));
                }
                soonest = Some(soonest.map_or(entry.ready_at, |s| s.min(entry.ready_at)));
            }
            if !any_waiting {
                return None;
            }
            // Sleep until a resting host may be asked again, or until a request ends.
            state = match soonest {
                Some(at) => {
                    self.changed
                        .wait_timeout(state, at.saturating_duration_since(now))
                        .unwrap_or_else(PoisonError::into_inner)
                        .0
                }
                None => self
                    .changed
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner),
            };
        }
    }

    fn done(&self, host: &str) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(entry) = state.get_mut(host) {
            entry.busy = false;
            entry.ready_at = Instant::now() + self.interval;
        }
        drop(state);
        self.changed.notify_all();
    }
}

fn load_cache(file: &Path) -> Option<Cache> {
    serde_json::from_slice(&std::fs::read(file).ok()?).ok()
}

/// Best effort: a cache that cannot be written only costs time on the next run.
fn save_cache(file: &Path, cache: &Cache) {
    if let Some(parent) = file.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    if let Ok(json) = serde_json::to_vec_pretty(cache) {
        let _ = std::fs::write(file, json);
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_compared_without_path_or_case() {
        assert_eq!(host_of("https://Example.com/a?b"), "example.com");
        assert_eq!(host_of("http://127.0.0.1:8080#x"), "127.0.0.1:8080");
    }
}
