//! `unauthenticated-hook`: a hook anyone can fire without knowing a secret.

use crate::config::model::{Hook, MatchKind, TriggerRule, TriggerRuleKind};
use crate::diagnostic::{Check, Diagnostic, Severity};
use crate::lint::token::is_token_match;
use crate::lint::{Context, LintRule};

pub const RULE: LintRule = LintRule {
    check: Check {
        code: "HK302",
        name: "unauthenticated-hook",
        severity: Severity::Error,
        summary: "a hook whose trigger rule can be satisfied by a request that knows no secret",
    },
    docs: DOCS,
    run,
};

const DOCS: &str = "\
## What it flags
A hook without a `trigger-rule`, or whose trigger rule has a path to true that checks no
signature, no token and no source address.

## Why it matters
webhook listens on every interface by default. Anyone who can reach it and guesses the
hook id can run the command, as often as they like. A branch or event check alone is no
protection: the sender chooses the payload.

## Example
```json
[{\"id\": \"deploy\", \"execute-command\": \"/opt/deploy.sh\",
  \"trigger-rule\": {\"match\": {\"type\": \"value\", \"value\": \"refs/heads/main\",
    \"parameter\": {\"source\": \"payload\", \"name\": \"ref\"}}}}]
```

## How to fix
Require the sender's signature (`payload-hmac-sha256` on `X-Hub-Signature-256` for GitHub
and Gitea) or its token (`value` on `X-Gitlab-Token` for GitLab) in an `and` with the other
conditions, with the secret read through `-template` and `getenv`.
";

fn run(cx: &Context, out: &mut Vec<Diagnostic>) {
    for hook in &cx.file.hooks {
        check(hook, out);
    }
}

fn check(hook: &Hook, out: &mut Vec<Diagnostic>) {
    // The id names the hook on one line; a trigger rule spans many.
    let span = hook.id.as_ref().map_or(hook.span, |i| i.span);
    let (pointer, msg, help) = match &hook.trigger_rule {
        None => (
            hook.pointer.clone(),
            format!(
                "hook `{}` has no trigger rule: any request runs its command",
                hook.id()
            ),
            "add a `trigger-rule` that checks the sender's signature or token",
        ),
        Some(rule) if !needs_secret(rule) => (
            rule.pointer.clone(),
            format!(
                "hook `{}` can be fired by a request that carries no signature, token or \
                 trusted address",
                hook.id()
            ),
            "require a signature or token match in an `and` with the other conditions",
        ),
        Some(_) => return,
    };
    out.push(Diagnostic::new(RULE.check, span, &pointer, msg).with_help(help));
}

/// Whether every way to satisfy the rule passes a secret-bearing match: a signature, a
/// token or a source address. `not` is treated as satisfiable without a secret, since an
/// inverted check admits strangers.
pub fn needs_secret(rule: &TriggerRule) -> bool {
    needs(rule, true)
}

/// Like [`needs_secret`], but an `ip-whitelist` does not count: whether the hook asks for
/// something only the sender knows.
pub fn needs_signature_or_token(rule: &TriggerRule) -> bool {
    needs(rule, false)
}

fn needs(rule: &TriggerRule, addresses: bool) -> bool {
    match &rule.kind {
        TriggerRuleKind::And(rules) => rules.iter().any(|r| needs(r, addresses)),
        TriggerRuleKind::Or(rules) => rules.iter().all(|r| needs(r, addresses)),
        TriggerRuleKind::Not(_) => false,
        TriggerRuleKind::Empty => true,
        TriggerRuleKind::Match(m) => match m.kind {
            MatchKind::Hmac { .. } | MatchKind::ScalrSignature => true,
            MatchKind::IpWhitelist => addresses,
            MatchKind::Value => is_token_match(m),
            MatchKind::Regex => false,
            // Never true, so it cannot admit anyone.
            MatchKind::Unknown => true,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::check;

    #[test]
    fn a_match_on_the_commit_author_is_no_token() {
        // `author` contains `auth`, but anyone can write any author into a payload.
        let text = r#"
- id: release
  execute-command: /bin/true
  trigger-rule:
    and:
      - match: {type: value, value: refs/heads/main, parameter: {source: payload, name: ref}}
      - match: {type: value, value: release-bot, parameter: {source: payload, name: head_commit.author.name}}
"#;
        assert_eq!(check(&RULE, text).len(), 1);
    }

    #[test]
    fn a_token_header_or_signature_in_every_branch_is_enough() {
        let text = r#"
- id: two-senders
  execute-command: /bin/true
  trigger-rule:
    or:
      - match: {type: value, value: t, parameter: {source: header, name: X-Gitlab-Token}}
      - and:
          - match: {type: value, value: push, parameter: {source: header, name: X-GitHub-Event}}
          - match: {type: payload-hmac-sha256, secret: s, parameter: {source: header, name: X-Hub-Signature-256}}
"#;
        assert!(check(&RULE, text).is_empty());
    }
}
