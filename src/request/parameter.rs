//! Looking up a hook's parameter in a request, with webhook's rules and error texts.
//!
//! A path such as `commits.0.id` is walked one step at a time: at every level a key
//! that matches the whole remaining path wins over a dotted walk, list indices are
//! unsigned decimals (leading zeros allowed), and a JSON `null` in the way is the plain
//! error `no parameters` rather than a missing parameter. A found value is turned into
//! text as Go's `fmt` and `json.Marshal` would.

use thiserror::Error;

use crate::config::model::{Parameter, Source};

use super::canonical_header_key;
use super::context::Context;
use super::json::{marshal, marshal_map};
use super::quote::go_quote;
use super::value::{Map, Value};

/// Why a parameter has no value; the texts are webhook's.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ExtractError {
    /// The path does not exist; the key is what was left of it where the walk stopped.
    #[error("parameter node not found: {0}")]
    NotFound(String),
    /// The walk reached a JSON `null`.
    #[error("no parameters")]
    NoParameters,
    /// The `source` is not one webhook knows (or is missing).
    #[error("no source for value retrieval")]
    NoSource,
    #[error("unsupported request key: {}", go_quote(.0))]
    UnsupportedRequestKey(String),
    /// A list index of 2^63 or more: webhook's Go code indexes out of range and panics.
    #[error("runtime error: index out of range [{index}] with length {len}")]
    IndexPanic { index: u64, len: usize },
}

impl ExtractError {
    /// Whether this is webhook's "missing parameter" error, which trigger rules treat
    /// more gently than the others.
    pub fn is_missing(&self) -> bool {
        matches!(self, ExtractError::NotFound(_))
    }
}

/// The value of `parameter` in `context`, as the text webhook would use.
pub fn extract(parameter: &Parameter, context: &Context) -> Result<String, ExtractError> {
    let name = parameter.name();
    let Some(source) = parameter.source() else {
        return Err(ExtractError::NoSource);
    };
    match source {
        Source::Header => lookup_text(&canonical_header_key(name), Some(&context.headers)),
        Source::Query => lookup_text(name, Some(&context.query)),
        Source::Payload => lookup_text(name, context.payload.as_ref()),
        Source::String => Ok(name.to_string()),
        Source::RawRequestBody => Ok(String::from_utf8_lossy(&context.raw_body).into_owned()),
        Source::Request => match name.to_lowercase().as_str() {
            "remote-addr" => Ok(context.remote_addr.clone()),
            "method" => Ok(context.method.clone()),
            _ => Err(ExtractError::UnsupportedRequestKey(name.to_string())),
        },
        Source::EntirePayload => Ok(marshal_map(context.payload.as_ref())),
        Source::EntireHeaders => Ok(marshal_map(Some(&context.headers))),
        Source::EntireQuery => Ok(marshal_map(Some(&context.query))),
    }
}

/// The map a path-based source reads, with the key webhook looks up in it; `None` for
/// sources that do not walk a path.
pub fn source_map<'a>(
    parameter: &Parameter,
    context: &'a Context,
) -> Option<(String, Option<&'a Map>)> {
    let name = parameter.name();
    match parameter.source()? {
        Source::Header => Some((canonical_header_key(name), Some(&context.headers))),
        Source::Query => Some((name.to_string(), Some(&context.query))),
        Source::Payload => Some((name.to_string(), context.payload.as_ref())),
        _ => None,
    }
}

/// Looks `key` up in a top-level map (a nil map finds nothing) and stringifies it.
pub fn lookup_text(key: &str, map: Option<&Map>) -> Result<String, ExtractError> {
    lookup_in_map(key, map).map(stringify)
}

/// Looks `key` up in a top-level map. A nil map behaves like an empty one: webhook's
/// top-level maps are never Go `nil` interfaces, so they never give `no parameters`.
pub fn lookup_in_map<'a>(key: &str, map: Option<&'a Map>) -> Result<&'a Value, ExtractError> {
    match map {
        Some(map) => lookup_map(key, map),
        None => Err(ExtractError::NotFound(key.to_string())),
    }
}

/// Walks `key` inside `node`, as webhook's `GetParameter` does.
pub fn lookup<'a>(key: &str, node: &'a Value) -> Result<&'a Value, ExtractError> {
    match node {
        Value::Null => Err(ExtractError::NoParameters),
        Value::Array(items) => lookup_list(key, items),
        Value::Object(map) => lookup_map(key, map),
        _ => Err(ExtractError::NotFound(key.to_string())),
    }
}

fn lookup_map<'a>(key: &str, map: &'a Map) -> Result<&'a Value, ExtractError> {
    if let Some(value) = map.get(key) {
        return Ok(value);
    }
    if let Some((head, rest)) = key.split_once('.') {
        if let Some(value) = map.get(head) {
            return lookup(rest, value);
        }
    }
    Err(ExtractError::NotFound(key.to_string()))
}

fn lookup_list<'a>(key: &str, items: &'a [Value]) -> Result<&'a Value, ExtractError> {
    let not_found = || ExtractError::NotFound(key.to_string());
    if items.is_empty() {
        return Err(not_found());
    }
    let (head, rest) = match key.split_once('.') {
        Some((head, rest)) => (head, Some(rest)),
        None => (key, None),
    };
    let index = parse_index(head).ok_or_else(not_found)?;
    // Go converts the index to a signed int before the range check, so a huge index
    // passes the check and then panics when used.
    if index > i64::MAX as u64 {
        return Err(ExtractError::IndexPanic {
            index,
            len: items.len(),
        });
    }
    let item = items.get(index as usize).ok_or_else(not_found)?;
    match rest {
        Some(rest) => lookup(rest, item),
        None => Ok(item),
    }
}

/// Go's `strconv.ParseUint(s, 10, 64)`: decimal digits only, leading zeros allowed.
pub fn parse_index(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// A found value as text: strings as they are, numbers as sent, `null` as `<nil>`,
/// lists and objects as Go's `json.Marshal` writes them.
pub fn stringify(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "<nil>".into(),
        Value::Array(_) | Value::Object(_) | Value::NilObject => marshal(value),
    }
}

/// The parameter as Go's `%+v` prints webhook's `Argument` struct in log lines:
/// `{Source:payload Name:ref EnvName: Base64Decode:false}`.
pub fn go_argument(parameter: &Parameter) -> String {
    go_argument_with_envname(parameter, parameter.envname())
}

/// [`go_argument`] with another `EnvName`, for an entry webhook has changed in memory.
pub fn go_argument_with_envname(parameter: &Parameter, envname: &str) -> String {
    format!(
        "{{Source:{} Name:{} EnvName:{envname} Base64Decode:{}}}",
        parameter.source_text(),
        parameter.name(),
        parameter.base64decode()
    )
}

/// A short description for people: `header X-Hub-Signature`, `payload ref`,
/// `entire-payload`.
pub fn describe(parameter: &Parameter) -> String {
    let source = parameter.source_text();
    let source = if source.is_empty() {
        "(no source)"
    } else {
        source
    };
    match parameter.source() {
        Some(Source::Header) => format!("header {}", canonical_header_key(parameter.name())),
        Some(s) if !s.uses_name() => source.to_string(),
        _ => format!("{source} {}", parameter.name()),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::request::json::decode_object;

    pub(crate) fn param(source: &str, name: &str) -> Parameter {
        let json = serde_json::json!({ "source": source, "name": name });
        crate::testing::parameter(&json.to_string())
    }

    fn context(payload: &str) -> Context {
        Context {
            method: "POST".into(),
            remote_addr: "[::1]:4711".into(),
            payload: decode_object(payload.as_bytes()).unwrap(),
            ..Context::default()
        }
    }

    fn get(payload: &str, name: &str) -> Result<String, ExtractError> {
        extract(&param("payload", name), &context(payload))
    }

    #[test]
    fn stringifies_like_webhook() {
        let body = r#"{"z":null,"f":1.50,"big":12345678901234567890,"e":1e3,"t":true,
            "o":{"b":1,"a":"<x>&"}}"#;
        assert_eq!(get(body, "z").unwrap(), "<nil>");
        assert_eq!(get(body, "f").unwrap(), "1.50");
        assert_eq!(get(body, "big").unwrap(), "12345678901234567890");
        assert_eq!(get(body, "e").unwrap(), "1e3");
        assert_eq!(get(body, "t").unwrap(), "true");
        assert_eq!(
            get(body, "o").unwrap(),
            r#"{"a":"\u003cx\u003e\u0026","b":1}"#
        );
    }

    #[test]
    fn literal_keys_win_at_every_level() {
        let body = r#"{"a.b":"literal","a":{"b":"nested"},"x":{"y.z":"deep"}}"#;
        assert_eq!(get(body, "a.b").unwrap(), "literal");
        assert_eq!(get(body, "x.y.z").unwrap(), "deep");
    }

    #[test]
    fn list_indices_follow_parse_uint() {
        let body = r#"{"l":[1,"a"],"e":[]}"#;
        assert_eq!(get(body, "l.1").unwrap(), "a");
        assert_eq!(get(body, "l.01").unwrap(), "a");
        assert_eq!(get(body, "l.-1"), Err(ExtractError::NotFound("-1".into())));
        assert_eq!(get(body, "l.+1"), Err(ExtractError::NotFound("+1".into())));
        assert_eq!(get(body, "l.2"), Err(ExtractError::NotFound("2".into())));
        assert_eq!(get(body, "e.0"), Err(ExtractError::NotFound("0".into())));
        assert_eq!(
            get(body, "l.9223372036854775808"),
            Err(ExtractError::IndexPanic {
                index: 9223372036854775808,
                len: 2
            })
        );
    }

    #[test]
    fn missing_keys_report_the_remaining_path() {
        assert_eq!(
            get(r#"{"o":{"y":1}}"#, "o.z.q"),
            Err(ExtractError::NotFound("z.q".into()))
        );
        assert_eq!(
            get(r#"{"o":"s"}"#, "o.z"),
            Err(ExtractError::NotFound("z".into()))
        );
        assert_eq!(get("null", "a"), Err(ExtractError::NotFound("a".into())));
    }

    #[test]
    fn null_in_the_way_is_no_parameters() {
        assert_eq!(get(r#"{"a":null}"#, "a.b"), Err(ExtractError::NoParameters));
        assert_eq!(ExtractError::NoParameters.to_string(), "no parameters");
        assert!(!ExtractError::NoParameters.is_missing());
    }

    #[test]
    fn nil_objects_print_null_and_find_nothing() {
        let mut ctx = context("{}");
        ctx.payload
            .as_mut()
            .unwrap()
            .insert("n".into(), Value::NilObject);
        assert_eq!(extract(&param("payload", "n"), &ctx).unwrap(), "null");
        let err = extract(&param("payload", "n.x"), &ctx).unwrap_err();
        assert_eq!(err, ExtractError::NotFound("x".into()));
    }

    #[test]
    fn other_sources() {
        let mut ctx = context(r#"{"a":1}"#);
        ctx.headers
            .insert("X-Data".into(), Value::String("h".into()));
        ctx.query.insert("q".into(), Value::String("1".into()));
        ctx.raw_body = b"raw".to_vec();
        let get = |s: &str, n: &str| extract(&param(s, n), &ctx);
        assert_eq!(get("header", "x-data").unwrap(), "h");
        assert_eq!(get("url", "q").unwrap(), "1");
        assert_eq!(get("query", "q").unwrap(), "1");
        assert_eq!(get("string", "lit").unwrap(), "lit");
        assert_eq!(get("raw-request-body", "").unwrap(), "raw");
        assert_eq!(get("request", "Remote-Addr").unwrap(), "[::1]:4711");
        assert_eq!(get("request", "METHOD").unwrap(), "POST");
        assert_eq!(
            get("request", "path").unwrap_err().to_string(),
            r#"unsupported request key: "path""#
        );
        assert_eq!(get("entire-payload", "").unwrap(), r#"{"a":1}"#);
        assert_eq!(get("entire-headers", "").unwrap(), r#"{"X-Data":"h"}"#);
        assert_eq!(get("entire-query", "").unwrap(), r#"{"q":"1"}"#);
        assert_eq!(
            get("headers", "x").unwrap_err().to_string(),
            "no source for value retrieval"
        );
        assert_eq!(get("", "x").unwrap_err(), ExtractError::NoSource);
        ctx.payload = None;
        assert_eq!(extract(&param("entire-payload", ""), &ctx).unwrap(), "null");
    }

    #[test]
    fn header_names_are_canonicalised_whole() {
        let mut ctx = context("{}");
        let data = decode_object(br#"{"someKey":1,"somekey":2,"k":"hk"}"#)
            .unwrap()
            .unwrap();
        ctx.headers.insert("X-Data".into(), Value::Object(data));
        assert_eq!(
            extract(&param("header", "X-Data.someKey"), &ctx).unwrap(),
            "2"
        );
        assert_eq!(extract(&param("header", "x-data.k"), &ctx).unwrap(), "hk");
    }

    #[test]
    fn prints_arguments_like_go() {
        let p = param("payload", "missing");
        assert_eq!(
            go_argument(&p),
            "{Source:payload Name:missing EnvName: Base64Decode:false}"
        );
        assert_eq!(
            describe(&param("header", "x-hub-signature")),
            "header X-Hub-Signature"
        );
        assert_eq!(describe(&param("entire-payload", "")), "entire-payload");
    }
}
