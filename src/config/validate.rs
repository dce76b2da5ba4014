//! Semantic checks over loaded hooks: what loads but cannot work as written under
//! webhook 2.8, or works differently from what the author most likely meant.

use std::collections::HashMap;

use super::checks;
use super::model::{
    Field, Hook, HookFile, Match, MatchKind, Parameter, Source, TriggerRule, TriggerRuleKind,
};
use super::positions::Span;
use super::regex_check::{self, RegexProblem};
use super::suggest::closest;
use crate::diagnostic::Diagnostic;

/// Status codes Go 1.19 has a reason phrase for; webhook replaces any other with 200.
pub fn is_known_status(code: i64) -> bool {
    matches!(code,
        100..=103 | 200..=208 | 226 | 300..=305 | 307 | 308 | 400..=418 | 421..=426
        | 428 | 429 | 431 | 451 | 500..=508 | 510 | 511)
}

/// Runs every per-file check.
pub fn validate(file: &HookFile) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    duplicate_ids(file, &mut out);
    for hook in file.hooks.iter().filter(|h| !h.null) {
        validate_hook(hook, &mut out);
    }
    out
}

fn duplicate_ids(file: &HookFile, out: &mut Vec<Diagnostic>) {
    let mut first: HashMap<&str, &Field<String>> = HashMap::new();
    for hook in &file.hooks {
        let Some(id) = &hook.id else { continue };
        let Some(earlier) = first.get(id.value.as_str()) else {
            first.insert(&id.value, id);
            continue;
        };
        // An id that comes from a YAML alias or `<<` merge has the span of the original,
        // so point at the hook that repeats it instead.
        let (span, msg) = if id.span == earlier.span {
            let msg = format!(
                "this hook gets the id `{}` from a YAML alias or `<<` merge, and that id is \
                 already used in this file",
                id.value
            );
            (Span::at(hook.span.start), msg)
        } else {
            let msg = format!("hook id `{}` is already used in this file", id.value);
            (id.span, msg)
        };
        out.push(
            Diagnostic::new(checks::DUPLICATE_HOOK_ID, span, &id.pointer, msg)
                .with_note(
                    Some(earlier.span),
                    "first used here; webhook serves only that hook",
                )
                .with_help("give each hook a unique id; ids are compared case-sensitively"),
        );
    }
}

fn validate_hook(hook: &Hook, out: &mut Vec<Diagnostic>) {
    identity(hook, out);
    templates(hook, out);
    responses(hook, out);
    http_methods(hook, out);
    content_type(hook, out);
    for p in hook
        .pass_arguments_to_command
        .iter()
        .chain(&hook.pass_environment_to_command)
        .chain(&hook.pass_file_to_command)
    {
        parameter(p, out);
    }
    json_parameters(hook, out);
    if let Some(rule) = &hook.trigger_rule {
        trigger_rule(rule, out);
    }
}

fn identity(hook: &Hook, out: &mut Vec<Diagnostic>) {
    match &hook.id {
        None if hook.mistyped.contains(&"id") => {}
        None => out.push(
            Diagnostic::new(
                checks::MISSING_HOOK_ID,
                hook.span,
                &hook.pointer,
                "this hook has no `id`",
            )
            .with_note(
                None,
                "webhook gives it the empty id, reachable only at `/hooks/`",
            )
            .with_help("add an `id`; it becomes the last part of the hook's URL"),
        ),
        Some(id) if id.value.is_empty() => out.push(
            Diagnostic::new(
                checks::EMPTY_HOOK_ID,
                id.span,
                &id.pointer,
                "the hook id is empty",
            )
            .with_help("give the hook a non-empty id; it becomes the last part of its URL"),
        ),
        _ => {}
    }
    if hook.execute_command().is_empty() && !hook.mistyped.contains(&"execute-command") {
        let span = hook.execute_command.as_ref().map_or(hook.span, |f| f.span);
        let msg = "this hook has no `execute-command`";
        out.push(
            Diagnostic::new(checks::MISSING_EXECUTE_COMMAND, span, &hook.pointer, msg)
                .with_note(
                    None,
                    "webhook fails to start an empty command at every request",
                )
                .with_help("set `execute-command` to the absolute path of the program to run"),
        );
    }
}

fn responses(hook: &Hook, out: &mut Vec<Diagnostic>) {
    for field in [
        &hook.success_http_response_code,
        &hook.trigger_rule_mismatch_http_response_code,
    ]
    .into_iter()
    .flatten()
    {
        status_code(field, out);
    }
    response_message_ignored(hook, out);
    if let Some(on_error) = &hook.include_command_output_in_response_on_error {
        if on_error.value && !hook.captures_output() {
            let msg = "`include-command-output-in-response-on-error` has no effect without \
                       `include-command-output-in-response`";
            out.push(
                Diagnostic::new(
                    checks::OUTPUT_ON_ERROR_WITHOUT_CAPTURE,
                    on_error.span,
                    &on_error.pointer,
                    msg,
                )
                .with_help("also set `include-command-output-in-response: true`, or remove it"),
            );
        }
    }
}

fn response_message_ignored(hook: &Hook, out: &mut Vec<Diagnostic>) {
    let Some(message) = &hook.response_message else {
        return;
    };
    if !hook.captures_output() || message.value.is_empty() {
        return;
    }
    let msg = "webhook never sends this `response-message`: with \
               `include-command-output-in-response` it answers with the command's output";
    out.push(
        Diagnostic::new(
            checks::RESPONSE_MESSAGE_IGNORED,
            message.span,
            &message.pointer,
            msg,
        )
        .with_help("remove the message, or turn output capture off to send it"),
    );
}

fn templates(hook: &Hook, out: &mut Vec<Diagnostic>) {
    for field in string_fields(hook) {
        let v = &field.value;
        let Some(start) = v.find("{{") else { continue };
        if !v[start..].contains("}}") {
            continue;
        }
        let per_request = [".payload", ".headers", ".query", ".command_output", ".now"]
            .iter()
            .any(|w| v.contains(w));
        let msg = "webhook sends `{{ ... }}` literally: this file is not rendered as a template";
        let note = if per_request {
            "even with -template, webhook renders the file once at start-up with no request \
             data, so per-request values such as `.payload` are never available"
        } else {
            "webhook renders templates only when started with -template"
        };
        out.push(
            Diagnostic::new(
                checks::TEMPLATE_NOT_RENDERED,
                field.span,
                &field.pointer,
                msg,
            )
            .with_note(None, note)
            .with_help("pass request values to the command with `pass-arguments-to-command`"),
        );
    }
}

/// Every string value of a hook, for checks that look at text wherever it is.
pub fn string_fields(hook: &Hook) -> Vec<&Field<String>> {
    let mut fields: Vec<&Field<String>> = [
        &hook.id,
        &hook.execute_command,
        &hook.command_working_directory,
        &hook.response_message,
        &hook.incoming_payload_content_type,
    ]
    .into_iter()
    .flatten()
    .collect();
    for header in &hook.response_headers {
        fields.extend(header.name.iter().chain(header.value.iter()));
    }
    let params = hook
        .pass_arguments_to_command
        .iter()
        .chain(&hook.pass_environment_to_command)
        .chain(&hook.pass_file_to_command)
        .chain(&hook.parse_parameters_as_json);
    for p in params {
        fields.extend(p.name.iter().chain(p.envname.iter()));
    }
    fields
}

fn status_code(field: &Field<i64>, out: &mut Vec<Diagnostic>) {
    let code = field.value;
    if code == 0 || (is_known_status(code) && code >= 200) {
        return;
    }
    let (msg, help) = if is_known_status(code) {
        (
            format!(
                "status {code} is informational: Go sends it as an interim response and \
                     then answers 200"
            ),
            "use a final status code (2xx to 5xx)",
        )
    } else {
        (
            format!("status {code} has no reason phrase in Go, so webhook answers 200 instead"),
            "use a standard status code such as 200, 202, 204, 400 or 403",
        )
    };
    out.push(
        Diagnostic::new(checks::UNKNOWN_STATUS_CODE, field.span, &field.pointer, msg)
            .with_help(help),
    );
}

fn is_token(method: &str) -> bool {
    !method.is_empty()
        && method
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn http_methods(hook: &Hook, out: &mut Vec<Diagnostic>) {
    for entry in &hook.http_methods {
        let normalised = entry.value.trim().to_ascii_uppercase();
        if is_token(&normalised) {
            continue;
        }
        let msg = if entry.value.trim().is_empty() {
            "an empty method can never equal a request method, so this entry never allows a \
             request"
                .to_string()
        } else {
            format!(
                "`{}` can never equal a request method, so this entry never allows a request",
                entry.value
            )
        };
        let help = if normalised.contains(',') || normalised.contains(' ') {
            "write one method per list entry: [\"GET\", \"POST\"]"
        } else {
            "use a method name such as POST"
        };
        out.push(
            Diagnostic::new(
                checks::HTTP_METHOD_NEVER_MATCHES,
                entry.span,
                &entry.pointer,
                msg,
            )
            .with_help(help),
        );
    }
}

fn content_type(hook: &Hook, out: &mut Vec<Diagnostic>) {
    let Some(ct) = &hook.incoming_payload_content_type else {
        return;
    };
    let v = ct.value.as_str();
    let parsed = v.contains("json")
        || v.contains("x-www-form-urlencoded")
        || v.contains("xml")
        || v.starts_with("multipart/form-data;");
    if v.is_empty() || parsed {
        return;
    }
    let msg = format!("webhook has no body parser for `{v}`, so the payload stays empty");
    let mut d = Diagnostic::new(checks::UNPARSED_CONTENT_TYPE, ct.span, &ct.pointer, msg);
    d = d.with_help(if v.to_ascii_lowercase() != v {
        "webhook compares content types case-sensitively: write it in lower case"
    } else {
        "use application/json, application/x-www-form-urlencoded, application/xml or \
         multipart/form-data; boundary=..."
    });
    out.push(d);
}

/// Checks one parameter's source and name.
fn parameter(p: &Parameter, out: &mut Vec<Diagnostic>) {
    let Some(source) = p.source() else {
        if p.mistyped.contains(&"source") {
            return;
        }
        let span = p.source.as_ref().map_or(p.span, |s| s.span);
        let written = p.source_text();
        let msg = if written.is_empty() {
            "this parameter has no `source`, so every lookup fails".to_string()
        } else {
            format!("unknown parameter source `{written}`, so every lookup fails")
        };
        let mut d = Diagnostic::new(checks::UNKNOWN_PARAMETER_SOURCE, span, &p.pointer, msg);
        d = d.with_help(match closest(written, Source::NAMES) {
            Some(s) if !written.is_empty() => format!("did you mean `{s}`?"),
            _ => format!("use one of: {}", Source::NAMES.join(", ")),
        });
        out.push(d);
        return;
    };
    if source == Source::Request {
        let name = p.name().to_ascii_lowercase();
        if name != "method" && name != "remote-addr" {
            let span = p.name.as_ref().map_or(p.span, |n| n.span);
            let msg = format!(
                "`request` parameters read `method` or `remote-addr`, not `{}`",
                p.name()
            );
            out.push(
                Diagnostic::new(checks::UNKNOWN_REQUEST_KEY, span, &p.pointer, msg)
                    .with_help("set `name` to `method` or `remote-addr`"),
            );
        }
        return;
    }
    let needs_name = source.uses_name() && source != Source::String;
    if needs_name && p.name().is_empty() && !p.mistyped.contains(&"name") {
        let msg = format!("source `{}` needs a `name` to look up", p.source_text());
        out.push(
            Diagnostic::new(checks::MISSING_PARAMETER_NAME, p.span, &p.pointer, msg)
                .with_help("add the header name, query key or payload path as `name`"),
        );
    }
}

fn json_parameters(hook: &Hook, out: &mut Vec<Diagnostic>) {
    for p in &hook.parse_parameters_as_json {
        parameter(p, out);
        let supported = matches!(
            p.source(),
            Some(Source::Header | Source::Query | Source::Payload)
        );
        if p.source().is_some() && !supported {
            let span = p.source.as_ref().map_or(p.span, |s| s.span);
            let msg = format!(
                "`parse-parameters-as-json` cannot decode source `{}`",
                p.source_text()
            );
            out.push(
                Diagnostic::new(checks::JSON_PARAMETER_SOURCE, span, &p.pointer, msg)
                    .with_help("use header, url, query or payload"),
            );
        }
        if supported && p.name().contains('.') {
            let span = p.name.as_ref().map_or(p.span, |n| n.span);
            let name = p.name();
            let msg = format!(
                "webhook cannot decode the nested value `{name}`: when the request holds \
                 JSON object text there, webhook crashes on the request and answers 500; \
                 otherwise it decodes nothing"
            );
            let top = name.split('.').next().unwrap_or(name);
            let help = format!(
                "name a top-level key such as `{top}`; decode JSON text nested deeper in the \
                 command instead"
            );
            out.push(
                Diagnostic::new(checks::DOTTED_JSON_PARAMETER, span, &p.pointer, msg)
                    .with_help(help),
            );
        }
    }
}

fn trigger_rule(rule: &TriggerRule, out: &mut Vec<Diagnostic>) {
    match &rule.kind {
        TriggerRuleKind::And(rules) if rules.is_empty() => out.push(
            Diagnostic::new(
                checks::EMPTY_AND,
                rule.span,
                &rule.pointer,
                "this `and` is empty, so it is always true",
            )
            .with_help("add the conditions, or remove the `and`"),
        ),
        TriggerRuleKind::Or(rules) if rules.is_empty() => out.push(
            Diagnostic::new(
                checks::EMPTY_OR,
                rule.span,
                &rule.pointer,
                "this `or` is empty, so it is never true",
            )
            .with_help("add the alternatives, or remove the `or`"),
        ),
        TriggerRuleKind::And(rules) | TriggerRuleKind::Or(rules) => {
            rules.iter().for_each(|r| trigger_rule(r, out))
        }
        TriggerRuleKind::Not(inner) => trigger_rule(inner, out),
        TriggerRuleKind::Match(m) => match_rule(m, out),
        TriggerRuleKind::Empty => {}
    }
}

fn match_rule(m: &Match, out: &mut Vec<Diagnostic>) {
    if m.kind == MatchKind::Unknown && !m.mistyped.contains(&"type") {
        unknown_type(m, out);
    }
    if let MatchKind::Hmac {
        algorithm,
        deprecated: true,
    } = m.kind
    {
        let span = m.type_.as_ref().map_or(m.span, |t| t.span);
        let msg = format!("`{}` is a deprecated alias", m.type_text());
        let help = format!(
            "write `payload-hmac-{}`; it checks the same signature",
            algorithm.name()
        );
        out.push(
            Diagnostic::new(checks::DEPRECATED_MATCH_TYPE, span, &m.pointer, msg)
                .with_note(None, "webhook logs a deprecation warning at every request")
                .with_help(help),
        );
    }
    secret(m, out);
    if m.kind.uses_parameter() {
        match &m.parameter {
            Some(p) => parameter(p, out),
            None => missing(m, "parameter", "the request value to check", out),
        }
    }
    match m.kind {
        MatchKind::Value if m.value.is_none() => {
            missing(m, "value", "the text to compare with", out)
        }
        MatchKind::Regex => regex(m, out),
        MatchKind::Hmac { .. } | MatchKind::ScalrSignature if m.secret().is_empty() => missing(
            m,
            "secret",
            "the shared secret; webhook refuses an empty one",
            out,
        ),
        MatchKind::IpWhitelist => ip_range(m, out),
        _ => {}
    }
}

fn unknown_type(m: &Match, out: &mut Vec<Diagnostic>) {
    let written = m.type_text();
    let span = m.type_.as_ref().map_or(m.span, |t| t.span);
    let msg = if written.is_empty() {
        "this match has no `type`, so webhook never matches it".to_string()
    } else {
        format!("unknown match type `{written}`; webhook never matches it")
    };
    let help = match closest(written, MatchKind::NAMES) {
        Some(s) if !written.is_empty() => format!("did you mean `{s}`?"),
        _ if written.is_empty() => format!("add a `type`, one of: {}", MatchKind::NAMES.join(", ")),
        _ => format!("use one of: {}", MatchKind::NAMES.join(", ")),
    };
    out.push(Diagnostic::new(checks::UNKNOWN_MATCH_TYPE, span, &m.pointer, msg).with_help(help));
}

fn missing(m: &Match, field: &str, what: &str, out: &mut Vec<Diagnostic>) {
    if m.mistyped.contains(&field) {
        return;
    }
    let msg = format!("this `{}` match needs `{field}` ({what})", m.type_text());
    let consequence = match field {
        "parameter" => {
            "without it webhook answers 500 at every request (no source for value retrieval)"
        }
        "secret" => "without it webhook answers 500 at every request",
        "value" => "without it the match compares with the empty string",
        "regex" => "without it the empty pattern matches every value",
        _ => "without it the match is never true",
    };
    // People often write the pattern under `value` or the text under `regex`.
    let help = match (field, &m.value, &m.regex) {
        ("regex", Some(_), None) => "rename `value` to `regex`: a `regex` match reads its \
                                     pattern from `regex`"
            .to_string(),
        ("value", None, Some(_)) => "rename `regex` to `value`, or set `type` to `regex` to \
                                     match a pattern"
            .to_string(),
        _ => format!("add `{field}` to this match"),
    };
    out.push(
        Diagnostic::new(checks::MISSING_MATCH_FIELD, m.span, &m.pointer, msg)
            .with_note(None, consequence)
            .with_help(help),
    );
}

fn regex(m: &Match, out: &mut Vec<Diagnostic>) {
    let Some(field) = &m.regex else {
        return missing(m, "regex", "the pattern to search for", out);
    };
    let Some(RegexProblem::Invalid { why, help }) = regex_check::check(&field.value) else {
        return;
    };
    let msg = format!("Go cannot compile this regex: {why}");
    let note = "webhook compiles the pattern at every request and answers 500 when it fails";
    out.push(
        Diagnostic::new(checks::INVALID_REGEX, field.span, &field.pointer, msg)
            .with_note(None, note)
            .with_help(help),
    );
}

fn ip_range(m: &Match, out: &mut Vec<Diagnostic>) {
    let Some(field) = &m.ip_range else {
        return missing(m, "ip-range", "the allowed addresses", out);
    };
    for token in field.value.split_whitespace() {
        ip_token(field, token, out);
    }
}

fn ip_token(field: &Field<String>, token: &str, out: &mut Vec<Diagnostic>) {
    let span = field.span;
    if token.contains(',') {
        let msg =
            format!("`{token}` is one entry: webhook separates ranges with spaces, not commas");
        let fixed = token
            .split(',')
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        out.push(
            Diagnostic::new(checks::INVALID_IP_RANGE, span, &field.pointer, msg)
                .with_help(format!("write `{fixed}`")),
        );
        return;
    }
    let cidr = if token.contains('/') {
        token.to_string()
    } else {
        format!("{token}/32")
    };
    if cidr.parse::<ipnet::IpNet>().is_err() {
        let msg = format!("`{token}` is not an IP address or CIDR block");
        out.push(
            Diagnostic::new(checks::INVALID_IP_RANGE, span, &field.pointer, msg)
                .with_help("write an address such as 192.0.2.10 or a block such as 10.0.0.0/8"),
        );
        return;
    }
    if !token.contains('/') && token.contains(':') {
        let msg =
            format!("webhook appends /32 to `{token}`, which admits a whole /32 IPv6 network");
        out.push(
            Diagnostic::new(checks::IPV6_WITHOUT_PREFIX, span, &field.pointer, msg)
                .with_help(format!("write `{token}/128` to admit only this address")),
        );
    }
}

fn secret(m: &Match, out: &mut Vec<Diagnostic>) {
    if m.compares_token() {
        if let Some(token) = m.value.as_ref().filter(|v| is_example_secret(&v.value)) {
            let msg = "this token looks like an example value left in place";
            out.push(
                Diagnostic::new(checks::EXAMPLE_SECRET, token.span, &token.pointer, msg)
                    .with_help("use the real token, read with -template and `getenv`"),
            );
        }
    }
    let Some(field) = &m.secret else { return };
    let value = field.value.expose();
    if let Some(var) = placeholder_variable(value) {
        let msg = "this secret is an unexpanded placeholder: webhook uses the text literally";
        let help = format!(
            "start webhook with -template and write the value as \
             \"{{{{ getenv `{var}` | js }}}}\" (a backquoted name keeps the JSON valid)"
        );
        out.push(
            Diagnostic::new(
                checks::UNEXPANDED_PLACEHOLDER,
                field.span,
                &field.pointer,
                msg,
            )
            .with_note(
                None,
                "webhook never expands environment variables in hook files",
            )
            .with_help(help),
        );
        return;
    }
    if is_example_secret(value) {
        let msg = "this secret looks like an example value left in place";
        out.push(
            Diagnostic::new(checks::EXAMPLE_SECRET, field.span, &field.pointer, msg)
                .with_help("use the real secret, read with -template and `getenv`"),
        );
    }
}

/// The variable name of `${VAR}`, `$VAR` or `%VAR%`, if the whole value is one.
pub fn placeholder_variable(value: &str) -> Option<&str> {
    let v = value.trim();
    let name = v
        .strip_prefix("${")
        .and_then(|r| r.strip_suffix('}'))
        .or_else(|| v.strip_prefix('$'))
        .or_else(|| v.strip_prefix('%').and_then(|r| r.strip_suffix('%')))?;
    let is_name = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    is_name.then_some(name)
}

/// Values people copy from documentation: `your-secret`, `<secret>`, `changeme`.
pub fn is_example_secret(value: &str) -> bool {
    let v = value.trim().to_ascii_lowercase();
    let words = [
        "your-",
        "your_",
        "yoursecret",
        "changeme",
        "change-me",
        "replace-me",
        "example",
    ];
    (v.starts_with('<') && v.ends_with('>'))
        || words.iter().any(|w| v.contains(w))
        || ["secret", "password", "mysecret", "xxx", "todo", "test"].contains(&v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::load::load_text;

    fn codes_and_messages(text: &str) -> Vec<(&'static str, String)> {
        let loaded = load_text("t", text.to_string());
        validate(&loaded.file)
            .into_iter()
            .map(|d| (d.check.code, d.message))
            .collect()
    }

    #[test]
    fn a_value_of_the_wrong_type_is_not_also_missing() {
        let text = r#"[{"id": {"name": "x"}, "execute-command": ["/bin/sh"],
            "trigger-rule": {"match": {"type": "value", "value": "v",
            "parameter": "ref"}}}]"#;
        assert_eq!(codes_and_messages(text), []);
    }

    #[test]
    fn a_duplicate_id_from_a_merge_points_at_the_repeating_hook() {
        let text = "- &d\n  id: a\n  execute-command: /bin/true\n- <<: *d\n";
        let loaded = load_text("t", text.to_string());
        let out = validate(&loaded.file);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].check.code, "HK102");
        assert_eq!(out[0].span, Span::at(text.find("<<").unwrap()));
        assert!(out[0].message.contains("from a YAML alias or `<<` merge"));
    }

    #[test]
    fn match_field_messages_read_as_sentences() {
        let text = "- id: a\n  execute-command: /bin/true\n  trigger-rule:\n    match:\n      \
                    type: ip-whitelist\n";
        let got = codes_and_messages(text);
        assert_eq!(
            got,
            [(
                "HK202",
                "this `ip-whitelist` match needs `ip-range` (the allowed addresses)".to_string()
            )]
        );
    }

    #[test]
    fn a_regex_written_under_value_is_pointed_out() {
        let text = r#"[{"id": "a", "execute-command": "/bin/true", "trigger-rule": {"match":
            {"type": "regex", "value": "^a$", "parameter": {"source": "url", "name": "q"}}}}]"#;
        let loaded = load_text("t", text.to_string());
        let out = validate(&loaded.file);
        let help = out[0].help.as_deref().unwrap();
        assert!(help.starts_with("rename `value` to `regex`"), "{help}");
    }

    #[test]
    fn a_null_hook_is_reported_once() {
        let text = "[null, {\"id\": \"a\", \"execute-command\": \"/bin/true\"}]";
        let loaded = load_text("t", text.to_string());
        assert_eq!(loaded.file.hooks.len(), 2);
        assert_eq!(validate(&loaded.file), []);
        let codes: Vec<_> = loaded.diagnostics.iter().map(|d| d.check.code).collect();
        assert_eq!(codes, ["HK116"]);
    }

    #[test]
    fn an_empty_http_method_is_described_in_words() {
        let text = r#"[{"id": "a", "execute-command": "/bin/true", "http-methods": [""]}]"#;
        let got = codes_and_messages(text);
        assert_eq!(got.len(), 1);
        assert!(got[0].1.starts_with("an empty method"), "{:?}", got);
    }
}
