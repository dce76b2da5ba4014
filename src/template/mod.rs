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
pub use load::{load_templated, load_templated_bytes, load_templated_with, tidy, TemplatedLoad};
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
//
// Known gap: a template that webhook renders after more work than this is an error here.
// Why: no real hook file comes near these bounds. Tracked: docs/templates.md#step-limit
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

/// A rendered template. Its `Debug` output leaves out the text, which may hold secrets.
#[derive(Clone)]
pub struct Rendered {
    /// The text webhook would parse, after hookctl's `\'` fix-up (see [`Rendered::map`]).
    /// It holds whatever secrets the template read: never print it.
    pub text: String,
    /// From offsets in `text` to offsets in the template source.
    pub map: SourceMap,
    /// Warnings and notes about the template (HK604, HK606), in the template source.
    pub diagnostics: Vec<Diagnostic>,
    /// Every `getenv`, `cat` and `credential` call, in the order they ran.
    pub lookups: Vec<Lookup>,
}

impl std::fmt::Debug for Rendered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rendered")
            .field("text", &format_args!("<{} bytes>", self.text.len()))
            .field("map", &self.map)
            .field("diagnostics", &self.diagnostics)
            .field("lookups", &self.lookups)
            .finish()
    }
}

impl Rendered {
    /// The template offset that produced the rendered byte at `rendered`.
    pub fn source_offset(&self, rendered: usize) -> usize {
        self.map.source_offset(rendered)
    }
}

/// Whether a diagnostic means webhook refuses the whole file: a template that does not
/// render, an inserted value that breaks the file, or any load failure of
/// [`crate::config::load::is_load_failure`].
pub fn is_load_failure(check: &crate::diagnostic::Check) -> bool {
    let template = [
        checks::TEMPLATE_SYNTAX_ERROR,
        checks::TEMPLATE_EXECUTION_ERROR,
        checks::TEMPLATE_BREAKS_QUOTING,
        checks::TEMPLATE_FUNCTION_UNAVAILABLE,
    ];
    template.iter().any(|c| c.code == check.code) || crate::config::load::is_load_failure(check)
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
        // Like Go, report only the first syntax error: later ones often restate it (a
        // string left open runs on to the end of the file).
        Ok(_) => {
            errors.truncate(1);
            return Err(errors);
        }
        Err(e) => {
            let e = syntax_error(source, &e);
            if errors
                .first()
                .is_none_or(|first| e.span.start < first.span.start)
            {
                return Err(vec![e]);
            }
            errors.truncate(1);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(vars: &[(&str, &str)]) -> Inputs {
        let mut inputs = Inputs::offline();
        for (k, v) in vars {
            inputs.set_env(k, *v);
        }
        inputs
    }

    fn ok(source: &str, vars: &[(&str, &str)]) -> Rendered {
        render(source, &inputs(vars), Target::Webhook280)
            .unwrap_or_else(|e| panic!("{source:?}: {e}"))
    }

    fn fails(source: &str, target: Target, limits: &Limits) -> TemplateError {
        match render_with(source, &inputs(&[]), target, limits) {
            Ok(r) => panic!("{source:?} rendered {:?}", r.text),
            Err(e) => e,
        }
    }

    fn at<'a>(source: &'a str, e: &TemplateError) -> &'a str {
        &source[e.span.start..e.span.end]
    }

    #[test]
    fn renders_with_nil_data_and_getenv() {
        let r = ok("a {{ .Foo }} {{ getenv \"A\" | js }}", &[("A", "x'y")]);
        assert_eq!(r.text, "a <no value> x\\'y");
        assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
        assert_eq!(r.diagnostics[0].check, checks::PER_REQUEST_TEMPLATE_DATA);
    }

    #[test]
    fn the_map_points_literal_text_and_action_output_home() {
        let source =
            "- id: {{ getenv \"ID\" }}\n  x: {{ define \"d\" }}dd{{ end }}{{ template \"d\" }}!\n";
        let r = ok(source, &[("ID", "deploy")]);
        assert_eq!(r.text, "- id: deploy\n  x: dd!\n");
        let id = r.text.find("deploy").unwrap();
        let action = source.find("{{ getenv").unwrap();
        assert_eq!(r.source_offset(id), action);
        assert_eq!(r.source_offset(id + 3), action);
        assert_eq!(r.source_offset(2), 2);
        let newline = r.text.find('\n').unwrap();
        assert_eq!(r.source_offset(newline), source.find('\n').unwrap());
        let dd = r.text.find("dd").unwrap();
        assert_eq!(r.source_offset(dd + 1), source.find("dd{{").unwrap() + 1);
        let bang = r.text.find('!').unwrap();
        assert_eq!(r.source_offset(bang), source.find('!').unwrap());
        let value = Span::new(id, id + 6);
        assert_eq!(
            r.map.source_span(value),
            Span::new(action, action + "{{ getenv \"ID\" }}".len())
        );
    }

    #[test]
    fn js_quotes_are_unescaped_for_hookctls_readers_and_noted() {
        let source = "[{\"id\": \"{{ getenv \"Q\" | js }}\"}]";
        let r = ok(source, &[("Q", "it's")]);
        assert_eq!(r.text, "[{\"id\": \"it's\"}]");
        let note = r
            .diagnostics
            .iter()
            .find(|d| d.check == checks::JS_ESCAPED_QUOTE)
            .expect("a note");
        assert_eq!(
            &source[note.span.start..note.span.end],
            "{{ getenv \"Q\" | js }}"
        );
        let closing = r.text.rfind('"').unwrap();
        assert_eq!(r.source_offset(closing), source.rfind('"').unwrap());
    }

    #[test]
    fn lookups_record_what_each_call_found() {
        let r = ok(
            "{{ getenv \"SET\" }}{{ getenv \"EMPTY\" }}{{ getenv \"UNSET\" }}",
            &[("SET", "1"), ("EMPTY", "")],
        );
        let results: Vec<_> = r
            .lookups
            .iter()
            .map(|l| (l.argument.as_str(), l.result))
            .collect();
        assert_eq!(
            results,
            [
                ("SET", LookupResult::Found),
                ("EMPTY", LookupResult::Empty),
                ("UNSET", LookupResult::Unset)
            ]
        );
        assert_eq!(r.lookups[2].action, Span::new(38, 58));
    }

    #[test]
    fn cat_and_credential_exist_only_on_master() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("secret");
        std::fs::write(&file, "s3cret\n\n").unwrap();
        let source = format!(
            "{{{{ cat \"{}\" }}}}|{{{{ credential \"secret\" }}}}|{{{{ cat \"/nonexistent\" }}}}",
            file.display()
        );
        let e = fails(&source, Target::Webhook280, &Limits::default());
        assert_eq!(*e.check, checks::TEMPLATE_FUNCTION_UNAVAILABLE);
        assert_eq!(at(&source, &e), "cat");
        assert_eq!(
            e.to_string(),
            "1:4: function `cat` is not defined in webhook-2.8.0"
        );

        let mut inputs = inputs(&[("secret", "from-env")]);
        let r = render(&source, &inputs, Target::WebhookMaster).unwrap();
        assert_eq!(r.text, "s3cret\n|from-env|");
        inputs.set_credentials_dir(dir.path());
        let r = render(&source, &inputs, Target::WebhookMaster).unwrap();
        assert_eq!(r.text, "s3cret\n|s3cret\n|");
        assert_eq!(r.lookups[2].result, LookupResult::Unreadable);
    }

    #[test]
    fn cat_refuses_directories_special_files_and_large_files() {
        let dir = tempfile::tempdir().unwrap();
        let source = format!("x\n  {{{{ cat \"{}\" }}}}", dir.path().display());
        let e = fails(&source, Target::WebhookMaster, &Limits::default());
        assert_eq!(*e.check, checks::TEMPLATE_EXECUTION_ERROR);
        assert!(e.message.ends_with("it is a directory"), "{e}");
        assert_eq!((e.line, e.column), (2, 3));
        assert!(e.help.as_deref().unwrap().contains("empty string"));

        let e = fails(
            "{{ cat \"/dev/zero\" }}",
            Target::WebhookMaster,
            &Limits::default(),
        );
        assert!(e.message.ends_with("it is not a regular file"), "{e}");

        let big = dir.path().join("big");
        std::fs::write(&big, vec![b'a'; 2048]).unwrap();
        let limits = Limits {
            max_file: 1024,
            ..Limits::default()
        };
        let source = format!("{{{{ cat \"{}\" }}}}", big.display());
        let e = fails(&source, Target::WebhookMaster, &limits);
        assert!(e.message.contains("2048 bytes, more than the 1024"), "{e}");
    }

    #[test]
    fn invalid_utf8_in_the_environment_is_an_error_where_it_is_read() {
        let mut inputs = Inputs::offline();
        inputs.set_env("U", b"x\xffy".to_vec());
        let source = "ok\n{{ if true }}{{ getenv \"U\" }}{{ end }}";
        let e = render(source, &inputs, Target::Webhook280).unwrap_err();
        assert_eq!(e.line, 2);
        assert_eq!(at(source, &e), "{{ getenv \"U\" }}");
        assert!(
            e.message
                .contains("`U` is not valid UTF-8 (byte 0xff at offset 1)"),
            "{e}"
        );
        let unused = "{{ if false }}{{ getenv \"U\" }}{{ end }}";
        assert_eq!(
            render(unused, &inputs, Target::Webhook280).unwrap().text,
            ""
        );
    }

    #[test]
    fn recursion_through_template_stops_with_the_call_chain() {
        let source = "{{ define \"a\" }}{{ template \"b\" }}{{ end }}\
                      {{ define \"b\" }}{{ template \"a\" }}{{ end }}\n{{ template \"a\" }}";
        let e = fails(source, Target::Webhook280, &Limits::default());
        assert_eq!(*e.check, checks::TEMPLATE_EXECUTION_ERROR);
        assert!(e.message.contains("too deeply"), "{e}");
        assert!(at(source, &e).starts_with("{{ template"));
        let outer = e.notes.last().unwrap().span.unwrap();
        assert_eq!(&source[outer.start..outer.end], "{{ template \"a\" }}");
        assert_eq!(outer.start, source.rfind("{{ template").unwrap());
    }

    #[test]
    fn runaway_templates_hit_the_limits_instead_of_hanging() {
        // Twenty levels that each call the next twice: a million calls for Go.
        let mut source = String::new();
        for i in 0..20 {
            source += &format!(
                "{{{{ define \"t{i}\" }}}}{{{{ template \"t{n}\" }}}}{{{{ template \"t{n}\" }}}}\
                 {{{{ end }}}}",
                n = i + 1
            );
        }
        source += "{{ define \"t20\" }}{{ end }}{{ template \"t0\" }}";
        let limits = Limits {
            max_steps: 10_000,
            ..Limits::default()
        };
        let e = fails(&source, Target::Webhook280, &limits);
        assert!(e.message.contains("more than 10000 steps"), "{e}");

        let limits = Limits {
            max_output: 1000,
            ..Limits::default()
        };
        let doubling = "{{ define \"d\" }}{{ template \"d\" (print . .) }}{{ end }}\
                        {{ template \"d\" \"ab\" }}";
        let e = fails(doubling, Target::Webhook280, &limits);
        assert!(e.message.contains("larger than 1000 bytes"), "{e}");
        let e = fails(&"x".repeat(1001), Target::Webhook280, &limits);
        assert!(e.message.contains("rendered file would be larger"), "{e}");
    }

    #[test]
    fn go_parse_errors_carry_positions() {
        let cases = [
            ("a\n{{ if true }}x", "`{{if}}` has no `{{end}}`", 2),
            ("{{ end }}", "unexpected `{{end}}`", 1),
            ("{{ \"abc }}\nx", "this string is not closed on its line", 1),
            ("x {{ /* c */ }}", "a comment must start right after", 1),
            ("{{/* c */ }}", "a comment must end right before", 1),
            ("\n\n{{ 1 ) }}", "expected closing delimiter", 3),
            ("{{ $x }}", "variable `$x` is not defined", 1),
        ];
        for (source, message, line) in cases {
            let e = fails(source, Target::Webhook280, &Limits::default());
            assert!(e.message.contains(message), "{source:?}: {e}");
            assert_eq!(e.line, line, "{source:?}: {e}");
        }
    }

    #[test]
    fn range_over_an_integer_depends_on_the_go_release() {
        let e = fails(
            "{{ range 2 }}x{{ end }}",
            Target::Webhook280,
            &Limits::default(),
        );
        assert!(e.message.starts_with("range can't iterate over 2"), "{e}");
        let r = render(
            "{{ range 2 }}x{{ end }}",
            &inputs(&[]),
            Target::WebhookMaster,
        );
        assert_eq!(r.unwrap().text, "xx");
    }
}

#[cfg(test)]
mod robustness {
    use super::*;

    /// Pieces of templates and hook files; random sequences of them must never panic.
    const PIECES: &[&str] = &[
        "{{",
        "}}",
        "{{- ",
        " -}}",
        "/*",
        "*/",
        "\"",
        "'",
        "`",
        "\\",
        "\n",
        " ",
        "if",
        "else",
        "end",
        "range",
        "with",
        "define",
        "template",
        "block",
        "break",
        "$x",
        ":=",
        "=",
        "|",
        "(",
        ")",
        ".Foo",
        "getenv",
        "\"A\"",
        "js",
        "printf",
        "\"%q\"",
        "1",
        "1e6",
        "é",
        "🚀",
        "- id: ",
        "[{\"id\": \"",
        "\"}]",
        "secret: ",
        "nil",
        "len",
        "index",
        "slice",
        ",",
    ];

    #[test]
    fn random_templates_never_panic() {
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut inputs = Inputs::offline();
        inputs.set_env("A", "x'\"y");
        for _ in 0..3000 {
            let len = (next() % 24) as usize;
            let source: String = (0..len)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            let _ = render(&source, &inputs, Target::Webhook280);
            let load = load_templated("t", source.clone(), &inputs, Target::WebhookMaster);
            for d in &load.loaded.diagnostics {
                assert!(d.span.end <= source.len(), "{source:?}: {d:?}");
                assert!(source.is_char_boundary(d.span.start), "{source:?}: {d:?}");
            }
        }
    }
}
