//! `signature-under-or`: a signature check in an `or` without soft failures.

use crate::config::model::{Match, MatchKind, TriggerRule, TriggerRuleKind};
use crate::diagnostic::{Check, Diagnostic, Severity};
use crate::lint::{Context, LintRule};

pub const RULE: LintRule = LintRule {
    check: Check {
        code: "HK306",
        name: "signature-under-or",
        severity: Severity::Warning,
        summary: "a signature match under an `or` without `trigger-signature-soft-failures`",
    },
    docs: DOCS,
    run,
};

const DOCS: &str = "\
## What it flags
A signature match (`payload-hmac-*`, `scalr-signature`) anywhere inside an `or` that has
other branches, in a hook without `trigger-signature-soft-failures: true`. The match may sit
in an `and` or a `not` inside the `or`: webhook passes the signature error up through both.

## Why it matters
In an `or`, webhook treats a wrong signature as an error, not as false: it stops and answers
500 instead of trying the other branches. A request meant for another branch (another
repository with its own secret, another sender) fails whenever an earlier branch's
signature header is present but does not match.

## Example
```json
{\"or\": [
  {\"and\": [
    {\"match\": {\"type\": \"payload-hmac-sha256\", \"secret\": \"...\",
      \"parameter\": {\"source\": \"header\", \"name\": \"X-Hub-Signature-256\"}}},
    {\"match\": {\"type\": \"value\", \"value\": \"acme/api\",
      \"parameter\": {\"source\": \"payload\", \"name\": \"repository.full_name\"}}}]},
  {\"and\": [
    {\"match\": {\"type\": \"payload-hmac-sha256\", \"secret\": \"...\",
      \"parameter\": {\"source\": \"header\", \"name\": \"X-Hub-Signature-256\"}}},
    {\"match\": {\"type\": \"value\", \"value\": \"acme/web\",
      \"parameter\": {\"source\": \"payload\", \"name\": \"repository.full_name\"}}}]}]}
```

## How to fix
Add `\"trigger-signature-soft-failures\": true` to the hook, so that a wrong signature counts
as false inside `or`.
";

fn run(cx: &Context, out: &mut Vec<Diagnostic>) {
    for hook in &cx.file.hooks {
        if hook.has_soft_signature_failures() {
            continue;
        }
        if let Some(rule) = &hook.trigger_rule {
            visit(rule, false, out);
        }
    }
}

/// `in_or`: some `or` above has more than one branch.
fn visit(rule: &TriggerRule, in_or: bool, out: &mut Vec<Diagnostic>) {
    match &rule.kind {
        TriggerRuleKind::And(rules) => rules.iter().for_each(|r| visit(r, in_or, out)),
        TriggerRuleKind::Or(rules) => {
            let wide = in_or || rules.len() > 1;
            rules.iter().for_each(|r| visit(r, wide, out));
        }
        TriggerRuleKind::Not(inner) => visit(inner, in_or, out),
        TriggerRuleKind::Match(m) if in_or => check(m, out),
        TriggerRuleKind::Match(_) | TriggerRuleKind::Empty => {}
    }
}

fn check(m: &Match, out: &mut Vec<Diagnostic>) {
    if !matches!(m.kind, MatchKind::Hmac { .. } | MatchKind::ScalrSignature) {
        return;
    }
    let span = m.type_.as_ref().map_or(m.span, |t| t.span);
    let msg = "a wrong signature here makes webhook answer 500 instead of trying the other \
               branches of the `or`";
    out.push(
        Diagnostic::new(RULE.check, span, &m.pointer, msg)
            .with_help("add `\"trigger-signature-soft-failures\": true` to the hook"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::check;

    const TWO_REPOS: &str = r#"
- id: two-repos
  execute-command: /bin/true
  trigger-rule:
    or:
      - and:
          - match: {type: payload-hmac-sha256, secret: a, parameter: {source: header, name: X-Hub-Signature-256}}
          - match: {type: value, value: acme/api, parameter: {source: payload, name: repository.full_name}}
      - and:
          - match: {type: payload-hmac-sha256, secret: b, parameter: {source: header, name: X-Hub-Signature-256}}
          - match: {type: value, value: acme/web, parameter: {source: payload, name: repository.full_name}}
"#;

    #[test]
    fn signatures_in_an_and_under_or_are_flagged() {
        // webhook's `and` returns the signature error, and the `or` then stops with it.
        assert_eq!(check(&RULE, TWO_REPOS).len(), 2);
    }

    #[test]
    fn soft_failures_or_a_single_branch_pass() {
        let soft = TWO_REPOS.replace(
            "  trigger-rule:",
            "  trigger-signature-soft-failures: true\n  trigger-rule:",
        );
        assert!(check(&RULE, &soft).is_empty());
        let single = r#"
- id: one
  execute-command: /bin/true
  trigger-rule:
    and:
      - or:
          - match: {type: payload-hmac-sha256, secret: a, parameter: {source: header, name: X-Hub-Signature-256}}
"#;
        assert!(check(&RULE, single).is_empty());
    }
}
