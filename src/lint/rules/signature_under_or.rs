//! `signature-under-or`: a signature check in an `or` without soft failures.

use crate::config::model::{MatchKind, TriggerRuleKind};
use crate::diagnostic::{Check, Diagnostic, Severity};
use crate::lint::walk::matches;
use crate::lint::{Context, LintRule};

pub const RULE: LintRule = LintRule {
    check: Check {
        code: "HK306",
        name: "signature-under-or",
        severity: Severity::Warning,
        summary: "a signature match in an `or` without `trigger-signature-soft-failures`",
    },
    docs: DOCS,
    run,
};

const DOCS: &str = "\
## What it flags
A signature match (`payload-hmac-*`, `scalr-signature`) directly inside an `or` that has
other branches, in a hook without `trigger-signature-soft-failures: true`.

## Why it matters
In an `or`, webhook treats a wrong signature as an error, not as false: it stops and answers
500 instead of trying the other branches. A request meant for the second branch (another
sender, another secret) fails whenever the first branch's signature header is present but
does not match.

## Example
```json
{\"or\": [
  {\"match\": {\"type\": \"payload-hmac-sha256\", \"secret\": \"...\",
    \"parameter\": {\"source\": \"header\", \"name\": \"X-Hub-Signature-256\"}}},
  {\"match\": {\"type\": \"value\", \"value\": \"...\",
    \"parameter\": {\"source\": \"header\", \"name\": \"X-Gitlab-Token\"}}}]}
```

## How to fix
Add `\"trigger-signature-soft-failures\": true` to the hook, so that a wrong signature counts
as false inside `or`.
";

fn run(cx: &Context, out: &mut Vec<Diagnostic>) {
    for site in matches(&cx.file.hooks) {
        let m = site.m;
        let is_signature = matches!(m.kind, MatchKind::Hmac { .. } | MatchKind::ScalrSignature);
        let Some(parent) = site.parent else { continue };
        let TriggerRuleKind::Or(branches) = &parent.kind else {
            continue;
        };
        if !is_signature || branches.len() < 2 || site.hook.has_soft_signature_failures() {
            continue;
        }
        let span = m.type_.as_ref().map_or(m.span, |t| t.span);
        let msg = "a wrong signature here makes webhook answer 500 instead of trying the other \
                   branches of this `or`";
        out.push(
            Diagnostic::new(RULE.check, span, &m.pointer, msg)
                .with_help("add `\"trigger-signature-soft-failures\": true` to the hook"),
        );
    }
}
