//! `hookctl serve`: a webhook-compatible development server.
//!
//! Every decision about a request (routing, methods, decoding, trigger rules, the
//! response and the command) is made by [`crate::outcome::handle`]; this module only
//! moves bytes between sockets and the engine, runs commands when the engine says so,
//! and adds what a developer needs around it: logs, metrics, recording, reloads and
//! limits. [`serve`] blocks until the server stops; the asynchronous machinery (hyper
//! on a current-thread tokio runtime, with commands on its blocking threads) stays
//! inside this module.
//!
//! Start-up follows webhook's order: listen, pidfile, signals, load the hook files,
//! refuse to run without hooks unless told, watch the files, serve.

mod dispatch;
pub mod hooks;
pub mod http;
mod listen;
pub mod log;
pub mod metrics;
pub mod record;
mod reload;
pub mod tls;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::outcome::{ExecOptions, ServerConfig};

pub use hooks::{HookSet, LoadReport, StartError};
pub use log::{LogFormat, Logger};

/// Where the server listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listen {
    /// webhook's `-ip` and `-port`, joined as text (IPv6 needs brackets).
    Tcp { ip: String, port: u16 },
    /// A Unix socket (webhook 2.8.2's `-socket`).
    Unix(PathBuf),
}

/// Everything `serve` needs, already parsed and checked by the CLI.
#[derive(Debug, Clone)]
pub struct Options {
    pub listen: Listen,
    pub hook_paths: Vec<String>,
    /// The engine's settings: prefix, global headers, methods, multipart memory,
    /// environment and directories.
    pub engine: ServerConfig,
    pub hot_reload: bool,
    /// webhook's `-verbose` (or `-debug`, `-logfile`): also allows running without hooks.
    pub verbose: bool,
    pub nopanic: bool,
    pub x_request_id: bool,
    /// Bytes kept of an `X-Request-Id`; 0 keeps all.
    pub x_request_id_limit: usize,
    pub tls: Option<tls::TlsFiles>,
    pub pidfile: Option<PathBuf>,
    /// Kill a command's process group after this long; `None` waits for ever.
    pub command_timeout: Option<Duration>,
    /// At most this many commands at once; the others wait their turn.
    pub max_concurrent: Option<usize>,
    pub shutdown_grace: Duration,
    /// How long a client may take to send a request head, or a body.
    pub read_timeout: Duration,
    pub max_body_size: u64,
    pub max_header_size: usize,
    pub dry_run: bool,
    pub record_dir: Option<PathBuf>,
    pub health_path: Option<String>,
    pub metrics_path: Option<String>,
}

impl Options {
    /// webhook's defaults, listening on `ip:port`.
    pub fn new(ip: &str, port: u16, hook_paths: Vec<String>) -> Options {
        Options {
            listen: Listen::Tcp {
                ip: ip.into(),
                port,
            },
            hook_paths,
            engine: ServerConfig::default(),
            hot_reload: false,
            verbose: false,
            nopanic: false,
            x_request_id: false,
            x_request_id_limit: 0,
            tls: None,
            pidfile: None,
            command_timeout: None,
            max_concurrent: None,
            shutdown_grace: Duration::from_secs(30),
            read_timeout: Duration::from_secs(30),
            max_body_size: 10 << 20,
            max_header_size: crate::request::http::MAX_HEAD_BYTES,
            dry_run: false,
            record_dir: None,
            health_path: Some("/health".into()),
            metrics_path: Some("/metrics".into()),
        }
    }

    fn exec_options(&self) -> ExecOptions {
        // Without a limit webhook waits for ever; ten years is that, in practice.
        let forever = Duration::from_secs(10 * 365 * 24 * 3600);
        ExecOptions {
            timeout: self.command_timeout.unwrap_or(forever),
        }
    }
}

/// How the server stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// SIGINT (Ctrl-C).
    Interrupted,
    /// SIGTERM.
    Terminated,
}

/// Why the server could not start or run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {address}: {source}")]
    Bind {
        address: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Tls(#[from] tls::TlsError),
    #[error("{0}")]
    Pidfile(String),
    #[error(transparent)]
    Start(#[from] StartError),
    /// No hook loaded and neither `--verbose` nor `--nopanic` was given.
    #[error("couldn't load any hooks from file!")]
    NoHooks,
    #[error("the server failed: {0}")]
    Runtime(std::io::Error),
}

/// What every connection and background task shares.
pub(crate) struct Shared {
    pub options: Options,
    pub exec: ExecOptions,
    pub hooks: RwLock<Arc<HookSet>>,
    pub logger: Arc<Logger>,
    pub metrics: metrics::Metrics,
    pub started: Instant,
    pub permits: Option<Arc<tokio::sync::Semaphore>>,
    /// Commands waiting for a permit or running.
    pub pending: AtomicUsize,
    /// Set at shutdown once every command finished or was killed.
    pub commands_done: AtomicBool,
    ids: AtomicU64,
}

impl Shared {
    /// The hook set requests are answered from now.
    pub fn hook_set(&self) -> Arc<HookSet> {
        self.hooks
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Replaces the hook set in one step.
    pub fn swap(&self, set: HookSet) {
        *self
            .hooks
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(set);
    }

    /// Six random hex digits, like webhook's request ids.
    pub fn random_id(&self) -> String {
        // splitmix64 over a counter that starts at a random value.
        let mut z = self.ids.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        format!("{:06x}", z & 0xFF_FFFF)
    }
}

/// Runs the server until SIGINT or SIGTERM, then drains it.
pub fn serve(options: Options, logger: Logger) -> Result<Stopped, ServeError> {
    let logger = Arc::new(logger);
    let listener = listen::bind(&options.listen)?;
    let tls = match &options.tls {
        Some(files) => Some(tls::server_config(files, &logger)?),
        None => None,
    };
    if let Some(path) = &options.pidfile {
        write_pidfile(path)?;
    }
    let signals = reload::Signals::install().map_err(ServeError::Runtime)?;

    logger.verbose(
        None,
        &format!("hookctl {} starting", env!("CARGO_PKG_VERSION")),
    );
    let mut report = LoadReport::default();
    let loaded = HookSet::load(&options.hook_paths, options.engine.clone(), &mut report);
    log_report(&logger, &report);
    let set = match loaded {
        Ok(set) => set,
        Err(error) => {
            cleanup(&options);
            return Err(error.into());
        }
    };
    if set.hook_count() == 0 && !options.verbose && !options.nopanic {
        cleanup(&options);
        return Err(ServeError::NoHooks);
    }
    warn_shadowed_routes(&options, &set, &logger);

    let shared = Arc::new(Shared {
        exec: options.exec_options(),
        hooks: RwLock::new(Arc::new(set)),
        logger: logger.clone(),
        metrics: metrics::Metrics::default(),
        started: Instant::now(),
        permits: options
            .max_concurrent
            .map(|n| Arc::new(tokio::sync::Semaphore::new(n.max(1)))),
        pending: AtomicUsize::new(0),
        commands_done: AtomicBool::new(false),
        ids: AtomicU64::new(seed()),
        options: options.clone(),
    });
    let stopped = listen::run(shared, listener, tls, signals);
    cleanup(&options);
    stopped.map_err(ServeError::Runtime)
}

/// Logs what loading did: webhook's lines with `--verbose`, problems always.
pub(crate) fn log_report(logger: &Logger, report: &LoadReport) {
    for line in &report.lines {
        logger.verbose(None, line);
    }
    for problem in &report.problems {
        logger.warn(problem);
    }
}

/// Warns when `--health-path` or `--metrics-path` is a loaded hook's route (the hook
/// answers there), and about hooks whose 1xx status hookctl cannot send.
fn warn_shadowed_routes(options: &Options, set: &HookSet, logger: &Logger) {
    for hook in set
        .hooks
        .iter()
        .filter(|h| (100..200).contains(&h.success_code()))
    {
        logger.warn(&format!(
            "hook {} answers with status {}: hookctl sends only the final 200 \
             (docs/limitations.md#serve-interim-status)",
            hook.id(),
            hook.success_code()
        ));
    }
    for (flag, path) in [
        ("--health-path", &options.health_path),
        ("--metrics-path", &options.metrics_path),
    ] {
        let Some(path) = path else { continue };
        if let Some(id) = dispatch::hook_at(&options.engine.url_prefix, path, set) {
            logger.warn(&format!(
                "{flag} `{path}` is the route of hook `{id}`; the hook answers there \
                 (choose another path with {flag})"
            ));
        }
    }
}

fn seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos(),
    );
    hasher.write_u32(std::process::id());
    hasher.finish()
}

/// webhook's `-pidfile`: refuses a file naming a running process, else writes ours.
fn write_pidfile(path: &Path) -> Result<(), ServeError> {
    if let Ok(text) = std::fs::read_to_string(path) {
        let running = text
            .trim()
            .parse::<u32>()
            .is_ok_and(|pid| Path::new(&format!("/proc/{pid}")).exists());
        if running {
            return Err(ServeError::Pidfile(format!(
                "Error creating pidfile: pid file found, ensure webhook is not running or \
                 delete {}",
                path.display()
            )));
        }
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| ServeError::Pidfile(format!("cannot create {}: {e}", parent.display())))?;
    }
    use std::os::unix::fs::OpenOptionsExt;
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .and_then(|mut f| {
            use std::io::Write;
            write!(f, "{}", std::process::id())
        });
    written.map_err(|e| ServeError::Pidfile(format!("cannot write {}: {e}", path.display())))
}

/// Removes the pidfile and the Unix socket file, as webhook does on SIGINT/SIGTERM.
fn cleanup(options: &Options) {
    if let Some(path) = &options.pidfile {
        let _ = std::fs::remove_file(path);
    }
    if let Listen::Unix(path) = &options.listen {
        let _ = std::fs::remove_file(path);
    }
}
