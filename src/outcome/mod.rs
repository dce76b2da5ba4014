//! What webhook does with a request: route it, check the method, read it, evaluate the
//! trigger rule, answer, and run the command — with the response, the command line,
//! the environment, the files and webhook's log lines.
//!
//! [`handle`] does everything from the request line on; [`handle_hook`] starts once a
//! hook is chosen. Both work in three [`Mode`]s: [`Mode::Plan`] has no side effects and
//! says what would run, [`Mode::Execute`] runs the command (needed to know the response
//! of a hook that sends its command's output), and [`Mode::Respond`], for a server,
//! runs only the commands the response depends on and leaves the others to
//! [`run_deferred`], to be run after answering. Log lines are webhook's texts without
//! the timestamp and request id.
//!
//! Known gap: the per-request summary line of webhook's logging middleware
//! (`200 | 62 B | 28ms | host | POST /hooks/x`) is not produced, and a panic is logged
//! with Go's value but `0x…` addresses and no stack. Why: both hold values of one
//! process run. Tracked: docs/limitations.md#log-summary-and-panics

pub mod command;
pub mod report;
pub mod response;
pub mod route;
pub mod run;
pub mod sniff;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::config::model::Hook;
use crate::request::payload::{decode, DecodeFailure, DEFAULT_MAX_MULTIPART_MEM};
use crate::request::quote::go_quote;
use crate::request::Request;
use crate::rules::{self, Evaluation, Verdict};

pub use command::{plan_command, CommandPlan, FilePlan};
pub use response::{Framing, Response};
pub use route::{route, RouteResult};
pub use run::{run_command, CommandRun, ExecOptions, WrittenFile};

use response::{status_text, Writer};

/// The body webhook sends when a captured command fails.
pub const COMMAND_ERROR_BODY: &str =
    "Error occurred while executing the hook's command. Please check your logs for more details.";

/// webhook's command-line settings and process environment that change how a request is
/// handled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    /// `-urlprefix` (default `hooks`).
    pub url_prefix: String,
    /// `-header name=value`, in order.
    pub response_headers: Vec<(String, String)>,
    /// `-http-methods` as given.
    pub http_methods: String,
    /// `-max-multipart-mem` in bytes.
    pub max_multipart_mem: i64,
    /// webhook's own environment, which commands inherit and `PATH` lookups use.
    pub environment: Vec<(String, String)>,
    /// webhook's current directory.
    pub working_dir: PathBuf,
    /// Go's `os.TempDir()`: where files go when a hook has no working directory.
    pub temp_dir: PathBuf,
    /// What webhook remembers between requests; shared by clones of this config.
    pub state: ServedState,
}

/// What webhook changes in its loaded hooks while serving, which later requests see.
///
/// The only such change is the `HOOK_<NAME>` name webhook writes back into a
/// `pass-file-to-command` entry without `envname` (see `command`). A server keeps one
/// state for as long as its hooks stay loaded and calls [`ServedState::clear`] when it
/// reloads them; a fresh state treats every request as the first.
#[derive(Debug, Clone, Default)]
pub struct ServedState(Arc<Mutex<HashSet<String>>>);

impl ServedState {
    /// Forgets everything, as a reload of the hook files does.
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn key(hook: &Hook, index: usize) -> String {
        format!("{}\u{0}{}\u{0}{index}", hook.pointer, hook.id())
    }

    pub(crate) fn has_file_fallback(&self, hook: &Hook, index: usize) -> bool {
        self.lock().contains(&ServedState::key(hook, index))
    }

    pub(crate) fn remember_file_fallback(&self, hook: &Hook, index: usize) {
        self.lock().insert(ServedState::key(hook, index));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Serving state is not configuration: two configs compare equal whatever they hold.
impl PartialEq for ServedState {
    fn eq(&self, _: &ServedState) -> bool {
        true
    }
}

impl Eq for ServedState {}

impl Default for ServerConfig {
    /// webhook's defaults, in this process's environment and directory.
    fn default() -> ServerConfig {
        let environment: Vec<(String, String)> = std::env::vars().collect();
        let temp_dir = environment
            .iter()
            .find(|(k, v)| k == "TMPDIR" && !v.is_empty())
            .map_or_else(|| PathBuf::from("/tmp"), |(_, v)| PathBuf::from(v));
        ServerConfig {
            url_prefix: "hooks".into(),
            response_headers: Vec::new(),
            http_methods: String::new(),
            max_multipart_mem: DEFAULT_MAX_MULTIPART_MEM,
            environment,
            working_dir: std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/")),
            temp_dir,
            state: ServedState::default(),
        }
    }
}

impl ServerConfig {
    /// The first value of a variable in webhook's environment, as Go's `os.Getenv`.
    pub fn env_var(&self, name: &str) -> Option<String> {
        self.environment
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }

    /// A path as webhook's process would open it.
    pub fn resolve(&self, path: &str) -> PathBuf {
        let path = Path::new(path);
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.working_dir.join(path)
        }
    }
}

/// Whether commands really run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Nothing runs and nothing is written; a response that depends on the command's
    /// output is marked as such.
    Plan,
    Execute(ExecOptions),
    /// As `Execute`, except that the command of a hook that does not send its output is
    /// not run: the outcome holds its plan with [`Outcome::command_deferred`] set, and the
    /// caller runs it with [`run_deferred`] after answering, as webhook runs it in a
    /// goroutine once the response is written.
    Respond(ExecOptions),
}

impl Mode {
    fn is_executing(self) -> bool {
        matches!(self, Mode::Execute(_) | Mode::Respond(_))
    }
}

/// How far webhook got with the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Go's server or the router answered (400, 301, 404 page, health check).
    Router,
    /// No hook has the id: `Hook not found.`
    HookNotFound,
    MethodNotAllowed,
    /// Reading the multipart body failed.
    Decode,
    /// webhook's handler panicked (Go answers `Internal Server Error`).
    Crashed,
    /// The trigger rule errored, or was not satisfied.
    Evaluated,
    /// The hook fired.
    Fired,
}

/// Everything webhook did with one request.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The hook id from the path, when the hook route was taken.
    pub hook_id: Option<String>,
    pub stage: Stage,
    /// Whether the trigger rule let the command run.
    pub triggered: bool,
    pub response: Response,
    /// In plan mode, whether the response shown assumes the command succeeds (a hook
    /// that sends its command's output).
    pub response_depends_on_command: bool,
    pub evaluation: Option<Evaluation>,
    pub command: Option<CommandPlan>,
    pub run: Option<CommandRun>,
    /// In [`Mode::Respond`], the command was planned but left for [`run_deferred`].
    pub command_deferred: bool,
    /// webhook's log lines, without timestamps or request ids.
    pub log: Vec<String>,
    /// Why webhook failed the request, in one line, when it did.
    pub error: Option<String>,
}

/// Handles a request as webhook 2.8.0 does with `hooks` loaded.
pub fn handle(hooks: &[Hook], request: &Request, config: &ServerConfig, mode: Mode) -> Outcome {
    if request.method == "OPTIONS" && request.target == "*" {
        return router_answer(request, Response::fixed(200, &[], b""));
    }
    let id = match route(&config.url_prefix, &request.request_uri()) {
        RouteResult::Hook { id } => id,
        RouteResult::Health => return router_answer(request, health(&request.method)),
        RouteResult::Redirect { location } => {
            let response = Response::fixed(301, &[("Location", &location)], b"");
            return router_answer(request, response);
        }
        RouteResult::NotFound => return router_answer(request, not_found_page()),
        RouteResult::BadRequest => {
            let headers = [
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Connection", "close"),
            ];
            return router_answer(request, Response::fixed(400, &headers, b"400 Bad Request"));
        }
    };
    let Some(hook) = hooks.iter().find(|h| h.id() == id) else {
        let mut writer = Writer::default();
        writer.write_header(404);
        writer.write(b"Hook not found.");
        let mut outcome = empty_outcome(Stage::HookNotFound, writer.finish(&request.method));
        outcome.hook_id = Some(id);
        outcome.log.push(incoming(request));
        outcome.error = Some("no hook has this id".into());
        add_semicolon_warning(&mut outcome.log, request);
        return outcome;
    };
    handle_hook(hook, request, config, mode)
}

/// What webhook would do for a request routed to `hook`, without running anything.
pub fn plan(hook: &Hook, request: &Request, config: &ServerConfig) -> Outcome {
    handle_hook(hook, request, config, Mode::Plan)
}

/// What webhook does for a request routed to `hook`, running the command if it fires.
pub fn execute(
    hook: &Hook,
    request: &Request,
    config: &ServerConfig,
    options: ExecOptions,
) -> Outcome {
    handle_hook(hook, request, config, Mode::Execute(options))
}

/// Handles a request routed to `hook`, from the method check on.
pub fn handle_hook(hook: &Hook, request: &Request, config: &ServerConfig, mode: Mode) -> Outcome {
    let mut flow = Flow {
        hook,
        request,
        config,
        writer: Writer::default(),
        log: vec![incoming(request)],
    };
    let id = hook.id();

    if !route::is_method_allowed(hook, &request.method, &config.http_methods) {
        flow.writer.write_header(405);
        flow.log.push(format!(
            "HTTP {} method not allowed for hook {}",
            request.method,
            go_quote(id)
        ));
        return flow.finish(Stage::MethodNotAllowed, None, None, None);
    }
    flow.log.push(format!("{id} got matched"));
    for (name, value) in &config.response_headers {
        flow.writer.set_header(name, value);
    }
    if expects_continue(request) {
        flow.writer.send_continue();
    }

    let decoded = decode(request, hook, config.max_multipart_mem);
    flow.log.extend(decoded.log);
    match decoded.failure {
        Some(DecodeFailure::Multipart(error)) => {
            flow.writer.write_header(500);
            flow.writer
                .write(b"Error occurred while parsing multipart form.");
            let mut outcome =
                flow.finish(Stage::Decode, Some(Evaluation::not_run(hook)), None, None);
            outcome.error = Some(format!("the multipart body could not be read: {error}"));
            return outcome;
        }
        Some(DecodeFailure::Panic(message)) => {
            return flow.crash(&message, Evaluation::not_run(hook))
        }
        None => {}
    }

    let evaluation = rules::evaluate(hook, &decoded.context);
    flow.log.extend(evaluation.log.iter().cloned());
    match evaluation.verdict() {
        Verdict::Crash => {
            let message = evaluation
                .error
                .as_ref()
                .map(|e| e.message.clone())
                .unwrap_or_default();
            return flow.crash(&message, evaluation);
        }
        Verdict::Error => return flow.rule_error(evaluation),
        _ => {}
    }
    if let Some(error) = &evaluation.error {
        flow.log.push(error.message.clone());
    }
    if evaluation.verdict() == Verdict::Mismatch {
        return flow.mismatch(evaluation);
    }
    flow.fire(evaluation, &decoded.context, mode)
}

/// The state of webhook's handler while it works on one request.
struct Flow<'a> {
    hook: &'a Hook,
    request: &'a Request,
    config: &'a ServerConfig,
    writer: Writer,
    log: Vec<String>,
}

impl Flow<'_> {
    fn finish(
        self,
        stage: Stage,
        evaluation: Option<Evaluation>,
        command: Option<CommandPlan>,
        run: Option<CommandRun>,
    ) -> Outcome {
        let mut log = self.log;
        add_semicolon_warning(&mut log, self.request);
        Outcome {
            hook_id: Some(self.hook.id().to_string()),
            stage,
            triggered: stage == Stage::Fired,
            response: self.writer.finish(&self.request.method),
            response_depends_on_command: false,
            evaluation,
            command,
            run,
            command_deferred: false,
            log,
            error: None,
        }
    }

    /// `w.WriteHeader(code)` for a configured code, which Go must know.
    fn configured_status(&mut self, code: i64) {
        if code == 0 {
            return;
        }
        match u16::try_from(code)
            .ok()
            .filter(|&c| status_text(c).is_some())
        {
            Some(code) => self.writer.write_header(code),
            None => self.log.push(format!(
                "{} got matched, but the configured return code {code} is unknown - \
                 defaulting to 200",
                self.hook.id()
            )),
        }
    }

    fn rule_error(mut self, evaluation: Evaluation) -> Outcome {
        let message = evaluation
            .error
            .as_ref()
            .map(|e| e.message.clone())
            .unwrap_or_default();
        self.log.push(format!("error evaluating hook: {message}"));
        self.writer.write_header(500);
        self.writer
            .write(b"Error occurred while evaluating hook rules.");
        let mut outcome = self.finish(Stage::Evaluated, Some(evaluation), None, None);
        let shown = crate::rules::trace::mask_signatures(&message);
        outcome.error = Some(format!("the trigger rule failed: {shown}"));
        outcome
    }

    fn mismatch(mut self, evaluation: Evaluation) -> Outcome {
        self.configured_status(self.hook.mismatch_code());
        self.log.push(format!(
            "{} got matched, but didn't get triggered because the trigger rules were not satisfied",
            self.hook.id()
        ));
        self.writer.write(b"Hook rules were not satisfied.");
        self.finish(Stage::Evaluated, Some(evaluation), None, None)
    }

    /// Go's recovery from a panic in the handler: `Internal Server Error`.
    fn crash(mut self, message: &str, evaluation: Evaluation) -> Outcome {
        self.log.push(format!("panic: {}", go_panic_value(message)));
        self.log.push("(stack trace)".into());
        self.writer
            .set_header("Content-Type", "text/plain; charset=utf-8");
        self.writer.set_header("X-Content-Type-Options", "nosniff");
        self.writer.write_header(500);
        self.writer.write(b"Internal Server Error\n");
        let mut outcome = self.finish(Stage::Crashed, Some(evaluation), None, None);
        outcome.error = Some(format!("webhook's handler panics: {message}"));
        outcome
    }

    fn fire(
        mut self,
        evaluation: Evaluation,
        context: &crate::request::Context,
        mode: Mode,
    ) -> Outcome {
        let hook = self.hook;
        self.log
            .push(format!("{} hook triggered successfully", hook.id()));
        for header in &hook.response_headers {
            self.writer.set_header(header.name(), header.value());
        }
        let mut command_log = Vec::new();
        let plan = plan_command(hook, context, self.config, &mut command_log);
        if let Some(message) = plan.panic.clone() {
            self.log.extend(command_log);
            return self.command_panic(&message, evaluation, plan);
        }
        if mode.is_executing() {
            for index in plan.files.iter().filter_map(|f| f.fallback_entry) {
                self.config.state.remember_file_fallback(hook, index);
            }
        }
        let deferred =
            matches!(mode, Mode::Respond(_)) && !hook.captures_output() && plan.path.is_ok();
        let run = match (&mode, &plan.path) {
            _ if deferred => None,
            (Mode::Execute(options) | Mode::Respond(options), Ok(_)) => {
                Some(run_command(&plan, self.config, options, &mut command_log))
            }
            (Mode::Plan, Ok(_)) => {
                command_log.push(planned_execution_line(&plan, self.config));
                None
            }
            _ => None,
        };
        if hook.captures_output() {
            self.log.extend(command_log);
            self.captured_response(&plan, run.as_ref(), mode);
        } else {
            self.configured_status(hook.success_code());
            self.writer.write(hook.response_message().as_bytes());
            // The command runs in the background, so its lines come after the handler's.
            self.log.extend(command_log);
        }
        let depends = hook.captures_output() && mode == Mode::Plan && plan.path.is_ok();
        let failed = command_failure(&plan, run.as_ref());
        let mut outcome = self.finish(Stage::Fired, Some(evaluation), Some(plan), run);
        outcome.response_depends_on_command = depends;
        outcome.error = failed;
        outcome.command_deferred = deferred;
        outcome
    }

    fn captured_response(&mut self, plan: &CommandPlan, run: Option<&CommandRun>, mode: Mode) {
        let hook = self.hook;
        let failed = plan.path.is_err() || run.is_some_and(|r| !r.succeeded());
        if failed {
            self.writer.write_header(500);
            if hook.captures_output_on_error() {
                self.writer
                    .write(run.map_or(&[][..], |r| r.output.as_slice()));
            } else {
                self.writer
                    .set_header("Content-Type", "text/plain; charset=utf-8");
                self.writer.write(COMMAND_ERROR_BODY.as_bytes());
            }
            return;
        }
        let output = run.map_or(&[][..], |r| r.output.as_slice());
        self.configured_status(hook.success_code());
        if mode == Mode::Plan {
            // The body would be the command's output, which only running it can tell.
            self.writer.write(b"");
        } else {
            self.writer.write(output);
        }
    }

    /// `handleHook` panicked: in a captured hook Go recovers with a 500; in the
    /// background it would crash webhook, after the response was sent.
    fn command_panic(
        mut self,
        message: &str,
        evaluation: Evaluation,
        plan: CommandPlan,
    ) -> Outcome {
        if self.hook.captures_output() {
            let mut outcome = self.crash(message, evaluation);
            outcome.command = Some(plan);
            return outcome;
        }
        self.configured_status(self.hook.success_code());
        self.writer.write(self.hook.response_message().as_bytes());
        self.log.push(format!("panic: {}", go_panic_value(message)));
        let mut outcome = self.finish(Stage::Fired, Some(evaluation), Some(plan), None);
        outcome.error = Some(format!(
            "the webhook process crashes after answering: {message}"
        ));
        outcome
    }
}

/// Runs the command an outcome of [`Mode::Respond`] left for later, appending the
/// runner's log lines and recording the run; does nothing for other outcomes.
pub fn run_deferred(outcome: &mut Outcome, config: &ServerConfig, options: &ExecOptions) {
    if !outcome.command_deferred {
        return;
    }
    let Some(plan) = &outcome.command else {
        return;
    };
    let run = run_command(plan, config, options, &mut outcome.log);
    outcome.error = command_failure(plan, Some(&run));
    outcome.run = Some(run);
    outcome.command_deferred = false;
}

/// The `executing ...` line webhook would log, with file paths not yet known.
fn planned_execution_line(plan: &CommandPlan, config: &ServerConfig) -> String {
    let mut shown: Vec<String> = plan.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
    for file in &plan.files {
        let dir = if file.dir.is_empty() {
            config.temp_dir.to_string_lossy().into_owned()
        } else {
            file.dir.clone()
        };
        shown.push(format!(
            "{}={}",
            file.env_name,
            command::go_join(&dir, &format!("{}<random>", file.env_name))
        ));
    }
    format!(
        "executing {} ({}) with arguments {} and environment [{}] using {} as cwd",
        plan.execute_command,
        plan.path.as_deref().unwrap_or_default(),
        crate::request::quote::go_quote_list(&plan.args),
        shown.join(" "),
        plan.working_dir
    )
}

fn command_failure(plan: &CommandPlan, run: Option<&CommandRun>) -> Option<String> {
    if let Err(error) = &plan.path {
        return Some(format!("the command cannot be started: {error}"));
    }
    let run = run?;
    let error = run.error.as_ref()?;
    let limit = if run.timed_out {
        " (hookctl's time limit was reached)"
    } else {
        ""
    };
    Some(format!("the command failed: {error}{limit}"))
}

/// How Go prints the value of the panics webhook can hit (`%#v`), with addresses
/// hidden.
fn go_panic_value(message: &str) -> String {
    if message.starts_with("interface conversion") {
        return "&runtime.TypeAssertionError{_interface:(*runtime._type)(0x…), \
                concrete:(*runtime._type)(0x…), asserted:(*runtime._type)(0x…), \
                missingMethod:\"\"}"
            .into();
    }
    if let Some(rest) = message.strip_prefix("runtime error: index out of range [") {
        let (index, len) = rest.split_once("] with length ").unwrap_or((rest, "0"));
        let index = index.parse::<u64>().unwrap_or(0);
        // A path index is unsigned (and only panics above i64::MAX); the other index,
        // webhook's `strings.Fields(...)[0]`, is a signed constant.
        let signed = index <= i64::MAX as u64;
        let x = index as i64;
        return format!("runtime.boundsError{{x:{x}, y:{len}, signed:{signed}, code:0x0}}");
    }
    message.to_string()
}

/// Whether Go answers `100 Continue` when webhook reads the body: the request asks for
/// it and has a body (a length other than 0, or chunked).
fn expects_continue(request: &Request) -> bool {
    let asks = request.header("Expect").is_some_and(|v| {
        v.split([',', ' '])
            .any(|token| token.eq_ignore_ascii_case("100-continue"))
    });
    let has_body = request.header("Transfer-Encoding").is_some()
        || request
            .header("Content-Length")
            .is_some_and(|n| n.trim() != "0");
    asks && has_body
}

fn incoming(request: &Request) -> String {
    format!(
        "incoming HTTP {} request from {}",
        request.method, request.remote_addr
    )
}

fn health(method: &str) -> Response {
    let mut writer = Writer::default();
    writer.write(b"OK");
    writer.finish(method)
}

/// Go's server warns, after any handler, when the query holds a `;`.
fn add_semicolon_warning(log: &mut Vec<String>, request: &Request) {
    if request.query.contains(';') {
        log.push(
            "http: URL query contains semicolon, which is no longer a supported separator; \
             parts of the query may be stripped when parsed; see golang.org/issue/25192"
                .into(),
        );
    }
}

fn not_found_page() -> Response {
    let headers = [
        ("Content-Type", "text/plain; charset=utf-8"),
        ("X-Content-Type-Options", "nosniff"),
    ];
    Response::fixed(404, &headers, b"404 page not found\n")
}

fn router_answer(request: &Request, mut response: Response) -> Outcome {
    if request.method == "HEAD" {
        response.body.clear();
    }
    let mut outcome = empty_outcome(Stage::Router, response);
    add_semicolon_warning(&mut outcome.log, request);
    outcome
}

fn empty_outcome(stage: Stage, response: Response) -> Outcome {
    Outcome {
        hook_id: None,
        stage,
        triggered: false,
        response,
        response_depends_on_command: false,
        evaluation: None,
        command: None,
        run: None,
        command_deferred: false,
        log: Vec::new(),
        error: None,
    }
}

#[cfg(test)]
mod differential;
#[cfg(test)]
mod tests;
