//! Command-line parsing and one file per subcommand.

mod completions;
mod exit;
mod lint;
mod render;
mod sarif;
mod schema;
mod serve;
mod sign;
mod simulate;
mod template_args;
mod validate;

use std::ffi::OsString;
use std::io::Write;

use clap::{Parser, Subcommand, ValueEnum};

pub use completions::write_completions;
pub use exit::Exit;

/// Prove webhook (adnanh/webhook) hook configurations before they reach production.
#[derive(Debug, Parser)]
#[command(
    name = "hookctl",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// When to use colours: auto (when writing to a terminal and NO_COLOR is unset), always
    /// or never
    #[arg(long, global = true, value_name = "WHEN", default_value = "auto")]
    pub color: ColorWhen,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Validate(validate::Args),
    Lint(lint::Args),
    Simulate(simulate::Args),
    Serve(serve::Args),
    Sign(sign::Args),
    Schema(schema::Args),
    Completions(completions::Args),
}

/// Parses `args` and runs the subcommand; returns the process exit code.
pub fn run(args: Vec<OsString>) -> Exit {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() {
                Exit::Error
            } else {
                Exit::Success
            };
            let _ = err.print();
            return code;
        }
    };
    set_color(cli.color);
    let mut out = anstream::stdout().lock();
    let mut err = anstream::stderr().lock();
    let result = match cli.command {
        Command::Validate(args) => validate::run(args, &mut out, &mut err),
        Command::Lint(args) => lint::run(args, &mut out, &mut err),
        Command::Simulate(args) => simulate::run(args, &mut out, &mut err),
        Command::Serve(args) => serve::run(args, &mut out, &mut err),
        Command::Sign(args) => sign::run(args, &mut std::io::stdout().lock(), &mut err),
        Command::Schema(args) => schema::run(args, &mut out),
        Command::Completions(args) => completions::run(args, &mut out),
    };
    finish(result, &mut err)
}

/// Turns a subcommand's result into an exit code; a closed stdout ends quietly.
fn finish(result: anyhow::Result<Exit>, err: &mut dyn Write) -> Exit {
    match result {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => Exit::Success,
        Err(e) => {
            let _ = writeln!(err, "hookctl: {e:#}");
            Exit::Error
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn set_color(when: ColorWhen) {
    let choice = match when {
        ColorWhen::Auto => anstream::ColorChoice::Auto,
        ColorWhen::Always => anstream::ColorChoice::Always,
        ColorWhen::Never => anstream::ColorChoice::Never,
    };
    choice.write_global();
}
