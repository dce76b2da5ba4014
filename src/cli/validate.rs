//! `hookctl validate`: report everything that keeps hooks from working under webhook.

use std::collections::HashMap;
use std::io::Write;

use anyhow::Result;

use super::render::{render, FileReport, Format, Totals};
use super::template_args::HookLoader;
use super::Exit;
use crate::config::checks;
use crate::config::validate::validate;
use crate::diagnostic::Diagnostic;

/// Check hook files for errors that keep webhook from loading or running them
#[derive(Debug, clap::Args)]
#[command(after_long_help = EXAMPLES, after_help = EXAMPLES)]
pub struct Args {
    /// Hook files to check (JSON or YAML; `-` reads standard input)
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<String>,

    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,

    /// Exit with status 1 when there are warnings, not only errors
    #[arg(long)]
    pub deny_warnings: bool,

    /// With --template: the webhook release whose template functions are available
    #[arg(long, value_enum, default_value = "webhook-2.8.0")]
    pub target: crate::lint::Target,

    #[command(flatten)]
    pub template: super::template_args::TemplateArgs,
}

const EXAMPLES: &str = "\
Exit status: 0 no errors, 1 errors found (or warnings with --deny-warnings), 2 could not run.

Examples:
  hookctl validate hooks.json
  hookctl validate --format json hooks/*.yaml
  hookctl validate --format github --deny-warnings hooks.json   # in GitHub Actions
  cat hooks.yaml | hookctl validate -
  hookctl validate --template --env GITHUB_SECRET=dummy hooks.json.tmpl";

pub fn run(args: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<Exit> {
    let loader = match HookLoader::new(&args.template, args.target) {
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
        match loader.load(path) {
            Ok(loaded) => {
                let mut diagnostics = loaded.diagnostics;
                diagnostics.extend(validate(&loaded.file));
                if args.template.template {
                    crate::template::tidy(&mut diagnostics);
                }
                reports.push(FileReport {
                    file: loaded.file,
                    diagnostics,
                });
            }
            Err(e) => {
                writeln!(err, "hookctl: {e}")?;
                unreadable = true;
            }
        }
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

/// webhook refuses to start when a file repeats an id of a file loaded before it.
pub fn duplicate_ids_across_files(reports: &mut [FileReport]) {
    let mut owners: HashMap<String, (String, crate::config::positions::Span)> = HashMap::new();
    for report in reports.iter_mut() {
        let mut found = Vec::new();
        for id in report.file.hooks.iter().filter_map(|h| h.id.as_ref()) {
            if let Some((path, span)) = owners.get(&id.value) {
                if *path != report.file.path {
                    found.push(duplicate(id, path, *span));
                }
                continue;
            }
            owners.insert(id.value.clone(), (report.file.path.clone(), id.span));
        }
        report.diagnostics.extend(found);
    }
}

fn duplicate(
    id: &crate::config::model::Field<String>,
    path: &str,
    span: crate::config::positions::Span,
) -> Diagnostic {
    let msg = format!("hook id `{}` is already defined in `{path}`", id.value);
    Diagnostic::new(
        checks::DUPLICATE_HOOK_ID_ACROSS_FILES,
        id.span,
        &id.pointer,
        msg,
    )
    .with_note_in(path, span, "first defined here")
    .with_note(
        None,
        "webhook refuses to start when two hook files define the same id",
    )
    .with_help("rename one of the hooks, or load only one of the files")
}
