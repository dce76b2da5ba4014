//! `token-in-query`: a secret compared from the URL's query string.

use crate::config::model::{MatchKind, Source};
use crate::diagnostic::{Check, Diagnostic, Severity};
use crate::lint::token::is_token_match;
use crate::lint::walk::matches;
use crate::lint::{Context, LintRule};

pub const RULE: LintRule = LintRule {
    check: Check {
        code: "HK304",
        name: "token-in-query",
        severity: Severity::Warning,
        summary: "a token or signature read from the query string, where URLs get logged",
    },
    docs: DOCS,
    run,
};

const DOCS: &str = "\
## What it flags
A token match or a signature match whose parameter comes from the query string (`url` or
`query` source).

## Why it matters
URLs, query string included, are written to access logs of webhook's reverse proxy, of
tunnels and of the sender, and shown in delivery dashboards. A token there leaks to everyone
who can read those logs; it also never expires per request, unlike a body signature.

## Example
```json
{\"match\": {\"type\": \"value\", \"value\": \"...\",
  \"parameter\": {\"source\": \"url\", \"name\": \"token\"}}}
```

## How to fix
Have the sender put the token in a header (`X-Gitlab-Token`, `Authorization`) or sign the
body, and match on that header. Senders that can do neither (Docker Hub) leave only the
URL: use a long random token there, and allow this rule for that hook with
`\"x-hookctl-allow\": [\"token-in-query\"]`.
";

fn run(cx: &Context, out: &mut Vec<Diagnostic>) {
    for site in matches(&cx.file.hooks) {
        let m = site.m;
        let Some(p) = m
            .parameter
            .as_ref()
            .filter(|p| p.source() == Some(Source::Query))
        else {
            continue;
        };
        let secret = is_token_match(m) || matches!(m.kind, MatchKind::Hmac { .. });
        if !secret {
            continue;
        }
        let msg = format!(
            "`{}` is read from the query string, which ends up in access logs",
            p.name()
        );
        let span = p.name.as_ref().map_or(p.span, |n| n.span);
        out.push(
            Diagnostic::new(RULE.check, span, &m.pointer, msg)
                .with_help("send the token in a header and match on the header"),
        );
    }
}
