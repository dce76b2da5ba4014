//! `ip-whitelist-too-wide`: address ranges that admit far more than the sender.

use std::net::IpAddr;

use ipnet::IpNet;

use crate::config::model::MatchKind;
use crate::diagnostic::{Check, Diagnostic, Severity};
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
`ip-whitelist` ranges with a prefix shorter than /8 for IPv4 or /32 for IPv6, and loopback
or private ranges.

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
    for site in matches(&cx.file.hooks) {
        let m = site.m;
        let Some(field) = m
            .ip_range
            .as_ref()
            .filter(|_| m.kind == MatchKind::IpWhitelist)
        else {
            continue;
        };
        for token in field.value.split_whitespace() {
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
            out.push(
                Diagnostic::new(RULE.check, field.span, &field.pointer, msg)
                    .with_help("list the sender's own ranges, and also require its signature"),
            );
        }
    }
}

fn problem(net: &IpNet) -> Option<&'static str> {
    let too_wide = match net {
        IpNet::V4(n) => n.prefix_len() < 8,
        IpNet::V6(n) => n.prefix_len() < 32,
    };
    if too_wide {
        return Some("admits a large part of the internet");
    }
    let local = match net.addr() {
        IpAddr::V4(a) => a.is_loopback() || a.is_private() || a.is_link_local(),
        IpAddr::V6(a) => a.is_loopback() || (a.segments()[0] & 0xfe00) == 0xfc00,
    };
    local.then_some(
        "is a local range: behind a reverse proxy or tunnel every request comes from such an \
         address",
    )
}
