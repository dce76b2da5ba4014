//! `hookctl simulate` on the user's examples with real signed requests, and on bad input.

use crate::support::{hookctl, run, snapshots, Output};

fn simulate(args: &[&str]) -> Output {
    run(hookctl().arg("simulate").args(args))
}

const PUSH: &str = "examples/requests/github-push.http";

#[test]
fn the_original_github_example_is_blocked_by_its_signature_rule() {
    let out = simulate(&[
        "--hooks",
        "examples/github-auto-deploy.json",
        "--request",
        PUSH,
        "--hook",
        "github-auto-deploy",
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.contains("errors → 500"), "{}", out.stdout);
    assert!(out
        .stdout
        .contains("match payload-hmac-sha1  header X-Hub-Signature"));
    assert!(
        out.stdout.contains("(skipped)"),
        "short-circuited nodes are shown"
    );
    assert!(!out.stdout.contains("your-github-webhook-secret-here"));
    assert!(!out
        .stdout
        .contains("b94c2c54571aca0c3a1701129aeb5a17a00252b6"));
    snapshots(|| insta::assert_snapshot!("simulate_github_original", out.stdout));
}

#[test]
fn the_corrected_github_example_fires_with_the_commit_as_arguments() {
    let out = simulate(&[
        "--hooks",
        "examples/corrected/github-auto-deploy.json",
        "--request",
        PUSH,
        "--hook",
        "github-auto-deploy",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["triggered"], true);
    assert_eq!(report["status"], 200);
    let args: Vec<&str> = report["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(
        args,
        [
            "/opt/scripts/deploy.sh",
            "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
            "Initial commit",
            "Codertocat",
            "Codertocat/Hello-World",
            "refs/heads/master"
        ]
    );
    assert_eq!(report["env"][2]["name"], "GIT_BRANCH");
    assert_eq!(report["env"][2]["value"], "refs/heads/master");
    assert_eq!(report["working_dir"], "/opt/deployments");
    assert_eq!(report["response"]["body"], "Deployment started");
    for key in ["hook", "command", "files", "trace", "error"] {
        assert!(report.get(key).is_some(), "{key}");
    }
}

#[test]
fn expectations_turn_the_verdict_into_the_exit_code() {
    let base = [
        "--hooks",
        "examples/github-auto-deploy.json",
        "--request",
        PUSH,
        "--hook",
        "github-auto-deploy",
    ];
    assert_eq!(
        simulate(&[&base[..], &["--expect", "no-fire"]].concat()).code,
        0
    );
    assert_eq!(
        simulate(&[&base[..], &["--expect", "fire"]].concat()).code,
        1
    );
}

#[test]
fn the_request_path_chooses_the_hook_when_no_hook_is_named() {
    let out = simulate(&[
        "--hooks",
        "examples/github-auto-deploy.json",
        "--request",
        PUSH,
    ]);
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("404"), "{}", out.stdout);
    assert!(out.stdout.contains("Hook not found."), "{}", out.stdout);
}

#[test]
fn a_payload_and_headers_can_be_given_as_flags() {
    let out = simulate(&[
        "--hooks",
        "examples/slack-multi-env-deploy.json",
        "--hook",
        "multi-env-deploy",
        "--payload",
        "tests/fixtures/simulate/slack-prod.form",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["args"][1], "prod");
    let miss = simulate(&[
        "--hooks",
        "examples/slack-multi-env-deploy.json",
        "--hook",
        "multi-env-deploy",
        "--payload",
        "tests/fixtures/simulate/slack-prod.form",
        "--content-type",
        "text/plain",
    ]);
    assert_eq!(miss.code, 1);
    assert!(miss.stdout.contains("payload token"), "{}", miss.stdout);
}

#[test]
fn a_missing_value_suggests_the_nearest_path() {
    let out = simulate(&[
        "--hooks",
        "tests/fixtures/simulate/commits-without-index.json",
        "--hook",
        "deploy",
        "--request",
        PUSH,
    ]);
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("commits.0.id"), "{}", out.stdout);
}

#[test]
fn a_github_delivery_can_be_replayed() {
    let out = simulate(&[
        "--hooks",
        "examples/corrected/github-auto-deploy.json",
        "--delivery",
        "tests/fixtures/simulate/github-delivery.json",
        "--hook",
        "github-auto-deploy",
    ]);
    // The delivery's payload is re-serialised, so GitHub's signature over the original
    // bytes no longer matches: the report must say why.
    assert!(out.stdout.contains("payload-hmac-sha256"), "{}", out.stdout);
    assert!(out.stdout.contains("hint:"), "{}", out.stdout);
}

#[test]
fn exec_runs_the_command_and_shows_its_output() {
    let out = simulate(&[
        "--hooks",
        "tests/fixtures/simulate/echo.json",
        "--hook",
        "echo",
        "--payload",
        "tests/fixtures/simulate/small.json",
        "--exec",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["response"]["body"], "x y 5\n");
    assert_eq!(report["run"]["exit_code"], 0);
}

#[test]
fn bad_requests_exit_2_with_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "truncated.http",
            b"POST /hooks/x HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nshort".to_vec(),
        ),
        (
            "bad-length.http",
            b"POST /hooks/x HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n".to_vec(),
        ),
        ("garbage.http", vec![0xff, 0x00, 0x13, 0x37, 0xde, 0xad]),
        ("empty.http", Vec::new()),
    ];
    for (name, bytes) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = simulate(&[
            "--hooks",
            "examples/slack-deploy.json",
            "--request",
            path.to_str().unwrap(),
        ]);
        assert_eq!(out.code, 2, "{name}: {}", out.stdout);
        assert_eq!(out.stderr.lines().count(), 1, "{name}: {}", out.stderr);
        assert!(out.stderr.contains(name), "{name}: {}", out.stderr);
        assert!(!out.stderr.contains("panicked"));
    }
}

#[test]
fn a_100_mb_body_is_handled() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.bin");
    std::fs::write(&path, vec![b'a'; 100 * 1024 * 1024]).unwrap();
    let out = simulate(&[
        "--hooks",
        "examples/corrected/github-auto-deploy.json",
        "--hook",
        "github-auto-deploy",
        "--payload",
        path.to_str().unwrap(),
        "--header",
        "X-Hub-Signature-256: sha256=00",
        "--content-type",
        "application/octet-stream",
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.contains("500"), "{}", out.stdout);
}

#[test]
fn unknown_hooks_and_bad_flags_exit_2() {
    let out = simulate(&["--hooks", "examples/slack-deploy.json", "--hook", "nope"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("`nope`"), "{}", out.stderr);
    let out = simulate(&[
        "--hooks",
        "examples/slack-deploy.json",
        "--hook",
        "slack-deploy",
        "--header",
        "no-colon",
    ]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("Name: value"), "{}", out.stderr);
}
