//! `multipart-signature`: a signature check on a hook that reads multipart bodies.

use crate::config::model::MatchKind;
use crate::diagnostic::{Check, Diagnostic, Severity};
use crate::lint::walk::matches;
use crate::lint::{Context, LintRule};

pub const RULE: LintRule = LintRule {
    check: Check {
        code: "HK311",
        name: "multipart-signature",
        severity: Severity::Error,
        summary: "an HMAC check on a hook whose bodies are parsed as multipart",
    },
    docs: DOCS,
    run,
};

const DOCS: &str = "\
## What it flags
A hook with `incoming-payload-content-type` set to `multipart/form-data; ...` and a
`payload-hmac-*` match.

## Why it matters
webhook does not keep the body of multipart requests, so it computes the HMAC over zero
bytes. A sender that signs the real body never matches; only the HMAC of the empty string
does, which anyone can compute without knowing much.

## Example
```json
{\"incoming-payload-content-type\": \"multipart/form-data; boundary=X\",
 \"trigger-rule\": {\"match\": {\"type\": \"payload-hmac-sha256\", \"secret\": \"...\",
   \"parameter\": {\"source\": \"header\", \"name\": \"X-Signature\"}}}}
```

## How to fix
Have the sender post JSON or form-encoded bodies, or authenticate with a token.
";

fn run(cx: &Context, out: &mut Vec<Diagnostic>) {
    for site in matches(&cx.file.hooks) {
        let multipart = site
            .hook
            .incoming_payload_content_type()
            .starts_with("multipart/form-data;");
        if !multipart || !matches!(site.m.kind, MatchKind::Hmac { .. }) {
            continue;
        }
        let m = site.m;
        let span = m.type_.as_ref().map_or(m.span, |t| t.span);
        let msg = "webhook signs multipart requests as an empty body, so this HMAC is checked \
                   over zero bytes";
        out.push(
            Diagnostic::new(RULE.check, span, &m.pointer, msg)
                .with_help("use JSON or form bodies, or a token check"),
        );
    }
}
