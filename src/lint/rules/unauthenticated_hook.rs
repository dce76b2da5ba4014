//! `unauthenticated-hook`: a hook anyone can fire without knowing a secret.

use crate::config::model::{Hook, MatchKind, TriggerRule, TriggerRuleKind};
use crate::diagnostic::{Check, Diagnostic, Severity};
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
    let (span, pointer, msg) = match &hook.trigger_rule {
        None => (
            hook.id.as_ref().map_or(hook.span, |i| i.span),
            hook.pointer.clone(),
            format!(
                "hook `{}` has no trigger rule: any request runs its command",
                hook.id()
            ),
        ),
        Some(rule) if !needs_secret(rule) => (
            rule.span,
            rule.pointer.clone(),
            format!(
                "hook `{}` can be fired by a request that carries no signature, token or \
                 trusted address",
                hook.id()
            ),
        ),
        Some(_) => return,
    };
    out.push(
        Diagnostic::new(RULE.check, span, &pointer, msg)
            .with_help("require a signature or token match in an `and` with the other conditions"),
    );
}

/// Whether every way to satisfy the rule passes a secret-bearing match. `not` is
/// treated as satisfiable without a secret, since an inverted check admits strangers.
pub fn needs_secret(rule: &TriggerRule) -> bool {
    match &rule.kind {
        TriggerRuleKind::And(rules) => rules.iter().any(needs_secret),
        TriggerRuleKind::Or(rules) => rules.iter().all(needs_secret),
        TriggerRuleKind::Not(_) => false,
        TriggerRuleKind::Empty => true,
        TriggerRuleKind::Match(m) => match m.kind {
            MatchKind::Hmac { .. } | MatchKind::ScalrSignature | MatchKind::IpWhitelist => true,
            MatchKind::Value => m.compares_token(),
            MatchKind::Regex => false,
            // Never true, so it cannot admit anyone.
            MatchKind::Unknown => true,
        },
    }
}
