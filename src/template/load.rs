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

/// [`load_templated`] for bytes read from a file: text that is not UTF-8 is reported as
/// the loader reports it for any hook file (webhook's template parser rejects it too).
pub fn load_templated_bytes(
    path: &str,
    bytes: Vec<u8>,
    inputs: &Inputs,
    target: Target,
) -> TemplatedLoad {
    match String::from_utf8(bytes) {
        Ok(text) => load_templated(path, text, inputs, target),
        Err(err) => TemplatedLoad {
            loaded: crate::config::load::load_bytes(path, err.into_bytes()),
            rendered: None,
        },
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::validate::validate;
    use crate::template::{is_load_failure, render};

    fn load(source: &str, env: &[&str]) -> TemplatedLoad {
        let env: Vec<String> = env.iter().map(|s| s.to_string()).collect();
        let inputs = Inputs::from_options(&env, &[], None).unwrap();
        load_templated(
            "hooks.yaml.tmpl",
            source.to_string(),
            &inputs,
            Target::Webhook280,
        )
    }

    fn line(text: &str, d: &Diagnostic) -> usize {
        text[..d.span.start].matches('\n').count() + 1
    }

    const HOOK: &str = "\
- id: deploy
  execute-command: /opt/deploy.sh
  trigger-rule:
    match:
      type: payload-hmac-sha1
      secret: \"{{ getenv \"SECRET\" | js }}\"
      parameter: {source: header, name: X-Hub-Signature}
";

    #[test]
    fn validate_sees_the_rendered_secret_at_the_template_line() {
        let load = load(HOOK, &["SECRET=changeme"]);
        let file = &load.loaded.file;
        assert_eq!(file.text, HOOK, "the file keeps the template source");
        let found = validate(file);
        let example = found
            .iter()
            .find(|d| d.check == checks::EXAMPLE_SECRET)
            .expect("validate flags the example secret");
        assert_eq!(line(&file.text, example), 6);
        assert_eq!(
            &file.text[example.span.start..example.span.end],
            "\"{{ getenv \"SECRET\" | js }}\""
        );
        let m = crate::lint::walk::matches(&file.hooks)[0].m;
        assert_eq!(m.secret(), "changeme");
    }

    #[test]
    fn an_unset_secret_is_reported_at_its_action() {
        let load = load(HOOK, &["OTHER=1"]);
        let mut diagnostics = load.loaded.diagnostics;
        diagnostics.extend(validate(&load.loaded.file));
        tidy(&mut diagnostics);
        let codes: Vec<_> = diagnostics.iter().map(|d| d.check.code).collect();
        assert_eq!(codes, ["HK602"], "{diagnostics:#?}");
        assert_eq!(line(HOOK, &diagnostics[0]), 6);
    }

    #[test]
    fn loader_errors_in_rendered_text_point_into_the_template() {
        let source =
            "{{ define \"h\" }}- id: {{ . }}\n   bad: [\n{{ end }}{{ template \"h\" \"a\" }}";
        let load = load(source, &[]);
        let d = &load.loaded.diagnostics[0];
        assert_eq!(d.check, checks::SYNTAX_ERROR, "{d:#?}");
        assert!(d.span.end <= source.find("{{ end").unwrap(), "{d:#?}");
        assert!(is_load_failure(&d.check));
        assert!(load.loaded.file.hooks.is_empty());
    }

    #[test]
    fn bytes_that_are_not_utf8_are_a_load_error() {
        let inputs = Inputs::offline();
        let load = load_templated_bytes("t", b"- id: \xff".to_vec(), &inputs, Target::Webhook280);
        assert!(load.rendered.is_none());
        assert_eq!(load.loaded.diagnostics[0].check, checks::SYNTAX_ERROR);
        let load = load_templated_bytes("t", b"- id: x".to_vec(), &inputs, Target::Webhook280);
        assert_eq!(load.loaded.file.hooks.len(), 1);
    }

    #[test]
    fn a_template_error_leaves_no_hooks_and_one_diagnostic() {
        let load = load("- id: {{ nope }}\n- id: {{ $x }}\n", &[]);
        assert!(load.rendered.is_none());
        assert!(load.loaded.file.hooks.is_empty());
        let codes: Vec<_> = load
            .loaded
            .diagnostics
            .iter()
            .map(|d| d.check.code)
            .collect();
        assert_eq!(codes, ["HK605", "HK600"]);
        assert!(load
            .loaded
            .diagnostics
            .iter()
            .all(|d| is_load_failure(&d.check)));
        let rendered = render("{{ 1 }}", &Inputs::offline(), Target::Webhook280).unwrap();
        assert!(!format!("{rendered:?}").contains("text: \"1\""));
    }
}
