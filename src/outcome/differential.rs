//! A check of the whole engine against the differential corpus recorded from the real
//! webhook 2.8.0 (`tests/differential` on the `diff` branch): every request of every
//! case file is handled in execute mode and compared with webhook's recorded status,
//! headers, body, command line, environment, files and log lines.
//!
//! Hook files go through the real loader, so loading quirks (YAML 1.1 values, case-
//! insensitive keys, comments) are compared too. Case files about start-up (several hook
//! files, templates, refusal to start) belong to `serve` and are skipped here.
//! `HOOKCTL_DIFF_DIR` points the test at another copy of the corpus.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value as Json;

use crate::config::load::load_text;
use crate::config::model::{Algorithm, Hook};
use crate::request::http;
use crate::rules::signature::hmac_hex;

use super::{handle, ExecOptions, Framing, Mode, Outcome, ServerConfig};

thread_local! {
    /// Scalr signatures filled in, which goldens show as placeholders.
    static SCALR_SIGS: std::cell::RefCell<Vec<String>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

struct Group {
    name: String,
    hooks: Vec<Hook>,
    config: ServerConfig,
    capture: String,
    capture_dir: String,
    listen_v6: bool,
}

#[test]
fn differential_corpus() {
    let dir = std::env::var("HOOKCTL_DIFF_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/tests/differential").into());
    let mut paths: Vec<_> = std::fs::read_dir(format!("{dir}/cases"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    paths.sort();
    let (mut passed, mut failed) = (0, Vec::new());
    for path in paths {
        let case: Json = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let golden_path = format!("{dir}/golden/{name}.json");
        let golden: Json =
            serde_json::from_str(&std::fs::read_to_string(golden_path).unwrap()).unwrap();
        let startup_only = golden.get("exit_code").is_some()
            || case.get("template").and_then(Json::as_bool) == Some(true)
            || case.get("extra_hooks_texts").is_some()
            || case["flags"]
                .as_array()
                .is_some_and(|f| f.iter().any(|f| f == "-template"));
        if startup_only {
            continue;
        }
        let group = group(&dir, &name, &case);
        let recorded: BTreeMap<&str, &Json> = golden["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["name"].as_str().unwrap(), r))
            .collect();
        for request in case["requests"].as_array().unwrap() {
            let request_name = request["name"].as_str().unwrap();
            let diffs = compare(&group, request, recorded[request_name]);
            if diffs.is_empty() {
                passed += 1;
            } else {
                failed.push(format!("{name}/{request_name}:\n  {}", diffs.join("\n  ")));
            }
        }
        let _ = std::fs::remove_dir_all(&group.capture_dir);
    }
    for failure in &failed {
        println!("{failure}");
    }
    println!("{passed} passed, {} failed", failed.len());
    assert!(failed.is_empty());
}

fn group(dir: &str, name: &str, case: &Json) -> Group {
    let capture = format!("{dir}/capture.py");
    let capture_dir =
        std::env::temp_dir().join(format!("hookctl-diff-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&capture_dir).unwrap();
    let capture_dir = capture_dir.to_string_lossy().into_owned();
    let hooks_text = match case.get("hooks_text").and_then(Json::as_str) {
        Some(text) => text.replace("@CAPTURE@", &capture),
        None => case["hooks"].to_string().replace("@CAPTURE@", &capture),
    };
    let hooks = load_text(&format!("{name}.json"), hooks_text)
        .served_hooks()
        .to_vec();

    let mut environment = vec![
        ("PATH".to_string(), "/usr/bin:/bin".to_string()),
        ("HOME".into(), "/tmp".into()),
        ("LANG".into(), "C.UTF-8".into()),
        ("CAPTURE_DIR".into(), capture_dir.clone()),
    ];
    if let Some(env) = case.get("env").and_then(Json::as_object) {
        environment.extend(
            env.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string())),
        );
    }
    let mut config = ServerConfig {
        environment,
        working_dir: "/".into(),
        temp_dir: "/tmp".into(),
        ..ServerConfig::default()
    };
    let flags: Vec<String> = case["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_string())
        .collect();
    for pair in flags.windows(2) {
        match pair[0].as_str() {
            "-urlprefix" => config.url_prefix = pair[1].clone(),
            "-http-methods" => config.http_methods = pair[1].clone(),
            "-header" => {
                let (n, v) = pair[1].split_once('=').unwrap();
                config.response_headers.push((n.into(), v.into()));
            }
            _ => {}
        }
    }
    let listen_v6 = case.get("listen").and_then(Json::as_str) == Some("::1");
    Group {
        name: name.into(),
        hooks,
        config,
        capture,
        capture_dir,
        listen_v6,
    }
}

/// The bytes the recorder sends for a case request, with Scalr placeholders filled.
fn raw_request(request: &Json) -> Vec<u8> {
    let method = request["method"].as_str().unwrap();
    let path = request["path"].as_str().unwrap();
    let version = request
        .get("version")
        .and_then(Json::as_str)
        .unwrap_or("HTTP/1.1");
    let mut body: Option<Vec<u8>> = request
        .get("body")
        .and_then(Json::as_str)
        .map(|b| b.as_bytes().to_vec());
    if let Some(b64) = request.get("body_base64").and_then(Json::as_str) {
        use base64::Engine;
        body = Some(
            base64::engine::general_purpose::STANDARD
                .decode(b64)
                .unwrap(),
        );
    }
    let mut headers: Vec<(String, String)> = request
        .get("headers")
        .and_then(Json::as_array)
        .map(|hs| {
            hs.iter()
                .map(|h| {
                    (
                        h[0].as_str().unwrap().to_string(),
                        h[1].as_str().unwrap().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    fill_scalr(request, &mut headers, body.as_deref().unwrap_or_default());
    let raw = request.get("raw").and_then(Json::as_bool).unwrap_or(false);
    let has = |hs: &[(String, String)], n: &str| hs.iter().any(|(k, _)| k.eq_ignore_ascii_case(n));
    if !raw && !has(&headers, "Host") {
        headers.insert(0, ("Host".into(), "localhost:9000".into()));
    }
    let framed = has(&headers, "Content-Length") || has(&headers, "Transfer-Encoding");
    if let (false, false, Some(body)) = (raw, framed, &body) {
        headers.push(("Content-Length".into(), body.len().to_string()));
    }
    let mut out = format!("{method} {path} {version}\r\n").into_bytes();
    for (name, value) in headers {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(&body.unwrap_or_default());
    out
}

fn fill_scalr(request: &Json, headers: &mut [(String, String)], body: &[u8]) {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let dates = [
        ("@SCALR_DATE_NOW@", now),
        ("@SCALR_DATE_OLD@", now - 400),
        ("@SCALR_DATE_FUTURE@", now + 250),
    ];
    for (_, value) in headers.iter_mut() {
        for (placeholder, at) in dates {
            *value = value.replace(placeholder, &scalr_date(at));
        }
    }
    let Some(secret) = request.get("scalr_secret").and_then(Json::as_str) else {
        return;
    };
    let date = headers
        .iter()
        .find(|(n, _)| n == "Date")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let mut message = body.to_vec();
    message.extend_from_slice(date.as_bytes());
    let sig = hmac_hex(Algorithm::Sha1, secret.as_bytes(), &message);
    SCALR_SIGS.with(|s| s.borrow_mut().push(sig.clone()));
    for (_, value) in headers.iter_mut() {
        *value = value
            .replace("@SCALR_SIG_UPPER@", &sig.to_uppercase())
            .replace("@SCALR_SIG@", &sig);
    }
}

fn scalr_date(unix: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let (y, m, d) = civil(days);
    format!(
        "{} {d:02} {} {y} {:02}:{:02}:{:02} UTC",
        DAYS[days.rem_euclid(7) as usize],
        MONTHS[m - 1],
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

fn civil(days: i64) -> (i64, usize, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m as usize, d)
}

fn compare(group: &Group, request: &Json, golden: &Json) -> Vec<String> {
    let mut diffs = Vec::new();
    let raw = raw_request(request);
    let mut parsed = match http::parse(&raw) {
        Ok(parsed) => parsed,
        Err(error) => {
            if golden["status"] != 400 {
                diffs.push(format!(
                    "hookctl refused the request ({error}), webhook answered {}",
                    golden["status"]
                ));
            }
            return diffs;
        }
    };
    parsed.remote_addr = if group.listen_v6 {
        "[::1]:@PORT@".into()
    } else {
        "127.0.0.1:@PORT@".into()
    };
    let mode = Mode::Execute(ExecOptions {
        timeout: Duration::from_secs(10),
    });
    let outcome = handle(&group.hooks, &parsed, &group.config, mode);

    if golden["status"] != outcome.response.status {
        diffs.push(format!(
            "status: webhook {} hookctl {}",
            golden["status"], outcome.response.status
        ));
    }
    compare_body(golden, &outcome, &mut diffs);
    let http10 = request.get("version").and_then(Json::as_str) == Some("HTTP/1.0");
    compare_headers(golden, &outcome, http10, &mut diffs);
    compare_log(group, golden, &outcome, &mut diffs);
    compare_command(group, golden, &outcome, &mut diffs);
    diffs
}

fn compare_body(golden: &Json, outcome: &Outcome, diffs: &mut Vec<String>) {
    let expected: Vec<u8> = match (
        golden.get("body").and_then(Json::as_str),
        golden.get("body_base64"),
    ) {
        (Some(text), _) => text.as_bytes().to_vec(),
        (None, Some(b64)) => {
            use base64::Engine;
            base64::engine::general_purpose::STANDARD
                .decode(b64.as_str().unwrap())
                .unwrap()
        }
        _ => Vec::new(),
    };
    if expected != outcome.response.body {
        diffs.push(format!(
            "body: webhook {:?} hookctl {:?}",
            String::from_utf8_lossy(&expected),
            String::from_utf8_lossy(&outcome.response.body)
        ));
    }
    let interim = golden
        .get("interim")
        .and_then(|i| i[0]["status"].as_u64())
        .map(|s| s as u16);
    if interim != outcome.response.interim {
        diffs.push(format!(
            "interim: webhook {interim:?} hookctl {:?}",
            outcome.response.interim
        ));
    }
}

fn compare_headers(golden: &Json, outcome: &Outcome, http10: bool, diffs: &mut Vec<String>) {
    let expected: BTreeMap<String, String> = golden["headers"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                v.as_str().map_or_else(|| v.to_string(), str::to_string),
            )
        })
        .collect();
    let mut actual: BTreeMap<String, String> = outcome
        .response
        .headers
        .iter()
        .filter(|(n, _)| n != "Connection")
        .cloned()
        .collect();
    // Over HTTP/1.0 Go closes the connection instead of chunking.
    if outcome.response.framing == Framing::Chunked && !http10 {
        actual.insert("Transfer-Encoding".into(), "chunked".into());
    }
    if expected != actual {
        diffs.push(format!("headers: webhook {expected:?} hookctl {actual:?}"));
    }
}

fn normalise(group: &Group, outcome: &Outcome, line: &str) -> String {
    let mut line = line
        .replace(&group.capture_dir, "@CAPTURE_DIR@")
        .replace(&group.capture, "@CAPTURE@");
    if let Some(run) = &outcome.run {
        for file in &run.files {
            line = line.replace(file.path.as_str(), "@FILE@");
        }
    }
    line = line
        .replace("0x…", "0x@ADDR@")
        .replace("(stack trace)", "@STACK@");
    for sig in SCALR_SIGS.with(|s| s.borrow().clone()) {
        line = line
            .replace(&sig.to_uppercase(), "@SCALR_SIG_UPPER@")
            .replace(&sig, "@SCALR_SIG@");
    }
    if let Some(start) = line.find("[open ") {
        let digits_at = line[start..].find(": ").map(|i| start + i);
        if let Some(end) = digits_at {
            let head = line[..end]
                .trim_end_matches(|c: char| c.is_ascii_digit())
                .to_string();
            line = format!("{head}@RAND@{}", &line[end..]);
        }
    }
    line
}

fn compare_log(group: &Group, golden: &Json, outcome: &Outcome, diffs: &mut Vec<String>) {
    let is_summary = |l: &str| {
        l.len() > 6 && l.as_bytes()[..3].iter().all(u8::is_ascii_digit) && &l[3..6] == " | "
    };
    let expected: Vec<String> = golden["log"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .filter(|l| !is_summary(l) && !l.starts_with("> [") && !l.starts_with("< ["))
        .collect();
    let actual: Vec<String> = outcome
        .log
        .iter()
        .map(|l| normalise(group, outcome, l))
        .collect();
    if expected != actual {
        diffs.push(format!(
            "log:\n    webhook {expected:#?}\n    hookctl {actual:#?}"
        ));
    }
}

fn compare_command(group: &Group, golden: &Json, outcome: &Outcome, diffs: &mut Vec<String>) {
    let Some(recorded) = golden.get("command").filter(|c| !c.is_null()) else {
        return;
    };
    let Some(plan) = &outcome.command else {
        diffs.push("command: webhook ran one, hookctl did not".into());
        return;
    };
    let argv: Vec<String> = plan
        .args
        .iter()
        .map(|a| a.replace(&group.capture, "@CAPTURE@"))
        .collect();
    let recorded_argv: Vec<String> = recorded["argv"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    if argv != recorded_argv {
        diffs.push(format!("argv: webhook {recorded_argv:?} hookctl {argv:?}"));
    }
    let base: BTreeMap<&str, &str> = group
        .config
        .environment
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let mut env: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in &plan.env {
        env.insert(name.clone(), value.clone());
    }
    for file in outcome.run.iter().flat_map(|r| r.files.iter()) {
        env.insert(file.env_name.clone(), file.path.clone());
    }
    env.retain(|k, v| k != "CAPTURE_DIR" && base.get(k.as_str()) != Some(&v.as_str()));
    let env: BTreeMap<String, String> = env
        .into_iter()
        .map(|(k, v)| (k, normalise(group, outcome, &v)))
        .collect();
    let recorded_env: BTreeMap<String, String> = recorded["env"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
        .collect();
    if env != recorded_env {
        diffs.push(format!("env: webhook {recorded_env:?} hookctl {env:?}"));
    }
    if let Some(files) = recorded.get("files").and_then(Json::as_object) {
        for (name, content) in files {
            let expected = match content {
                Json::String(text) => text.as_bytes().to_vec(),
                other => {
                    use base64::Engine;
                    let b64 = other["base64"].as_str().unwrap();
                    base64::engine::general_purpose::STANDARD
                        .decode(b64)
                        .unwrap()
                }
            };
            let planned = plan
                .files
                .iter()
                .find(|f| f.env_name == *name)
                .map(|f| f.content.clone());
            if planned.as_deref() != Some(expected.as_slice()) {
                diffs.push(format!(
                    "file {name}: webhook {expected:?} hookctl {planned:?}"
                ));
            }
        }
    }
    let _ = &group.name;
}
