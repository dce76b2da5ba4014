//! `ip-whitelist-too-wide`: address ranges that admit far more than the sender.

use ipnet::IpNet;

use crate::config::model::{Field, MatchKind};
use crate::config::positions::Span;
use crate::diagnostic::{Check, Diagnostic, Severity};
use crate::lint::rules::unauthenticated_hook::needs_signature_or_token;
use crate::lint::walk::matches;
use crate::lint::{Context, LintRule};

pub const RULE: LintRule = LintRule {
    check: Check {
        code: "HK305",
        name: "ip-whitelist-too-wide",
        severity: Severity::Warning,
        summary: "an `ip-range` so wide, or so local, that it admits more than the sender",
    },
    docs: DOCS,
    run,
};

const DOCS: &str = "\
## What it flags
`ip-whitelist` ranges that a hook relies on (it checks no signature and no token) and that
admit far more than the sender: a prefix shorter than /8 for IPv4 or /32 for IPv6, any
loopback address, and private or link-local blocks wider than a /24 (IPv4) or /64 (IPv6).
A single private address or a small private subnet is left alone, since a sender on the
local network (a self-hosted Gitea or GitLab) has one.

## Why it matters
webhook checks the TCP peer address only; it never reads `X-Forwarded-For`. A range like
`0.0.0.0/1` admits half the internet. Behind a reverse proxy or a tunnel every request
arrives from the proxy's loopback or private address, so `127.0.0.1` or `10.0.0.0/8` admits
every request that reaches the proxy, from anywhere.

## Example
```json
{\"match\": {\"type\": \"ip-whitelist\", \"ip-range\": \"127.0.0.1 10.0.0.0/8\"}}
```

## How to fix
List the sender's published ranges (GitHub's are in its `/meta` API) and run webhook where
it sees the real peer address, or combine the range with a signature check in an `and`.
";

fn run(cx: &Context, out: &mut Vec<Diagnostic>) {
    let text = cx.file.text.as_str();
    for site in matches(&cx.file.hooks) {
        let m = site.m;
        let Some(field) = m
            .ip_range
            .as_ref()
            .filter(|_| m.kind == MatchKind::IpWhitelist)
        else {
            continue;
        };
        // With a signature or token required on every path, the range is extra caution.
        let guarded = site
            .hook
            .trigger_rule
            .as_ref()
            .is_some_and(needs_signature_or_token);
        if guarded {
            continue;
        }
        for (offset, token) in entries(&field.value) {
            let cidr = if token.contains('/') {
                token.to_string()
            } else {
                format!("{token}/32")
            };
            let Ok(net) = cidr.parse::<IpNet>() else {
                continue;
            };
            let Some(why) = problem(&net) else { continue };
            let msg = format!("`{token}` {why}");
            let span = entry_span(text, field, offset, token.len());
            out.push(
                Diagnostic::new(RULE.check, span, &field.pointer, msg)
                    .with_help("list the sender's own ranges, and also require its signature"),
            );
        }
    }
}

/// The whitespace-separated entries of a range, with their byte offsets.
fn entries(range: &str) -> impl Iterator<Item = (usize, &str)> {
    range
        .split_whitespace()
        .map(move |t| (t.as_ptr() as usize - range.as_ptr() as usize, t))
}

/// The span of one entry, when the value is written without escapes (so that offsets in
/// the value are offsets in the file); otherwise the whole value's span.
fn entry_span(text: &str, field: &Field<String>, offset: usize, len: usize) -> Span {
    let raw = text
        .get(field.span.start..field.span.end)
        .unwrap_or_default();
    match raw.find(field.value.as_str()) {
        Some(at) if !field.value.is_empty() => {
            let start = field.span.start + at + offset;
            Span::new(start, start + len)
        }
        _ => field.span,
    }
}

fn problem(net: &IpNet) -> Option<&'static str> {
    let (loopback, local_block) = match net {
        IpNet::V4(n) => {
            let a = n.addr();
            let private = a.is_private() || a.is_link_local();
            (a.is_loopback(), private && n.prefix_len() < 24)
        }
        IpNet::V6(n) => {
            let a = n.addr();
            let unique_local = (a.segments()[0] & 0xfe00) == 0xfc00;
            let link_local = (a.segments()[0] & 0xffc0) == 0xfe80;
            let private = unique_local || link_local;
            (a.is_loopback(), private && n.prefix_len() < 64)
        }
    };
    if loopback {
        return Some(
            "is the loopback address: behind a reverse proxy or tunnel on this host every \
             request comes from it",
        );
    }
    if local_block {
        return Some(
            "is a wide private range: behind a reverse proxy, a tunnel or a container network \
             every request comes from such an address",
        );
    }
    let too_wide = match net {
        IpNet::V4(n) => n.prefix_len() < 8,
        IpNet::V6(n) => n.prefix_len() < 32,
    };
    too_wide.then_some("admits a large part of the internet")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::messages;

    fn hook(rule: &str) -> String {
        format!("- id: h\n  execute-command: /bin/true\n  trigger-rule: {rule}\n")
    }

    fn ip(range: &str) -> String {
        format!("{{match: {{type: ip-whitelist, ip-range: '{range}'}}}}")
    }

    #[test]
    fn loopback_wide_and_wide_private_ranges_are_flagged() {
        let text = hook(&ip("127.0.0.1 10.0.0.0/8 0.0.0.0/1 fd00::/8 ::1"));
        assert_eq!(
            messages(&RULE, &text).len(),
            5,
            "{:?}",
            messages(&RULE, &text)
        );
    }

    #[test]
    fn a_lan_sender_and_public_ranges_pass() {
        let text = hook(&ip(
            "192.168.1.20 10.1.2.0/28 140.82.112.0/20 2606:50c0::/32",
        ));
        assert!(messages(&RULE, &text).is_empty());
    }

    #[test]
    fn a_range_next_to_a_required_signature_is_not_relied_on() {
        let sig = "{match: {type: payload-hmac-sha256, secret: s, \
                   parameter: {source: header, name: X-Hub-Signature-256}}}";
        let text = hook(&format!("{{and: [{}, {sig}]}}", ip("127.0.0.1")));
        assert!(messages(&RULE, &text).is_empty());
        let text = hook(&format!("{{or: [{}, {sig}]}}", ip("127.0.0.1")));
        assert_eq!(messages(&RULE, &text).len(), 1);
    }
}
