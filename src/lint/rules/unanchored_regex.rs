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
and is not anchored with `^` at the start and `$` at the end. A top-level alternation
such as `^main|master$` counts as unanchored, because `^` and `$` bind to one alternative
each. A pattern anchored with `^` that ends in `/`, `-`, `_`, `.` or `:` (`^refs/tags/`,
`^GitHub-Hookshot/`) is a deliberate prefix match and is not flagged.

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
Anchor the pattern, grouping alternatives: `^refs/heads/(main|production)$`, or use a
`value` match for one value.
";

fn run(cx: &Context, out: &mut Vec<Diagnostic>) {
    for site in matches(&cx.file.hooks) {
        let m = site.m;
        let Some(field) = m.regex.as_ref().filter(|_| m.kind == MatchKind::Regex) else {
            continue;
        };
        let pattern = field.value.as_str();
        if !is_literal_like(pattern) || is_anchored(pattern) || is_prefix_match(pattern) {
            continue;
        }
        let msg =
            format!("`{pattern}` is searched anywhere in the value, so longer values match too");
        out.push(
            Diagnostic::new(RULE.check, field.span, &field.pointer, msg)
                .with_help(format!("anchor it: `{}`", anchored(pattern))),
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

/// `^...$` around the whole pattern. `^main|master$` is not: RE2 reads it as `^main` or
/// `master$`, so each alternative is anchored at one end only.
fn is_anchored(pattern: &str) -> bool {
    let Some(body) = pattern.strip_prefix('^').and_then(|p| p.strip_suffix('$')) else {
        return false;
    };
    !has_top_level_alternation(body)
}

/// `^refs/tags/` or `^GitHub-Hookshot/`: anchored at the start and ending in a separator,
/// which says that any continuation is meant to match.
fn is_prefix_match(pattern: &str) -> bool {
    pattern.starts_with('^')
        && !has_top_level_alternation(&pattern[1..])
        && pattern.ends_with(['/', '-', '_', '.', ':'])
}

fn has_top_level_alternation(pattern: &str) -> bool {
    let mut depth = 0usize;
    let mut escaped = false;
    for c in pattern.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            '|' if depth == 0 => return true,
            _ => {}
        }
    }
    false
}

/// The pattern anchored at both ends, grouped when it has a top-level `|`.
fn anchored(pattern: &str) -> String {
    let body = pattern.trim_start_matches('^').trim_end_matches('$');
    if has_top_level_alternation(body) {
        format!("^({body})$")
    } else {
        format!("^{body}$")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::check;

    fn hook(regex: &str) -> String {
        format!(
            "- id: push\n  execute-command: /bin/true\n  trigger-rule:\n    match:\n      \
             type: regex\n      regex: '{regex}'\n      parameter: {{source: payload, name: ref}}\n"
        )
    }

    #[test]
    fn unanchored_literal_patterns_are_flagged() {
        for pattern in [
            "refs/heads/main",
            "^refs/heads/main",
            "main|master",
            "^main|master$",
        ] {
            assert_eq!(check(&RULE, &hook(pattern)).len(), 1, "{pattern}");
        }
    }

    #[test]
    fn anchored_and_deliberate_prefix_patterns_pass() {
        // `^GitHub-Hookshot/` is what `version-dependent-header` recommends.
        for pattern in [
            "^refs/heads/main$",
            "^(main|master)$",
            "^refs/tags/",
            "^GitHub-Hookshot/",
            "^release-",
            ".*",
        ] {
            assert!(check(&RULE, &hook(pattern)).is_empty(), "{pattern}");
        }
    }

    #[test]
    fn help_groups_an_alternation_before_anchoring_it() {
        let d = &check(&RULE, &hook("main|master"))[0];
        assert_eq!(d.help.as_deref(), Some("anchor it: `^(main|master)$`"));
        let d = &check(&RULE, &hook("^main|master$"))[0];
        assert_eq!(d.help.as_deref(), Some("anchor it: `^(main|master)$`"));
        let d = &check(&RULE, &hook("refs/heads/(main|production)"))[0];
        assert_eq!(
            d.help.as_deref(),
            Some("anchor it: `^refs/heads/(main|production)$`")
        );
    }
}
