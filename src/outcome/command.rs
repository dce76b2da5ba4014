//! What webhook would run for a fired hook: the command it resolves, its argv, the
//! environment it adds, and the files it writes — computed without running anything.
//!
//! The order of work and of log lines follows webhook's `handleHook`: resolve the
//! command (Go's `exec.LookPath`; with a `command-working-directory`, a relative command
//! is looked up inside it and `PATH` is not searched), then the arguments (a value that
//! is not found becomes `""`), the environment (a value that is not found is left out),
//! and the files (named `envname`, else `HOOK_` + the upper-cased name, with Go's
//! lenient base64 decoding).

use std::path::Path;

use crate::config::model::Hook;
use crate::request::parameter::{extract, go_argument, go_argument_with_envname};
use crate::request::quote::go_quote;
use crate::request::Context;

use super::route::clean;
use super::ServerConfig;

/// The command webhook would start for a hook, before anything runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandPlan {
    pub hook_id: String,
    /// `execute-command` as configured; also `argv[0]`.
    pub execute_command: String,
    /// The path given to `exec.LookPath`.
    pub lookup: String,
    /// The resolved path, or Go's error (`exec: "x": executable file not found in $PATH`).
    pub path: Result<String, String>,
    /// argv, `argv[0]` included. Also computed when the command was not found here, as
    /// what the server would pass; nothing runs then.
    pub args: Vec<String>,
    /// `pass-environment-to-command` variables, in order.
    pub env: Vec<(String, String)>,
    /// `pass-file-to-command` files, in order.
    pub files: Vec<FilePlan>,
    /// `command-working-directory` as configured; empty means webhook's own.
    pub working_dir: String,
    /// Set when webhook's `handleHook` panics instead (an `execute-command` of spaces
    /// only).
    pub panic: Option<String>,
}

/// A file webhook writes for `pass-file-to-command`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePlan {
    /// The variable that will hold the file's path.
    pub env_name: String,
    /// The directory given to Go's `os.CreateTemp` (`""`: the system temp directory).
    pub dir: String,
    pub content: Vec<u8>,
    /// The entry's index in `pass-file-to-command` when its name is the `HOOK_<NAME>`
    /// fallback that webhook writes back into the loaded hook.
    pub fallback_entry: Option<usize>,
}

/// Plans the command for `hook`, appending webhook's log lines to `log`.
pub fn plan_command(
    hook: &Hook,
    context: &Context,
    config: &ServerConfig,
    log: &mut Vec<String>,
) -> CommandPlan {
    let command = hook.execute_command();
    let working_dir = hook.command_working_directory();
    let lookup = if command.starts_with('/') || working_dir.is_empty() {
        command.to_string()
    } else {
        go_join(working_dir, command)
    };
    let mut plan = CommandPlan {
        hook_id: hook.id().to_string(),
        execute_command: command.to_string(),
        path: look_path(&lookup, config),
        lookup,
        args: Vec::new(),
        env: Vec::new(),
        files: Vec::new(),
        working_dir: working_dir.to_string(),
        panic: None,
    };
    if let Err(error) = &plan.path {
        log.push(format!("error in {error}"));
        if command.contains(' ') {
            match command.split_whitespace().next() {
                Some(first) => log.push(format!(
                    "use 'pass-arguments-to-command' to specify args for '{first}'"
                )),
                None => {
                    plan.panic = Some("runtime error: index out of range [0] with length 0".into())
                }
            }
        }
        // webhook stops here, but the command usually exists on the server and not on
        // the machine simulating: show what would be passed, keeping webhook's log as is.
        let mut unlogged = Vec::new();
        plan.args = arguments(hook, context, &mut unlogged);
        plan.env = environment(hook, context, &mut unlogged);
        plan.files = files(hook, context, config, &mut unlogged);
        return plan;
    }
    plan.args = arguments(hook, context, log);
    plan.env = environment(hook, context, log);
    plan.files = files(hook, context, config, log);
    plan
}

fn arguments(hook: &Hook, context: &Context, log: &mut Vec<String>) -> Vec<String> {
    let mut args = vec![hook.execute_command().to_string()];
    for parameter in &hook.pass_arguments_to_command {
        match extract(parameter, context) {
            Ok(value) => args.push(value),
            Err(_) => {
                args.push(String::new());
                log.push(format!(
                    "error extracting command arguments: couldn't retrieve argument for {}",
                    go_argument(parameter)
                ));
            }
        }
    }
    args
}

fn environment(hook: &Hook, context: &Context, log: &mut Vec<String>) -> Vec<(String, String)> {
    let mut env = Vec::new();
    for parameter in &hook.pass_environment_to_command {
        let Ok(value) = extract(parameter, context) else {
            log.push(format!(
                "error extracting command arguments for environment: couldn't retrieve \
                 argument for {}",
                go_argument(parameter)
            ));
            continue;
        };
        let name = match parameter.envname() {
            "" => format!("HOOK_{}", parameter.name()),
            envname => envname.to_string(),
        };
        env.push((name, value));
    }
    env
}

/// The files of `pass-file-to-command`. An entry without `envname` falls back to
/// `HOOK_<NAME>`; webhook logs that and writes the name back into the loaded hook, so
/// later requests neither log it again nor show an empty `EnvName` in errors.
fn files(
    hook: &Hook,
    context: &Context,
    config: &ServerConfig,
    log: &mut Vec<String>,
) -> Vec<FilePlan> {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for (index, parameter) in hook.pass_file_to_command.iter().enumerate() {
        let fallback = format!("HOOK_{}", go_to_upper(parameter.name()));
        let remembered = config.state.has_file_fallback(hook, index);
        let Ok(value) = extract(parameter, context) else {
            let envname = if remembered {
                fallback.as_str()
            } else {
                parameter.envname()
            };
            errors.push(format!(
                "error extracting command arguments for file: couldn't retrieve argument for {}",
                go_argument_with_envname(parameter, envname)
            ));
            continue;
        };
        let (env_name, fallback_entry) = match parameter.envname() {
            "" => {
                if !remembered {
                    log.push(format!(
                        "no ENVVAR name specified, falling back to [{fallback}]"
                    ));
                }
                (fallback, Some(index))
            }
            envname => (envname.to_string(), None),
        };
        let content = if parameter.base64decode() {
            let (bytes, error) = go_base64_decode(&value);
            if let Some(offset) = error {
                log.push(format!(
                    "error decoding string [illegal base64 data at input byte {offset}]"
                ));
            }
            bytes
        } else {
            value.into_bytes()
        };
        let dir = hook.command_working_directory().to_string();
        files.push(FilePlan {
            env_name,
            dir,
            content,
            fallback_entry,
        });
    }
    log.extend(errors);
    files
}

/// Go's `exec.LookPath` as webhook's process sees it: `PATH` and the current directory
/// come from `config`.
pub fn look_path(file: &str, config: &ServerConfig) -> Result<String, String> {
    let fail = |reason: String| Err(format!("exec: {}: {reason}", go_quote(file)));
    if file.contains('/') {
        return match find_executable(file, config) {
            Ok(()) => Ok(file.to_string()),
            Err(reason) => fail(reason),
        };
    }
    let path = config.env_var("PATH").unwrap_or_default();
    let dirs: Vec<&str> = if path.is_empty() {
        Vec::new()
    } else {
        path.split(':').collect()
    };
    for dir in dirs {
        let dir = if dir.is_empty() { "." } else { dir };
        let candidate = go_join(dir, file);
        if find_executable(&candidate, config).is_ok() {
            if !candidate.starts_with('/') {
                return fail("cannot run executable found relative to current directory".into());
            }
            return Ok(candidate);
        }
    }
    fail("executable file not found in $PATH".into())
}

/// Go's `findExecutable`: a file (not a directory) with any execute bit.
fn find_executable(path: &str, config: &ServerConfig) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;

    let metadata = std::fs::metadata(config.resolve(path))
        .map_err(|e| format!("stat {path}: {}", errno_text(&e)))?;
    if !metadata.is_dir() && metadata.permissions().mode() & 0o111 != 0 {
        Ok(())
    } else {
        Err("permission denied".into())
    }
}

/// Go's `filepath.Join` on Unix: join with `/`, then clean; empty parts are skipped.
pub fn go_join(dir: &str, name: &str) -> String {
    match (dir.is_empty(), name.is_empty()) {
        (true, true) => String::new(),
        (true, false) => clean(name),
        (false, true) => clean(dir),
        (false, false) => clean(&format!("{dir}/{name}")),
    }
}

/// Go's `strings.ToUpper`: each character's simple upper case (`ß` stays `ß`).
pub fn go_to_upper(text: &str) -> String {
    text.chars()
        .map(|c| {
            let mut upper = c.to_uppercase();
            match (upper.next(), upper.next()) {
                (Some(u), None) => u,
                _ => c,
            }
        })
        .collect()
}

/// Go's `base64.StdEncoding.DecodeString`: the bytes decoded before an error are kept,
/// CR and LF are skipped, and the error is the offset Go reports.
pub fn go_base64_decode(text: &str) -> (Vec<u8>, Option<usize>) {
    let src = text.as_bytes();
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut i = 0;
    while i < src.len() {
        match decode_quantum(src, i) {
            Quantum::Done => break,
            Quantum::Bytes { bytes, next, error } => {
                out.extend_from_slice(&bytes);
                if error.is_some() {
                    return (out, error);
                }
                i = next;
            }
            Quantum::Error(offset) => return (out, Some(offset)),
        }
    }
    (out, None)
}

enum Quantum {
    Done,
    Bytes {
        bytes: Vec<u8>,
        next: usize,
        error: Option<usize>,
    },
    Error(usize),
}

/// Decodes one group of four characters starting at `si`, as Go's `decodeQuantum`.
fn decode_quantum(src: &[u8], mut si: usize) -> Quantum {
    let mut values = [0u8; 4];
    let mut len = 4;
    let mut j = 0;
    let mut error = None;
    while j < 4 {
        if si == src.len() {
            if j == 0 {
                return Quantum::Done;
            }
            return Quantum::Error(si - j);
        }
        let c = src[si];
        si += 1;
        if let Some(v) = base64_value(c) {
            values[j] = v;
            j += 1;
            continue;
        }
        if c == b'\n' || c == b'\r' {
            continue;
        }
        if c != b'=' || j < 2 {
            return Quantum::Error(si - 1);
        }
        if j == 2 {
            si = skip_newlines(src, si);
            if si == src.len() {
                return Quantum::Error(src.len());
            }
            if src[si] != b'=' {
                return Quantum::Error(si - 1);
            }
            si += 1;
        }
        si = skip_newlines(src, si);
        if si < src.len() {
            error = Some(si);
        }
        len = j;
        break;
    }
    let value = values
        .iter()
        .fold(0u32, |acc, &v| (acc << 6) | u32::from(v));
    let bytes = value.to_be_bytes()[1..].to_vec();
    Quantum::Bytes {
        bytes: bytes[..len - 1].to_vec(),
        next: si,
        error,
    }
}

fn skip_newlines(src: &[u8], mut si: usize) -> usize {
    while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
        si += 1;
    }
    si
}

fn base64_value(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// The text Go gives an OS error (`no such file or directory`), without Rust's
/// `(os error 2)`.
pub fn errno_text(error: &std::io::Error) -> String {
    let known = match error.raw_os_error() {
        Some(1) => "operation not permitted",
        Some(2) => "no such file or directory",
        Some(5) => "input/output error",
        Some(7) => "argument list too long",
        Some(8) => "exec format error",
        Some(12) => "cannot allocate memory",
        Some(13) => "permission denied",
        Some(17) => "file exists",
        Some(20) => "not a directory",
        Some(21) => "is a directory",
        Some(22) => "invalid argument",
        Some(26) => "text file busy",
        Some(28) => "no space left on device",
        Some(30) => "read-only file system",
        Some(36) => "file name too long",
        Some(40) => "too many levels of symbolic links",
        _ if error.kind() == std::io::ErrorKind::InvalidInput => "invalid argument",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_string();
    }
    let text = error.to_string();
    let text = text.split(" (os error").next().unwrap_or(&text);
    let mut chars = text.chars();
    chars
        .next()
        .map_or(String::new(), |c| c.to_lowercase().chain(chars).collect())
}

/// Whether a path is absolute (Go's `filepath.IsAbs` on Unix).
pub fn is_abs(path: &str) -> bool {
    Path::new(path).is_absolute()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::hook;

    fn config() -> ServerConfig {
        ServerConfig {
            environment: vec![("PATH".into(), "/usr/bin:/bin".into())],
            working_dir: "/".into(),
            ..ServerConfig::default()
        }
    }

    #[test]
    fn base64_is_lenient_like_go() {
        assert_eq!(
            go_base64_decode("aGVsbG8gYnl0ZXM="),
            (b"hello bytes".to_vec(), None)
        );
        assert_eq!(go_base64_decode("aGVsbG8=!!"), (b"hello".to_vec(), Some(8)));
        assert_eq!(go_base64_decode("aGVs\r\nbG8="), (b"hello".to_vec(), None));
        assert_eq!(go_base64_decode("aGVsbG8"), (b"hel".to_vec(), Some(4)));
        assert_eq!(go_base64_decode("aGVsb!=="), (b"hel".to_vec(), Some(5)));
        assert_eq!(go_base64_decode("a"), (Vec::new(), Some(0)));
        assert_eq!(go_base64_decode("aGk="), (b"hi".to_vec(), None));
        assert_eq!(go_base64_decode("aGk=="), (b"hi".to_vec(), Some(4)));
        assert_eq!(go_base64_decode(""), (Vec::new(), None));
        assert_eq!(go_base64_decode("=abc"), (Vec::new(), Some(0)));
    }

    #[test]
    fn looks_up_like_go() {
        let c = config();
        assert_eq!(look_path("sh", &c), Ok("/usr/bin/sh".into()));
        assert_eq!(look_path("/bin/sh", &c), Ok("/bin/sh".into()));
        assert_eq!(
            look_path("/nonexistent/cmd", &c),
            Err(
                r#"exec: "/nonexistent/cmd": stat /nonexistent/cmd: no such file or directory"#
                    .into()
            )
        );
        assert_eq!(
            look_path("", &c),
            Err(r#"exec: "": executable file not found in $PATH"#.into())
        );
        assert_eq!(
            look_path("/tmp", &c),
            Err(r#"exec: "/tmp": permission denied"#.into())
        );
        assert_eq!(
            look_path("/etc/passwd", &c),
            Err(r#"exec: "/etc/passwd": permission denied"#.into())
        );
        assert_eq!(look_path("bin/sh", &c), Ok("bin/sh".into()));
        let relative = ServerConfig {
            environment: vec![("PATH".into(), "bin".into())],
            ..c
        };
        assert_eq!(
            look_path("sh", &relative),
            Err(r#"exec: "sh": cannot run executable found relative to current directory"#.into())
        );
    }

    #[test]
    fn plans_arguments_environment_and_files() {
        let h = hook(
            r#"{"id":"e","execute-command":"/bin/echo",
            "pass-arguments-to-command":[{"source":"payload","name":"a"},
              {"source":"payload","name":"missing"},{"source":"string","name":"lit"}],
            "pass-environment-to-command":[{"source":"payload","name":"a"},
              {"source":"payload","name":"b.c","envname":"MYVAR"},
              {"source":"payload","name":"missing"}],
            "pass-file-to-command":[{"source":"payload","name":"data","base64decode":true},
              {"source":"payload","name":"a.b"}]}"#,
        );
        let mut ctx = Context::default();
        let payload = r#"{"a":"x y","b":{"c":5},"data":"aGVsbG8=!!"}"#;
        ctx.payload = crate::request::json::decode_object(payload.as_bytes()).unwrap();
        let mut log = Vec::new();
        let plan = plan_command(&h, &ctx, &config(), &mut log);
        assert_eq!(plan.args, ["/bin/echo", "x y", "", "lit"]);
        assert_eq!(
            plan.env,
            [
                ("HOOK_a".to_string(), "x y".to_string()),
                ("MYVAR".into(), "5".into())
            ]
        );
        assert_eq!(plan.files.len(), 1);
        assert_eq!(
            (
                plan.files[0].env_name.as_str(),
                plan.files[0].content.as_slice()
            ),
            ("HOOK_DATA", &b"hello"[..])
        );
        assert_eq!(
            log,
            [
                "error extracting command arguments: couldn't retrieve argument for \
             {Source:payload Name:missing EnvName: Base64Decode:false}",
                "error extracting command arguments for environment: couldn't retrieve argument \
             for {Source:payload Name:missing EnvName: Base64Decode:false}",
                "no ENVVAR name specified, falling back to [HOOK_DATA]",
                "error decoding string [illegal base64 data at input byte 8]",
                "error extracting command arguments for file: couldn't retrieve argument for \
             {Source:payload Name:a.b EnvName: Base64Decode:false}",
            ]
        );
    }

    #[test]
    fn a_command_with_spaces_is_not_split() {
        let h = hook(r#"{"id":"s","execute-command":"/opt/echo.sh foo"}"#);
        let mut log = Vec::new();
        let plan = plan_command(&h, &Context::default(), &config(), &mut log);
        assert!(plan.path.is_err());
        assert_eq!(
            log[1],
            "use 'pass-arguments-to-command' to specify args for '/opt/echo.sh'"
        );
        let blank = hook(r#"{"id":"s","execute-command":"  "}"#);
        let plan = plan_command(&blank, &Context::default(), &config(), &mut Vec::new());
        assert!(plan.panic.is_some());
    }

    #[test]
    fn a_working_directory_changes_the_lookup() {
        let h = hook(r#"{"id":"w","execute-command":"sh","command-working-directory":"/srv/wd"}"#);
        let plan = plan_command(&h, &Context::default(), &config(), &mut Vec::new());
        assert_eq!(plan.lookup, "/srv/wd/sh");
        assert_eq!(
            plan.path,
            Err(r#"exec: "/srv/wd/sh": stat /srv/wd/sh: no such file or directory"#.into())
        );
    }

    #[test]
    fn go_helpers() {
        assert_eq!(go_join("/var/tmp/", "F1"), "/var/tmp/F1");
        assert_eq!(go_join("wd/../x", "F"), "x/F");
        assert_eq!(go_to_upper("a.b-ß"), "A.B-ß");
        let e = std::io::Error::from_raw_os_error(2);
        assert_eq!(errno_text(&e), "no such file or directory");
    }
}
