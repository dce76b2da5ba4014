//! `command-not-found`: an `execute-command` that does not exist or cannot run here.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::config::model::Hook;
use crate::diagnostic::{Check, Diagnostic, Severity};
use crate::lint::{Context, FileChecks, LintRule};

pub const RULE: LintRule = LintRule {
    check: Check {
        code: "HK404",
        name: "command-not-found",
        severity: Severity::Error,
        summary: "an `execute-command` that does not exist or is not executable",
    },
    docs: DOCS,
    run,
};

const DOCS: &str = "\
## What it flags
An `execute-command` that, resolved the way webhook resolves it, is missing, is a directory
or lacks the execute permission. A relative command with a `command-working-directory` is
looked up inside that directory (webhook joins them and does not search `PATH`).

By default the check runs only for absolute paths whose directory exists on this machine,
so it is useful on the server and silent on a laptop; `--check-files` forces it (resolving
relative paths from the current directory and bare names through `PATH`) and
`--no-check-files` turns it off.

## Why it matters
webhook only finds out at request time: asynchronous hooks still answer 200 while nothing
runs, and the failure is visible only in webhook's log.

## Example
```json
{\"id\": \"deploy\", \"execute-command\": \"deploy.sh\",
 \"command-working-directory\": \"/srv/app\"}
```

## How to fix
Use the absolute path of an existing, executable file (`chmod +x`), and check that the user
webhook runs as can read it.
";

fn run(cx: &Context, out: &mut Vec<Diagnostic>) {
    if cx.options.file_checks == FileChecks::Never {
        return;
    }
    for hook in &cx.file.hooks {
        check(hook, cx.options.file_checks, out);
    }
}

/// The path webhook looks up for a hook's command, and whether `PATH` is searched.
pub fn resolved_path(hook: &Hook) -> (PathBuf, bool) {
    let command = hook.execute_command();
    let dir = hook.command_working_directory();
    if !Path::new(command).is_absolute() && !dir.is_empty() {
        return (Path::new(dir).join(command), false);
    }
    (PathBuf::from(command), !command.contains('/'))
}

fn check(hook: &Hook, mode: FileChecks, out: &mut Vec<Diagnostic>) {
    let Some(field) = &hook.execute_command else {
        return;
    };
    if field.value.is_empty() || field.value.contains(char::is_whitespace) {
        return;
    }
    let (path, searches_path) = resolved_path(hook);
    let problem = if searches_path {
        (mode == FileChecks::Always && find_in_path(&field.value).is_none())
            .then(|| format!("`{}` is not found in this machine's PATH", field.value))
    } else {
        // A relative path is resolved from webhook's working directory, which lint cannot
        // know; only --check-files resolves it from the current one.
        let dir_known = path.is_absolute() && path.parent().is_some_and(Path::is_dir);
        (mode == FileChecks::Always || dir_known)
            .then(|| problem(&path))
            .flatten()
    };
    let Some(msg) = problem else { return };
    out.push(
        Diagnostic::new(RULE.check, field.span, &field.pointer, msg)
            .with_help("point `execute-command` at an existing executable file"),
    );
}

fn problem(path: &Path) -> Option<String> {
    let shown = path.display();
    let Ok(meta) = std::fs::metadata(path) else {
        return Some(format!("`{shown}` does not exist on this machine"));
    };
    if meta.is_dir() {
        return Some(format!("`{shown}` is a directory"));
    }
    (meta.permissions().mode() & 0o111 == 0).then(|| format!("`{shown}` is not executable"))
}

fn find_in_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::check as run_rule;

    #[test]
    fn a_relative_command_is_not_checked_by_default() {
        // webhook resolves it from its own working directory, unknown to lint; `src` exists
        // in the crate root, where tests run, so the old check reported it as missing.
        let text = "- id: rel\n  execute-command: src/not-here.sh\n";
        assert!(run_rule(&RULE, text).is_empty());
    }

    #[test]
    fn a_missing_file_in_an_existing_directory_is_reported() {
        let text = "- id: abs\n  execute-command: /bin/hookctl-no-such-program\n";
        assert_eq!(run_rule(&RULE, text).len(), 1);
        let text = "- id: wd\n  execute-command: hookctl-no-such-program\n  \
                    command-working-directory: /bin\n";
        assert_eq!(run_rule(&RULE, text).len(), 1);
    }
}
