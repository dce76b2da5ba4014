//! `hookctl validate` on the user's examples, on broken fixtures and on hostile input.

use crate::support::{files_in, hookctl, run, snapshots};

fn validate(args: &[&str]) -> crate::support::Output {
    run(hookctl().arg("validate").args(args))
}

#[test]
fn every_example_loads_and_its_report_is_stable() {
    for file in files_in("examples") {
        let out = validate(&[&file]);
        assert!(
            out.code == 0 || out.code == 1,
            "{file}: exit {}\n{}",
            out.code,
            out.stderr
        );
        assert!(
            !out.stdout.contains("HK100"),
            "{file} must parse:\n{}",
            out.stdout
        );
        let name = file.replace(['/', '.'], "_");
        snapshots(|| insta::assert_snapshot!(format!("validate_{name}"), out.stdout));
    }
}

#[test]
fn every_broken_fixture_reports_its_error() {
    for file in files_in("tests/fixtures/hooks/err") {
        let out = validate(&[&file]);
        assert_eq!(
            out.code, 1,
            "{file} should fail validation:\n{}",
            out.stdout
        );
        let name = file.rsplit('/').next().unwrap().replace('.', "_");
        snapshots(|| insta::assert_snapshot!(format!("validate_err_{name}"), out.stdout));
    }
}

#[test]
fn every_good_fixture_is_clean() {
    for file in files_in("tests/fixtures/hooks/ok") {
        let out = validate(&[&file, "--deny-warnings"]);
        assert_eq!(
            out.code, 0,
            "{file} should validate cleanly:\n{}",
            out.stdout
        );
    }
}

#[test]
fn json_format_has_positions_and_totals() {
    let out = validate(&["--format", "json", "examples/docker-redeploy.json"]);
    assert_eq!(out.code, 1);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "HK300");
    assert_eq!(d["name"], "unexpanded-placeholder");
    assert_eq!(d["line"], 21);
    assert_eq!(d["column"], 23);
    assert_eq!(d["pointer"], "/0/trigger-rule/and/0/match/secret");
    assert_eq!(v["files"], 1);
    assert_eq!(v["hooks"], 1);
    assert_eq!(v["errors"], 1);
}

#[test]
fn secrets_never_appear_in_any_format() {
    for format in ["human", "short", "json", "github"] {
        let out = validate(&["--format", format, "examples/github-auto-deploy.json"]);
        assert!(
            !out.stdout.contains("your-github-webhook-secret-here"),
            "{format}"
        );
    }
}

#[test]
fn github_format_prints_annotations() {
    let out = validate(&["--format", "github", "examples/docker-redeploy.json"]);
    let first = out.stdout.lines().next().unwrap();
    assert!(
        first.starts_with("::error file=examples/docker-redeploy.json,line=21,col=23,"),
        "{first}"
    );
    assert!(first.contains("title=HK300 unexpanded-placeholder::"));
}

#[test]
fn warnings_fail_only_when_denied() {
    let file = "examples/slack-deploy.json";
    assert_eq!(validate(&[file]).code, 0);
    assert_eq!(validate(&[file, "--deny-warnings"]).code, 1);
}

#[test]
fn duplicate_ids_across_files_point_at_both() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.json");
    let b = dir.path().join("b.yaml");
    std::fs::write(&a, r#"[{"id": "same", "execute-command": "/bin/true"}]"#).unwrap();
    std::fs::write(&b, "- id: same\n  execute-command: /bin/true\n").unwrap();
    let out = validate(&[
        "--format",
        "short",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 1);
    assert!(out
        .stdout
        .contains("b.yaml:1:7: error[HK113 duplicate-hook-id-across-files]"));
    let json = validate(&["--format", "json", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert!(json.stdout.contains("a.json:1:9)"), "{}", json.stdout);
}

#[test]
fn stdin_is_read_with_a_dash() {
    let out = run(hookctl()
        .args(["validate", "--format", "short", "-"])
        .write_stdin("{}"));
    assert_eq!(out.code, 1);
    assert!(
        out.stdout
            .starts_with("-:1:1: error[HK101 top-level-not-list]"),
        "{}",
        out.stdout
    );
}

#[test]
fn unreadable_inputs_exit_2_with_one_line() {
    for arg in ["tests", "does/not/exist.json"] {
        let out = validate(&[arg]);
        assert_eq!(out.code, 2, "{arg}");
        assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
        assert!(out.stderr.contains(arg), "{}", out.stderr);
    }
}

#[test]
fn hostile_files_give_a_diagnostic_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("binary.json", vec![0x7f, b'E', b'L', b'F', 0, 1, 2, 3]),
        ("latin1.yaml", b"- id: caf\xe9\n".to_vec()),
        ("empty.json", Vec::new()),
        ("deep.json", deep_rules(10_000).into_bytes()),
        ("huge.json", huge_file(50 * 1024 * 1024).into_bytes()),
    ];
    for (name, bytes) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = validate(&[path.to_str().unwrap()]);
        assert!(
            out.code == 0 || out.code == 1,
            "{name}: {}\n{}",
            out.code,
            out.stderr
        );
        assert!(!out.stderr.contains("panicked"), "{name}: {}", out.stderr);
        assert!(!out.stdout.is_empty(), "{name} must say something");
    }
}

fn deep_rules(depth: usize) -> String {
    let open = r#"{"not":"#.repeat(depth);
    let close = "}".repeat(depth);
    format!(r#"[{{"id":"d","execute-command":"/bin/true","trigger-rule":{open}{{}}{close}}}]"#)
}

fn huge_file(size: usize) -> String {
    let hook = r#"{"id":"h","execute-command":"/bin/true","response-message":"x"},"#;
    let mut s = String::with_capacity(size + 100);
    s.push('[');
    let mut i = 0;
    while s.len() < size {
        s.push_str(&hook.replacen("\"h\"", &format!("\"h{i}\""), 1));
        i += 1;
    }
    s.push_str(r#"{"id":"last","execute-command":"/bin/true"}]"#);
    s
}

#[test]
fn template_files_are_rendered_and_problems_point_at_template_lines() {
    let file = "tests/fixtures/template/err/empty-secret.json.tmpl";
    let out = validate(&["--template", "--env", "OTHER=x", "--format", "short", file]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let first = out.stdout.lines().next().unwrap();
    assert!(
        first.starts_with(&format!("{file}:8:20: error[HK602 empty-template-secret]")),
        "{first}"
    );
    let ok = validate(&[
        "--template",
        "--env",
        "GITHUB_SECRET=dummy-secret-value",
        "--env",
        "HOOK_ID=deploy",
        "--format",
        "short",
        "tests/fixtures/template/ok/github-deploy.json.tmpl",
    ]);
    assert!(!ok.stdout.contains("HK602"), "{}", ok.stdout);
    let unflagged = validate(&["--env", "A=b", file]);
    assert_eq!(unflagged.code, 2, "--env needs --template");
}
