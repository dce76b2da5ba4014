//! Committed shell completions and the help text they are generated from.
//!
//! The scripts in `completions/` are generated from the clap definition. These tests
//! regenerate them in-process and fail when the committed copy is stale; with
//! `UPDATE_GENERATED=1` they rewrite the files instead.

use clap::CommandFactory;
use clap_complete::{Generator, Shell};
use hookctl::cli::{write_completions, Cli};

use crate::support::{hookctl, root, run};

const SHELLS: [Shell; 5] = [
    Shell::Bash,
    Shell::Elvish,
    Shell::Fish,
    Shell::PowerShell,
    Shell::Zsh,
];

#[test]
fn committed_completions_match_the_cli() {
    let update = std::env::var_os("UPDATE_GENERATED").is_some();
    let mut stale = Vec::new();
    for shell in SHELLS {
        let file = format!("completions/{}", shell.file_name("hookctl"));
        let mut fresh = Vec::new();
        write_completions(shell, &mut fresh);
        let fresh = String::from_utf8(fresh).expect("completion scripts are UTF-8");

        let path = root().join(&file);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed == fresh {
            continue;
        }
        if update {
            std::fs::write(&path, &fresh).unwrap_or_else(|e| panic!("writing {file}: {e}"));
        } else {
            stale.push(format!("run: hookctl completions {shell} > {file}"));
        }
    }
    assert!(
        stale.is_empty(),
        "the committed completions are out of date:\n{}\n(or run the tests with \
         UPDATE_GENERATED=1)",
        stale.join("\n")
    );
}

#[test]
fn completions_subcommand_prints_the_committed_script() {
    let out = run(hookctl().args(["completions", "bash"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let committed = std::fs::read_to_string(root().join("completions/hookctl.bash")).unwrap();
    assert!(
        out.stdout == committed,
        "run: hookctl completions bash > completions/hookctl.bash"
    );
}

#[test]
fn every_subcommand_help_ends_with_examples() {
    let paths = subcommand_paths(&Cli::command(), &[]);
    assert!(!paths.is_empty(), "hookctl has no subcommands");

    let mut missing = Vec::new();
    for path in paths {
        for flag in ["-h", "--help"] {
            let help = render_help(&path, flag);
            if let Err(why) = check_examples_last(&help) {
                missing.push(format!("hookctl {} {flag}: {why}", path.join(" ")));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "every subcommand's help must end with an `Examples:` section:\n{}",
        missing.join("\n")
    );
}

/// The name path of every subcommand, nested ones included, except clap's `help`.
fn subcommand_paths(cmd: &clap::Command, parent: &[String]) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let mut path = parent.to_vec();
        path.push(sub.get_name().to_string());
        paths.extend(subcommand_paths(sub, &path));
        paths.push(path);
    }
    paths
}

/// The help text exactly as `hookctl <path> <flag>` prints it.
fn render_help(path: &[String], flag: &str) -> String {
    let args = std::iter::once("hookctl")
        .chain(path.iter().map(String::as_str))
        .chain([flag]);
    let err = Cli::command()
        .try_get_matches_from(args)
        .expect_err("asking for help stops parsing");
    assert_eq!(err.kind(), clap::error::ErrorKind::DisplayHelp);
    err.render().to_string()
}

/// Checks that the last section of `help` is `Examples:` with at least one `hookctl` line.
fn check_examples_last(help: &str) -> Result<(), String> {
    let lines: Vec<&str> = help.lines().collect();
    let Some(start) = lines.iter().rposition(|l| l.trim_end() == "Examples:") else {
        return Err("no `Examples:` heading".into());
    };
    let body = &lines[start + 1..];
    if let Some(line) = body.iter().find(|l| !l.is_empty() && !l.starts_with(' ')) {
        return Err(format!("`{line}` comes after the examples"));
    }
    if !body.iter().any(|l| l.trim_start().starts_with("hookctl ")) {
        return Err("the section has no `hookctl ...` example".into());
    }
    Ok(())
}
