//! `version-dependent-header`: an exact match on a header whose value carries a version.

use crate::config::model::{MatchKind, Source};
use crate::diagnostic::{Check, Diagnostic, Severity};
use crate::lint::walk::matches;
use crate::lint::{Context, LintRule};

pub const RULE: LintRule = LintRule {
    check: Check {
        code: "HK213",
        name: "version-dependent-header",
        severity: Severity::Warning,
        summary: "a `value` match on `User-Agent`, whose value changes with the sender's version",
    },
    docs: DOCS,
    run,
};

const DOCS: &str = "\
## What it flags
A `value` match on the `User-Agent` header.

## Why it matters
Senders put their version or a build hash in `User-Agent` (GitHub sends
`GitHub-Hookshot/<hash>`), so an exact comparison stops matching after their next deploy,
or never matches at all. A `User-Agent` is also trivially forged, so it adds no security.

## Example
```json
{\"match\": {\"type\": \"value\", \"value\": \"https://github.com/\",
  \"parameter\": {\"source\": \"header\", \"name\": \"User-Agent\"}}}
```

## How to fix
Use a `regex` match anchored at the start (`^GitHub-Hookshot/`), or drop the check and rely
on the signature.
";

fn run(cx: &Context, out: &mut Vec<Diagnostic>) {
    for site in matches(&cx.file.hooks) {
        let m = site.m;
        let Some(p) = &m.parameter else { continue };
        let is_agent =
            p.source() == Some(Source::Header) && p.name().eq_ignore_ascii_case("user-agent");
        if m.kind != MatchKind::Value || !is_agent {
            continue;
        }
        let span = m.value.as_ref().map_or(m.span, |v| v.span);
        let msg = format!(
            "`User-Agent` is compared exactly with `{}`, but senders include a version in it",
            m.value()
        );
        out.push(
            Diagnostic::new(RULE.check, span, &m.pointer, msg)
                .with_note(
                    None,
                    "GitHub sends `GitHub-Hookshot/<hash>`, so this never matches",
                )
                .with_help(
                    "use a `regex` match such as `^GitHub-Hookshot/`, or rely on the signature",
                ),
        );
    }
}
