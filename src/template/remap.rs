//! Moving every span of a loaded hook file from the rendered text into the template.
//!
//! The structs are destructured without `..`, so a span added to the model later fails
//! to compile here until it is mapped too.

use super::source_map::SourceMap;
use crate::config::model::{
    Field, Hook, HookFile, Match, Parameter, ResponseHeader, TriggerRule, TriggerRuleKind,
};
use crate::config::positions::Span;
use crate::diagnostic::Diagnostic;

/// Maps the spans of `file`'s hooks; the caller replaces `file.text`.
pub(crate) fn remap_file(file: &mut HookFile, map: &SourceMap) {
    let HookFile {
        path: _,
        text: _,
        reader: _,
        hooks,
    } = file;
    for hook in hooks {
        remap_hook(hook, map);
    }
}

/// Maps a diagnostic's span and the spans of its notes into the same file.
pub(crate) fn remap_diagnostic(d: &mut Diagnostic, map: &SourceMap) {
    d.span = map.source_span(d.span);
    for note in d.notes.iter_mut().filter(|n| n.file.is_none()) {
        if let Some(span) = &mut note.span {
            *span = map.source_span(*span);
        }
    }
}

fn span(s: &mut Span, map: &SourceMap) {
    *s = map.source_span(*s);
}

fn field<T>(f: &mut Option<Field<T>>, map: &SourceMap) {
    if let Some(f) = f {
        span(&mut f.span, map);
    }
}

fn remap_hook(hook: &mut Hook, map: &SourceMap) {
    let Hook {
        span: s,
        pointer: _,
        id,
        execute_command,
        command_working_directory,
        response_message,
        response_headers,
        include_command_output_in_response,
        include_command_output_in_response_on_error,
        pass_arguments_to_command,
        pass_environment_to_command,
        pass_file_to_command,
        parse_parameters_as_json,
        trigger_rule,
        trigger_rule_mismatch_http_response_code,
        trigger_signature_soft_failures,
        incoming_payload_content_type,
        success_http_response_code,
        http_methods,
        lint_allow,
        null: _,
        mistyped: _,
    } = hook;
    span(s, map);
    field(id, map);
    field(execute_command, map);
    field(command_working_directory, map);
    field(response_message, map);
    field(include_command_output_in_response, map);
    field(include_command_output_in_response_on_error, map);
    field(trigger_rule_mismatch_http_response_code, map);
    field(trigger_signature_soft_failures, map);
    field(incoming_payload_content_type, map);
    field(success_http_response_code, map);
    for h in response_headers {
        remap_header(h, map);
    }
    for p in pass_arguments_to_command
        .iter_mut()
        .chain(pass_environment_to_command.iter_mut())
        .chain(pass_file_to_command.iter_mut())
        .chain(parse_parameters_as_json.iter_mut())
    {
        remap_parameter(p, map);
    }
    for f in http_methods.iter_mut().chain(lint_allow.iter_mut()) {
        span(&mut f.span, map);
    }
    if let Some(rule) = trigger_rule {
        remap_trigger_rule(rule, map);
    }
}

fn remap_header(header: &mut ResponseHeader, map: &SourceMap) {
    let ResponseHeader {
        span: s,
        pointer: _,
        name,
        value,
    } = header;
    span(s, map);
    field(name, map);
    field(value, map);
}

fn remap_parameter(p: &mut Parameter, map: &SourceMap) {
    let Parameter {
        span: s,
        pointer: _,
        source,
        name,
        envname,
        base64decode,
        mistyped: _,
    } = p;
    span(s, map);
    field(source, map);
    field(name, map);
    field(envname, map);
    field(base64decode, map);
}

fn remap_trigger_rule(rule: &mut TriggerRule, map: &SourceMap) {
    let TriggerRule {
        span: s,
        pointer: _,
        kind,
    } = rule;
    span(s, map);
    match kind {
        TriggerRuleKind::And(rules) | TriggerRuleKind::Or(rules) => {
            rules.iter_mut().for_each(|r| remap_trigger_rule(r, map))
        }
        TriggerRuleKind::Not(inner) => remap_trigger_rule(inner, map),
        TriggerRuleKind::Match(m) => remap_match(m, map),
        TriggerRuleKind::Empty => {}
    }
}

fn remap_match(m: &mut Match, map: &SourceMap) {
    let Match {
        span: s,
        pointer: _,
        kind: _,
        type_,
        parameter,
        value,
        regex,
        secret,
        ip_range,
        mistyped: _,
    } = m;
    span(s, map);
    field(type_, map);
    if let Some(p) = parameter {
        remap_parameter(p, map);
    }
    field(value, map);
    field(regex, map);
    field(secret, map);
    field(ip_range, map);
}
