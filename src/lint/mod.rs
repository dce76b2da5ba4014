//! Lint rules: named best-practice checks over loaded hook files.
//!
//! Each rule lives in its own file under `rules/` and exports one [`LintRule`] value:
//! its catalog entry (stable code, kebab-case name, default severity), its user
//! documentation and its check function. `lint` runs validate's checks first, so a lint
//! report always contains everything validate reports.

pub mod config;
pub mod registry;
pub mod rules;
pub mod token;
pub mod walk;

use crate::config::model::HookFile;
use crate::config::validate::validate;
use crate::diagnostic::{Check, Diagnostic};

/// One lint rule: what it is called, what it says to users, and how it checks.
#[derive(Clone, Copy)]
pub struct LintRule {
    pub check: Check,
    /// Markdown with the sections What it flags / Why it matters / Example / How to fix.
    pub docs: &'static str,
    pub run: fn(&Context, &mut Vec<Diagnostic>),
}

/// The webhook release a hook file is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    /// Debian's webhook 2.8.0 (template function `getenv` only)
    #[value(name = "webhook-2.8.0")]
    Webhook280,
    /// webhook 2.8.2 (adds `-socket`; template function `getenv` only)
    #[value(name = "webhook-2.8.2")]
    Webhook282,
    /// webhook's unreleased master (adds template functions `cat` and `credential`)
    #[value(name = "webhook-master")]
    WebhookMaster,
}

impl Target {
    pub fn name(self) -> &'static str {
        match self {
            Target::Webhook280 => "webhook-2.8.0",
            Target::Webhook282 => "webhook-2.8.2",
            Target::WebhookMaster => "webhook-master",
        }
    }

    /// Template functions webhook adds to Go's built-ins in this release.
    pub fn template_functions(self) -> &'static [&'static str] {
        match self {
            Target::Webhook280 | Target::Webhook282 => &["getenv"],
            Target::WebhookMaster => &["getenv", "cat", "credential"],
        }
    }
}

/// Whether rules may look at the files a hook names (its command and directory).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileChecks {
    /// Check a path only when its parent directory exists on this machine, i.e. when
    /// lint runs on a machine laid out like the server.
    Auto,
    Always,
    Never,
}

/// How a lint run is set up.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub target: Target,
    pub file_checks: FileChecks,
    /// The file is rendered as a Go template (webhook's `-template`).
    pub templated: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            target: Target::Webhook280,
            file_checks: FileChecks::Auto,
            templated: false,
        }
    }
}

/// What a rule sees.
pub struct Context<'a> {
    pub file: &'a HookFile,
    pub options: &'a Options,
}

/// Runs validate's checks and every lint rule over one file.
pub fn lint(file: &HookFile, options: &Options) -> Vec<Diagnostic> {
    let mut out = validate(file);
    let cx = Context { file, options };
    for rule in registry::ALL {
        (rule.run)(&cx, &mut out);
    }
    out
}

/// Helpers for the lint rules' unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::{Context, LintRule, Options};
    use crate::config::load::load_text;
    use crate::diagnostic::Diagnostic;

    /// Runs one lint rule over a hook file written inline (YAML or JSON), with the
    /// default options (no file checks are forced).
    pub fn check(rule: &LintRule, text: &str) -> Vec<Diagnostic> {
        let loaded = load_text("hooks.yaml", text.to_string());
        let options = Options::default();
        let cx = Context {
            file: &loaded.file,
            options: &options,
        };
        let mut out = Vec::new();
        (rule.run)(&cx, &mut out);
        out
    }

    /// The messages of [`check`], for short assertions.
    pub fn messages(rule: &LintRule, text: &str) -> Vec<String> {
        check(rule, text).into_iter().map(|d| d.message).collect()
    }
}
