//! `hookctl serve` as a user runs it: the real binary on 127.0.0.1 (port 0), talked to
//! over raw sockets, with short timeouts. The `reliability_*` tests load it harder but
//! stay bounded in requests and seconds.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::support::{hookctl, root, run};

/// A running `hookctl serve` with its log collected.
struct Server {
    child: Child,
    port: u16,
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        Server::start_in(args, &[])
    }

    fn start_in(args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_hookctl"));
        cmd.arg("serve")
            .args(["--ip", "127.0.0.1", "--port", "0"])
            .args(args)
            .current_dir(root())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("hookctl starts");
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some(port) = serving_port(&line) {
                    let _ = tx.send(port);
                }
                sink.lock().unwrap().push(line);
            }
        });
        let port = rx
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("no `serving hooks on` line: {:?}", log.lock().unwrap()));
        Server { child, port, log }
    }

    fn request(&self, raw: &[u8]) -> Reply {
        exchange(self.port, raw)
    }

    fn post(&self, path: &str, headers: &[(&str, &str)], body: &str) -> Reply {
        self.request(&post(path, headers, body))
    }

    fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    /// Waits until a log line contains `needle`.
    fn wait_log(&self, needle: &str, within: Duration) -> bool {
        let until = Instant::now() + within;
        while Instant::now() < until {
            if self.log().iter().any(|l| l.contains(needle)) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    fn signal(&self, signal: i32) {
        // SAFETY: kill(2) with our own child's pid.
        unsafe {
            libc::kill(self.child.id() as i32, signal);
        }
    }

    /// Sends `signal` and waits for the exit code.
    fn stop_with(mut self, signal: i32, within: Duration) -> i32 {
        self.signal(signal);
        let until = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < until, "the server did not stop in time");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serving_port(line: &str) -> Option<u16> {
    let rest = line.split("serving hooks on http").nth(1)?;
    let rest = rest.split("://127.0.0.1:").nth(1)?;
    rest.split('/').next()?.parse().ok()
}

/// A parsed response.
#[derive(Debug, Default)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn post(path: &str, headers: &[(&str, &str)], body: &str) -> Vec<u8> {
    let mut raw = format!("POST {path} HTTP/1.1\r\nHost: localhost:9000\r\n");
    for (n, v) in headers {
        raw.push_str(&format!("{n}: {v}\r\n"));
    }
    raw.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    ));
    raw.into_bytes()
}

fn get(path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: localhost:9000\r\nConnection: close\r\n\r\n").into_bytes()
}

fn exchange(port: u16, raw: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream.write_all(raw).unwrap();
    let mut reader = BufReader::new(stream);
    read_reply(&mut reader).expect("a response")
}

/// Reads one response (skipping 1xx), framed by length, chunks, or the connection end.
fn read_reply(reader: &mut impl BufRead) -> Option<Reply> {
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let status: u16 = line.split(' ').nth(1)?.parse().ok()?;
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            reader.read_line(&mut h).ok()?;
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            let (n, v) = h.split_once(':')?;
            headers.push((n.to_string(), v.trim().to_string()));
        }
        if (100..200).contains(&status) {
            continue;
        }
        let mut reply = Reply {
            status,
            headers,
            body: Vec::new(),
        };
        if let Some(n) = reply.header("content-length") {
            let mut body = vec![0; n.parse().ok()?];
            reader.read_exact(&mut body).ok()?;
            reply.body = body;
        } else if reply.header("transfer-encoding").is_some() {
            loop {
                let mut size = String::new();
                reader.read_line(&mut size).ok()?;
                let size = usize::from_str_radix(size.trim(), 16).ok()?;
                let mut chunk = vec![0; size + 2];
                reader.read_exact(&mut chunk).ok()?;
                if size == 0 {
                    break;
                }
                reply.body.extend_from_slice(&chunk[..size]);
            }
        } else if status != 204 && status != 304 {
            let _ = reader.read_to_end(&mut reply.body);
        }
        return Some(reply);
    }
}

/// A temporary directory with hook files written from `(name, text)` pairs.
fn hook_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn path_in(dir: &Path, name: &str) -> String {
    dir.join(name).to_string_lossy().into_owned()
}

const BASIC: &str = r#"[
  {"id": "echo", "execute-command": "/bin/echo", "include-command-output-in-response": true,
   "pass-arguments-to-command": [{"source": "payload", "name": "a"}]},
  {"id": "async", "execute-command": "/bin/true", "response-message": "started"},
  {"id": "push", "execute-command": "/bin/true", "response-message": "deploying",
   "trigger-rule-mismatch-http-response-code": 400,
   "trigger-rule": {"and": [
     {"match": {"type": "value", "value": "push",
                "parameter": {"source": "header", "name": "X-Event"}}},
     {"match": {"type": "payload-hmac-sha256", "secret": "s3cr3t-value",
                "parameter": {"source": "header", "name": "X-Signature"}}}]}},
  {"id": "getonly", "execute-command": "/bin/true", "http-methods": ["GET"]}
]"#;

#[test]
fn serve_answers_like_webhook() {
    let dir = hook_dir(&[("hooks.json", BASIC)]);
    let server = Server::start(&["--hooks", &path_in(dir.path(), "hooks.json")]);

    let r = server.post(
        "/hooks/echo",
        &[("Content-Type", "application/json")],
        r#"{"a":"hi"}"#,
    );
    assert_eq!((r.status, r.text().as_str()), (200, "hi\n"));
    assert_eq!(r.header("Content-Type"), Some("text/plain; charset=utf-8"));

    let r = server.post("/hooks/async", &[], "");
    assert_eq!((r.status, r.text().as_str()), (200, "started"));
    let r = server.post("/hooks/nope", &[], "");
    assert_eq!((r.status, r.text().as_str()), (404, "Hook not found."));
    let r = server.request(&get("/hooks"));
    assert_eq!((r.status, r.text().as_str()), (404, "404 page not found\n"));
    let r = server.request(&get("/"));
    assert_eq!((r.status, r.text().as_str()), (200, "OK"));
    let r = server.request(&get("/hooks//echo?x=1"));
    assert_eq!(
        (r.status, r.header("Location")),
        (301, Some("/hooks/echo?x=1"))
    );
    let r = server.post("/hooks/getonly", &[], "");
    assert_eq!((r.status, r.body.len()), (405, 0));
    let r = server.post("/hooks/push", &[("X-Event", "ping")], "{}");
    assert_eq!(
        (r.status, r.text().as_str()),
        (400, "Hook rules were not satisfied.")
    );
}

#[test]
fn serve_logs_one_line_per_request_with_the_reason_and_no_secret() {
    let dir = hook_dir(&[("hooks.json", BASIC)]);
    let server = Server::start(&["--hooks", &path_in(dir.path(), "hooks.json")]);
    let signature = "sha256=0000000000000000000000000000000000000000000000000000000000000000";
    server.post(
        "/hooks/push",
        &[("X-Event", "push"), ("X-Signature", signature)],
        "{}",
    );
    server.post("/hooks/push", &[("X-Event", "ping")], "{}");
    assert!(server.wait_log("] 400 | ", Duration::from_secs(5)));
    assert!(server.wait_log("] 500 | ", Duration::from_secs(5)));
    let log = server.log().join("\n");
    let mismatch = log
        .lines()
        .find(|l| l.contains("400 |") && l.contains("X-Event"))
        .unwrap_or_else(|| panic!("no mismatch line in {log}"));
    assert!(mismatch.contains("/trigger-rule/and/0"), "{mismatch}");
    assert!(mismatch.contains("ping"), "{mismatch}");
    assert!(log.contains("500 | 43 B |"), "{log}");
    assert!(!log.contains("s3cr3t-value"), "{log}");
    assert!(!log.contains(&signature[7..40]), "{log}");
}

#[test]
fn serve_json_log_has_every_field() {
    let dir = hook_dir(&[("hooks.json", BASIC)]);
    let server = Server::start(&[
        "--hooks",
        &path_in(dir.path(), "hooks.json"),
        "--log-format",
        "json",
    ]);
    server.post("/hooks/push", &[("X-Event", "ping")], "{}");
    assert!(server.wait_log("\"status\":400", Duration::from_secs(5)));
    let line = server
        .log()
        .into_iter()
        .find(|l| l.contains("\"status\":400"))
        .unwrap();
    let value: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(value["hook_id"], "push");
    assert_eq!(value["matched"], false);
    assert_eq!(value["method"], "POST");
    assert_eq!(value["path"], "/hooks/push");
    assert!(value["remote_addr"]
        .as_str()
        .unwrap()
        .starts_with("127.0.0.1:"));
    assert!(value["reason"].as_str().unwrap().contains("X-Event"));
    for key in [
        "timestamp",
        "level",
        "request_id",
        "response_size",
        "duration_ms",
    ] {
        assert!(value.get(key).is_some(), "{key} missing in {line}");
    }
}

#[test]
fn serve_help_says_which_flags_are_webhooks() {
    let out = run(hookctl().args(["serve", "--help"]));
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("webhook flags"));
    assert!(out.stdout.contains("hookctl extras"));
    for flag in [
        "--hooks",
        "--template",
        "--ip",
        "--port",
        "--socket",
        "--urlprefix",
        "--verbose",
        "--debug",
        "--logfile",
        "--nopanic",
        "--hotreload",
        "--http-methods",
        "--header",
        "--max-multipart-mem",
        "--x-request-id",
        "--x-request-id-limit",
        "--pidfile",
        "--secure",
        "--cert",
        "--key",
        "--tls-min-version",
        "--command-timeout",
        "--max-concurrent",
        "--shutdown-grace",
        "--read-timeout",
        "--max-body-size",
        "--log-format",
        "--dry-run",
        "--record",
        "--health-path",
        "--metrics-path",
        "--no-health",
        "--no-metrics",
    ] {
        assert!(out.stdout.contains(flag), "{flag} missing from --help");
    }
}

#[test]
fn serve_refuses_templates_clearly() {
    let out = run(hookctl().args(["serve", "--template", "--hooks", "x.json"]));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("`--template` is not yet supported"));
}

#[test]
fn serve_start_up_fails_like_webhook() {
    let dir = hook_dir(&[
        ("a.json", r#"[{"id":"same","execute-command":"/bin/true"}]"#),
        ("b.json", r#"[{"id":"same","execute-command":"/bin/true"}]"#),
        ("bad.json", r#"{"id":"object"}"#),
    ]);
    let a = path_in(dir.path(), "a.json");
    let b = path_in(dir.path(), "b.json");
    let bad = path_in(dir.path(), "bad.json");

    let out = run(hookctl()
        .args(["serve", "--port", "0", "--ip", "127.0.0.1"])
        .args(["--hooks", &a, "--hooks", &b]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("hook id `same` is defined in"));

    let missing = path_in(dir.path(), "missing.json");
    let out = run(hookctl()
        .args([
            "serve",
            "--port",
            "0",
            "--ip",
            "127.0.0.1",
            "--hooks",
            &bad,
            "--hooks",
        ])
        .arg(&missing));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("couldn't load any hooks from file!"));
    assert!(out.stderr.contains("bad.json:1:1"), "{}", out.stderr);

    // A file that fails is skipped; the others are served.
    let server = Server::start(&["--hooks", &bad, "--hooks", &a]);
    assert_eq!(server.post("/hooks/same", &[], "").status, 200);
    // With --nopanic, no hooks at all is fine.
    let server = Server::start(&["--hooks", &bad, "--nopanic"]);
    assert_eq!(server.post("/hooks/object", &[], "").status, 404);
}

#[test]
fn serve_runs_asynchronous_commands_after_answering() {
    let dir = tempfile::tempdir().unwrap();
    let marker = path_in(dir.path(), "done");
    let hooks = format!(
        r#"[{{"id":"slow","execute-command":"/bin/sh","response-message":"queued",
            "pass-arguments-to-command":[{{"source":"string","name":"-c"}},
            {{"source":"string","name":"sleep 1; echo ran > {marker}"}}]}}]"#
    );
    std::fs::write(dir.path().join("h.json"), hooks).unwrap();
    let server = Server::start(&["--hooks", &path_in(dir.path(), "h.json")]);
    let started = Instant::now();
    let r = server.post("/hooks/slow", &[], "");
    assert_eq!((r.status, r.text().as_str()), (200, "queued"));
    assert!(started.elapsed() < Duration::from_millis(900));
    assert!(!Path::new(&marker).exists());
    let until = Instant::now() + Duration::from_secs(10);
    while !Path::new(&marker).exists() && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(Path::new(&marker).exists(), "the command never ran");
}

#[test]
fn serve_command_timeout_kills_and_answers_500() {
    let hooks = r#"[{"id":"hang","execute-command":"/bin/sh",
        "include-command-output-in-response":true,
        "pass-arguments-to-command":[{"source":"string","name":"-c"},
        {"source":"string","name":"sleep 30 & sleep 30"}]}]"#;
    let dir = hook_dir(&[("h.json", hooks)]);
    let server = Server::start(&[
        "--hooks",
        &path_in(dir.path(), "h.json"),
        "--command-timeout",
        "300ms",
    ]);
    let started = Instant::now();
    let r = server.post("/hooks/hang", &[], "");
    assert_eq!(r.status, 500);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(server.wait_log("--command-timeout", Duration::from_secs(5)));
    assert!(server.wait_log("process group was killed", Duration::from_secs(1)));
}

#[test]
fn serve_max_concurrent_queues_commands() {
    let hooks = r#"[{"id":"wait","execute-command":"/bin/sleep",
        "include-command-output-in-response":true,
        "pass-arguments-to-command":[{"source":"string","name":"0.5"}]}]"#;
    let dir = hook_dir(&[("h.json", hooks)]);
    let server = Server::start(&[
        "--hooks",
        &path_in(dir.path(), "h.json"),
        "--max-concurrent",
        "1",
    ]);
    let port = server.port;
    let started = Instant::now();
    let clients: Vec<_> = (0..3)
        .map(|_| std::thread::spawn(move || exchange(port, &post("/hooks/wait", &[], "")).status))
        .collect();
    for c in clients {
        assert_eq!(c.join().unwrap(), 200);
    }
    // One at a time: three half-second commands take at least 1.5 s.
    assert!(started.elapsed() >= Duration::from_millis(1400));
}

#[test]
fn serve_shutdown_waits_for_commands_then_exits() {
    let dir = tempfile::tempdir().unwrap();
    let marker = path_in(dir.path(), "finished");
    let hooks = format!(
        r#"[{{"id":"job","execute-command":"/bin/sh",
            "pass-arguments-to-command":[{{"source":"string","name":"-c"}},
            {{"source":"string","name":"sleep 1; touch {marker}"}}]}},
            {{"id":"forever","execute-command":"/bin/sleep",
            "pass-arguments-to-command":[{{"source":"string","name":"60"}}]}}]"#
    );
    std::fs::write(dir.path().join("h.json"), hooks).unwrap();
    let hooks = path_in(dir.path(), "h.json");

    let server = Server::start(&["--hooks", &hooks]);
    assert_eq!(server.post("/hooks/job", &[], "").status, 200);
    let code = server.stop_with(libc::SIGTERM, Duration::from_secs(15));
    assert_eq!(code, 0);
    assert!(
        Path::new(&marker).exists(),
        "SIGTERM did not wait for the command"
    );

    let server = Server::start(&["--hooks", &hooks, "--shutdown-grace", "500ms"]);
    assert_eq!(server.post("/hooks/forever", &[], "").status, 200);
    std::thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    let code = server.stop_with(libc::SIGINT, Duration::from_secs(15));
    assert_eq!(code, 130);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn serve_reloads_on_sighup_and_keeps_hooks_that_stop_loading() {
    let dir = hook_dir(&[("h.json", r#"[{"id":"one","execute-command":"/bin/true"}]"#)]);
    let path = path_in(dir.path(), "h.json");
    let server = Server::start(&["--hooks", &path]);
    assert_eq!(server.post("/hooks/one", &[], "").status, 200);

    std::fs::write(&path, r#"[{"id":"two","execute-command":"/bin/true"}]"#).unwrap();
    server.signal(libc::SIGHUP);
    assert!(server.wait_log("hooks reloaded", Duration::from_secs(5)));
    assert_eq!(server.post("/hooks/two", &[], "").status, 200);
    assert_eq!(server.post("/hooks/one", &[], "").status, 404);

    std::fs::write(&path, "[{\"id\": \"three\",\n  \"execute-command\": 5 ]").unwrap();
    server.signal(libc::SIGUSR1);
    assert!(
        server.wait_log("h.json:2:", Duration::from_secs(5)),
        "{:?}",
        server.log()
    );
    assert_eq!(server.post("/hooks/two", &[], "").status, 200);
}

#[test]
fn serve_hot_reload_follows_renames_and_recreated_files() {
    let dir = hook_dir(&[("h.json", r#"[{"id":"v1","execute-command":"/bin/true"}]"#)]);
    let path = path_in(dir.path(), "h.json");
    let server = Server::start(&["--hooks", &path, "--hotreload"]);
    let wait_for = |id: &str| {
        let until = Instant::now() + Duration::from_secs(10);
        while Instant::now() < until {
            if server.post(&format!("/hooks/{id}"), &[], "").status == 200 {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    };

    // In place.
    std::fs::write(&path, r#"[{"id":"v2","execute-command":"/bin/true"}]"#).unwrap();
    assert!(wait_for("v2"));
    // Replaced by rename, as editors and git do.
    let tmp = path_in(dir.path(), ".h.json.swp");
    std::fs::write(&tmp, r#"[{"id":"v3","execute-command":"/bin/true"}]"#).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
    assert!(wait_for("v3"));
    // Deleted, then created again.
    std::fs::remove_file(&path).unwrap();
    std::thread::sleep(Duration::from_millis(400));
    std::fs::write(&path, r#"[{"id":"v4","execute-command":"/bin/true"}]"#).unwrap();
    assert!(wait_for("v4"), "{:?}", server.log());
    // Broken: the previous hooks stay.
    std::fs::write(&path, "[{").unwrap();
    assert!(server.wait_log("kept the previous hooks", Duration::from_secs(5)));
    assert_eq!(server.post("/hooks/v4", &[], "").status, 200);
}

#[test]
fn serve_dry_run_executes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let marker = path_in(dir.path(), "ran");
    let hooks = format!(
        r#"[{{"id":"d","execute-command":"/usr/bin/touch","response-message":"ok",
            "pass-arguments-to-command":[{{"source":"string","name":"{marker}"}}],
            "pass-environment-to-command":[{{"source":"header","name":"X-Token",
              "envname":"API_TOKEN"}}]}}]"#
    );
    std::fs::write(dir.path().join("h.json"), hooks).unwrap();
    let server = Server::start(&["--hooks", &path_in(dir.path(), "h.json"), "--dry-run"]);
    let r = server.post("/hooks/d", &[("X-Token", "tok-12345")], "");
    assert_eq!((r.status, r.text().as_str()), (200, "ok"));
    assert!(server.wait_log(
        "dry run: would execute /usr/bin/touch",
        Duration::from_secs(5)
    ));
    std::thread::sleep(Duration::from_millis(300));
    assert!(!Path::new(&marker).exists());
    let log = server.log().join("\n");
    assert!(log.contains("API_TOKEN=<hidden>"), "{log}");
    assert!(!log.contains("tok-12345"), "{log}");
}

#[test]
fn serve_records_requests_that_simulate_reads() {
    let dir = hook_dir(&[("hooks.json", BASIC)]);
    let record = tempfile::tempdir().unwrap();
    let hooks = path_in(dir.path(), "hooks.json");
    let server = Server::start(&[
        "--hooks",
        &hooks,
        "--record",
        record.path().to_str().unwrap(),
    ]);
    server.post("/hooks/push", &[("X-Event", "ping")], r#"{"ref":"x"}"#);
    server.post("/hooks/..%2F..%2Fescape", &[], "");
    let files: Vec<PathBuf> = std::fs::read_dir(record.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
    let push = files
        .iter()
        .find(|f| f.to_string_lossy().ends_with("-push.http"))
        .unwrap();
    let out = run(hookctl()
        .args(["simulate", "--hooks", &hooks, "--request"])
        .arg(push));
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("X-Event"), "{}", out.stdout);
}

#[test]
fn serve_health_and_metrics_never_shadow_hooks() {
    let hooks = r#"[{"id":"metrics","execute-command":"/bin/true","response-message":"hook"},
                    {"id":"x","execute-command":"/bin/false","include-command-output-in-response":true}]"#;
    let dir = hook_dir(&[("h.json", hooks)]);
    let server = Server::start(&[
        "--hooks",
        &path_in(dir.path(), "h.json"),
        "--metrics-path",
        "/hooks/metrics",
    ]);
    assert!(server.wait_log("is the route of hook `metrics`", Duration::from_secs(2)));
    let r = server.request(&get("/hooks/metrics"));
    assert_eq!(r.text(), "hook");
    assert_eq!(server.post("/hooks/x", &[], "").status, 500);

    let r = server.request(&get("/health"));
    assert_eq!(r.status, 200);
    let health: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(health["hooks"], 2);
    assert!(health["uptime_seconds"].is_u64());

    let server = Server::start(&["--hooks", &path_in(dir.path(), "h.json"), "--no-health"]);
    assert_eq!(server.request(&get("/health")).status, 404);
    server.post("/hooks/x", &[], "");
    let r = server.request(&get("/metrics"));
    let text = r.text();
    assert!(
        text.contains("webhook_requests_total{hook=\"x\",status=\"500\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("webhook_hook_executions_total{hook=\"x\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("webhook_hook_execution_errors_total{hook=\"x\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("webhook_requests_duration_seconds_bucket{le=\"+Inf\"}"),
        "{text}"
    );
}

#[test]
fn serve_listens_on_a_unix_socket() {
    use std::os::unix::net::UnixStream;
    let dir = hook_dir(&[(
        "h.json",
        r#"[{"id":"u","execute-command":"/bin/true","response-message":"unix"}]"#,
    )]);
    let socket = dir.path().join("s.sock");
    let mut child = Command::new(env!("CARGO_BIN_EXE_hookctl"))
        .args([
            "serve",
            "--hooks",
            &path_in(dir.path(), "h.json"),
            "--socket",
        ])
        .arg(&socket)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let until = Instant::now() + Duration::from_secs(20);
    while !socket.exists() && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut stream = UnixStream::connect(&socket).unwrap();
    stream.write_all(&post("/hooks/u", &[], "")).unwrap();
    let reply = read_reply(&mut BufReader::new(stream)).unwrap();
    assert_eq!(reply.text(), "unix");
    // SAFETY: our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    assert_eq!(child.wait().unwrap().code(), Some(0));
    assert!(!socket.exists(), "the socket file was left behind");
}

#[test]
fn serve_speaks_tls_with_secure() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = (
        path_in(dir.path(), "cert.pem"),
        path_in(dir.path(), "key.pem"),
    );
    let made = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
        ])
        .args(["/CN=localhost", "-keyout", &key, "-out", &cert])
        .stderr(Stdio::null())
        .status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: openssl is not available to make a certificate");
        return;
    }
    std::fs::write(
        dir.path().join("h.json"),
        r#"[{"id":"t","execute-command":"/bin/true","response-message":"secure"}]"#,
    )
    .unwrap();
    let server = Server::start(&[
        "--hooks",
        &path_in(dir.path(), "h.json"),
        "--secure",
        "--cert",
        &cert,
        "--key",
        &key,
    ]);
    let out = Command::new("curl")
        .args(["-sk", "-X", "POST"])
        .arg(format!("https://127.0.0.1:{}/hooks/t", server.port))
        .output();
    let Ok(out) = out else {
        eprintln!("skipped: curl is not available");
        return;
    };
    assert_eq!(String::from_utf8_lossy(&out.stdout), "secure");
}

/// A server for the reliability tests: one quick hook, one that runs a command with a
/// file, one with a signature.
fn load_hooks(tmp: &Path) -> String {
    format!(
        r#"[{{"id":"quick","execute-command":"/bin/true","response-message":"ok",
            "trigger-rule":{{"match":{{"type":"value","value":"go",
              "parameter":{{"source":"payload","name":"k"}}}}}}}},
           {{"id":"file","execute-command":"/bin/true","response-message":"ok",
            "pass-file-to-command":[{{"source":"payload","name":"k","envname":"F"}}],
            "command-working-directory":"{}"}}]"#,
        tmp.display()
    )
}

/// How many child processes `pid` has, and how many of them are zombies.
fn children_of(pid: u32) -> (usize, usize) {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return (0, 0);
    };
    let parent = pid.to_string();
    let states: Vec<String> = entries
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path().join("stat")).ok())
        .filter_map(|stat| {
            let (_, rest) = stat.rsplit_once(") ")?;
            let fields: Vec<&str> = rest.split(' ').collect();
            (fields.get(1) == Some(&parent.as_str())).then(|| fields[0].to_string())
        })
        .collect();
    let zombies = states.iter().filter(|s| *s == "Z").count();
    (states.len(), zombies)
}

#[test]
fn reliability_20000_requests_64_connections_with_hot_reloads() {
    let dir = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let path = path_in(dir.path(), "h.json");
    std::fs::write(&path, load_hooks(work.path())).unwrap();
    let server = Server::start(&["--hooks", &path, "--hotreload"]);
    let port = server.port;

    // Rewrite the file every 100 ms while the load runs.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reloader = {
        let (stop, path, text) = (stop.clone(), path.clone(), load_hooks(work.path()));
        std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let tmp = format!("{path}.tmp");
                std::fs::write(&tmp, &text).unwrap();
                std::fs::rename(&tmp, &path).unwrap();
                n += 1;
                std::thread::sleep(Duration::from_millis(100));
            }
            n
        })
    };

    let per_connection = 20_000usize.div_ceil(64);
    let clients: Vec<_> = (0..64)
        .map(|c| {
            std::thread::spawn(move || {
                let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
                stream
                    .set_read_timeout(Some(Duration::from_secs(30)))
                    .unwrap();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut failures = Vec::new();
                for i in 0..per_connection {
                    let (hook, body) = if (c * per_connection + i).is_multiple_of(40) {
                        ("file", r#"{"k":"content"}"#)
                    } else if i % 2 == 0 {
                        ("quick", r#"{"k":"go"}"#)
                    } else {
                        ("quick", r#"{"k":"stop"}"#)
                    };
                    let raw = format!(
                        "POST /hooks/{hook} HTTP/1.1\r\nHost: h\r\nContent-Type: \
                         application/json\r\nContent-Length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    stream.write_all(raw.as_bytes()).unwrap();
                    match read_reply(&mut reader) {
                        Some(r) if r.status == 200 => {}
                        other => failures.push(format!("{hook}: {other:?}")),
                    }
                }
                failures
            })
        })
        .collect();
    let failures: Vec<String> = clients
        .into_iter()
        .flat_map(|c| c.join().unwrap())
        .collect();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let reloads = reloader.join().unwrap();
    assert!(
        failures.is_empty(),
        "{} failures, first: {:?}",
        failures.len(),
        failures.first()
    );
    assert!(reloads >= 3, "only {reloads} reloads happened");

    // Every command finishes (they run after their answers, so many still run now)
    // and leaves no file and no zombie: in the end the server has no child at all.
    let until = Instant::now() + Duration::from_secs(90);
    let mut left: Vec<_> = Vec::new();
    let mut children = (0, 0);
    while Instant::now() < until {
        left = std::fs::read_dir(work.path()).unwrap().flatten().collect();
        children = children_of(server.child.id());
        if left.is_empty() && children == (0, 0) {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(left.is_empty(), "temp files left: {left:?}");
    assert_eq!(children, (0, 0), "(children, zombies) still there");
    assert!(server.log().iter().any(|l| l.contains("reloaded")));
}

#[test]
fn reliability_oversized_bodies_get_413_without_being_read() {
    let dir = hook_dir(&[("hooks.json", BASIC)]);
    let server = Server::start(&[
        "--hooks",
        &path_in(dir.path(), "hooks.json"),
        "--max-body-size",
        "1MiB",
    ]);
    // Announces 1 GiB and sends almost nothing: the answer comes at once.
    let started = Instant::now();
    let r = server
        .request(b"POST /hooks/echo HTTP/1.1\r\nHost: h\r\nContent-Length: 1073741824\r\n\r\nabc");
    assert_eq!(r.status, 413);
    assert!(started.elapsed() < Duration::from_secs(5));
    // Chunked bodies are cut off at the limit too.
    let mut raw =
        b"POST /hooks/echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for _ in 0..20 {
        raw.extend_from_slice(format!("{:x}\r\n", 100_000).as_bytes());
        raw.extend(std::iter::repeat_n(b'a', 100_000));
        raw.extend_from_slice(b"\r\n");
    }
    raw.extend_from_slice(b"0\r\n\r\n");
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let _ = stream.write_all(&raw);
    let reply = read_reply(&mut BufReader::new(stream)).unwrap();
    assert_eq!(reply.status, 413);
    // The server still answers.
    assert_eq!(server.request(&get("/")).status, 200);
}

#[test]
fn reliability_oversized_headers_get_431() {
    let dir = hook_dir(&[("hooks.json", BASIC)]);
    let server = Server::start(&["--hooks", &path_in(dir.path(), "hooks.json")]);
    let mut raw = b"GET / HTTP/1.1\r\nHost: h\r\nX-Big: ".to_vec();
    raw.extend(std::iter::repeat_n(b'a', 2 << 20));
    raw.extend_from_slice(b"\r\n\r\n");
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let _ = stream.write_all(&raw);
    let reply = read_reply(&mut BufReader::new(stream)).unwrap();
    assert_eq!(reply.status, 431);
    assert_eq!(server.request(&get("/")).status, 200);
}

#[test]
fn reliability_slow_clients_are_dropped_without_blocking_others() {
    let dir = hook_dir(&[("hooks.json", BASIC)]);
    let server = Server::start(&[
        "--hooks",
        &path_in(dir.path(), "hooks.json"),
        "--read-timeout",
        "1s",
    ]);
    let port = server.port;
    let slow = std::thread::spawn(move || {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let started = Instant::now();
        for byte in b"GET / HTTP/1.1\r\nHost: h\r\nX-Slow: aaaaaaaaaaaaaaaaaaaa" {
            if stream.write_all(&[*byte]).is_err() {
                break;
            }
            std::thread::sleep(Duration::from_millis(250));
            if started.elapsed() > Duration::from_secs(5) {
                break;
            }
        }
        let mut rest = Vec::new();
        let _ = stream.read_to_end(&mut rest);
        started.elapsed()
    });
    // Meanwhile others are served at once.
    for _ in 0..20 {
        let started = Instant::now();
        assert_eq!(server.request(&get("/")).status, 200);
        assert!(started.elapsed() < Duration::from_millis(500));
        std::thread::sleep(Duration::from_millis(50));
    }
    let dropped_after = slow.join().unwrap();
    assert!(
        dropped_after < Duration::from_secs(4),
        "kept for {dropped_after:?}"
    );
}

#[test]
fn reliability_malformed_requests_are_answered_never_a_panic() {
    let hooks = r#"[{"id":"any","execute-command":"/bin/echo","include-command-output-in-response":true,
        "pass-arguments-to-command":[{"source":"payload","name":"a"}]}]"#;
    let dir = hook_dir(&[("h.json", hooks)]);
    let server = Server::start(&["--hooks", &path_in(dir.path(), "h.json")]);
    let bodies: [(&str, &str); 6] = [
        ("application/json", "{\"a\": [1, 2"),
        ("application/x-www-form-urlencoded", "a=%zz&b=;;"),
        (
            "multipart/form-data; boundary=XX",
            "--XX\r\nContent-Disposition: form-data\r\n\r\nx",
        ),
        ("application/xml", "<a><b></a>"),
        ("application/json", "\u{0}\u{1}binary"),
        ("text/plain", ""),
    ];
    for (ct, body) in bodies {
        let r = server.post("/hooks/any", &[("Content-Type", ct)], body);
        assert!(matches!(r.status, 200 | 500), "{ct}: {}", r.status);
    }
    // Invalid UTF-8 in a header value.
    let r = server.request(
        b"POST /hooks/any HTTP/1.1\r\nHost: h\r\nX-Bad: \xff\xfe\r\nContent-Length: 0\r\n\r\n",
    );
    assert_eq!(r.status, 200);
    // HTTP/1.0 without Host.
    let r = server.request(b"POST /hooks/any HTTP/1.0\r\nContent-Length: 8\r\n\r\n{\"a\":\"z\"}");
    assert_eq!(r.status, 200);
    // HTTP/1.1 without Host: Go's 400.
    let r = server.request(b"GET / HTTP/1.1\r\n\r\n");
    assert_eq!(
        (r.status, r.text().as_str()),
        (400, "400 Bad Request: missing required Host header")
    );
    // A bad Content-Length.
    let r = server.request(b"POST /hooks/any HTTP/1.1\r\nHost: h\r\nContent-Length: abc\r\n\r\n");
    assert_eq!(r.status, 400);
    // A body shorter than announced, then the client gives up writing.
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
        .write_all(b"POST /hooks/any HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\nshort")
        .unwrap();
    stream.shutdown(std::net::Shutdown::Write).unwrap();
    let mut rest = Vec::new();
    let _ = stream.read_to_end(&mut rest);
    // Pipelined requests come back in order.
    let mut raw = Vec::new();
    for a in ["one", "two", "three"] {
        let body = format!("{{\"a\":\"{a}\"}}");
        raw.extend_from_slice(
            format!(
                "POST /hooks/any HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n\
                 Content-Length: {}\r\n\r\n{body}",
                body.len()
            )
            .as_bytes(),
        );
    }
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(&raw).unwrap();
    let mut reader = BufReader::new(stream);
    for a in ["one", "two", "three"] {
        let r = read_reply(&mut reader).unwrap();
        assert_eq!(r.text(), format!("{a}\n"));
    }
    // Still alive, and nothing panicked.
    assert_eq!(server.request(&get("/")).status, 200);
    assert!(!server.log().iter().any(|l| l.contains("panicked")));
}

#[test]
fn serve_verbose_lines_are_webhooks_without_whole_signatures() {
    let dir = hook_dir(&[("hooks.json", BASIC)]);
    let server = Server::start(&["--hooks", &path_in(dir.path(), "hooks.json"), "--verbose"]);
    let signature = "sha256=1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef";
    server.post(
        "/hooks/push",
        &[("X-Event", "push"), ("X-Signature", signature)],
        "{}",
    );
    assert!(server.wait_log("error evaluating hook", Duration::from_secs(5)));
    let log = server.log().join("\n");
    assert!(
        log.contains("] incoming HTTP POST request from 127.0.0.1:"),
        "{log}"
    );
    assert!(log.contains("] push got matched"), "{log}");
    assert!(!log.contains(&signature[7..]), "{log}");
    assert!(!log.contains("s3cr3t-value"), "{log}");
}

#[test]
fn serve_pidfile_and_logfile_like_webhook() {
    let dir = hook_dir(&[("h.json", r#"[{"id":"p","execute-command":"/bin/true"}]"#)]);
    let pidfile = dir.path().join("run/hookctl.pid");
    let logfile = dir.path().join("serve.log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_hookctl"))
        .args(["serve", "--ip", "127.0.0.1", "--port", "0", "--hooks"])
        .arg(dir.path().join("h.json"))
        .arg("--pidfile")
        .arg(&pidfile)
        .arg("--logfile")
        .arg(&logfile)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let until = Instant::now() + Duration::from_secs(20);
    let port = loop {
        let log = std::fs::read_to_string(&logfile).unwrap_or_default();
        if let Some(port) = log.lines().find_map(serving_port) {
            break port;
        }
        assert!(Instant::now() < until, "no serving line in {log}");
        std::thread::sleep(Duration::from_millis(20));
    };
    let pid = std::fs::read_to_string(&pidfile).unwrap();
    assert_eq!(pid.trim(), child.id().to_string());
    assert_eq!(exchange(port, &post("/hooks/p", &[], "")).status, 200);

    // A second server refuses the pidfile of a running one.
    let out = run(hookctl()
        .args(["serve", "--ip", "127.0.0.1", "--port", "0", "--hooks"])
        .arg(dir.path().join("h.json"))
        .arg("--pidfile")
        .arg(&pidfile));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("pid file found"));

    // SAFETY: our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    assert_eq!(child.wait().unwrap().code(), Some(0));
    assert!(!pidfile.exists(), "the pidfile was left behind");
    // --logfile implies --verbose: webhook's lines are there.
    let log = std::fs::read_to_string(&logfile).unwrap();
    assert!(log.contains("] p got matched"), "{log}");
    assert!(log.contains("caught terminated signal; exiting"), "{log}");
}

/// Pins docs/limitations.md#serve-interim-status: webhook sends `100 Continue` and then
/// `200 OK`; hookctl sends only the `200 OK`, and warns at start-up.
#[test]
fn known_gap_serve_interim_status() {
    let hooks = r#"[{"id":"c100","execute-command":"/bin/true","response-message":"body",
        "success-http-response-code":100}]"#;
    let dir = hook_dir(&[("h.json", hooks)]);
    let server = Server::start(&["--hooks", &path_in(dir.path(), "h.json")]);
    assert!(server.wait_log("serve-interim-status", Duration::from_secs(2)));
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(&post("/hooks/c100", &[], "")).unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw);
    assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
    assert!(text.ends_with("\r\n\r\nbody"), "{text}");
}
