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
A `command-working-directory` that is not absolute; a bare command name (such as `sh` or
`git`) combined with a working directory; and a relative command combined with a relative
working directory. A command written relative to an absolute working directory
(`./deploy.sh`, `bin/deploy`) is what that combination is for, and is not flagged.

## Why it matters
A relative directory depends on where webhook was started (systemd starts it in `/`).
With a working directory set, webhook joins a relative command onto it and does not search
`PATH`: `\"execute-command\": \"sh\"` with `\"command-working-directory\": \"/srv/app\"` runs
`/srv/app/sh`, which usually does not exist. A relative command with a relative directory
fails even when the file exists, because the lookup and the start resolve it from different
directories.

## Example
```json
{\"execute-command\": \"git\", \"command-working-directory\": \"/srv/app\"}
```

## How to fix
Write the program's absolute path (`\"execute-command\": \"/usr/bin/git\"`), or `./name`
when the program is meant to be the file in the working directory.
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
    let dir_is_relative = !Path::new(&dir.value).is_absolute();
    if dir_is_relative {
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
    let (msg, help) = if dir_is_relative {
        (
            format!(
                "a relative command in a relative working directory fails: webhook finds \
                 `{}` from its own directory but starts it from `{}`",
                joined.display(),
                dir.value
            ),
            "use absolute paths for both".to_string(),
        )
    } else if !cmd.value.contains('/') {
        (
            format!(
                "webhook runs `{}` from the working directory, without searching PATH",
                joined.display()
            ),
            format!(
                "write the program's absolute path, or `./{}` if you mean the file in `{}`",
                cmd.value, dir.value
            ),
        )
    } else {
        return;
    };
    out.push(Diagnostic::new(RULE.check, cmd.span, &cmd.pointer, msg).with_help(help));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::messages;

    fn hook(cmd: &str, dir: &str) -> String {
        format!("- id: h\n  execute-command: {cmd}\n  command-working-directory: {dir}\n")
    }

    #[test]
    fn a_path_relative_to_an_absolute_directory_is_intended() {
        for cmd in ["./deploy.sh", "bin/deploy", "/usr/bin/git"] {
            assert!(messages(&RULE, &hook(cmd, "/srv/app")).is_empty(), "{cmd}");
        }
    }

    #[test]
    fn bare_names_and_relative_pairs_are_flagged() {
        assert_eq!(messages(&RULE, &hook("git", "/srv/app")).len(), 1);
        // The directory, and the command that cannot start from it.
        assert_eq!(messages(&RULE, &hook("./deploy.sh", "app")).len(), 2);
    }
}
