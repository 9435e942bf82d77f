//! Watching the site's sources: notify events -> debounced batches of changes.
//!
//! Only `content/`, `templates/`, `static/`, `themes/` and the config file are
//! watched, never the output folder, so a rebuild cannot trigger another one.
//! Editors' temp and backup files are dropped before they count as a change.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::pipeline::cache::Changes;
use crate::source::discover::is_ignored_name;

/// A batch ends once no event came for this long...
const QUIET: Duration = Duration::from_millis(20);
/// ...or when it has been collecting for this long (a long `git checkout`).
const LONGEST_BATCH: Duration = Duration::from_millis(1500);
/// How often the polling watcher scans, when native events are unavailable.
const POLL_INTERVAL: Duration = Duration::from_millis(300);

/// Which part of the site a changed path belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ChangeKind {
    Content,
    Templates,
    Static,
    Theme,
    Config,
}

/// What a path inside the site means for a rebuild; `None` for paths that do not
/// matter (editor temp files, the output folder, anything else).
pub(crate) fn classify(root: &Path, config_file: &Path, path: &Path) -> Option<ChangeKind> {
    if path == config_file {
        return Some(ChangeKind::Config);
    }
    let rel = path.strip_prefix(root).ok()?;
    let name = rel.file_name()?.to_string_lossy();
    let ignored_component = rel
        .components()
        .any(|c| is_ignored_name(&c.as_os_str().to_string_lossy()));
    if ignored_component || is_ignored_name(&name) {
        return None;
    }
    let top = rel.components().next()?.as_os_str().to_str()?;
    match top {
        "content" => Some(ChangeKind::Content),
        "templates" => Some(ChangeKind::Templates),
        "static" => Some(ChangeKind::Static),
        "themes" => Some(ChangeKind::Theme),
        _ => None,
    }
}

/// One debounced batch: the paths and what they change.
#[derive(Debug, Clone, Default)]
pub(crate) struct Batch {
    pub paths: BTreeSet<PathBuf>,
    pub kinds: BTreeSet<ChangeKind>,
}

impl Batch {
    /// The changes for the build, with paths under `watched_root` moved under
    /// `build_root` (the same folder as the build names it).
    pub(crate) fn changes(&self, watched_root: &Path, build_root: &Path) -> Changes {
        if self.kinds == BTreeSet::from([ChangeKind::Content]) {
            let paths = self
                .paths
                .iter()
                .filter_map(|p| p.strip_prefix(watched_root).ok())
                .map(|rel| build_root.join(rel))
                .collect();
            Changes::Content(paths)
        } else if !self.kinds.contains(&ChangeKind::Config)
            && !self.kinds.contains(&ChangeKind::Content)
        {
            Changes::Templates
        } else {
            Changes::Everything
        }
    }

    /// `content/account/x.md` (or "3 files") for the terminal.
    pub(crate) fn describe(&self, root: &Path) -> String {
        match self.paths.iter().next() {
            Some(only) if self.paths.len() == 1 => only
                .strip_prefix(root)
                .unwrap_or(only)
                .display()
                .to_string(),
            _ => format!("{} files", self.paths.len()),
        }
    }
}

/// A running watcher; dropping it stops watching.
pub(crate) struct SiteWatcher {
    _watcher: Box<dyn Watcher + Send>,
    events: Receiver<notify::Result<notify::Event>>,
    root: PathBuf,
    config_file: PathBuf,
    /// What arrived while the caller was busy, seen by `has_waiting`.
    waiting: std::cell::RefCell<Batch>,
    /// "native" or "polling".
    pub mode: &'static str,
}

impl SiteWatcher {
    /// Watches the site under `root` (an absolute path). Falls back to polling
    /// when native events are unavailable or `force_polling` is set.
    pub(crate) fn start(
        root: &Path,
        config_file: &Path,
        force_polling: bool,
    ) -> notify::Result<Self> {
        let (tx, events) = mpsc::channel();
        let native = if force_polling {
            None
        } else {
            notify::recommended_watcher(tx.clone())
                .ok()
                .map(|w| Box::new(w) as Box<dyn Watcher + Send>)
        };
        let mut mode = "native";
        let mut watcher = match native {
            Some(w) => w,
            None => {
                mode = "polling";
                polling(tx.clone())?
            }
        };
        if let Err(err) = watch_paths(watcher.as_mut(), root, config_file) {
            if mode == "polling" {
                return Err(err);
            }
            // Out of inotify watches, for example: polling still works.
            mode = "polling";
            watcher = polling(tx)?;
            watch_paths(watcher.as_mut(), root, config_file)?;
        }
        Ok(SiteWatcher {
            _watcher: watcher,
            events,
            root: root.to_path_buf(),
            config_file: config_file.to_path_buf(),
            waiting: std::cell::RefCell::new(Batch::default()),
            mode,
        })
    }

    /// Blocks until something relevant changed, then collects events until they
    /// stop for a moment. `None` when the watcher is gone.
    pub(crate) fn next_batch(&self) -> Option<Batch> {
        let mut batch = self.waiting.take();
        while batch.paths.is_empty() {
            let event = self.events.recv().ok()?;
            self.add(&mut batch, event);
        }
        let started = Instant::now();
        while started.elapsed() < LONGEST_BATCH {
            match self.events.recv_timeout(QUIET) {
                Ok(event) => self.add(&mut batch, event),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        Some(batch)
    }

    /// Whether something relevant changed since the last batch was taken, without
    /// waiting (what arrived is kept for `next_batch`).
    pub(crate) fn has_waiting(&self) -> bool {
        let mut waiting = self.waiting.borrow_mut();
        while let Ok(event) = self.events.try_recv() {
            self.add(&mut waiting, event);
        }
        !waiting.paths.is_empty()
    }

    fn add(&self, batch: &mut Batch, event: notify::Result<notify::Event>) {
        let Ok(event) = event else {
            // An error from the watcher (e.g. an overflowed queue): rebuild everything.
            batch.paths.insert(self.config_file.clone());
            batch.kinds.insert(ChangeKind::Config);
            return;
        };
        if matches!(event.kind, notify::EventKind::Access(_)) {
            return;
        }
        for path in event.paths {
            if let Some(kind) = classify(&self.root, &self.config_file, &path) {
                batch.kinds.insert(kind);
                batch.paths.insert(path);
            }
        }
    }
}

fn polling(
    tx: mpsc::Sender<notify::Result<notify::Event>>,
) -> notify::Result<Box<dyn Watcher + Send>> {
    // The poller keeps modification times in whole seconds, so two saves within
    // a second would look the same: compare contents too.
    let config = notify::Config::default()
        .with_poll_interval(POLL_INTERVAL)
        .with_compare_contents(true);
    Ok(Box::new(notify::PollWatcher::new(tx, config)?))
}

/// The site folder itself is watched without recursion (to see `templates/` or
/// `config.toml` appear); the source folders with it.
fn watch_paths(watcher: &mut dyn Watcher, root: &Path, config_file: &Path) -> notify::Result<()> {
    watcher.watch(root, RecursiveMode::NonRecursive)?;
    for dir in ["content", "templates", "static", "themes"] {
        let path = root.join(dir);
        if path.is_dir() {
            watcher.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    if let Some(parent) = config_file.parent().filter(|p| *p != root) {
        watcher.watch(parent, RecursiveMode::NonRecursive)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_map_to_the_least_work_that_is_still_right() {
        let batch = |items: &[(&str, ChangeKind)]| Batch {
            paths: items.iter().map(|(p, _)| PathBuf::from(p)).collect(),
            kinds: items.iter().map(|(_, k)| *k).collect(),
        };
        let (root, build_root) = (Path::new("/site"), Path::new("."));
        let content = batch(&[("/site/content/a.md", ChangeKind::Content)]);
        assert_eq!(
            content.changes(root, build_root),
            Changes::Content(BTreeSet::from([PathBuf::from("./content/a.md")]))
        );
        let template = batch(&[
            ("/site/templates/page.html", ChangeKind::Templates),
            ("/site/static/x.css", ChangeKind::Static),
        ]);
        assert_eq!(template.changes(root, build_root), Changes::Templates);
        let mixed = batch(&[
            ("/site/templates/page.html", ChangeKind::Templates),
            ("/site/content/a.md", ChangeKind::Content),
        ]);
        assert_eq!(mixed.changes(root, build_root), Changes::Everything);
        let config = batch(&[("/site/config.toml", ChangeKind::Config)]);
        assert_eq!(config.changes(root, build_root), Changes::Everything);
    }

    #[test]
    fn every_kind_of_path_is_classified() {
        let root = Path::new("/site");
        let config = Path::new("/site/config.toml");
        let kind = |p: &str| classify(root, config, Path::new(p));
        assert_eq!(kind("/site/config.toml"), Some(ChangeKind::Config));
        assert_eq!(kind("/site/content/a/x.md"), Some(ChangeKind::Content));
        assert_eq!(kind("/site/content/a"), Some(ChangeKind::Content));
        assert_eq!(
            kind("/site/templates/page.html"),
            Some(ChangeKind::Templates)
        );
        assert_eq!(kind("/site/static/style.css"), Some(ChangeKind::Static));
        assert_eq!(
            kind("/site/themes/x/templates/base.html"),
            Some(ChangeKind::Theme)
        );
        for ignored in [
            "/site/public/index.html",
            "/site/content/a/.x.md.swp",
            "/site/content/a/x.md~",
            "/site/content/a/#x.md#",
            "/site/content/a/4913",
            "/site/content/a/x.md___jb_tmp___",
            "/site/content/.git/index",
            "/site/README.md",
            "/elsewhere/content/x.md",
        ] {
            assert_eq!(kind(ignored), None, "{ignored}");
        }
    }
}
