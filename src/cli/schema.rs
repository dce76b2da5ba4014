//! `hookctl schema`: print the JSON Schema of hook files for editors.

use std::io::Write;

use anyhow::Result;

use super::Exit;

/// The published schema, committed under `schema/` and checked against the model.
pub const SCHEMA: &str = include_str!("../../schema/hooks.schema.json");

/// Print the JSON Schema (draft-07) of webhook hook files
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES, after_long_help = EXAMPLES)]
pub struct Args {}

const EXAMPLES: &str = "\
Examples:
  hookctl schema > hooks.schema.json
  # VS Code (settings.json): \"json.schemas\": [{\"fileMatch\": [\"hooks*.json\"], \"url\": \"./hooks.schema.json\"}]
  # YAML files: add `# yaml-language-server: $schema=./hooks.schema.json` as the first line";

pub fn run(_args: Args, out: &mut dyn Write) -> Result<Exit> {
    out.write_all(SCHEMA.as_bytes())?;
    Ok(Exit::Success)
}
