//! One request: read it within the limits, hand it to the engine, send the engine's
//! answer, and run the command when the engine leaves it for after the response.
//!
//! The only answers given here rather than by the engine are hookctl's own: the health
//! and metrics routes (never over a hook's route), 413 for a body over
//! `--max-body-size`, 408 for a body that stops arriving, and Go's 400 for an HTTP/1.1
//! request without `Host`, which webhook never sees.

use std::convert::Infallible;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;

use super::http::{plain, to_engine, to_hyper, ServeBody};
use super::log::RequestLine;
use super::{HookSet, Shared};
use crate::outcome::{self, handle, route, Mode, Outcome, RouteResult, Stage};
use crate::request::Request;
use crate::rules::{NodeKind, TraceResult};

/// Requests with bodies up to this size that run no captured command are handled on
/// the runtime thread; anything heavier goes to a blocking thread.
const INLINE_BODY_LIMIT: usize = 64 * 1024;

type HyperResponse = hyper::Response<ServeBody>;

/// What the request looked like, for the log line, before the engine saw it.
struct Seen {
    started: Instant,
    request_id: String,
    method: String,
    uri: String,
    host: String,
    remote: String,
}

pub(crate) async fn respond(
    shared: Arc<Shared>,
    req: hyper::Request<Incoming>,
    remote: String,
) -> Result<HyperResponse, Infallible> {
    let (parts, body) = req.into_parts();
    let seen = Seen {
        started: Instant::now(),
        request_id: request_id(&shared, &parts.headers),
        method: parts.method.as_str().to_string(),
        uri: parts.uri.to_string(),
        host: header_text(&parts.headers, hyper::header::HOST),
        remote,
    };
    let set = shared.hook_set();

    if let Some(response) = own_route(&shared, &set, &parts) {
        return Ok(finish_plain(&shared, &seen, response, None));
    }
    let body = match read_body(&shared, &parts, body).await {
        Ok(body) => body,
        Err(response) => {
            let reason = match response.status().as_u16() {
                413 => "the body is over --max-body-size",
                408 => "the body did not arrive within --read-timeout",
                _ => "the body could not be read",
            };
            return Ok(finish_plain(&shared, &seen, response, Some(reason.into())));
        }
    };
    let request = to_engine(&parts, body, &seen.remote);
    if let Some(dir) = &shared.options.record_dir {
        record(&shared, dir, &request, &seen.request_id, &set);
    }
    if parts.version == hyper::Version::HTTP_11 && request.header("Host").is_none() {
        let reason = Some("an HTTP/1.1 request without Host".to_string());
        return Ok(finish_plain(&shared, &seen, missing_host(), reason));
    }
    if shared.logger.is_debug() {
        shared
            .logger
            .dump(&request_dump(&seen.request_id, &request, parts.version));
    }

    let Some(outcome) = run_engine(&shared, &set, request).await else {
        let reason = Some("the server is shutting down".to_string());
        let response = closing(plain(
            503,
            "text/plain; charset=utf-8",
            "503 Service Unavailable: hookctl is shutting down",
        ));
        return Ok(finish_plain(&shared, &seen, response, reason));
    };
    let response = to_hyper(&outcome.response, &seen.method);
    log_outcome(&shared, &seen, &outcome);
    if outcome.command_deferred {
        run_in_background(shared.clone(), set, outcome, seen.request_id.clone());
    }
    Ok(response)
}

/// webhook's request id: `X-Request-Id` with `--x-request-id`, else six hex digits.
///
/// Known gap: an id cut inside a UTF-8 character by `--x-request-id-limit` is logged
/// with U+FFFD where webhook writes the raw byte. Why: log lines are text.
/// Tracked: docs/limitations.md#serve-request-id-bytes
fn request_id(shared: &Shared, headers: &hyper::HeaderMap) -> String {
    if shared.options.x_request_id {
        if let Some(value) = headers.get("x-request-id").filter(|v| !v.is_empty()) {
            let bytes = value.as_bytes();
            let limit = shared.options.x_request_id_limit;
            let kept = if limit > 0 && bytes.len() > limit {
                &bytes[..limit]
            } else {
                bytes
            };
            return String::from_utf8_lossy(kept).into_owned();
        }
    }
    shared.random_id()
}

fn header_text(headers: &hyper::HeaderMap, name: hyper::header::HeaderName) -> String {
    headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default()
}

/// The id of the loaded hook whose route `path` is, if any.
pub(crate) fn hook_at(prefix: &str, path: &str, set: &HookSet) -> Option<String> {
    match route(prefix, path) {
        RouteResult::Hook { id } if set.has_hook(&id) => Some(id),
        _ => None,
    }
}

/// `GET`/`HEAD` on the health or metrics path, unless a hook's route is there.
fn own_route(
    shared: &Shared,
    set: &HookSet,
    parts: &hyper::http::request::Parts,
) -> Option<HyperResponse> {
    if !matches!(parts.method.as_str(), "GET" | "HEAD") {
        return None;
    }
    let path = parts.uri.path();
    let options = &shared.options;
    let is = |own: &Option<String>| own.as_deref() == Some(path);
    if !is(&options.health_path) && !is(&options.metrics_path) {
        return None;
    }
    if hook_at(&options.engine.url_prefix, path, set).is_some() {
        return None;
    }
    if is(&options.health_path) {
        let body = serde_json::json!({
            "status": "ok",
            "hooks": set.hook_count(),
            "files": set.paths(),
            "uptime_seconds": shared.started.elapsed().as_secs(),
        });
        return Some(plain(200, "application/json", format!("{body}\n")));
    }
    Some(plain(
        200,
        "text/plain; version=0.0.4; charset=utf-8",
        shared.metrics.render(),
    ))
}

/// The body, within `--max-body-size` and `--read-timeout`; or hookctl's answer.
///
/// Known gap: the body is read before the engine routes the request, so a client
/// asking `Expect: 100-continue` gets `100 Continue` even before a 404 or 405, which
/// webhook answers without reading. Why: the engine takes a whole request.
/// Tracked: docs/limitations.md#serve-body-before-route
async fn read_body(
    shared: &Shared,
    parts: &hyper::http::request::Parts,
    body: Incoming,
) -> Result<Vec<u8>, HyperResponse> {
    let max = shared.options.max_body_size;
    let declared = parts
        .headers
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > max) {
        return Err(too_large(max));
    }
    let limit = usize::try_from(max).unwrap_or(usize::MAX);
    let collect = Limited::new(body, limit).collect();
    match tokio::time::timeout(shared.options.read_timeout, collect).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes().to_vec()),
        Ok(Err(error))
            if error
                .downcast_ref::<http_body_util::LengthLimitError>()
                .is_some() =>
        {
            Err(too_large(max))
        }
        Ok(Err(_)) => Err(closing(plain(
            400,
            "text/plain; charset=utf-8",
            "400 Bad Request: the request body could not be read",
        ))),
        Err(_) => Err(closing(plain(
            408,
            "text/plain; charset=utf-8",
            "408 Request Timeout: the request body stopped arriving",
        ))),
    }
}

fn too_large(max: u64) -> HyperResponse {
    closing(plain(
        413,
        "text/plain; charset=utf-8",
        format!("413 Request Entity Too Large: the body is over hookctl's limit of {max} bytes"),
    ))
}

/// Go's answer to an HTTP/1.1 request without `Host`.
///
/// Known gap: Go sends it without a length and closes; hyper frames it with a length
/// (and closes). Why: hyper chooses HTTP/1.1 framing itself. Tracked:
/// docs/limitations.md#serve-missing-host-framing
fn missing_host() -> HyperResponse {
    let mut response = closing(plain(
        400,
        "text/plain; charset=utf-8",
        "400 Bad Request: missing required Host header",
    ));
    // Go puts the reason in the status line too.
    response
        .extensions_mut()
        .insert(hyper::ext::ReasonPhrase::from_static(
            b"Bad Request: missing required Host header",
        ));
    response
}

fn closing(mut response: HyperResponse) -> HyperResponse {
    response.headers_mut().insert(
        hyper::header::CONNECTION,
        hyper::header::HeaderValue::from_static("close"),
    );
    response
}

fn record(shared: &Shared, dir: &std::path::Path, request: &Request, id: &str, set: &HookSet) {
    let label = match route(&set.config.url_prefix, &request.request_uri()) {
        RouteResult::Hook { id } => id,
        RouteResult::Health => "root".into(),
        _ => "other".into(),
    };
    if let Err(e) = super::record::record(dir, request, id, &label) {
        shared.logger.warn(&format!(
            "[{id}] cannot record the request in {}: {e}",
            dir.display()
        ));
    }
}

/// Runs the engine where it belongs: inline when it is quick, on a blocking thread
/// (holding a `--max-concurrent` permit) when it runs a captured command or reads a
/// large body. `None` when the server began shutting down while the request waited
/// for a permit: its command is not started.
async fn run_engine(shared: &Arc<Shared>, set: &Arc<HookSet>, request: Request) -> Option<Outcome> {
    let mode = if shared.options.dry_run {
        Mode::Plan
    } else {
        Mode::Respond(shared.exec)
    };
    let captures = !shared.options.dry_run && captures_output(set, &request);
    if !captures && request.body.len() <= INLINE_BODY_LIMIT {
        return Some(handle(&set.hooks, &request, &set.config, mode));
    }
    let _permit = match (&shared.permits, captures) {
        (Some(permits), true) => Some(permits.clone().acquire_owned().await.ok()?),
        _ => None,
    };
    if captures {
        shared.pending.fetch_add(1, Ordering::SeqCst);
    }
    let worker_set = set.clone();
    let worker_request = request.clone();
    let result = tokio::task::spawn_blocking(move || {
        handle(&worker_set.hooks, &worker_request, &worker_set.config, mode)
    })
    .await;
    if captures {
        shared.pending.fetch_sub(1, Ordering::SeqCst);
    }
    match result {
        Ok(outcome) => Some(outcome),
        // The engine never panics on input; if it ever does, answer like Go would.
        Err(_) => Some(handle(&set.hooks, &request, &set.config, Mode::Plan)),
    }
}

/// Whether the request goes to a hook that sends its command's output.
fn captures_output(set: &HookSet, request: &Request) -> bool {
    match route(&set.config.url_prefix, &request.request_uri()) {
        RouteResult::Hook { id } => set
            .hooks
            .iter()
            .find(|h| h.id() == id)
            .is_some_and(|h| h.captures_output()),
        _ => false,
    }
}

/// The command of an asynchronous hook, after its response went out.
fn run_in_background(shared: Arc<Shared>, set: Arc<HookSet>, mut outcome: Outcome, rid: String) {
    shared.pending.fetch_add(1, Ordering::SeqCst);
    tokio::spawn(async move {
        let permit = match &shared.permits {
            Some(permits) => match permits.clone().acquire_owned().await {
                Ok(permit) => Some(permit),
                Err(_) => {
                    let hook = outcome.hook_id.as_deref().unwrap_or_default();
                    shared.logger.warn(&format!(
                        "[{rid}] the command of hook {hook} was not started: the server \
                         stopped while it waited for --max-concurrent"
                    ));
                    shared.pending.fetch_sub(1, Ordering::SeqCst);
                    return;
                }
            },
            None => None,
        };
        let already = outcome.log.len();
        let exec = shared.exec;
        let result = tokio::task::spawn_blocking(move || {
            outcome::run_deferred(&mut outcome, &set.config, &exec);
            outcome
        })
        .await;
        drop(permit);
        if let Ok(outcome) = result {
            for line in &outcome.log[already..] {
                shared.logger.verbose(rid_for(line, &rid), line);
            }
            observe_execution(&shared, &outcome, &rid);
        }
        shared.pending.fetch_sub(1, Ordering::SeqCst);
    });
}

/// Counts a command that ran (or failed to start) and warns when it was killed.
fn observe_execution(shared: &Shared, outcome: &Outcome, rid: &str) {
    let Some(hook) = &outcome.hook_id else { return };
    let Some(plan) = &outcome.command else { return };
    let failed = plan.path.is_err() || outcome.run.as_ref().is_some_and(|r| !r.succeeded());
    if outcome.run.is_none() && plan.path.is_ok() {
        return;
    }
    shared.metrics.observe_execution(hook, failed);
    if outcome.run.as_ref().is_some_and(|r| r.timed_out) {
        shared.logger.warn(&format!(
            "[{rid}] the command of hook {hook} ran longer than --command-timeout {} and \
             its process group was killed",
            super::log::go_duration(shared.exec.timeout)
        ));
    }
}

/// A webhook log line with any received signature cut to its first digits
/// (`invalid payload signatures [3f2a9c1…]`): webhook prints them whole.
fn without_signatures(line: &str) -> std::borrow::Cow<'_, str> {
    if line.contains("signature") {
        crate::rules::trace::mask_signatures(line).into()
    } else {
        line.into()
    }
}

/// Lines webhook writes without a request id.
fn rid_for<'a>(line: &str, rid: &'a str) -> Option<&'a str> {
    let bare = line.starts_with("no ENVVAR name specified")
        || line.starts_with("error decoding string")
        || line.starts_with("http: URL query contains semicolon");
    (!bare).then_some(rid)
}

fn log_outcome(shared: &Shared, seen: &Seen, outcome: &Outcome) {
    let rid = seen.request_id.as_str();
    if shared.logger.is_verbose() {
        for line in &outcome.log {
            shared
                .logger
                .verbose(rid_for(line, rid), &without_signatures(line));
        }
    }
    if shared.options.dry_run {
        log_dry_run(shared, rid, outcome);
    }
    if shared.logger.is_debug() {
        shared.logger.dump(&response_dump(rid, &outcome.response));
    }
    if !outcome.command_deferred {
        observe_execution(shared, outcome, rid);
    }
    let loaded = outcome
        .hook_id
        .as_ref()
        .filter(|_| outcome.stage != Stage::HookNotFound);
    let duration = seen.started.elapsed();
    shared.metrics.observe_request(
        loaded.map_or("", String::as_str),
        outcome.response.status,
        duration,
    );
    let (matched, reason) = verdict(outcome);
    shared.logger.request(&RequestLine {
        request_id: rid.to_string(),
        status: outcome.response.status,
        response_size: match (seen.method.as_str(), outcome.response.framing) {
            // webhook counts what the handler wrote, which Go drops for HEAD.
            ("HEAD", outcome::Framing::Length(n)) => n,
            _ => outcome.response.body.len(),
        },
        duration,
        host: seen.host.clone(),
        method: seen.method.clone(),
        uri: seen.uri.clone(),
        remote_addr: seen.remote.clone(),
        hook_id: outcome.hook_id.clone(),
        matched,
        reason,
    });
}

/// The log line of an answer hookctl gave itself.
fn finish_plain(
    shared: &Shared,
    seen: &Seen,
    response: HyperResponse,
    reason: Option<String>,
) -> HyperResponse {
    let duration = seen.started.elapsed();
    let status = response.status().as_u16();
    shared.metrics.observe_request("", status, duration);
    let size = hyper::body::Body::size_hint(response.body())
        .exact()
        .unwrap_or(0) as usize;
    shared.logger.request(&RequestLine {
        request_id: seen.request_id.clone(),
        status,
        response_size: size,
        duration,
        host: seen.host.clone(),
        method: seen.method.clone(),
        uri: seen.uri.clone(),
        remote_addr: seen.remote.clone(),
        hook_id: None,
        matched: None,
        reason,
    });
    response
}

/// Whether the hook fired, and why not (or why it failed).
fn verdict(outcome: &Outcome) -> (Option<bool>, Option<String>) {
    match outcome.stage {
        Stage::Router => (None, None),
        Stage::HookNotFound => (None, Some("no hook has this id".into())),
        Stage::MethodNotAllowed => (Some(false), Some("the method is not allowed".into())),
        Stage::Fired => (Some(true), outcome.error.clone()),
        Stage::Decode | Stage::Crashed => (Some(false), outcome.error.clone()),
        Stage::Evaluated => {
            let reason = outcome
                .error
                .clone()
                .or_else(|| outcome.evaluation.as_ref().and_then(first_failure));
            (Some(false), reason)
        }
    }
}

/// The first trigger-rule node that failed, with the engine's reason.
fn first_failure(evaluation: &crate::rules::Evaluation) -> Option<String> {
    let failed = |e: &&crate::rules::TraceEntry| {
        matches!(
            e.result,
            TraceResult::False | TraceResult::Missing | TraceResult::Error
        )
    };
    let entry = evaluation
        .trace
        .iter()
        .filter(failed)
        .find(|e| matches!(e.kind, NodeKind::Match | NodeKind::Empty))
        .or_else(|| evaluation.trace.iter().find(failed))?;
    let mut node = entry.kind.name().to_string();
    if let Some(kind) = &entry.match_type {
        node.push(' ');
        node.push_str(kind);
    }
    if let Some(parameter) = &entry.parameter {
        node.push_str(&format!(" on {parameter}"));
    }
    let why = if let Some(first) = entry.diagnosis.first() {
        first.clone()
    } else if let Some(error) = &entry.error {
        error.message.clone()
    } else {
        match (&entry.value, &entry.expected) {
            (Some(value), Some(expected)) => format!("got {value}, expected {expected}"),
            (Some(value), None) => format!("got {value}"),
            _ => "not satisfied".to_string(),
        }
    };
    let pointer = if entry.pointer.is_empty() {
        "trigger-rule"
    } else {
        &entry.pointer
    };
    Some(format!("{pointer} ({node}): {why}"))
}

/// `--dry-run`: what would have run, at info level. Values of variables named like
/// credentials are masked.
fn log_dry_run(shared: &Shared, rid: &str, outcome: &Outcome) {
    let Some(plan) = outcome.command.as_ref().filter(|_| outcome.triggered) else {
        return;
    };
    let env: Vec<String> = plan
        .env
        .iter()
        .map(|(name, value)| {
            if is_credential_name(name) {
                format!("{name}=<hidden>")
            } else {
                format!("{name}={value}")
            }
        })
        .chain(plan.files.iter().map(|f| format!("{}=<file>", f.env_name)))
        .collect();
    let args: Vec<String> = plan
        .args
        .iter()
        .map(|a| crate::request::quote::go_quote(a))
        .collect();
    shared.logger.info(&format!(
        "[{rid}] dry run: would execute {} with arguments [{}] and environment [{}]{}",
        plan.execute_command,
        args.join(" "),
        env.join(" "),
        if outcome.response_depends_on_command {
            "; the response would be the command's output"
        } else {
            ""
        }
    ));
}

fn is_credential_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    [
        "SECRET",
        "TOKEN",
        "PASSWORD",
        "PASSWD",
        "KEY",
        "SIGNATURE",
        "AUTH",
        "CREDENTIAL",
    ]
    .iter()
    .any(|word| upper.contains(word))
}

/// webhook's `-debug` request dump: the request line, `Host`, the other headers sorted,
/// a blank line and the body, each line prefixed `> [rid] `.
fn request_dump(rid: &str, request: &Request, version: hyper::Version) -> Vec<String> {
    let proto = if version == hyper::Version::HTTP_10 {
        "HTTP/1.0"
    } else {
        "HTTP/1.1"
    };
    let mut lines = vec![format!(
        "{} {} {proto}",
        request.method,
        request.request_uri()
    )];
    if let Some(host) = request.header("Host") {
        lines.push(format!("Host: {host}"));
    }
    let mut headers: Vec<&(String, String)> = request
        .headers
        .iter()
        .filter(|(n, _)| n != "Host")
        .collect();
    headers.sort_by(|a, b| a.0.cmp(&b.0));
    lines.extend(headers.iter().map(|(n, v)| format!("{n}: {v}")));
    lines.push(String::new());
    if !request.body.is_empty() {
        let body = String::from_utf8_lossy(&request.body);
        lines.extend(body.split('\n').map(str::to_string));
    }
    lines
        .into_iter()
        .map(|l| format!("> [{rid}] {l}"))
        .collect()
}

/// webhook's `-debug` response dump; an implicit 200 shows as `0`, and the headers Go
/// adds itself are left out.
///
/// Known gap: an explicit `success-http-response-code: 200` also shows as `0` (webhook
/// shows `200 OK`). Why: the engine's response does not say whether the status was set.
/// Tracked: docs/limitations.md#serve-debug-dump-status
fn response_dump(rid: &str, response: &outcome::Response) -> Vec<String> {
    let status = if response.status == 200 {
        format!("< [{rid}] 0 ")
    } else {
        format!("< [{rid}] {} {}", response.status, response.reason())
    };
    let mut lines = vec![status];
    let sniffed = outcome::sniff::detect_content_type(&response.body);
    let mut headers: Vec<&(String, String)> = response
        .headers
        .iter()
        .filter(|(n, v)| !(n == "Content-Type" && v == sniffed))
        .collect();
    headers.sort_by(|a, b| a.0.cmp(&b.0));
    lines.extend(headers.iter().map(|(n, v)| format!("< [{rid}] {n}: {v}")));
    lines.push(format!("< [{rid}]"));
    if !response.body.is_empty() {
        let body = String::from_utf8_lossy(&response.body);
        lines.extend(body.split('\n').map(|l| format!("< [{rid}] {l}")));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::hook;

    #[test]
    fn mismatch_reasons_name_the_first_failing_match() {
        let h = hook(
            r#"{"id":"x","trigger-rule":{"and":[
            {"match":{"type":"value","value":"push","parameter":{"source":"header","name":"X-Event"}}},
            {"match":{"type":"value","value":"main","parameter":{"source":"payload","name":"ref"}}}]}}"#,
        );
        let request = Request::new("POST", "/hooks/x").with_header("X-Event", "ping");
        let out = handle(
            std::slice::from_ref(&h),
            &request,
            &crate::outcome::ServerConfig::default(),
            Mode::Plan,
        );
        let (matched, reason) = verdict(&out);
        assert_eq!(matched, Some(false));
        let reason = reason.unwrap();
        assert!(reason.contains("match value on header X-Event"), "{reason}");
        assert!(reason.contains("ping"), "{reason}");
    }

    #[test]
    fn dumps_look_like_webhooks() {
        let request = Request::new("POST", "/hooks/d?z=1")
            .with_header("Host", "localhost:9000")
            .with_header("Content-Type", "application/json")
            .with_header("Content-Length", "7")
            .with_body(b"{\"k\":1}".to_vec());
        assert_eq!(
            request_dump("r", &request, hyper::Version::HTTP_11),
            [
                "> [r] POST /hooks/d?z=1 HTTP/1.1",
                "> [r] Host: localhost:9000",
                "> [r] Content-Length: 7",
                "> [r] Content-Type: application/json",
                "> [r] ",
                "> [r] {\"k\":1}",
            ]
        );
        let response = outcome::Response {
            status: 200,
            interim: None,
            headers: vec![
                ("X-A".into(), "1".into()),
                ("Content-Type".into(), "text/plain; charset=utf-8".into()),
            ],
            body: b"hello\nworld".to_vec(),
            framing: outcome::Framing::Length(11),
        };
        assert_eq!(
            response_dump("r", &response),
            [
                "< [r] 0 ",
                "< [r] X-A: 1",
                "< [r]",
                "< [r] hello",
                "< [r] world"
            ]
        );
    }

    #[test]
    fn credential_names() {
        assert!(is_credential_name("GITHUB_TOKEN"));
        assert!(is_credential_name("hook_secret"));
        assert!(!is_credential_name("HOOK_ref"));
    }
}
