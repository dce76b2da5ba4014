//! How long loading and validating a hook file takes, by number of hooks.
//!
//! Run with `cargo bench --bench validate`. `bench/validate.sh` measures the whole
//! process (start-up included) and peak memory with the release binary.

use hookctl::config::load::load_text;
use hookctl::config::validate::validate;

fn main() {
    divan::main();
}

/// A realistic GitHub deploy hook, repeated with distinct ids.
fn hook_file(count: usize) -> String {
    let hooks: Vec<String> = (0..count)
        .map(|i| {
            format!(
                r#"  {{
    "id": "deploy-{i}",
    "execute-command": "/opt/scripts/deploy.sh",
    "command-working-directory": "/opt/deployments",
    "pass-arguments-to-command": [
      {{"source": "payload", "name": "head_commit.id"}},
      {{"source": "payload", "name": "ref"}}
    ],
    "pass-environment-to-command": [
      {{"source": "payload", "name": "pusher.name", "envname": "PUSHER"}}
    ],
    "trigger-rule": {{"and": [
      {{"match": {{"type": "payload-hmac-sha256", "secret": "q7Hc2Lm9Xw4Rt8Vb1Nz6",
        "parameter": {{"source": "header", "name": "X-Hub-Signature-256"}}}}}},
      {{"match": {{"type": "regex", "regex": "^refs/heads/(main|production)$",
        "parameter": {{"source": "payload", "name": "ref"}}}}}}
    ]}}
  }}"#
            )
        })
        .collect();
    format!("[\n{}\n]\n", hooks.join(",\n"))
}

#[divan::bench(args = [100, 1_000, 10_000], sample_count = 10)]
fn load_and_validate_json(bencher: divan::Bencher, count: usize) {
    let text = hook_file(count);
    bencher.bench(|| {
        let loaded = load_text("hooks.json", divan::black_box(text.clone()));
        divan::black_box(validate(&loaded.file));
    });
}

#[divan::bench(args = [100, 1_000], sample_count = 10)]
fn load_and_validate_yaml_flow(bencher: divan::Bencher, count: usize) {
    // A leading comment makes the file YAML-only, so the YAML reader handles it.
    let text = format!("# hooks\n{}", hook_file(count));
    bencher.bench(|| {
        let loaded = load_text("hooks.json", divan::black_box(text.clone()));
        divan::black_box(validate(&loaded.file));
    });
}
