//! `hookctl completions`: shell completion scripts generated from the CLI definition.

use std::io::Write;

use anyhow::Result;
use clap::CommandFactory;
use clap_complete::Shell;

use super::{Cli, Exit};

/// Print a shell completion script
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES, after_long_help = EXAMPLES)]
pub struct Args {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: Shell,
}

const EXAMPLES: &str = "\
Examples:
  hookctl completions bash > ~/.local/share/bash-completion/completions/hookctl
  hookctl completions zsh > \"${fpath[1]}/_hookctl\"
  hookctl completions fish > ~/.config/fish/completions/hookctl.fish";

pub fn run(args: Args, out: &mut dyn Write) -> Result<Exit> {
    write_completions(args.shell, out);
    Ok(Exit::Success)
}

/// Writes the completion script for `shell`; shared with the drift test.
pub fn write_completions(shell: Shell, out: &mut dyn Write) {
    clap_complete::generate(shell, &mut Cli::command(), "hookctl", out);
}
