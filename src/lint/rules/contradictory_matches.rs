//! `contradictory-matches`: an `and` that requires one value to equal two texts.

use std::collections::HashMap;

use crate::config::model::{MatchKind, Parameter, Source, TriggerRule, TriggerRuleKind};
use crate::diagnostic::{Check, Diagnostic, Severity};
use crate::lint::token::is_token_match;
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
        let key = parameter_key(p);
        let Some(earlier) = seen.get(&key) else {
            seen.insert(key, m.value());
            continue;
        };
        if *earlier == m.value() {
            continue;
        }
        let span = m.value.as_ref().map_or(m.span, |v| v.span);
        // The expected value of a token match is a secret: never print it.
        let msg = if is_token_match(m) {
            format!(
                "`{}` must equal two different tokens in this `and`, so it is never true",
                p.name()
            )
        } else {
            format!(
                "`{}` must equal both `{earlier}` and `{}` in this `and`, so it is never true",
                p.name(),
                m.value()
            )
        };
        out.push(
            Diagnostic::new(RULE.check, span, &m.pointer, msg)
                .with_help("put the alternatives in an `or`"),
        );
    }
}

/// What identifies the looked-up value: `url` and `query` are one source, and header
/// names are compared the way Go canonicalises them (ignoring case).
fn parameter_key(p: &Parameter) -> (String, String) {
    match p.source() {
        Some(Source::Header) => ("header".into(), p.name().to_ascii_lowercase()),
        Some(Source::Query) => ("url".into(), p.name().into()),
        _ => (p.source_text().into(), p.name().into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{check, messages};

    const TWO_EVENTS: &str = r#"
- id: gitlab
  execute-command: /bin/true
  trigger-rule:
    and:
      - match: {type: value, value: Push Hook, parameter: {source: header, name: X-Gitlab-Event}}
      - match: {type: value, value: Tag Push Hook, parameter: {source: header, name: x-gitlab-event}}
"#;

    #[test]
    fn header_names_are_compared_ignoring_case() {
        assert_eq!(check(&RULE, TWO_EVENTS).len(), 1);
    }

    #[test]
    fn url_and_query_are_the_same_source() {
        let text = r#"
- id: q
  execute-command: /bin/true
  trigger-rule:
    and:
      - match: {type: value, value: prod, parameter: {source: url, name: env}}
      - match: {type: value, value: staging, parameter: {source: query, name: env}}
"#;
        assert_eq!(check(&RULE, text).len(), 1);
    }

    #[test]
    fn token_values_are_not_printed() {
        let text = r#"
- id: t
  execute-command: /bin/true
  trigger-rule:
    and:
      - match: {type: value, value: s3cr3t-one, parameter: {source: header, name: X-Gitlab-Token}}
      - match: {type: value, value: s3cr3t-two, parameter: {source: header, name: X-Gitlab-Token}}
"#;
        let msgs = messages(&RULE, text);
        assert_eq!(msgs.len(), 1);
        assert!(!msgs[0].contains("s3cr3t"), "{}", msgs[0]);
    }
}
