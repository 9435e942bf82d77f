//! A progress bar for long builds: pages rendered out of the total, on stderr.
//!
//! It stays hidden for the first second, so quick builds (and every build whose stderr
//! is not a terminal) print nothing but their summary.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a build runs before its bar appears.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// A handle the pipeline reports to; the default one reports nowhere.
#[derive(Clone, Default)]
pub(crate) struct Progress(Option<Arc<ProgressBar>>);

impl fmt::Debug for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Part of `BuildOptions`' debug form, which serve compares between builds.
        f.write_str("Progress")
    }
}

impl Progress {
    /// A bar on stderr that appears after a second, when stderr is a terminal.
    pub(crate) fn on_terminal() -> Self {
        use std::io::IsTerminal;
        if !std::io::stderr().is_terminal() {
            return Progress::default();
        }
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{msg:>10} [{bar:30}] {pos}/{len} pages ({elapsed})")
                .expect("a valid template")
                .progress_chars("=> "),
        );
        bar.set_message("reading");
        let bar = Arc::new(bar);
        let shown = Arc::downgrade(&bar);
        std::thread::spawn(move || {
            std::thread::sleep(SHOW_AFTER);
            if let Some(bar) = shown.upgrade() {
                if !bar.is_finished() {
                    bar.set_draw_target(ProgressDrawTarget::stderr());
                }
            }
        });
        Progress(Some(bar))
    }

    /// A new stage with `total` steps (0 when it has no count).
    pub(crate) fn stage(&self, name: &'static str, total: usize) {
        if let Some(bar) = &self.0 {
            bar.set_message(name);
            bar.set_length(total as u64);
            bar.set_position(0);
        }
    }

    pub(crate) fn step(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }

    /// Removes the bar, so the summary line follows the build's output directly.
    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
