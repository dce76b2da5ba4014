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
            .map(|w| format!("{{\"source\": \"string\", \"name\": {}}}", json_string(w)))
            .collect();
        let msg = format!(
            "webhook looks for a program literally named `{}`; it never splits commands",
            field.value
        );
        let help = if hook.pass_arguments_to_command.is_empty() {
            format!(
                "set `execute-command` to `{program}` and add \
                 \"pass-arguments-to-command\": [{}]",
                args.join(", ")
            )
        } else {
            format!(
                "set `execute-command` to `{program}` and put {} first in \
                 `pass-arguments-to-command`",
                args.join(", ")
            )
        };
        out.push(Diagnostic::new(RULE.check, field.span, &field.pointer, msg).with_help(help));
    }
}

fn json_string(text: &str) -> String {
    serde_json::Value::String(text.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::check;

    #[test]
    fn help_keeps_existing_arguments_after_the_split_ones() {
        let text = r#"
- id: deploy
  execute-command: /opt/deploy.sh --env "prod"
  pass-arguments-to-command: [{source: payload, name: ref}]
"#;
        let d = &check(&RULE, text)[0];
        assert_eq!(
            d.help.as_deref(),
            Some(
                "set `execute-command` to `/opt/deploy.sh` and put {\"source\": \"string\", \
                 \"name\": \"--env\"}, {\"source\": \"string\", \"name\": \"\\\"prod\\\"\"} \
                 first in `pass-arguments-to-command`"
            )
        );
    }
}
