//! The result of simulating a request, for people and for machines: [`Report`] is the
//! stable JSON shape (`serde::Serialize`), and [`render`] prints it as a short text
//! tree with one line per node of the trigger rule.
//!
//! Nothing secret reaches a report: match secrets are never read into it, signatures in
//! the trace are cut to their first digits, and values of parameters named like
//! credentials are masked (see `rules::matchers::shown`). Values passed to the command
//! are shown as the command would receive them.

use std::fmt::Write;

use base64::Engine;
use serde::Serialize;

use crate::request::quote::go_quote;
use crate::rules::{TraceEntry, TraceResult};

use super::{CommandRun, FilePlan, Framing, Outcome, ServerConfig, Stage};

/// A simulated request's outcome, as JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The hook the path chose, if the hook route was taken.
    pub hook: Option<String>,
    pub triggered: bool,
    /// The final HTTP status.
    pub status: u16,
    /// Where webhook stopped: `router`, `hook-not-found`, `method-not-allowed`,
    /// `decode`, `crashed`, `evaluated` or `fired`.
    pub stage: &'static str,
    pub response: ReportResponse,
    /// `execute-command` as configured (argv\[0\]).
    pub command: Option<String>,
    /// The path webhook resolved the command to, or its lookup error.
    pub command_path: Option<String>,
    pub command_error: Option<String>,
    pub args: Vec<String>,
    pub env: Vec<EnvVar>,
    pub files: Vec<ReportFile>,
    /// `command-working-directory`; empty means webhook's own directory.
    pub working_dir: Option<String>,
    /// The command's result when it ran.
    pub run: Option<ReportRun>,
    pub trace: Vec<TraceEntry>,
    /// webhook's log lines, without timestamps and request ids.
    pub log: Vec<String>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportResponse {
    pub status: u16,
    pub reason: &'static str,
    /// A 1xx status sent before the final one.
    pub interim: Option<u16>,
    /// `[name, value]` pairs in the order sent (`Date` and framing headers left out).
    pub headers: Vec<(String, String)>,
    /// The body as text (invalid UTF-8 replaced); see `body_base64` for the bytes.
    pub body: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_base64: Option<String>,
    /// `length`, `chunked` or `none`.
    pub framing: &'static str,
    /// The body would be the command's output, which was not run.
    pub depends_on_command: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnvVar {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportFile {
    /// The variable that holds the file's path.
    pub env: String,
    /// The file's path when it was written, else where it would go (`<random>` digits).
    pub path: String,
    pub content: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_base64: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportRun {
    pub exit_code: Option<i32>,
    /// Go's error text for a failure (`exit status 1`, `signal: killed`).
    pub error: Option<String>,
    pub output: String,
    pub timed_out: bool,
    pub duration_ms: u128,
}

/// Builds the report of `outcome`, handled with `config`.
pub fn report(outcome: &Outcome, config: &ServerConfig) -> Report {
    let command = outcome.command.as_ref();
    let run = outcome.run.as_ref();
    let files = command.map_or_else(Vec::new, |c| {
        c.files
            .iter()
            .enumerate()
            .map(|(i, f)| report_file(i, f, run, config))
            .collect()
    });
    let mut env: Vec<EnvVar> = command.map_or_else(Vec::new, |c| {
        c.env
            .iter()
            .map(|(n, v)| EnvVar {
                name: n.clone(),
                value: v.clone(),
            })
            .collect()
    });
    env.extend(files.iter().map(|f| EnvVar {
        name: f.env.clone(),
        value: f.path.clone(),
    }));

    Report {
        hook: outcome.hook_id.clone(),
        triggered: outcome.triggered,
        status: outcome.response.status,
        stage: stage_name(outcome.stage),
        response: report_response(outcome),
        command: command.map(|c| c.execute_command.clone()),
        command_path: command.and_then(|c| c.path.clone().ok()),
        command_error: command.and_then(|c| c.path.clone().err()),
        args: command.map_or_else(Vec::new, |c| c.args.clone()),
        env,
        files,
        working_dir: command.map(|c| c.working_dir.clone()),
        run: run.map(|r| ReportRun {
            exit_code: r.exit_code,
            error: r.error.clone(),
            output: String::from_utf8_lossy(&r.output).into_owned(),
            timed_out: r.timed_out,
            duration_ms: r.duration.as_millis(),
        }),
        trace: outcome
            .evaluation
            .as_ref()
            .map_or_else(Vec::new, |e| e.trace.clone()),
        log: outcome.log.iter().map(|l| shorten_hex(l)).collect(),
        error: outcome.error.clone(),
    }
}

/// A file as written, or where it would be written (`<random>` for Go's digits).
fn report_file(
    entry: usize,
    file: &FilePlan,
    run: Option<&CommandRun>,
    config: &ServerConfig,
) -> ReportFile {
    let written = run.and_then(|r| r.files.iter().find(|w| w.entry == entry));
    let path = match written {
        Some(written) => written.path.clone(),
        None => {
            let temp = config.temp_dir.to_string_lossy();
            let dir = if file.dir.is_empty() {
                temp.as_ref()
            } else {
                file.dir.as_str()
            };
            super::command::go_join(dir, &format!("{}<random>", file.env_name))
        }
    };
    let (content, content_base64) = text_and_bytes(&file.content);
    ReportFile {
        env: file.env_name.clone(),
        path,
        content,
        content_base64,
    }
}

fn report_response(outcome: &Outcome) -> ReportResponse {
    let response = &outcome.response;
    let (body, body_base64) = text_and_bytes(&response.body);
    ReportResponse {
        status: response.status,
        reason: response.reason(),
        interim: response.interim,
        headers: response.headers.clone(),
        body,
        body_base64,
        framing: match response.framing {
            Framing::Length(_) => "length",
            Framing::Chunked => "chunked",
            Framing::None => "none",
        },
        depends_on_command: outcome.response_depends_on_command,
    }
}

fn stage_name(stage: Stage) -> &'static str {
    match stage {
        Stage::Router => "router",
        Stage::HookNotFound => "hook-not-found",
        Stage::MethodNotAllowed => "method-not-allowed",
        Stage::Decode => "decode",
        Stage::Crashed => "crashed",
        Stage::Evaluated => "evaluated",
        Stage::Fired => "fired",
    }
}

/// webhook logs the signatures a request carried in full; a report shows only their
/// first digits, since a valid signature can be replayed.
fn shorten_hex(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut run = String::new();
    for c in line.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_hexdigit() {
            run.push(c);
            continue;
        }
        if run.len() >= 32 {
            out.push_str(&run[..7]);
            out.push('…');
        } else {
            out.push_str(&run);
        }
        run.clear();
        out.push(c);
    }
    out.pop();
    out
}

/// The bytes as text, plus base64 when they are not valid UTF-8.
fn text_and_bytes(bytes: &[u8]) -> (String, Option<String>) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), None),
        Err(_) => (
            String::from_utf8_lossy(bytes).into_owned(),
            Some(base64::engine::general_purpose::STANDARD.encode(bytes)),
        ),
    }
}

/// Renders a report as text for a terminal.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    render_summary(&mut out, report);
    if !report.trace.is_empty() {
        out.push_str("trigger rule:\n");
        for entry in &report.trace {
            render_entry(&mut out, entry);
        }
    }
    render_command(&mut out, report);
    render_response(&mut out, &report.response);
    if !report.log.is_empty() {
        out.push_str("webhook log:\n");
        for line in &report.log {
            let _ = writeln!(out, "  {}", line.replace('\n', "\n  "));
        }
    }
    out
}

fn render_summary(out: &mut String, report: &Report) {
    let hook = report
        .hook
        .as_deref()
        .map_or_else(|| "(no hook)".to_string(), go_quote);
    let what = match (report.stage, report.triggered) {
        (_, true) => "fires",
        ("evaluated", false) if report.status == 500 => "errors",
        ("evaluated", false) => "does not fire",
        (stage, false) => stage,
    };
    let _ = writeln!(
        out,
        "hook {hook}: {what} → {} {}",
        report.status, report.response.reason
    );
    if let Some(error) = &report.error {
        let _ = writeln!(out, "  error: {error}");
    }
}

fn render_entry(out: &mut String, entry: &TraceEntry) {
    let mark = match entry.result {
        TraceResult::True => "✓",
        TraceResult::False => "✗",
        TraceResult::Missing | TraceResult::Error => "!",
        TraceResult::Skipped => "-",
    };
    let indent = "  ".repeat(entry.depth + 1);
    let mut line = format!("{indent}{mark} {} {}", entry.pointer, entry.kind.name());
    if let Some(kind) = &entry.match_type {
        let _ = write!(
            line,
            " {}",
            if kind.is_empty() { "(no type)" } else { kind }
        );
    }
    if entry.result == TraceResult::Skipped {
        line.push_str("  (skipped)");
    } else {
        if let Some(parameter) = &entry.parameter {
            let _ = write!(line, "  {parameter}");
        }
        if let Some(value) = &entry.value {
            let _ = write!(line, " = {value}");
        }
        if let Some(expected) = &entry.expected {
            let _ = write!(line, " (against {expected})");
        }
    }
    if entry.result == TraceResult::Missing && entry.returned == Some(true) {
        line.push_str("  [missing, counts as true]");
    }
    let _ = writeln!(out, "{line}");
    if let Some(error) = &entry.error {
        let _ = writeln!(out, "{indent}    error: {}", error.message);
    }
    for hint in &entry.diagnosis {
        let _ = writeln!(out, "{indent}    hint: {hint}");
    }
}

fn render_command(out: &mut String, report: &Report) {
    let Some(command) = &report.command else {
        return;
    };
    let resolved = match (&report.command_path, &report.command_error) {
        (Some(path), _) => path.clone(),
        (None, Some(error)) => format!("not found on this machine: {error}"),
        (None, None) => String::new(),
    };
    let _ = writeln!(out, "command: {command} ({resolved})");
    if !report.args.is_empty() {
        let args: Vec<String> = report.args.iter().map(|a| go_quote(a)).collect();
        let _ = writeln!(out, "  argv: [{}]", args.join(", "));
    }
    for var in &report.env {
        let _ = writeln!(out, "  env: {}={}", var.name, var.value);
    }
    for file in &report.files {
        let _ = writeln!(
            out,
            "  file: {} → {} ({} bytes)",
            file.env,
            file.path,
            file.content.len()
        );
    }
    let dir = match report.working_dir.as_deref() {
        None | Some("") => "(webhook's working directory)",
        Some(dir) => dir,
    };
    let _ = writeln!(out, "  cwd: {dir}");
    if let Some(run) = &report.run {
        let status = run.error.as_deref().unwrap_or("exit status 0");
        let limit = if run.timed_out {
            " (time limit reached)"
        } else {
            ""
        };
        let _ = writeln!(out, "  ran: {status}{limit}, {} ms", run.duration_ms);
    }
}

fn render_response(out: &mut String, response: &ReportResponse) {
    if let Some(interim) = response.interim {
        let _ = writeln!(out, "interim response: {interim}");
    }
    let _ = writeln!(out, "response: {} {}", response.status, response.reason);
    for (name, value) in &response.headers {
        let _ = writeln!(out, "  {name}: {value}");
    }
    if response.depends_on_command {
        out.push_str("  body: the command's output (not run; 500 if the command fails)\n");
    } else if !response.body.is_empty() {
        let _ = writeln!(out, "  body: {}", go_quote(&response.body));
    }
}

#[cfg(test)]
mod redaction_tests {
    use super::shorten_hex;

    #[test]
    fn long_hex_runs_are_cut() {
        let line = "invalid payload signatures [b94c2c54571aca0c3a1701129aeb5a17a00252b6]";
        assert_eq!(shorten_hex(line), "invalid payload signatures [b94c2c5…]");
        assert_eq!(shorten_hex("id deadbeef ok"), "id deadbeef ok");
    }
}
