//! `helpsite serve`: build, serve from memory on loopback, watch, rebuild, reload.
//!
//! The parts: `http` answers requests from the current snapshot and streams
//! reload events, `watch` turns file events into debounced batches, and this
//! module runs the loop between them: each batch is rebuilt through the build
//! cache, a good result replaces the snapshot, a failed one (or a panic) keeps
//! the last good site and is shown in the terminal and over every open page.
//! When a save changes many pages, the pages open in a browser are rendered and
//! published first, and the rest before the next batch is taken.

pub(crate) mod http;
pub(crate) mod watch;

use std::io::Write;
use std::net::{IpAddr, TcpListener};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crate::config::BaseUrl;
use crate::diag::report::Reporter;
use crate::diag::Diagnostic;
use crate::incremental::Incremental;
use crate::pipeline::cache::Changes;
use crate::pipeline::{load_config, BuildOptions, BuildOutput};
use http::{AllowedHosts, Live, Snapshot};
use watch::SiteWatcher;

/// Test hook: a rebuild whose changes include a file of this name panics, so
/// that tests can check that a panic is caught.
const PANIC_HOOK_VAR: &str = "HELPSITE_TEST_PANIC_FILE";

#[derive(Debug, Clone)]
pub(crate) struct ServeOptions {
    pub build: BuildOptions,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub open: bool,
    /// Poll the file system instead of using native events.
    pub poll: bool,
    /// Print errors only: no warnings and no line per good rebuild.
    pub quiet: bool,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum ServeError {
    #[error("port {port} on {bind} is already in use; stop the other server or pick another port with --port")]
    PortInUse { bind: IpAddr, port: u16 },
    #[error("cannot listen on {bind}:{port}: {source}")]
    Listen {
        bind: IpAddr,
        port: u16,
        source: std::io::Error,
    },
    #[error("cannot watch the site for changes: {0}")]
    Watch(#[from] notify::Error),
    #[error("cannot find the site folder {0}: {1}")]
    Root(PathBuf, std::io::Error),
}

impl ServeError {
    /// Whether the user asked for something that cannot be (exit code 2).
    pub(crate) fn is_usage(&self) -> bool {
        matches!(
            self,
            ServeError::PortInUse { .. } | ServeError::Listen { .. }
        )
    }
}

/// Runs the preview until the process is stopped.
pub(crate) fn run(options: ServeOptions) -> Result<(), ServeError> {
    let root = options
        .build
        .root
        .canonicalize()
        .map_err(|e| ServeError::Root(options.build.root.clone(), e))?;
    let (listener, address) = bind(&options)?;
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: serving on {} as asked: other machines on the network can read this preview",
            options.bind
        );
    }

    // The build keeps the root as given, so messages name files as the writer
    // typed the path; the watcher reports canonical paths, mapped back in `changes`.
    let build_options = options.build.clone();
    let config_file = match &build_options.config_file {
        Some(file) => file.canonicalize().unwrap_or_else(|_| file.clone()),
        None => root.join("config.toml"),
    };
    let mut rebuilder = Rebuilder {
        options: build_options,
        user_base_url: options.build.base_url.clone(),
        host: http::display_host(address),
        incremental: Incremental::default(),
        generation: 0,
    };

    let watcher = SiteWatcher::start(&root, &config_file, options.poll)?;
    let started = Instant::now();
    let first = rebuilder.rebuild(&Changes::Everything, None);
    let live = Arc::new(Live::new(Snapshot {
        files: Default::default(),
        base_path: first.base_path.clone(),
        generation: 0,
        site_root: root.clone(),
    }));
    let quiet = options.quiet;
    report(&live, first, "the site", started, quiet);
    http::spawn(
        listener,
        live.clone(),
        AllowedHosts::new(options.bind, address.port()),
    )
    .map_err(|source| ServeError::Listen {
        bind: options.bind,
        port: options.port,
        source,
    })?;
    let url = format!("http://{}{}", rebuilder.host, live.snapshot().base_path);
    println!(
        "serving {url} (watching for changes, {} events; Ctrl+C to stop)",
        watcher.mode
    );
    let _ = std::io::stdout().flush();
    if options.open {
        open_browser(&url);
    }

    while let Some(batch) = watcher.next_batch() {
        let started = Instant::now();
        let changes = batch.changes(&root, &rebuilder.options.root);
        rebuilder.incremental.render_first(live.open_pages());
        let outcome = rebuilder.rebuild(&changes, Some(&batch.paths));
        report(&live, outcome, &batch.describe(&root), started, quiet);
        let started = Instant::now();
        // Until the next save: it may take what is left with its own pages.
        if let Some(outcome) = rebuilder.finish(&|| watcher.has_waiting()) {
            report_rest(&live, outcome, started, quiet);
        }
    }
    Ok(())
}

/// Listens on the asked address (port 0: a free one) and says where it listens.
fn bind(options: &ServeOptions) -> Result<(TcpListener, std::net::SocketAddr), ServeError> {
    let (bind, port) = (options.bind, options.port);
    let listener = TcpListener::bind((bind, port)).map_err(|source| {
        if source.kind() == std::io::ErrorKind::AddrInUse {
            ServeError::PortInUse { bind, port }
        } else {
            ServeError::Listen { bind, port, source }
        }
    })?;
    let address =
        listener
            .local_addr()
            .map_err(|source| ServeError::Listen { bind, port, source })?;
    Ok((listener, address))
}

/// The result of one rebuild, ready to publish or to report.
struct Outcome {
    result: Result<BuildOutput, String>,
    base_path: String,
    generation: u64,
}

/// Rebuilds through the cache and keeps panics and failures from ending the server.
struct Rebuilder {
    options: BuildOptions,
    user_base_url: Option<BaseUrl>,
    /// `127.0.0.1:1111`: where the preview is, for its `base_url`.
    host: String,
    incremental: Incremental,
    generation: u64,
}

impl Rebuilder {
    fn rebuild(
        &mut self,
        changes: &Changes,
        paths: Option<&std::collections::BTreeSet<PathBuf>>,
    ) -> Outcome {
        let (options, base_path) = self.build_options();
        let panic_file = std::env::var_os(PANIC_HOOK_VAR);
        let incremental = &mut self.incremental;
        let result = catch_unwind(AssertUnwindSafe(|| {
            if let (Some(name), Some(paths)) = (&panic_file, paths) {
                if paths
                    .iter()
                    .any(|p| p.file_name() == Some(name.as_os_str()))
                {
                    panic!("test hook: a rebuild was asked to panic");
                }
            }
            incremental.rebuild(&options, changes)
        }));
        let outcome = self.outcome(result, base_path);
        if outcome.result.is_ok() {
            self.generation += 1;
        }
        Outcome {
            generation: self.generation,
            ..outcome
        }
    }

    /// The pages the last rebuilds left to render, rendered until `stop`: the same
    /// generation, whole or still with pages pending. `None` when none were left.
    fn finish(&mut self, stop: &dyn Fn() -> bool) -> Option<Outcome> {
        let (options, base_path) = self.build_options();
        let incremental = &mut self.incremental;
        let result = catch_unwind(AssertUnwindSafe(|| incremental.finish(&options, stop)));
        let result = match result {
            Ok(None) => return None,
            Ok(Some(output)) => Ok(output),
            Err(panic) => Err(panic),
        };
        Some(self.outcome(result, base_path))
    }

    /// The options of a preview build, and the base path they give.
    fn build_options(&self) -> (BuildOptions, String) {
        let base_path = self.base_path();
        let mut options = self.options.clone();
        // A host and port with a checked base path always make a base URL.
        options.base_url = BaseUrl::parse(&format!("http://{}{base_path}", self.host)).ok();
        (options, base_path)
    }

    /// A build's result as served, a failure or a panic as its message.
    fn outcome(&mut self, result: std::thread::Result<BuildOutput>, base_path: String) -> Outcome {
        let result = match result {
            Ok(output) if output.succeeded() => Ok(output),
            Ok(output) => Err(error_text(&output)),
            Err(panic) => {
                // A panic may have left the cache half-updated: start over next time.
                self.incremental = Incremental::default();
                Err(format!(
                    "error: the rebuild crashed (a bug in helpsite, please report it): {}\nThe previous site is still served; save again to retry.",
                    panic_message(&panic)
                ))
            }
        };
        Outcome {
            result,
            base_path,
            generation: self.generation,
        }
    }

    /// The sub-path the site lives under (from `--base-url` or `base_url`).
    fn base_path(&self) -> String {
        let mut options = self.options.clone();
        options.base_url = self.user_base_url.clone();
        load_config(&options)
            .map(|config| config.base_url.path().to_string())
            .unwrap_or_else(|_| "/".to_string())
    }
}

/// The errors of a failed build as `helpsite build` prints them (place, source line,
/// caret, hint), with colour codes that `anstream` strips where they do not belong.
fn error_text(output: &BuildOutput) -> String {
    let errors = output.diagnostics.clone().sorted();
    reported(errors.iter().filter(|d| d.is_error()))
}

/// Diagnostics written by the build's reporter, one after another.
fn reported<'a>(diagnostics: impl Iterator<Item = &'a Diagnostic>) -> String {
    let mut reporter = Reporter::new();
    let mut text = Vec::new();
    for diagnostic in diagnostics {
        // Writing into memory cannot fail.
        let _ = reporter.write(&mut text, diagnostic);
    }
    String::from_utf8_lossy(&text).trim_end().to_string()
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

/// Publishes a good build or shows the error; prints one line either way (only the
/// error when `quiet`).
fn report(live: &Live, outcome: Outcome, what: &str, started: Instant, quiet: bool) {
    let elapsed = started.elapsed().as_secs_f64() * 1000.0;
    match outcome.result {
        Ok(mut output) => {
            let warnings: Vec<&Diagnostic> = output
                .diagnostics
                .iter()
                .filter(|d| !d.is_error())
                .collect();
            if !quiet && !warnings.is_empty() {
                anstream::eprintln!("{}\n", reported(warnings.into_iter()));
            }
            let rendered = output.stats.rendered;
            let shortcut = (output.stats.shortcut).map_or(String::new(), |s| format!(" ({s})"));
            let pending = std::mem::take(&mut output.pending);
            let waiting = pending.len();
            let snapshot = snapshot(live, output, outcome.base_path, outcome.generation);
            live.publish(snapshot, pending);
            if !quiet {
                let rest = match waiting {
                    0 => String::new(),
                    n => format!("; {n} more pages to check"),
                };
                println!(
                    "rebuilt {what}{shortcut}: {rendered} page{} re-rendered in {elapsed:.0} ms{rest}",
                    if rendered == 1 { "" } else { "s" }
                );
            }
        }
        Err(message) => failed(live, message, what, elapsed),
    }
    let _ = std::io::stdout().flush();
}

/// Serves the build again once pages a rebuild left pending were rendered.
fn report_rest(live: &Live, outcome: Outcome, started: Instant, quiet: bool) {
    let elapsed = started.elapsed().as_secs_f64() * 1000.0;
    match outcome.result {
        Ok(mut output) => {
            let rendered = output.stats.rendered;
            let pending = std::mem::take(&mut output.pending);
            let left = match pending.len() {
                0 => String::new(),
                n => format!("; {n} left for the next save"),
            };
            let snapshot = snapshot(live, output, outcome.base_path, outcome.generation);
            live.update(snapshot, pending);
            if !quiet {
                println!("  and {rendered} more re-rendered in {elapsed:.0} ms{left}");
            }
        }
        Err(message) => failed(live, message, "the rest of the pages", elapsed),
    }
    let _ = std::io::stdout().flush();
}

/// What the preview serves of a good build.
fn snapshot(live: &Live, output: BuildOutput, base_path: String, generation: u64) -> Snapshot {
    Snapshot {
        files: output
            .files
            .into_iter()
            .map(|f| (f.path, f.content))
            .collect(),
        base_path,
        generation,
        site_root: live.snapshot().site_root.clone(),
    }
}

/// Shows a failed build's errors in the terminal and over every open page.
fn failed(live: &Live, message: String, what: &str, elapsed: f64) {
    anstream::eprintln!("{message}\n");
    // The overlay shows plain text.
    let message = anstream::adapter::strip_str(&message).to_string();
    eprintln!("rebuild of {what} failed after {elapsed:.0} ms; still serving the last good site");
    live.fail(message);
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(err) = std::process::Command::new(opener)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!("warning: could not open a browser ({opener}: {err}); open {url} yourself");
    }
}
