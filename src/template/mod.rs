//! Templated hook files: webhook's `-template` mode.
//!
//! With `-template`, webhook renders each hook file as a Go `text/template` once, at
//! start-up and at each reload, before parsing it: template name `hooks`, nil data, Go's
//! built-in functions plus `getenv` (and on its unreleased master `cat` and
//! `credential`). This module renders the same way with gotmpl, from explicit
//! [`Inputs`] rather than from whatever environment hookctl happens to run in, and keeps
//! a [`SourceMap`] so that every diagnostic about the rendered hooks points at the line
//! of the template that produced it.
//!
//! It owns the template checks (HK6xx, see [`checks`]): Go's parse-time errors that gotmpl
//! does not make, execution errors with positions, secrets that render empty, inserted
//! values that break the JSON or YAML around them, and reads of per-request data that
//! a template never has. It does not run validate or lint: [`load_templated`] returns a
//! hook file whose spans already point into the template, and callers run the usual
//! checks on it.

pub mod checks;
mod error;
mod execute;
mod gofmt;
mod inputs;
mod load;
mod printf;
mod quoting;
mod remap;
mod scan;
mod secrets;
mod source_map;
mod verify;

use gotmpl::parse::{ListNode, Parser};
use gotmpl::Template;

pub use error::TemplateError;
pub use inputs::{InputError, Inputs, CREDENTIALS_DIRECTORY};
pub use load::{load_templated, load_templated_with, TemplatedLoad};
pub use secrets::empty_secrets;
pub use source_map::{Origin, SourceMap};
pub use verify::GO_BUILTINS;

use crate::config::positions::{LineIndex, Span};
use crate::diagnostic::Diagnostic;
use crate::lint::Target;
use execute::Trees;
use scan::Actions;

/// Bounds on the work one rendering may do. webhook has none; hookctl refuses rather
/// than hang or exhaust memory on a template that loops or reads a huge file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest rendered text, and largest value a pipeline may produce, in bytes.
    pub max_output: usize,
    /// Most nodes (actions, `if`, `range`, `template` calls...) executed.
    pub max_steps: u64,
    /// Largest file `cat` and `credential` read, in bytes.
    pub max_file: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_output: 16 * 1024 * 1024,
            max_steps: 1_000_000,
            max_file: 1024 * 1024,
        }
    }
}

/// What one call of `getenv`, `cat` or `credential` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LookupResult {
    /// A non-empty value.
    Found,
    /// The variable is set but empty, or the file is empty (after its final newline).
    Empty,
    /// The variable is not set.
    Unset,
    /// The file does not exist or cannot be read; webhook inserts `""`.
    Unreadable,
}

/// One call of a webhook function during rendering. Values are never kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    /// `getenv`, `cat` or `credential`.
    pub function: &'static str,
    /// The variable name or path as the template gave it.
    pub argument: String,
    /// The action that made the call, in the template source.
    pub action: Span,
    pub result: LookupResult,
}

/// A rendered template.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The text webhook would parse, after hookctl's `\'` fix-up (see [`Rendered::map`]).
    pub text: String,
    /// From offsets in `text` to offsets in the template source.
    pub map: SourceMap,
    /// Warnings and notes about the template (HK604, HK606), in the template source.
    pub diagnostics: Vec<Diagnostic>,
    /// Every `getenv`, `cat` and `credential` call, in the order they ran.
    pub lookups: Vec<Lookup>,
}

impl Rendered {
    /// The template offset that produced the rendered byte at `rendered`.
    pub fn source_offset(&self, rendered: usize) -> usize {
        self.map.source_offset(rendered)
    }
}

/// Renders `source` as webhook `-template` would for `target`, with default [`Limits`].
pub fn render(source: &str, inputs: &Inputs, target: Target) -> Result<Rendered, TemplateError> {
    render_with(source, inputs, target, &Limits::default())
}

/// [`render`] with explicit limits.
pub fn render_with(
    source: &str,
    inputs: &Inputs,
    target: Target,
    limits: &Limits,
) -> Result<Rendered, TemplateError> {
    let prepared = prepare(source, target).map_err(|mut errors| errors.remove(0))?;
    finish(source, prepared, inputs, target, limits)
}

/// A template that parsed and passed Go's parse-time checks.
struct Prepared {
    actions: Actions,
    trees: Trees,
    warnings: Vec<Diagnostic>,
}

/// Parses and checks `source`; on failure, every parse-time error found (at least one).
fn prepare(source: &str, target: Target) -> Result<Prepared, Vec<TemplateError>> {
    let actions = Actions::scan(source);
    let mut errors: Vec<TemplateError> = actions
        .problems()
        .iter()
        .map(|(span, msg)| {
            TemplateError::new(&checks::TEMPLATE_SYNTAX_ERROR, source, *span, msg.clone())
        })
        .collect();
    let parsed = Template::new("hooks").parse(source).and_then(|template| {
        let (top, defines) = Parser::with_name(Some("hooks"), source, "{{", "}}")?.parse()?;
        Ok((template, top, defines))
    });
    let (template, top, defines) = match parsed {
        Ok(parsed) if errors.is_empty() => parsed,
        Ok(_) => return Err(errors),
        Err(e) => {
            // gotmpl's error often restates a problem the scan found earlier (a string
            // that runs on to the end of the file); keep it only when it comes first.
            let e = syntax_error(source, &e);
            if errors
                .first()
                .is_none_or(|first| e.span.start < first.span.start)
            {
                errors.insert(0, e);
            }
            return Err(errors);
        }
    };
    let bodies: Vec<&ListNode> = defines.iter().map(|d| &d.body).collect();
    let findings = verify::verify(source, &actions, &top, &bodies, target);
    if !findings.errors.is_empty() {
        return Err(findings.errors);
    }
    // The main template is added separately below; every other name once.
    let named = template
        .templates()
        .into_iter()
        .filter(|name| *name != "hooks")
        .filter_map(|name| Some((name.to_string(), template.lookup(name)?.clone())))
        .collect();
    let main = template.lookup("hooks").cloned().unwrap_or(top);
    let undeclared = findings.undeclared_assignments.into_iter().collect();
    Ok(Prepared {
        actions,
        trees: Trees {
            main,
            named,
            undeclared,
        },
        warnings: findings.warnings,
    })
}

fn finish(
    source: &str,
    prepared: Prepared,
    inputs: &Inputs,
    target: Target,
    limits: &Limits,
) -> Result<Rendered, TemplateError> {
    let Prepared {
        actions,
        trees,
        mut warnings,
    } = prepared;
    let execution = execute::execute(source, &actions, &trees, inputs, target, limits)?;
    let mut text = execution.text;
    let mut map = execution.map;
    if let Some(note) = quoting::unescape_js_quotes(&mut text, &mut map) {
        warnings.push(note);
    }
    Ok(Rendered {
        text,
        map,
        diagnostics: warnings,
        lookups: execution.lookups,
    })
}

/// gotmpl's parse error at its line and column, in hookctl's words.
fn syntax_error(source: &str, err: &gotmpl::TemplateError) -> TemplateError {
    use gotmpl::TemplateError as E;
    let (line, col, message) = match err {
        E::Parse {
            line, col, message, ..
        }
        | E::Lex {
            line, col, message, ..
        } => (*line, *col, message.clone()),
        other => (1, 1, other.to_string()),
    };
    let offset = offset_of(source, line, col);
    let end = source[offset..]
        .chars()
        .next()
        .map_or(offset, |c| offset + c.len_utf8());
    TemplateError::new(
        &checks::TEMPLATE_SYNTAX_ERROR,
        source,
        Span::new(offset, end),
        message,
    )
    .with_note(
        None,
        "webhook cannot load a file whose template does not parse",
    )
}

/// The byte offset of 1-based `line` and character `column`, clamped to the text.
fn offset_of(source: &str, line: usize, column: usize) -> usize {
    let index = LineIndex::new(source);
    let line_span = index.line_span(source, line.max(1));
    let line_end = source[line_span.start..]
        .find('\n')
        .map_or(source.len(), |i| line_span.start + i);
    source[line_span.start..line_end]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line_end, |(i, _)| line_span.start + i)
}
