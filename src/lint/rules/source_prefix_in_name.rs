//! `source-prefix-in-name`: a parameter name that repeats its source (`payload.ref`).

use crate::config::model::{Hook, Parameter};
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
A parameter whose `name` starts with `payload.`, `headers.`, `header.`, `query.` or `url.`.

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

const PREFIXES: [&str; 6] = [
    "payload.", "headers.", "header.", "query.", "url.", "request.",
];

fn run(cx: &Context, out: &mut Vec<Diagnostic>) {
    for hook in &cx.file.hooks {
        for p in parameters(hook) {
            check(p, out);
        }
    }
    for site in matches(&cx.file.hooks) {
        if let Some(p) = &site.m.parameter {
            check(p, out);
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

fn check(p: &Parameter, out: &mut Vec<Diagnostic>) {
    let name = p.name().trim_start_matches('.');
    let Some(prefix) = PREFIXES
        .iter()
        .find(|pre| name.to_ascii_lowercase().starts_with(*pre))
    else {
        return;
    };
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
