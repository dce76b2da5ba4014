//! `not-over-absent-parameter`: a `not` that is true when the value is missing.

use crate::config::model::{MatchKind, Source, TriggerRule, TriggerRuleKind};
use crate::diagnostic::{Check, Diagnostic, Severity};
use crate::lint::{Context, LintRule};

pub const RULE: LintRule = LintRule {
    check: Check {
        code: "HK216",
        name: "not-over-absent-parameter",
        severity: Severity::Warning,
        summary: "a `not` over a match on a value the request may not carry",
    },
    docs: DOCS,
    run,
};

const DOCS: &str = "\
## What it flags
A `not` directly over a match on a header, query or payload value, where a request without
that value gets through: at the top of the trigger rule or under an `or`.

A `not` inside an `and` is not flagged: webhook's `and` stops at the missing value's error
and is false, so such a `not` cannot let a request through.

## Why it matters
When the value is missing, webhook's match returns false with a \"parameter not found\"
error, and `not` inverts the false: at the top level, or in an `or`, which ignores that
error, the hook **fires**. `not branch == main` also fires for requests that have no branch
at all, such as a ping or a forged request without a payload.

## Example
```json
{\"not\": {\"match\": {\"type\": \"value\", \"value\": \"refs/heads/main\",
  \"parameter\": {\"source\": \"payload\", \"name\": \"ref\"}}}}
```

## How to fix
Pair it in an `and` with a positive check that the value is there (a `regex` of `.` on the
same parameter), or match the wanted values positively.
";

fn run(cx: &Context, out: &mut Vec<Diagnostic>) {
    for hook in &cx.file.hooks {
        if let Some(rule) = &hook.trigger_rule {
            visit(rule, &mut Vec::new(), out);
        }
    }
}

fn visit<'a>(
    rule: &'a TriggerRule,
    ancestors: &mut Vec<&'a TriggerRule>,
    out: &mut Vec<Diagnostic>,
) {
    if let TriggerRuleKind::Not(inner) = &rule.kind {
        check(rule, inner, ancestors, out);
    }
    ancestors.push(rule);
    match &rule.kind {
        TriggerRuleKind::And(rules) | TriggerRuleKind::Or(rules) => {
            rules.iter().for_each(|r| visit(r, ancestors, out))
        }
        TriggerRuleKind::Not(inner) => visit(inner, ancestors, out),
        TriggerRuleKind::Match(_) | TriggerRuleKind::Empty => {}
    }
    ancestors.pop();
}

fn check(
    not: &TriggerRule,
    inner: &TriggerRule,
    ancestors: &[&TriggerRule],
    out: &mut Vec<Diagnostic>,
) {
    let TriggerRuleKind::Match(m) = &inner.kind else {
        return;
    };
    let Some(p) = &m.parameter else { return };
    let may_be_absent = matches!(
        p.source(),
        Some(Source::Header | Source::Query | Source::Payload)
    );
    if !may_be_absent || !m.kind.uses_parameter() || m.kind == MatchKind::Unknown {
        return;
    }
    if !passes_when_missing(ancestors) {
        return;
    }
    let msg = format!(
        "this `not` is true when `{}` is missing, so requests without it pass",
        p.name()
    );
    // The whole `not` spans several lines; the missing value is what the message names.
    let span = p.name.as_ref().map_or(not.span, |n| n.span);
    out.push(
        Diagnostic::new(RULE.check, span, &not.pointer, msg)
            .with_help("also require the value to be present, or match wanted values"),
    );
}

/// Whether a request without the value gets through the `not` whose ancestors these are,
/// root first.
///
/// The `not` yields true together with webhook's "parameter node not found" error. Going
/// up: an `and` stops at any error and is false, an `or` drops that error and keeps the
/// value, a `not` inverts the value and keeps the error. At the top, the value decides.
fn passes_when_missing(ancestors: &[&TriggerRule]) -> bool {
    let (mut value, mut error) = (true, true);
    for node in ancestors.iter().rev() {
        match &node.kind {
            TriggerRuleKind::And(_) if error => value = false,
            TriggerRuleKind::Or(_) => error = false,
            TriggerRuleKind::Not(_) => value = !value,
            _ => {}
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::check;

    fn hook(rule: &str) -> String {
        let not_ping = "{not: {match: {type: value, value: ping, \
                        parameter: {source: header, name: X-GitHub-Event}}}}";
        let sig = "{match: {type: payload-hmac-sha256, secret: s, \
                   parameter: {source: header, name: X-Hub-Signature-256}}}";
        let rule = rule.replace("NOT", not_ping).replace("SIG", sig);
        format!("- id: h\n  execute-command: /bin/true\n  trigger-rule: {rule}\n")
    }

    #[test]
    fn a_not_at_the_top_or_under_or_is_flagged() {
        // webhook fires for `not` over a missing value, and for `or: [not: missing]`.
        for rule in ["NOT", "{or: [NOT, SIG]}", "{not: {and: [NOT]}}"] {
            assert_eq!(check(&RULE, &hook(rule)).len(), 1, "{rule}");
        }
    }

    #[test]
    fn a_not_inside_and_is_safe() {
        // webhook's `and` stops at the missing-parameter error and is false:
        // `and: [not: missing]` is not satisfied, and neither is `not: {not: missing}`.
        for rule in [
            "{and: [SIG, NOT]}",
            "{and: [{or: [SIG]}, NOT]}",
            "{not: NOT}",
        ] {
            assert!(check(&RULE, &hook(rule)).is_empty(), "{rule}");
        }
    }
}
