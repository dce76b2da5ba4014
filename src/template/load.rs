//! Loading a templated hook file: render, load the result, and point everything back at
//! the template.

use super::checks as checks_tmpl;
use super::remap::{remap_diagnostic, remap_file};
use super::{finish, prepare, quoting, secrets, Inputs, Limits, Rendered};
use crate::config::checks;
use crate::config::load::{load_text, Loaded};
use crate::config::model::HookFile;
use crate::config::parse::Reader;
use crate::diagnostic::Diagnostic;
use crate::lint::Target;

/// A templated hook file as webhook `-template` would load it.
#[derive(Debug)]
pub struct TemplatedLoad {
    /// The hooks of the rendered file, with `file.text` holding the **template source**
    /// and every span (of the hooks and of the diagnostics) pointing into it, so that
    /// validate, lint and the renderers show the lines the user wrote. The diagnostics
    /// are the template's (HK6xx) and the loader's. Run validate and lint on `file` as
    /// for any hook file. When rendering fails, the file has no hooks and the
    /// diagnostics say why.
    pub loaded: Loaded,
    /// The rendering, when it succeeded: the text webhook would parse and its map.
    pub rendered: Option<Rendered>,
}

/// Renders `text` (the template source read from `path`) and loads the result.
pub fn load_templated(path: &str, text: String, inputs: &Inputs, target: Target) -> TemplatedLoad {
    load_templated_with(path, text, inputs, target, &Limits::default())
}

/// [`load_templated`] with explicit limits.
pub fn load_templated_with(
    path: &str,
    text: String,
    inputs: &Inputs,
    target: Target,
    limits: &Limits,
) -> TemplatedLoad {
    let prepared = match prepare(&text, target) {
        Ok(prepared) => prepared,
        Err(errors) => {
            let diagnostics = errors.iter().map(|e| e.to_diagnostic()).collect();
            return not_rendered(path, text, diagnostics);
        }
    };
    let rendered = match finish(&text, prepared, inputs, target, limits) {
        Ok(rendered) => rendered,
        Err(error) => return not_rendered(path, text, vec![error.to_diagnostic()]),
    };

    let mut loaded = load_text(path, rendered.text.clone());
    let mut diagnostics = rendered.diagnostics.clone();
    diagnostics.extend(secrets::empty_secrets(&loaded.file, &rendered));
    for mut d in std::mem::take(&mut loaded.diagnostics) {
        if d.check == checks::SYNTAX_ERROR {
            if let Some(q) = quoting::breaking_action(&rendered, d.span.start) {
                let parse = format!("the rendered file then fails to load: {}", d.message);
                diagnostics.push(q.with_note(None, parse));
                continue;
            }
            d = d.with_note(
                None,
                "the error is in the rendered text; this is the template text that produced it",
            );
        }
        remap_diagnostic(&mut d, &rendered.map);
        diagnostics.push(d);
    }
    remap_file(&mut loaded.file, &rendered.map);
    loaded.file.text = text;
    loaded.diagnostics = diagnostics;
    TemplatedLoad {
        loaded,
        rendered: Some(rendered),
    }
}

fn not_rendered(path: &str, text: String, diagnostics: Vec<Diagnostic>) -> TemplatedLoad {
    let file = HookFile {
        path: path.to_string(),
        text,
        reader: Reader::Yaml,
        hooks: Vec::new(),
    };
    TemplatedLoad {
        loaded: Loaded { file, diagnostics },
        rendered: None,
    }
}

/// Tidies the diagnostics of a templated file once validate (and lint) have added theirs:
///
/// - hooks rendered from the same template text (a `define` called twice) report the same
///   problem at the same place; such repeats become one diagnostic with a note;
/// - validate's "needs `secret`" for a match whose secret the template rendered empty is
///   dropped, because HK602 says the same at the action that rendered it.
pub fn tidy(diagnostics: &mut Vec<Diagnostic>) {
    let rendered_empty: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.check == checks_tmpl::EMPTY_TEMPLATE_SECRET)
        .map(|d| d.span)
        .collect();
    diagnostics.retain(|d| {
        let is_missing_secret =
            d.check == checks::MISSING_MATCH_FIELD && d.message.contains("needs `secret`");
        !(is_missing_secret
            && rendered_empty
                .iter()
                .any(|s| d.span.start <= s.start && s.end <= d.span.end))
    });

    let mut kept: Vec<(Diagnostic, usize)> = Vec::with_capacity(diagnostics.len());
    for d in diagnostics.drain(..) {
        let same = kept
            .iter_mut()
            .find(|(k, _)| k.check == d.check && k.span == d.span && k.message == d.message);
        match same {
            Some((_, count)) => *count += 1,
            None => kept.push((d, 1)),
        }
    }
    diagnostics.extend(kept.into_iter().map(|(d, count)| {
        if count == 1 {
            return d;
        }
        d.with_note(
            None,
            format!("reported for {count} rendered hooks that come from this template text"),
        )
    }));
}
