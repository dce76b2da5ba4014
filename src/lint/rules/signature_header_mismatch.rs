//! `signature-header-mismatch`: an HMAC algorithm that does not fit the header it reads.

use crate::config::model::{Algorithm, MatchKind, Source};
use crate::diagnostic::{Check, Diagnostic, Severity};
use crate::lint::walk::matches;
use crate::lint::{Context, LintRule};

pub const RULE: LintRule = LintRule {
    check: Check {
        code: "HK308",
        name: "signature-header-mismatch",
        severity: Severity::Error,
        summary: "an HMAC algorithm that does not fit the header (`sha1` on a `-256` header)",
    },
    docs: DOCS,
    run,
};

const DOCS: &str = "\
## What it flags
A signature match whose algorithm differs from the one the header carries: the one its
name announces (`payload-hmac-sha1` on `X-Hub-Signature-256`, `payload-hmac-sha256` on a
`...-512` header), or the one a known sender uses (`X-Hub-Signature` is SHA-1 from GitHub
and Gitea; `X-Gitea-Signature` and `X-Gogs-Signature` are SHA-256).

## Why it matters
The sender signs with the algorithm the header is named after. webhook computes a
different HMAC, the comparison always fails, and every delivery is answered with a 500.

## Example
```json
{\"match\": {\"type\": \"payload-hmac-sha1\", \"secret\": \"...\",
  \"parameter\": {\"source\": \"header\", \"name\": \"X-Hub-Signature-256\"}}}
```

## How to fix
Use the algorithm in the header's name: `payload-hmac-sha256` for `X-Hub-Signature-256`.
";

fn run(cx: &Context, out: &mut Vec<Diagnostic>) {
    for site in matches(&cx.file.hooks) {
        let m = site.m;
        let MatchKind::Hmac { algorithm, .. } = m.kind else {
            continue;
        };
        let Some(p) = &m.parameter else { continue };
        if p.source() != Some(Source::Header) {
            continue;
        }
        let Some(announced) = announced_algorithm(p.name()) else {
            continue;
        };
        if announced == algorithm {
            continue;
        }
        let span = m.type_.as_ref().map_or(m.span, |t| t.span);
        let msg = format!(
            "`{}` carries an HMAC-{} signature, but this match computes HMAC-{}, so it never \
             matches",
            p.name(),
            announced.name().to_uppercase(),
            algorithm.name().to_uppercase()
        );
        let help = format!("use `payload-hmac-{}`", announced.name());
        out.push(Diagnostic::new(RULE.check, span, &m.pointer, msg).with_help(help));
    }
}

/// The algorithm a header carries: known senders' headers first, then what the name
/// announces (`...-256`, `...sha512`).
fn announced_algorithm(header: &str) -> Option<Algorithm> {
    let h = header.to_ascii_lowercase();
    // GitHub and Gitea send `sha1=<hex>` in `X-Hub-Signature`; Gitea and Gogs send a bare
    // SHA-256 hex in their own headers.
    match h.as_str() {
        "x-hub-signature" => return Some(Algorithm::Sha1),
        "x-gitea-signature" | "x-gogs-signature" => return Some(Algorithm::Sha256),
        _ => {}
    }
    if h.ends_with("256") {
        Some(Algorithm::Sha256)
    } else if h.ends_with("512") {
        Some(Algorithm::Sha512)
    } else if h.ends_with("sha1") {
        Some(Algorithm::Sha1)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::messages;

    fn hook(kind: &str, header: &str) -> String {
        format!(
            "- id: h\n  execute-command: /bin/true\n  trigger-rule:\n    match: {{type: {kind}, \
             secret: s, parameter: {{source: header, name: {header}}}}}\n"
        )
    }

    #[test]
    fn known_sender_headers_carry_a_fixed_algorithm() {
        for (kind, header) in [
            ("payload-hmac-sha256", "X-Hub-Signature"),
            ("payload-hmac-sha1", "X-Gitea-Signature"),
            ("payload-hmac-sha1", "X-Gogs-Signature"),
            ("payload-hmac-sha1", "X-Hub-Signature-256"),
        ] {
            assert_eq!(
                messages(&RULE, &hook(kind, header)).len(),
                1,
                "{kind} {header}"
            );
        }
    }

    #[test]
    fn matching_algorithms_and_unknown_headers_pass() {
        for (kind, header) in [
            ("payload-hmac-sha1", "X-Hub-Signature"),
            ("payload-hmac-sha256", "X-Gitea-Signature"),
            ("payload-hmac-sha256", "x-hub-signature-256"),
            ("payload-hmac-sha512", "X-Signature"),
        ] {
            assert!(
                messages(&RULE, &hook(kind, header)).is_empty(),
                "{kind} {header}"
            );
        }
    }
}
