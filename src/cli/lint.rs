//! `hookctl lint`: validate's checks plus the named best-practice rules.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::ValueEnum;

use super::render::{render, FileReport, Format, Totals};
use super::template_args::HookLoader;
use super::validate::duplicate_ids_across_files;
use super::Exit;
use crate::diagnostic::Check;
use crate::lint::config::{self, Level, Policy, Project};
use crate::lint::{lint, registry, FileChecks, Options, Target};

/// Check hook files for insecure, dead and non-portable hooks
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES, after_long_help = EXAMPLES)]
pub struct Args {
    /// Hook files to lint (JSON or YAML; `-` reads standard input)
    #[arg(value_name = "FILE", required_unless_present_any = ["list_rules", "explain"])]
    pub files: Vec<String>,

    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,

    /// Report this rule (code or name) as an error; repeatable
    #[arg(long, value_name = "RULE")]
    pub deny: Vec<String>,

    /// Report this rule as a warning; repeatable
    #[arg(long, value_name = "RULE")]
    pub warn: Vec<String>,

    /// Do not report this rule; repeatable
    #[arg(long, value_name = "RULE")]
    pub allow: Vec<String>,

    /// The webhook release the files are written for
    #[arg(long, value_enum)]
    pub target: Option<Target>,

    /// Check that commands and working directories exist here (default: only when
    /// their parent directory exists on this machine); see --no-check-files
    #[arg(long, overrides_with = "no_check_files")]
    pub check_files: bool,

    /// Never look at the files hooks name
    #[arg(long)]
    pub no_check_files: bool,

    /// Use this project file instead of looking for .hookctl.toml
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Ignore any .hookctl.toml
    #[arg(long)]
    pub no_config: bool,

    /// Ignore `x-hookctl-allow` keys and `[[lint.ignore]]` entries (for audits)
    #[arg(long)]
    pub no_suppressions: bool,

    /// Exit with status 1 when there are warnings, not only errors
    #[arg(long)]
    pub deny_warnings: bool,

    /// Print the catalog of rules and exit
    #[arg(long, value_enum, value_name = "FORMAT", num_args = 0..=1, default_missing_value = "text")]
    pub list_rules: Option<CatalogFormat>,

    /// Print the documentation of one rule (code or name) and exit
    #[arg(long, value_name = "RULE")]
    pub explain: Option<String>,

    #[command(flatten)]
    pub template: super::template_args::TemplateArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CatalogFormat {
    Text,
    Json,
    Markdown,
}

const EXAMPLES: &str = "\
Exit status: 0 nothing at error severity, 1 errors or denied findings (or warnings with
--deny-warnings), 2 could not run.

Examples:
  hookctl lint hooks.json
  hookctl lint --deny weak-signature-algorithm --allow HK409 hooks/*.json
  hookctl lint --format sarif hooks.json > hookctl.sarif   # GitHub code scanning
  hookctl lint --explain unauthenticated-hook";

pub fn run(args: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<Exit> {
    if let Some(format) = args.list_rules {
        write_catalog(format, out)?;
        return Ok(Exit::Success);
    }
    if let Some(name) = &args.explain {
        return explain(name, out, err);
    }
    let mut policy = match cli_policy(&args) {
        Ok(policy) => policy,
        Err(e) => {
            writeln!(err, "hookctl: {e}")?;
            return Ok(Exit::Error);
        }
    };
    let mut projects: HashMap<PathBuf, Project> = HashMap::new();
    let target = args.target.unwrap_or(Target::Webhook280);
    let loader = match HookLoader::new(&args.template, target) {
        Ok(loader) => loader,
        Err(e) => {
            writeln!(err, "hookctl: {e:#}")?;
            return Ok(Exit::Error);
        }
    };
    let mut reports = Vec::with_capacity(args.files.len());
    // A file that cannot be read is reported and the others are still checked.
    let mut unreadable = false;
    for path in &args.files {
        let loaded = match loader.load(path) {
            Ok(loaded) => loaded,
            Err(e) => {
                writeln!(err, "hookctl: {e}")?;
                unreadable = true;
                continue;
            }
        };
        match project_for(&args, path, &mut projects) {
            Ok(project) => policy.project = project,
            Err(e) => {
                writeln!(err, "hookctl: {e}")?;
                return Ok(Exit::Error);
            }
        }
        let options = options(&args, &policy.project);
        let mut diagnostics = loaded.diagnostics;
        diagnostics.extend(lint(&loaded.file, &options));
        if args.template.template {
            crate::template::tidy(&mut diagnostics);
        }
        let diagnostics = policy.apply(&loaded.file, diagnostics);
        reports.push(FileReport {
            file: loaded.file,
            diagnostics,
        });
    }
    duplicate_ids_across_files(&mut reports);
    reports.iter_mut().for_each(FileReport::sort);
    if !(unreadable && reports.is_empty()) {
        render(args.format, &reports, out)?;
    }
    let totals = Totals::of(&reports);
    let failed = totals.errors > 0 || (args.deny_warnings && totals.warnings > 0);
    Ok(match (unreadable, failed) {
        (true, _) => Exit::Error,
        (false, true) => Exit::Failure,
        (false, false) => Exit::Success,
    })
}

fn cli_policy(args: &Args) -> Result<Policy, config::ConfigError> {
    let mut levels = Vec::new();
    for (names, level, flag) in [
        (&args.deny, Level::Deny, "--deny"),
        (&args.warn, Level::Warn, "--warn"),
        (&args.allow, Level::Allow, "--allow"),
    ] {
        for name in names {
            levels.push((config::resolve(name, flag)?, level));
        }
    }
    Ok(Policy {
        levels,
        project: Project::default(),
        suppressions: !args.no_suppressions,
    })
}

fn project_for(
    args: &Args,
    hook_file: &str,
    cache: &mut HashMap<PathBuf, Project>,
) -> Result<Project, config::ConfigError> {
    if args.no_config {
        return Ok(Project::default());
    }
    let found = match &args.config {
        Some(path) => Some(path.clone()),
        None => config::find_project_file(Path::new(hook_file)),
    };
    let Some(path) = found else {
        return Ok(Project::default());
    };
    if let Some(project) = cache.get(&path) {
        return Ok(project.clone());
    }
    let project = config::read_project(&path)?;
    cache.insert(path, project.clone());
    Ok(project)
}

fn options(args: &Args, project: &Project) -> Options {
    let from_project = project
        .target
        .as_deref()
        .and_then(|t| Target::from_str(t, false).ok());
    let file_checks = match (args.check_files, args.no_check_files) {
        (true, _) => FileChecks::Always,
        (_, true) => FileChecks::Never,
        _ => FileChecks::Auto,
    };
    Options {
        target: args.target.or(from_project).unwrap_or(Target::Webhook280),
        file_checks,
        templated: args.template.template,
    }
}

fn explain(name: &str, out: &mut dyn Write, err: &mut dyn Write) -> Result<Exit> {
    let check = match config::resolve(name, "--explain") {
        Ok(check) => check,
        Err(e) => {
            writeln!(err, "hookctl: {e}")?;
            return Ok(Exit::Error);
        }
    };
    writeln!(out, "{}", documentation(&check))?;
    Ok(Exit::Success)
}

/// The user documentation of any check, as Markdown.
pub fn documentation(check: &Check) -> String {
    let head = format!(
        "# {} {}\n\nDefault severity: {}.\n\n",
        check.code,
        check.name,
        check.severity.as_str()
    );
    match registry::find_rule(check.code) {
        Some(rule) => format!("{head}{}", rule.docs),
        None => format!(
            "{head}## What it flags\n{}.\n\nThis check is part of `hookctl validate` too: each \
             finding explains what webhook does and has a `help:` line with the fix.\n",
            capitalised(check.summary)
        ),
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

fn write_catalog(format: CatalogFormat, out: &mut dyn Write) -> Result<()> {
    let catalog = registry::catalog();
    match format {
        CatalogFormat::Text => {
            for c in &catalog {
                writeln!(
                    out,
                    "{:<6} {:<34} {:<8} {}",
                    c.code,
                    c.name,
                    c.severity.as_str(),
                    c.summary
                )?;
            }
        }
        CatalogFormat::Json => {
            let list: Vec<_> = catalog
                .iter()
                .map(|c| {
                    serde_json::json!({
                        "code": c.code, "name": c.name, "severity": c.severity,
                        "summary": c.summary, "lint_only": registry::find_rule(c.code).is_some(),
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &list)?;
            writeln!(out)?;
        }
        CatalogFormat::Markdown => out.write_all(markdown_catalog().as_bytes())?,
    }
    Ok(())
}

/// `docs/rules.md`: the whole catalog with every rule's documentation.
pub fn markdown_catalog() -> String {
    let catalog = registry::catalog();
    let mut s = String::from(
        "# hookctl rules\n\nGenerated by `hookctl lint --list-rules markdown`; do not edit.\n\n\
         | code | name | severity | what it flags |\n|---|---|---|---|\n",
    );
    for c in &catalog {
        s += &format!(
            "| {} | [`{}`](#{}) | {} | {} |\n",
            c.code,
            c.name,
            c.name,
            c.severity.as_str(),
            c.summary
        );
    }
    for c in &catalog {
        let doc = documentation(c).replacen(&format!("# {} {}", c.code, c.name), "", 1);
        let doc = doc.replace("\n## ", "\n### ");
        s += &format!("\n## {}\n\n`{}`{}", c.name, c.code, doc.trim_end());
        s.push('\n');
    }
    s
}
