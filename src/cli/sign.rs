//! `hookctl sign`: signatures and ready-to-send test requests for a payload, from a
//! sender preset, plain options or a hook's trigger rule, and `--verify` for a signature
//! computed elsewhere.
//!
//! The payload is streamed in fixed-size chunks, so signing needs the same little memory
//! for any size.
//!
//! Known gap: `--output http`, `--form` with `--output curl`, and `--verify` hold the body
//! in memory. Why: the first two write the body after a head that carries its signature,
//! and the diagnosis re-signs variants of it; reading a file twice would not work for
//! standard input. Tracked: docs/limitations.md#sign-body-in-memory

use std::io::{IsTerminal, Write};

use anyhow::Result;
use clap::ValueEnum;

use super::Exit;
use crate::config::model::{Algorithm, Hook, Secret};
use crate::rules::date;
use crate::rules::signature::truncate;
use crate::sign::body::{content_type_for, is_multipart, PayloadSource};
use crate::sign::clock::{go_scalr_date, unix_now};
use crate::sign::hook::{
    assign_secrets, find_hook, hook_plan, other_request_values, placeable, signature_matches,
    template_hint, HookError, SecretChoice, SignatureMatch,
};
use crate::sign::render::{header_lines, value_lines, JsonReport, RequestReport, Signatures};
use crate::sign::request::{CurlBody, TestRequest, Url};
use crate::sign::scheme::{
    plain_plan, provider_plan, Encoding, Key, Moment, Plan, Planned, Provider,
};
use crate::sign::secret::{resolve, SecretSource};
use crate::sign::stream::{digest_bytes, digest_reader, digest_shaped, shape_body, BodyShape};
use crate::sign::verify::{verify, Signed};
use crate::sign::Digested;

/// Compute payload signatures and ready-to-send signed test requests
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES, after_long_help = EXAMPLES)]
pub struct Args {
    /// The payload to sign, byte for byte as it is sent (`-` or nothing: standard input)
    #[arg(value_name = "PAYLOAD")]
    pub payload: Option<String>,

    /// The HMAC hash (default sha256)
    #[arg(long, short = 'a', value_enum, value_name = "ALG")]
    pub algorithm: Option<AlgorithmArg>,

    /// The signature header (default X-Hub-Signature for sha1, X-Hub-Signature-256 for
    /// sha256, X-Hub-Signature-512 for sha512)
    #[arg(long, value_name = "NAME")]
    pub header: Option<String>,

    /// Write the algorithm's prefix (`sha256=`) before the hex; the default except for
    /// Gitea, Forgejo and Gogs headers. --no-prefix writes bare hex
    #[arg(long, overrides_with = "no_prefix")]
    pub prefix: bool,

    #[arg(long, overrides_with = "prefix", hide = true)]
    pub no_prefix: bool,

    /// Sign as this sender does, with all the headers it sends
    #[arg(
        long,
        value_enum,
        value_name = "SENDER",
        conflicts_with_all = ["algorithm", "header", "hooks", "prefix", "no_prefix"]
    )]
    pub provider: Option<Provider>,

    /// Read the secret from this environment variable; POINTER=VAR for one match of a
    /// hook (repeatable)
    #[arg(long, value_name = "[POINTER=]VAR", value_parser = parse_mapping)]
    pub secret_env: Vec<Mapped<String>>,

    /// Read the secret from this file, without one final line break; POINTER=PATH for one
    /// match of a hook (repeatable)
    #[arg(long, value_name = "[POINTER=]PATH", value_parser = parse_mapping)]
    pub secret_file: Vec<Mapped<String>>,

    /// The secret itself (it stays in your shell history: prefer --secret-env);
    /// POINTER=VALUE for one match of a hook (repeatable)
    #[arg(long, value_name = "[POINTER=]VALUE", value_parser = parse_secret)]
    pub secret: Vec<Mapped<Secret>>,

    /// With --hooks: sign with the secrets written in the hook file, for matches given no
    /// other secret
    #[arg(long, requires = "hooks")]
    pub use_file_secrets: bool,

    /// Sign with an empty secret instead of refusing it
    #[arg(long)]
    pub allow_empty_secret: bool,

    /// Hook file to read the hook's signature matches from (repeatable)
    #[arg(long = "hooks", value_name = "FILE")]
    pub hooks: Vec<String>,

    /// The hook to sign for; without --hooks, only used for the request's URL
    #[arg(long, value_name = "ID")]
    pub hook: Option<String>,

    /// What to print
    #[arg(
        long,
        short = 'o',
        value_enum,
        default_value = "header",
        value_name = "FORMAT"
    )]
    pub output: OutputFormat,

    /// The URL of the request (curl, http, json); default from --hook, --host, --port and
    /// --urlprefix
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,

    /// webhook's -urlprefix, for the default URL
    #[arg(long, default_value = "hooks", value_name = "PREFIX")]
    pub urlprefix: String,

    /// The host of the default URL
    #[arg(long, default_value = "localhost", value_name = "HOST")]
    pub host: String,

    /// The port of the default URL
    #[arg(long, default_value_t = 9000, value_name = "PORT")]
    pub port: u16,

    /// The request method (default POST, or the hook's first http-methods entry)
    #[arg(long, value_name = "METHOD")]
    pub method: Option<String>,

    /// The Content-Type to send (default from the payload's extension, else
    /// application/json); a multipart type makes webhook sign zero bytes
    #[arg(long, value_name = "TYPE")]
    pub content_type: Option<String>,

    /// Send the payload as GitHub's form deliveries do: `payload=<URL-encoded payload>`,
    /// and sign that body
    #[arg(long)]
    pub form: bool,

    /// An extra header for the request (repeatable)
    #[arg(long = "add-header", value_name = "NAME: VALUE")]
    pub add_headers: Vec<String>,

    /// Scalr's Date header, in webhook's layout `Mon 02 Jan 2006 15:04:05 MST` (default now)
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,

    /// The Unix time Slack, Stripe and Standard Webhooks sign (default now)
    #[arg(long, value_name = "SECONDS")]
    pub timestamp: Option<u64>,

    /// Standard Webhooks' message id (default a fresh `msg_…`)
    #[arg(long, value_name = "ID")]
    pub webhook_id: Option<String>,

    /// Check this signature against the payload instead of printing one: exit 0 when it
    /// matches, 1 when not, with the likely cause
    #[arg(long, value_name = "SIGNATURE", conflicts_with = "output")]
    pub verify: Option<String>,

    /// Say what is signed, with which secret source, and how many bytes (never the secret)
    #[arg(long, short = 'v')]
    pub verbose: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AlgorithmArg {
    Sha1,
    Sha256,
    Sha512,
}

impl From<AlgorithmArg> for Algorithm {
    fn from(arg: AlgorithmArg) -> Algorithm {
        match arg {
            AlgorithmArg::Sha1 => Algorithm::Sha1,
            AlgorithmArg::Sha256 => Algorithm::Sha256,
            AlgorithmArg::Sha512 => Algorithm::Sha512,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// `Name: value` header lines
    Header,
    /// The signature values alone
    Value,
    /// Signatures, headers and request as JSON
    Json,
    /// A complete curl command
    Curl,
    /// A raw HTTP/1.1 request, for `hookctl simulate --request` or any HTTP client
    Http,
}

/// A secret flag's value, for every signature match or for the one at `pointer`.
#[derive(Debug, Clone)]
pub struct Mapped<T> {
    pub pointer: Option<String>,
    pub value: T,
}

const EXAMPLES: &str = "\
Secrets: --secret-env VAR, --secret-file PATH or --secret VALUE. With --hooks, the secret
signs every signature match of the hook; when the hook file gives its matches different
secrets, give one per match as POINTER=VAR, where POINTER is the match's JSON pointer as
hookctl prints it (`/0/trigger-rule/and/0/match`). --use-file-secrets signs with the secrets
written in the file. Secrets are never printed.

Exit status: 0 signed (with --verify: the signature matches), 1 the signature does not
match, 2 could not sign.

Examples:
  GITHUB_SECRET=... hookctl sign --provider github --secret-env GITHUB_SECRET push.json
  hookctl sign --hooks hooks.json --hook deploy --secret-env GITHUB_SECRET \\
      --output http push.json > push.http && hookctl simulate --hooks hooks.json --request push.http
  hookctl sign --secret-file key.txt --output curl --url https://ci.example.com/hooks/x p.json
  hookctl sign --secret-env KEY --verify 'sha256=757107ea…' payload.json";

/// A failure to show the user, with optional advice; exits 2.
#[derive(Debug)]
struct Refusal {
    message: String,
    help: Option<String>,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Refusal {}

fn refuse(message: impl Into<String>, help: Option<String>) -> anyhow::Error {
    anyhow::Error::new(Refusal {
        message: message.into(),
        help,
    })
}

/// Runs `hookctl sign`. `out` must pass bytes through unchanged (raw standard output, not
/// a colour-stripping stream): an http request's body may hold any byte.
pub fn run(args: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<Exit> {
    match sign(&args, out, err) {
        Err(e) => match e.downcast_ref::<Refusal>() {
            Some(refusal) => {
                writeln!(err, "hookctl: {}", refusal.message)?;
                if let Some(help) = &refusal.help {
                    writeln!(err, "help: {help}")?;
                }
                Ok(Exit::Error)
            }
            None => Err(e),
        },
        ok => ok,
    }
}

/// What a resolved invocation signs: the plan, and the hook it came from.
struct Resolved {
    plan: Plan,
    hook: Option<Hook>,
    /// Where each signature's secret came from, with its length, for --verbose.
    origins: Vec<String>,
}

fn sign(args: &Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<Exit> {
    let source = PayloadSource::parse(args.payload.as_deref());
    if source == PayloadSource::Stdin && std::io::stdin().is_terminal() {
        return Err(refuse(
            "no payload to sign",
            Some("give a payload file, or pipe the payload into standard input".into()),
        ));
    }
    let at = moment(args, unix_now(), err)?;
    let resolved = resolve_plan(args, &at)?;
    announce(args, &resolved, err)?;
    let sending = sending(args, &source, resolved.hook.as_ref(), err)?;
    let signed = read_payload(args, source, sending, &resolved.plan, err)?;

    if let Some(given) = &args.verify {
        return report_verdict(&resolved.plan, &signed, given, out);
    }
    write_output(args, &resolved, &signed, out, err)?;
    out.flush()?;
    Ok(Exit::Success)
}

/// How the body is sent.
struct Sending {
    /// The Content-Type to send, if one is known.
    content_type: Option<String>,
    shape: BodyShape,
    /// webhook reads the request as multipart, so it signs zero bytes.
    is_multipart: bool,
}

/// The payload after its one pass.
struct SignedPayload {
    source: PayloadSource,
    sending: Sending,
    /// The bytes, for the modes that need them (see the module's known gap).
    payload: Option<Vec<u8>>,
    digested: Digested,
    /// Warnings about the payload, already written to stderr.
    notes: Vec<String>,
}

/// Notes about the plan, and with --verbose what signs what with which secret source.
fn announce(args: &Args, resolved: &Resolved, err: &mut dyn Write) -> Result<()> {
    for note in &resolved.plan.notes {
        writeln!(err, "hookctl: {note}")?;
    }
    if !args.verbose {
        return Ok(());
    }
    for (s, origin) in resolved.plan.signatures.iter().zip(&resolved.origins) {
        writeln!(
            err,
            "hookctl: {} for {} {} with the secret from {origin}",
            s.scheme,
            placement_kind(&s.placement),
            s.placement.name()
        )?;
    }
    Ok(())
}

fn sending(
    args: &Args,
    source: &PayloadSource,
    hook: Option<&Hook>,
    err: &mut dyn Write,
) -> Result<Sending> {
    let content_type = content_type(args, source);
    // A hook's incoming-payload-content-type overrides the request's, as in webhook.
    let effective = hook
        .map(Hook::incoming_payload_content_type)
        .filter(|t| !t.is_empty())
        .unwrap_or(content_type.as_deref().unwrap_or(""));
    let is_multipart = is_multipart(effective);
    if is_multipart {
        writeln!(
            err,
            "hookctl: note: webhook does not keep a multipart body and checks signatures over \
             zero bytes, so the signatures cover zero bytes"
        )?;
    }
    let shape = if args.form {
        BodyShape::Form
    } else {
        BodyShape::Raw
    };
    Ok(Sending {
        content_type,
        shape,
        is_multipart,
    })
}

/// Reads the payload once: streamed, or into memory when the output or --verify needs
/// the bytes.
fn read_payload(
    args: &Args,
    source: PayloadSource,
    sending: Sending,
    plan: &Plan,
    err: &mut dyn Write,
) -> Result<SignedPayload> {
    let keeps_body = args.verify.is_some()
        || args.output == OutputFormat::Http
        || (args.output == OutputFormat::Curl && args.form);
    let payload = if keeps_body {
        Some(source.read_all().map_err(|e| refuse(e.to_string(), None))?)
    } else {
        None
    };
    let digested = digest(&source, payload.as_deref(), &sending, plan)?;
    let mut notes = Vec::new();
    if digested.ends_with_newline {
        let note = format!(
            "warning: `{}` ends with a line break, which is signed as part of the body; \
             editors add one, so make sure the sender sends it too",
            source.name()
        );
        writeln!(err, "hookctl: {note}")?;
        notes.push(note);
    }
    if args.verbose {
        writeln!(
            err,
            "hookctl: read {} bytes from `{}`; the signatures cover {} bytes",
            digested.payload_bytes,
            source.name(),
            digested.body_bytes
        )?;
    }
    Ok(SignedPayload {
        source,
        sending,
        payload,
        digested,
        notes,
    })
}

/// One pass over the payload, or over the body already read.
fn digest(
    source: &PayloadSource,
    payload: Option<&[u8]>,
    sending: &Sending,
    plan: &Plan,
) -> Result<Digested> {
    let jobs = plan.jobs();
    let pass = |shape, jobs: &[_]| match payload {
        Some(p) => Ok(digest_shaped(p, shape, jobs)),
        None => {
            let reader = source.open().map_err(|e| refuse(e.to_string(), None))?;
            digest_reader(reader, shape, jobs).map_err(|e| {
                refuse(
                    format!("cannot read payload `{}`: {e}", source.name()),
                    None,
                )
            })
        }
    };
    if !sending.is_multipart {
        return pass(sending.shape, &jobs);
    }
    // Count the payload, but sign zero bytes as webhook does.
    let counted = pass(BodyShape::Raw, &[])?;
    Ok(Digested {
        macs: digest_bytes(b"", &jobs).macs,
        body_bytes: 0,
        ..counted
    })
}

fn write_output(
    args: &Args,
    resolved: &Resolved,
    signed: &SignedPayload,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<()> {
    let signatures = Signatures::new(&resolved.plan, &signed.digested);
    let hook = resolved.hook.as_ref();
    let ct = signed.sending.content_type.as_deref();
    let body = || {
        shape_body(
            signed.payload.as_deref().unwrap_or_default(),
            signed.sending.shape,
        )
    };
    match args.output {
        OutputFormat::Header => out.write_all(header_lines(&signatures).as_bytes())?,
        OutputFormat::Value => out.write_all(value_lines(&signatures).as_bytes())?,
        OutputFormat::Json => {
            let notes: Vec<String> = resolved
                .plan
                .notes
                .iter()
                .chain(&signed.notes)
                .cloned()
                .collect();
            let mut report =
                JsonReport::new(signed.source.name(), &signed.digested, &signatures, &notes);
            if args.url.is_some() || args.hook.is_some() || hook.is_some() {
                let req = test_request(args, hook, ct, &signatures, err)?;
                report.request = Some(RequestReport {
                    method: req.method.clone(),
                    url: req.url.to_string(),
                    content_type: req.content_type.clone(),
                });
            }
            serde_json::to_writer_pretty(&mut *out, &report)?;
            writeln!(out)?;
        }
        OutputFormat::Curl => {
            let req = test_request(args, hook, ct, &signatures, err)?;
            let form = signed.payload.as_ref().map(|_| body());
            let curl = match (&signed.source, &form) {
                // A form body is URL-encoded, so it is ASCII.
                (_, Some(form)) => req.to_curl(CurlBody::Inline(
                    std::str::from_utf8(form).unwrap_or_default(),
                )),
                (PayloadSource::File(path), None) => req.to_curl(CurlBody::File(path)),
                (PayloadSource::Stdin, None) => {
                    writeln!(
                        err,
                        "hookctl: note: the command reads the body from standard input; pipe \
                         the same payload into it"
                    )?;
                    req.to_curl(CurlBody::Stdin)
                }
            };
            out.write_all(curl.as_bytes())?;
        }
        OutputFormat::Http => {
            let req = test_request(args, hook, ct, &signatures, err)?;
            let body = body();
            out.write_all(&req.http_head(body.len()))?;
            out.write_all(&body)?;
        }
    }
    Ok(())
}

/// The time values the schemes sign, with a warning for a Date webhook would refuse.
fn moment(args: &Args, now: u64, err: &mut dyn Write) -> Result<Moment> {
    let date = match &args.date {
        Some(text) => {
            match date::parse(text) {
                Ok(instant) if (instant.seconds - now as i64).abs() > 300 => writeln!(
                    err,
                    "hookctl: warning: the Date is more than 300 s away from now; webhook \
                     refuses it as outdated"
                )?,
                Ok(_) => {}
                Err(e) => writeln!(err, "hookctl: warning: webhook cannot read the Date: {e}")?,
            }
            text.clone()
        }
        None => go_scalr_date(now),
    };
    // Stripe's signature carries its own timestamp; verify with that one.
    let stripe_time = args
        .verify
        .as_deref()
        .filter(|_| args.provider == Some(Provider::Stripe))
        .and_then(|v| v.split(',').find_map(|p| p.strip_prefix("t=")))
        .and_then(|t| t.parse().ok());
    Ok(Moment {
        date,
        timestamp: args.timestamp.or(stripe_time).unwrap_or(now),
        webhook_id: args
            .webhook_id
            .clone()
            .unwrap_or_else(|| format!("msg_hookctl{:016x}", random_u64())),
    })
}

fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(unix_now());
    hasher.finish()
}

/// The plan for a hook, a preset or plain options.
fn resolve_plan(args: &Args, at: &Moment) -> Result<Resolved> {
    let prefix = match (args.prefix, args.no_prefix) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    };
    let (mapped, shared) = secret_sources(args);
    let mut resolved = if args.hooks.is_empty() {
        preset_resolution(args, mapped, shared, prefix, at)?
    } else {
        hook_resolution(args, mapped, shared, prefix, at)?
    };
    let notes = scheme_notes(args, &resolved.plan);
    resolved.plan.notes.extend(notes);
    Ok(resolved)
}

/// What to say about schemes webhook cannot check, and about checking time-dependent
/// signatures against the current time.
fn scheme_notes(args: &Args, plan: &Plan) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(provider) = args.provider.filter(|p| !p.is_verifiable()) {
        notes.push(format!(
            "note: webhook's match types cannot verify {} signatures (they compare a hex HMAC \
             of the body alone); use them to test a verifier of your own",
            provider_name(provider)
        ));
    }
    if args.verify.is_none() {
        return notes;
    }
    let has = |wanted: fn(&Planned) -> bool| plan.signatures.iter().any(wanted);
    if args.date.is_none() && has(|s| s.scheme == "scalr-signature") {
        notes.push(
            "warning: checking against a Date of now; give the request's Date with --date".into(),
        );
    }
    let stamped =
        |s: &Planned| matches!(s.encoding, Encoding::SlackV0 | Encoding::StandardWebhooks);
    if args.timestamp.is_none() && has(stamped) {
        notes.push(
            "warning: checking against a timestamp of now; give the request's timestamp with \
             --timestamp (and for Standard Webhooks its id with --webhook-id)"
                .into(),
        );
    }
    notes
}

/// The plan of a sender preset or of plain options.
fn preset_resolution(
    args: &Args,
    mapped: Vec<(String, SecretSource)>,
    shared: Vec<SecretSource>,
    prefix: Option<bool>,
    at: &Moment,
) -> Result<Resolved> {
    if let Some((pointer, _)) = mapped.first() {
        return Err(refuse(
            format!("a secret for `{pointer}` applies to a hook's match, and no --hooks was given"),
            Some("POINTER=… secrets need --hooks FILE --hook ID".into()),
        ));
    }
    let source = one_secret(shared)?;
    let mut notes = Vec::new();
    let secret = resolve_secret(&source, args.allow_empty_secret, &mut notes)?;
    let mut plan = match args.provider {
        Some(provider) => {
            provider_plan(provider, secret.expose(), at).map_err(|e| refuse(e.to_string(), None))?
        }
        None => {
            let algorithm = args.algorithm.map_or(Algorithm::Sha256, Algorithm::from);
            plain_plan(
                algorithm,
                args.header.as_deref(),
                prefix.unwrap_or(true),
                secret.expose(),
            )
        }
    };
    notes.append(&mut plan.notes);
    plan.notes = notes;
    let origins = vec![origin(&source, &secret); plan.signatures.len()];
    Ok(Resolved {
        plan,
        hook: None,
        origins,
    })
}

/// The plan of a hook's signature matches.
fn hook_resolution(
    args: &Args,
    mapped: Vec<(String, SecretSource)>,
    shared: Vec<SecretSource>,
    prefix: Option<bool>,
    at: &Moment,
) -> Result<Resolved> {
    if args.algorithm.is_some() || args.header.is_some() {
        return Err(refuse(
            "--algorithm and --header do not apply with --hooks: the hook's matches say which \
             algorithm and header to use",
            None,
        ));
    }
    let (hook, mut notes) = find_hook(&args.hooks, args.hook.as_deref()).map_err(failed)?;
    let found = satisfiable_matches(&hook, &mut notes)?;
    if shared.len() > 1 {
        return Err(refuse(
            "more than one secret was given for the same matches",
            Some("give one secret, or one per match as POINTER=VAR".into()),
        ));
    }
    let choice = SecretChoice {
        default: shared.into_iter().next(),
        by_pointer: mapped,
        use_file_secrets: args.use_file_secrets,
    };
    let sources = assign_secrets(&hook, &found, &choice).map_err(failed)?;
    let mut keys = Vec::new();
    let mut origins = Vec::new();
    for (site, source) in found.iter().zip(&sources) {
        if let (SecretSource::HookFile { .. }, Some(hint)) = (source, template_hint(site.m)) {
            notes.push(format!(
                "warning: webhook renders templates only with -template; signing with the text \
                 as written ({hint})"
            ));
        }
        let secret = resolve_secret(source, args.allow_empty_secret, &mut notes)?;
        origins.push(origin(source, &secret));
        keys.push(Key::new(secret.expose().as_bytes().to_vec()));
    }
    if matches!(args.output, OutputFormat::Curl | OutputFormat::Http) {
        notes.extend(other_request_values(&hook));
    }
    let mut plan = hook_plan(&found, &keys, prefix, at);
    notes.append(&mut plan.notes);
    plan.notes = notes;
    Ok(Resolved {
        plan,
        hook: Some(hook),
        origins,
    })
}

/// The hook's signature matches a request can satisfy; a warning for each other one.
fn satisfiable_matches<'a>(
    hook: &'a Hook,
    notes: &mut Vec<String>,
) -> Result<Vec<SignatureMatch<'a>>> {
    let all = signature_matches(hook);
    if all.is_empty() {
        return Err(failed(HookError::NoSignatureMatch(hook.id().into())));
    }
    let (found, unplaceable) = placeable(all);
    if found.is_empty() {
        return Err(failed(HookError::NothingToSign {
            hook: hook.id().into(),
            reasons: unplaceable,
        }));
    }
    for why in unplaceable {
        notes.push(format!("warning: cannot satisfy {why}"));
    }
    Ok(found)
}

fn failed(e: HookError) -> anyhow::Error {
    refuse(e.to_string(), e.help())
}

/// The secret flags split into per-match ones and shared ones, in flag order.
fn secret_sources(args: &Args) -> (Vec<(String, SecretSource)>, Vec<SecretSource>) {
    let all = args
        .secret_env
        .iter()
        .map(|m| (m.pointer.clone(), SecretSource::Env(m.value.clone())))
        .chain(
            args.secret_file
                .iter()
                .map(|m| (m.pointer.clone(), SecretSource::File(m.value.clone()))),
        )
        .chain(
            args.secret
                .iter()
                .map(|m| (m.pointer.clone(), SecretSource::Value(m.value.clone()))),
        );
    let mut mapped = Vec::new();
    let mut shared = Vec::new();
    for (pointer, source) in all {
        match pointer {
            Some(pointer) => mapped.push((pointer, source)),
            None => shared.push(source),
        }
    }
    (mapped, shared)
}

fn one_secret(shared: Vec<SecretSource>) -> Result<SecretSource> {
    let count = shared.len();
    let mut sources = shared.into_iter();
    match (sources.next(), count) {
        (Some(source), 1) => Ok(source),
        (None, _) => Err(refuse(
            "no secret was given",
            Some("give the secret with --secret-env VAR or --secret-file PATH".into()),
        )),
        _ => Err(refuse("more than one secret was given", None)),
    }
}

/// Reads a secret; what the user should know about it joins `notes`.
fn resolve_secret(
    source: &SecretSource,
    allow_empty: bool,
    notes: &mut Vec<String>,
) -> Result<Secret> {
    let resolved = resolve(source, allow_empty)
        .map_err(|e| refuse(e.to_string(), e.help().map(str::to_string)))?;
    for note in resolved.notes {
        if !notes.contains(&note) {
            notes.push(note);
        }
    }
    Ok(resolved.secret)
}

fn origin(source: &SecretSource, secret: &Secret) -> String {
    format!("{} ({} bytes)", source.describe(), secret.expose().len())
}

fn placement_kind(placement: &crate::sign::Placement) -> &'static str {
    match placement {
        crate::sign::Placement::Header(_) => "header",
        crate::sign::Placement::Query(_) => "query parameter",
    }
}

fn provider_name(provider: Provider) -> &'static str {
    match provider {
        Provider::Slack => "Slack",
        Provider::Stripe => "Stripe",
        Provider::StandardWebhooks => "Standard Webhooks",
        _ => "these",
    }
}

/// The Content-Type to send: the flag, a form, the payload's extension, or none known.
fn content_type(args: &Args, source: &PayloadSource) -> Option<String> {
    if let Some(ct) = &args.content_type {
        return Some(ct.clone());
    }
    if args.form {
        return Some("application/x-www-form-urlencoded".into());
    }
    match source {
        PayloadSource::File(path) => content_type_for(path).map(str::to_string),
        PayloadSource::Stdin => None,
    }
}

/// The request around the signatures, for curl, http and json output.
fn test_request(
    args: &Args,
    hook: Option<&Hook>,
    content_type: Option<&str>,
    signatures: &Signatures,
    err: &mut dyn Write,
) -> Result<TestRequest> {
    let hook_id = hook.map(Hook::id).or(args.hook.as_deref());
    let mut url = match (&args.url, hook_id) {
        (Some(text), _) => Url::parse(text).map_err(|e| refuse(e.to_string(), None))?,
        (None, Some(id)) => Url::for_hook(&args.host, args.port, &args.urlprefix, id),
        (None, None) => {
            return Err(refuse(
                "this output needs the request's URL",
                Some("give --url, or --hook ID (with --hooks FILE to sign for that hook)".into()),
            ))
        }
    };
    for (name, value) in signatures.query_pairs() {
        url.append_query(&name, &value);
    }
    let content_type = match content_type {
        Some(ct) => ct.to_string(),
        None => {
            writeln!(
                err,
                "hookctl: note: sending `Content-Type: application/json`; set another with \
                 --content-type"
            )?;
            "application/json".into()
        }
    };
    let mut headers = signatures.header_fields();
    for extra in &args.add_headers {
        let Some((name, value)) = extra.split_once(':') else {
            return Err(refuse(
                format!("--add-header `{extra}` must be `Name: value`"),
                None,
            ));
        };
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    Ok(TestRequest {
        method: method(args, hook),
        url,
        content_type,
        headers,
    })
}

/// `--method`, else POST, else (when the hook does not allow POST) its first method.
fn method(args: &Args, hook: Option<&Hook>) -> String {
    if let Some(method) = &args.method {
        return method.clone();
    }
    let allowed: Vec<&str> = hook.map_or(Vec::new(), |h| {
        h.http_methods.iter().map(|m| m.value.trim()).collect()
    });
    if allowed.is_empty() || allowed.iter().any(|m| m.eq_ignore_ascii_case("POST")) {
        return "POST".into();
    }
    allowed[0].to_ascii_uppercase()
}

fn report_verdict(
    plan: &Plan,
    signed: &SignedPayload,
    given: &str,
    out: &mut dyn Write,
) -> Result<Exit> {
    let checked = Signed {
        payload: signed.payload.as_deref().unwrap_or_default(),
        shape: signed.sending.shape,
        is_multipart: signed.sending.is_multipart,
    };
    let verdict = verify(plan, checked, given);
    let over = format!(
        "`{}` ({} bytes signed)",
        signed.source.name(),
        signed.digested.body_bytes
    );
    if !verdict.accepted_by.is_empty() {
        for i in verdict.accepted_by {
            let s = &plan.signatures[i];
            let at = s
                .match_pointer
                .as_ref()
                .map_or(String::new(), |p| format!(" at {p}"));
            writeln!(
                out,
                "ok: the signature matches {} ({}){at} over {over}",
                s.scheme,
                s.placement.name()
            )?;
        }
        return Ok(Exit::Success);
    }
    let schemes: Vec<String> = plan
        .signatures
        .iter()
        .map(|s| format!("{} ({})", s.scheme, s.placement.name()))
        .collect();
    writeln!(
        out,
        "mismatch: `{}` does not match {} over {over}",
        truncate(given),
        schemes.join(" or ")
    )?;
    if !verdict.hints.is_empty() {
        writeln!(out, "likely causes:")?;
        for hint in &verdict.hints {
            writeln!(out, "  - {hint}")?;
        }
    }
    Ok(Exit::Failure)
}

/// `POINTER=VALUE` when the part before `=` is a trigger-rule pointer
/// (`/0/trigger-rule/…`); anything else is the value alone.
fn split_mapping(text: &str) -> (Option<String>, &str) {
    if let Some((pointer, value)) = text.split_once('=') {
        let mut parts = pointer.split('/');
        let is_pointer = parts.next() == Some("")
            && parts
                .next()
                .is_some_and(|i| !i.is_empty() && i.bytes().all(|c| c.is_ascii_digit()))
            && parts.next() == Some("trigger-rule");
        if is_pointer {
            return (Some(pointer.to_string()), value);
        }
    }
    (None, text)
}

fn parse_mapping(text: &str) -> Result<Mapped<String>, String> {
    let (pointer, value) = split_mapping(text);
    if value.is_empty() {
        return Err("the value is empty".into());
    }
    Ok(Mapped {
        pointer,
        value: value.to_string(),
    })
}

// The value is never echoed back: clap shows the error with the flag's name only.
fn parse_secret(text: &str) -> Result<Mapped<Secret>, String> {
    let (pointer, value) = split_mapping(text);
    Ok(Mapped {
        pointer,
        value: Secret::new(value.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mappings_need_a_trigger_rule_pointer() {
        assert_eq!(
            split_mapping("/0/trigger-rule/and/1/match=GH"),
            (Some("/0/trigger-rule/and/1/match".into()), "GH")
        );
        assert_eq!(
            split_mapping("/run/secrets/a=b"),
            (None, "/run/secrets/a=b")
        );
        assert_eq!(split_mapping("/abc+def=="), (None, "/abc+def=="));
        assert_eq!(split_mapping("VAR"), (None, "VAR"));
    }
}
