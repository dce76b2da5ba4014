//! `payload-as-argument`: a whole body passed as one command-line argument.

use crate::config::model::Source;
use crate::diagnostic::{Check, Diagnostic, Severity};
use crate::lint::{Context, LintRule};

pub const RULE: LintRule = LintRule {
    check: Check {
        code: "HK408",
        name: "payload-as-argument",
        severity: Severity::Warning,
        summary: "the whole payload, body or header set passed as one command argument",
    },
    docs: DOCS,
    run,
};

const DOCS: &str = "\
## What it flags
`pass-arguments-to-command` entries with source `entire-payload`, `raw-request-body`,
`entire-headers` or `entire-query`.

## Why it matters
Linux limits one argument to 128 KiB and all arguments plus the environment to a few MiB.
A push with many commits exceeds that, the command fails to start (`argument list too
long`), and an asynchronous hook still answers 200. Arguments are also visible to every
user of the machine through `ps`.

## Example
```json
{\"pass-arguments-to-command\": [{\"source\": \"entire-payload\"}]}
```

## How to fix
Use `pass-file-to-command` (the command gets the file's path in an environment variable),
or pass only the fields the command needs.
";

fn run(cx: &Context, out: &mut Vec<Diagnostic>) {
    for hook in &cx.file.hooks {
        for p in &hook.pass_arguments_to_command {
            let whole = matches!(
                p.source(),
                Some(
                    Source::EntirePayload
                        | Source::RawRequestBody
                        | Source::EntireHeaders
                        | Source::EntireQuery
                )
            );
            if !whole {
                continue;
            }
            let span = p.source.as_ref().map_or(p.span, |s| s.span);
            let msg = format!(
                "`{}` passes a whole request part as one argument, which can exceed the \
                 system's argument size limit",
                p.source_text()
            );
            out.push(
                Diagnostic::new(RULE.check, span, &p.pointer, msg)
                    .with_help("use `pass-file-to-command` for it instead"),
            );
        }
    }
}
