//! `unverifiable-signature-scheme`: a signature header webhook's match types cannot check.

use crate::config::model::{MatchKind, Source};
use crate::diagnostic::{Check, Diagnostic, Severity};
use crate::lint::walk::matches;
use crate::lint::{Context, LintRule};

pub const RULE: LintRule = LintRule {
    check: Check {
        code: "HK309",
        name: "unverifiable-signature-scheme",
        severity: Severity::Error,
        summary: "a check on a signature header whose scheme webhook cannot verify",
    },
    docs: DOCS,
    run,
};

const DOCS: &str = "\
## What it flags
A `payload-hmac-*` or `value` match on a header that carries a signature scheme webhook
cannot verify: Slack's `X-Slack-Signature` (HMAC over `v0:<timestamp>:<body>`), Stripe's
`Stripe-Signature` (`t=...,v1=...`), Standard Webhooks' `webhook-signature` (base64),
Shopify's `X-Shopify-Hmac-Sha256` (base64), LINE's `X-Line-Signature` (base64) and Twilio's
`X-Twilio-Signature` (over the URL).

## Why it matters
webhook's HMAC matches compare a lower-case hex HMAC of the raw body. These senders sign
something else or encode it differently, so the match never succeeds: every delivery gets a
500, or the check is dropped in frustration.

## Example
```json
{\"match\": {\"type\": \"payload-hmac-sha256\", \"secret\": \"...\",
  \"parameter\": {\"source\": \"header\", \"name\": \"X-Slack-Signature\"}}}
```

## How to fix
Use the check the sender supports that webhook can do (Slack and Mattermost: the
verification token in the payload), or verify the signature in the command itself.
`hookctl sign` computes these schemes for testing.
";

/// Header name (lower case) and what is wrong with it.
const SCHEMES: &[(&str, &str)] = &[
    (
        "x-slack-signature",
        "Slack signs `v0:<timestamp>:<body>`, not the body alone",
    ),
    (
        "stripe-signature",
        "Stripe sends `t=<time>,v1=<hmac>` over `<time>.<body>`",
    ),
    (
        "webhook-signature",
        "Standard Webhooks send a base64 HMAC over `<id>.<time>.<body>`",
    ),
    (
        "x-shopify-hmac-sha256",
        "Shopify sends the HMAC base64-encoded, not hex",
    ),
    (
        "x-line-signature",
        "LINE sends the HMAC base64-encoded, not hex",
    ),
    (
        "x-twilio-signature",
        "Twilio signs the URL and form fields, base64-encoded",
    ),
];

fn run(cx: &Context, out: &mut Vec<Diagnostic>) {
    for site in matches(&cx.file.hooks) {
        let m = site.m;
        if !matches!(m.kind, MatchKind::Hmac { .. } | MatchKind::Value) {
            continue;
        }
        let Some(p) = m
            .parameter
            .as_ref()
            .filter(|p| p.source() == Some(Source::Header))
        else {
            continue;
        };
        let name = p.name().to_ascii_lowercase();
        let Some((_, why)) = SCHEMES.iter().find(|(h, _)| *h == name) else {
            continue;
        };
        let msg = format!("webhook cannot verify `{}`: {why}", p.name());
        let span = p.name.as_ref().map_or(p.span, |n| n.span);
        out.push(
            Diagnostic::new(RULE.check, span, &m.pointer, msg)
                .with_help("check the sender's token instead, or verify in the command"),
        );
    }
}
