//! Running a planned command the way webhook does: no shell, `argv[0]` as configured,
//! stdin from the null device, stdout and stderr into one pipe in write order,
//! `pass-file-to-command` files created mode 0600 and removed afterwards, and webhook's
//! log lines with Go's error texts (`exit status 3`, `signal: killed`,
//! `chdir /x: no such file or directory`).
//!
//! Unlike webhook, a run has a time limit: when it is reached the command's process
//! group is killed and [`CommandRun::timed_out`] is set. webhook itself waits for ever.
//! Each command starts its own process group, so the limit (and [`kill_running`], used
//! when a server's shutdown grace runs out) also reaches the processes it started.
//! Commands start one at a time, as Go's fork lock makes webhook's do; once started
//! they run side by side.

use std::collections::HashSet;
use std::fs::OpenOptions;
use std::io::{Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::request::quote::go_quote_list;

use super::command::{errno_text, go_join, CommandPlan};
use super::ServerConfig;

/// How a command is run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExecOptions {
    /// How long the command may run before it is killed.
    pub timeout: Duration,
}

impl Default for ExecOptions {
    fn default() -> ExecOptions {
        ExecOptions {
            timeout: Duration::from_secs(60),
        }
    }
}

/// What happened when the command ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandRun {
    /// stdout and stderr together, in the order written.
    pub output: Vec<u8>,
    /// Go's error text for a failure (`exit status 1`), or `None` for success.
    pub error: Option<String>,
    /// The exit code, when the command exited by itself.
    pub exit_code: Option<i32>,
    /// The files written, in the order of the plan's files; a file that could not be
    /// created is missing.
    pub files: Vec<WrittenFile>,
    /// The command was killed because it reached the time limit.
    pub timed_out: bool,
    pub duration: Duration,
}

/// A `pass-file-to-command` file as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenFile {
    /// The index of its [`super::FilePlan`] in the plan.
    pub entry: usize,
    pub env_name: String,
    /// The path as webhook passes it to the command.
    pub path: String,
}

impl CommandRun {
    pub fn succeeded(&self) -> bool {
        self.error.is_none()
    }
}

/// Runs `plan` (whose command was found), appending webhook's log lines from
/// `writing env` to `finished handling`.
pub fn run_command(
    plan: &CommandPlan,
    config: &ServerConfig,
    options: &ExecOptions,
    log: &mut Vec<String>,
) -> CommandRun {
    let path = plan.path.clone().unwrap_or_default();
    let started = Instant::now();
    let files = write_files(plan, config, log);
    let mut added: Vec<(String, String)> = plan.env.clone();
    added.extend(files.iter().map(|f| (f.env_name.clone(), f.path.clone())));
    let shown: Vec<String> = added.iter().map(|(k, v)| format!("{k}={v}")).collect();
    log.push(format!(
        "executing {} ({path}) with arguments {} and environment [{}] using {} as cwd",
        plan.execute_command,
        go_quote_list(&plan.args),
        shown.join(" "),
        plan.working_dir
    ));

    let (output, outcome) = match start_dir_error(plan, config) {
        Some(error) => (Vec::new(), Finished::Failed(error)),
        None => spawn_and_wait(plan, &path, &added, config, options),
    };
    let mut run = CommandRun {
        output,
        error: None,
        exit_code: None,
        files: files.clone(),
        timed_out: false,
        duration: Duration::ZERO,
    };
    apply_outcome(&mut run, outcome, &path);

    log.push(format!(
        "command output: {}",
        String::from_utf8_lossy(&run.output)
    ));
    if let Some(error) = &run.error {
        log.push(format!("error occurred: {error}"));
    }
    remove_files(&files, config, log);
    log.push(format!("finished handling {}", plan.hook_id));
    run.duration = started.elapsed();
    run
}

enum Finished {
    Exited(ExitStatus),
    TimedOut(ExitStatus),
    Failed(String),
}

fn apply_outcome(run: &mut CommandRun, outcome: Finished, path: &str) {
    match outcome {
        Finished::Exited(status) => {
            run.exit_code = status.code();
            run.error = exit_error(status);
        }
        Finished::TimedOut(status) => {
            run.timed_out = true;
            run.error = exit_error(status);
        }
        Finished::Failed(error) if error.starts_with("chdir ") => run.error = Some(error),
        Finished::Failed(error) => run.error = Some(format!("fork/exec {path}: {error}")),
    }
}

/// Go's `chdir` failure, checked before starting because Rust reports it like any
/// other start failure.
fn start_dir_error(plan: &CommandPlan, config: &ServerConfig) -> Option<String> {
    if plan.working_dir.is_empty() {
        return None;
    }
    match std::fs::metadata(config.resolve(&plan.working_dir)) {
        Ok(m) if m.is_dir() => None,
        Ok(_) => Some(format!("chdir {}: not a directory", plan.working_dir)),
        Err(e) => Some(format!("chdir {}: {}", plan.working_dir, errno_text(&e))),
    }
}

fn spawn_and_wait(
    plan: &CommandPlan,
    path: &str,
    added: &[(String, String)],
    config: &ServerConfig,
    options: &ExecOptions,
) -> (Vec<u8>, Finished) {
    let (reader, writer) = match std::io::pipe() {
        Ok(pipe) => pipe,
        Err(e) => return (Vec::new(), Finished::Failed(errno_text(&e))),
    };
    let mut command = Command::new(path);
    command
        .arg0(&plan.execute_command)
        .args(plan.args.iter().skip(1));
    command
        .env_clear()
        .envs(child_environment(&config.environment, added));
    command
        .current_dir(child_dir(plan, config))
        .stdin(Stdio::null());
    let stderr = match writer.try_clone() {
        Ok(stderr) => stderr,
        Err(e) => return (Vec::new(), Finished::Failed(errno_text(&e))),
    };
    command.stdout(writer).stderr(stderr).process_group(0);
    // One start at a time, as Go's `syscall.ForkLock` makes webhook do: a burst of
    // commands then cannot crowd out the threads answering requests.
    let child = {
        let _one_at_a_time = SPAWN_LOCK
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        command.spawn()
    };
    // The parent's copies of the pipe must close, or reading never ends.
    drop(command);
    let child = match child {
        Ok(child) => child,
        Err(e) => return (Vec::new(), Finished::Failed(errno_text(&e))),
    };
    wait_with_output(child, reader, options.timeout)
}

fn wait_with_output(
    mut child: Child,
    mut reader: std::io::PipeReader,
    timeout: Duration,
) -> (Vec<u8>, Finished) {
    let group = Running::register(child.id());
    let deadline = Instant::now() + timeout;
    // Go reads until every writer of the pipe is gone (a background process that keeps
    // it open is waited for too), then waits for the command; so do we, on this thread.
    let mut output = Vec::new();
    let mut timed_out = !read_until_closed(&mut reader, &mut output, deadline);
    let status = if timed_out {
        None
    } else {
        wait_until(&mut child, deadline)
    };
    let status = match status {
        Some(Ok(status)) => status,
        Some(Err(e)) => return (Vec::new(), Finished::Failed(errno_text(&e))),
        None => {
            timed_out = true;
            kill_group(group.0);
            let _ = child.kill();
            let status = child.wait().unwrap_or_else(|_| ExitStatus::from_raw(9));
            // What the killed processes wrote before dying.
            let grace = Instant::now() + Duration::from_millis(50);
            read_until_closed(&mut reader, &mut output, grace);
            status
        }
    };
    let finished = if timed_out {
        Finished::TimedOut(status)
    } else {
        Finished::Exited(status)
    };
    (output, finished)
}

/// Reads `reader` to its end; `false` if `deadline` came first.
fn read_until_closed(
    reader: &mut std::io::PipeReader,
    output: &mut Vec<u8>,
    deadline: Instant,
) -> bool {
    use std::os::fd::AsRawFd;
    let mut buf = [0u8; 16 * 1024];
    loop {
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return false;
        }
        let wait_ms = i32::try_from(remaining.as_millis().max(1)).unwrap_or(i32::MAX);
        let mut poll = libc::pollfd {
            fd: reader.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one pollfd that lives across the call.
        let ready = unsafe { libc::poll(&mut poll, 1, wait_ms) };
        if ready == 0 {
            continue;
        }
        if ready < 0 {
            if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return true;
        }
        match reader.read(&mut buf) {
            Ok(0) => return true,
            Ok(n) => output.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return true,
        }
    }
}

/// The command's exit, or `None` if `deadline` came first.
fn wait_until(child: &mut Child, deadline: Instant) -> Option<std::io::Result<ExitStatus>> {
    let mut pause = Duration::from_micros(200);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(Ok(status)),
            Ok(None) if Instant::now() >= deadline => return None,
            Ok(None) => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(20));
            }
            Err(e) => return Some(Err(e)),
        }
    }
}

/// Held while a command is being started (see `spawn_and_wait`).
static SPAWN_LOCK: Mutex<()> = Mutex::new(());

/// The process groups of the commands running now, in this process.
static RUNNING: Mutex<Option<HashSet<u32>>> = Mutex::new(None);

/// A running command's process group, listed in [`RUNNING`] until dropped.
struct Running(u32);

impl Running {
    fn register(pid: u32) -> Running {
        lock_running().get_or_insert_with(HashSet::new).insert(pid);
        Running(pid)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(set) = lock_running().as_mut() {
            set.remove(&self.0);
        }
    }
}

fn lock_running() -> std::sync::MutexGuard<'static, Option<HashSet<u32>>> {
    RUNNING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn kill_group(pgid: u32) {
    if let Ok(pgid) = i32::try_from(pgid) {
        // SAFETY: kill(2) takes plain integers; a negative pid names a process group.
        unsafe {
            libc::kill(-pgid, libc::SIGKILL);
        }
    }
}

/// How many commands are running now.
pub fn running_count() -> usize {
    lock_running().as_ref().map_or(0, HashSet::len)
}

/// Kills the process group of every command still running; returns how many there were.
/// Their runs end as killed by a signal.
pub fn kill_running() -> usize {
    let groups: Vec<u32> = lock_running()
        .as_ref()
        .map_or_else(Vec::new, |s| s.iter().copied().collect());
    for &pgid in &groups {
        kill_group(pgid);
    }
    groups.len()
}

/// webhook's environment followed by the added variables; as in Go, the last value of
/// a name wins.
fn child_environment(
    base: &[(String, String)],
    added: &[(String, String)],
) -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = Vec::new();
    for (name, value) in base.iter().chain(added) {
        env.retain(|(n, _)| n != name);
        env.push((name.clone(), value.clone()));
    }
    env
}

fn child_dir(plan: &CommandPlan, config: &ServerConfig) -> PathBuf {
    if plan.working_dir.is_empty() {
        config.working_dir.clone()
    } else {
        config.resolve(&plan.working_dir)
    }
}

/// Go's text for how a process ended, or `None` for exit status 0.
fn exit_error(status: ExitStatus) -> Option<String> {
    if let Some(code) = status.code() {
        return (code != 0).then(|| format!("exit status {code}"));
    }
    let signal = status.signal().unwrap_or(0);
    let core = if status.core_dumped() {
        " (core dumped)"
    } else {
        ""
    };
    Some(format!("signal: {}{core}", signal_name(signal)))
}

/// Go's names for Linux signals.
fn signal_name(signal: i32) -> String {
    let name = match signal {
        1 => "hangup",
        2 => "interrupt",
        3 => "quit",
        4 => "illegal instruction",
        5 => "trace/breakpoint trap",
        6 => "aborted",
        7 => "bus error",
        8 => "floating point exception",
        9 => "killed",
        10 => "user defined signal 1",
        11 => "segmentation fault",
        12 => "user defined signal 2",
        13 => "broken pipe",
        14 => "alarm clock",
        15 => "terminated",
        _ => return format!("signal {signal}"),
    };
    name.to_string()
}

/// Creates the `pass-file-to-command` files like Go's `os.CreateTemp`.
fn write_files(
    plan: &CommandPlan,
    config: &ServerConfig,
    log: &mut Vec<String>,
) -> Vec<WrittenFile> {
    let mut written = Vec::new();
    for (entry, file) in plan.files.iter().enumerate() {
        let (path, mut handle) = match create_temp(&file.dir, &file.env_name, config) {
            Ok(created) => created,
            Err(error) => {
                log.push(format!("error creating temp file [{error}]"));
                continue;
            }
        };
        log.push(format!("writing env {} file {path}", file.env_name));
        if let Err(e) = handle.write_all(&file.content) {
            log.push(format!(
                "error writing file {path} [write {path}: {}]",
                errno_text(&e)
            ));
            // webhook leaves such a file behind; hookctl does not.
            let _ = std::fs::remove_file(config.resolve(&path));
            continue;
        }
        written.push(WrittenFile {
            entry,
            env_name: file.env_name.clone(),
            path,
        });
    }
    written
}

/// `os.CreateTemp(dir, pattern)`: `pattern` followed by random digits, mode 0600.
fn create_temp(
    dir: &str,
    pattern: &str,
    config: &ServerConfig,
) -> Result<(String, std::fs::File), String> {
    if pattern.contains('/') {
        return Err(format!(
            "createtemp {pattern}: pattern contains path separator"
        ));
    }
    let dir = if dir.is_empty() {
        config.temp_dir.to_string_lossy().into_owned()
    } else {
        dir.to_string()
    };
    let mut last = String::new();
    for attempt in 0..10_000u32 {
        let name = go_join(&dir, &format!("{pattern}{}", random_digits(attempt)));
        let opened = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(config.resolve(&name));
        match opened {
            Ok(file) => return Ok((name, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = name,
            Err(e) => return Err(format!("open {name}: {}", errno_text(&e))),
        }
    }
    Err(format!("open {last}: file exists"))
}

/// A random unsigned 32-bit number in decimal, as Go appends to temporary names.
fn random_digits(salt: u32) -> u32 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(salt);
    hasher.write_u128(Instant::now().elapsed().as_nanos());
    hasher.finish() as u32
}

fn remove_files(files: &[WrittenFile], config: &ServerConfig, log: &mut Vec<String>) {
    for WrittenFile { path, .. } in files {
        log.push(format!("removing file {path}"));
        if let Err(e) = std::fs::remove_file(config.resolve(path)) {
            log.push(format!(
                "error removing file {path} [remove {path}: {}]",
                errno_text(&e)
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::command::plan_command;
    use crate::request::Context;
    use crate::testing::hook;

    fn config() -> ServerConfig {
        ServerConfig {
            environment: vec![
                ("PATH".into(), "/usr/bin:/bin".into()),
                ("INHERITED".into(), "orig".into()),
            ],
            working_dir: "/".into(),
            temp_dir: std::env::temp_dir(),
            ..ServerConfig::default()
        }
    }

    fn run_hook(hook_json: &str) -> (CommandRun, Vec<String>) {
        let h = hook(hook_json);
        let mut log = Vec::new();
        let ctx = Context::default();
        let plan = plan_command(&h, &ctx, &config(), &mut log);
        let options = ExecOptions {
            timeout: Duration::from_secs(5),
        };
        let run = run_command(&plan, &config(), &options, &mut log);
        (run, log)
    }

    #[test]
    fn combines_stdout_and_stderr_in_order() {
        let (run, log) = run_hook(
            r#"{"id":"f","execute-command":"/bin/sh","pass-arguments-to-command":[
            {"source":"string","name":"-c"},
            {"source":"string","name":"echo out1; echo err1 >&2; echo out2; exit 3"}]}"#,
        );
        assert_eq!(run.output, b"out1\nerr1\nout2\n");
        assert_eq!(run.error.as_deref(), Some("exit status 3"));
        assert_eq!(run.exit_code, Some(3));
        assert_eq!(log[1], "command output: out1\nerr1\nout2\n");
        assert_eq!(log[2], "error occurred: exit status 3");
        assert_eq!(log[3], "finished handling f");
    }

    #[test]
    fn argv0_is_as_configured_and_stdin_is_null() {
        let (run, _) = run_hook(
            r#"{"id":"a","execute-command":"sh","pass-arguments-to-command":[
            {"source":"string","name":"-c"},{"source":"string","name":"cat; echo argv0=$0"}]}"#,
        );
        assert_eq!(run.output, b"argv0=sh\n");
        assert!(run.succeeded());
    }

    #[test]
    fn environment_overrides_and_files() {
        let (run, log) = run_hook(
            r#"{"id":"e","execute-command":"/bin/sh","pass-arguments-to-command":[
            {"source":"string","name":"-c"},
            {"source":"string","name":"echo $INHERITED; cat $HOOK_F; stat -c %a $HOOK_F"}],
            "pass-environment-to-command":[{"source":"string","name":"over","envname":"INHERITED"}],
            "pass-file-to-command":[{"source":"string","name":"aGk=","envname":"HOOK_F",
              "base64decode":true}]}"#,
        );
        assert_eq!(String::from_utf8_lossy(&run.output), "over\nhi600\n");
        let path = &run.files[0].path;
        assert!(path.starts_with(&std::env::temp_dir().to_string_lossy().into_owned()));
        assert!(!std::path::Path::new(path).exists());
        assert_eq!(log[0], format!("writing env HOOK_F file {path}"));
        assert!(log[1].ends_with(&format!(
            "environment [INHERITED=over HOOK_F={path}] using  as cwd"
        )));
        assert_eq!(log[log.len() - 2], format!("removing file {path}"));
    }

    #[test]
    fn start_failures_use_go_texts() {
        let (run, _) = run_hook(
            r#"{"id":"w","execute-command":"/bin/true",
                "command-working-directory":"/nonexistent"}"#,
        );
        assert_eq!(
            run.error.as_deref(),
            Some("chdir /nonexistent: no such file or directory")
        );
        let (run, _) = run_hook(
            r#"{"id":"k","execute-command":"/bin/sh","pass-arguments-to-command":[
            {"source":"string","name":"-c"},
            {"source":"string","name":"echo before; kill -9 $$"}]}"#,
        );
        assert_eq!(run.error.as_deref(), Some("signal: killed"));
        assert_eq!(run.output, b"before\n");
    }

    #[test]
    fn the_time_limit_kills_the_command() {
        let h = hook(
            r#"{"id":"t","execute-command":"/bin/sleep","pass-arguments-to-command":[
            {"source":"string","name":"5"}]}"#,
        );
        let plan = plan_command(&h, &Context::default(), &config(), &mut Vec::new());
        let options = ExecOptions {
            timeout: Duration::from_millis(200),
        };
        let run = run_command(&plan, &config(), &options, &mut Vec::new());
        assert!(run.timed_out);
        assert_eq!(run.error.as_deref(), Some("signal: killed"));
    }

    #[test]
    fn the_time_limit_kills_the_whole_process_group() {
        let h = hook(
            r#"{"id":"g","execute-command":"/bin/sh","pass-arguments-to-command":[
            {"source":"string","name":"-c"},
            {"source":"string","name":"sleep 30 & echo $!; wait"}]}"#,
        );
        let plan = plan_command(&h, &Context::default(), &config(), &mut Vec::new());
        let options = ExecOptions {
            timeout: Duration::from_millis(300),
        };
        let started = Instant::now();
        let run = run_command(&plan, &config(), &options, &mut Vec::new());
        assert!(run.timed_out);
        assert!(started.elapsed() < Duration::from_secs(10));
        let pid: i32 = String::from_utf8_lossy(&run.output).trim().parse().unwrap();
        std::thread::sleep(Duration::from_millis(100));
        // Gone, or a zombie waiting for whoever adopted it.
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let running = stat
            .rsplit_once(") ")
            .is_some_and(|(_, rest)| !rest.starts_with('Z'));
        assert!(!running, "the background sleep survived the time limit");
    }

    #[test]
    fn pattern_with_a_slash_cannot_be_created() {
        let err = create_temp("", "A/B", &config()).unwrap_err();
        assert_eq!(err, "createtemp A/B: pattern contains path separator");
    }
}
