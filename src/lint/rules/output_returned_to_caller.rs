//! `output-returned-to-caller`: the command's output sent back to whoever asked.

use crate::diagnostic::{Check, Diagnostic, Severity};
use crate::lint::{Context, LintRule};

pub const RULE: LintRule = LintRule {
    check: Check {
        code: "HK409",
        name: "output-returned-to-caller",
        severity: Severity::Info,
        summary: "command output (stdout and stderr) returned in the HTTP response",
    },
    docs: DOCS,
    run,
};

const DOCS: &str = "\
## What it flags
Hooks with `include-command-output-in-response: true`.

## Why it matters
webhook sends everything the command prints, standard error included, to the client:
file paths, versions, environment dumps, stack traces. Whoever can send a request (or read
the sender's delivery log, where GitHub shows response bodies) can read it.

## Example
```json
{\"id\": \"deploy\", \"execute-command\": \"/opt/deploy.sh\",
 \"include-command-output-in-response\": true}
```

## How to fix
Keep output in the server's logs and answer with a fixed `response-message`, unless the
caller is trusted and needs the output.
";

fn run(cx: &Context, out: &mut Vec<Diagnostic>) {
    for hook in &cx.file.hooks {
        let Some(flag) = hook
            .include_command_output_in_response
            .as_ref()
            .filter(|f| f.value)
        else {
            continue;
        };
        let msg = "everything the command prints, standard error included, is sent to the caller";
        out.push(
            Diagnostic::new(RULE.check, flag.span, &flag.pointer, msg)
                .with_help("log the output on the server and answer with a fixed message"),
        );
    }
}
