//! The socket side: binding, the runtime, the accept loop, per-connection HTTP/1
//! settings, and the drain at shutdown.
//!
//! Each worker thread (one per core, at most four) runs a current-thread tokio runtime
//! that accepts from the shared socket; hook commands and large requests go to that
//! runtime's blocking pool, whose size is fixed (`--max-concurrent`, else 64 threads),
//! so the number of threads never depends on the number of clients.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::io::{AsyncRead, AsyncWrite};

use super::reload::{Control, Signals};
use super::{dispatch, Listen, ServeError, Shared, Stopped};

/// Blocking threads when `--max-concurrent` is not given.
const DEFAULT_BLOCKING_THREADS: usize = 64;

pub(crate) enum Bound {
    Tcp(std::net::TcpListener),
    Unix(std::os::unix::net::UnixListener),
}

pub(crate) fn bind(listen: &Listen) -> Result<Bound, ServeError> {
    match listen {
        Listen::Tcp { ip, port } => {
            let address = format!("{ip}:{port}");
            let listener =
                std::net::TcpListener::bind(&address).map_err(|source| ServeError::Bind {
                    address: address.clone(),
                    source,
                })?;
            listener
                .set_nonblocking(true)
                .map_err(ServeError::Runtime)?;
            Ok(Bound::Tcp(listener))
        }
        Listen::Unix(path) => {
            let listener = std::os::unix::net::UnixListener::bind(path).map_err(|source| {
                ServeError::Bind {
                    address: path.display().to_string(),
                    source,
                }
            })?;
            listener
                .set_nonblocking(true)
                .map_err(ServeError::Runtime)?;
            Ok(Bound::Unix(listener))
        }
    }
}

/// The address as webhook prints it in `serving hooks on ...` (the real port when 0
/// was asked for).
fn shown_address(bound: &Bound, listen: &Listen) -> String {
    match (bound, listen) {
        (Bound::Tcp(l), Listen::Tcp { ip, .. }) => {
            let port = l.local_addr().map(|a| a.port()).unwrap_or(0);
            format!("{ip}:{port}")
        }
        (_, Listen::Unix(path)) => format!("{{unix:{}}}", path.display()),
        (_, Listen::Tcp { ip, port }) => format!("{ip}:{port}"),
    }
}

/// Serves until a stop signal, then drains; blocks the calling thread.
///
/// Each core (at most [`MAX_WORKERS`]) runs its own current-thread runtime accepting
/// from the same socket, so the server uses the machine like webhook's Go runtime
/// does while every runtime stays single-threaded. The calling thread's runtime also
/// runs the reload loop and, at the end, waits for the commands.
pub(crate) fn run(
    shared: Arc<Shared>,
    bound: Bound,
    tls: Option<Arc<rustls::ServerConfig>>,
    signals: Signals,
) -> std::io::Result<Stopped> {
    let blocking = shared
        .options
        .max_concurrent
        .unwrap_or(DEFAULT_BLOCKING_THREADS)
        .max(1);
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .clamp(1, MAX_WORKERS);
    let runtime = build_runtime(blocking)?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    let prefix = &shared.options.engine.url_prefix;
    let route = if prefix.is_empty() {
        "{id}".to_string()
    } else {
        format!("{prefix}/{{id}}")
    };
    let address = shown_address(&bound, &shared.options.listen);
    let result = runtime.block_on(async move {
        let mut control = super::reload::start(shared.clone(), signals)?;
        let mut others = Vec::new();
        for n in 1..workers {
            let (listener, shared) = (bound.try_clone()?, shared.clone());
            let (tls, control) = (tls.clone(), control.clone());
            let worker = std::thread::Builder::new()
                .name(format!("hookctl-serve-{n}"))
                .spawn(move || {
                    let runtime = build_runtime(blocking)?;
                    let stopped = runtime.block_on(async move {
                        let mut control = control;
                        let stopped =
                            accept_until_stopped(&shared, listener, tls, &mut control).await;
                        // This runtime's background commands run until the main thread
                        // says they are done (finished or killed).
                        while !shared.commands_done.load(Ordering::SeqCst) {
                            tokio::time::sleep(Duration::from_millis(20)).await;
                        }
                        stopped
                    });
                    runtime.shutdown_timeout(Duration::from_secs(2));
                    stopped
                })?;
            others.push(worker);
        }
        shared
            .logger
            .info(&format!("serving hooks on {scheme}://{address}/{route}"));
        let stopped = accept_until_stopped(&shared, bound, tls, &mut control).await?;
        wait_for_commands(&shared, &mut control, stopped).await;
        shared.commands_done.store(true, Ordering::SeqCst);
        let _ = tokio::task::spawn_blocking(move || {
            for worker in others {
                let _ = worker.join();
            }
        })
        .await;
        Ok::<Stopped, std::io::Error>(stopped)
    });
    runtime.shutdown_timeout(Duration::from_secs(2));
    result
}

/// Runtimes that accept connections, one per core up to this many.
const MAX_WORKERS: usize = 4;

fn build_runtime(blocking_threads: usize) -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .max_blocking_threads(blocking_threads)
        .thread_name("hookctl-serve")
        .build()
}

impl Bound {
    fn try_clone(&self) -> std::io::Result<Bound> {
        Ok(match self {
            Bound::Tcp(l) => Bound::Tcp(l.try_clone()?),
            Bound::Unix(l) => Bound::Unix(l.try_clone()?),
        })
    }
}

/// Accepts connections until a stop signal, then lets this runtime's connections
/// finish within the shutdown grace.
async fn accept_until_stopped(
    shared: &Arc<Shared>,
    bound: Bound,
    tls: Option<Arc<rustls::ServerConfig>>,
    control: &mut Control,
) -> std::io::Result<Stopped> {
    let graceful = GracefulShutdown::new();
    let acceptor = tls.map(tokio_rustls::TlsAcceptor::from);
    let listener = match bound {
        Bound::Tcp(l) => Listener::Tcp(tokio::net::TcpListener::from_std(l)?),
        Bound::Unix(l) => Listener::Unix(tokio::net::UnixListener::from_std(l)?),
    };
    let stopped = loop {
        tokio::select! {
            stop = control.stopped() => break stop,
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(pair) => pair,
                    Err(e) => {
                        // Out of file descriptors and the like: wait a little, go on.
                        shared.logger.error(&format!("accepting a connection failed: {e}"));
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                spawn_connection(shared, &graceful, acceptor.clone(), stream, peer);
            }
        }
    };
    drop(listener);
    let deadline = Instant::now() + shared.options.shutdown_grace;
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep_until(deadline.into()) => {}
        _ = control.stopped() => {}
    }
    Ok(stopped)
}

enum Listener {
    Tcp(tokio::net::TcpListener),
    Unix(tokio::net::UnixListener),
}

enum Stream {
    Tcp(tokio::net::TcpStream),
    Unix(tokio::net::UnixStream),
}

impl Listener {
    async fn accept(&self) -> std::io::Result<(Stream, String)> {
        match self {
            Listener::Tcp(l) => {
                let (s, peer) = l.accept().await?;
                let _ = s.set_nodelay(true);
                Ok((Stream::Tcp(s), peer.to_string()))
            }
            Listener::Unix(l) => {
                let (s, _) = l.accept().await?;
                // Go reports a Unix socket peer as `@`.
                Ok((Stream::Unix(s), "@".to_string()))
            }
        }
    }
}

fn spawn_connection(
    shared: &Arc<Shared>,
    graceful: &GracefulShutdown,
    acceptor: Option<tokio_rustls::TlsAcceptor>,
    stream: Stream,
    peer: String,
) {
    let shared = shared.clone();
    let watcher = graceful.watcher();
    tokio::spawn(async move {
        match (stream, acceptor) {
            (Stream::Tcp(s), Some(acceptor)) => {
                let handshake =
                    tokio::time::timeout(shared.options.read_timeout, acceptor.accept(s)).await;
                match handshake {
                    Ok(Ok(tls)) => serve_connection(shared, watcher, tls, peer).await,
                    Ok(Err(e)) => shared
                        .logger
                        .verbose(None, &format!("http: TLS handshake error from {peer}: {e}")),
                    Err(_) => {}
                }
            }
            (Stream::Tcp(s), None) => serve_connection(shared, watcher, s, peer).await,
            (Stream::Unix(s), _) => serve_connection(shared, watcher, s, peer).await,
        }
    });
}

async fn serve_connection<S>(
    shared: Arc<Shared>,
    watcher: hyper_util::server::graceful::Watcher,
    stream: S,
    peer: String,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let options = &shared.options;
    // Known gap: hyper parses at most 100 header fields and answers 431 to more, where
    // Go only limits the head's size. Why: a larger limit moves hyper's parse buffer to
    // the heap for every request, and no webhook sender comes close.
    // Tracked: docs/limitations.md#serve-header-count
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(options.read_timeout)
        .max_header_size(options.max_header_size)
        .max_buf_size(options.max_header_size.max(8192) + 8192)
        .title_case_headers(true)
        .keep_alive(true);
    let handler = shared.clone();
    let service = service_fn(move |req| dispatch::respond(handler.clone(), req, peer.clone()));
    let connection = builder.serve_connection(TokioIo::new(stream), service);
    // Errors here are the client's (a reset, a bad head already answered by hyper).
    let _ = watcher.watch(connection).await;
}

/// Lets the commands still running finish within the shutdown grace (counted from the
/// stop signal), then kills what is left.
async fn wait_for_commands(shared: &Arc<Shared>, control: &mut Control, stopped: Stopped) {
    let grace = shared.options.shutdown_grace;
    let deadline = control.stopped_at().unwrap_or_else(Instant::now) + grace;
    let signal = match stopped {
        Stopped::Interrupted => "interrupt",
        Stopped::Terminated => "terminated",
    };
    shared
        .logger
        .info(&format!("caught {signal} signal; exiting"));
    let waiting = shared.pending.load(Ordering::SeqCst);
    if waiting > 0 {
        shared.logger.info(&format!(
            "waiting up to {} for {waiting} command(s) to finish",
            super::log::go_duration(grace)
        ));
    }
    loop {
        if shared.pending.load(Ordering::SeqCst) == 0 {
            return;
        }
        if Instant::now() >= deadline {
            break;
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(20)) => {}
            _ = control.stopped() => break,
        }
    }
    // Commands still waiting for a --max-concurrent permit never start.
    if let Some(permits) = &shared.permits {
        permits.close();
    }
    let killed = crate::outcome::run::kill_running();
    shared.logger.warn(&format!(
        "shutdown grace of {} is over; killed {killed} running command(s)",
        super::log::go_duration(grace)
    ));
    // Let the killed runs finish their logging, briefly.
    let until = Instant::now() + Duration::from_secs(2);
    while shared.pending.load(Ordering::SeqCst) > 0 && Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
