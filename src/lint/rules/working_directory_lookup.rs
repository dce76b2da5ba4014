//! `working-directory-lookup`: a relative working directory, or a bare command name that
//! webhook looks up inside the working directory instead of `PATH`.

use std::path::Path;

use crate::config::model::Hook;
use crate::diagnostic::{Check, Diagnostic, Severity};
use crate::lint::{Context, LintRule};

pub const RULE: LintRule = LintRule {
    check: Check {
        code: "HK406",
        name: "working-directory-lookup",
        severity: Severity::Warning,
        summary: "a relative working directory, or a relative command resolved inside it",
    },
    docs: DOCS,
    run,
};

const DOCS: &str = "\
## What it flags
A `command-working-directory` that is not absolute, and a relative `execute-command` (such
as `sh` or `scripts/deploy.sh`) combined with a working directory.

## Why it matters
A relative directory depends on where webhook was started (systemd starts it in `/`).
With a working directory set, webhook joins a relative command onto it and does not search
`PATH`: `\"execute-command\": \"sh\"` with `\"command-working-directory\": \"/srv/app\"` runs
`/srv/app/sh`, which usually does not exist. A relative command with a relative directory
fails even when the file exists, because the lookup and the start resolve it from different
directories.

## Example
```json
{\"execute-command\": \"sh\", \"command-working-directory\": \"/srv/app\"}
```

## How to fix
Use absolute paths for both: `\"execute-command\": \"/bin/sh\"`.
";

fn run(cx: &Context, out: &mut Vec<Diagnostic>) {
    for hook in &cx.file.hooks {
        check(hook, out);
    }
}

fn check(hook: &Hook, out: &mut Vec<Diagnostic>) {
    let Some(dir) = hook
        .command_working_directory
        .as_ref()
        .filter(|d| !d.value.is_empty())
    else {
        return;
    };
    if !Path::new(&dir.value).is_absolute() {
        let msg = format!(
            "`{}` is relative to wherever webhook was started",
            dir.value
        );
        out.push(
            Diagnostic::new(RULE.check, dir.span, &dir.pointer, msg)
                .with_help("use an absolute directory"),
        );
    }
    let Some(cmd) = hook
        .execute_command
        .as_ref()
        .filter(|c| !c.value.is_empty())
    else {
        return;
    };
    if Path::new(&cmd.value).is_absolute() || cmd.value.contains(char::is_whitespace) {
        return;
    }
    let joined = Path::new(&dir.value).join(&cmd.value);
    let msg = format!(
        "webhook runs `{}` from the working directory (`{}`), without searching PATH",
        cmd.value,
        joined.display()
    );
    out.push(
        Diagnostic::new(RULE.check, cmd.span, &cmd.pointer, msg)
            .with_help("write the command's absolute path"),
    );
}
