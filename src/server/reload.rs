//! Signals and `--hotreload`: what changes the hook set while serving, and the stop
//! signals.
//!
//! SIGHUP and SIGUSR1 reload every served file; SIGINT and SIGTERM stop the server (a
//! second one ends the shutdown grace at once). With `--hotreload` the *directory* of
//! each file is watched, not the file, so a file replaced by rename (editors, `git
//! pull`) or deleted and created again is still followed; events are gathered for
//! 100 ms before a reload. Every reload builds a whole new [`HookSet`] off the runtime
//! thread and swaps it in one step; a file that no longer loads keeps its previous
//! hooks.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use notify::{EventKind, RecursiveMode, Watcher};
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM, SIGUSR1};
use tokio::sync::{mpsc, watch};

use super::{log_report, HookSet, LoadReport, Shared, Stopped};

/// How long file events are gathered before reloading.
const SETTLE: Duration = Duration::from_millis(100);

/// The process's signal handlers, installed before the hooks load (as webhook does).
pub(crate) struct Signals(signal_hook::iterator::Signals);

impl Signals {
    pub fn install() -> std::io::Result<Signals> {
        signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP, SIGUSR1]).map(Signals)
    }
}

/// Tells the accept loops when to stop.
#[derive(Clone)]
pub(crate) struct Control {
    stops: watch::Receiver<Option<Stopped>>,
    first_stop: Arc<std::sync::OnceLock<std::time::Instant>>,
}

impl Control {
    /// When the first stop signal arrived.
    pub fn stopped_at(&self) -> Option<std::time::Instant> {
        self.first_stop.get().copied()
    }

    /// Waits for the next stop signal.
    pub async fn stopped(&mut self) -> Stopped {
        loop {
            if self.stops.changed().await.is_err() {
                // The control loop is gone; nothing can stop us but this.
                std::future::pending::<()>().await;
            }
            if let Some(stop) = *self.stops.borrow_and_update() {
                self.first_stop.get_or_init(std::time::Instant::now);
                return stop;
            }
        }
    }
}

enum Event {
    Signal(i32),
    File(PathBuf),
}

/// A hook file followed by `--hotreload`.
struct WatchedFile {
    path: String,
    dir: PathBuf,
    name: OsString,
}

/// Starts the signal thread, the file watcher and the loop that reacts to both.
pub(crate) fn start(shared: Arc<Shared>, signals: Signals) -> std::io::Result<Control> {
    let (events, receiver) = mpsc::unbounded_channel();
    let (stop_sender, stops) = watch::channel(None);

    let mut signals = signals.0;
    let sender = events.clone();
    std::thread::Builder::new()
        .name("hookctl-signals".into())
        .spawn(move || {
            for signal in signals.forever() {
                if sender.send(Event::Signal(signal)).is_err() {
                    return;
                }
            }
        })?;

    let (watcher, watched) = if shared.options.hot_reload {
        watch_files(&shared, events)
    } else {
        (None, Vec::new())
    };
    tokio::spawn(control_loop(
        shared,
        receiver,
        stop_sender,
        watcher,
        watched,
    ));
    Ok(Control {
        stops,
        first_stop: Arc::default(),
    })
}

fn watch_files(
    shared: &Shared,
    events: mpsc::UnboundedSender<Event>,
) -> (Option<notify::RecommendedWatcher>, Vec<WatchedFile>) {
    let logger = &shared.logger;
    let handler = move |result: notify::Result<notify::Event>| {
        let Ok(event) = result else { return };
        if matches!(event.kind, EventKind::Access(_)) {
            return;
        }
        for path in event.paths {
            let _ = events.send(Event::File(path));
        }
    };
    let mut watcher = match notify::recommended_watcher(handler) {
        Ok(watcher) => watcher,
        Err(e) => {
            logger.error(&format!("watcher error: {e}"));
            return (None, Vec::new());
        }
    };
    let mut watched = Vec::new();
    let mut dirs = BTreeSet::new();
    for path in shared.hook_set().paths() {
        let Some((dir, name)) = split_path(&path) else {
            continue;
        };
        logger.verbose(None, &format!("setting up file watcher for {path}"));
        if dirs.insert(dir.clone()) {
            if let Err(e) = watcher.watch(&dir, RecursiveMode::NonRecursive) {
                logger.error(&format!("error adding hooks file to the watcher: {e}"));
            }
        }
        watched.push(WatchedFile { path, dir, name });
    }
    (Some(watcher), watched)
}

/// The canonical directory and the file name of a hook file path.
fn split_path(path: &str) -> Option<(PathBuf, OsString)> {
    let path = Path::new(path);
    let name = path.file_name()?.to_os_string();
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Some((std::fs::canonicalize(&dir).unwrap_or(dir), name))
}

async fn control_loop(
    shared: Arc<Shared>,
    mut events: mpsc::UnboundedReceiver<Event>,
    stops: watch::Sender<Option<Stopped>>,
    _watcher: Option<notify::RecommendedWatcher>,
    watched: Vec<WatchedFile>,
) {
    let mut changed: BTreeSet<String> = BTreeSet::new();
    let mut deadline: Option<tokio::time::Instant> = None;
    loop {
        let settle = async {
            match deadline {
                Some(at) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            event = events.recv() => match event {
                None => return,
                Some(Event::Signal(SIGINT)) => stops.send_replace(Some(Stopped::Interrupted)),
                Some(Event::Signal(SIGTERM)) => stops.send_replace(Some(Stopped::Terminated)),
                Some(Event::Signal(signal)) => {
                    let name = if signal == SIGHUP { "HUP" } else { "USR1" };
                    shared.logger.info(&format!("caught {name} signal"));
                    reload_all(&shared).await;
                    None
                }
                Some(Event::File(path)) => {
                    if let Some(file) = watched.iter().find(|w| is_same_file(w, &path)) {
                        changed.insert(file.path.clone());
                        deadline = Some(tokio::time::Instant::now() + SETTLE);
                    }
                    None
                }
            },
            () = settle => {
                deadline = None;
                for path in std::mem::take(&mut changed) {
                    reload_file(&shared, path).await;
                }
                None
            }
        };
    }
}

fn is_same_file(watched: &WatchedFile, event_path: &Path) -> bool {
    event_path.file_name() == Some(watched.name.as_os_str())
        && event_path.parent() == Some(watched.dir.as_path())
}

/// SIGHUP/SIGUSR1: every served file again, each kept as it was if it fails.
async fn reload_all(shared: &Arc<Shared>) {
    let current = shared.hook_set();
    let result = tokio::task::spawn_blocking(move || {
        let mut report = LoadReport::default();
        let mut set: HookSet = (*current).clone();
        for path in current.paths() {
            if let Ok(next) = set.reload(&path, &mut report) {
                set = next;
            }
        }
        (set, report)
    })
    .await;
    if let Ok((set, report)) = result {
        log_report(&shared.logger, &report);
        let count = set.hook_count();
        shared.swap(set);
        shared
            .logger
            .info(&format!("hooks reloaded: {count} hook(s) served"));
    }
}

/// One watched file changed, moved, or went away.
async fn reload_file(shared: &Arc<Shared>, path: String) {
    let current = shared.hook_set();
    let logger = shared.logger.clone();
    let result = tokio::task::spawn_blocking(move || {
        let mut report = LoadReport::default();
        let served = current.paths().contains(&path);
        let exists = Path::new(&path).exists();
        let next = match (served, exists) {
            (true, false) => Some(current.remove(&path, &mut report)),
            (true, true) => {
                report.lines.push(format!("hooks file {path} modified"));
                current.reload(&path, &mut report).ok()
            }
            (false, true) => {
                report.lines.push(format!("hooks file {path} is back"));
                current.with_file(&path, &mut report).ok()
            }
            (false, false) => None,
        };
        (next, report, path)
    })
    .await;
    let Ok((next, report, path)) = result else {
        return;
    };
    log_report(&logger, &report);
    match next {
        Some(set) => {
            let count = set.hook_count();
            shared.swap(set);
            logger.info(&format!(
                "hooks file {path} reloaded: {count} hook(s) served"
            ));
        }
        None if !report.problems.is_empty() => logger.warn(&format!(
            "kept the previous hooks of {path}; fix the problems above and save again"
        )),
        None => {}
    }
}
