//! The trigger-rule engine shared by `lint`, `simulate` and `serve`: webhook's
//! evaluation of `and`, `or`, `not` and `match` against a request, with a trace.
//!
//! Every node returns webhook's pair `(bool, error)`. Errors come in classes
//! ([`ErrorClass`]): a *missing* parameter, a *signature* failure, anything *other*,
//! and a *panic* of webhook's handler. The combinators treat them as webhook does:
//!
//! * `and` stops at the first false child or the first error of any class; an empty
//!   `and` is true.
//! * `or` stops at the first true child; it passes over a missing parameter, and over
//!   a signature failure only when the hook sets `trigger-signature-soft-failures`;
//!   any other error stops it. An empty `or` is false.
//! * `not` inverts the boolean **and keeps the error**, so `not` over a missing value
//!   returns `(true, missing)`, and the hook fires.
//! * `{}` is false.
//!
//! This module decides; it does not answer requests. `outcome` turns an
//! [`Evaluation`] into webhook's response.

pub mod date;
pub mod matchers;
pub mod net;
pub mod regex;
pub mod signature;
pub mod suggest;
pub mod trace;

use std::time::SystemTime;

use serde::Serialize;

use crate::config::model::{Hook, TriggerRule, TriggerRuleKind};
use crate::request::Context;

pub use trace::{NodeKind, TraceEntry, TraceResult};

/// The kinds of error webhook's evaluation distinguishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ErrorClass {
    /// `parameter node not found: …`: tolerated by `or`; at the top level the boolean
    /// decides.
    Missing,
    /// `invalid payload signature(s) …`: tolerated by `or` only with soft failures.
    Signature,
    /// Anything else (bad source, `no parameters`, bad regex, empty secret, ...): 500.
    Other,
    /// webhook's handler crashed; Go answers 500 `Internal Server Error`.
    Panic,
}

/// An error returned by a node, with webhook's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleError {
    pub class: ErrorClass,
    pub message: String,
}

/// What webhook does with the hook after evaluating its trigger rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The trigger rule is satisfied (or absent): the command runs.
    Fires,
    /// Not satisfied: the mismatch response.
    Mismatch,
    /// A signature or other error: 500 `Error occurred while evaluating hook rules.`
    Error,
    /// webhook's handler panicked: 500 `Internal Server Error`.
    Crash,
}

/// The result of evaluating a hook's trigger rule against a request.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// The boolean webhook's evaluation returned.
    pub satisfied: bool,
    /// The error webhook's evaluation returned, if any.
    pub error: Option<RuleError>,
    /// One entry per node, parents before children; empty without a trigger rule.
    pub trace: Vec<TraceEntry>,
    /// Lines webhook logs while evaluating (deprecation warnings), without timestamps.
    pub log: Vec<String>,
}

impl Evaluation {
    pub fn verdict(&self) -> Verdict {
        match &self.error {
            Some(e) if e.class == ErrorClass::Panic => Verdict::Crash,
            Some(e) if e.class != ErrorClass::Missing => Verdict::Error,
            _ if self.satisfied => Verdict::Fires,
            _ => Verdict::Mismatch,
        }
    }

    /// An evaluation that never ran (webhook answered earlier): every node skipped.
    pub fn not_run(hook: &Hook) -> Evaluation {
        let mut trace = Vec::new();
        if let Some(rule) = &hook.trigger_rule {
            trace::push_skipped(&mut trace, rule, 0);
        }
        Evaluation {
            satisfied: false,
            error: None,
            trace,
            log: Vec::new(),
        }
    }
}

/// Evaluates `hook`'s trigger rule against `context` now.
pub fn evaluate(hook: &Hook, context: &Context) -> Evaluation {
    evaluate_at(hook, context, SystemTime::now())
}

/// Evaluates with `now` as the current time (Scalr signatures depend on it).
pub fn evaluate_at(hook: &Hook, context: &Context, now: SystemTime) -> Evaluation {
    let Some(rule) = &hook.trigger_rule else {
        return Evaluation {
            satisfied: true,
            error: None,
            trace: Vec::new(),
            log: Vec::new(),
        };
    };
    let mut evaluator = Evaluator {
        context,
        soft_failures: hook.has_soft_signature_failures(),
        now,
        trace: Vec::new(),
        log: Vec::new(),
    };
    let (satisfied, error) = evaluator.node(rule, 0);
    Evaluation {
        satisfied,
        error,
        trace: evaluator.trace,
        log: evaluator.log,
    }
}

type Returned = (bool, Option<RuleError>);

struct Evaluator<'a> {
    context: &'a Context,
    soft_failures: bool,
    now: SystemTime,
    trace: Vec<TraceEntry>,
    log: Vec<String>,
}

impl Evaluator<'_> {
    fn node(&mut self, rule: &TriggerRule, depth: usize) -> Returned {
        let slot = self.trace.len();
        self.trace.push(TraceEntry::start(rule, depth));
        let (ok, error) = match &rule.kind {
            TriggerRuleKind::And(children) => self.and(children, depth),
            TriggerRuleKind::Or(children) => self.or(children, depth),
            TriggerRuleKind::Not(child) => {
                let (ok, error) = self.node(child, depth + 1);
                (!ok, error)
            }
            TriggerRuleKind::Match(m) => {
                let outcome = matchers::evaluate(m, self.context, self.now, &mut self.log);
                let entry = &mut self.trace[slot];
                entry.parameter = outcome.parameter;
                entry.value = outcome.value;
                entry.expected = outcome.expected;
                entry.diagnosis = outcome.diagnosis;
                (outcome.ok, outcome.error)
            }
            TriggerRuleKind::Empty => {
                let note = "an empty object (no and, or, not or match) is always false";
                self.trace[slot].diagnosis.push(note.into());
                (false, None)
            }
        };
        self.trace[slot].finish(ok, error.as_ref());
        (ok, error)
    }

    fn and(&mut self, children: &[TriggerRule], depth: usize) -> Returned {
        for (i, child) in children.iter().enumerate() {
            let (ok, error) = self.node(child, depth + 1);
            if error.is_some() || !ok {
                self.skip(&children[i + 1..], depth + 1);
                return (false, error);
            }
        }
        (true, None)
    }

    fn or(&mut self, children: &[TriggerRule], depth: usize) -> Returned {
        for (i, child) in children.iter().enumerate() {
            let slot = self.trace.len();
            let (ok, error) = self.node(child, depth + 1);
            if let Some(error) = error {
                let Some(note) = self.tolerated(&error) else {
                    if error.class == ErrorClass::Signature {
                        let hint = "the enclosing `or` stops at this signature failure; with \
                                    `trigger-signature-soft-failures: true` it would try the \
                                    next alternative";
                        self.trace[slot].diagnosis.push(hint.into());
                    }
                    self.skip(&children[i + 1..], depth + 1);
                    return (false, Some(error));
                };
                self.trace[slot].diagnosis.push(note.into());
            }
            if ok {
                self.skip(&children[i + 1..], depth + 1);
                return (true, None);
            }
        }
        (false, None)
    }

    /// Why an enclosing `or` passes over `error`, or `None` when it stops on it.
    fn tolerated(&self, error: &RuleError) -> Option<&'static str> {
        match error.class {
            ErrorClass::Missing => Some("the enclosing `or` passes over the missing value"),
            ErrorClass::Signature if self.soft_failures => {
                Some("the enclosing `or` passes over the signature failure (soft failures are on)")
            }
            _ => None,
        }
    }

    fn skip(&mut self, rules: &[TriggerRule], depth: usize) {
        for rule in rules {
            trace::push_skipped(&mut self.trace, rule, depth);
        }
    }
}

#[cfg(test)]
mod tests;
