//! `weak-signature-algorithm`: SHA-1 where the sender also signs with SHA-256.

use crate::config::model::{Algorithm, MatchKind, Source};
use crate::diagnostic::{Check, Diagnostic, Severity};
use crate::lint::walk::matches;
use crate::lint::{Context, LintRule};

pub const RULE: LintRule = LintRule {
    check: Check {
        code: "HK307",
        name: "weak-signature-algorithm",
        severity: Severity::Warning,
        summary: "an HMAC-SHA1 check on `X-Hub-Signature` where the sender also sends SHA-256",
    },
    docs: DOCS,
    run,
};

const DOCS: &str = "\
## What it flags
A `payload-hmac-sha1` (or `payload-hash-sha1`) match on the `X-Hub-Signature` header.

## Why it matters
GitHub, Gitea and Forgejo send both `X-Hub-Signature` (HMAC-SHA1) and
`X-Hub-Signature-256` (HMAC-SHA256). GitHub keeps SHA-1 only for compatibility and
recommends SHA-256; SHA-1 is deprecated for new security uses.

## Example
```json
{\"match\": {\"type\": \"payload-hmac-sha1\", \"secret\": \"...\",
  \"parameter\": {\"source\": \"header\", \"name\": \"X-Hub-Signature\"}}}
```

## How to fix
Check `X-Hub-Signature-256` with `payload-hmac-sha256` instead.
";

fn run(cx: &Context, out: &mut Vec<Diagnostic>) {
    for site in matches(&cx.file.hooks) {
        let m = site.m;
        let MatchKind::Hmac {
            algorithm: Algorithm::Sha1,
            ..
        } = m.kind
        else {
            continue;
        };
        let Some(p) = &m.parameter else { continue };
        if p.source() != Some(Source::Header) || !p.name().eq_ignore_ascii_case("x-hub-signature") {
            continue;
        }
        let span = m.type_.as_ref().map_or(m.span, |t| t.span);
        let msg = "this checks GitHub's SHA-1 signature; the sender also signs with SHA-256";
        out.push(
            Diagnostic::new(RULE.check, span, &m.pointer, msg)
                .with_help("use `payload-hmac-sha256` on the `X-Hub-Signature-256` header"),
        );
    }
}
