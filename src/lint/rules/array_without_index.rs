//! `array-without-index`: a payload path that steps into a list by key.

use crate::config::model::{Parameter, Source};
use crate::diagnostic::{Check, Diagnostic, Severity};
use crate::lint::walk::matches;
use crate::lint::{Context, LintRule};

pub const RULE: LintRule = LintRule {
    check: Check {
        code: "HK218",
        name: "array-without-index",
        severity: Severity::Warning,
        summary: "a payload path that crosses a list (`commits.id`) without an index",
    },
    docs: DOCS,
    run,
};

const DOCS: &str = "\
## What it flags
A payload path that names a field inside a well-known list of webhook payloads (`commits`,
`labels`, `assets`, `pull_requests`, `added`, ...) without a list index.

## Why it matters
webhook steps into a list only with a number: `commits.0.id`. `commits.id` is never found,
so the argument is empty and a match on it is not satisfied.

## Example
```json
{\"source\": \"payload\", \"name\": \"commits.id\"}
```

GitLab's `changes` object is the exception: `changes.labels.current` is a path through
objects, so lists directly under `changes` are not flagged.

## How to fix
Add the index of the element you want: `commits.0.id` for the first commit, or use
`head_commit.id` on GitHub pushes.
";

const LISTS: [&str; 12] = [
    "commits",
    "added",
    "removed",
    "modified",
    "labels",
    "assignees",
    "requested_reviewers",
    "assets",
    "pull_requests",
    "attachments",
    "files",
    "events",
];

fn run(cx: &Context, out: &mut Vec<Diagnostic>) {
    for hook in &cx.file.hooks {
        let params = hook
            .pass_arguments_to_command
            .iter()
            .chain(&hook.pass_environment_to_command)
            .chain(&hook.pass_file_to_command);
        params.for_each(|p| check(p, out));
    }
    for site in matches(&cx.file.hooks) {
        if let Some(p) = &site.m.parameter {
            check(p, out);
        }
    }
}

fn check(p: &Parameter, out: &mut Vec<Diagnostic>) {
    if p.source() != Some(Source::Payload) {
        return;
    }
    let segments: Vec<&str> = p.name().split('.').collect();
    for (i, pair) in segments.windows(2).enumerate() {
        let is_list = LISTS.contains(&pair[0]);
        if !is_list || pair[1].parse::<usize>().is_ok() || is_change_set(&segments[..i]) {
            continue;
        }
        let mut fixed = segments.clone();
        fixed.insert(i + 1, "0");
        let span = p.name.as_ref().map_or(p.span, |n| n.span);
        let msg = format!(
            "`{}` is a list in webhook payloads; `{}` is never found",
            pair[0],
            p.name()
        );
        out.push(
            Diagnostic::new(RULE.check, span, &p.pointer, msg)
                .with_help(format!("index the list: `{}`", fixed.join("."))),
        );
        return;
    }
}

/// GitLab's `changes` object describes a changed list as `{"previous": [...], "current":
/// [...]}`, so `changes.labels.current` is an object path, not a step into a list.
fn is_change_set(before: &[&str]) -> bool {
    before.last() == Some(&"changes")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{check, messages};

    #[test]
    fn gitlab_change_sets_are_objects() {
        let text = r#"
- id: gitlab-mr
  execute-command: /bin/true
  pass-arguments-to-command:
    - {source: payload, name: changes.labels.current.0.title}
    - {source: payload, name: object_attributes.labels.0.title}
"#;
        assert!(check(&RULE, text).is_empty());
    }

    #[test]
    fn a_list_stepped_into_by_key_is_flagged_once_with_the_index_added() {
        let text = r#"
- id: push
  execute-command: /bin/true
  pass-arguments-to-command: [{source: payload, name: commits.author.name}]
"#;
        let d = &check(&RULE, text)[0];
        assert_eq!(messages(&RULE, text).len(), 1);
        assert_eq!(
            d.help.as_deref(),
            Some("index the list: `commits.0.author.name`")
        );
    }
}
