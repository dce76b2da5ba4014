//! `signature-header-never-sent`: an HMAC check on a header the sender never signs.

use crate::config::model::{MatchKind, Source};
use crate::diagnostic::{Check, Diagnostic, Severity};
use crate::lint::walk::matches;
use crate::lint::{Context, LintRule};

pub const RULE: LintRule = LintRule {
    check: Check {
        code: "HK310",
        name: "signature-header-never-sent",
        severity: Severity::Error,
        summary: "an HMAC check on a header that carries no HMAC (Docker Hub, GitLab's token)",
    },
    docs: DOCS,
    run,
};

const DOCS: &str = "\
## What it flags
A `payload-hmac-*` match on a header that the sender uses for something else or never sends:
`X-Docker-Signature` and `X-Dockerhub-Signature` (Docker Hub does not sign its webhooks),
`X-Gitlab-Token` (GitLab sends the secret token itself, not an HMAC).

## Why it matters
The header is missing or holds no HMAC, so the match never succeeds and the hook never
fires; with a missing header webhook just answers \"Hook rules were not satisfied.\"

## Example
```json
{\"match\": {\"type\": \"payload-hmac-sha256\", \"secret\": \"...\",
  \"parameter\": {\"source\": \"header\", \"name\": \"X-Docker-Signature\"}}}
```

## How to fix
For GitLab use a `value` match on `X-Gitlab-Token`. Docker Hub offers no authentication:
put a long random token in the webhook URL's query string and match it (then allow
`token-in-query` for that hook, since there is no header to move it to).
";

/// Header name (lower case), what is wrong with it, and what to do instead.
const HEADERS: &[(&str, &str, &str)] = &[
    (
        "x-docker-signature",
        "Docker Hub does not sign its webhooks",
        DOCKER_HELP,
    ),
    (
        "x-dockerhub-signature",
        "Docker Hub does not sign its webhooks",
        DOCKER_HELP,
    ),
    (
        "x-gitlab-token",
        "GitLab sends the secret token itself",
        "compare the token with a `value` match",
    ),
    (
        "x-gitlab-signature",
        "GitLab sends no HMAC signature, only `X-Gitlab-Token`",
        "compare `X-Gitlab-Token` with a `value` match",
    ),
];

const DOCKER_HELP: &str =
    "match a long random token in the webhook URL's query string instead (Docker Hub can \
     send nothing else)";

fn run(cx: &Context, out: &mut Vec<Diagnostic>) {
    for site in matches(&cx.file.hooks) {
        let m = site.m;
        let Some(p) = m
            .parameter
            .as_ref()
            .filter(|p| p.source() == Some(Source::Header))
        else {
            continue;
        };
        if !matches!(m.kind, MatchKind::Hmac { .. }) {
            continue;
        }
        let name = p.name().to_ascii_lowercase();
        let Some(&(_, why, help)) = HEADERS.iter().find(|(h, _, _)| *h == name) else {
            continue;
        };
        let msg = format!("`{}` never carries an HMAC signature: {why}", p.name());
        let span = p.name.as_ref().map_or(p.span, |n| n.span);
        out.push(Diagnostic::new(RULE.check, span, &m.pointer, msg).with_help(help));
    }
}
