//! `command-with-arguments`: arguments written into `execute-command`.

use std::path::Path;

use crate::diagnostic::{Check, Diagnostic, Severity};
use crate::lint::{Context, LintRule};

pub const RULE: LintRule = LintRule {
    check: Check {
        code: "HK405",
        name: "command-with-arguments",
        severity: Severity::Error,
        summary: "an `execute-command` holding arguments, which webhook runs as one file name",
    },
    docs: DOCS,
    run,
};

const DOCS: &str = "\
## What it flags
An `execute-command` that contains a space, such as `/opt/deploy.sh production`.

## Why it matters
webhook runs commands without a shell and never splits them: it looks for a file literally
named `/opt/deploy.sh production`, fails, and logs `use 'pass-arguments-to-command' to
specify args`. Captured hooks answer 500; asynchronous hooks answer 200 and run nothing.

## Example
```json
{\"execute-command\": \"/opt/deploy.sh production\"}
```

## How to fix
Keep only the program in `execute-command` and pass each argument with a `string` source:
`\"pass-arguments-to-command\": [{\"source\": \"string\", \"name\": \"production\"}]`.
";

fn run(cx: &Context, out: &mut Vec<Diagnostic>) {
    for hook in &cx.file.hooks {
        let Some(field) = &hook.execute_command else {
            continue;
        };
        let command = field.value.trim();
        if !command.contains(char::is_whitespace) || Path::new(&field.value).exists() {
            continue;
        }
        let mut words = command.split_whitespace();
        let program = words.next().unwrap_or_default();
        let args: Vec<String> = words
            .map(|w| format!("{{\"source\": \"string\", \"name\": \"{w}\"}}"))
            .collect();
        let msg = format!(
            "webhook looks for a program literally named `{}`; it never splits commands",
            field.value
        );
        out.push(
            Diagnostic::new(RULE.check, field.span, &field.pointer, msg).with_help(format!(
                "set `execute-command` to `{program}` and add \
                 \"pass-arguments-to-command\": [{}]",
                args.join(", ")
            )),
        );
    }
}
