//! Turning a [`Request`] into the [`Context`] a hook sees, step by step as webhook's
//! handler does after the method check: pick the content type, keep the raw body
//! (except for multipart), build the header and query maps, decode the payload, then
//! apply `parse-parameters-as-json`.
//!
//! The content type is tested with case-sensitive substring checks, in this order:
//! `json`, `x-www-form-urlencoded`, `xml`, then a `multipart/form-data;` prefix.
//! Anything else leaves the payload absent. Failures are logged and leave the payload
//! absent, except for multipart, where webhook stops with a 500 response.

use crate::config::model::{Hook, Parameter, Source};

use super::context::Context;
use super::json::{decode_first, decode_object};
use super::parameter::{extract, go_argument};
use super::quote::go_quote;
use super::value::{Map, Value};
use super::{canonical_header_key, form, multipart, xml, Request};

/// webhook's default for `-max-multipart-mem`.
pub const DEFAULT_MAX_MULTIPART_MEM: i64 = 1 << 20;

/// The context, webhook's log lines while building it, and whether webhook stopped.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub context: Context,
    /// Log lines without the timestamp and request id, in the order webhook writes them.
    pub log: Vec<String>,
    /// Set when webhook answers before evaluating the trigger rule.
    pub failure: Option<DecodeFailure>,
}

/// Why webhook stopped while reading the request.
///
/// webhook's third failure here, `Error occurred while parsing multipart form file.`,
/// needs a file part that Go spilled to a temporary file and then could not reopen; it
/// cannot happen with a body held in memory, so it has no variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeFailure {
    /// The multipart body could not be read: 500 `Error occurred while parsing multipart
    /// form.`
    Multipart(String),
    /// The handler crashed (a dotted `parse-parameters-as-json` name); Go recovers with
    /// 500 `Internal Server Error`.
    Panic(String),
}

/// Reads `request` for `hook` as webhook does.
pub fn decode(request: &Request, hook: &Hook, max_multipart_mem: i64) -> Decoded {
    let content_type = effective_content_type(request, hook);
    let is_multipart = content_type.starts_with("multipart/form-data;");
    let context = Context {
        method: request.method.clone(),
        remote_addr: request.remote_addr.clone(),
        headers: header_map(request),
        query: form::parse_query(request.query.as_bytes()).first_values(),
        payload: None,
        raw_body: if is_multipart {
            Vec::new()
        } else {
            request.body.clone()
        },
        content_type,
        is_multipart,
    };
    let mut decoded = Decoded {
        context,
        log: Vec::new(),
        failure: None,
    };

    decode_payload(&mut decoded, request, hook, max_multipart_mem);
    if decoded.failure.is_some() {
        return decoded;
    }
    if let Err(panic) = apply_json_parameters(hook, &mut decoded.context, &mut decoded.log) {
        decoded.failure = Some(DecodeFailure::Panic(panic));
    }
    decoded
}

/// `incoming-payload-content-type` when set, else the request's first `Content-Type`.
pub fn effective_content_type(request: &Request, hook: &Hook) -> String {
    let configured = hook.incoming_payload_content_type();
    if !configured.is_empty() {
        return configured.to_string();
    }
    request.header("Content-Type").unwrap_or("").to_string()
}

/// The header map webhook builds: canonical names, first values, and the changes Go's
/// server makes before webhook sees the headers (no `Host`, no `Transfer-Encoding`, no
/// `Content-Length` beside a chunked body, and `Pragma: no-cache` adding
/// `Cache-Control: no-cache`).
pub fn header_map(request: &Request) -> Map {
    let chunked = request.header("Transfer-Encoding").is_some();
    let mut map = Map::new();
    for (name, value) in &request.headers {
        let name = canonical_header_key(name);
        let dropped = matches!(name.as_str(), "Host" | "Transfer-Encoding")
            || (chunked && name == "Content-Length");
        if !dropped {
            map.entry(name)
                .or_insert_with(|| Value::String(value.clone()));
        }
    }
    let no_cache = map.get("Pragma").and_then(Value::as_str) == Some("no-cache");
    if no_cache && !map.contains_key("Cache-Control") {
        map.insert("Cache-Control".into(), Value::String("no-cache".into()));
    }
    map
}

fn decode_payload(decoded: &mut Decoded, request: &Request, hook: &Hook, max_mem: i64) {
    let content_type = decoded.context.content_type.clone();
    let body = &decoded.context.raw_body;
    let result = if content_type.contains("json") {
        decode_json(body)
    } else if content_type.contains("x-www-form-urlencoded") {
        let parsed = form::parse_query(body);
        match parsed.error {
            Some(error) => Err(format!("error parsing form payload {error}")),
            None => Ok(Some(parsed.first_values())),
        }
    } else if content_type.contains("xml") {
        xml::decode(body)
            .map(Some)
            .map_err(|e| format!("error parsing XML payload: {e}"))
    } else if decoded.context.is_multipart {
        return decode_multipart(decoded, request, hook, max_mem);
    } else {
        let line = "error parsing body payload due to unsupported content type header: ";
        Err(format!("{line}{content_type}"))
    };
    match result {
        Ok(payload) => decoded.context.payload = payload,
        Err(line) => decoded.log.push(line),
    }
}

/// A JSON body: an object, or a list stored under `root` when the first non-space byte
/// is `[` (space as Go's `unicode.IsSpace` sees a byte).
fn decode_json(body: &[u8]) -> Result<Option<Map>, String> {
    let first = body.iter().copied().find(|&c| !is_go_space_byte(c));
    if first == Some(b'[') {
        let list =
            decode_first(body).map_err(|e| format!("error parsing JSON array payload {e}"))?;
        return Ok(Some(Map::from([("root".to_string(), list)])));
    }
    decode_object(body).map_err(|e| format!("error parsing JSON payload {e}"))
}

fn is_go_space_byte(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' | 0x85 | 0xa0)
}

fn decode_multipart(decoded: &mut Decoded, request: &Request, hook: &Hook, max_mem: i64) {
    // Go reads the boundary from the request's own header, whatever the hook overrides.
    let header = request.header("Content-Type").unwrap_or("");
    let form = multipart::read_form(header, &request.body, max_mem).and_then(|form| {
        // Go reports a bad query only after the form was read, and webhook fails on it.
        match form::parse_query(request.query.as_bytes()).error {
            Some(error) => Err(error),
            None => Ok(form),
        }
    });
    let form = match form {
        Ok(form) => form,
        Err(error) => {
            // webhook's message ends in a newline of its own before the log adds one.
            decoded
                .log
                .push(format!("error parsing multipart form: {error}\n"));
            decoded.failure = Some(DecodeFailure::Multipart(error));
            return;
        }
    };
    // Known gap: Go walks these maps in random order; the log lists names sorted.
    // Why: the order carries no meaning. Tracked: docs/limitations.md#log-order
    for (name, values) in &form.values {
        decoded
            .log
            .push(format!("found multipart form value {}", go_quote(name)));
        let payload = decoded.context.payload.get_or_insert_with(Map::new);
        payload.insert(name.clone(), Value::String(values[0].clone()));
    }
    for (name, files) in &form.files {
        if !is_json_file(hook, name, &files[0]) {
            continue;
        }
        decoded.log.push(format!(
            "parsing multipart form file {} as JSON",
            go_quote(name)
        ));
        let value = match decode_object(&files[0].content) {
            Ok(Some(map)) => Value::Object(map),
            Ok(None) => Value::NilObject,
            Err(error) => {
                decoded
                    .log
                    .push(format!("error parsing JSON payload file: {error}"));
                Value::NilObject
            }
        };
        decoded
            .context
            .payload
            .get_or_insert_with(Map::new)
            .insert(name.clone(), value);
    }
}

/// A file part joins the payload when `parse-parameters-as-json` names it as a payload
/// value, or when one of its `Content-Type` values is exactly `application/json`.
fn is_json_file(hook: &Hook, name: &str, file: &multipart::FilePart) -> bool {
    let forced = hook
        .parse_parameters_as_json
        .iter()
        .any(|p| p.source_text() == "payload" && p.name() == name);
    forced || file.content_types().any(|ct| ct == "application/json")
}

/// Applies `parse-parameters-as-json`: each named value that holds a JSON object is
/// replaced by that object. Returns the panic text when a dotted name crashes
/// webhook's handler; the log lines collected so far are then never written.
pub fn apply_json_parameters(
    hook: &Hook,
    context: &mut Context,
    log: &mut Vec<String>,
) -> Result<(), String> {
    let mut errors = Vec::new();
    for parameter in &hook.parse_parameters_as_json {
        if let Err(error) = replace_with_json(parameter, context)? {
            errors.push(format!("error parsing JSON parameters: {error}"));
        }
    }
    log.extend(errors);
    Ok(())
}

/// One `parse-parameters-as-json` entry. The outer error is a panic; the inner one a
/// logged error.
fn replace_with_json(
    parameter: &Parameter,
    context: &mut Context,
) -> Result<Result<(), String>, String> {
    let Ok(text) = extract(parameter, context) else {
        return Ok(Err(format!(
            "couldn't retrieve argument for {}",
            go_argument(parameter)
        )));
    };
    let object = match decode_object(text.as_bytes()) {
        Ok(Some(map)) => Value::Object(map),
        Ok(None) => Value::NilObject,
        Err(error) => return Ok(Err(error.0)),
    };
    let (key, map) = match parameter.source() {
        Some(Source::Header) => (
            canonical_header_key(parameter.name()),
            Some(&mut context.headers),
        ),
        Some(Source::Query) => (parameter.name().to_string(), Some(&mut context.query)),
        Some(Source::Payload) => (parameter.name().to_string(), context.payload.as_mut()),
        _ => {
            return Ok(Err(format!(
                "invalid source for argument {}",
                go_argument(parameter)
            )))
        }
    };
    if key.contains('.') {
        return Err(
            "interface conversion: interface {} is *map[string]interface {}, \
                    not map[string]interface {}"
                .into(),
        );
    }
    if let Some(slot) = map.and_then(|m| m.get_mut(&key)) {
        *slot = object;
    }
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::json::{marshal, marshal_map};
    use crate::request::parameter::tests::param;

    fn json_request(body: &str) -> Request {
        Request::new("POST", "/hooks/x")
            .with_header("Content-Type", "application/json")
            .with_body(body)
    }

    fn payload(decoded: &Decoded) -> String {
        marshal_map(decoded.context.payload.as_ref())
    }

    fn decode_default(request: &Request) -> Decoded {
        decode(request, &Hook::default(), DEFAULT_MAX_MULTIPART_MEM)
    }

    #[test]
    fn json_arrays_go_under_root() {
        let d = decode_default(&json_request("\n\t [ \"x\", 2 ]"));
        assert_eq!(payload(&d), r#"{"root":["x",2]}"#);
    }

    #[test]
    fn json_failures_are_logged_and_leave_no_payload() {
        let d = decode_default(&json_request(""));
        assert_eq!(d.log, ["error parsing JSON payload EOF"]);
        assert_eq!(payload(&d), "null");
        let d = decode_default(&json_request("[1,"));
        assert_eq!(d.log, ["error parsing JSON array payload unexpected EOF"]);
        let d = decode_default(&json_request("null"));
        assert!(d.log.is_empty());
        assert_eq!(payload(&d), "null");
    }

    #[test]
    fn content_type_checks_are_case_sensitive_substrings() {
        let req = Request::new("POST", "/")
            .with_header("Content-Type", "APPLICATION/JSON")
            .with_body("{}");
        let d = decode_default(&req);
        assert_eq!(
            d.log,
            ["error parsing body payload due to unsupported content type header: APPLICATION/JSON"]
        );
        let req = Request::new("POST", "/")
            .with_header("Content-Type", "application/vnd.github+json; charset=utf-8")
            .with_body(r#"{"a":1}"#);
        assert_eq!(payload(&decode_default(&req)), r#"{"a":1}"#);
    }

    #[test]
    fn the_hook_content_type_overrides_the_header() {
        let hook = crate::testing::hook(r#"{"incoming-payload-content-type": "application/json"}"#);
        let req = Request::new("POST", "/")
            .with_header("Content-Type", "text/plain")
            .with_body(r#"{"a":1}"#);
        let d = decode(&req, &hook, DEFAULT_MAX_MULTIPART_MEM);
        assert_eq!(payload(&d), r#"{"a":1}"#);
        assert_eq!(
            d.context.headers["Content-Type"],
            Value::String("text/plain".into())
        );
    }

    #[test]
    fn forms_fail_whole() {
        let form = |body: &str| {
            Request::new("POST", "/")
                .with_header("Content-Type", "application/x-www-form-urlencoded")
                .with_body(body)
        };
        assert_eq!(
            payload(&decode_default(&form("a=1&a=2&b.c=3"))),
            r#"{"a":"1","b.c":"3"}"#
        );
        let d = decode_default(&form("a=1;b=2"));
        assert_eq!(
            d.log,
            ["error parsing form payload invalid semicolon separator in query"]
        );
        assert_eq!(payload(&d), "null");
    }

    #[test]
    fn header_and_query_maps_keep_first_values() {
        let req = Request::new("POST", "/hooks/x?q=1&q=2&r=3&a=1;b=2")
            .with_header("Host", "h")
            .with_header("X-Multi", "v1")
            .with_header("x-multi", "v2")
            .with_header("Pragma", "no-cache")
            .with_header("Transfer-Encoding", "chunked")
            .with_header("Content-Length", "3");
        let d = decode_default(&req);
        assert_eq!(
            marshal_map(Some(&d.context.headers)),
            r#"{"Cache-Control":"no-cache","Pragma":"no-cache","X-Multi":"v1"}"#
        );
        assert_eq!(marshal_map(Some(&d.context.query)), r#"{"q":"1","r":"3"}"#);
    }

    fn multipart_request(query: &str) -> Request {
        let body = "--XX\r\nContent-Disposition: form-data; name=\"v\"\r\n\r\nval1\r\n\
            --XX\r\nContent-Disposition: form-data; name=\"v\"\r\n\r\nval2\r\n\
            --XX\r\nContent-Disposition: form-data; name=\"j\"; filename=\"j\"\r\n\
            Content-Type: application/json\r\n\r\n{\"k\":\"fromfile\"}\r\n\
            --XX\r\nContent-Disposition: form-data; name=\"forced\"; filename=\"f\"\r\n\
            Content-Type: application/octet-stream\r\n\r\n{\"f\":\"forcedval\"}\r\n\
            --XX\r\nContent-Disposition: form-data; name=\"bin\"; filename=\"b\"\r\n\
            Content-Type: application/octet-stream\r\n\r\nBINARY\r\n--XX--\r\n";
        Request::new("POST", &format!("/hooks/m{query}"))
            .with_header("Content-Type", "multipart/form-data; boundary=XX")
            .with_body(body)
    }

    #[test]
    fn multipart_payload_follows_webhook() {
        let hook = Hook {
            parse_parameters_as_json: vec![param("payload", "forced")],
            ..Hook::default()
        };
        let d = decode(&multipart_request(""), &hook, DEFAULT_MAX_MULTIPART_MEM);
        assert_eq!(
            payload(&d),
            r#"{"forced":{"f":"forcedval"},"j":{"k":"fromfile"},"v":"val1"}"#
        );
        assert!(d.context.raw_body.is_empty());
        assert!(d.failure.is_none());
        assert_eq!(d.log[0], r#"found multipart form value "v""#);
        assert!(d
            .log
            .contains(&r#"parsing multipart form file "j" as JSON"#.to_string()));
    }

    #[test]
    fn multipart_failures_stop_webhook() {
        let mut req = multipart_request("");
        req.headers[0].1 = "multipart/form-data; boundary=YY".into();
        let d = decode_default(&req);
        assert_eq!(
            d.failure,
            Some(DecodeFailure::Multipart("multipart: NextPart: EOF".into()))
        );
        let d = decode_default(&multipart_request("?a=1;b=2"));
        assert_eq!(
            d.failure,
            Some(DecodeFailure::Multipart(
                "invalid semicolon separator in query".into()
            ))
        );
    }

    #[test]
    fn multipart_without_boundary_is_not_multipart() {
        let mut req = multipart_request("");
        req.headers[0].1 = "multipart/form-data".into();
        let d = decode_default(&req);
        assert!(!d.context.is_multipart);
        assert_eq!(d.context.raw_body, req.body);
    }

    #[test]
    fn json_parameters_replace_top_level_values() {
        let hook = Hook {
            parse_parameters_as_json: vec![param("header", "x-data"), param("payload", "p")],
            ..Hook::default()
        };
        let req = json_request(r#"{"p":"{\"a\":[1,2]}"}"#)
            .with_header("X-Data", r#"{"someKey":1,"somekey":2}"#);
        let d = decode(&req, &hook, DEFAULT_MAX_MULTIPART_MEM);
        assert_eq!(payload(&d), r#"{"p":{"a":[1,2]}}"#);
        assert_eq!(
            marshal(&d.context.headers["X-Data"]),
            r#"{"someKey":1,"somekey":2}"#
        );
    }

    #[test]
    fn json_parameter_errors_are_logged() {
        let hook = Hook {
            parse_parameters_as_json: vec![
                param("payload", "l"),
                param("payload", "missing"),
                param("string", "{}"),
                param("payload", "n"),
            ],
            ..Hook::default()
        };
        let d = decode(&json_request(r#"{"l":"[1,2]","n":"null"}"#), &hook, 1);
        let prefix = "error parsing JSON parameters: ";
        assert_eq!(
            d.log,
            [
                format!(
                    "{prefix}json: cannot unmarshal array into Go value of type \
                 map[string]interface {{}}"
                ),
                format!(
                    "{prefix}couldn't retrieve argument for \
                 {{Source:payload Name:missing EnvName: Base64Decode:false}}"
                ),
                format!(
                    "{prefix}invalid source for argument \
                 {{Source:string Name:{{}} EnvName: Base64Decode:false}}"
                ),
            ]
        );
        assert_eq!(payload(&d), r#"{"l":"[1,2]","n":null}"#);
        assert_eq!(d.context.payload.as_ref().unwrap()["n"], Value::NilObject);
    }

    #[test]
    fn a_dotted_json_parameter_panics() {
        let hook = Hook {
            parse_parameters_as_json: vec![param("payload", "outer.inner")],
            ..Hook::default()
        };
        let d = decode(&json_request(r#"{"outer":{"inner":"{}"}}"#), &hook, 1);
        assert!(matches!(d.failure, Some(DecodeFailure::Panic(_))));
        let d = decode(&json_request(r#"{"outer":{}}"#), &hook, 1);
        assert!(d.failure.is_none());
    }
}
