//! The shared engine on one real request: the GitHub auto-deploy hook (HMAC-SHA256 over
//! the 8.8 KB push payload, five payload arguments, three environment values), and the
//! HMAC itself over 10 MB against the raw `hmac`/`sha2` crates.
//!
//! Run with `cargo bench --bench engine`.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use hookctl::config::load::load_text;
use hookctl::config::model::{Algorithm, Hook};
use hookctl::outcome::{handle_hook, Mode, ServerConfig};
use hookctl::request::{http, payload, Request};
use hookctl::rules::{evaluate, signature::hmac_hex};

fn main() {
    divan::main();
}

const HOOKS: &str = include_str!("../examples/corrected/github-auto-deploy.json");
const PUSH: &[u8] = include_bytes!("../examples/requests/github-push.http");

fn fixture() -> (Hook, Request) {
    let hook = load_text("hooks.json", HOOKS.to_string())
        .file
        .hooks
        .remove(0);
    let mut request = http::parse(PUSH).expect("the fixture parses");
    request.target = "/hooks/github-auto-deploy".into();
    (hook, request)
}

/// Decoding the body and evaluating the trigger rule: what decides whether it fires.
#[divan::bench]
fn decode_and_evaluate(bencher: divan::Bencher) {
    let (hook, request) = fixture();
    bencher.bench(|| {
        let decoded = payload::decode(divan::black_box(&request), &hook, 1 << 20);
        let evaluation = evaluate(&hook, &decoded.context);
        assert!(evaluation.satisfied);
        evaluation
    });
}

/// The whole request as webhook handles it, without running the command: routing to
/// the hook, decoding, the trigger rule, the five arguments and three variables, and
/// the response.
#[divan::bench]
fn handle_request_plan(bencher: divan::Bencher) {
    let (hook, request) = fixture();
    let config = ServerConfig::default();
    bencher.bench(|| handle_hook(&hook, divan::black_box(&request), &config, Mode::Plan));
}

const TEN_MB: usize = 10 * 1024 * 1024;

#[divan::bench(sample_count = 20)]
fn hmac_sha256_10mb_engine(bencher: divan::Bencher) {
    let body = vec![b'a'; TEN_MB];
    bencher
        .counter(divan::counter::BytesCount::new(TEN_MB))
        .bench(|| hmac_hex(Algorithm::Sha256, b"secret", divan::black_box(&body)));
}

#[divan::bench(sample_count = 20)]
fn hmac_sha256_10mb_raw(bencher: divan::Bencher) {
    let body = vec![b'a'; TEN_MB];
    bencher
        .counter(divan::counter::BytesCount::new(TEN_MB))
        .bench(|| {
            let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(b"secret").expect("any key");
            mac.update(divan::black_box(&body));
            mac.finalize().into_bytes()
        });
}
