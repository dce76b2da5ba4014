//! `secret-in-plain-text`: a signature secret or token written into the hook file.

use crate::config::validate::{is_example_secret, placeholder_variable};
use crate::diagnostic::{Check, Diagnostic, Severity};
use crate::lint::token::is_token_match;
use crate::lint::walk::matches;
use crate::lint::{Context, LintRule};

pub const RULE: LintRule = LintRule {
    check: Check {
        code: "HK303",
        name: "secret-in-plain-text",
        severity: Severity::Warning,
        summary: "a secret or token written in the hook file instead of read at start-up",
    },
    docs: DOCS,
    run,
};

const DOCS: &str = "\
## What it flags
A `secret`, or the expected value of a token match (a `value` match on a parameter named
like `token`, `secret`, `key` or `Authorization`), written literally in the hook file.
Values that are Go template actions (`{{ getenv ... }}`) are read at start-up and are not
flagged.

## Why it matters
Hook files end up in repositories, backups, support tickets and CI logs. Whoever reads the
file can sign requests and fire every hook that trusts that secret.

## Example
```json
{\"match\": {\"type\": \"payload-hmac-sha256\", \"secret\": \"q7Hc2Lm9Xw4Rt8Vb1Nz6\",
  \"parameter\": {\"source\": \"header\", \"name\": \"X-Hub-Signature-256\"}}}
```

## How to fix
Start webhook with `-template` and read the secret at start-up. In a JSON file, quote the
variable name with backticks, so the file stays valid JSON before rendering:
`\"secret\": \"{{ getenv `GITHUB_SECRET` | js }}\"`. On webhook's master branch `cat` and
`credential` (systemd credentials) are available too.
";

fn run(cx: &Context, out: &mut Vec<Diagnostic>) {
    if cx.options.templated {
        return;
    }
    for site in matches(&cx.file.hooks) {
        let m = site.m;
        let field = match (&m.secret, &m.value) {
            (Some(s), _) => Some((s.value.expose(), s.span, s.pointer.as_str(), "secret")),
            (None, Some(v)) if is_token_match(m) => {
                Some((v.value.as_str(), v.span, v.pointer.as_str(), "token"))
            }
            _ => None,
        };
        let Some((value, span, pointer, what)) = field else {
            continue;
        };
        // Placeholders and example values have checks of their own.
        if value.is_empty()
            || placeholder_variable(value).is_some()
            || is_example_secret(value)
            || is_template_action(value)
        {
            continue;
        }
        let msg = format!("this {what} is written in the hook file in plain text");
        out.push(
            Diagnostic::new(RULE.check, span, pointer, msg)
                .with_help("render the file with -template and read it with `getenv`"),
        );
    }
}

/// `{{ getenv `X` | js }}`: a value webhook's `-template` fills in at start-up.
fn is_template_action(value: &str) -> bool {
    value
        .find("{{")
        .is_some_and(|start| value[start..].contains("}}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::check;

    #[test]
    fn a_secret_read_by_the_template_is_not_plain_text() {
        let text = r#"[{"id": "gh", "execute-command": "/bin/true", "trigger-rule": {"match": {
            "type": "payload-hmac-sha256", "secret": "{{ getenv `GITHUB_SECRET` | js }}",
            "parameter": {"source": "header", "name": "X-Hub-Signature-256"}}}}]"#;
        assert!(check(&RULE, text).is_empty());
    }

    #[test]
    fn a_value_match_on_an_author_is_no_token() {
        let text = r#"[{"id": "gh", "execute-command": "/bin/true", "trigger-rule": {"match": {
            "type": "value", "value": "release-bot",
            "parameter": {"source": "payload", "name": "head_commit.author.name"}}}}]"#;
        assert!(check(&RULE, text).is_empty());
    }
}
