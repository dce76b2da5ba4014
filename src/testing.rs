//! Test support: hooks built from JSON text, for the engine's unit tests.
//!
//! This is a small stand-in for the hook-file loader: it reads the JSON shape of a hook
//! (keys matched case-insensitively, numbers and booleans accepted where webhook turns
//! them into strings) and fills the model with JSON pointers, so the engine can be
//! tested without the loader. Spans are left empty.

use serde_json::Value as Json;

use crate::config::model::{
    Field, Hook, Match, MatchKind, Parameter, ResponseHeader, Secret, TriggerRule, TriggerRuleKind,
};

/// A hook from its JSON text; the hook's pointer is `/0`.
pub(crate) fn hook(text: &str) -> Hook {
    let json: Json = serde_json::from_str(text).expect("test hook JSON");
    hook_at(&json, "/0")
}

/// A hook from a JSON value, with `pointer` as the hook's JSON pointer.
pub(crate) fn hook_at(json: &Json, pointer: &str) -> Hook {
    let get = |key: &str| get(json, key);
    let at = |key: &str| format!("{pointer}/{key}");
    Hook {
        pointer: pointer.to_string(),
        id: string(get("id"), &at("id")),
        execute_command: string(get("execute-command"), &at("execute-command")),
        command_working_directory: string(
            get("command-working-directory"),
            &at("command-working-directory"),
        ),
        response_message: string(get("response-message"), &at("response-message")),
        response_headers: list(get("response-headers"))
            .iter()
            .enumerate()
            .map(|(i, h)| response_header(h, &format!("{}/{i}", at("response-headers"))))
            .collect(),
        include_command_output_in_response: boolean(get("include-command-output-in-response")),
        include_command_output_in_response_on_error: boolean(get(
            "include-command-output-in-response-on-error",
        )),
        pass_arguments_to_command: parameters(
            get("pass-arguments-to-command"),
            &at("pass-arguments-to-command"),
        ),
        pass_environment_to_command: parameters(
            get("pass-environment-to-command"),
            &at("pass-environment-to-command"),
        ),
        pass_file_to_command: parameters(get("pass-file-to-command"), &at("pass-file-to-command")),
        parse_parameters_as_json: parameters(
            get("parse-parameters-as-json"),
            &at("parse-parameters-as-json"),
        ),
        trigger_rule: get("trigger-rule")
            .filter(|r| !r.is_null())
            .map(|r| trigger_rule(r, &at("trigger-rule"))),
        trigger_rule_mismatch_http_response_code: number(get(
            "trigger-rule-mismatch-http-response-code",
        )),
        trigger_signature_soft_failures: boolean(get("trigger-signature-soft-failures")),
        incoming_payload_content_type: string(
            get("incoming-payload-content-type"),
            &at("incoming-payload-content-type"),
        ),
        success_http_response_code: number(get("success-http-response-code")),
        http_methods: list(get("http-methods"))
            .iter()
            .filter_map(|m| string(Some(m), ""))
            .collect(),
        ..Hook::default()
    }
}

/// A parameter from JSON text.
pub(crate) fn parameter(text: &str) -> Parameter {
    parameter_at(
        &serde_json::from_str(text).expect("test parameter JSON"),
        "",
    )
}

/// A field holding `value`, with an empty span.
pub(crate) fn field<T>(value: T) -> Option<Field<T>> {
    Some(Field {
        value,
        span: Default::default(),
        pointer: String::new(),
    })
}

fn get<'a>(json: &'a Json, key: &str) -> Option<&'a Json> {
    let object = json.as_object()?;
    let mut found = None;
    for (k, v) in object {
        if k.eq_ignore_ascii_case(key) {
            found = Some(v);
        }
    }
    found
}

fn list(json: Option<&Json>) -> Vec<Json> {
    json.and_then(Json::as_array).cloned().unwrap_or_default()
}

fn string(json: Option<&Json>, pointer: &str) -> Option<Field<String>> {
    let value = match json? {
        Json::String(s) => s.clone(),
        Json::Number(n) => n.to_string(),
        Json::Bool(b) => b.to_string(),
        _ => return None,
    };
    Some(Field {
        value,
        span: Default::default(),
        pointer: pointer.to_string(),
    })
}

fn boolean(json: Option<&Json>) -> Option<Field<bool>> {
    field(json?.as_bool()?)
}

fn number(json: Option<&Json>) -> Option<Field<i64>> {
    field(json?.as_i64()?)
}

fn parameters(json: Option<&Json>, pointer: &str) -> Vec<Parameter> {
    list(json)
        .iter()
        .enumerate()
        .map(|(i, p)| parameter_at(p, &format!("{pointer}/{i}")))
        .collect()
}

fn parameter_at(json: &Json, pointer: &str) -> Parameter {
    let at = |key: &str| format!("{pointer}/{key}");
    Parameter {
        pointer: pointer.to_string(),
        source: string(get(json, "source"), &at("source")),
        name: string(get(json, "name"), &at("name")),
        envname: string(get(json, "envname"), &at("envname")),
        base64decode: boolean(get(json, "base64decode")),
        ..Parameter::default()
    }
}

fn response_header(json: &Json, pointer: &str) -> ResponseHeader {
    ResponseHeader {
        pointer: pointer.to_string(),
        name: string(get(json, "name"), &format!("{pointer}/name")),
        value: string(get(json, "value"), &format!("{pointer}/value")),
        ..ResponseHeader::default()
    }
}

fn trigger_rule(json: &Json, pointer: &str) -> TriggerRule {
    let at = |key: &str| format!("{pointer}/{key}");
    let children = |key: &str| -> Vec<TriggerRule> {
        list(get(json, key))
            .iter()
            .enumerate()
            .map(|(i, r)| trigger_rule(r, &format!("{}/{i}", at(key))))
            .collect()
    };
    let present = |key: &str| get(json, key).is_some_and(|v| !v.is_null());
    let kind = if present("and") {
        TriggerRuleKind::And(children("and"))
    } else if present("or") {
        TriggerRuleKind::Or(children("or"))
    } else if present("not") {
        TriggerRuleKind::Not(Box::new(trigger_rule(
            get(json, "not").unwrap(),
            &at("not"),
        )))
    } else if present("match") {
        TriggerRuleKind::Match(Box::new(match_at(
            get(json, "match").unwrap(),
            &at("match"),
        )))
    } else {
        TriggerRuleKind::Empty
    };
    TriggerRule {
        span: Default::default(),
        pointer: pointer.to_string(),
        kind,
    }
}

fn match_at(json: &Json, pointer: &str) -> Match {
    let at = |key: &str| format!("{pointer}/{key}");
    let type_ = string(get(json, "type"), &at("type"));
    let kind = MatchKind::parse(type_.as_ref().map_or("", |f| f.value.as_str()));
    let secret = string(get(json, "secret"), &at("secret")).map(|f| Field {
        value: Secret::new(f.value),
        span: f.span,
        pointer: f.pointer,
    });
    Match {
        span: Default::default(),
        pointer: pointer.to_string(),
        kind,
        type_,
        parameter: get(json, "parameter").map(|p| parameter_at(p, &at("parameter"))),
        value: string(get(json, "value"), &at("value")),
        regex: string(get(json, "regex"), &at("regex")),
        secret,
        ip_range: string(get(json, "ip-range"), &at("ip-range")),
    }
}
