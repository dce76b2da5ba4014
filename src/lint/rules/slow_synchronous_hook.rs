//! `slow-synchronous-hook`: a sender waiting for a command that may outlast it.

use crate::diagnostic::{Check, Diagnostic, Severity};
use crate::lint::{Context, LintRule};

pub const RULE: LintRule = LintRule {
    check: Check {
        code: "HK410",
        name: "slow-synchronous-hook",
        severity: Severity::Info,
        summary: "a hook that answers only when its command ends, past senders' timeouts",
    },
    docs: DOCS,
    run,
};

const DOCS: &str = "\
## What it flags
Hooks with `include-command-output-in-response: true` whose command looks like a long job
(its file name mentions deploy, build, release, backup, migrate, sync or update).

## Why it matters
With output capture webhook answers only when the command exits, and it has no timeout.
GitHub gives up after 10 seconds, GitLab after 10 to 30, Slack slash commands after 3: the
delivery is marked failed (and may be retried, running the job twice) while the job goes on.

## Example
```json
{\"execute-command\": \"/opt/scripts/deploy.sh\",
 \"include-command-output-in-response\": true}
```

## How to fix
Turn output capture off so webhook answers at once and runs the command in the background;
report the result another way (a chat message, a status API).
";

const LONG_JOBS: [&str; 7] = [
    "deploy", "build", "release", "backup", "migrate", "sync", "update",
];

fn run(cx: &Context, out: &mut Vec<Diagnostic>) {
    for hook in &cx.file.hooks {
        if !hook.captures_output() {
            continue;
        }
        let Some(cmd) = &hook.execute_command else {
            continue;
        };
        if !is_long_job(&cmd.value) {
            continue;
        }
        let msg = format!(
            "the sender waits until `{}` exits; senders time out after 3 to 30 seconds",
            cmd.value
        );
        out.push(
            Diagnostic::new(RULE.check, cmd.span, &cmd.pointer, msg)
                .with_help("turn output capture off so the job runs in the background"),
        );
    }
}

/// Whether the program's file name (not its directory) names a long job. `async` is not
/// `sync`: `async-notify` is the opposite of a long wait.
fn is_long_job(command: &str) -> bool {
    let file = command.rsplit('/').next().unwrap_or(command);
    let lower = file.to_ascii_lowercase().replace("async", "");
    LONG_JOBS.iter().any(|w| lower.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_file_name_counts() {
        assert!(is_long_job("/opt/scripts/deploy-prod.sh"));
        assert!(is_long_job("/opt/scripts/redeploy-docker.sh"));
        assert!(is_long_job("/usr/bin/rsync"));
        assert!(!is_long_job("/opt/deploy/status.sh"));
        assert!(!is_long_job("/usr/local/bin/async-notify"));
    }
}
