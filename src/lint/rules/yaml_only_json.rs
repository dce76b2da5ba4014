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
        summary: "a `.json` file with comments or trailing commas, which only YAML accepts",
    },
    docs: DOCS,
    run,
};

const DOCS: &str = "\
## What it flags
A file named `*.json` that is not valid JSON but loads because webhook reads every hook
file with a YAML parser: `#` comments, trailing commas, `key: value` pairs inside lists.

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
    let looks_json = file.text.trim_start().starts_with(['[', '{']);
    if !file.path.ends_with(".json")
        || file.reader != Reader::Yaml
        || !looks_json
        || file.hooks.is_empty()
    {
        return;
    }
    let msg = "this `.json` file is not valid JSON; it loads only because webhook reads JSON \
               with a YAML parser";
    out.push(
        Diagnostic::new(RULE.check, Span::at(0), "", msg)
            .with_help("remove comments and trailing commas, or rename the file to .yaml"),
    );
}
