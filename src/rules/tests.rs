//! Tests of the trigger-rule engine against webhook's documented behaviour
//! (shared/reference/webhook-semantics.md §4 and the rule cases of §8).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::*;
use crate::request::payload::{decode, DEFAULT_MAX_MULTIPART_MEM};
use crate::request::{http, Request};
use crate::testing::hook;

const BODY: &str = r#"{"a": "z"}"#;
const SHA1: &str = "b17e04cbb22afa8ffbff8796fc1894ed27badd9e";
const SHA256: &str = "f417af3a21bd70379b5796d5f013915e7029f62c580fb0f500f59a35a6f04c89";

fn json_request(body: &str) -> Request {
    Request::new("POST", "/hooks/h")
        .with_header("Content-Type", "application/json")
        .with_body(body)
}

fn run_at(hook_json: &str, request: &Request, now: SystemTime) -> Evaluation {
    let hook = hook(hook_json);
    let decoded = decode(request, &hook, DEFAULT_MAX_MULTIPART_MEM);
    evaluate_at(&hook, &decoded.context, now)
}

fn run(hook_json: &str, request: &Request) -> Evaluation {
    run_at(hook_json, request, SystemTime::now())
}

fn verdict(rule: &str, request: &Request) -> Verdict {
    run(&format!(r#"{{"id":"h","trigger-rule":{rule}}}"#), request).verdict()
}

fn soft_verdict(rule: &str, request: &Request) -> Verdict {
    let hook =
        format!(r#"{{"id":"h","trigger-signature-soft-failures":true,"trigger-rule":{rule}}}"#);
    run(&hook, request).verdict()
}

const MISSING: &str =
    r#"{"match":{"type":"value","parameter":{"source":"payload","name":"nope"},"value":"x"}}"#;
const TRUE: &str =
    r#"{"match":{"type":"value","parameter":{"source":"payload","name":"a"},"value":"z"}}"#;
const BAD_SHA1: &str = concat!(
    r#"{"match":{"type":"payload-hmac-sha1","secret":"wrong","#,
    r#""parameter":{"source":"header","name":"X-Sig"}}}"#
);
const GOOD_SHA1: &str = concat!(
    r#"{"match":{"type":"payload-hmac-sha1","secret":"secret","#,
    r#""parameter":{"source":"header","name":"X-Sig"}}}"#
);

/// A match on a signature in `source` `name`, with the secret `secret`.
fn signature_rule(kind: &str, source: &str, name: &str) -> String {
    let rule = serde_json::json!({"match": {
        "type": kind, "secret": "secret", "parameter": {"source": source, "name": name}
    }});
    rule.to_string()
}

/// A match of type `kind` on the payload value `name`.
fn payload_rule(kind: &str, name: &str, key: &str, value: &str) -> String {
    let rule = serde_json::json!({"match": {
        "type": kind, key: value, "parameter": {"source": "payload", "name": name}
    }});
    rule.to_string()
}

fn signed() -> Request {
    json_request(BODY).with_header("X-Sig", &format!("sha1={SHA1}"))
}

#[test]
fn not_over_a_missing_value_fires() {
    let req = json_request(BODY);
    assert_eq!(
        verdict(&format!(r#"{{"not":{MISSING}}}"#), &req),
        Verdict::Fires
    );
    assert_eq!(
        verdict(&format!(r#"{{"or":[{{"not":{MISSING}}}]}}"#), &req),
        Verdict::Fires
    );
    let e = run(&format!(r#"{{"trigger-rule":{{"not":{MISSING}}}}}"#), &req);
    assert_eq!(e.error.unwrap().message, "parameter node not found: nope");
}

#[test]
fn missing_values_are_not_satisfied() {
    let req = json_request(BODY);
    assert_eq!(
        verdict(&format!(r#"{{"and":[{MISSING}]}}"#), &req),
        Verdict::Mismatch
    );
    assert_eq!(
        verdict(&format!(r#"{{"or":[{MISSING}]}}"#), &req),
        Verdict::Mismatch
    );
    assert_eq!(
        verdict(&format!(r#"{{"and":[{{"not":{MISSING}}}]}}"#), &req),
        Verdict::Mismatch
    );
    assert_eq!(
        verdict(&format!(r#"{{"not":{{"not":{MISSING}}}}}"#), &req),
        Verdict::Mismatch
    );
    assert_eq!(
        verdict(&format!(r#"{{"or":[{MISSING},{TRUE}]}}"#), &req),
        Verdict::Fires
    );
    assert_eq!(verdict(MISSING, &req), Verdict::Mismatch);
}

#[test]
fn not_keeps_a_signature_error() {
    assert_eq!(
        verdict(&format!(r#"{{"not":{BAD_SHA1}}}"#), &signed()),
        Verdict::Error
    );
    assert_eq!(
        soft_verdict(&format!(r#"{{"not":{BAD_SHA1}}}"#), &signed()),
        Verdict::Error
    );
    assert_eq!(
        soft_verdict(&format!(r#"{{"or":[{{"not":{BAD_SHA1}}}]}}"#), &signed()),
        Verdict::Fires
    );
}

#[test]
fn soft_failures_only_inside_or() {
    let or = format!(r#"{{"or":[{BAD_SHA1},{GOOD_SHA1}]}}"#);
    assert_eq!(soft_verdict(&or, &signed()), Verdict::Fires);
    assert_eq!(verdict(&or, &signed()), Verdict::Error);
    assert_eq!(soft_verdict(BAD_SHA1, &signed()), Verdict::Error);
    assert_eq!(
        soft_verdict(&format!(r#"{{"and":[{BAD_SHA1}]}}"#), &signed()),
        Verdict::Error
    );
    let empty_secret = BAD_SHA1.replace(r#""secret":"wrong","#, "");
    assert_eq!(
        soft_verdict(&format!(r#"{{"or":[{empty_secret},{TRUE}]}}"#), &signed()),
        Verdict::Error
    );
}

#[test]
fn empty_combinators() {
    let req = json_request(BODY);
    assert_eq!(verdict(r#"{"and":[]}"#, &req), Verdict::Fires);
    assert_eq!(verdict(r#"{"or":[]}"#, &req), Verdict::Mismatch);
    assert_eq!(verdict("{}", &req), Verdict::Mismatch);
    assert_eq!(verdict(r#"{"not":{}}"#, &req), Verdict::Fires);
    assert_eq!(run(r#"{"id":"h"}"#, &req).verdict(), Verdict::Fires);
    assert_eq!(
        run(r#"{"id":"h","trigger-rule":null}"#, &req).verdict(),
        Verdict::Fires
    );
    let both = format!(r#"{{"and":[{TRUE}],"or":[{MISSING}]}}"#);
    assert_eq!(verdict(&both, &req), Verdict::Fires);
}

#[test]
fn unknown_types_and_bad_parameters() {
    let req = json_request(BODY);
    let equals =
        r#"{"match":{"type":"equals","parameter":{"source":"payload","name":"a"},"value":"z"}}"#;
    assert_eq!(verdict(equals, &req), Verdict::Mismatch);
    assert!(run(&format!(r#"{{"trigger-rule":{equals}}}"#), &req)
        .error
        .is_none());
    let no_param = r#"{"match":{"type":"value","value":"z"}}"#;
    assert_eq!(verdict(no_param, &req), Verdict::Error);
    let headers = r#"{"match":{"type":"value","parameter":{"source":"headers","name":"a"}}}"#;
    let e = run(&format!(r#"{{"trigger-rule":{headers}}}"#), &req);
    assert_eq!(e.error.unwrap().message, "no source for value retrieval");
}

#[test]
fn null_on_the_path_is_an_error() {
    let req = json_request(r#"{"a":null}"#);
    let through =
        r#"{"match":{"type":"value","parameter":{"source":"payload","name":"a.b"},"value":"x"}}"#;
    let e = run(&format!(r#"{{"trigger-rule":{through}}}"#), &req);
    assert_eq!(e.verdict(), Verdict::Error);
    assert_eq!(e.error.unwrap().message, "no parameters");
    let nil =
        r#"{"match":{"type":"value","parameter":{"source":"payload","name":"a"},"value":"<nil>"}}"#;
    assert_eq!(verdict(nil, &req), Verdict::Fires);
}

#[test]
fn regex_matches() {
    let rule = |re: &str| payload_rule("regex", "s", "regex", re);
    assert_eq!(
        verdict(&rule("b+"), &json_request(r#"{"s":"abbbc"}"#)),
        Verdict::Fires
    );
    assert_eq!(
        verdict(&rule("^ref$"), &json_request(r#"{"s":"xref"}"#)),
        Verdict::Mismatch
    );
    let e = run(
        &format!(r#"{{"trigger-rule":{}}}"#, rule("*")),
        &json_request(r#"{"s":"x"}"#),
    );
    assert_eq!(e.verdict(), Verdict::Error);
    assert_eq!(
        e.error.unwrap().message,
        "error parsing regexp: missing argument to repetition operator: `*`"
    );
}

#[test]
fn value_compares_number_text() {
    let rule =
        r#"{"match":{"type":"value","parameter":{"source":"payload","name":"n"},"value":"1.5"}}"#;
    assert_eq!(
        verdict(rule, &json_request(r#"{"n":1.50}"#)),
        Verdict::Mismatch
    );
    assert_eq!(verdict(rule, &json_request(r#"{"n":1.5}"#)), Verdict::Fires);
}

#[test]
fn hmac_cases_from_the_reference() {
    let rule = &signature_rule("payload-hmac-sha1", "header", "X-Sig");
    let with = |sig: &str| verdict(rule, &json_request(BODY).with_header("X-Sig", sig));
    assert_eq!(with(SHA1), Verdict::Fires);
    assert_eq!(with(&format!("sha1={SHA1}")), Verdict::Fires);
    assert_eq!(with(&format!("sha1=bad,sha1={SHA1}")), Verdict::Fires);
    assert_eq!(with(&format!("sha1=bad, sha1={SHA1}")), Verdict::Error);
    assert_eq!(with(&format!("SHA1={SHA1}")), Verdict::Error);
    assert_eq!(with(&SHA1.to_uppercase()), Verdict::Error);
    assert_eq!(with(""), Verdict::Error);
    assert_eq!(verdict(rule, &json_request(BODY)), Verdict::Mismatch);
}

#[test]
fn hmac_sha256_from_the_query() {
    let rule = &signature_rule("payload-hmac-sha256", "url", "sig");
    let mut req = json_request(BODY);
    req.query = format!("sig=sha256%3D{SHA256}");
    assert_eq!(verdict(rule, &req), Verdict::Fires);
}

#[test]
fn hmac_sha512_and_the_deprecated_alias() {
    let sha512 = "4ab17cc8ec668ead8bf498f87f8f32848c04d5ca3c9bcfcd3db9363f0deb44e5\
                  80b329502a7fdff633d4d8fca301cc5c94a55a2fec458c675fb0ff2655898324";
    let rule = signature_rule("payload-hash-sha512", "header", "X-Sig");
    let hook = &format!(r#"{{"trigger-rule":{rule}}}"#);
    let e = run(
        hook,
        &json_request(BODY).with_header("X-Sig", &format!("sha512={sha512}")),
    );
    assert_eq!(e.verdict(), Verdict::Fires);
    assert_eq!(
        e.log,
        ["warn: use of deprecated option payload-hash-sha512: use payload-hmac-sha512 instead"]
    );
}

#[test]
fn multipart_requests_sign_the_empty_body() {
    let empty_sha256 = "f9e66e179b6747ae54108f82f8ade8b3c25d76fd30afde6c395822c530196169";
    let body = "--XX\r\nContent-Disposition: form-data; name=\"v\"\r\n\r\nval\r\n--XX--\r\n";
    let req = Request::new("POST", "/hooks/h")
        .with_header("Content-Type", "multipart/form-data; boundary=XX")
        .with_body(body);
    let rule = &signature_rule("payload-hmac-sha256", "header", "X-Sig");
    let good = req
        .clone()
        .with_header("X-Sig", &format!("sha256={empty_sha256}"));
    assert_eq!(verdict(rule, &good), Verdict::Fires);
    let body_mac = signature::hmac_hex(
        crate::config::model::Algorithm::Sha256,
        b"secret",
        body.as_bytes(),
    );
    let e = run(
        &format!(r#"{{"trigger-rule":{rule}}}"#),
        &req.with_header("X-Sig", &body_mac),
    );
    assert_eq!(e.verdict(), Verdict::Error);
    assert!(e.error.unwrap().message.ends_with(" on empty payload"));
    assert!(e.trace[0].diagnosis.iter().any(|d| d.contains("multipart")));
}

#[test]
fn ip_whitelist_cases() {
    let rule =
        |range: &str| format!(r#"{{"match":{{"type":"ip-whitelist","ip-range":"{range}"}}}}"#);
    let mut req = json_request(BODY).with_header("X-Forwarded-For", "10.1.1.1");
    req.remote_addr = "127.0.0.1:4711".into();
    assert_eq!(
        verdict(&rule("10.0.0.0/8 127.0.0.0/8"), &req),
        Verdict::Fires
    );
    assert_eq!(
        verdict(&rule("10.0.0.0/8,127.0.0.0/8"), &req),
        Verdict::Error
    );
    assert_eq!(verdict(&rule(""), &req), Verdict::Mismatch);
    assert_eq!(verdict(&rule("127.0.0.5/8"), &req), Verdict::Fires);
    assert_eq!(verdict(&rule("10.0.0.0/8"), &req), Verdict::Mismatch);
    req.remote_addr = "[::1]:4711".into();
    assert_eq!(verdict(&rule("0:0::ffff"), &req), Verdict::Fires);
    assert_eq!(verdict(&rule("::2/128"), &req), Verdict::Mismatch);
}

const SCALR_KEY: &str = "bilFGi4ZVZUdG+C6r0NIM9tuRq6PaG33R3eBUVhLwMAErGBaazvXe4Gq2DcJs5q+";
const SCALR_DATE: &str = "Thu 07 Sep 2017 06:30:04 UTC";
const SCALR_SIG: &str = "48e395e38ac48988929167df531eb2da00063a7d";

fn scalr(date: &str, sig: &str, offset: i64) -> Evaluation {
    let hook = format!(
        r#"{{"trigger-rule":{{"match":{{"type":"scalr-signature","secret":"{SCALR_KEY}"}}}}}}"#
    );
    let req = json_request(r#"{"a": "b"}"#)
        .with_header("Date", date)
        .with_header("X-Signature", sig);
    let base = UNIX_EPOCH + Duration::from_secs(1_504_765_804);
    let now = if offset >= 0 {
        base + Duration::from_secs(offset as u64)
    } else {
        base - Duration::from_secs(offset.unsigned_abs())
    };
    run_at(&hook, &req, now)
}

#[test]
fn scalr_reference_vector_and_clock() {
    assert_eq!(scalr(SCALR_DATE, SCALR_SIG, 0).verdict(), Verdict::Fires);
    assert_eq!(scalr(SCALR_DATE, SCALR_SIG, 299).verdict(), Verdict::Fires);
    assert_eq!(scalr(SCALR_DATE, SCALR_SIG, -250).verdict(), Verdict::Fires);
    let old = scalr(SCALR_DATE, SCALR_SIG, 400);
    assert_eq!(old.verdict(), Verdict::Error);
    assert_eq!(
        old.error.unwrap(),
        RuleError {
            class: ErrorClass::Signature,
            message: "invalid payload signature outdated".into()
        }
    );
    let upper = scalr(SCALR_DATE, &SCALR_SIG.to_uppercase(), 0);
    assert_eq!(upper.error.unwrap().class, ErrorClass::Signature);
}

#[test]
fn scalr_missing_headers_and_bad_dates() {
    let hook = format!(
        r#"{{"trigger-rule":{{"match":{{"type":"scalr-signature","secret":"{SCALR_KEY}"}}}}}}"#
    );
    let no_date = json_request(r#"{"a": "b"}"#).with_header("X-Signature", SCALR_SIG);
    let e = run(&hook, &no_date);
    assert_eq!((e.verdict(), e.error), (Verdict::Mismatch, None));

    let date = "Thu, 07 Sep 2017 06:30:04 UTC";
    let mut body = br#"{"a": "b"}"#.to_vec();
    body.extend_from_slice(date.as_bytes());
    let sig = signature::hmac_hex(
        crate::config::model::Algorithm::Sha1,
        SCALR_KEY.as_bytes(),
        &body,
    );
    let e = scalr(date, &sig, 0);
    assert_eq!(e.verdict(), Verdict::Error);
    assert_eq!(e.error.as_ref().unwrap().class, ErrorClass::Other);
    assert!(e
        .error
        .unwrap()
        .message
        .starts_with("parsing time \"Thu, 07 Sep"));

    let no_key = r#"{"trigger-rule":{"match":{"type":"scalr-signature"}}}"#;
    let req = json_request("{}")
        .with_header("X-Signature", "x")
        .with_header("Date", SCALR_DATE);
    let e = run(no_key, &req);
    assert_eq!(
        e.error.unwrap().message,
        "signature validation signing key can not be empty"
    );
}

#[test]
fn huge_list_indices_crash_webhook() {
    let rule = &payload_rule("value", "l.18446744073709551615", "value", "x");
    assert_eq!(verdict(rule, &json_request(r#"{"l":[1]}"#)), Verdict::Crash);
    let or = format!(r#"{{"or":[{rule},{TRUE}]}}"#);
    assert_eq!(
        soft_verdict(&or, &json_request(r#"{"a":"z","l":[1]}"#)),
        Verdict::Crash
    );
}

#[test]
fn real_github_push_verifies_with_sha1_and_sha256() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/requests/github-push.http"
    );
    let req = http::parse(&std::fs::read(path).unwrap()).unwrap();
    let hook = r#"{"trigger-rule":{"and":[
        {"match":{"type":"payload-hmac-sha1","secret":"It's a Secret to Everybody",
                  "parameter":{"source":"header","name":"X-Hub-Signature"}}},
        {"match":{"type":"payload-hmac-sha256","secret":"It's a Secret to Everybody",
                  "parameter":{"source":"header","name":"X-Hub-Signature-256"}}},
        {"match":{"type":"value","value":"refs/heads/master",
                  "parameter":{"source":"payload","name":"ref"}}}
    ]}}"#;
    let e = run(hook, &req);
    assert_eq!(e.verdict(), Verdict::Fires, "{:?}", e.trace);
    let tampered = req.clone().with_body(
        String::from_utf8(req.body.clone())
            .unwrap()
            .replace("master", "main"),
    );
    assert_eq!(run(hook, &tampered).verdict(), Verdict::Error);
}

#[test]
fn trace_records_each_node_and_skips() {
    let hook = format!(
        r#"{{"trigger-rule":{{"and":[
            {GOOD_SHA1},{{"or":[{MISSING},{TRUE},{BAD_SHA1}]}},{TRUE}]}}}}"#
    );
    let e = run(&hook, &signed());
    assert_eq!(e.verdict(), Verdict::Fires);
    let summary: Vec<(&str, usize, TraceResult)> = e
        .trace
        .iter()
        .map(|t| (t.pointer.as_str(), t.depth, t.result))
        .collect();
    assert_eq!(
        summary,
        [
            ("/0/trigger-rule", 0, TraceResult::True),
            ("/0/trigger-rule/and/0", 1, TraceResult::True),
            ("/0/trigger-rule/and/1", 1, TraceResult::True),
            ("/0/trigger-rule/and/1/or/0", 2, TraceResult::Missing),
            ("/0/trigger-rule/and/1/or/1", 2, TraceResult::True),
            ("/0/trigger-rule/and/1/or/2", 2, TraceResult::Skipped),
            ("/0/trigger-rule/and/2", 1, TraceResult::True),
        ]
    );
    assert_eq!(e.trace[1].value.as_deref(), Some("sha1=b17e04c…"));
    assert_eq!(e.trace[1].parameter.as_deref(), Some("header X-Sig"));
    assert!(e.trace[3]
        .diagnosis
        .iter()
        .any(|d| d.contains("passes over the missing value")));
    let text = serde_json::to_string(&e).unwrap();
    assert!(!text.contains("\"secret\"") && !text.contains(SHA1));
}

#[test]
fn an_error_skips_the_rest() {
    let hook = format!(r#"{{"trigger-rule":{{"and":[{BAD_SHA1},{{"not":{TRUE}}}]}}}}"#);
    let e = run(&hook, &signed());
    let results: Vec<TraceResult> = e.trace.iter().map(|t| t.result).collect();
    assert_eq!(
        results,
        [
            TraceResult::Error,
            TraceResult::Error,
            TraceResult::Skipped,
            TraceResult::Skipped
        ]
    );
    assert_eq!(
        e.error.unwrap().message,
        format!("invalid payload signatures [{SHA1}]")
    );
}

#[test]
fn not_run_marks_everything_skipped() {
    let h = hook(&format!(
        r#"{{"trigger-rule":{{"or":[{TRUE},{{"not":{TRUE}}}]}}}}"#
    ));
    let e = Evaluation::not_run(&h);
    assert_eq!(e.trace.len(), 4);
    assert!(e.trace.iter().all(|t| t.result == TraceResult::Skipped));
}

#[test]
fn values_named_like_tokens_are_masked() {
    let rule = concat!(
        r#"{"match":{"type":"value","value":"It's a Secret","#,
        r#""parameter":{"source":"header","name":"X-Gitlab-Token"}}}"#
    );
    let req = json_request(BODY).with_header("X-Gitlab-Token", "wrong token value");
    let e = run(&format!(r#"{{"trigger-rule":{rule}}}"#), &req);
    let text = serde_json::to_string(&e.trace).unwrap();
    assert!(
        !text.contains("It's a Secret") && !text.contains("wrong token"),
        "{text}"
    );
}

#[test]
fn an_or_that_stops_at_a_signature_says_why() {
    let hook = format!(r#"{{"trigger-rule":{{"or":[{BAD_SHA1},{TRUE}]}}}}"#);
    let e = run(&hook, &signed());
    assert_eq!(e.verdict(), Verdict::Error);
    let hint = e.trace[1].diagnosis.last().unwrap();
    assert!(hint.contains("trigger-signature-soft-failures"), "{hint}");
    assert_eq!(e.trace[2].result, TraceResult::Skipped);
}

#[test]
fn masks_long_hex_runs() {
    use super::trace::mask_signatures;
    assert_eq!(
        mask_signatures(&format!("[sha1={SHA1} x]")),
        "[sha1=b17e04c… x]"
    );
    assert_eq!(mask_signatures("abc 12345"), "abc 12345");
}
