//! `source-prefix-in-name`: a parameter name that repeats its source (`payload.ref`).

use crate::config::model::{Hook, Parameter, Source};
use crate::diagnostic::{Check, Diagnostic, Severity};
use crate::lint::walk::matches;
use crate::lint::{Context, LintRule};

pub const RULE: LintRule = LintRule {
    check: Check {
        code: "HK217",
        name: "source-prefix-in-name",
        severity: Severity::Warning,
        summary: "a parameter name starting with `payload.`, `header.` or `query.`",
    },
    docs: DOCS,
    run,
};

const DOCS: &str = "\
## What it flags
A parameter whose `name` starts with the name of a source: `payload.`, `headers.`,
`header.` or `query.` for payload parameters, and also `url.` and `request.` for header and
query parameters. A prefix is not flagged when `parse-parameters-as-json` decodes that key
(form-encoded GitHub and Slack deliveries carry the JSON in a field named `payload`, so
`payload.ref` is right there).

## Why it matters
The `source` already says where to look. webhook looks for a key literally named `payload`
inside the payload, finds none, and the value is missing: arguments become empty strings
and matches are not satisfied. Template-style paths (`.payload.ref`) come from other tools.

## Example
```json
{\"source\": \"payload\", \"name\": \"payload.ref\"}
```

## How to fix
Drop the prefix: `{\"source\": \"payload\", \"name\": \"ref\"}`.
";

/// The prefixes flagged for each kind of source. Payloads are checked for namespace words
/// only: real payloads have top-level keys named `url` and `request` (Stripe events carry
/// `request.id`), so those are ordinary paths there.
const FOR_PAYLOAD: [&str; 4] = ["payload.", "headers.", "header.", "query."];
const FOR_OTHERS: [&str; 6] = [
    "payload.", "headers.", "header.", "query.", "url.", "request.",
];

fn run(cx: &Context, out: &mut Vec<Diagnostic>) {
    for hook in &cx.file.hooks {
        for p in parameters(hook) {
            check(hook, p, out);
        }
    }
    for site in matches(&cx.file.hooks) {
        if let Some(p) = &site.m.parameter {
            check(site.hook, p, out);
        }
    }
}

fn parameters(hook: &Hook) -> impl Iterator<Item = &Parameter> {
    hook.pass_arguments_to_command
        .iter()
        .chain(&hook.pass_environment_to_command)
        .chain(&hook.pass_file_to_command)
        .chain(&hook.parse_parameters_as_json)
}

fn check(hook: &Hook, p: &Parameter, out: &mut Vec<Diagnostic>) {
    let name = p.name().trim_start_matches('.');
    let prefixes: &[&str] = match p.source() {
        Some(Source::Payload) => &FOR_PAYLOAD,
        Some(Source::Header | Source::Query) => &FOR_OTHERS,
        _ => return,
    };
    let lower = name.to_ascii_lowercase();
    let Some(prefix) = prefixes.iter().find(|pre| lower.starts_with(*pre)) else {
        return;
    };
    if is_decoded_json(hook, p, &name[..prefix.len() - 1]) {
        return;
    }
    let span = p.name.as_ref().map_or(p.span, |n| n.span);
    let rest = &name[prefix.len()..];
    let msg = format!(
        "`{}` starts with `{prefix}`, which webhook looks for as a key",
        p.name()
    );
    out.push(
        Diagnostic::new(RULE.check, span, &p.pointer, msg)
            .with_help(format!("the source says where to look; write `{rest}`")),
    );
}

/// Whether `key` holds JSON text that `parse-parameters-as-json` decodes, as in GitHub's
/// and Slack's form-encoded deliveries (`payload=<json>`): then `payload.ref` is a real path.
fn is_decoded_json(hook: &Hook, p: &Parameter, key: &str) -> bool {
    let same_source = |q: &Parameter| q.source() == p.source();
    let same_key = |q: &Parameter| match p.source() {
        Some(Source::Header) => q.name().eq_ignore_ascii_case(key),
        _ => q.name() == key,
    };
    hook.parse_parameters_as_json
        .iter()
        .any(|q| same_source(q) && same_key(q))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::check;

    #[test]
    fn a_payload_key_decoded_from_json_is_a_real_path() {
        // GitHub's form-encoded deliveries: `payload=<json>`, decoded in place.
        let text = r#"
- id: form
  execute-command: /bin/true
  parse-parameters-as-json: [{source: payload, name: payload}]
  pass-arguments-to-command: [{source: payload, name: payload.ref}]
  trigger-rule:
    match: {type: value, value: refs/heads/main, parameter: {source: payload, name: payload.ref}}
"#;
        assert!(check(&RULE, text).is_empty());
    }

    #[test]
    fn payload_keys_named_like_other_sources_are_ordinary() {
        let text = r#"
- id: stripe
  execute-command: /bin/true
  pass-arguments-to-command:
    - {source: payload, name: request.id}
    - {source: payload, name: url.host}
"#;
        assert!(check(&RULE, text).is_empty());
    }

    #[test]
    fn namespace_prefixes_are_flagged_per_source() {
        let text = r#"
- id: mixed
  execute-command: /bin/true
  pass-arguments-to-command:
    - {source: payload, name: payload.ref}
    - {source: payload, name: .payload.ref}
    - {source: header, name: headers.X-GitHub-Event}
    - {source: url, name: query.token}
    - {source: string, name: payload.ref}
"#;
        assert_eq!(check(&RULE, text).len(), 4);
    }
}
