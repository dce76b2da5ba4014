//! `hookctl serve`: parse the flags into [`crate::server::Options`], open the log, and
//! run the server until it stops.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{bail, Context as _, Result};
use clap::ValueEnum;

use super::Exit;
use crate::outcome::ServerConfig;
use crate::server::tls::{check_min_version, TlsFiles};
use crate::server::{self, Listen, LogFormat, Logger, Options, ServeError, Stopped};

const WEBHOOK: &str = "webhook flags (same names and meaning as webhook 2.8.0's)";
const EXTRAS: &str = "hookctl extras (not in webhook; defaults keep webhook's behaviour)";

// Known gap: webhook's `-setuid`, `-setgid`, `-cipher-suites` and `-list-cipher-suites`
// are not offered (2.8.0 refuses the first two on Linux anyway; rustls picks its own
// suites). Tracked: docs/limitations.md#serve-setuid, #serve-tls-versions
/// Serve hook files like webhook, for development: same routes, answers and commands
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES, after_long_help = LONG_HELP)]
pub struct Args {
    /// Hook file to serve (repeatable) [default: hooks.json]
    #[arg(long = "hooks", value_name = "FILE", help_heading = WEBHOOK)]
    pub hooks: Vec<String>,

    /// Render hook files as Go templates (not supported yet: hookctl refuses to start)
    #[arg(long, help_heading = WEBHOOK)]
    pub template: bool,

    /// Address to listen on; IPv6 needs brackets (`[::1]`)
    #[arg(long, default_value = "0.0.0.0", value_name = "IP", help_heading = WEBHOOK)]
    pub ip: String,

    /// Port to listen on (0 picks a free one, shown in the log)
    #[arg(long, default_value_t = 9000, value_name = "PORT", help_heading = WEBHOOK)]
    pub port: u16,

    /// Listen on this Unix socket instead of --ip/--port (webhook 2.8.2)
    #[arg(long, value_name = "PATH", help_heading = WEBHOOK)]
    pub socket: Option<PathBuf>,

    /// URL prefix of hook routes: /PREFIX/{id}
    #[arg(long, default_value = "hooks", value_name = "PREFIX", help_heading = WEBHOOK)]
    pub urlprefix: String,

    /// Log webhook's own lines too (and allow serving without hooks)
    #[arg(long, help_heading = WEBHOOK)]
    pub verbose: bool,

    /// Also dump every request and response (implies --verbose)
    #[arg(long, help_heading = WEBHOOK)]
    pub debug: bool,

    /// Append the log to FILE instead of stderr (implies --verbose)
    #[arg(long, value_name = "FILE", help_heading = WEBHOOK)]
    pub logfile: Option<PathBuf>,

    /// Serve even when no hook could be loaded
    #[arg(long, help_heading = WEBHOOK)]
    pub nopanic: bool,

    /// Reload hook files when they change (watches their directories)
    #[arg(long, help_heading = WEBHOOK)]
    pub hotreload: bool,

    /// Methods hooks accept unless they list their own, comma-separated
    #[arg(long, value_name = "METHODS", default_value = "", help_heading = WEBHOOK)]
    pub http_methods: String,

    /// Response header on every hook response (repeatable)
    #[arg(long = "header", value_name = "NAME=VALUE", help_heading = WEBHOOK)]
    pub headers: Vec<String>,

    /// Memory for multipart bodies, in bytes
    #[arg(long, default_value_t = 1 << 20, value_name = "BYTES", help_heading = WEBHOOK)]
    pub max_multipart_mem: i64,

    /// Use the X-Request-Id header as the request id in logs
    #[arg(long, help_heading = WEBHOOK)]
    pub x_request_id: bool,

    /// Keep at most this many bytes of X-Request-Id (0: all)
    #[arg(long, default_value_t = 0, value_name = "BYTES", help_heading = WEBHOOK)]
    pub x_request_id_limit: usize,

    /// Write the process id to FILE; refuse to start if it names a running process
    #[arg(long, value_name = "FILE", help_heading = WEBHOOK)]
    pub pidfile: Option<PathBuf>,

    /// Serve HTTPS with --cert and --key
    #[arg(long, help_heading = WEBHOOK)]
    pub secure: bool,

    /// PEM certificate for --secure
    #[arg(long, default_value = "cert.pem", value_name = "FILE", help_heading = WEBHOOK)]
    pub cert: PathBuf,

    /// PEM private key for --secure
    #[arg(long, default_value = "key.pem", value_name = "FILE", help_heading = WEBHOOK)]
    pub key: PathBuf,

    /// Lowest TLS version for --secure: 1.2 or 1.3 (1.0 and 1.1 become 1.2)
    #[arg(long, default_value = "1.2", value_name = "VERSION", help_heading = WEBHOOK)]
    pub tls_min_version: String,

    /// Kill a command's process group after DURATION (`30s`, `5m`); captured hooks
    /// answer 500 [default: no limit, like webhook]
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, help_heading = EXTRAS)]
    pub command_timeout: Option<Duration>,

    /// Run at most N commands at once; more wait in a queue, nothing is refused
    /// [default: no limit, like webhook]
    #[arg(long, value_name = "N", help_heading = EXTRAS)]
    pub max_concurrent: Option<usize>,

    /// On SIGINT/SIGTERM, wait this long for requests and commands before killing them
    #[arg(long, default_value = "30s", value_name = "DURATION", value_parser = parse_duration,
          help_heading = EXTRAS)]
    pub shutdown_grace: Duration,

    /// Drop a client that takes longer than this to send a request head or body
    #[arg(long, default_value = "30s", value_name = "DURATION", value_parser = parse_duration,
          help_heading = EXTRAS)]
    pub read_timeout: Duration,

    /// Answer 413 to bodies over SIZE (`10MiB`, `512K`, bytes), without reading them
    #[arg(long, default_value = "10MiB", value_name = "SIZE", value_parser = parse_size,
          help_heading = EXTRAS)]
    pub max_body_size: u64,

    /// Answer 431 to request heads over SIZE [default: Go's 1 MiB + 4 KiB]
    #[arg(long, value_name = "SIZE", value_parser = parse_size, help_heading = EXTRAS)]
    pub max_header_size: Option<u64>,

    /// Log format: `text` (webhook-style lines) or `json` (one object per line)
    #[arg(long, value_enum, default_value = "text", help_heading = EXTRAS)]
    pub log_format: Format,

    /// Evaluate requests and log what would run, but run nothing
    #[arg(long, help_heading = EXTRAS)]
    pub dry_run: bool,

    /// Save every request as a raw HTTP file in DIR, for `hookctl simulate --request`
    #[arg(long, value_name = "DIR", help_heading = EXTRAS)]
    pub record: Option<PathBuf>,

    /// Path of the JSON health check (GET)
    #[arg(long, default_value = "/health", value_name = "PATH", help_heading = EXTRAS)]
    pub health_path: String,

    /// Turn the health check off
    #[arg(long, help_heading = EXTRAS)]
    pub no_health: bool,

    /// Path of the Prometheus metrics (GET)
    #[arg(long, default_value = "/metrics", value_name = "PATH", help_heading = EXTRAS)]
    pub metrics_path: String,

    /// Turn the metrics off
    #[arg(long, help_heading = EXTRAS)]
    pub no_metrics: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

const EXAMPLES: &str = "\
Examples:
  hookctl serve --hooks hooks.json --verbose
  hookctl serve --hooks hooks.json --hotreload --port 9001 --record requests/
  hookctl serve --hooks hooks.json --dry-run --log-format json
  hookctl serve --hooks a.yaml --hooks b.json --command-timeout 5m --max-concurrent 4";

const LONG_HELP: &str = "\
Answers requests exactly as webhook 2.8.0 does with the same flags (routes, methods,
statuses, bodies, headers, commands), using the same engine as `hookctl simulate`.
webhook's flags keep their names, with two dashes. Asynchronous hooks answer first and
run their command afterwards; hooks that send their command's output wait for it.

Reloading: SIGHUP or SIGUSR1 reload every hook file; with --hotreload a change to a
file (also a rename over it, or delete and create) reloads it. A file that no longer
loads keeps its previous hooks, and its problems are logged with their positions.

Also served: GET /health (JSON: hooks loaded, uptime) and GET /metrics (Prometheus),
unless a hook's route is there; move them with --health-path/--metrics-path or turn
them off with --no-health/--no-metrics.

Not supported: --template (refused), --cipher-suites and --setuid/--setgid (absent);
TLS 1.0 and 1.1. See docs/serve.md and docs/limitations.md.

Exit status: 0 after SIGTERM, 130 after SIGINT (Ctrl-C), once running requests and
commands finished or --shutdown-grace ran out; 1 when webhook would not start either
(an id in two hook files, no hooks without --verbose/--nopanic, a running pidfile);
2 for other start-up errors (usage, listening, TLS files, the log file).

Examples:
  hookctl serve --hooks hooks.json --verbose
  hookctl serve --hooks hooks.json --hotreload --port 9001 --record requests/
  hookctl serve --hooks hooks.json --dry-run --log-format json
  hookctl serve --hooks a.yaml --hooks b.json --command-timeout 5m --max-concurrent 4";

pub fn run(args: Args, _out: &mut dyn Write, err: &mut dyn Write) -> Result<Exit> {
    // Known gap: no Go template renderer in the server yet, so `--template` refuses to
    // start rather than serve unrendered files. Tracked: docs/limitations.md#serve-templates
    if args.template {
        writeln!(
            err,
            "hookctl: `--template` is not yet supported by `hookctl serve`\n\
             help: render the file first, or serve it with webhook itself \
             (docs/limitations.md#serve-templates)"
        )?;
        return Ok(Exit::Error);
    }
    let options = match options(&args) {
        Ok(options) => options,
        Err(e) => {
            writeln!(err, "hookctl: {e:#}")?;
            return Ok(Exit::Error);
        }
    };
    let logger = match logger(&args) {
        Ok(logger) => logger,
        Err(e) => {
            writeln!(err, "hookctl: {e:#}")?;
            return Ok(Exit::Error);
        }
    };
    match server::serve(options, logger) {
        Ok(Stopped::Terminated) => Ok(Exit::Success),
        Ok(Stopped::Interrupted) => {
            err.flush()?;
            // 130 is the shell's code for an interrupt; `Exit` has no value for it.
            std::process::exit(130);
        }
        Err(error) => {
            report(&error, err)?;
            Ok(match error {
                ServeError::Start(_) | ServeError::NoHooks | ServeError::Pidfile(_) => {
                    Exit::Failure
                }
                _ => Exit::Error,
            })
        }
    }
}

fn report(error: &ServeError, err: &mut dyn Write) -> Result<()> {
    match error {
        ServeError::Start(e) => writeln!(
            err,
            "hookctl: {e}\nhelp: webhook refuses to start with an id in two hook files \
             too; rename one of them"
        )?,
        ServeError::NoHooks => writeln!(
            err,
            "hookctl: couldn't load any hooks from file!\nhelp: check the files with \
             `hookctl validate`, or start anyway with --verbose or --nopanic, as webhook"
        )?,
        other => writeln!(err, "hookctl: {other}")?,
    }
    Ok(())
}

/// The server's settings from the flags; nothing is opened yet.
fn options(args: &Args) -> Result<Options> {
    let hooks = if args.hooks.is_empty() {
        vec!["hooks.json".to_string()]
    } else {
        args.hooks.clone()
    };
    let mut options = Options::new(&args.ip, args.port, hooks);
    if let Some(path) = &args.socket {
        options.listen = Listen::Unix(path.clone());
    }
    let mut engine = ServerConfig {
        url_prefix: args.urlprefix.clone(),
        http_methods: args.http_methods.clone(),
        max_multipart_mem: args.max_multipart_mem,
        ..ServerConfig::default()
    };
    for header in &args.headers {
        let Some((name, value)) = header.split_once('=') else {
            bail!(
                "invalid value `{header}` for --header: header flag must be in name=value format"
            );
        };
        engine
            .response_headers
            .push((name.to_string(), value.to_string()));
    }
    options.engine = engine;
    options.hot_reload = args.hotreload;
    options.verbose = args.verbose || args.debug || args.logfile.is_some();
    options.nopanic = args.nopanic;
    options.x_request_id = args.x_request_id;
    options.x_request_id_limit = args.x_request_id_limit;
    if args.secure {
        check_min_version(&args.tls_min_version)?;
        options.tls = Some(TlsFiles {
            cert: args.cert.clone(),
            key: args.key.clone(),
            min_version: args.tls_min_version.clone(),
        });
    }
    options.pidfile = args.pidfile.clone();
    options.command_timeout = args.command_timeout;
    options.max_concurrent = args.max_concurrent.map(|n| n.max(1));
    options.shutdown_grace = args.shutdown_grace;
    options.read_timeout = args.read_timeout;
    options.max_body_size = args.max_body_size;
    if let Some(size) = args.max_header_size {
        options.max_header_size = usize::try_from(size)?.max(1024);
    }
    options.dry_run = args.dry_run;
    if let Some(dir) = &args.record {
        if !dir.is_dir() {
            bail!("--record `{}` is not a directory", dir.display());
        }
        options.record_dir = Some(dir.clone());
    }
    options.health_path = (!args.no_health).then(|| args.health_path.clone());
    options.metrics_path = (!args.no_metrics).then(|| args.metrics_path.clone());
    Ok(options)
}

fn logger(args: &Args) -> Result<Logger> {
    let format = match args.log_format {
        Format::Text => LogFormat::Text,
        Format::Json => LogFormat::Json,
    };
    let verbose = args.verbose || args.logfile.is_some();
    // Its own descriptor for stderr: `cli::run` holds std's stderr lock for its whole
    // run, while the server logs from several threads.
    let file = match &args.logfile {
        Some(path) => std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(path)
            .with_context(|| format!("error opening log file `{}`", path.display()))?,
        None => {
            use std::os::fd::AsFd;
            let fd = std::io::stderr()
                .as_fd()
                .try_clone_to_owned()
                .context("cannot use stderr for the log")?;
            std::fs::File::from(fd)
        }
    };
    Ok(Logger::to_file(format, verbose, args.debug, file))
}

/// `30s`, `500ms`, `5m`, `1h`, or a number of seconds.
fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration like `30s`, `500ms` or `5m`"))?;
    let seconds = match unit {
        "" | "s" => value,
        "ms" => value / 1000.0,
        "m" => value * 60.0,
        "h" => value * 3600.0,
        _ => {
            return Err(format!(
                "unknown unit `{unit}` in `{text}`; use ms, s, m or h"
            ))
        }
    };
    Duration::try_from_secs_f64(seconds).map_err(|e| format!("`{text}`: {e}"))
}

/// `10MiB`, `512K`, `1M`, `2GiB`, or a number of bytes.
fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size like `10MiB`, `512K` or `1048576`"))?;
    let factor: u64 = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return Err(format!("unknown unit `{unit}` in `{text}`; use K, M or G")),
    };
    value
        .checked_mul(factor)
        .ok_or_else(|| format!("`{text}` is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("1.5"), Ok(Duration::from_millis(1500)));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("3d").is_err());
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("10MiB"), Ok(10 << 20));
        assert_eq!(parse_size("512K"), Ok(512 << 10));
        assert_eq!(parse_size("100"), Ok(100));
        assert!(parse_size("lots").is_err());
    }
}
