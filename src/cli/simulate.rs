//! `hookctl simulate`: run a recorded or described request through the engine and show
//! why the hook fires or not, and exactly what webhook would run and answer.

use std::io::{Read, Write};
use std::path::Path;
use std::time::Duration;

use anyhow::{bail, Context as _, Result};
use clap::ValueEnum;

use super::template_args::HookLoader;
use super::Exit;
use crate::config::load::Loaded;
use crate::config::model::Hook;
use crate::outcome::report::{render, report};
use crate::outcome::{handle, handle_hook, ExecOptions, Mode, ServerConfig};
use crate::request::{delivery, http, Request};

/// Show whether a request fires a hook, which rule decides, and what webhook would run
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES, after_long_help = EXAMPLES)]
pub struct Args {
    /// Hook file to load, as webhook's -hooks (repeatable)
    #[arg(long = "hooks", value_name = "FILE", required = true)]
    pub hooks: Vec<String>,

    /// The hook to send the request to; default: the hook the request's path names
    #[arg(long, value_name = "ID")]
    pub hook: Option<String>,

    /// A raw HTTP/1.1 request (as saved by `hookctl serve --record`; `-` for stdin)
    #[arg(long, value_name = "FILE", group = "source")]
    pub request: Option<String>,

    /// A GitHub delivery as returned by GitHub's "get a delivery" API
    #[arg(long, value_name = "FILE", group = "source")]
    pub delivery: Option<String>,

    /// The request body, read from a file (`-` for stdin)
    #[arg(long, value_name = "FILE", group = "source")]
    pub payload: Option<String>,

    /// A request header, added to the request (repeatable)
    #[arg(long = "header", value_name = "NAME: VALUE")]
    pub headers: Vec<String>,

    /// A query parameter, added to the request's URL (repeatable)
    #[arg(long = "query", value_name = "KEY=VALUE")]
    pub query: Vec<String>,

    /// The request method (default POST, or the recorded one)
    #[arg(long)]
    pub method: Option<String>,

    /// The peer address `ip:port` that ip-whitelist rules see
    #[arg(long, value_name = "IP:PORT")]
    pub remote_addr: Option<String>,

    /// The Content-Type header (default from the payload's file extension)
    #[arg(long, value_name = "TYPE")]
    pub content_type: Option<String>,

    /// webhook's -urlprefix
    #[arg(long, default_value = "hooks", value_name = "PREFIX")]
    pub urlprefix: String,

    /// webhook's -http-methods
    #[arg(long, value_name = "METHODS")]
    pub http_methods: Option<String>,

    /// webhook's -header: a response header on every hook response (repeatable)
    #[arg(long = "response-header", value_name = "NAME=VALUE")]
    pub response_headers: Vec<String>,

    /// webhook's -max-multipart-mem, in bytes
    #[arg(long, default_value_t = 1 << 20, value_name = "BYTES")]
    pub max_multipart_mem: i64,

    /// Really run the command (without a shell) to show its output in the response
    #[arg(long)]
    pub exec: bool,

    /// With --exec: kill the command after this many seconds
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    pub timeout: u64,

    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    pub format: OutputFormat,

    /// Exit 0 only if the hook fires (`fire`) or only if it does not (`no-fire`)
    #[arg(long, value_enum)]
    pub expect: Option<Expect>,

    /// With --template: the webhook release whose template functions are available
    #[arg(long, value_enum, default_value = "webhook-2.8.0")]
    pub target: crate::lint::Target,

    #[command(flatten)]
    pub template: super::template_args::TemplateArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Expect {
    Fire,
    NoFire,
}

const EXAMPLES: &str = "\
Exit status: 0 the hook fires, 1 it does not (with --expect: 0 when the expectation holds),
2 could not run. Nothing is executed unless --exec is given.

Examples:
  hookctl simulate --hooks hooks.json --request push.http
  hookctl simulate --hooks hooks.json --hook deploy --payload push.json \\
      --header 'X-GitHub-Event: push' --header 'X-Hub-Signature-256: sha256=...'
  hookctl simulate --hooks hooks.json --delivery delivery.json --hook deploy --format json
  hookctl simulate --hooks hooks.json --request push.http --expect fire   # in CI
  hookctl simulate --template --env SECRET=dummy --hooks hooks.json.tmpl --request push.http";

pub fn run(args: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<Exit> {
    let hooks = match HookLoader::new(&args.template, args.target)
        .and_then(|loader| load_hooks(&loader, &args.hooks, err))
    {
        Ok(hooks) => hooks,
        Err(e) => {
            writeln!(err, "hookctl: {e:#}")?;
            return Ok(Exit::Error);
        }
    };
    let request = match build_request(&args) {
        Ok(request) => request,
        Err(e) => {
            writeln!(err, "hookctl: {e:#}")?;
            return Ok(Exit::Error);
        }
    };
    let config = server_config(&args)?;
    let mode = if args.exec {
        Mode::Execute(ExecOptions {
            timeout: Duration::from_secs(args.timeout),
        })
    } else {
        Mode::Plan
    };
    let outcome = match &args.hook {
        Some(id) => match hooks.iter().find(|h| h.id() == id) {
            Some(hook) => handle_hook(hook, &request, &config, mode),
            None => {
                writeln!(
                    err,
                    "hookctl: no hook has the id `{id}` in {}",
                    args.hooks.join(", ")
                )?;
                return Ok(Exit::Error);
            }
        },
        None => handle(&hooks, &request, &config, mode),
    };
    let report = report(&outcome, &config);
    match args.format {
        OutputFormat::Human => {
            out.write_all(render(&report).as_bytes())?;
            if args.delivery.is_some() {
                writeln!(out, "{DELIVERY_NOTE}")?;
            }
        }
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &report)?;
            writeln!(out)?;
        }
    }
    Ok(exit_code(report.triggered, args.expect))
}

const DELIVERY_NOTE: &str = "\
note: the body was rebuilt from the delivery's parsed payload, so signatures GitHub computed
      over its original bytes may not match; sign the rebuilt body with `hookctl sign`, or
      record the real request with `hookctl serve --record`";

fn exit_code(fired: bool, expect: Option<Expect>) -> Exit {
    let ok = match expect {
        Some(Expect::Fire) | None => fired,
        Some(Expect::NoFire) => !fired,
    };
    if ok {
        Exit::Success
    } else {
        Exit::Failure
    }
}

/// Loads every hook file the way webhook does at start-up: a file webhook rejects
/// contributes no hooks (said on stderr), and an id in two files stops webhook.
fn load_hooks(loader: &HookLoader, paths: &[String], err: &mut dyn Write) -> Result<Vec<Hook>> {
    let mut hooks: Vec<Hook> = Vec::new();
    let mut owners: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (file_index, path) in paths.iter().enumerate() {
        let loaded = loader.load(path)?;
        if HookLoader::is_rejected(&loaded) {
            warn_rejected(&loaded, err)?;
            continue;
        }
        for hook in &loaded.file.hooks {
            match owners.get(hook.id()) {
                // Within one file requests reach the first hook of an id.
                Some(owner) if *owner == file_index => continue,
                Some(_) => bail!(
                    "hook id `{}` is defined in more than one file; webhook refuses to start",
                    hook.id()
                ),
                None => {
                    owners.insert(hook.id().to_string(), file_index);
                    hooks.push(hook.clone());
                }
            }
        }
    }
    Ok(hooks)
}

fn warn_rejected(loaded: &Loaded, err: &mut dyn Write) -> Result<()> {
    let first = loaded
        .diagnostics
        .iter()
        .find(|d| crate::template::is_load_failure(&d.check))
        .map_or(String::new(), |d| format!(": {}", d.message));
    writeln!(
        err,
        "hookctl: warning: webhook would not load `{}`{first} (run `hookctl validate {}`)",
        loaded.file.path, loaded.file.path
    )?;
    Ok(())
}

fn server_config(args: &Args) -> Result<ServerConfig> {
    let mut config = ServerConfig {
        url_prefix: args.urlprefix.clone(),
        http_methods: args.http_methods.clone().unwrap_or_default(),
        max_multipart_mem: args.max_multipart_mem,
        ..ServerConfig::default()
    };
    for header in &args.response_headers {
        let Some((name, value)) = header.split_once('=') else {
            bail!("--response-header `{header}` must be NAME=VALUE");
        };
        config
            .response_headers
            .push((name.to_string(), value.to_string()));
    }
    Ok(config)
}

/// The request from `--request`, `--delivery` or `--payload`, with the header, query,
/// method and address flags applied on top.
fn build_request(args: &Args) -> Result<Request> {
    let target = match &args.hook {
        Some(id) => format!("/{}/{}", args.urlprefix, id),
        None => format!("/{}/", args.urlprefix),
    };
    let mut request = if let Some(path) = &args.request {
        let bytes = read(path)?;
        http::parse(&bytes).with_context(|| format!("cannot read request `{path}`"))?
    } else if let Some(path) = &args.delivery {
        let text = String::from_utf8(read(path)?)
            .with_context(|| format!("delivery `{path}` is not UTF-8 text"))?;
        delivery::from_github_delivery(&text, args.hook.as_ref().map(|_| target.as_str()))
            .with_context(|| format!("cannot read delivery `{path}`"))?
    } else {
        payload_request(args, &target)?
    };
    apply_flags(args, &mut request)?;
    Ok(request)
}

fn payload_request(args: &Args, target: &str) -> Result<Request> {
    let body = match &args.payload {
        Some(path) => read(path)?,
        None => Vec::new(),
    };
    let mut request = Request::new("POST", target);
    request.remote_addr = "127.0.0.1:54321".into();
    request
        .headers
        .push(("Host".into(), "localhost:9000".into()));
    request
        .headers
        .push(("User-Agent".into(), "hookctl-simulate".into()));
    if !body.is_empty() || args.payload.is_some() {
        request
            .headers
            .push(("Content-Length".into(), body.len().to_string()));
    }
    let content_type = args
        .content_type
        .clone()
        .or_else(|| args.payload.as_deref().and_then(content_type_for));
    if let Some(ct) = content_type {
        request.headers.push(("Content-Type".into(), ct));
    }
    request.body = body;
    Ok(request)
}

fn content_type_for(path: &str) -> Option<String> {
    let ext = Path::new(path).extension()?.to_str()?;
    Some(
        match ext {
            "json" => "application/json",
            "form" => "application/x-www-form-urlencoded",
            "xml" => "application/xml",
            _ => return None,
        }
        .to_string(),
    )
}

fn apply_flags(args: &Args, request: &mut Request) -> Result<()> {
    if let Some(method) = &args.method {
        request.method = method.clone();
    }
    if let Some(addr) = &args.remote_addr {
        request.remote_addr = addr.clone();
    }
    if args.request.is_some() || args.delivery.is_some() {
        if let Some(ct) = &args.content_type {
            request
                .headers
                .retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
            request.headers.push(("Content-Type".into(), ct.clone()));
        }
    }
    for header in &args.headers {
        let Some((name, value)) = header.split_once(':') else {
            bail!("--header `{header}` must be `Name: value`");
        };
        request
            .headers
            .push((name.trim().to_string(), value.trim().to_string()));
    }
    for pair in &args.query {
        if !pair.contains('=') {
            bail!("--query `{pair}` must be KEY=VALUE");
        }
        let encoded: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs([pair.split_once('=').expect("checked above")])
            .finish();
        if !request.query.is_empty() {
            request.query.push('&');
        }
        request.query.push_str(&encoded);
    }
    Ok(())
}

/// The largest request or payload file simulate reads (webhook itself has no limit;
/// this keeps a mistaken `/dev/zero` from filling memory).
const MAX_INPUT: u64 = 512 << 20;

fn read(path: &str) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    if path == "-" {
        std::io::stdin()
            .take(MAX_INPUT + 1)
            .read_to_end(&mut buf)
            .context("cannot read standard input")?;
    } else if Path::new(path).is_dir() {
        bail!("cannot read `{path}`: it is a directory");
    } else {
        let file = std::fs::File::open(path).with_context(|| format!("cannot read `{path}`"))?;
        file.take(MAX_INPUT + 1)
            .read_to_end(&mut buf)
            .with_context(|| format!("cannot read `{path}`"))?;
    }
    if buf.len() as u64 > MAX_INPUT {
        bail!(
            "cannot read `{path}`: it is larger than {} MiB",
            MAX_INPUT >> 20
        );
    }
    Ok(buf)
}
