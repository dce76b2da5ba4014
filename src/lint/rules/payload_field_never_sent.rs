//! `payload-field-never-sent`: a payload path that the hook's sender never sends.

use crate::config::model::{Parameter, Source};
use crate::diagnostic::{Check, Diagnostic, Severity};
use crate::lint::walk::matches;
use crate::lint::{Context, LintRule};

pub const RULE: LintRule = LintRule {
    check: Check {
        code: "HK219",
        name: "payload-field-never-sent",
        severity: Severity::Warning,
        summary: "a payload path the hook's sender never sends (`ref` from Docker Hub)",
    },
    docs: DOCS,
    run,
};

const DOCS: &str = "\
## What it flags
A payload parameter whose path does not exist in the payload of the sender the hook is
written for, when that sender's payload has a small, fixed shape. Today this covers Docker
Hub: a hook that reads `push_data` is a Docker Hub hook, and Docker Hub
sends only `callback_url`, `push_data` (`pushed_at`, `pusher`, `tag`, `images`) and
`repository` (`name`, `namespace`, `owner`, `repo_name`, `repo_url`, `status`, ...).

## Why it matters
Paths copied from a GitHub or GitLab hook, such as `ref`, are never found in a Docker Hub
payload: a match on them is never satisfied, so the hook never fires, and an argument built
from them is always the empty string.

## Example
```json
{\"match\": {\"type\": \"value\", \"value\": \"refs/heads/main\",
  \"parameter\": {\"source\": \"payload\", \"name\": \"ref\"}}}
```
in a hook that also passes `push_data.tag` to its command.

## How to fix
Use the sender's own fields: Docker Hub names the pushed tag in `push_data.tag`, so
`{\"type\": \"value\", \"value\": \"latest\", \"parameter\": {\"source\": \"payload\",
\"name\": \"push_data.tag\"}}` deploys only `latest`.
";

/// A sender whose payload has a fixed, documented shape.
struct Sender {
    name: &'static str,
    /// Top-level keys that only this sender uses; reading one marks the hook as its.
    markers: &'static [&'static str],
    /// Every top-level key, with the keys of the objects below it (empty for a leaf, or
    /// for an object whose keys are not checked).
    keys: &'static [(&'static str, &'static [&'static str])],
    /// Where the values people usually want are.
    help: &'static str,
}

/// Docker Hub's repository webhook payload, from its documentation.
const DOCKER_HUB: Sender = Sender {
    name: "Docker Hub",
    // `callback_url` alone is too common a name to identify Docker Hub.
    markers: &["push_data"],
    keys: &[
        ("callback_url", &[]),
        ("push_data", &["images", "pushed_at", "pusher", "tag"]),
        (
            "repository",
            &[
                "comment_count",
                "date_created",
                "description",
                "dockerfile",
                "full_description",
                "is_official",
                "is_private",
                "is_trusted",
                "name",
                "namespace",
                "owner",
                "repo_name",
                "repo_url",
                "star_count",
                "status",
            ],
        ),
    ],
    help: "Docker Hub names the pushed tag in `push_data.tag` and the image in \
           `repository.repo_name`",
};

const SENDERS: &[Sender] = &[DOCKER_HUB];

fn run(cx: &Context, out: &mut Vec<Diagnostic>) {
    let sites = matches(&cx.file.hooks);
    for hook in &cx.file.hooks {
        let mut used: Vec<(&Parameter, &str)> = Vec::new();
        for p in &hook.pass_arguments_to_command {
            used.push((p, "the argument is always empty"));
        }
        for p in hook
            .pass_environment_to_command
            .iter()
            .chain(&hook.pass_file_to_command)
        {
            used.push((p, "the variable is never set"));
        }
        for site in sites.iter().filter(|s| std::ptr::eq(s.hook, hook)) {
            if let Some(p) = &site.m.parameter {
                used.push((p, "this match is never satisfied"));
            }
        }
        used.retain(|(p, _)| p.source() == Some(Source::Payload));
        let Some(sender) = sender_of(&used) else {
            continue;
        };
        for (p, effect) in used {
            check(sender, p, effect, out);
        }
    }
}

/// The sender whose marker keys the hook reads, if any.
fn sender_of(used: &[(&Parameter, &str)]) -> Option<&'static Sender> {
    SENDERS.iter().find(|s| {
        used.iter()
            .any(|(p, _)| s.markers.contains(&first_step(p.name())))
    })
}

fn first_step(name: &str) -> &str {
    name.split('.').next().unwrap_or(name)
}

fn check(sender: &Sender, p: &Parameter, effect: &str, out: &mut Vec<Diagnostic>) {
    let mut steps = p.name().split('.');
    let top = steps.next().unwrap_or_default();
    let span = p.name.as_ref().map_or(p.span, |n| n.span);
    let Some((_, below)) = sender.keys.iter().find(|(k, _)| *k == top) else {
        let keys: Vec<&str> = sender.keys.iter().map(|(k, _)| *k).collect();
        let msg = format!("{} payloads have no `{top}`, so {effect}", sender.name);
        let note = format!("{} sends only {}", sender.name, listed(&keys));
        out.push(
            Diagnostic::new(RULE.check, span, &p.pointer, msg)
                .with_note(None, note)
                .with_help(sender.help),
        );
        return;
    };
    let Some(next) = steps.next() else { return };
    if below.is_empty() || below.contains(&next) {
        return;
    }
    let msg = format!("{}'s `{top}` has no `{next}`, so {effect}", sender.name);
    let note = format!("`{top}` holds only {}", listed(below));
    out.push(
        Diagnostic::new(RULE.check, span, &p.pointer, msg)
            .with_note(None, note)
            .with_help(sender.help),
    );
}

/// `a`, `b` and `c`.
fn listed(keys: &[&str]) -> String {
    let quoted: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::messages;

    #[test]
    fn docker_hub_hooks_are_checked_against_its_payload() {
        let text = r#"
- id: docker
  execute-command: /bin/true
  pass-arguments-to-command:
    - {source: payload, name: repository.repo_name}
    - {source: payload, name: push_data.tag}
    - {source: payload, name: push_data.branch}
  trigger-rule:
    match: {type: value, value: refs/heads/main, parameter: {source: payload, name: ref}}
"#;
        let msgs = messages(&RULE, text);
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(msgs[0].contains("has no `branch`"), "{}", msgs[0]);
        assert!(
            msgs[1].contains("no `ref`, so this match is never satisfied"),
            "{}",
            msgs[1]
        );
    }

    #[test]
    fn hooks_of_other_senders_are_left_alone() {
        let text = r#"
- id: github
  execute-command: /bin/true
  pass-arguments-to-command: [{source: payload, name: repository.full_name}]
  trigger-rule:
    match: {type: value, value: refs/heads/main, parameter: {source: payload, name: ref}}
"#;
        assert!(messages(&RULE, text).is_empty());
    }
}
