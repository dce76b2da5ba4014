//! `response-not-json`: a `response-message` sent as JSON that is not JSON.

use crate::diagnostic::{Check, Diagnostic, Severity};
use crate::lint::{Context, LintRule};

pub const RULE: LintRule = LintRule {
    check: Check {
        code: "HK411",
        name: "response-not-json",
        severity: Severity::Warning,
        summary: "a `response-message` that is not JSON, sent with a JSON `Content-Type`",
    },
    docs: DOCS,
    run,
};

const DOCS: &str = "\
## What it flags
A hook whose `response-headers` set a JSON `Content-Type` (`application/json`, or any
type containing `json`) while its `response-message` is not valid JSON. Hooks that capture
the command's output are skipped: their body is the output, not the message.

## Why it matters
webhook sends the message as written and the header as configured. A sender that reads
replies (Mattermost and Slack post the reply into the channel) trusts the header, fails to
parse the body, and drops the reply or reports an error.

## Example
```json
{\"response-message\": \"Build queued\",
 \"response-headers\": [{\"name\": \"Content-Type\", \"value\": \"application/json\"}]}
```

## How to fix
Write the message as the JSON the sender expects (`{\\\"text\\\": \\\"Build queued\\\"}` for
Mattermost and Slack), or drop the header and let Go send `text/plain`.
";

fn run(cx: &Context, out: &mut Vec<Diagnostic>) {
    for hook in &cx.file.hooks {
        let Some(header) = hook.response_headers.iter().find(|h| {
            h.name().eq_ignore_ascii_case("content-type")
                && h.value().to_ascii_lowercase().contains("json")
        }) else {
            continue;
        };
        let Some(message) = &hook.response_message else {
            continue;
        };
        let text = message.value.trim();
        if hook.captures_output() || text.is_empty() || is_json(text) {
            continue;
        }
        let msg = format!(
            "this `response-message` is not JSON, but the response says `Content-Type: {}`",
            header.value()
        );
        let span = header.value.as_ref().map_or(header.span, |v| v.span);
        out.push(
            Diagnostic::new(RULE.check, message.span, &message.pointer, msg)
                .with_note(Some(span), "the content type is set here")
                .with_help(
                    "write the message as JSON, such as {\"text\": \"...\"}, or remove the \
                     header",
                ),
        );
    }
}

fn is_json(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::check;

    fn hook(message: &str, capture: bool) -> String {
        format!(
            "- id: mm\n  execute-command: /bin/true\n  response-message: '{message}'\n  \
             include-command-output-in-response: {capture}\n  response-headers:\n    \
             - {{name: content-type, value: application/json; charset=utf-8}}\n"
        )
    }

    #[test]
    fn plain_text_under_a_json_header_is_flagged() {
        assert_eq!(check(&RULE, &hook("Build queued", false)).len(), 1);
    }

    #[test]
    fn json_messages_and_captured_output_pass() {
        assert!(check(&RULE, &hook(r#"{"text": "Build queued"}"#, false)).is_empty());
        assert!(check(&RULE, &hook("Build queued", true)).is_empty());
    }
}
