//! `hookctl sign`: every known-answer vector, the shared fixture requests signed again,
//! round trips through `hookctl simulate` and webhook 2.8.0, `--verify` and its
//! diagnosis, bad input, and secrets that never show.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use hookctl::config::model::Algorithm;
use hookctl::request::http;
use hookctl::rules::signature::hmac_hex;
use serde_json::Value;

use crate::support::{hookctl, root, run, Output};

const FIXTURE_SECRET: &str = "It's a Secret to Everybody";
const HOOKS: &str = "tests/fixtures/sign/hooks.json";
const PAYLOAD: &str = "tests/fixtures/sign/payload.json";
const HELLO_256: &str = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
const WEBHOOK: &str = "/usr/bin/webhook";

/// `hookctl sign ARGS` with `HOOKCTL_TEST_SECRET` set to `secret`.
fn sign_with(secret: &str, args: &[&str]) -> Output {
    run(hookctl()
        .arg("sign")
        .env("HOOKCTL_TEST_SECRET", secret)
        .args(args))
}

/// The raw stdout of a successful `hookctl sign`.
fn sign_bytes(secret: &str, args: &[&str]) -> Vec<u8> {
    let out = hookctl()
        .arg("sign")
        .env("HOOKCTL_TEST_SECRET", secret)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Writes `bytes` to a file in `dir` and returns its path.
fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_string_lossy().into_owned()
}

// Known answers

/// The flags and the expected output line for each vector of vectors.json.
fn checks_for(v: &Value) -> Vec<(Vec<String>, String)> {
    let s = |key: &str| v[key].as_str().unwrap().to_string();
    let e = |key: &str| v["expected"][key].as_str().unwrap().to_string();
    let header = || format!("{}: {}", e("header_name"), e("header_value"));
    let args = |list: &[&str]| list.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    let bare = |alg: &str, sig: String| {
        (
            args(&["--algorithm", alg, "--no-prefix", "--output", "value"]),
            sig,
        )
    };
    let id = s("id");
    match id.as_str() {
        "github-docs-hello-world" => vec![
            (args(&[]), header()),
            (args(&["--provider", "github"]), header()),
            bare("sha256", e("signature")),
        ],
        "github-hello-world-sha1-derived" => vec![(args(&["--provider", "github"]), header())],
        "slack-docs-slash-command" => vec![
            (
                args(&["--provider", "slack", "--timestamp", &s("timestamp")]),
                header(),
            ),
            (
                args(&["--provider", "slack", "--timestamp", &s("timestamp")]),
                format!("X-Slack-Request-Timestamp: {}", s("timestamp")),
            ),
        ],
        "standard-webhooks-sign" => vec![(
            args(&[
                "--provider",
                "standard-webhooks",
                "--timestamp",
                &s("timestamp"),
                "--webhook-id",
                &s("webhook_id"),
            ]),
            header(),
        )],
        "stripe-scheme-derived" => vec![(
            args(&["--provider", "stripe", "--timestamp", &s("timestamp")]),
            header(),
        )],
        "adnanh-webhook-scalr-signature" => {
            let date = v["headers"]["Date"].as_str().unwrap();
            vec![
                (args(&["--provider", "scalr", "--date", date]), header()),
                (
                    args(&["--provider", "scalr", "--date", date]),
                    format!("Date: {date}"),
                ),
            ]
        }
        "rfc2202-hmac-sha1-case2" => vec![bare("sha1", e("signature"))],
        "rfc4231-hmac-sha256-sha512-case2" => {
            vec![bare("sha256", e("sha256")), bare("sha512", e("sha512"))]
        }
        other if other.starts_with("adnanh-webhook-payload-hmac-") => {
            let alg = other.split('-').nth(4).unwrap();
            let header = match alg {
                "sha1" => "X-Hub-Signature",
                "sha256" => "X-Hub-Signature-256",
                _ => "X-Hub-Signature-512",
            };
            vec![
                bare(alg, e("signature")),
                (
                    args(&["--algorithm", alg]),
                    format!("{header}: {alg}={}", e("signature")),
                ),
            ]
        }
        other => panic!("vector `{other}` has no check here; add one"),
    }
}

#[test]
fn every_vector_in_vectors_json_is_reproduced_byte_for_byte() {
    let text = std::fs::read_to_string(root().join("tests/fixtures/sign/vectors.json")).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    let vectors: Vec<&Value> = doc["published"]
        .as_array()
        .unwrap()
        .iter()
        .chain(doc["derived"].as_array().unwrap())
        .collect();
    assert_eq!(vectors.len(), 14, "every vector of the shared file is here");

    let dir = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for v in vectors {
        let id = v["id"].as_str().unwrap();
        let body = write(dir.path(), id, v["body"].as_str().unwrap().as_bytes());
        let secret = v["secret"].as_str().unwrap();
        for (flags, expected) in checks_for(v) {
            let mut args = vec![body.as_str(), "--secret-env", "HOOKCTL_TEST_SECRET"];
            args.extend(flags.iter().map(String::as_str));
            let out = sign_with(secret, &args);
            assert_eq!(out.code, 0, "{id} {flags:?}: {}", out.stderr);
            assert!(
                out.stdout.lines().any(|line| line == expected),
                "{id} {flags:?}: no line `{expected}` in\n{}",
                out.stdout
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 25);
}

#[test]
fn the_shared_fixture_requests_get_the_same_signatures() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[&str]); 8] = [
        ("github-push.http", &["--provider", "github"]),
        ("github-ping.http", &["--provider", "github"]),
        ("github-pull_request-opened.http", &["--provider", "github"]),
        ("gitea-push.http", &["--provider", "gitea"]),
        ("gitea-push.http", &["--provider", "gogs"]),
        ("forgejo-push.http", &["--provider", "forgejo"]),
        ("bitbucket-repo-push.http", &["--provider", "bitbucket"]),
        (
            "slack-slash-command.http",
            &["--provider", "slack", "--timestamp", "1700000000"],
        ),
    ];
    for (file, flags) in cases {
        let raw = std::fs::read(root().join("tests/fixtures/requests").join(file)).unwrap();
        let recorded = http::parse(&raw).unwrap();
        let body = write(dir.path(), file, &recorded.body);
        let mut args = vec![body.as_str(), "--secret-env", "HOOKCTL_TEST_SECRET"];
        args.extend(flags);
        let out = sign_with(FIXTURE_SECRET, &args);
        assert_eq!(out.code, 0, "{file}: {}", out.stderr);
        for line in out.stdout.lines() {
            let (name, value) = line.split_once(": ").unwrap();
            assert_eq!(recorded.header(name), Some(value), "{file}: {name}");
        }
    }
}

#[test]
fn github_form_deliveries_are_rebuilt_byte_for_byte() {
    let raw = std::fs::read(root().join("tests/fixtures/requests/github-push-form.http")).unwrap();
    let recorded = http::parse(&raw).unwrap();
    let json = form_urlencoded::parse(&recorded.body)
        .find(|(key, _)| key == "payload")
        .unwrap()
        .1;
    let dir = tempfile::tempdir().unwrap();
    let payload = write(dir.path(), "push.json", json.as_bytes());

    let ours = sign_bytes(
        FIXTURE_SECRET,
        &[
            &payload,
            "--secret-env",
            "HOOKCTL_TEST_SECRET",
            "--provider",
            "github",
            "--form",
            "--output",
            "http",
            "--hook",
            "github-push",
        ],
    );
    let ours = http::parse(&ours).unwrap();
    assert_eq!(ours.body, recorded.body);
    assert_eq!(ours.request_uri(), "/hooks/github-push");
    for name in [
        "X-Hub-Signature",
        "X-Hub-Signature-256",
        "Content-Type",
        "Content-Length",
    ] {
        assert_eq!(ours.header(name), recorded.header(name), "{name}");
    }
}

#[test]
fn payloads_from_standard_input_are_signed_too() {
    let out = hookctl()
        .args([
            "sign",
            "--secret-env",
            "HOOKCTL_TEST_SECRET",
            "--output",
            "value",
        ])
        .env("HOOKCTL_TEST_SECRET", FIXTURE_SECRET)
        .write_stdin("Hello, World!")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("{HELLO_256}\n")
    );
}

// Round trips

/// The hooks of the round trip, with the secret flags each is signed with.
fn round_trip_hooks() -> Vec<(&'static str, Vec<&'static str>)> {
    let env = vec!["--secret-env", "HOOKCTL_TEST_SECRET"];
    let file = vec!["--use-file-secrets"];
    vec![
        ("github-both", env.clone()),
        ("gitea-bare", file.clone()),
        ("bitbucket", env.clone()),
        ("sha512", file.clone()),
        ("query-signature", env.clone()),
        ("scalr", file.clone()),
        ("one-header-two-algorithms", env),
        (
            "two-secrets",
            vec![
                "--secret-env",
                "/7/trigger-rule/and/0/match=HOOKCTL_FIRST",
                "--secret-env",
                "/7/trigger-rule/and/1/not/not/match=HOOKCTL_SECOND",
            ],
        ),
    ]
}

/// A signed request for `hook` from `sign --output http`, with `Connection: close` so
/// webhook ends the connection after answering.
fn signed_request(hook: &str, secret_flags: &[&str]) -> Vec<u8> {
    let mut args = vec![
        PAYLOAD,
        "--hooks",
        HOOKS,
        "--hook",
        hook,
        "--output",
        "http",
        "--add-header",
        "Connection: close",
    ];
    args.extend(secret_flags);
    let out = hookctl()
        .arg("sign")
        .args(&args)
        .env("HOOKCTL_TEST_SECRET", FIXTURE_SECRET)
        .env("HOOKCTL_FIRST", "first secret")
        .env("HOOKCTL_SECOND", "second secret")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{hook}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// The request with one byte of its body changed (same length).
fn tampered(request: &[u8]) -> Vec<u8> {
    let at = request
        .windows(4)
        .rposition(|w| w == b"Sign")
        .expect("the payload says `Sign test requests`");
    let mut changed = request.to_vec();
    changed[at] = b'T';
    changed
}

#[test]
fn round_trip_simulate_accepts_signed_requests_and_rejects_changed_bodies() {
    let dir = tempfile::tempdir().unwrap();
    for (hook, secrets) in round_trip_hooks() {
        let request = signed_request(hook, &secrets);
        let good = write(dir.path(), &format!("{hook}.http"), &request);
        let bad = write(dir.path(), &format!("{hook}-bad.http"), &tampered(&request));

        let out = run(hookctl().args(["simulate", "--hooks", HOOKS, "--request", &good]));
        assert_eq!(out.code, 0, "{hook}: {}\n{}", out.stdout, out.stderr);
        let out = run(hookctl().args(["simulate", "--hooks", HOOKS, "--request", &bad]));
        assert_eq!(out.code, 1, "{hook} with a changed body: {}", out.stdout);
        assert!(
            out.stdout.contains("invalid payload signature"),
            "{hook}: {}",
            out.stdout
        );
    }
}

#[test]
fn round_trip_requests_are_written_as_the_senders_write_them() {
    let gitea = signed_request("gitea-bare", &["--use-file-secrets"]);
    let gitea = http::parse(&gitea).unwrap();
    let value = gitea.header("X-Gitea-Signature").unwrap();
    assert!(value.len() == 64 && value.bytes().all(|c| c.is_ascii_hexdigit()));

    let query = signed_request("query-signature", &["--use-file-secrets"]);
    let query = http::parse(&query).unwrap();
    assert!(
        query.query.starts_with("signature=sha256%3D"),
        "{}",
        query.query
    );

    let list = signed_request("one-header-two-algorithms", &["--use-file-secrets"]);
    let list = http::parse(&list).unwrap();
    let value = list.header("X-Signature-List").unwrap();
    assert!(
        value.starts_with("sha1=") && value.contains(",sha512="),
        "{value}"
    );

    let scalr = signed_request("scalr", &["--use-file-secrets"]);
    let scalr = http::parse(&scalr).unwrap();
    assert!(scalr.header("Date").unwrap().ends_with(" UTC"));
    assert_eq!(scalr.header("X-Signature").unwrap().len(), 40);
}

/// webhook 2.8.0 serving the round-trip hooks on 127.0.0.1; stopped on drop.
struct Webhook {
    child: Child,
    port: u16,
    log: tempfile::NamedTempFile,
}

impl Drop for Webhook {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Webhook {
    /// Starts webhook, or `None` (said on stderr) when it is not installed.
    fn start() -> Option<Webhook> {
        if !Path::new(WEBHOOK).exists() {
            eprintln!(
                "skipping the webhook round trip: {WEBHOOK} is not installed \
                 (CI installs webhook 2.8.0 with apt-get install webhook)"
            );
            return None;
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let log = tempfile::NamedTempFile::new().unwrap();
        let child = StdCommand::new(WEBHOOK)
            .current_dir(root())
            .args(["-hooks", HOOKS, "-ip", "127.0.0.1", "-verbose"])
            .args(["-port", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(log.reopen().unwrap())
            .spawn()
            .unwrap();
        let webhook = Webhook { child, port, log };
        let deadline = Instant::now() + Duration::from_secs(15);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "webhook did not start: {}",
                webhook.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(webhook)
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap_or_default()
    }

    /// Sends a raw request; returns the status code and the response body.
    fn send(&self, request: &[u8]) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(15)))
            .unwrap();
        stream.write_all(request).unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let text = String::from_utf8_lossy(&response).into_owned();
        let status = text
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = text
            .split_once("\r\n\r\n")
            .map_or("", |(_, b)| b)
            .to_string();
        (status, body)
    }
}

#[test]
fn round_trip_webhook_2_8_0_accepts_signed_requests_and_rejects_changed_bodies() {
    let Some(webhook) = Webhook::start() else {
        return;
    };
    for (hook, secrets) in round_trip_hooks() {
        let request = signed_request(hook, &secrets);
        let (status, body) = webhook.send(&request);
        assert_eq!(
            (status, body.as_str()),
            (200, "signed request accepted"),
            "{hook}: {}",
            webhook.log()
        );
        let (status, body) = webhook.send(&tampered(&request));
        assert_eq!(status, 500, "{hook} with a changed body: {body}");
        assert!(
            body.contains("Error occurred while evaluating hook rules"),
            "{body}"
        );
    }
}

#[test]
fn round_trip_webhook_runs_the_curl_command() {
    let Some(webhook) = Webhook::start() else {
        return;
    };
    if !Path::new("/usr/bin/curl").exists() {
        eprintln!("skipping: /usr/bin/curl is not installed");
        return;
    }
    let port = webhook.port.to_string();
    let command = sign_bytes(
        FIXTURE_SECRET,
        &[
            PAYLOAD,
            "--hooks",
            HOOKS,
            "--hook",
            "github-both",
            "--secret-env",
            "HOOKCTL_TEST_SECRET",
            "--output",
            "curl",
            "--host",
            "127.0.0.1",
            "--port",
            &port,
        ],
    );
    let command = String::from_utf8(command).unwrap();
    let out = StdCommand::new("sh")
        .current_dir(root())
        .args([
            "-c",
            &format!("{} --silent --show-error", command.trim_end()),
        ])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "signed request accepted",
        "{command}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_docs_two_command_example_fires_the_corrected_github_hook() {
    let dir = tempfile::tempdir().unwrap();
    let request = sign_bytes(
        FIXTURE_SECRET,
        &[
            "--hooks",
            "examples/corrected/github-auto-deploy.json",
            "--hook",
            "github-auto-deploy",
            "--secret-env",
            "HOOKCTL_TEST_SECRET",
            "--output",
            "http",
            PAYLOAD,
        ],
    );
    let push = write(dir.path(), "push.http", &request);
    let out = run(hookctl().args([
        "simulate",
        "--hooks",
        "examples/corrected/github-auto-deploy.json",
        "--request",
        &push,
    ]));
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
}

// Outputs

#[test]
fn curl_output_is_a_complete_command() {
    let out = sign_with(
        FIXTURE_SECRET,
        &[
            PAYLOAD,
            "--hooks",
            HOOKS,
            "--hook",
            "query-signature",
            "--secret-env",
            "HOOKCTL_TEST_SECRET",
            "--output",
            "curl",
            "--urlprefix",
            "webhooks",
            "--port",
            "9001",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(
        lines[0].starts_with(
            "curl --request POST \
             'http://localhost:9001/webhooks/query-signature?signature=sha256%3D"
        ),
        "{}",
        out.stdout
    );
    assert_eq!(lines[1], "  --header 'Content-Type: application/json' \\");
    assert_eq!(
        lines[2],
        "  --data-binary @tests/fixtures/sign/payload.json"
    );

    let out = sign_with(
        FIXTURE_SECRET,
        &[
            PAYLOAD,
            "--secret-env",
            "HOOKCTL_TEST_SECRET",
            "--provider",
            "github",
            "--form",
            "--output",
            "curl",
            "--url",
            "https://ci.example.com/hooks/deploy",
        ],
    );
    assert!(out.stdout.contains("--header 'X-Hub-Signature: sha1="));
    assert!(out
        .stdout
        .contains("--header 'Content-Type: application/x-www-form-urlencoded'"));
    assert!(
        out.stdout
            .contains("--data-binary payload=%7B%0A++%22ref%22"),
        "{}",
        out.stdout
    );
}

#[test]
fn http_output_keeps_every_byte_of_a_binary_body() {
    let dir = tempfile::tempdir().unwrap();
    let body = b"a\x1b[31mred\x1b[0m\x00\xff\r\n\r\nend".to_vec();
    let payload = write(dir.path(), "payload.bin", &body);
    let raw = sign_bytes(
        FIXTURE_SECRET,
        &[
            &payload,
            "--secret-env",
            "HOOKCTL_TEST_SECRET",
            "--output",
            "http",
            "--hook",
            "binary",
            "--content-type",
            "application/octet-stream",
        ],
    );
    let parsed = http::parse(&raw).unwrap();
    assert_eq!(parsed.body, body);
    let expected = hmac_hex(Algorithm::Sha256, FIXTURE_SECRET.as_bytes(), &body);
    assert_eq!(
        parsed.header("X-Hub-Signature-256"),
        Some(format!("sha256={expected}").as_str())
    );
}

#[test]
fn json_output_lists_signatures_headers_and_request() {
    let out = sign_with(
        FIXTURE_SECRET,
        &[
            PAYLOAD,
            "--hooks",
            HOOKS,
            "--hook",
            "github-both",
            "--secret-env",
            "HOOKCTL_TEST_SECRET",
            "--output",
            "json",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["payload"]["path"], PAYLOAD);
    assert_eq!(report["payload"]["ends_with_newline"], true);
    assert!(report["notes"][0]
        .as_str()
        .unwrap()
        .contains("ends with a line break"));
    assert_eq!(report["signatures"][0]["header"], "X-Hub-Signature");
    assert_eq!(
        report["signatures"][0]["match"],
        "/0/trigger-rule/and/0/match"
    );
    assert_eq!(report["signatures"][1]["algorithm"], "sha256");
    assert_eq!(report["signatures"][1]["verifiable_by_webhook"], true);
    assert_eq!(report["headers"].as_array().unwrap().len(), 2);
    assert_eq!(
        report["request"]["url"],
        "http://localhost:9000/hooks/github-both"
    );
    assert_eq!(report["request"]["content_type"], "application/json");
}

#[test]
fn multipart_requests_are_signed_over_zero_bytes() {
    let out = sign_with(
        "secret",
        &[
            PAYLOAD,
            "--secret-env",
            "HOOKCTL_TEST_SECRET",
            "--algorithm",
            "sha1",
            "--output",
            "value",
            "--content-type",
            "multipart/form-data; boundary=x",
        ],
    );
    assert_eq!(
        out.stdout,
        "sha1=25af6174a0fcecc4d346680a72b7ce644b9a88e8\n"
    );
    assert!(out.stderr.contains("zero bytes"), "{}", out.stderr);
}

#[test]
fn schemes_webhook_cannot_check_are_computed_and_said_so() {
    for provider in ["slack", "stripe", "standard-webhooks"] {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let out = sign_with(
            secret,
            &[
                PAYLOAD,
                "--secret-env",
                "HOOKCTL_TEST_SECRET",
                "--provider",
                provider,
            ],
        );
        assert_eq!(out.code, 0, "{provider}: {}", out.stderr);
        assert!(
            out.stderr.contains("webhook's match types cannot verify"),
            "{provider}: {}",
            out.stderr
        );
    }
}

// Notes and warnings

#[test]
fn a_final_newline_in_the_payload_is_warned_about() {
    let out = sign_with(
        FIXTURE_SECRET,
        &[PAYLOAD, "--secret-env", "HOOKCTL_TEST_SECRET"],
    );
    assert_eq!(out.code, 0);
    assert!(
        out.stderr.contains("ends with a line break"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_secret_file_loses_its_final_newline_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let secret = write(
        dir.path(),
        "secret.txt",
        format!("{FIXTURE_SECRET}\n").as_bytes(),
    );
    let payload = write(dir.path(), "hello.txt", b"Hello, World!");
    let out = run(hookctl().args(["sign", &payload, "--secret-file", &secret]));
    assert_eq!(out.stdout, format!("X-Hub-Signature-256: {HELLO_256}\n"));
    assert!(
        out.stderr.contains("removed the line break"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_secret_on_the_command_line_is_warned_about() {
    let out = run(hookctl().args(["sign", PAYLOAD, "--secret", FIXTURE_SECRET]));
    assert_eq!(out.code, 0);
    assert!(out.stderr.contains("shell history"), "{}", out.stderr);
}

#[test]
fn an_empty_secret_is_refused_unless_allowed() {
    let out = sign_with("", &[PAYLOAD, "--secret-env", "HOOKCTL_TEST_SECRET"]);
    assert_eq!(out.code, 2);
    assert!(out
        .stderr
        .contains("the secret from environment variable `HOOKCTL_TEST_SECRET` is empty"));
    assert!(out.stderr.contains("help: "), "{}", out.stderr);
    let out = sign_with(
        "",
        &[
            PAYLOAD,
            "--secret-env",
            "HOOKCTL_TEST_SECRET",
            "--allow-empty-secret",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn one_secret_for_a_hook_with_different_secrets_is_refused() {
    let out = sign_with(
        FIXTURE_SECRET,
        &[
            PAYLOAD,
            "--hooks",
            HOOKS,
            "--hook",
            "two-secrets",
            "--secret-env",
            "HOOKCTL_TEST_SECRET",
        ],
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("2 different secrets"), "{}", out.stderr);
    assert!(
        out.stderr.contains("/7/trigger-rule/and/1/not/not/match"),
        "{}",
        out.stderr
    );
}

// Verify

fn verify(payload: &[u8], given: &str, extra: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let payload = write(dir.path(), "payload.json", payload);
    let mut args = vec![
        payload.as_str(),
        "--secret-env",
        "HOOKCTL_TEST_SECRET",
        "--verify",
        given,
    ];
    args.extend(extra);
    sign_with(FIXTURE_SECRET, &args)
}

#[test]
fn verify_exits_0_on_a_match() {
    let out = verify(b"Hello, World!", HELLO_256, &[]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(out
        .stdout
        .starts_with("ok: the signature matches payload-hmac-sha256"));
    let bare = verify(b"Hello, World!", &HELLO_256[7..], &[]);
    assert_eq!(bare.code, 0, "webhook accepts bare hex too");
}

#[test]
fn verify_explains_each_likely_cause() {
    let hello = b"Hello, World!".as_slice();
    let sha1 = "sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59";
    let upper = format!("sha256={}", HELLO_256[7..].to_uppercase());
    let bare_list = format!("{},{}", &HELLO_256[7..], &HELLO_256[7..]);
    let twice = format!("sha256={HELLO_256}");
    let newline_secret = hmac_hex(
        Algorithm::Sha256,
        format!("{FIXTURE_SECRET}\n").as_bytes(),
        hello,
    );
    let compact = br#"{"a":1,"b":[true,null]}"#;
    let compact_mac = hmac_hex(Algorithm::Sha256, FIXTURE_SECRET.as_bytes(), compact);
    let pretty = b"{\n  \"a\": 1,\n  \"b\": [\n    true,\n    null\n  ]\n}";
    let cases: Vec<(&[u8], String, &str)> = vec![
        (hello, sha1.to_string(), "use `payload-hmac-sha1`"),
        (hello, upper, "upper-case hex"),
        (
            hello,
            bare_list,
            "no part of the signature starts with `sha256=`",
        ),
        (hello, twice, "carries `sha256=` twice"),
        (
            b"Hello, World!\n",
            HELLO_256.into(),
            "without its final line break",
        ),
        (hello, newline_secret, "secret followed by a line break"),
        (pretty, compact_mac, "written compactly"),
    ];
    for (payload, given, cause) in cases {
        let out = verify(payload, &given, &[]);
        assert_eq!(out.code, 1, "{given}: {}", out.stdout);
        assert!(out.stdout.starts_with("mismatch: "), "{}", out.stdout);
        assert!(
            out.stdout.contains(cause),
            "expected `{cause}` in\n{}",
            out.stdout
        );
        assert!(!out.stdout.contains(FIXTURE_SECRET));
    }
    let sha1_hex = sha1.trim_start_matches("sha1=");
    let out = verify(hello, &format!("sha256={sha1_hex}"), &[]);
    assert!(
        out.stdout.contains("the signature is the HMAC-SHA1"),
        "{}",
        out.stdout
    );
}

#[test]
fn verify_checks_against_every_signature_match_of_a_hook() {
    let dir = tempfile::tempdir().unwrap();
    let payload = std::fs::read(root().join(PAYLOAD)).unwrap();
    let sha1 = hmac_hex(Algorithm::Sha1, FIXTURE_SECRET.as_bytes(), &payload);
    let out = run(hookctl().args([
        "sign",
        PAYLOAD,
        "--hooks",
        HOOKS,
        "--hook",
        "github-both",
        "--use-file-secrets",
        "--verify",
        &format!("sha1={sha1}"),
    ]));
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("at /0/trigger-rule/and/0/match"),
        "{}",
        out.stdout
    );
    drop(dir);
}

// Bad input

fn refused(args: &[&str], message: &str) {
    let out = sign_with(FIXTURE_SECRET, args);
    assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
    assert!(
        out.stderr.contains(message),
        "{args:?}: expected `{message}` in\n{}",
        out.stderr
    );
}

#[test]
fn a_missing_payload_file_is_refused() {
    refused(
        &[
            "no/such/payload.json",
            "--secret-env",
            "HOOKCTL_TEST_SECRET",
        ],
        "hookctl: payload file `no/such/payload.json` does not exist",
    );
}

#[test]
fn an_unreadable_secret_file_is_refused() {
    refused(
        &[PAYLOAD, "--secret-file", "no/such/secret"],
        "hookctl: cannot read secret file `no/such/secret`",
    );
    refused(
        &[PAYLOAD, "--secret-file", "src"],
        "hookctl: cannot read secret file `src`",
    );
}

#[test]
fn an_unknown_algorithm_is_refused() {
    refused(
        &[
            PAYLOAD,
            "--secret-env",
            "HOOKCTL_TEST_SECRET",
            "--algorithm",
            "md5",
        ],
        "possible values: sha1, sha256, sha512",
    );
}

#[test]
fn a_hook_without_a_signature_match_is_refused() {
    refused(
        &[
            PAYLOAD,
            "--hooks",
            HOOKS,
            "--hook",
            "unsigned",
            "--secret-env",
            "HOOKCTL_TEST_SECRET",
        ],
        "hook `unsigned` has no signature match",
    );
    refused(
        &[
            PAYLOAD,
            "--hooks",
            HOOKS,
            "--hook",
            "signature-in-payload",
            "--use-file-secrets",
        ],
        "has no signature match a request can satisfy\nhelp: payload-hmac-sha256 at \
         /9/trigger-rule/match: it reads the signature from the payload",
    );
}

#[test]
fn an_unknown_hook_id_or_hook_file_is_refused() {
    refused(
        &[
            PAYLOAD,
            "--hooks",
            HOOKS,
            "--hook",
            "nope",
            "--secret-env",
            "HOOKCTL_TEST_SECRET",
        ],
        "no hook has the id `nope` in `tests/fixtures/sign/hooks.json`",
    );
    refused(
        &[
            PAYLOAD,
            "--hooks",
            "no/such/hooks.json",
            "--hook",
            "x",
            "--use-file-secrets",
        ],
        "cannot read hook file `no/such/hooks.json`",
    );
}

#[test]
fn a_missing_secret_and_a_missing_url_are_refused() {
    refused(&[PAYLOAD], "no secret was given");
    refused(
        &[PAYLOAD, "--hooks", HOOKS, "--hook", "github-both"],
        "no secret was given for payload-hmac-sha1 on header X-Hub-Signature",
    );
    refused(
        &[
            PAYLOAD,
            "--secret-env",
            "HOOKCTL_TEST_SECRET",
            "--output",
            "curl",
        ],
        "this output needs the request's URL",
    );
}

// Secrets

#[test]
fn no_secret_appears_in_any_output_or_error() {
    const SECRET: &str = "zq-UNIQUE-s3cr3t-7731";
    let dir = tempfile::tempdir().unwrap();
    let secret_file = write(dir.path(), "secret", format!("{SECRET}\n").as_bytes());
    let hooks = std::fs::read_to_string(root().join(HOOKS))
        .unwrap()
        .replace(FIXTURE_SECRET, SECRET);
    let hooks = write(dir.path(), "hooks.json", hooks.as_bytes());

    let sources: Vec<Vec<&str>> = vec![
        vec!["--secret", SECRET],
        vec!["--secret-env", "HOOKCTL_TEST_SECRET"],
        vec!["--secret-file", &secret_file],
        vec![
            "--hooks",
            &hooks,
            "--hook",
            "github-both",
            "--use-file-secrets",
        ],
        vec![
            "--hooks",
            &hooks,
            "--hook",
            "github-both",
            "--secret",
            SECRET,
        ],
    ];
    let modes: Vec<Vec<&str>> = vec![
        vec!["--output", "header"],
        vec!["--output", "value"],
        vec!["--output", "json", "--url", "http://localhost:9000/hooks/x"],
        vec!["--output", "curl", "--url", "http://localhost:9000/hooks/x"],
        vec!["--output", "http", "--url", "http://localhost:9000/hooks/x"],
        vec!["--verbose"],
        vec!["--verify", "sha256=00"],
        vec!["--provider", "standard-webhooks"],
        vec!["--hooks", &hooks, "--hook", "nope"],
        vec![
            "--hooks",
            &hooks,
            "--hook",
            "github-both",
            "--secret",
            "/0/trigger-rule/x/match=zq-UNIQUE-s3cr3t-7731",
        ],
    ];
    for source in &sources {
        for mode in &modes {
            let mut args = vec![PAYLOAD];
            args.extend(source);
            args.extend(mode);
            let out = sign_with(SECRET, &args);
            assert!(
                !out.stdout.contains(SECRET) && !out.stderr.contains(SECRET),
                "{args:?} shows the secret:\n{}\n{}",
                out.stdout,
                out.stderr
            );
            assert!(!out.stdout.contains("3cr3t") && !out.stderr.contains("3cr3t"));
        }
    }
}
