//! Secrets and tokens that a template renders empty.

use super::checks;
use super::{LookupResult, Rendered};
use crate::config::model::{HookFile, MatchKind};
use crate::config::positions::Span;
use crate::diagnostic::Diagnostic;
use crate::lint::walk::matches;

/// Reports every signature secret, and every token a `value` match compares with, that
/// is empty in the rendered file because an action produced nothing.
///
/// `file` is the hook file loaded from `rendered.text`, with spans in the rendered text
/// (before [`super::load_templated`] maps them); the diagnostics point at the template
/// action that rendered empty. A secret left empty in the template itself is not reported
/// here: validate reports a missing secret already.
pub fn empty_secrets(file: &HookFile, rendered: &Rendered) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for site in matches(&file.hooks) {
        let m = site.m;
        let (span, pointer, what) = match m.kind {
            MatchKind::Hmac { .. } | MatchKind::ScalrSignature => {
                let Some(secret) = &m.secret else { continue };
                if !secret.value.expose().is_empty() {
                    continue;
                }
                (secret.span, secret.pointer.as_str(), Kind::Secret)
            }
            MatchKind::Value if m.compares_token() => {
                let Some(value) = &m.value else { continue };
                if !value.value.is_empty() {
                    continue;
                }
                (value.span, value.pointer.as_str(), Kind::Token)
            }
            _ => continue,
        };
        let actions = rendered.map.actions_in(span);
        let Some((first, _)) = actions.first() else {
            continue;
        };
        out.push(diagnostic(rendered, *first, pointer, what));
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Secret,
    Token,
}

fn diagnostic(rendered: &Rendered, action: Span, pointer: &str, what: Kind) -> Diagnostic {
    let msg = match what {
        Kind::Secret => {
            "this secret renders empty, so webhook answers 500 to every request for this hook"
        }
        Kind::Token => {
            "this token renders empty, so a request that sends the parameter empty passes \
             the match"
        }
    };
    let mut d = Diagnostic::new(checks::EMPTY_TEMPLATE_SECRET, action, pointer, msg);
    let mut helps = Vec::new();
    for lookup in rendered.lookups.iter().filter(|l| l.action == action) {
        let (note, help) = match (lookup.function, lookup.result) {
            (_, LookupResult::Found) => continue,
            ("cat", LookupResult::Unreadable) | ("credential", LookupResult::Unreadable) => (
                format!("`{}` cannot read `{}`", lookup.function, lookup.argument),
                format!("create `{}` where webhook runs", lookup.argument),
            ),
            (_, LookupResult::Unset) => (
                format!("environment variable `{}` is not set", lookup.argument),
                format!(
                    "set `{}` where webhook runs, or pass `--env {}=...` to check with a value",
                    lookup.argument, lookup.argument
                ),
            ),
            (function, _) => (
                format!("`{function} \"{}\"` is empty", lookup.argument),
                format!("give `{}` a value where webhook runs", lookup.argument),
            ),
        };
        d = d.with_note(None, note);
        helps.push(help);
    }
    if let Some(help) = helps.into_iter().next() {
        d = d.with_help(help);
    }
    d
}
