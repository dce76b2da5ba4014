//! The flags that render hook files as webhook's `-template` does, shared by every
//! subcommand that loads hook files.

use std::path::PathBuf;

use anyhow::Result;

use crate::config::load::{load_path, LoadError, Loaded};
use crate::lint::Target;
use crate::template::{load_templated_bytes, Inputs};

/// `--template` and the values it may read.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct TemplateArgs {
    /// Render hook files as Go templates first, as `webhook -template` does
    #[arg(long)]
    pub template: bool,

    /// With --template: an environment variable for `getenv` (repeatable); any --env or
    /// --env-file replaces the real environment, so CI can render with dummy secrets
    #[arg(long = "env", value_name = "KEY=VALUE", requires = "template")]
    pub env: Vec<String>,

    /// With --template: read KEY=VALUE lines for `getenv` from a file (repeatable)
    #[arg(long = "env-file", value_name = "FILE", requires = "template")]
    pub env_files: Vec<PathBuf>,

    /// With --template: the folder `credential` reads ($CREDENTIALS_DIRECTORY)
    #[arg(long, value_name = "DIR", requires = "template")]
    pub credentials_dir: Option<PathBuf>,
}

/// Loads hook files with or without rendering them first.
pub struct HookLoader {
    inputs: Option<Inputs>,
    target: Target,
}

impl HookLoader {
    pub fn new(args: &TemplateArgs, target: Target) -> Result<HookLoader> {
        let inputs = if args.template {
            let dir = args.credentials_dir.as_deref();
            Some(Inputs::from_options(&args.env, &args.env_files, dir)?)
        } else {
            None
        };
        Ok(HookLoader { inputs, target })
    }

    /// Reads and loads `path`; with `--template` the file is rendered first and every
    /// span points back into the template source.
    pub fn load(&self, path: &str) -> Result<Loaded, LoadError> {
        let Some(inputs) = &self.inputs else {
            return load_path(path);
        };
        let bytes = crate::config::load::read(path)?;
        Ok(load_templated_bytes(path, bytes, inputs, self.target).loaded)
    }

    /// Whether webhook refuses the loaded file (template errors included).
    pub fn is_rejected(loaded: &Loaded) -> bool {
        loaded
            .diagnostics
            .iter()
            .any(|d| crate::template::is_load_failure(&d.check))
    }
}
