//! Tests of webhook's request handling (shared/reference/webhook-semantics.md §5 and the
//! response and execution cases of §8).

use std::time::Duration;

use super::report::{render, report};
use super::*;
use crate::testing::hook_at;

fn hooks(json: &str) -> Vec<Hook> {
    let list: serde_json::Value = serde_json::from_str(json).unwrap();
    let list = list.as_array().unwrap();
    list.iter()
        .enumerate()
        .map(|(i, h)| hook_at(h, &format!("/{i}")))
        .collect()
}

fn config() -> ServerConfig {
    ServerConfig {
        environment: vec![
            ("PATH".into(), "/usr/bin:/bin".into()),
            ("INHERITED".into(), "orig".into()),
        ],
        working_dir: "/".into(),
        temp_dir: std::env::temp_dir(),
        response_headers: vec![
            ("X-Global".into(), "global".into()),
            ("x-two".into(), "a=b".into()),
        ],
        ..ServerConfig::default()
    }
}

fn execute() -> Mode {
    Mode::Execute(ExecOptions {
        timeout: Duration::from_secs(5),
    })
}

fn post(path: &str, body: &str) -> Request {
    Request::new("POST", path)
        .with_header("Content-Type", "application/json")
        .with_body(body)
}

fn body(outcome: &Outcome) -> String {
    String::from_utf8_lossy(&outcome.response.body).into_owned()
}

fn header<'a>(outcome: &'a Outcome, name: &str) -> Option<&'a str> {
    outcome.response.header(name)
}

const HOOKS: &str = r#"[
  {"id":"async","execute-command":"/bin/true","response-message":"queued",
   "success-http-response-code":201,
   "response-headers":[{"name":"x-custom","value":"1"},{"name":"X-Global","value":"hook"}],
   "trigger-rule":{"match":{"type":"value","value":"yes",
     "parameter":{"source":"payload","name":"go"}}},
   "trigger-rule-mismatch-http-response-code":400},
  {"id":"cap","execute-command":"/bin/sh","include-command-output-in-response":true,
   "pass-arguments-to-command":[{"source":"string","name":"-c"},
     {"source":"payload","name":"script"}]},
  {"id":"cap-onerr","execute-command":"/bin/sh","include-command-output-in-response":true,
   "include-command-output-in-response-on-error":true,
   "pass-arguments-to-command":[{"source":"string","name":"-c"},
     {"source":"payload","name":"script"}]},
  {"id":"cap-json","execute-command":"/bin/false","include-command-output-in-response":true,
   "response-headers":[{"name":"Content-Type","value":"application/json"}]},
  {"id":"missing-cmd","execute-command":"/nonexistent/cmd","response-message":"still ok"},
  {"id":"missing-cmd-cap","execute-command":"/nonexistent/cmd",
   "include-command-output-in-response":true,
   "include-command-output-in-response-on-error":true},
  {"id":"err","execute-command":"/bin/true","trigger-rule":{"match":{"type":"value"}}},
  {"id":"odd-code","execute-command":"/bin/true","success-http-response-code":999,
   "response-message":"m"},
  {"id":"get-only","execute-command":"/bin/true","http-methods":["GET"]},
  {"id":"dotted","execute-command":"/bin/true",
   "parse-parameters-as-json":[{"source":"payload","name":"o.i"}]},
  {"id":"x","execute-command":"/bin/true","response-message":"first"},
  {"id":"x","execute-command":"/bin/true","response-message":"second"}
]"#;

#[test]
fn the_router_answers_before_webhook() {
    let hooks = hooks(HOOKS);
    let get = |uri: &str| handle(&hooks, &Request::new("GET", uri), &config(), Mode::Plan);
    let page = get("/hooks");
    assert_eq!(
        (page.response.status, body(&page).as_str()),
        (404, "404 page not found\n")
    );
    assert_eq!(header(&page, "X-Content-Type-Options"), Some("nosniff"));
    assert!(page.log.is_empty());
    let moved = get("/hooks/./x?a=1");
    assert_eq!(
        (moved.response.status, header(&moved, "Location")),
        (301, Some("/hooks/x?a=1"))
    );
    let health = get("/");
    assert_eq!(
        (health.response.status, body(&health).as_str()),
        (200, "OK")
    );
    assert_eq!(header(&health, "X-Global"), None);
    let unknown = get("/hooks/nope");
    assert_eq!(
        (unknown.response.status, body(&unknown).as_str()),
        (404, "Hook not found.")
    );
    assert_eq!(header(&unknown, "X-Global"), None);
    assert_eq!(unknown.log, ["incoming HTTP GET request from 127.0.0.1:0"]);
    assert_eq!(body(&get("/hooks/x")), "first");
}

#[test]
fn methods_are_checked_without_global_headers() {
    let hooks = hooks(HOOKS);
    let out = handle(
        &hooks,
        &post("/hooks/get-only", "{}"),
        &config(),
        Mode::Plan,
    );
    assert_eq!((out.response.status, out.response.body.len()), (405, 0));
    assert!(out.response.headers.is_empty());
    assert_eq!(
        out.log[1],
        r#"HTTP POST method not allowed for hook "get-only""#
    );
}

#[test]
fn mismatch_and_fired_responses() {
    let hooks = hooks(HOOKS);
    let out = handle(
        &hooks,
        &post("/hooks/async", r#"{"go":"no"}"#),
        &config(),
        Mode::Plan,
    );
    assert_eq!(
        (out.response.status, body(&out).as_str()),
        (400, "Hook rules were not satisfied.")
    );
    assert_eq!(header(&out, "X-Global"), Some("global"));
    assert_eq!(header(&out, "X-Custom"), None);
    assert!(!out.triggered);

    let out = handle(
        &hooks,
        &post("/hooks/async", r#"{"go":"yes"}"#),
        &config(),
        Mode::Plan,
    );
    assert_eq!((out.response.status, body(&out).as_str()), (201, "queued"));
    assert_eq!(header(&out, "X-Global"), Some("hook"));
    assert_eq!(header(&out, "X-Custom"), Some("1"));
    assert_eq!(header(&out, "X-Two"), Some("a=b"));
    assert_eq!(
        header(&out, "Content-Type"),
        Some("text/plain; charset=utf-8")
    );
    assert!(out.triggered && out.run.is_none());
}

#[test]
fn rule_errors_are_500() {
    let out = handle(
        &hooks(HOOKS),
        &post("/hooks/err", "{}"),
        &config(),
        Mode::Plan,
    );
    assert_eq!(out.response.status, 500);
    assert_eq!(body(&out), "Error occurred while evaluating hook rules.");
    assert!(out
        .log
        .contains(&"error evaluating hook: no source for value retrieval".to_string()));
}

#[test]
fn captured_output_and_failures() {
    let hooks = hooks(HOOKS);
    let run = |id: &str, script: &str| {
        let payload = serde_json::json!({ "script": script }).to_string();
        handle(
            &hooks,
            &post(&format!("/hooks/{id}"), &payload),
            &config(),
            execute(),
        )
    };
    let ok = run("cap", "echo out");
    assert_eq!((ok.response.status, body(&ok).as_str()), (200, "out\n"));
    let fail = run("cap", "echo out1; echo err1 >&2; echo out2; exit 1");
    assert_eq!(
        (fail.response.status, body(&fail).as_str()),
        (500, COMMAND_ERROR_BODY)
    );
    assert_eq!(
        fail.error.as_deref(),
        Some("the command failed: exit status 1")
    );
    let onerr = run("cap-onerr", "echo out1; echo err1 >&2; echo out2; exit 1");
    assert_eq!(
        (onerr.response.status, body(&onerr).as_str()),
        (500, "out1\nerr1\nout2\n")
    );
    let json = handle(&hooks, &post("/hooks/cap-json", "{}"), &config(), execute());
    assert_eq!(header(&json, "Content-Type"), Some("application/json"));
    assert_eq!(body(&json), COMMAND_ERROR_BODY);
}

#[test]
fn commands_that_cannot_start() {
    let hooks = hooks(HOOKS);
    let out = handle(
        &hooks,
        &post("/hooks/missing-cmd", "{}"),
        &config(),
        execute(),
    );
    assert_eq!(
        (out.response.status, body(&out).as_str()),
        (200, "still ok")
    );
    assert!(out.log.contains(
        &r#"error in exec: "/nonexistent/cmd": stat /nonexistent/cmd: no such file or directory"#
            .into()
    ));
    let out = handle(
        &hooks,
        &post("/hooks/missing-cmd-cap", "{}"),
        &config(),
        execute(),
    );
    assert_eq!((out.response.status, out.response.body.len()), (500, 0));
    assert_eq!(header(&out, "Content-Type"), None);
}

#[test]
fn unknown_status_codes_default_to_200() {
    let out = handle(
        &hooks(HOOKS),
        &post("/hooks/odd-code", "{}"),
        &config(),
        Mode::Plan,
    );
    assert_eq!(out.response.status, 200);
    let line =
        "odd-code got matched, but the configured return code 999 is unknown - defaulting to 200";
    assert!(out.log.contains(&line.to_string()));
}

#[test]
fn a_dotted_json_parameter_crashes_the_handler() {
    let out = handle(
        &hooks(HOOKS),
        &post("/hooks/dotted", r#"{"o":{"i":"{}"}}"#),
        &config(),
        Mode::Plan,
    );
    assert_eq!(
        (out.response.status, body(&out).as_str()),
        (500, "Internal Server Error\n")
    );
    assert_eq!(header(&out, "X-Global"), Some("global"));
    assert_eq!(header(&out, "X-Content-Type-Options"), Some("nosniff"));
}

#[test]
fn multipart_failures_are_500() {
    let hooks = hooks(HOOKS);
    let req = Request::new("POST", "/hooks/x")
        .with_header("Content-Type", "multipart/form-data; boundary=YY")
        .with_body("--XX\r\n\r\n--XX--\r\n");
    let out = handle(&hooks, &req, &config(), Mode::Plan);
    assert_eq!(
        (out.response.status, body(&out).as_str()),
        (500, "Error occurred while parsing multipart form.")
    );
    assert_eq!(
        out.log.last().unwrap(),
        "error parsing multipart form: multipart: NextPart: EOF\n"
    );
}

#[test]
fn plan_mode_has_no_side_effects() {
    let hooks = hooks(
        r#"[{"id":"f","execute-command":"/bin/true","include-command-output-in-response":true,
        "pass-file-to-command":[{"source":"string","name":"x","envname":"F"}]}]"#,
    );
    let out = handle(&hooks, &post("/hooks/f", "{}"), &config(), Mode::Plan);
    assert!(out.response_depends_on_command);
    assert!(out.run.is_none());
    let plan = out.command.as_ref().unwrap();
    assert_eq!(plan.files[0].content, b"x");
    assert!(
        out.log.last().unwrap().contains("F=") && out.log.last().unwrap().contains("F<random>")
    );
}

#[test]
fn environment_and_files_when_executed() {
    let hooks = hooks(
        r#"[{"id":"e","execute-command":"/bin/sh","include-command-output-in-response":true,
        "pass-arguments-to-command":[{"source":"string","name":"-c"},
          {"source":"string","name":"echo $INHERITED; echo $HOOK_; cat $HOOK_DATA"}],
        "pass-environment-to-command":[
          {"source":"string","name":"overridden","envname":"INHERITED"},
          {"source":"entire-payload"}],
        "pass-file-to-command":[{"source":"payload","name":"data","base64decode":true}]}]"#,
    );
    let out = handle(
        &hooks,
        &post("/hooks/e", r#"{"data":"aGVsbG8gYnl0ZXM="}"#),
        &config(),
        execute(),
    );
    assert_eq!(
        body(&out),
        "overridden\n{\"data\":\"aGVsbG8gYnl0ZXM=\"}\nhello bytes"
    );
    let path = &out.run.as_ref().unwrap().files[0].path;
    assert!(path.contains("HOOK_DATA"));
    let report = report(&out, &config());
    assert_eq!(report.files[0].path, *path);
    assert_eq!(report.env.last().unwrap().name, "HOOK_DATA");
}

#[test]
fn reports_serialise_and_render() {
    let out = handle(
        &hooks(HOOKS),
        &post("/hooks/async", r#"{"go":"yes"}"#),
        &config(),
        Mode::Plan,
    );
    let report = report(&out, &config());
    let json = serde_json::to_value(&report).unwrap();
    for key in [
        "hook",
        "triggered",
        "status",
        "response",
        "command",
        "args",
        "env",
        "files",
        "working_dir",
        "trace",
        "error",
    ] {
        assert!(json.get(key).is_some(), "missing {key}");
    }
    assert_eq!(json["response"]["status"], 201);
    assert_eq!(json["trace"][0]["result"], "true");
    let text = render(&report);
    assert!(
        text.starts_with("hook \"async\": fires → 201 Created\n"),
        "{text}"
    );
    assert!(
        text.contains("✓ /0/trigger-rule match value  payload go = \"yes\""),
        "{text}"
    );
    assert!(text.contains("command: /bin/true (/bin/true)"), "{text}");
}

#[test]
fn the_envvar_fallback_is_logged_once_per_loaded_hook() {
    let hooks = hooks(
        r#"[{"id":"f","execute-command":"/bin/true",
        "pass-file-to-command":[{"source":"payload","name":"data"}]}]"#,
    );
    let config = config();
    let line = "no ENVVAR name specified, falling back to [HOOK_DATA]".to_string();
    let first = handle(
        &hooks,
        &post("/hooks/f", r#"{"data":"1"}"#),
        &config,
        execute(),
    );
    assert!(first.log.contains(&line));
    let missing = handle(&hooks, &post("/hooks/f", "{}"), &config, execute());
    let error = "error extracting command arguments for file: couldn't retrieve argument for \
                 {Source:payload Name:data EnvName:HOOK_DATA Base64Decode:false}";
    assert!(
        missing.log.contains(&error.to_string()),
        "{:?}",
        missing.log
    );
    let second = handle(
        &hooks,
        &post("/hooks/f", r#"{"data":"2"}"#),
        &config,
        execute(),
    );
    assert!(!second.log.contains(&line));
    config.state.clear();
    let reloaded = handle(
        &hooks,
        &post("/hooks/f", r#"{"data":"3"}"#),
        &config,
        execute(),
    );
    assert!(reloaded.log.contains(&line));
}

#[test]
fn expect_continue_sends_an_interim_response() {
    let hooks = hooks(HOOKS);
    let req = post("/hooks/x", "{}")
        .with_header("Expect", "100-continue")
        .with_header("Content-Length", "2");
    let out = handle(&hooks, &req, &config(), Mode::Plan);
    assert_eq!(
        (out.response.interim, out.response.status),
        (Some(100), 200)
    );
    let get = Request::new("GET", "/hooks/get-only").with_header("Expect", "100-continue");
    assert_eq!(
        handle(&hooks, &get, &config(), Mode::Plan).response.interim,
        None
    );
}

#[test]
fn panics_log_go_values() {
    let hooks = hooks(
        r#"[{"id":"p","execute-command":"/bin/true","trigger-rule":{"match":{"type":"value",
          "value":"x","parameter":{"source":"payload","name":"l.18446744073709551615"}}}},
          {"id":"sp","execute-command":"  ","include-command-output-in-response":true}]"#,
    );
    let out = handle(
        &hooks,
        &post("/hooks/p", r#"{"l":[1,2]}"#),
        &config(),
        Mode::Plan,
    );
    assert_eq!((out.response.status, out.stage), (500, Stage::Crashed));
    assert!(out
        .log
        .contains(&"panic: runtime.boundsError{x:-1, y:2, signed:false, code:0x0}".into()));
    let out = handle(&hooks, &post("/hooks/sp", "{}"), &config(), Mode::Plan);
    assert_eq!(body(&out), "Internal Server Error\n");
    assert!(out
        .log
        .contains(&"panic: runtime.boundsError{x:0, y:0, signed:true, code:0x0}".into()));
}
