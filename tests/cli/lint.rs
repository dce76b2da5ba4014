//! `hookctl lint`: every lint rule proved by a bad and a good fixture, the user's examples,
//! the catalog commands, severity settings, project files, suppressions, output formats
//! and the generated `docs/rules.md`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use hookctl::lint::registry;
use serde_json::Value;

use crate::support::{files_in, hookctl, root, run, snapshots, Output};

/// Where each lint rule's fixtures live: `bad.*` must trigger the rule, every `good*`
/// file must not. An optional `args` file holds extra arguments, one per line.
const FIXTURES: &str = "tests/fixtures/lint";

fn lint(args: &[&str]) -> Output {
    run(hookctl().arg("lint").args(args))
}

/// `lint` with no project file and no file checks, so results do not depend on the
/// machine or on a `.hookctl.toml` above the checkout.
fn lint_isolated(args: &[&str]) -> Output {
    let mut all = vec!["--no-config", "--no-check-files"];
    all.extend_from_slice(args);
    lint(&all)
}

fn json(out: &Output) -> Value {
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", out.stdout, out.stderr))
}

/// The codes of the diagnostics in a `--format json` report.
fn codes(out: &Output) -> Vec<String> {
    json(out)["diagnostics"]
        .as_array()
        .expect("a diagnostics list")
        .iter()
        .map(|d| d["code"].as_str().expect("a code").to_string())
        .collect()
}

fn fixture_files(rule: &str) -> (String, Vec<String>, Vec<String>) {
    let dir = format!("{FIXTURES}/{rule}");
    assert!(
        root().join(&dir).is_dir(),
        "lint rule `{rule}` has no fixtures: add {dir}/bad.json (triggers the rule) and \
         {dir}/good.json (the corrected hook, which does not)"
    );
    let files = files_in(&dir);
    let named = |prefix: &str| -> Vec<String> {
        files
            .iter()
            .filter(|f| file_name(f).starts_with(prefix))
            .cloned()
            .collect()
    };
    let (bad, good) = (named("bad"), named("good"));
    assert!(!bad.is_empty(), "{dir} has no bad.json or bad.yaml");
    assert!(!good.is_empty(), "{dir} has no good.json or good.yaml");
    (dir, bad, good)
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Extra arguments from the fixture folder's `args` file, else `--no-check-files`.
fn fixture_args(dir: &str) -> Vec<String> {
    match std::fs::read_to_string(root().join(dir).join("args")) {
        Ok(text) => text.lines().map(str::to_string).collect(),
        Err(_) => vec!["--no-check-files".into()],
    }
}

fn lint_fixture(dir: &str, file: &str, format: &str) -> Output {
    let args = fixture_args(dir);
    let mut all: Vec<&str> = vec!["--no-config", "--format", format];
    all.extend(args.iter().map(String::as_str));
    all.push(file);
    lint(&all)
}

#[test]
fn every_lint_rule_has_a_bad_and_a_good_fixture() {
    for rule in registry::ALL {
        fixture_files(rule.check.name);
    }
    let names: BTreeSet<&str> = registry::ALL.iter().map(|r| r.check.name).collect();
    for entry in std::fs::read_dir(root().join(FIXTURES)).unwrap() {
        let folder = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            names.contains(folder.as_str()),
            "{FIXTURES}/{folder} belongs to no lint rule"
        );
    }
}

#[test]
fn bad_fixtures_trigger_their_rule_and_good_fixtures_do_not() {
    for rule in registry::ALL {
        let (code, name) = (rule.check.code, rule.check.name);
        let (dir, bad, good) = fixture_files(name);
        for file in &bad {
            let out = lint_fixture(&dir, file, "json");
            assert!(
                codes(&out).iter().any(|c| c == code),
                "{file} must trigger {code} {name}:\n{}",
                out.stdout
            );
        }
        for file in &good {
            let out = lint_fixture(&dir, file, "json");
            assert!(
                !codes(&out).iter().any(|c| c == code),
                "{file} must not trigger {code} {name}:\n{}",
                out.stdout
            );
        }
        let human = lint_fixture(&dir, &bad[0], "human");
        snapshots(|| insta::assert_snapshot!(format!("lint_{name}"), human.stdout));
    }
}

#[test]
fn good_fixtures_are_clean_under_every_rule() {
    // The corrected hooks are the advice users copy, so no other rule may object either.
    for rule in registry::ALL {
        let (dir, _, good) = fixture_files(rule.check.name);
        for file in &good {
            let out = lint_fixture(&dir, file, "json");
            assert!(codes(&out).is_empty(), "{file}:\n{}", out.stdout);
        }
    }
}

#[test]
fn every_example_report_is_stable() {
    for file in files_in("examples") {
        let out = lint_isolated(&[&file]);
        assert!(
            out.code == 0 || out.code == 1,
            "{file}: exit {}\n{}",
            out.code,
            out.stderr
        );
        let name = file.replace(['/', '.'], "_");
        snapshots(|| insta::assert_snapshot!(format!("lint_{name}"), out.stdout));
    }
}

#[test]
fn the_known_problems_of_the_examples_are_reported() {
    let expected = [
        ("deployment-hook.yaml", "HK302"),
        ("github-auto-deploy.json", "HK307"),
        ("github-auto-deploy.json", "HK213"),
        ("github-auto-deploy.json", "HK301"),
        ("docker-redeploy.json", "HK300"),
        ("docker-redeploy.json", "HK310"),
        ("docker-redeploy.json", "HK219"),
        ("deploy-webhook-sha256.json", "HK212"),
        ("deploy-webhook-sha256.json", "HK301"),
        ("mattermost-build.json", "HK117"),
        ("mattermost-build.json", "HK303"),
        ("mattermost-build.json", "HK411"),
        ("slack-deploy.json", "HK403"),
        ("slack-multi-env-deploy.json", "HK303"),
    ];
    for (file, code) in expected {
        let path = format!("examples/{file}");
        let out = lint_isolated(&["--format", "json", &path]);
        assert!(
            codes(&out).iter().any(|c| c == code),
            "{path} should report {code}:\n{}",
            out.stdout
        );
    }
}

#[test]
fn lint_reports_everything_validate_reports() {
    for file in files_in("examples") {
        let validate = run(hookctl().args(["validate", "--format", "json", &file]));
        let lint = lint_isolated(&["--format", "json", &file]);
        let linted: BTreeSet<String> = codes(&lint).into_iter().collect();
        for code in codes(&validate) {
            assert!(linted.contains(&code), "{file}: lint lacks {code}");
        }
    }
}

#[test]
fn list_rules_prints_the_whole_catalog_as_text() {
    let out = lint(&["--list-rules"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let catalog = registry::catalog();
    assert_eq!(out.stdout.lines().count(), catalog.len());
    for check in &catalog {
        let line = out
            .stdout
            .lines()
            .find(|l| l.starts_with(check.code))
            .unwrap_or_else(|| panic!("{} missing", check.code));
        assert!(line.contains(check.name), "{line}");
        assert!(line.contains(check.severity.as_str()), "{line}");
    }
    assert_eq!(lint(&["--list-rules", "text"]).stdout, out.stdout);
}

#[test]
fn list_rules_json_has_code_name_and_severity_for_every_entry() {
    let out = lint(&["--list-rules", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let list = json(&out);
    let list = list.as_array().expect("a list");
    assert_eq!(list.len(), registry::catalog().len());
    for entry in list {
        for key in ["code", "name", "severity"] {
            assert!(entry[key].is_string(), "{key} in {entry}");
        }
        let severity = entry["severity"].as_str().unwrap();
        assert!(["error", "warning", "info"].contains(&severity), "{entry}");
    }
    let lint_only = list.iter().filter(|e| e["lint_only"] == true).count();
    assert_eq!(lint_only, registry::ALL.len());
}

#[test]
fn explain_finds_a_rule_by_code_and_by_name() {
    for rule in registry::ALL {
        let by_code = lint(&["--explain", rule.check.code]);
        let by_name = lint(&["--explain", rule.check.name]);
        assert_eq!(by_code.code, 0, "{}", by_code.stderr);
        assert_eq!(by_code.stdout, by_name.stdout);
        let lower = lint(&["--explain", &rule.check.code.to_ascii_lowercase()]);
        assert_eq!(lower.stdout, by_code.stdout);
        for heading in [
            "## What it flags",
            "## Why it matters",
            "## Example",
            "## How to fix",
        ] {
            assert!(
                by_code.stdout.contains(heading),
                "{} lacks {heading}",
                rule.check.name
            );
        }
        let title = format!("# {} {}", rule.check.code, rule.check.name);
        assert!(by_code.stdout.starts_with(&title), "{}", by_code.stdout);
    }
}

#[test]
fn explain_covers_validate_checks_and_rejects_unknown_names() {
    let out = lint(&["--explain", "unknown-key"]);
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.starts_with("# HK105 unknown-key"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("## What it flags"));
    let out = lint(&["--explain", "unathenticated-hook"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("did you mean `unauthenticated-hook`?"),
        "{}",
        out.stderr
    );
}

#[test]
fn unknown_rule_names_on_the_command_line_exit_2_with_a_suggestion() {
    for flag in ["--deny", "--warn", "--allow"] {
        let out = lint(&[
            flag,
            "weak-signature-algorithms",
            "examples/slack-deploy.json",
        ]);
        assert_eq!(out.code, 2, "{flag}: {}", out.stdout);
        assert!(out.stdout.is_empty(), "{flag}: {}", out.stdout);
        assert!(
            out.stderr
                .contains("unknown lint rule `weak-signature-algorithms`"),
            "{}",
            out.stderr
        );
        assert!(
            out.stderr
                .contains("did you mean `weak-signature-algorithm`?"),
            "{}",
            out.stderr
        );
        assert!(out.stderr.contains(flag), "{}", out.stderr);
    }
}

/// A GitHub hook with exactly one warning: the SHA-1 signature (HK307).
const SHA1_HOOK: &str = r#"[
  {
    "id": "github-deploy",
    "execute-command": "/opt/hooks/deploy.sh",
    "trigger-rule": {
      "match": {
        "type": "payload-hmac-sha1",
        "secret": "{{ getenv `GITHUB_SECRET` | js }}",
        "parameter": { "source": "header", "name": "X-Hub-Signature" }
      }
    }
  }
]
"#;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

fn severity_of(out: &Output, code: &str) -> Option<String> {
    json(out)["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == code)
        .map(|d| d["severity"].as_str().unwrap().to_string())
}

#[test]
fn deny_allow_and_warn_change_what_is_reported_and_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "hooks.json", SHA1_HOOK);
    let file = file.to_str().unwrap();

    let plain = lint_isolated(&["--format", "json", file]);
    assert_eq!(plain.code, 0);
    assert_eq!(severity_of(&plain, "HK307").as_deref(), Some("warning"));

    for rule in ["weak-signature-algorithm", "HK307", "hk307"] {
        let denied = lint_isolated(&["--format", "json", "--deny", rule, file]);
        assert_eq!(denied.code, 1, "--deny {rule}");
        assert_eq!(severity_of(&denied, "HK307").as_deref(), Some("error"));
    }

    let allowed = lint_isolated(&["--format", "json", "--allow", "HK307", file]);
    assert_eq!(allowed.code, 0);
    assert!(codes(&allowed).is_empty(), "{}", allowed.stdout);

    // The later setting wins.
    let both = lint_isolated(&["--deny", "HK307", "--allow", "HK307", file]);
    assert_eq!(both.code, 0, "{}", both.stdout);

    let strict = lint_isolated(&["--deny-warnings", file]);
    assert_eq!(strict.code, 1);
}

#[test]
fn warn_downgrades_an_error_so_the_run_passes() {
    let out = lint_isolated(&["--format", "json", "examples/deployment-hook.yaml"]);
    assert_eq!(out.code, 1);
    assert_eq!(severity_of(&out, "HK302").as_deref(), Some("error"));
    let out = lint_isolated(&[
        "--format",
        "json",
        "--warn",
        "unauthenticated-hook",
        "examples/deployment-hook.yaml",
    ]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert_eq!(severity_of(&out, "HK302").as_deref(), Some("warning"));
}

#[test]
fn the_project_file_is_found_by_walking_up_from_the_hook_file() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".hookctl.toml",
        r#"[lint]
target = "webhook-2.8.2"
deny = ["weak-signature-algorithm"]
allow = ["HK409"]
"#,
    );
    let file = write(dir.path(), "deploy/hooks/github.json", SHA1_HOOK);
    let capture = SHA1_HOOK.replace(
        "\"id\": \"github-deploy\",",
        "\"id\": \"github-deploy\",\n    \"include-command-output-in-response\": true,",
    );
    let captured = write(dir.path(), "deploy/hooks/capture.json", &capture);

    let out = lint(&[
        "--no-check-files",
        "--format",
        "json",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 1, "deny from the project file:\n{}", out.stdout);
    assert_eq!(severity_of(&out, "HK307").as_deref(), Some("error"));

    let out = lint(&[
        "--no-check-files",
        "--format",
        "json",
        captured.to_str().unwrap(),
    ]);
    assert!(severity_of(&out, "HK409").is_none(), "{}", out.stdout);

    // The command line comes after the project file.
    let out = lint(&[
        "--no-check-files",
        "--allow",
        "HK307",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stdout);

    // --no-config ignores it.
    let out = lint(&["--no-check-files", "--no-config", file.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stdout);
}

#[test]
fn project_ignore_entries_match_a_file_glob_a_pointer_and_rules() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".hookctl.toml",
        r#"[[lint.ignore]]
file = "legacy/*.json"
pointer = "/0/trigger-rule"
rules = ["weak-signature-algorithm"]

[[lint.ignore]]
file = "**/old-*.json"
rules = ["HK307"]
"#,
    );
    let legacy = write(dir.path(), "legacy/github.json", SHA1_HOOK);
    let current = write(dir.path(), "current/github.json", SHA1_HOOK);
    let old = write(dir.path(), "a/b/old-github.json", SHA1_HOOK);
    let two = format!(
        "[{}, {}]",
        SHA1_HOOK
            .trim()
            .trim_start_matches('[')
            .trim_end_matches(']'),
        SHA1_HOOK
            .trim()
            .trim_start_matches('[')
            .trim_end_matches(']')
            .replace("github-deploy", "second")
    );
    let legacy_two = write(dir.path(), "legacy/two.json", &two);

    let reported = |path: &Path| {
        let out = lint(&[
            "--no-check-files",
            "--format",
            "json",
            path.to_str().unwrap(),
        ]);
        codes(&out).into_iter().filter(|c| c == "HK307").count()
    };
    assert_eq!(reported(&legacy), 0, "glob and pointer match");
    assert_eq!(reported(&current), 1, "glob does not match");
    assert_eq!(reported(&old), 0, "`**` crosses folders");
    assert_eq!(
        reported(&legacy_two),
        1,
        "the pointer covers only the first hook"
    );

    let audit = lint(&[
        "--no-check-files",
        "--no-suppressions",
        "--format",
        "json",
        legacy.to_str().unwrap(),
    ]);
    assert_eq!(codes(&audit), ["HK307"]);
}

#[test]
fn project_file_errors_exit_2_and_name_the_file() {
    let cases = [
        (
            "[lint]\ndeny = [\"weak-signature-algo\"]\n",
            "weak-signature-algo",
        ),
        (
            "[[lint.ignore]]\nfile = \"*.json\"\nrules = [\"unanchored-regexp\"]\n",
            "unanchored-regexp",
        ),
        (
            "[lint]\ntarget = \"webhook-2.9\"\n",
            "unknown target `webhook-2.9`",
        ),
        ("[lint]\ndenny = []\n", "denny"),
    ];
    for (toml, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        let config = write(dir.path(), ".hookctl.toml", toml);
        let file = write(dir.path(), "hooks.json", SHA1_HOOK);
        let out = lint(&["--no-check-files", file.to_str().unwrap()]);
        assert_eq!(out.code, 2, "{toml}\n{}", out.stdout);
        assert!(out.stdout.is_empty(), "{}", out.stdout);
        assert!(out.stderr.contains(expected), "{toml}\n{}", out.stderr);
        let shown = config.display().to_string();
        assert!(out.stderr.contains(&shown), "{}", out.stderr);
    }
}

/// Two hooks with the same problem; only the first allows it.
const ALLOW_HOOKS: &str = r#"[
  {
    "id": "legacy",
    "x-hookctl-allow": ["weak-signature-algorithm", "no-such-rule"],
    "execute-command": "/opt/hooks/deploy.sh",
    "trigger-rule": {
      "match": {
        "type": "payload-hmac-sha1",
        "secret": "{{ getenv `GITHUB_SECRET` | js }}",
        "parameter": { "source": "header", "name": "X-Hub-Signature" }
      }
    }
  },
  {
    "id": "current",
    "x-hookctl-allow": "HK409",
    "execute-command": "/opt/hooks/deploy.sh",
    "trigger-rule": {
      "match": {
        "type": "payload-hmac-sha1",
        "secret": "{{ getenv `GITHUB_SECRET` | js }}",
        "parameter": { "source": "header", "name": "X-Hub-Signature" }
      }
    }
  }
]
"#;

#[test]
fn x_hookctl_allow_suppresses_a_rule_for_its_hook_only() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "hooks.json", ALLOW_HOOKS);
    let file = file.to_str().unwrap();

    let out = lint_isolated(&["--format", "json", file]);
    let report = json(&out);
    let list = report["diagnostics"].as_array().unwrap();
    let weak: Vec<&str> = list
        .iter()
        .filter(|d| d["code"] == "HK307")
        .map(|d| d["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(weak, ["/1/trigger-rule/match"], "{}", out.stdout);

    let unknown: Vec<&Value> = list.iter().filter(|d| d["code"] == "HK118").collect();
    assert_eq!(unknown.len(), 1, "{}", out.stdout);
    assert_eq!(unknown[0]["name"], "unknown-rule-name");
    assert_eq!(unknown[0]["pointer"], "/0/x-hookctl-allow/1");
    assert!(unknown[0]["message"]
        .as_str()
        .unwrap()
        .contains("`no-such-rule`"));
    assert_eq!(out.code, 1, "HK118 is an error");

    // webhook ignores the key, and validate knows it is hookctl's own.
    let validate = run(hookctl().args(["validate", "--format", "json", file]));
    assert!(
        !codes(&validate).iter().any(|c| c == "HK105"),
        "{}",
        validate.stdout
    );

    // The unknown name is a finding like any other: --warn and --allow apply.
    let warned = lint_isolated(&["--format", "json", "--warn", "unknown-rule-name", file]);
    assert_eq!(severity_of(&warned, "HK118").as_deref(), Some("warning"));
    assert_eq!(warned.code, 0, "{}", warned.stdout);
    let allowed = lint_isolated(&["--format", "json", "--allow", "HK118", file]);
    assert!(
        severity_of(&allowed, "HK118").is_none(),
        "{}",
        allowed.stdout
    );

    let audit = lint_isolated(&["--format", "json", "--no-suppressions", file]);
    let audited = codes(&audit);
    assert_eq!(audited.iter().filter(|c| *c == "HK307").count(), 2);
    assert!(!audited.iter().any(|c| c == "HK118"), "{}", audit.stdout);
}

#[test]
fn github_format_prints_one_annotation_per_finding() {
    let out = lint_isolated(&["--format", "github", "examples/github-auto-deploy.json"]);
    assert_eq!(out.code, 0);
    let lines: Vec<&str> = out.stdout.lines().collect();
    let report = lint_isolated(&["--format", "json", "examples/github-auto-deploy.json"]);
    assert_eq!(lines.len(), codes(&report).len());
    for line in &lines {
        assert!(
            ["::error ", "::warning ", "::notice "]
                .iter()
                .any(|p| line.starts_with(p)),
            "{line}"
        );
        assert!(
            line.contains("file=examples/github-auto-deploy.json,line="),
            "{line}"
        );
        assert!(line.contains(",endLine="), "{line}");
    }
    let weak = lines
        .iter()
        .find(|l| l.contains("title=HK307 weak-signature-algorithm::"))
        .expect("an HK307 annotation");
    assert!(
        weak.starts_with(
            "::warning file=examples/github-auto-deploy.json,line=51,col=21,endLine=51,"
        ),
        "{weak}"
    );
    assert!(
        weak.contains("%0Ahelp: use `payload-hmac-sha256`"),
        "{weak}"
    );
    snapshots(|| insta::assert_snapshot!("lint_format_github", out.stdout));
}

#[test]
fn sarif_lists_every_rule_and_locates_every_result() {
    let files = files_in("examples");
    let mut args = vec!["--format", "sarif"];
    args.extend(files.iter().map(String::as_str));
    let out = lint_isolated(&args);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let log = json(&out);
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().contains("sarif"));
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "hookctl");

    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    for check in registry::catalog() {
        assert!(
            ids.contains(&check.code),
            "{} missing from rules",
            check.code
        );
    }
    for rule in rules {
        assert!(rule["shortDescription"]["text"].is_string(), "{rule}");
        assert!(rule["help"]["markdown"].is_string(), "{rule}");
    }

    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        let id = result["ruleId"].as_str().unwrap();
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert!(ids.contains(&id), "{id} is not among the rules");
        assert_eq!(ids[index], id, "ruleIndex points at another rule");
        assert!(
            ["error", "warning", "note"].contains(&result["level"].as_str().unwrap()),
            "{result}"
        );
        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(uri.starts_with("examples/"), "{uri}");
        let region = &location["region"];
        for key in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(region[key].as_u64().unwrap() >= 1, "{key} in {result}");
        }
        let (start, end) = (
            (region["startLine"].as_u64(), region["startColumn"].as_u64()),
            (region["endLine"].as_u64(), region["endColumn"].as_u64()),
        );
        assert!(start < end, "empty region in {result}");
    }
}

#[test]
fn secrets_never_appear_in_any_format() {
    let secret = "Zq4w8TnR2vXk9pLmC7sd";
    let file = format!("{FIXTURES}/secret-in-plain-text/bad.yaml");
    for format in ["human", "short", "json", "github", "sarif"] {
        let out = lint_isolated(&["--format", format, &file]);
        assert!(out.stdout.contains("HK303"), "{format}: {}", out.stdout);
        assert!(!out.stdout.contains(secret), "{format}: {}", out.stdout);
    }
}

#[test]
fn exit_codes_are_0_clean_1_errors_2_unusable() {
    let good = format!("{FIXTURES}/weak-signature-algorithm/good.json");
    assert_eq!(lint_isolated(&[&good]).code, 0);
    // Warnings only.
    assert_eq!(lint_isolated(&["examples/slack-deploy.json"]).code, 0);
    assert_eq!(lint_isolated(&["examples/deployment-hook.yaml"]).code, 1);
    // One failing file fails the run.
    assert_eq!(
        lint_isolated(&[&good, "examples/deployment-hook.yaml"]).code,
        1
    );
    for args in [
        vec!["does/not/exist.json"],
        vec!["--format", "xml", "examples/slack-deploy.json"],
        vec![],
    ] {
        let out = lint_isolated(&args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{args:?}: {}", out.stdout);
    }
}

#[test]
fn rules_md_is_generated_from_the_catalog() {
    let out = lint(&["--list-rules", "markdown"]);
    assert_eq!(out.code, 0);
    let path = root().join("docs/rules.md");
    if std::env::var_os("HOOKCTL_UPDATE_GENERATED").is_some() {
        std::fs::write(&path, &out.stdout).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == out.stdout,
        "docs/rules.md is out of date; run: cargo run -- lint --list-rules markdown > \
         docs/rules.md"
    );
    for check in registry::catalog() {
        assert!(
            committed.contains(&format!("\n## {}\n", check.name)),
            "{}",
            check.name
        );
    }
}

#[test]
fn pre_commit_hooks_run_validate_and_lint_on_hook_files() {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    for (id, entry) in [
        ("hookctl-validate", "hookctl validate"),
        ("hookctl-lint", "hookctl lint"),
    ] {
        let start = text
            .find(&format!("- id: {id}\n"))
            .unwrap_or_else(|| panic!("no hook {id}"));
        let block = &text[start..];
        let block = &block[..block[1..].find("\n- id:").map_or(block.len(), |i| i + 1)];
        assert!(block.contains(&format!("\n  entry: {entry}\n")), "{block}");
        assert!(block.contains("\n  language: rust\n"), "{block}");

        let files = block
            .lines()
            .find_map(|l| l.strip_prefix("  files: '"))
            .and_then(|l| l.strip_suffix('\''))
            .expect("a single-quoted files pattern");
        let files = regex::Regex::new(files).unwrap();
        for path in [
            "hooks.json",
            "deploy/hooks.yaml",
            "hook-deploy.yml",
            "hooks/github.json",
            "srv/hooks/gitlab/deploy.yaml",
        ] {
            assert!(files.is_match(path), "{id} should check {path}");
        }
        for path in [".pre-commit-hooks.yaml", "package.json", "webhooks.txt"] {
            assert!(!files.is_match(path), "{id} should skip {path}");
        }
    }
}
