//! `unsafe-environment-name`: environment names that override the system's or that a
//! shell cannot read.

use crate::config::model::Parameter;
use crate::diagnostic::{Check, Diagnostic, Severity};
use crate::lint::{Context, LintRule};

pub const RULE: LintRule = LintRule {
    check: Check {
        code: "HK407",
        name: "unsafe-environment-name",
        severity: Severity::Warning,
        summary: "an environment name that overrides PATH/HOME/LD_* or is not shell-safe",
    },
    docs: DOCS,
    run,
};

const DOCS: &str = "\
## What it flags
Variables from `pass-environment-to-command` and `pass-file-to-command` whose name is
`PATH`, `HOME`, `SHELL`, `USER`, `IFS`, `ENV`, `BASH_ENV` or starts with `LD_` or
`DYLD_`, and names
a shell cannot use as `$NAME`. Without `envname`, webhook names a variable `HOOK_` plus the
parameter name verbatim, so `head_commit.id` becomes `HOOK_head_commit.id`.

## Why it matters
The sender controls the value. Overriding `PATH` or `LD_PRELOAD` with request data lets it
choose which programs and libraries the command loads. A name with dots or dashes cannot be
read as `$HOOK_head_commit.id` in a shell script, so the script silently sees nothing.

## Example
```json
{\"pass-environment-to-command\": [{\"source\": \"payload\", \"name\": \"head_commit.id\"}]}
```

## How to fix
Give every variable an `envname` made of letters, digits and underscores that names no
system variable: `\"envname\": \"COMMIT_ID\"`.
";

const PROTECTED: [&str; 7] = ["PATH", "HOME", "SHELL", "IFS", "ENV", "BASH_ENV", "USER"];

fn run(cx: &Context, out: &mut Vec<Diagnostic>) {
    for hook in &cx.file.hooks {
        for p in &hook.pass_environment_to_command {
            check(p, format!("HOOK_{}", p.name()), out);
        }
        for p in &hook.pass_file_to_command {
            check(p, format!("HOOK_{}", p.name().to_uppercase()), out);
        }
    }
}

fn check(p: &Parameter, fallback: String, out: &mut Vec<Diagnostic>) {
    let name = if p.envname().is_empty() {
        fallback
    } else {
        p.envname().to_string()
    };
    let span = p
        .envname
        .as_ref()
        .or(p.name.as_ref())
        .map_or(p.span, |f| f.span);
    // Environment names are case-sensitive: `home` does not replace `HOME`.
    let (msg, help) = if PROTECTED.contains(&name.as_str())
        || name.starts_with("LD_")
        || name.starts_with("DYLD_")
    {
        (
            format!("`{name}` overrides a system variable with request data"),
            "choose an `envname` that names no system variable, such as CLONE_URL",
        )
    } else if !is_shell_name(&name) {
        (
            format!("the variable is named `{name}`, which a shell cannot read as `${name}`"),
            "set an `envname` of letters, digits and underscores, such as COMMIT_ID",
        )
    } else {
        return;
    };
    out.push(Diagnostic::new(RULE.check, span, &p.pointer, msg).with_help(help));
}

fn is_shell_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::messages;

    #[test]
    fn system_names_are_matched_case_sensitively() {
        let text = r#"
- id: env
  execute-command: /bin/true
  pass-environment-to-command:
    - {source: payload, name: home, envname: home}
    - {source: payload, name: path}
    - {source: payload, name: x, envname: PATH}
    - {source: payload, name: y, envname: LD_PRELOAD}
"#;
        let msgs = messages(&RULE, text);
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(msgs[0].contains("`PATH`"), "{}", msgs[0]);
    }

    #[test]
    fn file_variables_are_named_in_upper_case() {
        let text = r#"
- id: files
  execute-command: /bin/true
  pass-file-to-command:
    - {source: payload, name: data}
    - {source: payload, name: head_commit.id}
"#;
        let msgs = messages(&RULE, text);
        assert_eq!(msgs.len(), 1, "{msgs:?}");
        assert!(msgs[0].contains("`HOOK_HEAD_COMMIT.ID`"), "{}", msgs[0]);
    }
}
