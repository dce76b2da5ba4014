//! `not-over-absent-parameter`: a `not` that is true when the value is missing.

use crate::config::model::{MatchKind, Source, TriggerRuleKind};
use crate::diagnostic::{Check, Diagnostic, Severity};
use crate::lint::walk::nodes;
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
A `not` directly over a match on a header, query or payload value.

## Why it matters
When the value is missing, webhook's match returns false with a \"parameter not found\"
error, and `not` inverts the false: at the top level the hook **fires**. `not branch ==
main` also fires for requests that have no branch at all, such as a ping or a forged
request without a payload.

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
        let Some(rule) = &hook.trigger_rule else {
            continue;
        };
        for node in nodes(rule) {
            let TriggerRuleKind::Not(inner) = &node.kind else {
                continue;
            };
            let TriggerRuleKind::Match(m) = &inner.kind else {
                continue;
            };
            let Some(p) = &m.parameter else { continue };
            let may_be_absent = matches!(
                p.source(),
                Some(Source::Header | Source::Query | Source::Payload)
            );
            if !may_be_absent || !m.kind.uses_parameter() || m.kind == MatchKind::Unknown {
                continue;
            }
            let msg = format!(
                "this `not` is true when `{}` is missing, so requests without it pass",
                p.name()
            );
            out.push(
                Diagnostic::new(RULE.check, node.span, &node.pointer, msg)
                    .with_help("also require the value to be present, or match wanted values"),
            );
        }
    }
}
