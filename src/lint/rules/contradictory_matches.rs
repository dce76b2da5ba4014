//! `contradictory-matches`: an `and` that requires one value to equal two texts.

use std::collections::HashMap;

use crate::config::model::{MatchKind, TriggerRule, TriggerRuleKind};
use crate::diagnostic::{Check, Diagnostic, Severity};
use crate::lint::walk::nodes;
use crate::lint::{Context, LintRule};

pub const RULE: LintRule = LintRule {
    check: Check {
        code: "HK215",
        name: "contradictory-matches",
        severity: Severity::Error,
        summary: "an `and` whose `value` matches require one parameter to equal two texts",
    },
    docs: DOCS,
    run,
};

const DOCS: &str = "\
## What it flags
Two `value` matches on the same parameter (same source and name), with different values,
directly inside one `and`.

## Why it matters
A value cannot equal two different texts, so the `and` is never true and the hook never
fires. This usually means an `or` was intended (deploy on `main` or `production`).

## Example
```json
{\"and\": [
  {\"match\": {\"type\": \"value\", \"value\": \"refs/heads/main\",
    \"parameter\": {\"source\": \"payload\", \"name\": \"ref\"}}},
  {\"match\": {\"type\": \"value\", \"value\": \"refs/heads/production\",
    \"parameter\": {\"source\": \"payload\", \"name\": \"ref\"}}}]}
```

## How to fix
Put the alternatives in an `or` inside the `and`.
";

fn run(cx: &Context, out: &mut Vec<Diagnostic>) {
    for hook in &cx.file.hooks {
        let Some(rule) = &hook.trigger_rule else {
            continue;
        };
        for node in nodes(rule) {
            if let TriggerRuleKind::And(children) = &node.kind {
                check_and(children, out);
            }
        }
    }
}

fn check_and(children: &[TriggerRule], out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<(String, String), &str> = HashMap::new();
    for child in children {
        let TriggerRuleKind::Match(m) = &child.kind else {
            continue;
        };
        let Some(p) = m.parameter.as_ref().filter(|_| m.kind == MatchKind::Value) else {
            continue;
        };
        let key = (p.source_text().to_string(), p.name().to_string());
        let Some(earlier) = seen.get(&key) else {
            seen.insert(key, m.value());
            continue;
        };
        if *earlier == m.value() {
            continue;
        }
        let span = m.value.as_ref().map_or(m.span, |v| v.span);
        let msg = format!(
            "`{}` must equal both `{earlier}` and `{}` in this `and`, so it is never true",
            p.name(),
            m.value()
        );
        out.push(
            Diagnostic::new(RULE.check, span, &m.pointer, msg)
                .with_help("put the alternatives in an `or`"),
        );
    }
}
