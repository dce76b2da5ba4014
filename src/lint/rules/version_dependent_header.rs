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

/// `User-Agent` prefixes of well-known senders; the rest of the value is a version or
/// build hash.
const AGENTS: [&str; 3] = ["GitHub-Hookshot/", "GitLab/", "Bitbucket-Webhooks/"];

fn run(cx: &Context, out: &mut Vec<Diagnostic>) {
    for site in matches(&cx.file.hooks) {
        let m = site.m;
        let Some(p) = &m.parameter else { continue };
        let is_agent =
            p.source() == Some(Source::Header) && p.name().eq_ignore_ascii_case("user-agent");
        if m.kind != MatchKind::Value || !is_agent {
            continue;
        }
        let value = m.value();
        let span = m.value.as_ref().map_or(m.span, |v| v.span);
        let msg = format!(
            "`User-Agent` is compared exactly with `{value}`, but senders include a version in it"
        );
        let (note, prefix) = match AGENTS.iter().find(|a| value.starts_with(*a)) {
            Some(agent) => (
                format!(
                    "the part after `{agent}` changes with the sender's releases, so this \
                     stops matching without warning"
                ),
                *agent,
            ),
            None => (
                format!(
                    "GitHub sends `GitHub-Hookshot/<hash>` and GitLab `GitLab/<version>`; \
                     `{value}` matches neither"
                ),
                "GitHub-Hookshot/",
            ),
        };
        out.push(
            Diagnostic::new(RULE.check, span, &m.pointer, msg)
                .with_note(None, note)
                .with_help(format!(
                    "use a `regex` match such as `^{prefix}`, or rely on the signature"
                )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::check;

    fn hook(agent: &str) -> String {
        format!(
            "- id: h\n  execute-command: /bin/true\n  trigger-rule:\n    match: {{type: value, \
             value: '{agent}', parameter: {{source: header, name: user-agent}}}}\n"
        )
    }

    #[test]
    fn a_pinned_version_stops_matching_later() {
        let d = &check(&RULE, &hook("GitLab/16.4.1"))[0];
        assert!(d.notes[0].message.contains("after `GitLab/` changes"));
        assert_eq!(
            d.help.as_deref(),
            Some("use a `regex` match such as `^GitLab/`, or rely on the signature")
        );
    }

    #[test]
    fn a_value_no_sender_uses_never_matches() {
        let d = &check(&RULE, &hook("https://github.com/"))[0];
        assert!(d.notes[0].message.contains("matches neither"));
    }
}
