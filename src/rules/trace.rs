//! The record of an evaluation: one entry per node of the trigger rule, in the order the
//! nodes appear (a parent before its children), saying what each node returned and why.

use serde::Serialize;

use crate::config::model::{TriggerRule, TriggerRuleKind};

use super::RuleError;

/// What one node of the trigger rule did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TraceEntry {
    /// The node's JSON pointer in the hook file (`/0/trigger-rule/and/1`).
    pub pointer: String,
    /// 0 for the trigger rule itself, 1 for its children, and so on.
    pub depth: usize,
    pub kind: NodeKind,
    /// The match `type` as written, for match nodes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub match_type: Option<String>,
    pub result: TraceResult,
    /// The boolean webhook's evaluation returned for this node. It can differ from
    /// `result`: a `not` over a missing value returns `true` with the missing error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub returned: Option<bool>,
    /// The parameter a match read (`header X-Hub-Signature`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    /// The value found, safe to show: secrets are never here, signatures are cut to
    /// their first hex digits, and values of parameters named like tokens are masked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// What the match compared against (`value`, `regex`, `ip-range`), masked like
    /// `value`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<RuleError>,
    /// Hints for people: why a signature failed, where a missing value might be, how a
    /// parent treated this node's error.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diagnosis: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeKind {
    And,
    Or,
    Not,
    Match,
    /// `{}`: none of `and`, `or`, `not`, `match`.
    Empty,
}

impl NodeKind {
    pub fn of(rule: &TriggerRule) -> NodeKind {
        match rule.kind {
            TriggerRuleKind::And(_) => NodeKind::And,
            TriggerRuleKind::Or(_) => NodeKind::Or,
            TriggerRuleKind::Not(_) => NodeKind::Not,
            TriggerRuleKind::Match(_) => NodeKind::Match,
            TriggerRuleKind::Empty => NodeKind::Empty,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            NodeKind::And => "and",
            NodeKind::Or => "or",
            NodeKind::Not => "not",
            NodeKind::Match => "match",
            NodeKind::Empty => "{}",
        }
    }
}

/// A node's outcome in one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TraceResult {
    True,
    False,
    /// The node's error is a missing parameter.
    Missing,
    /// The node's error is a signature failure or another error.
    Error,
    /// Not evaluated, because an earlier sibling decided its parent.
    Skipped,
}

impl TraceEntry {
    /// An entry for `rule` whose outcome is not known yet.
    pub(crate) fn start(rule: &TriggerRule, depth: usize) -> TraceEntry {
        let match_type = match &rule.kind {
            TriggerRuleKind::Match(m) => Some(m.type_text().to_string()),
            _ => None,
        };
        TraceEntry {
            pointer: rule.pointer.clone(),
            depth,
            kind: NodeKind::of(rule),
            match_type,
            result: TraceResult::Skipped,
            returned: None,
            parameter: None,
            value: None,
            expected: None,
            error: None,
            diagnosis: Vec::new(),
        }
    }

    /// Records what the node returned.
    pub(crate) fn finish(&mut self, ok: bool, error: Option<&RuleError>) {
        self.returned = Some(ok);
        self.error = error.map(|e| RuleError {
            class: e.class,
            message: mask_signatures(&e.message),
        });
        self.result = match error {
            Some(e) if e.class == super::ErrorClass::Missing => TraceResult::Missing,
            Some(_) => TraceResult::Error,
            None if ok => TraceResult::True,
            None => TraceResult::False,
        };
    }
}

/// `text` with every run of 16 or more hex digits cut to its first 7, so a trace shows
/// no whole signature even inside webhook's error texts.
pub fn mask_signatures(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    for c in text.chars().chain(std::iter::once('\0')) {
        if c.is_ascii_hexdigit() {
            run.push(c);
            continue;
        }
        if run.len() >= 16 {
            out.push_str(&run[..7]);
            out.push('…');
        } else {
            out.push_str(&run);
        }
        run.clear();
        if c != '\0' {
            out.push(c);
        }
    }
    out
}

/// Appends skipped entries for `rule` and everything below it.
pub(crate) fn push_skipped(trace: &mut Vec<TraceEntry>, rule: &TriggerRule, depth: usize) {
    trace.push(TraceEntry::start(rule, depth));
    match &rule.kind {
        TriggerRuleKind::And(children) | TriggerRuleKind::Or(children) => {
            for child in children {
                push_skipped(trace, child, depth + 1);
            }
        }
        TriggerRuleKind::Not(child) => push_skipped(trace, child, depth + 1),
        TriggerRuleKind::Match(_) | TriggerRuleKind::Empty => {}
    }
}
