//! `yaml-only-json`: a `.json` file that only webhook's YAML reader accepts.

use crate::config::parse::Reader;
use crate::config::positions::Span;
use crate::diagnostic::{Check, Diagnostic, Severity};
use crate::lint::{Context, LintRule};

pub const RULE: LintRule = LintRule {
    check: Check {
        code: "HK501",
        name: "yaml-only-json",
        severity: Severity::Warning,
        summary: "a `.json` file with comments, trailing commas or YAML, which only YAML accepts",
    },
    docs: DOCS,
    run,
};

const DOCS: &str = "\
## What it flags
A file named `*.json` that is not valid JSON but loads because webhook reads every hook
file with a YAML parser: `#` comments, trailing commas, `key: value` pairs inside lists,
or block YAML altogether.

## Why it matters
Other tools (editors, `jq`, JSON Schema validators, formatters, a future webhook release
that reads JSON strictly) reject the file or read it differently.

## Example
```json
# deploy hooks
[{\"id\": \"deploy\", \"execute-command\": \"/opt/deploy.sh\",},]
```

## How to fix
Remove comments and trailing commas, or rename the file to `.yaml` and write it as YAML.
";

fn run(cx: &Context, out: &mut Vec<Diagnostic>) {
    let file = cx.file;
    if !file.path.ends_with(".json") || file.reader != Reader::Yaml || file.hooks.is_empty() {
        return;
    }
    let (msg, help) = if starts_like_json(&file.text) {
        (
            "this `.json` file is not valid JSON; it loads only because webhook reads JSON \
             with a YAML parser",
            "remove comments and trailing commas, or rename the file to .yaml",
        )
    } else {
        (
            "this `.json` file holds YAML; it loads only because webhook reads every hook \
             file with a YAML parser",
            "rename the file to .yaml",
        )
    };
    out.push(Diagnostic::new(RULE.check, Span::at(0), "", msg).with_help(help));
}

/// Whether the first thing after blank lines and `#` comment lines opens a JSON list or
/// object.
fn starts_like_json(text: &str) -> bool {
    text.lines()
        .map(str::trim_start)
        .find(|line| !line.is_empty() && !line.starts_with('#'))
        .is_some_and(|line| line.starts_with(['[', '{']))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::load::load_text;
    use crate::lint::Options;

    fn messages(path: &str, text: &str) -> Vec<String> {
        let loaded = load_text(path, text.to_string());
        let options = Options::default();
        let cx = Context {
            file: &loaded.file,
            options: &options,
        };
        let mut out = Vec::new();
        run(&cx, &mut out);
        out.into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn a_leading_comment_line_is_the_documented_example() {
        let text =
            "# deploy hooks\n[{\"id\": \"deploy\", \"execute-command\": \"/opt/deploy.sh\",},]\n";
        let msgs = messages("hooks.json", text);
        assert_eq!(msgs.len(), 1);
        assert!(msgs[0].contains("not valid JSON"), "{}", msgs[0]);
    }

    #[test]
    fn block_yaml_in_a_json_file_is_flagged_and_yaml_files_are_not() {
        let text = "- id: deploy\n  execute-command: /opt/deploy.sh\n";
        assert!(messages("hooks.json", text)[0].contains("holds YAML"));
        assert!(messages("hooks.yaml", text).is_empty());
        let strict = "[{\"id\": \"deploy\", \"execute-command\": \"/opt/deploy.sh\"}]";
        assert!(messages("hooks.json", strict).is_empty());
    }
}
