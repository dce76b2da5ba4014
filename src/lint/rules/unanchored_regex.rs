//! `unanchored-regex`: a regex used as an allow-list that is not anchored.

use crate::config::model::MatchKind;
use crate::diagnostic::{Check, Diagnostic, Severity};
use crate::lint::walk::matches;
use crate::lint::{Context, LintRule};

pub const RULE: LintRule = LintRule {
    check: Check {
        code: "HK214",
        name: "unanchored-regex",
        severity: Severity::Warning,
        summary: "a literal-looking regex without `^` and `$`, which also matches longer values",
    },
    docs: DOCS,
    run,
};

const DOCS: &str = "\
## What it flags
A `regex` match whose pattern is mostly literal text (branch names, refs, environment names)
and is not anchored with `^` at the start and `$` at the end.

## Why it matters
webhook searches for the pattern anywhere in the value. `refs/heads/main` also matches
`refs/heads/main-old` and `refs/heads/feature/refs/heads/main`, so a push to another branch
runs the deploy.

## Example
```json
{\"match\": {\"type\": \"regex\", \"regex\": \"refs/heads/(main|production)\",
  \"parameter\": {\"source\": \"payload\", \"name\": \"ref\"}}}
```

## How to fix
Anchor the pattern: `^refs/heads/(main|production)$`, or use a `value` match for one value.
";

fn run(cx: &Context, out: &mut Vec<Diagnostic>) {
    for site in matches(&cx.file.hooks) {
        let m = site.m;
        let Some(field) = m.regex.as_ref().filter(|_| m.kind == MatchKind::Regex) else {
            continue;
        };
        let pattern = field.value.as_str();
        if !is_literal_like(pattern) || (pattern.starts_with('^') && pattern.ends_with('$')) {
            continue;
        }
        let anchored = format!(
            "^{}$",
            pattern.trim_start_matches('^').trim_end_matches('$')
        );
        let msg =
            format!("`{pattern}` is searched anywhere in the value, so longer values match too");
        out.push(
            Diagnostic::new(RULE.check, field.span, &field.pointer, msg)
                .with_help(format!("anchor it: `{anchored}`")),
        );
    }
}

/// Mostly literal text with at most groups and alternation: the shape of an allow-list.
fn is_literal_like(pattern: &str) -> bool {
    let body = pattern.trim_start_matches('^').trim_end_matches('$');
    let literal = body
        .chars()
        .filter(|c| c.is_alphanumeric() || "/-_.".contains(*c))
        .count();
    let allowed = body
        .chars()
        .all(|c| c.is_alphanumeric() || "/-_.()|\\".contains(c));
    allowed && literal >= 3
}
